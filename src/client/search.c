/* search.c: text search in a dialog's history (see search.h). */
#include "opdesk/search.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "opdesk/sysline.h"
#include "opdesk/utf8.h"

wchar_t search_fold(wchar_t c)
{
	c = (wchar_t)towlower((wint_t)c);
	return c == L'ё' ? L'е' : c; /* Russian writers drop the dots as often as not */
}

size_t search_query(const char *query, wchar_t *out, size_t max)
{
	size_t n = 0, len = strlen(query), i = 0;
	while (i < len && n + 1 < max) {
		uint32_t cp;
		i += utf8_decode(query + i, len - i, &cp);
		out[n++] = search_fold((wchar_t)cp);
	}
	out[n] = L'\0';
	return n;
}

bool search_text(const char *text, const wchar_t *q, size_t qn)
{
	if (!text || qn == 0)
		return false;
	/* a naive scan: messages are short (at most PROTO_MAX_TEXT bytes) and a search runs on a keypress */
	size_t len = strlen(text);
	for (size_t start = 0; start < len;) {
		size_t i = start, k = 0;
		uint32_t cp;
		size_t first = utf8_decode(text + start, len - start, &cp);
		while (k < qn && i < len) {
			size_t used = utf8_decode(text + i, len - i, &cp);
			if (search_fold((wchar_t)cp) != q[k])
				break;
			i += used;
			k++;
		}
		if (k == qn)
			return true;
		start += first;
	}
	return false;
}

long search_dialog(const struct desk_dialog *dl, const char *query, long from, int dir)
{
	wchar_t q[SEARCH_MAX + 1];
	size_t qn = search_query(query, q, sizeof q / sizeof *q);
	if (!dl || qn == 0)
		return -1;
	for (long i = from; i >= 0 && (size_t)i < dl->n_msgs; i += dir) {
		const struct desk_message *m = dl->msgs[i];
		/* a line the hub wrote is searched as the operator reads it, in her language */
		char *shown = m->kind ? sysline_text(m) : NULL;
		bool hit = search_text(shown ? shown : m->text, q, qn);
		free(shown);
		if (hit)
			return i;
	}
	return -1;
}

/* textmatch.c: matching text in any case, on characters (see textmatch.h). */
#include "opdesk/textmatch.h"

#include <string.h>
#include <wctype.h>

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

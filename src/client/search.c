/* search.c: text search in a dialog's history (see search.h). */
#include "opdesk/search.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/sysline.h"
#include "opdesk/utf8.h"

long search_dialog(const struct desk_dialog *dl, const char *query, long from, int dir)
{
	wchar_t q[SEARCH_MAX + 1];
	size_t qn = search_query(query, q, sizeof q / sizeof *q);
	if (!dl || qn == 0)
		return -1;
	for (long i = from; i >= 0 && (size_t)i < dl->n_msgs; i += dir) {
		const struct desk_message *m = dl->msgs[i];
		/* a line the hub wrote is searched as the operator reads it, in her language */
		char *shown = m->has & DESK_MSG_LINE ? sysline_text(m) : NULL;
		bool hit = search_text(shown ? shown : m->text, q, qn);
		free(shown);
		if (hit)
			return i;
	}
	return -1;
}

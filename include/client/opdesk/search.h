/* search.h: finding text in a dialog's history, without curses: any case (Russian and other scripts too,
 * through towlower), on characters rather than bytes, so the ui can highlight the very cells that match. */
#ifndef OPDESK_SEARCH_H
#define OPDESK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "opdesk/desk.h"

#define SEARCH_MAX 127 /* characters of a query */

/* The query as folded wide characters (at most max-1, NUL-terminated); returns how many. */
size_t search_query(const char *query, wchar_t *out, size_t max);
/* One character as the search compares it. */
wchar_t search_fold(wchar_t c);
/* Whether UTF-8 `text` contains the folded query q (qn > 0). */
bool search_text(const char *text, const wchar_t *q, size_t qn);
/* The index of the first message of dl, from index `from` going in `dir` (-1: older, 1: newer) and
 * including `from`, whose text contains query; -1 if none. */
long search_dialog(const struct desk_dialog *dl, const char *query, long from, int dir);

#endif

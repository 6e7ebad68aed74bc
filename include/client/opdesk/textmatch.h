/* textmatch.h: whether a text holds a query, in any case (Russian and other scripts too, through towlower;
 * ё as е), on characters rather than bytes: the history search and the board's filter. */
#ifndef OPDESK_TEXTMATCH_H
#define OPDESK_TEXTMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* The query as folded wide characters (at most max-1, NUL-terminated); returns how many. */
size_t search_query(const char *query, wchar_t *out, size_t max);
/* One character as the search compares it. */
wchar_t search_fold(wchar_t c);
/* Whether UTF-8 `text` contains the folded query q (qn > 0). */
bool search_text(const char *text, const wchar_t *q, size_t qn);

#endif

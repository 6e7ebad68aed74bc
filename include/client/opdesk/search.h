/* search.h: finding text in a dialog's history, without curses: any case (Russian and other scripts too,
 * through towlower), on characters rather than bytes, so the ui can highlight the very cells that match. */
#ifndef OPDESK_SEARCH_H
#define OPDESK_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "opdesk/desk.h"
#include "opdesk/textmatch.h"

#define SEARCH_MAX 127 /* characters of a query */

/* The index of the first message of dl, from index `from` going in `dir` (-1: older, 1: newer) and
 * including `from`, whose text contains query; -1 if none. */
long search_dialog(const struct desk_dialog *dl, const char *query, long from, int dir);

#endif

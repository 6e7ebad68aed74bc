/* canned.h: canned replies without curses: fuzzy search over shortcut, title and text (case-insensitive,
 * Cyrillic included), grouping by category in a fixed order, and filling placeholders ({customer},
 * {operator}, {order}, {queue}, {date}) from a dialog. The picker (cmd_canned.c, ui_canned.c) uses it. */
#ifndef OPDESK_CANNED_H
#define OPDESK_CANNED_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "opdesk/desk.h"

/* How well `query` matches a reply: -1 no match, higher is better. An empty query matches everything (0). */
int canned_score(const char *query, const struct proto_canned *c);
/* The replies matching `query`, best first within each category, categories in canned_category_rank
 * order. Fills idx (indexes into `all`, at most max) and returns how many. */
size_t canned_filter(const struct proto_canned *all, size_t n, const char *query, size_t *idx, size_t max);
/* The position of a category in the picker (greeting first, closing last, unknown ones after). */
int canned_category_rank(const char *category);
/* The translated heading of a category ("Greetings", "Order" ...); the id itself if unknown. */
const char *canned_category_label(const char *category);
/* A copy of `text` with the placeholders filled from the dialog (dl may be NULL). {order} is the last
 * order-number-like token (digits, maybe with dashes, 4 digits at least) the customer wrote; a
 * placeholder with nothing to fill stays as it is, for the operator to edit. */
char *canned_fill(const char *text, const struct desk *d, const struct desk_dialog *dl);
/* The first placeholder left in `text` (one canned_fill knows, e.g. "{order}" when the customer gave no order
 * number), with its length in *len; NULL when there is none. Such a text is never sent as it is. */
const char *canned_unfilled(const char *text, size_t *len);
/* The length of the placeholder that wide text `s` (n characters) starts with, or 0. */
size_t canned_placeholder_at(const wchar_t *s, size_t n);

/* The operator's own replies: a JSON array of {"shortcut","category","title","text","id"?} objects. With
 * must_exist false a missing file is fine (0 replies). Errors as "PATH: reply N: ...". Free each reply with
 * proto_canned_free and the array with free. */
int canned_load_file(const char *path, bool must_exist, struct proto_canned **out, size_t *n, char *err,
                     size_t errlen);
/* $XDG_CONFIG_HOME/opdesk/canned.json or ~/.config/opdesk/canned.json; NULL without HOME. */
char *canned_default_path(void);

#endif

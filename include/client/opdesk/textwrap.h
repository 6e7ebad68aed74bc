/* textwrap.h: word-wrap sanitized cells (textsafe.h) into rows of at most W columns: break after spaces,
 * hard-break words longer than a row, keep line breaks, never split a cell (a wide character or a base
 * character with its combining marks always stays whole) nor a stand-in of several cells ("^[", "<9B>",
 * TEXTSAFE_GLUED), unless that stand-in alone is wider than the row. */
#ifndef OPDESK_TEXTWRAP_H
#define OPDESK_TEXTWRAP_H

#include <stddef.h>

#include "opdesk/textsafe.h"

/* One row: cells [start, end) of the input, trailing spaces left out; width is their display width. */
struct textwrap_row {
	size_t start, end;
	int width;
};

struct textwrap {
	struct textwrap_row *rows;
	size_t n, cap;
};

void textwrap_init(struct textwrap *w);
void textwrap_free(struct textwrap *w);

/* Wrap cells[0..n) into w (replacing its rows): the first row is at most first_width columns, the others at
 * most width (both clamped to >= 1). A single cell wider than a row gets a row of its own (the caller clips).
 * Empty input gives one empty row; a trailing line break gives a trailing empty row. Returns w->n. */
size_t textwrap_cells(struct textwrap *w, const struct textsafe_cell *cells, size_t n, int first_width,
                      int width);

#endif

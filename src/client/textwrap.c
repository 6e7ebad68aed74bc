/* textwrap.c: word wrapping of display cells (see textwrap.h). */
#include "opdesk/textwrap.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

void textwrap_init(struct textwrap *w)
{
	memset(w, 0, sizeof *w);
}

void textwrap_free(struct textwrap *w)
{
	free(w->rows);
	textwrap_init(w);
}

static bool textwrap_is_space(const struct textsafe_cell *c)
{
	return (c->flags & TEXTSAFE_SPACE) != 0;
}

/* Add row [start, end) with trailing spaces trimmed. */
static void textwrap_emit(struct textwrap *w, const struct textsafe_cell *cells, size_t start, size_t end)
{
	while (end > start && textwrap_is_space(&cells[end - 1]))
		end--;
	int width = 0;
	for (size_t i = start; i < end; i++)
		width += cells[i].width;
	w->rows = xgrow(w->rows, &w->cap, w->n + 1, sizeof *w->rows);
	w->rows[w->n++] = (struct textwrap_row){.start = start, .end = end, .width = width};
}

size_t textwrap_cells(struct textwrap *w, const struct textsafe_cell *cells, size_t n, int first_width,
                      int width)
{
	if (first_width < 1)
		first_width = 1;
	if (width < 1)
		width = 1;
	w->n = 0;
	size_t i = 0;
	int limit = first_width;
	for (;;) {
		size_t start = i,
		       brk = 0; /* brk: cell index just after the last space in this row, 0 = none */
		int used = 0;
		bool hard = false, soft = false;
		while (i < n) {
			const struct textsafe_cell *c = &cells[i];
			if (c->flags & TEXTSAFE_BREAK) {
				textwrap_emit(w, cells, start, i);
				i++;
				hard = true;
				break;
			}
			if (used + c->width > limit) {
				if (textwrap_is_space(c)) {
					/* the row is full just before a space: break there */
				} else if (brk > start) {
					i = brk; /* break after the last space */
				} else if (i == start) {
					i++; /* a cell wider than the row: alone on its row */
				} else {
					/* hard-break the word before cell i, but never inside a stand-in
					 * ("<9B>"): before its first cell, unless the stand-in alone is wider
					 * than the row */
					size_t j = i;
					while (j > start && (cells[j].flags & TEXTSAFE_GLUED))
						j--;
					if (j > start)
						i = j;
				}
				textwrap_emit(w, cells, start, i);
				soft = true;
				break;
			}
			used += c->width;
			i++;
			if (textwrap_is_space(c))
				brk = i;
		}
		limit = width;
		if (soft) {
			/* the spaces where a row was broken are not carried to the next row */
			while (i < n && textwrap_is_space(&cells[i]))
				i++;
			if (i >= n)
				break;
			continue;
		}
		if (hard)
			continue; /* even at the end: a trailing break leaves an empty last row */
		textwrap_emit(w, cells, start, n);
		break;
	}
	return w->n;
}

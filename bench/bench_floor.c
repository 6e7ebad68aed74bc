/* bench_floor.c: the ncurses floor of a screen change (see bench_floor.h): both screens drawn into stdscr of
 * a terminal that writes into a temporary file, and the bytes of the second refresh counted. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "bench_floor.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static int pairs[64][2];
static short n;

/* One pair per (fg, bg) met, made as they come. */
static short bench_floor_pair(int fg, int bg)
{
	if (fg < 0 && bg < 0)
		return 0;
	for (short i = 0; i < n; i++)
		if (pairs[i][0] == fg && pairs[i][1] == bg)
			return (short)(i + 1);
	if (n == 64 || n + 1 >= COLOR_PAIRS)
		return 0;
	pairs[n][0] = fg, pairs[n][1] = bg;
	init_pair((short)(n + 1), (short)fg, (short)bg);
	return ++n;
}

static void bench_floor_draw(const struct bench_screen *s)
{
	for (int y = 0; y < s->rows; y++)
		for (int x = 0; x < s->cols; x++) {
			const struct bench_cell *c = &s->cells[y * s->cols + x];
			if (c->width == 0)
				continue;
			wchar_t wch[7] = {L' ', 0};
			for (int k = 0; k < 6 && c->ch[k]; k++)
				wch[k] = (wchar_t)c->ch[k], wch[k + 1] = 0;
			attr_t a = ((c->attrs & BENCH_BOLD) ? A_BOLD : 0) | ((c->attrs & BENCH_UNDERLINE) ? A_UNDERLINE : 0) |
			           ((c->attrs & BENCH_ITALIC) ? A_ITALIC : 0) | ((c->attrs & BENCH_REVERSE) ? A_REVERSE : 0) |
			           ((c->attrs & BENCH_DIM) ? A_DIM : 0);
			cchar_t cc;
			setcchar(&cc, wch, a, bench_floor_pair(c->fg, c->bg), NULL);
			mvadd_wch(y, x, &cc); /* the bottom-right cell fails to move the cursor on, but is drawn */
		}
	move(s->cy, s->cx);
}

size_t bench_floor_bytes(const struct bench_screen *before, const struct bench_screen *after, int bells)
{
	char rows[16], cols[16];
	snprintf(rows, sizeof rows, "%d", before->rows);
	snprintf(cols, sizeof cols, "%d", before->cols);
	setenv("LINES", rows, 1);
	setenv("COLUMNS", cols, 1);
	FILE *out = tmpfile(), *in = fopen("/dev/null", "r");
	if (!out || !in)
		return 0;
	SCREEN *sc = newterm("xterm-256color", out, in);
	if (!sc)
		return 0;
	set_term(sc);
	n = 0;
	start_color();
	use_default_colors();
	idlok(stdscr, TRUE);
	bench_floor_draw(before);
	refresh();
	fflush(out);
	long from = ftell(out);
	bench_floor_draw(after);
	refresh();
	for (int i = 0; i < bells; i++)
		beep();
	fflush(out);
	long to = ftell(out);
	endwin();
	delscreen(sc);
	fclose(out);
	fclose(in);
	return to > from ? (size_t)(to - from) : 0;
}

/* bench_floor.h: the ncurses floor of a screen change: the bytes a minimal ncurses program writes to turn
 * one screen (cells with their characters, colours and attributes, and the cursor) into another. */
#ifndef OPDESK_BENCH_FLOOR_H
#define OPDESK_BENCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

enum { BENCH_BOLD = 1, BENCH_UNDERLINE = 2, BENCH_ITALIC = 4, BENCH_REVERSE = 8, BENCH_DIM = 16 };

struct bench_cell {
	uint32_t ch[6]; /* the base character and its combining followers, 0-terminated; 0: blank */
	int width;      /* 0: the right half of a wide character */
	int fg, bg;     /* a 256-colour index, -1 for the terminal's default */
	unsigned attrs; /* BENCH_* */
};

struct bench_screen {
	int rows, cols, cy, cx;
	struct bench_cell *cells; /* rows x cols */
};

/* The bytes ncurses (newterm on a file, TERM=xterm-256color, idlok on) writes for the refresh that turns
 * `before` into `after` (the first refresh, drawing `before`, is not counted); plus `bells` bells. */
size_t bench_floor_bytes(const struct bench_screen *before, const struct bench_screen *after, int bells);

#endif

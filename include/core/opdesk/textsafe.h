/* textsafe.h: the one sanitizer for untrusted text. Everything that came from the network (names, messages,
 * previews, topics, error messages) is turned into display cells here before it is drawn: UTF-8 is decoded
 * (invalid bytes become a marked U+FFFD), controls and escape sequences are shown as marked stand-ins
 * (^[, ^G, <9B>, ^?), bidi and zero-width format characters are removed, and every cell gets its terminal
 * width from wcwidth(), so the width used for layout is exactly the width drawn. Needs a UTF-8 LC_CTYPE.
 *
 * Emoji sequences: a ZERO WIDTH JOINER (U+200D) is a format character and is removed, except where it joins
 * two emoji (Unicode's grapheme rule GB11: an Extended_Pictographic code point, possibly followed by its
 * VS16 U+FE0F, combining marks or a skin-tone modifier, then ZWJ, then another Extended_Pictographic one),
 * as in 👩‍👩‍👧‍👦 and 🏳️‍🌈. There it is kept as a zero-width follower at the end of the emoji cell before it, and
 * the emoji after it starts a cell of its own, marked TEXTSAFE_GLUED so that no wrap or cut falls inside the
 * sequence. Widths stay per code point: 👩‍👩‍👧‍👦 is four cells of width 2, eight columns, exactly what
 * ncurses counts (wcwidth of each character of each cchar_t) and what libvterm, xterm, VTE and most
 * terminals draw (the people side by side, the joiners carried in the cells; one that understands them may
 * draw the family as one glyph over the same eight columns). A terminal that instead shrinks a joined
 * sequence to one glyph of width 2 (grapheme clustering as in DEC mode 2027, which opdesk never turns on)
 * disagrees with every per-character count, ncurses' included: the rest of that screen row lands further
 * left than ncurses thinks, until its next cursor move. VS16 never widens a cell: ❤️ and 🏳️ are width 1, as
 * wcwidth() and libvterm say. */
#ifndef OPDESK_TEXTSAFE_H
#define OPDESK_TEXTSAFE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

/* Characters per cell: one spacing character and up to four combining marks (ncurses' CCHARW_MAX is 5).
 * Further marks on the same base are dropped, which also tames "zalgo" text. */
#define TEXTSAFE_CELL_CHARS 5
#define TEXTSAFE_TAB_STOP   4

enum textsafe_cell_flag {
	TEXTSAFE_MARKED = 1 << 0, /* stand-in for something neutralised: draw it in the "marked" style */
	TEXTSAFE_BREAK = 1 << 1,  /* a line break (no characters, width 0) */
	TEXTSAFE_SPACE = 1 << 2,  /* a plain space: word wrapping may break after it */
	TEXTSAFE_GLUED = 1 << 3,  /* continues the unit begun by the cell before: a stand-in of several cells
	                           * ("^[", "<9B>") or an emoji joined by a ZWJ: no row break, cut or clip
	                           * between them */
};

/* One display cell: ch[] holds the spacing character then its combining marks, NUL-terminated unless full. */
struct textsafe_cell {
	wchar_t ch[TEXTSAFE_CELL_CHARS];
	uint8_t width; /* 1 or 2 (0 only for a break) */
	uint8_t flags; /* enum textsafe_cell_flag */
	uint8_t style; /* the caller's style tag, copied from the append call */
};

/* A growing run of cells. `width` is the sum of the cell widths (line breaks count 0). */
struct textsafe_buf {
	struct textsafe_cell *cells;
	size_t n, cap;
	int width;
	int col;       /* column within the current logical line (tab stops) */
	bool after_cr; /* last character was CR: a following LF belongs to it */
	size_t zwj_cell; /* 1 + the cell that ends in a joiner waiting for the emoji after it; 0: none */
};

enum textsafe_opt {
	TEXTSAFE_MULTILINE = 1 << 0, /* keep line breaks (messages); otherwise a break becomes one space */
};

/* How a code point is treated. */
enum textsafe_class {
	TEXTSAFE_CL_PRINT,     /* spacing character, width 1 or 2 */
	TEXTSAFE_CL_COMBINING, /* width 0, attaches to the previous cell */
	TEXTSAFE_CL_FORMAT,    /* invisible format character (bidi, zero width, BOM, tags...): removed */
	TEXTSAFE_CL_CONTROL,   /* C0/C1 control, DEL: shown as a marked stand-in */
	TEXTSAFE_CL_BREAK,     /* LF, CR, U+2028, U+2029 */
	TEXTSAFE_CL_TAB,
	TEXTSAFE_CL_INVALID, /* unassigned, noncharacter, not printable: shown as a marked U+FFFD */
};

void textsafe_init(struct textsafe_buf *b);
void textsafe_reset(struct textsafe_buf *b); /* empty it, keep the memory */
void textsafe_free(struct textsafe_buf *b);

/* Append untrusted UTF-8 bytes s[0..len) (NUL bytes included) with style tag `style`. */
void textsafe_append(struct textsafe_buf *b, const char *s, size_t len, unsigned opts, uint8_t style);
/* Same for a NUL-terminated string; NULL appends nothing. */
void textsafe_append_str(struct textsafe_buf *b, const char *s, unsigned opts, uint8_t style);
/* Same for wide characters (the composer). */
void textsafe_append_wide(struct textsafe_buf *b, const wchar_t *ws, size_t n, unsigned opts, uint8_t style);
/* Append trusted UI text (translations, our own labels): sanitized the same way, never marked differently. */
void textsafe_append_cp(struct textsafe_buf *b, uint32_t cp, unsigned opts, uint8_t style);

enum textsafe_class textsafe_classify(uint32_t cp);

/* The longest prefix of cells[0..n) that fits in max_width columns and does not end inside a stand-in; *used
 * gets its width. Stops at a break. */
size_t textsafe_fit(const struct textsafe_cell *cells, size_t n, int max_width, int *used);

/* Cut the buffer to at most max_width columns; when something was cut, the last column holds `ellipsis`
 * (e.g. L'…', width 1). Returns true if it cut. */
bool textsafe_truncate(struct textsafe_buf *b, int max_width, wchar_t ellipsis);

/* The cells as UTF-8 (breaks as '\n'): for tests and logs. Heap string. */
char *textsafe_to_utf8(const struct textsafe_cell *cells, size_t n);

/* Convenience: the display width of untrusted UTF-8 in single-line mode. */
int textsafe_width(const char *s);

/* Plain strings for programs that print rather than draw (the hub's log, `opdesk-hub report` and `audit`):
 * untrusted UTF-8 as one terminal-safe line, the same cells as textsafe_append in single-line mode written
 * back as UTF-8, so a log or a table shows a hostile name as the workstation does: controls as ^[ ^G ^?
 * <9B>, invalid UTF-8 and unassigned code points as U+FFFD, a line break as ↵, a tab as one space, bidi and
 * zero-width format characters removed (only the marked colour is missing). They work in any locale (the
 * hub never calls setlocale): the character table is C.UTF-8's, whatever LC_CTYPE says.
 *
 * textsafe_line writes at most size-1 bytes and a NUL into out (size >= 1); what does not fit is cut at a
 * whole cell (never inside a character or a stand-in) and the cut is shown by a final "…". NULL in gives "".
 * Returns out, so that it can be a printf argument. */
const char *textsafe_line(char *out, size_t size, const char *in);
/* The whole line as a heap string; *width (when not NULL) gets its display width in columns. */
char *textsafe_line_dup(const char *in, int *width);
/* printf to `out` as one terminal-safe line (textsafe_line of the formatted text, at most TEXTSAFE_PRINT_MAX
 * bytes of it), then a line feed: what log.c writes, and what a program prints of untrusted text on stderr. */
#define TEXTSAFE_PRINT_MAX 4096
void textsafe_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textsafe_vprintf(FILE *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* A buffer size that holds textsafe_line of any `bytes` bytes uncut (a byte becomes at most 3). */
#define TEXTSAFE_LINE_SIZE(bytes) (3 * (bytes) + 1)

#endif

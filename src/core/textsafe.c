/* textsafe.c: untrusted text -> display cells with exact widths (see textsafe.h). */
#include "opdesk/textsafe.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <unictype.h>

#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

/* Invisible format characters (Unicode Cf plus a few invisible fillers): removed. They include the
 * bidi embeddings, overrides and isolates that can make text display in another order than it reads. */
static const struct {
	uint32_t lo, hi;
} textsafe_format[] = {
    {0x00AD, 0x00AD},                     /* soft hyphen */
    {0x0600, 0x0605},   {0x061C, 0x061C}, /* arabic letter mark */
    {0x06DD, 0x06DD},   {0x070F, 0x070F},   {0x0890, 0x0891},
    {0x08E2, 0x08E2},   {0x115F, 0x115F}, /* hangul choseong filler */
    {0x180E, 0x180E},   {0x200B, 0x200F}, /* zero width space/joiners, LRM, RLM */
    {0x202A, 0x202E},                     /* bidi embeddings and overrides */
    {0x2060, 0x206F}, /* word joiner, invisible operators, bidi isolates, deprecated formats */
    {0x3164, 0x3164}, /* hangul filler */
    {0xFEFF, 0xFEFF}, /* BOM / zero width no-break space */
    {0xFFA0, 0xFFA0}, /* halfwidth hangul filler */
    {0xFFF9, 0xFFFB}, /* interlinear annotation */
    {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE007F}, /* tags */
};

static bool textsafe_is_format(uint32_t cp)
{
	for (size_t i = 0; i < sizeof textsafe_format / sizeof *textsafe_format; i++)
		if (cp >= textsafe_format[i].lo && cp <= textsafe_format[i].hi)
			return true;
	return false;
}

enum textsafe_class textsafe_classify(uint32_t cp)
{
	if (cp == '\t')
		return TEXTSAFE_CL_TAB;
	if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
		return TEXTSAFE_CL_BREAK;
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return TEXTSAFE_CL_CONTROL;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return TEXTSAFE_CL_INVALID;
	if (textsafe_is_format(cp))
		return TEXTSAFE_CL_FORMAT;
	if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
		return TEXTSAFE_CL_INVALID;
	int w = wcwidth((wchar_t)cp);
	if (w < 0)
		return TEXTSAFE_CL_INVALID;
	if (w == 0)
		return TEXTSAFE_CL_COMBINING;
	return TEXTSAFE_CL_PRINT;
}

void textsafe_init(struct textsafe_buf *b)
{
	memset(b, 0, sizeof *b);
}

void textsafe_reset(struct textsafe_buf *b)
{
	b->n = 0;
	b->width = 0;
	b->col = 0;
	b->after_cr = false;
	b->zwj_cell = 0;
}

void textsafe_free(struct textsafe_buf *b)
{
	free(b->cells);
	textsafe_init(b);
}

static struct textsafe_cell *textsafe_new_cell(struct textsafe_buf *b, wchar_t wc, int width, unsigned flags,
                                               uint8_t style)
{
	b->cells = xgrow(b->cells, &b->cap, b->n + 1, sizeof *b->cells);
	struct textsafe_cell *c = &b->cells[b->n++];
	memset(c->ch, 0, sizeof c->ch);
	c->ch[0] = wc;
	c->width = (uint8_t)width;
	c->flags = (uint8_t)flags;
	c->style = style;
	b->width += width;
	b->col += width;
	return c;
}

/* A stand-in of several cells: the second and later are glued to the first, so that wrapping, truncation and
 * clipping keep "<9B>" whole (a row ending in "<9" and one starting with "B>" read as two other things). */
static void textsafe_marked(struct textsafe_buf *b, const char *ascii, uint8_t style)
{
	for (unsigned flags = TEXTSAFE_MARKED; *ascii; ascii++, flags = TEXTSAFE_MARKED | TEXTSAFE_GLUED)
		textsafe_new_cell(b, (wchar_t)*ascii, 1, flags, style);
}

static void textsafe_control(struct textsafe_buf *b, uint32_t cp, uint8_t style)
{
	char tmp[16];
	if (cp == 0x7F)
		snprintf(tmp, sizeof tmp, "^?");
	else if (cp < 0x20)
		snprintf(tmp, sizeof tmp, "^%c", (char)(cp + 0x40));
	else
		snprintf(tmp, sizeof tmp, "<%02X>", (unsigned)(cp & 0xFF));
	textsafe_marked(b, tmp, style);
}

static void textsafe_combining(struct textsafe_buf *b, uint32_t cp, uint8_t style)
{
	struct textsafe_cell *prev = b->n ? &b->cells[b->n - 1] : NULL;
	if (!prev || (prev->flags & (TEXTSAFE_BREAK | TEXTSAFE_MARKED))) {
		/* nothing to sit on: give the mark a space of its own, as terminals do */
		prev = textsafe_new_cell(b, L' ', 1, 0, style);
	}
	for (int i = 1; i < TEXTSAFE_CELL_CHARS; i++) {
		if (prev->ch[i] == 0) {
			prev->ch[i] = (wchar_t)cp;
			prev->flags &= (uint8_t)~TEXTSAFE_SPACE;
			return;
		}
	}
	/* more marks than a cell holds: dropped */
}

/* ---- emoji joined by a ZWJ (see textsafe.h) ---- */

#define TEXTSAFE_ZWJ 0x200D

/* What a ZWJ may follow: an emoji, or the skin-tone modifier that ends one (a cell of its own). */
static bool textsafe_joins_after(uint32_t cp)
{
	return uc_is_property_extended_pictographic(cp) || uc_is_property_emoji_modifier(cp);
}

/* What a kept ZWJ must be followed by: an emoji that is drawn (Extended_Pictographic also holds unassigned
 * code points, which become a marked U+FFFD). */
static bool textsafe_joins_before(uint32_t cp)
{
	return uc_is_property_extended_pictographic(cp) && textsafe_classify(cp) == TEXTSAFE_CL_PRINT;
}

/* A ZWJ arrived: if the last cell is an emoji, the joiner goes to its end for now. */
static void textsafe_zwj(struct textsafe_buf *b)
{
	struct textsafe_cell *prev = b->n ? &b->cells[b->n - 1] : NULL;
	if (!prev || (prev->flags & (TEXTSAFE_BREAK | TEXTSAFE_MARKED)) ||
	    !textsafe_joins_after((uint32_t)prev->ch[0]))
		return; /* a lone joiner: removed as any format character */
	for (int i = 1; i < TEXTSAFE_CELL_CHARS; i++) {
		if (prev->ch[i] == 0) {
			prev->ch[i] = TEXTSAFE_ZWJ;
			b->zwj_cell = b->n;
			return;
		}
	}
	/* the cell is full: no joiner */
}

/* The code point after a waiting joiner (0: the end of the text): an emoji keeps it, and is glued to the
 * cell before; anything else removes it. Returns whether the emoji is glued. */
static bool textsafe_zwj_settle(struct textsafe_buf *b, uint32_t next)
{
	if (!b->zwj_cell)
		return false;
	struct textsafe_cell *c = &b->cells[b->zwj_cell - 1];
	b->zwj_cell = 0;
	if (next && textsafe_joins_before(next))
		return true;
	for (int i = TEXTSAFE_CELL_CHARS - 1; i > 0; i--) {
		if (c->ch[i] == TEXTSAFE_ZWJ) {
			c->ch[i] = 0;
			break;
		}
	}
	return false;
}

void textsafe_append_cp(struct textsafe_buf *b, uint32_t cp, unsigned opts, uint8_t style)
{
	bool was_cr = b->after_cr;
	b->after_cr = false;
	bool glued = textsafe_zwj_settle(b, cp);
	if (cp == TEXTSAFE_ZWJ) {
		textsafe_zwj(b);
		return;
	}
	switch (textsafe_classify(cp)) {
	case TEXTSAFE_CL_PRINT: {
		int w = wcwidth((wchar_t)cp);
		unsigned flags = cp == ' ' ? TEXTSAFE_SPACE : 0;
		if (glued)
			flags |= TEXTSAFE_GLUED;
		textsafe_new_cell(b, (wchar_t)cp, w, flags, style);
		break;
	}
	case TEXTSAFE_CL_COMBINING:
		textsafe_combining(b, cp, style);
		break;
	case TEXTSAFE_CL_FORMAT:
		break;
	case TEXTSAFE_CL_CONTROL:
		textsafe_control(b, cp, style);
		break;
	case TEXTSAFE_CL_TAB:
		if (opts & TEXTSAFE_MULTILINE) {
			do
				textsafe_new_cell(b, L' ', 1, TEXTSAFE_SPACE, style);
			while (b->col % TEXTSAFE_TAB_STOP);
		} else {
			textsafe_new_cell(b, L' ', 1, TEXTSAFE_SPACE, style);
		}
		break;
	case TEXTSAFE_CL_BREAK:
		if (cp == '\n' && was_cr)
			break; /* CR LF is one break */
		b->after_cr = cp == '\r';
		if (opts & TEXTSAFE_MULTILINE) {
			textsafe_new_cell(b, 0, 0, TEXTSAFE_BREAK, style);
			b->col = 0;
		} else { /* a line break where none belongs (a name, a preview): shown, not hidden as a space */
			textsafe_new_cell(b, 0x21B5, 1, TEXTSAFE_MARKED, style); /* ↵ */
		}
		break;
	case TEXTSAFE_CL_INVALID:
		textsafe_new_cell(b, 0xFFFD, 1, TEXTSAFE_MARKED, style);
		break;
	}
}

void textsafe_append(struct textsafe_buf *b, const char *s, size_t len, unsigned opts, uint8_t style)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && !(n == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0)) {
			/* malformed: one marked replacement per maximal invalid prefix */
			b->after_cr = false;
			textsafe_zwj_settle(b, 0);
			textsafe_new_cell(b, 0xFFFD, 1, TEXTSAFE_MARKED, style);
		} else {
			textsafe_append_cp(b, cp, opts, style);
		}
		i += n;
	}
	textsafe_zwj_settle(b, 0); /* a joiner at the end joins nothing */
}

void textsafe_append_str(struct textsafe_buf *b, const char *s, unsigned opts, uint8_t style)
{
	if (s)
		textsafe_append(b, s, strlen(s), opts, style);
}

void textsafe_append_wide(struct textsafe_buf *b, const wchar_t *ws, size_t n, unsigned opts, uint8_t style)
{
	for (size_t i = 0; i < n; i++)
		textsafe_append_cp(b, (uint32_t)ws[i], opts, style);
	textsafe_zwj_settle(b, 0);
}

size_t textsafe_fit(const struct textsafe_cell *cells, size_t n, int max_width, int *used)
{
	int w = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (cells[i].flags & TEXTSAFE_BREAK)
			break;
		if (w + cells[i].width > max_width)
			break;
		w += cells[i].width;
	}
	while (i < n && i > 0 && (cells[i].flags & TEXTSAFE_GLUED)) /* never half a stand-in */
		w -= cells[--i].width;
	if (used)
		*used = w;
	return i;
}

bool textsafe_truncate(struct textsafe_buf *b, int max_width, wchar_t ellipsis)
{
	if (max_width < 0)
		max_width = 0;
	textsafe_zwj_settle(b, 0);
	int used;
	size_t keep = textsafe_fit(b->cells, b->n, max_width, &used);
	if (keep == b->n)
		return false;
	if (max_width > 0) {
		int ew = wcwidth(ellipsis) > 0 ? wcwidth(ellipsis) : 1;
		keep = textsafe_fit(b->cells, keep, max_width - ew, &used);
		b->n = keep;
		b->width = used;
		uint8_t style = keep ? b->cells[keep - 1].style : 0;
		textsafe_new_cell(b, ellipsis, ew, 0, style);
	} else {
		b->n = 0;
		b->width = 0;
	}
	return true;
}

char *textsafe_to_utf8(const struct textsafe_cell *cells, size_t n)
{
	size_t cap = n * TEXTSAFE_CELL_CHARS * 4 + 1;
	char *out = xmalloc(cap), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (cells[i].flags & TEXTSAFE_BREAK) {
			*p++ = '\n';
			continue;
		}
		for (int k = 0; k < TEXTSAFE_CELL_CHARS && cells[i].ch[k]; k++)
			p += utf8_encode((uint32_t)cells[i].ch[k], p);
	}
	*p = '\0';
	return out;
}

int textsafe_width(const char *s)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_append_str(&b, s, 0, 0);
	int w = b.width;
	textsafe_free(&b);
	return w;
}

/* ---- plain strings (textsafe_line) ---- */

static locale_t textsafe_c_utf8;
static once_flag textsafe_c_utf8_once = ONCE_FLAG_INIT;

static void textsafe_c_utf8_open(void)
{
	textsafe_c_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* s as single-line cells, classified with C.UTF-8's character table whatever the program's locale is (the
 * hub's is "C", where wcwidth() knows no Cyrillic); this thread's own locale is put back after. */
static void textsafe_line_cells(struct textsafe_buf *b, const char *s)
{
	call_once(&textsafe_c_utf8_once, textsafe_c_utf8_open);
	locale_t old = textsafe_c_utf8 ? uselocale(textsafe_c_utf8) : (locale_t)0;
	textsafe_append_str(b, s, 0, 0);
	if (old)
		uselocale(old);
}

const char *textsafe_line(char *out, size_t size, const char *in)
{
	if (size == 0)
		return out;
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_line_cells(&b, in);
	static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
	/* len: bytes written; whole: the length at the last end of a whole cell (never inside a stand-in);
	 * keep: the same, but leaving room for the ellipsis */
	size_t len = 0, whole = 0, keep = 0;
	bool cut = false;
	for (size_t i = 0; i < b.n; i++) {
		char cell[TEXTSAFE_CELL_CHARS * 4];
		size_t n = 0;
		for (int k = 0; k < TEXTSAFE_CELL_CHARS && b.cells[i].ch[k]; k++)
			n += utf8_encode((uint32_t)b.cells[i].ch[k], cell + n);
		if (len + n + 1 > size) {
			cut = true;
			break;
		}
		memcpy(out + len, cell, n);
		len += n;
		if (i + 1 < b.n && (b.cells[i + 1].flags & TEXTSAFE_GLUED))
			continue;
		whole = len;
		if (len + sizeof ellipsis <= size)
			keep = len;
	}
	if (cut && size >= sizeof ellipsis) {
		memcpy(out + keep, ellipsis, sizeof ellipsis - 1);
		len = keep + sizeof ellipsis - 1;
	} else if (cut) { /* too small for the ellipsis: only cut */
		len = whole;
	}
	out[len] = '\0';
	textsafe_free(&b);
	return out;
}

char *textsafe_line_dup(const char *in, int *width)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_line_cells(&b, in);
	char *s = textsafe_to_utf8(b.cells, b.n);
	if (width)
		*width = b.width;
	textsafe_free(&b);
	return s;
}

void textsafe_vprintf(FILE *out, const char *fmt, va_list ap)
{
	char raw[TEXTSAFE_PRINT_MAX + 1], safe[TEXTSAFE_LINE_SIZE(TEXTSAFE_PRINT_MAX)];
	vsnprintf(raw, sizeof raw, fmt, ap); /* a longer line is cut: textsafe_line never splits a character */
	fputs(textsafe_line(safe, sizeof safe, raw), out);
	fputc('\n', out);
}

void textsafe_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	textsafe_vprintf(out, fmt, ap);
	va_end(ap);
}

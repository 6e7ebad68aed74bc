/* fuzz_textsafe.c: the sanitizer for untrusted text (textsafe.h), single-line and multi-line. Every cell it
 * makes must be printable (no C0/C1 control, ESC, DEL, bidi embedding/override/isolate or zero-width
 * character but a ZWJ that joins two emoji, combining marks only after a spacing character), each cell's width must be its wcwidth(), the
 * buffer's width the sum of its cells' widths, and textsafe_truncate must keep within the width it is given;
 * textsafe_line (the plain line for logs and tables) must hold no raw control and cut only at whole cells. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "opdesk/textsafe.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                                                       \
	do {                                                                                                   \
		if (!(cond)) {                                                                                 \
			fprintf(stderr, "fuzz_textsafe: " __VA_ARGS__);                                        \
			fputc('\n', stderr);                                                                   \
			abort();                                                                               \
		}                                                                                              \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "fuzz_textsafe: no C.UTF-8 locale\n");
		abort();
	}
	return 0;
}

/* Never allowed in a cell: controls, ESC, DEL, bidi and zero-width format characters, surrogates. */
static bool forbidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2060 || cp == 0xFEFF ||
	       (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF;
}

static void check_cells(const struct textsafe_buf *b, unsigned opts)
{
	int sum = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct textsafe_cell *c = &b->cells[i];
		sum += c->width;
		if (c->flags & TEXTSAFE_BREAK) {
			CHECK(opts & TEXTSAFE_MULTILINE, "cell %zu: a break in single-line text", i);
			CHECK(c->width == 0 && c->ch[0] == 0, "cell %zu: a break with width %d or characters", i, c->width);
			continue;
		}
		uint32_t base = (uint32_t)c->ch[0];
		CHECK(!forbidden(base), "cell %zu: U+%04X is not printable", i, (unsigned)base);
		CHECK(textsafe_classify(base) == TEXTSAFE_CL_PRINT, "cell %zu: U+%04X is not a spacing character", i,
		      (unsigned)base);
		CHECK(c->width >= 1 && c->width <= 2, "cell %zu: width %d", i, c->width);
		CHECK(wcwidth(c->ch[0]) == c->width, "cell %zu: U+%04X has width %d, wcwidth %d", i, (unsigned)base,
		      c->width, wcwidth(c->ch[0]));
		bool ended = false;
		for (int k = 1; k < TEXTSAFE_CELL_CHARS; k++) {
			uint32_t cp = (uint32_t)c->ch[k];
			if (cp == 0) {
				ended = true;
				continue;
			}
			CHECK(!ended, "cell %zu: a character after the terminating NUL", i);
			if (cp == 0x200D) { /* a ZWJ joining two emoji: last in its cell, the next cell glued to it */
				CHECK(k + 1 == TEXTSAFE_CELL_CHARS || c->ch[k + 1] == 0, "cell %zu: a ZWJ inside it", i);
				CHECK(i + 1 < b->n && (b->cells[i + 1].flags & TEXTSAFE_GLUED) &&
				          !(b->cells[i + 1].flags & (TEXTSAFE_MARKED | TEXTSAFE_BREAK)),
				      "cell %zu: a ZWJ that joins nothing", i);
				continue;
			}
			CHECK(!forbidden(cp) && textsafe_classify(cp) == TEXTSAFE_CL_COMBINING,
			      "cell %zu: U+%04X is not a combining mark", i, (unsigned)cp);
		}
	}
	CHECK(sum == b->width, "width %d, but the cells add up to %d", b->width, sum);
}

/* A plain line (textsafe_line, for logs and printed tables) holds no control byte, no C1 control and no bidi
 * control, and a cut one is a prefix of the whole line (up to the "…" that shows the cut). */
static void check_inert(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		CHECK(*p >= 0x20 && *p != 0x7f, "line: a raw control 0x%02X", *p);
		CHECK(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f), "line: a raw C1 control");
		CHECK(!(p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae), "line: a raw bidi control");
		CHECK(!(p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9), "line: a raw bidi isolate");
	}
}

static void check_line(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	CHECK(in, "out of memory");
	memcpy(in, data, size);
	in[size] = '\0'; /* a C string: what follows a NUL is not part of it */
	int width = -1;
	char *whole = textsafe_line_dup(in, &width);
	check_inert(whole);
	CHECK(width >= 0, "line: width %d", width);
	static const size_t sizes[] = {1, 2, 4, 5, 9, 33};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		char out[33];
		textsafe_line(out, sizes[k], in);
		CHECK(strlen(out) < sizes[k], "line: %zu bytes in a buffer of %zu", strlen(out), sizes[k]);
		check_inert(out);
		size_t n = strlen(out);
		if (n >= 3 && strcmp(out + n - 3, "\xe2\x80\xa6") == 0 && strcmp(out, whole) != 0)
			n -= 3;
		CHECK(strncmp(out, whole, n) == 0, "line: a cut line is not a prefix of the whole one");
	}
	char *big = malloc(TEXTSAFE_LINE_SIZE(size));
	CHECK(big, "out of memory");
	CHECK(strcmp(textsafe_line(big, TEXTSAFE_LINE_SIZE(size), in), whole) == 0,
	      "line: TEXTSAFE_LINE_SIZE(%zu) did not hold the whole line", size);
	free(big);
	free(whole);
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int widths[] = {0, 1, 2, 3, 7, 20, 80};
	static const unsigned modes[] = {0, TEXTSAFE_MULTILINE};
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
		struct textsafe_buf b;
		textsafe_init(&b);
		textsafe_append(&b, (const char *)data, size, modes[m], 3);
		check_cells(&b, modes[m]);
		for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) {
			struct textsafe_buf t = b;
			t.cells = malloc((b.n ? b.n : 1) * sizeof *b.cells);
			CHECK(t.cells, "out of memory");
			t.cap = b.n ? b.n : 1;
			if (b.n)
				memcpy(t.cells, b.cells, b.n * sizeof *b.cells);
			bool cut = textsafe_truncate(&t, widths[w], L'\u2026');
			check_cells(&t, modes[m]);
			CHECK(t.width <= widths[w], "cut to %d columns (cut: %d), %d wide", widths[w], cut, t.width);
			if (!cut)
				CHECK(t.n == b.n, "not cut, but %zu cells of %zu left", t.n, b.n);
			textsafe_free(&t);
		}
		textsafe_free(&b);
	}
	check_line(data, size);
	return 0;
}

/* test_client_wrap.c: word wrapping of display cells: widths, break points, wide and combined cells. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/textwrap.h"

static void setup(void)
{
	setlocale(LC_ALL, "");
	cr_assert(MB_CUR_MAX > 1, "tests need a UTF-8 locale (LC_ALL=C.UTF-8)");
}

TestSuite(wrap, .init = setup);

struct wrapped {
	struct textsafe_buf b;
	struct textwrap w;
};

static void wrap(struct wrapped *x, const char *s, int first, int width)
{
	textsafe_init(&x->b);
	textwrap_init(&x->w);
	textsafe_append(&x->b, s, strlen(s), TEXTSAFE_MULTILINE, 0);
	textwrap_cells(&x->w, x->b.cells, x->b.n, first, width);
	/* invariants: rows are in order, within their width, and their width is their cells' width */
	size_t prev_end = 0;
	for (size_t i = 0; i < x->w.n; i++) {
		const struct textwrap_row *r = &x->w.rows[i];
		int sum = 0;
		for (size_t k = r->start; k < r->end; k++)
			sum += x->b.cells[k].width;
		cr_assert_eq(sum, r->width, "row %zu", i);
		int limit = i ? width : first;
		cr_assert(r->width <= limit || r->end - r->start == 1, "row %zu too wide: %d > %d", i,
		          r->width, limit);
		cr_assert(r->start >= prev_end, "row %zu overlaps", i);
		prev_end = r->end;
	}
}

static char *row(const struct wrapped *x, size_t i)
{
	cr_assert(i < x->w.n, "no row %zu (have %zu)", i, x->w.n);
	return textsafe_to_utf8(x->b.cells + x->w.rows[i].start, x->w.rows[i].end - x->w.rows[i].start);
}

static void expect_rows(const struct wrapped *x, const char *const *rows, size_t n)
{
	cr_assert_eq(x->w.n, n, "rows: %zu, expected %zu", x->w.n, n);
	for (size_t i = 0; i < n; i++) {
		char *r = row(x, i);
		cr_assert_str_eq(r, rows[i], "row %zu", i);
		free(r);
	}
}

static void done(struct wrapped *x)
{
	textsafe_free(&x->b);
	textwrap_free(&x->w);
}

Test(wrap, breaks_at_spaces)
{
	struct wrapped x;
	wrap(&x, "the quick brown fox", 10, 10);
	const char *rows[] = {"the quick", "brown fox"};
	expect_rows(&x, rows, 2);
	done(&x);
}

Test(wrap, cyrillic)
{
	struct wrapped x;
	wrap(&x, "Здравствуйте, где мой заказ номер 123?", 14, 14);
	const char *rows[] = {"Здравствуйте,", "где мой заказ", "номер 123?"};
	expect_rows(&x, rows, 3);
	done(&x);
}

Test(wrap, long_word_is_hard_broken)
{
	struct wrapped x;
	wrap(&x, "abcdefghijkl", 5, 5);
	const char *rows[] = {"abcde", "fghij", "kl"};
	expect_rows(&x, rows, 3);
	done(&x);
}

Test(wrap, first_row_narrower)
{
	struct wrapped x;
	wrap(&x, "aaa bbb ccc ddd", 4, 8);
	const char *rows[] = {"aaa", "bbb ccc", "ddd"};
	expect_rows(&x, rows, 3);
	done(&x);
}

Test(wrap, cjk_never_split)
{
	struct wrapped x;
	wrap(&x, "中文中文中", 5, 5); /* 2+2 fit, the third would need columns 5-6 */
	const char *rows[] = {"中文", "中文", "中"};
	expect_rows(&x, rows, 3);
	for (size_t i = 0; i < x.w.n; i++)
		cr_assert(x.w.rows[i].width <= 5);
	done(&x);
}

Test(wrap, emoji_width_two)
{
	struct wrapped x;
	wrap(&x, "ok 😀 😀😀😀", 5, 5);
	const char *rows[] = {"ok 😀", "😀😀", "😀"}; /* the 3-emoji word is hard-broken */
	expect_rows(&x, rows, 3);
	cr_assert_eq(x.w.rows[0].width, 5);
	cr_assert_eq(x.w.rows[1].width, 4);
	cr_assert_eq(x.w.rows[2].width, 2);
	done(&x);
}

Test(wrap, combining_stays_with_base)
{
	/* "é" written as e + U+0301 five times: five cells of width 1 */
	struct wrapped x;
	wrap(&x, "e\u0301e\u0301e\u0301e\u0301e\u0301", 2, 2);
	cr_assert_eq(x.w.n, 3);
	for (size_t i = 0; i < x.w.n; i++) {
		const struct textwrap_row *r = &x.w.rows[i];
		for (size_t k = r->start; k < r->end; k++)
			cr_assert_eq(x.b.cells[k].ch[1], 0x301);
	}
	done(&x);
}

Test(wrap, newlines_are_kept)
{
	struct wrapped x;
	wrap(&x, "one\n\ntwo three", 20, 20);
	const char *rows[] = {"one", "", "two three"};
	expect_rows(&x, rows, 3);
	done(&x);
}

Test(wrap, trailing_newline_gives_empty_row)
{
	struct wrapped x;
	wrap(&x, "a\n", 20, 20);
	const char *rows[] = {"a", ""};
	expect_rows(&x, rows, 2);
	done(&x);
}

Test(wrap, empty_text_is_one_empty_row)
{
	struct wrapped x;
	wrap(&x, "", 20, 20);
	const char *rows[] = {""};
	expect_rows(&x, rows, 1);
	done(&x);
}

Test(wrap, spaces_at_breaks_are_dropped)
{
	struct wrapped x;
	wrap(&x, "abc     def", 4, 4);
	const char *rows[] = {"abc", "def"};
	expect_rows(&x, rows, 2);
	done(&x);
}

Test(wrap, wide_cell_in_one_column_row)
{
	struct wrapped x;
	wrap(&x, "中a", 1, 1);
	cr_assert_eq(x.w.n, 2);
	cr_assert_eq(x.w.rows[0].width, 2); /* alone on its row; the caller clips it */
	cr_assert_eq(x.w.rows[1].width, 1);
	done(&x);
}

Test(wrap, marked_escape_wraps_like_text)
{
	struct wrapped x;
	wrap(&x, "\x1b[31mred", 4, 4);
	const char *rows[] = {"^[[3", "1mre", "d"};
	expect_rows(&x, rows, 3);
	done(&x);
}

Test(wrap, a_stand_in_on_the_wrap_column_goes_whole_to_the_next_row)
{
	/* "<9B>" (a C1 CSI) would take columns 8-11 of a 9-column row: split, "<9" and "B>" read as other text */
	struct wrapped x;
	wrap(&x, "abcdefg\xc2\x9bxyz", 9, 9);
	const char *rows[] = {"abcdefg", "<9B>xyz"};
	expect_rows(&x, rows, 2);
	done(&x);
	wrap(&x, "abcd\x1bz", 5, 5); /* "^[" on columns 5-6 */
	const char *esc[] = {"abcd", "^[z"};
	expect_rows(&x, esc, 2);
	done(&x);
	wrap(&x, "Привет\xc2\x85\xc2\x85", 8, 8); /* two stand-ins: the second moves, the first stays */
	const char *two[] = {"Привет", "<85><85>"};
	expect_rows(&x, two, 2);
	done(&x);
}

Test(wrap, a_stand_in_wider_than_the_row_is_split_as_a_last_resort)
{
	struct wrapped x;
	wrap(&x, "\xc2\x9b", 3, 3);
	const char *rows[] = {"<9B", ">"};
	expect_rows(&x, rows, 2);
	done(&x);
}

Test(wrap, a_joined_emoji_sequence_is_not_split)
{
	/* 👩‍👩‍👧‍👦 is eight columns; at column 5 of a 9-column row it would be hard-broken after two people, its
	 * joiner left dangling at the end of the row */
	struct wrapped x;
	wrap(&x, "abcd\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466", 9, 9);
	const char *rows[] = {"abcd", "\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"};
	expect_rows(&x, rows, 2);
	cr_assert_eq(x.w.rows[1].width, 8);
	done(&x);
}

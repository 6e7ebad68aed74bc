/* test_textsafe.c: the sanitizer for untrusted text: controls, escapes, bidi, zero width, invalid
 * UTF-8, and that cell widths add up to what is drawn for Cyrillic, CJK, emoji and combining marks; emoji
 * joined by a ZWJ keep their joiners; the plain line (textsafe_line) for logs and tables. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "opdesk/textsafe.h"

static void setup(void)
{
	setlocale(LC_ALL, "");
	cr_assert(MB_CUR_MAX > 1, "tests need a UTF-8 locale (LC_ALL=C.UTF-8)");
}

TestSuite(textsafe, .init = setup);

static struct textsafe_buf run(const char *s, unsigned opts)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_append(&b, s, strlen(s), opts, 7);
	return b;
}

static char *show(const struct textsafe_buf *b)
{
	return textsafe_to_utf8(b->cells, b->n);
}

/* The invariant: the buffer's width is the sum of its cells and no cell is a raw control. */
static void check_cells(const struct textsafe_buf *b)
{
	int sum = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct textsafe_cell *c = &b->cells[i];
		sum += c->width;
		if (c->flags & TEXTSAFE_BREAK) {
			cr_assert_eq(c->width, 0);
			continue;
		}
		cr_assert(c->width == 1 || c->width == 2, "cell %zu has width %d", i, c->width);
		cr_assert_eq(wcwidth(c->ch[0]), c->width, "cell %zu: U+%04X", i, (unsigned)c->ch[0]);
		for (int k = 0; k < TEXTSAFE_CELL_CHARS && c->ch[k]; k++) {
			wchar_t ch = c->ch[k];
			if (ch == 0x200D) { /* a joiner: only last in its cell, before the emoji it joins */
				cr_assert(k > 0 && (k + 1 == TEXTSAFE_CELL_CHARS || !c->ch[k + 1]), "ZWJ inside cell %zu", i);
				cr_assert(i + 1 < b->n && (b->cells[i + 1].flags & TEXTSAFE_GLUED) &&
				              !(b->cells[i + 1].flags & TEXTSAFE_MARKED),
				          "ZWJ in cell %zu joins nothing", i);
				continue;
			}
			cr_assert(ch >= 0x20 && !(ch >= 0x7F && ch <= 0x9F), "raw control U+%04X in cell %zu",
			          (unsigned)ch, i);
			cr_assert(textsafe_classify((uint32_t)ch) ==
			              (k ? TEXTSAFE_CL_COMBINING : TEXTSAFE_CL_PRINT),
			          "U+%04X at %d in cell %zu", (unsigned)ch, k, i);
		}
	}
	cr_assert_eq(sum, b->width);
}

static size_t count_marked(const struct textsafe_buf *b)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += (b->cells[i].flags & TEXTSAFE_MARKED) != 0;
	return n;
}

Test(textsafe, plain_ascii_keeps_style)
{
	struct textsafe_buf b = run("Hello", 0);
	check_cells(&b);
	cr_assert_eq(b.width, 5);
	cr_assert_eq(b.cells[0].style, 7);
	char *s = show(&b);
	cr_assert_str_eq(s, "Hello");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, escape_sequence_is_shown_marked)
{
	struct textsafe_buf b = run("a\x1b[2J\x1b]0;pwned\x07z", 0);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "a^[[2J^[]0;pwned^Gz");
	free(s);
	cr_assert_eq(count_marked(&b), 6); /* ^ [ twice, ^ G */
	cr_assert(b.cells[1].flags & TEXTSAFE_MARKED);
	cr_assert(!(b.cells[3].flags & TEXTSAFE_MARKED)); /* the '[' after ^[ is plain text */
	textsafe_free(&b);
}

Test(textsafe, c0_del_and_c1_controls)
{
	struct textsafe_buf b = run("\x01\x7f"
	                            "\xc2\x9b"
	                            "31m\xc2\x85",
	                            0);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "^A^?<9B>31m<85>");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, nul_bytes_are_neutralised)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_append(&b, "a\0b", 3, 0, 0);
	char *s = show(&b);
	cr_assert_str_eq(s, "a^@b");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, bidi_overrides_and_isolates_are_removed)
{
	/* "Trojan source": RLO ... PDF, and the isolates */
	struct textsafe_buf b = run("ab\u202Ecd\u202C\u2066ef\u2069\u202A\u202B\u202D", 0);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "abcdef");
	free(s);
	cr_assert_eq(b.width, 6);
	textsafe_free(&b);
}

Test(textsafe, zero_width_and_format_characters_are_removed)
{
	struct textsafe_buf b = run("\uFEFFa\u200Bb\u200Cc\u200Dd\u200Ee\u200Ff\u2060g\u00ADh\U000E0041", 0);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "abcdefgh");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, invalid_utf8_becomes_marked_replacement)
{
	/* stray continuation, truncated sequence, overlong '/', surrogate, above U+10FFFF */
	struct textsafe_buf b = run("a\x80"
	                            "b\xe2\x82"
	                            "c\xc0\xaf"
	                            "d\xed\xa0\x80"
	                            "e\xf4\x90\x80\x80",
	                            0);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_eq(strncmp(s, "a\uFFFDb\uFFFDc", strlen("a\uFFFDb\uFFFDc")), 0, "%s", s);
	free(s);
	size_t marked = count_marked(&b);
	cr_assert(marked >= 5, "%zu", marked);
	for (size_t i = 0; i < b.n; i++)
		if (b.cells[i].ch[0] == 0xFFFD)
			cr_assert(b.cells[i].flags & TEXTSAFE_MARKED);
	textsafe_free(&b);
}

Test(textsafe, cyrillic_is_width_one)
{
	struct textsafe_buf b = run("Здравствуйте, где мой заказ?", 0);
	check_cells(&b);
	cr_assert_eq(b.width, 28);
	cr_assert_eq(b.n, 28);
	cr_assert_eq(count_marked(&b), 0);
	textsafe_free(&b);
}

Test(textsafe, cjk_and_emoji_are_width_two)
{
	struct textsafe_buf b = run("中文😀a", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 4);
	cr_assert_eq(b.cells[0].width, 2);
	cr_assert_eq(b.cells[1].width, 2);
	cr_assert_eq(b.cells[2].width, 2);
	cr_assert_eq(b.cells[3].width, 1);
	cr_assert_eq(b.width, 7);
	textsafe_free(&b);
}

Test(textsafe, combining_marks_join_the_previous_cell)
{
	/* e + COMBINING ACUTE, Cyrillic й decomposed (и + U+0306), emoji + VS16 */
	struct textsafe_buf b = run("e\u0301и\u0306❤\uFE0F", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 3);
	cr_assert_eq(b.cells[0].ch[0], L'e');
	cr_assert_eq(b.cells[0].ch[1], 0x301);
	cr_assert_eq(b.cells[1].ch[1], 0x306);
	cr_assert_eq(b.cells[2].ch[1], 0xFE0F);
	cr_assert_eq(b.width, 3);
	textsafe_free(&b);
}

Test(textsafe, combining_mark_at_start_gets_a_base)
{
	struct textsafe_buf b = run("\u0301x", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 2);
	cr_assert_eq(b.cells[0].ch[0], L' ');
	cr_assert_eq(b.cells[0].ch[1], 0x301);
	textsafe_free(&b);
}

Test(textsafe, zalgo_marks_are_capped)
{
	char s[256] = "a";
	for (int i = 0; i < 30; i++)
		strcat(s, "\u0336");
	struct textsafe_buf b = run(s, 0);
	check_cells(&b);
	cr_assert_eq(b.n, 1);
	cr_assert_eq(b.width, 1);
	cr_assert_eq(b.cells[0].ch[TEXTSAFE_CELL_CHARS - 1], 0x336);
	textsafe_free(&b);
}

Test(textsafe, unassigned_and_noncharacters_are_replaced)
{
	struct textsafe_buf b = run("\u0378\uFDD0\U0010FFFF", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 3);
	cr_assert_eq(count_marked(&b), 3);
	textsafe_free(&b);
}

Test(textsafe, newlines_single_line_and_multiline)
{
	struct textsafe_buf b = run("a\r\nb\nc\rd\u2028e", 0);
	check_cells(&b);
	char *s = show(&b);
	/* on one line a break is shown (marked), never silently a space: "Анна\nИванова" is not "Анна Иванова" */
	cr_assert_str_eq(s, "a↵b↵c↵d↵e");
	cr_assert_eq(count_marked(&b), 4);
	free(s);
	textsafe_free(&b);

	b = run("a\r\nb\nc\rd\u2028e", TEXTSAFE_MULTILINE);
	check_cells(&b);
	s = show(&b);
	cr_assert_str_eq(s, "a\nb\nc\nd\ne");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, tabs_become_spaces)
{
	struct textsafe_buf b = run("a\tb", TEXTSAFE_MULTILINE);
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "a   b");
	free(s);
	textsafe_free(&b);
	b = run("a\tb", 0);
	s = show(&b);
	cr_assert_str_eq(s, "a b");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, truncate_with_ellipsis_never_splits_wide)
{
	struct textsafe_buf b = run("中文中文", 0);
	cr_assert(textsafe_truncate(&b, 6, L'…'));
	check_cells(&b);
	cr_assert(b.width <= 6);
	char *s = show(&b);
	cr_assert_str_eq(s, "中文…");
	free(s);
	cr_assert_not(textsafe_truncate(&b, 10, L'…'));
	textsafe_free(&b);
}

Test(textsafe, fit_stops_before_a_wide_cell)
{
	struct textsafe_buf b = run("ab中", 0);
	int used;
	cr_assert_eq(textsafe_fit(b.cells, b.n, 3, &used), 2);
	cr_assert_eq(used, 2);
	cr_assert_eq(textsafe_fit(b.cells, b.n, 4, &used), 3);
	cr_assert_eq(used, 4);
	textsafe_free(&b);
}

Test(textsafe, width_helper)
{
	cr_assert_eq(textsafe_width("Анна"), 4);
	cr_assert_eq(textsafe_width("李"), 2);
	cr_assert_eq(textsafe_width("\x1b"), 2);
	cr_assert_eq(textsafe_width(NULL), 0);
}

Test(textsafe, every_byte_sequence_gives_consistent_cells)
{
	/* a crude fuzz: random bytes never produce raw controls or width mismatches */
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		char buf[64];
		size_t len = (size_t)(rand_r(&seed) % 64);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand_r(&seed) & 0xFF);
		struct textsafe_buf b;
		textsafe_init(&b);
		textsafe_append(&b, buf, len, round & 1 ? TEXTSAFE_MULTILINE : 0, 0);
		check_cells(&b);
		textsafe_free(&b);
	}
}

/* ---- textsafe_line: one terminal-safe line for logs and printed tables ---- */

Test(textsafe, line_neutralises_c1_escape_bidi_and_invalid_utf8)
{
	char out[256];
	/* CSI as C1 (C2 9B), ESC, a right-to-left override, a stray continuation byte, NEL (C2 85), DEL */
	textsafe_line(out, sizeof out, "a\xc2\x9b" "31m\x1b[2J\u202Eevil\u202C\x80z\xc2\x85\x7f");
	cr_assert_str_eq(out, "a<9B>31m^[[2Jevil\uFFFDz<85>^?");
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		cr_assert(*p >= 0x20 && *p != 0x7f, "a raw control 0x%02X in \"%s\"", *p, out);
	cr_assert_null(strstr(out, "\xc2\x9b"), "a raw C1 CSI in \"%s\"", out);
	cr_assert_null(strstr(out, "\u202E"), "a raw bidi override in \"%s\"", out);
}

Test(textsafe, line_keeps_russian_and_emoji)
{
	char out[256];
	const char *s = "Здравствуйте, где мой заказ? 😀👍 中文";
	cr_assert_str_eq(textsafe_line(out, sizeof out, s), s);
	int w = 0;
	char *d = textsafe_line_dup(s, &w);
	cr_assert_str_eq(d, s);
	cr_assert_eq(w, textsafe_width(s));
	free(d);
}

Test(textsafe, line_works_in_the_c_locale)
{
	/* the hub never calls setlocale: there wcwidth() knows no Cyrillic, yet the log must keep it */
	setlocale(LC_ALL, "C");
	char out[256];
	textsafe_line(out, sizeof out, "Лена\xc2\x9b 😀");
	int w = 0;
	char *d = textsafe_line_dup("Лена 中", &w);
	setlocale(LC_ALL, "");
	cr_assert_str_eq(out, "Лена<9B> 😀");
	cr_assert_str_eq(d, "Лена 中");
	cr_assert_eq(w, 7);
	free(d);
	cr_assert(MB_CUR_MAX > 1, "the program's own locale was put back");
}

Test(textsafe, line_shows_breaks_as_return_marks)
{
	char out[64];
	/* a name with CR LF and a tab: shown, never a second log line or a silent space */
	cr_assert_str_eq(textsafe_line(out, sizeof out, "Анна\r\nИванова\tx\ny"), "Анна↵Иванова x↵y");
}

Test(textsafe, line_is_cut_at_whole_cells_with_an_ellipsis)
{
	char out[16];
	cr_assert_str_eq(textsafe_line(out, 6, "Привет"), "П…"); /* 2 bytes a letter: "П" + "…" + NUL */
	cr_assert_str_eq(textsafe_line(out, 7, "Привет"), "П…");
	cr_assert_str_eq(textsafe_line(out, 13, "Привет"), "Привет");
	cr_assert_str_eq(textsafe_line(out, 5, "abcdef"), "a…");
	cr_assert_str_eq(textsafe_line(out, 3, "abcdef"), "ab"); /* no room for the ellipsis: cut only */
	cr_assert_str_eq(textsafe_line(out, 1, "abc"), "");
	cr_assert_str_eq(textsafe_line(out, sizeof out, NULL), "");
	cr_assert_str_eq(textsafe_line(out, sizeof out, ""), "");
}

Test(textsafe, line_size_holds_any_bytes_uncut)
{
	unsigned seed = 777;
	for (int round = 0; round < 2000; round++) {
		char in[64];
		size_t len = (size_t)(rand_r(&seed) % 63);
		for (size_t i = 0; i < len; i++)
			in[i] = (char)(rand_r(&seed) % 255 + 1); /* no NUL: a C string */
		in[len] = '\0';
		char out[TEXTSAFE_LINE_SIZE(sizeof in)];
		char *whole = textsafe_line_dup(in, NULL);
		cr_assert_str_eq(textsafe_line(out, TEXTSAFE_LINE_SIZE(len), in), whole, "round %d", round);
		for (const unsigned char *p = (const unsigned char *)out; *p; p++)
			cr_assert(*p >= 0x20 && *p != 0x7f, "round %d: raw control 0x%02X", round, *p);
		free(whole);
	}
}

Test(textsafe, a_stand_in_is_never_cut)
{
	struct textsafe_buf b = run("ab\xc2\x9b", 0); /* a b < 9 B > */
	int used;
	cr_assert_eq(textsafe_fit(b.cells, b.n, 4, &used), 2, "fit ends inside <9B>");
	cr_assert_eq(used, 2);
	cr_assert_eq(textsafe_fit(b.cells, b.n, 6, &used), 6);
	cr_assert(textsafe_truncate(&b, 5, L'…'));
	char *s = show(&b);
	cr_assert_str_eq(s, "ab…");
	free(s);
	textsafe_free(&b);

	char out[16];
	cr_assert_str_eq(textsafe_line(out, 8, "ab\xc2\x9b" "cd"), "ab…");
	cr_assert_str_eq(textsafe_line(out, 3, "\x1b" "ab"), "^[");
	cr_assert_str_eq(textsafe_line(out, 2, "\x1b"), "");
}

/* ---- emoji joined by a ZWJ ---- */

#define FAMILY "\U0001F469\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466" /* 👩‍👩‍👧‍👦 */
#define RAINBOW "\U0001F3F3\uFE0F\u200D\U0001F308"                          /* 🏳️‍🌈 */

Test(textsafe, a_family_keeps_its_joiners)
{
	struct textsafe_buf b = run(FAMILY, 0);
	check_cells(&b);
	cr_assert_eq(b.n, 4, "one cell per person");
	cr_assert_eq(b.width, 8, "each person is as wide as wcwidth() and the terminal say");
	static const wchar_t people[] = {0x1F469, 0x1F469, 0x1F467, 0x1F466};
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(b.cells[i].ch[0], people[i]);
		cr_assert_eq(b.cells[i].ch[1], i < 3 ? 0x200D : 0, "cell %zu", i);
		cr_assert_eq((b.cells[i].flags & TEXTSAFE_GLUED) != 0, i > 0, "cell %zu", i);
	}
	char *s = show(&b);
	cr_assert_str_eq(s, FAMILY);
	free(s);
	textsafe_free(&b);
}

Test(textsafe, a_rainbow_flag_keeps_its_vs16_and_joiner)
{
	struct textsafe_buf b = run("flag " RAINBOW "!", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 8);
	const struct textsafe_cell *flag = &b.cells[5], *rainbow = &b.cells[6];
	cr_assert(flag->ch[0] == 0x1F3F3 && flag->ch[1] == 0xFE0F && flag->ch[2] == 0x200D && !flag->ch[3]);
	cr_assert_eq(flag->width, 1, "VS16 does not widen: wcwidth and libvterm say 1");
	cr_assert(rainbow->ch[0] == 0x1F308 && (rainbow->flags & TEXTSAFE_GLUED));
	cr_assert_eq(b.width, 5 + 1 + 2 + 1);
	char *s = show(&b);
	cr_assert_str_eq(s, "flag " RAINBOW "!");
	free(s);
	textsafe_free(&b);
}

Test(textsafe, a_joiner_after_a_skin_tone_is_kept)
{
	/* woman, medium skin tone, ZWJ, laptop: the modifier is a cell of its own (wcwidth 2) */
	struct textsafe_buf b = run("\U0001F469\U0001F3FD\u200D\U0001F4BB", 0);
	check_cells(&b);
	cr_assert_eq(b.n, 3);
	cr_assert(b.cells[1].ch[0] == 0x1F3FD && b.cells[1].ch[1] == 0x200D);
	cr_assert(b.cells[2].flags & TEXTSAFE_GLUED);
	textsafe_free(&b);
}

Test(textsafe, a_lone_joiner_is_still_removed)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"a\u200Db", "ab"},                                  /* between letters */
	    {"\U0001F600\u200Da", "\U0001F600a"},              /* an emoji, then not one */
	    {"\U0001F600\u200D", "\U0001F600"},                /* at the end */
	    {"\u200D\U0001F600", "\U0001F600"},                /* at the start */
	    {"\U0001F600\u200D\u202E\U0001F600", "\U0001F600\U0001F600"}, /* a bidi override between: both go */
	    {"\U0001F600\u200D\x80\U0001F600", "\U0001F600\uFFFD\U0001F600"}, /* an invalid byte */
	    {"\x1b\u200D\U0001F600", "^[\U0001F600"},          /* after a stand-in */
	    {"\U0001F600\u200D\U000E0041\U0001F600", "\U0001F600\U0001F600"}, /* a tag between */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct textsafe_buf b = run(cases[i].in, 0);
		check_cells(&b);
		char *s = show(&b);
		cr_assert_str_eq(s, cases[i].out, "case %zu", i);
		free(s);
		textsafe_free(&b);
	}
	/* the wide-character path (the composer) settles a trailing joiner the same way */
	struct textsafe_buf b;
	textsafe_init(&b);
	textsafe_append_wide(&b, L"\U0001F469\u200D", 2, 0, 0);
	check_cells(&b);
	cr_assert_eq(b.cells[0].ch[1], 0);
	textsafe_free(&b);
}

Test(textsafe, a_joined_sequence_is_never_cut)
{
	struct textsafe_buf b = run("a" FAMILY, 0);
	cr_assert(textsafe_truncate(&b, 6, L'…'));
	check_cells(&b);
	char *s = show(&b);
	cr_assert_str_eq(s, "a…", "a truncation split the family");
	free(s);
	textsafe_free(&b);
	char out[64];
	cr_assert_str_eq(textsafe_line(out, sizeof out, "Семья " FAMILY " " RAINBOW), "Семья " FAMILY " " RAINBOW);
	cr_assert_str_eq(textsafe_line(out, 20, "ab" FAMILY), "ab…"); /* 2 + 25 bytes: the family goes whole */
}

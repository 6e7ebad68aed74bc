/* test_client_textedit.c: the composer's editing buffer (curses-free): insertion, cluster-aware motion and
 * deletion, readline kills, the byte limit, and the cursor column for wide characters. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/proto.h"
#include "opdesk/textedit.h"
#include "opdesk/utf8.h"

static void setup(void)
{
	setlocale(LC_ALL, "");
	cr_assert(MB_CUR_MAX > 1, "tests need a UTF-8 locale (LC_ALL=C.UTF-8)");
}

TestSuite(textedit, .init = setup);

static void type(struct textedit *e, const char *s)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		cr_assert(textedit_insert(e, (wchar_t)cp), "insert U+%04X", (unsigned)cp);
	}
}

static void expect(const struct textedit *e, const char *text)
{
	char *s = textedit_utf8(e, false);
	cr_assert_str_eq(s, text);
	cr_assert_eq(strlen(s), e->bytes);
	free(s);
}

Test(textedit, insert_and_move)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "Привет");
	expect(&e, "Привет");
	cr_assert_eq(textedit_cursor_col(&e), 6);
	cr_assert(textedit_home(&e));
	cr_assert_not(textedit_home(&e));
	type(&e, ">");
	expect(&e, ">Привет");
	cr_assert(textedit_end(&e));
	cr_assert(textedit_left(&e));
	type(&e, "!");
	expect(&e, ">Приве!т");
	textedit_free(&e);
}

Test(textedit, backspace_and_delete)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "abc");
	cr_assert(textedit_backspace(&e));
	expect(&e, "ab");
	cr_assert_not(textedit_delete(&e));
	textedit_home(&e);
	cr_assert_not(textedit_backspace(&e));
	cr_assert(textedit_delete(&e));
	expect(&e, "b");
	textedit_free(&e);
}

Test(textedit, clusters_move_and_delete_whole)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "xe\u0301y"); /* x, e+acute, y */
	cr_assert_eq(e.len, 4);
	cr_assert_eq(textedit_width(&e), 3);
	textedit_left(&e); /* before y */
	textedit_left(&e); /* before e+acute, not between e and the mark */
	cr_assert_eq(e.cursor, 1);
	cr_assert_eq(textedit_cursor_col(&e), 1);
	cr_assert(textedit_delete(&e));
	expect(&e, "xy");
	textedit_end(&e);
	type(&e, "и\u0306");
	cr_assert(textedit_backspace(&e));
	expect(&e, "xy");
	textedit_free(&e);
}

Test(textedit, wide_characters_cursor_column)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "a中😀b");
	cr_assert_eq(textedit_width(&e), 6);
	textedit_left(&e);
	cr_assert_eq(textedit_cursor_col(&e), 5);
	textedit_left(&e);
	cr_assert_eq(textedit_cursor_col(&e), 3);
	textedit_free(&e);
}

Test(textedit, refuses_controls_and_format_characters)
{
	struct textedit e;
	textedit_init(&e);
	cr_assert_not(textedit_insert(&e, 0x1b));
	cr_assert_not(textedit_insert(&e, L'\n'));
	cr_assert_not(textedit_insert(&e, 0x9b));
	cr_assert_not(textedit_insert(&e, 0x202E));
	cr_assert_not(textedit_insert(&e, 0x200B));
	cr_assert_not(textedit_insert(&e, 0x301)); /* a mark with nothing to sit on */
	cr_assert(textedit_empty(&e));
	textedit_free(&e);
}

Test(textedit, kills)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "one two  three");
	cr_assert(textedit_kill_word(&e));
	expect(&e, "one two  ");
	cr_assert(textedit_kill_word(&e));
	expect(&e, "one ");
	textedit_home(&e);
	textedit_right(&e);
	cr_assert(textedit_kill_end(&e));
	expect(&e, "o");
	cr_assert(textedit_kill_start(&e));
	expect(&e, "");
	cr_assert_not(textedit_kill_start(&e));
	textedit_free(&e);
}

Test(textedit, byte_limit)
{
	struct textedit e;
	textedit_init(&e);
	e.max_bytes = 5;
	cr_assert(textedit_insert(&e, L'ж')); /* 2 bytes */
	cr_assert(textedit_insert(&e, L'ж'));
	cr_assert_not(textedit_insert(&e, L'ж'));
	cr_assert(textedit_insert(&e, L'a'));
	cr_assert_not(textedit_insert(&e, L'a'));
	expect(&e, "жжa");
	textedit_free(&e);

	textedit_init(&e);
	for (int i = 0; i < PROTO_MAX_TEXT; i++)
		cr_assert(textedit_insert(&e, L'x'));
	cr_assert_not(textedit_insert(&e, L'x'));
	textedit_free(&e);
}

Test(textedit, trimmed_output_and_set)
{
	struct textedit e;
	textedit_init(&e);
	type(&e, "  hi there \u3000");
	char *s = textedit_utf8(&e, true);
	cr_assert_str_eq(s, "hi there");
	free(s);
	textedit_set_utf8(&e, "new\x1b text");
	expect(&e, "new text");
	cr_assert_eq(e.cursor, e.len);
	textedit_clear(&e);
	cr_assert(textedit_empty(&e));
	textedit_free(&e);
}

static char *text_of(const struct textedit *e)
{
	return textedit_utf8(e, false);
}

Test(textedit, kills_go_to_one_ring_and_yank_back_anywhere)
{
	struct textedit a, b;
	textedit_init(&a);
	textedit_init(&b);
	textedit_set_utf8(&a, "Заказ 3902-1184 уже в пути");
	cr_assert(textedit_kill_word(&a)); /* "пути" */
	cr_assert(textedit_yank(&b));      /* into another draft, as between two dialogs */
	char *s = text_of(&b);
	cr_assert_str_eq(s, "пути");
	free(s);
	textedit_home(&a);
	cr_assert(textedit_kill_end(&a));
	cr_assert(textedit_yank(&a));
	cr_assert(textedit_yank(&a));
	s = text_of(&a);
	cr_assert_str_eq(s, "Заказ 3902-1184 уже в Заказ 3902-1184 уже в ");
	free(s);
	textedit_free(&a);
	textedit_free(&b);
	textedit_forget_kill();
}

Test(textedit, word_moves_skip_punctuation_and_keep_combining_marks)
{
	struct textedit e;
	textedit_init(&e);
	textedit_set_utf8(&e, "Привет, cafe\xcc\x81 мир");
	cr_assert(textedit_word_left(&e)); /* before "мир" */
	cr_assert_eq(textedit_cursor_col(&e), 13);
	cr_assert(textedit_word_left(&e)); /* before "café" (e + combining acute) */
	cr_assert_eq(textedit_cursor_col(&e), 8);
	cr_assert(textedit_word_left(&e));
	cr_assert_eq(textedit_cursor_col(&e), 0);
	cr_assert(!textedit_word_left(&e));
	cr_assert(textedit_word_right(&e)); /* after "Привет" */
	cr_assert_eq(textedit_cursor_col(&e), 6);
	cr_assert(textedit_word_right(&e)); /* after "café": the mark stays with its letter */
	cr_assert_eq(textedit_cursor_col(&e), 12);
	textedit_free(&e);
}

Test(textedit, a_draft_may_have_several_lines)
{
	struct textedit e;
	textedit_init(&e);
	textedit_set_utf8(&e, "Первая");
	cr_assert(textedit_newline(&e));
	cr_assert(textedit_insert(&e, L'В'));
	char *s = textedit_utf8(&e, false);
	cr_assert_str_eq(s, "Первая\nВ");
	free(s);
	cr_assert(!textedit_insert(&e, L'\n'), "a raw control must not slip in through insert");
	textedit_set_utf8(&e, "a\nb");
	cr_assert_eq(e.len, 3, "set_utf8 keeps line breaks");
	textedit_free(&e);
}

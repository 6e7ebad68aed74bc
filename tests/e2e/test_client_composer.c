/* test_client_composer.c: the composer as an operator types in it: Up and Down recall the lines sent in this
 * session and give the draft back at the end, Ctrl-W and Ctrl-Y cut and paste a word (also into another
 * dialog), Alt-B moves to a word's start, all with Cyrillic text. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_composer, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The composer row of the focused pane: "> " and what is typed. */
static bool composer_shows(struct e2e_term *t, const char *text)
{
	return term_wait_text(t, e2e_strf("> %s", text), E2E_WAIT_MS);
}

E2E_TEST(client_composer, history_kill_yank_and_word_moves)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Добрый день\"}");
	term_expect(t, "Лена · web", E2E_WAIT_MS);

	term_send(t, "первая строка");
	term_send(t, TK_ENTER);
	term_expect(t, "anna: первая строка", E2E_WAIT_MS);
	term_send(t, "вторая");
	term_send(t, TK_ENTER);
	term_expect(t, "anna: вторая", E2E_WAIT_MS);
	term_send(t, "черновик");
	cr_assert(composer_shows(t, "черновик"));
	term_send(t, TK_UP);
	cr_assert(composer_shows(t, "вторая"), "%s", term_screen_text(t));
	term_send(t, TK_UP);
	cr_assert(composer_shows(t, "первая строка"), "%s", term_screen_text(t));
	term_send(t, TK_DOWN);
	cr_assert(composer_shows(t, "вторая"), "%s", term_screen_text(t));
	term_send(t, TK_DOWN);
	cr_assert(composer_shows(t, "черновик"), "the draft did not come back:\n%s", term_screen_text(t));

	term_send(t, "\x17"); /* Ctrl-W */
	cr_assert(term_wait_gone(t, "> черновик", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_send(t, "мир");
	term_key_alt(t, 'b');
	term_send(t, "новый ");
	cr_assert(composer_shows(t, "новый мир"), "%s", term_screen_text(t));
	term_send(t, "\x05 "); /* Ctrl-E, a space */
	term_send(t, "\x19"); /* Ctrl-Y: the word cut before */
	cr_assert(composer_shows(t, "новый мир черновик"), "%s", term_screen_text(t));
}

E2E_TEST(client_composer, a_message_of_several_lines_and_a_long_one_wrap_in_the_composer)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 100, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Добрый день\"}");
	term_expect(t, "Лена · web", E2E_WAIT_MS);

	term_send(t, "Первая строка");
	term_key_alt(t, '\r'); /* Alt-Enter: a new line, not a send */
	term_send(t, "Вторая 🚚");
	term_expect(t, "  Вторая 🚚", E2E_WAIT_MS); /* the composer has grown to two rows */
	int row = term_find_row(t, "> Первая строка");
	cr_assert(row >= 0 && term_find_row(t, "  Вторая 🚚") == row + 1, "the second line is not under the first:\n%s",
	          term_screen_text(t));
	term_send(t, TK_ENTER);
	term_expect(t, "anna: Первая строка", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);
	for (int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	     !e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator'") && e2e_now_ms() < end;)
		term_pump(t, 50);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE text=%Q", "Первая строка\nВторая 🚚"), 1);

	/* a long draft wraps instead of scrolling sideways: its start stays in view */
	term_send(t, "Начало длинного ответа: ");
	for (int i = 0; i < 12; i++)
		term_send(t, "слово ещё ");
	term_send(t, "КОНЕЦ");
	cr_assert(composer_shows(t, "Начало длинного ответа"), "%s", term_screen_text(t));
	term_expect(t, "КОНЕЦ", E2E_WAIT_MS);
}

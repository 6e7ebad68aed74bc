/* test_client_prompt.c: the command prompt (Alt-X) and the search (Ctrl-S) against a real hub, from the
 * keyboard alone: Tab completes a command's name and offers its arguments (the waiting chats with their
 * customers, the wrap-up topics, the themes), any waiting chat (not only the oldest) is taken by its number,
 * a dialog is closed with a topic typed by name, the theme changes at once, a wrong name is an error; the
 * search finds a message scrolled far out of view in any case (Russian too), highlights it, steps to the
 * older hit and back, and Esc puts the pane back where it was. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_prompt, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define NBSP "\xc2\xa0" /* what Tab offers keeps each entry on one row: its spaces do not break */

#define TK_F3 "\x1bOR"

E2E_TEST(client_prompt, any_chat_taken_closed_with_a_topic_and_the_theme_changed_by_name)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_send(t, TK_F3); /* away: the chats wait in the queue */
	term_expect(t, "(away)", E2E_WAIT_MS);
	e2e_customer_open(h->port, "web", "Ирина", "Где мой заказ?", NULL);
	e2e_customer_open(h->port, "web", "Вера", "Хочу вернуть платье", NULL);
	term_expect(t, "Вера", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);
	long long vera = e2e_db_int(db, 0, "SELECT id FROM dialogs WHERE customer='Вера'");

	/* the name completes, then Tab offers the waiting chats with their customers */
	term_key_alt(t, 'x');
	term_expect(t, ":", E2E_WAIT_MS);
	term_send(t, "ta");
	term_send(t, TK_TAB);
	term_expect(t, ":take", E2E_WAIT_MS);
	term_send(t, TK_TAB); /* take is also the start of takeover (supervisors): both are offered */
	term_expect(t, "takeover", E2E_WAIT_MS);
	term_send(t, " " TK_TAB);
	term_expect(t, e2e_strf("%lld" NBSP "(Вера", vera), E2E_WAIT_MS);
	term_expect(t, "(Ирина", E2E_WAIT_MS);
	/* the newer chat, not the oldest one F2 would take */
	term_send(t, e2e_strf("%lld", vera));
	term_send(t, TK_ENTER);
	term_expect(t, "Хочу вернуть платье", E2E_WAIT_MS);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE id=%lld AND operator_id IS NOT NULL "
	                                        "AND state='assigned'", vera),
	             1, "Вера's chat was not taken");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE customer='Ирина' AND state='queued'"), 1);

	/* close with a topic typed by name, completed */
	term_key_alt(t, 'x');
	term_send(t, "close ret");
	term_send(t, TK_TAB);
	term_expect(t, ":close returns", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE id=%lld AND state='closed' "
	                                        "AND topic='returns'", vera),
	             1, "not closed with the topic returns");

	/* the theme at once; a theme or a command that does not exist is an error, and nothing else happens */
	term_key_alt(t, 'x');
	term_send(t, "theme h");
	term_send(t, TK_TAB);
	term_expect(t, ":theme high-contrast", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	term_expect(t, "theme high-contrast", E2E_WAIT_MS);
	term_key_alt(t, 'x');
	term_send(t, "theme nosuch" TK_ENTER);
	term_expect(t, "no theme \"nosuch\"", E2E_WAIT_MS);
	term_key_alt(t, 'x');
	term_send(t, "teleport" TK_ENTER);
	term_expect(t, "unknown command \"teleport\"", E2E_WAIT_MS);
	/* Up gives the earlier lines back; Esc leaves without running anything */
	term_key_alt(t, 'x');
	term_send(t, TK_UP);
	term_expect(t, ":teleport", E2E_WAIT_MS);
	term_send(t, TK_UP);
	term_expect(t, ":theme nosuch", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, ":theme nosuch", E2E_WAIT_MS), "Esc did not close the prompt");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE customer='Ирина' AND state='queued'"), 1);
}

E2E_TEST(client_prompt, the_search_finds_highlights_steps_and_esc_goes_back)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *c = e2e_customer_open(h->port, "web", "Ольга", "Доставка ЗАВТРА возможна?", NULL);
	term_expect(t, "Доставка ЗАВТРА", E2E_WAIT_MS);
	ws_sendf(c, "{\"type\":\"message\",\"client_msg_id\":\"m0\",\"text\":\"а завтра утром?\"}");
	for (int i = 1; i <= 30; i++)
		ws_sendf(c, "{\"type\":\"message\",\"client_msg_id\":\"c%d\",\"text\":\"строка %d\"}", i, i);
	term_expect(t, "строка 30", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Доставка ЗАВТРА"), "the first message should be out of view:\n%s",
	          term_screen_text(t));

	/* typed in lower case, found in upper case: the newer hit first, highlighted */
	term_send(t, "\x13"); /* Ctrl-S */
	term_expect(t, "Search:", E2E_WAIT_MS);
	term_send(t, "завтра");
	term_expect(t, "а завтра утром?", E2E_WAIT_MS);
	cr_assert_eq(term_text_highlighted(t, "завтра утром"), 0, "more than the hit is highlighted");
	cr_assert_eq(term_text_highlighted(t, "завтра"), 1, "the hit is not highlighted:\n%s", term_screen_text(t));
	/* Up: the older hit */
	term_send(t, TK_UP);
	term_expect(t, "Доставка ЗАВТРА", E2E_WAIT_MS);
	cr_assert_eq(term_text_highlighted(t, "ЗАВТРА"), 1, "the older hit is not highlighted");
	term_send(t, TK_UP);
	term_expect(t, "no older hit", E2E_WAIT_MS);
	/* nothing found says so */
	term_send(t, "ъъ");
	term_expect(t, "(not found)", E2E_WAIT_MS);
	/* Esc: back where the pane was, no highlight left */
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Search:", E2E_WAIT_MS), "Esc did not close the search");
	term_expect(t, "строка 30", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Доставка ЗАВТРА"), "Esc did not go back:\n%s", term_screen_text(t));
	/* Enter stays at the hit; the composer takes typing again */
	term_send(t, "\x13");
	term_expect(t, "Search:", E2E_WAIT_MS);
	term_send(t, "доставка" TK_ENTER);
	cr_assert(term_wait_gone(t, "Search:", E2E_WAIT_MS), "Enter did not close the search");
	term_expect(t, "Доставка ЗАВТРА", E2E_WAIT_MS);
	cr_assert_eq(term_text_highlighted(t, "Доставка"), 0, "a highlight stayed after the search");
	term_send(t, "ok");
	term_expect(t, "> ok", E2E_WAIT_MS);
}

/* "transfer " Tab offers the colleagues online with their load (the hub's targets, asked for when the
 * prompt opens), and the completed name hands the dialog over. */
E2E_TEST(client_prompt, transfer_completes_a_colleague_online)
{
	char *db = e2e_strf("%s/prompt.db", e2e_dir());
	struct e2e_proc *p = e2e_hub_user_add(db, "ivan", "s3cret-ivan",
	                                      (const char *const[]){"--display", "Иван Петров", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db, users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	e2e_customer_open(h->port, "web", "Пётр", "Добрый день", NULL);
	term_expect(t, "Пётр · web", E2E_WAIT_MS); /* anna's: ivan is not signed in yet */
	struct e2e_ws *ivan = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(ivan, "ivan", "s3cret-ivan");

	term_key_alt(t, 'x');
	term_send(t, "transfer ");
	term_send(t, TK_TAB);
	term_expect(t, "ivan" NBSP "(Иван" NBSP "Петров," NBSP "0/4)", E2E_WAIT_MS);
	term_expect(t, "stylist" NBSP "(queue," NBSP "0" NBSP "waiting)", E2E_WAIT_MS);
	term_send(t, "iv");
	term_send(t, TK_TAB);
	term_expect(t, ":transfer ivan", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	json_t *a = ws_expect_type(ivan, "assigned", E2E_WAIT_MS);
	cr_assert(a, "ivan did not get the dialog; seen:\n%s", ws_skipped(ivan));
	cr_assert_str_eq(e2e_json_str(json_object_get(a, "dialog"), "customer"), "Пётр");
	term_expect(t, "released", E2E_WAIT_MS);
}

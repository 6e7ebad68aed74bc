/* test_client_focus.c: two dialogs at once. Alt-2 and Tab move the focus, and what the operator types
 * goes to the focused dialog's customer only; F8 closes the focused one; F10 asks before quitting with
 * a dialog still open. The two customers are raw WebSocket clients, so each one's frames can be checked. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

#define OP_USER   "anna"
#define OP_SECRET "s3cret-anna"

TestSuite(client_focus, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The next operator message this customer receives (system messages skipped), or NULL. */
static const char *operator_text(struct e2e_ws *ws, int timeout_ms)
{
	for (;;) {
		json_t *m = ws_expect_type(ws, "message", timeout_ms);
		if (!m)
			return NULL;
		if (strcmp(e2e_json_str(m, "sender"), "operator") == 0)
			return e2e_json_str(m, "text");
	}
}

E2E_TEST(client_focus, replies_go_to_the_focused_dialog)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	struct e2e_hub *hub = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(hub, OP_USER, OP_SECRET, 40, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);

	long long d1, d2;
	struct e2e_ws *olga = e2e_customer_open(hub->port, "web", "Ольга", "Где мой заказ 1234?", &d1);
	term_expect(t, "1 Ольга · web", E2E_WAIT_MS);
	struct e2e_ws *petr = e2e_customer_open(hub->port, "vk", "Пётр", "Можно вернуть куртку?", &d2);
	term_expect(t, "2 Пётр · vk", E2E_WAIT_MS);
	term_expect(t, "Можно вернуть куртку?", E2E_WAIT_MS);

	/* Alt-2: Пётр */
	term_key_alt(t, '2');
	term_send(t, "Да, в течение 14 дней.");
	term_send(t, TK_ENTER);
	term_expect(t, OP_USER ": Да, в течение 14 дней.", E2E_WAIT_MS);
	const char *got = operator_text(petr, E2E_WAIT_MS);
	cr_assert(got, "Пётр got no reply; frames seen:\n%s", ws_skipped(petr));
	cr_assert_str_eq(got, "Да, в течение 14 дней.");

	/* Tab: back to Ольга */
	term_send(t, TK_TAB);
	term_send(t, "Заказ 1234 приедет завтра.");
	term_send(t, TK_ENTER);
	term_expect(t, OP_USER ": Заказ 1234 приедет завтра.", E2E_WAIT_MS);
	got = operator_text(olga, E2E_WAIT_MS);
	cr_assert(got, "Ольга got no reply; frames seen:\n%s", ws_skipped(olga));
	cr_assert_str_eq(got, "Заказ 1234 приедет завтра.");
	cr_assert_null(operator_text(petr, 300), "Пётр also got Ольга's reply");

	struct e2e_db *db = e2e_db_open(hub->db);
	cr_assert_eq(e2e_db_int(db, -1,
	                        "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='operator'",
	                        d1),
	             1);
	cr_assert_eq(e2e_db_int(db, -1,
	                        "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='operator'",
	                        d2),
	             1);
	char *t1 =
	    e2e_db_text(db, "SELECT text FROM messages WHERE dialog_id=%lld AND sender='operator'", d1);
	cr_assert(t1 && strcmp(t1, "Заказ 1234 приедет завтра.") == 0, "dialog %lld holds \"%s\"", d1,
	          t1 ? t1 : "");

	/* F8 closes the focused dialog (Ольга) with topic 3, product */
	term_send(t, TK_F8);
	term_expect(t, "Close the dialog: Ольга", E2E_WAIT_MS);
	term_send(t, "3");
	cr_assert(term_wait_both(t, "Ольга · web", "closed", E2E_WAIT_MS), "Ольга's header does not say closed:\n%s",
	          term_screen_text(t));
	json_t *closed = ws_expect_type(olga, "closed", E2E_WAIT_MS);
	cr_assert(closed, "Ольга was not told; frames seen:\n%s", ws_skipped(olga));
	cr_assert(!json_object_get(closed, "topic"), "the customer was told the internal wrap-up topic");
	char *st =
	    e2e_db_text(db, "SELECT state || '/' || coalesce(topic, '-') FROM dialogs WHERE id=%lld", d1);
	cr_assert(st && strcmp(st, "closed/product") == 0, "dialog %lld: %s", d1, st ? st : "missing");
	cr_assert(!term_row_has_both(t, "Пётр · vk", "closed"), "Пётр's dialog was closed too:\n%s",
	          term_screen_text(t));

	/* F10 with Пётр still open asks first; n keeps going, y quits */
	term_send(t, TK_F10);
	term_expect(t, "Quit with 1 open dialog", E2E_WAIT_MS);
	term_send(t, "n");
	cr_assert(term_wait_gone(t, "Quit with", E2E_WAIT_MS), "n did not cancel:\n%s", term_screen_text(t));
	cr_assert(e2e_proc_alive(term_proc(t)), "the client quit on n");
	term_send(t, TK_F10);
	term_expect(t, "Quit with 1 open dialog", E2E_WAIT_MS);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the client did not quit on y:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "the client ended with %s; stderr:\n%s",
	             e2e_proc_how(term_proc(t)), term_stderr(t));
}

E2E_TEST(client_focus, waiting_chat_in_the_sidebar_and_capacity)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	const char *hub_args[] = {"--capacity", "1", NULL};
	struct e2e_hub *hub = e2e_hub_start(users, hub_args);
	struct e2e_term *t = term_client(hub, OP_USER, OP_SECRET, 40, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);

	long long d1, d2;
	e2e_customer_open(hub->port, "web", "Ольга", "Где мой заказ?", &d1);
	term_expect(t, "1 Ольга · web", E2E_WAIT_MS);
	struct e2e_ws *petr = e2e_customer_open(hub->port, "telegram", "Пётр", "Не работает оплата на сайте", &d2);

	/* anna is full (capacity 1): Пётр waits in the sidebar with his channel, queue and first words */
	term_expect(t, "queue: 1", E2E_WAIT_MS);
	int y = term_find_row(t, "Пётр");
	cr_assert(y >= 0 && strstr(term_row(t, y), "Пётр") < strstr(term_row(t, y), "│"),
	          "Пётр is not in the queue sidebar:\n%s", term_screen_text(t));
	cr_assert(term_has_text(t, "Пётр telegram") && term_has_text(t, "general: Не"),
	          "the sidebar shows no channel, queue and preview:\n%s", term_screen_text(t));

	/* F2 over capacity: a short refusal (not the hub's long English one), nothing changes */
	term_send(t, TK_F2);
	term_expect(t, "all dialogs in use (1 of 1)", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Пётр · telegram"), "F2 took a chat over capacity:\n%s",
	          term_screen_text(t));

	/* closing Ольга frees the place: the hub hands Пётр over at once */
	term_send(t, TK_F8);
	term_expect(t, "Close the dialog:", E2E_WAIT_MS);
	term_send(t, "7");
	term_expect(t, "Пётр · telegram", E2E_WAIT_MS);
	term_expect(t, "queue: 0", E2E_WAIT_MS);
	term_expect(t, "Не работает оплата на сайте", E2E_WAIT_MS);
	json_t *m = ws_expect_type(petr, "message", E2E_WAIT_MS);
	cr_assert(m && strcmp(e2e_json_str(m, "sender"), "system") == 0,
	          "Пётр was not told an operator joined:\n%s", ws_skipped(petr));
	struct e2e_db *db = e2e_db_open(hub->db);
	char *st = e2e_db_text(db, "SELECT state FROM dialogs WHERE id=%lld", d2);
	cr_assert(st && strcmp(st, "assigned") == 0, "dialog %lld is %s", d2, st ? st : "missing");
}

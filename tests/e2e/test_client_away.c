/* test_client_away.c: an operator who goes away (F3) or quits (F10) with open chats is asked first, in the real
 * workstation in a pty against the real hub: "You have 1 open chat: go away anyway?", n keeps them online (a
 * second chat is still routed to them), y goes away; without open chats F3 goes away and F10 quits at once,
 * with no question. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_away, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const users[] = { "anna", "s3cret-anna", NULL };

static void customer_opens(struct e2e_hub *h, const char *name)
{
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"Здравствуйте\"}", name);
	cr_assert(ws_expect_type(c, "opened", E2E_WAIT_MS), "%s", ws_skipped(c));
}

E2E_TEST(client_away, without_open_chats_f3_and_f10_do_not_ask)
{
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_send(t, TK_F3);
	term_expect(t, "(away)", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "go away anyway"), "asked with no open chat:\n%s", term_screen_text(t));
	term_send(t, TK_F3);
	cr_assert(term_wait_gone(t, "(away)", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "F10 did not quit at once:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

E2E_TEST(client_away, with_an_open_chat_f3_and_f10_ask_first)
{
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	customer_opens(h, "Ирина");
	term_expect(t, "Ирина · web", E2E_WAIT_MS);

	term_send(t, TK_F3);
	term_expect(t, "You have 1 open chat: go away anyway?", E2E_WAIT_MS);
	term_send(t, "n");
	cr_assert(term_wait_gone(t, "go away anyway", E2E_WAIT_MS), "n did not cancel:\n%s", term_screen_text(t));
	/* still online: the next chat is routed to anna */
	customer_opens(h, "Олег");
	term_expect(t, "Олег · web", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "(away)"), "%s", term_screen_text(t));

	term_send(t, TK_F3);
	term_expect(t, "You have 2 open chats: go away anyway?", E2E_WAIT_MS);
	term_send(t, "y");
	term_expect(t, "(away)", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "go away anyway"), "%s", term_screen_text(t));
	/* coming back is never asked */
	term_send(t, TK_F3);
	cr_assert(term_wait_gone(t, "(away)", E2E_WAIT_MS), "%s", term_screen_text(t));

	term_send(t, TK_F10);
	term_expect(t, "Quit with 2 open dialogs", E2E_WAIT_MS);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the client did not quit on y:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

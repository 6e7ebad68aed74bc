/* test_client_typing.c: what the operator and the customer see of each other's typing, drafts that stay
 * with their dialog when the focus moves, and the help overlay from "?" in an empty composer ("??" types a
 * literal "?"). */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_typing, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

E2E_TEST(client_typing, typing_both_ways_drafts_per_dialog_and_help)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Вопрос\"}");
	term_expect(t, "Лена · web", E2E_WAIT_MS);
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Маша\",\"text\":\"Ещё вопрос\"}");
	term_expect(t, "Маша · vk", E2E_WAIT_MS);

	/* the customer types: the pane says so until the message comes */
	ws_send_text(c1, "{\"type\":\"typing\",\"on\":true}");
	term_expect(t, "typing…", E2E_WAIT_MS);
	term_watch(t, "typing…");
	ws_send_text(c1, "{\"type\":\"message\",\"client_msg_id\":\"m1\",\"text\":\"Готово\"}");
	term_expect(t, "Лена: Готово", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "typing…", E2E_WAIT_MS), "%s", term_screen_text(t));

	/* the operator types in Лена's pane: Лена is told, Маша is not */
	term_key_alt(t, '1');
	term_send(t, "черновик для Лены");
	json_t *typing = ws_expect_type(c1, "typing", E2E_WAIT_MS);
	cr_assert(typing && json_is_true(json_object_get(typing, "on")), "Лена was not told; seen:\n%s", ws_skipped(c1));
	cr_assert_null(ws_expect_type(c2, "typing", 500), "Маша was told of typing in another dialog");

	/* drafts stay with their dialogs */
	term_key_alt(t, '2');
	term_send(t, "черновик для Маши");
	term_key_alt(t, '1');
	term_expect(t, "> черновик для Лены", E2E_WAIT_MS);
	term_expect(t, "> черновик для Маши", E2E_WAIT_MS); /* the other pane still shows its own */

	/* "?" in an empty composer shows the keys; "??" types a "?" */
	term_send(t, "\x15"); /* Ctrl-U empties Лена's composer */
	term_send(t, "?");
	term_expect(t, "Keys", E2E_WAIT_MS);
	term_send(t, "?");
	cr_assert(term_wait_gone(t, "Keys", E2E_WAIT_MS));
	term_expect(t, "> ?", E2E_WAIT_MS);
}

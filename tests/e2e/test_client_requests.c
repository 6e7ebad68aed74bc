/* test_client_requests.c: an offline request left while nobody was online (a customer over the raw WebSocket)
 * is shown to the operator who signs in later in the real workstation in a pty: Alt-R lists it with its
 * contact and text, t takes it (the colleague's list says whose it is), a opens the prompt for the answer,
 * Enter sends it; the request leaves the list, and the customer coming back gets the answer, also by mail (a
 * capture script). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(client_requests, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const users[] = { "anna", "s3cret-anna", "boris", "s3cret-boris", NULL };

E2E_TEST(client_requests, a_request_left_at_night_is_answered_from_the_workstation)
{
	char *script = e2e_path("sendmail.sh");
	e2e_write_file(script, e2e_strf("#!/bin/sh\ncat > '%s/mail.part' && mv '%s/mail.part' '%s/mail'\n", e2e_dir(),
					e2e_dir(), e2e_dir()));
	cr_assert_eq(chmod(script, 0755), 0);
	const char *extra[] = { "--sendmail", script, "--mail-from", "shop@example.org", NULL };
	struct e2e_hub *h = e2e_hub_start(users, extra);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"leave_request\",\"name\":\"Ирина\",\"email\":\"irina@example.org\","
		       "\"text\":\"Пришла куртка с браком\\nзаказ 5120-7731\"}");
	json_t *left = ws_expect_type(cust, "request_left", E2E_WAIT_MS);
	cr_assert(left, "%s", ws_skipped(cust));
	long long id = e2e_json_int(left, "request", 0);
	const char *token = e2e_strf("%s", e2e_json_str(left, "token"));
	ws_close(cust);

	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 100, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_expect(t, "offline requests waiting for an answer: 1", E2E_WAIT_MS);
	term_key_alt(t, 'r');
	term_expect(t, "Offline requests: 1", E2E_WAIT_MS);
	term_expect(t, "Ирина · irina@example.org", E2E_WAIT_MS);
	term_expect(t, "Пришла куртка с браком", E2E_WAIT_MS);
	term_expect(t, "заказ 5120-7731", E2E_WAIT_MS);

	/* take it: a colleague sees whose it is */
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	cr_assert(ws_expect_type(boris, "requests", E2E_WAIT_MS), "%s", ws_skipped(boris));
	term_send(t, "t");
	term_expect(t, "(yours)", E2E_WAIT_MS);
	json_t *r = ws_expect_type(boris, "requests", E2E_WAIT_MS);
	cr_assert(r, "%s", ws_skipped(boris));
	cr_assert_str_eq(e2e_json_str(json_array_get(json_object_get(r, "items"), 0), "taken_by"), "anna");

	/* answer it */
	term_send(t, "a");
	term_expect(t, e2e_strf("answer-request %lld", id), E2E_WAIT_MS);
	term_send(t, "Обменяем, курьер приедет завтра");
	term_send(t, TK_ENTER);
	term_expect(t, e2e_strf("request %lld answered", id), E2E_WAIT_MS);
	r = ws_expect_type(boris, "requests", E2E_WAIT_MS);
	cr_assert(r && e2e_json_int(r, "total", -1) == 0, "%s", ws_skipped(boris));
	term_key_alt(t, 'r');
	term_expect(t, "no offline requests are waiting", E2E_WAIT_MS);

	/* the customer comes back: the answer is there, and in the mail */
	struct e2e_ws *back = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(back, "{\"type\":\"request_status\",\"request\":%lld,\"token\":\"%s\"}", id, token);
	json_t *st = ws_expect_type(back, "request_status", E2E_WAIT_MS);
	cr_assert(st, "%s", ws_skipped(back));
	cr_assert_str_eq(e2e_json_str(st, "answer"), "Обменяем, курьер приедет завтра");
	cr_assert(e2e_file_wait_text(e2e_path("mail"), "\n\n", E2E_WAIT_MS), "no mail was sent");
	cr_assert(strstr(e2e_slurp(e2e_path("mail"), NULL), "To: irina@example.org\n"));
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "%s", term_screen_text(t));
}

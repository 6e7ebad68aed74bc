/* test_hub_signin_limit.c: failed sign-ins are limited per peer address (docs/hub.md, --max-failed-signins):
 * a crowd of 60 wrong hellos from one address costs a secret check for the first N only, the rest are
 * refused at once with `rate_limited` (no hash) and closed, the hub logs it, and an operator and a customer
 * already talking keep exchanging messages. Behaviour only: nothing here measures time. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

#define AGENT "opdesk.agent.v1"
#define CROWD 60
#define LIMIT 10 /* the default */

TestSuite(hub_signin_limit, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

E2E_TEST(hub_signin_limit, a_crowd_of_wrong_signins)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, AGENT);
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"hello\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "no assigned; frames:\n%s", ws_skipped(anna));
	long long d = e2e_json_int(json_object_get(a, "dialog"), "id", 0);

	struct e2e_ws *crowd[CROWD];
	for (int i = 0; i < CROWD; i++)
		crowd[i] = ws_connect_ok(h->port, AGENT);
	for (int i = 0; i < CROWD; i++)
		ws_sendf(crowd[i], "{\"type\":\"hello\",\"user\":\"%s\",\"secret\":\"wrong-%d\",\"role\":\"operator\"}",
		         i % 2 ? "anna" : "mallory", i);
	int failed = 0, limited = 0;
	for (int i = 0; i < CROWD; i++) {
		json_t *err = ws_expect_type(crowd[i], "error", E2E_WAIT_MS);
		cr_assert(err, "wrong sign-in %d: no error; frames:\n%s", i, ws_skipped(crowd[i]));
		const char *code = e2e_json_str(err, "code");
		if (strcmp(code, "auth_failed") == 0)
			failed++;
		else if (strcmp(code, "rate_limited") == 0)
			limited++;
		else
			cr_assert_fail("wrong sign-in %d: error %s (%s)", i, code, e2e_json_str(err, "message"));
		cr_expect(strcmp(e2e_json_str(err, "ref"), "hello") == 0, "the error's ref is \"%s\"",
		          e2e_json_str(err, "ref"));
		int close_code = 0;
		cr_expect(ws_wait_closed(crowd[i], E2E_WAIT_MS, &close_code) && close_code == 1008,
		          "wrong sign-in %d: not closed with 1008 (%d)", i, close_code);
	}
	cr_expect(failed == LIMIT && limited == CROWD - LIMIT,
	          "%d sign-ins were checked and refused, %d refused unchecked; want %d and %d", failed, limited, LIMIT,
	          CROWD - LIMIT);
	cr_assert(e2e_hub_log_wait(h, "failed sign-ins from 127.0.0.1 within 60 s", 5000), "log:\n%s",
	          e2e_proc_stderr(h->proc));
	cr_assert(e2e_hub_log_wait(h, "rate_limited: too many failed sign-ins from 127.0.0.1", 5000), "log:\n%s",
	          e2e_proc_stderr(h->proc));

	/* the pair that was talking goes on */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Здравствуйте\"}", d);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "no ack; frames:\n%s", ws_skipped(anna));
	json_t *m = NULL;
	while ((m = ws_expect_type(cust, "message", E2E_WAIT_MS)) && strcmp(e2e_json_str(m, "sender"), "operator"))
		;
	cr_assert(m && strcmp(e2e_json_str(m, "text"), "Здравствуйте") == 0, "the customer did not get it:\n%s",
	          ws_skipped(cust));
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"Спасибо\"}");
	while ((m = ws_expect_type(anna, "message", E2E_WAIT_MS)) && strcmp(e2e_json_str(m, "sender"), "customer"))
		;
	cr_assert(m && strcmp(e2e_json_str(m, "text"), "Спасибо") == 0, "anna did not get it:\n%s", ws_skipped(anna));
}

E2E_TEST(hub_signin_limit, the_limit_is_an_option)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	const char *extra[] = {"--max-failed-signins", "0", NULL};
	struct e2e_hub *h = e2e_hub_start(users, extra);
	for (int i = 0; i < LIMIT + 3; i++) { /* off: every one is checked */
		struct e2e_ws *w = ws_connect_ok(h->port, AGENT);
		ws_sendf(w, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"nope\",\"role\":\"operator\"}");
		ws_expect_error(w, "auth_failed", "a wrong sign-in with the limit off");
	}
	struct e2e_ws *ok = ws_connect_ok(h->port, AGENT);
	ws_hello(ok, "anna", "s3cret-anna");
}

/* test_hub_log_safe.c: the hub's log (its stderr) never carries a control that came from the network. A
 * signed-in operator whose client string holds a C1 CSI, BEL and a line break, and a customer whose name holds an OSC title, a C1 control and a bidi override each leave a log
 * line; every one of them shows the stand-ins (^[, ^G, <9B>, ↵) and the log holds no ESC, BEL, C1 or bidi
 * override byte and no line a customer started. log.c writes every line through textsafe, so no call site
 * can forget. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_log_safe, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

E2E_TEST(hub_log_safe, network_text_reaches_the_log_as_visible_stand_ins)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *bad = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(bad, "{\"type\":\"transfer\",\"dialog\":1,\"queue\":\"q\\u001b[2J\"}");
	ws_expect_error(bad, "not_authenticated", "a transfer before hello");
	ws_sendf(bad, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\\u001b[2J\",\"role\":\"operator\","
		      "\"client\":\"cl\\u009b1m\\u0007\\nFAKE-LINE\"}");
	ws_expect_error(bad, "auth_failed", "a wrong secret");
	cr_assert(e2e_hub_log_wait(h, "sign-in refused for \"anna\"", E2E_WAIT_MS), "%s", e2e_proc_stderr(h->proc));
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(anna, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"s3cret-anna\",\"role\":\"operator\","
		       "\"client\":\"cl\\u009b1m\\u0007\\nFAKE-LINE\"}");
	ws_expect_type(anna, "welcome", E2E_WAIT_MS);
	cr_assert(e2e_hub_log_wait(h, "client cl<9B>1m^G↵FAKE-LINE", E2E_WAIT_MS), "%s", e2e_proc_stderr(h->proc));
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ева\\u001b]0;owned\\u0007\\u009b31m\\u202e\","
		       "\"text\":\"Где заказ?\"}");
	ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(e2e_hub_log_wait(h, "opened by \"Ева^[]0;owned^G<9B>31m\"", E2E_WAIT_MS), "%s",
		  e2e_proc_stderr(h->proc));
	const char *log = e2e_proc_stderr(h->proc);
	cr_assert_null(strchr(log, '\x1b'), "an ESC in the hub's log:\n%s", log);
	cr_assert_null(strchr(log, '\x07'), "a BEL in the hub's log:\n%s", log);
	for (int c = 0x80; c <= 0x9f; c++) {
		const char c1[] = { (char)0xc2, (char)c, 0 };
		cr_assert_null(strstr(log, c1), "C1 control %#x in the hub's log", c);
	}
	cr_assert_null(strstr(log, "\xe2\x80\xae"), "a bidi override in the hub's log");
	cr_assert_null(strstr(log, "\nFAKE-LINE"), "a line the client started in the hub's log:\n%s", log);
}

/* test_hub_log_text.c: hostile text reaching the hub's log. A customer's name is written to the log
 * (stderr, which an operator reads with less, tail or journalctl on a terminal) through
 * textsafe_line: a C1 CSI (C2 9B), ESC, BEL, a bidi override and a line break arrive as the visible
 * stand-ins the workstation shows (<9B>, ^[, ^G, ↵), never as the raw bytes; Russian and emoji stay. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_log_text, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* No raw control, C1 or bidi override anywhere in the log. */
static void expect_inert(const char *log)
{
	for (const unsigned char *p = (const unsigned char *)log; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "a raw control 0x%02X in the hub's log:\n%s", *p, log);
	cr_assert(!strchr(log, 0x7f), "a raw DEL in the hub's log:\n%s", log);
	cr_assert(!strstr(log, "\xc2\x9b") && !strstr(log, "\xc2\x85"),
	          "a raw C1 control in the hub's log:\n%s", log);
	cr_assert(!strstr(log, "\u202e"), "a raw bidi override in the hub's log:\n%s", log);
}

E2E_TEST(hub_log_text, a_hostile_customer_name_reaches_the_log_inert)
{
	struct e2e_hub *h = e2e_hub_start((const char *const[]){"anna", "s3cret-anna", NULL}, NULL);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	/* a CSI that would turn the operator's terminal red, an OSC that retitles it, an override, a fake
	 * second log line after CR LF, and a NEL */
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ева😀\\u009b31m\\u001b]0;x\\u0007"
	               "\\u202eRLO\\r\\n2030-01-01 opdesk-hub info x\\u0085\",\"text\":\"Вопрос\"}");
	json_t *o = ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(o, "the customer's chat did not open");
	const char *shown = "opened by \"Ева😀<9B>31m^[]0;x^GRLO↵2030-01-01 opdesk-hub info x<85>\"";
	cr_assert(e2e_hub_log_wait(h, shown, E2E_WAIT_MS), "the hub did not log %s:\n%s", shown,
	          e2e_proc_stderr(h->proc));
	expect_inert(e2e_proc_stderr(h->proc));
	cr_assert(!strstr(e2e_proc_stderr(h->proc), "\n2030-01-01"), "the name forged a log line:\n%s",
	          e2e_proc_stderr(h->proc));
}

/* test_hub_audit.c: the audit log. Account commands, a refused and a good sign-in, a take, a transfer to a
 * queue whose name carries an escape sequence, a C1 control, a bidi override and a line break, a close and a
 * claim each leave one row; `opdesk-hub audit` prints them in order as a table (the name made safe by
 * textsafe_line: ^[, <9B>, ↵) or CSV, and --actor keeps one actor's. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "harness.h"

TestSuite(hub_audit, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static char *audit(const char *db, const char *const extra[])
{
	time_t now = time(NULL);
	struct tm tm;
	char today[16];
	strftime(today, sizeof today, "%Y-%m-%d", localtime_r(&now, &tm));
	char *argv[16] = {e2e_bin("opdesk-hub"), "audit", "--since", e2e_strf("%s", today), "--db", (char *)e2e_db_target(db)};
	size_t n = 6;
	for (size_t i = 0; extra && extra[i]; i++)
		argv[n++] = (char *)extra[i];
	struct e2e_proc *p = e2e_run("audit", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	return e2e_proc_stdout(p);
}

E2E_TEST(hub_audit, actions_are_recorded_and_printed)
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start(users, (const char *const[]){"--queue", "general=manual", NULL});
	struct e2e_ws *bad = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(bad, "{\"type\":\"hello\",\"user\":\"boris\",\"secret\":\"wrong\",\"role\":\"operator\"}");
	ws_expect_error(bad, "auth_failed", "a wrong secret");
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Вопрос\"}");
	json_t *o = ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(o);
	long long d = e2e_json_int(o, "dialog", 0);
	ws_sendf(anna, "{\"type\":\"take\",\"dialog\":%lld}", d);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\"}", d);
	cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS));
	/* a queue name with ESC, a C1 CSI, a right-to-left override and a line break */
	ws_sendf(anna, "{\"type\":\"transfer\",\"dialog\":%lld,\"queue\":\"vip\\u001b[31m\\u009b1m\\u202e\\r\\nx\"}", d);
	cr_assert(ws_expect_type(anna, "released", E2E_WAIT_MS), "%s", ws_skipped(anna));
	ws_sendf(anna, "{\"type\":\"take\",\"dialog\":%lld}", d);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d);
	cr_assert(ws_expect_type(anna, "closed", E2E_WAIT_MS));
	e2e_proc_stop(h->proc);

	char *table = audit(h->db, NULL);
	const char *order[] = {"user-add", "user-add", "sign-in-refused", "sign-in ", "take", "claim",
			       "transfer-to-queue", "take", "close", NULL};
	const char *at = table;
	for (size_t i = 0; order[i]; i++) {
		const char *next = strstr(at, order[i]);
		cr_assert(next, "no \"%s\" after the earlier rows in:\n%s", order[i], table);
		at = next + 1;
	}
	/* shown as the workstation shows it: stand-ins, the override removed, the break as a return mark */
	cr_assert(strstr(table, e2e_strf("transfer-to-queue        %-7lld vip^[[31m<9B>1m↵x\n", d)), "%s", table);
	cr_assert(!strchr(table, '\x1b') && !strstr(table, "\xc2\x9b") && !strstr(table, "\u202e"),
		  "an escape reached the terminal:\n%s", table);
	cr_assert(strstr(table, "boris                sign-in-refused"), "%s", table);

	char *csv = audit(h->db, (const char *const[]){"--csv", "--actor", "anna", NULL});
	cr_assert(strncmp(csv, "time,actor,action,dialog,detail\n", 32) == 0, "%s", csv);
	cr_assert(strstr(csv, e2e_strf(",anna,close,%lld,order\n", d)), "%s", csv);
	cr_assert(strstr(csv, ",anna,sign-in,,operator\n"), "%s", csv);
	cr_assert(!strstr(csv, "boris"), "--actor anna printed another's rows:\n%s", csv);
}

/* test_hub_disk_full.c: the hub's writes start failing while it runs (its file size limit is set to 0 with
 * prlimit: every write to the database fails as on a full disk, and nothing is written half). A customer's
 * message and an operator's answer each get an `error` with code `storage`, never an `ack`; /health says 503;
 * the hub keeps running and serving. When writing works again, the same messages sent again with the same
 * ids are stored once each, /health says 200, and the database is intact. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "harness.h"

TestSuite(hub_disk_full, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static void set_fsize(pid_t pid, rlim_t limit)
{
	struct rlimit r = {.rlim_cur = limit, .rlim_max = RLIM_INFINITY};
	cr_assert_eq(prlimit(pid, RLIMIT_FSIZE, &r, NULL), 0, "prlimit: %s", strerror(errno));
}

Test(hub_disk_full, writes_fail_with_an_error_never_an_ack_and_the_hub_goes_on)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Олег\",\"text\":\"здравствуйте\"}");
	long long dialog = e2e_json_int(ws_expect_type(cust, "opened", E2E_WAIT_MS), "dialog", 0);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	cr_assert(strstr(e2e_http_get(h->port, "/health"), " 200 "));

	set_fsize(h->proc->pid, 0); /* from now on no byte reaches the disk */
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"где заказ?\"}");
	json_t *e = ws_expect_type(cust, "error", E2E_WAIT_MS);
	cr_assert(e, "no error for the customer's message: %s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(e, "code"), "storage");
	cr_assert_str_eq(e2e_json_str(e, "ref"), "c-1");
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"уже едет\"}", dialog);
	e = ws_expect_type(anna, "error", E2E_WAIT_MS);
	cr_assert(e, "no error for the operator's message: %s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(e, "code"), "storage");
	cr_assert(strstr(e2e_json_str(e, "message"), "not stored"), "%s", e2e_json_str(e, "message"));
	cr_assert(!strstr(ws_skipped(anna), "\"ack\"") && !strstr(ws_skipped(cust), "\"ack\""),
	          "an ack for a message that was not stored:\n%s\n%s", ws_skipped(anna), ws_skipped(cust));
	char *health = e2e_http_get(h->port, "/health");
	cr_assert(strstr(health, " 503 "), "/health while writes fail:\n%s", health);
	cr_assert(e2e_proc_alive(h->proc));
	/* still serving what needs no write */
	struct e2e_ws *again = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(again, "{\"type\":\"take\"}");
	cr_assert(ws_expect_type(again, "error", E2E_WAIT_MS), "%s", ws_skipped(again));

	set_fsize(h->proc->pid, RLIM_INFINITY); /* space is back */
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"где заказ?\"}");
	cr_assert(ws_expect_type(cust, "ack", E2E_WAIT_MS), "%s", ws_skipped(cust));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"уже едет\"}", dialog);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "%s", ws_skipped(anna));
	cr_assert(strstr(e2e_http_get(h->port, "/health"), " 200 "));
	sqlite3 *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE client_msg_id IN ('c-1','a-1')"), 2);
	char *ok = e2e_db_text(db, "PRAGMA integrity_check");
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
}

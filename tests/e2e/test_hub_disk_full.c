/* test_hub_disk_full.c: the hub's writes start failing while it runs (its file size limit is set to 0 with
 * prlimit: every write to the database fails as on a full disk, and nothing is written half). A customer's
 * message and an operator's answer each get an `error` with code `storage`, never an `ack`; /health says 503;
 * the hub keeps running and serving. When writing works again, the same messages sent again with the same
 * ids are stored once each, /health says 200, and the database is intact.
 * The hub commits the messages of one loop pass together (group commit): a burst that reaches it in one piece
 * is one commit, its acks go out only after it, and when that commit fails every message of the burst, from
 * every sender, gets its error. */
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

E2E_TEST(hub_disk_full, writes_fail_with_an_error_never_an_ack_and_the_hub_goes_on)
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
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE client_msg_id IN ('c-1','a-1')"), 2);
	char *ok = e2e_db_text(db, "PRAGMA integrity_check");
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
}

/* n messages with ids PREFIX-0.. from one connection, reaching the hub in one piece */
static void burst(struct e2e_ws *ws, const char *prefix, int n)
{
	ws_cork(ws, true);
	for (int i = 0; i < n; i++)
		ws_sendf(ws, "{\"type\":\"message\",\"client_msg_id\":\"%s-%d\",\"text\":\"сообщение %d\"}", prefix, i,
		         i);
	ws_cork(ws, false);
}

E2E_TEST(hub_disk_full, a_burst_is_one_commit_and_fails_as_a_whole)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust[2];
	for (int k = 0; k < 2; k++) {
		cust[k] = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(cust[k], "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Клиент %d\",\"text\":\"здравствуйте\"}", k);
		cr_assert(ws_expect_type(cust[k], "opened", E2E_WAIT_MS), "%s", ws_skipped(cust[k]));
		cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	}
	long long commits0 = e2e_metric(h->port, "opdesk_group_commits_total");

	/* 40 messages in one piece: all acked, and by far fewer commits than messages */
	burst(cust[0], "ok", 40);
	for (int i = 0; i < 40; i++) {
		json_t *ack = ws_expect_type(cust[0], "ack", E2E_WAIT_MS);
		cr_assert(ack, "ack %d of 40 missing: %s", i, ws_skipped(cust[0]));
		char want[16];
		snprintf(want, sizeof want, "ok-%d", i);
		cr_assert_str_eq(e2e_json_str(ack, "client_msg_id"), want);
	}
	for (int i = 0; i < 40; i++)
		cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS), "message %d: %s", i, ws_skipped(anna));
	long long commits = e2e_metric(h->port, "opdesk_group_commits_total") - commits0;
	cr_assert(commits >= 1 && commits <= 4, "40 messages in one piece took %lld commits", commits);
	cr_assert_eq(e2e_metric(h->port, "opdesk_group_commit_messages_total"), 40);

	/* writes fail: a burst from each customer, every message answered with an error, none acked or passed on */
	set_fsize(h->proc->pid, 0);
	burst(cust[0], "x", 10);
	burst(cust[1], "y", 10);
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 10; i++) {
			json_t *e = ws_expect_type(cust[k], "error", E2E_WAIT_MS);
			cr_assert(e, "error %d of customer %d missing: %s", i, k, ws_skipped(cust[k]));
			cr_assert_str_eq(e2e_json_str(e, "code"), "storage");
		}
		cr_assert(!strstr(ws_skipped(cust[k]), "\"ack\""), "an ack while writes fail:\n%s", ws_skipped(cust[k]));
	}
	set_fsize(h->proc->pid, RLIM_INFINITY);
	/* the operator saw none of them: the next thing she gets is the retried first one */
	burst(cust[1], "y", 1);
	cr_assert(ws_expect_type(cust[1], "ack", E2E_WAIT_MS), "%s", ws_skipped(cust[1]));
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(m, "client_msg_id"), "y-0");
	cr_assert(!strstr(ws_skipped(anna), "\"x-") && !strstr(ws_skipped(anna), "\"y-"),
	          "the operator got messages that were not stored:\n%s", ws_skipped(anna));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE client_msg_id LIKE 'x-%%' OR "
	                               "client_msg_id LIKE 'y-%%'"), 1);
	char *ok = e2e_db_text(db, "PRAGMA integrity_check");
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
}

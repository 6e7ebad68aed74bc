/* test_hub_durability.c: the hub is killed with SIGKILL in the middle of a burst of messages both ways and
 * started again on the same database. Every message that was acknowledged (to a customer or to the operator)
 * is stored exactly once with the id the ack gave, nothing is stored twice, the database checks sound (e2e_db_check), the
 * open dialogs and the waiting chat are back, and the operator picks up where she was: her resumed welcome
 * holds her dialogs, and resending every message she had sent (acknowledged or not) with the same ids stores
 * each once and answers the acknowledged ones with their first id. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(hub_durability, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define N_CUST 4
#define MAX_SENT 2000

struct sent {
	char cmid[32];
	char text[32];
	long long dialog;
	long long acked_id; /* 0: no ack seen */
};

/* Take every ack waiting on ws (customer k, or the operator with k < 0) into the sent table. */
static void take_acks(struct e2e_ws *ws, struct sent *s, int n, int wait_ms)
{
	struct e2e_ws_frame f;
	while (ws_recv(ws, &f, wait_ms) > 0) {
		json_t *o = json_loads(f.data, 0, NULL);
		free(f.data);
		if (o && strcmp(e2e_json_str(o, "type"), "ack") == 0)
			for (int i = 0; i < n; i++)
				if (strcmp(s[i].cmid, e2e_json_str(o, "client_msg_id")) == 0)
					s[i].acked_id = e2e_json_int(o, "id", 0);
		json_decref(o);
	}
}

E2E_TEST(hub_durability, kill_9_during_a_burst_loses_nothing_acknowledged_and_doubles_nothing)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust[N_CUST];
	long long dialog[N_CUST];
	for (int i = 0; i < N_CUST; i++) {
		cust[i] = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(cust[i], "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"К%d\",\"text\":\"начало\"}", i);
		json_t *o = ws_expect_type(cust[i], "opened", E2E_WAIT_MS);
		cr_assert(o, "%s", ws_skipped(cust[i]));
		dialog[i] = e2e_json_int(o, "dialog", 0);
		cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	}
	/* a fifth customer waits in the queue: anna is full */
	struct e2e_ws *waiting = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(waiting, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ждущая\",\"text\":\"я в очереди\"}");
	cr_assert(ws_expect_type(waiting, "opened", E2E_WAIT_MS));

	static struct sent cs[N_CUST][MAX_SENT], os[MAX_SENT];
	int nc[N_CUST] = {0}, no = 0;
	int64_t kill_at = e2e_now_ms() + 1500;
	bool killed = false;
	for (int round = 0; round < 400 && !killed; round++) {
		for (int i = 0; i < N_CUST; i++) {
			struct sent *s = &cs[i][nc[i]++];
			snprintf(s->cmid, sizeof s->cmid, "c%d-%d", i, round);
			s->dialog = dialog[i];
			ws_sendf(cust[i], "{\"type\":\"message\",\"client_msg_id\":\"%s\",\"text\":\"сообщение %d\"}", s->cmid,
			         round);
			struct sent *a = &os[no++];
			snprintf(a->cmid, sizeof a->cmid, "a-%d-%d", i, round);
			a->dialog = dialog[i];
			snprintf(a->text, sizeof a->text, "ответ %d", round);
			ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s\",\"text\":\"%s\"}",
			         dialog[i], a->cmid, a->text);
		}
		if (e2e_now_ms() >= kill_at) {
			cr_assert_eq(kill(h->proc->pid, SIGKILL), 0);
			h->proc->daemon = false; /* killed on purpose: not a crash */
			killed = true;
		}
		for (int i = 0; i < N_CUST; i++)
			take_acks(cust[i], cs[i], nc[i], 0);
		take_acks(anna, os, no, 0);
		usleep(30000); /* about 33 frames a second each: under the hub's rate limit */
	}
	cr_assert(killed);
	cr_assert(e2e_proc_wait(h->proc, E2E_WAIT_MS));
	/* what the hub had sent before it died is still in the sockets */
	for (int i = 0; i < N_CUST; i++)
		take_acks(cust[i], cs[i], nc[i], 100);
	take_acks(anna, os, no, 100);

	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, NULL);
	struct e2e_db *db = e2e_db_open(h->db);
	char *ok = e2e_db_check(db);
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
	int acked = 0, unacked = 0;
	for (int i = 0; i < N_CUST; i++)
		for (int k = 0; k < nc[i]; k++) {
			struct sent *s = &cs[i][k];
			long long rows = e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE dialog_id=%lld AND client_msg_id=%Q",
			                            s->dialog, s->cmid);
			cr_assert_leq(rows, 1, "%s stored %lld times", s->cmid, rows);
			if (s->acked_id) {
				acked++;
				cr_assert_eq(e2e_db_int(db, 0, "SELECT id FROM messages WHERE dialog_id=%lld AND client_msg_id=%Q",
				                        s->dialog, s->cmid),
				             s->acked_id, "acknowledged %s lost or stored under another id", s->cmid);
			} else {
				unacked++;
			}
		}
	for (int k = 0; k < no; k++) {
		long long rows = e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE client_msg_id=%Q", os[k].cmid);
		cr_assert_leq(rows, 1, "%s stored %lld times", os[k].cmid, rows);
		if (os[k].acked_id)
			cr_assert_eq(e2e_db_int(db, 0, "SELECT id FROM messages WHERE client_msg_id=%Q", os[k].cmid),
			             os[k].acked_id, "acknowledged %s lost", os[k].cmid);
	}
	cr_log_info("customer messages: %d acknowledged before the kill, %d not", acked, unacked);
	cr_assert_gt(acked, 50, "too few messages got through before the kill to test anything");
	cr_assert_gt(unacked, 0, "the kill did not come during the burst");
	/* the dialogs are still open and anna's; the waiting chat still waits */
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM dialogs WHERE state='assigned'"), N_CUST);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM dialogs WHERE state='queued'"), 1);

	/* anna comes back, resumes, and resends all she had sent */
	struct e2e_ws *back = ws_connect_ok(h2->port, "opdesk.agent.v1");
	json_t *w = ws_hello(back, "anna", "s3cret-anna");
	cr_assert_eq(json_array_size(json_object_get(w, "dialogs")), N_CUST, "the dialogs did not come back");
	cr_assert_geq(json_array_size(json_object_get(w, "items")), 1, "the waiting chat is not in the queue");
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < no; k++) {
			/* the second pass with another text: the first text stays */
			ws_sendf(back, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s\",\"text\":\"%s\"}",
			         os[k].dialog, os[k].cmid, pass ? "повтор" : os[k].text);
			json_t *a = ws_expect_type(back, "ack", E2E_WAIT_MS);
			cr_assert(a, "no ack for the resent %s: %s", os[k].cmid, ws_skipped(back));
			cr_assert_str_eq(e2e_json_str(a, "client_msg_id"), os[k].cmid);
			if (os[k].acked_id)
				cr_assert_eq(e2e_json_int(a, "id", 0), os[k].acked_id, "%s got a new id", os[k].cmid);
			os[k].acked_id = e2e_json_int(a, "id", 0);
			if (k % 40 == 39)
				usleep(1000000); /* the rate limit: 50 a second, bursts of 100 */
		}
	}
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator'"), no,
	             "the operator's messages are not each stored once");
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE text='повтор'"), 0,
	             "a resend replaced the first text");
}

/* test_hub_load.c: a bounded load on loopback. 20 operators sign in, 80 customers open chats (4 each, their
 * capacity), every customer writes 25 messages in one piece and every operator answers each of her dialogs
 * with 10: 2,800 messages in bursts. Every message is acknowledged exactly once, with the dialog's numbers
 * 1, 2, 3... in order and without gaps; each reaches the one right operator or customer once and in order;
 * nothing is refused; the database holds exactly them and passes its integrity check; and the hub committed
 * them in far fewer group commits than messages. (No timing is asserted: speed is measured in bench/.) */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_load, .init = e2e_setup, .fini = e2e_teardown, .timeout = 240);

#define N_OPS 20
#define PER_OP 4
#define N_CUST (N_OPS * PER_OP)
#define CUST_MSGS 25
#define OP_MSGS 10

/* The next frame of ws as JSON (freed at teardown); fails the test on a timeout or an error frame. */
static json_t *next_frame(struct e2e_ws *ws, const char *waiting_for)
{
	struct e2e_ws_frame f;
	int r = ws_recv(ws, &f, E2E_WAIT_MS);
	cr_assert(r > 0, "no frame while waiting for %s", waiting_for);
	json_t *j = e2e_own_json(json_loads(f.data, 0, NULL));
	cr_assert(j, "not JSON: %s", f.data);
	ws_frame_free(&f);
	cr_assert_str_neq(e2e_json_str(j, "type"), "error", "an error while waiting for %s: %s", waiting_for,
	                  e2e_json_str(j, "message"));
	return j;
}

E2E_TEST(hub_load, thousands_of_messages_in_bursts_each_once_and_in_order)
{
	const char *users[2 * N_OPS + 1];
	for (int i = 0; i < N_OPS; i++) {
		users[2 * i] = e2e_strf("op%02d", i);
		users[2 * i + 1] = "s3cret-load";
	}
	users[2 * N_OPS] = NULL;
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *op[N_OPS];
	for (int i = 0; i < N_OPS; i++) {
		op[i] = ws_connect_ok(h->port, "opdesk.agent.v1");
		ws_hello(op[i], users[2 * i], "s3cret-load");
	}
	/* 80 chats: the hub spreads them over the operators, 4 each */
	struct e2e_ws *cust[N_CUST];
	long long dialog[N_CUST];
	for (int c = 0; c < N_CUST; c++) {
		cust[c] = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(cust[c], "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Клиент %d\",\"text\":\"начало\"}", c);
		json_t *o = ws_expect_type(cust[c], "opened", E2E_WAIT_MS);
		cr_assert(o, "customer %d: %s", c, ws_skipped(cust[c]));
		dialog[c] = e2e_json_int(o, "dialog", 0);
	}
	int owner[N_CUST]; /* which operator holds each customer's dialog */
	long long held[N_OPS][PER_OP];
	for (int i = 0; i < N_OPS; i++) {
		for (int k = 0; k < PER_OP; k++) {
			json_t *a = ws_expect_type(op[i], "assigned", E2E_WAIT_MS);
			cr_assert(a, "operator %d got %d chats: %s", i, k, ws_skipped(op[i]));
			held[i][k] = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
			for (int c = 0; c < N_CUST; c++)
				if (dialog[c] == held[i][k])
					owner[c] = i;
		}
	}
	long long commits0 = e2e_metric(h->port, "opdesk_group_commits_total");

	/* every customer: 25 messages in one piece; acked once each, numbered on from the open's 1 and the
	 * operator-joined line's 2 */
	for (int c = 0; c < N_CUST; c++) {
		ws_cork(cust[c], true);
		for (int m = 0; m < CUST_MSGS; m++)
			ws_sendf(cust[c], "{\"type\":\"message\",\"client_msg_id\":\"c%d-%d\",\"text\":\"вопрос %d\"}", c, m, m);
		ws_cork(cust[c], false);
	}
	for (int c = 0; c < N_CUST; c++) {
		long long last = 2;
		for (int m = 0; m < CUST_MSGS;) {
			json_t *j = next_frame(cust[c], "a customer's acks");
			if (strcmp(e2e_json_str(j, "type"), "ack") != 0)
				continue; /* the operator-joined line */
			cr_assert_str_eq(e2e_json_str(j, "client_msg_id"), e2e_strf("c%d-%d", c, m));
			long long seq = e2e_json_int(j, "seq", 0);
			cr_assert_eq(seq, last + 1, "customer %d message %d: seq %lld after %lld", c, m, seq, last);
			last = seq;
			m++;
		}
	}
	/* every operator: her 4 customers' 100 messages, each dialog's in order, nobody else's */
	for (int i = 0; i < N_OPS; i++) {
		int got[PER_OP] = {0};
		for (int n = 0; n < PER_OP * CUST_MSGS;) {
			json_t *j = next_frame(op[i], "an operator's messages");
			if (strcmp(e2e_json_str(j, "type"), "message") != 0)
				continue; /* queue snapshots */
			long long d = e2e_json_int(j, "dialog", 0);
			int k = 0;
			while (k < PER_OP && held[i][k] != d)
				k++;
			cr_assert_lt(k, PER_OP, "operator %d got a message of dialog %lld, not hers", i, d);
			cr_assert_str_eq(e2e_json_str(j, "text"), e2e_strf("вопрос %d", got[k]));
			got[k]++;
			n++;
		}
	}
	/* every operator answers each of her dialogs with 10 messages in one piece */
	for (int i = 0; i < N_OPS; i++) {
		ws_cork(op[i], true);
		for (int k = 0; k < PER_OP; k++)
			for (int m = 0; m < OP_MSGS; m++)
				ws_sendf(op[i], "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"op%d-%lld-%d\",\"text\":\"ответ %d\"}",
				         held[i][k], i, held[i][k], m, m);
		ws_cork(op[i], false);
	}
	for (int i = 0; i < N_OPS; i++) {
		for (int n = 0; n < PER_OP * OP_MSGS;) {
			json_t *j = next_frame(op[i], "an operator's acks");
			if (strcmp(e2e_json_str(j, "type"), "ack") == 0)
				n++;
		}
	}
	for (int c = 0; c < N_CUST; c++) {
		for (int m = 0; m < OP_MSGS;) {
			json_t *j = next_frame(cust[c], "a customer's answers");
			if (strcmp(e2e_json_str(j, "type"), "message") != 0)
				continue;
			cr_assert_eq(e2e_json_int(j, "dialog", 0), dialog[c]);
			cr_assert_str_eq(e2e_json_str(j, "text"), e2e_strf("ответ %d", m));
			cr_assert_str_eq(e2e_json_str(j, "author"), users[2 * owner[c]]);
			m++;
		}
	}

	long long commits = e2e_metric(h->port, "opdesk_group_commits_total") - commits0;
	long long total = N_CUST * (CUST_MSGS + OP_MSGS);
	cr_assert(commits > 0 && commits < total / 2, "%lld messages took %lld commits", total, commits);
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE sender = 'customer'"),
	             N_CUST * (CUST_MSGS + 1));
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE sender = 'operator'"), N_CUST * OP_MSGS);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM (SELECT dialog_id, count(*) n, max(seq) top "
	                                "FROM messages GROUP BY dialog_id) AS per WHERE n != top"), 0,
	             "a dialog's numbers have gaps or doubles");
	char *ok = e2e_db_check(db);
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
	cr_assert(e2e_proc_alive(h->proc));
}

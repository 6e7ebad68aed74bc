/* test_hub_operations.c: running the hub. --max-connections: the connection over the limit is closed at once
 * with status 1013 and a reason, logged, and a place freed is taken again. SIGTERM: every client gets a close
 * frame 1001 "going away" after what was queued for it, the hub exits 0, and nothing is written as if the
 * customers had left. Sign-ins (a yescrypt check each) take turns with everything else: a customer's message
 * behind twenty of them gets through before most are done, and all are signed in in the end; a message sent
 * right behind a sign-in that waits its turn is acknowledged as soon as that sign-in is done. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_operations, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* Wait for the close frame; returns its status (-1: none came). */
static int close_status(struct e2e_ws *ws, char **reason)
{
	struct e2e_ws_frame f;
	int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	while (e2e_now_ms() < end) {
		int r = ws_recv(ws, &f, 200);
		if (r > 0 && f.opcode == WS_CLOSE) {
			if (reason)
				*reason = e2e_strf("%s", f.len > 2 ? f.data + 2 : "");
			free(f.data);
			return f.close_code;
		}
		if (r > 0)
			free(f.data);
		if (r < 0)
			break;
	}
	return -1;
}

E2E_TEST(hub_operations, connections_over_the_limit_are_refused_with_a_reason)
{
	const char *extra[] = {"--max-connections", "3", NULL};
	struct e2e_hub *h = e2e_hub_start(NULL, extra);
	struct e2e_ws *ws[3];
	for (int i = 0; i < 3; i++)
		ws[i] = ws_connect_ok(h->port, "opdesk.customer.v1");
	struct e2e_ws *over = ws_connect_ok(h->port, "opdesk.customer.v1");
	char *reason = NULL;
	cr_assert_eq(close_status(over, &reason), 1013);
	cr_assert(strstr(reason, "too many connections"), "%s", reason);
	cr_assert(e2e_hub_log_wait(h, "refusing a connection", E2E_WAIT_MS));
	/* the three are still served */
	ws_sendf(ws[0], "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Аня\",\"text\":\"привет\"}");
	cr_assert(ws_expect_type(ws[0], "opened", E2E_WAIT_MS), "%s", ws_skipped(ws[0]));
	/* a place freed is taken again */
	ws_close(ws[2]);
	struct e2e_ws *next = NULL;
	for (int tries = 0; tries < 20 && !next; tries++) {
		struct e2e_ws *w = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(w, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Боря\",\"text\":\"я тут\"}");
		if (ws_expect_type(w, "opened", E2E_WAIT_MS)) /* a refused one is closed at once (1013), ending the wait */
			next = w;
	}
	cr_assert(next, "the freed place was not given to a new connection");
}

E2E_TEST(hub_operations, sigterm_says_going_away_to_every_client_and_exits_0)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Вера\",\"text\":\"добрый день\"}");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	struct e2e_db *db = e2e_db_open(h->db);
	long long before = e2e_db_int(db, 0, "SELECT count(*) FROM messages");

	cr_assert_eq(kill(h->proc->pid, SIGTERM), 0);
	char *reason = NULL;
	cr_assert_eq(close_status(anna, &reason), 1001, "the operator got no close frame 1001");
	cr_assert(strstr(reason, "shutting down"), "%s", reason);
	cr_assert_eq(close_status(cust, NULL), 1001, "the customer got no close frame 1001");
	cr_assert(e2e_proc_wait(h->proc, E2E_WAIT_MS), "the hub did not exit");
	cr_assert_eq(e2e_proc_exit_code(h->proc), 0, "%s", e2e_proc_stderr(h->proc));
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages"), before,
	             "the shutdown wrote into the dialogs as if the customer had left");
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM dialogs WHERE state='assigned'"), 1);
}

E2E_TEST(hub_operations, a_crowd_signing_in_does_not_hold_a_customer_back)
{
	/* each sign-in checks a yescrypt hash on the hub's one thread: at most one a loop pass, so a message that
	 * arrives behind twenty sign-ins gets through before most of them are done */
	enum { CROWD = 20 };
	const char *users[2 * (CROWD + 1) + 1] = {"anna", "s3cret-anna"};
	for (int i = 0; i < CROWD; i++) {
		users[2 + 2 * i] = e2e_strf("op%02d", i);
		users[3 + 2 * i] = "crowd-secret";
	}
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вера\",\"text\":\"Здравствуйте\"}");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS));
	/* everyone else is online: new chats would go to them too; the crowd signs in as away-less operators */
	struct e2e_ws *crowd[CROWD];
	for (int i = 0; i < CROWD; i++)
		crowd[i] = ws_connect_ok(h->port, "opdesk.agent.v1");
	for (int i = 0; i < CROWD; i++)
		ws_sendf(crowd[i], "{\"type\":\"hello\",\"user\":\"op%02d\",\"secret\":\"crowd-secret\",\"role\":\"operator\"}", i);
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c1\",\"text\":\"Вы тут?\"}");
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	int welcomed = 0;
	bool done[CROWD] = {false};
	for (int i = 0; i < CROWD; i++) {
		struct e2e_ws_frame f;
		if (ws_recv(crowd[i], &f, 0) == 1) {
			done[i] = f.opcode == WS_TEXT && strstr(f.data, "\"type\":\"welcome\"") != NULL;
			welcomed += done[i];
			ws_frame_free(&f);
		}
	}
	cr_assert_lt(welcomed, CROWD / 2, "%d of %d sign-ins went before the customer's message", welcomed, CROWD);
	/* and every one of them is signed in in the end */
	for (int i = 0; i < CROWD; i++)
		cr_assert(done[i] || ws_expect_type(crowd[i], "welcome", E2E_WAIT_MS), "op%02d was not signed in: %s", i,
			  ws_skipped(crowd[i]));
}

E2E_TEST(hub_operations, a_message_right_behind_a_waiting_sign_in_is_acked_at_once)
{
	/* boris comes back (his dialog kept through the grace period) and sends his hello and a message in one
	 * piece while ten sign-ins wait their turns: his message waits with his hello, in order, and is stored and
	 * acknowledged when his turn comes (inside the loop pass that signs him in, so in that pass's group
	 * commit; the keepalive is set far away so that no ping is what wakes the hub) */
	enum { OTHERS = 10 };
	const char *users[2 * (OTHERS + 1) + 1] = {"boris", "s3cret-boris"};
	for (int i = 0; i < OTHERS; i++) {
		users[2 + 2 * i] = e2e_strf("op%02d", i);
		users[3 + 2 * i] = "s3cret";
	}
	struct e2e_hub *h = e2e_hub_start(users, (const char *const[]){"--keepalive", "120", NULL});
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вера\",\"text\":\"Здравствуйте\"}");
	json_t *a = ws_expect_type(boris, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(boris));
	long long d = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	ws_close(boris);

	struct e2e_ws *others[OTHERS];
	for (int i = 0; i < OTHERS; i++)
		others[i] = ws_connect_ok(h->port, "opdesk.agent.v1");
	boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	for (int i = 0; i < OTHERS; i++)
		ws_sendf(others[i], "{\"type\":\"hello\",\"user\":\"op%02d\",\"secret\":\"s3cret\",\"role\":\"operator\"}", i);
	int first = -1; /* once one is signed in, the others wait in line: boris joins the end of it */
	while (first < 0) {
		for (int i = 0; i < OTHERS && first < 0; i++) {
			struct e2e_ws_frame f;
			if (ws_recv(others[i], &f, 10) == 1) {
				if (strstr(f.data, "\"type\":\"welcome\""))
					first = i;
				ws_frame_free(&f);
			}
		}
	}
	ws_cork(boris, true);
	ws_sendf(boris, "{\"type\":\"hello\",\"user\":\"boris\",\"secret\":\"s3cret-boris\",\"role\":\"operator\"}");
	ws_sendf(boris, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"b-1\",\"text\":\"Я снова здесь\"}", d);
	ws_cork(boris, false);
	json_t *ack = ws_expect_type(boris, "ack", E2E_WAIT_MS);
	cr_assert(ack, "no ack for the message behind the sign-in: %s", ws_skipped(boris));
	cr_assert_str_eq(e2e_json_str(ack, "client_msg_id"), "b-1");
	json_t *m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (m && strcmp(e2e_json_str(m, "text"), "Я снова здесь") != 0)
		m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(cust));
}

/* test_pg_outage.c: the hub on PostgreSQL while the database goes away under load. Three customers and their
 * operator keep writing while the server is stopped for at least 10 s (a clean shutdown, which ends the hub's
 * connection): every message meanwhile is answered with an `error` `storage`, never an `ack`, and is not
 * passed on; /health says 503; the hub neither crashes
 * nor stops serving. Once the server is back the hub reconnects by itself, and every message sent again with
 * its id is stored once, in order, without gaps in any dialog's numbers. Then the server is killed in the
 * middle of a burst (an immediate shutdown, as a crash): each message was acked or refused, and once it is
 * back every one sent again is acknowledged, stored once and reaches the operator once, in order. The same
 * burst cut by the death of a primary with a synchronous standby, promoted then: every acked message is on
 * the standby, and the hub, given both servers, goes on with it. Runs with the label pg (clusters of its own:
 * the shared one must not go away under the other tests). */
#include <criterion/criterion.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

TestSuite(pg_outage, .init = e2e_setup, .fini = e2e_teardown, .timeout = 240);

#define N_CUST 3
#define RY 30 /* the messages of each customer in the burst cut by a kill (the flood limit is 50 a second) */

struct desk {
	struct e2e_hub *h;
	struct e2e_ws *anna;
	struct e2e_ws *cust[N_CUST];
	long long dialog[N_CUST];
};

static void desk_open(struct desk *d, const char *db)
{
	d->h = e2e_hub_start_db(db, (const char *const[]){"anna", "s3cret-anna", NULL}, NULL);
	d->anna = ws_connect_ok(d->h->port, "opdesk.agent.v1");
	ws_hello(d->anna, "anna", "s3cret-anna");
	for (int k = 0; k < N_CUST; k++) {
		const char *token;
		d->dialog[k] = ws_web_chat(d->h->port, d->anna, e2e_strf("Клиент %d", k), "здравствуйте", &d->cust[k], &token);
	}
}

/* One round: each customer and the operator in each dialog send a message with id PREFIX-R-K. */
static void round_send(struct desk *d, const char *prefix, int r)
{
	for (int k = 0; k < N_CUST; k++) {
		ws_sendf(d->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"%s-c%d-%d\",\"text\":\"где заказ %d?\"}",
		         prefix, r, k, r);
		ws_sendf(d->anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s-a%d-%d\",\"text\":\"смотрю %d\"}",
		         d->dialog[k], prefix, r, k, r);
	}
}

/* The reply to one message: "ack" or "error" (with its code), whichever comes. */
static const char *reply(struct e2e_ws *ws, const char **code)
{
	struct e2e_ws_frame f;
	for (;;) {
		int rc = ws_recv(ws, &f, E2E_WAIT_MS);
		cr_assert_eq(rc, 1, "no reply from the hub (%d); skipped:\n%s", rc, ws_skipped(ws));
		json_t *j = e2e_own_json(json_loadb(f.data, f.len, 0, NULL));
		ws_frame_free(&f);
		const char *type = e2e_json_str(j, "type");
		if (strcmp(type, "ack") == 0 || strcmp(type, "error") == 0) {
			*code = e2e_json_str(j, "code");
			return type;
		}
		/* a copy of a message is passed on only once the message is stored */
		cr_assert(strcmp(type, "message") != 0, "a message was passed on while the database was away: %s",
		          (char *)e2e_own(json_dumps(j, 0)));
	}
}

/* Every message of round r is refused with `storage`. */
static void round_refused(struct desk *d, int r)
{
	for (int k = 0; k < N_CUST; k++) {
		const char *code;
		const char *type = reply(d->cust[k], &code);
		cr_assert(strcmp(type, "error") == 0 && strcmp(code, "storage") == 0,
		          "round %d, customer %d: %s %s while the database is away", r, k, type, code);
	}
	for (int k = 0; k < N_CUST; k++) {
		const char *code;
		const char *type = reply(d->anna, &code);
		cr_assert(strcmp(type, "error") == 0 && strcmp(code, "storage") == 0,
		          "round %d, operator's %d: %s %s while the database is away", r, k, type, code);
	}
}

/* Read what round 0 of PREFIX brought to WS: an ack for each of its N messages and a copy of each of the N
 * messages the other side sent (ids starting with OTHERS), whichever comes first; system lines are skipped. */
static void drain_round(struct e2e_ws *ws, const char *others, int n)
{
	int acks = 0, copies = 0;
	while (acks < n || copies < n) {
		struct e2e_ws_frame f;
		cr_assert_eq(ws_recv(ws, &f, E2E_WAIT_MS), 1, "%d acks, %d copies; skipped:\n%s", acks, copies,
		             ws_skipped(ws));
		json_t *j = e2e_own_json(json_loadb(f.data, f.len, 0, NULL));
		ws_frame_free(&f);
		const char *type = e2e_json_str(j, "type");
		const char *id = json_string_value(json_object_get(j, "client_msg_id"));
		acks += strcmp(type, "ack") == 0;
		copies += strcmp(type, "message") == 0 && id && strncmp(id, others, strlen(others)) == 0;
	}
}

static void wait_health(struct e2e_hub *h, const char *status)
{
	char *got = NULL;
	for (int64_t end = e2e_now_ms() + E2E_WAIT_MS; e2e_now_ms() < end; poll(NULL, 0, 50))
		if (strstr(got = e2e_http_get(h->port, "/health"), status))
			return;
	cr_assert_fail("/health never said%s; last:\n%s", status, got ? got : "");
}

/* Send round r of PREFIX again (the clients' retry) until each message is acknowledged: the hub reconnects at
 * its next write after the server is back, and a write before that still fails. Then each is passed on once. */
static void round_retried(struct desk *d, const char *prefix, int r)
{
	for (int k = 0; k < N_CUST; k++) {
		for (const char *code = "";;) {
			ws_sendf(d->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"%s-c%d-%d\",\"text\":\"где заказ %d?\"}",
			         prefix, r, k, r);
			if (strcmp(reply(d->cust[k], &code), "ack") == 0)
				break;
			cr_assert_str_eq(code, "storage");
		}
		json_t *m = ws_expect_type(d->anna, "message", E2E_WAIT_MS);
		cr_assert(m, "%s", ws_skipped(d->anna));
		cr_assert_str_eq(e2e_json_str(m, "client_msg_id"), e2e_strf("%s-c%d-%d", prefix, r, k));
		ws_sendf(d->anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s-a%d-%d\",\"text\":\"смотрю %d\"}",
		         d->dialog[k], prefix, r, k, r);
		json_t *ack = ws_expect_type(d->anna, "ack", E2E_WAIT_MS);
		cr_assert(ack, "%s", ws_skipped(d->anna));
		m = ws_expect_type(d->cust[k], "message", E2E_WAIT_MS);
		cr_assert(m, "%s", ws_skipped(d->cust[k]));
		cr_assert_str_eq(e2e_json_str(m, "text"), e2e_strf("смотрю %d", r));
	}
}

/* The next reply on WS to a message of the burst: true for an ack, false for a `storage` error. */
static bool burst_reply(struct e2e_ws *ws)
{
	for (;;) {
		struct e2e_ws_frame f;
		cr_assert_eq(ws_recv(ws, &f, E2E_WAIT_MS), 1, "%s", ws_skipped(ws));
		json_t *j = e2e_own_json(json_loadb(f.data, f.len, 0, NULL));
		ws_frame_free(&f);
		const char *type = e2e_json_str(j, "type");
		if (strcmp(type, "ack") == 0)
			return true;
		if (strcmp(type, "error") == 0) {
			cr_assert_str_eq(e2e_json_str(j, "code"), "storage", "%s", (char *)e2e_own(json_dumps(j, 0)));
			return false;
		}
	}
}

static void burst_send(struct desk *d, int from, int to)
{
	for (int k = 0; k < N_CUST; k++)
		ws_cork(d->cust[k], true);
	for (int r = from; r < to; r++)
		for (int k = 0; k < N_CUST; k++)
			ws_sendf(d->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"y-%d-%d\",\"text\":\"ещё %d\"}", r, k, r);
	for (int k = 0; k < N_CUST; k++)
		ws_cork(d->cust[k], false);
}

/* A burst of RY messages from each customer, and the database killed (an immediate shutdown: as a crash) in
 * the middle: once the first is acknowledged, the first half in flight, the second half sent after it.
 * Each message is answered, acked (stored before the kill) or refused with `storage`; acked[r][k] says
 * which. */
static void burst_cut(struct desk *d, struct e2e_pg *pg, bool acked[RY][N_CUST])
{
	burst_send(d, 0, RY / 2);
	acked[0][0] = burst_reply(d->cust[0]);
	cr_assert(acked[0][0], "the first message of the burst was refused before the database went away");
	e2e_pg_stop(pg, true);
	burst_send(d, RY / 2, RY);
	int n = 1;
	for (int k = 0; k < N_CUST; k++)
		for (int r = k == 0; r < RY; r++)
			n += acked[r][k] = burst_reply(d->cust[k]);
	cr_assert(n < RY * N_CUST, "every message of the burst acknowledged, though half were sent after the kill");
}

/* The database is back (DB): every message acked in the burst is there, each sent again is acknowledged (a
 * stored one again, not stored twice), and the operator got each of them once, in each dialog's order. */
static void burst_resent(struct desk *d, const char *db, bool acked[RY][N_CUST])
{
	struct e2e_db *q = e2e_db_open(db);
	for (int k = 0; k < N_CUST; k++)
		for (int r = 0; r < RY; r++)
			if (acked[r][k])
				cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM messages WHERE client_msg_id = 'y-%d-%d'",
				                        r, k), 1, "y-%d-%d was acknowledged, and is not in the database", r, k);
	for (int k = 0; k < N_CUST; k++)
		for (int r = 0; r < RY; r++) {
			ws_sendf(d->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"y-%d-%d\",\"text\":\"ещё %d\"}", r, k, r);
			json_t *ack = ws_expect_type(d->cust[k], "ack", E2E_WAIT_MS);
			cr_assert(ack, "y-%d-%d (acked before: %d): %s", r, k, acked[r][k], ws_skipped(d->cust[k]));
		}
	/* everything up to a last message */
	ws_sendf(d->cust[0], "{\"type\":\"message\",\"client_msg_id\":\"z-end\",\"text\":\"всё\"}");
	int got[N_CUST] = {0};
	for (;;) {
		json_t *m = ws_expect_type(d->anna, "message", E2E_WAIT_MS);
		cr_assert(m, "%s", ws_skipped(d->anna));
		const char *id = e2e_json_str(m, "client_msg_id");
		if (strcmp(id, "z-end") == 0)
			break;
		int r, k;
		cr_assert_eq(sscanf(id, "y-%d-%d", &r, &k), 2, "%s", id);
		cr_assert_eq(r, got[k], "customer %d: %s after %d of theirs", k, id, got[k]);
		got[k]++;
	}
	for (int k = 0; k < N_CUST; k++)
		cr_assert_eq(got[k], RY, "customer %d: %d of %d messages reached the operator", k, got[k], RY);
}

/* A first round, all stored: every ack and every copy read, in whichever order they come, so that nothing is
 * left unread. */
static void warm_up(struct desk *d)
{
	round_send(d, "ok", 0);
	for (int k = 0; k < N_CUST; k++)
		drain_round(d->cust[k], "ok-a0-", 1);
	drain_round(d->anna, "ok-c0-", N_CUST);
	wait_health(d->h, " 200 ");
}

static void check_stored_once(const char *db, int rounds_x, int rounds_y)
{
	struct e2e_db *q = e2e_db_open(db);
	/* each retried message once, none twice, and the dialogs numbered 1..n */
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM messages WHERE client_msg_id LIKE 'x-%%'"),
	             rounds_x * N_CUST * 2);
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM messages WHERE client_msg_id LIKE 'y-%%'"),
	             rounds_y * N_CUST);
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM (SELECT client_msg_id FROM messages WHERE client_msg_id "
	                               "IS NOT NULL GROUP BY client_msg_id HAVING count(*) > 1) AS twice"), 0);
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM (SELECT dialog_id, count(*) n, max(seq) top "
	                               "FROM messages GROUP BY dialog_id) AS per WHERE n != top"), 0,
	             "a dialog's numbers have gaps or doubles");
	char *ok = e2e_db_check(q);
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
}

E2E_TEST(pg_outage, the_database_away_is_storage_errors_never_an_ack_and_every_retry_is_stored_once)
{
	struct e2e_pg *pg = e2e_pg_start();
	const char *db = e2e_pg_db(pg, "hub");
	struct desk d;
	desk_open(&d, db);
	warm_up(&d);

	/* stopped: rounds of messages for at least 10 s, each refused */
	e2e_pg_stop(pg, false);
	int rx = 0;
	/* a round every 100 ms at most: the operator's 30 frames a second stay under the hub's flood limit (50) */
	for (int64_t end = e2e_now_ms() + 10000; rx < 5 || e2e_now_ms() < end; rx++, poll(NULL, 0, 100)) {
		round_send(&d, "x", rx);
		round_refused(&d, rx);
	}
	wait_health(d.h, " 503 ");
	cr_assert(e2e_proc_alive(d.h->proc));
	cr_assert(e2e_hub_log_wait(d.h, "lost the connection to the database", E2E_WAIT_MS));
	cr_assert_eq(e2e_metric(d.h->port, "opdesk_database_up"), 0);
	cr_assert_eq(e2e_metric(d.h->port, "opdesk_database_connection_losses_total"), 1);

	e2e_pg_restart(pg);
	wait_health(d.h, " 200 ");
	for (int r = 0; r < rx; r++, poll(NULL, 0, 100)) /* the same pace */
		round_retried(&d, "x", r);
	cr_assert(e2e_hub_log_wait(d.h, "reconnected to the database", E2E_WAIT_MS));
	cr_assert_eq(e2e_metric(d.h->port, "opdesk_database_up"), 1);

	/* killed in the middle of a burst of the customers' messages (immediate shutdown: as a crash) */
	bool acked[RY][N_CUST];
	burst_cut(&d, pg, acked);
	e2e_pg_restart(pg);
	wait_health(d.h, " 200 ");
	burst_resent(&d, db, acked);
	check_stored_once(db, rx, RY);
	cr_assert(e2e_proc_alive(d.h->proc));
}

E2E_TEST(pg_outage, a_synchronous_standby_promoted_has_every_acked_message_and_the_hub_goes_on_with_it)
{
	/* docs/scaling.md, "A standby that takes over": a synchronous standby, the hub given both servers */
	struct e2e_pg *primary = e2e_pg_start();
	e2e_pg_db(primary, "hub");
	struct e2e_pg *standby = e2e_pg_standby(primary, "s1");
	const char *db = e2e_pg_either_db(primary, standby, "hub");
	struct desk d;
	desk_open(&d, db);
	warm_up(&d);
	/* the primary dies in the middle of a burst; the standby is promoted and the hub finds it by itself */
	bool acked[RY][N_CUST];
	burst_cut(&d, primary, acked);
	e2e_pg_promote(standby);
	wait_health(d.h, " 200 ");
	cr_assert(e2e_hub_log_wait(d.h, "reconnected to the database", E2E_WAIT_MS));
	burst_resent(&d, db, acked);
	check_stored_once(db, 0, RY);
	cr_assert(e2e_proc_alive(d.h->proc));
}

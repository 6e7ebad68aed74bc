/* test_pg_failover.c: several hubs on one PostgreSQL database, one serving and the others standing by
 * (docs/scaling.md). A second hub started without --standby is refused and says who serves; one with it
 * waits. Three rounds: the serving hub is killed with SIGKILL in the middle of a burst of messages both ways,
 * the standby takes over, the killed one comes back as the next standby; the operator signs in again to the
 * new hub and has her dialogs, the customers resume their chats there, and every message sent again with its
 * id is acknowledged: each acknowledged before the kill stored once under the id its ack gave, none stored
 * twice, every dialog numbered without gaps. And the workstation given both hubs' URLs moves on to the one
 * that took over by itself and shows what the customer writes there; so does the web chat on a shop's page
 * given both hubs, even when the hub died before answering its open. A serving hub whose session ended while
 * the standby took the lock writes nothing more: it closes its connections and exits 1. Runs with the label pg (a cluster of its
 * own). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

TestSuite(pg_failover, .init = e2e_setup, .fini = e2e_teardown, .timeout = 240);

#define N_CUST 3
#define RY 40     /* each customer's messages in a round's burst (the flood limit is 50 a second) */
#define ROUNDS 3

struct sent {
	char id[32];
	long long acked; /* the id its ack gave, 0: none seen */
};

struct group {
	const char *db;
	const char *files[3]; /* --files DIR: the hubs share one folder of uploads */
	struct e2e_hub *serving, *standby;
	struct e2e_ws *anna, *cust[N_CUST];
	long long dialog[N_CUST];
	const char *token[N_CUST];
	struct sent cs[ROUNDS][N_CUST][RY], os[ROUNDS][RY];
};

/* A hub started with --standby on DB, once it says it stands by. */
static struct e2e_hub *standby_of(const char *db, const char *const files[])
{
	struct e2e_hub *h = e2e_hub_standby(db, files);
	cr_assert(e2e_hub_log_wait(h, "standing by: opdesk-hub", E2E_WAIT_MS), "the standby did not say so:\n%s",
	          e2e_proc_stderr(h->proc));
	return h;
}

static struct e2e_hub *standby_start(struct group *g)
{
	return standby_of(g->db, g->files);
}

/* On a cluster of the test's own: hub *a serving a new database (anna may sign in) and hub *b standing by;
 * the database's conninfo is returned. */
static const char *pair_start(struct e2e_hub **a, struct e2e_hub **b)
{
	const char *db = e2e_pg_db(e2e_pg_start(), "hub");
	const char *files[] = {"--files", e2e_strf("%s/files", e2e_dir()), NULL};
	*a = e2e_hub_start_db(db, (const char *const[]){"anna", "s3cret-anna", NULL}, files);
	*b = standby_of(db, files);
	return db;
}

/* Take the acks on WS into the table of N until the connection ends (the hub was killed). */
static void acks_until_closed(struct e2e_ws *ws, struct sent *s, int n)
{
	struct e2e_ws_frame f;
	while (ws_recv(ws, &f, E2E_WAIT_MS) == 1) {
		json_t *j = e2e_own_json(json_loadb(f.data, f.len, 0, NULL));
		ws_frame_free(&f);
		if (strcmp(e2e_json_str(j, "type"), "ack") != 0)
			continue;
		for (int i = 0; i < n; i++)
			if (strcmp(s[i].id, e2e_json_str(j, "client_msg_id")) == 0)
				s[i].acked = e2e_json_int(j, "id", 0);
	}
}

static void send_one(struct group *g, int round, int r)
{
	for (int k = 0; k < N_CUST; k++) {
		struct sent *s = &g->cs[round][k][r];
		snprintf(s->id, sizeof s->id, "c%d-%d-%d", round, k, r);
		ws_sendf(g->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"%s\",\"text\":\"вопрос %d\"}", s->id, r);
	}
	struct sent *a = &g->os[round][r];
	snprintf(a->id, sizeof a->id, "a%d-%d", round, r);
	ws_sendf(g->anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s\",\"text\":\"ответ %d\"}",
	         g->dialog[r % N_CUST], a->id, r);
}

/* Round `round`: a burst of RY messages from every customer and RY replies of the operator's. The first half
 * one at a time (each of the first customer's acknowledged before the next), the second half all at once,
 * and the serving hub killed right after it: in flight, some stored and acknowledged, some not. */
static void burst_killed(struct group *g, int round)
{
	for (int r = 0; r < RY / 2; r++) {
		send_one(g, round, r);
		json_t *ack = ws_expect_type(g->cust[0], "ack", E2E_WAIT_MS);
		cr_assert(ack, "%s", ws_skipped(g->cust[0]));
		cr_assert_str_eq(e2e_json_str(ack, "client_msg_id"), g->cs[round][0][r].id);
		g->cs[round][0][r].acked = e2e_json_int(ack, "id", 0);
	}
	for (int k = 0; k < N_CUST; k++)
		ws_cork(g->cust[k], true);
	ws_cork(g->anna, true);
	for (int r = RY / 2; r < RY; r++)
		send_one(g, round, r);
	for (int k = 0; k < N_CUST; k++)
		ws_cork(g->cust[k], false);
	ws_cork(g->anna, false);
	cr_assert_eq(kill(g->serving->proc->pid, SIGKILL), 0);
	g->serving->proc->daemon = false; /* killed on purpose: not a crash */
	cr_assert(e2e_proc_wait(g->serving->proc, E2E_WAIT_MS));
	for (int k = 0; k < N_CUST; k++)
		acks_until_closed(g->cust[k], g->cs[round][k], RY);
	acks_until_closed(g->anna, g->os[round], RY);
}

/* Everyone on the hub that took over: the operator's dialogs are hers, the customers resume. */
static void move_over(struct group *g)
{
	g->anna = ws_connect_ok(g->serving->port, "opdesk.agent.v1");
	json_t *w = ws_hello(g->anna, "anna", "s3cret-anna");
	cr_assert_eq(json_array_size(json_object_get(w, "dialogs")), N_CUST, "her dialogs are not back: %s",
	             (char *)e2e_own(json_dumps(w, 0)));
	for (int k = 0; k < N_CUST; k++) {
		g->cust[k] = ws_connect_ok(g->serving->port, "opdesk.customer.v1");
		ws_sendf(g->cust[k], "{\"type\":\"resume\",\"dialog\":%lld,\"token\":\"%s\",\"after\":0}", g->dialog[k],
		         g->token[k]);
		cr_assert(ws_expect_type(g->cust[k], "resumed", E2E_WAIT_MS), "customer %d: %s", k, ws_skipped(g->cust[k]));
	}
}

/* Every message of the round sent again with its id: each acknowledged, an acknowledged one with its first
 * id. */
static void resend_round(struct group *g, int round)
{
	for (int k = 0; k < N_CUST; k++)
		for (int r = 0; r < RY; r++) {
			struct sent *s = &g->cs[round][k][r];
			ws_sendf(g->cust[k], "{\"type\":\"message\",\"client_msg_id\":\"%s\",\"text\":\"вопрос %d\"}", s->id, r);
			json_t *ack = ws_expect_type(g->cust[k], "ack", E2E_WAIT_MS);
			cr_assert(ack, "%s: %s", s->id, ws_skipped(g->cust[k]));
			if (s->acked)
				cr_assert_eq(e2e_json_int(ack, "id", 0), s->acked, "%s acknowledged twice with two ids", s->id);
		}
	for (int r = 0; r < RY; r++) {
		struct sent *a = &g->os[round][r];
		ws_sendf(g->anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s\",\"text\":\"ответ %d\"}",
		         g->dialog[r % N_CUST], a->id, r);
		json_t *ack = ws_expect_type(g->anna, "ack", E2E_WAIT_MS);
		cr_assert(ack, "%s: %s", a->id, ws_skipped(g->anna));
		if (a->acked)
			cr_assert_eq(e2e_json_int(ack, "id", 0), a->acked, "%s acknowledged twice with two ids", a->id);
	}
}

static void check_stored_once(struct group *g, int rounds)
{
	struct e2e_db *q = e2e_db_open(g->db);
	int acked = 0, not_acked = 0;
	for (int round = 0; round < rounds; round++)
		for (int r = 0; r < RY; r++) {
			for (int k = 0; k <= N_CUST; k++) {
				struct sent *s = k < N_CUST ? &g->cs[round][k][r] : &g->os[round][r];
				cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM messages WHERE client_msg_id = %Q", s->id), 1,
				             "%s is not stored once", s->id);
				if (s->acked)
					cr_assert_eq(e2e_db_int(q, -1, "SELECT id FROM messages WHERE client_msg_id = %Q", s->id),
					             s->acked, "acknowledged %s lost or stored under another id", s->id);
				acked += s->acked != 0;
				not_acked += s->acked == 0;
			}
		}
	cr_log_info("%d rounds: %d messages acknowledged before the kill, %d not", rounds, acked, not_acked);
	cr_assert_gt(not_acked, 0, "no kill came during a burst");
	cr_assert_geq(acked, rounds * RY / 2, "too few messages got through before the kills to test anything");
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM (SELECT dialog_id, count(*) n, max(seq) top "
	                               "FROM messages GROUP BY dialog_id) AS per WHERE n != top"), 0,
	             "a dialog's numbers have gaps or doubles");
	char *ok = e2e_db_check(q);
	cr_assert_str_eq(ok ? ok : "(null)", "ok");
}

E2E_TEST(pg_failover, a_hub_killed_mid_burst_three_times_the_standby_takes_over_and_nothing_is_lost_or_doubled)
{
	static struct group g;
	memset(&g, 0, sizeof g);
	struct e2e_pg *pg = e2e_pg_start();
	g.db = e2e_pg_db(pg, "hub");
	g.files[0] = "--files";
	g.files[1] = e2e_strf("%s/files", e2e_dir());
	g.serving = e2e_hub_start_db(g.db, (const char *const[]){"anna", "s3cret-anna", NULL}, g.files);

	/* a second hub without --standby is refused, and says who serves */
	struct e2e_proc *p = e2e_run("hub-2",
	                             (char *const[]){e2e_bin("opdesk-hub"), "--db", (char *)g.db, "--port", "0",
	                                             "--files", (char *)g.files[1], NULL},
	                             NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 1, "%s", e2e_proc_how(p));
	cr_assert(strstr(e2e_proc_stderr(p), "another hub serves this database (opdesk-hub "),
	          "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "--standby"), "%s", e2e_proc_stderr(p));

	g.standby = standby_start(&g);
	g.anna = ws_connect_ok(g.serving->port, "opdesk.agent.v1");
	ws_hello(g.anna, "anna", "s3cret-anna");
	for (int k = 0; k < N_CUST; k++)
		g.dialog[k] = ws_web_chat(g.serving->port, g.anna, e2e_strf("Клиентка %d", k), "здравствуйте", &g.cust[k],
		                          &g.token[k]);
	for (int round = 0; round < ROUNDS; round++) {
		burst_killed(&g, round);
		e2e_hub_serving(g.standby); /* it took over */
		cr_assert(e2e_hub_log_wait(g.standby, "took over", E2E_WAIT_MS));
		g.serving = g.standby;
		g.standby = standby_start(&g); /* the killed hub, back as the next standby */
		move_over(&g);
		resend_round(&g, round);
	}
	check_stored_once(&g, ROUNDS);
}

E2E_TEST(pg_failover, the_workstation_given_both_hubs_moves_on_to_the_one_that_took_over)
{
	struct e2e_hub *a, *b;
	pair_start(&a, &b);
	struct e2e_hub both = *a;
	both.url = e2e_strf("%s,%s", a->url, b->url);
	struct e2e_term *t = term_client(&both, "anna", "s3cret-anna", 30, 120, NULL);
	struct e2e_ws *cust = ws_connect_ok(a->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вера\",\"text\":\"где мой заказ?\"}");
	json_t *o = ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(o, "%s", ws_skipped(cust));
	cr_assert(term_wait_text(t, "где мой заказ?", E2E_WAIT_MS), "the chat did not reach the workstation");

	cr_assert_eq(kill(a->proc->pid, SIGKILL), 0);
	a->proc->daemon = false; /* killed on purpose */
	cr_assert(e2e_proc_wait(a->proc, E2E_WAIT_MS));
	e2e_hub_serving(b);
	struct e2e_ws *back = ws_connect_ok(b->port, "opdesk.customer.v1");
	ws_sendf(back, "{\"type\":\"resume\",\"dialog\":%lld,\"token\":\"%s\",\"after\":0}", e2e_json_int(o, "dialog", 0),
	         e2e_json_str(o, "token"));
	cr_assert(ws_expect_type(back, "resumed", E2E_WAIT_MS), "%s", ws_skipped(back));
	/* the workstation found the other hub by itself: what she writes there shows */
	ws_sendf(back, "{\"type\":\"message\",\"client_msg_id\":\"v-1\",\"text\":\"второй хаб на связи\"}");
	cr_assert(ws_expect_type(back, "ack", E2E_WAIT_MS), "%s", ws_skipped(back));
	cr_assert(term_wait_text(t, "второй хаб на связи", E2E_WAIT_MS), "the workstation did not move on to %s",
	          b->url);
}

E2E_TEST(pg_failover, a_hub_cut_off_while_the_standby_took_over_writes_nothing_more_and_stops)
{
	struct e2e_hub *a, *b;
	const char *db = pair_start(&a, &b);
	struct e2e_ws *anna = ws_connect_ok(a->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	/* the serving hub's session ends on the server (as a partition the server noticed first would): its lock
	 * goes to the standby at once, before the hub can reconnect */
	e2e_db_exec(db, "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = "
	                "1869636724 AND objsubid = 1 AND granted");
	e2e_hub_serving(b);
	cr_assert(e2e_hub_log_wait(b, "took over", E2E_WAIT_MS));
	/* the old one found the lock taken when it reconnected: it says so, closes its connections, exits 1 */
	cr_assert(e2e_hub_log_wait(a, "another hub serves the database now", E2E_WAIT_MS), "%s",
	          e2e_proc_stderr(a->proc));
	a->proc->daemon = false; /* it stops by itself */
	cr_assert(e2e_proc_wait(a->proc, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(a->proc), 1, "%s", e2e_proc_how(a->proc));
	struct e2e_ws_frame f;
	int rc;
	while ((rc = ws_recv(anna, &f, E2E_WAIT_MS)) == 1)
		ws_frame_free(&f);
	cr_assert_eq(rc, -1, "the old hub did not close the operator's connection");
	/* she carries on with the hub that serves */
	anna = ws_connect_ok(b->port, "opdesk.agent.v1");
	cr_assert(ws_hello(anna, "anna", "s3cret-anna"));
}

/* A shop's page with the web chat given both hubs (docs/scaling.md), open in a browser. */
static struct e2e_browser *shop_page(struct e2e_hub *a, struct e2e_hub *b)
{
	char *page = e2e_path("shop.html");
	e2e_write_file(page, e2e_strf("<!doctype html><meta charset=utf-8><title>shop</title><body>"
	                              "<script src=\"http://127.0.0.1:%d/widget.js\" data-hub=\"%s/,%s/\"></script>",
	                              a->port, a->url, b->url));
	struct e2e_browser *w = wd_start("ru-RU");
	wd_open(w, e2e_strf("file://%s", page));
	return w;
}

E2E_TEST(pg_failover, the_web_chat_given_both_hubs_resumes_on_the_one_that_took_over)
{
	struct e2e_hub *a, *b;
	pair_start(&a, &b);
	struct e2e_ws *anna = ws_connect_ok(a->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_browser *w = shop_page(a, b);
	wd_expect(w, "#od-status", "на связи");
	wd_type(w, "#od-name", "Лена");
	wd_type(w, "#od-first", "Где мой заказ 4817?");
	wd_click(w, "#od-start");
	json_t *as = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(as, "%s", ws_skipped(anna));
	long long d = e2e_json_int(json_object_get(as, "dialog"), "id", 0);

	cr_assert_eq(kill(a->proc->pid, SIGKILL), 0);
	a->proc->daemon = false; /* killed on purpose */
	cr_assert(e2e_proc_wait(a->proc, E2E_WAIT_MS));
	e2e_hub_serving(b);
	anna = ws_connect_ok(b->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	/* the widget moved on by itself and resumed: what she writes now reaches the operator on b, and back */
	wd_expect(w, "#od-status", "на связи");
	wd_type(w, "#od-text", "Я ещё здесь");
	wd_type(w, "#od-text", "\xee\x80\x87"); /* WebDriver's Enter key, U+E007 */
	json_t *m;
	do { /* (after the hub's line that she is back) */
		m = ws_expect_type(anna, "message", E2E_WAIT_MS);
		cr_assert(m, "%s", ws_skipped(anna));
	} while (strcmp(e2e_json_str(m, "sender"), "system") == 0);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Я ещё здесь");
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"b1\",\"text\":\"Заказ уже в пути\"}", d);
	wd_expect(w, "#od-log", "Заказ уже в пути");
}

E2E_TEST(pg_failover, the_web_chat_whose_open_was_never_answered_opens_it_on_the_hub_that_took_over)
{
	struct e2e_hub *a, *b;
	pair_start(&a, &b);
	struct e2e_ws *anna = ws_connect_ok(a->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_browser *w = shop_page(a, b);
	wd_expect(w, "#od-status", "на связи");
	/* the hub stops reading, takes the open, and dies without an answer */
	cr_assert_eq(kill(a->proc->pid, SIGSTOP), 0);
	wd_type(w, "#od-name", "Лена");
	wd_type(w, "#od-first", "Где мой заказ 4817?");
	wd_click(w, "#od-start");
	cr_assert_eq(kill(a->proc->pid, SIGKILL), 0);
	a->proc->daemon = false; /* killed on purpose */
	cr_assert(e2e_proc_wait(a->proc, E2E_WAIT_MS));
	e2e_hub_serving(b);
	anna = ws_connect_ok(b->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	/* the widget sends its open again on the new connection: the chat opens there */
	json_t *as = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(as, "the open was not sent again: %s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(json_object_get(as, "dialog"), "customer"), "Лена");
	wd_type(w, "#od-text", "Я ещё здесь");
	wd_type(w, "#od-text", "\xee\x80\x87"); /* WebDriver's Enter key, U+E007 */
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(m, "text"), "Я ещё здесь");
}

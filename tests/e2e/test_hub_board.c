/* test_hub_board.c: the supervisor's side of the hub as docs/protocol.md ("Supervisors") has it, against the
 * real hub over WebSockets: who may sign in as what (and why not), the board's fields (presence with since,
 * held chats with their unanswered time, today's figures, queues, trend, the SLA thresholds), delta boards
 * (changed operators only, gone ones, many operators in frames of 100, one a loop pass), alerts of each kind,
 * watchers, whispers (stored once, never to the customer) and a takeover's released. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "harness.h"

TestSuite(hub_board, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

/* A database with supervisor sveta, admin root and operators anna and boris. */
static char *board_db(void)
{
	char *db = e2e_strf("%s/board.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", "--display", "Светлана", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "root", "s3cret-root", (const char *const[]){"--role", "admin", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	return db;
}

static struct e2e_hub *board_hub(const char *const extra[])
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	return e2e_hub_start_db(board_db(), users, extra);
}

static struct e2e_ws *sign_in(struct e2e_hub *h, const char *user, const char *secret, const char *role)
{
	struct e2e_ws *ws = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"%s\",\"secret\":\"%s\",\"role\":\"%s\"}", user, secret, role);
	return ws;
}

__attribute__((unused)) static struct e2e_ws *supervisor(struct e2e_hub *h)
{
	struct e2e_ws *ws = sign_in(h, "sveta", "s3cret-sveta", "supervisor");
	cr_assert(ws_expect_type(ws, "welcome", E2E_WAIT_MS), "%s", ws_skipped(ws));
	return ws;
}

__attribute__((unused)) static struct e2e_ws *operator(struct e2e_hub *h, const char *user)
{
	struct e2e_ws *ws = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(ws, user, e2e_strf("s3cret-%s", user));
	return ws;
}

E2E_TEST(hub_board, an_admin_signs_in_as_supervisor_and_a_wrong_role_is_told_why)
{
	struct e2e_hub *h = board_hub(NULL);
	/* root is an admin: it may sign in as supervisor, and its welcome says admin */
	struct e2e_ws *root = sign_in(h, "root", "s3cret-root", "supervisor");
	json_t *w = ws_expect_type(root, "welcome", E2E_WAIT_MS);
	cr_assert(w, "an admin could not sign in as supervisor: %s", ws_skipped(root));
	cr_assert_str_eq(e2e_json_str(json_object_get(w, "operator"), "role"), "admin");
	ws_sendf(root, "{\"type\":\"monitor\",\"on\":true}");
	cr_assert(ws_expect_type(root, "board", E2E_WAIT_MS), "%s", ws_skipped(root));

	/* anna is an operator: with her secret and role supervisor she is refused, and told why */
	struct e2e_ws *anna = sign_in(h, "anna", "s3cret-anna", "supervisor");
	json_t *e = ws_expect_error(anna, "auth_failed", "an operator signing in as supervisor");
	cr_assert_str_eq(e2e_json_str(e, "message"),
	                 "anna is an operator: the supervisor's board is for supervisors and admins");
	int code = 0;
	cr_assert(ws_wait_closed(anna, E2E_WAIT_MS, &code));
	cr_assert_eq(code, 1008);

	/* with a wrong secret the refusal stays vague: it says nothing of the account */
	struct e2e_ws *guess = sign_in(h, "anna", "not-her-secret", "supervisor");
	e = ws_expect_error(guess, "auth_failed", "a wrong secret");
	cr_assert(!strstr(e2e_json_str(e, "message"), "is an operator"), "%s", e2e_json_str(e, "message"));
	cr_assert(strstr(e2e_json_str(e, "message"), "sign-in refused"), "%s", e2e_json_str(e, "message"));

	/* a supervisor's account signing in as operator: refused, naming its role */
	struct e2e_ws *sv = sign_in(h, "sveta", "s3cret-sveta", "operator");
	e = ws_expect_error(sv, "auth_failed", "a supervisor signing in as operator");
	cr_assert_str_eq(e2e_json_str(e, "message"), "sveta is a supervisor: sign in as supervisor");
	/* and a supervisor is no admin */
	sv = sign_in(h, "sveta", "s3cret-sveta", "admin");
	e = ws_expect_error(sv, "auth_failed", "a supervisor signing in as admin");
	cr_assert(strstr(e2e_json_str(e, "message"), "not an admin"), "%s", e2e_json_str(e, "message"));
}

E2E_TEST(hub_board, the_board_carries_the_sla_thresholds_of_the_options_and_the_config_file)
{
	/* the defaults: 13 s to be answered in the queue, 5 minutes for an answer in a held chat */
	struct e2e_hub *h = board_hub(NULL);
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true}");
	json_t *b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	cr_assert_eq(e2e_json_int(b, "sla_wait_ms", -1), 13000);
	cr_assert_eq(e2e_json_int(b, "sla_answer_ms", -1), 300000);
	e2e_proc_stop(h->proc);

	/* --sla-wait on the command line, sla-answer from the config file */
	char *conf = e2e_path("hub.conf");
	e2e_write_file(conf, "sla-answer = 42\n");
	h = e2e_hub_start_db(h->db, NULL, (const char *const[]){"--sla-wait", "7", "--config", conf, NULL});
	sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true}");
	b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	cr_assert_eq(e2e_json_int(b, "sla_wait_ms", -1), 7000);
	cr_assert_eq(e2e_json_int(b, "sla_answer_ms", -1), 42000);
}

/* The board entry of `user`, or NULL. */
static json_t *board_op(json_t *board, const char *user)
{
	json_t *ops = json_object_get(board, "operators");
	for (size_t i = 0; i < json_array_size(ops); i++)
		if (strcmp(e2e_json_str(json_array_get(ops, i), "user"), user) == 0)
			return json_array_get(ops, i);
	return NULL;
}

typedef bool board_pred(json_t *board, void *arg);

/* The next board for which pred holds (boards come at most once a second, on changes); fails the test after
 * 20 boards or a wait without one. */
static json_t *board_until(struct e2e_ws *ws, board_pred *pred, void *arg, const char *what)
{
	for (int i = 0; i < 20; i++) {
		json_t *b = ws_expect_type(ws, "board", E2E_WAIT_MS);
		cr_assert(b, "no board while waiting for %s: %s", what, ws_skipped(ws));
		if (pred(b, arg))
			return b;
	}
	cr_assert_fail("no board with %s", what);
	return NULL;
}

static bool anna_online(json_t *b, void *arg)
{
	(void)arg;
	return json_is_true(json_object_get(board_op(b, "anna"), "online"));
}

static bool anna_holds_unanswered(json_t *b, void *arg)
{
	json_t *c = json_array_get(json_object_get(board_op(b, "anna"), "chats"), 0);
	return c && e2e_json_int(c, "dialog", 0) == *(long long *)arg && e2e_json_int(c, "unanswered", 0) > 0;
}

static bool anna_holds_answered(json_t *b, void *arg)
{
	json_t *c = json_array_get(json_object_get(board_op(b, "anna"), "chats"), 0);
	return c && e2e_json_int(c, "dialog", 0) == *(long long *)arg && e2e_json_int(c, "unanswered", -1) == -1;
}

E2E_TEST(hub_board, operators_with_since_and_their_chats_with_unanswered_queues_and_trend)
{
	struct e2e_hub *h = board_hub(NULL);
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true}");
	json_t *b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	json_t *op = board_op(b, "anna");
	cr_assert(op && !json_is_true(json_object_get(op, "online")));
	cr_assert_eq(e2e_json_int(op, "since", 0), 0, "offline since before the hub started: unknown");
	cr_assert(!board_op(b, "root"), "an admin is not on the board");
	cr_assert_str_eq(e2e_json_str(board_op(b, "sveta"), "display"), "Светлана");
	cr_assert(e2e_json_int(board_op(b, "sveta"), "since", 0) > 0, "sveta signed in: online since then");

	/* anna signs in: online, since now */
	long long before = (long long)time(NULL) * 1000 - 1000;
	struct e2e_ws *anna = operator(h, "anna");
	b = board_until(sv, anna_online, NULL, "anna online");
	op = board_op(b, "anna");
	cr_assert_str_eq(e2e_json_str(op, "status"), "online");
	cr_assert_geq(e2e_json_int(op, "since", 0), before);
	/* the queues: general, anna serving it with 4 free slots */
	json_t *q = json_array_get(json_object_get(b, "queues"), 0);
	cr_assert(q, "no queues on the board");
	cr_assert_str_eq(e2e_json_str(q, "queue"), "general");
	cr_assert_eq(e2e_json_int(q, "online", -1), 1);
	cr_assert_eq(e2e_json_int(q, "free", -1), 4);
	cr_assert(json_array_size(json_object_get(b, "trend")) >= 1, "no trend");

	/* a customer writes: anna holds the chat, unanswered since the customer's first message */
	long long dlg;
	struct e2e_ws *cust = e2e_customer_open(h->port, "web", "Олег", "здравствуйте", &dlg);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	b = board_until(sv, anna_holds_unanswered, &dlg, "anna's chat unanswered");
	json_t *c = json_array_get(json_object_get(board_op(b, "anna"), "chats"), 0);
	cr_assert_str_eq(e2e_json_str(c, "customer"), "Олег");
	cr_assert_str_eq(e2e_json_str(c, "queue"), "general");
	cr_assert_geq(e2e_json_int(c, "unanswered", 0), before);
	cr_assert_eq(e2e_json_int(board_op(b, "anna"), "load", -1), 1);
	/* anna answers: answered */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Добрый день\"}", dlg);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "%s", ws_skipped(anna));
	b = board_until(sv, anna_holds_answered, &dlg, "anna's chat answered");
	/* the customer again: unanswered again */
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"а где заказ?\"}");
	b = board_until(sv, anna_holds_unanswered, &dlg, "anna's chat unanswered again");
	/* anna closes it: her today's figures follow within 10 s; the chat leaves her row */
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", dlg);
	cr_assert(ws_expect_type(anna, "closed", E2E_WAIT_MS), "%s", ws_skipped(anna));
	for (int i = 0; i < 30; i++) { /* a change a second until the 10 s read has come */
		b = ws_expect_type(sv, "board", E2E_WAIT_MS);
		cr_assert(b, "%s", ws_skipped(sv));
		if (e2e_json_int(board_op(b, "anna"), "closed", 0) == 1)
			break;
		ws_sendf(anna, "{\"type\":\"status\",\"status\":\"%s\"}", i % 2 ? "online" : "away");
	}
	op = board_op(b, "anna");
	cr_assert_eq(e2e_json_int(op, "closed", 0), 1, "anna's closed dialog never showed");
	cr_assert_gt(e2e_json_int(op, "first_response_avg_ms", -1), -1);
	cr_assert_eq(json_array_size(json_object_get(op, "chats")), 0);
	/* today: the dialog opened and assigned at once (within the SLA), closed */
	json_t *today = json_object_get(b, "today");
	cr_assert_eq(e2e_json_int(today, "opened", -1), 1);
	cr_assert_eq(e2e_json_int(today, "closed", -1), 1);
	cr_assert_eq(e2e_json_int(today, "assigned", -1), 1);
	cr_assert_eq(e2e_json_int(today, "in_sla", -1), 1);
	cr_assert_eq(e2e_json_int(today, "abandoned", 0), 0);
}

static bool has_gone_boris(json_t *b, void *arg)
{
	(void)arg;
	json_t *g = json_object_get(b, "gone");
	return json_array_size(g) == 1 && strcmp(e2e_json_str(json_array_get(g, 0), "user"), "boris") == 0;
}

E2E_TEST(hub_board, delta_boards_carry_the_changed_operators_and_the_gone_ones)
{
	struct e2e_hub *h = board_hub(NULL);
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true,\"delta\":true}");
	json_t *b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	cr_assert(!json_object_get(b, "delta"), "the first board is whole");
	cr_assert(board_op(b, "anna") && board_op(b, "boris") && board_op(b, "sveta"));
	/* anna signs in: a delta board with her alone */
	struct e2e_ws *anna = operator(h, "anna");
	b = board_until(sv, anna_online, NULL, "anna online");
	cr_assert(json_is_true(json_object_get(b, "delta")));
	cr_assert_eq(json_array_size(json_object_get(b, "operators")), 1, "a delta board carries the changed only");
	cr_assert(json_object_get(b, "today") && json_object_get(b, "queues"), "today and queues are whole as always");
	/* boris's account is disabled: he is gone from the next board that reads the accounts (every 10 s) */
	struct e2e_proc *p = e2e_run("disable", (char *[]){e2e_bin("opdesk-hub"), "user", "disable", "boris", "--db", h->db, NULL},
	                             NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	for (int i = 0; i < 30; i++) {
		ws_sendf(anna, "{\"type\":\"status\",\"status\":\"%s\"}", i % 2 ? "online" : "away");
		b = ws_expect_type(sv, "board", E2E_WAIT_MS);
		cr_assert(b, "%s", ws_skipped(sv));
		if (has_gone_boris(b, NULL))
			break;
	}
	cr_assert(has_gone_boris(b, NULL), "boris never went");
	cr_assert(json_is_true(json_object_get(b, "delta")));
	cr_assert(!board_op(b, "boris"));
	/* and once told, not again */
	ws_sendf(anna, "{\"type\":\"status\",\"status\":\"online\"}");
	ws_sendf(anna, "{\"type\":\"status\",\"status\":\"away\"}");
	b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	cr_assert(!json_object_get(b, "gone"), "gone twice: %s", json_dumps(b, 0));
	/* a supervisor without delta gets whole boards, without boris */
	struct e2e_ws *root = sign_in(h, "root", "s3cret-root", "supervisor");
	cr_assert(ws_expect_type(root, "welcome", E2E_WAIT_MS), "%s", ws_skipped(root));
	ws_sendf(root, "{\"type\":\"monitor\",\"on\":true}");
	b = ws_expect_type(root, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(root));
	cr_assert(board_op(b, "anna") && board_op(b, "sveta") && !board_op(b, "boris"));
}

E2E_TEST(hub_board, six_hundred_operators_come_in_frames_of_100_with_delta_and_500_without)
{
	char *db = board_db();
	struct e2e_proc *p = e2e_hub_user_add(db, "anna", "s3cret-anna", NULL);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	/* 598 more: with sveta and anna, 600 on the board (root is an admin: not on it) */
	char *ops = "('op001', 'operator', 'x', 4, 0, 0)";
	for (int i = 2; i <= 598; i++)
		ops = e2e_strf("%s, ('op%03d', 'operator', 'x', 4, 0, 0)", ops, i);
	e2e_db_exec(db, "INSERT INTO operators(name, role, secret_hash, capacity, disabled, created_ms) VALUES %s", ops);
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, NULL);
	struct e2e_ws *anna = operator(h, "anna");
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true,\"delta\":true}");
	json_t *b = ws_expect_type(sv, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sv));
	cr_assert(!json_object_get(b, "delta"));
	cr_assert_eq(json_array_size(json_object_get(b, "operators")), 100, "a frame holds 100 operators with delta");
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(b, "operators"), 0), "online")),
	          "the signed-in first");
	/* the rest in delta frames of 100, one a loop pass: every operator once, the last by name last */
	size_t total = 100;
	json_t *rest = NULL;
	for (int i = 0; i < 5; i++) {
		rest = ws_expect_type(sv, "board", E2E_WAIT_MS);
		cr_assert(rest, "%s", ws_skipped(sv));
		cr_assert(json_is_true(json_object_get(rest, "delta")));
		cr_assert_eq(json_array_size(json_object_get(rest, "operators")), 100);
		total += json_array_size(json_object_get(rest, "operators"));
	}
	cr_assert_eq(total, 600);
	cr_assert(board_op(rest, "op598"), "the last by name comes in the last frame");
	/* without delta: one board of 500, the signed-in first */
	struct e2e_ws *root = sign_in(h, "root", "s3cret-root", "supervisor");
	cr_assert(ws_expect_type(root, "welcome", E2E_WAIT_MS), "%s", ws_skipped(root));
	ws_sendf(root, "{\"type\":\"monitor\",\"on\":true}");
	b = ws_expect_type(root, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(root));
	cr_assert_eq(json_array_size(json_object_get(b, "operators")), 500);
	cr_assert(board_op(b, "anna") && board_op(b, "sveta"));
	(void)anna;
}

/* The alerts that reach ws until one of each kind in `kinds` came (bounded): an array owned by the test. */
static json_t *alerts_until(struct e2e_ws *ws, const char *const kinds[], json_t *seen)
{
	for (int round = 0; round < 40; round++) {
		bool all = true;
		for (size_t k = 0; kinds[k] && all; k++) {
			bool found = false;
			for (size_t i = 0; i < json_array_size(seen) && !found; i++)
				found = strcmp(e2e_json_str(json_array_get(seen, i), "kind"), kinds[k]) == 0;
			all = found;
		}
		if (all)
			return seen;
		json_t *a = ws_expect_type(ws, "alert", E2E_WAIT_MS);
		cr_assert(a, "alerts missing; got %s; skipped: %s", json_dumps(seen, 0), ws_skipped(ws));
		json_array_append(seen, a);
	}
	cr_assert_fail("too many alerts: %s", json_dumps(seen, 0));
	return NULL;
}

static json_t *alert_of(json_t *seen, const char *kind)
{
	json_t *hit = NULL;
	for (size_t i = 0; i < json_array_size(seen); i++)
		if (strcmp(e2e_json_str(json_array_get(seen, i), "kind"), kind) == 0) {
			cr_assert(!hit, "%s raised twice: %s", kind, json_dumps(seen, 0));
			hit = json_array_get(seen, i);
		}
	cr_assert(hit, "no %s alert", kind);
	return hit;
}

E2E_TEST(hub_board, each_alert_is_raised_once_and_kept_for_the_next_monitor)
{
	struct e2e_hub *h = board_hub((const char *const[]){"--sla-wait", "1", "--sla-answer", "1", "--capacity", "1", NULL});
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"monitor\",\"on\":true,\"delta\":true}");
	cr_assert(ws_expect_type(sv, "board", E2E_WAIT_MS), "%s", ws_skipped(sv));
	json_t *seen = e2e_own_json(json_array());

	/* a chat waits and no operator is online; it waits past the SLA */
	long long d1;
	struct e2e_ws *c1 = e2e_customer_open(h->port, "web", "Ольга", "здравствуйте", &d1);
	alerts_until(sv, (const char *const[]){"nobody_online", "queue_wait", NULL}, seen);
	json_t *a = alert_of(seen, "nobody_online");
	cr_assert_eq(e2e_json_int(a, "waiting", 0), 1);
	a = alert_of(seen, "queue_wait");
	cr_assert_eq(e2e_json_int(a, "dialog", 0), d1);
	cr_assert_str_eq(e2e_json_str(a, "customer"), "Ольга");
	cr_assert_str_eq(e2e_json_str(a, "queue"), "general");
	cr_assert_gt(e2e_json_int(a, "since", 0), 0);

	/* anna comes and gets it, but does not answer within the SLA */
	struct e2e_ws *anna = operator(h, "anna");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	alerts_until(sv, (const char *const[]){"unanswered", NULL}, seen);
	a = alert_of(seen, "unanswered");
	cr_assert_eq(e2e_json_int(a, "dialog", 0), d1);
	cr_assert_str_eq(e2e_json_str(a, "operator"), "anna");
	cr_assert_str_eq(e2e_json_str(a, "customer"), "Ольга");

	/* another chat while anna, the one online, is at capacity (1): the queue grows */
	long long d2;
	struct e2e_ws *c2 = e2e_customer_open(h->port, "telegram", "Пётр", "алло", &d2);
	(void)c2;
	alerts_until(sv, (const char *const[]){"queue_growing", NULL}, seen);
	a = alert_of(seen, "queue_growing");
	cr_assert_eq(e2e_json_int(a, "waiting", 0), 1);
	cr_assert_str_eq(e2e_json_str(a, "queue"), "general");

	/* anna files a claim, closes, and the customer rates it 2 */
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\",\"text\":\"курьер опоздал\"}", d1);
	alerts_until(sv, (const char *const[]){"claim", NULL}, seen);
	a = alert_of(seen, "claim");
	cr_assert_eq(e2e_json_int(a, "dialog", 0), d1);
	cr_assert_str_eq(e2e_json_str(a, "operator"), "anna");
	cr_assert_str_eq(e2e_json_str(a, "category"), "delivery");
	cr_assert_str_eq(e2e_json_str(a, "comment"), "курьер опоздал");
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d1);
	cr_assert(ws_expect_type(c1, "closed", E2E_WAIT_MS), "%s", ws_skipped(c1));
	ws_sendf(c1, "{\"type\":\"rate\",\"score\":2,\"comment\":\"Долго отвечали\"}");
	alerts_until(sv, (const char *const[]){"low_rating", NULL}, seen);
	a = alert_of(seen, "low_rating");
	cr_assert_eq(e2e_json_int(a, "dialog", 0), d1);
	cr_assert_eq(e2e_json_int(a, "score", 0), 2);
	cr_assert_str_eq(e2e_json_str(a, "comment"), "Долго отвечали");
	cr_assert_str_eq(e2e_json_str(a, "operator"), "anna");
	/* the second chat went to anna; its queue_wait came too, once */
	alerts_until(sv, (const char *const[]){"queue_wait", NULL}, seen);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));

	/* ids grow */
	for (size_t i = 1; i < json_array_size(seen); i++)
		cr_assert_gt(e2e_json_int(json_array_get(seen, i), "id", 0), e2e_json_int(json_array_get(seen, i - 1), "id", 0));
	/* a supervisor who starts monitoring now gets the day's alerts after its first board, oldest first */
	struct e2e_ws *root = sign_in(h, "root", "s3cret-root", "supervisor");
	cr_assert(ws_expect_type(root, "welcome", E2E_WAIT_MS), "%s", ws_skipped(root));
	ws_sendf(root, "{\"type\":\"monitor\",\"on\":true}");
	struct e2e_ws_frame f;
	for (;;) { /* (the offline requests' list follows the welcome: it is not the monitor's) */
		cr_assert_eq(ws_recv(root, &f, E2E_WAIT_MS), 1);
		if (!strstr(f.data, "\"type\":\"requests\""))
			break;
		ws_frame_free(&f);
	}
	bool board = strstr(f.data, "\"type\":\"board\"") != NULL;
	char *got = e2e_own(strdup(f.data));
	ws_frame_free(&f);
	cr_assert(board, "not the board first: %s", got);
	json_t *first = ws_expect_type(root, "alert", E2E_WAIT_MS);
	cr_assert(first, "%s", ws_skipped(root));
	cr_assert_eq(e2e_json_int(first, "id", 0), e2e_json_int(json_array_get(seen, 0), "id", -1));
	/* never to an operator */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"mark\",\"text\":\"готово\"}", d2);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "%s", ws_skipped(anna));
	cr_assert(!strstr(ws_skipped(anna), "\"alert\""), "an operator got an alert:\n%s", ws_skipped(anna));
}

/* The next watchers frame of ws for `dialog`: the user names of `by`, comma-separated. */
static char *watchers_next(struct e2e_ws *ws, long long dialog)
{
	json_t *w = ws_expect_type(ws, "watchers", E2E_WAIT_MS);
	cr_assert(w, "no watchers: %s", ws_skipped(ws));
	cr_assert_eq(e2e_json_int(w, "dialog", 0), dialog);
	char *names = e2e_strf("%s", "");
	json_t *by = json_object_get(w, "by");
	cr_assert(json_is_array(by), "watchers without by");
	for (size_t i = 0; i < json_array_size(by); i++)
		names = e2e_strf("%s%s%s", names, i ? "," : "", e2e_json_str(json_array_get(by, i), "user"));
	return names;
}

E2E_TEST(hub_board, watchers_whisper_and_takeover_as_the_operator_sees_them)
{
	struct e2e_hub *h = board_hub(NULL);
	struct e2e_ws *anna = operator(h, "anna");
	long long dlg;
	struct e2e_ws *cust = e2e_customer_open(h->port, "web", "Олег", "здравствуйте", &dlg);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));

	/* sveta watches: anna is told who, with the display name */
	struct e2e_ws *sv = supervisor(h);
	ws_sendf(sv, "{\"type\":\"watch\",\"dialog\":%lld,\"on\":true}", dlg);
	cr_assert(ws_expect_type(sv, "watching", E2E_WAIT_MS), "%s", ws_skipped(sv));
	json_t *w = ws_expect_type(anna, "watchers", E2E_WAIT_MS);
	cr_assert(w, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(json_array_get(json_object_get(w, "by"), 0), "user"), "sveta");
	cr_assert_str_eq(e2e_json_str(json_array_get(json_object_get(w, "by"), 0), "display"), "Светлана");
	/* root too; then root goes away: anna gets the shorter list */
	struct e2e_ws *root = sign_in(h, "root", "s3cret-root", "supervisor");
	cr_assert(ws_expect_type(root, "welcome", E2E_WAIT_MS), "%s", ws_skipped(root));
	ws_sendf(root, "{\"type\":\"watch\",\"dialog\":%lld,\"on\":true}", dlg);
	char *names = watchers_next(anna, dlg);
	cr_assert(strstr(names, "sveta") && strstr(names, "root"), "%s", names);
	ws_close(root);
	cr_assert_str_eq(watchers_next(anna, dlg), "sveta");

	/* the customer's typing reaches the watcher */
	ws_sendf(cust, "{\"type\":\"typing\",\"on\":true}");
	json_t *t = ws_expect_type(sv, "typing", E2E_WAIT_MS);
	cr_assert(t, "%s", ws_skipped(sv));
	cr_assert_eq(e2e_json_int(t, "dialog", 0), dlg);

	/* a whisper: kind whisper with sveta's names, to anna; sent again, stored once, the same ack */
	ws_sendf(sv, "{\"type\":\"whisper\",\"dialog\":%lld,\"client_msg_id\":\"w-1\",\"text\":\"Предложи промокод\"}", dlg);
	json_t *ack = ws_expect_type(sv, "ack", E2E_WAIT_MS);
	cr_assert(ack, "%s", ws_skipped(sv));
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(m, "kind"), "whisper");
	cr_assert_str_eq(e2e_json_str(m, "sender"), "note");
	cr_assert_str_eq(e2e_json_str(json_object_get(m, "args"), "user"), "sveta");
	cr_assert_str_eq(e2e_json_str(json_object_get(m, "args"), "name"), "Светлана");
	cr_assert_str_eq(e2e_json_str(m, "text"), "Предложи промокод");
	ws_sendf(sv, "{\"type\":\"whisper\",\"dialog\":%lld,\"client_msg_id\":\"w-1\",\"text\":\"Предложи промокод\"}", dlg);
	json_t *again = ws_expect_type(sv, "ack", E2E_WAIT_MS);
	cr_assert(again, "%s", ws_skipped(sv));
	cr_assert_eq(e2e_json_int(again, "id", 0), e2e_json_int(ack, "id", -1));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE client_msg_id = 'w-1' AND kind = 'whisper'"), 1);
	/* the customer: everything up to anna's next answer, and never the whisper */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-mark\",\"text\":\"метка\"}", dlg);
	char *all = e2e_strf("%s", "");
	for (;;) {
		struct e2e_ws_frame f;
		cr_assert_eq(ws_recv(cust, &f, E2E_WAIT_MS), 1, "the marker never came; got:\n%s", all);
		all = e2e_strf("%s%s\n", all, f.data);
		bool marker = strstr(f.data, "метка") != NULL;
		ws_frame_free(&f);
		if (marker)
			break;
	}
	cr_assert(!strstr(all, "промокод") && !strstr(all, "whisper"), "the customer got the whisper:\n%s", all);

	/* sveta stops watching: anna gets an empty list */
	ws_sendf(sv, "{\"type\":\"watch\",\"dialog\":%lld,\"on\":false}", dlg);
	cr_assert_str_eq(watchers_next(anna, dlg), "");
	/* the takeover: anna's released says taken_over, with sveta's names */
	ws_sendf(sv, "{\"type\":\"takeover\",\"dialog\":%lld}", dlg);
	json_t *rel = ws_expect_type(anna, "released", E2E_WAIT_MS);
	cr_assert(rel, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(rel, "kind"), "taken_over");
	cr_assert_str_eq(e2e_json_str(json_object_get(rel, "args"), "user"), "sveta");
	cr_assert_str_eq(e2e_json_str(json_object_get(rel, "args"), "name"), "Светлана");
	/* an operator's monitor is refused */
	ws_sendf(anna, "{\"type\":\"monitor\",\"on\":true,\"delta\":true}");
	ws_expect_error(anna, "not_allowed", "monitor by an operator");
}

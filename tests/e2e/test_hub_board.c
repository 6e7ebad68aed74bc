/* test_hub_board.c: the supervisor's side of the hub as docs/protocol.md ("Supervisors") has it, against the
 * real hub over WebSockets: who may sign in as what (and why not), the board's fields (presence with since,
 * held chats with their unanswered time, today's figures, queues, trend, the SLA thresholds), delta boards
 * (changed operators only, gone ones, more than 500 operators in several frames), alerts of each kind,
 * watchers, whispers (stored once, never to the customer) and a takeover's released. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <string.h>

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

/* test_cli.c: the command lines of the three programs as a user meets them: --help, a bad flag, adding
 * an account twice, signing in with a wrong secret, and starting the client without any secret. Exit
 * codes are the shared ones: 0 ok, 1 runtime failure, 2 usage error. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(cli, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const programs[] = {"opdesk", "opdesk-hub", "opdesk-sim"};

E2E_TEST(cli, help_exits_0_with_usage_on_stdout)
{
	for (size_t i = 0; i < sizeof programs / sizeof *programs; i++) {
		char *argv[] = {e2e_bin(programs[i]), "--help", NULL};
		struct e2e_proc *p = e2e_run(programs[i], argv, NULL, E2E_WAIT_MS);
		const char *out = e2e_proc_stdout(p);
		cr_expect_eq(e2e_proc_exit_code(p), 0, "%s --help: %s; stderr:\n%s", programs[i],
		             e2e_proc_how(p), e2e_proc_stderr(p));
		cr_expect(strcasestr(out, "usage"), "%s --help: no usage on stdout:\n%s", programs[i], out);
		cr_expect(strstr(out, "--help"), "%s --help does not list its options:\n%s", programs[i],
		          out);
		cr_expect(strstr(out, programs[i]), "%s --help does not name the program:\n%s", programs[i],
		          out);
	}
}

E2E_TEST(cli, bad_flag_exits_2_with_a_message_on_stderr)
{
	for (size_t i = 0; i < sizeof programs / sizeof *programs; i++) {
		char *argv[] = {e2e_bin(programs[i]), "--no-such-flag", NULL};
		struct e2e_proc *p = e2e_run(programs[i], argv, NULL, E2E_WAIT_MS);
		const char *err = e2e_proc_stderr(p);
		cr_expect_eq(e2e_proc_exit_code(p), 2, "%s --no-such-flag: %s (want exit 2); stderr:\n%s",
		             programs[i], e2e_proc_how(p), err);
		cr_expect(strstr(err, "--no-such-flag"), "%s does not name the bad flag on stderr:\n%s",
		          programs[i], err);
		cr_expect(strstr(err, programs[i]), "%s: the error does not name the program:\n%s",
		          programs[i], err);
		if (strcmp(programs[i], "opdesk-hub") == 0) /* the hub's documented format */
			cr_expect(strncmp(err, "opdesk-hub: ", 12) == 0,
			          "the error does not start with \"opdesk-hub: \":\n%s", err);
		cr_expect_str_empty(e2e_proc_stdout(p), "%s wrote to stdout on a usage error", programs[i]);
	}
}

E2E_TEST(cli, bad_flag_values_are_usage_errors)
{
	const char *const cases[][4] = {
	    {"opdesk-hub", "--port", "99999", NULL}, {"opdesk-hub", "--log-level", "loud", NULL},
	    {"opdesk-sim", "--rate", "fast", NULL},  {"opdesk-sim", "--think", "6000-2000", NULL},
	    {"opdesk", "--log-level", "loud", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *argv[] = {e2e_bin(cases[i][0]), (char *)cases[i][1], (char *)cases[i][2], NULL};
		struct e2e_proc *p = e2e_run(cases[i][0], argv, NULL, E2E_WAIT_MS);
		cr_expect_eq(e2e_proc_exit_code(p), 2, "%s %s %s: %s (want exit 2); stderr:\n%s", cases[i][0],
		             cases[i][1], cases[i][2], e2e_proc_how(p), e2e_proc_stderr(p));
		cr_expect(strstr(e2e_proc_stderr(p), cases[i][1]),
		          "%s %s %s: the message does not name the option:\n%s", cases[i][0], cases[i][1],
		          cases[i][2], e2e_proc_stderr(p));
	}
}

E2E_TEST(cli, user_add_twice_fails_the_second_time)
{
	char *db = e2e_path("hub.db");
	struct e2e_proc *p = e2e_hub_user_add(db, "boris", "first-secret", NULL);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "user add: %s; stderr:\n%s", e2e_proc_how(p),
	             e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "boris", "second-secret", NULL);
	const char *err = e2e_proc_stderr(p);
	cr_assert_eq(e2e_proc_exit_code(p), 1, "the second user add: %s (want exit 1); stderr:\n%s",
	             e2e_proc_how(p), err);
	cr_assert(strstr(err, "opdesk-hub: user boris exists"), "unclear message for an existing user:\n%s",
	          err);
	cr_assert_eq(e2e_count(err, "\n"), 1, "the error is not one line:\n%s", err);

	/* the first account is intact: one row, and it signs in with the first secret only */
	sqlite3 *sq = e2e_db_open(db);
	cr_assert_eq(e2e_db_int(sq, -1, "SELECT count(*) FROM operators WHERE name='boris'"), 1);
	char *hash = e2e_db_text(sq, "SELECT secret_hash FROM operators WHERE name='boris'");
	cr_assert(hash && strncmp(hash, "$y$", 3) == 0, "the secret is not stored as a yescrypt hash: %s",
	          hash ? hash : "NULL");
	struct e2e_hub *hub = e2e_hub_start_db(db, NULL, NULL);
	struct e2e_ws *ws = ws_connect_ok(hub->port, "opdesk.agent.v1");
	ws_hello(ws, "boris", "first-secret");
}

E2E_TEST(cli, user_add_reads_the_secret_from_stdin)
{
	char *db = e2e_path("hub.db");
	char *argv[] = {e2e_bin("opdesk-hub"), "user", "add", "vera", "--db", db, NULL};
	struct e2e_spawn_opts o = {.stdin_text = "", .fd3 = -1};
	struct e2e_proc *p = e2e_run("useradd", argv, &o, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 1, "user add with no secret on stdin: %s; stderr:\n%s",
	             e2e_proc_how(p), e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "opdesk-hub: "), "no clear message:\n%s", e2e_proc_stderr(p));
}

E2E_TEST(cli, client_with_a_wrong_secret_says_so)
{
	const char *users[] = {"anna", "right-secret", NULL};
	struct e2e_hub *hub = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(hub, "anna", "wrong-secret", 24, 80, NULL);
	term_proc(t)->daemon = false; /* it is expected to fail */
	/* either the screen says so (and the client may stay), or it exits with the reason on stderr */
	bool on_screen = term_wait_text(t, "authentication failed", E2E_WAIT_MS);
	if (!on_screen || !e2e_proc_alive(term_proc(t))) {
		cr_assert(term_wait_exit(t, E2E_WAIT_MS),
		          "the client hangs after a refused sign-in; screen:\n%s", term_screen_text(t));
		const char *err = term_stderr(t);
		cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 1,
		             "the client ended with %s (want exit 1); stderr:\n%s",
		             e2e_proc_how(term_proc(t)), err);
		cr_assert(strstr(err, "authentication failed") || on_screen,
		          "no clear error on stderr or on the screen; stderr:\n%s\nscreen:\n%s", err,
		          term_screen_text(t));
	}
	cr_assert(e2e_hub_log_wait(hub, "sign-in refused for \"anna\"", 5000),
	          "the hub did not log the refusal:\n%s", e2e_proc_stderr(hub->proc));
	cr_assert(e2e_proc_alive(hub->proc));
}

E2E_TEST(cli, client_without_a_secret_refuses_to_start)
{
	char *argv[] = {e2e_bin("opdesk"), "--url", "ws://127.0.0.1:9", "--user", "anna", NULL};
	struct e2e_proc *p = e2e_run("opdesk", argv, NULL, E2E_WAIT_MS); /* e2e_env() drops OPDESK_SECRET */
	const char *err = e2e_proc_stderr(p);
	cr_assert(p->exited && e2e_proc_exit_code(p) != 0, "the client started without a secret: %s",
	          e2e_proc_how(p));
	cr_assert(strstr(err, "secret"), "the error does not say the secret is missing:\n%s", err);
	cr_assert(strncmp(err, "opdesk: ", 8) == 0, "the error does not start with \"opdesk: \":\n%s", err);

	char *argv2[] = {
	    e2e_bin("opdesk"),        "--url", "ws://127.0.0.1:9", "--user", "anna", "--secret-file",
	    e2e_path("no-such-file"), NULL};
	p = e2e_run("opdesk", argv2, NULL, E2E_WAIT_MS);
	err = e2e_proc_stderr(p);
	cr_assert(e2e_proc_exit_code(p) != 0, "the client started with a missing secret file: %s",
	          e2e_proc_how(p));
	cr_assert(strstr(err, "no-such-file"), "the error does not name the missing file:\n%s", err);
}

E2E_TEST(cli, hub_reports_its_port_and_stops_cleanly_on_sigterm)
{
	struct e2e_hub *hub = e2e_hub_start(NULL, NULL);
	const char *line = e2e_strf("listening on ws://127.0.0.1:%d", hub->port);
	cr_assert(e2e_hub_log_wait(hub, line, E2E_WAIT_MS), "the hub did not log \"%s\":\n%s", line,
	          e2e_proc_stderr(hub->proc));
	sqlite3 *db = e2e_db_open(hub->db);
	cr_assert_eq(e2e_db_int(db, -1, "PRAGMA user_version"), 5, "the schema version is not 5");
	cr_assert_str_eq(e2e_db_text(db, "PRAGMA journal_mode"), "wal");
	cr_assert(kill(hub->proc->pid, SIGTERM) == 0);
	cr_assert(e2e_proc_wait(hub->proc, E2E_WAIT_MS), "the hub did not stop on SIGTERM");
	cr_assert_eq(e2e_proc_exit_code(hub->proc), 0, "the hub ended with %s on SIGTERM; stderr:\n%s",
	             e2e_proc_how(hub->proc), e2e_proc_stderr(hub->proc));

	/* --ready-fd must not be stdin, stdout or stderr */
	char *argv[] = {e2e_bin("opdesk-hub"), "--port", "0", "--ready-fd", "1", "--db",
	                e2e_path("x.db"),      NULL};
	struct e2e_proc *p = e2e_run("hub", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "--ready-fd 1: %s (want exit 2); stderr:\n%s", e2e_proc_how(p),
	             e2e_proc_stderr(p));
}

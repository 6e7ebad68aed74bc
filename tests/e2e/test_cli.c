/* test_cli.c: the command lines of the programs as a user meets them: --help, a bad flag, a missing value,
 * adding an account twice, signing in with a wrong secret, starting the client without any secret, and the
 * man pages listing exactly the options --help lists. Exit codes are the shared ones: 0 ok, 1 runtime
 * failure, 2 usage error. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
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

/* A known option without its value is named as such, in each program's words (opdesk said "unknown
 * option --url": its getopt was not asked to tell the two apart). */
E2E_TEST(cli, a_missing_value_is_not_an_unknown_option)
{
	const char *const cases[][3] = {
	    {"opdesk", "--url", "opdesk: option --url needs an argument\n"},
	    {"opdesk-hub", "--port", "opdesk-hub: --port needs a value (try --help)\n"},
	    {"opdesk-sim", "--url", "opdesk-sim: option '--url' needs a value\n"},
	    {"opdesk-bridge", "--url", "opdesk-bridge: --url needs a value (try --help)\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *argv[] = {e2e_bin(cases[i][0]), (char *)cases[i][1], NULL};
		struct e2e_proc *p = e2e_run(cases[i][0], argv, NULL, E2E_WAIT_MS);
		cr_expect_eq(e2e_proc_exit_code(p), 2, "%s %s: %s (want exit 2)", cases[i][0], cases[i][1],
		             e2e_proc_how(p));
		cr_expect(strncmp(e2e_proc_stderr(p), cases[i][2], strlen(cases[i][2])) == 0,
		          "%s %s: want \"%s\", got:\n%s", cases[i][0], cases[i][1], cases[i][2], e2e_proc_stderr(p));
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
	struct e2e_db *sq = e2e_db_open(db);
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
	struct e2e_db *db = e2e_db_open(hub->db);
	cr_assert_eq(e2e_db_int(db, -1, "PRAGMA user_version"), 8, "the schema version is not 8");
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

/* The options a program's --help lists ("  --name" or "  -x, --name" at the start of a line), as
 * " name name ... " (each once) for strstr. */
static char *help_options(const char *help)
{
	char *set = e2e_strf(" ");
	for (const char *l = help; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l;
		if (strncmp(p, "  -", 3) == 0 && p[3] != '-' && strncmp(p + 4, ", --", 4) == 0)
			p += 6;
		else if (strncmp(p, "  --", 4) == 0)
			p += 4;
		else
			continue;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
		char *word = e2e_strf(" %.*s ", (int)n, p);
		if (!strstr(set, word))
			set = e2e_strf("%s%s", set, word + 1);
	}
	return set;
}

/* The options a man page lists: the tags (the line after .TP) of its sections whose title has OPTIONS,
 * each "\-\-name" in them (a tag may name two: "--tls-cert FILE, --tls-key FILE"). */
static char *man_options(const char *man)
{
	char *set = e2e_strf(" ");
	bool in_options = false, tag = false;
	for (const char *l = man; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		size_t len = strchr(l, '\n') ? (size_t)(strchr(l, '\n') - l) : strlen(l);
		char *line = e2e_strf("%.*s", (int)len, l);
		if (strncmp(line, ".SH", 3) == 0) {
			in_options = strstr(line, "OPTIONS") != NULL;
			continue;
		}
		bool is_tag = tag;
		tag = strcmp(line, ".TP") == 0;
		if (!in_options || !is_tag)
			continue;
		for (const char *p = strstr(line, "\\-\\-"); p; p = strstr(p, "\\-\\-")) {
			p += 4;
			char name[64];
			size_t n = 0;
			while (n + 1 < sizeof name && (isalnum((unsigned char)*p) || *p == '-' || strncmp(p, "\\-", 2) == 0)) {
				if (*p == '\\')
					p++;
				name[n++] = *p++;
			}
			name[n] = '\0';
			char *word = e2e_strf(" %s ", name);
			if (!strstr(set, word))
				set = e2e_strf("%s%s", set, word + 1);
		}
	}
	return set;
}

/* Each name of set a that set b lacks, "" if none. */
static char *options_missing(const char *a, const char *b)
{
	char *out = e2e_strf("%s", "");
	for (const char *p = a + 1; *p;) {
		const char *sp = strchr(p, ' ');
		char *word = e2e_strf(" %.*s ", (int)(sp - p), p);
		if (!strstr(b, word))
			out = e2e_strf("%s--%.*s ", out, (int)(sp - p), p);
		p = sp + 1;
	}
	return out;
}

/* The man pages list exactly the options the programs have: --help is printed from each program's options
 * tables (src/core/opts.c), and its options are compared with the man page's OPTIONS sections. */
E2E_TEST(cli, man_pages_list_exactly_the_options)
{
	static const char *const all[] = {"opdesk", "opdesk-hub", "opdesk-sim", "opdesk-bridge"};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		char *argv[] = {e2e_bin(all[i]), "--help", NULL};
		struct e2e_proc *p = e2e_run(all[i], argv, NULL, E2E_WAIT_MS);
		cr_assert_eq(e2e_proc_exit_code(p), 0, "%s --help: %s", all[i], e2e_proc_how(p));
		char *help = help_options(e2e_proc_stdout(p));
		char *path = e2e_strf("%s/docs/%s.1", getenv("OPDESK_SOURCE_DIR"), all[i]);
		char *text = e2e_slurp(path, NULL);
		cr_assert_not_null(text, "cannot read %s", path);
		char *man = man_options(text);
		cr_assert(strlen(help) > 10 && strlen(man) > 10, "%s: no options found (help:%s man:%s)", all[i], help,
		          man);
		char *not_in_man = options_missing(help, man), *not_in_help = options_missing(man, help);
		cr_expect_str_empty(not_in_man, "%s has options its man page does not list: %s", all[i], not_in_man);
		cr_expect_str_empty(not_in_help, "docs/%s.1 lists options the program does not have: %s", all[i],
		                    not_in_help);
	}
}

/* test_hub_config.c: the hub's config file. Settings in `--config FILE` take effect (the language of system
 * messages, a manual queue, the grace period), flags override the file, and a mistake in the file stops the
 * hub before it listens with "FILE:LINE: what is wrong" and exit status 2: an unknown key, a bad value, a
 * setting that belongs on the command line only, a named file that does not exist. The default file under
 * $XDG_CONFIG_HOME is read when it exists. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_config, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* A chat opened by a customer: the text of the system message the operator gets when it is assigned. */
static const char *joined_text(struct e2e_hub *h)
{
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Анна\",\"text\":\"вопрос\"}");
	json_t *m = ws_expect_type(c, "message", E2E_WAIT_MS);
	cr_assert(m, "no system message reached the customer");
	return e2e_json_str(m, "text");
}

E2E_TEST(hub_config, settings_apply_and_flags_override_them)
{
	char *conf = e2e_path("hub.conf");
	e2e_write_file(conf, "# the hub's settings\n"
			     "lang = en          # system messages in English\n"
			     "grace = 0\n"
			     "\n"
			     "queue = stylist=manual\n");
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, (const char *const[]){"--config", conf, NULL});
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	cr_assert_str_eq(joined_text(h), "Operator anna joined the chat");
	e2e_proc_stop(h->proc);

	/* the same file with --lang ru on the command line: the flag wins */
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, (const char *const[]){"--config", conf, "--lang", "ru", NULL});
	struct e2e_ws *anna2 = ws_connect_ok(h2->port, "opdesk.agent.v1");
	ws_hello(anna2, "anna", "s3cret-anna");
	cr_assert_str_eq(joined_text(h2), "Оператор anna подключился к чату", "the config's lang won over the flag");
}

static void expect_refused(const char *text, const char *want)
{
	char *conf = e2e_path("bad.conf");
	e2e_write_file(conf, text);
	char *argv[] = {e2e_bin("opdesk-hub"), "--config", conf, "--db", e2e_path("x.db"), "--port", "0", NULL};
	struct e2e_proc *p = e2e_run("hub", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s: %s", e2e_proc_how(p), e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), e2e_strf("%s:%s", conf, want)), "no \"%s\" in:\n%s", want,
		  e2e_proc_stderr(p));
}

E2E_TEST(hub_config, mistakes_stop_the_hub_with_the_line)
{
	expect_refused("lang = en\nporrt = 9000\n", "2: unknown setting \"porrt\"");
	expect_refused("# limits\n\nmax-connections = 0\n", "3: --max-connections 0: expected a number from 1");
	expect_refused("ready-fd = 5\n", "1: ready-fd is given on the command line only");
	expect_refused("[server]\nport = 1\n", "1: sections are not used");
	expect_refused("lang\n", "1: expected KEY = VALUE");
	expect_refused("lang = en\nstandby = maybe\n", "2: standby: expected yes or no, got \"maybe\"");
	expect_refused("help = yes\n", "1: help is given on the command line only");
	char *argv[] = {e2e_bin("opdesk-hub"), "--config", e2e_path("missing.conf"), "--port", "0", NULL};
	struct e2e_proc *p = e2e_run("hub", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "missing.conf: No such file or directory"), "%s", e2e_proc_stderr(p));
}

E2E_TEST(hub_config, the_default_file_under_xdg_config_home_is_read)
{
	/* e2e_env gives children XDG_CONFIG_HOME inside the test folder */
	char *dir = e2e_path("home/config/opdesk");
	char *cmd = e2e_strf("mkdir -p '%s'", dir);
	cr_assert(system(cmd) == 0);
	e2e_write_file(e2e_strf("%s/hub.conf", dir), "lang = en\n");
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	cr_assert_str_eq(joined_text(h), "Operator anna joined the chat");
}

/* test_client_settings.c: the client's settings as an operator meets them: a config file in
 * $XDG_CONFIG_HOME/opdesk/config that names the hub, the user, the secret file, a theme and a rebound key;
 * broken themes and config lines refused before the screen changes, with FILE:LINE and exit 2; a theme's
 * 256-colour values reaching the terminal; NO_COLOR leaving colour out entirely. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(client_settings, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static char *config_dir(void)
{
	char *dir = e2e_strf("%s/home/config/opdesk", e2e_dir());
	mkdir(e2e_strf("%s/home", e2e_dir()), 0700);
	mkdir(e2e_strf("%s/home/config", e2e_dir()), 0700);
	mkdir(dir, 0700);
	return dir;
}

static struct e2e_proc *run_opdesk(char *const argv[])
{
	return e2e_run("opdesk", argv, NULL, E2E_WAIT_MS);
}

E2E_TEST(client_settings, a_broken_theme_is_refused_with_its_line)
{
	char *theme = e2e_path("broken.theme");
	e2e_write_file(theme, "# my theme\nstatus = white blue\npane.header = purple\n");
	char *argv[] = {e2e_bin("opdesk"), "--theme", theme, NULL};
	struct e2e_proc *p = run_opdesk(argv);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s; stderr:\n%s", e2e_proc_how(p), e2e_proc_stderr(p));
	const char *want = e2e_strf("opdesk: %s:3: \"purple\" is neither a colour", theme);
	cr_assert(strstr(e2e_proc_stderr(p), want), "stderr:\n%s\nwant: %s", e2e_proc_stderr(p), want);

	char *argv2[] = {e2e_bin("opdesk"), "--theme", "no-such-theme", NULL};
	p = run_opdesk(argv2);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "no theme \"no-such-theme\""), "%s", e2e_proc_stderr(p));
}

E2E_TEST(client_settings, broken_config_lines_are_refused_with_their_line)
{
	char *dir = config_dir();
	e2e_write_file(e2e_strf("%s/config", dir), "url = ws://127.0.0.1:1\n\ncolour = red\n");
	char *argv[] = {e2e_bin("opdesk"), NULL};
	struct e2e_proc *p = run_opdesk(argv);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s; stderr:\n%s", e2e_proc_how(p), e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "/opdesk/config:3: unknown setting \"colour\""), "%s",
	          e2e_proc_stderr(p));

	/* a theme the file names that does not exist: its line, and the themes folder really looked in */
	e2e_write_file(e2e_strf("%s/config", dir), "# mine\ntheme = nosuch\n");
	p = run_opdesk(argv);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s; stderr:\n%s", e2e_proc_how(p), e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "/opdesk/config:2: no theme \"nosuch\""), "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), e2e_strf("looked in %s/themes,", dir)), "not the folder of XDG_CONFIG_HOME:\n%s",
	          e2e_proc_stderr(p));

	e2e_write_file(e2e_strf("%s/config", dir), "[keys]\nF5 = take-next\nF6 = teleport\n");
	p = run_opdesk(argv);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s; stderr:\n%s", e2e_proc_how(p), e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "/opdesk/config:3:"), "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "teleport"), "%s", e2e_proc_stderr(p));

	char *argv2[] = {e2e_bin("opdesk"), "--config", e2e_path("missing.conf"), NULL};
	p = run_opdesk(argv2);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "missing.conf: No such file"), "%s", e2e_proc_stderr(p));
}

E2E_TEST(client_settings, the_config_file_connects_themes_and_rebinds)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *dir = config_dir();
	e2e_write_file(e2e_strf("%s/secret", dir), "s3cret-anna\n");
	chmod(e2e_strf("%s/secret", dir), 0600);
	e2e_write_file(e2e_strf("%s/config", dir),
	               e2e_strf("# anna's workstation\n"
	                        "url = %s\n"
	                        "user = anna\n"
	                        "secret-file = ~/config/opdesk/secret\n"
	                        "theme = dark\n"
	                        "[keys]\n"
	                        "F5 = take-next\n",
	                        h->url));
	char *argv[] = {e2e_bin("opdesk"), "--log", e2e_path("client.log"), NULL};
	struct e2e_term *t = term_spawn(argv, NULL, 30, 120, false);
	term_expect(t, "online", E2E_WAIT_MS); /* signed in: the welcome came */
	term_send(t, TK_F3);
	term_expect(t, "(away)", E2E_WAIT_MS);

	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"telegram\",\"name\":\"Полина\",\"text\":\"Где мой заказ?\"}");
	term_expect(t, "queue: 1", E2E_WAIT_MS);
	term_send(t, "\x1b[15~"); /* F5, bound to take-next by the config */
	term_expect(t, "Полина · telegram", E2E_WAIT_MS);

	size_t len;
	const char *raw = term_raw_output(t, &len);
	cr_assert(memmem(raw, len, "38;5;", 5) || memmem(raw, len, "48;5;", 5),
	          "the dark theme's 256-colour values never reached the terminal");
}

E2E_TEST(client_settings, no_color_means_no_colour)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *secret = e2e_path("secret");
	e2e_write_file(secret, "s3cret-anna\n");
	const char *extra[] = {"NO_COLOR=1", NULL};
	char *argv[] = {e2e_bin("opdesk"), "--url", h->url, "--user", "anna", "--secret-file", secret, "--theme", "dark",
	                "--log", e2e_path("client.log"), NULL};
	struct e2e_term *t = term_spawn(argv, e2e_env(extra), 30, 120, false);
	term_expect(t, "queue: 0", E2E_WAIT_MS);
	size_t len;
	const char *raw = term_raw_output(t, &len);
	for (size_t i = 0; i + 3 < len; i++) {
		/* SGR colour: ESC [ 3x / 4x / 38;5 / 48;5 (possibly after other parameters) */
		if (raw[i] != '\x1b' || raw[i + 1] != '[')
			continue;
		size_t j = i + 2;
		while (j < len && ((raw[j] >= '0' && raw[j] <= '9') || raw[j] == ';'))
			j++;
		if (j < len && raw[j] == 'm') {
			const char *params = e2e_strf("%.*s", (int)(j - i - 2), raw + i + 2);
			for (const char *p = params; *p; p += strcspn(p, ";"), p += *p == ';') {
				int v = atoi(p);
				cr_assert(!((v >= 30 && v <= 49) || (v >= 90 && v <= 107)) || v == 39 || v == 49,
				          "NO_COLOR set, yet colour SGR \"%s\" at byte %zu", params, i);
			}
		}
	}
}

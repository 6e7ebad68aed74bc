/* test_client_config.c: the settings file: every key, the [keys] section, errors with line numbers, the
 * secret never in the file, and the XDG default path. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/config.h"

Test(config, a_comment_after_a_value_is_cut_as_the_documented_example_shows)
{
	struct config c;
	config_init(&c);
	char err[256];
	const char *text = "sla-warn = 60     # seconds: a waiting customer turns to the warning colour\n"
	                   "url = ws://hub.local:8740/chat#frag\n"
	                   "[keys]   # bindings\n"
	                   "F5 = take-next   # the next waiting chat\n";
	cr_assert_eq(config_parse(&c, text, err, sizeof err), 0, "%s", err);
	cr_assert_eq(c.sla_warn_s, 60);
	cr_assert_str_eq(c.url, "ws://hub.local:8740/chat#frag", "a # inside a value is kept");
	cr_assert_eq(c.n_binds, 1);
	cr_assert_str_eq(c.binds[0].command, "take-next");
	cr_assert_null(c.binds[0].arg);
	config_free(&c);
}

Test(config, reads_every_setting_and_the_key_bindings)
{
	setenv("HOME", "/home/anna", 1);
	struct config c;
	config_init(&c);
	char err[256];
	const char *text = "# opdesk settings\n"
	                   "url = ws://hub.local:8740\n"
	                   "user = anna\n"
	                   "role = supervisor\n"
	                   "secret-file = ~/.config/opdesk/secret\n"
	                   "ca-file = ~/company-ca.pem\n"
	                   "theme = dark\n"
	                   "log-level = debug\n"
	                   "sla-warn = 30\n"
	                   "sla-late = 120\n"
	                   "bell = off\n"
	                   "sidebar = right\n"
	                   "\n"
	                   "[keys]\n"
	                   "F5 = take-next\n"
	                   "M-9 = focus 4\n";
	cr_assert_eq(config_parse(&c, text, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(c.url, "ws://hub.local:8740");
	cr_assert_str_eq(c.user, "anna");
	cr_assert_str_eq(c.role, "supervisor");
	cr_assert_str_eq(c.secret_file, "/home/anna/.config/opdesk/secret");
	cr_assert_str_eq(c.ca_file, "/home/anna/company-ca.pem");
	cr_assert_str_eq(c.theme, "dark");
	cr_assert_str_eq(c.log_level, "debug");
	cr_assert_eq(c.sla_warn_s, 30);
	cr_assert_eq(c.sla_late_s, 120);
	cr_assert_eq(c.bell, 0);
	cr_assert_str_eq(c.sidebar, "right");
	cr_assert_eq(c.n_binds, 2);
	cr_assert_str_eq(c.binds[0].key, "F5");
	cr_assert_str_eq(c.binds[0].command, "take-next");
	cr_assert_null(c.binds[0].arg);
	cr_assert_str_eq(c.binds[1].arg, "4");
	cr_assert_eq(c.binds[1].line, 16);
	config_free(&c);
}

Test(config, errors_name_their_line)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"colour = red\n", "1: unknown setting \"colour\""},
		{"\nsecret = hunter2\n", "2: the secret itself never goes in the config"},
		{"url\n", "1: expected KEY = VALUE"},
		{"sla-warn = soon\n", "1: sla-warn: \"soon\" is not a number"},
		{"sla-late = 0\n", "1: sla-late: \"0\" is not a number"},
		{"bell = loud\n", "1: bell: use on or off"},
		{"sidebar = top\n", "1: sidebar: use left, right or hidden"},
		{"[colours]\n", "1: unknown section [colours]"},
		{"[keys]\nF5 =\n", "2: the key F5 is bound to no command"},
		{"sla-warn = 300\nsla-late = 60\n", "2: sla-warn (300 s) must be shorter"},
		{"user =\n", "1: user has no value"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct config c;
		config_init(&c);
		char err[256] = "";
		cr_expect_eq(config_parse(&c, bad[i].text, err, sizeof err), -1, "#%zu accepted", i);
		cr_expect(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0, "#%zu: \"%s\", want \"%s...\"", i, err,
		          bad[i].want);
		config_free(&c);
	}
}

Test(config, default_path_follows_xdg)
{
	setenv("HOME", "/home/anna", 1);
	unsetenv("XDG_CONFIG_HOME");
	char *p = config_default_path();
	cr_assert_str_eq(p, "/home/anna/.config/opdesk/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "/srv/cfg", 1);
	p = config_default_path();
	cr_assert_str_eq(p, "/srv/cfg/opdesk/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
	p = config_default_path();
	cr_assert_str_eq(p, "/home/anna/.config/opdesk/config");
	free(p);
}

Test(config, a_missing_default_file_is_fine_a_missing_named_one_is_not)
{
	struct config c;
	config_init(&c);
	char err[256];
	cr_assert_eq(config_load(&c, "/nonexistent/opdesk/config", false, err, sizeof err), 0);
	cr_assert_eq(config_load(&c, "/nonexistent/opdesk/config", true, err, sizeof err), -1);
	cr_assert(strstr(err, "/nonexistent/opdesk/config: No such file"), "%s", err);
	config_free(&c);
}

/* test_client_theme.c: the theme parser (colours by name, index and #rrggbb; attributes; errors with their
 * line numbers), the colour fitting for 256/16/8-colour terminals, and the theme search path. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/theme.h"

static const char *const roles[] = {"default", "status", "pane.header.focus", "message.note"};
#define N_ROLES (sizeof roles / sizeof *roles)

static const char *const source_dirs[] = {OPDESK_SOURCE_THEMES_DIR, NULL};

Test(theme, parses_names_indexes_rgb_and_attributes)
{
	struct theme t;
	char err[256];
	const char *text = "# a comment\n"
	                   "name = Ночная смена\n"
	                   "\n"
	                   "status = white blue bold\n"
	                   "pane.header.focus=#1c1c1c #87afd7 bold underline # trailing comment\n"
	                   "message.note = 244 default italic\n"
	                   "default = bright-white\n";
	cr_assert_eq(theme_parse(text, roles, N_ROLES, &t, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(t.name, "Ночная смена");
	cr_assert_eq(t.n, 4);
	cr_assert_str_eq(t.entries[0].role, "status");
	cr_assert_eq(t.entries[0].fg, 7);
	cr_assert_eq(t.entries[0].bg, 4);
	cr_assert_eq(t.entries[0].attrs, THEME_BOLD);
	cr_assert_eq(t.entries[1].fg, THEME_RGB_FLAG | 0x1c1c1c);
	cr_assert_eq(t.entries[1].bg, THEME_RGB_FLAG | 0x87afd7);
	cr_assert_eq(t.entries[1].attrs, THEME_BOLD | THEME_UNDERLINE);
	cr_assert_eq(t.entries[2].fg, 244);
	cr_assert_eq(t.entries[2].bg, THEME_DEFAULT_COLOR);
	cr_assert_eq(t.entries[3].fg, 15);
	cr_assert_eq(t.entries[3].line, 7);
	theme_free(&t);
}

Test(theme, errors_name_their_line)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{"status = white\nbogus = red\n", "2: unknown colour role \"bogus\""},
		{"status white blue\n", "1: expected ROLE ="},
		{"\n\nstatus = white blue green\n", "3: more than two colours"},
		{"status = 256\n", "1: \"256\" is neither"},
		{"status = 12x\n", "1: \"12x\" is neither"},
		{"status = sparkly\n", "1: \"sparkly\" is neither"},
		{"status =\n", "1: the role \"status\" has no colour"},
		{"name =\n", "1: expected: name = TEXT"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct theme t;
		char err[256] = "";
		cr_expect_eq(theme_parse(bad[i].text, roles, N_ROLES, &t, err, sizeof err), -1, "#%zu accepted", i);
		cr_expect(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0, "#%zu: \"%s\", want \"%s...\"", i, err,
		          bad[i].want);
	}
}

Test(theme, colours_fit_the_terminal)
{
	cr_assert_eq(theme_fit_color(THEME_DEFAULT_COLOR, 8), THEME_DEFAULT_COLOR);
	cr_assert_eq(theme_fit_color(4, 8), 4);
	cr_assert_eq(theme_fit_color(200, 256), 200);
	cr_assert_eq(theme_fit_color(THEME_RGB_FLAG | 0xff0000, 256), 9);        /* pure red is the bright red */
	cr_assert_eq(theme_fit_color(THEME_RGB_FLAG | 0x87afd7, 256), 110);      /* an exact cube colour */
	cr_assert_eq(theme_fit_color(THEME_RGB_FLAG | 0x080808, 256), 232);      /* the first grey */
	cr_assert_eq(theme_fit_color(THEME_RGB_FLAG | 0x0000ee, 16), 4);         /* blue */
	cr_assert_eq(theme_fit_color(196, 16), 9);                               /* 256 red -> bright red */
	cr_assert_eq(theme_fit_color(9, 8), 1);                                  /* bright red -> red */
	cr_assert_eq(theme_fit_color(THEME_RGB_FLAG | 0xf0f0f0, 8), 7);          /* near white -> white */
	for (int c = 0; c < 256; c++)
		cr_assert_lt(theme_fit_color(c, 8), 8);
}

Test(theme, found_in_the_user_folder_first)
{
	char dir[] = "/tmp/opdesk-theme-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[512];
	snprintf(path, sizeof path, "%s/opdesk", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/opdesk/themes", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/opdesk/themes/dark.theme", dir);
	FILE *f = fopen(path, "w");
	fputs("status = red\n", f);
	fclose(f);
	setenv("XDG_CONFIG_HOME", dir, 1);
	char *found = theme_find("dark", source_dirs);
	cr_assert_str_eq(found, path);
	free(found);
	found = theme_find("light", source_dirs); /* not in the user's folder: the shipped one */
	cr_assert_not_null(found);
	cr_assert(strstr(found, "/themes/light.theme"));
	free(found);
	cr_assert_null(theme_find("no-such-theme", source_dirs));
	/* the prompt's Tab: every theme once (the user's dark hides the shipped one), sorted */
	char **names = NULL;
	size_t n = theme_names(source_dirs, &names);
	cr_assert(n >= 5, "%zu themes", n);
	size_t darks = 0;
	for (size_t i = 0; i < n; i++) {
		darks += strcmp(names[i], "dark") == 0;
		if (i)
			cr_assert(strcmp(names[i - 1], names[i]) < 0, "%s before %s", names[i - 1], names[i]);
	}
	cr_assert_eq(darks, 1);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	unlink(path);
}

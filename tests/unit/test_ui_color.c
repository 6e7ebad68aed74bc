/* test_ui_color.c: every theme shipped in themes/ parses against the ui's real colour roles, default.theme
 * names every role (so it documents them all), and the SLA colour choice follows its thresholds. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "opdesk/theme.h"
#include "opdesk/ui_color.h"

Test(ui_color, every_shipped_theme_parses_and_default_names_every_role)
{
	size_t n;
	const char *const *roles = ui_color_role_names(&n);
	cr_assert_geq(n, 40);
	DIR *d = opendir(OPDESK_SOURCE_THEMES_DIR);
	cr_assert_not_null(d);
	int count = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		size_t len = strlen(e->d_name);
		if (len < 7 || strcmp(e->d_name + len - 6, ".theme") != 0)
			continue;
		char path[1024], err[512];
		snprintf(path, sizeof path, "%s/%s", OPDESK_SOURCE_THEMES_DIR, e->d_name);
		struct theme t;
		cr_expect_eq(theme_load(path, roles, n, &t, err, sizeof err), 0, "%s", err);
		cr_expect_not_null(t.name, "%s has no name line", path);
		if (strcmp(e->d_name, "default.theme") == 0 || strcmp(e->d_name, "mono.theme") == 0) {
			for (size_t r = 0; r < n; r++) {
				bool set = false;
				for (size_t k = 0; k < t.n && !set; k++)
					set = strcmp(t.entries[k].role, roles[r]) == 0;
				cr_expect(set, "%s does not set the role %s", e->d_name, roles[r]);
			}
		}
		theme_free(&t);
		count++;
	}
	closedir(d);
	cr_assert_geq(count, 5, "only %d themes shipped", count);
}

Test(ui_color, sla_colours_follow_the_thresholds)
{
	enum ui_color_role n = UI_C_QUEUE_WAIT, w = UI_C_QUEUE_WAIT_WARN, l = UI_C_QUEUE_WAIT_LATE;
	cr_assert_eq(ui_color_sla(0, 60000, 300000, n, w, l), n);
	cr_assert_eq(ui_color_sla(59999, 60000, 300000, n, w, l), n);
	cr_assert_eq(ui_color_sla(60000, 60000, 300000, n, w, l), w);
	cr_assert_eq(ui_color_sla(299999, 60000, 300000, n, w, l), w);
	cr_assert_eq(ui_color_sla(300000, 60000, 300000, n, w, l), l);
}

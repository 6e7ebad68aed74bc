/* fuzz_theme.c: the theme parser (theme.h) on arbitrary text, with the client's real colour roles: no memory
 * error or leak, and an accepted theme only holds known roles and valid colours. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/theme.h"
#include "opdesk/ui_color.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool color_ok(int c)
{
	return c == THEME_DEFAULT_COLOR || (c >= 0 && c <= 255) || (c & ~0xFFFFFF) == THEME_RGB_FLAG;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t n_roles;
	const char *const *roles = ui_color_role_names(&n_roles);
	struct theme t;
	char err[512];
	if (theme_parse(text, roles, n_roles, &t, err, sizeof err) == 0) {
		for (size_t i = 0; i < t.n; i++) {
			bool known = false;
			for (size_t k = 0; k < n_roles && !known; k++)
				known = strcmp(roles[k], t.entries[i].role) == 0;
			if (!known || !color_ok(t.entries[i].fg) || !color_ok(t.entries[i].bg)) {
				fprintf(stderr, "fuzz_theme: entry %zu (%s) accepted with fg %d bg %d\n", i, t.entries[i].role,
				        t.entries[i].fg, t.entries[i].bg);
				abort();
			}
			for (int colors = 8; colors <= 256; colors *= 2)
				if (!color_ok(theme_fit_color(t.entries[i].fg, colors)))
					abort();
		}
		theme_free(&t);
	}
	free(text);
	return 0;
}

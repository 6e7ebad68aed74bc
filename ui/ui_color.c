/* ui_color.c: the colour role table and its set-up (see ui_color.h). */
#include "opdesk/ui_color.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/theme.h"
#include "opdesk/xalloc.h"

struct ui_color_def {
	const char *name;
	short fg, bg;
	attr_t attr, mono;
};

static const struct ui_color_def ui_color_builtin[UI_C_COUNT] = {
#define UI_COLOR_DEF(id, name, fg, bg, attr, mono) [UI_C_##id] = {name, fg, bg, attr, mono},
    UI_COLOR_ROLES(UI_COLOR_DEF)
#undef UI_COLOR_DEF
};
/* the built-in table with the theme laid over it (ui_color_init) */
static struct ui_color_def ui_color_defs[UI_C_COUNT] = {
#define UI_COLOR_DEF(id, name, fg, bg, attr, mono) [UI_C_##id] = {name, fg, bg, attr, mono},
    UI_COLOR_ROLES(UI_COLOR_DEF)
#undef UI_COLOR_DEF
};

static bool ui_color_on;
/* the roles drawn with pair 0: the terminal's own colours and no attribute (see ui_color_pair) */
static bool ui_color_plain[UI_C_COUNT];
static const struct theme *ui_theme;
static const char *ui_role_names[UI_C_COUNT];

const char *const *ui_color_role_names(size_t *n)
{
	for (int i = 0; i < UI_C_COUNT; i++)
		ui_role_names[i] = ui_color_builtin[i].name;
	*n = UI_C_COUNT;
	return ui_role_names;
}

void ui_color_use_theme(const struct theme *t)
{
	ui_theme = t;
}

int ui_color_load_theme(const char *name, const char *const *dirs, struct theme *out, char **why)
{
	char *path = theme_find(name, dirs), err[512];
	size_t n_roles;
	const char *const *roles = ui_color_role_names(&n_roles);
	if (!path) {
		char *own = theme_user_dir();
		*why = xasprintf(_("no theme \"%s\" (looked in %s, $XDG_DATA_DIRS/opdesk/themes and %s)"), name,
		                 own ? own : "~/.config/opdesk/themes", dirs && dirs[0] ? dirs[0] : "-");
		free(own);
		return -1;
	}
	int rc = theme_load(path, roles, n_roles, out, err, sizeof err);
	free(path);
	if (rc < 0)
		*why = xstrdup(err);
	return rc;
}

static attr_t theme_attrs(unsigned a)
{
	attr_t r = A_NORMAL;
	if (a & THEME_BOLD)
		r |= A_BOLD;
	if (a & THEME_DIM)
		r |= A_DIM;
	if (a & THEME_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & THEME_REVERSE)
		r |= A_REVERSE;
	if (a & THEME_ITALIC)
		r |= A_ITALIC;
	return r;
}

/* Lay the theme over the built-in table; colours are fitted to what the terminal has. */
static void ui_color_apply_theme(void)
{
	memcpy(ui_color_defs, ui_color_builtin, sizeof ui_color_defs);
	for (size_t k = 0; ui_theme && k < ui_theme->n; k++) {
		const struct theme_entry *e = &ui_theme->entries[k];
		for (int i = 0; i < UI_C_COUNT; i++) {
			if (strcmp(ui_color_defs[i].name, e->role) != 0)
				continue;
			ui_color_defs[i].fg = (short)theme_fit_color(e->fg, COLORS);
			ui_color_defs[i].bg = (short)theme_fit_color(e->bg, COLORS);
			ui_color_defs[i].attr = theme_attrs(e->attrs);
		}
	}
}

void ui_color_init(void)
{
	const char *no = getenv("NO_COLOR");
	ui_color_on = !(no && *no) && has_colors();
	memcpy(ui_color_defs, ui_color_builtin, sizeof ui_color_defs);
	if (!ui_color_on)
		return;
	start_color();
	ui_color_apply_theme();
	bool defaults = use_default_colors() == OK;
	for (int i = 1; i < UI_C_COUNT; i++) {
		short fg = ui_color_defs[i].fg, bg = ui_color_defs[i].bg;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		/* a role in the terminal's own colours is drawn with pair 0: a cell in another pair of the same
		 * colours still differs from the terminal's normal state, and curses resets the attributes
		 * after it at the end of every update (7 bytes after each character typed in the composer) */
		ui_color_plain[i] = defaults && fg < 0 && bg < 0;
		if (i >= COLOR_PAIRS)
			break;
		init_pair((short)i, fg, bg);
	}
}

bool ui_color_enabled(void)
{
	return ui_color_on;
}

bool ui_color_ascii(void)
{
	return !ui_color_on || (ui_theme && ui_theme->name && strcmp(ui_theme->name, "mono") == 0);
}

const char *ui_color_name(enum ui_color_role r)
{
	return r < UI_C_COUNT ? ui_color_defs[r].name : "?";
}

attr_t ui_color_attr(enum ui_color_role r)
{
	if (r >= UI_C_COUNT)
		r = UI_C_DEFAULT;
	return ui_color_on ? ui_color_defs[r].attr : ui_color_defs[r].mono;
}

short ui_color_pair(enum ui_color_role r)
{
	if (!ui_color_on || r >= UI_C_COUNT || r == UI_C_DEFAULT || (int)r >= COLOR_PAIRS || ui_color_plain[r])
		return 0;
	return (short)r;
}

enum ui_color_role ui_color_sla(long long waited, int warn_ms, int late_ms, enum ui_color_role normal,
                                enum ui_color_role warn, enum ui_color_role late)
{
	if (waited >= late_ms)
		return late;
	return waited >= warn_ms ? warn : normal;
}

/* ui_color.c: the colour role table and its set-up (see ui_color.h). */
#include "opdesk/ui_color.h"

#include <stdlib.h>

struct ui_color_def {
	const char *name;
	short fg, bg;
	attr_t attr, mono;
};

static const struct ui_color_def ui_color_defs[UI_C_COUNT] = {
#define UI_COLOR_DEF(id, name, fg, bg, attr, mono) [UI_C_##id] = {name, fg, bg, attr, mono},
    UI_COLOR_ROLES(UI_COLOR_DEF)
#undef UI_COLOR_DEF
};

static bool ui_color_on;

void ui_color_init(void)
{
	const char *no = getenv("NO_COLOR");
	ui_color_on = !(no && *no) && has_colors();
	if (!ui_color_on)
		return;
	start_color();
	bool defaults = use_default_colors() == OK;
	for (int i = 1; i < UI_C_COUNT; i++) {
		short fg = ui_color_defs[i].fg, bg = ui_color_defs[i].bg;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (i >= COLOR_PAIRS)
			break;
		init_pair((short)i, fg, bg);
	}
}

bool ui_color_enabled(void)
{
	return ui_color_on;
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
	if (!ui_color_on || r >= UI_C_COUNT || r == UI_C_DEFAULT || (int)r >= COLOR_PAIRS)
		return 0;
	return (short)r;
}

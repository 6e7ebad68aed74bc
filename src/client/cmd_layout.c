/* cmd_layout.c: commands that arrange the screen: zoom the focused pane to the whole dialog area and back,
 * swap it with the next pane, and move the queue sidebar (left, right, hidden). */
#include "opdesk/cmd.h"

#include <string.h>

#include "opdesk/cmdline.h"
#include "opdesk/i18n.h"

static unsigned cmd_zoom_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	v->zoom = !v->zoom;
	deskview_dirty(v, DESKVIEW_DIRTY_LAYOUT | DESKVIEW_DIRTY_ALL);
	return 0;
}

const struct cmd_entry cmd_zoom_entry = {
    .name = "zoom",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Zoom the focused dialog to the whole area, or back"),
    .exec = cmd_zoom_exec,
};

static unsigned cmd_swap_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (!deskview_swap(ctx->view))
		desk_set_error(ctx->desk, _("only one dialog: nothing to swap"));
	return 0;
}

const struct cmd_entry cmd_swap_entry = {
    .name = "swap",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Swap the focused dialog with the next pane"),
    .exec = cmd_swap_exec,
};

/* arg: "left", "right", "hidden", or "" to go round those three. */
static unsigned cmd_sidebar_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (!arg || !*arg)
		v->sidebar = (enum deskview_sidebar)((v->sidebar + 1) % 3);
	else if (strcmp(arg, "left") == 0)
		v->sidebar = DESKVIEW_SIDEBAR_LEFT;
	else if (strcmp(arg, "right") == 0)
		v->sidebar = DESKVIEW_SIDEBAR_RIGHT;
	else if (strcmp(arg, "hidden") == 0)
		v->sidebar = DESKVIEW_SIDEBAR_HIDDEN;
	else
		return 0;
	deskview_dirty(v, DESKVIEW_DIRTY_LAYOUT | DESKVIEW_DIRTY_ALL);
	return 0;
}

static void cmd_sidebar_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	(void)ctx;
	cmdline_offer_add(o, "left", NULL);
	cmdline_offer_add(o, "right", NULL);
	cmdline_offer_add(o, "hidden", NULL);
}

const struct cmd_entry cmd_sidebar_entry = {
    .name = "sidebar",
    .group = CMD_GROUP_PANES,
    .usage = "[left|right|hidden]",
    .help = N_("Move the queue sidebar: left, right, hidden"),
    .exec = cmd_sidebar_exec,
    .args = cmd_sidebar_args,
};

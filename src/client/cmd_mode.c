/* cmd_mode.c: commands of popups and modes: the wrap-up topic picker, quit (with confirmation), help. */
#include "opdesk/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"

static unsigned cmd_quit_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (desk_open_count(ctx->desk) > 0 && ctx->view->mode != DESKVIEW_CONFIRM_QUIT) {
		deskview_set_mode(ctx->view, DESKVIEW_CONFIRM_QUIT);
		return 0;
	}
	ctx->view->quit = true;
	return CMD_QUIT;
}

const struct cmd_entry cmd_quit_entry = {
    .name = "quit",
    .usage = "",
    .help = N_("Quit (asks first when dialogs are open)"),
    .exec = cmd_quit_exec,
};

static unsigned cmd_quit_now_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	ctx->view->quit = true;
	return CMD_QUIT;
}

const struct cmd_entry cmd_quit_now_entry = {
    .name = "quit-now",
    .usage = "",
    .help = N_("Quit without asking"),
    .exec = cmd_quit_now_exec,
};

static unsigned cmd_cancel_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	deskview_set_mode(ctx->view, DESKVIEW_NORMAL);
	return 0;
}

const struct cmd_entry cmd_cancel_entry = {
    .name = "cancel",
    .usage = "",
    .help = N_("Close the popup"),
    .exec = cmd_cancel_exec,
};

static unsigned cmd_help_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	deskview_set_mode(ctx->view, ctx->view->mode == DESKVIEW_HELP ? DESKVIEW_NORMAL : DESKVIEW_HELP);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .usage = "",
    .help = N_("Show the keys"),
    .exec = cmd_help_exec,
};

static unsigned cmd_topic_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_TOPIC || proto_n_topics == 0)
		return 0;
	v->topic_sel = (v->topic_sel + proto_n_topics + (size_t)(dir < 0 ? -1 : 1)) % proto_n_topics;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_topic_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_topic_move(ctx, -1);
}

const struct cmd_entry cmd_topic_up_entry = {
    .name = "topic-up",
    .usage = "",
    .help = N_("Highlight the previous topic"),
    .exec = cmd_topic_up_exec,
};

static unsigned cmd_topic_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_topic_move(ctx, 1);
}

const struct cmd_entry cmd_topic_down_entry = {
    .name = "topic-down",
    .usage = "",
    .help = N_("Highlight the next topic"),
    .exec = cmd_topic_down_exec,
};

/* arg: "" picks the highlighted topic, "1".."7" picks by number. */
static unsigned cmd_topic_pick_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_TOPIC)
		return 0;
	size_t i = v->topic_sel;
	if (*arg) {
		long n = strtol(arg, NULL, 10);
		if (n < 1 || (size_t)n > proto_n_topics)
			return 0;
		i = (size_t)n - 1;
	}
	int64_t dialog = v->topic_dialog;
	deskview_set_mode(v, DESKVIEW_NORMAL);
	desk_close(ctx->desk, dialog, proto_topics[i]);
	return 0;
}

const struct cmd_entry cmd_topic_pick_entry = {
    .name = "topic-pick",
    .usage = "[N]",
    .help = N_("Close the dialog with the highlighted (or Nth) topic"),
    .exec = cmd_topic_pick_exec,
};

/* cmd_mode.c: commands of popups and modes: the wrap-up topic picker, quit (with confirmation), the key help
 * and the message log, and paging through those two. */
#include "opdesk/cmd.h"

#include <limits.h>
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
    .group = CMD_GROUP_SCREEN,
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
    .group = CMD_GROUP_SCREEN,
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
    .group = CMD_GROUP_SCREEN,
    .usage = "",
    .help = N_("Close the popup"),
    .exec = cmd_cancel_exec,
};

static unsigned cmd_help_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	ctx->view->pager.top = 0;
	deskview_set_mode(ctx->view, ctx->view->mode == DESKVIEW_HELP ? DESKVIEW_NORMAL : DESKVIEW_HELP);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .group = CMD_GROUP_SCREEN,
    .usage = "",
    .help = N_("Show the keys"),
    .exec = cmd_help_exec,
};

static unsigned cmd_topic_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_TOPIC || proto_n_topics == 0)
		return 0;
	v->topic.sel = (v->topic.sel + proto_n_topics + (size_t)(dir < 0 ? -1 : 1)) % proto_n_topics;
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
    .group = CMD_GROUP_POPUP,
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
    .group = CMD_GROUP_POPUP,
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
	size_t i = v->topic.sel;
	if (*arg) {
		long n = strtol(arg, NULL, 10);
		if (n < 1 || (size_t)n > proto_n_topics)
			return 0;
		i = (size_t)n - 1;
	}
	int64_t dialog = v->topic.dialog;
	deskview_set_mode(v, DESKVIEW_NORMAL);
	desk_close(ctx->desk, dialog, proto_topics[i]);
	return 0;
}

const struct cmd_entry cmd_topic_pick_entry = {
    .name = "topic-pick",
    .group = CMD_GROUP_POPUP,
    .usage = "[N]",
    .help = N_("Close the dialog with the highlighted (or Nth) topic"),
    .exec = cmd_topic_pick_exec,
};

static unsigned cmd_messages_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	ctx->view->pager.top = INT_MAX / 2; /* the newest at the bottom, in view */
	deskview_set_mode(ctx->view, ctx->view->mode == DESKVIEW_LOG ? DESKVIEW_NORMAL : DESKVIEW_LOG);
	return 0;
}

const struct cmd_entry cmd_messages_entry = {
    .name = "messages",
    .group = CMD_GROUP_SCREEN,
    .usage = "",
    .help = N_("Show the message log: every status line and error, with its time"),
    .exec = cmd_messages_exec,
};

/* Move the help's or the log's view by `rows` (INT_MAX: to the end); the ui clamps it. */
static unsigned cmd_pager_move(struct cmd_ctx *ctx, int rows)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_HELP && v->mode != DESKVIEW_LOG)
		return 0;
	if (rows == INT_MAX)
		v->pager.top = INT_MAX / 2;
	else if (rows == INT_MIN)
		v->pager.top = 0;
	else
		v->pager.top = v->pager.top + rows < 0 ? 0 : v->pager.top + rows;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static int cmd_pager_page(const struct cmd_ctx *ctx)
{
	return ctx->view->pager.page > 1 ? ctx->view->pager.page - 1 : 1;
}

#define CMD_PAGER(fn, cname, rows, chelp)                                                                    \
	static unsigned cmd_##fn##_exec(struct cmd_ctx *ctx, const char *arg)                                \
	{                                                                                                    \
		(void)arg;                                                                                   \
		return cmd_pager_move(ctx, rows);                                                            \
	}                                                                                                    \
	const struct cmd_entry cmd_##fn##_entry = {                                                          \
	    .name = cname, .group = CMD_GROUP_POPUP, .usage = "", .help = chelp, .exec = cmd_##fn##_exec};

CMD_PAGER(pager_up, "pager-up", -1, N_("Scroll up a line"))
CMD_PAGER(pager_down, "pager-down", 1, N_("Scroll down a line"))
CMD_PAGER(pager_page_up, "pager-page-up", -cmd_pager_page(ctx), N_("Scroll up a page"))
CMD_PAGER(pager_page_down, "pager-page-down", cmd_pager_page(ctx), N_("Scroll down a page"))
CMD_PAGER(pager_top, "pager-top", INT_MIN, N_("Go to the top"))
CMD_PAGER(pager_bottom, "pager-bottom", INT_MAX, N_("Go to the bottom"))

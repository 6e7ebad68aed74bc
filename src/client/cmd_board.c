/* cmd_board.c: the supervisor's board commands: showing it (or the panes), moving the highlight over the
 * operators (and the chats of one, listed under it) or the alerts, sorting and filtering, and from a row to the
 * dialog behind it. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/board.h"
#include "opdesk/i18n.h"
#include "opdesk/utf8.h"

static bool cmd_board_ready(struct cmd_ctx *ctx)
{
	if (ctx->desk->board)
		return true;
	desk_set_error(ctx->desk, _("the board is for supervisors in monitor mode: start opdesk with --monitor"));
	return false;
}

static unsigned cmd_board_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (!cmd_board_ready(ctx))
		return 0;
	v->board.shown = !v->board.shown;
	if (v->board.shown) {
		deskview_set_mode(v, DESKVIEW_BOARD);
	} else {
		v->mode = DESKVIEW_NORMAL; /* set_mode would keep the board's keys */
	}
	deskview_dirty(v, DESKVIEW_DIRTY_ALL);
	return CMD_REDRAW;
}

const struct cmd_entry cmd_board_entry = {
    .name = "board",
    .group = CMD_GROUP_SCREEN,
    .usage = "",
    .help = N_("Switch between the supervisor's board and the dialog panes (monitor mode)"),
    .exec = cmd_board_exec,
};

/* Put the highlight on row i of the operators (clamped). */
static void cmd_board_select_row(struct deskview *v, const struct deskview_board_row *rows, size_t n, long i)
{
	if (!n)
		return;
	if (i < 0)
		i = 0;
	if ((size_t)i >= n)
		i = (long)n - 1;
	const struct proto_board_op *o = &v->desk->board->ops[rows[i].op];
	snprintf(v->board.sel_user, sizeof v->board.sel_user, "%s", o->user);
	v->board.sel_dialog = rows[i].dialog;
}

static void cmd_board_select_alert(struct deskview *v, long i)
{
	const struct board *b = v->desk->board;
	if (!b->n_alerts)
		return;
	if (i < 0)
		i = 0;
	if ((size_t)i >= b->n_alerts)
		i = (long)b->n_alerts - 1;
	v->board.sel_alert = b->alerts[i]->id;
}

/* Move the highlight by `by` rows (INT32_MAX/-INT32_MAX: to the end/start) in the list that has the keys. */
static unsigned cmd_board_move(struct cmd_ctx *ctx, long by)
{
	struct deskview *v = ctx->view;
	if (!cmd_board_ready(ctx))
		return 0;
	if (v->board.on_alerts) {
		cmd_board_select_alert(v, (long)deskview_board_alert_sel(v) + by);
	} else {
		size_t n;
		struct deskview_board_row *rows = deskview_board_rows(v, &n);
		cmd_board_select_row(v, rows, n, (long)deskview_board_sel(v, rows, n) + by);
		free(rows);
	}
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

static long cmd_board_page(const struct cmd_ctx *ctx)
{
	int p = ctx->view->board.on_alerts ? ctx->view->board.alert_page : ctx->view->board.page;
	return p > 1 ? p - 1 : 1;
}

#define BOARD_MOVE(fn, name_, by, help_)                                                                   \
	static unsigned fn##_exec(struct cmd_ctx *ctx, const char *arg)                                    \
	{                                                                                                  \
		(void)arg;                                                                                 \
		return cmd_board_move(ctx, by);                                                            \
	}                                                                                                  \
	const struct cmd_entry fn##_entry = {                                                              \
	    .name = name_, .group = CMD_GROUP_POPUP, .usage = "", .help = help_, .exec = fn##_exec};

BOARD_MOVE(cmd_board_up, "board-up", -1, N_("Highlight the row above"))
BOARD_MOVE(cmd_board_down, "board-down", 1, N_("Highlight the row below"))
BOARD_MOVE(cmd_board_page_up, "board-page-up", -cmd_board_page(ctx), N_("Highlight a page up"))
BOARD_MOVE(cmd_board_page_down, "board-page-down", cmd_board_page(ctx), N_("Highlight a page down"))
BOARD_MOVE(cmd_board_first, "board-first", -(1L << 30), N_("Highlight the first row"))
BOARD_MOVE(cmd_board_last, "board-last", 1L << 30, N_("Highlight the last row"))

static unsigned cmd_board_switch_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (!cmd_board_ready(ctx))
		return 0;
	ctx->view->board.on_alerts = !ctx->view->board.on_alerts;
	deskview_dirty(ctx->view, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_switch_entry = {
    .name = "board-switch",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Move the keys between the operators and the alerts"),
    .exec = cmd_board_switch_exec,
};

static unsigned cmd_board_sort_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (!cmd_board_ready(ctx))
		return 0;
	if (arg && *arg) {
		int s = board_sort_parse(arg);
		if (s < 0) {
			desk_set_error(ctx->desk, _("sort by \"%s\"? Use load, unanswered or name"), arg);
			return 0;
		}
		v->board.sort = s;
	} else {
		v->board.sort = (v->board.sort + 1) % BOARD_SORT_COUNT;
	}
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_sort_entry = {
    .name = "board-sort",
    .group = CMD_GROUP_POPUP,
    .usage = "[load|unanswered|name]",
    .help = N_("Sort the operators: by load, by the longest unanswered customer, by name (no argument: the next)"),
    .exec = cmd_board_sort_exec,
};

static unsigned cmd_board_filter_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (!cmd_board_ready(ctx))
		return 0;
	if (arg && *arg) { /* from the prompt or a replay: set it at once */
		snprintf(v->board.filter, sizeof v->board.filter, "%s", arg);
		deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
		return 0;
	}
	v->board.on_alerts = false;
	deskview_set_mode(v, DESKVIEW_BOARD_FILTER);
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_filter_entry = {
    .name = "board-filter",
    .group = CMD_GROUP_POPUP,
    .usage = "[TEXT]",
    .help = N_("Show only the operators whose name, or a queue they serve a chat in, holds the text"),
    .exec = cmd_board_filter_exec,
};

static unsigned cmd_board_filter_type_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	size_t len = strlen(v->board.filter), add = arg ? strlen(arg) : 0;
	if (!add || len + add >= sizeof v->board.filter)
		return 0;
	memcpy(v->board.filter + len, arg, add + 1);
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_filter_type_entry = {
    .name = "board-filter-type",
    .group = CMD_GROUP_POPUP,
    .usage = "TEXT",
    .help = N_("Type into the board's filter"),
    .exec = cmd_board_filter_type_exec,
};

static unsigned cmd_board_filter_erase_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	size_t len = strlen(v->board.filter);
	while (len > 0 && ((unsigned char)v->board.filter[len - 1] & 0xC0) == 0x80)
		len--; /* the continuation bytes of the last character */
	if (len > 0)
		len--;
	v->board.filter[len] = '\0';
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_filter_erase_entry = {
    .name = "board-filter-erase",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Erase the filter's last character"),
    .exec = cmd_board_filter_erase_exec,
};

static unsigned cmd_board_filter_done_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (arg && strcmp(arg, "clear") == 0)
		v->board.filter[0] = '\0';
	deskview_set_mode(v, DESKVIEW_BOARD);
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_filter_done_entry = {
    .name = "board-filter-done",
    .group = CMD_GROUP_POPUP,
    .usage = "[clear]",
    .help = N_("Stop typing the filter (clear: and show everyone again)"),
    .exec = cmd_board_filter_done_exec,
};

/* The dialog behind the highlighted alert or chat row; 0 on an operator's own row (*op then set), or with the
 * reason on the status bar. */
static int64_t cmd_board_dialog(struct cmd_ctx *ctx, const struct proto_board_op **op)
{
	struct deskview *v = ctx->view;
	const struct board *b = ctx->desk->board;
	*op = NULL;
	if (v->board.on_alerts) {
		if (!b->n_alerts) {
			desk_set_error(ctx->desk, _("no alerts"));
			return 0;
		}
		int64_t dialog = b->alerts[deskview_board_alert_sel(v)]->dialog;
		if (!dialog)
			desk_set_error(ctx->desk, _("this alert is about no single dialog"));
		return dialog;
	}
	size_t n;
	struct deskview_board_row *rows = deskview_board_rows(v, &n);
	if (!n) {
		free(rows);
		desk_set_error(ctx->desk, _("no operator on the board"));
		return 0;
	}
	struct deskview_board_row r = rows[deskview_board_sel(v, rows, n)];
	free(rows);
	if (!r.dialog)
		*op = &b->ops[r.op];
	return r.dialog;
}

static unsigned cmd_board_watch(struct cmd_ctx *ctx, int64_t dialog)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)dialog);
	return cmd_run(ctx, "watch", num);
}

/* Enter: an operator's row lists its chats under it (or folds them again); a chat or an alert opens the
 * dialog behind it, read-only, in a pane. */
static unsigned cmd_board_open_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (!cmd_board_ready(ctx))
		return 0;
	const struct proto_board_op *o;
	int64_t dialog = cmd_board_dialog(ctx, &o);
	if (dialog)
		return cmd_board_watch(ctx, dialog);
	if (!o)
		return 0;
	if (strcmp(v->board.open_user, o->user) == 0) {
		v->board.open_user[0] = '\0';
	} else if (!o->n_chats) {
		desk_set_error(ctx->desk, _("%s holds no chat now"), o->display ? o->display : o->user);
		return 0;
	} else {
		snprintf(v->board.open_user, sizeof v->board.open_user, "%s", o->user);
	}
	snprintf(v->board.sel_user, sizeof v->board.sel_user, "%s", o->user);
	v->board.sel_dialog = 0;
	deskview_dirty(v, DESKVIEW_DIRTY_BOARD);
	return 0;
}

const struct cmd_entry cmd_board_open_entry = {
    .name = "board-open",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("On an operator: list its chats under it; on a chat or an alert: watch that dialog"),
    .exec = cmd_board_open_exec,
};

/* t: the dialog behind the alert or chat row, watched and then asked about taking it over (the question comes
 * once the hub has sent the dialog: it names its customer and operator). */
static unsigned cmd_board_takeover_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (!cmd_board_ready(ctx))
		return 0;
	const struct proto_board_op *o;
	int64_t dialog = cmd_board_dialog(ctx, &o);
	if (!dialog) {
		if (o)
			desk_set_error(ctx->desk, _("take over which chat? Enter lists the operator's chats"));
		return 0;
	}
	const struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
	bool watched = dl && dl->watched;
	unsigned res = cmd_board_watch(ctx, dialog);
	if (watched)
		return res | cmd_run(ctx, "takeover", NULL);
	if (desk_watching(ctx->desk, dialog))
		ctx->view->board.takeover_when_watched = dialog; /* cmd_desk_changed asks when it comes */
	return res;
}

const struct cmd_entry cmd_board_takeover_entry = {
    .name = "board-takeover",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("On a chat or an alert: watch that dialog and ask to take it over"),
    .exec = cmd_board_takeover_exec,
};

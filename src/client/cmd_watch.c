/* cmd_watch.c: a supervisor's commands on other operators' dialogs, without the board: watch one by its
 * number (read-only, in a pane of its own), close a watched pane (unwatch), and take the watched dialog over
 * after a question naming its customer and operator (takeover, then takeover-yes). Whispering is the watched
 * pane's composer (send, cmd_dialog.c). */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "opdesk/cmdline.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

/* "42" or "#42": a dialog's number, 0 when it is none. */
static int64_t cmd_watch_number(const char *arg)
{
	if (*arg == '#')
		arg++;
	char *end;
	long long n = strtoll(arg, &end, 10);
	return *arg && *end == '\0' && n > 0 ? (int64_t)n : 0;
}

static unsigned cmd_watch_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (!*arg) /* which one: the prompt asks, Tab offers the waiting chats */
		return cmd_run(ctx, "prompt", "watch ");
	int64_t dialog = cmd_watch_number(arg);
	if (!dialog) {
		desk_set_error(ctx->desk, _("\"%s\" is not a dialog number"), arg);
		return 0;
	}
	struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
	unsigned res = 0;
	if (dl && dl->watched) { /* watched already: show it */
		deskview_focus_dialog(ctx->view, dialog);
	} else if (desk_watch(ctx->desk, dialog, true) == 0) {
		desk_info(ctx->desk, _("watching dialog %lld (read-only)"), (long long)dialog);
	} else {
		return 0;
	}
	if (ctx->view->board.shown) /* asked from the board (Enter on a chat): the panes, where it shows */
		res = cmd_run(ctx, "board", NULL);
	return res;
}

/* The chats waiting now (a supervisor watches any dialog by its number; these are the ones this desk knows). */
static void cmd_watch_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	const struct desk *d = ctx->desk;
	for (size_t i = 0; i < d->n_queue; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)d->queue[i].dialog);
		cmdline_offer_add(o, id, d->queue[i].customer);
	}
}

const struct cmd_entry cmd_watch_entry = {
    .name = "watch",
    .group = CMD_GROUP_DIALOG,
    .usage = "DIALOG",
    .help = N_("Watch another operator's dialog by its number, read-only (supervisors)"),
    .exec = cmd_watch_exec,
    .args = cmd_watch_args,
};

/* The focused pane's dialog if it is watched, else NULL with the reason in the status bar. */
static struct desk_dialog *cmd_watched_focus(struct cmd_ctx *ctx)
{
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (!dl)
		desk_set_error(ctx->desk, _("no dialog in focus"));
	else if (!dl->watched)
		desk_set_error(ctx->desk, _("the dialog in focus is not a watched one (watch DIALOG opens one)"));
	return dl && dl->watched ? dl : NULL;
}

static unsigned cmd_unwatch_exec(struct cmd_ctx *ctx, const char *arg)
{
	int64_t dialog = *arg ? cmd_watch_number(arg) : 0;
	if (!*arg) {
		struct desk_dialog *dl = cmd_watched_focus(ctx);
		if (!dl)
			return 0;
		dialog = dl->id;
	}
	if (desk_watch(ctx->desk, dialog, false) == 0)
		desk_info(ctx->desk, _("stopped watching dialog %lld"), (long long)dialog);
	return 0;
}

static void cmd_unwatch_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	const struct desk *d = ctx->desk;
	for (size_t i = 0; i < d->n_dialogs; i++) {
		if (!d->dialogs[i]->watched)
			continue;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)d->dialogs[i]->id);
		cmdline_offer_add(o, id, d->dialogs[i]->customer);
	}
}

const struct cmd_entry cmd_unwatch_entry = {
    .name = "unwatch",
    .group = CMD_GROUP_DIALOG,
    .usage = "[DIALOG]",
    .help = N_("Stop watching: close the watched pane in focus (or that dialog's)"),
    .exec = cmd_unwatch_exec,
    .args = cmd_unwatch_args,
};

static unsigned cmd_takeover_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct desk_dialog *f = deskview_focused(ctx->view);
	if (f && !f->watched && desk_dialog_open(f)) {
		desk_set_error(ctx->desk, _("this dialog is yours already"));
		return 0;
	}
	struct desk_dialog *dl = cmd_watched_focus(ctx);
	if (!dl)
		return 0;
	if (!desk_dialog_watch_live(dl)) {
		desk_set_error(ctx->desk, _("this dialog is closed"));
		return 0;
	}
	ctx->view->takeover.dialog = dl->id;
	deskview_set_mode(ctx->view, DESKVIEW_CONFIRM_TAKEOVER);
	return 0;
}

const struct cmd_entry cmd_takeover_entry = {
    .name = "takeover",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Take the watched dialog over from its operator (asks first)"),
    .exec = cmd_takeover_exec,
};

static unsigned cmd_takeover_yes_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_CONFIRM_TAKEOVER)
		return 0;
	deskview_set_mode(v, DESKVIEW_NORMAL);
	if (desk_takeover(ctx->desk, v->takeover.dialog) == 0)
		desk_info(ctx->desk, _("taking over dialog %lld..."), (long long)v->takeover.dialog);
	return 0;
}

const struct cmd_entry cmd_takeover_yes_entry = {
    .name = "takeover-yes",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Yes: take the dialog over"),
    .exec = cmd_takeover_yes_exec,
};

/* cmd_queue.c: taking any waiting chat from the keyboard, not only the oldest (F2): Alt-T highlights the
 * oldest in the sidebar, Up/Down (or 1..9: the Nth) move, Enter or F2 takes the one highlighted, Esc leaves. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "opdesk/i18n.h"

static unsigned cmd_queue_pick_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (ctx->desk->n_queue == 0) {
		desk_set_error(ctx->desk, _("nobody is waiting"));
		return 0;
	}
	if (v->sidebar == DESKVIEW_SIDEBAR_HIDDEN) {
		desk_set_error(ctx->desk, _("the queue sidebar is hidden: Alt-Q shows it"));
		return 0;
	}
	v->queue.sel = 0;
	deskview_set_mode(v, DESKVIEW_QUEUE);
	deskview_dirty(v, DESKVIEW_DIRTY_QUEUE);
	return 0;
}

const struct cmd_entry cmd_queue_pick_entry = {
    .name = "queue-pick",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Pick a waiting chat in the sidebar to take (not only the oldest)"),
    .exec = cmd_queue_pick_exec,
};

static unsigned cmd_queue_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	size_t n = ctx->desk->n_queue;
	if (v->mode != DESKVIEW_QUEUE || n == 0)
		return 0;
	if (v->queue.sel >= n)
		v->queue.sel = n - 1;
	v->queue.sel = (v->queue.sel + n + (size_t)(dir < 0 ? -1 : 1)) % n;
	deskview_dirty(v, DESKVIEW_DIRTY_QUEUE);
	return 0;
}

static unsigned cmd_queue_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_queue_move(ctx, -1);
}

static unsigned cmd_queue_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_queue_move(ctx, 1);
}

const struct cmd_entry cmd_queue_up_entry = {
    .name = "queue-up",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the chat above"),
    .exec = cmd_queue_up_exec,
};

const struct cmd_entry cmd_queue_down_entry = {
    .name = "queue-down",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the chat below"),
    .exec = cmd_queue_down_exec,
};

/* arg "": the highlighted chat; "1".."9": the Nth from the top. */
static unsigned cmd_queue_take_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	const struct desk *d = ctx->desk;
	if (v->mode != DESKVIEW_QUEUE)
		return 0;
	size_t i = v->queue.sel;
	if (*arg) {
		long k = strtol(arg, NULL, 10);
		if (k < 1 || (size_t)k > d->n_queue)
			return 0;
		i = (size_t)k - 1;
	}
	deskview_set_mode(v, DESKVIEW_NORMAL);
	deskview_dirty(v, DESKVIEW_DIRTY_QUEUE);
	if (i >= d->n_queue) {
		desk_set_error(ctx->desk, _("that chat is no longer waiting"));
		return 0;
	}
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)d->queue[i].dialog);
	return cmd_run(ctx, "take", id);
}

const struct cmd_entry cmd_queue_take_entry = {
    .name = "queue-take",
    .group = CMD_GROUP_POPUP,
    .usage = "[N]",
    .help = N_("Take the highlighted (or Nth) chat"),
    .exec = cmd_queue_take_exec,
};

/* cmd_history.c: Up and Down in the composer recall the lines the operator sent in this session, as a
 * shell does; the draft being written is set aside and comes back after the newest line. */
#include "opdesk/cmd.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

static unsigned cmd_history_show(struct cmd_ctx *ctx, struct desk_dialog *dl, const char *text)
{
	textedit_set_utf8(&dl->draft, text);
	deskview_dirty(ctx->view, DESKVIEW_DIRTY_COMPOSER(ctx->view->focus));
	desk_draft_changed(ctx->desk, dl->id);
	return 0;
}

static unsigned cmd_history_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	struct desk_dialog *dl = deskview_focused(v);
	if (!dl || !desk_dialog_open(dl) || v->n_history == 0)
		return 0;
	if (v->history_pos < v->n_history && v->history_dialog != dl->id) {
		/* browsing started in another dialog: start afresh here */
		free(v->history_draft);
		v->history_draft = NULL;
		v->history_pos = v->n_history;
	}
	if (dir < 0) {
		if (v->history_pos == 0)
			return 0;
		if (v->history_pos == v->n_history) {
			free(v->history_draft);
			v->history_draft = textedit_utf8(&dl->draft, false);
			v->history_dialog = dl->id;
		}
		v->history_pos--;
		return cmd_history_show(ctx, dl, v->history[v->history_pos]);
	}
	if (v->history_pos >= v->n_history)
		return 0;
	v->history_pos++;
	if (v->history_pos < v->n_history)
		return cmd_history_show(ctx, dl, v->history[v->history_pos]);
	unsigned r = cmd_history_show(ctx, dl, v->history_draft ? v->history_draft : "");
	free(v->history_draft);
	v->history_draft = NULL;
	return r;
}

static unsigned cmd_history_prev_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_history_move(ctx, -1);
}

const struct cmd_entry cmd_history_prev_entry = {
    .name = "history-prev",
    .group = CMD_GROUP_COMPOSER,
    .usage = "",
    .help = N_("Recall the line sent before (Down goes back)"),
    .exec = cmd_history_prev_exec,
};

static unsigned cmd_history_next_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_history_move(ctx, 1);
}

const struct cmd_entry cmd_history_next_entry = {
    .name = "history-next",
    .group = CMD_GROUP_COMPOSER,
    .usage = "",
    .help = N_("Recall the line sent after, and at the end the draft"),
    .exec = cmd_history_next_exec,
};

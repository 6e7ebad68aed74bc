/* cmd_canned.c: the canned-reply picker's commands: open it (F4, Ctrl-K or / in an empty composer), type a
 * filter, move the highlight, put the filled reply into the composer or send it at once. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/canned.h"
#include "opdesk/i18n.h"
#include "opdesk/utf8.h"

#define CMD_CANNED_MAX 512

/* The replies matching the picker's query, in the order shown. */
static size_t cmd_canned_matches(const struct cmd_ctx *ctx, size_t *idx)
{
	return canned_filter(ctx->desk->canned, ctx->desk->n_canned, ctx->view->canned.query, idx, CMD_CANNED_MAX);
}

static unsigned cmd_canned_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	struct desk_dialog *dl = deskview_focused(v);
	if (!dl || !desk_dialog_open(dl)) {
		desk_set_error(ctx->desk, "%s", dl ? desk_dialog_refusal(dl) : _("no dialog in focus: F2 takes the next waiting chat"));
		return 0;
	}
	if (ctx->desk->n_canned == 0) {
		desk_set_error(ctx->desk, _("the hub sent no canned replies"));
		return 0;
	}
	snprintf(v->canned.query, sizeof v->canned.query, "%s", arg ? arg : "");
	v->canned.sel = 0;
	v->canned.dialog = dl->id;
	deskview_set_mode(v, DESKVIEW_CANNED);
	return 0;
}

const struct cmd_entry cmd_canned_entry = {
    .name = "canned",
    .group = CMD_GROUP_COMPOSER,
    .usage = "[FILTER]",
    .help = N_("Pick a canned reply (type to filter)"),
    .exec = cmd_canned_exec,
};

static unsigned cmd_kill_end_or_canned_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (dl && desk_dialog_open(dl) && textedit_empty(&dl->draft))
		return cmd_canned_exec(ctx, "");
	return cmd_run(ctx, "edit-kill-end", arg);
}

const struct cmd_entry cmd_kill_end_or_canned_entry = {
    .name = "edit-kill-end-or-canned",
    .group = CMD_GROUP_COMPOSER,
    .usage = "",
    .help = N_("Delete to the end of the line; in an empty composer, pick a canned reply"),
    .exec = cmd_kill_end_or_canned_exec,
};

static unsigned cmd_canned_query_changed(struct cmd_ctx *ctx)
{
	ctx->view->canned.sel = 0;
	deskview_dirty(ctx->view, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_canned_type_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	size_t len = strlen(v->canned.query), add = strlen(arg);
	if (v->mode != DESKVIEW_CANNED || len + add >= sizeof v->canned.query)
		return 0;
	if (len == 0 && strcmp(arg, "/") == 0) { /* "//": the operator wants a literal "/" */
		struct desk_dialog *dl = desk_dialog_find(ctx->desk, v->canned.dialog);
		deskview_set_mode(v, DESKVIEW_NORMAL);
		if (dl && textedit_insert(&dl->draft, L'/')) {
			deskview_dirty(v, DESKVIEW_DIRTY_COMPOSER(v->focus));
			desk_draft_changed(ctx->desk, dl->id);
		}
		return 0;
	}
	memcpy(v->canned.query + len, arg, add + 1);
	return cmd_canned_query_changed(ctx);
}

const struct cmd_entry cmd_canned_type_entry = {
    .name = "canned-type",
    .group = CMD_GROUP_POPUP,
    .usage = "TEXT",
    .help = N_("Add to the canned-reply filter"),
    .exec = cmd_canned_type_exec,
};

static unsigned cmd_canned_erase_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	char *q = ctx->view->canned.query;
	size_t len = strlen(q);
	if (len == 0)
		return cmd_run(ctx, "cancel", NULL); /* backspace over an empty filter closes, as over the "/" */
	while (len > 0 && ((unsigned char)q[len - 1] & 0xC0) == 0x80)
		len--; /* back over UTF-8 continuation bytes */
	q[len > 0 ? len - 1 : 0] = '\0';
	return cmd_canned_query_changed(ctx);
}

const struct cmd_entry cmd_canned_erase_entry = {
    .name = "canned-erase",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Delete the last character of the filter"),
    .exec = cmd_canned_erase_exec,
};

static unsigned cmd_canned_clear_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	ctx->view->canned.query[0] = '\0';
	return cmd_canned_query_changed(ctx);
}

const struct cmd_entry cmd_canned_clear_entry = {
    .name = "canned-clear",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Clear the filter"),
    .exec = cmd_canned_clear_exec,
};

static unsigned cmd_canned_move(struct cmd_ctx *ctx, int dir)
{
	size_t idx[CMD_CANNED_MAX];
	size_t n = cmd_canned_matches(ctx, idx);
	struct deskview *v = ctx->view;
	if (n == 0)
		return 0;
	v->canned.sel = (v->canned.sel + n + (size_t)(dir < 0 ? -1 : 1)) % n;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_canned_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_canned_move(ctx, -1);
}

const struct cmd_entry cmd_canned_up_entry = {
    .name = "canned-up",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the previous reply"),
    .exec = cmd_canned_up_exec,
};

static unsigned cmd_canned_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_canned_move(ctx, 1);
}

const struct cmd_entry cmd_canned_down_entry = {
    .name = "canned-down",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the next reply"),
    .exec = cmd_canned_down_exec,
};

/* Put the highlighted reply, filled in, into the dialog's composer (replacing an empty draft, else at the
 * cursor); with `send`, send the composer right away. */
static unsigned cmd_canned_use(struct cmd_ctx *ctx, bool send)
{
	struct deskview *v = ctx->view;
	size_t idx[CMD_CANNED_MAX];
	size_t n = cmd_canned_matches(ctx, idx);
	int64_t dialog = v->canned.dialog;
	deskview_set_mode(v, DESKVIEW_NORMAL);
	struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
	if (n == 0 || !dl || !desk_dialog_open(dl))
		return 0;
	const struct proto_canned *c = &ctx->desk->canned[idx[v->canned.sel < n ? v->canned.sel : 0]];
	char *text = canned_fill(c->text, ctx->desk, dl);
	deskview_focus_dialog(v, dialog);
	unsigned res = cmd_run(ctx, "insert", text);
	free(text);
	if (send)
		res |= cmd_run(ctx, "send", NULL);
	return res;
}

static unsigned cmd_canned_insert_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_canned_use(ctx, false);
}

const struct cmd_entry cmd_canned_insert_entry = {
    .name = "canned-insert",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Put the highlighted reply into the composer to edit"),
    .exec = cmd_canned_insert_exec,
};

static unsigned cmd_canned_send_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_canned_use(ctx, true);
}

const struct cmd_entry cmd_canned_send_entry = {
    .name = "canned-send",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Send the highlighted reply at once"),
    .exec = cmd_canned_send_exec,
};

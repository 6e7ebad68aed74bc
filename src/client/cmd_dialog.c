/* cmd_dialog.c: commands on dialogs: take the next waiting chat, send, close, focus, cycle, scroll. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opdesk/canned.h"
#include "opdesk/cmdline.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

static struct desk_dialog *cmd_focused_open(struct cmd_ctx *ctx)
{
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (!dl) {
		desk_set_error(ctx->desk, _("no dialog in focus: F2 takes the next waiting chat"));
		return NULL;
	}
	if (!desk_dialog_open(dl)) {
		desk_set_error(ctx->desk, "%s", desk_dialog_refusal(dl)); /* closed, released, or only watched */
		return NULL;
	}
	return dl;
}

static unsigned cmd_take_next_exec(struct cmd_ctx *ctx, const char *arg)
{
	int64_t dialog = *arg ? strtoll(arg, NULL, 10) : 0;
	if (desk_take(ctx->desk, dialog) == 0)
		ctx->view->take_requested = true;
	return 0;
}

/* The waiting chats, oldest first, each with its customer's name and wait. */
static void cmd_take_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	const struct desk *d = ctx->desk;
	for (size_t i = 0; i < d->n_queue; i++) {
		char id[24], *note = xasprintf("%s, %s", d->queue[i].customer ? d->queue[i].customer : "?",
		                               deskview_queue_label(d->queue[i].queue));
		snprintf(id, sizeof id, "%lld", (long long)d->queue[i].dialog);
		cmdline_offer_add(o, id, note);
		free(note);
	}
}

const struct cmd_entry cmd_take_next_entry = {
    .name = "take",
    .group = CMD_GROUP_DIALOG,
    .usage = "[DIALOG]",
    .help = N_("Take the chat that has waited longest"),
    .exec = cmd_take_next_exec,
    .args = cmd_take_args,
};

/* A draft holding a canned reply's unfilled placeholder ("{order}": the customer gave no order number) is
 * not sent: the operator is told which, and the cursor goes to it. True if so. */
static bool cmd_send_unfilled(struct cmd_ctx *ctx, struct desk_dialog *dl)
{
	char *raw = textedit_utf8(&dl->draft, false);
	size_t len;
	const char *ph = canned_unfilled(raw, &len);
	if (ph) {
		desk_set_error(ctx->desk, _("fill in %.*s first (type over it): the reply is not sent with it"), (int)len, ph);
		size_t at = 0; /* the placeholder's index in the buffer: code points before it */
		for (const char *p = raw; p < ph; p++)
			at += ((unsigned char)*p & 0xC0) != 0x80;
		dl->draft.cursor = at; /* '{' starts a cluster */
		int s = deskview_slot_of(ctx->view, dl->id);
		if (s >= 0)
			deskview_dirty(ctx->view, DESKVIEW_DIRTY_COMPOSER(s));
	}
	free(raw);
	return ph != NULL;
}

static unsigned cmd_send_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct desk_dialog *f = deskview_focused(ctx->view);
	bool whisper = f && desk_dialog_watch_live(f); /* a watched pane's composer whispers to its operator */
	struct desk_dialog *dl = whisper ? f : cmd_focused_open(ctx);
	if (!dl)
		return 0;
	char *text = textedit_utf8(&dl->draft, true);
	if (!whisper && cmd_send_unfilled(ctx, dl)) {
		free(text);
		return 0;
	}
	/* the draft is emptied before the message becomes pending: the drafts file, written at once for a pending
	 * message, must not keep its text as a draft too (after a crash it would be sent twice) */
	char *raw = *text ? textedit_utf8(&dl->draft, false) : NULL;
	if (raw)
		textedit_clear(&dl->draft);
	if (raw && (whisper ? desk_send_whisper(ctx->desk, dl->id, text) : desk_send_text(ctx->desk, dl->id, text)) != 0)
		textedit_set_utf8(&dl->draft, raw); /* not sent: the draft stays as it was */
	else if (raw) {
		deskview_history_add(ctx->view, text);
		desk_draft_changed(ctx->desk, dl->id);
		ctx->view->scroll[ctx->view->focus] = 0;
		deskview_dirty(ctx->view, DESKVIEW_DIRTY_PANE(ctx->view->focus) |
		                              DESKVIEW_DIRTY_COMPOSER(ctx->view->focus));
	}
	free(raw);
	free(text);
	return 0;
}

const struct cmd_entry cmd_send_entry = {
    .name = "send",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Send the message in the composer (in a watched dialog: whisper it to its operator)"),
    .exec = cmd_send_exec,
};

static unsigned cmd_close_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct desk_dialog *dl = cmd_focused_open(ctx);
	if (!dl)
		return 0;
	if (*arg) {
		/* a topic by its name (order, returns...) or by its label in the operator's language */
		for (size_t i = 0; i < proto_n_topics; i++)
			if (strcasecmp(arg, deskview_topic_label(i)) == 0)
				arg = proto_topics[i];
		if (!proto_topic_valid(arg)) {
			desk_set_error(ctx->desk, _("no wrap-up topic \"%s\" (Tab lists them)"), arg);
			return 0;
		}
		desk_close(ctx->desk, dl->id, arg);
		return 0;
	}
	ctx->view->topic.sel = 0;
	ctx->view->topic.dialog = dl->id;
	deskview_set_mode(ctx->view, DESKVIEW_TOPIC);
	return 0;
}

static void cmd_close_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	(void)ctx;
	for (size_t i = 0; i < proto_n_topics; i++)
		cmdline_offer_add(o, proto_topics[i], deskview_topic_label(i));
}

const struct cmd_entry cmd_close_entry = {
    .name = "close",
    .group = CMD_GROUP_DIALOG,
    .usage = "[TOPIC]",
    .help = N_("Close the dialog in focus (pick a wrap-up topic)"),
    .exec = cmd_close_exec,
    .args = cmd_close_args,
};

/* arg "1".."4": that pane; "#ID": the dialog with that id, given a pane if it has none (replay scripts). */
static unsigned cmd_focus_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (arg[0] == '#') {
		long long id = strtoll(arg + 1, NULL, 10);
		if (!deskview_focus_dialog(ctx->view, id))
			desk_set_error(ctx->desk, _("no dialog %ld"), (long)id);
		return 0;
	}
	long n = strtol(arg, NULL, 10);
	if (n < 1 || n > DESKVIEW_SLOTS || !deskview_focus_slot(ctx->view, (int)n - 1))
		desk_set_error(ctx->desk, _("no dialog %ld"), n);
	return 0;
}

static void cmd_focus_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	for (int i = 0; i < ctx->view->n_slots; i++) {
		const struct desk_dialog *dl = deskview_slot_dialog(ctx->view, i);
		char n[16];
		snprintf(n, sizeof n, "%d", i + 1);
		cmdline_offer_add(o, n, dl ? dl->customer : NULL);
	}
}

const struct cmd_entry cmd_focus_entry = {
    .name = "focus",
    .group = CMD_GROUP_PANES,
    .usage = "N|#DIALOG",
    .help = N_("Focus dialog pane"),
    .exec = cmd_focus_exec,
    .args = cmd_focus_args,
};

static unsigned cmd_next_dialog_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	deskview_cycle(ctx->view, 1);
	return 0;
}

const struct cmd_entry cmd_next_dialog_entry = {
    .name = "next-dialog",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Focus the next dialog"),
    .exec = cmd_next_dialog_exec,
};

static unsigned cmd_prev_dialog_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	deskview_cycle(ctx->view, -1);
	return 0;
}

const struct cmd_entry cmd_prev_dialog_entry = {
    .name = "prev-dialog",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Focus the previous dialog"),
    .exec = cmd_prev_dialog_exec,
};

static int cmd_page(const struct cmd_ctx *ctx)
{
	int f = ctx->view->focus;
	int page = f >= 0 ? ctx->view->page[f] - 1 : 1;
	return page > 0 ? page : 1;
}

static unsigned cmd_scroll_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	deskview_scroll(ctx->view, *arg ? atoi(arg) : cmd_page(ctx));
	return 0;
}

const struct cmd_entry cmd_scroll_up_entry = {
    .name = "scroll-up",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Scroll the dialog in focus back one page"),
    .exec = cmd_scroll_up_exec,
};

static unsigned cmd_scroll_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	deskview_scroll(ctx->view, -(*arg ? atoi(arg) : cmd_page(ctx)));
	return 0;
}

const struct cmd_entry cmd_scroll_down_entry = {
    .name = "scroll-down",
    .group = CMD_GROUP_PANES,
    .usage = "",
    .help = N_("Scroll the dialog in focus forward one page"),
    .exec = cmd_scroll_down_exec,
};

/* cmd_actions.c: actions on the focused dialog beyond replying: an internal note (the composer's text, never
 * shown to the customer), a transfer to a queue or an operator (the composer's text goes along as the note),
 * and a customer claim in one of the four categories (the composer's text as its description). */
#include "opdesk/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/cmdline.h"
#include "opdesk/i18n.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

/* The focused dialog if it is open; else a hint in the status bar and NULL. */
static struct desk_dialog *cmd_action_dialog(struct cmd_ctx *ctx)
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

/* The draft's text, trimmed (heap); the draft is cleared when `take` is set. */
static char *cmd_action_draft(struct cmd_ctx *ctx, struct desk_dialog *dl, bool take)
{
	char *text = textedit_utf8(&dl->draft, true);
	if (take && *text) {
		textedit_clear(&dl->draft);
		desk_draft_changed(ctx->desk, dl->id);
		int s = deskview_slot_of(ctx->view, dl->id);
		if (s >= 0)
			deskview_dirty(ctx->view, DESKVIEW_DIRTY_COMPOSER(s) | DESKVIEW_DIRTY_PANE(s));
	}
	return text;
}

static unsigned cmd_note_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct desk_dialog *dl = cmd_action_dialog(ctx);
	if (!dl)
		return 0;
	char *text = textedit_utf8(&dl->draft, true);
	if (!*text)
		desk_set_error(ctx->desk, _("type the note into the composer first, then press the note key"));
	else if (desk_send_message(ctx->desk, dl->id, text, true) == 0)
		free(cmd_action_draft(ctx, dl, true));
	free(text);
	return 0;
}

const struct cmd_entry cmd_note_entry = {
    .name = "note",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Save the composer's text as an internal note (the customer does not see it)"),
    .exec = cmd_note_exec,
};

static unsigned cmd_choice_open(struct cmd_ctx *ctx, enum deskview_choice_kind kind)
{
	struct desk_dialog *dl = cmd_action_dialog(ctx);
	if (!dl)
		return 0;
	struct deskview *v = ctx->view;
	v->choice.kind = kind;
	v->choice.sel = 0;
	v->choice.text[0] = '\0';
	v->choice.dialog = dl->id;
	if (kind == DESKVIEW_CHOICE_TRANSFER)
		desk_request_targets(ctx->desk); /* the list fills in when the hub answers; typing a name works before */
	deskview_set_mode(v, DESKVIEW_CHOICE);
	return 0;
}

/* No argument: the list to pick from. A queue's name, or a colleague's user name: at once, with the
 * composer's text as the note. */
static unsigned cmd_transfer_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (!*arg)
		return cmd_choice_open(ctx, DESKVIEW_CHOICE_TRANSFER);
	struct desk_dialog *dl = cmd_action_dialog(ctx);
	if (!dl)
		return 0;
	const char *queue = NULL; /* a queue this client knows or the hub named, else a colleague's user name */
	for (size_t i = 0; i < deskview_n_queues; i++)
		if (strcmp(arg, deskview_queues[i]) == 0)
			queue = deskview_queues[i];
	for (size_t i = 0; i < ctx->desk->n_target_queues; i++)
		if (strcmp(arg, ctx->desk->target_queues[i].queue) == 0)
			queue = ctx->desk->target_queues[i].queue;
	char *text = cmd_action_draft(ctx, dl, false);
	if (desk_transfer(ctx->desk, dl->id, queue, queue ? NULL : arg, text) == 0)
		free(cmd_action_draft(ctx, dl, true));
	free(text);
	return 0;
}

/* The queues and the colleagues the hub named (asked for when the prompt opened), else the built-in queues. */
static void cmd_transfer_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	const struct desk *d = ctx->desk;
	if (!d->targets_known) {
		for (size_t i = 0; i < deskview_n_queues; i++)
			cmdline_offer_add(o, deskview_queues[i], _("queue"));
		return;
	}
	for (size_t i = 0; i < d->n_target_queues; i++) {
		char *note = xasprintf(_("queue, %lld waiting"), (long long)d->target_queues[i].waiting);
		cmdline_offer_add(o, d->target_queues[i].queue, note);
		free(note);
	}
	for (size_t i = 0; i < d->n_target_ops; i++) {
		const struct desk_target_op *t = &d->target_ops[i];
		char *note = xasprintf("%s%s%d/%d%s", t->display ? t->display : "", t->display ? ", " : "", t->load,
		                       t->capacity, t->status == PROTO_ST_AWAY ? _(", away") : "");
		cmdline_offer_add(o, t->user, note);
		free(note);
	}
}

const struct cmd_entry cmd_transfer_entry = {
    .name = "transfer",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Transfer the dialog to a queue or an operator (the composer's text is the note)"),
    .exec = cmd_transfer_exec,
    .args = cmd_transfer_args,
};

/* No argument: the list to pick from; a category's name (quality, completeness, delivery, service): at once. */
static unsigned cmd_claim_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (!*arg)
		return cmd_choice_open(ctx, DESKVIEW_CHOICE_CLAIM);
	struct desk_dialog *dl = cmd_action_dialog(ctx);
	if (!dl)
		return 0;
	size_t i = 0;
	while (i < PROTO_CLAIM_COUNT && strcmp(arg, proto_claim_name((enum proto_claim)i)) != 0)
		i++;
	if (i == PROTO_CLAIM_COUNT) {
		desk_set_error(ctx->desk, _("no claim category \"%s\" (Tab lists them)"), arg);
		return 0;
	}
	char *text = cmd_action_draft(ctx, dl, false);
	if (desk_claim(ctx->desk, dl->id, (enum proto_claim)i, text) == 0)
		free(cmd_action_draft(ctx, dl, true));
	free(text);
	return 0;
}

static void cmd_claim_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	(void)ctx;
	for (size_t i = 0; i < PROTO_CLAIM_COUNT; i++)
		cmdline_offer_add(o, proto_claim_name((enum proto_claim)i), NULL);
}

const struct cmd_entry cmd_claim_entry = {
    .name = "claim",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("File a customer claim on the dialog (the composer's text describes it)"),
    .exec = cmd_claim_exec,
    .args = cmd_claim_args,
};

static unsigned cmd_choice_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	size_t n = deskview_choice_count(v);
	if (v->mode != DESKVIEW_CHOICE || n == 0)
		return 0;
	v->choice.sel = (v->choice.sel + n + (size_t)(dir < 0 ? -1 : 1)) % n;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_choice_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_choice_move(ctx, -1);
}

const struct cmd_entry cmd_choice_up_entry = {
    .name = "choice-up",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the previous entry"),
    .exec = cmd_choice_up_exec,
};

static unsigned cmd_choice_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_choice_move(ctx, 1);
}

const struct cmd_entry cmd_choice_down_entry = {
    .name = "choice-down",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the next entry"),
    .exec = cmd_choice_down_exec,
};

/* arg "" takes the highlighted entry (or, for a transfer, the operator name typed in), "1".."N" entry N. */
static unsigned cmd_choice_pick_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_CHOICE)
		return 0;
	size_t i = v->choice.sel, n = deskview_choice_count(v);
	bool by_number = arg && *arg;
	if (by_number) {
		long k = strtol(arg, NULL, 10);
		if (k < 1 || (size_t)k > n)
			return 0;
		i = (size_t)k - 1;
	}
	deskview_set_mode(v, DESKVIEW_NORMAL);
	struct desk_dialog *dl = desk_dialog_find(ctx->desk, v->choice.dialog);
	if (!dl || !desk_dialog_open(dl))
		return 0;
	char *text = cmd_action_draft(ctx, dl, false);
	const char *queue = NULL, *user = NULL;
	int rc = -1;
	if (v->choice.kind == DESKVIEW_CHOICE_CLAIM)
		rc = desk_claim(ctx->desk, dl->id, (enum proto_claim)i, text);
	else if (v->choice.text[0] && !by_number)
		rc = desk_transfer(ctx->desk, dl->id, NULL, v->choice.text, text);
	else if (deskview_choice_target(v, i, &queue, &user))
		rc = desk_transfer(ctx->desk, dl->id, queue, user, text);
	free(text);
	if (rc == 0)
		free(cmd_action_draft(ctx, dl, true));
	return 0;
}

const struct cmd_entry cmd_choice_pick_entry = {
    .name = "choice-pick",
    .group = CMD_GROUP_POPUP,
    .usage = "[N]",
    .help = N_("Take the highlighted (or Nth) entry"),
    .exec = cmd_choice_pick_exec,
};

/* Transfer only: letters typed name an operator ([A-Za-z0-9._-], as user names are). */
static unsigned cmd_choice_type_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_CHOICE)
		return 0;
	if (v->choice.kind == DESKVIEW_CHOICE_CLAIM || (arg[0] >= '1' && arg[0] <= '9' && !v->choice.text[0]))
		return cmd_run(ctx, "choice-pick", arg); /* a digit picks by number */
	size_t len = strlen(v->choice.text);
	for (const char *p = arg; *p && len + 1 < sizeof v->choice.text; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._-", *p))
			v->choice.text[len++] = *p;
	v->choice.text[len] = '\0';
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

const struct cmd_entry cmd_choice_type_entry = {
    .name = "choice-type",
    .group = CMD_GROUP_POPUP,
    .usage = "TEXT",
    .help = N_("Type an operator's name to transfer to"),
    .exec = cmd_choice_type_exec,
};

static unsigned cmd_choice_erase_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	size_t len = strlen(v->choice.text);
	if (len == 0)
		return cmd_run(ctx, "cancel", NULL);
	v->choice.text[len - 1] = '\0';
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

const struct cmd_entry cmd_choice_erase_entry = {
    .name = "choice-erase",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Delete the last letter of the operator's name"),
    .exec = cmd_choice_erase_exec,
};

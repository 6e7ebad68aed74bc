/* cmd_card.c: the commands about who the customer is: the focused dialog's customer card (customer, Alt-I),
 * moving over its other chats and reading one read-only (card-read, Enter), and blocking the customer with a
 * reason (block REASON; b on the card asks for the reason at the prompt). */
#include "opdesk/cmd.h"

#include <stdint.h>

#include "opdesk/desk_card.h"
#include "opdesk/i18n.h"

/* The dialog the card commands act on: the card's while it is open, else the focused one (0: none). */
static int64_t card_dialog(struct cmd_ctx *ctx)
{
	struct deskview *v = ctx->view;
	if ((v->mode == DESKVIEW_CARD || v->mode == DESKVIEW_CARD_READ) && v->card.dialog)
		return v->card.dialog;
	struct desk_dialog *dl = deskview_focused(v);
	return dl ? dl->id : 0;
}

static unsigned cmd_customer_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	struct desk_dialog *dl = deskview_focused(v);
	if (!dl) {
		desk_set_error(ctx->desk, _("no dialog in focus: the card is of the focused dialog's customer"));
		return 0;
	}
	if (desk_card_ask(ctx->desk, dl->id) != 0)
		return 0;
	v->card.dialog = dl->id;
	v->card.sel = 0;
	deskview_set_mode(v, DESKVIEW_CARD);
	return 0;
}

const struct cmd_entry cmd_customer_entry = {
    .name = "customer",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("Who the customer is: the card with the names, contacts and earlier chats of the focused "
               "dialog's customer"),
    .exec = cmd_customer_exec,
};

static unsigned cmd_card_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	const struct desk_card *c = ctx->desk->card;
	size_t n = c && c->known && c->dialog == v->card.dialog ? c->n_chats : 0;
	if (dir < 0 && v->card.sel > 0)
		v->card.sel--;
	else if (dir > 0 && v->card.sel + 1 < n)
		v->card.sel++;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_card_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_card_move(ctx, -1);
}

static unsigned cmd_card_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_card_move(ctx, 1);
}

const struct cmd_entry cmd_card_up_entry = {
    .name = "card-up", .group = CMD_GROUP_POPUP, .usage = "", .help = N_("Highlight the newer chat"),
    .exec = cmd_card_up_exec,
};
const struct cmd_entry cmd_card_down_entry = {
    .name = "card-down", .group = CMD_GROUP_POPUP, .usage = "", .help = N_("Highlight the older chat"),
    .exec = cmd_card_down_exec,
};

static unsigned cmd_card_read_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	const struct desk_card *c = ctx->desk->card;
	if (!c || !c->known || c->dialog != v->card.dialog || v->card.sel >= c->n_chats) {
		desk_set_error(ctx->desk, _("no earlier chat to read"));
		return 0;
	}
	if (desk_card_read(ctx->desk, c->chats[v->card.sel].dialog) != 0)
		return 0;
	v->pager.top = 0;
	deskview_set_mode(v, DESKVIEW_CARD_READ);
	return 0;
}

const struct cmd_entry cmd_card_read_entry = {
    .name = "card-read",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Read the highlighted earlier chat (read-only)"),
    .exec = cmd_card_read_exec,
};

static unsigned cmd_block_exec(struct cmd_ctx *ctx, const char *arg)
{
	int64_t dialog = card_dialog(ctx);
	if (!dialog) {
		desk_set_error(ctx->desk, _("no dialog in focus: block acts on the focused dialog's customer"));
		return 0;
	}
	if (!*arg) /* why: the prompt asks */
		return cmd_run(ctx, "prompt", "block ");
	if (desk_block(ctx->desk, dialog, arg) == 0 && ctx->view->mode != DESKVIEW_NORMAL)
		deskview_set_mode(ctx->view, DESKVIEW_NORMAL);
	return 0;
}

const struct cmd_entry cmd_block_entry = {
    .name = "block",
    .group = CMD_GROUP_DIALOG,
    .usage = "REASON",
    .help = N_("Block the focused dialog's customer for REASON: the chat closes and the hub refuses their new "
               "chats"),
    .exec = cmd_block_exec,
};

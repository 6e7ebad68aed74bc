/* cmd_popups.c: the view's modes as a table of kinds, model side (see cmd_popups.h), and how each popup
 * follows the desk while it is open. */
#include "opdesk/cmd_popups.h"

#include "opdesk/i18n.h"
#include "opdesk/textsafe.h"
#include "opdesk/utf8.h"

/* A popup about one dialog closes when that dialog leaves the desk. */
static bool cmd_popups_gone(struct cmd_ctx *ctx, unsigned what, int64_t dialog, int64_t its)
{
	if (!(what & DESK_CH_REMOVED) || dialog != its)
		return false;
	deskview_set_mode(ctx->view, DESKVIEW_NORMAL);
	return true;
}

static void cmd_popups_topic_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	struct deskview *v = ctx->view;
	if (cmd_popups_gone(ctx, what, dialog, v->topic.dialog))
		return;
	/* the dialog was finished under the picker (by the customer, the hub, a colleague) */
	const struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
	if ((what & DESK_CH_DIALOG) && dialog == v->topic.dialog && dl && !desk_dialog_open(dl) &&
	    deskview_slot_of(v, dialog) >= 0)
		deskview_set_mode(v, DESKVIEW_NORMAL);
}

static void cmd_popups_requests_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	(void)dialog;
	struct deskview *v = ctx->view;
	if (!(what & DESK_CH_REQUESTS))
		return;
	if (ctx->desk->n_requests == 0) { /* the last one was answered (here or by a colleague) */
		deskview_set_mode(v, DESKVIEW_NORMAL);
		return;
	}
	if (v->requests.sel >= ctx->desk->n_requests)
		v->requests.sel = ctx->desk->n_requests ? ctx->desk->n_requests - 1 : 0;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
}

static void cmd_popups_canned_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	if (cmd_popups_gone(ctx, what, dialog, ctx->view->canned.dialog))
		return;
	if (what & DESK_CH_CANNED)
		deskview_dirty(ctx->view, DESKVIEW_DIRTY_POPUP);
}

static void cmd_popups_choice_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	struct deskview *v = ctx->view;
	if (cmd_popups_gone(ctx, what, dialog, v->choice.dialog))
		return;
	if ((what & DESK_CH_TARGETS) && v->choice.kind == DESKVIEW_CHOICE_TRANSFER) {
		size_t n = deskview_choice_count(v); /* the list grew or changed under the highlight */
		if (v->choice.sel >= n)
			v->choice.sel = n ? n - 1 : 0;
		deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	}
}

static void cmd_popups_prompt_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	(void)dialog;
	if ((what & DESK_CH_TARGETS) && ctx->view->prompt.offer)
		cmd_run(ctx, "prompt-complete", "list"); /* the colleagues came after Tab: offer them too */
}

/* The question goes when its dialog leaves the desk or ends (closed, no longer watched). */
static void cmd_popups_takeover_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	struct deskview *v = ctx->view;
	if (cmd_popups_gone(ctx, what, dialog, v->takeover.dialog))
		return;
	const struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
	if ((what & DESK_CH_DIALOG) && dialog == v->takeover.dialog && dl && !desk_dialog_watch_live(dl))
		deskview_set_mode(v, DESKVIEW_NORMAL);
}

const struct cmd_popup cmd_popups[DESKVIEW_MODE_COUNT] = {
    [DESKVIEW_NORMAL] = {.mode = DESKVIEW_NORMAL,
                         .keys = CMD_TABLE_NORMAL,
                         .type = "type",
                         .clears_error = true},
    [DESKVIEW_CANNED] = {.mode = DESKVIEW_CANNED,
                         .keys = CMD_TABLE_CANNED,
                         .type = "canned-type",
                         .keys_title = N_("In the canned-reply picker"),
                         .desk_changed = cmd_popups_canned_changed},
    [DESKVIEW_CHOICE] = {.mode = DESKVIEW_CHOICE,
                         .keys = CMD_TABLE_CHOICE,
                         .type = "choice-type",
                         .keys_title = N_("In a list to pick from (transfer, claim)"),
                         .desk_changed = cmd_popups_choice_changed},
    [DESKVIEW_TOPIC] = {.mode = DESKVIEW_TOPIC,
                        .keys = CMD_TABLE_TOPIC,
                        .keys_title = N_("In the wrap-up topic picker"),
                        .desk_changed = cmd_popups_topic_changed},
    [DESKVIEW_PROMPT] = {.mode = DESKVIEW_PROMPT,
                         .keys = CMD_TABLE_PROMPT,
                         .type = "prompt-type",
                         .clears_error = true,
                         .keys_title = N_("In the command prompt and the search"),
                         .desk_changed = cmd_popups_prompt_changed},
    [DESKVIEW_QUEUE] = {.mode = DESKVIEW_QUEUE,
                        .keys = CMD_TABLE_QUEUE,
                        .keys_title = N_("Picking a waiting chat (Alt-T)")},
    [DESKVIEW_HELP] = {.mode = DESKVIEW_HELP,
                       .keys = CMD_TABLE_HELP,
                       .any_key_closes = true,
                       .keys_title = N_("In this help and the message log")},
    [DESKVIEW_LOG] = {.mode = DESKVIEW_LOG, .keys = CMD_TABLE_HELP, .any_key_closes = true},
    [DESKVIEW_CONFIRM_QUIT] = {.mode = DESKVIEW_CONFIRM_QUIT, .keys = CMD_TABLE_CONFIRM},
    [DESKVIEW_BOARD] = {.mode = DESKVIEW_BOARD,
                        .keys = CMD_TABLE_BOARD,
                        .clears_error = true,
                        .keys_title = N_("On the supervisor's board (F12 in monitor mode)")},
    [DESKVIEW_BOARD_FILTER] = {.mode = DESKVIEW_BOARD_FILTER,
                               .keys = CMD_TABLE_BOARD_FILTER,
                               .type = "board-filter-type",
                               .clears_error = true,
                               .keys_title = N_("Typing the board's filter (/ on the board)")},
    [DESKVIEW_CONFIRM_TAKEOVER] = {.mode = DESKVIEW_CONFIRM_TAKEOVER,
                                   .keys = CMD_TABLE_TAKEOVER,
                                   .keys_title = N_("Asked whether to take over a watched dialog"),
                                   .desk_changed = cmd_popups_takeover_changed},
    [DESKVIEW_CARD] = {.mode = DESKVIEW_CARD,
                       .keys = CMD_TABLE_CARD,
                       .keys_title = N_("On the customer's card (Alt-I)")},
    [DESKVIEW_CARD_READ] = {.mode = DESKVIEW_CARD_READ, .keys = CMD_TABLE_HELP, .any_key_closes = true},
    [DESKVIEW_CONFIRM_AWAY] = {.mode = DESKVIEW_CONFIRM_AWAY,
                               .keys = CMD_TABLE_CONFIRM_AWAY,
                               .keys_title = N_("Asked whether to go away with open chats (F3)")},
    [DESKVIEW_REQUESTS] = {.mode = DESKVIEW_REQUESTS,
                           .keys = CMD_TABLE_REQUESTS,
                           .keys_title = N_("In the offline requests (Alt-R)"),
                           .desk_changed = cmd_popups_requests_changed},
};

const struct cmd_popup *cmd_popup_of(enum deskview_mode mode)
{
	return &cmd_popups[(unsigned)mode < DESKVIEW_MODE_COUNT ? mode : DESKVIEW_NORMAL];
}

void cmd_desk_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog)
{
	deskview_desk_changed(ctx->view, what, dialog);
	struct deskview *v = ctx->view;
	if (v->board.takeover_when_watched && (what & (DESK_CH_ADDED | DESK_CH_DIALOG)) &&
	    dialog == v->board.takeover_when_watched) {
		/* the dialog a board-takeover asked for came: the question, in its pane */
		const struct desk_dialog *dl = desk_dialog_find(ctx->desk, dialog);
		if (dl && dl->watched && v->mode == DESKVIEW_NORMAL) {
			v->board.takeover_when_watched = 0;
			if (deskview_focus_dialog(v, dialog))
				cmd_run(ctx, "takeover", NULL);
			return;
		}
	}
	const struct cmd_popup *p = cmd_popup_of(ctx->view->mode);
	if (p->desk_changed)
		p->desk_changed(ctx, what, dialog);
}

unsigned cmd_keys_dispatch(struct cmd_ctx *ctx, const struct cmd_keymap *km, int key)
{
	const struct cmd_popup *p = cmd_popup_of(ctx->view->mode);
	const struct cmd_binding *b = cmd_keymap_lookup(km, p->keys, key);
	if (b) {
		if (p->clears_error)
			desk_clear_error(ctx->desk);
		return cmd_keys_run(ctx, b->command, b->arg);
	}
	if (p->any_key_closes) {
		unsigned r = cmd_run(ctx, "cancel", NULL);
		if (key == '?') /* "??": the operator wants a literal "?" */
			r |= cmd_keys_run(ctx, "insert", "?");
		return r;
	}
	if (!p->type || (key & CMD_KEY_META) || key < 0x20 || key >= CMD_KEY_SPECIAL)
		return 0;
	enum textsafe_class cl = textsafe_classify((uint32_t)key);
	if (cl != TEXTSAFE_CL_PRINT && cl != TEXTSAFE_CL_COMBINING)
		return 0;
	char u[5] = {0};
	utf8_encode((uint32_t)key, u);
	desk_clear_error(ctx->desk);
	return cmd_keys_run(ctx, p->type, u);
}

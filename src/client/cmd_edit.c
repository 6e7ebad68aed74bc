/* cmd_edit.c: composer editing commands on the focused dialog's draft (insert, motion, deletion); while the
 * prompt (Alt-X, Ctrl-S) is open the same commands edit its line. */
#include "opdesk/cmd.h"

#include <string.h>

#include "opdesk/canned.h"
#include "opdesk/i18n.h"
#include "opdesk/utf8.h"

/* The focused dialog's draft, or NULL (with a hint in the status bar) when there is nothing to edit. */
static struct desk_dialog *cmd_edit_target(struct cmd_ctx *ctx, bool quiet)
{
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (!dl) {
		if (!quiet)
			desk_set_error(ctx->desk, _("no dialog in focus: F2 takes the next waiting chat"));
		return NULL;
	}
	if (!desk_dialog_open(dl) && !desk_dialog_watch_live(dl)) { /* a watched one's draft is a whisper */
		if (!quiet)
			desk_set_error(ctx->desk, "%s", desk_dialog_refusal(dl));
		return NULL;
	}
	return dl;
}

static unsigned cmd_edit_done(struct cmd_ctx *ctx, struct desk_dialog *dl, bool changed)
{
	if (changed) {
		deskview_dirty(ctx->view, DESKVIEW_DIRTY_COMPOSER(ctx->view->focus));
		desk_draft_changed(ctx->desk, dl->id);
	}
	return 0;
}

static unsigned cmd_insert_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct desk_dialog *dl = cmd_edit_target(ctx, false);
	if (!dl)
		return 0;
	size_t len = strlen(arg), i = 0;
	bool changed = false;
	while (i < len) {
		uint32_t cp;
		i += utf8_decode(arg + i, len - i, &cp);
		if (textedit_insert(&dl->draft, (wchar_t)cp))
			changed = true;
		else if (dl->draft.bytes + 4 > PROTO_MAX_TEXT) {
			desk_set_error(ctx->desk, _("message too long (at most %d bytes)"), PROTO_MAX_TEXT);
			break;
		}
	}
	return cmd_edit_done(ctx, dl, changed);
}

/* A character typed on the keyboard: as "insert", except that in an empty composer "/" opens the canned
 * replies (as in chat tools) and "?" shows the keys (as in less or mutt). */
static unsigned cmd_type_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct desk_dialog *dl = cmd_edit_target(ctx, true);
	if (dl && textedit_empty(&dl->draft)) {
		if (strcmp(arg, "/") == 0 && ctx->desk->n_canned > 0 && desk_dialog_open(dl))
			return cmd_run(ctx, "canned", "");
		if (strcmp(arg, "?") == 0)
			return cmd_run(ctx, "help", NULL);
	}
	/* typing on a canned reply's unfilled placeholder (where sending put the cursor) replaces it, as in a form */
	size_t ph = dl ? canned_placeholder_at(dl->draft.buf + dl->draft.cursor, dl->draft.len - dl->draft.cursor) : 0;
	while (ph-- > 0)
		textedit_delete(&dl->draft);
	return cmd_insert_exec(ctx, arg);
}

const struct cmd_entry cmd_type_entry = {
    .name = "type",
    .group = CMD_GROUP_COMPOSER,
    .usage = "TEXT",
    .help = N_("Type into the composer (in an empty one, / opens the canned replies and ? the keys)"),
    .exec = cmd_type_exec,
};

const struct cmd_entry cmd_insert_entry = {
    .name = "insert",
    .group = CMD_GROUP_COMPOSER,
    .usage = "TEXT",
    .help = N_("Insert text into the composer"),
    .exec = cmd_insert_exec,
};

/* An editing command on the prompt's line when it is open, else on the focused composer. */
#define CMD_EDIT(fn, cname, chelp)                                                                           \
	static unsigned cmd_##fn##_exec(struct cmd_ctx *ctx, const char *arg)                                \
	{                                                                                                    \
		(void)arg;                                                                                   \
		if (ctx->view->mode == DESKVIEW_PROMPT) {                                                    \
			if (textedit_##fn(&ctx->view->prompt.edit))                                          \
				cmd_prompt_edited(ctx);                                                      \
			return 0;                                                                            \
		}                                                                                            \
		struct desk_dialog *dl = cmd_edit_target(ctx, true);                                         \
		if (!dl)                                                                                     \
			return 0;                                                                            \
		return cmd_edit_done(ctx, dl, textedit_##fn(&dl->draft));                                    \
	}                                                                                                    \
	const struct cmd_entry cmd_edit_##fn##_entry = {                                                     \
	    .name = cname,                                                                                   \
	    .group = CMD_GROUP_COMPOSER,                                                                     \
	    .usage = "",                                                                                     \
	    .help = chelp,                                                                                   \
	    .exec = cmd_##fn##_exec,                                                                         \
	};

CMD_EDIT(left, "edit-left", N_("Move the cursor one character left"))
CMD_EDIT(right, "edit-right", N_("Move the cursor one character right"))
CMD_EDIT(home, "edit-home", N_("Move the cursor to the start"))
CMD_EDIT(end, "edit-end", N_("Move the cursor to the end"))
CMD_EDIT(backspace, "edit-backspace", N_("Delete the character before the cursor"))
CMD_EDIT(delete, "edit-delete", N_("Delete the character under the cursor"))
CMD_EDIT(kill_end, "edit-kill-end", N_("Delete to the end of the line"))
CMD_EDIT(kill_start, "edit-kill-start", N_("Delete to the start of the line"))
CMD_EDIT(kill_word, "edit-kill-word", N_("Delete the word before the cursor"))
CMD_EDIT(yank, "edit-yank", N_("Insert the text deleted last"))
CMD_EDIT(newline, "edit-newline", N_("Start a new line in the message"))
CMD_EDIT(word_left, "edit-word-left", N_("Move the cursor to the start of the word"))
CMD_EDIT(word_right, "edit-word-right", N_("Move the cursor to the end of the word"))

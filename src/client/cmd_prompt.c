/* cmd_prompt.c: the prompt at the bottom of the screen, in its two kinds: the command line (Alt-X: any
 * command by name with its argument, Tab completing, Up/Down for earlier lines, as tmux's ':') and the search
 * in the focused dialog's history (Ctrl-S: the hits highlighted as one types, Up/Down to the older or newer
 * hit, Enter stays there, Esc goes back). The editing keys are the composer's (cmd_edit.c edits the prompt
 * while it is open). Also the theme command, whose argument the prompt completes. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/cmdline.h"
#include "opdesk/i18n.h"
#include "opdesk/search.h"
#include "opdesk/theme.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#define CMD_PROMPT_HISTORY 100

static void cmd_prompt_offer_clear(struct deskview *v)
{
	free(v->prompt.offer);
	v->prompt.offer = NULL;
}

static void cmd_prompt_open(struct cmd_ctx *ctx, enum deskview_prompt_kind kind, const char *text)
{
	struct deskview *v = ctx->view;
	v->prompt.kind = kind;
	textedit_set_utf8(&v->prompt.edit, text ? text : "");
	v->prompt.history_pos = v->prompt.n_history;
	cmd_prompt_offer_clear(v);
	deskview_set_mode(v, DESKVIEW_PROMPT);
}

static unsigned cmd_prompt_exec(struct cmd_ctx *ctx, const char *arg)
{
	cmd_prompt_open(ctx, DESKVIEW_PROMPT_COMMAND, arg);
	if (ctx->desk->conn == DESK_CONN_ONLINE)
		desk_request_targets(ctx->desk); /* so that "transfer " Tab can offer the colleagues online */
	return 0;
}

const struct cmd_entry cmd_prompt_entry = {
    .name = "prompt",
    .group = CMD_GROUP_SCREEN,
    .usage = "[TEXT]",
    .help = N_("Type a command by name (Tab completes, Enter runs it)"),
    .exec = cmd_prompt_exec,
};

/* ---- search ---- */

/* Show hit `i` (or none: -1) of the search in its dialog. */
static void cmd_search_show(struct cmd_ctx *ctx, long i)
{
	struct deskview *v = ctx->view;
	v->search.msg = i;
	int s = deskview_slot_of(v, v->search.dialog);
	if (s >= 0) {
		if (i >= 0)
			v->scroll_to_msg[s] = i;
		deskview_dirty(v, DESKVIEW_DIRTY_PANE(s));
	}
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
}

/* The query changed: the newest hit at or before the one shown (typing narrows from where one is). */
static void cmd_search_update(struct cmd_ctx *ctx)
{
	struct deskview *v = ctx->view;
	char *q = textedit_utf8(&v->prompt.edit, false);
	snprintf(v->search.text, sizeof v->search.text, "%s", q);
	free(q);
	struct desk_dialog *dl = desk_dialog_find(ctx->desk, v->search.dialog);
	long from = dl ? (long)dl->n_msgs - 1 : -1;
	if (dl && v->search.msg >= 0 && (size_t)v->search.msg < dl->n_msgs)
		from = v->search.msg;
	long hit = search_dialog(dl, v->search.text, from, -1);
	if (hit < 0 && dl)
		hit = search_dialog(dl, v->search.text, (long)dl->n_msgs - 1, -1);
	cmd_search_show(ctx, hit);
}

/* The search ends: Enter keeps the pane where the hit is, Esc puts it back where it was. */
static void cmd_search_end(struct cmd_ctx *ctx, bool stay)
{
	struct deskview *v = ctx->view;
	int s = deskview_slot_of(v, v->search.dialog);
	if (s >= 0) {
		if (!stay) {
			v->scroll[s] = v->search.scroll_before;
			v->scroll_to_msg[s] = -1;
		} /* else a hit not drawn yet (typed and Enter in one read) is still brought into view */
		deskview_dirty(v, DESKVIEW_DIRTY_PANE(s));
	}
	v->search.text[0] = '\0';
	v->search.msg = -1;
	v->search.dialog = 0;
}

static unsigned cmd_search_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	struct desk_dialog *dl = deskview_focused(v);
	if (!dl) {
		desk_set_error(ctx->desk, _("no dialog in focus to search in"));
		return 0;
	}
	v->search.dialog = dl->id;
	v->search.msg = -1;
	v->search.scroll_before = v->scroll[v->focus];
	cmd_prompt_open(ctx, DESKVIEW_PROMPT_SEARCH, arg);
	if (*arg)
		cmd_search_update(ctx);
	return 0;
}

const struct cmd_entry cmd_search_entry = {
    .name = "search",
    .group = CMD_GROUP_PANES,
    .usage = "[TEXT]",
    .help = N_("Search the dialog's history (Up/Down: older/newer hit, Enter stays, Esc goes back)"),
    .exec = cmd_search_exec,
};

void cmd_prompt_edited(struct cmd_ctx *ctx)
{
	struct deskview *v = ctx->view;
	cmd_prompt_offer_clear(v);
	if (v->prompt.kind == DESKVIEW_PROMPT_SEARCH)
		cmd_search_update(ctx);
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
}

static unsigned cmd_prompt_type_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_PROMPT)
		return 0;
	size_t len = strlen(arg), i = 0;
	bool changed = false;
	while (i < len) {
		uint32_t cp;
		i += utf8_decode(arg + i, len - i, &cp);
		changed |= textedit_insert(&v->prompt.edit, (wchar_t)cp);
	}
	if (changed)
		cmd_prompt_edited(ctx);
	return 0;
}

const struct cmd_entry cmd_prompt_type_entry = {
    .name = "prompt-type",
    .group = CMD_GROUP_POPUP,
    .usage = "TEXT",
    .help = N_("Type into the prompt"),
    .exec = cmd_prompt_type_exec,
};

static void cmd_prompt_remember(struct deskview *v, const char *line)
{
	if (!*line || (v->prompt.n_history && strcmp(v->prompt.history[v->prompt.n_history - 1], line) == 0))
		return;
	if (v->prompt.n_history == CMD_PROMPT_HISTORY) {
		free(v->prompt.history[0]);
		memmove(v->prompt.history, v->prompt.history + 1, (v->prompt.n_history - 1) * sizeof *v->prompt.history);
		v->prompt.n_history--;
	}
	v->prompt.history = xrealloc(v->prompt.history, (v->prompt.n_history + 1) * sizeof *v->prompt.history);
	v->prompt.history[v->prompt.n_history++] = xstrdup(line);
}

static unsigned cmd_prompt_run_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_PROMPT)
		return 0;
	if (v->prompt.kind == DESKVIEW_PROMPT_SEARCH) {
		cmd_search_end(ctx, true);
		deskview_set_mode(v, DESKVIEW_NORMAL);
		return 0;
	}
	char *line = textedit_utf8(&v->prompt.edit, true);
	cmd_prompt_remember(v, line);
	cmd_prompt_offer_clear(v);
	deskview_set_mode(v, DESKVIEW_NORMAL); /* before the command: it may open a popup of its own */
	unsigned res = cmdline_run(ctx, line);
	free(line);
	return res;
}

const struct cmd_entry cmd_prompt_run_entry = {
    .name = "prompt-run",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Run the command typed (in a search: stay at the hit)"),
    .exec = cmd_prompt_run_exec,
};

/* arg "list": only what is offered, the line as it is (the hub's targets came after Tab was pressed). */
static unsigned cmd_prompt_complete_exec(struct cmd_ctx *ctx, const char *arg)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_PROMPT || v->prompt.kind != DESKVIEW_PROMPT_COMMAND)
		return 0;
	char *line = textedit_utf8(&v->prompt.edit, false);
	struct cmdline_offer o;
	char *done = cmdline_complete(ctx, line, &o);
	if (strcmp(arg, "list") == 0) {
		free(done);
		done = xstrdup(line);
	}
	if (strcmp(done, line) != 0)
		textedit_set_utf8(&v->prompt.edit, done);
	cmd_prompt_offer_clear(v);
	if (o.n > 1 || (o.n == 1 && o.v[0].note && strcmp(done, line) == 0)) {
		/* more than one way on: what they are, each with its note, kept on one row (no-break spaces
		 * within an entry: the rows break between entries only) */
		size_t len = 0;
		for (size_t i = 0; i < o.n; i++)
			len += 2 * (strlen(o.v[i].value) + (o.v[i].note ? strlen(o.v[i].note) + 3 : 0)) + 3;
		char *s = xmalloc(len + 1), *p = s;
		for (size_t i = 0; i < o.n; i++) {
			char *entry = o.v[i].note ? xasprintf("%s (%s)", o.v[i].value, o.v[i].note) : xstrdup(o.v[i].value);
			if (i)
				p = stpcpy(p, "   ");
			for (const char *c = entry; *c; c++)
				p = *c == ' ' ? stpcpy(p, "\u00a0") : (*p = *c, p + 1);
			free(entry);
		}
		*p = '\0';
		v->prompt.offer = s;
	} else if (o.n == 0) {
		v->prompt.offer = xstrdup(_("(nothing to complete)"));
	}
	cmdline_offer_free(&o);
	free(done);
	free(line);
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

const struct cmd_entry cmd_prompt_complete_entry = {
    .name = "prompt-complete",
    .group = CMD_GROUP_POPUP,
    .usage = "[list]",
    .help = N_("Complete the command's name or its argument; list the choices"),
    .exec = cmd_prompt_complete_exec,
};

static unsigned cmd_prompt_cancel_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (v->mode == DESKVIEW_PROMPT && v->prompt.kind == DESKVIEW_PROMPT_SEARCH)
		cmd_search_end(ctx, false);
	cmd_prompt_offer_clear(v);
	deskview_set_mode(v, DESKVIEW_NORMAL);
	return 0;
}

const struct cmd_entry cmd_prompt_cancel_entry = {
    .name = "prompt-cancel",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Close the prompt (a search goes back to where it began)"),
    .exec = cmd_prompt_cancel_exec,
};

/* Up/Down: an earlier command line, or the search's older/newer hit. */
static unsigned cmd_prompt_step(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	if (v->mode != DESKVIEW_PROMPT)
		return 0;
	if (v->prompt.kind == DESKVIEW_PROMPT_SEARCH) {
		struct desk_dialog *dl = desk_dialog_find(ctx->desk, v->search.dialog);
		if (!dl || !v->search.text[0])
			return 0;
		long from = v->search.msg >= 0 ? v->search.msg + dir : (dir < 0 ? (long)dl->n_msgs - 1 : 0);
		long hit = search_dialog(dl, v->search.text, from, dir);
		if (hit >= 0)
			cmd_search_show(ctx, hit);
		else
			desk_set_error(ctx->desk, dir < 0 ? _("no older hit") : _("no newer hit"));
		return 0;
	}
	size_t pos = v->prompt.history_pos;
	if (dir < 0 && pos > 0)
		pos--;
	else if (dir > 0 && pos < v->prompt.n_history)
		pos++;
	else
		return 0;
	v->prompt.history_pos = pos;
	textedit_set_utf8(&v->prompt.edit, pos < v->prompt.n_history ? v->prompt.history[pos] : "");
	cmd_prompt_offer_clear(v);
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_prompt_prev_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_prompt_step(ctx, -1);
}

static unsigned cmd_prompt_next_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_prompt_step(ctx, 1);
}

const struct cmd_entry cmd_prompt_prev_entry = {
    .name = "prompt-prev",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("The previous command line; in a search, the older hit"),
    .exec = cmd_prompt_prev_exec,
};

const struct cmd_entry cmd_prompt_next_entry = {
    .name = "prompt-next",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("The next command line; in a search, the newer hit"),
    .exec = cmd_prompt_next_exec,
};

/* ---- theme ---- */

static unsigned cmd_theme_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (!*arg) {
		desk_set_error(ctx->desk, _("which theme? (Tab lists them)"));
		return 0;
	}
	snprintf(ctx->view->theme_request, sizeof ctx->view->theme_request, "%s", arg);
	deskview_dirty(ctx->view, DESKVIEW_DIRTY_ALL);
	return CMD_REDRAW;
}

static void cmd_theme_args(struct cmd_ctx *ctx, struct cmdline_offer *o)
{
	char **names = NULL;
	size_t n = theme_names(ctx->theme_dirs, &names);
	for (size_t i = 0; i < n; i++) {
		cmdline_offer_add(o, names[i], NULL);
		free(names[i]);
	}
	free(names);
}

const struct cmd_entry cmd_theme_entry = {
    .name = "theme",
    .group = CMD_GROUP_SCREEN,
    .usage = "NAME|FILE",
    .help = N_("Change the colours to a theme (default, dark, light, high-contrast, mono, your own)"),
    .exec = cmd_theme_exec,
    .args = cmd_theme_args,
};

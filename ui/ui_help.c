/* ui_help.c: the key help overlay, grouped by what the keys act on and generated from the key tables and
 * the command descriptions, and the quit confirmation (see ui_help.h). */
#include "opdesk/ui_help.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/cmd_popups.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"
#include "opdesk/ui_pager.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

void ui_help_confirm_draw(struct ui *ui)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	size_t open = desk_open_count(ui->desk);
	char *q =
	    xasprintf(ngettext("Quit with %zu open dialog? The customer will wait for another operator.",
	                       "Quit with %zu open dialogs? Customers will wait for another operator.", open),
	              open);
	ui_text_add(&b, q, UI_C_POPUP);
	free(q);
	int w = b.width + 6;
	if (ui_popup_open(ui, 5, w, _("Quit"))) {
		ui_popup_row(ui, 1, &b, UI_C_POPUP);
		textsafe_reset(&b);
		ui_text_add(&b, _("y: quit · n or Esc: stay"), UI_C_POPUP_KEY);
		ui_popup_row(ui, 3, &b, UI_C_POPUP);
	}
	textsafe_free(&b);
}

void ui_help_confirm_away_draw(struct ui *ui)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	size_t open = desk_open_count(ui->desk);
	char *q = xasprintf(ngettext("You have %zu open chat: go away anyway? It stays yours; no new chats come.",
	                             "You have %zu open chats: go away anyway? They stay yours; no new chats come.", open),
	                    open);
	ui_text_add(&b, q, UI_C_POPUP);
	free(q);
	int w = b.width + 6;
	if (ui_popup_open(ui, 5, w, _("Away"))) {
		ui_popup_row(ui, 1, &b, UI_C_POPUP);
		textsafe_reset(&b);
		ui_text_add(&b, _("y: go away · n or Esc: stay online"), UI_C_POPUP_KEY);
		ui_popup_row(ui, 3, &b, UI_C_POPUP);
	}
	textsafe_free(&b);
}

/* The headings of the normal mode's keys, in the order shown. */
static const char *const ui_help_groups[CMD_GROUP_COUNT] = {
    [CMD_GROUP_DIALOG] = N_("Dialogs"),
    [CMD_GROUP_COMPOSER] = N_("Writing a message"),
    [CMD_GROUP_PANES] = N_("Panes, scrolling and search"),
    [CMD_GROUP_SCREEN] = N_("This screen"),
    [CMD_GROUP_REPLAY] = N_("The replay"),
};

static bool ui_help_same_arg(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* One entry per command (in the normal table: per command and argument) with all its keys on the left,
 * added to p (NULL: only measure). Returns the widest key label. */
static int ui_help_entries(struct ui *ui, struct ui_pager *p, enum cmd_table_id t, int group, int label_w)
{
	const struct cmd_keymap *km = ui->keymap;
	bool *done = xcalloc(km->n ? km->n : 1, sizeof *done);
	struct textsafe_buf keys, text;
	textsafe_init(&keys);
	textsafe_init(&text);
	int widest = 0;
	for (size_t i = 0; i < km->n; i++) {
		const struct cmd_binding *kb = &km->b[i];
		const struct cmd_entry *e = cmd_find(kb->command);
		if (done[i] || kb->table != t || !e || (group >= 0 && (int)e->group != group))
			continue;
		bool by_arg = t == CMD_TABLE_NORMAL;
		textsafe_reset(&keys);
		for (size_t j = i; j < km->n; j++) {
			const struct cmd_binding *o = &km->b[j];
			if (done[j] || o->table != t || strcmp(o->command, kb->command) != 0 ||
			    (by_arg && !ui_help_same_arg(o->arg, kb->arg)))
				continue;
			done[j] = true;
			char name[32];
			if (keys.n)
				ui_text_add(&keys, ", ", UI_C_POPUP);
			ui_text_add(&keys, cmd_key_name(o->key, name, sizeof name), UI_C_POPUP_KEY);
		}
		textsafe_reset(&text);
		ui_text_add(&text, _(e->help), UI_C_POPUP);
		if (by_arg && kb->arg) {
			ui_text_add(&text, " ", UI_C_POPUP);
			ui_text_add(&text, kb->arg, UI_C_POPUP);
		}
		if (keys.width > widest)
			widest = keys.width;
		if (p)
			ui_pager_add(p, &keys, label_w, &text);
	}
	textsafe_free(&keys);
	textsafe_free(&text);
	free(done);
	return widest;
}

static void ui_help_heading(struct ui_pager *p, const char *title)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	ui_text_add(&b, title, UI_C_POPUP_TITLE);
	if (p->n)
		ui_pager_blank(p);
	ui_pager_add(p, NULL, 0, &b);
	textsafe_free(&b);
}

static bool ui_help_board_mode(int m)
{
	return m == DESKVIEW_BOARD || m == DESKVIEW_BOARD_FILTER;
}

/* One popup's keys under its heading. */
static int ui_help_popup(struct ui *ui, struct ui_pager *p, int m, int label_w)
{
	const struct cmd_popup *k = &cmd_popups[m];
	if (!k->keys_title)
		return 0;
	if (p)
		ui_help_heading(p, _(k->keys_title));
	return ui_help_entries(ui, p, k->keys, -1, label_w);
}

/* Both passes of the help: measuring (p NULL) and filling. Opened over the supervisor's board, the board's
 * keys come first. */
static int ui_help_fill(struct ui *ui, struct ui_pager *p, int label_w)
{
	int widest = 0;
	bool board = ui->view->board.shown;
	for (int m = 0; board && m < DESKVIEW_MODE_COUNT; m++) {
		int w = ui_help_board_mode(m) ? ui_help_popup(ui, p, m, label_w) : 0;
		widest = w > widest ? w : widest;
	}
	for (int g = 0; g < CMD_GROUP_COUNT; g++) {
		if (!ui_help_groups[g] || (g == CMD_GROUP_REPLAY && !ui->replay))
			continue;
		if (p)
			ui_help_heading(p, _(ui_help_groups[g]));
		int w = ui_help_entries(ui, p, CMD_TABLE_NORMAL, g, label_w);
		widest = w > widest ? w : widest;
	}
	/* the popups' own keys, after the normal mode's, each table under its kind's heading */
	for (int m = 0; m < DESKVIEW_MODE_COUNT; m++) {
		if (board && ui_help_board_mode(m))
			continue; /* listed first */
		int w = ui_help_popup(ui, p, m, label_w);
		widest = w > widest ? w : widest;
	}
	return widest;
}

void ui_help_draw(struct ui *ui)
{
	int label_w = ui_help_fill(ui, NULL, 0) + 2;
	if (label_w > 28)
		label_w = 28;
	/* as wide as the terminal allows, up to where the longest description fits on one row */
	int longest = 0;
	for (size_t i = 0; cmd_table[i]; i++) {
		int w = textsafe_width(_(cmd_table[i]->help));
		longest = w > longest ? w : longest;
	}
	int width = label_w + longest + 8;
	if (width > ui->cols - 6)
		width = ui->cols - 6;
	struct ui_pager p;
	ui_pager_init(&p, width);
	ui_help_fill(ui, &p, label_w);
	ui_pager_draw(ui, &p, _("Keys"), _("Up, Down, PgUp, PgDn, Home, End: scroll · any other key closes"));
	ui_pager_free(&p);
}

/* ui_help.c: the key help overlay and the quit confirmation (see ui_help.h). */
#include "opdesk/ui_help.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

void ui_help_confirm_draw(struct ui *ui)
{
	struct textsafe_buf b;
	textsafe_init(&b);
	size_t open = desk_open_count(ui->desk);
	char *q = xasprintf(ngettext("Quit with %zu open dialog? The customer will wait for another operator.",
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

void ui_help_draw(struct ui *ui)
{
	const struct cmd_keymap *km = ui->keymap;
	size_t n = 0;
	for (size_t i = 0; i < km->n; i++)
		n += km->b[i].table == CMD_TABLE_NORMAL;
	/* one column if it fits the screen, else two */
	int ncol = (int)n + 4 <= ui->lines - 2 ? 1 : 2;
	int per_col = ((int)n + ncol - 1) / ncol;
	int w = ncol == 1 ? 64 : ui->cols - 2;
	WINDOW *p = ui_popup_open(ui, per_col + 4, w, _("Keys"));
	if (!p)
		return;
	int ph, pw;
	getmaxyx(p, ph, pw);
	int colw = (pw - 4) / ncol;
	struct textsafe_buf b;
	textsafe_init(&b);
	int k = 0;
	for (size_t i = 0; i < km->n; i++) {
		const struct cmd_binding *kb = &km->b[i];
		if (kb->table != CMD_TABLE_NORMAL)
			continue;
		int row = 1 + k % per_col, col = k / per_col;
		k++;
		if (row >= ph - 1)
			continue;
		const struct cmd_entry *e = cmd_find(kb->command);
		char name[32];
		cmd_key_name(kb->key, name, sizeof name);
		textsafe_reset(&b);
		ui_text_addf(&b, UI_C_POPUP_KEY, "%-10s ", name);
		ui_text_add(&b, e ? _(e->help) : kb->command, UI_C_POPUP);
		if (kb->arg) {
			ui_text_add(&b, " ", UI_C_POPUP);
			ui_text_add(&b, kb->arg, UI_C_POPUP);
		}
		textsafe_truncate(&b, colw - 1, L'…');
		ui_text_draw(p, row, 2 + col * colw, b.cells, b.n, colw - 1);
	}
	textsafe_reset(&b);
	ui_text_add(&b, _("Other keys type into the composer. Any key closes this help."), UI_C_POPUP);
	ui_popup_row(ui, per_col + 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}

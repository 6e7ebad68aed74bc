/* ui_choice.c: the short pick-one popups: where to transfer the dialog (a queue with its waiting chats, a
 * colleague with their load, or an operator's name typed in) and which kind of claim to file; both show the
 * composer's text that goes along as the note. A list longer than the popup scrolls with the highlight. */
#include "opdesk/ui_choice.h"

#include <stdio.h>
#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

void ui_choice_draw(struct ui *ui)
{
	struct deskview *v = ui->view;
	struct desk_dialog *dl = desk_dialog_find(ui->desk, v->choice.dialog);
	bool transfer = v->choice.kind == DESKVIEW_CHOICE_TRANSFER;
	size_t n = deskview_choice_count(v);
	int w = ui->cols - 4 < 70 ? ui->cols - 4 : 70, h = (int)n + (transfer ? 8 : 7);
	struct textsafe_buf b;
	textsafe_init(&b);
	/* the title names the customer: untrusted text, drawn through textsafe by ui_popup_open */
	char *title = NULL;
	if (asprintf(&title, transfer ? _("Transfer %s to") : _("Claim by %s"), dl ? dl->customer : "?") < 0)
		title = NULL;
	WINDOW *p = ui_popup_open(ui, h, w, title ? title : "");
	free(title);
	if (!p) {
		textsafe_free(&b);
		return;
	}
	getmaxyx(p, h, w);
	/* the rows below the list: (the name typed in,) a blank, the note, a blank, the keys, the frame */
	int below = transfer ? 6 : 5, rows = h - 1 - below;
	if (rows < 1)
		rows = 1;
	size_t first = 0;
	if (n > (size_t)rows && v->choice.sel >= (size_t)rows)
		first = v->choice.sel - (size_t)rows + 1;
	for (size_t i = first; i < n && i < first + (size_t)rows; i++) {
		bool sel = i == v->choice.sel && !v->choice.text[0];
		enum ui_color_role role = sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		textsafe_reset(&b);
		if (i < 9)
			ui_text_addf(&b, sel ? role : UI_C_POPUP_KEY, "%zu", i + 1);
		else
			ui_text_add(&b, " ", role);
		ui_text_add(&b, "  ", role);
		char *label = deskview_choice_label(v, i); /* colleagues' names come from the hub: textsafe */
		ui_text_add(&b, label, role);
		free(label);
		textsafe_truncate(&b, w - 4, L'…');
		ui_popup_row(ui, (int)(i - first) + 1, &b, role);
	}
	int row = (int)(n < (size_t)rows ? n : (size_t)rows) + 1;
	if (transfer) {
		textsafe_reset(&b);
		enum ui_color_role role = v->choice.text[0] ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		ui_text_add(&b, _("or an operator: "), v->choice.text[0] ? role : UI_C_POPUP_KEY);
		ui_text_add(&b, v->choice.text, role);
		ui_text_add(&b, "▏", role);
		ui_popup_row(ui, row, &b, role);
	}
	row = h - 4;
	char *draft = dl ? textedit_utf8(&dl->draft, true) : NULL;
	textsafe_reset(&b);
	ui_text_add(&b, transfer ? _("Note: ") : _("Description: "), UI_C_POPUP_KEY);
	ui_text_add(&b, draft && *draft ? draft : _("(none: type it into the composer first)"), UI_C_POPUP);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, row, &b, UI_C_POPUP);
	free(draft);
	/* the digits that pick: as many as there are entries (at most 9) */
	char digits[8];
	size_t last = n < 9 ? n : 9;
	if (last <= 1)
		snprintf(digits, sizeof digits, "1");
	else
		snprintf(digits, sizeof digits, "1-%zu", last);
	textsafe_reset(&b);
	if (n == 0)
		ui_text_add(&b, _("letters: an operator · Esc: cancel"), UI_C_POPUP_KEY);
	else
		ui_text_addf(&b, UI_C_POPUP_KEY,
		             transfer ? _("%s or ↑/↓+Enter: transfer · letters: an operator · Esc: cancel")
		                      : _("%s or ↑/↓+Enter: file the claim · Esc: cancel"),
		             digits);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, h - 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}

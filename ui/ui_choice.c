/* ui_choice.c: the short pick-one popups: where to transfer the dialog (a queue, or an operator's name typed
 * in) and which kind of claim to file; both show the composer's text that goes along as the note. */
#include "opdesk/ui_choice.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

void ui_choice_draw(struct ui *ui)
{
	struct deskview *v = ui->view;
	struct desk_dialog *dl = desk_dialog_find(ui->desk, v->choice_dialog);
	bool transfer = v->choice == DESKVIEW_CHOICE_TRANSFER;
	size_t n = deskview_choice_count(v);
	int w = ui->cols - 4 < 70 ? ui->cols - 4 : 70, h = (int)n + 8;
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
	for (size_t i = 0; i < n; i++) {
		bool sel = i == v->choice_sel && !v->choice_text[0];
		enum ui_color_role role = sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		textsafe_reset(&b);
		ui_text_addf(&b, sel ? role : UI_C_POPUP_KEY, "%zu", i + 1);
		ui_text_add(&b, "  ", role);
		ui_text_add(&b, deskview_choice_label(v, i), role);
		ui_popup_row(ui, (int)i + 1, &b, role);
	}
	int row = (int)n + 1;
	if (transfer) {
		textsafe_reset(&b);
		enum ui_color_role role = v->choice_text[0] ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		ui_text_add(&b, _("or an operator: "), v->choice_text[0] ? role : UI_C_POPUP_KEY);
		ui_text_add(&b, v->choice_text, role);
		ui_text_add(&b, "▏", role);
		ui_popup_row(ui, row, &b, role);
	}
	row += 2;
	char *draft = dl ? textedit_utf8(&dl->draft, true) : NULL;
	textsafe_reset(&b);
	ui_text_add(&b, transfer ? _("Note: ") : _("Description: "), UI_C_POPUP_KEY);
	ui_text_add(&b, draft && *draft ? draft : _("(none: type it into the composer first)"), UI_C_POPUP);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, row, &b, UI_C_POPUP);
	free(draft);
	textsafe_reset(&b);
	ui_text_add(&b, transfer ? _("1-9 or ↑/↓+Enter: transfer · letters: an operator · Esc: cancel")
	                         : _("1-4 or ↑/↓+Enter: file the claim · Esc: cancel"),
	            UI_C_POPUP_KEY);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, h - 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}

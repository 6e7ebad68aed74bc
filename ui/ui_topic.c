/* ui_topic.c: the wrap-up topic picker (see ui_topic.h). */
#include "opdesk/ui_topic.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

static const char *ui_topic_hint(void)
{
	return _("1-7 or Up/Down+Enter: close · Esc: cancel");
}

void ui_topic_draw(struct ui *ui)
{
	struct desk_dialog *dl = desk_dialog_find(ui->desk, ui->view->topic.dialog);
	struct textsafe_buf b;
	textsafe_init(&b);
	int w = 44;
	for (size_t i = 0; i <= proto_n_topics; i++) {
		textsafe_reset(&b);
		ui_text_add(&b, i < proto_n_topics ? deskview_topic_label(i) : ui_topic_hint(), UI_C_POPUP);
		if (b.width + 10 > w)
			w = b.width + 10;
	}
	WINDOW *p = ui_popup_open(ui, (int)proto_n_topics + 4, w, "");
	if (!p) {
		textsafe_free(&b);
		return;
	}
	/* the title names the customer: untrusted text, drawn through textsafe */
	textsafe_reset(&b);
	ui_text_add(&b, _("Close the dialog:"), UI_C_POPUP_TITLE);
	ui_text_add(&b, " ", UI_C_POPUP_TITLE);
	ui_text_add(&b, dl ? dl->customer : "?", UI_C_POPUP_TITLE);
	textsafe_truncate(&b, w - 7, L'…');
	ui_text_add(&b, " ", UI_C_POPUP_TITLE);
	ui_text_draw(p, 0, 3, b.cells, b.n, w - 6);
	for (size_t i = 0; i < proto_n_topics; i++) {
		bool sel = i == ui->view->topic.sel;
		enum ui_color_role role = sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		textsafe_reset(&b);
		ui_text_addf(&b, sel ? UI_C_POPUP_SELECTED : UI_C_POPUP_KEY, "%zu", i + 1);
		ui_text_add(&b, "  ", role);
		ui_text_add(&b, deskview_topic_label(i), role);
		ui_popup_row(ui, (int)i + 1, &b, role);
	}
	textsafe_reset(&b);
	ui_text_add(&b, ui_topic_hint(), UI_C_POPUP);
	ui_popup_row(ui, (int)proto_n_topics + 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}

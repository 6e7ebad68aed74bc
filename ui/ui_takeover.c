/* ui_takeover.c: the question before a supervisor takes a watched dialog over, naming its customer and its
 * operator (the newest "joined" line of the dialog's history names who holds it; see desk_watch.c), both
 * drawn through textsafe. */
#include "opdesk/ui_takeover.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"
#include "opdesk/xalloc.h"

void ui_takeover_draw(struct ui *ui)
{
	const struct desk_dialog *dl = desk_dialog_find(ui->desk, ui->view->takeover.dialog);
	if (!dl) {
		ui_popup_close(ui);
		return;
	}
	char *q = dl->watched_operator
	              ? xasprintf(_("Take over %s's chat from %s?"), dl->customer, dl->watched_operator)
	              : xasprintf(_("Take over %s's chat? (its operator is not known here)"), dl->customer);
	struct textsafe_buf b;
	textsafe_init(&b);
	ui_text_add(&b, q, UI_C_POPUP);
	free(q);
	int room = ui->cols - 8;
	textsafe_truncate(&b, room > 10 ? room : 10, L'…');
	if (ui_popup_open(ui, 5, b.width + 6, _("Take over"))) {
		ui_popup_row(ui, 1, &b, UI_C_POPUP);
		textsafe_reset(&b);
		ui_text_add(&b, _("y: take it over · n or Esc: keep watching"), UI_C_POPUP_KEY);
		ui_popup_row(ui, 3, &b, UI_C_POPUP);
	}
	textsafe_free(&b);
}

/* ui_composer.c: the composer row of a pane (see ui_composer.h). */
#include "opdesk/ui_composer.h"

#include "opdesk/i18n.h"
#include "opdesk/ui_text.h"

void ui_composer_draw(struct ui *ui, int slot)
{
	WINDOW *w = ui->pane[slot];
	if (!w)
		return;
	struct ui_rect r = ui->pane_r[slot];
	int x0 = ui->pane_sep[slot] ? 1 : 0, cw = r.w - x0, y = r.h - 1;
	struct desk_dialog *dl = deskview_slot_dialog(ui->view, slot);
	bool focused = slot == ui->view->focus;
	ui_text_fill(w, y, x0, cw, UI_C_COMPOSER);
	if (!dl)
		return;
	struct textsafe_buf b;
	textsafe_init(&b);
	if (!desk_dialog_open(dl)) {
		ui_text_add(&b,
		            focused ? _("  (finished: F2 takes the next waiting chat, Tab switches)") : "",
		            UI_C_COMPOSER_OFF);
		ui_text_draw(w, y, x0, b.cells, b.n, cw);
		textsafe_free(&b);
		return;
	}
	ui_text_add(&b, "> ", focused ? UI_C_COMPOSER_PROMPT : UI_C_COMPOSER_OFF);
	int pw = ui_text_draw(w, y, x0, b.cells, b.n, cw);
	textsafe_reset(&b);
	const struct textedit *e = &dl->draft;
	textsafe_append_wide(&b, e->buf, e->len, 0, focused ? UI_C_COMPOSER : UI_C_COMPOSER_OFF);
	int avail = cw - pw;
	int cc = textedit_cursor_col(e);
	int offset = cc < avail ? 0 : cc - avail + 1;
	/* skip the cells left of the offset; a wide cell cut by it becomes a blank */
	size_t i = 0;
	int col = 0;
	while (i < b.n && col < offset)
		col += b.cells[i++].width;
	int x = x0 + pw + (col - offset);
	if (avail > 0)
		ui_text_draw(w, y, x, b.cells + i, b.n - i, avail - (col - offset));
	if (focused) {
		ui->cursor_y = r.y + y;
		ui->cursor_x = r.x + x0 + pw + cc - offset;
	}
	textsafe_free(&b);
}

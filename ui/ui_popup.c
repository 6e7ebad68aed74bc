/* ui_popup.c: the frame of a popup: a centred, framed window over the panes, and its rows (see ui_popup.h).
 * No kind of popup is named here: which one a mode draws is the table in ui_popups.c. */
#include "opdesk/ui_popup.h"

#include "opdesk/ui_text.h"

void ui_popup_close(struct ui *ui)
{
	if (ui->popup) {
		delwin(ui->popup);
		ui->popup = NULL;
	}
}

static WINDOW *popup_framed(struct ui *ui, int y, int x, int h, int w, const char *title)
{
	ui_popup_close(ui);
	ui->popup = newwin(h, w, y > 0 ? y : 0, x > 0 ? x : 0);
	if (!ui->popup)
		return NULL;
	WINDOW *p = ui->popup;
	for (int r = 0; r < h; r++)
		ui_text_fill(p, r, 0, w, UI_C_POPUP);
	wattr_set(p, ui_color_attr(UI_C_POPUP), ui_color_pair(UI_C_POPUP), NULL);
	box_set(p, WACS_VLINE, WACS_HLINE);
	wattr_set(p, A_NORMAL, 0, NULL);
	struct textsafe_buf t;
	textsafe_init(&t);
	ui_text_add(&t, " ", UI_C_POPUP_TITLE);
	ui_text_add(&t, title, UI_C_POPUP_TITLE);
	ui_text_add(&t, " ", UI_C_POPUP_TITLE);
	textsafe_truncate(&t, w - 4, L'…');
	ui_text_draw(p, 0, 2, t.cells, t.n, w - 4);
	textsafe_free(&t);
	return p;
}

WINDOW *ui_popup_open(struct ui *ui, int h, int w, const char *title)
{
	if (h > ui->lines - 2)
		h = ui->lines - 2;
	if (w > ui->cols - 2)
		w = ui->cols - 2;
	return popup_framed(ui, (ui->lines - 1 - h) / 2, (ui->cols - w) / 2, h, w, title);
}

WINDOW *ui_popup_open_side(struct ui *ui, int w, const char *title)
{
	if (w > ui->cols - 2)
		w = ui->cols - 2;
	return popup_framed(ui, 0, ui->cols - w, ui->lines - 1, w, title);
}

WINDOW *ui_popup_open_at(struct ui *ui, int y, int x, int h, int w, enum ui_color_role role)
{
	ui_popup_close(ui);
	ui->popup = newwin(h, w, y, x);
	if (ui->popup)
		for (int r = 0; r < h; r++)
			ui_text_fill(ui->popup, r, 0, w, role);
	return ui->popup;
}

void ui_popup_row(struct ui *ui, int row, const struct textsafe_buf *b, enum ui_color_role role)
{
	WINDOW *p = ui->popup;
	if (!p)
		return;
	int h, w;
	getmaxyx(p, h, w);
	if (row < 1 || row >= h - 1)
		return;
	ui_text_fill(p, row, 1, w - 2, role);
	ui_text_draw(p, row, 2, b->cells, b->n, w - 4);
}

/* ui_prompt.c: the prompt on the bottom line over the status bar (see ui_prompt.h). */
#include "opdesk/ui_prompt.h"

#include "opdesk/i18n.h"
#include "opdesk/search.h"
#include "opdesk/textwrap.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

#define UI_PROMPT_OFFER_ROWS 6

void ui_prompt_draw(struct ui *ui)
{
	const struct deskview *v = ui->view;
	int cw = ui->cols;
	struct textsafe_buf label, line, offer, tail;
	textsafe_init(&label);
	textsafe_init(&line);
	textsafe_init(&offer);
	textsafe_init(&tail);
	if (ui->desk->last_error) { /* what the last key could not do: the status bar is under the prompt */
		ui_text_add(&tail, "  ", UI_C_MARKED);
		ui_text_add(&tail, ui->desk->last_error, UI_C_MARKED);
	}
	if (v->prompt.kind == DESKVIEW_PROMPT_SEARCH) {
		ui_text_add(&label, _("Search: "), UI_C_PROMPT_LABEL);
		const struct desk_dialog *dl = desk_dialog_find(ui->desk, v->search.dialog);
		if (!tail.n && v->search.text[0] && v->search.msg < 0)
			ui_text_add(&tail, _("  (not found)"), UI_C_MARKED);
		else if (!tail.n && v->search.text[0] && dl)
			ui_text_add(&tail, _("  Up/Down: older/newer · Enter: stay · Esc: back"), UI_C_PROMPT_LABEL);
	} else {
		ui_text_add(&label, ":", UI_C_PROMPT_LABEL);
	}
	/* the line scrolls sideways so that the cursor stays in view */
	textsafe_append_wide(&line, v->prompt.edit.buf, v->prompt.edit.len, 0, UI_C_PROMPT);
	int cursor = textedit_cursor_col(&v->prompt.edit), room = cw - label.width - 1, shift = 0;
	if (room < 1)
		room = 1;
	if (cursor >= room)
		shift = cursor - room + 1;
	size_t first = 0;
	for (int col = 0; first < line.n && col < shift; first++)
		col += line.cells[first].width;
	int line_w = 0;
	for (size_t i = first; i < line.n; i++)
		line_w += line.cells[i].width;
	if (v->prompt.offer)
		ui_text_add(&offer, v->prompt.offer, UI_C_PROMPT_OFFER);
	struct textwrap wrap;
	textwrap_init(&wrap);
	size_t rows = offer.n ? textwrap_cells(&wrap, offer.cells, offer.n, cw - 2, cw - 2) : 0;
	if (rows > UI_PROMPT_OFFER_ROWS)
		rows = UI_PROMPT_OFFER_ROWS;
	if ((int)rows > ui->lines - 2)
		rows = ui->lines > 2 ? (size_t)(ui->lines - 2) : 0;
	int h = (int)rows + 1;
	WINDOW *w = ui_popup_open_at(ui, ui->lines - h, 0, h, cw, UI_C_PROMPT);
	if (w) {
		for (size_t r = 0; r < rows; r++) {
			ui_text_fill(w, (int)r, 0, cw, UI_C_PROMPT_OFFER);
			ui_text_draw(w, (int)r, 1, offer.cells + wrap.rows[r].start, wrap.rows[r].end - wrap.rows[r].start,
			             cw - 2);
		}
		int y = h - 1;
		ui_text_draw(w, y, 0, label.cells, label.n, cw);
		ui_text_draw(w, y, label.width, line.cells + first, line.n - first, room);
		if (tail.n && label.width + line_w + 2 < cw)
			ui_text_draw(w, y, label.width + line_w, tail.cells, tail.n, cw - label.width - line_w);
		wmove(w, y, label.width + cursor - shift);
	}
	textwrap_free(&wrap);
	textsafe_free(&label);
	textsafe_free(&line);
	textsafe_free(&offer);
	textsafe_free(&tail);
}

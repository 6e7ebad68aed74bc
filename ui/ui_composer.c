/* ui_composer.c: the composer at the bottom of a pane (see ui_composer.h): the draft wrapped under the
 * "> " prompt on up to UI_COMPOSER_MAX_ROWS rows (Alt-Enter starts a new line), scrolled to keep the
 * cursor in view; the pane's history gives up the rows it takes. Its height is settled before anything
 * draws (ui_render_settle), so drawing it never moves anything else. */
#include "opdesk/ui_composer.h"

#include "opdesk/canned.h"
#include "opdesk/i18n.h"
#include "opdesk/textwrap.h"
#include "opdesk/ui_text.h"

#define UI_COMPOSER_PROMPT_W 2

/* Wrap the draft into w (cells in b) at the width after the prompt. */
static void ui_composer_wrap(const struct desk_dialog *dl, int width, enum ui_color_role role,
                             struct textsafe_buf *b, struct textwrap *w)
{
	/* a canned reply's placeholder nothing filled ("{order}") is marked: it must be typed over first */
	const wchar_t *s = dl->draft.buf;
	size_t n = dl->draft.len, from = 0;
	for (size_t i = 0; i < n;) {
		size_t ph = s[i] == L'{' ? canned_placeholder_at(s + i, n - i) : 0;
		if (!ph) {
			i++;
			continue;
		}
		textsafe_append_wide(b, s + from, i - from, TEXTSAFE_MULTILINE, (uint8_t)role);
		textsafe_append_wide(b, s + i, ph, TEXTSAFE_MULTILINE, UI_C_MARKED);
		i += ph;
		from = i;
	}
	textsafe_append_wide(b, s + from, n - from, TEXTSAFE_MULTILINE, (uint8_t)role);
	textwrap_cells(w, b->cells, b->n, width, width);
}

/* The prompt's width: "> ", or in a watched pane "whisper> " in the operator's language. */
static int ui_composer_prompt_w(const struct desk_dialog *dl)
{
	return desk_dialog_watch_live(dl) ? textsafe_width(_("whisper> ")) : UI_COMPOSER_PROMPT_W;
}

int ui_composer_rows(const struct ui *ui, int slot)
{
	struct desk_dialog *dl = deskview_slot_dialog(ui->view, slot);
	if (!dl || (!desk_dialog_open(dl) && !desk_dialog_watch_live(dl)) || dl->draft.len == 0)
		return 1;
	int width = ui->pane_r[slot].w - (ui->pane_sep[slot] ? 1 : 0) - ui_composer_prompt_w(dl);
	struct textsafe_buf b;
	struct textwrap w;
	textsafe_init(&b);
	textwrap_init(&w);
	ui_composer_wrap(dl, width > 1 ? width : 1, UI_C_COMPOSER, &b, &w);
	int rows = (int)w.n;
	textsafe_free(&b);
	textwrap_free(&w);
	int max = ui->pane_r[slot].h / 3; /* the history keeps two thirds at least */
	if (max > UI_COMPOSER_MAX_ROWS)
		max = UI_COMPOSER_MAX_ROWS;
	if (rows > max)
		rows = max;
	return rows > 1 ? rows : 1;
}

void ui_composer_draw(struct ui *ui, int slot)
{
	WINDOW *w = ui->pane[slot];
	if (!w)
		return;
	int rows = ui->composer_rows[slot] > 0 ? ui->composer_rows[slot] : 1; /* settled before drawing */
	struct ui_rect r = ui->pane_r[slot];
	int x0 = ui->pane_sep[slot] ? 1 : 0, cw = r.w - x0, y0 = r.h - rows;
	struct desk_dialog *dl = deskview_slot_dialog(ui->view, slot);
	bool focused = slot == ui->view->focus;
	for (int y = y0; y < r.h; y++)
		ui_text_fill(w, y, x0, cw, UI_C_COMPOSER);
	if (!dl)
		return;
	struct textsafe_buf b;
	textsafe_init(&b);
	bool whisper = desk_dialog_watch_live(dl);
	if (!desk_dialog_open(dl) && !whisper) {
		ui_text_add(&b, focused ? _("  (finished: F2 takes the next waiting chat, Tab switches)") : "",
		            UI_C_COMPOSER_OFF);
		ui_text_draw(w, y0, x0, b.cells, b.n, cw);
		textsafe_free(&b);
		return;
	}
	if (whisper) /* what is typed in a watched pane goes to its operator only */
		ui_text_add(&b, _("whisper> "), focused ? UI_C_MSG_WHISPER : UI_C_COMPOSER_OFF);
	else
		ui_text_add(&b, "> ", focused ? UI_C_COMPOSER_PROMPT : UI_C_COMPOSER_OFF);
	int pw = ui_text_draw(w, y0, x0, b.cells, b.n, cw);
	int avail = cw - pw;
	if (avail < 1) {
		textsafe_free(&b);
		return;
	}
	/* the cursor's cell: the cells the draft before the cursor makes */
	textsafe_reset(&b);
	textsafe_append_wide(&b, dl->draft.buf, dl->draft.cursor, TEXTSAFE_MULTILINE, UI_C_COMPOSER);
	size_t cursor_cell = b.n;
	textsafe_reset(&b);
	struct textwrap tw;
	textwrap_init(&tw);
	ui_composer_wrap(dl, avail, focused ? UI_C_COMPOSER : UI_C_COMPOSER_OFF, &b, &tw);
	/* the row holding the cursor: the last row starting at or before it */
	size_t crow = 0;
	for (size_t i = 0; i < tw.n; i++)
		if (tw.rows[i].start <= cursor_cell)
			crow = i;
	int ccol = 0;
	for (size_t i = tw.rows[crow].start; i < cursor_cell && i < b.n; i++)
		ccol += b.cells[i].width;
	if (ccol >= avail) { /* at the very end of a full row: the cursor sits at the next row's start */
		ccol = 0;
		if (crow + 1 < tw.n)
			crow++;
	}
	size_t first = crow >= (size_t)rows ? crow - (size_t)rows + 1 : 0;
	for (int k = 0; k < rows && first + (size_t)k < tw.n; k++) {
		const struct textwrap_row *row = &tw.rows[first + (size_t)k];
		ui_text_draw(w, y0 + k, x0 + pw, b.cells + row->start, row->end - row->start, avail);
	}
	if (focused) {
		ui->cursor_y = r.y + y0 + (int)(crow - first);
		ui->cursor_x = r.x + x0 + pw + ccol;
	}
	textwrap_free(&tw);
	textsafe_free(&b);
}

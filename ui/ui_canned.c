/* ui_canned.c: the canned-reply picker popup: the filter line, the matching replies grouped under their
 * category headings (scrolled to keep the highlight in view), a preview of the highlighted reply as it will
 * be sent (placeholders filled), and the keys. */
#include "opdesk/ui_canned.h"

#include <stdlib.h>

#include "opdesk/canned.h"
#include "opdesk/i18n.h"
#include "opdesk/textwrap.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"
#include "opdesk/xalloc.h"

#define UI_CANNED_MAX 512
#define UI_CANNED_PREVIEW_ROWS 4

/* One line of the list: a category heading, or reply idx[item]. */
struct ui_canned_line {
	bool heading;
	size_t item;
};

void ui_canned_draw(struct ui *ui)
{
	struct deskview *v = ui->view;
	const struct desk *d = ui->desk;
	size_t idx[UI_CANNED_MAX];
	size_t n = canned_filter(d->canned, d->n_canned, v->canned.query, idx, UI_CANNED_MAX);
	int w = ui->cols - 4 < 90 ? ui->cols - 4 : 90;
	int h = ui->lines - 3;
	WINDOW *p = ui_popup_open(ui, h, w, _("Canned replies"));
	if (!p)
		return;
	getmaxyx(p, h, w);
	struct textsafe_buf b;
	textsafe_init(&b);

	/* the filter */
	ui_text_add(&b, _("Find: "), UI_C_POPUP_KEY);
	ui_text_add(&b, v->canned.query, UI_C_POPUP);
	ui_text_add(&b, "▏", UI_C_POPUP_KEY);
	if (n == 0) {
		ui_text_add(&b, "  ", UI_C_POPUP);
		ui_text_add(&b, _("(nothing matches)"), UI_C_POPUP_KEY);
	}
	ui_popup_row(ui, 1, &b, UI_C_POPUP);

	/* the list with headings */
	struct ui_canned_line *lines = xmalloc((2 * n + 1) * sizeof *lines);
	size_t nl = 0, sel_line = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || canned_category_rank(d->canned[idx[i]].category) !=
		                  canned_category_rank(d->canned[idx[i - 1]].category))
			lines[nl++] = (struct ui_canned_line){true, i};
		if (i == v->canned.sel)
			sel_line = nl;
		lines[nl++] = (struct ui_canned_line){false, i};
	}
	int list_top = 2, list_rows = h - 2 - list_top - UI_CANNED_PREVIEW_ROWS - 2;
	if (list_rows < 1)
		list_rows = 1;
	size_t first = 0;
	if (sel_line >= (size_t)list_rows)
		first = sel_line - (size_t)list_rows + 1;
	if (first > 0 && !lines[first].heading && lines[first - 1].heading && sel_line - (first - 1) < (size_t)list_rows)
		first--; /* keep the heading of the highlighted group when it fits */
	for (int r = 0; r < list_rows; r++) {
		size_t li = first + (size_t)r;
		textsafe_reset(&b);
		if (li >= nl) {
			ui_popup_row(ui, list_top + r, &b, UI_C_POPUP);
			continue;
		}
		const struct proto_canned *c = &d->canned[idx[lines[li].item]];
		if (lines[li].heading) {
			ui_text_add(&b, canned_category_label(c->category), UI_C_POPUP_TITLE);
			ui_popup_row(ui, list_top + r, &b, UI_C_POPUP);
			continue;
		}
		bool sel = lines[li].item == v->canned.sel;
		enum ui_color_role role = sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
		ui_text_add(&b, "  ", role);
		ui_text_add(&b, c->shortcut && *c->shortcut ? c->shortcut : "", sel ? role : UI_C_POPUP_KEY);
		while (b.width < 12)
			ui_text_add(&b, " ", role);
		ui_text_add(&b, c->title, role);
		ui_text_add(&b, " — ", role);
		ui_text_add(&b, c->text, role);
		textsafe_truncate(&b, w - 4, L'…');
		ui_popup_row(ui, list_top + r, &b, role);
	}

	/* the preview: the reply as it would be sent to this customer */
	int prow = list_top + list_rows;
	char missing[32] = ""; /* a placeholder the reply would keep for this customer */
	textsafe_reset(&b);
	for (int k = 0; k < w - 4; k++)
		ui_text_add(&b, "─", UI_C_POPUP);
	ui_popup_row(ui, prow++, &b, UI_C_POPUP);
	if (n > 0) {
		const struct proto_canned *c = &d->canned[idx[v->canned.sel < n ? v->canned.sel : 0]];
		char *filled = canned_fill(c->text, d, desk_dialog_find(d, v->canned.dialog));
		size_t mlen;
		const char *m = canned_unfilled(filled, &mlen);
		if (m)
			snprintf(missing, sizeof missing, "%.*s", (int)mlen, m);
		textsafe_reset(&b);
		textsafe_append_str(&b, filled, TEXTSAFE_MULTILINE, UI_C_POPUP);
		free(filled);
		struct textwrap tw;
		textwrap_init(&tw);
		textwrap_cells(&tw, b.cells, b.n, w - 4, w - 4);
		for (size_t r = 0; r < UI_CANNED_PREVIEW_ROWS; r++) {
			struct textsafe_buf row;
			textsafe_init(&row);
			if (r < tw.n)
				for (size_t k = tw.rows[r].start; k < tw.rows[r].end; k++) {
					row.cells = xgrow(row.cells, &row.cap, row.n + 1, sizeof *row.cells);
					row.cells[row.n++] = b.cells[k];
				}
			ui_popup_row(ui, prow + (int)r, &row, UI_C_POPUP);
			textsafe_free(&row);
		}
		textwrap_free(&tw);
	}
	textsafe_reset(&b);
	if (*missing) /* the customer gave nothing to fill it with: it cannot go out as it is */
		ui_text_addf(&b, UI_C_STATUS_ERROR, _("%s is not known: Enter puts the reply in the composer to fill it in"),
		             missing);
	else
		ui_text_add(&b, _("Enter: edit in the composer · Alt-Enter: send now · ↑/↓: choose · Esc: cancel"),
		            UI_C_POPUP_KEY);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, h - 2, &b, UI_C_POPUP);
	free(lines);
	textsafe_free(&b);
}

/* ui_pager.c: a popup of rows to page through (see ui_pager.h). */
#include "opdesk/ui_pager.h"

#include <stdlib.h>

#include "opdesk/i18n.h"
#include "opdesk/textwrap.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"
#include "opdesk/xalloc.h"

void ui_pager_init(struct ui_pager *p, int width)
{
	*p = (struct ui_pager){.width = width > 8 ? width : 8};
}

void ui_pager_free(struct ui_pager *p)
{
	for (size_t i = 0; i < p->n; i++)
		textsafe_free(&p->rows[i]);
	free(p->rows);
	*p = (struct ui_pager){0};
}

static struct textsafe_buf *ui_pager_row(struct ui_pager *p)
{
	p->rows = xgrow(p->rows, &p->cap, p->n + 1, sizeof *p->rows);
	struct textsafe_buf *b = &p->rows[p->n++];
	textsafe_init(b);
	return b;
}

/* Cells are copied as they are: they were sanitized once, and marked stand-ins stay marked. */
static void ui_pager_copy(struct textsafe_buf *b, const struct textsafe_cell *c)
{
	b->cells = xgrow(b->cells, &b->cap, b->n + 1, sizeof *b->cells);
	b->cells[b->n++] = *c;
	b->width += c->width;
}

void ui_pager_blank(struct ui_pager *p)
{
	ui_pager_row(p);
}

void ui_pager_add(struct ui_pager *p, const struct textsafe_buf *label, int label_w,
                  const struct textsafe_buf *text)
{
	if (label_w > p->width / 2)
		label_w = p->width / 2;
	int text_w = p->width - label_w;
	struct textwrap wr;
	textwrap_init(&wr);
	textwrap_cells(&wr, text->cells, text->n, text_w, text_w);
	for (size_t r = 0; r < wr.n; r++) {
		struct textsafe_buf *b = ui_pager_row(p);
		if (r == 0 && label) {
			int used;
			size_t k = textsafe_fit(label->cells, label->n, label_w - 1, &used);
			for (size_t i = 0; i < k; i++)
				ui_pager_copy(b, &label->cells[i]);
		}
		while (b->width < label_w)
			ui_text_add(b, " ", UI_C_POPUP);
		for (size_t i = wr.rows[r].start; i < wr.rows[r].end; i++) {
			if (!(text->cells[i].flags & TEXTSAFE_BREAK))
				ui_pager_copy(b, &text->cells[i]);
		}
	}
	textwrap_free(&wr);
}

void ui_pager_draw(struct ui *ui, struct ui_pager *p, const char *title, const char *footer)
{
	struct deskview *v = ui->view;
	int h = (int)p->n + 4 < ui->lines - 2 ? (int)p->n + 4 : ui->lines - 2;
	WINDOW *w = ui_popup_open(ui, h, p->width + 4, title);
	if (!w)
		return;
	int ph, pw;
	getmaxyx(w, ph, pw);
	int page = ph - 4 > 1 ? ph - 4 : 1;
	int last_top = (int)p->n > page ? (int)p->n - page : 0;
	if (v->pager.top > last_top)
		v->pager.top = last_top;
	if (v->pager.top < 0)
		v->pager.top = 0;
	v->pager.page = page;
	for (int r = 0; r < page && (size_t)(v->pager.top + r) < p->n; r++)
		ui_popup_row(ui, 1 + r, &p->rows[v->pager.top + r], UI_C_POPUP);
	struct textsafe_buf b;
	textsafe_init(&b);
	ui_text_add(&b, footer, UI_C_POPUP_KEY);
	textsafe_truncate(&b, pw - 4, L'…');
	ui_popup_row(ui, ph - 2, &b, UI_C_POPUP);
	if ((int)p->n > page) {
		textsafe_reset(&b);
		ui_text_addf(&b, UI_C_POPUP_TITLE, " %d-%d/%zu ", v->pager.top + 1, v->pager.top + page,
		             p->n);
		ui_text_draw(w, ph - 1, pw - 2 - b.width, b.cells, b.n, b.width);
	}
	textsafe_free(&b);
}

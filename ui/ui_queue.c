/* ui_queue.c: the queue sidebar (see ui_queue.h). */
#include "opdesk/ui_queue.h"

#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/ui_text.h"


/* Draw `left` and a right-aligned `right` on row y within cw columns; a highlighted row is drawn in one
 * colour across. x0: 1 when the sidebar is on the right (its separator is in column 0), else 0. */
static void ui_queue_row_sel(WINDOW *w, int x0, int y, int cw, struct textsafe_buf *left, struct textsafe_buf *right,
                             bool selected)
{
	if (selected) {
		ui_text_fill(w, y, x0, cw, UI_C_POPUP_SELECTED);
		for (size_t i = 0; i < left->n; i++)
			left->cells[i].style = UI_C_POPUP_SELECTED;
		for (size_t i = 0; right && i < right->n; i++)
			right->cells[i].style = UI_C_POPUP_SELECTED;
	}
	int rw = right ? right->width : 0;
	textsafe_truncate(left, cw - rw - (rw ? 1 : 0), L'…');
	ui_text_draw(w, y, x0, left->cells, left->n, cw);
	if (right)
		ui_text_draw(w, y, x0 + cw - rw, right->cells, right->n, rw);
}

static void ui_queue_row(WINDOW *w, int x0, int y, int cw, struct textsafe_buf *left, struct textsafe_buf *right)
{
	ui_queue_row_sel(w, x0, y, cw, left, right, false);
}

void ui_queue_draw(struct ui *ui)
{
	WINDOW *w = ui->queue;
	if (!w)
		return;
	const struct desk *d = ui->desk;
	int h = ui->lines - 1, cw = ui->queue_cols - 1;
	werase(w);
	memset(ui->queue_row_dialog, 0, sizeof ui->queue_row_dialog);
	struct textsafe_buf left, right;
	textsafe_init(&left);
	textsafe_init(&right);
	textsafe_append_cp(&left, 0x2502, 0, UI_C_SEPARATOR); /* │ */
	int x0 = ui->queue_x == 0 ? 1 : 0;
	for (int y = 0; y < h; y++)
		ui_text_draw(w, y, ui->queue_x, left.cells, left.n, 1);

	textsafe_reset(&left);
	ui_text_fill(w, 0, x0, cw, UI_C_QUEUE_TITLE);
	bool picking = ui->view->mode == DESKVIEW_QUEUE;
	ui_text_add(&left, " ", UI_C_QUEUE_TITLE);
	ui_text_add(&left, picking ? _("Take: ↑↓ Enter, Esc") : _("Waiting"), UI_C_QUEUE_TITLE);
	ui_text_addf(&right, UI_C_QUEUE_TITLE, "%lld ", (long long)d->queue_total);
	ui_queue_row(w, x0, 0, cw, &left, &right);

	int rows = h - 1;
	if (d->n_queue == 0) {
		textsafe_reset(&left);
		ui_text_add(&left, " ", UI_C_QUEUE_EMPTY);
		ui_text_add(&left, _("Nobody is waiting"), UI_C_QUEUE_EMPTY);
		ui_queue_row(w, x0, 2, cw, &left, NULL);
		goto out;
	}
	int64_t now = desk_now(d);
	size_t total = (size_t)(d->queue_total > (int64_t)d->n_queue ? d->queue_total : (int64_t)d->n_queue);
	/* two rows per item (name + wait, channel + preview) when everything fits, else one */
	bool two = d->n_queue * 2 + (total > d->n_queue) <= (size_t)rows;
	size_t shown = d->n_queue;
	if (!two && total > (size_t)rows)
		shown = (size_t)rows - 1; /* keep the last row for "+N more" */
	if (shown > d->n_queue)
		shown = d->n_queue;
	int y = 1;
	size_t sel = ui->view->queue.sel < d->n_queue ? ui->view->queue.sel : d->n_queue - 1;
	for (size_t i = 0; i < shown; i++) {
		const struct desk_qitem *q = &d->queue[i];
		bool selected = picking && i == sel;
		const char *queue = deskview_queue_label(q->queue);
		char dur[24];
		int64_t waited = now - q->since;
		textsafe_reset(&left);
		textsafe_reset(&right);
		ui_text_add(&left, " ", UI_C_QUEUE_NAME);
		ui_text_add(&left, q->customer, UI_C_QUEUE_NAME);
		if (q->returning > 0) /* a returning customer */
			ui_text_addf(&left, UI_C_QUEUE_CHANNEL, " ↺%lld", (long long)q->returning);
		ui_text_add(&left, " ", UI_C_QUEUE_CHANNEL);
		/* two rows: the channel beside the name, the queue before the preview; one row: the queue */
		ui_text_add(&left, two ? proto_channel_name(q->channel) : queue, UI_C_QUEUE_CHANNEL);
		ui_text_add(&right, ui_text_duration(waited, dur, sizeof dur),
		            ui_color_sla(waited, ui->sla_warn_ms, ui->sla_late_ms, UI_C_QUEUE_WAIT, UI_C_QUEUE_WAIT_WARN,
		                         UI_C_QUEUE_WAIT_LATE));
		if (y < UI_QUEUE_MAX_ROWS)
			ui->queue_row_dialog[y] = q->dialog;
		ui_queue_row_sel(w, x0, y++, cw, &left, &right, selected);
		if (two) {
			if (y < UI_QUEUE_MAX_ROWS)
				ui->queue_row_dialog[y] = q->dialog;
			textsafe_reset(&left);
			ui_text_add(&left, "   ", UI_C_QUEUE_CHANNEL);
			ui_text_add(&left, queue, UI_C_QUEUE_CHANNEL);
			if (q->preview && *q->preview) {
				ui_text_add(&left, ": ", UI_C_QUEUE_CHANNEL);
				ui_text_add(&left, q->preview, UI_C_QUEUE_PREVIEW);
			}
			ui_queue_row_sel(w, x0, y++, cw, &left, NULL, selected);
		}
	}
	if (total > shown && y < h) {
		textsafe_reset(&left);
		ui_text_addf(&left, UI_C_QUEUE_EMPTY, _(" +%zu more"), total - shown);
		ui_queue_row(w, x0, y, cw, &left, NULL);
	}
out:
	textsafe_free(&left);
	textsafe_free(&right);
}

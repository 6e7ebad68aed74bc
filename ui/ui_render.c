/* ui_render.c: render_if_dirty: redraw dirty views, wnoutrefresh each, one doupdate (see ui_render.h). */
#include "opdesk/ui_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"
#include "opdesk/ui_board.h"
#include "opdesk/ui_composer.h"
#include "opdesk/ui_pane.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_popups.h"
#include "opdesk/ui_queue.h"
#include "opdesk/ui_status.h"
#include "opdesk/ui_text.h"

static void ui_render_too_small(struct ui *ui)
{
	WINDOW *w = stdscr;
	werase(w);
	struct textsafe_buf b;
	textsafe_init(&b);
	char *s = xasprintf(_("Terminal too small: need at least %dx%d, have %dx%d"), UI_MIN_COLS,
	                    UI_MIN_LINES, ui->cols, ui->lines);
	ui_text_add(&b, s, UI_C_DEFAULT);
	free(s);
	textsafe_truncate(&b, ui->cols, L'…');
	int x = (ui->cols - b.width) / 2;
	ui_text_draw(w, ui->lines / 2, x > 0 ? x : 0, b.cells, b.n, ui->cols);
	textsafe_reset(&b);
	ui_text_add(&b, _("F10 quits"), UI_C_DEFAULT);
	x = (ui->cols - b.width) / 2;
	if (ui->lines / 2 + 1 < ui->lines)
		ui_text_draw(w, ui->lines / 2 + 1, x > 0 ? x : 0, b.cells, b.n, ui->cols);
	textsafe_free(&b);
	curs_set(0);
	wnoutrefresh(w);
}

bool ui_render_needs_clock(const struct ui *ui)
{
	const struct desk *d = ui->desk;
	if (ui->too_small)
		return false;
	if (ui->view->board.shown && ui_board_counts_seconds(ui))
		return true;
	if (d->n_queue > 0)
		return true;
	if (d->conn == DESK_CONN_OFFLINE && d->retry_at)
		return true;
	for (int i = 0; i < ui->view->n_slots && i < ui->n_panes; i++) {
		const struct desk_dialog *dl = deskview_slot_dialog(ui->view, i);
		if (dl && desk_dialog_open(dl) && dl->unanswered_since)
			return true;
	}
	return false;
}

int64_t ui_render_wake_at(const struct ui *ui)
{
	if (!ui->active || ui->too_small)
		return 0;
	int64_t now = proto_now_ms(), at = 0;
	if (desk_info_now(ui->desk, now))
		at = ui->desk->info_until;
	if (ui->clock || (ui->view->board.shown && ui->desk->board)) { /* the board's times in state count minutes */
		int64_t minute = (now / 60000 + 1) * 60000;
		if (!at || minute < at)
			at = minute;
	}
	return at;
}

void ui_render_tick(struct ui *ui)
{
	struct deskview *v = ui->view;
	if (ui->clock || ui->desk->info)
		v->dirty |= DESKVIEW_DIRTY_STATUS;
	if (v->board.shown)
		v->dirty |= DESKVIEW_DIRTY_BOARD;
	if (ui->desk->n_queue > 0)
		v->dirty |= DESKVIEW_DIRTY_QUEUE | DESKVIEW_DIRTY_STATUS;
	if (ui->desk->conn == DESK_CONN_OFFLINE)
		v->dirty |= DESKVIEW_DIRTY_STATUS;
	for (int i = 0; i < v->n_slots; i++) {
		const struct desk_dialog *dl = deskview_slot_dialog(v, i);
		if (dl && desk_dialog_open(dl) && dl->unanswered_since)
			v->dirty |= DESKVIEW_DIRTY_PANE(i);
	}
}

void ui_render_settle(struct ui *ui)
{
	struct deskview *v = ui->view;
	int want_panes = v->n_slots > 0 ? v->n_slots : 1;
	int want_zoom = v->zoom && v->n_slots > 1 ? v->focus : -1;
	if ((v->dirty & DESKVIEW_DIRTY_LAYOUT) || (!ui->too_small && (want_panes != ui->n_panes || want_zoom != ui->zoomed)))
		ui_screen_layout(ui);
	if (!v->dirty || ui->too_small)
		return;
	/* the composers about to be drawn: one that grew or shrank moves its pane's history, so that pane is
	 * drawn whole in this pass */
	for (int i = 0; i < ui->n_panes; i++) {
		if (!ui->pane[i] || !((v->dirty & (DESKVIEW_DIRTY_PANE(i) | DESKVIEW_DIRTY_COMPOSER(i))) || i == v->focus))
			continue;
		int rows = ui_composer_rows(ui, i);
		if (rows != ui->composer_rows[i]) {
			ui->composer_rows[i] = rows;
			v->dirty |= DESKVIEW_DIRTY_PANE(i);
		}
	}
}

void ui_render_if_dirty(struct ui *ui)
{
	struct deskview *v = ui->view;
	if (!ui->active)
		return;
	ui_render_settle(ui);
	if (!v->dirty)
		return;
	unsigned d = v->dirty;
	v->dirty = 0;
	if (ui->too_small) {
		ui_render_too_small(ui);
		doupdate();
		ui->clock_wanted = false;
		return;
	}
	bool any = false;
	if ((d & DESKVIEW_DIRTY_QUEUE) && ui->queue && !v->board.shown) {
		ui_queue_draw(ui);
		wnoutrefresh(ui->queue);
		any = true;
	}
	if (d & DESKVIEW_DIRTY_STATUS) {
		ui_status_draw(ui);
		wnoutrefresh(ui->status);
		any = true;
	}
	ui->cursor_y = ui->cursor_x = -1;
	if (v->board.shown && ui->board) {
		/* the board covers the panes and the sidebar: they are drawn again when it goes (DIRTY_ALL) */
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (d & DESKVIEW_DIRTY_BOARD) {
			ui_board_draw(ui);
			wnoutrefresh(ui->board);
			any = true;
		}
		if (any || (d & DESKVIEW_DIRTY_POPUP) || !ui->popup)
			ui_popups_draw(ui);
		if (ui->popup) {
			touchwin(ui->popup);
			wnoutrefresh(ui->popup);
		}
		curs_set(ui_popups_cursor(ui) ? 1 : 0);
		doupdate();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* bench/bench_board_view reads this line: what a board frame costs to draw, to the terminal */
		log_debug("board frame drawn in %lld us",
		          (long long)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
		ui->clock_wanted = ui_render_needs_clock(ui);
		return;
	}
	for (int i = 0; i < ui->n_panes; i++) {
		bool focused = i == v->focus;
		if (!ui->pane[i])
			continue; /* hidden behind a zoomed pane */
		if (d & DESKVIEW_DIRTY_PANE(i))
			ui_pane_draw(ui, i);
		else if ((d & DESKVIEW_DIRTY_COMPOSER(i)) || focused)
			ui_composer_draw(ui, i); /* the focused one also places the cursor */
		else
			continue;
		if (!focused) {
			wnoutrefresh(ui->pane[i]);
			any = true;
		}
	}
	if (v->mode != DESKVIEW_NORMAL) {
		if (any || (d & DESKVIEW_DIRTY_POPUP) || !ui->popup)
			ui_popups_draw(ui);
		if (v->focus >= 0 && v->focus < ui->n_panes && ui->pane[v->focus])
			wnoutrefresh(ui->pane[v->focus]);
		if (ui->popup) {
			touchwin(ui->popup);
			wnoutrefresh(ui->popup); /* last: the prompt's cursor is where the terminal's goes */
		}
		curs_set(ui_popups_cursor(ui) ? 1 : 0);
	} else {
		ui_popup_close(ui);
		if (v->focus >= 0 && v->focus < ui->n_panes && ui->pane[v->focus]) {
			WINDOW *w = ui->pane[v->focus];
			/* refreshed last, so the terminal cursor ends in its composer */
			if (ui->cursor_y >= 0)
				wmove(w, ui->cursor_y - ui->pane_r[v->focus].y,
				      ui->cursor_x - ui->pane_r[v->focus].x);
			wnoutrefresh(w);
		}
		curs_set(ui->cursor_y >= 0 ? 1 : 0);
	}
	doupdate();
	ui->clock_wanted = ui_render_needs_clock(ui);
}

/* ui_status.c: the status bar (see ui_status.h). */
#include "opdesk/ui_status.h"

#include "opdesk/i18n.h"
#include "opdesk/replay.h"
#include "opdesk/ui_text.h"

static void ui_status_sep(struct textsafe_buf *b)
{
	ui_text_add(b, " │ ", UI_C_STATUS);
}

void ui_status_draw(struct ui *ui)
{
	WINDOW *w = ui->status;
	if (!w)
		return;
	const struct desk *d = ui->desk;
	int cw = ui->cols;
	struct textsafe_buf left, keys;
	textsafe_init(&left);
	textsafe_init(&keys);
	ui_text_fill(w, 0, 0, cw, UI_C_STATUS);

	ui_text_add(&left, " ", UI_C_STATUS);
	if (ui->replay) {
		const struct replay *r = ui->replay;
		ui_text_addf(&left, UI_C_STATUS_HOTLIST, _("REPLAY x%g"), r->speed);
		if (r->finished)
			ui_text_add(&left, _(" finished"), UI_C_STATUS_HOTLIST);
		else if (r->paused)
			ui_text_add(&left, _(" paused"), UI_C_STATUS_HOTLIST);
		ui_status_sep(&left);
	}
	ui_text_add(&left, d->user, UI_C_STATUS_USER);
	if (d->conn == DESK_CONN_ONLINE && d->status == PROTO_ST_AWAY) {
		ui_text_add(&left, " ", UI_C_STATUS_USER);
		ui_text_add(&left, _("(away)"), UI_C_STATUS_USER);
	}
	ui_status_sep(&left);
	switch (d->conn) {
	case DESK_CONN_ONLINE:
		ui_text_add(&left, _("online"), UI_C_STATUS_ONLINE);
		break;
	case DESK_CONN_CONNECTING:
		ui_text_add(&left, _("connecting"), UI_C_STATUS_CONNECTING);
		break;
	case DESK_CONN_OFFLINE:
		ui_text_add(&left, _("offline"), UI_C_STATUS_OFFLINE);
		if (d->retry_at) {
			int64_t left_ms = d->retry_at - proto_now_ms();
			long s = (long)((left_ms + 999) / 1000);
			ui_text_addf(&left, UI_C_STATUS_OFFLINE, _(" - retrying in %ld s"), s > 0 ? s : 0);
			if (d->attempt > 1)
				ui_text_addf(&left, UI_C_STATUS_OFFLINE, _(" (attempt %u)"), d->attempt);
			ui_text_add(&left, _(" · Ctrl-R: now"), UI_C_STATUS_OFFLINE);
		}
		break;
	}
	ui_status_sep(&left);
	ui_text_addf(&left, UI_C_STATUS, _("queue: %lld"), (long long)d->queue_total);
	int64_t oldest = desk_oldest_wait(d);
	if (oldest) {
		char dur[24];
		ui_text_addf(&left, UI_C_STATUS, _(" (longest %s)"),
		             ui_text_duration(desk_now(d) - oldest, dur, sizeof dur));
	}
	ui_status_sep(&left);
	ui_text_addf(&left, UI_C_STATUS, _("dialogs: %zu/%d"), desk_open_count(d), d->capacity);
	/* the hotlist, as in WeeChat: panes with customer messages the operator has not seen, [pane:count] */
	for (int i = 0; i < ui->view->n_slots; i++) {
		const struct desk_dialog *dl = deskview_slot_dialog(ui->view, i);
		if (dl && dl->unread && i != ui->view->focus)
			ui_text_addf(&left, UI_C_STATUS_HOTLIST, " [%d:%zu]", i + 1, dl->unread);
	}
	if (ui->view->zoom && ui->view->n_slots > 1) {
		ui_status_sep(&left);
		ui_text_add(&left, _("zoomed"), UI_C_STATUS_USER);
	}
	if (d->last_rating > 0) {
		ui_status_sep(&left);
		ui_text_addf(&left, UI_C_STATUS, _("rated %d/5: "), d->last_rating);
		ui_text_add(&left, d->last_rating_customer, UI_C_STATUS);
	}
	const char *err = d->fatal ? d->fatal : d->last_error;
	if (!err && d->conn == DESK_CONN_OFFLINE)
		err = d->conn_reason;
	if (err) {
		ui_status_sep(&left);
		ui_text_add(&left, err, UI_C_STATUS_ERROR);
	}

	ui_text_add(&keys, _("F1 help  F2 take  F8 close  F10 quit "), UI_C_STATUS_KEYS);
	if (left.width + 2 + keys.width <= cw) {
		ui_text_draw(w, 0, cw - keys.width, keys.cells, keys.n, keys.width);
	} else {
		textsafe_truncate(&left, cw, L'…');
	}
	ui_text_draw(w, 0, 0, left.cells, left.n, cw);
	textsafe_free(&left);
	textsafe_free(&keys);
}

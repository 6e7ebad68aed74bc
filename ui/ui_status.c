/* ui_status.c: the status bar (see ui_status.h). */
#include "opdesk/ui_status.h"

#include <time.h>

#include "opdesk/i18n.h"
#include "opdesk/replay.h"
#include "opdesk/ui_text.h"

static void ui_status_sep(struct textsafe_buf *b)
{
	ui_text_add(b, " │ ", UI_C_STATUS);
}

/* Who is working, and whether this is a replay: the part of the bar that always stays. */
static void ui_status_who(struct ui *ui, struct textsafe_buf *b)
{
	const struct desk *d = ui->desk;
	ui_text_add(b, " ", UI_C_STATUS);
	if (ui->replay) {
		const struct replay *r = ui->replay;
		ui_text_addf(b, UI_C_STATUS_HOTLIST, _("REPLAY x%g"), r->speed);
		if (r->finished)
			ui_text_add(b, _(" finished"), UI_C_STATUS_HOTLIST);
		else if (r->paused)
			ui_text_add(b, _(" paused"), UI_C_STATUS_HOTLIST);
		ui_status_sep(b);
	}
	ui_text_add(b, d->user, UI_C_STATUS_USER);
	if (d->conn == DESK_CONN_ONLINE && d->status == PROTO_ST_AWAY) {
		ui_text_add(b, " ", UI_C_STATUS_USER);
		ui_text_add(b, _("(away)"), UI_C_STATUS_USER);
	}
}

/* The connection: online, or why not and when the next attempt comes. */
static void ui_status_conn(const struct desk *d, struct textsafe_buf *b)
{
	switch (d->conn) {
	case DESK_CONN_ONLINE:
		ui_text_add(b, _("online"), UI_C_STATUS_ONLINE);
		break;
	case DESK_CONN_CONNECTING:
		ui_text_add(b, _("connecting"), UI_C_STATUS_CONNECTING);
		break;
	case DESK_CONN_OFFLINE:
		ui_text_add(b, _("offline"), UI_C_STATUS_OFFLINE);
		if (d->retry_at) {
			int64_t left_ms = d->retry_at - proto_now_ms();
			long s = (long)((left_ms + 999) / 1000);
			ui_text_addf(b, UI_C_STATUS_OFFLINE, _(" - retrying in %ld s"), s > 0 ? s : 0);
			if (d->attempt > 1)
				ui_text_addf(b, UI_C_STATUS_OFFLINE, _(" (attempt %u)"), d->attempt);
			ui_text_add(b, _(" · Ctrl-R: now"), UI_C_STATUS_OFFLINE);
		}
		break;
	}
}

void ui_status_draw(struct ui *ui)
{
	WINDOW *w = ui->status;
	if (!w)
		return;
	const struct desk *d = ui->desk;
	int cw = ui->cols;
	struct textsafe_buf left, keys, short_left, clock, hint;
	textsafe_init(&left);
	textsafe_init(&keys);
	textsafe_init(&short_left);
	textsafe_init(&clock);
	textsafe_init(&hint);
	ui_text_fill(w, 0, 0, cw, UI_C_STATUS);

	ui_status_who(ui, &left);
	ui_status_who(ui, &short_left);
	ui_status_sep(&left);
	ui_status_conn(d, &left);
	if (d->conn != DESK_CONN_ONLINE) { /* while it is not online, that stays too */
		ui_status_sep(&short_left);
		ui_status_conn(d, &short_left);
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
		if (dl && dl->unread_whispers && i != ui->view->focus) /* a supervisor whispered there */
			ui_text_addf(&left, UI_C_STATUS_HOTLIST, " [%d:%s]", i + 1, _("whisper"));
	}
	if (ui->view->zoom && ui->view->n_slots > 1) {
		ui_status_sep(&left);
		ui_text_add(&left, _("zoomed"), UI_C_STATUS_USER);
	}

	/* what the operator is told: an error outranks information, and information fades */
	const char *msg = d->fatal ? d->fatal : d->last_error;
	if (!msg && d->conn == DESK_CONN_OFFLINE)
		msg = d->conn_reason;
	enum ui_color_role msg_role = UI_C_STATUS_ERROR;
	if (!msg) {
		msg = desk_info_now(d, proto_now_ms());
		msg_role = UI_C_STATUS;
	}
	if (msg) {
		ui_status_sep(&short_left);
		ui_status_sep(&left);
		ui_text_add(&left, msg, msg_role);
		ui_text_add(&short_left, msg, msg_role);
	}
	if (ui->clock) {
		char hm[16];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(hm, sizeof hm, "%H:%M ", &tm);
		ui_text_add(&clock, hm, UI_C_STATUS_USER);
	}
	ui_text_add(&keys, _("F1 help  F2 take  F8 close  F10 quit "), UI_C_STATUS_KEYS);

	/* Everything if it fits; else the keys go first, then all but who is working, so that the message
	 * keeps its room; a message still too long is cut, and the message log (Alt-L) holds it whole. */
	int room = cw - clock.width;
	if (left.width + 2 + keys.width <= room) {
		ui_text_draw(w, 0, room - keys.width, keys.cells, keys.n, keys.width);
		ui_text_draw(w, 0, 0, left.cells, left.n, room);
	} else if (left.width <= room || !msg) {
		textsafe_truncate(&left, room, L'…');
		ui_text_draw(w, 0, 0, left.cells, left.n, room);
	} else {
		if (short_left.width > room) {
			ui_text_add(&hint, _(" (Alt-L: all of it)"), UI_C_STATUS_KEYS);
			textsafe_truncate(&short_left, room - hint.width, L'…');
			ui_text_draw(w, 0, short_left.width, hint.cells, hint.n, hint.width);
		}
		ui_text_draw(w, 0, 0, short_left.cells, short_left.n, room);
	}
	if (clock.width)
		ui_text_draw(w, 0, room, clock.cells, clock.n, clock.width);
	textsafe_free(&short_left);
	textsafe_free(&clock);
	textsafe_free(&hint);
	textsafe_free(&left);
	textsafe_free(&keys);
}

/* ui_card.c: the customer's card and an earlier chat read from it (see ui_card.h). Everything on it came from
 * the network (names, contacts, previews, order numbers, messages) and is drawn through textsafe. */
#include "opdesk/ui_card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/desk_card.h"
#include "opdesk/sysline.h"
#include "opdesk/i18n.h"
#include "opdesk/ui_pager.h"
#include "opdesk/ui_popup.h"
#include "opdesk/ui_text.h"

static void day(char *out, size_t size, int64_t ms, const char *fmt)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, size, fmt, &tm);
}

static const char *state_label(enum proto_dstate s)
{
	return s == PROTO_DS_QUEUED ? _("in the queue") : s == PROTO_DS_ASSIGNED ? _("open") : _("closed");
}

static const char *contact_label(enum proto_contact_kind k)
{
	return k == PROTO_CONTACT_EMAIL ? _("e-mail") : k == PROTO_CONTACT_PHONE ? _("phone") : _("messenger");
}

/* One earlier chat on one row: "#12  03.11.2026  returns · anna · ★4 · quality · 5120-7731  Пришла куртка…" */
static void chat_row(struct textsafe_buf *b, const struct proto_card_chat *c, enum ui_color_role role)
{
	char when[32];
	day(when, sizeof when, c->opened, "%d.%m.%Y");
	ui_text_addf(b, role, "#%lld  %s  ", (long long)c->dialog, when);
	ui_text_add(b, c->state == PROTO_DS_CLOSED && c->topic ? c->topic : state_label(c->state), role);
	if (c->operator_name) {
		ui_text_add(b, " · ", role);
		ui_text_add(b, c->operator_name, role);
	}
	if (c->score)
		ui_text_addf(b, role, " · ★%d", c->score);
	for (int k = 0; k < PROTO_CLAIM_COUNT; k++)
		if (c->claims_by[k]) {
			ui_text_add(b, " · ", role);
			ui_text_add(b, sysline_claim_label(proto_claim_name((enum proto_claim)k)), role);
		}
	if (c->orders) {
		ui_text_add(b, " · ", role);
		ui_text_add(b, c->orders, role);
	}
	if (c->preview && *c->preview) {
		ui_text_add(b, "  ", role);
		ui_text_add(b, c->preview, role);
	}
}

void ui_card_draw(struct ui *ui)
{
	struct deskview *v = ui->view;
	const struct desk_card *c = ui->desk->card;
	const struct desk_dialog *dl = desk_dialog_find(ui->desk, v->card.dialog);
	bool known = c && c->known && c->dialog == v->card.dialog;
	bool side = ui->cols >= UI_CARD_SIDE_COLS;
	size_t n = known ? c->n_chats : 0;
	char *title = NULL;
	const char *name = known && c->n_names ? c->names[0].name : dl ? dl->customer : "?";
	if (asprintf(&title, _("Customer %s"), name) < 0)
		title = NULL;
	WINDOW *p = side ? ui_popup_open_side(ui, 60, title ? title : "")
	                 : ui_popup_open(ui, (int)n + 10, ui->cols - 4 < 100 ? ui->cols - 4 : 100, title ? title : "");
	free(title);
	if (!p)
		return;
	int h, w;
	getmaxyx(p, h, w);
	struct textsafe_buf b;
	textsafe_init(&b);
	int row = 1;
	if (!known) {
		ui_text_add(&b, _("asking the hub…"), UI_C_POPUP);
		ui_popup_row(ui, row, &b, UI_C_POPUP);
	} else {
		char since[32];
		day(since, sizeof since, c->since, "%d.%m.%Y");
		ui_text_add(&b, proto_channel_name(c->channel), UI_C_POPUP);
		if (c->contact) {
			ui_text_add(&b, " ", UI_C_POPUP);
			ui_text_add(&b, c->contact, UI_C_POPUP);
		}
		ui_text_add(&b, " · ", UI_C_POPUP);
		ui_text_addf(&b, UI_C_POPUP, _("customer since %s"), since);
		ui_text_add(&b, " · ", UI_C_POPUP);
		ui_text_addf(&b, UI_C_POPUP, ngettext("%lld earlier chat", "%lld earlier chats", (unsigned long)c->total),
			     (long long)c->total);
		if (c->blocked) {
			ui_text_add(&b, " · ", UI_C_POPUP);
			ui_text_add(&b, _("BLOCKED"), UI_C_POPUP_KEY);
		}
		textsafe_truncate(&b, w - 4, L'…');
		ui_popup_row(ui, row++, &b, UI_C_POPUP);
		if (c->n_names > 1) {
			textsafe_reset(&b);
			ui_text_add(&b, _("Also wrote as: "), UI_C_POPUP_KEY);
			for (size_t i = 1; i < c->n_names; i++) {
				ui_text_add(&b, c->names[i].name, UI_C_POPUP);
				if (i + 1 < c->n_names)
					ui_text_add(&b, ", ", UI_C_POPUP);
			}
			textsafe_truncate(&b, w - 4, L'…');
			ui_popup_row(ui, row++, &b, UI_C_POPUP);
		}
		for (size_t i = 0; i < c->n_contacts && row < h - 4; i++) {
			textsafe_reset(&b);
			ui_text_add(&b, contact_label(c->contacts[i].kind), UI_C_POPUP_KEY);
			ui_text_add(&b, ": ", UI_C_POPUP_KEY);
			ui_text_add(&b, c->contacts[i].value, UI_C_POPUP);
			textsafe_truncate(&b, w - 4, L'…');
			ui_popup_row(ui, row++, &b, UI_C_POPUP);
		}
		row++;
		textsafe_reset(&b);
		ui_text_add(&b, n ? _("Earlier chats (Enter reads one):") : _("No earlier chats."), UI_C_POPUP_KEY);
		ui_popup_row(ui, row++, &b, UI_C_POPUP);
		/* the chats scroll with the highlight */
		int rows = h - 3 - row;
		if (rows < 1)
			rows = 1;
		size_t first = v->card.sel >= (size_t)rows ? v->card.sel - (size_t)rows + 1 : 0;
		for (size_t i = first; i < n && i < first + (size_t)rows; i++) {
			enum ui_color_role role = i == v->card.sel ? UI_C_POPUP_SELECTED : UI_C_POPUP;
			textsafe_reset(&b);
			chat_row(&b, &c->chats[i], role);
			textsafe_truncate(&b, w - 4, L'…');
			ui_popup_row(ui, row++, &b, role);
		}
	}
	textsafe_reset(&b);
	ui_text_add(&b, _("Up/Down: pick · Enter: read · b: block · Esc: close"), UI_C_POPUP_KEY);
	textsafe_truncate(&b, w - 4, L'…');
	ui_popup_row(ui, h - 2, &b, UI_C_POPUP);
	textsafe_free(&b);
}

static const char *sender_label(const struct proto_message *m, const char *customer)
{
	switch (m->sender) {
	case PROTO_FROM_CUSTOMER:
		return m->author ? m->author : customer;
	case PROTO_FROM_OPERATOR:
		return m->author ? m->author : _("operator");
	case PROTO_FROM_NOTE:
		return _("note");
	default:
		return "·";
	}
}

void ui_card_history_draw(struct ui *ui)
{
	const struct desk_card *c = ui->desk->card;
	bool known = c && c->read_known;
	struct ui_pager p;
	ui_pager_init(&p, ui->cols - 6);
	struct textsafe_buf label, text;
	textsafe_init(&label);
	textsafe_init(&text);
	for (size_t i = 0; known && i < c->n_msgs; i++) {
		const struct proto_message *m = &c->msgs[i];
		char hm[16];
		day(hm, sizeof hm, m->time, "%H:%M");
		textsafe_reset(&label);
		textsafe_reset(&text);
		ui_text_add(&label, hm, UI_C_POPUP_KEY);
		ui_text_add(&label, " ", UI_C_POPUP_KEY);
		ui_text_add(&label, sender_label(m, c->read.customer), UI_C_POPUP_KEY);
		ui_text_add(&text, m->text, m->sender == PROTO_FROM_NOTE ? UI_C_POPUP_KEY : UI_C_POPUP);
		ui_pager_add(&p, &label, 20, &text);
	}
	if (!known) {
		ui_text_add(&text, _("asking the hub…"), UI_C_POPUP);
		ui_pager_add(&p, NULL, 0, &text);
	}
	char *title = NULL;
	char when[32] = "";
	if (known)
		day(when, sizeof when, c->read.opened, "%d.%m.%Y %H:%M");
	if (asprintf(&title, _("Chat #%lld of %s (read-only)"), known ? (long long)c->read.id : 0LL,
		     known ? when : "…") < 0)
		title = NULL;
	ui_pager_draw(ui, &p, title ? title : "", _("Up, Down, PgUp, PgDn, Home, End: scroll · any other key closes"));
	free(title);
	textsafe_free(&label);
	textsafe_free(&text);
	ui_pager_free(&p);
}

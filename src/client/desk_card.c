/* desk_card.c: who the customer is, model side (see desk_card.h): asking the hub for a dialog's customer card,
 * for one of its chats read-only (page after page of 500 messages until the chat's last), and blocking the
 * customer; applying the answers. */
#include "opdesk/desk_card.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

#include "desk_int.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void read_clear(struct desk_card *c)
{
	proto_dialog_free(&c->read);
	for (size_t i = 0; i < c->n_msgs; i++)
		proto_message_free(&c->msgs[i]);
	free(c->msgs);
	c->msgs = NULL;
	c->n_msgs = 0;
	c->read_known = false;
}

static void card_clear(struct desk_card *c)
{
	free(c->contact);
	for (size_t i = 0; i < c->n_names; i++)
		free(c->names[i].name);
	free(c->names);
	for (size_t i = 0; i < c->n_contacts; i++)
		free(c->contacts[i].value);
	free(c->contacts);
	for (size_t i = 0; i < c->n_chats; i++)
		proto_card_chat_free(&c->chats[i]);
	free(c->chats);
	int64_t dialog = c->dialog, read_dialog = c->read_dialog;
	read_clear(c);
	memset(c, 0, sizeof *c);
	c->dialog = dialog;
	c->read_dialog = read_dialog;
}

void desk_card_free(struct desk *d)
{
	if (!d->card)
		return;
	card_clear(d->card);
	free(d->card);
	d->card = NULL;
}

static struct desk_card *card_of(struct desk *d)
{
	if (!d->card)
		d->card = xcalloc(1, sizeof *d->card);
	return d->card;
}

int desk_card_ask(struct desk *d, int64_t dialog)
{
	if (!desk_check_online(d))
		return -1;
	struct desk_card *c = card_of(d);
	if (c->dialog != dialog) {
		card_clear(c);
		c->dialog = dialog;
		c->read_dialog = 0;
	}
	struct proto_msg out = {.type = PROTO_CUSTOMER_ASK, .dialog = dialog};
	return desk_send(d, &out);
}

static int ask_history(struct desk *d, int64_t dialog, int64_t after)
{
	struct proto_msg out = {.type = PROTO_HISTORY, .dialog = dialog, .after = after};
	return desk_send(d, &out);
}

int desk_card_read(struct desk *d, int64_t dialog)
{
	if (!desk_check_online(d))
		return -1;
	struct desk_card *c = card_of(d);
	read_clear(c);
	c->read_dialog = dialog;
	return ask_history(d, dialog, 0);
}

int desk_block(struct desk *d, int64_t dialog, const char *reason)
{
	if (!reason || !*reason) {
		desk_set_error(d, _("say why the customer is blocked: block REASON"));
		return -1;
	}
	if (strlen(reason) > PROTO_MAX_NOTE) {
		desk_set_error(d, _("the reason is too long (at most %d bytes)"), PROTO_MAX_NOTE);
		return -1;
	}
	if (!desk_check_online(d))
		return -1;
	struct proto_msg out = {.type = PROTO_BLOCK, .dialog = dialog, .reason = (char *)reason};
	return desk_send(d, &out);
}

static void apply_card(struct desk *d, const struct proto_msg *m)
{
	struct desk_card *c = card_of(d);
	card_clear(c);
	if (c->dialog != m->dialog)
		c->read_dialog = 0;
	c->dialog = m->dialog;
	c->known = true;
	c->id = m->id;
	c->since = m->since;
	c->total = m->total;
	c->channel = m->channel;
	c->contact = dup_or_null(m->contact);
	c->blocked = m->blocked;
	c->names = m->n_names ? xcalloc(m->n_names, sizeof *c->names) : NULL;
	for (size_t i = 0; i < m->n_names; i++)
		c->names[c->n_names++] = (struct proto_card_name){xstrdup(m->names[i].name), m->names[i].time};
	c->contacts = m->n_contacts ? xcalloc(m->n_contacts, sizeof *c->contacts) : NULL;
	for (size_t i = 0; i < m->n_contacts; i++) {
		c->contacts[c->n_contacts] = m->contacts[i];
		c->contacts[c->n_contacts++].value = xstrdup(m->contacts[i].value);
	}
	c->chats = m->n_chats ? xcalloc(m->n_chats, sizeof *c->chats) : NULL;
	for (size_t i = 0; i < m->n_chats; i++) {
		struct proto_card_chat *t = &c->chats[c->n_chats++];
		*t = m->chats[i];
		t->queue = dup_or_null(m->chats[i].queue);
		t->topic = dup_or_null(m->chats[i].topic);
		t->operator_name = dup_or_null(m->chats[i].operator_name);
		t->orders = dup_or_null(m->chats[i].orders);
		t->preview = dup_or_null(m->chats[i].preview);
	}
}

static void apply_history(struct desk *d, const struct proto_msg *m)
{
	struct desk_card *c = card_of(d);
	if (m->n_dialogs != 1 || m->dialogs[0].id != c->read_dialog)
		return; /* an answer to an earlier question */
	if (!c->read_known) {
		proto_dialog_copy(&c->read, &m->dialogs[0]);
		c->read_known = true;
	}
	int64_t last = c->n_msgs ? c->msgs[c->n_msgs - 1].seq : 0;
	size_t cap = c->n_msgs;
	for (size_t i = 0; i < m->n_messages; i++) {
		if (m->messages[i].seq <= last)
			continue;
		c->msgs = xgrow(c->msgs, &cap, c->n_msgs + 1, sizeof *c->msgs);
		proto_message_copy(&c->msgs[c->n_msgs++], &m->messages[i]);
		last = m->messages[i].seq;
	}
	/* more than one answer holds: ask for the rest */
	if (m->n_messages > 0 && last < m->dialogs[0].last_seq)
		ask_history(d, c->read_dialog, last);
}

void desk_card_apply(struct desk *d, const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_CARD:
		apply_card(d, m);
		break;
	case PROTO_HISTORY_ANSWER:
		apply_history(d, m);
		break;
	case PROTO_BLOCKED:
		if (d->card && d->card->dialog == m->dialog)
			d->card->blocked = true;
		desk_info(d, _("customer blocked (block %lld): their new chats are refused; opdesk-hub block remove %lld "
			    "lifts it"),
			  (long long)m->id, (long long)m->id);
		break;
	default:
		return;
	}
	desk_notify(d, DESK_CH_CARD, m->dialog);
}

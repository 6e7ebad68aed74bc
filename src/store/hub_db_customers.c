/* hub_db_customers.c: the store's part for customers across chats (see hub_db.h): finding and adding them,
 * naming each dialog's, and the card an operator reads: the names it gave, the contacts it left (found in its
 * messages by textscan), its other chats with their topic, rating, claims and order numbers. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"
#include "opdesk/textscan.h"
#include "opdesk/xalloc.h"

int hub_db_customer_find(struct hub_db *db, enum proto_channel channel, const char *token, const char *contact,
			 int64_t *id)
{
	*id = 0;
	struct sql_stmt *st;
	if (token) {
		st = hub_db_stmt(db, ST_CUST_BY_TOKEN);
		sql_bind_text(st, 1, token);
	} else {
		st = hub_db_stmt(db, ST_CUST_BY_CONTACT);
		sql_bind_text(st, 1, proto_channel_name(channel));
		sql_bind_text(st, 2, contact);
	}
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*id = sql_col_int64(st, 0);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot look the customer up");
}

int hub_db_customer_add(struct hub_db *db, enum proto_channel channel, const char *token, const char *contact,
			const char *address, int64_t now, int64_t *id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CUST_ADD);
	sql_bind_text(st, 1, token);
	sql_bind_text(st, 2, proto_channel_name(channel));
	sql_bind_text(st, 3, contact);
	sql_bind_int64(st, 4, now);
	sql_bind_text(st, 5, address);
	int rc = hub_db_run(db, st, "cannot store the new customer");
	*id = rc == HUB_DB_OK ? hub_db_last_id(db) : 0;
	return rc;
}

int hub_db_customer_seen(struct hub_db *db, int64_t customer, const char *address)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CUST_SEEN);
	sql_bind_text(st, 1, address);
	sql_bind_int64(st, 2, customer);
	return hub_db_run(db, st, "cannot store where the customer came from");
}

int hub_db_customer_token(struct hub_db *db, int64_t customer, char **token, char **address)
{
	*token = NULL;
	if (address)
		*address = NULL;
	struct sql_stmt *st = hub_db_stmt(db, ST_CUST_GET);
	sql_bind_int64(st, 1, customer);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*token = hub_db_col_text(st, 3);
		if (address)
			*address = hub_db_col_text(st, 4);
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the customer");
}

int hub_db_returning_customer(struct hub_db *db, int64_t customer, int64_t since_ms, bool *returning, int64_t *op)
{
	*returning = false;
	*op = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_RETURNING_CUSTOMER);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, since_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*returning = true;
		*op = sql_col_int64(st, 0);
	}
	sql_reset(st);
	return rc == SQL_ROW || rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot look for the customer's last chat");
}

int hub_db_customer_earlier(struct hub_db *db, int64_t customer, int64_t dialog, int64_t *n)
{
	*n = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_CUST_EARLIER);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*n = sql_col_int64(st, 0);
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the customer's chats");
}

int hub_db_dialog_set_customer(struct hub_db *db, int64_t dialog, int64_t customer)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_SET_CUSTOMER);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, dialog);
	return hub_db_run(db, st, "cannot name the dialog's customer");
}

int hub_db_dialog_customer(struct hub_db *db, int64_t dialog, int64_t *customer)
{
	*customer = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_CUSTOMER);
	sql_bind_int64(st, 1, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*customer = sql_col_int64(st, 0);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the dialog's customer");
}

/* ---- the card ---- */

/* The contacts found in the customer's messages (read newest first): each once (phones by their digits),
 * with the time it was first seen. */
struct contact_scan {
	struct proto_card_contact *v;
	size_t n, cap;
	char (*keys)[PROTO_MAX_ID + 1];
	int64_t time;
};

static void contact_found(void *arg, enum textscan_kind kind, const char *s, size_t len)
{
	struct contact_scan *c = arg;
	if (kind == TEXTSCAN_ORDER || len > PROTO_MAX_ID)
		return;
	char key[PROTO_MAX_ID + 1];
	if (kind == TEXTSCAN_PHONE) {
		textscan_phone_key(s, len, key);
	} else {
		for (size_t i = 0; i < len; i++)
			key[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
		key[len] = '\0';
	}
	enum proto_contact_kind k = kind == TEXTSCAN_PHONE ? PROTO_CONTACT_PHONE : PROTO_CONTACT_EMAIL;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].kind == k && strcmp(c->keys[i], key) == 0) {
			c->v[i].time = c->time; /* seen earlier too: read newest first, the last one read is the first */
			return;
		}
	size_t cap = c->cap;
	c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->keys = xgrow(c->keys, &cap, c->n + 1, sizeof *c->keys);
	memcpy(c->keys[c->n], key, strlen(key) + 1);
	c->v[c->n++] = (struct proto_card_contact){ .kind = k, .value = xstrndup(s, len), .time = c->time };
}

static int contact_newest_first(const void *a, const void *b)
{
	const struct proto_card_contact *x = a, *y = b;
	return x->time < y->time ? 1 : x->time > y->time ? -1 : 0;
}

/* The order numbers of one chat, oldest first, each once, ", "-separated within PROTO_MAX_ORDERS bytes. */
struct order_scan {
	char buf[PROTO_MAX_ORDERS + 1];
	size_t len;
};

static void order_found(void *arg, enum textscan_kind kind, const char *s, size_t len)
{
	struct order_scan *o = arg;
	if (kind != TEXTSCAN_ORDER)
		return;
	for (const char *p = o->buf; p < o->buf + o->len;) { /* each once */
		const char *end = strstr(p, ", ");
		size_t n = end ? (size_t)(end - p) : o->len - (size_t)(p - o->buf);
		if (n == len && memcmp(p, s, len) == 0)
			return;
		p += n + 2;
	}
	size_t need = len + (o->len ? 2 : 0);
	if (o->len + need > PROTO_MAX_ORDERS)
		return;
	if (o->len) {
		memcpy(o->buf + o->len, ", ", 2);
		o->len += 2;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static int card_chat_extras(struct hub_db *db, struct proto_card_chat *c)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CARD_CLAIMS);
	sql_bind_int64(st, 1, c->dialog);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		int k = proto_claim_parse(sql_col_text(st, 0));
		if (k >= 0)
			c->claims_by[k] = sql_col_int64(st, 1);
	}
	sql_reset(st);
	if (rc != SQL_DONE)
		return hub_db_fail(db, "cannot read a chat's claims");
	struct order_scan o = { .len = 0 };
	st = hub_db_stmt(db, ST_CARD_CHAT_TEXTS);
	sql_bind_int64(st, 1, c->dialog);
	while ((rc = sql_step(st)) == SQL_ROW)
		textscan(sql_col_text(st, 0), order_found, &o);
	sql_reset(st);
	if (rc != SQL_DONE)
		return hub_db_fail(db, "cannot read a chat's messages");
	c->orders = o.len ? xstrdup(o.buf) : NULL;
	return HUB_DB_OK;
}

static int card_head(struct hub_db *db, int64_t customer, struct proto_msg *card)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CUST_GET);
	sql_bind_int64(st, 1, customer);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		int ch = proto_channel_parse(sql_col_text(st, 0));
		card->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		card->contact = hub_db_col_text(st, 1);
		card->since = sql_col_int64(st, 2);
	}
	sql_reset(st);
	if (rc != SQL_ROW)
		return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the customer");
	card->id = customer;
	st = hub_db_stmt(db, ST_CARD_NAMES);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, PROTO_MAX_CARD_LIST);
	size_t cap = 0;
	while ((rc = sql_step(st)) == SQL_ROW) {
		card->names = xgrow(card->names, &cap, card->n_names + 1, sizeof *card->names);
		char *name = hub_db_col_text(st, 0);
		card->names[card->n_names++] = (struct proto_card_name){ .name = name ? name : xstrdup("?"),
									  .time = sql_col_int64(st, 1) };
	}
	sql_reset(st);
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot read the customer's names");
}

static int card_contacts(struct hub_db *db, int64_t customer, struct proto_msg *card)
{
	struct contact_scan c = { 0 };
	struct sql_stmt *st = hub_db_stmt(db, ST_CARD_TEXTS);
	sql_bind_int64(st, 1, customer);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		c.time = sql_col_int64(st, 1);
		textscan(sql_col_text(st, 0), contact_found, &c);
	}
	sql_reset(st);
	free(c.keys);
	if (card->contact && strlen(card->contact) <= PROTO_MAX_ID) {
		c.v = xgrow(c.v, &c.cap, c.n + 1, sizeof *c.v);
		c.v[c.n++] = (struct proto_card_contact){ .kind = PROTO_CONTACT_MESSENGER,
							  .value = xstrdup(card->contact), .time = card->since };
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, contact_newest_first);
	for (size_t i = PROTO_MAX_CARD_LIST; i < c.n; i++)
		free(c.v[i].value);
	card->contacts = c.v;
	card->n_contacts = c.n < PROTO_MAX_CARD_LIST ? c.n : PROTO_MAX_CARD_LIST;
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot read the customer's messages");
}

static int card_chats(struct hub_db *db, int64_t customer, int64_t except, struct proto_msg *card)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CARD_CHATS);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, except);
	sql_bind_int64(st, 3, PROTO_MAX_CARD_CHATS);
	size_t cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		card->chats = xgrow(card->chats, &cap, card->n_chats + 1, sizeof *card->chats);
		struct proto_card_chat *c = &card->chats[card->n_chats++];
		memset(c, 0, sizeof *c);
		c->dialog = sql_col_int64(st, 0);
		c->opened = sql_col_int64(st, 1);
		c->closed = sql_col_int64(st, 2);
		int state = proto_dstate_parse(sql_col_text(st, 3));
		c->state = state < 0 ? PROTO_DS_CLOSED : (enum proto_dstate)state;
		c->queue = hub_db_col_text(st, 4);
		if (!c->queue)
			c->queue = xstrdup("general");
		c->topic = hub_db_col_text(st, 5);
		c->operator_name = hub_db_col_text(st, 6);
		c->score = (int)sql_col_int64(st, 7);
		c->preview = hub_db_preview(sql_col_text(st, 8));
	}
	sql_reset(st);
	if (rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the customer's chats");
	for (size_t i = 0; i < card->n_chats; i++)
		if (card_chat_extras(db, &card->chats[i]) != HUB_DB_OK)
			return HUB_DB_ERROR;
	st = hub_db_stmt(db, ST_CARD_TOTAL);
	sql_bind_int64(st, 1, customer);
	sql_bind_int64(st, 2, except);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		card->total = sql_col_int64(st, 0);
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the customer's chats");
}

int hub_db_customer_card(struct hub_db *db, int64_t customer, int64_t except_dialog, struct proto_msg *card)
{
	memset(card, 0, sizeof *card);
	card->type = PROTO_CARD;
	int rc = card_head(db, customer, card);
	if (rc == HUB_DB_OK)
		rc = card_contacts(db, customer, card);
	if (rc == HUB_DB_OK)
		rc = card_chats(db, customer, except_dialog, card);
	if (rc == HUB_DB_OK)
		rc = hub_db_blocked(db, customer, NULL, 0, &card->blocked);
	if (rc != HUB_DB_OK)
		proto_msg_free(card);
	return rc;
}

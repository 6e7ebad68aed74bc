/* hub_customer.c: frames from customers (the opdesk.customer.v1 endpoint): open a chat, write, type,
 * rate it once it is closed; and what a customer leaving means for an open dialog. */
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_internal.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define CUSTOMER_QUEUE "general"

/* The operator connection serving `dialog`, or NULL. */
static struct hub_session *operator_of(struct hub *h, int64_t dialog)
{
	int64_t op = hub_router_holder(h->router, dialog);
	return op ? hub_agent_session(h, op) : NULL;
}

/* The state of the customer's current dialog: 0 ok (open), else an error was sent. */
static int current_dialog(struct hub *h, struct hub_session *s, const char *ref, struct hub_db_dialog *row)
{
	if (!s->dialog) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, ref, "open a chat first");
		return -1;
	}
	int rc = hub_db_dialog_get(h->db, s->dialog, row);
	if (rc != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, ref, "your chat cannot be read; try again later");
		return -1;
	}
	return 0;
}

static void customer_open(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (s->dialog) {
		struct hub_db_dialog row;
		if (hub_db_dialog_get(h->db, s->dialog, &row) == HUB_DB_OK) {
			bool open = row.d.state != PROTO_DS_CLOSED;
			hub_db_dialog_free(&row);
			if (open) {
				hub_send_error(h, s, PROTO_E_NOT_ALLOWED, hub_ref(m), "you already have an open chat (%lld)",
					       (long long)s->dialog);
				return;
			}
		}
	}
	int64_t dialog = 0;
	struct proto_message first;
	if (hub_db_dialog_open(h->db, m->name, m->channel, CUSTOMER_QUEUE, m->text, m->client_msg_id, now, &dialog,
			       &first) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, hub_ref(m), "your chat was not opened (database write failed); retry");
		return;
	}
	hub_db_message_clear(&first);
	s->dialog = dialog;
	free(s->customer);
	s->customer = xstrdup(m->name);
	char safe[PROTO_MAX_NAME * 4 + 1];
	log_info("%s: dialog %lld opened by \"%s\" (%s)", hub_conn_name(s->conn), (long long)dialog,
		 hub_log_text(safe, sizeof safe, m->name), proto_channel_name(m->channel));

	/* a customer back soon after their last chat goes first, to the operator they had if possible (the
	 * identity is the name and channel the customer gives: what the customer endpoint knows) */
	bool returning = false;
	int64_t last_op = 0;
	if (h->cfg.return_window_s > 0 &&
	    hub_db_returning(h->db, m->name, m->channel, now - (int64_t)h->cfg.return_window_s * 1000, &returning,
			     &last_op) != HUB_DB_OK)
		returning = false;
	struct hub_decisions d = { 0 };
	size_t position = hub_chat_route(h, dialog, CUSTOMER_QUEUE, returning, last_op, now, &d);
	struct proto_msg out = { .type = PROTO_OPENED, .dialog = dialog, .position = (int64_t)position };
	hub_send(h, s, &out);
	hub_queue_changed(h);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

size_t hub_chat_route(struct hub *h, int64_t dialog, const char *queue, bool returning, int64_t last_op,
		      int64_t now, struct hub_decisions *d)
{
	/* the place the chat takes in the queue as it arrives, before any routing */
	size_t position = hub_router_arrival_position(h->router, returning);
	if (returning) {
		log_info("dialog %lld: the customer is back within %d s: first in the queue", (long long)dialog,
			 h->cfg.return_window_s);
		hub_router_chat_returned(h->router, dialog, queue, now, last_op, now, d);
	} else {
		hub_router_chat_arrived(h->router, dialog, queue, now, now, d);
	}
	return position;
}

static void customer_say(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	struct hub_db_dialog row;
	if (current_dialog(h, s, ref, &row) != 0)
		return;
	bool closed = row.d.state == PROTO_DS_CLOSED;
	hub_db_dialog_free(&row);
	if (closed) {
		hub_send_error(h, s, PROTO_E_DIALOG_CLOSED, ref, "the chat is closed; open a new one");
		return;
	}
	struct proto_message msg;
	hub_batch_join(h);
	int rc = hub_db_message_append(h->db, s->dialog, PROTO_FROM_CUSTOMER, s->customer, m->text, m->client_msg_id,
				       now, &msg);
	if (rc != HUB_DB_OK && rc != HUB_DB_EXISTS) {
		hub_batch_done(h, s, ref, false);
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the message was not stored (database write failed); retry");
		return;
	}
	struct proto_msg ack = {
		.type = PROTO_ACK,
		.client_msg_id = msg.client_msg_id,
		.dialog = msg.dialog,
		.id = msg.id,
		.seq = msg.seq,
		.time = msg.time,
	};
	hub_send(h, s, &ack);
	struct hub_session *agent = operator_of(h, s->dialog);
	if (rc == HUB_DB_OK && agent) { /* a waiting chat keeps it in its history */
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		hub_send(h, agent, &out);
	}
	hub_batch_done(h, s, ref, true);
	hub_db_message_clear(&msg);
}

static void customer_typing(struct hub *h, struct hub_session *s, const struct proto_msg *m)
{
	if (!s->dialog) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "typing", "open a chat first");
		return;
	}
	struct hub_session *agent = operator_of(h, s->dialog);
	if (agent) {
		struct proto_msg out = { .type = PROTO_TYPING, .dialog = s->dialog, .on = m->on };
		hub_send(h, agent, &out);
	}
}

static void customer_rate(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	struct hub_db_dialog row;
	if (current_dialog(h, s, "rate", &row) != 0)
		return;
	bool closed = row.d.state == PROTO_DS_CLOSED;
	int64_t op = row.operator_id;
	hub_db_dialog_free(&row);
	if (!closed) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "rate", "a chat can be rated once it is closed");
		return;
	}
	int rc = hub_db_rating_add(h->db, s->dialog, m->score, m->comment, now);
	if (rc == HUB_DB_EXISTS) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "rate", "this chat is already rated");
		return;
	}
	if (rc != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, "rate", "the rating was not stored (database write failed); retry");
		return;
	}
	log_info("dialog %lld rated %d/5", (long long)s->dialog, m->score);
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	if (agent) {
		struct proto_msg out = { .type = PROTO_RATING, .dialog = s->dialog, .score = m->score, .comment = m->comment };
		hub_send(h, agent, &out);
	}
}

void hub_customer_frame(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	switch (m->type) {
	case PROTO_OPEN:
		customer_open(h, s, m, now);
		break;
	case PROTO_CSAY:
		customer_say(h, s, m, now);
		break;
	case PROTO_CTYPING:
		customer_typing(h, s, m);
		break;
	case PROTO_RATE:
		customer_rate(h, s, m, now);
		break;
	default:
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, hub_ref(m), "%s is not accepted here",
			       proto_type_name(m->type));
		break;
	}
}

void hub_customer_closed(struct hub *h, struct hub_session *s, int64_t now)
{
	if (!s->dialog)
		return;
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, s->dialog, &row) != HUB_DB_OK)
		return;
	bool open = row.d.state != PROTO_DS_CLOSED;
	hub_db_dialog_free(&row);
	if (!open)
		return;
	struct proto_message msg;
	if (hub_db_message_append(h->db, s->dialog, PROTO_FROM_SYSTEM, NULL, hub_text(h, HT_LEFT), NULL, now, &msg) !=
	    HUB_DB_OK) {
		log_error("dialog %lld: cannot note that the customer left: %s", (long long)s->dialog,
			  hub_db_errmsg(h->db));
		return;
	}
	log_info("dialog %lld: the customer left", (long long)s->dialog);
	struct hub_session *agent = operator_of(h, s->dialog);
	if (agent) {
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		hub_send(h, agent, &out);
	}
	hub_db_message_clear(&msg);
}

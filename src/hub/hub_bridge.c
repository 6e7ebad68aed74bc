/* hub_bridge.c: frames from messenger bridges (the opdesk.bridge.v1 endpoint, docs/protocol.md). A bridge
 * signs in with an account bound to one channel and relays many customers, each named by `contact` (the
 * messenger's id of the chat). A customer's message goes to their open dialog, or opens a new one; what
 * operators write goes back through hub_to_customer. Bridged customers never "leave": when the bridge is
 * away their dialogs stay, and on sign-in it gets every operator and system message after the last one it
 * confirmed (`after`). */
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_accounts.h"
#include "hub_batch.h"
#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define BRIDGE_QUEUE "general"         /* where a bridged chat waits unless the bridge names a queue */
#define BRIDGE_REPLACED_STATUS 4001    /* WebSocket close status: another bridge of the channel signed in */
#define BRIDGE_BACKLOG_BATCH 1000

static void bridge_hello(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (s->authed) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "hello", "this connection is already signed in as %s", s->user);
		return;
	}
	struct hub_db_bridge b;
	int rc = hub_db_bridge_by_name(h->db, m->user, &b);
	if (rc == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "hello", "the account database cannot be read; try again later");
		return;
	}
	bool ok;
	if (rc == HUB_DB_NOT_FOUND) {
		hub_accounts_burn(m->secret);
		ok = false;
	} else {
		ok = hub_accounts_verify(m->secret, b.secret_hash) && !b.disabled;
	}
	if (!ok) {
		log_warn("%s: bridge sign-in refused for \"%s\" (%s)", hub_conn_name(s->conn),
			 m->user,
			 rc == HUB_DB_NOT_FOUND ? "no such bridge" : b.disabled ? "account disabled" : "wrong secret");
		hub_db_audit_add(h->db, now, m->user, "bridge-sign-in-refused", 0, NULL);
		hub_signin_failed(h, s, now);
		hub_send_error(h, s, PROTO_E_AUTH_FAILED, "hello",
			       "sign-in refused: unknown bridge, wrong secret, or disabled account");
		hub_conn_close(s->conn, 1008, "authentication failed");
		hub_db_bridge_free(&b);
		return;
	}
	struct hub_session *old = hub_bridge_session(h, b.channel);
	if (old) {
		log_info("%s: another bridge of %s signed in (%s); closing this one", hub_conn_name(old->conn),
			 proto_channel_name(b.channel), hub_conn_name(s->conn));
		old->authed = false;
		hub_conn_close(old->conn, BRIDGE_REPLACED_STATUS, "another bridge of this channel signed in");
	}
	s->authed = true;
	s->user = xstrdup(b.name);
	s->channel = b.channel;
	hub_db_bridge_free(&b);
	log_info("%s: bridge %s signed in for %s (client %s, after message %lld)", hub_conn_name(s->conn), s->user,
		 proto_channel_name(s->channel), m->client ? m->client : "?",
		 (long long)m->after);
	hub_db_audit_add(h->db, now, s->user, "bridge-sign-in", 0, proto_channel_name(s->channel));
	struct proto_msg w = { .type = PROTO_WELCOME, .channel = s->channel, .time = now };
	hub_send(h, s, &w);

	/* what its customers were sent while it was away (or not yet confirmed), oldest first */
	int64_t after = m->after;
	size_t sent = 0;
	for (;;) {
		struct proto_message *v;
		char **contacts;
		size_t n;
		if (hub_db_bridge_backlog(h->db, s->channel, after, BRIDGE_BACKLOG_BATCH, &v, &contacts, &n) != HUB_DB_OK) {
			hub_send_error(h, s, PROTO_E_INTERNAL, "hello",
				       "the messages sent while you were away cannot be read; sign in again later");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			struct proto_msg out = { .type = PROTO_MESSAGE, .msg = v[i], .contact = contacts[i] };
			hub_send(h, s, &out);
			after = v[i].id;
			free(contacts[i]);
		}
		free(contacts);
		hub_db_messages_free(v, n);
		sent += n;
		if (n < BRIDGE_BACKLOG_BATCH)
			break;
	}
	if (sent)
		log_info("%s: sent bridge %s %zu message(s) from while it was away", hub_conn_name(s->conn), s->user, sent);
}

/* The newest dialog of the contact (*dialog 0: none yet): 0, or -1 when it could not be read (an error was
 * sent). */
static int contact_dialog(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t *dialog,
			  enum proto_dstate *state, bool *rated)
{
	if (hub_db_dialog_of_contact(h->db, s->channel, m->contact, dialog, state, rated) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, hub_ref(m), "the contact's chat cannot be read; try again later");
		return -1;
	}
	return 0;
}

static void send_ack(struct hub *h, struct hub_session *s, const char *contact, const struct proto_message *msg)
{
	struct proto_msg ack = {
		.type = PROTO_ACK,
		.contact = (char *)contact,
		.client_msg_id = msg->client_msg_id,
		.dialog = msg->dialog,
		.id = msg->id,
		.seq = msg->seq,
		.time = msg->time,
	};
	hub_send(h, s, &ack);
}

/* A new dialog for the contact, with this first message. */
static void bridge_open(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *queue = m->queue ? m->queue : BRIDGE_QUEUE;
	int64_t dialog = 0;
	int64_t customer = 0;
	if (hub_db_customer_find(h->db, s->channel, NULL, m->contact, &customer) == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_STORAGE, hub_ref(m), "the chat was not opened (database read failed); retry");
		return;
	}
	if (hub_customer_refused(h, s, customer, NULL, hub_ref(m), now))
		return;
	struct proto_message first = { 0 };
	bool ok = hub_db_begin(h->db) == HUB_DB_OK;
	if (ok) {
		ok = hub_db_dialog_open(h->db, m->name, s->channel, queue, m->text, m->client_msg_id, now, &dialog,
					&first) == HUB_DB_OK &&
		     hub_db_dialog_set_contact(h->db, dialog, m->contact) == HUB_DB_OK;
		if (ok && !customer)
			ok = hub_db_customer_add(h->db, s->channel, NULL, m->contact, NULL, now, &customer) == HUB_DB_OK;
		ok = ok && hub_db_dialog_set_customer(h->db, dialog, customer) == HUB_DB_OK;
		if (ok)
			ok = hub_db_commit(h->db) == HUB_DB_OK;
		else
			hub_db_rollback(h->db);
	}
	if (!ok) {
		hub_db_message_clear(&first);
		hub_send_error(h, s, PROTO_E_STORAGE, hub_ref(m), "the chat was not opened (database write failed); retry");
		return;
	}
	log_info("%s: dialog %lld opened for %s contact %s", hub_conn_name(s->conn), (long long)dialog,
		 proto_channel_name(s->channel), m->contact);
	bool returning = false;
	int64_t last_op = 0;
	if (h->cfg.return_window_s > 0 &&
	    hub_db_returning_contact(h->db, s->channel, m->contact, now - (int64_t)h->cfg.return_window_s * 1000,
				     &returning, &last_op) != HUB_DB_OK)
		returning = false;
	struct hub_decisions d = { 0 };
	size_t position = hub_chat_route(h, dialog, m->name, queue, returning, last_op, now, &d);
	send_ack(h, s, m->contact, &first);
	struct proto_msg out = { .type = PROTO_OPENED, .contact = m->contact, .dialog = dialog, .position = (int64_t)position };
	hub_send(h, s, &out);
	hub_db_message_clear(&first);
	hub_queue_changed(h);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

static void bridge_say(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t dialog;
	enum proto_dstate state;
	bool rated;
	if (contact_dialog(h, s, m, &dialog, &state, &rated) != 0)
		return;
	const char *ref = hub_ref(m);
	if (dialog) { /* sent before (a bridge resending what it had no ack for): the same ack again */
		struct proto_message old;
		int rc = hub_db_customer_message(h->db, dialog, m->client_msg_id, &old);
		if (rc == HUB_DB_OK) {
			hub_batch_join(h); /* the row may be one of this batch's */
			send_ack(h, s, m->contact, &old);
			hub_batch_done(h, s, ref, m->client_msg_id, true);
			hub_db_message_clear(&old);
			return;
		}
		if (rc != HUB_DB_NOT_FOUND) {
			hub_send_error(h, s, PROTO_E_INTERNAL, hub_ref(m), "the chat cannot be read; try again later");
			return;
		}
	}
	if (!dialog || state == PROTO_DS_CLOSED) {
		hub_batch_flush(h); /* opening a dialog routes it: not a write the batch may undo */
		bridge_open(h, s, m, now);
		return;
	}
	struct proto_message msg;
	hub_batch_join(h);
	int rc = hub_db_message_append(h->db, dialog, PROTO_FROM_CUSTOMER, m->name, m->text, m->client_msg_id, now, &msg);
	if (rc != HUB_DB_OK && rc != HUB_DB_EXISTS) {
		hub_batch_done(h, s, ref, m->client_msg_id, false);
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the message was not stored (database write failed); retry");
		return;
	}
	send_ack(h, s, m->contact, &msg);
	int64_t op = hub_router_holder(h->router, dialog);
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
	/* a message sent again was passed on the first time, unless that commit failed and stored it after all */
	bool fresh = rc == HUB_DB_OK || hub_batch_in_doubt(h, msg.client_msg_id);
	if (fresh && agent)
		hub_send(h, agent, &out);
	if (fresh) {
		hub_watchers(h, dialog, &out);
		hub_chat_customer_said(h, dialog, msg.time);
		hub_idle_customer_said(h, dialog);
	}
	hub_batch_done(h, s, ref, m->client_msg_id, true);
	hub_db_message_clear(&msg);
}

static void bridge_typing(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	int64_t dialog;
	enum proto_dstate state;
	bool rated;
	if (contact_dialog(h, s, m, &dialog, &state, &rated) != 0)
		return;
	int64_t op = dialog && state == PROTO_DS_ASSIGNED ? hub_router_holder(h->router, dialog) : 0;
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	struct proto_msg out = { .type = PROTO_TYPING, .dialog = dialog, .on = m->on };
	if (agent) /* typing with no chat open, or none assigned, goes nowhere: it is not an error */
		hub_send(h, agent, &out);
	if (op)
		hub_watchers(h, dialog, &out);
}

static void bridge_rate(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t dialog;
	enum proto_dstate state;
	bool rated;
	if (contact_dialog(h, s, m, &dialog, &state, &rated) != 0)
		return;
	if (!dialog || state != PROTO_DS_CLOSED) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "rate", "a chat can be rated once it is closed");
		return;
	}
	if (rated) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "rate", "this chat is already rated");
		return;
	}
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "rate", "the chat cannot be read; try again later");
		return;
	}
	int64_t op = row.operator_id;
	char *customer = row.d.customer;
	row.d.customer = NULL;
	hub_db_dialog_free(&row);
	if (hub_db_rating_add(h->db, dialog, m->score, m->comment, now) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, "rate", "the rating was not stored (database write failed); retry");
		free(customer);
		return;
	}
	log_info("dialog %lld rated %d/5 (through bridge %s)", (long long)dialog, m->score, s->user);
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	struct proto_msg out = { .type = PROTO_RATING, .dialog = dialog, .score = m->score, .comment = m->comment };
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, dialog, &out);
	hub_board_changed(h);
	hub_alert_rating(h, dialog, customer, op, m->score, m->comment, now);
	free(customer);
}

/* A bridge's customers stay when it goes: it catches up when it comes back. */
static void bridge_closed(struct hub *h, struct hub_session *s, int64_t now)
{
	(void)h;
	(void)now;
	if (s->authed)
		log_info("%s: bridge %s (%s) left", hub_conn_name(s->conn), s->user, proto_channel_name(s->channel));
}

static const struct hub_frame_row bridge_rows[] = {
	{ PROTO_CSAY, bridge_say, HUB_FRAME_BATCHED },
	{ PROTO_CTYPING, bridge_typing, HUB_FRAME_BATCHED },
	{ PROTO_HELLO, bridge_hello, HUB_FRAME_SIGNIN },
	{ PROTO_RATE, bridge_rate, 0 },
};

const struct hub_ep_table hub_bridge_frames = {
	.name = "bridge",
	.in = PROTO_BRIDGE_TO_HUB,
	.rows = bridge_rows,
	.n_rows = sizeof bridge_rows / sizeof *bridge_rows,
	.signin_first = "sign in with hello first",
	.closed = bridge_closed,
};

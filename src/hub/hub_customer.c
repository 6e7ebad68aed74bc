/* hub_customer.c: frames from customers (the opdesk.customer.v1 endpoint): open a chat, resume it (after a
 * dropped connection, a reload, a hub restart: with the secret token `opened` gave), write, type, rate it
 * once it is closed; and what a customer leaving and coming back means for an open dialog. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "hub_endpoint.h"
#include "hub_mail.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define CUSTOMER_QUEUE "general"
#define RESUMED_ELSEWHERE 4002  /* WebSocket close status: the chat went on on another connection */

/* The lines about the customer's own presence ("left", "back") are for operators: stored as system messages
 * marked with this client_msg_id, and left out of what a resuming customer is sent. */
#define PRESENCE_ID "hub:presence"
#define OPEN_RETRY_MS (10 * 60 * 1000) /* how long an `open` sent again finds the chat it opened */
#define TRANSCRIPTS_PER_DIALOG 3       /* transcript mails one closed chat may ask for */

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

/* This connection goes on with `dialog`; an older connection still on it (not yet found dead) gives it up,
 * without a "left" line. */
static void take_over_chat(struct hub *h, struct hub_session *s, int64_t dialog)
{
	for (struct hub_session *o = h->sessions; o; o = o->next) {
		if (o != s && o->ep == HUB_EP_CUSTOMER && o->dialog == dialog) {
			o->dialog = 0;
			hub_conn_close(o->conn, RESUMED_ELSEWHERE, "the chat went on on another connection");
		}
	}
	s->dialog = dialog;
}

/* An `open` sent again after its answer was lost (the same client_msg_id, first text, name and channel, within
 * OPEN_RETRY_MS, the chat still open): answered with the chat it opened, its token too, and nothing new is
 * stored. The first text is part of the key, so guessing an id is not enough to be given someone's chat. */
static bool customer_open_again(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t dialog;
	char *token;
	if (hub_db_open_retry(h->db, m->client_msg_id, m->name, m->channel, m->text, now - OPEN_RETRY_MS, &dialog,
			      &token) != HUB_DB_OK)
		return false; /* not a retry (or unreadable: then a new chat, as before) */
	take_over_chat(h, s, dialog);
	free(s->customer);
	s->customer = xstrdup(m->name);
	int64_t customer = 0;
	char *customer_token = NULL;
	if (hub_db_dialog_customer(h->db, dialog, &customer) == HUB_DB_OK && customer)
		hub_db_customer_token(h->db, customer, &customer_token, NULL);
	struct proto_msg out = { .type = PROTO_OPENED,
				 .dialog = dialog,
				 .position = (int64_t)hub_router_position(h->router, dialog),
				 .token = token,
				 .customer_token = customer_token };
	hub_send(h, s, &out);
	log_info("%s: dialog %lld: its open came again (client_msg_id \"%s\"): answered, nothing stored",
		 hub_conn_name(s->conn), (long long)dialog, m->client_msg_id);
	free(token);
	free(customer_token);
	return true;
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
	if (m->client_msg_id && customer_open_again(h, s, m, now))
		return;
	/* who the customer is: the token its browser keeps, if the hub gave it; else a new customer */
	int64_t customer = 0;
	if (m->customer_token &&
	    hub_db_customer_find(h->db, m->channel, m->customer_token, NULL, &customer) == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_STORAGE, hub_ref(m), "your chat was not opened (database read failed); retry");
		return;
	}
	const char *address = hub_conn_peer(s->conn);
	if (hub_customer_refused(h, s, customer, address, hub_ref(m), now))
		return;
	int64_t dialog = 0;
	struct proto_message first;
	char token[HUB_TOKEN_SIZE], customer_token[HUB_TOKEN_SIZE];
	if (!hub_random_token(token) || (!customer && !hub_random_token(customer_token))) {
		hub_send_error(h, s, PROTO_E_INTERNAL, hub_ref(m), "the hub has no randomness for a chat token; retry");
		return;
	}
	if (customer)
		snprintf(customer_token, sizeof customer_token, "%s", m->customer_token);
	bool ok = hub_db_begin(h->db) == HUB_DB_OK;
	if (ok) {
		ok = hub_db_dialog_open(h->db, m->name, m->channel, CUSTOMER_QUEUE, m->text, m->client_msg_id, now,
					&dialog, &first) == HUB_DB_OK;
		if (ok)
			hub_db_message_clear(&first);
		ok = ok && hub_db_dialog_set_token(h->db, dialog, token) == HUB_DB_OK;
		if (ok && customer)
			ok = hub_db_customer_seen(h->db, customer, address) == HUB_DB_OK;
		else if (ok)
			ok = hub_db_customer_add(h->db, m->channel, customer_token, NULL, address, now, &customer) ==
			     HUB_DB_OK;
		ok = ok && hub_db_dialog_set_customer(h->db, dialog, customer) == HUB_DB_OK;
		if (ok)
			ok = hub_db_commit(h->db) == HUB_DB_OK;
		else
			hub_db_rollback(h->db);
	}
	if (!ok) {
		hub_send_error(h, s, PROTO_E_STORAGE, hub_ref(m), "your chat was not opened (database write failed); retry");
		return;
	}
	s->dialog = dialog;
	free(s->customer);
	s->customer = xstrdup(m->name);
	log_info("%s: dialog %lld opened by \"%s\" (%s)", hub_conn_name(s->conn), (long long)dialog,
		 m->name, proto_channel_name(m->channel));

	/* a customer back soon after their last chat goes first, to the operator they had if possible (the
	 * customer its token names; without one, the name and channel given) */
	bool returning = false;
	int64_t last_op = 0;
	int64_t since = now - (int64_t)h->cfg.return_window_s * 1000;
	int rc = HUB_DB_OK;
	if (h->cfg.return_window_s > 0 && m->customer_token)
		rc = hub_db_returning_customer(h->db, customer, since, &returning, &last_op);
	else if (h->cfg.return_window_s > 0)
		rc = hub_db_returning(h->db, m->name, m->channel, since, &returning, &last_op);
	if (rc != HUB_DB_OK)
		returning = false;
	struct hub_decisions d = { 0 };
	size_t position = hub_chat_route(h, dialog, m->name, CUSTOMER_QUEUE, returning, last_op, now, &d);
	struct proto_msg out = { .type = PROTO_OPENED,
				 .dialog = dialog,
				 .position = (int64_t)position,
				 .token = token,
				 .customer_token = customer_token };
	hub_send(h, s, &out);
	hub_queue_changed(h);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

static void customer_say(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	/* held or waiting: open, without asking the store (one look at the router, whose holder is used below) */
	int64_t op = s->dialog ? hub_router_holder(h->router, s->dialog) : 0;
	if (!op && (!s->dialog || !hub_router_routes(h->router, s->dialog))) {
		struct hub_db_dialog row;
		if (current_dialog(h, s, ref, &row) != 0)
			return;
		bool closed = row.d.state == PROTO_DS_CLOSED;
		hub_db_dialog_free(&row);
		if (closed) {
			hub_send_error(h, s, PROTO_E_DIALOG_CLOSED, ref, "the chat is closed; open a new one");
			return;
		}
	}
	struct proto_message msg;
	hub_batch_join(h);
	int rc = hub_db_message_append(h->db, s->dialog, PROTO_FROM_CUSTOMER, s->customer, m->text, m->client_msg_id,
				       now, &msg);
	if (rc != HUB_DB_OK && rc != HUB_DB_EXISTS) {
		hub_batch_done(h, s, ref, m->client_msg_id, false);
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
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
	/* a message sent again was passed on the first time, unless that commit failed and stored it after all */
	bool fresh = rc == HUB_DB_OK || hub_batch_in_doubt(h, msg.client_msg_id);
	if (fresh && agent) /* a waiting chat keeps it in its history */
		hub_send(h, agent, &out);
	if (fresh) {
		hub_watchers(h, s->dialog, &out);
		hub_chat_customer_said(h, s->dialog, msg.time);
		hub_idle_customer_said(h, s->dialog);
	}
	hub_batch_done(h, s, ref, m->client_msg_id, true);
	hub_db_message_clear(&msg);
}

static void customer_typing(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	if (!s->dialog) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "typing", "open a chat first");
		return;
	}
	struct hub_session *agent = operator_of(h, s->dialog);
	struct proto_msg out = { .type = PROTO_TYPING, .dialog = s->dialog, .on = m->on };
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, s->dialog, &out);
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
	struct proto_msg out = { .type = PROTO_RATING, .dialog = s->dialog, .score = m->score, .comment = m->comment };
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, s->dialog, &out);
	hub_board_changed(h);
	hub_alert_rating(h, s->dialog, s->customer, op, m->score, m->comment, now);
}

/* "The customer left" / "is back" into an open dialog, to its operator and watchers. */
static void presence_line(struct hub *h, int64_t dialog, enum hub_text what, int64_t now)
{
	struct proto_message msg;
	if (hub_db_line_append(h->db, dialog, PROTO_FROM_SYSTEM, NULL, hub_text(h, what),
			       what == HT_LEFT ? HUB_KIND_LEFT : HUB_KIND_BACK, NULL, PRESENCE_ID, now, &msg) != HUB_DB_OK) {
		log_error("dialog %lld: cannot note that the customer %s: %s", (long long)dialog,
			  what == HT_LEFT ? "left" : "is back", hub_db_errmsg(h->db));
		return;
	}
	log_info("dialog %lld: the customer %s", (long long)dialog, what == HT_LEFT ? "left" : "is back");
	struct hub_session *agent = operator_of(h, dialog);
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, dialog, &out);
	hub_db_message_clear(&msg);
}

/* The messages of `dialog` after seq `after` that the customer may see (no notes, no presence lines). */
static void customer_catchup(struct hub *h, struct hub_session *s, int64_t dialog, int64_t after)
{
	for (;;) {
		struct proto_message *v;
		size_t n;
		if (hub_db_history_after(h->db, dialog, after, PROTO_MAX_ITEMS, &v, &n) != HUB_DB_OK) {
			hub_send_error(h, s, PROTO_E_INTERNAL, "resume", "the chat's history cannot be read; reload later");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			bool presence = v[i].sender == PROTO_FROM_SYSTEM && v[i].client_msg_id &&
					strcmp(v[i].client_msg_id, PRESENCE_ID) == 0;
			if (v[i].sender == PROTO_FROM_NOTE || presence)
				continue;
			struct proto_msg out = { .type = PROTO_MESSAGE, .msg = v[i] };
			hub_send(h, s, &out);
		}
		if (n)
			after = v[n - 1].seq;
		hub_db_messages_free(v, n);
		if (n < PROTO_MAX_ITEMS)
			return;
	}
}

static void customer_resume(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (s->dialog) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "resume", "this connection has a chat already");
		return;
	}
	char *token = NULL;
	bool rated = false;
	int rc = hub_db_dialog_resume_info(h->db, m->dialog, &token, &rated);
	if (rc == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "resume", "your chat cannot be read; try again later");
		return;
	}
	bool ok = rc == HUB_DB_OK && token && hub_token_matches(m->token, token);
	free(token);
	if (!ok) { /* the same answer whether the dialog exists or not */
		log_warn("%s: a resume of dialog %lld with a wrong token", hub_conn_name(s->conn), (long long)m->dialog);
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "resume", "this chat cannot be resumed; open a new one");
		return;
	}
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, m->dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "resume", "your chat cannot be read; try again later");
		return;
	}
	take_over_chat(h, s, m->dialog);
	free(s->customer);
	s->customer = xstrdup(row.d.customer);
	bool open = row.d.state != PROTO_DS_CLOSED;
	struct proto_msg out = {
		.type = PROTO_RESUMED,
		.dialog = m->dialog,
		.state = row.d.state,
		.position = (int64_t)hub_router_position(h->router, m->dialog),
		.rated = rated,
	};
	hub_db_dialog_free(&row);
	hub_send(h, s, &out);
	customer_catchup(h, s, m->dialog, m->after);
	log_info("%s: dialog %lld resumed", hub_conn_name(s->conn), (long long)m->dialog);
	if (open)
		presence_line(h, m->dialog, HT_BACK, now);
}

/* Mail me the transcript of my closed chat (by its token, as resume). */
static void customer_transcript(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	char *token = NULL;
	bool rated = false;
	int rc = hub_db_dialog_resume_info(h->db, m->dialog, &token, &rated);
	if (rc == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "transcript", "your chat cannot be read; try again later");
		return;
	}
	bool ok = rc == HUB_DB_OK && token && hub_token_matches(m->token, token);
	free(token);
	if (!ok) {
		log_warn("%s: a transcript of dialog %lld asked with a wrong token", hub_conn_name(s->conn),
			 (long long)m->dialog);
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transcript", "this chat's transcript cannot be sent");
		return;
	}
	if (!hub_mail_addr_valid(m->email)) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transcript", "that is not an e-mail address (name@example.org)");
		return;
	}
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, m->dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "transcript", "your chat cannot be read; try again later");
		return;
	}
	int64_t sent = 0;
	if (row.d.state != PROTO_DS_CLOSED)
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transcript", "the transcript is sent once the chat is closed");
	else if (hub_db_mail_count_for(h->db, "transcript", m->dialog, &sent) != HUB_DB_OK)
		hub_send_error(h, s, PROTO_E_INTERNAL, "transcript", "your chat cannot be read; try again later");
	else if (sent >= TRANSCRIPTS_PER_DIALOG)
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transcript", "this chat's transcript was sent %d times already",
			       TRANSCRIPTS_PER_DIALOG);
	else if (hub_transcript_queue(h, m->dialog, row.d.customer, row.d.opened, m->email, now) != 0)
		hub_send_error(h, s, PROTO_E_STORAGE, "transcript", "the transcript was not queued (database write failed); retry");
	else {
		struct proto_msg out = { .type = PROTO_TRANSCRIPT, .dialog = m->dialog, .email = m->email };
		hub_send(h, s, &out);
	}
	hub_db_dialog_free(&row);
}

static void customer_closed(struct hub *h, struct hub_session *s, int64_t now)
{
	if (!s->dialog)
		return;
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, s->dialog, &row) != HUB_DB_OK)
		return;
	bool open = row.d.state != PROTO_DS_CLOSED;
	hub_db_dialog_free(&row);
	if (open)
		presence_line(h, s->dialog, HT_LEFT, now);
}

static const struct hub_frame_row customer_rows[] = {
	{ PROTO_CSAY, customer_say, HUB_FRAME_BATCHED },
	{ PROTO_CTYPING, customer_typing, HUB_FRAME_BATCHED },
	{ PROTO_OPEN, customer_open, 0 },
	{ PROTO_RESUME, customer_resume, 0 },
	{ PROTO_RATE, customer_rate, 0 },
	{ PROTO_TRANSCRIPT, customer_transcript, 0 },
	{ PROTO_LEAVE_REQUEST, hub_req_leave, 0 },
	{ PROTO_REQUEST_STATUS, hub_req_status, 0 },
};

const struct hub_ep_table hub_customer_frames = {
	.name = "customer",
	.in = PROTO_CUSTOMER_TO_HUB,
	.rows = customer_rows,
	.n_rows = sizeof customer_rows / sizeof *customer_rows,
	.closed = customer_closed,
};

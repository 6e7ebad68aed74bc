/* hub_agent.c: frames from operators and supervisors (the opdesk.agent.v1 endpoint) and its table: hello and
 * the welcome snapshot, send, typing, take, close, transfer, status, claim, targets (the supervisors' rows are
 * hub_supervise.c's), catching a resumed operator up, and what an operator's connection leaves behind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_accounts.h"
#include "hub_batch.h"
#include "hub_core.h"
#include "hub_endpoint.h"
#include "hub_upload.h"
#include "opdesk/log.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

#define AGENT_REPLACED_STATUS 4001 /* WebSocket close status: the operator signed in elsewhere */

/* ---- hello / welcome ---- */

static const struct proto_resume *find_resume(const struct proto_msg *m, int64_t dialog)
{
	for (size_t i = 0; i < m->n_resume; i++)
		if (m->resume[i].dialog == dialog)
			return &m->resume[i];
	return NULL;
}

/* After a resumed welcome: the messages that did not fit in it go out oldest first, a batch at a time while
 * the connection's queue is short, so that a long absence never overflows the queue that cuts off a client
 * that does not read (it would be cut off again on every try). Called after the welcome and after every
 * loop pass. */
void hub_agent_catchup(struct hub *h, struct hub_session *s)
{
	while (s->n_catchup > 0 && hub_conn_queued(s->conn) < HUB_CATCHUP_LOW_BYTES) {
		struct hub_catchup *c = &s->catchup[0];
		struct proto_message *v;
		size_t n;
		if (hub_db_history_after(h->db, c->dialog, c->after, PROTO_MAX_ITEMS, &v, &n) != HUB_DB_OK) {
			hub_send_error(h, s, PROTO_E_INTERNAL, "hello", "the history of dialog %lld could not be read",
				       (long long)c->dialog);
			n = 0;
			v = NULL;
		}
		for (size_t i = 0; i < n; i++) {
			struct proto_msg m = { .type = PROTO_MESSAGE, .msg = v[i] };
			hub_send(h, s, &m);
		}
		if (n)
			c->after = v[n - 1].seq;
		hub_db_messages_free(v, n);
		if (n < PROTO_MAX_ITEMS) {
			memmove(s->catchup, s->catchup + 1, (s->n_catchup - 1) * sizeof *s->catchup);
			if (--s->n_catchup == 0)
				h->n_catching--;
		}
	}
}

static void send_welcome(struct hub *h, struct hub_session *s, const struct proto_msg *hello, int64_t now)
{
	struct proto_msg w = {
		.type = PROTO_WELCOME,
		.time = now,
		.op = {
			.user = s->user,
			.display = s->display,
			.role = s->role,
			.status = s->status,
			.capacity = s->capacity,
		},
	};
	int64_t *ids = NULL;
	size_t n_ids = 0;
	bool ok = hub_db_dialogs_of_operator(h->db, s->op, &ids, &n_ids) == HUB_DB_OK;
	if (n_ids > PROTO_MAX_ITEMS)
		n_ids = PROTO_MAX_ITEMS;
	w.dialogs = xcalloc(n_ids ? n_ids : 1, sizeof *w.dialogs);
	bool *resumed = xcalloc(n_ids ? n_ids : 1, sizeof *resumed);
	for (size_t i = 0; ok && i < n_ids; i++) {
		const struct proto_resume *r = find_resume(hello, ids[i]);
		resumed[i] = r != NULL;
		ok = hub_load_dialog(h, ids[i], r ? (r->seq < 0 ? 0 : r->seq) : -1, &w.dialogs[w.n_dialogs], NULL) ==
		     HUB_DB_OK;
		if (ok)
			w.n_dialogs++;
	}
	ok = ok && hub_db_queue_items(h->db, PROTO_MAX_ITEMS, &w.items, &w.n_items, &w.total) == HUB_DB_OK;
	ok = ok && hub_db_canned(h->db, h->lang, &w.canned, &w.n_canned) == HUB_DB_OK;
	if (!ok) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "hello", "the hub could not read its database: %s",
			       hub_db_errmsg(h->db));
	} else {
		hub_send(h, s, &w);
		s->n_catchup = 0;
		for (size_t i = 0; i < w.n_dialogs; i++) {
			const struct proto_dialog *d = &w.dialogs[i];
			if (!resumed[i] || d->n_messages < PROTO_MAX_HISTORY)
				continue;
			s->catchup = xgrow(s->catchup, &s->cap_catchup, s->n_catchup + 1, sizeof *s->catchup);
			s->catchup[s->n_catchup++] = (struct hub_catchup){ d->id, d->messages[d->n_messages - 1].seq };
		}
		if (s->n_catchup)
			h->n_catching++;
		hub_agent_catchup(h, s);
		for (size_t i = 0; h->n_watchers && i < w.n_dialogs; i++)
			hub_watchers_tell(h, w.dialogs[i].id, s, false);
		hub_requests_send(h, s); /* the offline requests waiting for an answer */
	}
	for (size_t i = 0; i < w.n_dialogs; i++)
		hub_dialog_clear(&w.dialogs[i]);
	free(w.dialogs);
	free(resumed);
	free(ids);
	hub_db_queue_items_free(w.items, w.n_items);
	hub_db_canned_free(w.canned, w.n_canned);
}

/* An account may sign in with its own role; an admin's also as a supervisor (its welcome says admin). */
static bool role_may_sign_in(enum proto_role account, enum proto_role asked)
{
	return account == asked || (account == PROTO_ROLE_ADMIN && asked == PROTO_ROLE_SUPERVISOR);
}

/* Why an account with the right secret may not sign in with the role it asked for. */
static const char *role_refusal(const char *user, enum proto_role account, enum proto_role asked)
{
	static char msg[PROTO_MAX_ERRMSG];
	if (account == PROTO_ROLE_OPERATOR)
		snprintf(msg, sizeof msg, "%s is an operator: the supervisor's board is for supervisors and admins", user);
	else if (asked == PROTO_ROLE_ADMIN)
		snprintf(msg, sizeof msg, "%s is a supervisor, not an admin: sign in as supervisor", user);
	else
		snprintf(msg, sizeof msg, "%s is %s: sign in as %s", user,
			 account == PROTO_ROLE_ADMIN ? "an admin" : "a supervisor", proto_role_name(account));
	return msg;
}

static void agent_hello(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (s->authed) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "hello", "this connection is already signed in as %s", s->user);
		return;
	}
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(h->db, m->user, &o);
	if (rc == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "hello", "the account database cannot be read; try again later");
		return;
	}
	bool secret_ok = false, role_ok = false;
	if (rc == HUB_DB_NOT_FOUND) {
		hub_accounts_burn(m->secret); /* as slow as a wrong secret */
	} else {
		secret_ok = hub_accounts_verify(m->secret, o.secret_hash) && !o.disabled;
		role_ok = role_may_sign_in(o.role, m->role);
	}
	h->checked_secret = true;
	if (!secret_ok || !role_ok) {
		log_warn("%s: sign-in refused for \"%s\" as %s (%s)", hub_conn_name(s->conn),
			 m->user, proto_role_name(m->role),
			 rc == HUB_DB_NOT_FOUND ? "no such user"
			 : o.disabled	       ? "account disabled"
			 : !secret_ok	       ? "wrong secret"
					       : "the account has another role");
		hub_db_audit_add(h->db, now, m->user, "sign-in-refused", 0, proto_role_name(m->role));
		hub_signin_failed(h, s, now);
		if (secret_ok) /* the right secret: the account's own role may be told, so the workstation can say why */
			hub_send_error(h, s, PROTO_E_AUTH_FAILED, "hello", "%s", role_refusal(o.name, o.role, m->role));
		else
			hub_send_error(h, s, PROTO_E_AUTH_FAILED, "hello",
				       "sign-in refused: unknown user, wrong secret, disabled account, or not allowed to "
				       "sign in as %s",
				       proto_role_name(m->role));
		hub_conn_close(s->conn, 1008, "authentication failed");
		hub_db_operator_free(&o);
		return;
	}

	struct hub_session *old = hub_agent_session(h, o.id);
	if (old) {
		log_info("%s: %s signed in again from %s; closing the old connection", hub_conn_name(old->conn), o.name,
			 hub_conn_name(s->conn));
		old->authed = false;
		if (old->n_catchup)
			h->n_catching--;
		old->n_catchup = 0;
		old->op = 0;
		hub_conn_close(old->conn, AGENT_REPLACED_STATUS, "signed in from another connection");
	}
	s->authed = true;
	s->op = o.id;
	hub_agent_index(h, s->op, s);
	s->user = xstrdup(o.name);
	s->display = o.display ? xstrdup(o.display) : NULL;
	s->role = o.role;
	s->status = PROTO_ST_ONLINE;
	s->capacity = h->cfg.capacity > 0 ? h->cfg.capacity : o.capacity;
	if (s->capacity < 1 || s->capacity > 16) /* the protocol's range (a hand-edited database may differ) */
		s->capacity = s->capacity < 1 ? 1 : 16;
	hub_db_operator_free(&o);
	log_info("%s: %s signed in as %s (capacity %d, client %s)", hub_conn_name(s->conn), s->user,
		 proto_role_name(s->role), s->capacity, m->client ? m->client : "?");

	hub_db_audit_add(h->db, now, s->user, "sign-in", 0, proto_role_name(s->role));
	hub_router_operator(h->router, s->op, s->capacity, s->role == PROTO_ROLE_OPERATOR);
	hub_load_skills(h, s->op);
	hub_grace_cancel(h, s->op);
	hub_op_state_began(h, s->op, now);
	send_welcome(h, s, m, now);
	struct hub_decisions d = { 0 };
	hub_router_set_presence(h->router, s->op, HUB_ONLINE, now, &d);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

/* ---- dialog checks ---- */

/* True when `dialog` is held by this operator; otherwise sends the right error. */
static bool own_dialog(struct hub *h, struct hub_session *s, int64_t dialog, const char *ref)
{
	if (dialog > 0 && hub_router_holder(h->router, dialog) == s->op)
		return true;
	struct hub_db_dialog row;
	int rc = dialog > 0 ? hub_db_dialog_get(h->db, dialog, &row) : HUB_DB_NOT_FOUND;
	if (rc == HUB_DB_OK && row.d.state == PROTO_DS_CLOSED && row.operator_id == s->op)
		hub_send_error(h, s, PROTO_E_DIALOG_CLOSED, ref, "dialog %lld is closed", (long long)dialog);
	else if (rc == HUB_DB_ERROR)
		hub_send_error(h, s, PROTO_E_INTERNAL, ref, "the database cannot be read; try again later");
	else
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld is not one of yours", (long long)dialog);
	if (rc == HUB_DB_OK)
		hub_db_dialog_free(&row);
	return false;
}

/* ---- frames ---- */

static void agent_send(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	if (!own_dialog(h, s, m->dialog, ref))
		return;
	struct proto_message msg;
	enum proto_sender sender = m->note ? PROTO_FROM_NOTE : PROTO_FROM_OPERATOR;
	hub_batch_join(h);
	int rc = hub_db_message_append(h->db, m->dialog, sender, s->user, m->text, m->client_msg_id, now, &msg);
	switch (rc) {
	case HUB_DB_OK:
	case HUB_DB_EXISTS: {
		struct proto_msg ack = {
			.type = PROTO_ACK,
			.client_msg_id = msg.client_msg_id,
			.dialog = msg.dialog,
			.id = msg.id,
			.seq = msg.seq,
			.time = msg.time,
		};
		hub_send(h, s, &ack);
		/* a duplicate was delivered the first time, unless that commit failed and stored it after all;
		 * notes never leave the hub (but supervisors watching the dialog see them) */
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		bool fresh = rc == HUB_DB_OK || hub_batch_in_doubt(h, msg.client_msg_id);
		if (fresh && sender == PROTO_FROM_OPERATOR) {
			hub_to_customer(h, m->dialog, &out);
			hub_chat_answered(h, m->dialog);
			hub_idle_operator_said(h, m->dialog, msg.time);
		}
		if (fresh)
			hub_watchers(h, m->dialog, &out);
		hub_db_message_clear(&msg);
		break;
	}
	case HUB_DB_CONFLICT:
		hub_send_error(h, s, PROTO_E_CONFLICT, ref, "client_msg_id \"%s\" was already used in another dialog",
			       m->client_msg_id);
		break;
	case HUB_DB_NOT_FOUND:
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld does not exist", (long long)m->dialog);
		break;
	default:
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the message was not stored (database write failed); retry");
		break;
	}
	hub_batch_done(h, s, ref, m->client_msg_id, rc == HUB_DB_OK || rc == HUB_DB_EXISTS); /* the ack and forward wait for it */
}

/* A claim is stored, then written into the dialog as a note so that whoever reads the history sees it. The
 * note carries the claim's client_msg_id: a claim sent again with it finds that note, stores nothing and is
 * answered with the note again. */
static void agent_claim(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	if (!own_dialog(h, s, m->dialog, ref))
		return;
	char *note = xasprintf("claim (%s)%s%s", proto_claim_name(m->category), m->text ? ": " : "",
			       m->text ? m->text : "");
	struct proto_sysargs args = { .category = (char *)proto_claim_name(m->category), .note = m->text };
	struct proto_message msg = { 0 };
	bool began = hub_db_begin(h->db) == HUB_DB_OK;
	int rc = began ? hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, note, HUB_KIND_CLAIM, &args,
					    m->client_msg_id, now, &msg)
		       : HUB_DB_ERROR;
	bool appended = rc == HUB_DB_OK || rc == HUB_DB_EXISTS, again = rc == HUB_DB_EXISTS;
	bool ok = appended && (again || hub_db_claim_add(h->db, m->dialog, s->op, m->category, m->text, now) == HUB_DB_OK);
	if (began && !ok)
		hub_db_rollback(h->db);
	else if (began)
		ok = hub_db_commit(h->db) == HUB_DB_OK;
	if (rc == HUB_DB_CONFLICT) {
		hub_send_error(h, s, PROTO_E_CONFLICT, ref, "client_msg_id \"%s\" was already used in another dialog",
			       m->client_msg_id);
	} else if (ok && again) { /* a retry: the answer it missed, nothing new */
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		hub_send(h, s, &out);
	} else if (ok) {
		log_info("dialog %lld: %s filed a %s claim", (long long)m->dialog, s->user,
			 proto_claim_name(m->category));
		hub_db_audit_add(h->db, now, s->user, "claim", m->dialog, proto_claim_name(m->category));
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		hub_send(h, s, &out);
		hub_watchers(h, m->dialog, &out);
		hub_board_changed(h);
		hub_alert_claim(h, m->dialog, s->user, m->category, m->text, now);
	} else {
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the claim was not stored (database write failed); retry");
	}
	if (appended)
		hub_db_message_clear(&msg);
	free(note);
}

static void agent_typing(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	if (!own_dialog(h, s, m->dialog, "typing"))
		return;
	struct proto_msg out = { .type = PROTO_OPTYPING, .on = m->on };
	hub_to_customer(h, m->dialog, &out);
}

static void agent_take(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t taken = 0;
	enum hub_route_result r = hub_router_take(h->router, s->op, m->dialog, now, &taken);
	if (r == HUB_ROUTE_CAPACITY) {
		hub_send_error(h, s, PROTO_E_CAPACITY, "take", "you already have %d chats, your limit",
			       hub_router_load(h->router, s->op));
		return;
	}
	if (r == HUB_ROUTE_NOT_SERVED) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "take", "dialog %lld waits in a queue you do not serve",
			       (long long)m->dialog);
		return;
	}
	if (r == HUB_ROUTE_NOT_QUEUED) {
		struct hub_db_dialog row;
		if (m->dialog > 0 && hub_db_dialog_get(h->db, m->dialog, &row) == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, "take", "dialog %lld does not exist",
				       (long long)m->dialog);
		else if (m->dialog > 0)
			hub_send_error(h, s, PROTO_E_QUEUE_EMPTY, "take", "dialog %lld is not waiting any more",
				       (long long)m->dialog);
		else
			hub_send_error(h, s, PROTO_E_QUEUE_EMPTY, "take", "nobody is waiting");
		if (m->dialog > 0)
			hub_db_dialog_free(&row);
		return;
	}
	if (r != HUB_ROUTE_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "take", "the hub does not know you as an operator");
		return;
	}
	struct hub_decisions d = { 0 };
	d.v = xmalloc(sizeof *d.v);
	d.cap = 1;
	d.v[d.n++] = (struct hub_decision){ .dialog = taken, .op = s->op };
	hub_db_audit_add(h->db, now, s->user, "take", taken, NULL);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

static void agent_close(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (!own_dialog(h, s, m->dialog, "close"))
		return;
	if (!m->topic || !proto_topic_valid(m->topic)) {
		char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_ID * 4)];
		hub_send_error(h, s, PROTO_E_BAD_TOPIC, "close", "\"%s\" is not a wrap-up topic",
			       textsafe_line(safe, sizeof safe, m->topic ? m->topic : ""));
		return;
	}
	if (hub_dialog_close(h, m->dialog, m->topic, PROTO_BY_OPERATOR, s->user, now) != HUB_DB_OK)
		hub_send_error(h, s, PROTO_E_STORAGE, "close", "dialog %lld was not closed (database write failed)",
			       (long long)m->dialog);
}

static void send_released(struct hub *h, struct hub_session *s, int64_t dialog, const char *reason)
{
	struct proto_msg out = { .type = PROTO_RELEASED, .dialog = dialog, .reason = (char *)reason };
	hub_send(h, s, &out);
}

static void transfer_to_operator(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_NAME * 4)];
	textsafe_line(safe, sizeof safe, m->operator_name);
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(h->db, m->operator_name, &o);
	if (rc != HUB_DB_OK) {
		if (rc == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transfer", "there is no operator \"%s\"", safe);
		else
			hub_send_error(h, s, PROTO_E_INTERNAL, "transfer", "the account database cannot be read");
		return;
	}
	int64_t to = o.id;
	struct proto_sysargs args = { .name = xstrdup(o.display && *o.display ? o.display : o.name),
				      .user = xstrdup(o.name),
				      .note = m->note_text && *m->note_text ? xstrdup(m->note_text) : NULL };
	hub_db_operator_free(&o);
	struct hub_decisions d = { 0 };
	enum hub_route_result r = hub_router_transfer_to_operator(h->router, m->dialog, to, now, &d);
	if (r != HUB_ROUTE_OK) {
		if (r == HUB_ROUTE_CAPACITY)
			hub_send_error(h, s, PROTO_E_CAPACITY, "transfer", "%s has no free place for another chat", safe);
		else if (r == HUB_ROUTE_SAME_OP)
			hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transfer", "the dialog is already yours");
		else
			hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transfer", "%s is not online", safe);
		proto_sysargs_free(&args);
		return;
	}
	char *note = args.note ? xstrdup(args.note) : xasprintf(hub_text(h, HT_NOTE_TO_OP), safe);
	if (hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, note, HUB_KIND_TO_OPERATOR, &args, NULL, now,
			       NULL) != HUB_DB_OK)
		hub_send_error(h, s, PROTO_E_STORAGE, "transfer",
			       "the transfer note was not stored (database write failed); the dialog moves anyway");
	free(note);
	proto_sysargs_free(&args);
	log_info("dialog %lld: %s transfers it to %s", (long long)m->dialog, s->user, safe);
	hub_db_audit_add(h->db, now, s->user, "transfer-to-operator", m->dialog, m->operator_name);
	char *reason = xasprintf("transferred to %s", safe);
	send_released(h, s, m->dialog, reason);
	free(reason);
	hub_apply(h, &d, now); /* the move first, then whatever s's freed place pulls */
	hub_decisions_free(&d);
}

static void transfer_to_queue(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, m->dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "transfer", "the dialog cannot be read");
		return;
	}
	const char *queue = m->queue && *m->queue ? m->queue : row.d.queue;
	char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_NAME * 4)];
	textsafe_line(safe, sizeof safe, queue);
	bool has_note = m->note_text && *m->note_text;
	char *note = has_note ? xstrdup(m->note_text) : xasprintf(hub_text(h, HT_NOTE_TO_QUEUE), safe);
	struct proto_sysargs args = { .queue = (char *)queue, .note = has_note ? m->note_text : NULL };
	struct proto_message sys = { 0 };
	bool ok = hub_db_begin(h->db) == HUB_DB_OK;
	if (ok) {
		ok = hub_db_dialog_requeue(h->db, m->dialog, queue) == HUB_DB_OK &&
		     hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, note, HUB_KIND_TO_QUEUE, &args, NULL,
					now, NULL) == HUB_DB_OK &&
		     hub_db_line_append(h->db, m->dialog, PROTO_FROM_SYSTEM, NULL, hub_text(h, HT_REQUEUED),
					HUB_KIND_REQUEUED, NULL, NULL, now, &sys) == HUB_DB_OK;
		if (ok)
			ok = hub_db_commit(h->db) == HUB_DB_OK;
		else
			hub_db_rollback(h->db);
	}
	free(note);
	if (!ok) {
		hub_db_message_clear(&sys);
		hub_db_dialog_free(&row);
		hub_send_error(h, s, PROTO_E_STORAGE, "transfer", "the dialog was not transferred (database write failed)");
		return;
	}
	log_info("dialog %lld: %s sends it to queue %s", (long long)m->dialog, s->user, safe);
	hub_db_audit_add(h->db, now, s->user, "transfer-to-queue", m->dialog, queue);
	struct hub_decisions d = { 0 };
	hub_router_transfer_to_queue(h->router, m->dialog, queue, now, &d);
	free(h->last_queue);
	h->last_queue = xstrdup(queue);
	char *reason = xasprintf("transferred to queue %s", safe);
	send_released(h, s, m->dialog, reason);
	free(reason);
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = sys };
	hub_to_customer(h, m->dialog, &out);
	hub_watchers(h, m->dialog, &out);
	hub_db_message_clear(&sys);
	hub_db_dialog_free(&row);
	hub_queue_changed(h);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

static void agent_transfer(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (!own_dialog(h, s, m->dialog, "transfer"))
		return;
	if (m->operator_name && m->queue) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "transfer", "name either a queue or an operator, not both");
		return;
	}
	if (m->operator_name)
		transfer_to_operator(h, s, m, now);
	else
		transfer_to_queue(h, s, m, now);
}

/* ---- transfer targets ---- */

static int target_queue_order(const void *a, const void *b)
{
	const struct proto_queue_load *x = a, *y = b;
	bool gx = strcmp(x->queue, "general") == 0, gy = strcmp(y->queue, "general") == 0;
	if (gx != gy)
		return gx ? -1 : 1;
	return strcmp(x->queue, y->queue);
}

static int target_op_order(const void *a, const void *b)
{
	const struct proto_board_op *x = a, *y = b;
	if (x->status != y->status)
		return x->status == PROTO_ST_ONLINE ? -1 : 1;
	return strcmp(x->user, y->user);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Where a dialog can go: the queues (the domain's two, the configured ones, those served or waited in) with how
 * many chats wait in each, and the colleagues signed in now with their presence and load. */
static void agent_targets(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)m;
	(void)now;
	struct proto_msg out = { .type = PROTO_TARGETS };
	static const char *const known[] = { "general", "stylist" };
	size_t n_known = sizeof known / sizeof *known;
	out.queue_loads = xcalloc(n_known + h->cfg.n_queues, sizeof *out.queue_loads);
	for (size_t i = 0; i < n_known + h->cfg.n_queues; i++) {
		const char *name = i < n_known ? known[i] : h->cfg.queues[i - n_known].name;
		bool dup = false;
		for (size_t k = 0; k < out.n_queue_loads && !dup; k++)
			dup = strcmp(out.queue_loads[k].queue, name) == 0;
		if (!dup && strlen(name) <= PROTO_MAX_NAME)
			out.queue_loads[out.n_queue_loads++].queue = xstrdup(name);
	}
	if (hub_db_queue_loads(h->db, &out.queue_loads, &out.n_queue_loads) != HUB_DB_OK) {
		proto_msg_free(&out);
		hub_send_error(h, s, PROTO_E_INTERNAL, "targets", "the queues cannot be read");
		return;
	}
	if (out.n_queue_loads > 1)
		qsort(out.queue_loads, out.n_queue_loads, sizeof *out.queue_loads, target_queue_order);
	while (out.n_queue_loads > PROTO_MAX_ITEMS)
		free(out.queue_loads[--out.n_queue_loads].queue);
	size_t cap = 0;
	for (struct hub_session *o = h->sessions; o; o = o->next) {
		if (o == s || o->ep != HUB_EP_AGENT || !o->authed || hub_agent_session(h, o->op) != o ||
		    o->role == PROTO_ROLE_ADMIN || o->op == s->op)
			continue;
		out.board_ops = xgrow(out.board_ops, &cap, out.n_board_ops + 1, sizeof *out.board_ops);
		out.board_ops[out.n_board_ops++] = (struct proto_board_op){
			.user = xstrdup(o->user),
			.display = o->display && *o->display ? xstrdup(o->display) : NULL,
			.role = o->role,
			.status = o->status,
			.online = true,
			.load = clamp(hub_router_load(h->router, o->op), 0, 16),
			.capacity = clamp(o->capacity, 1, 16),
		};
	}
	if (out.n_board_ops > 1)
		qsort(out.board_ops, out.n_board_ops, sizeof *out.board_ops, target_op_order);
	while (out.n_board_ops > PROTO_MAX_ITEMS)
		proto_board_op_free(&out.board_ops[--out.n_board_ops]);
	hub_send(h, s, &out);
	proto_msg_free(&out);
}

static void agent_status(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (s->status != m->status)
		hub_op_state_began(h, s->op, now);
	s->status = m->status;
	log_info("%s is %s", s->user, proto_status_name(s->status));
	hub_db_audit_add(h->db, now, s->user, "status", 0, proto_status_name(s->status));
	struct proto_msg out = { .type = PROTO_STATUS, .status = s->status };
	hub_send(h, s, &out);
	struct hub_decisions d = { 0 };
	hub_router_set_presence(h->router, s->op, s->status == PROTO_ST_ONLINE ? HUB_ONLINE : HUB_AWAY, now, &d);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

/* The connection is gone: a signed-in operator goes offline, and the dialogs it holds stay its own for the
 * grace period. */
static void agent_closed(struct hub *h, struct hub_session *s, int64_t now)
{
	hub_supervise_closed(h, s);
	if (s->n_catchup)
		h->n_catching--;
	if (!s->authed)
		return;
	if (hub_agent_session(h, s->op) == s)
		hub_agent_index(h, s->op, NULL);
	log_info("%s went offline", s->user);
	hub_op_state_began(h, s->op, now);
	struct hub_decisions d = { 0 };
	hub_router_set_presence(h->router, s->op, HUB_OFFLINE, now, &d);
	hub_decisions_free(&d); /* going offline assigns nothing */
	hub_grace_start(h, s->op, now);
}

static const struct hub_frame_row agent_rows[] = {
	{ PROTO_SEND, agent_send, HUB_FRAME_BATCHED },
	{ PROTO_TYPING, agent_typing, HUB_FRAME_BATCHED },
	{ PROTO_HELLO, agent_hello, HUB_FRAME_SIGNIN | HUB_FRAME_ONE_SECRET },
	{ PROTO_TAKE, agent_take, 0 },
	{ PROTO_CLOSE, agent_close, 0 },
	{ PROTO_TAKE_REQUEST, hub_req_take, 0 },
	{ PROTO_ANSWER_REQUEST, hub_req_answer, 0 },
	{ PROTO_TRANSFER, agent_transfer, 0 },
	{ PROTO_STATUS, agent_status, 0 },
	{ PROTO_CLAIM, agent_claim, 0 },
	{ PROTO_TARGETS, agent_targets, 0 },
	{ PROTO_FILE_LINK, hub_upload_file_link, 0 },
	{ PROTO_UPLOAD_TICKET, hub_upload_ticket, 0 },
	{ PROTO_MONITOR, hub_sup_monitor, HUB_FRAME_SUPERVISOR },
	{ PROTO_WATCH, hub_sup_watch, HUB_FRAME_SUPERVISOR },
	{ PROTO_WHISPER, hub_sup_whisper, HUB_FRAME_SUPERVISOR },
	{ PROTO_TAKEOVER, hub_sup_takeover, HUB_FRAME_SUPERVISOR },
	{ PROTO_DIALOGS, hub_sup_dialogs, HUB_FRAME_SUPERVISOR },
	{ PROTO_CUSTOMER_ASK, hub_id_card, 0 },
	{ PROTO_HISTORY, hub_id_history, 0 },
	{ PROTO_BLOCK, hub_id_block, 0 },
};

const struct hub_ep_table hub_agent_frames = {
	.name = "agent",
	.in = PROTO_AGENT_TO_HUB,
	.rows = agent_rows,
	.n_rows = sizeof agent_rows / sizeof *agent_rows,
	.signin_first = "send hello first",
	.closed = agent_closed,
};

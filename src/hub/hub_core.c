/* hub_core.c: what every endpoint of the hub does with its state (hub_core.h), below the endpoints and above
 * the store, the router and the server: sending frames and errors, finding a connection, a new chat entering
 * routing, applying routing decisions (persist, then announce), the grace period after which a disconnected
 * operator's dialogs return to the queue and the hub's one timer, failed sign-ins by address, and marking the
 * queue and the board changed. */
#include "hub_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

/* System texts the hub writes into dialogs, in its language (gettext: po/ru.po has them in Russian). */
static const char *const hub_texts[HT_COUNT] = {
	[HT_JOINED] = N_("Operator %s joined the chat"),
	[HT_LEFT] = N_("Customer left the chat"),
	[HT_BACK] = N_("The customer is back in the chat"),
	[HT_REQUEUED] = N_("Your chat has been passed to another specialist, please wait."),
	[HT_NOTE_TO_QUEUE] = N_("Transferred to queue \"%s\""),
	[HT_NOTE_TO_OP] = N_("Transferred to operator %s"),
	[HT_TAKEN_OVER] = N_("Supervisor %s took over the chat"),
	[HT_IDLE_WARNING] = N_("Are you still with us? If we do not hear from you, this chat will be closed in a "
			       "little while."),
	[HT_IDLE_CLOSED] = N_("The chat was closed because there was no reply. Write to us again any time."),
};

const char *hub_text(const struct hub *h, enum hub_text t)
{
	return i18n_gettext_in(h->lang, hub_texts[t]);
}

/* ---- sending ---- */

static enum proto_dir out_dir(const struct hub_session *s)
{
	static const enum proto_dir dirs[] = { PROTO_HUB_TO_AGENT, PROTO_HUB_TO_CUSTOMER, PROTO_HUB_TO_BRIDGE };
	return dirs[s->ep];
}

void hub_send(struct hub *h, struct hub_session *s, const struct proto_msg *m)
{
	(void)h;
	size_t len;
	struct proto_error err = { 0 };
	char *buf = proto_encode(out_dir(s), m, &len, &err);
	if (!buf) {
		log_error("%s: cannot encode %s: %s", hub_conn_name(s->conn), proto_type_name(m->type), err.detail);
		buf = proto_encode_error(out_dir(s), PROTO_E_INTERNAL, "the hub could not encode a reply",
					 proto_type_name(m->type), &len);
		if (!buf)
			return;
	}
	hub_conn_send(s->conn, buf, len);
	free(buf);
}

void hub_send_error(struct hub *h, struct hub_session *s, enum proto_errcode code, const char *ref,
		    const char *fmt, ...)
{
	char msg[PROTO_MAX_ERRMSG];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_warn("%s: %s: %s%s%s", hub_conn_name(s->conn), proto_errcode_name(code), msg, ref ? " ref=" : "",
		 ref ? ref : "");
	size_t len;
	char *buf = proto_encode_error(out_dir(s), code, msg, ref, &len);
	if (!buf) /* e.g. a ref the encoder refuses: send without it */
		buf = proto_encode_error(out_dir(s), code, msg, NULL, &len);
	if (buf) { /* an error promises nothing about the database: never held for a group commit */
		bool held = h->srv && hub_server_hold(h->srv, false);
		hub_conn_send(s->conn, buf, len);
		if (held)
			hub_server_hold(h->srv, true);
	}
	free(buf);
}

const char *hub_ref(const struct proto_msg *m)
{
	return m->client_msg_id ? m->client_msg_id : proto_type_name(m->type);
}

struct hub_session *hub_agent_session(struct hub *h, int64_t op)
{
	return op > 0 && (size_t)op < h->cap_by_op ? h->by_op[op] : NULL;
}

void hub_agent_index(struct hub *h, int64_t op, struct hub_session *s)
{
	if (op <= 0)
		return;
	if ((size_t)op >= h->cap_by_op) {
		if (!s)
			return;
		size_t cap = h->cap_by_op ? h->cap_by_op : 64;
		while (cap <= (size_t)op)
			cap *= 2;
		h->by_op = xrealloc(h->by_op, cap * sizeof *h->by_op);
		memset(h->by_op + h->cap_by_op, 0, (cap - h->cap_by_op) * sizeof *h->by_op);
		h->cap_by_op = cap;
	}
	h->by_op[op] = s;
}

struct hub_session *hub_bridge_session(struct hub *h, enum proto_channel channel)
{
	for (struct hub_session *s = h->sessions; s; s = s->next)
		if (s->ep == HUB_EP_BRIDGE && s->authed && s->channel == channel)
			return s;
	return NULL;
}

void hub_to_customer(struct hub *h, int64_t dialog, const struct proto_msg *m)
{
	for (struct hub_session *s = h->sessions; s; s = s->next) {
		if (s->ep == HUB_EP_CUSTOMER && s->dialog == dialog) {
			hub_send(h, s, m);
			return;
		}
	}
	/* not on the customer endpoint: a bridged customer, when a bridge of the dialog's channel is connected
	 * (else the bridge gets it from the database when it comes back) */
	enum proto_channel channel;
	char *contact = NULL;
	if (hub_db_dialog_contact(h->db, dialog, &channel, &contact) == HUB_DB_OK && contact) {
		struct hub_session *b = hub_bridge_session(h, channel);
		if (b) {
			struct proto_msg out = *m;
			out.contact = contact;
			if (!out.dialog)
				out.dialog = dialog;
			hub_send(h, b, &out);
		}
	}
	free(contact);
}

/* ---- what changed ---- */

void hub_queue_changed(struct hub *h)
{
	h->queue_dirty = true;
	hub_board_changed(h);
	hub_trend_touch(h, proto_now_ms());
}

void hub_board_changed(struct hub *h)
{
	h->board_dirty = true;
	h->kpi_stale = true;     /* today's figures follow with a board once they may be read again */
	h->alerts_rescan = true; /* queue_wait, nobody_online, queue_growing may be due */
}

int64_t hub_board_due(const struct hub *h)
{
	if (!h->board_dirty || !h->n_monitors)
		return -1;
	return h->board_next_ms;
}

void hub_watchers(struct hub *h, int64_t dialog, const struct proto_msg *m)
{
	for (size_t i = 0; i < h->n_watchers; i++)
		if (hub_session_watches(h->watchers[i], dialog))
			hub_send(h, h->watchers[i], m);
}

/* ---- dialogs ---- */

void hub_dialog_clear(struct proto_dialog *d)
{
	free(d->customer);
	free(d->queue);
	free(d->topic);
	hub_db_messages_free(d->messages, d->n_messages);
	memset(d, 0, sizeof *d);
}

int hub_load_dialog(struct hub *h, int64_t dialog, int64_t after, struct proto_dialog *out, int64_t *operator_id)
{
	struct hub_db_dialog row;
	memset(out, 0, sizeof *out);
	int rc = hub_db_dialog_get(h->db, dialog, &row);
	if (rc != HUB_DB_OK)
		return rc;
	if (operator_id)
		*operator_id = row.operator_id;
	*out = row.d; /* take over its strings */
	out->messages = NULL;
	out->n_messages = 0;
	/* what a snapshot to agents says of the customer: how many chats it had before */
	rc = row.customer_id ? hub_db_customer_earlier(h->db, row.customer_id, dialog, &out->returning) : HUB_DB_OK;
	if (rc == HUB_DB_OK && after >= 0)
		rc = hub_db_history_after(h->db, dialog, after, PROTO_MAX_HISTORY, &out->messages, &out->n_messages);
	else if (rc == HUB_DB_OK)
		rc = hub_db_history_last(h->db, dialog, PROTO_MAX_HISTORY, &out->messages, &out->n_messages);
	if (rc != HUB_DB_OK)
		hub_dialog_clear(out);
	return rc;
}

/* ---- routing ---- */

size_t hub_chat_route(struct hub *h, int64_t dialog, const char *customer, const char *queue, bool returning,
		      int64_t last_op, int64_t now, struct hub_decisions *d)
{
	hub_chat_opened(h, dialog, customer, now);
	free(h->last_queue);
	h->last_queue = xstrdup(queue && *queue ? queue : "general");
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

/* Persist "dialog -> op" with the operator-joined message, then tell the operator and the customer.
 * If the write fails the dialog leaves the router (it stays waiting in the database and is routed
 * again after a restart) and any decisions that frees up are appended to *d. */
static void assign_one(struct hub *h, int64_t dialog, int64_t op, int64_t now, struct hub_decisions *d)
{
	struct hub_session *agent = hub_agent_session(h, op);
	struct proto_sysargs who = { 0 };
	if (agent) {
		who.name = xstrdup(hub_session_display(agent));
		who.user = xstrdup(agent->user);
	} else {
		struct hub_db_operator o;
		if (hub_db_operator_by_id(h->db, op, &o) == HUB_DB_OK) {
			who.name = xstrdup(o.display && *o.display ? o.display : o.name);
			who.user = xstrdup(o.name);
		}
		hub_db_operator_free(&o);
	}
	char *text = xasprintf(hub_text(h, HT_JOINED), who.name ? who.name : "?");
	struct proto_message joined = { 0 };
	bool ok = hub_db_begin(h->db) == HUB_DB_OK;
	if (ok) {
		ok = hub_db_dialog_assign(h->db, dialog, op, now) == HUB_DB_OK &&
		     hub_db_line_append(h->db, dialog, PROTO_FROM_SYSTEM, NULL, text, HUB_KIND_JOINED, &who, NULL, now,
					&joined) == HUB_DB_OK;
		if (!ok)
			hub_db_rollback(h->db);
		else
			ok = hub_db_commit(h->db) == HUB_DB_OK;
	}
	free(text);
	proto_sysargs_free(&who);
	hub_queue_changed(h);
	if (!ok) {
		log_error("dialog %lld: cannot store its assignment to operator %lld (%s); it waits until the hub "
			  "restarts",
			  (long long)dialog, (long long)op, hub_db_errmsg(h->db));
		hub_db_message_clear(&joined);
		if (agent)
			hub_send_error(h, agent, PROTO_E_STORAGE, NULL,
				       "dialog %lld could not be assigned to you: the database write failed",
				       (long long)dialog);
		hub_router_dialog_closed(h->router, dialog, now, d);
		hub_chat_closed(h, dialog);
		return;
	}
	log_info("dialog %lld assigned to %s", (long long)dialog, agent ? agent->user : "(offline operator)");
	if (agent) {
		struct proto_dialog pd;
		if (hub_load_dialog(h, dialog, -1, &pd, NULL) == HUB_DB_OK) {
			struct proto_msg m = { .type = PROTO_ASSIGNED, .dialogs = &pd, .n_dialogs = 1 };
			hub_send(h, agent, &m);
			hub_dialog_clear(&pd);
			hub_watchers_tell(h, dialog, agent, false);
		} else {
			hub_send_error(h, agent, PROTO_E_INTERNAL, NULL, "dialog %lld was assigned to you but cannot be read",
				       (long long)dialog);
		}
	}
	struct proto_msg m = { .type = PROTO_MESSAGE, .msg = joined };
	hub_to_customer(h, dialog, &m);
	hub_watchers(h, dialog, &m);
	hub_db_message_clear(&joined);
}

void hub_apply(struct hub *h, struct hub_decisions *d, int64_t now)
{
	for (size_t i = 0; i < d->n; i++) {
		struct hub_decision dc = d->v[i]; /* d->v may move while applying */
		assign_one(h, dc.dialog, dc.op, now, d);
	}
	hub_decisions_clear(d);
	hub_board_changed(h); /* loads, presence or the queue may have changed */
	hub_trend_touch(h, now);
}

/* ---- the grace period of disconnected operators, the timer ---- */

void hub_timer_rearm(struct hub *h)
{
	if (!h->srv)
		return;
	int64_t next = hub_board_due(h);
	if (h->alert_due_ms >= 0 && (next < 0 || h->alert_due_ms < next))
		next = h->alert_due_ms;
	if (h->idle_due_ms >= 0 && (next < 0 || h->idle_due_ms < next))
		next = h->idle_due_ms;
	if (h->avail_due_ms >= 0 && (next < 0 || h->avail_due_ms < next))
		next = h->avail_due_ms;
	for (size_t i = 0; i < h->n_grace; i++)
		if (next < 0 || h->grace[i].deadline_ms < next)
			next = h->grace[i].deadline_ms;
	if (next < 0) {
		hub_server_set_timer(h->srv, -1);
		return;
	}
	int64_t delay = next - proto_now_ms();
	hub_server_set_timer(h->srv, delay < 0 ? 0 : delay);
}

void hub_grace_start(struct hub *h, int64_t op, int64_t now)
{
	if (hub_router_held(h->router, op, NULL, 0) == 0)
		return;
	size_t i = 0;
	while (i < h->n_grace && h->grace[i].op != op)
		i++;
	if (i == h->n_grace) {
		h->grace = xgrow(h->grace, &h->cap_grace, h->n_grace + 1, sizeof *h->grace);
		h->n_grace++;
	}
	h->grace[i] = (struct hub_grace){ .op = op, .deadline_ms = now + (int64_t)h->cfg.grace_s * 1000 };
	hub_timer_rearm(h);
}

void hub_grace_cancel(struct hub *h, int64_t op)
{
	for (size_t i = 0; i < h->n_grace; i++) {
		if (h->grace[i].op == op) {
			h->grace[i] = h->grace[--h->n_grace];
			hub_timer_rearm(h);
			return;
		}
	}
}

/* Put the dialogs of an operator who did not come back into the queue. */
static void grace_release(struct hub *h, int64_t op, int64_t now)
{
	size_t n = hub_router_held(h->router, op, NULL, 0);
	if (n == 0)
		return;
	int64_t *ids = xcalloc(n, sizeof *ids);
	hub_router_held(h->router, op, ids, n);
	struct proto_message *notes = xcalloc(n, sizeof *notes);
	bool began = hub_db_begin(h->db) == HUB_DB_OK, ok = began;
	for (size_t i = 0; ok && i < n; i++)
		ok = hub_db_dialog_requeue(h->db, ids[i], NULL) == HUB_DB_OK &&
		     hub_db_line_append(h->db, ids[i], PROTO_FROM_SYSTEM, NULL, hub_text(h, HT_REQUEUED),
					HUB_KIND_REQUEUED, NULL, NULL, now, &notes[i]) == HUB_DB_OK;
	if (ok)
		ok = hub_db_commit(h->db) == HUB_DB_OK;
	else if (began)
		hub_db_rollback(h->db);
	if (!ok) {
		log_error("operator %lld: cannot return its dialogs to the queue: %s; trying again later", (long long)op,
			  hub_db_errmsg(h->db));
		hub_grace_start(h, op, now);
	} else {
		log_info("operator %lld stayed away %d s: %zu dialog(s) back in the queue", (long long)op,
			 h->cfg.grace_s, n);
		for (size_t i = 0; i < n; i++) {
			struct proto_msg m = { .type = PROTO_MESSAGE, .msg = notes[i] };
			hub_to_customer(h, ids[i], &m);
			hub_watchers(h, ids[i], &m);
			hub_db_audit_add(h->db, now, "hub", "requeue", ids[i], "the operator stayed away past the grace period");
		}
		struct hub_decisions d = { 0 };
		hub_router_release_operator(h->router, op, now, &d);
		hub_queue_changed(h);
		hub_apply(h, &d, now);
		hub_decisions_free(&d);
	}
	for (size_t i = 0; i < n; i++)
		hub_db_message_clear(&notes[i]);
	free(notes);
	free(ids);
}

void hub_grace_expired(struct hub *h, int64_t now)
{
	size_t i = 0;
	while (i < h->n_grace) {
		if (h->grace[i].deadline_ms > now) {
			i++;
			continue;
		}
		int64_t op = h->grace[i].op;
		h->grace[i] = h->grace[--h->n_grace];
		grace_release(h, op, now);
		i = 0; /* grace_release may have changed the list */
	}
	hub_timer_rearm(h);
}

/* ---- failed sign-ins by address ---- */

static struct hub_signin_fail *signin_fail_find(struct hub *h, const char *addr, int64_t now, bool add)
{
	struct hub_signin_fail *hit = NULL;
	for (size_t i = 0; i < h->n_fails;) {
		struct hub_signin_fail *f = &h->fails[i];
		if (now - f->since_ms >= HUB_SIGNIN_WINDOW_S * 1000) { /* its window is over: forget it */
			*f = h->fails[--h->n_fails];
			continue;
		}
		if (strcmp(f->addr, addr) == 0)
			hit = f;
		i++;
	}
	if (!hit && add) {
		h->fails = xgrow(h->fails, &h->cap_fails, h->n_fails + 1, sizeof *h->fails);
		hit = &h->fails[h->n_fails++];
		memset(hit, 0, sizeof *hit);
		snprintf(hit->addr, sizeof hit->addr, "%s", addr);
		hit->since_ms = now;
	}
	return hit;
}

bool hub_signin_blocked(struct hub *h, struct hub_session *s, int64_t now)
{
	if (h->cfg.signin_failures <= 0 || s->authed)
		return false;
	struct hub_signin_fail *f = signin_fail_find(h, hub_conn_peer(s->conn), now, false);
	if (!f || f->n < h->cfg.signin_failures)
		return false;
	long long wait_s = (f->since_ms + HUB_SIGNIN_WINDOW_S * 1000 - now + 999) / 1000;
	hub_send_error(h, s, PROTO_E_RATE_LIMITED, "hello",
		       "too many failed sign-ins from %s (%d in %d s): try again in %lld s", hub_conn_peer(s->conn), f->n,
		       HUB_SIGNIN_WINDOW_S, wait_s);
	hub_conn_close(s->conn, 1008, "too many failed sign-ins");
	return true;
}

void hub_signin_failed(struct hub *h, struct hub_session *s, int64_t now)
{
	if (h->cfg.signin_failures <= 0)
		return;
	struct hub_signin_fail *f = signin_fail_find(h, hub_conn_peer(s->conn), now, true);
	if (++f->n == h->cfg.signin_failures)
		log_warn("%s: %d failed sign-ins from %s within %d s: its sign-ins are refused for the rest of the "
			 "window (--max-failed-signins)",
			 hub_conn_name(s->conn), f->n, f->addr, HUB_SIGNIN_WINDOW_S);
}

/* The queues operator `op` serves, from the database into the router (read at start and at every sign-in,
 * so that `opdesk-hub user skills` takes effect when the operator next signs in). */
void hub_load_skills(struct hub *h, int64_t op)
{
	char *queues = NULL;
	if (hub_db_skills_get(h->db, op, &queues) == HUB_DB_OK)
		hub_router_set_skills(h->router, op, queues);
	free(queues);
}

/* ---- closing, blocking, tokens ---- */

int hub_dialog_close(struct hub *h, int64_t dialog, const char *topic, enum proto_closer by, const char *actor,
		     int64_t now)
{
	int64_t holder = hub_router_holder(h->router, dialog);
	if (hub_db_dialog_close(h->db, dialog, topic, by, now) != HUB_DB_OK)
		return HUB_DB_ERROR;
	log_info("dialog %lld closed by %s (%s)", (long long)dialog, actor, topic);
	hub_db_audit_add(h->db, now, actor, "close", dialog, topic);
	struct hub_decisions d = { 0 };
	hub_router_dialog_closed(h->router, dialog, now, &d);
	hub_chat_closed(h, dialog);
	struct proto_msg out = { .type = PROTO_CLOSED, .dialog = dialog, .topic = (char *)topic, .by = by };
	struct hub_session *op = holder ? hub_agent_session(h, holder) : NULL;
	if (op)
		hub_send(h, op, &out);
	hub_watchers(h, dialog, &out);
	out.topic = NULL; /* the wrap-up topic is internal */
	hub_to_customer(h, dialog, &out);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
	return HUB_DB_OK;
}

bool hub_customer_refused(struct hub *h, struct hub_session *s, int64_t customer, const char *address,
			  const char *ref, int64_t now)
{
	bool blocked = false;
	if (hub_db_blocked(h->db, customer, address, now, &blocked) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the chat was not opened (database read failed); retry");
		return true;
	}
	if (!blocked)
		return false;
	h->blocked_refusals++;
	log_info("%s: a new chat of customer %lld refused: blocked", hub_conn_name(s->conn), (long long)customer);
	hub_send_error(h, s, PROTO_E_NOT_ALLOWED, ref, "the chat is not available right now");
	return true;
}

bool hub_random_token(char out[HUB_TOKEN_SIZE])
{
	unsigned char raw[(HUB_TOKEN_SIZE - 1) / 2];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return false;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return true;
}

bool hub_token_matches(const char *given, const char *stored)
{
	size_t n = strlen(stored);
	return strlen(given) == n && CRYPTO_memcmp(given, stored, n) == 0;
}

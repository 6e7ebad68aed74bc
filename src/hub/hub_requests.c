/* hub_requests.c: offline requests and the web chat's availability (docs/protocol.md, `availability`,
 * `leave_request`, `requests`): whether anyone serves the web chat's queue now (an operator signed in and
 * online, not a supervisor, inside the queue's working hours), told to every customer connection when it opens
 * and when it changes; requests left by customers, stored and listed to every operator (pushed at most once a
 * loop pass), taken by one, answered (mailed when the customer left an address) and asked after by the
 * customer with the request's token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_core.h"
#include "hub_endpoint.h"
#include "hub_mail.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define REQUEST_QUEUE "general" /* the customer endpoint's queue */

/* ---- availability ---- */

static const struct hub_hours *hours_of(const struct hub *h, const char *queue)
{
	for (size_t i = 0; i < h->cfg.n_hours; i++)
		if (strcmp(h->cfg.hours[i].queue, queue) == 0)
			return &h->cfg.hours[i].hours;
	return NULL;
}

/* The queue's availability now into *m (an availability frame). */
static void availability(struct hub *h, const char *queue, int64_t now, struct proto_msg *m)
{
	*m = (struct proto_msg){ .type = PROTO_AVAILABILITY, .on = true };
	const struct hub_hours *hours = hours_of(h, queue);
	if (hours && !hub_hours_open_at(hours, now)) {
		m->on = false;
		m->reason = "closed_hours";
		int64_t opens = hub_hours_next_change(hours, now);
		m->since = opens > 0 ? opens : 0;
		return;
	}
	struct hub_router_queue_stat *v;
	size_t n = hub_router_queue_stats(h->router, &v);
	int64_t online = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].queue, queue) == 0)
			online = v[i].online;
	hub_router_queue_stats_free(v, n);
	if (!online) {
		m->on = false;
		m->reason = "nobody_online";
	}
}

void hub_avail_tell(struct hub *h, struct hub_session *s)
{
	struct proto_msg m;
	availability(h, REQUEST_QUEUE, proto_now_ms(), &m);
	hub_send(h, s, &m);
}

void hub_avail_pass(struct hub *h, int64_t now)
{
	h->avail_dirty = false;
	struct proto_msg m;
	availability(h, REQUEST_QUEUE, now, &m);
	/* the hours' next boundary: the hub's one timer wakes for it */
	const struct hub_hours *hours = hours_of(h, REQUEST_QUEUE);
	int64_t due = hours ? hub_hours_next_change(hours, now) : -1;
	if (due != h->avail_due_ms) {
		h->avail_due_ms = due;
		hub_timer_rearm(h);
	}
	int state = m.on ? 1 : 0;
	if (state == h->avail_sent)
		return;
	h->avail_sent = state;
	log_info("the web chat is %s%s%s", m.on ? "available" : "unavailable", m.reason ? ": " : "",
		 m.reason ? m.reason : "");
	for (struct hub_session *s = h->sessions; s; s = s->next)
		if (s->ep == HUB_EP_CUSTOMER)
			hub_send(h, s, &m);
}

/* ---- the operators' list ---- */

void hub_requests_send(struct hub *h, struct hub_session *only)
{
	struct proto_msg m = { .type = PROTO_REQUESTS };
	if (hub_db_requests_open(h->db, PROTO_MAX_ITEMS, &m.requests, &m.n_requests, &m.total) != HUB_DB_OK) {
		log_error("cannot read the requests for a list: %s", hub_db_errmsg(h->db));
		return;
	}
	for (struct hub_session *s = only ? only : h->sessions; s; s = only ? NULL : s->next)
		if (s->ep == HUB_EP_AGENT && s->authed)
			hub_send(h, s, &m);
	hub_db_requests_free(m.requests, m.n_requests);
}

void hub_requests_pass(struct hub *h)
{
	h->requests_dirty = false;
	hub_requests_send(h, NULL);
}

/* ---- customers ---- */

static bool phone_valid(const char *p)
{
	size_t digits = 0;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" +()-", *p))
			return false;
	}
	return digits >= 3;
}

void hub_req_leave(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (!m->email && !m->phone) {
		hub_send_error(h, s, PROTO_E_MISSING_FIELD, "leave_request", "a request needs an e-mail or a phone");
		return;
	}
	if (m->email && !hub_mail_addr_valid(m->email)) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "leave_request", "that is not an e-mail address (name@example.org)");
		return;
	}
	if (m->phone && !phone_valid(m->phone)) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "leave_request", "that is not a phone number");
		return;
	}
	/* a blocked customer leaves no request either (docs/protocol.md, "Blocking") */
	int64_t customer = 0;
	if (m->customer_token &&
	    hub_db_customer_find(h->db, PROTO_CH_WEB, m->customer_token, NULL, &customer) == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_STORAGE, "leave_request", "your request was not stored (database read failed); retry");
		return;
	}
	if (hub_customer_refused(h, s, customer, hub_conn_peer(s->conn), "leave_request", now))
		return;
	char token[HUB_TOKEN_SIZE];
	if (!hub_random_token(token)) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "leave_request", "the hub has no randomness for a token; retry");
		return;
	}
	int64_t id = 0;
	if (hub_db_request_add(h->db, m->name, m->email, m->phone, m->text, REQUEST_QUEUE, token, now, &id) !=
	    HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, "leave_request", "your request was not stored (database write failed); retry");
		return;
	}
	log_info("%s: request %lld left by \"%s\"", hub_conn_name(s->conn), (long long)id, m->name);
	struct proto_msg out = { .type = PROTO_REQUEST_LEFT, .request = id, .token = token };
	hub_send(h, s, &out);
	h->requests_dirty = true;
}

void hub_req_status(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	struct hub_db_request r;
	int rc = hub_db_request_get(h->db, m->request, &r);
	if (rc == HUB_DB_ERROR) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "request_status", "your request cannot be read; try again later");
		return;
	}
	if (rc != HUB_DB_OK || !r.token || !hub_token_matches(m->token, r.token)) {
		log_warn("%s: request %lld asked after with a wrong token", hub_conn_name(s->conn), (long long)m->request);
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "request_status", "this request cannot be found");
	} else {
		struct proto_msg out = { .type = PROTO_REQUEST_STATUS, .request = m->request, .rstate = r.state,
					 .text = r.answer, .time = r.answered };
		hub_send(h, s, &out);
	}
	if (rc == HUB_DB_OK)
		hub_db_request_free(&r);
}

/* ---- operators ---- */

/* The refusal of a take or an answer the store did not do. */
static void req_refused(struct hub *h, struct hub_session *s, const char *ref, int64_t id, int rc)
{
	if (rc == HUB_DB_CONFLICT)
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, ref, "request %lld is another operator's or answered already",
			       (long long)id);
	else if (rc == HUB_DB_NOT_FOUND)
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "request %lld does not exist", (long long)id);
	else
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "request %lld: the database write failed; retry", (long long)id);
}

void hub_req_take(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int rc = hub_db_request_take(h->db, m->request, s->op, now);
	if (rc != HUB_DB_OK) {
		req_refused(h, s, "take_request", m->request, rc);
		return;
	}
	log_info("request %lld taken by %s", (long long)m->request, s->user);
	hub_db_audit_add(h->db, now, s->user, "take-request", 0, NULL);
	h->requests_dirty = true;
}

void hub_req_answer(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int rc = hub_db_request_answer(h->db, m->request, s->op, m->text, now);
	if (rc != HUB_DB_OK) {
		req_refused(h, s, "answer_request", m->request, rc);
		return;
	}
	log_info("request %lld answered by %s", (long long)m->request, s->user);
	h->requests_answered++;
	hub_db_audit_add(h->db, now, s->user, "answer-request", 0, NULL);
	struct proto_msg out = { .type = PROTO_REQUEST_ANSWERED, .request = m->request };
	hub_send(h, s, &out);
	h->requests_dirty = true;
	struct hub_db_request r;
	if (hub_db_request_get(h->db, m->request, &r) != HUB_DB_OK)
		return;
	if (r.r.email) {
		char *subject = xasprintf(i18n_gettext_in(h->lang, N_("The answer to your request %lld")),
					  (long long)m->request);
		char *body = xasprintf(i18n_gettext_in(h->lang, N_("Hello, %s!\n\n%s\n\nYour request:\n%s\n")), r.r.name,
				       m->text, r.r.text);
		hub_mail_queue(h, r.r.email, "answer", 0, subject, body, now);
		free(subject);
		free(body);
	}
	hub_db_request_free(&r);
}

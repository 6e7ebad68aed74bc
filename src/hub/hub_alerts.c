/* hub_alerts.c: what a supervisor must see now (docs/protocol.md, "alert"): a chat waiting past the SLA, a
 * customer unanswered past it, a low rating, a claim, chats waiting with nobody online, the queue growing with
 * everybody at capacity. Each is raised once for its condition, gets the next id, is kept (the day's last
 * HUB_ALERTS_KEPT, sent after a monitor's first board) and goes to every monitoring supervisor, never to an
 * operator. The two deadlines use the hub's one timer, armed only while a chat waits or a customer is
 * unanswered without its alert yet. */
#include <stdlib.h>
#include <string.h>

#include "hub_core.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void hub_alert_raise(struct hub *h, struct proto_msg *a, int64_t now)
{
	if (!h->alert_id)
		h->alert_id = now; /* ids keep growing across restarts (one a millisecond of uptime at most) */
	a->type = PROTO_ALERT;
	a->id = ++h->alert_id;
	a->time = now;
	log_info("alert %lld: %s (dialog %lld%s%s)", (long long)a->id, a->kind, (long long)a->dialog,
		 a->operator_name ? ", operator " : "", a->operator_name ? a->operator_name : "");
	if (!h->alerts)
		h->alerts = xcalloc(HUB_ALERTS_KEPT, sizeof *h->alerts);
	if (h->n_alerts == HUB_ALERTS_KEPT) {
		proto_msg_free(&h->alerts[0]);
		memmove(h->alerts, h->alerts + 1, (HUB_ALERTS_KEPT - 1) * sizeof *h->alerts);
		h->n_alerts--;
	}
	h->alerts[h->n_alerts++] = *a;
	memset(a, 0, sizeof *a);
	const struct proto_msg *kept = &h->alerts[h->n_alerts - 1];
	for (struct hub_session *s = h->sessions; s; s = s->next)
		if (s->ep == HUB_EP_AGENT && s->authed && s->monitoring && hub_session_supervisor(s))
			hub_send(h, s, kept);
}

void hub_alerts_send_kept(struct hub *h, struct hub_session *s, int64_t now)
{
	int64_t today = hub_local_midnight(now);
	for (size_t i = 0; i < h->n_alerts; i++)
		if (h->alerts[i].time >= today)
			hub_send(h, s, &h->alerts[i]);
}

static const char *customer_of(struct hub *h, int64_t dialog)
{
	struct hub_chat *c = hub_chat_find(h, dialog);
	return c ? c->customer : NULL;
}

void hub_alert_rating(struct hub *h, int64_t dialog, const char *customer, int64_t op, int score, const char *comment,
		      int64_t now)
{
	if (score > 3)
		return;
	struct proto_msg a = { .kind = xstrdup("low_rating"),
			       .dialog = dialog,
			       .customer = dup_or_null(customer),
			       .operator_name = op ? dup_or_null(hub_op_user(h, op)) : NULL,
			       .score = score,
			       .comment = dup_or_null(comment) };
	if (a.operator_name && strcmp(a.operator_name, "?") == 0) {
		free(a.operator_name);
		a.operator_name = NULL;
	}
	hub_alert_raise(h, &a, now);
}

void hub_alert_claim(struct hub *h, int64_t dialog, const char *user, enum proto_claim category, const char *text,
		     int64_t now)
{
	struct proto_msg a = { .kind = xstrdup("claim"),
			       .dialog = dialog,
			       .customer = dup_or_null(customer_of(h, dialog)),
			       .operator_name = dup_or_null(user),
			       .alert_category = xstrdup(proto_claim_name(category)),
			       .comment = dup_or_null(text) };
	hub_alert_raise(h, &a, now);
}

void hub_alerts_due_at(struct hub *h, int64_t at)
{
	if (h->alert_due_ms >= 0 && h->alert_due_ms <= at)
		return;
	h->alert_due_ms = at;
	hub_timer_rearm(h);
}

static void keep_due(int64_t *due, int64_t at)
{
	if (*due < 0 || at < *due)
		*due = at;
}

void hub_alerts_scan(struct hub *h, int64_t now)
{
	h->alerts_rescan = false;
	int64_t due = -1, sla_wait = (int64_t)h->cfg.sla_wait_s * 1000, sla_answer = (int64_t)h->cfg.sla_answer_s * 1000;
	/* queue_wait: once a chat */
	int64_t dialog, since, op;
	const char *queue;
	for (size_t i = 0; hub_router_waiting_at(h->router, i, &dialog, &since, &queue); i++) {
		struct hub_chat *c = hub_chat_find(h, dialog);
		if (!c || c->wait_alerted)
			continue;
		if (now < since + sla_wait) {
			keep_due(&due, since + sla_wait);
			continue;
		}
		c->wait_alerted = true;
		struct proto_msg a = { .kind = xstrdup("queue_wait"),
				       .dialog = dialog,
				       .customer = dup_or_null(c->customer),
				       .queue = queue && strlen(queue) <= PROTO_MAX_NAME ? dup_or_null(queue) : NULL,
				       .since = since };
		hub_alert_raise(h, &a, now);
	}
	/* unanswered: once an unanswered stretch of a held chat */
	for (size_t i = 0; hub_router_held_at(h->router, i, &dialog, &op, NULL); i++) {
		struct hub_chat *c = hub_chat_find(h, dialog);
		if (!c || !c->unanswered || c->answer_alerted)
			continue;
		if (now < c->unanswered + sla_answer) {
			keep_due(&due, c->unanswered + sla_answer);
			continue;
		}
		c->answer_alerted = true;
		const char *user = hub_op_user(h, op);
		struct proto_msg a = { .kind = xstrdup("unanswered"),
				       .dialog = dialog,
				       .customer = dup_or_null(c->customer),
				       .operator_name = strcmp(user, "?") ? dup_or_null(user) : NULL,
				       .since = c->unanswered };
		hub_alert_raise(h, &a, now);
	}
	h->alert_due_ms = due;
	/* nobody_online, queue_growing: once until it is over */
	int64_t waiting = (int64_t)hub_router_queue_length(h->router), online, free_slots;
	hub_router_capacity(h->router, &online, &free_slots);
	if (online > 0)
		h->nobody_alerted = false;
	else if (waiting > 0 && !h->nobody_alerted) {
		h->nobody_alerted = true;
		struct proto_msg a = { .kind = xstrdup("nobody_online"), .waiting = waiting };
		hub_alert_raise(h, &a, now);
	}
	if (free_slots > 0)
		h->growing_alerted = false;
	else if (online > 0 && waiting > h->alert_last_waiting && !h->growing_alerted) {
		h->growing_alerted = true;
		struct proto_msg a = { .kind = xstrdup("queue_growing"), .waiting = waiting,
				       .queue = dup_or_null(h->last_queue) };
		hub_alert_raise(h, &a, now);
	}
	h->alert_last_waiting = waiting;
	hub_timer_rearm(h);
}

void hub_alerts_free(struct hub *h)
{
	for (size_t i = 0; i < h->n_alerts; i++)
		proto_msg_free(&h->alerts[i]);
	free(h->alerts);
	free(h->last_queue);
}

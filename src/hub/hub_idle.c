/* hub_idle.c: auto-close (docs/hub.md, "Auto-close"; off unless set, per queue): a held chat whose customer has
 * not written for the queue's time after the operator's last message gets a polite warning (system line
 * `idle_warning`), and if the customer is still silent after the grace the hub closes it (line `idle_closed`,
 * `closed` by system, topic `other`). The deadlines ride on the hub's one timer (hub_timer_rearm) and exist only
 * while such chats do; at start each held chat's silence is read back from the store. */
#include <stdlib.h>
#include <string.h>

#include "hub_core.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define IDLE_TOPIC "other"

/* The queue's auto-close time in ms, 0: off. */
static int64_t idle_ms(const struct hub *h, const char *queue)
{
	for (size_t i = 0; queue && i < h->cfg.n_auto_close; i++)
		if (strcmp(h->cfg.auto_close[i].queue, queue) == 0)
			return (int64_t)h->cfg.auto_close[i].seconds * 1000;
	return (int64_t)h->cfg.auto_close_all_s * 1000;
}

static bool idle_any(const struct hub *h)
{
	return h->cfg.auto_close_all_s > 0 || h->cfg.n_auto_close > 0;
}

static void idle_due_at(struct hub *h, int64_t at)
{
	if (h->idle_due_ms >= 0 && h->idle_due_ms <= at)
		return;
	h->idle_due_ms = at;
	hub_timer_rearm(h);
}

/* The chat's next deadline (its warning or its close), -1: none. */
static int64_t chat_due(const struct hub *h, const struct hub_chat *c)
{
	if (!c->idle_from)
		return -1;
	int64_t n = idle_ms(h, hub_router_held_queue(h->router, c->dialog));
	if (!n)
		return -1;
	return c->warned ? c->warned + (int64_t)h->cfg.auto_close_grace_s * 1000 : c->idle_from + n;
}

void hub_idle_operator_said(struct hub *h, int64_t dialog, int64_t at)
{
	struct hub_chat *c = idle_any(h) ? hub_chat_find(h, dialog) : NULL;
	if (!c)
		return;
	c->idle_from = at;
	c->warned = 0;
	int64_t due = chat_due(h, c);
	if (due >= 0)
		idle_due_at(h, due);
}

void hub_idle_customer_said(struct hub *h, int64_t dialog)
{
	struct hub_chat *c = idle_any(h) ? hub_chat_find(h, dialog) : NULL;
	if (c) /* (a deadline passed over is dropped by the scan it wakes) */
		c->idle_from = c->warned = 0;
}

/* A line the hub writes into the dialog, to the customer, its operator and its watchers. */
static bool idle_line(struct hub *h, int64_t dialog, enum hub_text what, const char *kind, int64_t now)
{
	struct proto_message msg;
	if (hub_db_line_append(h->db, dialog, PROTO_FROM_SYSTEM, NULL, hub_text(h, what), kind, NULL, NULL, now, &msg) !=
	    HUB_DB_OK) {
		log_error("dialog %lld: cannot write its %s line: %s", (long long)dialog, kind, hub_db_errmsg(h->db));
		return false;
	}
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
	hub_to_customer(h, dialog, &out);
	int64_t op = hub_router_holder(h->router, dialog);
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, dialog, &out);
	hub_db_message_clear(&msg);
	return true;
}

static void idle_close(struct hub *h, int64_t dialog, int64_t now)
{
	int64_t op = hub_router_holder(h->router, dialog);
	if (!idle_line(h, dialog, HT_IDLE_CLOSED, HUB_KIND_IDLE_CLOSED, now))
		return; /* tried again at the next scan */
	if (hub_db_dialog_close(h->db, dialog, IDLE_TOPIC, PROTO_BY_SYSTEM, now) != HUB_DB_OK) {
		log_error("dialog %lld: cannot close it (the customer is silent): %s", (long long)dialog,
			  hub_db_errmsg(h->db));
		return;
	}
	h->auto_closed++;
	log_info("dialog %lld closed by the hub: the customer did not answer", (long long)dialog);
	hub_db_audit_add(h->db, now, "hub", "auto-close", dialog, IDLE_TOPIC);
	struct hub_decisions d = { 0 };
	hub_router_dialog_closed(h->router, dialog, now, &d);
	hub_chat_closed(h, dialog);
	struct proto_msg out = { .type = PROTO_CLOSED, .dialog = dialog, .topic = IDLE_TOPIC, .by = PROTO_BY_SYSTEM };
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, dialog, &out);
	out.topic = NULL; /* the wrap-up topic is internal */
	hub_to_customer(h, dialog, &out);
	hub_board_changed(h);
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

void hub_idle_scan(struct hub *h, int64_t now)
{
	h->idle_due_ms = -1;
	int64_t *warn = NULL, *close = NULL, next = -1;
	size_t n_warn = 0, n_close = 0, cap_warn = 0, cap_close = 0;
	for (size_t i = 0; i < h->cap_chats; i++) {
		struct hub_chat *c = &h->chats[i];
		if (!c->dialog || !c->idle_from)
			continue;
		if (!hub_router_holder(h->router, c->dialog)) { /* back in the queue: its operator's words are void */
			c->idle_from = c->warned = 0;
			continue;
		}
		int64_t due = chat_due(h, c);
		if (due < 0)
			continue;
		if (due > now) {
			if (next < 0 || due < next)
				next = due;
		} else if (!c->warned) {
			warn = xgrow(warn, &cap_warn, n_warn + 1, sizeof *warn);
			warn[n_warn++] = c->dialog;
		} else {
			close = xgrow(close, &cap_close, n_close + 1, sizeof *close);
			close[n_close++] = c->dialog;
		}
	}
	for (size_t i = 0; i < n_warn; i++) {
		if (!idle_line(h, warn[i], HT_IDLE_WARNING, HUB_KIND_IDLE_WARNING, now))
			continue;
		log_info("dialog %lld: the customer is silent: warned", (long long)warn[i]);
		struct hub_chat *c = hub_chat_find(h, warn[i]);
		if (c) {
			c->warned = now;
			int64_t due = chat_due(h, c);
			if (due >= 0 && (next < 0 || due < next))
				next = due;
		}
	}
	for (size_t i = 0; i < n_close; i++)
		idle_close(h, close[i], now);
	free(warn);
	free(close);
	/* a failed write is tried again in a minute */
	if ((n_warn || n_close) && next < 0) {
		for (size_t i = 0; i < h->cap_chats; i++)
			if (h->chats[i].dialog && chat_due(h, &h->chats[i]) >= 0 && chat_due(h, &h->chats[i]) <= now)
				next = now + 60 * 1000;
	}
	h->idle_due_ms = next;
	hub_timer_rearm(h);
}

static int restore_idle(void *arg, int64_t dialog, int64_t since, int64_t warned)
{
	struct hub *h = arg;
	struct hub_chat *c = hub_chat_find(h, dialog);
	if (!c)
		return 0;
	c->idle_from = since;
	c->warned = warned;
	int64_t due = chat_due(h, c);
	if (due >= 0 && (h->idle_due_ms < 0 || due < h->idle_due_ms))
		h->idle_due_ms = due;
	return 0;
}

void hub_idle_restore(struct hub *h)
{
	if (idle_any(h) && hub_db_open_idle(h->db, restore_idle, h) != HUB_DB_OK)
		log_error("cannot read the held chats' silent customers: %s", hub_db_errmsg(h->db));
}

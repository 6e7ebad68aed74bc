/* hub_supervise.c: what supervisors (and admins) may do on the agent endpoint, and nobody else: the live
 * board (`monitor`: every operator's presence and load, the queue, today's figures, pushed at most once a
 * second while something changes), one operator's open dialogs (`dialogs`, to pick from), read-only views of
 * any dialog (`watch`: the dialog, then its messages, ratings and close as they happen), `whisper` (a note
 * only the dialog's operator sees) and `takeover` (the dialog moves to the supervisor, the operator is told).
 * These are the agent endpoint's rows flagged HUB_FRAME_SUPERVISOR: the dispatcher checks the role before each
 * (an operator's are refused), and none of these events is ever sent to an operator's connection. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/hub_stats.h"
#include "opdesk/log.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

#define BOARD_EVERY_MS 1000   /* at most one board a second to each supervisor */
#define KPI_EVERY_MS 10000    /* today's figures are read from the database at most this often (5 ms at
				 * 5,000 dialogs a day: not on every board) */
#define MAX_WATCHED 16        /* dialogs one connection watches at once */

/* ---- the board ---- */

static int64_t local_midnight_ms(int64_t now)
{
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* Today's figures, over the dialogs opened since local midnight: the report's figures (hub_stats), so that
 * the board and `opdesk-hub report --since TODAY` always agree. */
static void read_kpi(struct hub *h, int64_t now, struct proto_kpi *k)
{
	memset(k, 0, sizeof *k);
	struct hub_stats st;
	char *cause = NULL;
	if (hub_stats_read(h->db, local_midnight_ms(now), now + 1, HUB_STATS_QUEUE, &st, &cause) != 0) {
		log_error("cannot read today's figures: %s", cause);
		free(cause);
		return;
	}
	const struct hub_stats_group *t = &st.total;
	*k = (struct proto_kpi){
		.opened = (int64_t)t->dialogs,
		.closed = (int64_t)t->closed,
		.wait_avg_ms = (int64_t)(hub_stats_mean(&t->wait) * 1000),
		.first_response_avg_ms = (int64_t)(hub_stats_mean(&t->first) * 1000),
		.rated = (int64_t)t->rated,
		.fives = (int64_t)t->fives,
		.claims = (int64_t)t->claims,
	};
	hub_stats_free(&st);
}

static int board_op_order(const void *a, const void *b)
{
	const struct proto_board_op *x = a, *y = b;
	if (x->online != y->online)
		return x->online ? -1 : 1;
	return strcmp(x->user, y->user);
}

/* Fill a board frame; false when the database cannot be read. */
static bool board_build(struct hub *h, int64_t now, struct proto_msg *b)
{
	*b = (struct proto_msg){ .type = PROTO_BOARD,
				 .time = now,
				 .sla_wait_ms = (int64_t)h->cfg.sla_wait_s * 1000,
				 .sla_answer_ms = (int64_t)h->cfg.sla_answer_s * 1000 };
	struct hub_db_operator *ops;
	size_t n;
	if (hub_db_operator_list(h->db, &ops, &n) != HUB_DB_OK)
		return false;
	b->board_ops = xcalloc(n ? n : 1, sizeof *b->board_ops);
	for (size_t i = 0; i < n; i++) {
		if (ops[i].disabled || ops[i].role == PROTO_ROLE_ADMIN)
			continue;
		struct hub_session *s = hub_agent_session(h, ops[i].id);
		struct proto_board_op *o = &b->board_ops[b->n_board_ops++];
		o->user = xstrdup(ops[i].name);
		o->display = ops[i].display ? xstrdup(ops[i].display) : NULL;
		o->role = ops[i].role;
		o->online = s != NULL;
		o->status = s ? s->status : PROTO_ST_AWAY;
		o->capacity = s ? s->capacity : ops[i].capacity < 1 ? 1 : ops[i].capacity > 16 ? 16 : ops[i].capacity;
		int load = hub_router_load(h->router, ops[i].id);
		o->load = load < 0 ? 0 : load > 16 ? 16 : load;
	}
	hub_db_operators_free(ops, n);
	qsort(b->board_ops, b->n_board_ops, sizeof *b->board_ops, board_op_order);
	while (b->n_board_ops > PROTO_MAX_ITEMS) /* the signed-in ones stay: they sort first */
		proto_board_op_free(&b->board_ops[--b->n_board_ops]);
	b->waiting = (int64_t)hub_router_queue_length(h->router);
	b->oldest = hub_router_oldest_since(h->router);
	if (!h->kpi_read_ms || now - h->kpi_read_ms >= KPI_EVERY_MS) {
		read_kpi(h, now, &h->kpi);
		h->kpi_read_ms = now;
	}
	b->kpi = h->kpi;
	return true;
}

static void board_send(struct hub *h, struct hub_session *only, int64_t now)
{
	struct proto_msg b;
	if (!board_build(h, now, &b)) {
		log_error("cannot read the operators for the board: %s", hub_db_errmsg(h->db));
		proto_msg_free(&b);
		return;
	}
	if (only) {
		hub_send(h, only, &b);
	} else {
		for (struct hub_session *s = h->sessions; s; s = s->next)
			if (s->ep == HUB_EP_AGENT && s->authed && s->monitoring && hub_session_supervisor(s))
				hub_send(h, s, &b);
	}
	proto_msg_free(&b);
}

void hub_board_pass(struct hub *h, int64_t now)
{
	if (!h->board_dirty || !h->n_monitors || now < h->board_next_ms)
		return;
	h->board_dirty = false;
	h->board_next_ms = now + BOARD_EVERY_MS;
	board_send(h, NULL, now);
}

/* ---- watching ---- */

static void unwatch(struct hub *h, struct hub_session *s, int64_t dialog)
{
	for (size_t i = 0; i < s->n_watching; i++) {
		if (s->watching[i] == dialog) {
			s->watching[i] = s->watching[--s->n_watching];
			break;
		}
	}
	if (s->n_watching)
		return;
	for (size_t i = 0; i < h->n_watchers; i++) {
		if (h->watchers[i] == s) {
			h->watchers[i] = h->watchers[--h->n_watchers];
			return;
		}
	}
}

void hub_sup_watch(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	if (!m->on) {
		unwatch(h, s, m->dialog);
		return;
	}
	if (!hub_session_watches(s, m->dialog) && s->n_watching >= MAX_WATCHED) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "watch", "at most %d dialogs can be watched at once",
			       MAX_WATCHED);
		return;
	}
	struct proto_dialog d;
	int rc = hub_load_dialog(h, m->dialog, -1, &d, NULL);
	if (rc != HUB_DB_OK) {
		if (rc == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, "watch", "dialog %lld does not exist",
				       (long long)m->dialog);
		else
			hub_send_error(h, s, PROTO_E_INTERNAL, "watch", "the dialog cannot be read; try again later");
		return;
	}
	struct proto_msg out = { .type = PROTO_WATCHING, .dialogs = &d, .n_dialogs = 1 };
	hub_send(h, s, &out);
	hub_dialog_clear(&d);
	if (hub_session_watches(s, m->dialog))
		return;
	if (!s->n_watching) {
		h->watchers = xgrow(h->watchers, &h->cap_watchers, h->n_watchers + 1, sizeof *h->watchers);
		h->watchers[h->n_watchers++] = s;
	}
	s->watching = xgrow(s->watching, &s->cap_watching, s->n_watching + 1, sizeof *s->watching);
	s->watching[s->n_watching++] = m->dialog;
}

/* ---- an operator's dialogs ---- */

/* What a supervisor picks from to watch or take over: the open dialogs of one operator. */
void hub_sup_dialogs(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(h->db, m->operator_name, &o);
	if (rc != HUB_DB_OK) {
		char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_NAME * 4)];
		if (rc == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "dialogs", "there is no operator \"%s\"",
				       textsafe_line(safe, sizeof safe, m->operator_name));
		else
			hub_send_error(h, s, PROTO_E_INTERNAL, "dialogs", "the account database cannot be read");
		return;
	}
	int64_t ids[16];
	size_t n = hub_router_held(h->router, o.id, ids, 16);
	if (n > 16)
		n = 16;
	hub_db_operator_free(&o);
	struct proto_msg out = { .type = PROTO_DIALOG_LIST, .operator_name = m->operator_name };
	out.items = xcalloc(n ? n : 1, sizeof *out.items);
	for (size_t i = 0; i < n; i++) {
		struct hub_db_dialog row;
		if (hub_db_dialog_get(h->db, ids[i], &row) != HUB_DB_OK)
			continue;
		out.items[out.n_items++] = (struct proto_queue_item){
			.dialog = row.d.id,
			.customer = xstrdup(row.d.customer),
			.channel = row.d.channel,
			.queue = xstrdup(row.d.queue),
			.since = row.d.opened,
			.preview = xstrdup(""),
		};
		hub_db_dialog_free(&row);
	}
	hub_send(h, s, &out);
	for (size_t i = 0; i < out.n_items; i++)
		proto_queue_item_free(&out.items[i]);
	free(out.items);
}

/* ---- whisper and takeover ---- */

/* The operator holding an open dialog, or 0 with the error sent. */
static int64_t holder_of(struct hub *h, struct hub_session *s, int64_t dialog, const char *ref)
{
	int64_t op = hub_router_holder(h->router, dialog);
	if (op > 0)
		return op;
	struct hub_db_dialog row;
	int rc = hub_db_dialog_get(h->db, dialog, &row);
	if (rc == HUB_DB_NOT_FOUND)
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld does not exist", (long long)dialog);
	else if (rc != HUB_DB_OK)
		hub_send_error(h, s, PROTO_E_INTERNAL, ref, "the dialog cannot be read; try again later");
	else if (row.d.state == PROTO_DS_CLOSED)
		hub_send_error(h, s, PROTO_E_DIALOG_CLOSED, ref, "dialog %lld is closed", (long long)dialog);
	else
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, ref, "dialog %lld has no operator now (it waits in the queue)",
			       (long long)dialog);
	if (rc == HUB_DB_OK)
		hub_db_dialog_free(&row);
	return 0;
}

void hub_sup_whisper(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	int64_t op = holder_of(h, s, m->dialog, ref);
	if (!op)
		return;
	struct proto_message msg;
	int rc = hub_db_message_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, m->text, m->client_msg_id, now, &msg);
	if (rc == HUB_DB_CONFLICT) {
		hub_send_error(h, s, PROTO_E_CONFLICT, ref, "client_msg_id \"%s\" was already used in another dialog",
			       m->client_msg_id);
		return;
	}
	if (rc != HUB_DB_OK && rc != HUB_DB_EXISTS) {
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the whisper was not stored (database write failed); retry");
		return;
	}
	struct proto_msg ack = { .type = PROTO_ACK, .client_msg_id = msg.client_msg_id, .dialog = msg.dialog,
				 .id = msg.id, .seq = msg.seq, .time = msg.time };
	hub_send(h, s, &ack);
	if (rc == HUB_DB_OK) { /* a retry was delivered the first time */
		log_info("dialog %lld: %s whispers to its operator", (long long)m->dialog, s->user);
		hub_db_audit_add(h->db, now, s->user, "whisper", m->dialog, NULL);
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		struct hub_session *agent = hub_agent_session(h, op);
		if (agent && agent != s)
			hub_send(h, agent, &out);
		hub_watchers(h, m->dialog, &out);
	}
	hub_db_message_clear(&msg);
}

void hub_sup_takeover(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t from = holder_of(h, s, m->dialog, "takeover");
	if (!from)
		return;
	if (from == s->op) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "takeover", "the dialog is already yours");
		return;
	}
	struct hub_decisions d = { 0 };
	enum hub_route_result r = hub_router_transfer_to_operator(h->router, m->dialog, s->op, now, &d);
	if (r == HUB_ROUTE_CAPACITY) {
		hub_send_error(h, s, PROTO_E_CAPACITY, "takeover", "you already have %d chats, your limit",
			       hub_router_load(h->router, s->op));
		hub_decisions_free(&d);
		return;
	}
	if (r != HUB_ROUTE_OK) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "takeover", "set your status to online first");
		hub_decisions_free(&d);
		return;
	}
	char *note = xasprintf(hub_text(h, HT_TAKEN_OVER), hub_session_display(s));
	struct proto_sysargs args = { .name = (char *)hub_session_display(s), .user = s->user };
	if (hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, note, HUB_KIND_TAKEN_OVER, &args, NULL, now,
			       NULL) != HUB_DB_OK)
		log_error("dialog %lld: the takeover note was not stored: %s", (long long)m->dialog, hub_db_errmsg(h->db));
	free(note);
	log_info("dialog %lld: %s takes it over", (long long)m->dialog, s->user);
	hub_db_audit_add(h->db, now, s->user, "takeover", m->dialog, NULL);
	struct hub_session *old = hub_agent_session(h, from);
	if (old) {
		char *reason = xasprintf("taken over by %s", hub_session_display(s));
		struct proto_msg out = { .type = PROTO_RELEASED, .dialog = m->dialog, .reason = reason };
		hub_send(h, old, &out);
		free(reason);
	}
	unwatch(h, s, m->dialog); /* it is the supervisor's own dialog now: its events come as to any holder */
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

void hub_sup_monitor(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (m->on && !s->monitoring) {
		s->monitoring = true;
		h->n_monitors++;
		board_send(h, s, now);
	} else if (!m->on && s->monitoring) {
		s->monitoring = false;
		h->n_monitors--;
	}
}

void hub_supervise_closed(struct hub *h, struct hub_session *s)
{
	if (s->monitoring) {
		s->monitoring = false;
		h->n_monitors--;
	}
	while (s->n_watching)
		unwatch(h, s, s->watching[0]);
}

/* hub_board.c: the supervisors' board (docs/protocol.md, "Supervisors"): what it is made of as events pass (each
 * operator's state since, the open chats' customers and unanswered times, the trend of the last hour, the
 * accounts and today's figures read at most every 10 s) and how it goes out: whole, or as deltas of the
 * operators changed since a session's last board (each change sets the operator's rev in the router; a
 * session remembers the rev of its last board), at most once a second while something changed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/hub_stats.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define BOARD_EVERY_MS 1000   /* at most one board a second to each supervisor */
#define KPI_EVERY_MS 10000    /* the accounts and today's figures are read from the database at most this often */
#define MINUTE_MS 60000
#define TREND_N (sizeof ((struct hub *)0)->trend / sizeof *((struct hub *)0)->trend)
#define MAX_CHATS 16          /* held chats a board operator lists */

int64_t hub_local_midnight(int64_t now)
{
	time_t t = (time_t)(now / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* ---- open chats: a table by dialog id (open addressing, linear probing) ---- */

static size_t chat_slot(int64_t dialog, size_t cap)
{
	return (size_t)(((uint64_t)dialog * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

struct hub_chat *hub_chat_find(struct hub *h, int64_t dialog)
{
	if (!h->cap_chats || dialog <= 0)
		return NULL;
	for (size_t i = chat_slot(dialog, h->cap_chats);; i = (i + 1) & (h->cap_chats - 1)) {
		if (h->chats[i].dialog == dialog)
			return &h->chats[i];
		if (!h->chats[i].dialog)
			return NULL;
	}
}

static struct hub_chat *chat_put(struct hub *h, int64_t dialog)
{
	struct hub_chat *c = hub_chat_find(h, dialog);
	if (c)
		return c;
	if ((h->n_chats + 1) * 2 > h->cap_chats) { /* at most half full */
		struct hub_chat *old = h->chats;
		size_t old_cap = h->cap_chats;
		h->cap_chats = old_cap ? old_cap * 2 : 64;
		h->chats = xcalloc(h->cap_chats, sizeof *h->chats);
		for (size_t i = 0; i < old_cap; i++) {
			if (!old[i].dialog)
				continue;
			size_t k = chat_slot(old[i].dialog, h->cap_chats);
			while (h->chats[k].dialog)
				k = (k + 1) & (h->cap_chats - 1);
			h->chats[k] = old[i];
		}
		free(old);
	}
	size_t k = chat_slot(dialog, h->cap_chats);
	while (h->chats[k].dialog)
		k = (k + 1) & (h->cap_chats - 1);
	h->chats[k] = (struct hub_chat){ .dialog = dialog };
	h->n_chats++;
	return &h->chats[k];
}

void hub_chat_closed(struct hub *h, int64_t dialog)
{
	struct hub_chat *c = hub_chat_find(h, dialog);
	if (!c)
		return;
	free(c->customer);
	size_t i = (size_t)(c - h->chats), mask = h->cap_chats - 1;
	h->chats[i].dialog = 0;
	h->n_chats--;
	/* close the gap: move back the entries that probed past it */
	for (size_t j = (i + 1) & mask; h->chats[j].dialog; j = (j + 1) & mask) {
		size_t home = chat_slot(h->chats[j].dialog, h->cap_chats);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			h->chats[i] = h->chats[j];
			h->chats[j].dialog = 0;
			i = j;
		}
	}
}

void hub_chat_opened(struct hub *h, int64_t dialog, const char *customer, int64_t at)
{
	struct hub_chat *c = chat_put(h, dialog);
	free(c->customer);
	c->customer = xstrdup(customer && *customer ? customer : "?");
	c->unanswered = at;
	hub_alerts_due_at(h, at + (int64_t)h->cfg.sla_wait_s * 1000);
}

void hub_chat_customer_said(struct hub *h, int64_t dialog, int64_t at)
{
	struct hub_chat *c = hub_chat_find(h, dialog);
	if (!c || c->unanswered)
		return;
	c->unanswered = at;
	c->answer_alerted = false;
	int64_t op = hub_router_holder(h->router, dialog);
	if (op) { /* (the board only: its deadline is known here, no alert scan is needed) */
		hub_router_touch(h->router, op);
		h->board_dirty = true;
		hub_alerts_due_at(h, at + (int64_t)h->cfg.sla_answer_s * 1000);
	}
}

void hub_chat_answered(struct hub *h, int64_t dialog)
{
	struct hub_chat *c = hub_chat_find(h, dialog);
	if (!c || !c->unanswered)
		return;
	c->unanswered = 0;
	c->answer_alerted = false;
	int64_t op = hub_router_holder(h->router, dialog);
	if (op) { /* (a deadline passed over is dropped by the scan it wakes) */
		hub_router_touch(h->router, op);
		h->board_dirty = true;
	}
}

static int restore_unanswered(void *arg, int64_t dialog, int64_t since)
{
	struct hub_chat *c = hub_chat_find(arg, dialog);
	if (c)
		c->unanswered = since;
	return 0;
}

void hub_board_restore(struct hub *h, int64_t now)
{
	(void)now;
	for (int st = PROTO_DS_QUEUED; st <= PROTO_DS_ASSIGNED; st++) {
		struct hub_db_dialog *v;
		size_t n;
		if (hub_db_dialogs_by_state(h->db, (enum proto_dstate)st, &v, &n) != HUB_DB_OK)
			continue;
		for (size_t i = 0; i < n; i++) {
			hub_chat_opened(h, v[i].d.id, v[i].d.customer, 0);
		}
		hub_db_dialogs_free(v, n);
	}
	if (hub_db_open_unanswered(h->db, restore_unanswered, h) != HUB_DB_OK)
		log_error("cannot read the open chats' unanswered messages: %s", hub_db_errmsg(h->db));
	h->alerts_rescan = true;
}

/* ---- operators ---- */

static struct hub_opstate *opst(struct hub *h, int64_t op)
{
	if (op <= 0 || op >= (int64_t)1 << 31)
		return NULL;
	if ((size_t)op >= h->cap_opst) {
		size_t cap = h->cap_opst ? h->cap_opst : 64;
		while (cap <= (size_t)op)
			cap *= 2;
		h->opst = xrealloc(h->opst, cap * sizeof *h->opst);
		memset(h->opst + h->cap_opst, 0, (cap - h->cap_opst) * sizeof *h->opst);
		h->cap_opst = cap;
	}
	return &h->opst[op];
}

static bool account_shown(const struct hub_db_operator *a)
{
	return !a->disabled && a->role != PROTO_ROLE_ADMIN;
}

const char *hub_op_user(struct hub *h, int64_t op)
{
	struct hub_session *s = hub_agent_session(h, op);
	if (s)
		return s->user;
	struct hub_opstate *o = op > 0 && (size_t)op < h->cap_opst ? &h->opst[op] : NULL;
	return o && o->acct ? h->accounts[o->acct - 1].name : "?";
}

static void gone_add(struct hub *h, const char *user)
{
	uint64_t rev = hub_router_touch(h->router, 0);
	for (size_t i = 0; i < h->n_gone; i++)
		if (strcmp(h->gone[i].user, user) == 0) {
			h->gone[i].rev = rev;
			return;
		}
	h->gone = xgrow(h->gone, &h->cap_gone, h->n_gone + 1, sizeof *h->gone);
	h->gone[h->n_gone++] = (struct hub_gone){ xstrdup(user), rev };
}

static void gone_forget(struct hub *h, const char *user)
{
	for (size_t i = 0; i < h->n_gone; i++)
		if (strcmp(h->gone[i].user, user) == 0) {
			free(h->gone[i].user);
			h->gone[i] = h->gone[--h->n_gone];
			return;
		}
}

/* The gone entries every delta session has been told of are dropped. */
static void gone_prune(struct hub *h)
{
	uint64_t min = UINT64_MAX;
	for (struct hub_session *s = h->sessions; s; s = s->next)
		if (s->monitoring && s->board_delta && s->board_rev < min)
			min = s->board_rev;
	for (size_t i = 0; i < h->n_gone;) {
		if (h->gone[i].rev <= min) {
			free(h->gone[i].user);
			h->gone[i] = h->gone[--h->n_gone];
		} else {
			i++;
		}
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Read the accounts again: a new one, a changed one (display, role, capacity) and one back on the board are
 * marked changed; one no longer shown (disabled, deleted, made an admin) is gone. */
static void accounts_read(struct hub *h)
{
	struct hub_db_operator *v;
	size_t n;
	if (hub_db_operator_list(h->db, &v, &n) != HUB_DB_OK) {
		log_error("cannot read the operators for the board: %s", hub_db_errmsg(h->db));
		return;
	}
	for (size_t i = 0; i < h->n_accounts; i++) /* forget the old indexes */
		if (opst(h, h->accounts[i].id))
			opst(h, h->accounts[i].id)->acct = 0;
	size_t i = 0, k = 0; /* both lists are ordered by name */
	while (i < h->n_accounts || k < n) {
		int c = i == h->n_accounts ? 1 : k == n ? -1 : strcmp(h->accounts[i].name, v[k].name);
		const struct hub_db_operator *was = c <= 0 ? &h->accounts[i] : NULL, *is = c >= 0 ? &v[k] : NULL;
		bool shown_was = was && account_shown(was), shown_is = is && account_shown(is);
		if (shown_was && !shown_is) {
			gone_add(h, was->name);
			if (was->id != (is ? is->id : 0))
				hub_router_touch(h->router, was->id);
		} else if (shown_is && (!shown_was || !same_str(was->display, is->display) || was->role != is->role ||
					 was->capacity != is->capacity || was->id != is->id)) {
			if (hub_router_load(h->router, is->id) < 0) /* an account made since the start */
				hub_router_operator(h->router, is->id, h->cfg.capacity > 0 ? h->cfg.capacity : is->capacity,
						    is->role == PROTO_ROLE_OPERATOR);
			gone_forget(h, is->name);
			hub_router_touch(h->router, is->id);
		}
		i += c <= 0;
		k += c >= 0;
	}
	hub_db_operators_free(h->accounts, h->n_accounts);
	h->accounts = v;
	h->n_accounts = n;
	for (size_t j = 0; j < n; j++)
		if (account_shown(&v[j]) && opst(h, v[j].id))
			opst(h, v[j].id)->acct = j + 1;
}

void hub_op_state_began(struct hub *h, int64_t op, int64_t now)
{
	h->avail_dirty = true; /* the web chat may have found (or lost) its last operator */
	struct hub_opstate *o = opst(h, op);
	if (!o)
		return;
	o->since = now;
	if (!o->acct) /* signed in before the board read its account: read them now */
		h->accounts_read_ms = 0;
	hub_router_touch(h->router, op);
	hub_board_changed(h);
}

/* Today's figures, over the dialogs opened since local midnight, from the report's code (hub_stats) so that
 * the board and `opdesk-hub report --since TODAY` always agree: the total, and each operator's. */
static void kpi_read(struct hub *h, int64_t now)
{
	struct hub_stats st;
	char *cause = NULL;
	if (hub_stats_read(h->db, hub_local_midnight(now), now + 1, HUB_STATS_OPERATOR_USER, &st, &cause) != 0) {
		log_error("cannot read today's figures: %s", cause);
		free(cause);
		return;
	}
	struct hub_stats_group *t = &st.total;
	struct proto_kpi *k = &h->kpi;
	*k = (struct proto_kpi){
		.opened = (int64_t)t->dialogs,
		.closed = (int64_t)t->closed,
		.wait_avg_ms = (int64_t)(hub_stats_mean(&t->wait) * 1000),
		.first_response_avg_ms = (int64_t)(hub_stats_mean(&t->first) * 1000),
		.rated = (int64_t)t->rated,
		.fives = (int64_t)t->fives,
		.claims = (int64_t)t->claims,
		.wait_p90_ms = (int64_t)(hub_stats_quantile(&t->wait, 0.9) * 1000),
		.assigned = (int64_t)t->wait.n,
		.in_sla = (int64_t)hub_stats_within(&t->wait, (double)h->cfg.sla_wait_s),
		.score_sum = (int64_t)t->score_sum,
		.abandoned = (int64_t)t->abandoned,
	};
	for (int c = 0; c < PROTO_CLAIM_COUNT; c++)
		k->claims_by[c] = (int64_t)t->claims_by[c];
	/* each operator's: the groups and the accounts are both in name order */
	size_t g = 0;
	for (size_t i = 0; i < h->n_accounts; i++) {
		const struct hub_db_operator *a = &h->accounts[i];
		while (g < st.n && strcmp(st.groups[g].key, a->name) < 0)
			g++;
		const struct hub_stats_group *x = g < st.n && strcmp(st.groups[g].key, a->name) == 0 ? &st.groups[g] : NULL;
		struct hub_opstate *o = opst(h, a->id);
		if (!o)
			continue;
		int64_t closed = x ? (int64_t)x->closed : 0, first = x ? (int64_t)(hub_stats_mean(&x->first) * 1000) : 0,
			rated = x ? (int64_t)x->rated : 0, fives = x ? (int64_t)x->fives : 0;
		if (o->closed != closed || o->first_avg_ms != first || o->rated != rated || o->fives != fives) {
			o->closed = closed;
			o->first_avg_ms = first;
			o->rated = rated;
			o->fives = fives;
			hub_router_touch(h->router, a->id);
		}
	}
	hub_stats_free(&st);
}

/* ---- the trend: a sample a minute of the last hour ---- */

static void trend_push(struct hub *h, int64_t minute, int64_t waiting, int64_t wait_ms)
{
	if (h->n_trend == TREND_N)
		memmove(h->trend, h->trend + 1, (TREND_N - 1) * sizeof *h->trend);
	else
		h->n_trend++;
	h->trend[h->n_trend - 1] = (struct proto_trend){ .time = minute, .waiting = waiting, .wait_ms = wait_ms };
}

/* Between two looks the queue did not change (every change looks): the minutes passed in between saw the
 * queue as the last look left it. */
void hub_trend_touch(struct hub *h, int64_t now)
{
	int64_t minute = now - now % MINUTE_MS;
	int64_t waiting = (int64_t)hub_router_queue_length(h->router), oldest = hub_router_oldest_since(h->router);
	int64_t was_waiting = h->trend_waiting, was_oldest = h->trend_oldest;
	bool changed = false;
	struct proto_trend *last = h->n_trend ? &h->trend[h->n_trend - 1] : NULL;
	if (last && last->time < minute) {
		int64_t end = last->time + MINUTE_MS; /* the last sample's minute saw the wait grow until its end */
		if (was_oldest && end - was_oldest > last->wait_ms)
			last->wait_ms = end - was_oldest;
		int64_t m = end;
		if (minute - m > (int64_t)TREND_N * MINUTE_MS)
			m = minute - (int64_t)TREND_N * MINUTE_MS;
		for (; m < minute; m += MINUTE_MS)
			trend_push(h, m, was_waiting, was_oldest ? m + MINUTE_MS - was_oldest : 0);
		last = NULL;
	}
	if (!last) {
		trend_push(h, minute, 0, 0);
		last = &h->trend[h->n_trend - 1];
		changed = true;
	}
	int64_t w = waiting > was_waiting ? waiting : was_waiting;
	int64_t wait = was_oldest ? now - was_oldest : 0;
	if (oldest && now - oldest > wait)
		wait = now - oldest;
	if (w > last->waiting) {
		last->waiting = w;
		changed = true;
	}
	if (wait > last->wait_ms) {
		last->wait_ms = wait;
		changed = true;
	}
	h->trend_waiting = waiting;
	h->trend_oldest = oldest;
	if (changed)
		h->trend_rev = hub_router_touch(h->router, 0);
}

/* ---- building and sending ---- */

static int row_order(const void *a, const void *b)
{
	const struct proto_board_op *x = a, *y = b;
	if (x->online != y->online)
		return x->online ? -1 : 1;
	return strcmp(x->user, y->user);
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* What every board of this pass shares, and every operator's row (strings borrowed from the accounts and the
 * chat table; the chats only of the rows some board will carry). */
struct board_build {
	struct proto_msg common;          /* time, waiting, oldest, sla, today, queues */
	struct proto_board_op *rows;
	uint64_t *revs;                   /* each row's rev */
	size_t n_rows;
	struct hub_router_queue_stat *qs;
	size_t n_qs;
	uint64_t rev;                     /* the router's rev the boards of this pass are as of */
};

static void build_rows(struct hub *h, struct board_build *bb, uint64_t chats_after)
{
	bb->rows = xcalloc(h->n_accounts ? h->n_accounts : 1, sizeof *bb->rows);
	for (size_t i = 0; i < h->n_accounts; i++) {
		const struct hub_db_operator *a = &h->accounts[i];
		if (!account_shown(a))
			continue;
		struct hub_session *s = hub_agent_session(h, a->id);
		struct hub_router_op_info ri = { 0 };
		hub_router_op_info(h->router, a->id, &ri);
		struct hub_opstate *o = opst(h, a->id);
		struct proto_board_op *r = &bb->rows[bb->n_rows++];
		*r = (struct proto_board_op){
			.user = a->name,
			.display = a->display && *a->display ? a->display : NULL,
			.role = a->role,
			.online = s != NULL,
			.status = s ? s->status : PROTO_ST_AWAY,
			.capacity = clamp(s ? s->capacity : a->capacity, 1, 16),
			.load = clamp(ri.load, 0, 16),
			.since = o ? o->since : 0,
			.closed = o ? o->closed : 0,
			.first_response_avg_ms = o ? o->first_avg_ms : 0,
			.rated = o ? o->rated : 0,
			.fives = o ? o->fives : 0,
		};
	}
	qsort(bb->rows, bb->n_rows, sizeof *bb->rows, row_order);
	bb->revs = xcalloc(bb->n_rows ? bb->n_rows : 1, sizeof *bb->revs);
	bool any = false;
	for (size_t i = 0; i < bb->n_rows; i++) {
		int64_t id = 0;
		/* the row's operator id: its account (the accounts are in name order) */
		size_t lo = 0, hi = h->n_accounts;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			int c = strcmp(h->accounts[mid].name, bb->rows[i].user);
			if (c == 0) {
				id = h->accounts[mid].id;
				break;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		bb->revs[i] = hub_router_op_rev(h->router, id);
		struct hub_opstate *o = opst(h, id);
		if (o)
			o->row = bb->revs[i] > chats_after && bb->rows[i].load > 0 ? i + 1 : 0;
		any = any || (o && o->row);
	}
	/* the held chats of the rows that need them: one pass over the router's */
	size_t n_held = hub_router_n_held(h->router);
	for (size_t i = 0; any && i < n_held; i++) {
		int64_t dialog, op;
		const char *queue;
		hub_router_held_at(h->router, i, &dialog, &op, &queue);
		struct hub_opstate *o = op > 0 && (size_t)op < h->cap_opst ? &h->opst[op] : NULL;
		if (!o || !o->row)
			continue;
		struct proto_board_op *r = &bb->rows[o->row - 1];
		if (r->n_chats >= MAX_CHATS)
			continue;
		if (!r->chats)
			r->chats = xcalloc(MAX_CHATS, sizeof *r->chats);
		struct hub_chat *c = hub_chat_find(h, dialog);
		r->chats[r->n_chats++] = (struct proto_board_chat){
			.dialog = dialog,
			.customer = c && c->customer ? c->customer : (char *)"?",
			.queue = (char *)(queue && strlen(queue) <= PROTO_MAX_NAME ? queue : "general"),
			.unanswered = c ? c->unanswered : 0,
		};
	}
	for (size_t i = 0; i < h->n_accounts; i++) {
		struct hub_opstate *o = opst(h, h->accounts[i].id);
		if (o)
			o->row = 0;
	}
}

static void build_common(struct hub *h, struct board_build *bb, int64_t now)
{
	struct proto_msg *b = &bb->common;
	*b = (struct proto_msg){ .type = PROTO_BOARD,
				 .time = now,
				 .sla_wait_ms = (int64_t)h->cfg.sla_wait_s * 1000,
				 .sla_answer_ms = (int64_t)h->cfg.sla_answer_s * 1000 };
	b->waiting = (int64_t)hub_router_queue_length(h->router);
	b->oldest = hub_router_oldest_since(h->router);
	b->kpi = h->kpi;
	bb->n_qs = hub_router_queue_stats(h->router, &bb->qs);
	b->board_queues = xcalloc(bb->n_qs ? bb->n_qs : 1, sizeof *b->board_queues);
	for (size_t i = 0; i < bb->n_qs && b->n_board_queues < PROTO_MAX_ITEMS; i++) {
		if (strlen(bb->qs[i].queue) > PROTO_MAX_NAME)
			continue;
		b->board_queues[b->n_board_queues++] = (struct proto_board_queue){
			.queue = bb->qs[i].queue,
			.waiting = bb->qs[i].waiting,
			.oldest = bb->qs[i].oldest,
			.online = bb->qs[i].online,
			.free = bb->qs[i].free,
		};
	}
}

static void build_free(struct board_build *bb)
{
	for (size_t i = 0; i < bb->n_rows; i++)
		free(bb->rows[i].chats);
	free(bb->rows);
	free(bb->revs);
	free(bb->common.board_queues);
	hub_router_queue_stats_free(bb->qs, bb->n_qs);
}

/* A board of many operators goes out BOARD_CHUNK rows a loop pass (the first frame, then delta frames with the
 * rest, one a pass): encoding 1,000 operators at once stalled every message of that pass by tens of ms. */
#define BOARD_CHUNK 100

static void rest_free(struct hub *h, struct hub_session *s)
{
	if (!s->board_rest)
		return;
	for (size_t i = s->board_rest_at; i < s->n_board_rest; i++)
		proto_board_op_free(&s->board_rest[i]);
	free(s->board_rest);
	s->board_rest = NULL;
	s->n_board_rest = s->board_rest_at = 0;
	h->n_board_rests--;
}

/* Keep rows [at, n) of pick for the next passes (deep copies: the hub's strings they point to may go). */
static void rest_keep(struct hub *h, struct hub_session *s, const struct proto_board_op *pick, size_t at, size_t n)
{
	s->board_rest = xcalloc(n - at, sizeof *s->board_rest);
	for (size_t i = at; i < n; i++)
		proto_board_op_copy(&s->board_rest[i - at], &pick[i]);
	s->n_board_rest = n - at;
	s->board_rest_at = 0;
	h->n_board_rests++;
	if (h->srv)
		hub_server_wake(h->srv); /* another pass soon, even if nothing else happens */
}

/* The boards of one session: whole (its first after monitor, or always without delta: at most PROTO_MAX_ITEMS
 * operators, the signed-in first), or the operators changed since its last, the gone ones, and the trend when
 * it changed. With delta, a frame holds BOARD_CHUNK operators and the rest follow in delta frames, one a loop
 * pass (hub_board_rest_pass). */
static void board_to(struct hub *h, struct hub_session *s, const struct board_build *bb, bool whole)
{
	rest_free(h, s); /* a whole board (monitor again) replaces what was left of the last */
	struct proto_msg b = bb->common;
	struct proto_board_op *pick = NULL;
	size_t n_pick = 0;
	if (whole) {
		pick = bb->rows;
		n_pick = bb->n_rows;
		b.trend = (struct proto_trend *)h->trend;
		b.n_trend = h->n_trend;
	} else {
		pick = xcalloc(bb->n_rows ? bb->n_rows : 1, sizeof *pick);
		for (size_t i = 0; i < bb->n_rows; i++)
			if (bb->revs[i] > s->board_rev)
				pick[n_pick++] = bb->rows[i];
		b.delta = true;
		if (h->trend_rev > s->board_rev) {
			b.trend = (struct proto_trend *)h->trend;
			b.n_trend = h->n_trend;
		}
	}
	struct proto_person *gone = NULL;
	size_t n_gone = 0;
	if (!whole && h->n_gone) {
		gone = xcalloc(h->n_gone, sizeof *gone);
		for (size_t i = 0; i < h->n_gone; i++)
			if (h->gone[i].rev > s->board_rev)
				gone[n_gone++].user = h->gone[i].user;
	}
	size_t frame = s->board_delta ? BOARD_CHUNK : PROTO_MAX_ITEMS;
	b.board_ops = pick;
	b.n_board_ops = n_pick < frame ? n_pick : frame;
	size_t g = 0;
	do { /* the gone ones all in the first frames (a name each: small) */
		size_t ng = n_gone - g < PROTO_MAX_ITEMS ? n_gone - g : PROTO_MAX_ITEMS;
		b.people = gone ? gone + g : NULL;
		b.n_people = ng;
		hub_send(h, s, &b);
		g += ng;
		b.delta = true;
		b.trend = NULL;
		b.n_trend = 0;
		b.n_board_ops = 0;
	} while (g < n_gone);
	if (s->board_delta && n_pick > frame)
		rest_keep(h, s, pick, frame, n_pick); /* without delta a whole board holds the first 500 only */
	s->board_rev = bb->rev;
	if (!whole)
		free(pick);
	free(gone);
}

void hub_board_rest_pass(struct hub *h, int64_t now)
{
	if (!h->n_board_rests)
		return;
	struct board_build bb = { 0 };
	build_common(h, &bb, now); /* waiting, oldest, today and the queues are whole in every board: as they are now */
	struct proto_msg b = bb.common;
	b.delta = true;
	for (struct hub_session *s = h->sessions; s && h->n_board_rests; s = s->next) {
		if (!s->board_rest)
			continue;
		size_t left = s->n_board_rest - s->board_rest_at;
		b.board_ops = s->board_rest + s->board_rest_at;
		b.n_board_ops = left < BOARD_CHUNK ? left : BOARD_CHUNK;
		hub_send(h, s, &b);
		for (size_t i = 0; i < b.n_board_ops; i++)
			proto_board_op_free(&s->board_rest[s->board_rest_at + i]);
		s->board_rest_at += b.n_board_ops;
		if (s->board_rest_at == s->n_board_rest)
			rest_free(h, s);
	}
	build_free(&bb);
	if (h->n_board_rests && h->srv)
		hub_server_wake(h->srv);
	else if (!h->n_board_rests && h->board_dirty)
		hub_timer_rearm(h); /* the board that waited for this one to go out */
}

void hub_board_session_closed(struct hub *h, struct hub_session *s)
{
	rest_free(h, s);
}

/* Send the boards due: to `only` (its first, whole), or to every monitoring supervisor. */
static void board_send(struct hub *h, struct hub_session *only, int64_t now)
{
	if (!h->accounts_read_ms || now - h->accounts_read_ms >= KPI_EVERY_MS) {
		accounts_read(h);
		kpi_read(h, now);
		h->accounts_read_ms = now;
		h->kpi_stale = false;
	}
	hub_trend_touch(h, now);
	struct board_build bb = { 0 };
	bb.rev = hub_router_rev(h->router);
	/* the chats only of the rows some board carries: all for a whole board, else the changed ones */
	uint64_t chats_after = UINT64_MAX;
	for (struct hub_session *s = h->sessions; s; s = s->next) {
		if (only ? s != only : !(s->ep == HUB_EP_AGENT && s->authed && s->monitoring && hub_session_supervisor(s)))
			continue;
		uint64_t after = only || !s->board_delta ? 0 : s->board_rev;
		if (after < chats_after)
			chats_after = after;
	}
	if (chats_after == UINT64_MAX)
		return;
	build_rows(h, &bb, chats_after);
	build_common(h, &bb, now);
	for (struct hub_session *s = h->sessions; s; s = s->next) {
		if (only ? s != only : !(s->ep == HUB_EP_AGENT && s->authed && s->monitoring && hub_session_supervisor(s)))
			continue;
		if (!only && s->board_rest) {
			h->board_dirty = true; /* its last board is still going out: this one after it */
			continue;
		}
		board_to(h, s, &bb, only != NULL || !s->board_delta);
	}
	build_free(&bb);
	gone_prune(h);
}

void hub_board_first(struct hub *h, struct hub_session *s, int64_t now)
{
	board_send(h, s, now);
}

void hub_board_pass(struct hub *h, int64_t now)
{
	if (!h->board_dirty || !h->n_monitors || now < h->board_next_ms)
		return;
	h->board_dirty = false;
	h->board_next_ms = now + BOARD_EVERY_MS;
	board_send(h, NULL, now);
	if (h->kpi_stale) { /* today's figures changed after they were read: one more board when they may be */
		h->board_dirty = true;
		if (h->accounts_read_ms + KPI_EVERY_MS > h->board_next_ms)
			h->board_next_ms = h->accounts_read_ms + KPI_EVERY_MS;
	}
}

void hub_board_free(struct hub *h)
{
	for (size_t i = 0; i < h->cap_chats; i++)
		if (h->chats[i].dialog)
			free(h->chats[i].customer);
	free(h->chats);
	free(h->opst);
	hub_db_operators_free(h->accounts, h->n_accounts);
	for (size_t i = 0; i < h->n_gone; i++)
		free(h->gone[i].user);
	free(h->gone);
}

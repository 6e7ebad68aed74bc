/* board.c: the supervisor's board model (see board.h): whole and delta boards folded into one sorted list of
 * operators, the alerts kept newest first without repeats, and the rows a view asks for. */
#include "opdesk/board.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/textmatch.h"
#include "opdesk/xalloc.h"

void board_init(struct board *b)
{
	memset(b, 0, sizeof *b);
	b->sla_wait_ms = BOARD_SLA_WAIT_MS;
	b->sla_answer_ms = BOARD_SLA_ANSWER_MS;
}

static void board_clear_figures(struct board *b)
{
	for (size_t i = 0; i < b->n_ops; i++)
		proto_board_op_free(&b->ops[i]);
	b->n_ops = 0;
	for (size_t i = 0; i < b->n_queues; i++)
		free(b->queues[i].queue);
	free(b->queues);
	b->queues = NULL;
	b->n_queues = 0;
	b->n_trend = 0;
	b->known = false;
}

void board_free(struct board *b)
{
	board_clear_figures(b);
	free(b->ops);
	for (size_t i = 0; i < b->n_alerts; i++)
		free(b->alerts[i]);
	free(b->alerts);
	memset(b, 0, sizeof *b);
}

/* Where `user` is, or would go, in the sorted list. */
static size_t board_pos(const struct board *b, const char *user, bool *found)
{
	size_t lo = 0, hi = b->n_ops;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->ops[mid].user, user);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

const struct proto_board_op *board_op_find(const struct board *b, const char *user)
{
	bool found;
	size_t i = board_pos(b, user, &found);
	return found ? &b->ops[i] : NULL;
}

static void board_upsert(struct board *b, const struct proto_board_op *o)
{
	bool found;
	size_t i = board_pos(b, o->user, &found);
	if (found) {
		proto_board_op_free(&b->ops[i]);
	} else {
		b->ops = xgrow(b->ops, &b->cap_ops, b->n_ops + 1, sizeof *b->ops);
		if (b->n_ops > i)
			memmove(&b->ops[i + 1], &b->ops[i], (b->n_ops - i) * sizeof *b->ops);
		b->n_ops++;
	}
	proto_board_op_copy(&b->ops[i], o);
}

static void board_remove(struct board *b, const char *user)
{
	bool found;
	size_t i = board_pos(b, user, &found);
	if (!found)
		return;
	proto_board_op_free(&b->ops[i]);
	memmove(&b->ops[i], &b->ops[i + 1], (b->n_ops - i - 1) * sizeof *b->ops);
	b->n_ops--;
}

static unsigned board_apply_board(struct board *b, const struct proto_msg *m)
{
	if (!m->delta) {
		board_clear_figures(b);
		b->known = true;
	} else {
		b->deltas++;
	}
	b->time = m->time;
	b->waiting = m->waiting;
	b->oldest = m->oldest;
	b->today = m->kpi;
	if (m->sla_wait_ms)
		b->sla_wait_ms = m->sla_wait_ms;
	if (m->sla_answer_ms)
		b->sla_answer_ms = m->sla_answer_ms;
	for (size_t i = 0; i < m->n_people; i++)
		board_remove(b, m->people[i].user);
	for (size_t i = 0; i < m->n_board_ops; i++)
		board_upsert(b, &m->board_ops[i]);
	/* queues are whole in every board; a board without them (an older hub) has none */
	for (size_t i = 0; i < b->n_queues; i++)
		free(b->queues[i].queue);
	free(b->queues);
	b->n_queues = m->n_board_queues;
	b->queues = b->n_queues ? xcalloc(b->n_queues, sizeof *b->queues) : NULL;
	for (size_t i = 0; i < b->n_queues; i++) {
		b->queues[i] = m->board_queues[i];
		b->queues[i].queue = xstrdup(m->board_queues[i].queue);
	}
	/* the trend: whole when present; a delta board without it leaves it as it was */
	if (m->n_trend || !m->delta) {
		size_t n = m->n_trend > BOARD_TREND_MAX ? BOARD_TREND_MAX : m->n_trend;
		if (n)
			memcpy(b->trend, m->trend + (m->n_trend - n), n * sizeof *b->trend);
		b->n_trend = n;
	}
	return BOARD_CH_FIGURES;
}

static size_t opt_len(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static const char *opt_put(char **at, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	memcpy(*at, s, n);
	const char *r = *at;
	*at += n;
	return r;
}

static unsigned board_apply_alert(struct board *b, const struct proto_msg *m)
{
	for (size_t i = 0; i < b->n_alerts; i++)
		if (b->alerts[i]->id == m->id)
			return 0; /* seen: a reconnect sends the day's last alerts again */
	size_t len = opt_len(m->kind) + opt_len(m->operator_name) + opt_len(m->customer) + opt_len(m->queue) +
	             opt_len(m->comment) + opt_len(m->alert_category);
	struct board_alert *a = xcalloc(1, sizeof *a + len);
	a->id = m->id;
	a->time = m->time;
	a->dialog = m->dialog;
	a->since = m->since;
	a->waiting = m->waiting;
	a->score = m->score;
	char *at = a->strings;
	a->kind = opt_put(&at, m->kind);
	a->operator_name = opt_put(&at, m->operator_name);
	a->customer = opt_put(&at, m->customer);
	a->queue = opt_put(&at, m->queue);
	a->comment = opt_put(&at, m->comment);
	a->category = opt_put(&at, m->alert_category);
	/* newest first: by time, then id (the day's last alerts come oldest first after a reconnect) */
	size_t pos = 0;
	while (pos < b->n_alerts && (b->alerts[pos]->time > a->time ||
	                             (b->alerts[pos]->time == a->time && b->alerts[pos]->id > a->id)))
		pos++;
	if (pos >= BOARD_ALERTS_MAX) {
		free(a);
		return 0;
	}
	if (b->n_alerts == BOARD_ALERTS_MAX)
		free(b->alerts[--b->n_alerts]);
	if (!b->alerts)
		b->alerts = xcalloc(BOARD_ALERTS_MAX, sizeof *b->alerts);
	memmove(&b->alerts[pos + 1], &b->alerts[pos], (b->n_alerts - pos) * sizeof *b->alerts);
	b->alerts[pos] = a;
	b->n_alerts++;
	bool newer = m->id > b->newest_alert;
	if (newer)
		b->newest_alert = m->id;
	return newer ? BOARD_CH_ALERT : BOARD_CH_FIGURES;
}

unsigned board_apply(struct board *b, const struct proto_msg *m)
{
	if (m->type == PROTO_BOARD)
		return board_apply_board(b, m);
	if (m->type == PROTO_ALERT)
		return board_apply_alert(b, m);
	return 0;
}

int64_t board_op_unanswered(const struct proto_board_op *o)
{
	int64_t oldest = 0;
	for (size_t i = 0; i < o->n_chats; i++)
		if (o->chats[i].unanswered && (!oldest || o->chats[i].unanswered < oldest))
			oldest = o->chats[i].unanswered;
	return oldest;
}

static bool board_op_matches(const struct proto_board_op *o, const wchar_t *q, size_t qn)
{
	if (search_text(o->user, q, qn) || (o->display && search_text(o->display, q, qn)))
		return true;
	for (size_t i = 0; i < o->n_chats; i++)
		if (search_text(o->chats[i].queue, q, qn))
			return true;
	return false;
}

struct board_sorting {
	const struct board *b;
	enum board_sort by;
};

/* Signed-in before signed-out, always: a supervisor looks for who is working. */
static int board_cmp(const void *pa, const void *pb, void *arg)
{
	const struct board_sorting *so = arg;
	const struct proto_board_op *x = &so->b->ops[*(const size_t *)pa], *y = &so->b->ops[*(const size_t *)pb];
	if (x->online != y->online)
		return x->online ? -1 : 1;
	switch (so->by) {
	case BOARD_SORT_LOAD: { /* the fullest first: load against capacity, then load */
		long lx = (long)x->load * y->capacity, ly = (long)y->load * x->capacity;
		if (lx != ly)
			return lx > ly ? -1 : 1;
		if (x->load != y->load)
			return x->load > y->load ? -1 : 1;
		break;
	}
	case BOARD_SORT_UNANSWERED: { /* the longest unanswered customer first; nobody unanswered last */
		int64_t ux = board_op_unanswered(x), uy = board_op_unanswered(y);
		if (ux != uy) {
			if (!ux || !uy)
				return ux ? -1 : 1;
			return ux < uy ? -1 : 1;
		}
		break;
	}
	default:
		break;
	}
	return strcmp(x->user, y->user);
}

size_t board_rows(const struct board *b, enum board_sort sort, const char *filter, size_t *out)
{
	wchar_t q[64];
	size_t qn = filter && *filter ? search_query(filter, q, sizeof q / sizeof *q) : 0;
	size_t n = 0;
	for (size_t i = 0; i < b->n_ops; i++)
		if (!qn || board_op_matches(&b->ops[i], q, qn))
			out[n++] = i;
	struct board_sorting so = { b, sort };
	qsort_r(out, n, sizeof *out, board_cmp, &so);
	return n;
}

int board_service_level(const struct proto_kpi *k)
{
	return k->assigned > 0 ? (int)((k->in_sla * 100 + k->assigned / 2) / k->assigned) : -1;
}

int board_csat(const struct proto_kpi *k)
{
	return k->rated > 0 ? (int)((k->fives * 100 + k->rated / 2) / k->rated) : -1;
}

int board_mean_score_x10(const struct proto_kpi *k)
{
	return k->rated > 0 && k->score_sum > 0 ? (int)((k->score_sum * 10 + k->rated / 2) / k->rated) : -1;
}

static const char *const sort_names[BOARD_SORT_COUNT] = { "load", "unanswered", "name" };

const char *board_sort_name(enum board_sort s)
{
	return (unsigned)s < BOARD_SORT_COUNT ? sort_names[s] : "?";
}

int board_sort_parse(const char *s)
{
	for (int i = 0; i < BOARD_SORT_COUNT; i++)
		if (s && strcmp(s, sort_names[i]) == 0)
			return i;
	return -1;
}

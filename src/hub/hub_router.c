/* hub_router.c: pure routing decisions (see hub_router.h). Waiting chats are kept oldest first; a chat goes
 * to an online operator with free capacity who serves its queue: in a least-loaded queue the one with the
 * fewest chats, ties to the one idle longest (since it last got a chat or came online); in a round-robin queue
 * the one who got a chat longest ago; then the lowest id, so results are repeatable. A manual queue's chats
 * wait until someone takes them. */
#include "opdesk/hub_router.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "opdesk/xalloc.h"

#define ROUTER_DEFAULT_QUEUE "general"

struct router_op {
	int64_t id;
	enum hub_presence presence;
	int capacity;
	int load;
	bool autoassign;
	int64_t idle_since;      /* ms: last assignment or coming online */
	int64_t last_assigned;   /* ms: last chat given (0: never), for round-robin */
	char *skills;            /* ",general,stylist," (the queues served), NULL: every queue */
	uint64_t rev;            /* the router's rev when its presence, capacity or held chats last changed */
};

struct router_queue {
	char *name;
	enum hub_queue_mode mode;
};

struct router_chat {
	int64_t dialog;
	char *queue;
	int64_t since;           /* ms the chat has waited since (kept across transfers) */
	int64_t op;              /* holder, 0 while waiting */
	int64_t avoid;           /* operator not to pick automatically (sent it back), 0 = none */
	bool priority;           /* a returning customer: before every other waiting chat */
	int64_t prefer;          /* the operator who served them last, picked first when eligible; 0 = none */
};

struct hub_router {
	struct router_op *ops;
	size_t n_ops, cap_ops;
	struct router_chat *waiting;     /* sorted by (since, dialog) */
	size_t n_waiting, cap_waiting;
	struct router_chat *held;        /* unordered */
	size_t n_held, cap_held;
	struct router_queue *queues;     /* queues with a mode other than least-loaded */
	size_t n_queues, cap_queues;
	size_t *op_at;                   /* operator id -> its index in ops + 1 (0: unknown); ids are dense */
	size_t cap_op_at;
	uint64_t rev;                    /* counts changes (hub_router_rev) */
};

struct hub_router *hub_router_new(void)
{
	return xcalloc(1, sizeof(struct hub_router));
}

void hub_router_free(struct hub_router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_waiting; i++)
		free(r->waiting[i].queue);
	for (size_t i = 0; i < r->n_held; i++)
		free(r->held[i].queue);
	for (size_t i = 0; i < r->n_ops; i++)
		free(r->ops[i].skills);
	for (size_t i = 0; i < r->n_queues; i++)
		free(r->queues[i].name);
	free(r->queues);
	free(r->op_at);
	free(r->waiting);
	free(r->held);
	free(r->ops);
	free(r);
}

void hub_decisions_clear(struct hub_decisions *d)
{
	d->n = 0;
}

void hub_decisions_free(struct hub_decisions *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

static void decide(struct hub_decisions *out, int64_t dialog, int64_t op)
{
	if (!out)
		return;
	out->v = xgrow(out->v, &out->cap, out->n + 1, sizeof *out->v);
	out->v[out->n++] = (struct hub_decision){ .dialog = dialog, .op = op };
}

static struct router_op *op_find(const struct hub_router *r, int64_t id)
{
	if (id > 0 && (size_t)id < r->cap_op_at && r->op_at[id])
		return &r->ops[r->op_at[id] - 1];
	for (size_t i = 0; i < r->n_ops; i++) /* an id beyond the index (negative, or never indexed) */
		if (r->ops[i].id == id)
			return &r->ops[i];
	return NULL;
}

static void op_changed(struct hub_router *r, struct router_op *o)
{
	if (o)
		o->rev = ++r->rev;
}

static struct router_op *op_get(struct hub_router *r, int64_t id)
{
	struct router_op *o = op_find(r, id);
	if (o)
		return o;
	r->ops = xgrow(r->ops, &r->cap_ops, r->n_ops + 1, sizeof *r->ops);
	o = &r->ops[r->n_ops++];
	*o = (struct router_op){ .id = id, .presence = HUB_OFFLINE, .capacity = 4, .autoassign = true };
	if (id > 0 && id < (int64_t)1 << 31) { /* index it (ids are the database's, dense from 1) */
		if ((size_t)id >= r->cap_op_at) {
			size_t cap = r->cap_op_at ? r->cap_op_at : 64;
			while (cap <= (size_t)id)
				cap *= 2;
			r->op_at = xrealloc(r->op_at, cap * sizeof *r->op_at);
			memset(r->op_at + r->cap_op_at, 0, (cap - r->cap_op_at) * sizeof *r->op_at);
			r->cap_op_at = cap;
		}
		r->op_at[id] = r->n_ops;
	}
	op_changed(r, o);
	return o;
}

static ssize_t waiting_index(const struct hub_router *r, int64_t dialog)
{
	for (size_t i = 0; i < r->n_waiting; i++)
		if (r->waiting[i].dialog == dialog)
			return (ssize_t)i;
	return -1;
}

static ssize_t held_index(const struct hub_router *r, int64_t dialog)
{
	for (size_t i = 0; i < r->n_held; i++)
		if (r->held[i].dialog == dialog)
			return (ssize_t)i;
	return -1;
}

static bool chat_before(const struct router_chat *a, const struct router_chat *b)
{
	if (a->priority != b->priority)
		return a->priority;
	return a->since != b->since ? a->since < b->since : a->dialog < b->dialog;
}

/* Insert into the waiting list at its place by waiting time (takes ownership of c->queue). */
static void waiting_insert(struct hub_router *r, struct router_chat c)
{
	size_t at = r->n_waiting;
	while (at > 0 && chat_before(&c, &r->waiting[at - 1]))
		at--;
	r->waiting = xgrow(r->waiting, &r->cap_waiting, r->n_waiting + 1, sizeof *r->waiting);
	memmove(&r->waiting[at + 1], &r->waiting[at], (r->n_waiting - at) * sizeof *r->waiting);
	c.op = 0;
	r->waiting[at] = c;
	r->n_waiting++;
}

static struct router_chat waiting_remove(struct hub_router *r, size_t i)
{
	struct router_chat c = r->waiting[i];
	memmove(&r->waiting[i], &r->waiting[i + 1], (r->n_waiting - i - 1) * sizeof *r->waiting);
	r->n_waiting--;
	return c;
}

static struct router_chat held_remove(struct hub_router *r, size_t i)
{
	struct router_chat c = r->held[i];
	r->held[i] = r->held[--r->n_held];
	return c;
}

/* Hand chat c (already out of the waiting list) to operator o. */
static void hold(struct hub_router *r, struct router_chat c, struct router_op *o, int64_t now,
		 struct hub_decisions *out)
{
	c.op = o->id;
	c.avoid = 0;
	c.priority = false;
	c.prefer = 0;
	r->held = xgrow(r->held, &r->cap_held, r->n_held + 1, sizeof *r->held);
	r->held[r->n_held++] = c;
	o->load++;
	o->idle_since = now;
	o->last_assigned = now;
	op_changed(r, o);
	decide(out, c.dialog, o->id);
}

static bool op_serves(const struct router_op *o, const char *queue)
{
	if (!o->skills)
		return true;
	size_t n = strlen(queue);
	for (const char *p = strstr(o->skills, queue); p; p = strstr(p + 1, queue))
		if (p[-1] == ',' && p[n] == ',')
			return true;
	return false;
}

bool hub_router_serves(const struct hub_router *r, int64_t op, const char *queue)
{
	const struct router_op *o = op_find(r, op);
	return o && op_serves(o, queue && *queue ? queue : ROUTER_DEFAULT_QUEUE);
}

void hub_router_set_skills(struct hub_router *r, int64_t op, const char *queues)
{
	struct router_op *o = op_get(r, op);
	free(o->skills);
	o->skills = queues ? xasprintf(",%s,", queues) : NULL;
}

enum hub_queue_mode hub_router_queue_mode(const struct hub_router *r, const char *queue)
{
	for (size_t i = 0; i < r->n_queues; i++)
		if (strcmp(r->queues[i].name, queue) == 0)
			return r->queues[i].mode;
	return HUB_QUEUE_LEAST_LOADED;
}

void hub_router_set_queue_mode(struct hub_router *r, const char *queue, enum hub_queue_mode mode)
{
	for (size_t i = 0; i < r->n_queues; i++)
		if (strcmp(r->queues[i].name, queue) == 0) {
			r->queues[i].mode = mode;
			return;
		}
	r->queues = xgrow(r->queues, &r->cap_queues, r->n_queues + 1, sizeof *r->queues);
	r->queues[r->n_queues++] = (struct router_queue){ xstrdup(queue), mode };
}

/* Is a better than b for a chat of a queue routed in `mode`? */
static bool op_better(const struct router_op *a, const struct router_op *b, enum hub_queue_mode mode)
{
	if (mode == HUB_QUEUE_ROUND_ROBIN) {
		if (a->last_assigned != b->last_assigned)
			return a->last_assigned < b->last_assigned;
	} else {
		if (a->load != b->load)
			return a->load < b->load;
		if (a->idle_since != b->idle_since)
			return a->idle_since < b->idle_since;
	}
	return a->id < b->id;
}

/* The operator automatic routing would pick for chat c, or NULL (also for every chat of a manual queue). */
static struct router_op *best_for(struct hub_router *r, const struct router_chat *c)
{
	enum hub_queue_mode mode = hub_router_queue_mode(r, c->queue);
	if (mode == HUB_QUEUE_MANUAL)
		return NULL;
	struct router_op *best = NULL;
	for (size_t i = 0; i < r->n_ops; i++) {
		struct router_op *o = &r->ops[i];
		if (o->presence != HUB_ONLINE || !o->autoassign || o->load >= o->capacity || o->id == c->avoid ||
		    !op_serves(o, c->queue))
			continue;
		if (o->id == c->prefer)
			return o; /* the returning customer's last operator */
		if (!best || op_better(o, best, mode))
			best = o;
	}
	return best;
}

/* Give waiting chats, oldest first, to whoever can take them. A chat nobody can take (its queue is not
 * served, or only by the operator it avoids) does not block the chats behind it. */
static void route(struct hub_router *r, int64_t now, struct hub_decisions *out)
{
	size_t i = 0;
	while (i < r->n_waiting) {
		struct router_op *o = best_for(r, &r->waiting[i]);
		if (!o) {
			i++;
			continue;
		}
		hold(r, waiting_remove(r, i), o, now, out);
	}
}

void hub_router_operator(struct hub_router *r, int64_t op, int capacity, bool autoassign)
{
	struct router_op *o = op_get(r, op);
	if (o->capacity != (capacity < 0 ? 0 : capacity) || o->autoassign != autoassign)
		op_changed(r, o);
	o->capacity = capacity < 0 ? 0 : capacity;
	o->autoassign = autoassign;
}

void hub_router_set_presence(struct hub_router *r, int64_t op, enum hub_presence p, int64_t now,
			     struct hub_decisions *out)
{
	struct router_op *o = op_get(r, op);
	if (p == HUB_ONLINE && o->presence != HUB_ONLINE)
		o->idle_since = now;
	if (o->presence != p)
		op_changed(r, o);
	o->presence = p;
	if (p == HUB_ONLINE)
		route(r, now, out);
}

static char *queue_dup(const char *queue)
{
	return xstrdup(queue && *queue ? queue : ROUTER_DEFAULT_QUEUE);
}

void hub_router_restore(struct hub_router *r, int64_t dialog, const char *queue, int64_t since, int64_t op)
{
	if (held_index(r, dialog) >= 0 || waiting_index(r, dialog) >= 0)
		return;
	struct router_op *o = op_get(r, op);
	r->held = xgrow(r->held, &r->cap_held, r->n_held + 1, sizeof *r->held);
	r->held[r->n_held++] =
		(struct router_chat){ .dialog = dialog, .queue = queue_dup(queue), .since = since, .op = op };
	o->load++;
	op_changed(r, o);
}

void hub_router_chat_returned(struct hub_router *r, int64_t dialog, const char *queue, int64_t since,
			      int64_t prefer, int64_t now, struct hub_decisions *out)
{
	if (held_index(r, dialog) < 0 && waiting_index(r, dialog) < 0)
		waiting_insert(r, (struct router_chat){
					  .dialog = dialog, .queue = queue_dup(queue), .since = since, .priority = true, .prefer = prefer });
	route(r, now, out);
}

size_t hub_router_arrival_position(const struct hub_router *r, bool priority)
{
	if (!priority)
		return r->n_waiting + 1;
	size_t n = 0;
	while (n < r->n_waiting && r->waiting[n].priority)
		n++;
	return n + 1;
}

void hub_router_chat_arrived(struct hub_router *r, int64_t dialog, const char *queue, int64_t since,
			     int64_t now, struct hub_decisions *out)
{
	if (held_index(r, dialog) < 0 && waiting_index(r, dialog) < 0)
		waiting_insert(r, (struct router_chat){ .dialog = dialog, .queue = queue_dup(queue), .since = since });
	route(r, now, out);
}

void hub_router_dialog_closed(struct hub_router *r, int64_t dialog, int64_t now, struct hub_decisions *out)
{
	ssize_t i = held_index(r, dialog);
	if (i >= 0) {
		struct router_chat c = held_remove(r, (size_t)i);
		struct router_op *o = op_find(r, c.op);
		if (o && o->load > 0)
			o->load--;
		op_changed(r, o);
		free(c.queue);
	} else if ((i = waiting_index(r, dialog)) >= 0) {
		free(waiting_remove(r, (size_t)i).queue);
	}
	route(r, now, out);
}

enum hub_route_result hub_router_take(struct hub_router *r, int64_t op, int64_t dialog, int64_t now,
				      int64_t *taken)
{
	struct router_op *o = op_find(r, op);
	if (!o)
		return HUB_ROUTE_UNKNOWN_OP;
	ssize_t i = -1;
	if (dialog) {
		i = waiting_index(r, dialog);
		if (i >= 0 && !op_serves(o, r->waiting[i].queue))
			return HUB_ROUTE_NOT_SERVED;
	} else {
		for (size_t k = 0; k < r->n_waiting && i < 0; k++) /* the oldest of the queues it serves */
			if (op_serves(o, r->waiting[k].queue))
				i = (ssize_t)k;
	}
	if (i < 0)
		return HUB_ROUTE_NOT_QUEUED;
	if (o->load >= o->capacity)
		return HUB_ROUTE_CAPACITY;
	struct router_chat c = waiting_remove(r, (size_t)i);
	if (taken)
		*taken = c.dialog;
	hold(r, c, o, now, NULL);
	return HUB_ROUTE_OK;
}

enum hub_route_result hub_router_transfer_to_queue(struct hub_router *r, int64_t dialog, const char *queue,
						   int64_t now, struct hub_decisions *out)
{
	ssize_t i = held_index(r, dialog);
	if (i < 0)
		return HUB_ROUTE_NOT_ASSIGNED;
	struct router_chat c = held_remove(r, (size_t)i);
	struct router_op *o = op_find(r, c.op);
	if (o && o->load > 0)
		o->load--;
	op_changed(r, o);
	c.avoid = c.op;
	if (queue && *queue) {
		free(c.queue);
		c.queue = xstrdup(queue);
	}
	waiting_insert(r, c);
	route(r, now, out);
	return HUB_ROUTE_OK;
}

enum hub_route_result hub_router_transfer_to_operator(struct hub_router *r, int64_t dialog, int64_t to,
						      int64_t now, struct hub_decisions *out)
{
	ssize_t i = held_index(r, dialog);
	if (i < 0)
		return HUB_ROUTE_NOT_ASSIGNED;
	struct router_op *dst = op_find(r, to);
	if (!dst)
		return HUB_ROUTE_UNKNOWN_OP;
	if (r->held[i].op == to)
		return HUB_ROUTE_SAME_OP;
	if (dst->presence != HUB_ONLINE)
		return HUB_ROUTE_OFFLINE;
	if (dst->load >= dst->capacity)
		return HUB_ROUTE_CAPACITY;
	struct router_chat c = held_remove(r, (size_t)i);
	struct router_op *src = op_find(r, c.op);
	if (src && src->load > 0)
		src->load--;
	op_changed(r, src);
	hold(r, c, dst, now, out);
	route(r, now, out);
	return HUB_ROUTE_OK;
}

void hub_router_release_operator(struct hub_router *r, int64_t op, int64_t now, struct hub_decisions *out)
{
	size_t i = 0;
	while (i < r->n_held) {
		if (r->held[i].op != op) {
			i++;
			continue;
		}
		struct router_chat c = held_remove(r, i);
		c.avoid = 0; /* it did not send them back: it may get them again when it returns */
		waiting_insert(r, c);
	}
	struct router_op *o = op_find(r, op);
	if (o)
		o->load = 0;
	op_changed(r, o);
	route(r, now, out);
}

size_t hub_router_queue_length(const struct hub_router *r)
{
	return r->n_waiting;
}

int64_t hub_router_oldest_since(const struct hub_router *r)
{
	int64_t oldest = 0; /* returning customers go first, so the longest wait need not be at the front */
	for (size_t i = 0; i < r->n_waiting; i++)
		if (!oldest || r->waiting[i].since < oldest)
			oldest = r->waiting[i].since;
	return oldest;
}

int64_t hub_router_queue_at(const struct hub_router *r, size_t i)
{
	return i < r->n_waiting ? r->waiting[i].dialog : 0;
}

size_t hub_router_position(const struct hub_router *r, int64_t dialog)
{
	ssize_t i = waiting_index(r, dialog);
	return i < 0 ? 0 : (size_t)i + 1;
}

bool hub_router_routes(const struct hub_router *r, int64_t dialog)
{
	return held_index(r, dialog) >= 0 || waiting_index(r, dialog) >= 0;
}

int64_t hub_router_holder(const struct hub_router *r, int64_t dialog)
{
	ssize_t i = held_index(r, dialog);
	return i < 0 ? 0 : r->held[i].op;
}

const char *hub_router_held_queue(const struct hub_router *r, int64_t dialog)
{
	ssize_t i = held_index(r, dialog);
	return i < 0 ? NULL : r->held[i].queue;
}

int hub_router_load(const struct hub_router *r, int64_t op)
{
	const struct router_op *o = op_find(r, op);
	return o ? o->load : -1;
}

enum hub_presence hub_router_presence(const struct hub_router *r, int64_t op)
{
	const struct router_op *o = op_find(r, op);
	return o ? o->presence : HUB_OFFLINE;
}

size_t hub_router_held(const struct hub_router *r, int64_t op, int64_t *dialogs, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_held; i++) {
		if (r->held[i].op != op)
			continue;
		if (n < max)
			dialogs[n] = r->held[i].dialog;
		n++;
	}
	return n;
}

/* ---- what the supervisors' board reads ---- */

uint64_t hub_router_rev(const struct hub_router *r)
{
	return r->rev;
}

uint64_t hub_router_op_rev(const struct hub_router *r, int64_t op)
{
	const struct router_op *o = op_find(r, op);
	return o ? o->rev : 0;
}

uint64_t hub_router_touch(struct hub_router *r, int64_t op)
{
	struct router_op *o = op > 0 ? op_find(r, op) : NULL;
	if (o)
		op_changed(r, o);
	else
		++r->rev;
	return r->rev;
}

bool hub_router_op_info(const struct hub_router *r, int64_t op, struct hub_router_op_info *out)
{
	const struct router_op *o = op_find(r, op);
	if (!o)
		return false;
	*out = (struct hub_router_op_info){ .presence = o->presence, .load = o->load, .capacity = o->capacity,
					    .autoassign = o->autoassign, .rev = o->rev };
	return true;
}

size_t hub_router_n_held(const struct hub_router *r)
{
	return r->n_held;
}

bool hub_router_held_at(const struct hub_router *r, size_t i, int64_t *dialog, int64_t *op, const char **queue)
{
	if (i >= r->n_held)
		return false;
	*dialog = r->held[i].dialog;
	*op = r->held[i].op;
	if (queue)
		*queue = r->held[i].queue;
	return true;
}

bool hub_router_waiting_at(const struct hub_router *r, size_t i, int64_t *dialog, int64_t *since, const char **queue)
{
	if (i >= r->n_waiting)
		return false;
	*dialog = r->waiting[i].dialog;
	*since = r->waiting[i].since;
	if (queue)
		*queue = r->waiting[i].queue;
	return true;
}

void hub_router_capacity(const struct hub_router *r, int64_t *online, int64_t *free_slots)
{
	*online = *free_slots = 0;
	for (size_t i = 0; i < r->n_ops; i++) {
		const struct router_op *o = &r->ops[i];
		if (o->presence != HUB_ONLINE || !o->autoassign)
			continue;
		++*online;
		*free_slots += o->load < o->capacity ? o->capacity - o->load : 0;
	}
}

static struct hub_router_queue_stat *qstat_get(struct hub_router_queue_stat **v, size_t *n, size_t *cap,
					       const char *name, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*v)[i].queue) == len && memcmp((*v)[i].queue, name, len) == 0)
			return &(*v)[i];
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	struct hub_router_queue_stat *q = &(*v)[(*n)++];
	memset(q, 0, sizeof *q);
	q->queue = xmalloc(len + 1);
	memcpy(q->queue, name, len);
	q->queue[len] = '\0';
	return q;
}

static int qstat_order(const void *a, const void *b)
{
	const struct hub_router_queue_stat *x = a, *y = b;
	bool gx = strcmp(x->queue, ROUTER_DEFAULT_QUEUE) == 0, gy = strcmp(y->queue, ROUTER_DEFAULT_QUEUE) == 0;
	if (gx != gy)
		return gx ? -1 : 1;
	return strcmp(x->queue, y->queue);
}

size_t hub_router_queue_stats(const struct hub_router *r, struct hub_router_queue_stat **out)
{
	struct hub_router_queue_stat *v = NULL;
	size_t n = 0, cap = 0;
	qstat_get(&v, &n, &cap, ROUTER_DEFAULT_QUEUE, strlen(ROUTER_DEFAULT_QUEUE));
	for (size_t i = 0; i < r->n_queues; i++)
		qstat_get(&v, &n, &cap, r->queues[i].name, strlen(r->queues[i].name));
	for (size_t i = 0; i < r->n_ops; i++) /* the queues operators serve by name */
		for (const char *p = r->ops[i].skills; p && *p;) {
			p += *p == ',';
			size_t len = strcspn(p, ",");
			if (len)
				qstat_get(&v, &n, &cap, p, len);
			p += len;
		}
	for (size_t i = 0; i < r->n_waiting; i++) {
		const struct router_chat *c = &r->waiting[i];
		struct hub_router_queue_stat *q = qstat_get(&v, &n, &cap, c->queue, strlen(c->queue));
		q->waiting++;
		if (!q->oldest || c->since < q->oldest)
			q->oldest = c->since;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < r->n_ops; i++) {
			const struct router_op *o = &r->ops[i];
			if (o->presence != HUB_ONLINE || !o->autoassign || !op_serves(o, v[k].queue))
				continue;
			v[k].online++;
			v[k].free += o->load < o->capacity ? o->capacity - o->load : 0;
		}
	qsort(v, n, sizeof *v, qstat_order);
	*out = v;
	return n;
}

void hub_router_queue_stats_free(struct hub_router_queue_stat *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].queue);
	free(v);
}

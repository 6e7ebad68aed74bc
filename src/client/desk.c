/* desk.c: the operator client's model: hub frames in, model changes and outgoing frames out (see desk.h). */
#include "opdesk/desk.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"
#include "opdesk/board.h"

#include "desk_int.h"
#include "desk_names.h"

/* Re-send "typing on" at most this often while the operator keeps typing. */
#define DESK_TYPING_REFRESH_MS 4000
/* The user part of client message ids is cut so that the id stays within PROTO_MAX_ID. */
#define DESK_CMID_USER_MAX 32

void desk_notify(struct desk *d, unsigned what, int64_t dialog)
{
	if (d->obs.changed)
		d->obs.changed(d->obs.arg, what, dialog);
}

void desk_replace(char **dst, const char *src)
{
	if (*dst == src)
		return;
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* ---------- messages ---------- */

const struct desk_line desk_line_none;

/* Where a line's struct starts after the text and client_msg_id that end at offset `end` of the block. */
static size_t desk_line_at(size_t end)
{
	return (end + _Alignof(struct desk_line) - 1) & ~(_Alignof(struct desk_line) - 1);
}

/* A message and its strings in one block; `pm` gives the optional ones (author, client_msg_id, kind, args).
 * The author is the desk's one copy of the name; after the text come the client_msg_id and a line's struct,
 * aligned, with its strings, each only if the message has it. */
struct desk_message *desk_message_pack(struct desk *d, int64_t seq, int64_t time, enum proto_sender sender,
                                       const char *text, const struct proto_message *pm)
{
	const char *args[] = {pm->kind,          pm->args.name, pm->args.user,     pm->args.queue,
	                      pm->args.category, pm->args.note, pm->args.file,     pm->args.filename,
	                      pm->args.type};
	size_t n = sizeof args / sizeof *args, lt = strlen(text);
	size_t lc = pm->client_msg_id ? strlen(pm->client_msg_id) : 0;
	size_t end = offsetof(struct desk_message, text) + lt + 1 + (pm->client_msg_id ? lc + 1 : 0);
	size_t at_line = 0, total = end;
	if (pm->kind) {
		at_line = desk_line_at(end);
		total = at_line + sizeof(struct desk_line);
		for (size_t i = 0; i < n; i++)
			total += args[i] ? strlen(args[i]) + 1 : 0;
	}
	struct desk_message *m = xmalloc(total > sizeof *m ? total : sizeof *m);
	m->seq = seq, m->time = time;
	m->author = desk_names_get(d->names, pm->author);
	m->sender = (uint8_t)sender, m->delivery = DESK_DLV_NONE;
	m->has = (uint8_t)((pm->client_msg_id ? DESK_MSG_CMID : 0) | (pm->kind ? DESK_MSG_LINE : 0));
	char *p = m->text;
	memcpy(p, text, lt + 1);
	p += lt + 1;
	if (pm->client_msg_id) {
		memcpy(p, pm->client_msg_id, lc + 1);
		p += lc + 1;
	}
	if (!pm->kind)
		return m;
	struct desk_line *line = (struct desk_line *)((char *)m + at_line);
	*line = (struct desk_line){.args.size = pm->args.size};
	const char **dst[] = {&line->kind,          &line->args.name, &line->args.user,     &line->args.queue,
	                      &line->args.category, &line->args.note, &line->args.file,     &line->args.filename,
	                      &line->args.type};
	_Static_assert(sizeof dst / sizeof *dst == sizeof args / sizeof *args, "one place per string");
	p = (char *)(line + 1);
	for (size_t i = 0; i < n; i++) {
		if (!args[i])
			continue;
		size_t l = strlen(args[i]) + 1;
		memcpy(p, args[i], l);
		*dst[i] = p;
		p += l;
	}
	return m;
}

const char *desk_message_cmid(const struct desk_message *m)
{
	return m->has & DESK_MSG_CMID ? m->text + strlen(m->text) + 1 : NULL;
}

const struct desk_line *desk_message_line(const struct desk_message *m)
{
	if (!(m->has & DESK_MSG_LINE))
		return &desk_line_none;
	const char *end = m->text + strlen(m->text) + 1;
	if (m->has & DESK_MSG_CMID)
		end += strlen(end) + 1;
	return (const struct desk_line *)((const char *)m + desk_line_at((size_t)(end - (const char *)m)));
}

static struct desk_message *desk_message_new(struct desk *d, int64_t seq, int64_t time, enum proto_sender sender,
                                             const char *author, const char *text, const char *cmid)
{
	struct proto_message pm = {.author = (char *)author, .client_msg_id = (char *)cmid};
	return desk_message_pack(d, seq, time, sender, text, &pm);
}

static struct desk_message *desk_message_from_proto(struct desk *d, const struct proto_message *pm)
{
	return desk_message_pack(d, pm->seq, pm->time, pm->sender, pm->text ? pm->text : "", pm);
}

bool desk_message_mine(const struct desk *d, const struct desk_message *m)
{
	return m->sender == PROTO_FROM_OPERATOR && m->author && d->user && strcmp(m->author, d->user) == 0;
}

/* Index where a message with this seq goes: after every message with a smaller seq, before the pending. */
static size_t desk_seq_pos(const struct desk_dialog *dl, int64_t seq)
{
	size_t j = dl->n_msgs;
	while (j > 0 && (dl->msgs[j - 1]->seq == 0 || dl->msgs[j - 1]->seq > seq))
		j--;
	return j;
}

static struct desk_message *desk_find_seq(const struct desk_dialog *dl, int64_t seq)
{
	size_t j = desk_seq_pos(dl, seq);
	if (j > 0 && dl->msgs[j - 1]->seq == seq)
		return dl->msgs[j - 1];
	return NULL;
}

static ssize_t desk_find_cmid(const struct desk_dialog *dl, const char *cmid)
{
	if (!cmid)
		return -1;
	for (size_t i = dl->n_msgs; i-- > 0;)
		if (dl->msgs[i]->has & DESK_MSG_CMID && strcmp(desk_message_cmid(dl->msgs[i]), cmid) == 0)
			return (ssize_t)i;
	return -1;
}

static void desk_insert_at(struct desk_dialog *dl, size_t pos, struct desk_message *m)
{
	dl->msgs = xgrow(dl->msgs, &dl->cap_msgs, dl->n_msgs + 1, sizeof *dl->msgs);
	memmove(dl->msgs + pos + 1, dl->msgs + pos, (dl->n_msgs - pos) * sizeof *dl->msgs);
	dl->msgs[pos] = m;
	dl->n_msgs++;
}

/* Every change of a message's delivery state goes through here, so the dialog's count of pending ones stays true. */
static void desk_set_delivery(struct desk_dialog *dl, struct desk_message *m, enum desk_delivery to)
{
	dl->n_pending += (size_t)(to == DESK_DLV_PENDING) - (size_t)(m->delivery == DESK_DLV_PENDING);
	m->delivery = to;
}

void desk_add_pending(struct desk_dialog *dl, struct desk_message *m)
{
	desk_set_delivery(dl, m, DESK_DLV_PENDING);
	desk_insert_at(dl, dl->n_msgs, m);
}

static struct desk_message *desk_remove_at(struct desk_dialog *dl, size_t pos)
{
	struct desk_message *m = dl->msgs[pos];
	memmove(dl->msgs + pos, dl->msgs + pos + 1, (dl->n_msgs - pos - 1) * sizeof *dl->msgs);
	dl->n_msgs--;
	return m;
}

/* Our pending message `idx` got its server identity: give it its seq and time and move it into seq order.
 * If the hub's copy is already in the list (same seq), ours is dropped in favour of it. */
static void desk_confirm(struct desk_dialog *dl, size_t idx, int64_t seq, int64_t time)
{
	struct desk_message *m = desk_remove_at(dl, idx);
	struct desk_message *dup = desk_find_seq(dl, seq);
	if (dup) {
		if (dup->delivery == DESK_DLV_NONE || dup->delivery == DESK_DLV_PENDING)
			desk_set_delivery(dl, dup, DESK_DLV_ACKED);
		desk_set_delivery(dl, m, DESK_DLV_NONE);
		free(m);
		return;
	}
	m->seq = seq;
	if (time)
		m->time = time;
	desk_set_delivery(dl, m, DESK_DLV_ACKED);
	desk_insert_at(dl, desk_seq_pos(dl, seq), m);
	if (seq > dl->last_seq)
		dl->last_seq = seq;
}

/* The customer's oldest message after the newest operator message. */
void desk_recalc_unanswered(struct desk_dialog *dl)
{
	dl->unanswered_since = 0;
	if (!desk_dialog_open(dl))
		return;
	for (size_t i = dl->n_msgs; i-- > 0;) {
		const struct desk_message *m = dl->msgs[i];
		if (m->sender == PROTO_FROM_OPERATOR)
			break;
		if (m->sender == PROTO_FROM_CUSTOMER)
			dl->unanswered_since = m->time;
	}
}

/* Add a message from the hub unless we have it already. Returns true if the dialog changed. */
static bool desk_add_hub_message(struct desk *d, struct desk_dialog *dl, const struct proto_message *pm,
                                 bool live)
{
	if (pm->seq > dl->last_seq)
		dl->last_seq = pm->seq;
	if (desk_find_seq(dl, pm->seq))
		return false; /* a duplicate (resume overlap, snapshot after live frames) */
	if ((pm->sender == PROTO_FROM_OPERATOR || pm->sender == PROTO_FROM_NOTE) && pm->client_msg_id) {
		/* ours, pending: a note or a whisper whose message frame came before its ack */
		ssize_t idx = desk_find_cmid(dl, pm->client_msg_id);
		if (idx >= 0 && dl->msgs[idx]->seq == 0) {
			desk_confirm(dl, (size_t)idx, pm->seq, pm->time);
			return true;
		}
	}
	struct desk_message *m = desk_message_from_proto(d, pm);
	if (desk_message_mine(d, m))
		desk_set_delivery(dl, m, DESK_DLV_ACKED);
	desk_insert_at(dl, desk_seq_pos(dl, pm->seq), m);
	if (live && pm->sender == PROTO_FROM_CUSTOMER) {
		dl->unread++;
		dl->customer_typing = false;
	}
	if (live)
		desk_whisper_arrived(d, dl, m);
	return true;
}

/* ---------- dialogs ---------- */

void desk_dialog_free(struct desk_dialog *dl)
{
	for (size_t i = 0; i < dl->n_msgs; i++)
		free(dl->msgs[i]);
	free(dl->msgs);
	free(dl->customer);
	free(dl->queue);
	free(dl->topic);
	free(dl->rating_comment);
	free(dl->release_reason);
	textedit_free(&dl->draft);
	desk_watch_free(dl);
	free(dl);
}

struct desk_dialog *desk_dialog_find(const struct desk *d, int64_t id)
{
	for (size_t i = 0; i < d->n_dialogs; i++)
		if (d->dialogs[i]->id == id)
			return d->dialogs[i];
	return NULL;
}

bool desk_dialog_open(const struct desk_dialog *dl)
{
	return dl->state != PROTO_DS_CLOSED && !dl->released && !dl->watched;
}

size_t desk_open_count(const struct desk *d)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_dialogs; i++)
		n += desk_dialog_open(d->dialogs[i]);
	return n;
}

/* Add or refresh a dialog from a snapshot (welcome, assigned). Returns it; *added says if it is new. */
struct desk_dialog *desk_merge_dialog(struct desk *d, const struct proto_dialog *pd, bool *added)
{
	struct desk_dialog *dl = desk_dialog_find(d, pd->id);
	*added = dl == NULL;
	if (!dl) {
		dl = xcalloc(1, sizeof *dl);
		dl->id = pd->id;
		textedit_init(&dl->draft);
		d->dialogs = xgrow(d->dialogs, &d->cap_dialogs, d->n_dialogs + 1, sizeof *d->dialogs);
		d->dialogs[d->n_dialogs++] = dl;
	}
	desk_replace(&dl->customer, pd->customer ? pd->customer : "");
	desk_replace(&dl->queue, pd->queue);
	desk_replace(&dl->topic, pd->topic);
	dl->channel = pd->channel;
	if (dl->state == PROTO_DS_CLOSED && pd->state != PROTO_DS_CLOSED)
		dl->rating = 0; /* reopened */
	dl->state = pd->state;
	dl->released = false;
	dl->opened = pd->opened;
	dl->returning = pd->returning;
	if (pd->last_seq > dl->last_seq)
		dl->last_seq = pd->last_seq;
	for (size_t i = 0; i < pd->n_messages; i++)
		desk_add_hub_message(d, dl, &pd->messages[i], false);
	desk_recalc_unanswered(dl);
	return dl;
}

/* ---------- queue, canned ---------- */

static void desk_queue_clear(struct desk *d)
{
	for (size_t i = 0; i < d->n_queue; i++) {
		free(d->queue[i].customer);
		free(d->queue[i].queue);
		free(d->queue[i].preview);
	}
	d->n_queue = 0;
}

static int desk_qitem_cmp(const void *a, const void *b)
{
	const struct desk_qitem *x = a, *y = b;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return x->dialog < y->dialog ? -1 : x->dialog > y->dialog;
}

static void desk_queue_set(struct desk *d, const struct proto_queue_item *items, size_t n, int64_t total)
{
	desk_queue_clear(d);
	d->queue = xgrow(d->queue, &d->cap_queue, n, sizeof *d->queue);
	for (size_t i = 0; i < n; i++) {
		struct desk_qitem *q = &d->queue[i];
		q->dialog = items[i].dialog;
		q->since = items[i].since;
		q->returning = items[i].returning;
		q->channel = items[i].channel;
		q->customer = xstrdup(items[i].customer ? items[i].customer : "");
		q->queue = items[i].queue ? xstrdup(items[i].queue) : NULL;
		q->preview = items[i].preview ? xstrdup(items[i].preview) : NULL;
	}
	d->n_queue = n;
	if (n > 1)
		qsort(d->queue, n, sizeof *d->queue, desk_qitem_cmp);
	d->queue_total = total > (int64_t)n ? total : (int64_t)n;
}

static void desk_canned_clear(struct desk *d)
{
	for (size_t i = 0; i < d->n_canned; i++) {
		free(d->canned[i].id);
		free(d->canned[i].shortcut);
		free(d->canned[i].category);
		free(d->canned[i].title);
		free(d->canned[i].text);
	}
	free(d->canned);
	d->canned = NULL;
	d->n_canned = 0;
}

static void desk_canned_copy(struct proto_canned *dst, const struct proto_canned *c)
{
	dst->id = c->id ? xstrdup(c->id) : NULL;
	dst->shortcut = c->shortcut ? xstrdup(c->shortcut) : NULL;
	dst->category = c->category ? xstrdup(c->category) : NULL;
	dst->title = c->title ? xstrdup(c->title) : NULL;
	dst->text = c->text ? xstrdup(c->text) : NULL;
}

/* The hub's replies, then the operator's own (desk_set_personal_canned). */
static void desk_canned_set(struct desk *d, const struct proto_canned *c, size_t n)
{
	desk_canned_clear(d);
	if (!n && !d->n_personal)
		return;
	d->canned = xcalloc(n + d->n_personal, sizeof *d->canned);
	for (size_t i = 0; i < n; i++)
		desk_canned_copy(&d->canned[i], &c[i]);
	for (size_t i = 0; i < d->n_personal; i++)
		desk_canned_copy(&d->canned[n + i], &d->personal[i]);
	d->n_canned = n + d->n_personal;
}

void desk_set_personal_canned(struct desk *d, const struct proto_canned *c, size_t n)
{
	/* the hub's part is the front of d->canned: keep it aside while the list is rebuilt */
	size_t n_hub = d->n_canned - d->n_personal;
	struct proto_canned *hub = d->canned;
	d->canned = NULL;
	d->n_canned = 0;
	for (size_t i = n_hub; i < n_hub + d->n_personal; i++)
		proto_canned_free(&hub[i]);
	for (size_t i = 0; i < d->n_personal; i++)
		proto_canned_free(&d->personal[i]);
	free(d->personal);
	d->personal = n ? xcalloc(n, sizeof *d->personal) : NULL;
	for (size_t i = 0; i < n; i++)
		desk_canned_copy(&d->personal[i], &c[i]);
	d->n_personal = n;
	desk_canned_set(d, hub, n_hub);
	for (size_t i = 0; i < n_hub; i++)
		proto_canned_free(&hub[i]);
	free(hub);
	desk_notify(d, DESK_CH_CANNED, 0);
}

/* ---------- transfer targets ---------- */

static void desk_targets_clear(struct desk *d)
{
	for (size_t i = 0; i < d->n_target_queues; i++)
		free(d->target_queues[i].queue);
	free(d->target_queues);
	for (size_t i = 0; i < d->n_target_ops; i++) {
		free(d->target_ops[i].user);
		free(d->target_ops[i].display);
	}
	free(d->target_ops);
	d->target_queues = NULL;
	d->target_ops = NULL;
	d->n_target_queues = d->n_target_ops = 0;
	d->targets_known = false;
}

static void desk_apply_targets(struct desk *d, const struct proto_msg *m)
{
	desk_targets_clear(d);
	d->target_queues = m->n_queue_loads ? xcalloc(m->n_queue_loads, sizeof *d->target_queues) : NULL;
	for (size_t i = 0; i < m->n_queue_loads; i++)
		d->target_queues[d->n_target_queues++] =
		    (struct desk_target_queue){.queue = xstrdup(m->queue_loads[i].queue), .waiting = m->queue_loads[i].waiting};
	d->target_ops = m->n_board_ops ? xcalloc(m->n_board_ops, sizeof *d->target_ops) : NULL;
	for (size_t i = 0; i < m->n_board_ops; i++) {
		const struct proto_board_op *o = &m->board_ops[i];
		if (d->user && strcmp(o->user, d->user) == 0)
			continue; /* never oneself */
		d->target_ops[d->n_target_ops++] = (struct desk_target_op){
		    .user = xstrdup(o->user),
		    .display = o->display && *o->display ? xstrdup(o->display) : NULL,
		    .status = o->status,
		    .load = o->load,
		    .capacity = o->capacity,
		};
	}
	d->targets_known = true;
	desk_notify(d, DESK_CH_TARGETS, 0);
}

/* ---------- life cycle ---------- */

struct desk *desk_new(const char *user)
{
	struct desk *d = xcalloc(1, sizeof *d);
	d->names = xcalloc(1, sizeof *d->names);
	d->user = xstrdup(user ? user : "");
	d->capacity = 4;
	d->conn = DESK_CONN_CONNECTING;
	size_t ul = strlen(d->user);
	if (ul > DESK_CMID_USER_MAX) {
		ul = DESK_CMID_USER_MAX;
		while (ul > 0 && ((unsigned char)d->user[ul] & 0xC0) == 0x80)
			ul--; /* do not cut a UTF-8 sequence */
	}
	d->cmid_prefix = xasprintf("%.*s-%lld", (int)ul, d->user, (long long)proto_now_ms());
	return d;
}

static void desk_board_free(struct desk *d);

void desk_free(struct desk *d)
{
	if (!d)
		return;
	desk_files_free(d);
	for (size_t i = 0; i < d->n_dialogs; i++)
		desk_dialog_free(d->dialogs[i]);
	free(d->dialogs);
	desk_queue_clear(d);
	free(d->queue);
	desk_canned_clear(d);
	for (size_t i = 0; i < d->n_personal; i++)
		proto_canned_free(&d->personal[i]);
	free(d->personal);
	free(d->user);
	free(d->display);
	free(d->conn_reason);
	desk_notices_free(d);
	desk_targets_clear(d);
	desk_board_free(d);
	desk_card_free(d);
	desk_requests_free(d);
	free(d->cmid_prefix);
	desk_names_free(d->names); /* after the dialogs: their messages point into it */
	free(d->names);
	free(d);
}

void desk_set_observer(struct desk *d, const struct desk_observer *obs)
{
	d->obs = obs ? *obs : (struct desk_observer){0};
}

void desk_set_transport(struct desk *d, const struct desk_transport *tr)
{
	d->tr = tr ? *tr : (struct desk_transport){0};
}

int desk_send(struct desk *d, const struct proto_msg *m)
{
	if (!d->tr.send || !d->welcomed || d->conn != DESK_CONN_ONLINE)
		return -1;
	return d->tr.send(d->tr.arg, m);
}

/* ---------- monitor mode: the supervisor's board, asked for after every welcome (delta boards, or whole ones
 * from a hub that does not know them), fed by board and alert frames ---------- */

static void desk_board_welcomed(struct desk *d);

void desk_monitor(struct desk *d)
{
	if (d->board)
		return;
	d->board = xcalloc(1, sizeof *d->board);
	board_init(d->board);
	d->monitor_delta = true;
	desk_board_welcomed(d);
}

static void desk_board_welcomed(struct desk *d)
{
	if (!d->board || !d->welcomed)
		return;
	struct proto_msg m = { .type = PROTO_MONITOR, .on = true, .delta = d->monitor_delta };
	if (desk_send(d, &m) < 0)
		log_warn("the board cannot be asked for now: not connected");
}

static void desk_board_apply(struct desk *d, const struct proto_msg *m)
{
	if (!d->board) {
		d->n_ignored++;
		return;
	}
	unsigned ch = board_apply(d->board, m);
	if (ch & BOARD_CH_ALERT)
		desk_notify(d, DESK_CH_BOARD | DESK_CH_ALERT, m->dialog);
	else if (ch)
		desk_notify(d, DESK_CH_BOARD, 0);
}

static bool desk_board_refused(struct desk *d, int code, const char *ref)
{
	if (!d->board || !ref || strcmp(ref, "monitor") != 0)
		return false;
	if (code == PROTO_E_UNKNOWN_FIELD && d->monitor_delta) {
		/* a hub from before delta boards: whole boards, every second, as it sends them */
		log_info("the hub does not send delta boards: asking for whole ones");
		d->monitor_delta = false;
		desk_board_welcomed(d);
		return true;
	}
	if (code == PROTO_E_NOT_ALLOWED) {
		desk_set_fatal(d, _("the hub refused the supervisor's board to \"%s\": %s"), d->user,
		               _("monitor mode is for supervisors and admins"));
		return true;
	}
	return false;
}

static void desk_board_free(struct desk *d)
{
	if (!d->board)
		return;
	board_free(d->board);
	free(d->board);
	d->board = NULL;
}

/* ---------- applying hub frames ---------- */

static void desk_apply_welcome(struct desk *d, const struct proto_msg *m)
{
	if (m->op.user && *m->op.user)
		desk_replace(&d->user, m->op.user);
	desk_replace(&d->display, m->op.display);
	d->role = m->op.role;
	d->status = m->op.status;
	d->status_pending = false; /* a new session: what was asked on the old one is gone */
	if (m->op.capacity > 0)
		d->capacity = m->op.capacity;
	if (m->time > 0)
		d->skew_ms = m->time - proto_now_ms();

	/* dialogs we hold that the hub no longer gives us were released while we were away */
	for (size_t i = 0; i < d->n_dialogs; i++) {
		struct desk_dialog *dl = d->dialogs[i];
		bool listed = false;
		for (size_t k = 0; k < m->n_dialogs && !listed; k++)
			listed = m->dialogs[k].id == dl->id;
		if (!listed && desk_dialog_open(dl)) { /* (a watched one is watched again below) */
			dl->released = true;
			desk_replace(&dl->release_reason, _("no longer assigned to you"));
			dl->customer_typing = false;
			desk_recalc_unanswered(dl);
			desk_notify(d, DESK_CH_DIALOG, dl->id);
		}
	}
	for (size_t k = 0; k < m->n_dialogs; k++) {
		bool added;
		struct desk_dialog *dl = desk_merge_dialog(d, &m->dialogs[k], &added);
		desk_notify(d, added ? DESK_CH_ADDED : DESK_CH_DIALOG, dl->id);
	}
	desk_queue_set(d, m->items, m->n_items, m->total);
	desk_canned_set(d, m->canned, m->n_canned);
	d->welcomed = true;
	d->conn = DESK_CONN_ONLINE;
	d->retry_at = 0;
	d->attempt = 0;
	desk_replace(&d->conn_reason, NULL);
	desk_notify(d, DESK_CH_STATUS | DESK_CH_QUEUE | DESK_CH_CANNED, 0);
	desk_watch_again(d);
	desk_resend_pending(d);
	desk_board_welcomed(d);
}

static void desk_apply_assigned(struct desk *d, const struct proto_msg *m)
{
	if (m->n_dialogs < 1) {
		d->n_ignored++;
		return;
	}
	bool added;
	struct desk_dialog *dl = desk_merge_dialog(d, &m->dialogs[0], &added);
	desk_watch_assigned(d, dl); /* a watched dialog taken over: ours now, in the same pane */
	/* a chat we took is no longer waiting, whatever the next queue frame says */
	for (size_t i = 0; i < d->n_queue; i++) {
		if (d->queue[i].dialog == dl->id) {
			free(d->queue[i].customer);
			free(d->queue[i].queue);
			free(d->queue[i].preview);
			memmove(&d->queue[i], &d->queue[i + 1], (d->n_queue - i - 1) * sizeof *d->queue);
			d->n_queue--;
			if (d->queue_total > 0)
				d->queue_total--;
			desk_notify(d, DESK_CH_QUEUE, 0);
			break;
		}
	}
	desk_notify(d, added ? DESK_CH_ADDED : DESK_CH_DIALOG, dl->id);
	desk_notify(d, DESK_CH_STATUS, 0);
}

static void desk_apply_message(struct desk *d, const struct proto_msg *m)
{
	struct desk_dialog *dl = desk_dialog_find(d, m->msg.dialog);
	if (!dl) {
		log_debug("message for unknown dialog %lld", (long long)m->msg.dialog);
		d->n_ignored++;
		return;
	}
	if (!desk_add_hub_message(d, dl, &m->msg, true)) {
		d->n_ignored++;
		return;
	}
	desk_recalc_unanswered(dl);
	desk_notify(d, DESK_CH_DIALOG, dl->id);
}

static void desk_apply_ack(struct desk *d, const struct proto_msg *m)
{
	struct desk_dialog *dl = desk_dialog_find(d, m->dialog);
	ssize_t idx = dl ? desk_find_cmid(dl, m->client_msg_id) : -1;
	if (idx < 0) {
		log_debug("ack for unknown message %s", m->client_msg_id ? m->client_msg_id : "-");
		d->n_ignored++;
		return;
	}
	struct desk_message *msg = dl->msgs[idx];
	if (msg->seq != 0) {
		desk_set_delivery(dl, msg, DESK_DLV_ACKED); /* the message frame came first */
	} else {
		desk_confirm(dl, (size_t)idx, m->seq, m->time);
	}
	desk_recalc_unanswered(dl);
	desk_notify(d, DESK_CH_DIALOG, dl->id);
}

static struct desk_dialog *desk_dialog_or_ignore(struct desk *d, int64_t id)
{
	struct desk_dialog *dl = desk_dialog_find(d, id);
	if (!dl) {
		log_debug("unknown dialog %lld", (long long)id);
		d->n_ignored++;
	}
	return dl;
}

/* The pending message with this client id, in any dialog. */
static struct desk_message *desk_pending_by_cmid(const struct desk *d, const char *cmid, struct desk_dialog **dlp)
{
	for (size_t i = 0; cmid && i < d->n_dialogs; i++) {
		ssize_t idx = desk_find_cmid(d->dialogs[i], cmid);
		if (idx >= 0 && d->dialogs[i]->msgs[idx]->delivery == DESK_DLV_PENDING) {
			*dlp = d->dialogs[i];
			return d->dialogs[i]->msgs[idx];
		}
	}
	return NULL;
}

static void desk_apply_error(struct desk *d, const struct proto_msg *m)
{
	int code = m->code ? proto_errcode_parse(m->code) : -1;
	const char *text = m->message && *m->message ? m->message : (m->code ? m->code : _("unknown error"));
	struct desk_dialog *dl = NULL;
	struct desk_message *pend = desk_pending_by_cmid(d, m->ref, &dl);
	if (pend && code != PROTO_E_RATE_LIMITED) {
		desk_set_delivery(dl, pend, DESK_DLV_FAILED);
		desk_notify(d, DESK_CH_DIALOG, dl->id);
	}
	if (desk_board_refused(d, code, m->ref))
		return;
	if (code == PROTO_E_AUTH_FAILED && d->board) {
		desk_set_fatal(d, _("authentication failed for user \"%s\": %s (monitor mode is for supervisors and admins)"),
		               d->user, text);
		return;
	}
	if (code == PROTO_E_AUTH_FAILED) {
		desk_set_fatal(d, _("authentication failed for user \"%s\": %s"), d->user, text);
		return;
	}
	if (code == PROTO_E_CAPACITY && m->ref && strcmp(m->ref, "transfer") == 0) {
		/* the colleague's places are full, not ours */
		desk_set_error(d, _("that colleague has no free place for another chat: pick another, or a queue"));
		return;
	}
	if (code == PROTO_E_CAPACITY) { /* the hub's sentence is in English and long: ours is short */
		desk_set_error(d, _("all dialogs in use (%zu of %d): close one (F8) first"), desk_open_count(d), d->capacity);
		return;
	}
	if (m->ref && strcmp(m->ref, "watch") == 0 && desk_watch_refused(d, text))
		return;
	if (m->ref && strcmp(m->ref, "takeover") == 0)
		d->takeover_asked = 0;
	if (m->ref && strcmp(m->ref, "targets") == 0) {
		/* a hub that cannot list transfer targets: the popup goes on with its own queues and a typed name */
		desk_log(d, DESK_NOTICE_INFO, _("the hub cannot list transfer targets: %s"), text);
		return;
	}
	if (m->ref && strcmp(m->ref, "typing") == 0 &&
	    (code == PROTO_E_NO_SUCH_DIALOG || code == PROTO_E_DIALOG_CLOSED)) {
		/* a typing notice that crossed the dialog's leaving (a takeover, a close by the customer) on the way:
		 * nothing was lost, nothing to tell the operator */
		desk_log(d, DESK_NOTICE_INFO, _("a typing notice came too late: %s"), text);
		return;
	}
	desk_set_error(d, "%s", text);
}

void desk_apply(struct desk *d, const struct proto_msg *m)
{
	struct desk_dialog *dl;
	d->n_applied++;
	switch (m->type) {
	case PROTO_WELCOME:
		desk_apply_welcome(d, m);
		break;
	case PROTO_QUEUE:
		desk_queue_set(d, m->items, m->n_items, m->total);
		desk_notify(d, DESK_CH_QUEUE | DESK_CH_STATUS, 0);
		break;
	case PROTO_ASSIGNED:
		desk_apply_assigned(d, m);
		break;
	case PROTO_MESSAGE:
		desk_apply_message(d, m);
		break;
	case PROTO_ACK:
		desk_apply_ack(d, m);
		break;
	case PROTO_TYPING:
		if ((dl = desk_dialog_or_ignore(d, m->dialog))) {
			dl->customer_typing = m->on && (desk_dialog_open(dl) || desk_dialog_watch_live(dl));
			desk_notify(d, DESK_CH_DIALOG, dl->id);
		}
		break;
	case PROTO_CLOSED:
		if ((dl = desk_dialog_or_ignore(d, m->dialog))) {
			dl->state = PROTO_DS_CLOSED;
			dl->closed_by = m->by;
			if (m->topic)
				desk_replace(&dl->topic, m->topic);
			dl->customer_typing = false;
			desk_recalc_unanswered(dl);
			desk_notify(d, DESK_CH_DIALOG, dl->id);
			desk_notify(d, DESK_CH_STATUS, 0);
		}
		break;
	case PROTO_RATING:
		if ((dl = desk_dialog_or_ignore(d, m->dialog))) {
			dl->rating = m->score;
			desk_replace(&dl->rating_comment, m->comment);
			if (m->comment && *m->comment)
				desk_info(d, _("rated %d/5: %s: %s"), m->score, dl->customer, m->comment);
			else
				desk_info(d, _("rated %d/5: %s"), m->score, dl->customer);
			desk_notify(d, DESK_CH_DIALOG, dl->id);
		}
		break;
	case PROTO_RELEASED:
		if ((dl = desk_dialog_or_ignore(d, m->dialog))) {
			dl->released = true;
			desk_replace(&dl->release_reason, m->reason);
			desk_apply_released(d, dl, m); /* taken over: by whom */
			dl->customer_typing = false;
			desk_recalc_unanswered(dl);
			desk_notify(d, DESK_CH_DIALOG, dl->id);
			desk_notify(d, DESK_CH_STATUS, 0);
		}
		break;
	case PROTO_WATCHING:
		desk_apply_watching(d, m);
		break;
	case PROTO_WATCHERS:
		desk_apply_watchers(d, m);
		break;
	case PROTO_STATUS:
		d->status = m->status;
		if (d->status_pending && m->status == d->status_asked)
			d->status_pending = false;
		desk_notify(d, DESK_CH_STATUS, 0);
		break;
	case PROTO_ERROR:
		desk_apply_error(d, m);
		break;
	case PROTO_TARGETS:
		desk_apply_targets(d, m);
		break;
	case PROTO_FILE_LINK:
	case PROTO_UPLOAD_TICKET:
		desk_files_apply(d, m);
		break;
	case PROTO_REQUESTS:
	case PROTO_REQUEST_ANSWERED:
		desk_requests_apply(d, m);
		break;
	case PROTO_BOARD:
	case PROTO_ALERT:
		desk_board_apply(d, m);
		break;
	case PROTO_CARD:
	case PROTO_HISTORY_ANSWER:
	case PROTO_BLOCKED:
		desk_card_apply(d, m);
		break;
	default:
		log_warn("frame type %s does not belong to the agent endpoint", proto_type_name(m->type));
		d->n_applied--;
		d->n_ignored++;
		break;
	}
}

/* ---------- state from the transport and the UI ---------- */

void desk_set_conn(struct desk *d, enum desk_conn conn, const char *reason, int64_t retry_at)
{
	if (conn == DESK_CONN_ONLINE && d->conn != DESK_CONN_ONLINE)
		desk_log(d, DESK_NOTICE_INFO, _("connected"));
	else if (conn == DESK_CONN_OFFLINE && d->conn != DESK_CONN_OFFLINE)
		desk_log(d, DESK_NOTICE_ERROR, _("disconnected: %s"), reason ? reason : _("the connection was lost"));
	d->conn = conn;
	d->retry_at = retry_at;
	desk_replace(&d->conn_reason, reason);
	if (conn != DESK_CONN_ONLINE) {
		d->welcomed = false;
		for (size_t i = 0; i < d->n_dialogs; i++) {
			struct desk_dialog *dl = d->dialogs[i];
			dl->typing_sent = false;
			if (dl->customer_typing) {
				dl->customer_typing = false;
				desk_notify(d, DESK_CH_DIALOG, dl->id);
			}
		}
	}
	desk_notify(d, DESK_CH_STATUS, 0);
}

/* ---------- operator actions ---------- */

static struct desk_dialog *desk_open_dialog(struct desk *d, int64_t dialog)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!dl) {
		desk_set_error(d, _("no such dialog"));
		return NULL;
	}
	if (!desk_dialog_open(dl)) {
		desk_set_error(d, "%s", desk_dialog_refusal(dl));
		return NULL;
	}
	return dl;
}

bool desk_check_online(struct desk *d)
{
	if (d->conn == DESK_CONN_ONLINE && d->welcomed)
		return true;
	desk_set_error(d, _("not connected to the hub"));
	return false;
}

int desk_send_text(struct desk *d, int64_t dialog, const char *text)
{
	return desk_send_message(d, dialog, text, false);
}

/* A client_msg_id never used before by this operator (heap). */
char *desk_next_cmid(struct desk *d)
{
	return xasprintf("%s-%llu", d->cmid_prefix, (unsigned long long)++d->cmid_counter);
}

bool desk_text_ok(struct desk *d, const char *text)
{
	size_t len = strlen(text);
	if (len == 0)
		desk_set_error(d, _("nothing to send"));
	else if (len > PROTO_MAX_TEXT)
		desk_set_error(d, _("message too long (%zu bytes, at most %d)"), len, PROTO_MAX_TEXT);
	return len > 0 && len <= PROTO_MAX_TEXT;
}

int desk_send_message(struct desk *d, int64_t dialog, const char *text, bool note)
{
	struct desk_dialog *dl = desk_open_dialog(d, dialog);
	if (!dl || !desk_text_ok(d, text))
		return -1;
	char *cmid = desk_next_cmid(d);
	struct desk_message *m =
	    desk_message_new(d, 0, desk_now(d), note ? PROTO_FROM_NOTE : PROTO_FROM_OPERATOR, d->user, text, cmid);
	desk_set_delivery(dl, m, DESK_DLV_PENDING);
	desk_insert_at(dl, dl->n_msgs, m);
	desk_recalc_unanswered(dl);
	if (!note)
		dl->new_from_seq = 0; /* answered: the "new" line has done its job */
	struct proto_msg out = {
	    .type = PROTO_SEND, .dialog = dialog, .client_msg_id = cmid, .text = (char *)text, .note = note};
	if (desk_send(d, &out) < 0)
		log_info("offline, message %s stays pending", cmid);
	free(cmid);
	desk_notify(d, DESK_CH_DIALOG, dialog);
	return 0;
}

bool desk_message_has_cmid(const struct desk_dialog *dl, const char *cmid)
{
	for (size_t i = 0; i < dl->n_msgs; i++)
		if (dl->msgs[i]->has & DESK_MSG_CMID && strcmp(desk_message_cmid(dl->msgs[i]), cmid) == 0)
			return true;
	return false;
}

void desk_restore_pending(struct desk *d, int64_t dialog, const char *cmid, const char *text, bool note, int64_t time)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!dl || !desk_dialog_open(dl))
		return;
	if (desk_message_has_cmid(dl, cmid))
		return; /* the hub has it already (or it is pending here) */
	struct desk_message *m =
	    desk_message_new(d, 0, time, note ? PROTO_FROM_NOTE : PROTO_FROM_OPERATOR, d->user, text, cmid);
	desk_set_delivery(dl, m, DESK_DLV_PENDING);
	desk_insert_at(dl, dl->n_msgs, m);
	desk_recalc_unanswered(dl);
	desk_notify(d, DESK_CH_DIALOG, dialog);
}

void desk_reconnect_now(struct desk *d)
{
	if (d->conn != DESK_CONN_OFFLINE || !d->tr.reconnect) {
		desk_set_error(d, d->conn == DESK_CONN_OFFLINE ? _("this session cannot reconnect") : _("already connected"));
		return;
	}
	d->tr.reconnect(d->tr.arg);
}

int desk_claim(struct desk *d, int64_t dialog, enum proto_claim category, const char *text)
{
	if (!desk_open_dialog(d, dialog))
		return -1;
	char *cmid = desk_next_cmid(d); /* the retry key */
	struct proto_msg out = {.type = PROTO_CLAIM,
	                        .dialog = dialog,
	                        .category = category,
	                        .text = text && *text ? (char *)text : NULL,
	                        .client_msg_id = cmid};
	int rc = desk_send(d, &out);
	free(cmid);
	if (rc < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}

/* A dialog about to leave us (transfer, close): the customer's "operator is typing" ends now, while the dialog
 * is still ours; a typing frame after it would be refused (no_such_dialog) and shown as a false error. The
 * draft the action takes afterwards then sends nothing (typing_sent is false). */
static void desk_typing_end(struct desk *d, struct desk_dialog *dl)
{
	if (!dl->typing_sent)
		return;
	struct proto_msg out = {.type = PROTO_TYPING, .dialog = dl->id, .on = false};
	if (desk_send(d, &out) == 0)
		dl->typing_sent = false;
}

int desk_transfer(struct desk *d, int64_t dialog, const char *queue, const char *operator_name, const char *note)
{
	struct desk_dialog *dl = desk_open_dialog(d, dialog);
	if (!dl)
		return -1;
	desk_typing_end(d, dl);
	struct proto_msg out = {.type = PROTO_TRANSFER,
	                        .dialog = dialog,
	                        .queue = (char *)queue,
	                        .operator_name = (char *)operator_name,
	                        .note_text = note && *note ? (char *)note : NULL};
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}

int desk_take(struct desk *d, int64_t dialog)
{
	if (!desk_check_online(d))
		return -1;
	if (d->n_queue == 0 && d->queue_total == 0 && dialog == 0) {
		desk_set_error(d, _("nobody is waiting"));
		return -1;
	}
	if (desk_open_count(d) >= (size_t)d->capacity) {
		desk_set_error(d, _("all dialogs in use (%zu of %d): close one (F8) first"), desk_open_count(d), d->capacity);
		return -1;
	}
	struct proto_msg out = {.type = PROTO_TAKE, .dialog = dialog};
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}

int desk_request_targets(struct desk *d)
{
	desk_targets_clear(d); /* a stale list would offer colleagues who left: the new one comes in a moment */
	struct proto_msg out = {.type = PROTO_TARGETS};
	return desk_send(d, &out);
}

int desk_close(struct desk *d, int64_t dialog, const char *topic)
{
	struct desk_dialog *dl = desk_open_dialog(d, dialog);
	if (!dl)
		return -1;
	if (!topic || !proto_topic_valid(topic)) {
		desk_set_error(d, _("unknown wrap-up topic"));
		return -1;
	}
	if (!desk_check_online(d))
		return -1;
	desk_typing_end(d, dl);
	struct proto_msg out = {.type = PROTO_CLOSE, .dialog = dialog, .topic = (char *)topic};
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	return 0;
}

int desk_set_status(struct desk *d, enum proto_status status)
{
	if (!desk_check_online(d))
		return -1;
	struct proto_msg out = {.type = PROTO_STATUS, .status = status};
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	d->status_asked = status;
	d->status_pending = true;
	return 0;
}

enum proto_status desk_status_next(const struct desk *d)
{
	return d->status_pending ? d->status_asked : d->status;
}

void desk_draft_changed(struct desk *d, int64_t dialog)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!dl || !desk_dialog_open(dl))
		return;
	bool typing = !textedit_empty(&dl->draft);
	int64_t now = proto_now_ms();
	if (typing && dl->typing_sent && now - dl->typing_sent_at < DESK_TYPING_REFRESH_MS)
		return;
	if (!typing && !dl->typing_sent)
		return;
	struct proto_msg out = {.type = PROTO_TYPING, .dialog = dialog, .on = typing};
	if (desk_send(d, &out) == 0) {
		dl->typing_sent = typing;
		dl->typing_sent_at = now;
	}
}

int64_t desk_first_unread_seq(const struct desk_dialog *dl)
{
	size_t left = dl->unread;
	for (size_t i = dl->n_msgs; i-- > 0 && left > 0;) {
		if (dl->msgs[i]->sender != PROTO_FROM_CUSTOMER)
			continue;
		if (--left == 0)
			return dl->msgs[i]->seq;
	}
	return 0;
}

void desk_mark_read(struct desk *d, int64_t dialog)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (dl && (dl->unread || dl->unread_whispers)) {
		if (dl->unread)
			dl->new_from_seq = desk_first_unread_seq(dl);
		dl->unread = 0;
		dl->unread_whispers = 0;
		desk_notify(d, DESK_CH_DIALOG, dialog);
	}
}

void desk_dialog_remove(struct desk *d, size_t i)
{
	int64_t dialog = d->dialogs[i]->id;
	desk_dialog_free(d->dialogs[i]);
	memmove(&d->dialogs[i], &d->dialogs[i + 1], (d->n_dialogs - i - 1) * sizeof *d->dialogs);
	d->n_dialogs--;
	desk_notify(d, DESK_CH_REMOVED, dialog);
}

void desk_forget(struct desk *d, int64_t dialog)
{
	for (size_t i = 0; i < d->n_dialogs; i++) {
		if (d->dialogs[i]->id != dialog)
			continue;
		if (desk_dialog_open(d->dialogs[i]))
			return;
		if (d->dialogs[i]->watched) { /* the hub must stop sending its events too */
			desk_watch(d, dialog, false);
			return;
		}
		desk_dialog_remove(d, i);
		return;
	}
}

size_t desk_resume(const struct desk *d, struct proto_resume **out)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; i < d->n_dialogs; i++)
		n += desk_dialog_open(d->dialogs[i]);
	if (!n)
		return 0;
	if (n > PROTO_MAX_ITEMS)
		n = PROTO_MAX_ITEMS;
	struct proto_resume *r = xcalloc(n, sizeof *r);
	size_t k = 0;
	for (size_t i = 0; i < d->n_dialogs && k < n; i++) {
		const struct desk_dialog *dl = d->dialogs[i];
		if (!desk_dialog_open(dl))
			continue;
		/* the end of the first run of consecutive seqs: everything after a gap is asked for again */
		int64_t seq = 0;
		for (size_t j = 0; j < dl->n_msgs && dl->msgs[j]->seq > 0; j++) {
			if (seq && dl->msgs[j]->seq != seq + 1)
				break;
			seq = dl->msgs[j]->seq;
		}
		r[k].dialog = dl->id;
		r[k].seq = seq;
		k++;
	}
	*out = r;
	return k;
}

void desk_resend_pending(struct desk *d)
{
	for (size_t i = 0; i < d->n_dialogs; i++) {
		struct desk_dialog *dl = d->dialogs[i];
		bool changed = false;
		for (size_t j = 0; j < dl->n_msgs; j++) {
			struct desk_message *m = dl->msgs[j];
			if (m->delivery != DESK_DLV_PENDING)
				continue;
			if (!desk_dialog_open(dl) && !desk_dialog_watch_live(dl)) {
				desk_set_delivery(dl, m, DESK_DLV_FAILED);
				changed = true;
				continue;
			}
			struct proto_msg out;
			desk_pending_frame(dl, m, &out); /* a send, or a whisper in a watched dialog */
			desk_send(d, &out);
		}
		if (changed)
			desk_notify(d, DESK_CH_DIALOG, dl->id);
	}
}

int64_t desk_now(const struct desk *d)
{
	return proto_now_ms() + d->skew_ms;
}

int64_t desk_oldest_wait(const struct desk *d)
{
	int64_t oldest = 0;
	for (size_t i = 0; i < d->n_queue; i++)
		if (!oldest || d->queue[i].since < oldest)
			oldest = d->queue[i].since;
	return oldest;
}

/* replay.c: load a replay file and play it into the model on the event loop's timer (see replay.h and
 * docs/replay.md). */
#include "opdesk/replay.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

static int64_t replay_now_ms(void)
{
	return proto_now_ms();
}

/* ---- loading ---- */

static int line_error(char *err, size_t errlen, const char *path, int line, const char *fmt, const char *a)
{
	char msg[400];
	snprintf(msg, sizeof msg, fmt, a ? a : "");
	snprintf(err, errlen, "%s:%d: %s", path, line, msg);
	return -1;
}

static int load_header(struct replay *r, json_t *o, const char *path, char *err, size_t errlen)
{
	json_t *fmt = json_object_get(o, "opdesk_replay");
	if (!json_is_integer(fmt))
		return line_error(err, errlen, path, 1, "%sthe first line must be the header {\"opdesk_replay\":1,...}", NULL);
	if (json_integer_value(fmt) != REPLAY_FORMAT) {
		char v[32];
		snprintf(v, sizeof v, "%lld", (long long)json_integer_value(fmt));
		return line_error(err, errlen, path, 1, "format %s is not supported (this opdesk reads format 1)", v);
	}
	json_t *title = json_object_get(o, "title"), *t0 = json_object_get(o, "t0"), *monitor = json_object_get(o, "monitor");
	if (monitor && !json_is_boolean(monitor))
		return line_error(err, errlen, path, 1, "%s\"monitor\" must be true or false", NULL);
	if (title && !json_is_string(title))
		return line_error(err, errlen, path, 1, "%s\"title\" must be a string", NULL);
	if (!json_is_integer(t0) || json_integer_value(t0) < 0)
		return line_error(err, errlen, path, 1, "%s\"t0\" (the start time in ms since the epoch) is missing", NULL);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (strcmp(k, "opdesk_replay") != 0 && strcmp(k, "title") != 0 && strcmp(k, "t0") != 0 &&
		    strcmp(k, "monitor") != 0)
			return line_error(err, errlen, path, 1, "unknown header field \"%s\"", k);
	}
	r->title = xstrdup(title ? json_string_value(title) : "");
	r->t0 = json_integer_value(t0);
	r->monitor = monitor && json_is_true(monitor);
	return 0;
}

/* Check one event line and fill *it and *at. */
static int parse_event(const struct replay *r, json_t *o, int line, int64_t prev_at, struct replay_item *it,
                       int64_t *at_out, char *err, size_t errlen)
{
	const char *path = r->path;
	memset(it, 0, sizeof *it);
	json_t *at = json_object_get(o, "at"), *frame = json_object_get(o, "frame"), *cmd = json_object_get(o, "cmd");
	json_t *arg = json_object_get(o, "arg");
	if (!json_is_integer(at) || json_integer_value(at) < 0)
		return line_error(err, errlen, path, line, "%s\"at\" (ms since the start) is missing or negative", NULL);
	if (json_integer_value(at) < prev_at)
		return line_error(err, errlen, path, line, "%s\"at\" goes back in time", NULL);
	if (!frame == !cmd)
		return line_error(err, errlen, path, line, "%sa line has either \"frame\" or \"cmd\"", NULL);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (strcmp(k, "at") != 0 && strcmp(k, "frame") != 0 && strcmp(k, "cmd") != 0 && strcmp(k, "arg") != 0)
			return line_error(err, errlen, path, line, "unknown field \"%s\"", k);
	}
	*at_out = json_integer_value(at);
	if (frame) {
		if (arg)
			return line_error(err, errlen, path, line, "%s\"arg\" belongs to a \"cmd\" line", NULL);
		struct proto_error perr;
		if (proto_decode_value(PROTO_HUB_TO_AGENT, frame, &it->frame, &perr) < 0)
			return line_error(err, errlen, path, line, "bad frame: %s", perr.detail);
		it->is_frame = true;
	} else {
		if (!json_is_string(cmd) || (arg && !json_is_string(arg)))
			return line_error(err, errlen, path, line, "%s\"cmd\" and \"arg\" must be strings", NULL);
		if (r->known_cmd && !r->known_cmd(json_string_value(cmd)))
			return line_error(err, errlen, path, line, "unknown command \"%s\"", json_string_value(cmd));
		it->cmd = xstrdup(json_string_value(cmd));
		it->arg = arg ? xstrdup(json_string_value(arg)) : NULL;
	}
	return 0;
}

/* Parse the line in r->line (len bytes, line number ln) as JSON: an object, or -1 with err set. */
static json_t *parse_line(const struct replay *r, size_t len, int ln, char *err, size_t errlen)
{
	json_error_t je;
	/* a line holds at most one frame, nested one level deeper than a frame may be */
	if (len > PROTO_MAX_FRAME_OUT + 256) {
		line_error(err, errlen, r->path, ln, "%sline longer than a frame may be", NULL);
		return NULL;
	}
	if (proto_json_depth_over(r->line, len, PROTO_MAX_DEPTH + 1)) {
		line_error(err, errlen, r->path, ln, "%sJSON nested too deep", NULL);
		return NULL;
	}
	json_t *o = json_loadb(r->line, len, JSON_REJECT_DUPLICATES, &je);
	if (!o || !json_is_object(o)) {
		line_error(err, errlen, r->path, ln, "not a JSON object: %s", o ? "" : je.text);
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Read the next line into r->line without its line end; returns its length, or -1 at the end. */
static ssize_t read_line(struct replay *r)
{
	ssize_t len = getline(&r->line, &r->line_cap, r->f);
	while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r'))
		r->line[--len] = '\0';
	return len;
}

/* A frame of event r->n carries (dialog, seq): extend the dialog's newest run when the seq follows it or
 * lies in it, else start a run (replay_load sorts and merges them at the end). */
static void add_mark(struct replay *r, int64_t dialog, int64_t seq)
{
	for (size_t k = r->n_runs, seen = 0; k-- > 0 && seen < 64; seen++) {
		struct replay_seqrun *u = &r->runs[k];
		if (u->dialog != dialog)
			continue;
		if (seq >= u->lo && seq <= u->hi + 1) {
			if (seq > u->hi)
				u->hi = seq;
			u->last = r->n;
			return;
		}
		break;
	}
	r->runs = xgrow(r->runs, &r->cap_runs, r->n_runs + 1, sizeof *r->runs);
	r->runs[r->n_runs++] = (struct replay_seqrun){dialog, seq, seq, r->n};
}

static int run_cmp(const void *a, const void *b)
{
	const struct replay_seqrun *x = a, *y = b;
	if (x->dialog != y->dialog)
		return x->dialog < y->dialog ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort the runs and merge those of a dialog that overlap or touch: a seq's run then says whether any frame
 * still to come carries it (the seqs the player asks about are above the dialog's newest applied one). */
static void merge_runs(struct replay *r)
{
	if (r->n_runs < 2)
		return;
	qsort(r->runs, r->n_runs, sizeof *r->runs, run_cmp);
	size_t o = 0;
	for (size_t i = 1; i < r->n_runs; i++) {
		struct replay_seqrun *u = &r->runs[o], *v = &r->runs[i];
		if (v->dialog == u->dialog && v->lo <= u->hi + 1) {
			if (v->hi > u->hi)
				u->hi = v->hi;
			if (v->last > u->last)
				u->last = v->last;
		} else {
			r->runs[++o] = *v;
		}
	}
	r->n_runs = o + 1;
}

/* Remember the event and the messages its frame carries. */
static int add_event(struct replay *r, const struct replay_item *it, int64_t at, int64_t offset, int line,
                     char *err, size_t errlen)
{
	uint64_t skipped = (uint64_t)line - r->n - 2;
	if ((uint64_t)offset > REPLAY_MAX_OFFSET || skipped > REPLAY_MAX_SKIPPED || (uint64_t)at > REPLAY_MAX_AT)
		return line_error(err, errlen, r->path, line,
		                  "%sthe file is too large (1 TiB, 16 million comment lines, 49 days)", NULL);
	if (it->is_frame) {
		const struct proto_msg *m = &it->frame;
		if (m->type == PROTO_MESSAGE)
			add_mark(r, m->msg.dialog, m->msg.seq);
		for (size_t k = 0; k < m->n_dialogs; k++)
			for (size_t j = 0; j < m->dialogs[k].n_messages; j++)
				add_mark(r, m->dialogs[k].id, m->dialogs[k].messages[j].seq);
	}
	r->ev = xgrow(r->ev, &r->cap, r->n + 1, sizeof *r->ev);
	r->ev[r->n++] = (struct replay_event){.at = (uint32_t)at,
	                                      .offset_lo = (uint32_t)offset,
	                                      .offset_hi = (uint32_t)((uint64_t)offset >> 32),
	                                      .skipped = (uint32_t)skipped};
	return 0;
}

int replay_event_line(const struct replay *r, size_t i)
{
	return (int)(i + 2 + r->ev[i].skipped);
}

int replay_load(struct replay *r, const char *path, bool (*known_cmd)(const char *name), char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->speed = 1;
	r->f = fopen(path, "re");
	if (!r->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r->path = xstrdup(path);
	r->known_cmd = known_cmd;
	ssize_t len;
	int ln = 0, rc = 0;
	int64_t prev_at = 0, offset = 0;
	while (rc == 0 && (len = read_line(r)) >= 0) {
		int64_t at_offset = offset;
		offset = (int64_t)ftello(r->f);
		ln++;
		if (len == 0 || r->line[0] == '#')
			continue;
		json_t *o = parse_line(r, (size_t)len, ln, err, errlen);
		if (!o) {
			rc = -1;
		} else if (!r->title) {
			rc = load_header(r, o, path, err, errlen);
			if (rc == 0 && ln != 1)
				rc = line_error(err, errlen, path, ln, "%sthe header must be the first line", NULL);
		} else {
			struct replay_item it;
			int64_t at;
			rc = parse_event(r, o, ln, prev_at, &it, &at, err, errlen);
			if (rc == 0)
				rc = add_event(r, &it, at, at_offset, ln, err, errlen);
			if (rc == 0)
				prev_at = at;
			replay_item_free(&it);
		}
		json_decref(o);
	}
	if (rc == 0 && !r->title)
		rc = line_error(err, errlen, path, 1, "%sempty: no header", NULL);
	if (rc != 0)
		replay_free(r);
	else
		merge_runs(r);
	return rc;
}

int replay_read(struct replay *r, size_t i, struct replay_item *it, char *err, size_t errlen)
{
	memset(it, 0, sizeof *it);
	const struct replay_event *e = &r->ev[i];
	int line = replay_event_line(r, i);
	ssize_t len;
	int64_t at;
	/* events are read in order, so the file is usually where this line starts already */
	off_t offset = (off_t)((uint64_t)e->offset_hi << 32 | e->offset_lo);
	if (ftello(r->f) != offset && fseeko(r->f, offset, SEEK_SET) != 0)
		return line_error(err, errlen, r->path, line, "cannot read: %s", strerror(errno));
	if ((len = read_line(r)) < 0)
		return line_error(err, errlen, r->path, line, "%sthe file got shorter while playing", NULL);
	json_t *o = parse_line(r, (size_t)len, line, err, errlen);
	int rc = o ? parse_event(r, o, line, 0, it, &at, err, errlen) : -1;
	json_decref(o);
	if (rc == 0 && at != e->at)
		rc = line_error(err, errlen, r->path, line, "%sthe file changed while playing", NULL);
	if (rc != 0)
		replay_item_free(it);
	return rc;
}

void replay_item_free(struct replay_item *it)
{
	if (it->is_frame)
		proto_msg_free(&it->frame);
	free(it->cmd);
	free(it->arg);
	memset(it, 0, sizeof *it);
}

void replay_free(struct replay *r)
{
	replay_stop(r);
	if (r->f)
		fclose(r->f);
	free(r->ev);
	free(r->runs);
	free(r->title);
	free(r->path);
	free(r->line);
	memset(r, 0, sizeof *r);
}

/* ---- playing ---- */

/* Move every time in the frame by delta ms, so that a recorded session looks live now. */
static void shift_times(struct proto_msg *m, int64_t delta)
{
	if (m->time)
		m->time += delta;
	if (m->msg.time)
		m->msg.time += delta;
	for (size_t i = 0; i < m->n_dialogs; i++) {
		m->dialogs[i].opened += delta;
		for (size_t k = 0; k < m->dialogs[i].n_messages; k++)
			m->dialogs[i].messages[k].time += delta;
	}
	for (size_t i = 0; i < m->n_items; i++)
		m->items[i].since += delta;
	/* the board's and the alerts' times (0 stays: "none") */
#define SHIFT(x) ((x) = (x) ? (x) + delta : 0)
	SHIFT(m->oldest);
	SHIFT(m->since);
	for (size_t i = 0; i < m->n_board_ops; i++) {
		SHIFT(m->board_ops[i].since);
		for (size_t k = 0; k < m->board_ops[i].n_chats; k++)
			SHIFT(m->board_ops[i].chats[k].unanswered);
	}
	for (size_t i = 0; i < m->n_board_queues; i++)
		SHIFT(m->board_queues[i].oldest);
	for (size_t i = 0; i < m->n_trend; i++)
		SHIFT(m->trend[i].time);
	/* the customer's card, a chat read from it, the offline requests */
	for (size_t i = 0; i < m->n_names; i++)
		SHIFT(m->names[i].time);
	for (size_t i = 0; i < m->n_contacts; i++)
		SHIFT(m->contacts[i].time);
	for (size_t i = 0; i < m->n_chats; i++) {
		SHIFT(m->chats[i].opened);
		SHIFT(m->chats[i].closed);
	}
	for (size_t i = 0; i < m->n_messages; i++)
		SHIFT(m->messages[i].time);
	for (size_t i = 0; i < m->n_requests; i++)
		SHIFT(m->requests[i].time);
#undef SHIFT
}

int replay_apply(struct replay *r, size_t i, int64_t now)
{
	struct replay_item it;
	char err[512];
	if (replay_read(r, i, &it, err, sizeof err) < 0) {
		log_error("%s", err);
		desk_set_error(r->desk, "%s", err);
		return -1;
	}
	if (it.is_frame && it.frame.type == PROTO_ACK) {
		/* the live session's acks name its own message ids; the player acknowledges itself */
	} else if (it.is_frame) {
		shift_times(&it.frame, now - (r->t0 + r->ev[i].at));
		desk_apply(r->desk, &it.frame);
	} else if (r->run_cmd) {
		r->run_cmd(r->cmd_arg, it.cmd, it.arg);
	}
	replay_item_free(&it);
	return 0;
}

/* Does any frame still to come carry a message of `dialog` with this seq? Asked about seqs above the
 * dialog's newest (every frame played so far has raised it past the seqs it carried). */
static bool replay_seq_taken(const struct replay *r, int64_t dialog, int64_t seq)
{
	size_t lo = 0, hi = r->n_runs;
	while (lo < hi) { /* the first run after (dialog, seq) */
		size_t mid = lo + (hi - lo) / 2;
		const struct replay_seqrun *u = &r->runs[mid];
		if (u->dialog < dialog || (u->dialog == dialog && u->lo <= seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct replay_seqrun *u = lo > 0 ? &r->runs[lo - 1] : NULL;
	return u && u->dialog == dialog && seq <= u->hi && u->last >= r->next;
}

/* The operator's frames never leave. A message is acknowledged at once with the seq the hub gave it in the
 * session: the first one after the dialog's newest that no later frame of the file uses (the hub never
 * sends the operator's own messages back, only the customer's, system lines and notes). The rest (take,
 * close, transfer ...) are answered by the frames the file holds. */
static int replay_send(void *arg, const struct proto_msg *msg)
{
	struct replay *r = arg;
	if (msg->type != PROTO_SEND && msg->type != PROTO_WHISPER)
		return 0;
	struct desk_dialog *dl = desk_dialog_find(r->desk, msg->dialog);
	struct proto_msg ack = {
	    .type = PROTO_ACK,
	    .client_msg_id = msg->client_msg_id,
	    .dialog = msg->dialog,
	    .id = ++r->acked,
	    .seq = (dl ? dl->last_seq : 0) + 1,
	    .time = desk_now(r->desk),
	};
	while (replay_seq_taken(r, msg->dialog, ack.seq))
		ack.seq++;
	desk_apply(r->desk, &ack);
	return 0;
}

void replay_attach(struct replay *r, struct desk *d, void (*run_cmd)(void *, const char *, const char *),
                   void (*played)(void *), void *arg)
{
	r->desk = d;
	r->run_cmd = run_cmd;
	r->played = played;
	r->cmd_arg = arg;
	r->acked = INT64_C(1) << 40; /* far above the ids in any file */
	struct desk_transport tr = {.send = replay_send, .arg = r};
	desk_set_transport(d, &tr);
	desk_set_conn(d, DESK_CONN_ONLINE, NULL, 0);
}

/* Where playback stands, in file time. */
static int64_t replay_position(const struct replay *r, int64_t now)
{
	if (r->paused)
		return r->base_at;
	return r->base_at + (int64_t)((double)(now - r->base_real) * r->speed);
}

static void replay_schedule(struct replay *r);

static void replay_finish(struct replay *r)
{
	r->finished = true;
	log_info("replay finished (%zu events)", r->n);
	desk_notify(r->desk, DESK_CH_STATUS, 0);
}

static void replay_timer(lws_sorted_usec_list_t *sul)
{
	struct replay *r = lws_container_of(sul, struct replay, sul);
	int64_t now = replay_now_ms();
	int64_t pos = replay_position(r, now);
	/* bounded work per pass, so that keys stay responsive at any speed */
	int k = 0;
	for (; k < 256 && r->next < r->n && r->ev[r->next].at <= pos; k++)
		if (replay_apply(r, r->next++, now) < 0)
			r->next = r->n; /* the file changed: stop here, with the error shown */
	if (r->next >= r->n && !r->finished)
		replay_finish(r);
	replay_schedule(r);
	if ((k > 0 || r->finished) && r->played)
		r->played(r->cmd_arg);
}

static void replay_schedule(struct replay *r)
{
	if (!r->ctx || r->paused || r->next >= r->n)
		return;
	int64_t now = replay_now_ms();
	int64_t wait_at = r->ev[r->next].at - replay_position(r, now);
	int64_t us = wait_at <= 0 ? 1 : (int64_t)((double)wait_at * 1000.0 / r->speed);
	lws_sul_schedule(r->ctx, 0, &r->sul, replay_timer, us);
}

void replay_start(struct replay *r, struct lws_context *ctx, double speed)
{
	r->ctx = ctx;
	r->speed = speed;
	r->base_real = replay_now_ms();
	r->base_at = 0;
	replay_schedule(r);
}

void replay_stop(struct replay *r)
{
	if (r->ctx)
		lws_sul_cancel(&r->sul);
	r->ctx = NULL;
}

static void replay_rebase(struct replay *r)
{
	int64_t now = replay_now_ms();
	r->base_at = replay_position(r, now);
	if (r->next < r->n && r->base_at > r->ev[r->next].at)
		r->base_at = r->ev[r->next].at;
	r->base_real = now;
}

void replay_pause(struct replay *r, bool paused)
{
	if (paused == r->paused)
		return;
	replay_rebase(r);
	r->paused = paused;
	if (paused && r->ctx)
		lws_sul_cancel(&r->sul);
	replay_schedule(r);
	desk_notify(r->desk, DESK_CH_STATUS, 0);
}

void replay_step(struct replay *r)
{
	if (r->next >= r->n)
		return;
	int64_t now = replay_now_ms();
	r->base_at = r->ev[r->next].at;
	r->base_real = now;
	if (replay_apply(r, r->next++, now) < 0)
		r->next = r->n;
	if (r->next >= r->n)
		replay_finish(r);
	if (r->ctx)
		lws_sul_cancel(&r->sul);
	replay_schedule(r);
	desk_notify(r->desk, DESK_CH_STATUS, 0);
}

void replay_set_speed(struct replay *r, double speed)
{
	if (speed < REPLAY_MIN_SPEED)
		speed = REPLAY_MIN_SPEED;
	if (speed > REPLAY_MAX_SPEED)
		speed = REPLAY_MAX_SPEED;
	replay_rebase(r);
	r->speed = speed;
	if (r->ctx)
		lws_sul_cancel(&r->sul);
	replay_schedule(r);
	desk_notify(r->desk, DESK_CH_STATUS, 0);
}

/* bridge.c: opdesk-bridge's relay (see bridge.h). One WebSocket connection (ws_conn) to the hub's bridge
 * endpoint on the client event loop; stdin lines are checked as bridge frames and sent; every frame from the
 * hub is written to stdout as one JSON line. Customer messages stay in an outbox until the hub acknowledges
 * them and are sent again after a reconnect (the hub stores a client_msg_id once). The id of the last hub
 * message written out is kept in the state file, so that after a restart the hub sends only what came after
 * it. */
#include "bridge.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/client_loop.h"
#include "opdesk/ws_conn.h"
#include "opdesk/log.h"
#include "opdesk/proto.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

/* Reconnect back-off: half to all of 0.5 s, 1 s, 2 s ... 30 s (each delay plus up to 100% jitter). */
static const uint32_t bridge_backoff_ms[] = {250, 500, 1000, 2000, 4000, 8000, 15000};
#define BRIDGE_MAX_LINE PROTO_MAX_FRAME_IN

struct frame {
	struct frame *next;
	bool keep;        /* a customer message: kept until acked */
	char *contact, *client_msg_id;
	size_t len;
	char json[];
};

struct bridge {
	const struct bridge_config *cfg;
	struct client_loop *loop;
	struct ws_conn *conn;
	bool authed, input_eof, failed;
	/* every frame not yet written, and customer messages not yet acked: what is not acked is queued on the
	 * connection again after each welcome; typing and ratings leave once written (ws_conn_ops.sent) */
	struct frame *outbox;
	int64_t after;                /* the last hub message id written out */
	char *in;                     /* the stdin line so far (BRIDGE_MAX_LINE bytes) */
	size_t in_len;
	long line_no;
};

/* ---- the state file ---- */

static int64_t state_load(const char *path)
{
	FILE *f = path ? fopen(path, "re") : NULL;
	long long v = 0;
	if (f) {
		if (fscanf(f, "%lld", &v) != 1 || v < 0)
			v = 0;
		fclose(f);
	}
	return v;
}

static void state_save(struct bridge *b)
{
	if (!b->cfg->state_path)
		return;
	char *tmp = xasprintf("%s.tmp", b->cfg->state_path);
	FILE *f = fopen(tmp, "we");
	bool ok = f && fprintf(f, "%lld\n", (long long)b->after) > 0;
	if (f)
		ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp, b->cfg->state_path) != 0)
		log_error("cannot write the state file %s: %s (after a restart, messages may be written out twice)",
			  b->cfg->state_path, strerror(errno));
	free(tmp);
}

/* ---- the outbox ---- */

static void frame_free(struct frame *f)
{
	free(f->contact);
	free(f->client_msg_id);
	free(f);
}

/* Queue a frame on this connection; one not kept comes back in bridge_sent once written. */
static void outbox_send(struct bridge *b, struct frame *f)
{
	ws_conn_send(b->conn, f->json, f->len, f->keep ? NULL : f);
}

static void outbox_add(struct bridge *b, const struct proto_msg *m)
{
	size_t len;
	struct proto_error err;
	char *json = proto_encode(PROTO_BRIDGE_TO_HUB, m, &len, &err);
	if (!json) {
		log_error("cannot encode %s: %s", proto_type_name(m->type), err.detail);
		return;
	}
	struct frame *f = xcalloc(1, sizeof *f + len);
	f->keep = m->type == PROTO_CSAY;
	if (f->keep) {
		f->contact = xstrdup(m->contact);
		f->client_msg_id = xstrdup(m->client_msg_id);
	}
	f->len = len;
	memcpy(f->json, json, len);
	free(json);
	struct frame **p = &b->outbox;
	while (*p)
		p = &(*p)->next;
	*p = f;
	if (b->authed)
		outbox_send(b, f);
}

static bool outbox_empty(const struct bridge *b)
{
	return !b->outbox;
}

/* The hub acknowledged a message: it leaves the outbox. */
static void outbox_acked(struct bridge *b, const char *contact, const char *client_msg_id)
{
	for (struct frame **p = &b->outbox; *p; p = &(*p)->next) {
		struct frame *f = *p;
		if (f->keep && strcmp(f->contact, contact) == 0 && strcmp(f->client_msg_id, client_msg_id) == 0) {
			*p = f->next;
			frame_free(f);
			return;
		}
	}
}

static void maybe_done(struct bridge *b)
{
	if (b->input_eof && outbox_empty(b)) {
		log_info("stdin ended and the hub has every message: leaving");
		client_loop_quit(b->loop);
	}
}

/* ---- the connection ---- */

static void bridge_connected(void *arg)
{
	struct bridge *b = arg;
	log_info("connected to %s", ws_conn_url(b->conn));
	struct proto_msg m = { .type = PROTO_HELLO, .user = (char *)b->cfg->user, .secret = (char *)b->cfg->secret,
			       .after = b->after, .client = "opdesk-bridge/" OPDESK_VERSION };
	size_t len;
	struct proto_error err;
	char *json = proto_encode(PROTO_BRIDGE_TO_HUB, &m, &len, &err);
	if (!json) {
		log_error("cannot encode hello: %s", err.detail);
		ws_conn_leave(b->conn);
		return;
	}
	ws_conn_send(b->conn, json, len, NULL);
	explicit_bzero(json, len);
	free(json);
}

/* A typing notice or a rating was written: it is done. */
static void bridge_sent(void *arg, void *tag)
{
	struct bridge *b = arg;
	if (!tag)
		return;
	for (struct frame **p = &b->outbox; *p; p = &(*p)->next)
		if (*p == tag) {
			*p = ((struct frame *)tag)->next;
			frame_free(tag);
			break;
		}
	maybe_done(b);
}

/* One frame from the hub: out to stdout as a JSON line, and what it means for the bridge. */
static void from_hub(struct bridge *b, const struct proto_msg *m, const char *json, size_t len)
{
	if (m->type == PROTO_MESSAGE && m->msg.id <= b->after)
		return; /* written out before (the hub resends what came after the state file's id) */
	fwrite(json, 1, len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	switch (m->type) {
	case PROTO_WELCOME:
		ws_conn_backoff_reset(b->conn);
		log_info("signed in for %s", proto_channel_name(m->channel));
		for (struct frame *f = b->outbox; f && !b->authed; f = f->next)
			outbox_send(b, f); /* everything not acknowledged goes again, in order (once a connection) */
		b->authed = true;
		maybe_done(b);
		break;
	case PROTO_MESSAGE:
		b->after = m->msg.id;
		state_save(b);
		break;
	case PROTO_ACK:
		outbox_acked(b, m->contact, m->client_msg_id);
		maybe_done(b);
		break;
	case PROTO_ERROR:
		if (strcmp(m->code, "auth_failed") == 0) {
			textsafe_printf(stderr, "opdesk-bridge: the hub refused the sign-in of %s: %s", b->cfg->user, m->message);
			b->failed = true;
			client_loop_quit(b->loop);
		} else {
			log_warn("hub error %s: %s%s%s", m->code, m->message, m->ref ? " ref=" : "", m->ref ? m->ref : "");
		}
		break;
	default:
		break;
	}
}

static void bridge_frame(void *arg, const char *json, size_t len)
{
	struct bridge *b = arg;
	struct proto_msg m;
	struct proto_error err;
	if (proto_decode(PROTO_HUB_TO_BRIDGE, json, len, &m, &err) == 0) {
		from_hub(b, &m, json, len);
		proto_msg_free(&m);
	} else {
		log_warn("a bad frame from the hub (%s): %s", proto_errcode_name(err.code), err.detail);
	}
}

static void bridge_dropped(void *arg, enum ws_conn_drop why)
{
	(void)arg;
	if (why == WS_CONN_DROP_BINARY)
		log_warn("a binary frame from the hub dropped");
	else
		log_warn("a frame over %d bytes from the hub dropped", PROTO_MAX_FRAME_OUT);
}

static void bridge_ended(void *arg, const struct ws_conn_end *end)
{
	struct bridge *b = arg;
	if (end->established)
		log_warn("the connection to the hub closed");
	else
		log_warn("cannot connect to %s: %s", ws_conn_url(b->conn),
			 end->error && *end->error ? end->error : "unknown error");
	b->authed = false;
	if (!b->failed)
		log_info("reconnecting in %u ms", ws_conn_retry(b->conn));
}

static const struct ws_conn_ops bridge_ops = {
	.connected = bridge_connected,
	.frame = bridge_frame,
	.dropped = bridge_dropped,
	.sent = bridge_sent,
	.ended = bridge_ended,
};

/* ---- stdin ---- */

static void input_line(struct bridge *b, char *line, size_t len)
{
	b->line_no++;
	if (len > BRIDGE_MAX_LINE) {
		fprintf(stderr, "opdesk-bridge: stdin:%ld: longer than %d bytes (line skipped)\n", b->line_no,
			BRIDGE_MAX_LINE);
		return;
	}
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return;
	struct proto_msg m;
	struct proto_error err;
	if (proto_decode(PROTO_BRIDGE_TO_HUB, line, len, &m, &err) != 0) {
		textsafe_printf(stderr, "opdesk-bridge: stdin:%ld: %s: %s (line skipped)", b->line_no,
				proto_errcode_name(err.code), err.detail);
		return;
	}
	if (m.type == PROTO_HELLO)
		fprintf(stderr, "opdesk-bridge: stdin:%ld: hello is the bridge's own (line skipped)\n", b->line_no);
	else if (m.type == PROTO_CTYPING && !b->authed)
		; /* stale by the time the hub is back */
	else
		outbox_add(b, &m);
	proto_msg_free(&m);
}

/* stdin ended (read 0, or the loop saw it hang up): the last line without a newline still counts */
static void input_end(void *arg)
{
	struct bridge *b = arg;
	if (b->input_eof)
		return;
	if (b->in_len)
		input_line(b, b->in, b->in_len);
	b->in_len = 0;
	b->input_eof = true;
	maybe_done(b);
}

static void input_ready(void *arg)
{
	struct bridge *b = arg;
	char buf[65536];
	ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		input_end(b);
		client_loop_input_close(b->loop);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			input_line(b, b->in, b->in_len);
			b->in_len = 0;
			continue;
		}
		if (b->in_len >= BRIDGE_MAX_LINE) { /* too long: only counted, refused whole when it ends */
			b->in_len = BRIDGE_MAX_LINE + 1;
			continue;
		}
		b->in[b->in_len++] = buf[i];
	}
}

static void on_signal(void *arg, const struct signalfd_siginfo *si)
{
	struct bridge *b = arg;
	if (si->ssi_signo == SIGINT || si->ssi_signo == SIGTERM || si->ssi_signo == SIGHUP) {
		log_info("%s: leaving", strsignal((int)si->ssi_signo));
		client_loop_quit(b->loop);
	}
}

int bridge_run(const struct bridge_config *cfg, char **cause)
{
	struct bridge b;
	memset(&b, 0, sizeof b);
	b.cfg = cfg;
	struct ws_conn_config cc = {
		.url = cfg->url,
		.subprotocol = PROTO_SUBPROTOCOL_BRIDGE,
		.max_message = PROTO_MAX_FRAME_OUT,
		.backoff_ms = bridge_backoff_ms,
		.n_backoff = LWS_ARRAY_SIZE(bridge_backoff_ms),
		.jitter_percent = 100,
		.ops = &bridge_ops,
		.arg = &b,
	};
	b.conn = ws_conn_new(&cc, cause);
	if (!b.conn)
		return -1;
	b.after = state_load(cfg->state_path);
	b.in = xmalloc(BRIDGE_MAX_LINE);
	int rc = -1;
	if (client_loop_block_signals(cause) != 0)
		goto out;
	static const struct client_loop_ops no_ops;
	struct client_loop_ops ops = no_ops;
	ops.input = input_ready;
	ops.input_end = input_end;
	ops.signal = on_signal;
	ops.arg = &b;
	struct lws_protocols ws = ws_conn_protocol(PROTO_SUBPROTOCOL_BRIDGE, 65536);
	struct client_loop_tls tls = { .on = ws_conn_tls(b.conn), .ca_file = cfg->ca_file };
	int in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	b.loop = client_loop_new(&ops, &ws, &tls, in, cause);
	if (!b.loop)
		goto out;
	log_info("bridge %s: after message %lld", cfg->user, (long long)b.after);
	ws_conn_start(b.conn, client_loop_context(b.loop));
	rc = client_loop_run(b.loop);
	ws_conn_stop(b.conn);
	client_loop_free(b.loop);
	if (rc)
		*cause = xstrdup("the event loop failed");
	else if (b.failed)
		rc = 1; /* the reason is on stderr already */
	else if (!outbox_empty(&b))
		log_warn("leaving with messages the hub has not acknowledged (they are not stored by the bridge)");
out:
	ws_conn_free(b.conn);
	while (b.outbox) {
		struct frame *f = b.outbox;
		b.outbox = f->next;
		frame_free(f);
	}
	free(b.in);
	return rc;
}

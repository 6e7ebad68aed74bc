/* bridge.c: opdesk-bridge's relay (see bridge.h). One WebSocket to the hub's bridge endpoint on the client
 * event loop; stdin lines are checked as bridge frames and sent; every frame from the hub is written to
 * stdout as one JSON line. Customer messages stay in an outbox until the hub acknowledges them and are sent
 * again after a reconnect (the hub stores a client_msg_id once). The id of the last hub message written out
 * is kept in the state file, so that after a restart the hub sends only what came after it. */
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
#include "opdesk/xalloc.h"

#define BRIDGE_BACKOFF_MIN_MS 500
#define BRIDGE_BACKOFF_MAX_MS 30000
#define BRIDGE_MAX_LINE PROTO_MAX_FRAME_IN

struct frame {
	struct frame *next;
	bool keep;        /* a customer message: kept until acked */
	char *contact, *client_msg_id;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes, then the JSON */
};

struct bridge {
	const struct bridge_config *cfg;
	struct client_loop *loop;
	struct lws_context *ctx;
	struct lws *wsi;
	char *host, *path;
	int port;
	bool tls, authed, input_eof, failed;
	struct frame *outbox;         /* every frame not yet written, and customer messages not yet acked */
	struct frame *cursor;         /* the next one to write on this connection */
	int64_t after;                /* the last hub message id written out */
	int backoff_ms;
	lws_sorted_usec_list_t retry;
	char *rx;
	size_t rx_len;
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

static void outbox_add(struct bridge *b, const struct proto_msg *m)
{
	size_t len;
	struct proto_error err;
	char *json = proto_encode(PROTO_BRIDGE_TO_HUB, m, &len, &err);
	if (!json) {
		log_error("cannot encode %s: %s", proto_type_name(m->type), err.detail);
		return;
	}
	struct frame *f = xcalloc(1, sizeof *f + LWS_PRE + len);
	f->keep = m->type == PROTO_CSAY;
	if (f->keep) {
		f->contact = xstrdup(m->contact);
		f->client_msg_id = xstrdup(m->client_msg_id);
	}
	f->len = len;
	memcpy(f->buf + LWS_PRE, json, len);
	free(json);
	struct frame **p = &b->outbox;
	while (*p)
		p = &(*p)->next;
	*p = f;
	if (!b->cursor)
		b->cursor = f;
	if (b->wsi && b->authed)
		lws_callback_on_writable(b->wsi);
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
			if (b->cursor == f)
				b->cursor = f->next;
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

static void bridge_connect(struct bridge *b);

static void retry_cb(lws_sorted_usec_list_t *sul)
{
	bridge_connect(lws_container_of(sul, struct bridge, retry));
}

static void schedule_retry(struct bridge *b)
{
	int ms = b->backoff_ms ? b->backoff_ms : BRIDGE_BACKOFF_MIN_MS;
	b->backoff_ms = ms * 2 > BRIDGE_BACKOFF_MAX_MS ? BRIDGE_BACKOFF_MAX_MS : ms * 2;
	ms = ms / 2 + rand() % (ms / 2 + 1); /* jitter: half to the whole */
	log_info("reconnecting in %d ms", ms);
	lws_sul_schedule(b->ctx, 0, &b->retry, retry_cb, (lws_usec_t)ms * LWS_US_PER_MS);
}

static void bridge_connect(struct bridge *b)
{
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = b->ctx;
	ci.address = b->host;
	ci.port = b->port;
	ci.path = b->path;
	ci.host = b->host;
	ci.origin = b->host;
	ci.ssl_connection = b->tls ? LCCSCF_USE_SSL : 0;
	ci.protocol = PROTO_SUBPROTOCOL_BRIDGE;
	ci.local_protocol_name = PROTO_SUBPROTOCOL_BRIDGE;
	ci.opaque_user_data = b;
	ci.pwsi = &b->wsi;
	/* on failure lws may have reported CONNECTION_ERROR already, which schedules the retry */
	if (!lws_client_connect_via_info(&ci) && lws_dll2_is_detached(&b->retry.list))
		schedule_retry(b);
}

static int send_hello(struct bridge *b)
{
	struct proto_msg m = { .type = PROTO_HELLO, .user = (char *)b->cfg->user, .secret = (char *)b->cfg->secret,
			       .after = b->after, .client = "opdesk-bridge/" OPDESK_VERSION };
	size_t len;
	struct proto_error err;
	char *json = proto_encode(PROTO_BRIDGE_TO_HUB, &m, &len, &err);
	if (!json) {
		log_error("cannot encode hello: %s", err.detail);
		return -1;
	}
	unsigned char *buf = xmalloc(LWS_PRE + len);
	memcpy(buf + LWS_PRE, json, len);
	explicit_bzero(json, len);
	free(json);
	int n = lws_write(b->wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
	explicit_bzero(buf, LWS_PRE + len);
	free(buf);
	return n < (int)len ? -1 : 0;
}

static int write_next(struct bridge *b)
{
	struct frame *f = b->cursor;
	if (!f || !b->authed)
		return 0;
	if (lws_write(b->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len)
		return -1;
	b->cursor = f->next;
	if (!f->keep) { /* typing and ratings are not acknowledged: written is done */
		for (struct frame **p = &b->outbox; *p; p = &(*p)->next)
			if (*p == f) {
				*p = f->next;
				break;
			}
		frame_free(f);
		maybe_done(b);
	}
	if (b->cursor)
		lws_callback_on_writable(b->wsi);
	return 0;
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
		b->authed = true;
		b->backoff_ms = 0;
		log_info("signed in for %s", proto_channel_name(m->channel));
		b->cursor = b->outbox; /* everything not acknowledged goes again, in order */
		if (b->cursor)
			lws_callback_on_writable(b->wsi);
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
			fprintf(stderr, "opdesk-bridge: the hub refused the sign-in of %s: %s\n", b->cfg->user, m->message);
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

static void receive(struct bridge *b, const char *in, size_t len, bool final)
{
	if (b->rx_len + len > PROTO_MAX_FRAME_OUT) {
		log_warn("a frame over %d bytes from the hub dropped", PROTO_MAX_FRAME_OUT);
		b->rx_len = 0;
		return;
	}
	b->rx = xrealloc(b->rx, b->rx_len + len + 1);
	memcpy(b->rx + b->rx_len, in, len);
	b->rx_len += len;
	if (!final)
		return;
	struct proto_msg m;
	struct proto_error err;
	if (proto_decode(PROTO_HUB_TO_BRIDGE, b->rx, b->rx_len, &m, &err) == 0) {
		from_hub(b, &m, b->rx, b->rx_len);
		proto_msg_free(&m);
	} else {
		log_warn("a bad frame from the hub (%s): %s", proto_errcode_name(err.code), err.detail);
	}
	b->rx_len = 0;
}

static int ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct bridge *b = lws_get_opaque_user_data(wsi);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		log_info("connected to %s:%d", b->host, b->port);
		if (send_hello(b) != 0)
			return -1;
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		receive(b, in, len, lws_is_final_fragment(wsi));
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return write_next(b);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		log_warn("cannot connect to %s:%d: %s", b->host, b->port, in ? (const char *)in : "unknown error");
		b->wsi = NULL;
		b->authed = false;
		if (!b->failed)
			schedule_retry(b);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		log_warn("the connection to the hub closed");
		b->wsi = NULL;
		b->authed = false;
		b->rx_len = 0;
		if (!b->failed)
			schedule_retry(b);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

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
		fprintf(stderr, "opdesk-bridge: stdin:%ld: %s: %s (line skipped)\n", b->line_no,
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
	if (ws_conn_parse_url(cfg->url, &b.host, &b.port, &b.path, &b.tls, cause) != 0)
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
	struct lws_protocols ws = { .name = PROTO_SUBPROTOCOL_BRIDGE, .callback = ws_cb, .rx_buffer_size = 65536 };
	struct client_loop_tls tls = { .on = b.tls, .ca_file = cfg->ca_file };
	int in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	b.loop = client_loop_new(&ops, &ws, &tls, in, cause);
	if (!b.loop)
		goto out;
	b.ctx = client_loop_context(b.loop);
	log_info("bridge %s: after message %lld", cfg->user, (long long)b.after);
	bridge_connect(&b);
	rc = client_loop_run(b.loop);
	lws_sul_cancel(&b.retry);
	client_loop_free(b.loop);
	if (rc)
		*cause = xstrdup("the event loop failed");
	else if (b.failed)
		rc = 1; /* the reason is on stderr already */
	else if (!outbox_empty(&b))
		log_warn("leaving with messages the hub has not acknowledged (they are not stored by the bridge)");
out:
	while (b.outbox) {
		struct frame *f = b.outbox;
		b.outbox = f->next;
		frame_free(f);
	}
	free(b.rx);
	free(b.in);
	free(b.host);
	free(b.path);
	return rc;
}

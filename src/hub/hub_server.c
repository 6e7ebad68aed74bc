/* hub_server.c: the hub's libwebsockets server (see hub_server.h). Protocol table: [0] answers plain HTTP
 * and refuses WebSocket upgrades that name no subprotocol (lws binds those to the first protocol), then the
 * agent and customer endpoints, then the raw protocol the signalfd is adopted with. */
#include "opdesk/hub_server.h"

#include <errno.h>
#include <fcntl.h>
#include <ev.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define SERVER_SIGNAL_PROTOCOL "opdesk-signal"
#define HUB_SHUTDOWN_WAIT_MS 2000 /* at shutdown, how long clients get to take their close frames */
/* Request headers: the request line's parts and the headers lws knows (Cookie, User-Agent, ...) may total
 * HUB_MAX_HEADER_BYTES; more is answered 431. Shops' cookies alone are 4-8 KiB, and lws's default space of
 * 4 KiB dropped those requests without a word. lws keeps every header (unknown ones too) in a space of
 * HUB_HEADER_SPACE bytes, held only while a request's headers are read (one per connection being upgraded
 * or answered, never by an upgraded connection); a request that overflows even that is dropped by lws
 * before we could answer, and has shut its socket: it is logged, without its peer, whose address the socket
 * no longer gives (header_overflow_log). */
#define HUB_MAX_HEADER_BYTES 32768
#define HUB_HEADER_SPACE 65536

struct http_pss {
	/* (lws calls HTTP_DROP_PROTOCOL only for connections with a session) */
	void *upload;         /* an upload's body is being received (hub_server_ops.post_data) */
	bool refused;         /* the body is read and thrown away, then `answer` goes out */
	bool posting;         /* a POST's body is being read */
	struct hub_http_answer answer;
};

/* lws 4.1 tells nobody but its log that a request's headers overflowed its space ("Ran out of header data
 * space"), then drops the connection; the log line comes while it parses that connection's bytes, and the
 * drop (cb_default's HTTP_DROP_PROTOCOL) follows before it touches another connection. */
static bool header_overflowed;

struct out_frame {
	struct out_frame *next;
	size_t len;
	bool held;           /* queued while the server held frames: waits for hub_server_release */
	unsigned char buf[]; /* LWS_PRE bytes of head room, then the frame */
};

struct hub_conn {
	struct hub_conn *prev, *next; /* the server's list of connections */
	struct hub_server *srv;
	struct lws *wsi;
	enum hub_endpoint ep;
	void *data;
	char name[80];
	char peer[64];           /* the peer's address */
	/* receiving */
	char *rx;
	size_t rx_len, rx_cap;
	bool rx_oversize;        /* discarding the rest of a frame over the limit */
	size_t rx_seen;          /* bytes of the frame being discarded */
	bool rx_binary;
	/* sending */
	struct out_frame *head, *tail;
	size_t queued;           /* bytes waiting */
	bool closing;            /* close once the queue is sent */
	int close_status;
	char close_reason[124];
	bool dead;               /* dropped: send nothing more */
	size_t n_held;           /* frames of the queue that wait for hub_server_release */
	bool listed_held;        /* in the server's list of connections with held frames */
	/* keepalive */
	struct hub_conn *ka_prev, *ka_next; /* the server's list by time last heard from, oldest first */
	int64_t heard_ms;        /* when the last byte came from the peer */
	bool ping_due;           /* send a PING at the next writable callback */
	bool pinged;             /* a PING went out since heard_ms */
};

struct conn_pss {
	struct hub_conn *conn;
};

struct hub_server {
	struct ev_loop *loop;    /* libev (epoll): lws's own loop would poll every descriptor on every pass */
	struct lws_context *ctx;
	struct lws_vhost *vh;
	struct hub_server_config cfg;
	struct hub_server_ops ops;
	void *app;
	lws_retry_bo_t no_validity; /* lws's own keepalive off (see keepalive below) */
	int sigfd;
	bool sig_adopted;        /* lws owns (and closes) the signalfd */
	int port;
	bool quit;
	bool shutting_down;
	unsigned long next_id;
	struct hub_conn *conns; /* every WebSocket connection */
	size_t n_conns;
	ev_timer timer;          /* the application's timer (hub_server_set_timer) */
	/* keepalive: connections in the order they were last heard from, one timer for all of them */
	struct hub_conn *ka_head, *ka_tail;
	ev_timer ka_timer;
	int64_t ka_due_ms;       /* when ka_timer fires; 0 when not armed */
	/* group commit: frames queued while `holding` wait until the writes they announce are durable */
	bool holding;
	struct hub_conn **held;  /* connections with held frames */
	size_t n_held, cap_held;
};

/* ---- connections ---- */

enum hub_endpoint hub_conn_endpoint(const struct hub_conn *c)
{
	return c->ep;
}

void hub_conn_set_data(struct hub_conn *c, void *data)
{
	c->data = data;
}

void *hub_conn_data(const struct hub_conn *c)
{
	return c->data;
}

const char *hub_conn_name(const struct hub_conn *c)
{
	return c->name;
}

const char *hub_conn_peer(const struct hub_conn *c)
{
	return c->peer;
}

static void conn_free_queue(struct hub_conn *c)
{
	struct out_frame *f = c->head;
	while (f) {
		struct out_frame *next = f->next;
		free(f);
		f = next;
	}
	c->head = c->tail = NULL;
	c->queued = 0;
	c->n_held = 0;
}

static void conn_drop(struct hub_conn *c, const char *why)
{
	if (c->dead)
		return;
	log_warn("%s: dropping the connection: %s", c->name, why);
	c->dead = true;
	conn_free_queue(c);
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

size_t hub_conn_queued(const struct hub_conn *c)
{
	return c->dead || c->closing ? SIZE_MAX : c->queued;
}

/* Write the frame at the head of the queue and let it go; -1 if the write failed. */
static int conn_write_head(struct hub_conn *c)
{
	struct out_frame *f = c->head;
	if (lws_write(c->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) < 0)
		return -1;
	c->head = f->next;
	if (!c->head)
		c->tail = NULL;
	c->queued -= f->len;
	free(f);
	return 0;
}

/* Write the queue straight away while the socket takes it, not at a writable callback: asking lws for one
 * costs two epoll_ctl calls a frame (POLLOUT on, then off again), twice a message. What the kernel does not
 * take at once lws keeps and asks for writable itself (lws_partial_buffered); what follows waits in the
 * queue, counted against max_queue, for that callback. */
static void conn_flush(struct hub_conn *c)
{
	while (c->head && !c->head->held && !c->dead && !c->closing && !lws_partial_buffered(c->wsi))
		if (conn_write_head(c) < 0) {
			conn_drop(c, "write failed");
			return;
		}
	if (c->head && !c->head->held && !c->dead)
		lws_callback_on_writable(c->wsi);
}

int hub_conn_send(struct hub_conn *c, const char *buf, size_t len)
{
	if (c->dead || c->closing)
		return -1;
	if (c->queued + len > c->srv->cfg.max_queue) {
		char why[128];
		snprintf(why, sizeof why, "more than %zu bytes of frames are waiting to be sent (a stalled client)",
			 c->srv->cfg.max_queue);
		conn_drop(c, why);
		return -1;
	}
	struct out_frame *f = xmalloc(sizeof *f + LWS_PRE + len);
	f->next = NULL;
	f->len = len;
	f->held = c->srv->holding;
	if (f->held && c->n_held++ == 0 && !c->listed_held) {
		struct hub_server *s = c->srv;
		c->listed_held = true;
		s->held = xgrow(s->held, &s->cap_held, s->n_held + 1, sizeof *s->held);
		s->held[s->n_held++] = c;
	}
	memcpy(f->buf + LWS_PRE, buf, len);
	if (c->tail)
		c->tail->next = f;
	else
		c->head = f;
	c->tail = f;
	c->queued += len;
	if (!f->held)
		conn_flush(c);
	return 0;
}

bool hub_server_hold(struct hub_server *s, bool on)
{
	bool was = s->holding;
	s->holding = on;
	return was;
}

/* Send (clear the marks) or drop the held frames of one connection. */
static void conn_release(struct hub_conn *c, bool send)
{
	struct out_frame **link = &c->head, *last = NULL;
	while (*link) {
		struct out_frame *f = *link;
		if (!f->held) {
			last = f;
			link = &f->next;
		} else if (send) {
			f->held = false;
			last = f;
			link = &f->next;
		} else {
			*link = f->next;
			c->queued -= f->len;
			free(f);
		}
	}
	c->tail = last;
	c->n_held = 0;
	if (send)
		conn_flush(c);
	else if (c->head)
		lws_callback_on_writable(c->wsi);
}

void hub_server_release(struct hub_server *s, bool send)
{
	s->holding = false;
	for (size_t i = 0; i < s->n_held; i++) {
		s->held[i]->listed_held = false;
		if (s->held[i]->n_held)
			conn_release(s->held[i], send);
	}
	s->n_held = 0;
}

/* A connection going away leaves the list of those with held frames. */
static void held_forget(struct hub_server *s, struct hub_conn *c)
{
	for (size_t i = 0; c->listed_held && i < s->n_held; i++) {
		if (s->held[i] == c) {
			s->held[i] = s->held[--s->n_held];
			return;
		}
	}
}

void hub_conn_close(struct hub_conn *c, int status, const char *reason)
{
	if (c->dead || c->closing)
		return;
	c->closing = true;
	c->close_status = status;
	snprintf(c->close_reason, sizeof c->close_reason, "%s", reason ? reason : "");
	lws_callback_on_writable(c->wsi);
}

/* Write one queued frame; returns -1 to close the connection. */
static int conn_writable(struct hub_conn *c)
{
	if (c->dead)
		return -1;
	if (c->ping_due) {
		unsigned char ping[LWS_PRE + 1];
		ping[LWS_PRE] = 'k'; /* lws passes on no empty PONG: the answer must carry a byte */
		c->ping_due = false;
		if (lws_write(c->wsi, ping + LWS_PRE, 1, LWS_WRITE_PING) < 0) {
			log_warn("%s: write failed", c->name);
			return -1;
		}
		if (c->head && !c->head->held)
			lws_callback_on_writable(c->wsi);
		else if (c->closing && !c->head)
			lws_callback_on_writable(c->wsi);
		return 0;
	}
	struct out_frame *f = c->head;
	if (f && f->held)
		return 0; /* the rest waits for hub_server_release */
	if (f && conn_write_head(c) < 0) {
		log_warn("%s: write failed", c->name);
		return -1;
	}
	if (c->head) {
		if (!c->head->held)
			lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (c->closing) {
		size_t n = strlen(c->close_reason);
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_status, (unsigned char *)c->close_reason, n);
		return -1;
	}
	return 0;
}

/* ---- keepalive ----
 * A connection silent for ping_after_s gets a WebSocket PING; silent for hangup_after_s (no PONG either)
 * it is dropped. lws can do this itself (its validity timers), but it keeps one timer per connection in a
 * sorted list and re-inserts it, walking the list, on every frame received: at 8,000 connections that
 * was a quarter of the hub's CPU and 20-100 ms stalls when many connections went quiet together
 * (docs/benchmarks.md). Here the connections sit in a list ordered by when they were last heard from:
 * hearing from one moves it to the end (O(1)), and one timer, due when the oldest one is, walks only the
 * silent ones at the front. */

static void ka_unlink(struct hub_server *s, struct hub_conn *c)
{
	if (c->ka_prev)
		c->ka_prev->ka_next = c->ka_next;
	else if (s->ka_head == c)
		s->ka_head = c->ka_next;
	else
		return; /* not in the list */
	if (c->ka_next)
		c->ka_next->ka_prev = c->ka_prev;
	else
		s->ka_tail = c->ka_prev;
	c->ka_prev = c->ka_next = NULL;
}

static void ka_check(struct ev_loop *loop, ev_timer *w, int revents);

/* Keepalive times are monotonic: a wall clock set back or forth must not ping or drop everyone. */
static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ka_arm(struct hub_server *s, int64_t due_ms, int64_t now_ms)
{
	if (s->ka_due_ms && s->ka_due_ms <= due_ms)
		return; /* fires earlier already; it re-arms for the rest */
	s->ka_due_ms = due_ms;
	ev_timer_stop(s->loop, &s->ka_timer);
	ev_timer_set(&s->ka_timer, due_ms > now_ms ? (double)(due_ms - now_ms) / 1000.0 : 0.0, 0.0);
	ev_timer_start(s->loop, &s->ka_timer);
}

/* Something came from the peer: it is alive. */
static void ka_heard(struct hub_conn *c)
{
	struct hub_server *s = c->srv;
	int64_t now = mono_ms();
	c->heard_ms = now;
	c->pinged = false;
	if (s->ka_tail == c)
		return;
	ka_unlink(s, c);
	c->ka_prev = s->ka_tail;
	if (s->ka_tail)
		s->ka_tail->ka_next = c;
	else
		s->ka_head = c;
	s->ka_tail = c;
	if (!s->ka_due_ms)
		ka_arm(s, now + (int64_t)s->cfg.ping_after_s * 1000, now);
}

static void ka_check(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct hub_server *s = w->data;
	int64_t now = mono_ms(), ping_ms = (int64_t)s->cfg.ping_after_s * 1000,
		hangup_ms = (int64_t)s->cfg.hangup_after_s * 1000, next = 0;
	s->ka_due_ms = 0;
	struct hub_conn *c = s->ka_head;
	while (c && now - c->heard_ms >= ping_ms) {
		struct hub_conn *after = c->ka_next;
		if (now - c->heard_ms >= hangup_ms) {
			char why[96];
			snprintf(why, sizeof why, "nothing heard for %lld s, not even an answer to a ping",
				 (long long)((now - c->heard_ms) / 1000));
			ka_unlink(s, c);
			conn_drop(c, why);
		} else {
			if (!c->pinged) {
				c->pinged = c->ping_due = true;
				lws_callback_on_writable(c->wsi);
			}
			if (!next || c->heard_ms + hangup_ms < next)
				next = c->heard_ms + hangup_ms;
		}
		c = after;
	}
	if (c && (!next || c->heard_ms + ping_ms < next))
		next = c->heard_ms + ping_ms;
	if (next)
		ka_arm(s, next, now);
}

/* Collect one fragment; hand over the frame when it is whole. */
static void conn_receive(struct hub_conn *c, const char *in, size_t len)
{
	struct hub_server *s = c->srv;
	struct lws *wsi = c->wsi;
	if (lws_is_first_fragment(wsi)) {
		c->rx_len = 0;
		c->rx_oversize = false;
		c->rx_seen = 0;
		c->rx_binary = lws_frame_is_binary(wsi);
	}
	c->rx_seen += len;
	if (!c->rx_oversize && !c->rx_binary) {
		if (c->rx_len + len > PROTO_MAX_FRAME_IN) {
			c->rx_oversize = true; /* drop what we have, skip the rest of the frame */
			c->rx_len = 0;
		} else {
			c->rx = xgrow(c->rx, &c->rx_cap, c->rx_len + len + 1, 1);
			memcpy(c->rx + c->rx_len, in, len);
			c->rx_len += len;
		}
	}
	if (!lws_is_final_fragment(wsi))
		return;
	if (c->rx_binary) {
		if (s->ops.refused)
			s->ops.refused(s->app, c, PROTO_E_MALFORMED, "binary frames are not accepted; send JSON as text");
	} else if (c->rx_oversize) {
		char detail[PROTO_MAX_ERRMSG];
		snprintf(detail, sizeof detail, "the frame of %zu bytes is over the limit of %d bytes", c->rx_seen,
			 PROTO_MAX_FRAME_IN);
		if (s->ops.refused)
			s->ops.refused(s->app, c, PROTO_E_TOO_LARGE, detail);
	} else if (s->ops.frame) {
		c->rx[c->rx_len] = '\0';
		s->ops.frame(s->app, c, c->rx, c->rx_len);
	}
	c->rx_len = 0;
}

static struct hub_server *server_of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

static int cb_endpoint(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn_pss *pss = user;
	struct hub_server *s = server_of(wsi);
	struct hub_conn *c = pss ? pss->conn : NULL;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED: {
		if (!pss)
			return -1; /* lws always allocates it for these protocols */
		if (s->cfg.max_conns && s->n_conns >= s->cfg.max_conns) {
			static const char why[] = "the hub has too many connections; try again later";
			char peer[64] = "?";
			lws_get_peer_simple(wsi, peer, sizeof peer);
			log_warn("refusing a connection from %s: %zu connections already (--max-connections)", peer,
				 s->n_conns);
			lws_close_reason(wsi, (enum lws_close_status)1013 /* try again later */, (unsigned char *)why, sizeof why - 1);
			return -1;
		}
		c = xcalloc(1, sizeof *c);
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		s->n_conns++;
		c->srv = s;
		c->wsi = wsi;
		c->ep = (enum hub_endpoint)lws_get_protocol(wsi)->id;
		char peer[64] = "?";
		lws_get_peer_simple(wsi, peer, sizeof peer);
		snprintf(c->peer, sizeof c->peer, "%s", peer);
		snprintf(c->name, sizeof c->name, "#%lu %s %s", ++s->next_id, peer,
			 hub_endpoint_names[c->ep]);
		pss->conn = c;
		ka_heard(c);
		log_info("%s: connected", c->name);
		if (s->ops.opened)
			s->ops.opened(s->app, c);
		break;
	}
	case LWS_CALLBACK_RECEIVE:
		if (c && !c->dead) {
			ka_heard(c);
			conn_receive(c, in, len);
		}
		break;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c && !c->dead)
			ka_heard(c);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (c)
			return conn_writable(c);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (c && len >= 2) {
			const unsigned char *p = in;
			log_debug("%s: peer closes with status %d", c->name, p[0] << 8 | p[1]);
		}
		break;
	case LWS_CALLBACK_CLOSED:
		if (!c)
			break;
		log_info("%s: disconnected", c->name);
		if (s->ops.closed && !s->shutting_down)
			s->ops.closed(s->app, c);
		if (c->prev)
			c->prev->next = c->next;
		else
			s->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		s->n_conns--;
		held_forget(s, c);
		ka_unlink(s, c);
		conn_free_queue(c);
		free(c->rx);
		free(c);
		pss->conn = NULL;
		break;
	default:
		break;
	}
	return 0;
}

/* CORS for the files' paths (docs/protocol.md, "Files"): any origin, with the bearer token, no cookies. */
static int cors_headers(struct lws *wsi, unsigned char **p, unsigned char *end)
{
	static const char *const h[][2] = {
		{ "access-control-allow-origin:", "*" },
		{ "access-control-allow-methods:", "GET, POST" },
		{ "access-control-allow-headers:", "authorization, x-filename, content-type" },
		{ "access-control-max-age:", "600" },
	};
	for (size_t i = 0; i < sizeof h / sizeof *h; i++)
		if (lws_add_http_header_by_name(wsi, (const unsigned char *)h[i][0], (const unsigned char *)h[i][1],
						(int)strlen(h[i][1]), p, end))
			return -1;
	return 0;
}

/* Answer a plain GET with the application's body (small: /health, /metrics). */
static int http_answer_cors(struct lws *wsi, int status, const char *type, const char *body, bool cors);

static int http_answer(struct lws *wsi, int status, const char *type, const char *body)
{
	return http_answer_cors(wsi, status, type, body, false);
}

static int http_answer_cors(struct lws *wsi, int status, const char *type, const char *body, bool cors)
{
	size_t len = strlen(body);
	unsigned char hdr[LWS_PRE + 1024], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
	/* the chat page may load only its own files and talk only to this host (WebSocket included) */
	static const char csp[] = "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
				  "frame-ancestors *; base-uri 'none'; form-action 'none'";
	if (lws_add_http_common_headers(wsi, (unsigned)status, type, (lws_filepos_t)len, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL, (const unsigned char *)"no-store", 8, &p,
					 end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"content-security-policy:",
					(const unsigned char *)csp, (int)sizeof csp - 1, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"x-content-type-options:",
					(const unsigned char *)"nosniff", 7, &p, end) ||
	    (cors && cors_headers(wsi, &p, end)) || lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	unsigned char *buf = xmalloc(LWS_PRE + len + 1);
	memcpy(buf + LWS_PRE, body, len);
	int n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_HTTP_FINAL);
	free(buf);
	if (n < (int)len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static void answer_clear(struct hub_http_answer *a)
{
	free(a->body);
	free(a->file);
	free(a->disposition);
	memset(a, 0, sizeof *a);
}

/* Answer with the application's answer: a short body, or a file lws streams from disk. The answer is taken
 * out of `from` first (it may sit in the connection's session, which finishing the transaction frees). */
static int http_send_answer(struct lws *wsi, struct hub_http_answer *from)
{
	struct hub_http_answer taken = *from, *a = &taken;
	memset(from, 0, sizeof *from);
	const char *type = a->type ? a->type : "text/plain; charset=utf-8";
	if (!a->file) {
		int rc = http_answer_cors(wsi, a->status, type, a->body ? a->body : "", a->cors);
		answer_clear(a);
		return rc;
	}
	unsigned char hdr[1024], *p = hdr, *end = hdr + sizeof hdr - 1;
	static const char csp[] = "default-src 'none'; sandbox";
	if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL, (const unsigned char *)"no-store", 8, &p,
					 end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"content-security-policy:",
					(const unsigned char *)csp, (int)sizeof csp - 1, &p, end) ||
	    lws_add_http_header_by_name(wsi, (const unsigned char *)"x-content-type-options:",
					(const unsigned char *)"nosniff", 7, &p, end) ||
	    (a->cors && cors_headers(wsi, &p, end)) ||
	    (a->disposition &&
	     lws_add_http_header_by_name(wsi, (const unsigned char *)"content-disposition:",
					 (const unsigned char *)a->disposition, (int)strlen(a->disposition), &p, end))) {
		answer_clear(a);
		return -1;
	}
	int n = lws_serve_http_file(wsi, a->file, type, (const char *)hdr, (int)(p - hdr));
	answer_clear(a);
	if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
		return -1;
	return 0;
}

/* The request's query arguments (lws keeps each decoded, apart), joined by '&'. */
static char *request_query(struct lws *wsi)
{
	char frag[1024];
	size_t len = 0, cap = 0;
	char *q = NULL;
	for (int i = 0; lws_hdr_copy_fragment(wsi, frag, sizeof frag, WSI_TOKEN_HTTP_URI_ARGS, i) > 0; i++) {
		size_t n = strlen(frag);
		q = xgrow(q, &cap, len + n + 2, 1);
		if (len)
			q[len++] = '&';
		memcpy(q + len, frag, n + 1);
		len += n;
	}
	return q ? q : xstrdup("");
}

static char *request_header(struct lws *wsi, enum lws_token_indexes t)
{
	int n = lws_hdr_total_length(wsi, t);
	if (n <= 0)
		return NULL;
	char *v = xmalloc((size_t)n + 1);
	if (lws_hdr_copy(wsi, v, n + 1, t) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* A request the application takes (hub_server_ops.request): 1 when it was, with *rc what to return. */
static bool http_request(struct hub_server *srv, struct lws *wsi, struct http_pss *pss, const char *path, int *rc)
{
	if (!srv->ops.request)
		return false;
	bool post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
	bool options = lws_hdr_total_length(wsi, WSI_TOKEN_OPTIONS_URI) > 0;
	char peer[64] = "?", *query = request_query(wsi), *auth = request_header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	char *clen = request_header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH), *filename = NULL;
	int fl = lws_hdr_custom_length(wsi, "x-filename:", 11);
	if (fl >= 0) {
		filename = xmalloc((size_t)fl + 1);
		if (lws_hdr_custom_copy(wsi, filename, fl + 1, "x-filename:", 11) < 0)
			filename[0] = 0;
	}
	lws_get_peer_simple(wsi, peer, sizeof peer);
	char *endp = NULL;
	long long length = clen ? strtoll(clen, &endp, 10) : -1;
	if (clen && (endp == clen || *endp || length < 0))
		length = -1;
	struct hub_http_req req = { .post = post, .options = options, .path = path, .query = query, .auth = auth,
				    .filename = filename, .length = length, .peer = peer };
	struct hub_http_answer *a = &pss->answer;
	memset(a, 0, sizeof *a);
	bool mine = srv->ops.request(srv->app, &req, a);
	free(query), free(auth), free(clen), free(filename);
	if (!mine)
		return false;
	if (!post) {
		*rc = http_send_answer(wsi, a);
		return true;
	}
	if (a->upload) {
		pss->upload = a->upload;
		a->upload = NULL;
		pss->posting = true;
		*rc = 0;
		return true;
	}
	if (a->status == 411 || a->status == 413) { /* no body worth reading: answer, then close */
		http_send_answer(wsi, a);
		*rc = -1;
		return true;
	}
	pss->refused = pss->posting = true;
	*rc = 0;
	return true;
}

/* The request's headers as lws stored them: the request line's parts and every header it knows. */
static size_t headers_size(struct lws *wsi)
{
	size_t n = 0;
	for (int t = 0; t < (int)WSI_TOKEN_COUNT; t++) {
		int len = lws_hdr_total_length(wsi, (enum lws_token_indexes)t);
		if (len > 0)
			n += (size_t)len;
	}
	return n;
}

/* Over HUB_MAX_HEADER_BYTES: answer 431 (true: answered, the caller ends the transaction). */
static bool headers_too_big(struct lws *wsi, int *rc)
{
	size_t n = headers_size(wsi);
	if (n <= HUB_MAX_HEADER_BYTES)
		return false;
	char peer[64] = "?";
	lws_get_peer_simple(wsi, peer, sizeof peer);
	log_warn("refusing a request from %s: its headers are %zu bytes, over the limit of %d (answered 431)", peer,
		 n, HUB_MAX_HEADER_BYTES);
	*rc = lws_return_http_status(wsi, 431, "opdesk-hub takes at most 32768 bytes of request headers") ? -1 : 1;
	return true;
}

/* lws dropped a request whose headers overflowed its whole space: the socket is shut already, so only the
 * log can say it. */
static void header_overflow_log(void)
{
	log_warn("refusing a request: its headers are over %d bytes (closed without an answer)", HUB_HEADER_SPACE);
}

/* An upgrade must name one of our subprotocols (the client may offer several): else answer 400 saying what
 * the port serves, instead of lws's bare close. `up` is the Upgrade header (lws refuses all but websocket
 * and h2c itself, with 403). */
static int upgrade_check(struct lws *wsi, const char *up)
{
	static const char *const ours[] = { PROTO_SUBPROTOCOL_AGENT, PROTO_SUBPROTOCOL_CUSTOMER,
					    PROTO_SUBPROTOCOL_BRIDGE };
	char list[256] = "";
	if (up && strcasecmp(up, "websocket") != 0)
		return 0; /* h2c: lws's business */
	int n = lws_hdr_copy(wsi, list, sizeof list, WSI_TOKEN_PROTOCOL);
	bool found = false;
	for (char *save = NULL, *t = n > 0 ? strtok_r(list, ", \t", &save) : NULL; t && !found;
	     t = strtok_r(NULL, ", \t", &save))
		for (size_t i = 0; i < sizeof ours / sizeof *ours && !found; i++)
			found = strcmp(t, ours[i]) == 0;
	char version[8] = "";
	bool v13 = lws_hdr_copy(wsi, version, sizeof version, WSI_TOKEN_VERSION) > 0 && strcmp(version, "13") == 0;
	if (found && v13)
		return 0;
	char peer[64] = "?";
	lws_get_peer_simple(wsi, peer, sizeof peer);
	const char *why = !v13 ? "WebSocket version 13 (Sec-WebSocket-Version: 13) is the only one served"
			       : "the upgrade names no subprotocol this hub serves: "
				 "Sec-WebSocket-Protocol must be " PROTO_SUBPROTOCOL_AGENT ", "
				 PROTO_SUBPROTOCOL_CUSTOMER " or " PROTO_SUBPROTOCOL_BRIDGE;
	log_warn("refusing a WebSocket upgrade from %s: %s", peer, why);
	if (lws_return_http_status(wsi, HTTP_STATUS_BAD_REQUEST, why))
		return -1;
	return 1;
}

/* protocols[0]: plain HTTP: the web chat, /health and /metrics (hub_server_ops.http), else a 404 that says
 * what the port serves; an upgrade naming no subprotocol is refused. */
static int cb_default(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct hub_server *srv;
	switch (reason) {
	case LWS_CALLBACK_HTTP_BODY: {
		struct http_pss *pss = user;
		srv = server_of(wsi);
		if (pss && pss->upload && srv && !srv->ops.post_data(srv->app, pss->upload, in, len, &pss->answer)) {
			srv->ops.post_abort(srv->app, pss->upload);
			pss->upload = NULL;
			pss->refused = true;
		}
		return 0;
	}
	case LWS_CALLBACK_HTTP_BODY_COMPLETION: {
		struct http_pss *pss = user;
		srv = server_of(wsi);
		if (!pss || !pss->posting || !srv)
			return -1;
		pss->posting = false;
		if (pss->upload) {
			srv->ops.post_end(srv->app, pss->upload, &pss->answer);
			pss->upload = NULL;
		}
		pss->refused = false;
		return http_send_answer(wsi, &pss->answer);
	}
	case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
	case LWS_CALLBACK_CLOSED_HTTP: {
		struct http_pss *pss = user;
		srv = server_of(wsi);
		if (pss && pss->upload && srv)
			srv->ops.post_abort(srv->app, pss->upload);
		if (pss) {
			pss->upload = NULL;
			pss->posting = pss->refused = false;
			answer_clear(&pss->answer);
		}
	}
		if (header_overflowed) {
			header_overflowed = false;
			header_overflow_log();
		}
		return 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: {
		int rc;
		if (headers_too_big(wsi, &rc))
			return rc;
		return upgrade_check(wsi, in);
	}
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		log_warn("refusing a WebSocket connection without a subprotocol (want %s, %s or %s)",
			 PROTO_SUBPROTOCOL_AGENT, PROTO_SUBPROTOCOL_CUSTOMER, PROTO_SUBPROTOCOL_BRIDGE);
		return -1;
	case LWS_CALLBACK_HTTP: {
		int rc;
		if (headers_too_big(wsi, &rc))
			return rc < 0 || lws_http_transaction_completed(wsi) ? -1 : 0;
	}
		srv = server_of(wsi);
		int taken;
		if (srv && in && http_request(srv, wsi, user, (const char *)in, &taken))
			return taken;
		if (srv && srv->ops.http && in) {
			char *body = NULL;
			const char *type = "text/plain; charset=utf-8";
			int status = srv->ops.http(srv->app, (const char *)in, &body, &type);
			if (status != HTTP_STATUS_NOT_FOUND || body) {
				int rc = http_answer(wsi, status, type, body ? body : "");
				free(body);
				return rc;
			}
		}
		if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND,
					   "opdesk-hub serves the web chat at /, /health, /metrics, and WebSocket with "
					   "subprotocol " PROTO_SUBPROTOCOL_AGENT ", " PROTO_SUBPROTOCOL_CUSTOMER " or "
					   PROTO_SUBPROTOCOL_BRIDGE))
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static int cb_signal(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	(void)in;
	(void)len;
	struct hub_server *s = server_of(wsi);
	if (reason != LWS_CALLBACK_RAW_RX_FILE)
		return 0;
	struct signalfd_siginfo si;
	ssize_t n;
	while ((n = read(s->sigfd, &si, sizeof si)) == (ssize_t)sizeof si) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP ignored (nothing to reload)");
			continue;
		}
		log_info("%s: shutting down", strsignal((int)si.ssi_signo));
		s->quit = true;
	}
	return 0;
}

const char *const hub_endpoint_names[] = { "agent", "customer", "bridge" };

/* lws gives every connection a receive buffer of this size for its whole life; a frame larger than it comes
 * in pieces, which conn_receive puts together anyway. Chat frames are mostly under 1 KiB, and at 4 KiB the
 * buffer was two thirds of an idle connection's memory (docs/benchmarks.md). */
#define HUB_RX_CHUNK 1024

static const struct lws_protocols server_protocols[] = {
	/* (with a session: lws calls HTTP_DROP_PROTOCOL only for those, see header_overflow_log) */
	{ "http", cb_default, sizeof(struct http_pss), 0, 0, NULL, 0 },
	{ PROTO_SUBPROTOCOL_AGENT, cb_endpoint, sizeof(struct conn_pss), HUB_RX_CHUNK, HUB_EP_AGENT, NULL, 0 },
	{ PROTO_SUBPROTOCOL_CUSTOMER, cb_endpoint, sizeof(struct conn_pss), HUB_RX_CHUNK, HUB_EP_CUSTOMER, NULL, 0 },
	{ PROTO_SUBPROTOCOL_BRIDGE, cb_endpoint, sizeof(struct conn_pss), HUB_RX_CHUNK, HUB_EP_BRIDGE, NULL, 0 },
	{ SERVER_SIGNAL_PROTOCOL, cb_signal, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* ---- lws logs into ours ---- */

static void server_lws_log(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (strstr(line, "Ran out of header data space")) {
		header_overflowed = true; /* cb_default answers 431 and logs it with the peer */
		return;
	}
	if (level & LLL_ERR)
		log_write(LOG_ERROR, "lws", "%.*s", (int)n, line);
	else if (level & LLL_WARN)
		log_write(LOG_WARN, "lws", "%.*s", (int)n, line);
	else
		log_write(LOG_DEBUG, "lws", "%.*s", (int)n, line);
}

/* ---- timer ---- */

/* Both timers are libev's own: an lws timer (lws_sul) set from inside a callback was not always seen by
 * the libev loop until something else woke it. */
static void server_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct hub_server *s = w->data;
	if (s->ops.timer)
		s->ops.timer(s->app);
}

void hub_server_set_timer(struct hub_server *s, int64_t delay_ms)
{
	ev_timer_stop(s->loop, &s->timer);
	if (delay_ms < 0)
		return;
	ev_timer_set(&s->timer, (double)delay_ms / 1000.0, 0.0);
	ev_timer_start(s->loop, &s->timer);
}

/* ---- life cycle ---- */

static int server_signals(struct hub_server *s, char **cause)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		*cause = xasprintf("cannot block signals: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	/* a file size limit reached (ulimit -f) must fail the write like a full disk, not kill the hub */
	signal(SIGXFSZ, SIG_IGN);
	s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->sigfd < 0) {
		*cause = xasprintf("signalfd: %s", strerror(errno));
		return -1;
	}
	lws_sock_file_fd_type fd = { .filefd = s->sigfd };
	if (!lws_adopt_descriptor_vhost(s->vh, LWS_ADOPT_RAW_FILE_DESC, fd, SERVER_SIGNAL_PROTOCOL, NULL)) {
		*cause = xasprintf("cannot adopt the signal descriptor into libwebsockets");
		return -1;
	}
	s->sig_adopted = true;
	return 0;
}

static int server_report_ready(struct hub_server *s, char **cause)
{
	if (s->cfg.ready_fd < 0)
		return 0;
	char line[16];
	int n = snprintf(line, sizeof line, "%d\n", s->port);
	ssize_t w;
	do
		w = write(s->cfg.ready_fd, line, (size_t)n);
	while (w < 0 && errno == EINTR);
	int err = errno;
	close(s->cfg.ready_fd);
	s->cfg.ready_fd = -1;
	if (w != n) {
		*cause = xasprintf("cannot write the port to --ready-fd: %s", w < 0 ? strerror(err) : "short write");
		return -1;
	}
	return 0;
}

struct hub_server *hub_server_new(const struct hub_server_config *cfg, const struct hub_server_ops *ops, void *app,
				  char **cause)
{
	struct hub_server *s = xcalloc(1, sizeof *s);
	s->cfg = *cfg;
	s->ops = *ops;
	s->app = app;
	s->sigfd = -1;
	s->no_validity = (lws_retry_bo_t){ 0 }; /* no hangup time: lws schedules no validity timers */

	enum log_level lvl = log_get_level();
	lws_set_log_level(LLL_ERR | LLL_WARN | (lvl >= LOG_DEBUG ? LLL_NOTICE : 0), server_lws_log);

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	/* the service loop is libev's, run by hub_server_run (lws's own poll() loop costs O(connections) a pass:
	 * half the hub's CPU at 8,000 connections, docs/benchmarks.md) */
	s->loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOENV);
	if (!s->loop) {
		*cause = xasprintf("cannot create the event loop (libev)");
		goto fail;
	}
	ev_init(&s->timer, server_timer_cb);
	s->timer.data = s;
	ev_init(&s->ka_timer, ka_check);
	s->ka_timer.data = s;
	void *loops[] = { s->loop };
	info.foreign_loops = loops;
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_LIBEV;
	if (cfg->tls_cert)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.user = s;
	info.max_http_header_data2 = HUB_HEADER_SPACE; /* (the short max_http_header_data cannot hold it) */
	info.max_http_header_pool = 0; /* as many as connections: the space is allocated per request, then freed */
	s->ctx = lws_create_context(&info);
	if (!s->ctx) {
		*cause = xasprintf("cannot create the libwebsockets context");
		goto fail;
	}

	memset(&info, 0, sizeof info);
	info.vhost_name = "opdesk-hub";
	info.port = cfg->port;
	info.iface = cfg->listen;
	info.protocols = server_protocols;
	info.retry_and_idle_policy = &s->no_validity;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	if (!strchr(cfg->listen, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.user = s;
	if (cfg->tls_cert)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT; /* lws checks it on the vhost too */
	info.ssl_cert_filepath = cfg->tls_cert; /* a chain: the hub's certificate, then any intermediates */
	info.ssl_private_key_filepath = cfg->tls_key;
	s->vh = lws_create_vhost(s->ctx, &info);
	if (!s->vh) {
		if (cfg->tls_cert)
			*cause = xasprintf("cannot listen on %s port %d with TLS (address in use, or the certificate %s and "
			                   "the key %s do not load or do not match)",
			                   cfg->listen, cfg->port, cfg->tls_cert, cfg->tls_key);
		else
			*cause = xasprintf("cannot listen on %s port %d (address in use or not local?)", cfg->listen, cfg->port);
		goto fail;
	}
	/* With port 0 the kernel chooses; lws reads the port back with getsockname() when it binds. */
	s->port = lws_get_vhost_listen_port(s->vh);
	if (s->port <= 0) {
		*cause = xasprintf("libwebsockets did not report the port it listens on");
		goto fail;
	}
	if (server_signals(s, cause) != 0 || server_report_ready(s, cause) != 0)
		goto fail;
	const char *scheme = cfg->tls_cert ? "wss" : "ws";
	if (strchr(cfg->listen, ':'))
		log_info("listening on %s://[%s]:%d", scheme, cfg->listen, s->port);
	else
		log_info("listening on %s://%s:%d", scheme, cfg->listen, s->port);
	return s;
fail:
	hub_server_free(s);
	return NULL;
}

int hub_server_port(const struct hub_server *s)
{
	return s->port;
}

static void shutdown_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop; /* only wakes the service loop, which then sees the time is up */
	(void)w;
	(void)revents;
}

int hub_server_run(struct hub_server *s)
{
	while (!s->quit) {
		ev_run(s->loop, EVRUN_ONCE); /* sleeps until something happens: a descriptor, a timer, a signal */
		if (s->ops.pass)
			s->ops.pass(s->app);
	}
	if (s->n_conns > 0) {
		/* say goodbye: what is queued goes out, then a close frame 1001 "going away"; the clients
		 * reconnect and resume. The application hears of none of these closes (nobody left: the hub did). */
		s->shutting_down = true;
		log_info("closing %zu connections", s->n_conns);
		for (struct hub_conn *c = s->conns; c; c = c->next)
			hub_conn_close(c, LWS_CLOSE_STATUS_GOINGAWAY, "the hub is shutting down");
		int64_t end = proto_now_ms() + HUB_SHUTDOWN_WAIT_MS;
		ev_timer wake;
		ev_timer_init(&wake, shutdown_timeout, HUB_SHUTDOWN_WAIT_MS / 1000.0, 0.0);
		ev_timer_start(s->loop, &wake);
		while (s->n_conns > 0 && proto_now_ms() < end) {
			ev_run(s->loop, EVRUN_ONCE);
			if (s->ops.pass) /* frames still arriving are answered, their writes committed */
				s->ops.pass(s->app);
		}
		ev_timer_stop(s->loop, &wake);
	}
	return 0;
}

struct ev_loop *hub_server_loop(struct hub_server *s)
{
	return s->loop;
}

void hub_server_wake(struct hub_server *s)
{
	if (s->ctx)
		lws_cancel_service(s->ctx);
}

void hub_server_stop(struct hub_server *s)
{
	s->quit = true;
	if (s->ctx)
		lws_cancel_service(s->ctx);
}

void hub_server_free(struct hub_server *s)
{
	if (!s)
		return;
	s->shutting_down = true;
	if (s->ctx)
		lws_context_destroy(s->ctx);
	if (s->loop) {
		ev_timer_stop(s->loop, &s->timer);
		ev_timer_stop(s->loop, &s->ka_timer);
		ev_loop_destroy(s->loop);
	}
	if (s->sigfd >= 0 && !s->sig_adopted)
		close(s->sigfd);
	if (s->cfg.ready_fd >= 0)
		close(s->cfg.ready_fd);
	free(s->held);
	free(s);
}

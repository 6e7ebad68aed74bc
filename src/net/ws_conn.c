/* ws_conn.c: one WebSocket client connection: the attempt, the outgoing queue, reassembly with a size
 * limit, back-off and keepalive (see ws_conn.h). */
#include "opdesk/ws_conn.h"

#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/proto.h"
#include "opdesk/rate.h"
#include "opdesk/xalloc.h"

struct ws_conn_frame {
	STAILQ_ENTRY(ws_conn_frame) link;
	void *tag;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes of head room, then the frame */
};

struct ws_conn {
	struct ws_conn_config cfg; /* its url and subprotocol point at the copies below */
	char *url, *subprotocol;
	struct ws_conn_urls urls; /* the hubs, tried in order */
	size_t cur;               /* the one this attempt goes to */
	bool next_at_once;        /* the next hub is tried without a back-off */
	unsigned fails;           /* attempts failed in a row (a back-off after each whole round of the list) */
	lws_retry_bo_t retry; /* back-off and keepalive */
	uint16_t retry_count;
	struct lws_context *ctx;
	struct lws *wsi;  /* the connection, from the attempt on; NULL between */
	bool established; /* the upgrade succeeded on this attempt */
	bool leaving;     /* close once the queue is written */
	bool stopped;
	bool in_connect; /* inside lws_client_connect_via_info: a failure is reported once it returns */
	bool failed_in_connect;
	char *connect_error;
	lws_sorted_usec_list_t sul;      /* the next attempt */
	lws_sorted_usec_list_t pace_sul; /* the next frame may go when the bucket has a token again */
	struct rate_bucket pace;
	STAILQ_HEAD(ws_conn_queue, ws_conn_frame) out;
	struct ws_conn_rx rx;
	int close_code;
	char *close_reason;
	char tls_error[160]; /* why the server's certificate was refused on this attempt, "" if it was not */
};

int ws_conn_parse_url(const char *url, char **host, int *port, char **path, bool *tls, char **cause)
{
	*host = *path = NULL;
	if (!strstr(url, "://")) {
		*cause = xasprintf(_("bad URL \"%s\": it must start with ws:// or wss://"), url);
		return -1;
	}
	char *copy = xstrdup(url);
	const char *prot, *ads, *p;
	if (lws_parse_uri(copy, &prot, &ads, port, &p)) {
		*cause = xasprintf(_("bad URL \"%s\""), url);
		free(copy);
		return -1;
	}
	*tls = strcmp(prot, "wss") == 0;
	if (!*tls && strcmp(prot, "ws") != 0) {
		*cause = xasprintf(_("bad URL \"%s\": it must start with ws:// or wss://"), url);
		free(copy);
		return -1;
	}
	if (!*ads) {
		*cause = xasprintf(_("bad URL \"%s\": no host"), url);
		free(copy);
		return -1;
	}
	if (*port <= 0 || *port > 65535) {
		*cause = xasprintf(_("bad URL \"%s\": bad port"), url);
		free(copy);
		return -1;
	}
	*host = xstrdup(ads);
	*path = p[0] == '/' ? xstrdup(p) : xasprintf("/%s", p);
	free(copy);
	return 0;
}

int ws_conn_urls_parse(const char *list, struct ws_conn_urls *out, char **cause)
{
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	for (const char *p = list;;) {
		p += strspn(p, ", \t");
		if (!*p)
			break;
		size_t n = strcspn(p, ", \t");
		struct ws_conn_target t = {.url = xstrndup(p, n)};
		p += n;
		if (ws_conn_parse_url(t.url, &t.host, &t.port, &t.path, &t.tls, cause) < 0) {
			free(t.url);
			ws_conn_urls_free(out);
			return -1;
		}
		out->v = xgrow(out->v, &cap, out->n + 1, sizeof *out->v);
		out->v[out->n++] = t;
		out->tls |= t.tls;
	}
	if (out->n == 0) {
		*cause = xasprintf(_("bad URL \"%s\": it must start with ws:// or wss://"), list);
		return -1;
	}
	return 0;
}

void ws_conn_urls_free(struct ws_conn_urls *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->v[i].url);
		free(u->v[i].host);
		free(u->v[i].path);
	}
	free(u->v);
	memset(u, 0, sizeof *u);
}

/* ---- reassembly ---- */

enum ws_conn_rx_result ws_conn_rx_feed(struct ws_conn_rx *rx, const void *in, size_t len, bool binary,
                                       bool last)
{
	if (rx->done)
		ws_conn_rx_reset(rx);
	if (!rx->drop && binary) {
		rx->drop = WS_CONN_DROP_BINARY;
	} else if (!rx->drop && rx->len + len > rx->max) {
		rx->drop = WS_CONN_DROP_OVERSIZE; /* and so is the rest of it, up to its last piece */
	} else if (!rx->drop) {
		rx->buf = xgrow(rx->buf, &rx->cap, rx->len + len + 1, 1);
		memcpy(rx->buf + rx->len, in, len);
		rx->len += len;
		rx->buf[rx->len] = '\0';
	}
	if (!last)
		return WS_CONN_RX_MORE;
	rx->done = true;
	return rx->drop ? WS_CONN_RX_DROPPED : WS_CONN_RX_MESSAGE;
}

void ws_conn_rx_reset(struct ws_conn_rx *rx)
{
	rx->len = 0;
	rx->drop = WS_CONN_DROP_NONE;
	rx->done = false;
}

/* ---- the connection ---- */

static int ws_conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                            size_t len);

struct lws_protocols ws_conn_protocol(const char *subprotocol, size_t rx_buffer_size)
{
	return (struct lws_protocols){
	    .name = subprotocol,
	    .callback = ws_conn_callback,
	    .rx_buffer_size = rx_buffer_size,
	};
}

struct ws_conn *ws_conn_new(const struct ws_conn_config *cfg, char **cause)
{
	struct ws_conn *c = xcalloc(1, sizeof *c);
	if (ws_conn_urls_parse(cfg->url, &c->urls, cause) < 0) {
		free(c);
		return NULL;
	}
	c->cfg = *cfg;
	c->cfg.url = c->url = xstrdup(cfg->url);
	c->cfg.subprotocol = c->subprotocol = xstrdup(cfg->subprotocol);
	c->rx.max = cfg->max_message;
	c->retry = (lws_retry_bo_t){
	    .retry_ms_table = cfg->backoff_ms,
	    .retry_ms_table_count = cfg->n_backoff,
	    .conceal_count = LWS_RETRY_CONCEAL_ALWAYS,
	    .secs_since_valid_ping = (uint16_t)cfg->keepalive_s,
	    .secs_since_valid_hangup = (uint16_t)(2 * cfg->keepalive_s),
	    .jitter_percent = cfg->jitter_percent,
	};
	STAILQ_INIT(&c->out);
	return c;
}

bool ws_conn_tls(const struct ws_conn *c)
{
	return c->urls.tls;
}

const char *ws_conn_url(const struct ws_conn *c)
{
	return c->urls.v[c->cur].url;
}

unsigned ws_conn_attempts(const struct ws_conn *c)
{
	return c->retry_count;
}

static void ws_conn_drop_queue(struct ws_conn *c)
{
	struct ws_conn_frame *f;
	while ((f = STAILQ_FIRST(&c->out))) {
		STAILQ_REMOVE_HEAD(&c->out, link);
		explicit_bzero(f->buf + LWS_PRE, f->len); /* a hello carries the secret */
		free(f);
	}
}

void ws_conn_send(struct ws_conn *c, const void *data, size_t len, void *tag)
{
	struct ws_conn_frame *f = xmalloc(sizeof *f + LWS_PRE + len);
	f->tag = tag;
	f->len = len;
	memcpy(f->buf + LWS_PRE, data, len);
	STAILQ_INSERT_TAIL(&c->out, f, link);
	if (c->established)
		lws_callback_on_writable(c->wsi);
}

void ws_conn_leave(struct ws_conn *c)
{
	c->leaving = true;
	if (c->established)
		lws_callback_on_writable(c->wsi);
}

/* The connection is gone: tell the owner, who may free c (so nothing touches c after). wsi is the one whose
 * callback this is (NULL when it is not known to be alive). */
static void ws_conn_ended(struct ws_conn *c, struct lws *wsi, const char *error)
{
	if (wsi)
		lws_set_opaque_user_data(wsi, NULL); /* its last callbacks are not ours */
	c->wsi = NULL;
	ws_conn_drop_queue(c);
	ws_conn_rx_reset(&c->rx);
	if (c->urls.n > 1) { /* the next attempt goes to the next hub: at once, but after a whole round failed */
		c->cur = (c->cur + 1) % c->urls.n;
		c->fails = c->established ? 0 : c->fails + 1;
		c->next_at_once = c->fails % c->urls.n != 0 || c->established;
	}
	struct ws_conn_end end = {
	    .established = c->established,
	    .error = c->established ? NULL : error,
	    .tls_error = c->tls_error[0] ? c->tls_error : NULL,
	    .code = c->close_code,
	    .reason = c->close_reason,
	};
	c->established = c->leaving = false;
	if (c->cfg.ops->ended)
		c->cfg.ops->ended(c->cfg.arg, &end);
}

static void ws_conn_connect(lws_sorted_usec_list_t *sul)
{
	struct ws_conn *c = lws_container_of(sul, struct ws_conn, sul);
	const struct ws_conn_target *t = &c->urls.v[c->cur];
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = c->ctx;
	i.address = t->host;
	i.port = t->port;
	i.path = t->path;
	i.host = t->host;
	i.origin = t->host;
	i.protocol = c->subprotocol;
	i.local_protocol_name = c->subprotocol;
	i.opaque_user_data = c;
	i.pwsi = &c->wsi;
	/* wss: the certificate chain, its dates and the host name are all checked (no LCCSCF_ALLOW_*) */
	i.ssl_connection = t->tls ? LCCSCF_USE_SSL : 0;
	i.retry_and_idle_policy = c->cfg.keepalive_s > 0 ? &c->retry : NULL;
	c->established = false;
	c->tls_error[0] = '\0';
	c->close_code = 0;
	free(c->close_reason);
	c->close_reason = NULL;
	if (c->cfg.ops->connecting)
		c->cfg.ops->connecting(c->cfg.arg);
	c->in_connect = true;
	c->failed_in_connect = false;
	struct lws *wsi = lws_client_connect_via_info(&i);
	c->in_connect = false;
	if (wsi && !c->failed_in_connect)
		return;
	/* failed at once, with or without lws's error callback (held back until here) */
	char *error = c->connect_error;
	c->connect_error = NULL;
	ws_conn_ended(c, NULL, c->failed_in_connect ? (error ? error : "") : NULL);
	free(error);
}

void ws_conn_start(struct ws_conn *c, struct lws_context *ctx)
{
	c->ctx = ctx;
	c->stopped = false;
	lws_sul_schedule(ctx, 0, &c->sul, ws_conn_connect, 1);
}

unsigned ws_conn_retry(struct ws_conn *c)
{
	if (c->stopped || !c->ctx)
		return 0;
	if (c->next_at_once) {
		c->next_at_once = false;
		lws_sul_schedule(c->ctx, 0, &c->sul, ws_conn_connect, 1);
		return 0;
	}
	char conceal;
	unsigned delay =
	    lws_retry_get_delay_ms(c->ctx, c->cfg.backoff_ms ? &c->retry : NULL, &c->retry_count, &conceal);
	lws_sul_schedule(c->ctx, 0, &c->sul, ws_conn_connect, (lws_usec_t)delay * LWS_US_PER_MS);
	return delay;
}

bool ws_conn_retry_now(struct ws_conn *c)
{
	if (c->wsi || c->stopped || !c->ctx)
		return false;
	lws_sul_schedule(c->ctx, 0, &c->sul, ws_conn_connect, 1);
	return true;
}

void ws_conn_backoff_reset(struct ws_conn *c)
{
	c->retry_count = 0;
}

void ws_conn_stop(struct ws_conn *c)
{
	c->stopped = true;
	if (c->ctx) {
		lws_sul_cancel(&c->sul);
		lws_sul_cancel(&c->pace_sul);
		c->ctx = NULL; /* nothing of lws's is touched again (the context may go first) */
	}
	if (c->wsi) {
		lws_set_opaque_user_data(c->wsi, NULL);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		c->wsi = NULL;
	}
	c->established = false;
	ws_conn_drop_queue(c);
	ws_conn_rx_reset(&c->rx);
}

void ws_conn_free(struct ws_conn *c)
{
	if (!c)
		return;
	ws_conn_stop(c);
	free(c->rx.buf);
	free(c->url);
	free(c->subprotocol);
	ws_conn_urls_free(&c->urls);
	free(c->connect_error);
	free(c->close_reason);
	free(c);
}

static void ws_conn_receive(struct ws_conn *c, struct lws *wsi, const void *in, size_t len)
{
	bool last = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
	switch (ws_conn_rx_feed(&c->rx, in, len, lws_frame_is_binary(wsi), last)) {
	case WS_CONN_RX_MESSAGE:
		if (c->cfg.ops->frame)
			c->cfg.ops->frame(c->cfg.arg, c->rx.buf, c->rx.len);
		break;
	case WS_CONN_RX_DROPPED:
		if (c->cfg.ops->dropped)
			c->cfg.ops->dropped(c->cfg.arg, c->rx.drop);
		break;
	case WS_CONN_RX_MORE:
		break;
	}
}

/* The pace timer: ask to write again. */
static void ws_conn_paced(lws_sorted_usec_list_t *sul)
{
	struct ws_conn *c = lws_container_of(sul, struct ws_conn, pace_sul);
	if (c->established && !STAILQ_EMPTY(&c->out))
		lws_callback_on_writable(c->wsi);
}

static int ws_conn_writeable(struct ws_conn *c, struct lws *wsi)
{
	struct ws_conn_frame *f = STAILQ_FIRST(&c->out);
	if (!f)
		return c->leaving ? -1 : 0; /* everything is written: close */
	int per_s = c->cfg.pace_per_s, burst = c->cfg.pace_burst;
	int64_t now = proto_now_ms();
	if (per_s > 0 && !rate_take(&c->pace, per_s, burst, now)) {
		/* what waits stays in order in the queue */
		int64_t ms = rate_wait_ms(&c->pace, per_s, burst, now);
		lws_sul_schedule(c->ctx, 0, &c->pace_sul, ws_conn_paced,
		                 (lws_usec_t)(ms > 0 ? ms : 1) * LWS_US_PER_MS);
		return 0;
	}
	STAILQ_REMOVE_HEAD(&c->out, link);
	bool ok = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) >= (int)f->len;
	void *tag = f->tag;
	explicit_bzero(f->buf + LWS_PRE, f->len);
	free(f);
	if (!ok) {
		log_warn("write failed");
		return -1;
	}
	if (!STAILQ_EMPTY(&c->out) || c->leaving)
		lws_callback_on_writable(wsi);
	if (c->cfg.ops->sent)
		c->cfg.ops->sent(c->cfg.arg, tag);
	return 0;
}

static int ws_conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                            size_t len)
{
	struct ws_conn *c = NULL;
	switch (reason) {
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
	case LWS_CALLBACK_CLIENT_RECEIVE:
	case LWS_CALLBACK_CLIENT_WRITEABLE:
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		c = wsi ? lws_get_opaque_user_data(wsi) : NULL; /* only our client connections carry one */
		break;
	default:
		break;
	}
	if (!c || (c->wsi && c->wsi != wsi))
		return lws_callback_http_dummy(wsi, reason, user, in, len);

	switch (reason) {
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* OpenSSL checked the chain, dates and host name: keep its verdict, keep why it said no */
		if (!len) {
			int err = X509_STORE_CTX_get_error((X509_STORE_CTX *)user);
			snprintf(c->tls_error, sizeof c->tls_error, "%s", X509_verify_cert_error_string(err));
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->wsi = wsi;
		c->established = true;
		if (c->cfg.ops->connected)
			c->cfg.ops->connected(c->cfg.arg);
		if (!STAILQ_EMPTY(&c->out) || c->leaving)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		ws_conn_receive(c, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return ws_conn_writeable(c, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
		const unsigned char *b = in;
		c->close_code = len >= 2 ? (b[0] << 8) | b[1] : 1005;
		free(c->close_reason);
		c->close_reason = len > 2 ? xstrndup((const char *)in + 2, len - 2) : NULL;
		break;
	}
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (c->in_connect) { /* reported when lws_client_connect_via_info returns */
			c->failed_in_connect = true;
			free(c->connect_error);
			c->connect_error = in ? xstrdup(in) : NULL;
			break;
		}
		ws_conn_ended(c, wsi, in ? (const char *)in : "");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		ws_conn_ended(c, wsi, NULL);
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* client_ws.c: the operator client's libwebsockets transport (see client_ws.h). */
#include "opdesk/client_ws.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/proto.h"
#include "opdesk/rate.h"
#include "opdesk/xalloc.h"

/* Reconnect back-off: 1 s, 2 s, 4 s, 8 s, then 15 s, each plus up to 20% jitter; forever. A PING goes out
 * after keepalive_s seconds of silence (5 by default), and the connection is given up after twice that
 * without an answer, so a frozen hub or a pulled cable shows within seconds. */
static const uint32_t client_ws_backoff_ms[] = {1000, 2000, 4000, 8000, 15000};
#define CLIENT_WS_KEEPALIVE_S 5
/* 80% of the hub's frame limit (PROTO_RATE_*), for the two clocks' differences */
#define CLIENT_WS_RATE_PER_S (PROTO_RATE_PER_S * 4 / 5)
#define CLIENT_WS_RATE_BURST (PROTO_RATE_BURST * 4 / 5)

/* The hub's close status when the same operator signs in on another connection. */
#define CLIENT_WS_CLOSE_REPLACED 4001

struct client_ws_frame {
	unsigned char *buf; /* LWS_PRE bytes, then the payload */
	size_t len;
};

struct client_ws {
	struct desk *desk;
	char *url, *host, *path, *user, *secret;
	enum proto_role role;
	bool tls; /* wss:// */
	void (*on_frame)(void *arg, const struct proto_msg *m, const char *json, size_t len);
	void *on_frame_arg;
	lws_retry_bo_t retry; /* back-off and keepalive */
	int port;
	struct lws_protocols protocol;
	struct lws_context *ctx;
	struct lws *wsi;
	lws_sorted_usec_list_t sul;
	lws_sorted_usec_list_t pace_sul; /* the next frame may go when the bucket has a token again */
	struct rate_bucket pace;
	uint16_t retry_count;
	bool ready; /* the welcome arrived on this connection */
	bool stopping;
	/* reassembly of one incoming message */
	char *rx;
	size_t rx_len, rx_cap;
	bool rx_skip; /* the current message is over the limit: drop it */
	/* frames waiting for WRITEABLE */
	struct client_ws_frame *out;
	size_t n_out, cap_out;
	char *close_reason;
	char tls_error[160]; /* why the hub's certificate was refused on this attempt, "" if it was not */
	struct client_ws_stats stats;
};

static int client_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                              size_t len);

int client_ws_parse_url(const char *url, char **host, int *port, char **path, bool *tls, char **cause)
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

static void client_ws_reconnect(void *arg);

struct client_ws *client_ws_new(struct desk *desk, const struct client_ws_config *cfg, char **cause)
{
	struct client_ws *ws = xcalloc(1, sizeof *ws);
	if (client_ws_parse_url(cfg->url, &ws->host, &ws->port, &ws->path, &ws->tls, cause) < 0) {
		free(ws);
		return NULL;
	}
	ws->desk = desk;
	ws->url = xstrdup(cfg->url);
	ws->user = xstrdup(cfg->user);
	ws->role = cfg->role;
	ws->secret = xstrdup(cfg->secret);
	ws->on_frame = cfg->on_frame;
	ws->on_frame_arg = cfg->on_frame_arg;
	int ka = cfg->keepalive_s > 0 ? cfg->keepalive_s : CLIENT_WS_KEEPALIVE_S;
	ws->retry = (lws_retry_bo_t){
	    .retry_ms_table = client_ws_backoff_ms,
	    .retry_ms_table_count = LWS_ARRAY_SIZE(client_ws_backoff_ms),
	    .conceal_count = LWS_RETRY_CONCEAL_ALWAYS,
	    .secs_since_valid_ping = (uint16_t)ka,
	    .secs_since_valid_hangup = (uint16_t)(2 * ka),
	    .jitter_percent = 20,
	};
	ws->protocol = (struct lws_protocols){
	    .name = PROTO_SUBPROTOCOL_AGENT,
	    .callback = client_ws_callback,
	    .rx_buffer_size = 0,
	    .user = ws,
	};
	struct desk_transport tr = {.send = client_ws_send, .reconnect = client_ws_reconnect, .arg = ws};
	desk_set_transport(desk, &tr);
	return ws;
}

bool client_ws_tls(const struct client_ws *ws)
{
	return ws->tls;
}

const struct lws_protocols *client_ws_protocol(const struct client_ws *ws)
{
	return &ws->protocol;
}

const struct client_ws_stats *client_ws_stats(const struct client_ws *ws)
{
	return &ws->stats;
}

static void client_ws_drop_queue(struct client_ws *ws)
{
	for (size_t i = 0; i < ws->n_out; i++)
		free(ws->out[i].buf);
	ws->n_out = 0;
}

/* Queue one encoded frame and ask for WRITEABLE. */
static void client_ws_queue(struct client_ws *ws, const char *json, size_t len)
{
	ws->out = xgrow(ws->out, &ws->cap_out, ws->n_out + 1, sizeof *ws->out);
	struct client_ws_frame *f = &ws->out[ws->n_out++];
	f->buf = xmalloc(LWS_PRE + len);
	memcpy(f->buf + LWS_PRE, json, len);
	f->len = len;
	if (ws->wsi)
		lws_callback_on_writable(ws->wsi);
}

static int client_ws_encode_queue(struct client_ws *ws, const struct proto_msg *msg)
{
	struct proto_error err;
	size_t len;
	char *json = proto_encode(PROTO_AGENT_TO_HUB, msg, &len, &err);
	if (!json) {
		log_error("cannot encode %s: %s", proto_type_name(msg->type), err.detail);
		return -1;
	}
	client_ws_queue(ws, json, len);
	free(json);
	return 0;
}

int client_ws_send(void *arg, const struct proto_msg *msg)
{
	struct client_ws *ws = arg;
	if (!ws->wsi || !ws->ready)
		return -1;
	return client_ws_encode_queue(ws, msg);
}

static void client_ws_connect(lws_sorted_usec_list_t *sul);

static void client_ws_schedule_retry(struct client_ws *ws, const char *why)
{
	ws->wsi = NULL;
	ws->ready = false;
	client_ws_drop_queue(ws);
	ws->rx_len = 0;
	ws->rx_skip = false;
	if (ws->stopping || ws->desk->fatal)
		return;
	char conceal;
	unsigned delay = lws_retry_get_delay_ms(ws->ctx, &ws->retry, &ws->retry_count, &conceal);
	lws_sul_schedule(ws->ctx, 0, &ws->sul, client_ws_connect, (lws_usec_t)delay * LWS_US_PER_MS);
	log_info("%s; next attempt in %u ms", why, delay);
	desk_set_conn(ws->desk, DESK_CONN_OFFLINE, why, proto_now_ms() + delay);
	ws->desk->attempt = ws->retry_count;
}

/* The operator asked to try now: the waiting retry runs at once. */
static void client_ws_reconnect(void *arg)
{
	struct client_ws *ws = arg;
	if (ws->wsi || ws->stopping || !ws->ctx)
		return;
	lws_sul_schedule(ws->ctx, 0, &ws->sul, client_ws_connect, 1);
	log_info("reconnecting now, as the operator asked");
}

static void client_ws_connect(lws_sorted_usec_list_t *sul)
{
	struct client_ws *ws = lws_container_of(sul, struct client_ws, sul);
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = ws->ctx;
	i.address = ws->host;
	i.port = ws->port;
	i.path = ws->path;
	i.host = ws->host;
	i.origin = ws->host;
	i.protocol = PROTO_SUBPROTOCOL_AGENT;
	i.local_protocol_name = PROTO_SUBPROTOCOL_AGENT;
	i.pwsi = &ws->wsi;
	/* wss: the hub's certificate chain, its dates and its host name are all checked (no LCCSCF_ALLOW_*) */
	i.ssl_connection = ws->tls ? LCCSCF_USE_SSL : 0;
	i.retry_and_idle_policy = &ws->retry;
	ws->ready = false;
	ws->tls_error[0] = '\0';
	ws->stats.connects++;
	log_info("connecting to %s", ws->url);
	desk_set_conn(ws->desk, DESK_CONN_CONNECTING, NULL, 0);
	if (!lws_client_connect_via_info(&i) && !ws->stopping && lws_dll2_is_detached(&ws->sul.list)) {
		/* failed at once, and no error callback has scheduled the retry: do it here */
		client_ws_schedule_retry(ws, _("cannot connect"));
	}
}

void client_ws_start(struct client_ws *ws, struct lws_context *ctx)
{
	ws->ctx = ctx;
	ws->stopping = false;
	lws_sul_schedule(ctx, 0, &ws->sul, client_ws_connect, 1);
}

void client_ws_stop(struct client_ws *ws)
{
	ws->stopping = true;
	if (ws->ctx) {
		lws_sul_cancel(&ws->sul);
		lws_sul_cancel(&ws->pace_sul);
	}
	if (ws->wsi) {
		lws_set_timeout(ws->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		ws->wsi = NULL;
	}
	client_ws_drop_queue(ws);
}

void client_ws_free(struct client_ws *ws)
{
	if (!ws)
		return;
	if (ws->desk)
		desk_set_transport(ws->desk, NULL);
	client_ws_drop_queue(ws);
	free(ws->out);
	free(ws->rx);
	free(ws->url);
	free(ws->host);
	free(ws->path);
	free(ws->user);
	if (ws->secret) {
		explicit_bzero(ws->secret, strlen(ws->secret));
		free(ws->secret);
	}
	free(ws->close_reason);
	free(ws);
}

static void client_ws_send_hello(struct client_ws *ws)
{
	struct proto_resume *resume = NULL;
	size_t n_resume = desk_resume(ws->desk, &resume);
	struct proto_msg hello = {
	    .type = PROTO_HELLO,
	    .user = ws->user,
	    .secret = ws->secret,
	    .role = ws->role,
	    .client = "opdesk/" OPDESK_VERSION,
	    .resume = resume,
	    .n_resume = n_resume,
	};
	if (client_ws_encode_queue(ws, &hello) < 0)
		desk_set_fatal(ws->desk,
		               _("cannot build the hello frame (is the user name or secret too long?)"));
	free(resume);
}

static void client_ws_frame_in(struct client_ws *ws)
{
	struct proto_msg msg;
	struct proto_error err;
	ws->stats.frames_in++;
	if (proto_decode(PROTO_HUB_TO_AGENT, ws->rx, ws->rx_len, &msg, &err) < 0) {
		ws->stats.malformed++;
		log_warn("malformed frame from the hub (%s): %s", proto_errcode_name(err.code), err.detail);
		return;
	}
	log_debug("%s", proto_type_name(msg.type));
	if (ws->on_frame)
		ws->on_frame(ws->on_frame_arg, &msg, ws->rx, ws->rx_len);
	if (msg.type == PROTO_WELCOME) {
		ws->ready = true;
		ws->retry_count = 0;
	}
	desk_apply(ws->desk, &msg);
	proto_msg_free(&msg);
}

static void client_ws_receive(struct client_ws *ws, struct lws *wsi, const void *in, size_t len)
{
	if (lws_frame_is_binary(wsi)) {
		ws->rx_skip = true;
	} else if (!ws->rx_skip) {
		if (ws->rx_len + len > PROTO_MAX_FRAME_OUT) {
			ws->rx_skip = true;
		} else {
			ws->rx = xgrow(ws->rx, &ws->rx_cap, ws->rx_len + len + 1, 1);
			memcpy(ws->rx + ws->rx_len, in, len);
			ws->rx_len += len;
		}
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	if (ws->rx_skip) {
		ws->stats.frames_in++;
		ws->stats.malformed++;
		log_warn("dropped a binary or oversized frame from the hub");
	} else {
		client_ws_frame_in(ws);
	}
	ws->rx_len = 0;
	ws->rx_skip = false;
}

/* The pace timer: ask to write again. */
static void client_ws_paced(lws_sorted_usec_list_t *sul)
{
	struct client_ws *ws = lws_container_of(sul, struct client_ws, pace_sul);
	if (ws->wsi && ws->n_out)
		lws_callback_on_writable(ws->wsi);
}

static int client_ws_writeable(struct client_ws *ws, struct lws *wsi)
{
	if (ws->n_out == 0)
		return 0;
	/* below the hub's limit, so that nothing is refused for speed (a refused message would be stored after
	 * later ones); what waits stays in order in the queue */
	int64_t now = proto_now_ms();
	if (!rate_take(&ws->pace, CLIENT_WS_RATE_PER_S, CLIENT_WS_RATE_BURST, now)) {
		int64_t ms = rate_wait_ms(&ws->pace, CLIENT_WS_RATE_PER_S, CLIENT_WS_RATE_BURST, now);
		lws_sul_schedule(ws->ctx, 0, &ws->pace_sul, client_ws_paced, (lws_usec_t)(ms > 0 ? ms : 1) * LWS_US_PER_MS);
		return 0;
	}
	struct client_ws_frame f = ws->out[0];
	memmove(ws->out, ws->out + 1, (ws->n_out - 1) * sizeof *ws->out);
	ws->n_out--;
	int n = lws_write(wsi, f.buf + LWS_PRE, f.len, LWS_WRITE_TEXT);
	free(f.buf);
	if (n < (int)f.len) {
		log_warn("write failed");
		return -1;
	}
	ws->stats.frames_out++;
	if (ws->n_out)
		lws_callback_on_writable(wsi);
	return 0;
}

static int client_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                              size_t len)
{
	(void)user;
	const struct lws_protocols *p = lws_get_protocol(wsi);
	struct client_ws *ws = p ? p->user : NULL;
	if (!ws || ws->stopping || (ws->wsi && ws->wsi != wsi))
		return lws_callback_http_dummy(wsi, reason, user, in, len);

	switch (reason) {
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* OpenSSL has checked the chain, dates and host name; keep its verdict, remember why it said no */
		if (!len) {
			int err = X509_STORE_CTX_get_error((X509_STORE_CTX *)user);
			snprintf(ws->tls_error, sizeof ws->tls_error, "%s", X509_verify_cert_error_string(err));
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		log_info("connected to %s", ws->url);
		ws->wsi = wsi;
		free(ws->close_reason);
		ws->close_reason = NULL;
		client_ws_drop_queue(ws);
		client_ws_send_hello(ws);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		client_ws_receive(ws, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return client_ws_writeable(ws, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
		const unsigned char *b = in;
		int code = len >= 2 ? (b[0] << 8) | b[1] : 0;
		free(ws->close_reason);
		ws->close_reason = len > 2 ? xstrndup((const char *)in + 2, len - 2) : NULL;
		log_info("the hub closed the connection (%d %s)", code,
		         ws->close_reason ? ws->close_reason : "");
		if (code == CLIENT_WS_CLOSE_REPLACED) {
			/* reconnecting would throw the other session out in turn */
			desk_set_fatal(
			    ws->desk,
			    _("this operator signed in from another place; this session was closed"));
		}
		break;
	}
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		char *why = ws->tls_error[0]
		                ? xasprintf(_("cannot connect: the hub's certificate is refused: %s"), ws->tls_error)
		                : xasprintf(_("cannot connect: %s"), in ? (const char *)in : _("no answer"));
		client_ws_schedule_retry(ws, why);
		free(why);
		break;
	}
	case LWS_CALLBACK_CLIENT_CLOSED: {
		char *why = ws->close_reason ? xasprintf(_("connection closed: %s"), ws->close_reason)
		                             : xstrdup(_("connection lost"));
		client_ws_schedule_retry(ws, why);
		free(why);
		break;
	}
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

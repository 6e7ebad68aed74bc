/* client_ws.c: the operator client's transport over one ws_conn connection (see client_ws.h). */
#include "opdesk/client_ws.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/http_fetch.h"
#include "opdesk/log.h"
#include "opdesk/proto.h"
#include "opdesk/ws_conn.h"
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

struct client_ws {
	struct desk *desk;
	char *url, *user, *secret;
	enum proto_role role;
	void (*on_frame)(void *arg, const struct proto_msg *m, const char *json, size_t len);
	void *on_frame_arg;
	struct ws_conn *conn;
	struct lws_protocols protocol;
	struct lws_context *ctx; /* from client_ws_start: the HTTP requests' too */
	bool ready; /* the welcome arrived on this connection */
	bool stopping;
	struct client_ws_stats stats;
};

static const struct ws_conn_ops client_ws_ops;
static void client_ws_reconnect(void *arg);

/* A file to or from the hub: HTTP on the hub's own address (docs/protocol.md, "Files"). */
static int client_ws_http(void *arg, const char *path, const char *dest, const char *src, const char *auth,
                          const char *filename, void (*done)(void *cb, int status, const char *body, const char *why),
                          void *cb, char **cause)
{
	struct client_ws *ws = arg;
	if (!ws->ctx) {
		*cause = xstrdup(_("not connected to the hub"));
		return -1;
	}
	struct http_fetch_req r = {.base = ws->url, .path = path, .dest = dest, .src = src, .auth = auth,
	                           .filename = filename, .done = done, .arg = cb};
	return http_fetch_start(ws->ctx, &r, cause);
}

struct client_ws *client_ws_new(struct desk *desk, const struct client_ws_config *cfg, char **cause)
{
	struct client_ws *ws = xcalloc(1, sizeof *ws);
	struct ws_conn_config cc = {
	    .url = cfg->url,
	    .subprotocol = PROTO_SUBPROTOCOL_AGENT,
	    .max_message = PROTO_MAX_FRAME_OUT,
	    .backoff_ms = client_ws_backoff_ms,
	    .n_backoff = LWS_ARRAY_SIZE(client_ws_backoff_ms),
	    .jitter_percent = 20,
	    .keepalive_s = cfg->keepalive_s > 0 ? cfg->keepalive_s : CLIENT_WS_KEEPALIVE_S,
	    .pace_per_s = CLIENT_WS_RATE_PER_S,
	    .pace_burst = CLIENT_WS_RATE_BURST,
	    .ops = &client_ws_ops,
	    .arg = ws,
	};
	ws->conn = ws_conn_new(&cc, cause);
	if (!ws->conn) {
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
	ws->protocol = ws_conn_protocol(PROTO_SUBPROTOCOL_AGENT, 0);
	struct desk_transport tr = {
	    .send = client_ws_send, .reconnect = client_ws_reconnect, .http = client_ws_http, .arg = ws};
	desk_set_transport(desk, &tr);
	return ws;
}

bool client_ws_tls(const struct client_ws *ws)
{
	return ws_conn_tls(ws->conn);
}

const struct lws_protocols *client_ws_protocol(const struct client_ws *ws)
{
	return &ws->protocol;
}

const struct client_ws_stats *client_ws_stats(const struct client_ws *ws)
{
	return &ws->stats;
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
	ws_conn_send(ws->conn, json, len, NULL);
	explicit_bzero(json, len);
	free(json);
	return 0;
}

int client_ws_send(void *arg, const struct proto_msg *msg)
{
	struct client_ws *ws = arg;
	if (!ws->ready)
		return -1;
	return client_ws_encode_queue(ws, msg);
}

/* The operator asked to try now: the waiting retry runs at once. */
static void client_ws_reconnect(void *arg)
{
	struct client_ws *ws = arg;
	if (!ws->stopping && ws_conn_retry_now(ws->conn))
		log_info("reconnecting now, as the operator asked");
}

static void client_ws_connecting(void *arg)
{
	struct client_ws *ws = arg;
	ws->ready = false;
	ws->stats.connects++;
	log_info("connecting to %s", ws->url);
	desk_set_conn(ws->desk, DESK_CONN_CONNECTING, NULL, 0);
}

void client_ws_start(struct client_ws *ws, struct lws_context *ctx)
{
	ws->stopping = false;
	ws->ctx = ctx;
	ws_conn_start(ws->conn, ctx);
}

void client_ws_stop(struct client_ws *ws)
{
	ws->stopping = true;
	ws_conn_stop(ws->conn);
}

void client_ws_free(struct client_ws *ws)
{
	if (!ws)
		return;
	if (ws->desk)
		desk_set_transport(ws->desk, NULL);
	ws_conn_free(ws->conn);
	free(ws->url);
	free(ws->user);
	if (ws->secret) {
		explicit_bzero(ws->secret, strlen(ws->secret));
		free(ws->secret);
	}
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

static void client_ws_connected(void *arg)
{
	struct client_ws *ws = arg;
	log_info("connected to %s", ws->url);
	client_ws_send_hello(ws);
}

static void client_ws_frame_in(void *arg, const char *json, size_t len)
{
	struct client_ws *ws = arg;
	struct proto_msg msg;
	struct proto_error err;
	ws->stats.frames_in++;
	if (proto_decode(PROTO_HUB_TO_AGENT, json, len, &msg, &err) < 0) {
		ws->stats.malformed++;
		log_warn("malformed frame from the hub (%s): %s", proto_errcode_name(err.code), err.detail);
		return;
	}
	log_debug("%s", proto_type_name(msg.type));
	if (ws->on_frame)
		ws->on_frame(ws->on_frame_arg, &msg, json, len);
	if (msg.type == PROTO_WELCOME) {
		ws->ready = true;
		ws_conn_backoff_reset(ws->conn);
	}
	desk_apply(ws->desk, &msg);
	proto_msg_free(&msg);
}

static void client_ws_dropped(void *arg, enum ws_conn_drop why)
{
	struct client_ws *ws = arg;
	(void)why;
	ws->stats.frames_in++;
	ws->stats.malformed++;
	log_warn("dropped a binary or oversized frame from the hub");
}

static void client_ws_sent(void *arg, void *tag)
{
	struct client_ws *ws = arg;
	(void)tag;
	ws->stats.frames_out++;
}

/* The connection ended: say why in the model and try again after the back-off, unless that cannot help. */
static void client_ws_ended(void *arg, const struct ws_conn_end *end)
{
	struct client_ws *ws = arg;
	ws->ready = false;
	char *why;
	if (!end->established) {
		if (!end->error)
			why = xstrdup(_("cannot connect"));
		else if (end->tls_error)
			why = xasprintf(_("cannot connect: the hub's certificate is refused: %s"),
			                end->tls_error);
		else
			why = xasprintf(_("cannot connect: %s"), *end->error ? end->error : _("no answer"));
	} else {
		if (end->code)
			log_info("the hub closed the connection (%d %s)", end->code,
			         end->reason ? end->reason : "");
		if (end->code == CLIENT_WS_CLOSE_REPLACED) {
			/* reconnecting would throw the other session out in turn */
			desk_set_fatal(
			    ws->desk,
			    _("this operator signed in from another place; this session was closed"));
		}
		why = end->reason ? xasprintf(_("connection closed: %s"), end->reason)
		                  : xstrdup(_("connection lost"));
	}
	if (!ws->stopping && !ws->desk->fatal) {
		unsigned delay = ws_conn_retry(ws->conn);
		log_info("%s; next attempt in %u ms", why, delay);
		desk_set_conn(ws->desk, DESK_CONN_OFFLINE, why, proto_now_ms() + delay);
		ws->desk->attempt = ws_conn_attempts(ws->conn);
	}
	free(why);
}

static const struct ws_conn_ops client_ws_ops = {
    .connecting = client_ws_connecting,
    .connected = client_ws_connected,
    .frame = client_ws_frame_in,
    .dropped = client_ws_dropped,
    .sent = client_ws_sent,
    .ended = client_ws_ended,
};

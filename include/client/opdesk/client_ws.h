/* client_ws.h: the operator client's WebSocket transport, on one ws_conn connection (src/net). It connects
 * to the hub's agent endpoint, says hello (with the last seq per open dialog when it reconnects), sends
 * frames paced below the hub's rate limit, decodes incoming frames and feeds the model (desk_apply). It
 * reconnects with a capped, jittered back-off (1, 2, 4, 8, then 15 s) and keeps the connection checked with
 * PINGs; it does not reconnect after the hub closed it with 4001 (the operator signed in elsewhere). The
 * connection state goes into the model. */
#ifndef OPDESK_CLIENT_WS_H
#define OPDESK_CLIENT_WS_H

#include <stdbool.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "opdesk/desk.h"

struct client_ws;

struct client_ws_config {
	const char *url; /* ws://HOST:PORT[/PATH] */
	const char *user;
	const char *secret;
	enum proto_role role; /* the account's role (hello.role) */
	int keepalive_s; /* ping after this many seconds of silence, give up after twice that; 0: 5 s */
	/* Called with every well-formed frame from the hub before the model sees it (the recorder); may be NULL. */
	void (*on_frame)(void *arg, const struct proto_msg *m, const char *json, size_t len);
	void *on_frame_arg;
};

struct client_ws_stats {
	uint64_t frames_in, frames_out, malformed, connects;
};

/* Create the transport for `desk` (it becomes the desk's transport). Returns NULL with *cause set when
 * the URL is unusable. */
struct client_ws *client_ws_new(struct desk *desk, const struct client_ws_config *cfg, char **cause);
/* The lws protocol entry to put in the context's protocol list (its user pointer is the transport). */
const struct lws_protocols *client_ws_protocol(const struct client_ws *ws);
/* The URL is wss://: the loop's context must be made with TLS (client_loop_tls). */
bool client_ws_tls(const struct client_ws *ws);
/* Start connecting (from the event loop; the context must include client_ws_protocol()). */
void client_ws_start(struct client_ws *ws, struct lws_context *ctx);
/* Stop: close the connection and cancel timers (before the context is destroyed). */
void client_ws_stop(struct client_ws *ws);
void client_ws_free(struct client_ws *ws);
const struct client_ws_stats *client_ws_stats(const struct client_ws *ws);

/* The desk transport send (exposed for tests): encode and queue. */
int client_ws_send(void *ws, const struct proto_msg *msg);

#endif

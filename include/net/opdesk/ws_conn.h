/* ws_conn.h: one WebSocket client connection (libwebsockets, src/net), shared by the workstation's transport
 * (client_ws), the simulator's customers (sim_crowd) and opdesk-bridge. It connects to a ws:// or wss://
 * URL with a subprotocol, keeps an outgoing queue written when the socket is writeable (optionally paced by
 * a rate limit), reassembles fragmented messages up to a size limit (a message over it, or a binary one, is
 * dropped whole, its later fragments too, and reported once), retries after a jittered back-off when its
 * owner asks, and lets libwebsockets ping after N s of silence and give up after 2N. What the frames mean,
 * and whether to retry at all, is the owner's: it gets callbacks (ws_conn_ops). */
#ifndef OPDESK_WS_CONN_H
#define OPDESK_WS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

struct ws_conn;

/* Why a connection ended (ws_conn_ops.ended). */
struct ws_conn_end {
	bool established; /* the upgrade had succeeded (else the attempt failed) */
	/* a failed attempt: lws's reason ("" when it gave none), NULL when it never began */
	const char *error;
	const char *tls_error; /* why the server's certificate was refused on this attempt, or NULL */
	int code;           /* the peer's close status (1005: a close frame without one), 0: no close frame */
	const char *reason; /* the peer's close reason, or NULL */
};

/* Why a whole incoming message was dropped. */
enum ws_conn_drop { WS_CONN_DROP_NONE, WS_CONN_DROP_OVERSIZE, WS_CONN_DROP_BINARY };

/* The owner's callbacks; arg is ws_conn_config.arg. Any may be NULL. */
struct ws_conn_ops {
	void (*connecting)(void *arg); /* an attempt begins */
	void (*connected)(void *arg);  /* the upgrade succeeded (queue the hello here) */
	/* one whole text message (data[len] is '\0') */
	void (*frame)(void *arg, const char *data, size_t len);
	/* one whole message refused (oversized or binary), once, when its last piece came */
	void (*dropped)(void *arg, enum ws_conn_drop why);
	void (*sent)(void *arg, void *tag); /* a queued frame was written (its ws_conn_send tag) */
	/* The connection is gone (or the attempt failed): nothing queued is left. The owner may call
	 * ws_conn_retry, or free the connection here. */
	void (*ended)(void *arg, const struct ws_conn_end *end);
};

struct ws_conn_config {
	const char *url;         /* ws://HOST[:PORT][/PATH] or wss://..., or several (ws_conn_urls_parse) */
	const char *subprotocol; /* offered, and the local protocol's name (ws_conn_protocol) */
	size_t max_message;      /* incoming messages over this many bytes are dropped whole */
	/* delay before the 1st, 2nd, ... retry, the last one repeating (a static table); NULL: 3 s */
	const uint32_t *backoff_ms;
	uint16_t n_backoff;
	uint8_t jitter_percent; /* each delay plus up to this much (0: libwebsockets' 30%) */
	/* ping after this many seconds of silence, give up after twice that; 0: libwebsockets' own (300 s) */
	int keepalive_s;
	/* write at most pace_per_s frames a second, in bursts of pace_burst; 0: no pacing */
	int pace_per_s, pace_burst;
	const struct ws_conn_ops *ops;
	void *arg;
};

/* Split a ws:// or wss:// URL (*tls says which). Returns 0, or -1 with *cause (heap) set. host and path are
 * heap strings; path starts with '/'. */
int ws_conn_parse_url(const char *url, char **host, int *port, char **path, bool *tls, char **cause);

/* A hub's address may be several URLs separated by commas or blanks: hubs on one database, one serving and
 * the others standing by. They are tried in order, each after the one before at once (a lost connection, a
 * failed attempt), and the list starts over after its last: after the back-off when all of them failed.
 * Returns 0 with the list (tls: one of them is wss://), or -1 with *cause (heap) naming the bad one. */
struct ws_conn_target {
	char *url, *host, *path;
	int port;
	bool tls;
};
struct ws_conn_urls {
	struct ws_conn_target *v;
	size_t n;
	bool tls;
};
int ws_conn_urls_parse(const char *list, struct ws_conn_urls *out, char **cause);
void ws_conn_urls_free(struct ws_conn_urls *u);

/* The lws protocol entry that serves connections of `subprotocol`, to put in the loop's context
 * (client_loop_new): one for all connections of a kind. rx_buffer_size: as lws_protocols' (0: lws's own). */
struct lws_protocols ws_conn_protocol(const char *subprotocol, size_t rx_buffer_size);

/* A connection (not yet connecting). NULL with *cause (heap) when the URL is unusable. */
struct ws_conn *ws_conn_new(const struct ws_conn_config *cfg, char **cause);
/* A URL is wss://: the loop's context must be made with TLS (client_loop_tls). */
bool ws_conn_tls(const struct ws_conn *c);
/* The URL the current (or next) attempt goes to. */
const char *ws_conn_url(const struct ws_conn *c);
/* Make the first attempt on the next loop pass (the context holds ws_conn_protocol(subprotocol)). */
void ws_conn_start(struct ws_conn *c, struct lws_context *ctx);
/* After ended: the next attempt after the back-off, or at once to the next hub of several (its delay in ms
 * is returned). */
unsigned ws_conn_retry(struct ws_conn *c);
/* Make the next attempt at once; false (nothing done) while connected or connecting, or stopped. */
bool ws_conn_retry_now(struct ws_conn *c);
/* The owner's sign-in succeeded: the back-off starts from its first delay again. */
void ws_conn_backoff_reset(struct ws_conn *c);
/* Retries since the last reset. */
unsigned ws_conn_attempts(const struct ws_conn *c);
/* Queue a text frame (copied); it is written once connected, in order. tag comes back in ops.sent. */
void ws_conn_send(struct ws_conn *c, const void *data, size_t len, void *tag);
/* Close the connection once everything queued is written. */
void ws_conn_leave(struct ws_conn *c);
/* Close the connection and cancel its timers, with no more callbacks (before the context is destroyed). */
void ws_conn_stop(struct ws_conn *c);
/* Free (stopping it first; before the context is destroyed, or after ws_conn_stop). */
void ws_conn_free(struct ws_conn *c);

/* The reassembly of incoming messages (used by the connection; exposed for tests). */
struct ws_conn_rx {
	char *buf; /* the message so far; after WS_CONN_RX_MESSAGE, all of it (buf[len] is '\0') */
	size_t len, cap, max;
	enum ws_conn_drop drop; /* the message being received is refused: its rest is skipped */
	bool done;              /* the last feed ended a message: the next one starts a new one */
};
enum ws_conn_rx_result { WS_CONN_RX_MORE, WS_CONN_RX_MESSAGE, WS_CONN_RX_DROPPED };
/* Add one piece of a message: binary says the message is binary, last that this piece ends it. DROPPED
 * (once a message, at its last piece) leaves why in rx->drop. */
enum ws_conn_rx_result ws_conn_rx_feed(struct ws_conn_rx *rx, const void *in, size_t len, bool binary,
                                       bool last);
/* Forget the message being received (the connection ended). */
void ws_conn_rx_reset(struct ws_conn_rx *rx);

#endif

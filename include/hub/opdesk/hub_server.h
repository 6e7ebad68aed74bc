/* hub_server.h: the hub's WebSocket server (libwebsockets): one listening port, the endpoint chosen by the
 * subprotocol, whole text frames in (reassembled and size-checked), queued text frames out, keepalive
 * pings, SIGTERM/SIGINT through a signalfd, and one loop (libev's epoll, lws on top of it) with no polling timer. What the frames
 * mean is the application's business (struct hub_server_ops). */
#ifndef OPDESK_HUB_SERVER_H
#define OPDESK_HUB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/proto.h"

enum hub_endpoint { HUB_EP_AGENT, HUB_EP_CUSTOMER, HUB_EP_BRIDGE };
extern const char *const hub_endpoint_names[]; /* "agent", "customer", "bridge" */

struct hub_server;
struct hub_conn; /* one WebSocket connection; valid from `opened` until `closed` returns */

struct hub_server_config {
	const char *listen;    /* IPv4/IPv6 address to bind, e.g. "127.0.0.1" */
	int port;              /* 0 = a free port chosen by the kernel */
	int ready_fd;          /* -1, or a descriptor that receives "PORT\n" once listening (then closed) */
	size_t max_queue;      /* bytes of unsent frames a connection may have before it is dropped */
	int ping_after_s;      /* idle seconds before a ws PING */
	int hangup_after_s;    /* idle seconds (no PONG either) before hanging up */
	size_t max_conns;      /* WebSocket connections at once; more are closed at once with 1013 (0: no limit) */
	const char *tls_cert;  /* PEM certificate chain: serve wss:// and https:// (NULL: plain) */
	const char *tls_key;   /* its PEM private key */
};

/* A plain HTTP request with its particulars (docs/protocol.md, "Files"). */
struct hub_http_req {
	bool post;            /* POST, else GET */
	bool options;         /* OPTIONS: a browser's CORS preflight */
	const char *path;     /* "/upload" (no query) */
	const char *query;    /* its arguments as lws decoded them, joined by '&' ("dialog=12&id=..."); "" if none */
	const char *auth;     /* the Authorization header, or NULL */
	const char *filename; /* the X-Filename header, or NULL */
	int64_t length;       /* Content-Length, -1 without one */
	const char *peer;
};

/* What to answer: a short body, or a file from disk; for a POST accepted so far, `upload` (the body goes to
 * post_data, then post_end). */
struct hub_http_answer {
	int status;
	char *body;           /* heap: the reason of a refusal, a JSON answer */
	const char *type;     /* its Content-Type (NULL: text/plain; charset=utf-8) */
	char *file;           /* heap: serve this file (with `type`) instead of a body */
	char *disposition;    /* heap: its Content-Disposition, or NULL */
	bool cors;            /* readable from any origin (Access-Control-Allow-Origin: *; a preflight's answer too) */
	void *upload;
};

/* Callbacks into the application; all run on the service thread. */
struct hub_server_ops {
	void (*opened)(void *app, struct hub_conn *c);
	/* One whole text frame, at most PROTO_MAX_FRAME_IN bytes (not NUL-terminated). */
	void (*frame)(void *app, struct hub_conn *c, const char *buf, size_t len);
	/* A frame refused before decoding (too large, binary); the connection stays open. */
	void (*refused)(void *app, struct hub_conn *c, enum proto_errcode code, const char *detail);
	/* The connection is gone; `c` must not be used after this returns. Not called at shutdown. */
	void (*closed)(void *app, struct hub_conn *c);
	/* After every pass of the service loop: the place to flush coalesced work. */
	void (*pass)(void *app);
	/* The timer set with hub_server_set_timer expired. */
	void (*timer)(void *app);
	/* A plain HTTP GET of `path` on the hub's port (no upgrade): fill *body (heap) and *type; return the
	 * status (404 for paths it does not serve). May be NULL: every GET then gets 400. */
	int (*http)(void *app, const char *path, char **body, const char **type);
	/* Any plain HTTP request first (may be NULL): false when it is not the application's (then `http`,
	 * else 404); true with *ans filled. A POST without ans->upload is refused with ans's answer: at once
	 * when ans->status is 413 or 411 (then the connection closes), else once the body has been read and
	 * thrown away. */
	bool (*request)(void *app, const struct hub_http_req *req, struct hub_http_answer *ans);
	/* A piece of an accepted upload's body: false refuses it (ans filled; the rest is read and thrown away,
	 * and post_abort follows at once). */
	bool (*post_data)(void *app, void *upload, const void *buf, size_t len, struct hub_http_answer *ans);
	/* The whole body came: the answer. `upload` is done with either way. */
	void (*post_end)(void *app, void *upload, struct hub_http_answer *ans);
	/* The upload ends unfinished (refused by post_data, the connection gone, the hub stopping). */
	void (*post_abort)(void *app, void *upload);
};

/* Create the context, listen, adopt the signalfd, and report the port to cfg->ready_fd. */
struct hub_server *hub_server_new(const struct hub_server_config *cfg, const struct hub_server_ops *ops, void *app,
				  char **cause);
/* The port actually listened on. */
int hub_server_port(const struct hub_server *s);
/* Serve until SIGTERM/SIGINT or hub_server_stop, then close every connection (1001). Returns 0. */
int hub_server_run(struct hub_server *s);
void hub_server_stop(struct hub_server *s);
/* Make the loop run another pass soon (work is waiting that no descriptor or timer will announce). */
void hub_server_wake(struct hub_server *s);
/* Close every connection and free everything (no `closed` callbacks). */
void hub_server_free(struct hub_server *s);
/* Call ops->timer once after delay_ms (replacing any pending timer); a negative delay cancels it. */
void hub_server_set_timer(struct hub_server *s, int64_t delay_ms);

/* The libev loop the server runs on, for the application's own watchers (a child's pipes and pidfd). */
struct ev_loop;
struct ev_loop *hub_server_loop(struct hub_server *s);

/* Group commit. While holding, frames queued to any connection (hub_conn_send) are held: nothing from that
 * one on leaves the connection, until hub_server_release sends them (send=true) or drops just the held ones
 * (false) and stops holding. hub_server_hold returns the previous setting (so a caller can send one frame
 * unheld and restore it). */
bool hub_server_hold(struct hub_server *s, bool on);
void hub_server_release(struct hub_server *s, bool send);

enum hub_endpoint hub_conn_endpoint(const struct hub_conn *c);
void hub_conn_set_data(struct hub_conn *c, void *data);
void *hub_conn_data(const struct hub_conn *c);
/* "#12 127.0.0.1" for log lines. */
const char *hub_conn_name(const struct hub_conn *c);
const char *hub_conn_peer(const struct hub_conn *c); /* the peer's address, "127.0.0.1" ("?" if unknown) */
/* Queue a text frame (copied). If the connection's queue grows past max_queue the connection is dropped
 * (logged) and -1 returned; -1 too once the connection is closing. */
int hub_conn_send(struct hub_conn *c, const char *buf, size_t len);
/* Bytes of frames waiting to be written to this connection; SIZE_MAX once it is being dropped or closed
 * (nothing more will be written). */
size_t hub_conn_queued(const struct hub_conn *c);
/* Send what is queued, then close with WebSocket status `status` (e.g. 1008) and a short reason. */
void hub_conn_close(struct hub_conn *c, int status, const char *reason);

#endif

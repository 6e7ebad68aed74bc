/* http_fetch.h: one plain HTTP(S) request of a client program on its one event loop (src/net; libwebsockets'
 * HTTP client): a GET whose body streams into a file, or a POST whose body streams from one (a file sent to
 * the hub, docs/protocol.md "Files"). Never blocks; the result comes to a callback. */
#ifndef OPDESK_HTTP_FETCH_H
#define OPDESK_HTTP_FETCH_H

#include <stdint.h>

#include <libwebsockets.h>

#define HTTP_FETCH_PROTOCOL "opdesk-http"

/* The protocol the loop's context must carry (client_loop adds it). */
const struct lws_protocols *http_fetch_protocol(void);

/* Done: `status` the HTTP status (0: no answer, the connection failed); `body` the answer's first bytes for a
 * POST or a refused GET (NUL-terminated, may be ""), `why` a sentence when status is 0. For a GET answered 200
 * the file `dest` is complete; otherwise it was removed. */
typedef void (*http_fetch_done)(void *arg, int status, const char *body, const char *why);

struct http_fetch_req {
	const char *base;     /* "http://host:port" or "https://..." (a ws:// or wss:// URL is taken too) */
	const char *path;     /* "/f/...?..." */
	const char *dest;     /* GET: the file to create (O_EXCL: never overwritten) */
	const char *src;      /* POST: the file to send */
	const char *auth;     /* POST: the Authorization header's value, or NULL */
	const char *filename; /* POST: X-Filename's value (already percent-encoded), or NULL */
	http_fetch_done done;
	void *arg;
};

/* Start the request; 0, or -1 with *cause (nothing started; `done` is not called). */
int http_fetch_start(struct lws_context *ctx, const struct http_fetch_req *r, char **cause);

#endif

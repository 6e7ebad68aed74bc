/* http_fetch.c: a GET into a file or a POST from one over libwebsockets' HTTP client (see http_fetch.h). */
#include "opdesk/http_fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define BODY_KEEP 512 /* bytes of an answer kept for the callback */

struct http_fetch {
	struct http_fetch_req r;
	char *base, *path, *dest, *src, *auth, *filename; /* the copies r points at */
	int fd;               /* the file written (GET) or read (POST) */
	int64_t left;         /* POST: bytes still to send */
	int64_t total;
	int status;
	char body[BODY_KEEP + 1];
	size_t n_body;
	bool done;
	bool in_connect; /* inside lws_client_connect_via_info: a failure is handled once it returns */
};

static void fetch_finish(struct http_fetch *f, const char *why)
{
	if (f->done)
		return;
	f->done = true;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	bool ok = f->dest && f->status == 200 && !why;
	if (f->dest && !ok)
		unlink(f->dest);
	f->body[f->n_body] = 0;
	f->r.done(f->r.arg, why ? 0 : f->status, f->body, why);
}

static void fetch_free(struct http_fetch *f)
{
	free(f->base), free(f->path), free(f->dest), free(f->src), free(f->auth), free(f->filename);
	free(f);
}

static int fetch_headers(struct http_fetch *f, struct lws *wsi, unsigned char **p, unsigned char *end)
{
	char len[32];
	snprintf(len, sizeof len, "%lld", (long long)f->total);
	if (f->auth && lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION, (unsigned char *)f->auth,
						    (int)strlen(f->auth), p, end))
		return -1;
	if (f->filename && lws_add_http_header_by_name(wsi, (const unsigned char *)"x-filename:",
						       (unsigned char *)f->filename, (int)strlen(f->filename), p, end))
		return -1;
	if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, (unsigned char *)len, (int)strlen(len),
					 p, end))
		return -1;
	lws_client_http_body_pending(wsi, 1);
	lws_callback_on_writable(wsi);
	return 0;
}

/* POST: the next piece of the file. */
static int fetch_write(struct http_fetch *f, struct lws *wsi)
{
	unsigned char buf[LWS_PRE + 16384];
	size_t want = f->left < 16384 ? (size_t)f->left : 16384;
	ssize_t n = want ? read(f->fd, buf + LWS_PRE, want) : 0;
	if (n < 0 || (want && n == 0)) {
		fetch_finish(f, _("the file could not be read"));
		return -1;
	}
	f->left -= n;
	bool last = f->left == 0;
	if (lws_write(wsi, buf + LWS_PRE, (size_t)n, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
		return -1;
	if (last)
		lws_client_http_body_pending(wsi, 0);
	else
		lws_callback_on_writable(wsi);
	return 0;
}

static int fetch_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	struct http_fetch *f = wsi ? lws_get_opaque_user_data(wsi) : NULL;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (f) {
			char *why = xasprintf(_("no answer from the hub: %s"), in ? (const char *)in : "?");
			fetch_finish(f, why);
			free(why);
			lws_set_opaque_user_data(wsi, NULL);
			if (!f->in_connect)
				fetch_free(f);
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		if (f)
			f->status = (int)lws_http_client_http_response(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (f && f->src)
			return fetch_headers(f, wsi, (unsigned char **)in, (unsigned char *)in + len);
		return 0;
	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		if (f && f->src && !f->done)
			return fetch_write(f, wsi);
		return 0;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		if (!f || f->done)
			return 0;
		if (f->n_body < BODY_KEEP) {
			size_t k = BODY_KEEP - f->n_body < len ? BODY_KEEP - f->n_body : len;
			memcpy(f->body + f->n_body, in, k);
			f->n_body += k;
		}
		if (f->dest && f->status == 200) {
			for (const char *p = in; len;) {
				ssize_t w = write(f->fd, p, len);
				if (w <= 0) {
					fetch_finish(f, _("the file could not be written"));
					return -1;
				}
				p += w;
				len -= (size_t)w;
			}
		}
		return 0;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
		char buf[LWS_PRE + 16384], *px = buf + LWS_PRE;
		int lenx = (int)sizeof buf - LWS_PRE;
		return lws_http_client_read(wsi, &px, &lenx) < 0 ? -1 : 0;
	}
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		if (f) {
			if (f->dest && f->status == 200 && f->fd >= 0 && fsync(f->fd) != 0)
				fetch_finish(f, _("the file could not be written"));
			fetch_finish(f, NULL);
		}
		return 0;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (f) {
			fetch_finish(f, f->status ? NULL : _("the hub closed the connection"));
			lws_set_opaque_user_data(wsi, NULL);
			fetch_free(f);
		}
		return 0;
	default:
		return lws_callback_http_dummy(wsi, reason, user, in, len);
	}
}

static const struct lws_protocols fetch_protocol = {.name = HTTP_FETCH_PROTOCOL, .callback = fetch_cb};

const struct lws_protocols *http_fetch_protocol(void)
{
	return &fetch_protocol;
}

int http_fetch_start(struct lws_context *ctx, const struct http_fetch_req *r, char **cause)
{
	struct http_fetch *f = xcalloc(1, sizeof *f);
	f->r = *r;
	f->fd = -1;
	f->base = xstrdup(r->base);
	f->path = xstrdup(r->path);
	f->dest = r->dest ? xstrdup(r->dest) : NULL;
	f->src = r->src ? xstrdup(r->src) : NULL;
	f->auth = r->auth ? xstrdup(r->auth) : NULL;
	f->filename = r->filename ? xstrdup(r->filename) : NULL;
	const char *prot, *ads, *p;
	int port;
	char *copy = xstrdup(r->base);
	if (lws_parse_uri(copy, &prot, &ads, &port, &p) || !*ads) {
		*cause = xasprintf(_("bad URL \"%s\""), r->base);
		goto fail;
	}
	bool tls = strcmp(prot, "https") == 0 || strcmp(prot, "wss") == 0;
	if (f->dest)
		f->fd = open(f->dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	else if (f->src)
		f->fd = open(f->src, O_RDONLY | O_CLOEXEC);
	if ((f->dest || f->src) && f->fd < 0) {
		*cause = xasprintf("%s: %s", f->dest ? f->dest : f->src, strerror(errno));
		goto fail;
	}
	if (f->src) {
		struct stat st;
		if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			*cause = xasprintf(_("%s: not a file"), f->src);
			goto fail;
		}
		f->total = f->left = st.st_size;
	}
	struct lws_client_connect_info i;
	memset(&i, 0, sizeof i);
	i.context = ctx;
	i.address = ads;
	i.port = port;
	i.path = f->path;
	i.host = ads;
	i.origin = ads;
	i.method = f->src ? "POST" : "GET";
	i.protocol = HTTP_FETCH_PROTOCOL;
	i.local_protocol_name = HTTP_FETCH_PROTOCOL;
	i.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	i.opaque_user_data = f;
	f->in_connect = true;
	struct lws *wsi = lws_client_connect_via_info(&i);
	f->in_connect = false;
	free(copy);
	if (!wsi) { /* failed at once: said through the callback, or not at all */
		fetch_finish(f, _("cannot connect to the hub"));
		fetch_free(f);
	}
	return 0;
fail:
	free(copy);
	if (f->fd >= 0) {
		close(f->fd);
		if (f->dest)
			unlink(f->dest);
	}
	fetch_free(f);
	return -1;
}

/* harness_ws.c: a minimal RFC 6455 WebSocket client over a loopback TCP socket, for protocol-level tests
 * against the real hub (and the hub's side of the handshake, for a scripted fake hub that tests the client): the opening handshake with Sec-WebSocket-Protocol (checking 101 and the
 * Sec-WebSocket-Accept digest), masked text/binary frames, fragments, reading whole messages with a
 * deadline, answering pings, and seeing close frames with their status code.
 *
 * Why hand-rolled and not libwebsockets: these tests must send what a correct client library refuses to
 * send (invalid UTF-8 in a text frame, oversized and deliberately broken frames, raw bytes), and must see
 * exactly what the hub answers, close codes included, without a library's own checks and retries in
 * between. The whole client is a few hundred lines of plain sockets, so the test does not depend on the
 * code under test either. */
#include "harness.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "opdesk/xalloc.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct e2e_ws {
	int fd;
	bool closed; /* a close frame came, or the connection ended */
	int close_code;
	bool close_sent;
	bool server; /* the hub's end of the connection (a fake hub): frames go out unmasked */
	unsigned char *rx; /* bytes received, not yet parsed */
	size_t rx_len, rx_cap;
	char *msg; /* the fragmented message being put together */
	size_t msg_len, msg_cap;
	int msg_opcode; /* 0: none in progress */
	char *skipped;  /* frames ws_expect_type passed over */
	size_t skipped_len, skipped_cap;
};

/* ---- SHA-1 (FIPS 180-4), only for checking Sec-WebSocket-Accept ---- */

static uint32_t ws_rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void ws_sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = ws_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		uint32_t tmp = ws_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = ws_rol(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void ws_sha1(const void *data, size_t len, unsigned char out[20])
{
	uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
	const unsigned char *p = data;
	size_t i = 0;
	for (; i + 64 <= len; i += 64)
		ws_sha1_block(h, p + i);
	unsigned char tail[128] = {0};
	size_t rest = len - i;
	memcpy(tail, p + i, rest);
	tail[rest] = 0x80;
	size_t tl = rest + 1 + 8 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int k = 0; k < 8; k++)
		tail[tl - 1 - k] = (unsigned char)(bits >> (8 * k));
	for (size_t k = 0; k < tl; k += 64)
		ws_sha1_block(h, tail + k);
	for (int k = 0; k < 5; k++) {
		out[4 * k] = (unsigned char)(h[k] >> 24);
		out[4 * k + 1] = (unsigned char)(h[k] >> 16);
		out[4 * k + 2] = (unsigned char)(h[k] >> 8);
		out[4 * k + 3] = (unsigned char)h[k];
	}
}

static void ws_base64(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0) |
		             (i + 2 < len ? in[i + 2] : 0);
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* ---- socket ---- */

static void ws_release(void *arg)
{
	struct e2e_ws *ws = arg;
	if (ws->fd >= 0)
		close(ws->fd);
	free(ws->rx);
	free(ws->msg);
	free(ws->skipped);
	free(ws);
}

static void ws_close_fd(void *arg)
{
	close((int)(intptr_t)arg);
}

void ws_close(struct e2e_ws *ws)
{
	if (ws->fd >= 0) {
		if (!ws->closed && !ws->close_sent) {
			unsigned char code[2] = {1000 >> 8, 1000 & 0xff};
			ws_send_frame(ws, WS_CLOSE, true, !ws->server, code, 2);
		}
		close(ws->fd);
		ws->fd = -1;
	}
	ws->closed = true;
}

int ws_send_raw(struct e2e_ws *ws, const void *bytes, size_t len)
{
	const char *p = bytes;
	size_t off = 0;
	while (off < len) {
		if (ws->fd < 0)
			return -1;
		ssize_t n = send(ws->fd, p + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Read more bytes into rx before the deadline: 1 got some, 0 timeout, -1 EOF or error. */
static int ws_fill(struct e2e_ws *ws, int64_t end)
{
	if (ws->fd < 0)
		return -1;
	int left = (int)(end - e2e_now_ms());
	if (left < 0)
		left = 0;
	struct pollfd p = {.fd = ws->fd, .events = POLLIN};
	int r = poll(&p, 1, left);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0)
		return 0;
	ws->rx = xgrow(ws->rx, &ws->rx_cap, ws->rx_len + 65536, 1);
	ssize_t n = recv(ws->fd, ws->rx + ws->rx_len, ws->rx_cap - ws->rx_len, 0);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return -1;
	ws->rx_len += (size_t)n;
	return 1;
}

static void ws_consume(struct e2e_ws *ws, size_t n)
{
	memmove(ws->rx, ws->rx + n, ws->rx_len - n);
	ws->rx_len -= n;
}

static const char *ws_header(const char *head, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	for (const char *line = strstr(head, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
		const char *s = line + 2;
		if (strncasecmp(s, name, nl) == 0 && s[nl] == ':') {
			s += nl + 1;
			while (*s == ' ' || *s == '\t')
				s++;
			const char *e = strstr(s, "\r\n");
			*len = e ? (size_t)(e - s) : strlen(s);
			while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
				(*len)--;
			return s;
		}
	}
	return NULL;
}

struct e2e_ws *ws_connect_headers(int port, const char *subprotocol, const char *extra, int timeout_ms,
                                  char **why)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	*why = NULL;
	struct e2e_ws *ws = xcalloc(1, sizeof *ws);
	ws->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(ws->fd >= 0, "socket: %s", strerror(errno));
	e2e_defer(ws_release, ws);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(ws->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		*why = e2e_strf("connect to port %d: %s", port, strerror(errno));
		return NULL;
	}
	int one = 1;
	setsockopt(ws->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

	unsigned char nonce[16];
	cr_assert(getrandom(nonce, sizeof nonce, 0) == (ssize_t)sizeof nonce, "getrandom failed");
	char key[32];
	ws_base64(nonce, sizeof nonce, key);
	char *req = e2e_strf("GET / HTTP/1.1\r\n"
	                     "Host: 127.0.0.1:%d\r\n"
	                     "Upgrade: websocket\r\n"
	                     "Connection: Upgrade\r\n"
	                     "Sec-WebSocket-Key: %s\r\n"
	                     "Sec-WebSocket-Version: 13\r\n"
	                     "%s%s%s%s"
	                     "\r\n",
	                     port, key, subprotocol ? "Sec-WebSocket-Protocol: " : "",
	                     subprotocol ? subprotocol : "", subprotocol ? "\r\n" : "", extra ? extra : "");
	if (ws_send_raw(ws, req, strlen(req)) < 0) {
		*why = e2e_strf("sending the handshake: %s", strerror(errno));
		return NULL;
	}
	/* the response head, up to the blank line; anything after it is the first frames */
	char *head_end = NULL;
	while (!head_end) {
		int r = ws_fill(ws, end);
		if (r < 0) {
			*why = e2e_strf("the hub closed the connection during the handshake%s%.*s",
			                ws->rx_len ? ", after: " : "", (int)ws->rx_len, (char *)ws->rx);
			return NULL;
		}
		if (r == 0 && e2e_now_ms() >= end) {
			*why = e2e_strf("no handshake response within %d ms", timeout_ms);
			return NULL;
		}
		ws->rx = xgrow(ws->rx, &ws->rx_cap, ws->rx_len + 1, 1);
		ws->rx[ws->rx_len] = '\0';
		head_end = strstr((char *)ws->rx, "\r\n\r\n");
	}
	size_t head_len = (size_t)(head_end - (char *)ws->rx) + 4;
	char *head = e2e_strf("%.*s", (int)head_len, (char *)ws->rx);
	ws_consume(ws, head_len);
	if (strncmp(head, "HTTP/1.1 101", 12) != 0) {
		*why = e2e_strf("the upgrade was refused: %.*s", (int)strcspn(head, "\r\n"), head);
		return NULL;
	}
	unsigned char digest[20];
	char *cat = e2e_strf("%s%s", key, WS_GUID), accept[32];
	ws_sha1(cat, strlen(cat), digest);
	ws_base64(digest, sizeof digest, accept);
	size_t len;
	const char *got = ws_header(head, "Sec-WebSocket-Accept", &len);
	if (!got || len != strlen(accept) || strncmp(got, accept, len) != 0) {
		*why = e2e_strf("wrong Sec-WebSocket-Accept (want %s) in:\n%s", accept, head);
		return NULL;
	}
	got = ws_header(head, "Sec-WebSocket-Protocol", &len);
	if (subprotocol && (!got || len != strlen(subprotocol) || strncmp(got, subprotocol, len) != 0)) {
		*why = e2e_strf("the hub did not agree to subprotocol %s:\n%s", subprotocol, head);
		return NULL;
	}
	return ws;
}

struct e2e_ws *ws_connect_ok(int port, const char *subprotocol)
{
	char *why = NULL;
	struct e2e_ws *ws = ws_connect(port, subprotocol, E2E_WAIT_MS, &why);
	cr_assert(ws, "WebSocket connection (%s) failed: %s", subprotocol ? subprotocol : "no subprotocol",
	          why);
	return ws;
}

/* ---- the hub's side: a fake hub for testing the client ---- */

int ws_listen(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)*port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "bind port %d: %s", *port, strerror(errno));
	cr_assert(listen(fd, 8) == 0, "listen: %s", strerror(errno));
	socklen_t sl = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	e2e_defer(ws_close_fd, (void *)(intptr_t)fd);
	return fd;
}

struct e2e_ws *ws_accept(int listen_fd, const char *subprotocol, int timeout_ms, char **why)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	*why = NULL;
	struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
	if (poll(&pfd, 1, timeout_ms) <= 0) {
		*why = e2e_strf("nobody connected within %d ms", timeout_ms);
		return NULL;
	}
	struct e2e_ws *ws = xcalloc(1, sizeof *ws);
	ws->server = true;
	ws->fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	cr_assert(ws->fd >= 0, "accept: %s", strerror(errno));
	e2e_defer(ws_release, ws);
	char *head_end = NULL;
	while (!head_end) {
		int r = ws_fill(ws, end);
		if (r < 0 || (r == 0 && e2e_now_ms() >= end)) {
			*why = e2e_strf("no complete upgrade request (%s)", r < 0 ? "closed" : "timeout");
			return NULL;
		}
		ws->rx = xgrow(ws->rx, &ws->rx_cap, ws->rx_len + 1, 1);
		ws->rx[ws->rx_len] = '\0';
		head_end = strstr((char *)ws->rx, "\r\n\r\n");
	}
	size_t head_len = (size_t)(head_end - (char *)ws->rx) + 4;
	char *head = e2e_strf("%.*s", (int)head_len, (char *)ws->rx);
	ws_consume(ws, head_len);
	size_t len;
	const char *key = ws_header(head, "Sec-WebSocket-Key", &len);
	if (!key) {
		*why = e2e_strf("no Sec-WebSocket-Key in:\n%s", head);
		return NULL;
	}
	const char *proto = ws_header(head, "Sec-WebSocket-Protocol", &len);
	if (subprotocol && (!proto || !strstr(e2e_strf("%.*s", (int)len, proto), subprotocol))) {
		*why = e2e_strf("the client did not offer %s:\n%s", subprotocol, head);
		return NULL;
	}
	key = ws_header(head, "Sec-WebSocket-Key", &len);
	unsigned char digest[20];
	char *cat = e2e_strf("%.*s%s", (int)len, key, WS_GUID), accept_key[32];
	ws_sha1(cat, strlen(cat), digest);
	ws_base64(digest, sizeof digest, accept_key);
	char *resp = e2e_strf("HTTP/1.1 101 Switching Protocols\r\n"
	                      "Upgrade: websocket\r\n"
	                      "Connection: Upgrade\r\n"
	                      "Sec-WebSocket-Accept: %s\r\n"
	                      "%s%s%s"
	                      "\r\n",
	                      accept_key, subprotocol ? "Sec-WebSocket-Protocol: " : "", subprotocol ? subprotocol : "",
	                      subprotocol ? "\r\n" : "");
	if (ws_send_raw(ws, resp, strlen(resp)) < 0) {
		*why = e2e_strf("sending the upgrade answer: %s", strerror(errno));
		return NULL;
	}
	return ws;
}

/* ---- frames ---- */

int ws_send_frame(struct e2e_ws *ws, int opcode, bool fin, bool mask, const void *data, size_t len)
{
	unsigned char head[14];
	size_t h = 0;
	head[h++] = (unsigned char)((fin ? 0x80 : 0) | (opcode & 0x0f));
	unsigned char m = mask ? 0x80 : 0;
	if (len < 126) {
		head[h++] = (unsigned char)(m | len);
	} else if (len < 65536) {
		head[h++] = m | 126;
		head[h++] = (unsigned char)(len >> 8);
		head[h++] = (unsigned char)len;
	} else {
		head[h++] = m | 127;
		for (int k = 7; k >= 0; k--)
			head[h++] = (unsigned char)((uint64_t)len >> (8 * k));
	}
	unsigned char key[4] = {0};
	if (mask) {
		cr_assert(getrandom(key, 4, 0) == 4, "getrandom failed");
		memcpy(head + h, key, 4);
		h += 4;
	}
	unsigned char *frame = xmalloc(h + len + 1);
	memcpy(frame, head, h);
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		frame[h + i] = mask ? p[i] ^ key[i & 3] : p[i];
	int rc = ws_send_raw(ws, frame, h + len);
	free(frame);
	if (opcode == WS_CLOSE)
		ws->close_sent = true;
	return rc;
}

void ws_cork(struct e2e_ws *ws, bool on)
{
	int v = on;
	cr_assert_eq(setsockopt(ws->fd, IPPROTO_TCP, TCP_CORK, &v, sizeof v), 0, "TCP_CORK: %s", strerror(errno));
}

int ws_send_text(struct e2e_ws *ws, const char *text)
{
	return ws_send_frame(ws, WS_TEXT, true, !ws->server, text, strlen(text));
}

int ws_sendf(struct e2e_ws *ws, const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	cr_assert(n >= 0, "out of memory");
	int rc = ws_send_text(ws, s);
	free(s);
	return rc;
}

void ws_frame_free(struct e2e_ws_frame *f)
{
	free(f->data);
	memset(f, 0, sizeof *f);
}

/* Parse one frame from rx if it is all there: 1 a message (or close) for the caller, 2 a frame handled
 * here (ping, pong, a fragment), 0 need more bytes, -1 a protocol error from the hub. */
static int ws_parse(struct e2e_ws *ws, struct e2e_ws_frame *f)
{
	if (ws->rx_len < 2)
		return 0;
	const unsigned char *p = ws->rx;
	bool fin = p[0] & 0x80;
	int opcode = p[0] & 0x0f;
	bool masked = p[1] & 0x80;
	uint64_t len = p[1] & 0x7f;
	size_t h = 2;
	if (len == 126) {
		if (ws->rx_len < 4)
			return 0;
		len = (uint64_t)p[2] << 8 | p[3];
		h = 4;
	} else if (len == 127) {
		if (ws->rx_len < 10)
			return 0;
		len = 0;
		for (int k = 0; k < 8; k++)
			len = len << 8 | p[2 + k];
		h = 10;
	}
	unsigned char key[4] = {0};
	if (masked) {
		if (ws->rx_len < h + 4)
			return 0;
		memcpy(key, p + h, 4);
		h += 4;
	}
	if (len > (uint64_t)64 * 1024 * 1024)
		return -1;
	if (ws->rx_len < h + len)
		return 0;
	char *payload = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		payload[i] = (char)(masked ? p[h + i] ^ key[i & 3] : p[h + i]);
	payload[len] = '\0';
	ws_consume(ws, h + (size_t)len);

	if (opcode >= 8) { /* control frames may come between fragments */
		if (opcode == WS_PING) {
			ws_send_frame(ws, WS_PONG, true, !ws->server, payload, (size_t)len);
			free(payload);
			return 2;
		}
		if (opcode == WS_PONG) {
			free(payload);
			return 2;
		}
		if (opcode == WS_CLOSE) {
			f->opcode = WS_CLOSE;
			f->close_code =
			    len >= 2 ? ((unsigned char)payload[0] << 8 | (unsigned char)payload[1]) : 1005;
			f->data = payload;
			f->len = (size_t)len;
			ws->closed = true;
			ws->close_code = f->close_code;
			if (!ws->close_sent) {
				unsigned char echo[2] = {(unsigned char)(f->close_code >> 8),
				                         (unsigned char)f->close_code};
				ws_send_frame(ws, WS_CLOSE, true, !ws->server, echo, f->close_code == 1005 ? 0 : 2);
			}
			return 1;
		}
		free(payload);
		return -1;
	}
	if (opcode != WS_CONT)
		ws->msg_opcode = opcode;
	ws->msg = xgrow(ws->msg, &ws->msg_cap, ws->msg_len + len + 1, 1);
	memcpy(ws->msg + ws->msg_len, payload, (size_t)len);
	ws->msg_len += (size_t)len;
	ws->msg[ws->msg_len] = '\0';
	free(payload);
	if (!fin)
		return 2;
	f->opcode = ws->msg_opcode;
	f->data = xmalloc(ws->msg_len + 1);
	memcpy(f->data, ws->msg, ws->msg_len + 1); /* keeps NUL bytes inside a binary message */
	f->len = ws->msg_len;
	ws->msg_len = 0;
	ws->msg_opcode = 0;
	return 1;
}

int ws_recv(struct e2e_ws *ws, struct e2e_ws_frame *f, int timeout_ms)
{
	memset(f, 0, sizeof *f);
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		int r = ws_parse(ws, f);
		if (r == 1)
			return 1;
		if (r == 2)
			continue;
		if (r < 0) {
			ws->closed = true;
			ws->close_code = 1002;
			return -1;
		}
		if (ws->closed && ws->fd < 0)
			return -1;
		int got = ws_fill(ws, end);
		if (got < 0) {
			if (!ws->closed)
				ws->close_code = 1006; /* ended without a close frame */
			ws->closed = true;
			if (ws->fd >= 0) {
				close(ws->fd);
				ws->fd = -1;
			}
			return -1;
		}
		if (got == 0 && e2e_now_ms() >= end)
			return 0;
	}
}

static void ws_note_skipped(struct e2e_ws *ws, const char *what, size_t len)
{
	char line[400];
	int n = snprintf(line, sizeof line, "  %.*s%s\n", (int)(len > 300 ? 300 : len), what,
	                 len > 300 ? "..." : "");
	if (n < 0)
		return;
	size_t ln = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
	ws->skipped = xgrow(ws->skipped, &ws->skipped_cap, ws->skipped_len + ln + 1, 1);
	memcpy(ws->skipped + ws->skipped_len, line, ln);
	ws->skipped_len += ln;
	ws->skipped[ws->skipped_len] = '\0';
}

const char *ws_skipped(struct e2e_ws *ws)
{
	return ws->skipped ? ws->skipped : "";
}

struct e2e_ws *e2e_customer_open(int port, const char *channel, const char *name, const char *text, long long *dialog)
{
	struct e2e_ws *ws = ws_connect_ok(port, "opdesk.customer.v1");
	ws_sendf(ws, "{\"type\":\"open\",\"channel\":\"%s\",\"name\":\"%s\",\"text\":\"%s\"}", channel, name, text);
	json_t *op = ws_expect_type(ws, "opened", E2E_WAIT_MS);
	cr_assert(op, "%s: no opened; frames seen:\n%s", name, ws_skipped(ws));
	if (dialog)
		*dialog = e2e_json_int(op, "dialog", 0);
	return ws;
}

json_t *ws_expect_type(struct e2e_ws *ws, const char *type, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	for (;;) {
		int left = (int)(end - e2e_now_ms());
		if (left < 0)
			return NULL;
		struct e2e_ws_frame f;
		int r = ws_recv(ws, &f, left);
		if (r <= 0)
			return NULL;
		if (f.opcode == WS_CLOSE) {
			char note[64];
			snprintf(note, sizeof note, "(close frame, status %d)", f.close_code);
			ws_note_skipped(ws, note, strlen(note));
			ws_frame_free(&f);
			return NULL;
		}
		json_t *j = f.opcode == WS_TEXT ? json_loadb(f.data, f.len, 0, NULL) : NULL;
		if (j && json_is_object(j) && strcmp(e2e_json_str(j, "type"), type) == 0) {
			ws_frame_free(&f);
			return e2e_own_json(j);
		}
		ws_note_skipped(ws, f.opcode == WS_TEXT ? f.data : "(binary frame)",
		                f.opcode == WS_TEXT ? f.len : 14);
		json_decref(j);
		ws_frame_free(&f);
	}
}

json_t *ws_expect_error(struct e2e_ws *ws, const char *code, const char *what)
{
	json_t *j = ws_expect_type(ws, "error", E2E_WAIT_MS);
	cr_assert(j, "%s: no error frame came (connection %s, close status %d); frames seen instead:\n%s",
	          what, ws->closed ? "closed" : "open", ws->close_code, ws_skipped(ws));
	char *dump = json_dumps(j, JSON_COMPACT);
	e2e_own(dump);
	cr_assert(strcmp(e2e_json_str(j, "code"), code) == 0, "%s: expected error code \"%s\", got %s", what,
	          code, dump);
	cr_assert(*e2e_json_str(j, "message"), "%s: the error has no message: %s", what, dump);
	return j;
}

bool ws_wait_closed(struct e2e_ws *ws, int timeout_ms, int *code)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	while (!ws->closed) {
		int left = (int)(end - e2e_now_ms());
		if (left <= 0)
			return false;
		struct e2e_ws_frame f;
		int r = ws_recv(ws, &f, left);
		if (r > 0 && f.opcode != WS_CLOSE)
			ws_note_skipped(ws, f.data, f.len);
		if (r > 0)
			ws_frame_free(&f);
	}
	if (code)
		*code = ws->close_code;
	return true;
}

bool ws_is_closed(struct e2e_ws *ws)
{
	return ws->closed;
}

json_t *ws_hello(struct e2e_ws *ws, const char *user, const char *secret)
{
	json_t *hello = json_pack("{s:s, s:s, s:s, s:s}", "type", "hello", "user", user, "secret", secret,
	                          "role", "operator");
	char *s = json_dumps(hello, JSON_COMPACT);
	json_decref(hello);
	ws_send_text(ws, s);
	free(s);
	json_t *w = ws_expect_type(ws, "welcome", E2E_WAIT_MS);
	cr_assert(w, "no welcome after hello as %s; frames seen instead:\n%s", user, ws_skipped(ws));
	return w;
}

long long ws_web_chat(int port, struct e2e_ws *agent, const char *name, const char *text, struct e2e_ws **cust,
                      const char **token)
{
	*cust = ws_connect_ok(port, "opdesk.customer.v1");
	json_t *open = json_pack("{s:s, s:s, s:s, s:s}", "type", "open", "channel", "web", "name", name, "text", text);
	char *s = json_dumps(open, JSON_COMPACT);
	json_decref(open);
	ws_send_text(*cust, s);
	free(s);
	json_t *o = ws_expect_type(*cust, "opened", E2E_WAIT_MS);
	cr_assert(o, "%s", ws_skipped(*cust));
	*token = e2e_strf("%s", e2e_json_str(o, "token"));
	cr_assert(ws_expect_type(agent, "assigned", E2E_WAIT_MS), "%s", ws_skipped(agent));
	return e2e_json_int(o, "dialog", 0);
}

/* ---- json ---- */

const char *e2e_json_str(json_t *o, const char *key)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

long long e2e_json_int(json_t *o, const char *key, long long missing)
{
	json_t *v = o ? json_object_get(o, key) : NULL;
	return json_is_integer(v) ? (long long)json_integer_value(v) : missing;
}

void ws_stall(struct e2e_ws *ws)
{
	/* a small receive buffer, so that the hub's side fills up soon once nothing is read */
	int small = 4096;
	setsockopt(ws->fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
}

struct e2e_ws *ws_connect(int port, const char *subprotocol, int timeout_ms, char **why)
{
	return ws_connect_headers(port, subprotocol, NULL, timeout_ms, why);
}

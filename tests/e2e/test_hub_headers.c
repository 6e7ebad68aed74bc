/* test_hub_headers.c: the size of request headers and refused handshakes, against a real hub: a browser
 * with 12 KB of shop cookies upgrades and chats, /health answers with 12 KB of headers, 40 KB of headers get
 * HTTP 431 and a log line naming the peer, and an upgrade naming no subprotocol of the hub (or a wrong
 * WebSocket version) gets HTTP 400 instead of a bare close (docs/protocol.md "Transport", docs/hub.md). */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

#define CUSTOMER "opdesk.customer.v1"

TestSuite(hub_headers, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The response's status line says `code` (lws answers some in HTTP/1.0, some in 1.1). */
static bool status_is(const char *r, const char *code)
{
	return strncmp(r, "HTTP/1.", 7) == 0 && r[7] && r[8] == ' ' && strncmp(r + 9, code, 3) == 0;
}

/* "Cookie: k0=vvvv; k1=vvvv; ..." of about `bytes` bytes, as a line ending in CRLF. */
static const char *cookie_line(size_t bytes)
{
	size_t cap = bytes + 128, n = 0;
	char *s = e2e_own(calloc(cap, 1));
	n += (size_t)snprintf(s, cap, "Cookie: ");
	for (int i = 0; n + 64 < bytes; i++)
		n += (size_t)snprintf(s + n, cap - n, "%sshop_%d=%040d", i ? "; " : "", i, i);
	snprintf(s + n, cap - n, "\r\n");
	return s;
}

E2E_TEST(hub_headers, big_cookies_upgrade_and_answer)
{
	struct e2e_hub *h = e2e_hub_start(NULL, NULL);
	const char *cookie = cookie_line(12 * 1024);
	cr_assert(strlen(cookie) > 12000, "the cookie is %zu bytes", strlen(cookie));

	char *why = NULL;
	struct e2e_ws *c = ws_connect_headers(h->port, CUSTOMER, cookie, E2E_WAIT_MS, &why);
	cr_assert(c, "a 12 KB cookie upgrade was refused: %s; hub log:\n%s", why, e2e_proc_stderr(h->proc));
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"hello\"}");
	cr_assert(ws_expect_type(c, "opened", E2E_WAIT_MS), "no opened; frames:\n%s", ws_skipped(c));

	const char *req = e2e_strf("GET /health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sUser-Agent: %s\r\n"
	                           "Connection: close\r\n\r\n",
	                           h->port, cookie, cookie_line(200) + 8);
	char *r = e2e_http_raw(h->port, req, strlen(req), E2E_WAIT_MS);
	cr_assert(status_is(r, "200"), "/health with 12 KB of headers: %s", r);
	ws_close(c);
}

E2E_TEST(hub_headers, too_big_is_431_and_logged)
{
	struct e2e_hub *h = e2e_hub_start(NULL, NULL);
	const char *req = e2e_strf("GET /health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n",
	                           h->port, cookie_line(40 * 1024));
	char *r = e2e_http_raw(h->port, req, strlen(req), E2E_WAIT_MS);
	cr_assert(status_is(r, "431"), "40 KB of headers: expected 431, got \"%s\"", r);
	cr_assert(e2e_hub_log_wait(h, "refusing a request from 127.0.0.1: its headers are", 5000),
	          "no log line naming the peer; log:\n%s", e2e_proc_stderr(h->proc));

	/* the same as an upgrade */
	const char *up = e2e_strf("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
	                          "Sec-WebSocket-Protocol: " CUSTOMER "\r\n%s\r\n",
	                          h->port, cookie_line(40 * 1024));
	r = e2e_http_raw(h->port, up, strlen(up), E2E_WAIT_MS);
	cr_assert(status_is(r, "431"), "a 40 KB upgrade: expected 431, got \"%s\"", r);

	/* over lws's whole space (64 KiB) lws closes the connection itself: the hub can only log it */
	req = e2e_strf("GET /health HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n", h->port,
	               cookie_line(80 * 1024));
	r = e2e_http_raw(h->port, req, strlen(req), E2E_WAIT_MS);
	cr_expect(!status_is(r, "200"), "80 KB of headers were served: %s", r);
	cr_assert(e2e_hub_log_wait(h, "its headers are over 65536 bytes (closed without an answer)", 5000),
	          "no log line naming the peer; log:\n%s", e2e_proc_stderr(h->proc));

	/* and the hub still serves */
	r = e2e_http_get(h->port, "/health");
	cr_assert(status_is(r, "200"), "%s", r);
}

static const char *upgrade(int port, const char *more)
{
	return e2e_strf("GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n%s\r\n",
	                port, more);
}

E2E_TEST(hub_headers, refused_handshakes_get_a_status)
{
	struct e2e_hub *h = e2e_hub_start(NULL, NULL);
	struct {
		const char *what, *more;
	} cases[] = {
		{"no subprotocol", "Sec-WebSocket-Version: 13\r\n"},
		{"a wrong subprotocol", "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, opdesk.agent.v9\r\n"},
		{"an old version", "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Protocol: " CUSTOMER "\r\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *req = upgrade(h->port, cases[i].more);
		char *r = e2e_http_raw(h->port, req, strlen(req), E2E_WAIT_MS);
		cr_expect(status_is(r, "400"), "%s: expected 400, got \"%s\"", cases[i].what, r);
	}
	cr_assert(e2e_hub_log_wait(h, "refusing a WebSocket upgrade from 127.0.0.1", 5000), "log:\n%s",
	          e2e_proc_stderr(h->proc));
}

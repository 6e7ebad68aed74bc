/* test_net_ws_conn.c: the shared WebSocket connection's URL checks and its reassembly of incoming messages:
 * pieces make one message, and a message over the limit (or a binary one) is dropped whole, its later
 * fragments too, and reported once, at its end, after which the next message is read as usual. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/ws_conn.h"

Test(ws_conn, parses_ws_urls)
{
	char *host, *path, *cause = NULL;
	int port;
	bool tls = true;
	cr_assert_eq(ws_conn_parse_url("ws://127.0.0.1:8740", &host, &port, &path, &tls, &cause), 0);
	cr_assert(!tls);
	cr_assert_str_eq(host, "127.0.0.1");
	cr_assert_eq(port, 8740);
	cr_assert_str_eq(path, "/");
	free(host);
	free(path);
	cr_assert_eq(ws_conn_parse_url("ws://hub.example:9000/agent", &host, &port, &path, &tls, &cause), 0);
	cr_assert_str_eq(host, "hub.example");
	cr_assert_eq(port, 9000);
	cr_assert_str_eq(path, "/agent");
	free(host);
	free(path);
	cr_assert_eq(ws_conn_parse_url("wss://hub.example:8743", &host, &port, &path, &tls, &cause), 0);
	cr_assert(tls);
	cr_assert_eq(port, 8743);
	free(host);
	free(path);
	cr_assert_eq(ws_conn_parse_url("wss://hub.example", &host, &port, &path, &tls, &cause), 0);
	cr_assert_eq(port, 443, "wss:// without a port is the https port");
	free(host);
	free(path);
}

Test(ws_conn, refuses_bad_urls_with_a_reason)
{
	const char *bad[] = {"127.0.0.1:8740",
	                     "http://127.0.0.1:8740",
	                     "https://127.0.0.1:8740",
	                     "ws://",
	                     "ws://h:0",
	                     "ws://h:99999",
	                     ""};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *host = (char *)1, *path = (char *)1, *cause = NULL;
		int port;
		bool tls;
		cr_assert_eq(ws_conn_parse_url(bad[i], &host, &port, &path, &tls, &cause), -1, "%s", bad[i]);
		cr_assert_not_null(cause, "%s", bad[i]);
		cr_assert(strstr(cause, bad[i]) != NULL || !*bad[i], "the reason names the URL: %s", cause);
		cr_assert_null(host);
		cr_assert_null(path);
		free(cause);
	}
}

Test(ws_conn, several_hubs_are_a_list_in_order)
{
	struct ws_conn_urls u;
	char *cause = NULL;
	cr_assert_eq(ws_conn_urls_parse("ws://a:7001,wss://b:7002/agent ws://c:7003", &u, &cause), 0, "%s", cause);
	cr_assert_eq(u.n, 3);
	cr_assert_str_eq(u.v[0].url, "ws://a:7001");
	cr_assert_str_eq(u.v[1].host, "b");
	cr_assert_eq(u.v[1].port, 7002);
	cr_assert_str_eq(u.v[1].path, "/agent");
	cr_assert(u.v[1].tls && !u.v[0].tls && u.tls, "one wss:// makes the list need TLS");
	cr_assert_eq(u.v[2].port, 7003);
	ws_conn_urls_free(&u);
	cr_assert_eq(ws_conn_urls_parse("ws://a:7001", &u, &cause), 0);
	cr_assert(u.n == 1 && !u.tls);
	ws_conn_urls_free(&u);
	/* a bad one anywhere refuses the list, naming it */
	cr_assert_eq(ws_conn_urls_parse("ws://a:7001,http://b:7002", &u, &cause), -1);
	cr_assert(strstr(cause, "http://b:7002"), "%s", cause);
	free(cause);
	cause = NULL;
	cr_assert_eq(ws_conn_urls_parse(" , ", &u, &cause), -1);
	cr_assert_not_null(cause);
	free(cause);
}

static enum ws_conn_rx_result feed(struct ws_conn_rx *rx, const char *s, bool last)
{
	return ws_conn_rx_feed(rx, s, strlen(s), false, last);
}

Test(ws_conn, pieces_make_one_message)
{
	struct ws_conn_rx rx = {.max = 64};
	cr_assert_eq(feed(&rx, "{\"type\":", false), WS_CONN_RX_MORE);
	cr_assert_eq(feed(&rx, "\"ack\"}", true), WS_CONN_RX_MESSAGE);
	cr_assert_eq(rx.len, strlen("{\"type\":\"ack\"}"));
	cr_assert_str_eq(rx.buf, "{\"type\":\"ack\"}");
	cr_assert_eq(feed(&rx, "{}", true), WS_CONN_RX_MESSAGE, "the next message starts afresh");
	cr_assert_str_eq(rx.buf, "{}");
	cr_assert_eq(ws_conn_rx_feed(&rx, "", 0, false, true), WS_CONN_RX_MESSAGE);
	cr_assert_eq(rx.len, 0);
	cr_assert_str_eq(rx.buf, "");
	free(rx.buf);
}

Test(ws_conn, an_oversized_message_is_dropped_whole_with_its_later_fragments)
{
	struct ws_conn_rx rx = {.max = 16};
	cr_assert_eq(feed(&rx, "          ", false), WS_CONN_RX_MORE);
	cr_assert_eq(feed(&rx, "          ", false), WS_CONN_RX_MORE, "over the limit: nothing is said yet");
	/* the rest would be a whole message by itself (JSON allows the spaces before it) */
	cr_assert_eq(feed(&rx, "  {}", false), WS_CONN_RX_MORE);
	cr_assert_eq(feed(&rx, "{\"x\":1}", true), WS_CONN_RX_DROPPED,
	             "the end of the message reports it, once");
	cr_assert_eq(rx.drop, WS_CONN_DROP_OVERSIZE);
	cr_assert_eq(feed(&rx, "{\"y\":2}", true), WS_CONN_RX_MESSAGE, "the next message is read");
	cr_assert_str_eq(rx.buf, "{\"y\":2}");
	cr_assert_eq(rx.drop, WS_CONN_DROP_NONE);
	/* exactly the limit is fine */
	cr_assert_eq(feed(&rx, "0123456789abcdef", true), WS_CONN_RX_MESSAGE);
	cr_assert_eq(feed(&rx, "0123456789abcdefX", true), WS_CONN_RX_DROPPED);
	free(rx.buf);
}

Test(ws_conn, a_binary_message_is_dropped_whole)
{
	struct ws_conn_rx rx = {.max = 64};
	cr_assert_eq(ws_conn_rx_feed(&rx, "{}", 2, true, false), WS_CONN_RX_MORE);
	cr_assert_eq(ws_conn_rx_feed(&rx, "{}", 2, true, true), WS_CONN_RX_DROPPED);
	cr_assert_eq(rx.drop, WS_CONN_DROP_BINARY);
	cr_assert_eq(feed(&rx, "{}", true), WS_CONN_RX_MESSAGE);
	free(rx.buf);
}

Test(ws_conn, a_reset_forgets_the_message_being_received)
{
	struct ws_conn_rx rx = {.max = 8};
	cr_assert_eq(feed(&rx, "123456789", false), WS_CONN_RX_MORE);
	ws_conn_rx_reset(&rx); /* the connection ended in the middle */
	cr_assert_eq(feed(&rx, "{}", true), WS_CONN_RX_MESSAGE);
	cr_assert_str_eq(rx.buf, "{}");
	free(rx.buf);
}

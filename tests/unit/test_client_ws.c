/* test_client_ws.c: the transport's URL checks and its refusal to send before the hub's welcome. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/client_ws.h"

Test(client_ws, parses_ws_urls)
{
	char *host, *path, *cause = NULL;
	int port;
	bool tls = true;
	cr_assert_eq(client_ws_parse_url("ws://127.0.0.1:8740", &host, &port, &path, &tls, &cause), 0);
	cr_assert(!tls);
	cr_assert_str_eq(host, "127.0.0.1");
	cr_assert_eq(port, 8740);
	cr_assert_str_eq(path, "/");
	free(host);
	free(path);
	cr_assert_eq(client_ws_parse_url("ws://hub.example:9000/agent", &host, &port, &path, &tls, &cause), 0);
	cr_assert_str_eq(host, "hub.example");
	cr_assert_eq(port, 9000);
	cr_assert_str_eq(path, "/agent");
	free(host);
	free(path);
	cr_assert_eq(client_ws_parse_url("wss://hub.example:8743", &host, &port, &path, &tls, &cause), 0);
	cr_assert(tls);
	cr_assert_eq(port, 8743);
	free(host);
	free(path);
	cr_assert_eq(client_ws_parse_url("wss://hub.example", &host, &port, &path, &tls, &cause), 0);
	cr_assert_eq(port, 443, "wss:// without a port is the https port");
	free(host);
	free(path);
}

Test(client_ws, refuses_bad_urls_with_a_reason)
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
		cr_assert_eq(client_ws_parse_url(bad[i], &host, &port, &path, &tls, &cause), -1, "%s", bad[i]);
		cr_assert_not_null(cause, "%s", bad[i]);
		cr_assert(strstr(cause, bad[i]) != NULL || !*bad[i], "the reason names the URL: %s", cause);
		cr_assert_null(host);
		cr_assert_null(path);
		free(cause);
	}
}

Test(client_ws, becomes_the_desks_transport_and_waits_for_welcome)
{
	struct desk *d = desk_new("op");
	char *cause = NULL;
	struct client_ws_config cfg = {.url = "ws://127.0.0.1:1", .user = "op", .secret = "s"};
	struct client_ws *ws = client_ws_new(d, &cfg, &cause);
	cr_assert_not_null(ws, "%s", cause ? cause : "");
	cr_assert_eq(d->tr.arg, ws);
	cr_assert_str_eq(client_ws_protocol(ws)->name, PROTO_SUBPROTOCOL_AGENT);
	struct proto_msg m = {.type = PROTO_TAKE};
	cr_assert_eq(client_ws_send(ws, &m), -1, "nothing goes out before the connection is up");
	cr_assert_eq(client_ws_stats(ws)->frames_out, 0);
	client_ws_free(ws);
	cr_assert_null(d->tr.send);
	desk_free(d);

	d = desk_new("op");
	cfg.url = "nonsense";
	cr_assert_null(client_ws_new(d, &cfg, &cause));
	cr_assert_not_null(cause);
	free(cause);
	desk_free(d);
}

/* test_client_ws.c: the transport becomes the desk's and refuses to send before the hub's welcome; a bad URL
 * is refused (the URL checks themselves: test_net_ws_conn.c). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/client_ws.h"

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

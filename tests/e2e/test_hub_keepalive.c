/* test_hub_keepalive.c: the hub's keepalive (--keepalive 2). A connection that stays silent but answers the
 * hub's pings stays open; one that answers nothing (a peer behind a dead link) is dropped once it has been
 * silent 1.5 x 2 s, with a log line that says why; the first goes on being served. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_keepalive, .init = e2e_setup, .fini = e2e_teardown, .timeout = 60);

E2E_TEST(hub_keepalive, a_silent_peer_is_pinged_and_a_dead_one_dropped)
{
	const char *extra[] = {"--keepalive", "2", NULL};
	struct e2e_hub *h = e2e_hub_start(NULL, extra);
	struct e2e_ws *alive = ws_connect_ok(h->port, "opdesk.customer.v1");
	struct e2e_ws *dead = ws_connect_ok(h->port, "opdesk.customer.v1");
	/* 4.5 s of silence from both; `alive` reads (and so answers pings), `dead` reads nothing */
	int64_t end = e2e_now_ms() + 4500;
	while (e2e_now_ms() < end) {
		struct e2e_ws_frame f;
		int r = ws_recv(alive, &f, (int)(end - e2e_now_ms()));
		cr_assert(r >= 0, "the hub closed a connection that answers its pings");
		if (r > 0)
			ws_frame_free(&f);
	}
	cr_assert(e2e_hub_log_wait(h, "nothing heard for 3 s, not even an answer to a ping", E2E_WAIT_MS));
	int code = 0;
	cr_assert(ws_wait_closed(dead, E2E_WAIT_MS, &code), "the dead peer is still connected");
	/* the live one is still served */
	ws_sendf(alive, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Аня\",\"text\":\"привет\"}");
	cr_assert(ws_expect_type(alive, "opened", E2E_WAIT_MS), "%s", ws_skipped(alive));
}

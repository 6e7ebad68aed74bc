/* test_client_hub_restart.c: the hub is down for 30 s and comes back on the same port with the same
 * database: the client keeps retrying on its back-off schedule (1, 2, 4, 8, then every 15 s), shows the count
 * of attempts, reconnects by itself and finds its dialog with the history; a message typed while the hub was
 * down goes out once it is back. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_hub_restart, .init = e2e_setup, .fini = e2e_teardown, .timeout = 150);

E2E_TEST(client_hub_restart, down_for_30_s_and_back)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"telegram\",\"name\":\"Вика\",\"text\":\"Где мой заказ?\"}");
	term_expect(t, "Вика · telegram", E2E_WAIT_MS);

	e2e_proc_stop(h->proc); /* SIGTERM: a clean stop, as an upgrade or a restart does */
	term_expect(t, "offline", E2E_WAIT_MS);
	term_watch(t, "offline");
	term_send(t, "Пока хаб недоступен");
	term_send(t, TK_ENTER);
	term_expect(t, "(sending)", E2E_WAIT_MS);
	term_watch(t, "(sending)"); /* it goes away once the hub is back: perhaps during the waits below */
	int64_t t0 = e2e_now_ms();
	term_expect(t, "(attempt", 30000);
	while (e2e_now_ms() - t0 < 30000)
		term_pump(t, 500);
	cr_assert(e2e_proc_alive(term_proc(t)), "the client gave up");

	const char *again[] = {"--port", e2e_strf("%d", h->port), NULL};
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, again);
	cr_assert_eq(h2->port, h->port);
	/* the longest back-off step is 15 s (plus 20% jitter) */
	term_expect(t, "online", 25000);
	cr_assert(term_wait_gone(t, "offline", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "Вика · telegram", E2E_WAIT_MS);
	term_expect(t, "Где мой заказ?", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "(sending)", E2E_WAIT_MS), "the message typed offline did not go out:\n%s",
	          term_screen_text(t));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text='Пока хаб недоступен'"), 1);
}

/* test_client_keepalive.c: a frozen hub (SIGSTOP: the connection stays open, nothing answers) is noticed
 * within the keepalive time, not minutes later: the status bar says offline and when the next try comes;
 * after SIGCONT, Ctrl-R reconnects at once and the dialog is back. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(client_keepalive, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

E2E_TEST(client_keepalive, a_frozen_hub_shows_offline_within_the_keepalive)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	const char *extra[] = {"--keepalive", "1", NULL};
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, extra);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Зоя\",\"text\":\"Алло\"}");
	term_expect(t, "Зоя · vk", E2E_WAIT_MS);

	kill(h->proc->pid, SIGSTOP);
	/* TCP alone would never notice: the stopped hub's kernel still answers. Only the keepalive (a ping after
	 * 1 s of silence, given up 2 s later) takes the client offline. */
	term_expect(t, "offline", E2E_WAIT_MS);
	term_expect(t, "retrying in", E2E_WAIT_MS);
	term_expect(t, "Ctrl-R: now", E2E_WAIT_MS);

	kill(h->proc->pid, SIGCONT);
	term_watch(t, "offline");
	term_send(t, "\x12"); /* Ctrl-R */
	term_expect(t, "online", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "offline", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "Зоя · vk", E2E_WAIT_MS);
	char *log = e2e_slurp(e2e_strf("%s/client.1.log", e2e_dir()), NULL);
	cr_assert(log && (strstr(log, "reconnecting now, as the operator asked") || strstr(log, "connected to")),
	          "%s", log ? log : "(no log)");
}

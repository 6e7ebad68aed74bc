/* test_client_crash.c: kill -9 of the client loses nothing the operator wrote: a half-typed draft comes back
 * in its composer, and a message sent while the hub was frozen (never acknowledged) is sent again after the
 * restart and stored once, delivered once. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(client_crash, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The row showing `text` is there and carries no "(sending)" mark. */
static bool acked_row(struct e2e_term *t, void *text)
{
	int y = term_find_row(t, text);
	return y >= 0 && !strstr(term_row(t, y), "(sending)");
}

E2E_TEST(client_crash, drafts_and_pending_messages_survive_kill_9)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Где заказ?\"}");
	term_expect(t, "Лена · web", E2E_WAIT_MS);
	char *file = e2e_strf("%s/home/state/opdesk/drafts/anna@127.0.0.1_%d.json", e2e_dir(), h->port);

	/* the hub freezes; a message goes out and is never acknowledged; a new draft is half typed */
	kill(h->proc->pid, SIGSTOP);
	term_send(t, "Уже едет к вам");
	term_send(t, TK_ENTER);
	term_expect(t, "(sending)", E2E_WAIT_MS);
	term_send(t, "и ещё кое-что");
	cr_assert(e2e_file_wait_text(file, "Уже едет к вам", E2E_WAIT_MS), "the pending message was not saved");
	cr_assert(e2e_file_wait_text(file, "и ещё кое-что", E2E_WAIT_MS), "the draft was not saved within a second");

	kill(term_proc(t)->pid, SIGKILL);
	term_proc(t)->daemon = false; /* killed on purpose */
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	kill(h->proc->pid, SIGCONT);

	struct e2e_term *t2 = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t2, "Лена · web", E2E_WAIT_MS);
	term_expect(t2, "> и ещё кое-что", E2E_WAIT_MS);
	term_expect(t2, "anna: Уже едет к вам", E2E_WAIT_MS);
	/* acknowledged: its row loses the mark (the hub may have stored it before the crash and answer the
	 * resend at once, so the mark need never have been drawn) */
	cr_assert(term_wait_until(t2, acked_row, "anna: Уже едет к вам", E2E_WAIT_MS),
	          "the message was not acknowledged:\n%s", term_screen_text(t2));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text='Уже едет к вам'"), 1,
	             "the message is not stored exactly once");
	/* the customer got it once: a later message marks that any second copy would have come before it */
	term_send(t2, TK_ENTER); /* sends the restored draft */
	int got = 0;
	json_t *m;
	while ((m = ws_expect_type(cust, "message", E2E_WAIT_MS)) != NULL &&
	       strcmp(e2e_json_str(m, "text"), "и ещё кое-что") != 0)
		got += strcmp(e2e_json_str(m, "text"), "Уже едет к вам") == 0;
	cr_assert(m, "the draft sent after the restart never reached the customer; frames:\n%s", ws_skipped(cust));
	cr_assert_eq(got, 1, "the customer got the message %d times", got);
}

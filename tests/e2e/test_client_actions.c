/* test_client_actions.c: the operator's actions beyond replying, from the keyboard against a real hub: an
 * internal note (F6) that the customer never gets, a claim (F7) stored in its category with the composer's
 * text, and transfers (F5) to the stylist queue and to a colleague by name, each with its note. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_actions, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define TK_F5 "\x1b[15~"
#define TK_F6 "\x1b[17~"
#define TK_F7 "\x1b[18~"

E2E_TEST(client_actions, note_claim_and_transfers)
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ирина\",\"text\":\"Привезли не тот размер\"}");
	term_expect(t, "Ирина · web", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);

	/* a note: shown in the history, stored as a note, never sent to the customer */
	term_send(t, "постоянная клиентка, вежливо");
	term_send(t, TK_F6);
	term_expect(t, "постоянная клиентка, вежливо", E2E_WAIT_MS);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM messages WHERE sender='note' AND text='постоянная клиентка, вежливо'"), 1);

	/* a claim: F7, the category by number, the composer's text as its description */
	term_send(t, "размер M вместо S");
	term_send(t, TK_F7);
	term_expect(t, "Claim by Ирина", E2E_WAIT_MS);
	term_expect(t, "размер M вместо S", E2E_WAIT_MS); /* shown as the description */
	term_send(t, "2");
	term_expect(t, "claim (completeness)", E2E_WAIT_MS);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM claims WHERE category='completeness' AND text='размер M вместо S'"), 1);

	/* a transfer to a colleague by name, with a note */
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	term_send(t, "нужна замена товара");
	term_send(t, TK_F5);
	term_expect(t, "Transfer Ирина to", E2E_WAIT_MS);
	term_send(t, "boris");
	term_expect(t, "or an operator: boris", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	json_t *assigned = ws_expect_type(boris, "assigned", E2E_WAIT_MS);
	cr_assert(assigned, "boris got no assigned frame; seen:\n%s", ws_skipped(boris));
	char *dump = json_dumps(assigned, 0);
	cr_assert(strstr(dump, "нужна замена товара") && strstr(dump, "Привезли не тот размер"),
	          "the transfer did not carry the note and the history: %s", dump);
	free(dump);
	term_expect(t, "released", E2E_WAIT_MS);

	/* a second chat to the stylist queue, picked by number */
	ws_send_text(boris, "{\"type\":\"status\",\"status\":\"away\"}");
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Вера\",\"text\":\"Хочу подобрать образ\"}");
	term_expect(t, "Вера · vk", E2E_WAIT_MS);
	term_send(t, "нужен стилист");
	term_send(t, TK_F5);
	term_expect(t, "Stylist consultation queue", E2E_WAIT_MS);
	term_send(t, "2");
	long long vera = e2e_db_int(db, 0, "SELECT id FROM dialogs WHERE customer='Вера'");
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE id=%lld AND queue='stylist' AND state='queued'", vera), 1,
	             "the dialog is not waiting in the stylist queue");
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='note' AND text='нужен стилист'", vera), 1);
	/* the customer never saw a note: everything before boris's answer has reached her */
	ws_sendf(boris, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"b-1\",\"text\":\"Здравствуйте, это Борис\"}",
	         e2e_db_int(db, 0, "SELECT id FROM dialogs WHERE customer='Ирина'"));
	json_t *m;
	while ((m = ws_expect_type(cust, "message", E2E_WAIT_MS)) != NULL &&
	       strcmp(e2e_json_str(m, "text"), "Здравствуйте, это Борис") != 0)
		cr_assert(!strstr(e2e_json_str(m, "text"), "вежливо"), "a note reached the customer");
	cr_assert(m, "boris's answer never reached the customer: %s", ws_skipped(cust));

	/* no false errors: nothing the client sent around the transfers was refused (a "typing" for a dialog that
	 * had just left it was). Its next frame (away) marks that the hub has read everything before it. */
	term_send(t, TK_F3);
	cr_assert(e2e_hub_log_wait(h, "anna is away", E2E_WAIT_MS), "%s", e2e_proc_stderr(h->proc));
	const char *log = e2e_proc_stderr(h->proc);
	cr_assert(!strstr(log, "no_such_dialog") && !strstr(log, "not_allowed"), "the hub refused a frame:\n%s", log);
}

/* test_hub_claims.c: an operator files a customer claim on a dialog (quality, completeness, delivery,
 * service): the hub stores it in the claims table, writes it into the dialog as a note that comes back to
 * the operator, and refuses a claim on someone else's dialog or with an unknown category. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_claims, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

E2E_TEST(hub_claims, a_claim_is_stored_and_noted_in_the_dialog)
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");

	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ирина\",\"text\":\"Привезли не тот размер\"}");
	json_t *assigned = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(assigned, "no assigned frame; seen:\n%s", ws_skipped(anna));
	long long dialog = e2e_json_int(json_object_get(assigned, "dialog"), "id", 0);
	cr_assert_gt(dialog, 0);

	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"completeness\",\"text\":\"размер M вместо S\"}",
	         dialog);
	json_t *note = NULL;
	for (int i = 0; i < 5 && !note; i++) {
		json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
		cr_assert(m, "no note came back; seen:\n%s", ws_skipped(anna));
		if (strcmp(e2e_json_str(m, "sender"), "note") == 0)
			note = m;
	}
	cr_assert(note);
	cr_assert(strstr(e2e_json_str(note, "text"), "completeness") && strstr(e2e_json_str(note, "text"), "размер M"),
	          "note text: %s", e2e_json_str(note, "text"));

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM claims WHERE dialog_id=%lld AND category='completeness'"
	                                " AND status='open' AND text='размер M вместо S'", dialog), 1);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='note'", dialog), 1);

	/* boris may not file a claim on anna's dialog, and a made-up category is refused before the hub acts */
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	ws_sendf(boris, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\"}", dialog);
	ws_expect_error(boris, "no_such_dialog", "a claim on another operator's dialog");
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"taste\"}", dialog);
	ws_expect_error(anna, "out_of_range", "an unknown claim category");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM claims"), 1);
}

/* The next note frame on ws (skipping the rest). */
static json_t *next_note(struct e2e_ws *ws)
{
	for (;;) {
		json_t *m = ws_expect_type(ws, "message", E2E_WAIT_MS);
		cr_assert(m, "no note came back; seen:\n%s", ws_skipped(ws));
		if (strcmp(e2e_json_str(m, "sender"), "note") == 0)
			return m;
	}
}

E2E_TEST(hub_claims, a_claim_sent_again_with_its_client_msg_id_is_stored_once)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ира\",\"text\":\"Куртка с браком\"}");
	json_t *assigned = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(assigned, "no assigned frame; seen:\n%s", ws_skipped(anna));
	long long dialog = e2e_json_int(json_object_get(assigned, "dialog"), "id", 0);

	/* the answer is lost (the operator's line drops): the client signs in again and sends the same claim */
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"quality\",\"text\":\"шов\",\"client_msg_id\":\"cl-1\"}",
	         dialog);
	json_t *first = next_note(anna);
	ws_close(anna);
	anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"quality\",\"text\":\"шов\",\"client_msg_id\":\"cl-1\"}",
	         dialog);
	json_t *again = next_note(anna);
	cr_assert_eq(e2e_json_int(again, "id", -1), e2e_json_int(first, "id", -2), "the retry got another note");
	cr_assert_eq(e2e_json_int(again, "seq", -1), e2e_json_int(first, "seq", -2));

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM claims WHERE dialog_id=%lld", dialog), 1,
	             "the claim is stored twice");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='note'", dialog), 1);

	/* a new id is a new claim; the same id on another dialog is a conflict */
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\",\"client_msg_id\":\"cl-2\"}", dialog);
	next_note(anna);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM claims WHERE dialog_id=%lld", dialog), 2);
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Оля\",\"text\":\"Где заказ?\"}");
	json_t *a2 = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a2, "%s", ws_skipped(anna));
	long long dialog2 = e2e_json_int(json_object_get(a2, "dialog"), "id", 0);
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"service\",\"client_msg_id\":\"cl-1\"}", dialog2);
	json_t *err = ws_expect_error(anna, "conflict", "a claim id used in another dialog");
	cr_assert_str_eq(e2e_json_str(err, "ref"), "cl-1");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM claims"), 2);
}

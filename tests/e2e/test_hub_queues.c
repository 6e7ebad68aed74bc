/* test_hub_queues.c: queues, skills and routing modes end to end. Accounts get the queues they serve
 * (`user add --skills`, `user skills`, shown by `user list`); a chat sent to the stylist queue reaches only a
 * stylist even when a general operator is idler; an operator cannot take a chat of a queue he does not serve
 * and "take the next" skips it; a manual queue (--queue general=manual) waits for a take. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_queues, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static void user(const char *db, const char *name, const char *skills)
{
	const char *extra[] = {"--skills", skills, NULL};
	struct e2e_proc *p = e2e_hub_user_add(db, name, "s3cret", skills ? extra : NULL);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
}

static void hub_cli(const char *db, const char *const args[], int want_exit, const char *want_out)
{
	char *argv[12];
	size_t n = 0;
	argv[n++] = e2e_bin("opdesk-hub");
	for (size_t i = 0; args[i]; i++)
		argv[n++] = (char *)args[i];
	argv[n++] = "--db";
	argv[n++] = (char *)e2e_db_target(db);
	argv[n] = NULL;
	struct e2e_proc *p = e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), want_exit, "%s", e2e_proc_stderr(p));
	const char *out = want_exit == 0 ? e2e_proc_stdout(p) : e2e_proc_stderr(p);
	cr_assert(strstr(out, want_out), "no \"%s\" in:\n%s", want_out, out);
}

E2E_TEST(hub_queues, a_stylist_chat_reaches_only_a_stylist)
{
	char *db = e2e_path("q.db");
	user(db, "anna", "general");
	user(db, "boris", "general");
	user(db, "sveta", "general,stylist");
	hub_cli(db, (const char *const[]){"user", "list", NULL}, 0, "general,stylist");
	/* roles are kept as given (an admin was once listed, and served chats, as an operator) */
	struct e2e_proc *p = e2e_hub_user_add(db, "boss", "s3cret", (const char *const[]){"--role", "admin", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	hub_cli(db, (const char *const[]){"user", "list", NULL}, 0, "\nboss                 admin ");
	hub_cli(db, (const char *const[]){"user", "skills", "boris", "general,VIP", NULL}, 2, "expected queue names");
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, NULL);
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(sveta, "sveta", "s3cret");
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret");
	/* sveta takes the first chat (idle longest), anna the second */
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Первая\",\"text\":\"заказ\"}");
	cr_assert(ws_expect_type(sveta, "assigned", E2E_WAIT_MS), "%s", ws_skipped(sveta));
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вторая\",\"text\":\"хочу к стилисту\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	long long dlg = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	/* boris comes: idle, empty, but no stylist */
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret");
	ws_sendf(anna, "{\"type\":\"transfer\",\"dialog\":%lld,\"queue\":\"stylist\",\"note\":\"анкета стилиста\"}", dlg);
	json_t *got = ws_expect_type(sveta, "assigned", E2E_WAIT_MS);
	cr_assert(got, "the stylist chat did not reach sveta: %s", ws_skipped(sveta));
	cr_assert_eq(e2e_json_int(json_object_get(got, "dialog"), "id", 0), dlg);
	cr_assert(!ws_expect_type(boris, "assigned", 300), "boris got a stylist chat");
	struct e2e_db *sq = e2e_db_open(db);
	cr_assert_eq(e2e_db_int(sq, 0, "SELECT count(*) FROM dialogs d JOIN operators o ON o.id=d.operator_id "
	                               "WHERE d.id=%lld AND o.name='sveta' AND d.queue='stylist'", dlg),
	             1);
}

E2E_TEST(hub_queues, a_manual_queue_waits_and_take_skips_queues_not_served)
{
	char *db = e2e_path("m.db");
	user(db, "anna", "general");
	user(db, "sveta", NULL);
	hub_cli(db, (const char *const[]){"user", "skills", "sveta", "stylist", NULL}, 0, "serves stylist");
	const char *extra[] = {"--queue", "general=manual", "--queue", "stylist=manual", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, extra);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret");
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ждёт\",\"text\":\"алло\"}");
	long long dlg = e2e_json_int(ws_expect_type(c1, "opened", E2E_WAIT_MS), "dialog", 0);
	cr_assert(!ws_expect_type(anna, "assigned", 500), "a manual queue's chat was assigned by itself");
	/* sveta serves only the stylist queue: she may not take it, and "take the next" finds nothing */
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(sveta, "sveta", "s3cret");
	ws_sendf(sveta, "{\"type\":\"take\",\"dialog\":%lld}", dlg);
	ws_expect_error(sveta, "not_allowed", "take of a queue not served");
	ws_sendf(sveta, "{\"type\":\"take\"}");
	ws_expect_error(sveta, "queue_empty", "take next with nothing served waiting");
	ws_sendf(anna, "{\"type\":\"take\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(json_object_get(a, "dialog"), "id", 0), dlg);
}

E2E_TEST(hub_queues, bad_queue_flags_are_refused)
{
	const char *bad[][2] = {{"--queue", "general"}, {"--queue", "general=random"}, {"--queue", "=manual"},
	                        {"--queue", "Gen eral=manual"}};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *argv[] = {e2e_bin("opdesk-hub"), (char *)bad[i][0], (char *)bad[i][1], NULL};
		struct e2e_proc *p = e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
		cr_assert_eq(e2e_proc_exit_code(p), 2, "%s %s", bad[i][0], bad[i][1]);
		cr_assert(strstr(e2e_proc_stderr(p), "--queue"), "%s", e2e_proc_stderr(p));
	}
}

E2E_TEST(hub_queues, a_customer_back_soon_gets_the_operator_she_had)
{
	char *db = e2e_path("r.db");
	user(db, "anna", NULL);
	user(db, "sveta", NULL);
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret");
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(sveta, "sveta", "s3cret");
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Первая\",\"text\":\"вопрос\"}");
	long long d1 = e2e_json_int(json_object_get(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "dialog"), "id", 0);
	struct e2e_ws *olga = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(olga, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"где заказ?\"}");
	long long d2 = e2e_json_int(json_object_get(ws_expect_type(sveta, "assigned", E2E_WAIT_MS), "dialog"), "id", 0);
	/* both close; anna has now been idle longer, so a new customer would go to her */
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d1);
	cr_assert(ws_expect_type(anna, "closed", E2E_WAIT_MS));
	ws_sendf(sveta, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d2);
	cr_assert(ws_expect_type(sveta, "closed", E2E_WAIT_MS));
	ws_close(olga);
	/* Ольга writes again a minute later (well within the 30 min window): sveta gets her */
	struct e2e_ws *again = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(again, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"и ещё вопрос\"}");
	json_t *a = ws_expect_type(sveta, "assigned", E2E_WAIT_MS);
	cr_assert(a, "the returning customer did not go to the operator she had: %s", ws_skipped(sveta));
	cr_assert(e2e_hub_log_wait(h, "the customer is back", E2E_WAIT_MS));
	/* someone new goes by the usual rule */
	struct e2e_ws *c3 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c3, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Новая\",\"text\":\"здравствуйте\"}");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
}

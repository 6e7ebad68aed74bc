/* test_hub_customers.c: who the customer is, against the real hub (docs/protocol.md, "Who the customer is" and
 * "Blocking"). A web customer who opens a chat with the customer_token an earlier `opened` gave is the same
 * customer: its new chat is marked returning and its card lists the earlier chat with topic, rating, claim and
 * order number, and the contacts it wrote; the earlier chat reads back through `history`. A customer without a
 * token of the same name is someone else. A bridged contact likewise. Blocking closes the chat, refuses the
 * customer's next chats (by token, by address, by contact) with a neutral message, shows in `block list` and
 * the audit log, and `block remove` lets the customer in again. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_customers, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static json_t *expect(struct e2e_ws *ws, const char *type)
{
	json_t *m = ws_expect_type(ws, type, E2E_WAIT_MS);
	cr_assert(m, "no %s: %s", type, ws_skipped(ws));
	return m;
}

/* A web customer's chat opened (with `token` as its customer_token when not NULL) and assigned to `agent`:
 * the dialog, its opened frame in *opened. */
static long long web_chat(struct e2e_hub *h, struct e2e_ws *agent, struct e2e_ws **cust, const char *name,
			  const char *text, const char *token, json_t **opened, json_t **assigned)
{
	*cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	if (token)
		ws_sendf(*cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"%s\",\"customer_token\":\"%s\"}",
			 name, text, token);
	else
		ws_sendf(*cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"%s\"}", name, text);
	*opened = expect(*cust, "opened");
	*assigned = expect(agent, "assigned");
	long long dialog = e2e_json_int(*opened, "dialog", 0);
	cr_assert_eq(e2e_json_int(json_object_get(*assigned, "dialog"), "id", 0), dialog);
	return dialog;
}

static void close_chat(struct e2e_ws *agent, struct e2e_ws *cust, long long dialog, const char *topic)
{
	ws_sendf(agent, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"%s\"}", dialog, topic);
	expect(agent, "closed");
	if (cust)
		expect(cust, "closed");
}

static json_t *card_of(struct e2e_ws *agent, long long dialog)
{
	ws_sendf(agent, "{\"type\":\"customer\",\"dialog\":%lld}", dialog);
	json_t *c = expect(agent, "customer");
	cr_assert_eq(e2e_json_int(c, "dialog", 0), dialog);
	return c;
}

static bool has_contact(json_t *card, const char *kind, const char *value)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(card, "contacts"), i, c)
		if (strcmp(e2e_json_str(c, "kind"), kind) == 0 && strcmp(e2e_json_str(c, "value"), value) == 0)
			return true;
	return false;
}

E2E_TEST(hub_customers, a_web_customer_is_known_across_chats)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");

	struct e2e_ws *cust;
	json_t *opened, *assigned;
	long long first = web_chat(h, anna, &cust, "Людмила", "Пришла куртка с браком, заказ 5120-7731", NULL, &opened,
				   &assigned);
	const char *token = e2e_strf("%s", e2e_json_str(opened, "customer_token"));
	cr_assert_eq(strlen(token), 32, "customer_token \"%s\"", token);
	cr_assert_neq(strcmp(token, e2e_json_str(opened, "token")), 0, "the customer's token is the chat's");
	cr_assert_eq(e2e_json_int(json_object_get(assigned, "dialog"), "returning", 0), 0, "a first chat is returning");
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"мой телефон +7 912 555-01-23, "
		       "почта lyuda@example.ru\"}");
	expect(cust, "ack");
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"quality\",\"text\":\"брак молнии\"}", first);
	expect(anna, "message");
	close_chat(anna, cust, first, "returns");
	ws_sendf(cust, "{\"type\":\"rate\",\"score\":4}");
	expect(anna, "rating");
	ws_close(cust);

	/* the next day in the same browser: the same customer */
	long long second = web_chat(h, anna, &cust, "Люда", "А где возврат денег?", token, &opened, &assigned);
	cr_assert_str_eq(e2e_json_str(opened, "customer_token"), token);
	cr_assert_eq(e2e_json_int(json_object_get(assigned, "dialog"), "returning", 0), 1, "not marked returning");
	json_t *card = card_of(anna, second);
	cr_assert_eq(e2e_json_int(card, "total", -1), 1);
	json_t *chats = json_object_get(card, "chats");
	cr_assert_eq(json_array_size(chats), 1);
	json_t *c0 = json_array_get(chats, 0);
	cr_assert_eq(e2e_json_int(c0, "dialog", 0), first);
	cr_assert_str_eq(e2e_json_str(c0, "topic"), "returns");
	cr_assert_str_eq(e2e_json_str(c0, "state"), "closed");
	cr_assert_str_eq(e2e_json_str(c0, "operator"), "anna");
	cr_assert_eq(e2e_json_int(c0, "score", 0), 4);
	cr_assert_eq(e2e_json_int(json_object_get(c0, "claims"), "quality", 0), 1);
	cr_assert_str_eq(e2e_json_str(c0, "orders"), "5120-7731", "the phone number is not an order");
	cr_assert_str_eq(e2e_json_str(c0, "preview"), "Пришла куртка с браком, заказ 5120-7731");
	cr_assert(has_contact(card, "phone", "+7 912 555-01-23"), "%s", json_dumps(card, 0));
	cr_assert(has_contact(card, "email", "lyuda@example.ru"), "%s", json_dumps(card, 0));
	json_t *names = json_object_get(card, "names");
	cr_assert_eq(json_array_size(names), 2);
	cr_assert_str_eq(e2e_json_str(json_array_get(names, 0), "name"), "Люда", "the last name used comes first");
	cr_assert_str_eq(e2e_json_str(card, "channel"), "web");

	/* the earlier chat, read-only, notes and all */
	ws_sendf(anna, "{\"type\":\"history\",\"dialog\":%lld}", first);
	json_t *hist = expect(anna, "history");
	cr_assert_eq(e2e_json_int(json_object_get(hist, "dialog"), "id", 0), first);
	json_t *msgs = json_object_get(hist, "messages");
	cr_assert_geq(json_array_size(msgs), 3);
	cr_assert_str_eq(e2e_json_str(json_array_get(msgs, 0), "text"), "Пришла куртка с браком, заказ 5120-7731");
	bool note = false;
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i, m)
		note = note || strcmp(e2e_json_str(m, "kind"), "claim") == 0;
	cr_assert(note, "the claim's note is not in the history");
	close_chat(anna, cust, second, "returns");

	/* the same name without the token: someone else, whose card cannot read Людмила's chats */
	struct e2e_ws *other;
	long long third = web_chat(h, anna, &other, "Людмила", "Здравствуйте", NULL, &opened, &assigned);
	cr_assert_neq(strcmp(e2e_json_str(opened, "customer_token"), token), 0);
	cr_assert_eq(e2e_json_int(json_object_get(assigned, "dialog"), "returning", 0), 0);
	card = card_of(anna, third);
	cr_assert_eq(e2e_json_int(card, "total", -1), 0);
	ws_sendf(anna, "{\"type\":\"history\",\"dialog\":%lld}", first);
	ws_expect_error(anna, "no_such_dialog", "another customer's chat read through this one's");
	/* and a dialog that is not the operator's has no card for it */
	ws_sendf(anna, "{\"type\":\"customer\",\"dialog\":%lld}", first);
	ws_expect_error(anna, "no_such_dialog", "the card of a dialog not hers");
}

E2E_TEST(hub_customers, a_bridged_contact_is_one_customer)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *argv[] = {e2e_bin("opdesk-hub"), "bridge", "add", "tg", "--channel", "telegram", "--db", h->db, NULL};
	struct e2e_spawn_opts o = {.stdin_text = "s3cret-tg\n", .fd3 = -1};
	cr_assert_eq(e2e_proc_exit_code(e2e_run("bridge-add", argv, &o, E2E_WAIT_MS)), 0);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *tg = ws_connect_ok(h->port, "opdesk.bridge.v1");
	ws_sendf(tg, "{\"type\":\"hello\",\"user\":\"tg\",\"secret\":\"s3cret-tg\"}");
	expect(tg, "welcome");
	ws_sendf(tg, "{\"type\":\"message\",\"contact\":\"523199001\",\"name\":\"Иван\",\"client_msg_id\":\"tg-1\","
		     "\"text\":\"Где мой заказ 4817-2290?\"}");
	long long first = e2e_json_int(expect(tg, "opened"), "dialog", 0);
	expect(anna, "assigned");
	close_chat(anna, NULL, first, "order");
	expect(tg, "closed");
	ws_sendf(tg, "{\"type\":\"message\",\"contact\":\"523199001\",\"name\":\"Иван П.\",\"client_msg_id\":\"tg-2\","
		     "\"text\":\"Снова я\"}");
	long long second = e2e_json_int(expect(tg, "opened"), "dialog", 0);
	json_t *assigned = expect(anna, "assigned");
	cr_assert_eq(e2e_json_int(json_object_get(assigned, "dialog"), "returning", 0), 1);
	json_t *card = card_of(anna, second);
	cr_assert_str_eq(e2e_json_str(card, "contact"), "523199001");
	cr_assert_str_eq(e2e_json_str(card, "channel"), "telegram");
	cr_assert(has_contact(card, "messenger", "523199001"), "%s", json_dumps(card, 0));
	json_t *c0 = json_array_get(json_object_get(card, "chats"), 0);
	cr_assert_eq(e2e_json_int(c0, "dialog", 0), first);
	cr_assert_str_eq(e2e_json_str(c0, "orders"), "4817-2290");
	cr_assert_str_eq(e2e_json_str(c0, "topic"), "order");

	/* a blocked contact opens nothing more */
	ws_sendf(anna, "{\"type\":\"block\",\"dialog\":%lld,\"reason\":\"спам\"}", second);
	cr_assert_eq(e2e_json_int(expect(anna, "blocked"), "dialog", 0), second);
	expect(tg, "closed");
	ws_sendf(tg, "{\"type\":\"message\",\"contact\":\"523199001\",\"name\":\"Иван\",\"client_msg_id\":\"tg-3\","
		     "\"text\":\"Ещё раз\"}");
	json_t *e = ws_expect_error(tg, "not_allowed", "a blocked contact's new chat");
	cr_assert_str_eq(e2e_json_str(e, "ref"), "tg-3");
	cr_assert_null(strstr(e2e_json_str(e, "message"), "block"), "the refusal tells of the block: %s",
		       e2e_json_str(e, "message"));
	/* another contact of the same bridge is served */
	ws_sendf(tg, "{\"type\":\"message\",\"contact\":\"777\",\"name\":\"Ольга\",\"client_msg_id\":\"tg-4\",\"text\":\"Привет\"}");
	expect(tg, "opened");
}

static struct e2e_proc *hub_cli(struct e2e_hub *h, const char *what, const char *arg)
{
	char *argv[] = {e2e_bin("opdesk-hub"), "block", (char *)what, "--db", h->db, (char *)arg, NULL};
	struct e2e_spawn_opts o = {.fd3 = -1};
	struct e2e_proc *p = e2e_run(e2e_strf("block-%s", what), argv, &o, E2E_WAIT_MS);
	p->daemon = false;
	return p;
}

E2E_TEST(hub_customers, a_blocked_web_customer_opens_no_chat_until_unblocked)
{
	const char *users[] = {"anna", "s3cret-anna", "sveta", "s3cret-sveta", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	cr_assert_eq(e2e_proc_exit_code(e2e_hub_user_add(h->db, "olga", "s3cret-olga",
							 (const char *const[]){"--role", "supervisor", NULL})), 0);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust;
	json_t *opened, *assigned;
	long long dialog = web_chat(h, anna, &cust, "Хам", "Вы все ...", NULL, &opened, &assigned);
	const char *token = e2e_strf("%s", e2e_json_str(opened, "customer_token"));

	/* an operator who does not hold the dialog cannot block its customer */
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(sveta, "sveta", "s3cret-sveta");
	ws_sendf(sveta, "{\"type\":\"block\",\"dialog\":%lld,\"reason\":\"чужой\"}", dialog);
	ws_expect_error(sveta, "no_such_dialog", "a block by an operator not holding the dialog");

	ws_sendf(anna, "{\"type\":\"block\",\"dialog\":%lld,\"reason\":\"оскорбления\"}", dialog);
	json_t *closed = expect(anna, "closed"); /* the dialog closes first, then the answer */
	cr_assert_eq(e2e_json_int(closed, "dialog", 0), dialog);
	cr_assert_str_eq(e2e_json_str(closed, "topic"), "other");
	long long id = e2e_json_int(expect(anna, "blocked"), "id", 0);
	cr_assert_gt(id, 0);
	expect(cust, "closed");

	/* with its token, and without it from the same address: refused, neutrally */
	struct e2e_ws *again = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(again, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вежливый\",\"text\":\"Здравствуйте\","
			"\"customer_token\":\"%s\"}", token);
	json_t *e = ws_expect_error(again, "not_allowed", "a blocked customer's open");
	cr_assert_str_eq(e2e_json_str(e, "ref"), "open");
	cr_assert_str_eq(e2e_json_str(e, "message"), "the chat is not available right now");
	struct e2e_ws *fresh = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(fresh, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Другой\",\"text\":\"Здравствуйте\"}");
	ws_expect_error(fresh, "not_allowed", "an open from the blocked customer's address");
	ws_sendf(fresh, "{\"type\":\"leave_request\",\"name\":\"Хам\",\"text\":\"ответьте\",\"phone\":\"+7 900 000-00-00\","
			"\"customer_token\":\"%s\"}", token);
	e = ws_expect_error(fresh, "not_allowed", "a blocked customer's offline request");
	cr_assert_str_eq(e2e_json_str(e, "ref"), "leave_request");

	/* a supervisor sees the block on the card of the closed dialog */
	struct e2e_ws *olga = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(olga, "{\"type\":\"hello\",\"user\":\"olga\",\"secret\":\"s3cret-olga\",\"role\":\"supervisor\"}");
	expect(olga, "welcome");
	json_t *card = card_of(olga, dialog);
	cr_assert(json_is_true(json_object_get(card, "blocked")), "%s", json_dumps(card, 0));

	struct e2e_proc *list = hub_cli(h, "list", NULL);
	cr_assert_eq(e2e_proc_exit_code(list), 0, "%s", e2e_proc_stderr(list));
	cr_assert(strstr(e2e_proc_stdout(list), "оскорбления") && strstr(e2e_proc_stdout(list), "127.0.0.1") &&
		  strstr(e2e_proc_stdout(list), "anna"), "%s", e2e_proc_stdout(list));
	struct e2e_proc *rm = hub_cli(h, "remove", e2e_strf("%lld", id));
	cr_assert_eq(e2e_proc_exit_code(rm), 0, "%s", e2e_proc_stderr(rm));
	cr_assert_eq(e2e_proc_exit_code(hub_cli(h, "remove", e2e_strf("%lld", id))), 1, "lifted twice");
	cr_assert_null(strstr(e2e_proc_stdout(hub_cli(h, "list", NULL)), "оскорбления"));

	/* let in again at once, as the same customer */
	struct e2e_ws *back = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(back, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вежливый\",\"text\":\"Извините\","
		       "\"customer_token\":\"%s\"}", token);
	cr_assert_str_eq(e2e_json_str(expect(back, "opened"), "customer_token"), token);

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM audit WHERE action = 'block' AND actor = 'anna' "
				       "AND dialog_id = %lld", dialog), 1);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM audit WHERE action = 'unblock' AND actor = 'cli'"), 1);
	char *argv[] = {e2e_bin("opdesk-hub"), "report", "--since", "2000-01-01", "--db", h->db, NULL};
	struct e2e_spawn_opts o = {.fd3 = -1};
	struct e2e_proc *report = e2e_run("report", argv, &o, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(report), 0, "%s", e2e_proc_stderr(report));
	cr_assert(strstr(e2e_proc_stdout(report), "blocks: 1 set, 1 lifted"), "%s", e2e_proc_stdout(report));
	char *metrics = e2e_http_get(h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_blocked_refusals_total 3"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_blocks{state=\"lifted\"} 1"), "%s", metrics);
}

/* The widget in Chromium: a customer who comes back in the same browser profile (a new tab another day: this
 * tab's sessionStorage gone, localStorage kept) is the same customer, her name already filled in. */
E2E_TEST(hub_customers, the_widget_in_chromium_is_known_on_a_new_visit, .timeout = 180)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_browser *b = wd_start("ru-RU");
	const char *url = e2e_strf("http://127.0.0.1:%d/", h->port);
	wd_open(b, url);
	wd_expect(b, "#od-status", "на связи");
	wd_type(b, "#od-name", "Людмила");
	wd_type(b, "#od-first", "Пришла куртка с браком, заказ 5120-7731");
	wd_click(b, "#od-start");
	json_t *a = expect(anna, "assigned");
	long long first = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	cr_assert_eq(e2e_json_int(json_object_get(a, "dialog"), "returning", 0), 0);
	close_chat(anna, NULL, first, "returns");
	wd_expect(b, "#od-rate:not([hidden])", "Оцените");

	wd_script(b, "sessionStorage.clear(); return 0;", json_array());
	wd_open(b, url);
	wd_expect(b, ".od-start:not([hidden])", "");
	json_t *name = wd_script(b, "return document.getElementById('od-name').value;", json_array());
	cr_assert_str_eq(json_string_value(name), "Людмила", "the name given last time is not filled in");
	wd_type(b, "#od-first", "А где возврат?");
	wd_click(b, "#od-start");
	a = expect(anna, "assigned");
	long long second = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	cr_assert_neq(second, first);
	cr_assert_eq(e2e_json_int(json_object_get(a, "dialog"), "returning", 0), 1, "not known on the new visit");
	json_t *card = card_of(anna, second);
	json_t *c0 = json_array_get(json_object_get(card, "chats"), 0);
	cr_assert_eq(e2e_json_int(c0, "dialog", 0), first, "%s", json_dumps(card, 0));
	cr_assert_str_eq(e2e_json_str(c0, "orders"), "5120-7731");
}

/* opdesk-sim's customers come back (--returning): one who left opens her next chat with the customer_token the
 * hub gave her, so the demo's queue has returning customers too. */
E2E_TEST(hub_customers, simulated_customers_come_back_as_themselves)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	const char *args[] = {"--customers", "1", "--chats", "3", "--rate", "600", "--think", "50-100", "--returning",
			      "100", "--seed", "7", NULL};
	struct e2e_proc *sim = e2e_sim_start(h, e2e_path("sim.events"), args);
	for (int i = 0; i < 3; i++) {
		json_t *a = expect(anna, "assigned");
		json_t *dl = json_object_get(a, "dialog");
		cr_assert_eq(e2e_json_int(dl, "returning", 0), i, "chat %d: %s", i, json_dumps(dl, 0));
		close_chat(anna, NULL, e2e_json_int(dl, "id", 0), "order");
	}
	cr_assert(e2e_proc_wait(sim, E2E_WAIT_MS), "the simulator did not finish its three chats");
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(DISTINCT customer_id) FROM dialogs"), 1);
}

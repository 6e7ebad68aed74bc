/* test_hub_system_lines.c: the lines the hub writes itself reach agents with their kind and particulars beside
 * the text in the hub's language (the customer gets the text only), are stored so, and come back in snapshots
 * (assigned after a transfer, watching); and `targets` lists the queues with their waiting chats and the
 * colleagues signed in with their presence and load, never the asker. Over real WebSockets. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_system_lines, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static struct e2e_hub *hub_with_team(void)
{
	char *db = e2e_strf("%s/lines.db", e2e_dir());
	struct e2e_proc *p = e2e_hub_user_add(db, "olga", "s3cret-olga",
	                                      (const char *const[]){"--display", "Ольга Смирнова", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", NULL};
	return e2e_hub_start_db(db, users, NULL);
}

/* The message of `dialog_obj` (a dialog object) whose kind is `kind`, or NULL. */
static json_t *line_of_kind(json_t *dialog_obj, const char *kind)
{
	json_t *msgs = json_object_get(dialog_obj, "messages");
	for (size_t i = 0; i < json_array_size(msgs); i++)
		if (strcmp(e2e_json_str(json_array_get(msgs, i), "kind"), kind) == 0)
			return json_array_get(msgs, i);
	return NULL;
}

static const char *arg(json_t *line, const char *key)
{
	return e2e_json_str(json_object_get(line, "args"), key);
}

/* The entry of `key` == `value` in the array `name` of o, or NULL. */
static json_t *entry(json_t *o, const char *name, const char *key, const char *value)
{
	json_t *a = json_object_get(o, name);
	for (size_t i = 0; i < json_array_size(a); i++)
		if (strcmp(e2e_json_str(json_array_get(a, i), key), value) == 0)
			return json_array_get(a, i);
	return NULL;
}

E2E_TEST(hub_system_lines, lines_carry_their_kind_to_agents_and_only_text_to_customers)
{
	struct e2e_hub *h = hub_with_team();
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ирина\",\"text\":\"Где мой заказ?\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	json_t *joined = line_of_kind(json_object_get(a, "dialog"), "joined");
	cr_assert(joined, "no joined line with its kind: %s", json_dumps(a, 0));
	cr_assert_str_eq(e2e_json_str(joined, "text"), "Оператор anna подключился к чату");
	cr_assert_str_eq(arg(joined, "name"), "anna");
	cr_assert_str_eq(arg(joined, "user"), "anna");
	long long dialog = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	/* the customer gets the same line as text only (its message frames have no such fields) */
	json_t *cm = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(cm, "%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(cm, "text"), "Оператор anna подключился к чату");
	cr_assert(!json_object_get(cm, "kind") && !json_object_get(cm, "args"), "%s", json_dumps(cm, 0));

	/* targets: the queues, then olga (signed in) with her load; never anna herself, nor sveta before she signs in */
	struct e2e_ws *olga = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(olga, "olga", "s3cret-olga");
	ws_send_text(anna, "{\"type\":\"targets\"}");
	json_t *t = ws_expect_type(anna, "targets", E2E_WAIT_MS);
	cr_assert(t, "%s", ws_skipped(anna));
	json_t *qs = json_object_get(t, "queues");
	cr_assert_geq(json_array_size(qs), 2, "%s", json_dumps(t, 0));
	cr_assert_str_eq(e2e_json_str(json_array_get(qs, 0), "queue"), "general");
	cr_assert(entry(t, "queues", "queue", "stylist"), "%s", json_dumps(t, 0));
	json_t *o = entry(t, "operators", "user", "olga");
	cr_assert(o, "olga is not listed: %s", json_dumps(t, 0));
	cr_assert_str_eq(e2e_json_str(o, "display"), "Ольга Смирнова");
	cr_assert_str_eq(e2e_json_str(o, "status"), "online");
	cr_assert_eq(e2e_json_int(o, "load", -1), 0);
	cr_assert_eq(e2e_json_int(o, "capacity", -1), 4);
	cr_assert(!entry(t, "operators", "user", "anna") && !entry(t, "operators", "user", "sveta"), "%s",
	          json_dumps(t, 0));

	/* a second chat waits (olga goes away first, anna has room): it counts in its queue */
	ws_send_text(olga, "{\"type\":\"status\",\"status\":\"away\"}");
	cr_assert(ws_expect_type(olga, "status", E2E_WAIT_MS), "%s", ws_skipped(olga));
	ws_send_text(anna, "{\"type\":\"status\",\"status\":\"away\"}");
	cr_assert(ws_expect_type(anna, "status", E2E_WAIT_MS), "%s", ws_skipped(anna));
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Вера\",\"text\":\"Подберите образ\"}");
	cr_assert(ws_expect_type(cust2, "opened", E2E_WAIT_MS), "%s", ws_skipped(cust2));
	ws_send_text(anna, "{\"type\":\"targets\"}");
	t = ws_expect_type(anna, "targets", E2E_WAIT_MS);
	cr_assert(t, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(entry(t, "queues", "queue", "general"), "waiting", -1), 1, "%s", json_dumps(t, 0));
	cr_assert_str_eq(e2e_json_str(entry(t, "operators", "user", "olga"), "status"), "away", "%s", json_dumps(t, 0));
	ws_send_text(olga, "{\"type\":\"status\",\"status\":\"online\"}"); /* she gets Вера's chat */
	cr_assert(ws_expect_type(olga, "assigned", E2E_WAIT_MS), "%s", ws_skipped(olga));

	/* a transfer to olga with a note: her snapshot has the note with its kind, her name and the note */
	ws_sendf(anna, "{\"type\":\"transfer\",\"dialog\":%lld,\"operator\":\"olga\",\"note\":\"вопрос по доставке\"}",
	         dialog);
	a = ws_expect_type(olga, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(olga));
	json_t *tr = line_of_kind(json_object_get(a, "dialog"), "transferred_operator");
	cr_assert(tr, "no transfer line with its kind: %s", json_dumps(a, 0));
	cr_assert_str_eq(e2e_json_str(tr, "text"), "вопрос по доставке");
	cr_assert_str_eq(arg(tr, "name"), "Ольга Смирнова");
	cr_assert_str_eq(arg(tr, "user"), "olga");
	cr_assert_str_eq(arg(tr, "note"), "вопрос по доставке");
	joined = line_of_kind(json_object_get(a, "dialog"), "joined");
	cr_assert(joined, "%s", json_dumps(a, 0));
	/* the newest joined line is olga's (the snapshot holds anna's too: take the last) */
	json_t *msgs = json_object_get(json_object_get(a, "dialog"), "messages");
	json_t *last_joined = NULL;
	for (size_t i = 0; i < json_array_size(msgs); i++)
		if (strcmp(e2e_json_str(json_array_get(msgs, i), "kind"), "joined") == 0)
			last_joined = json_array_get(msgs, i);
	cr_assert_str_eq(arg(last_joined, "name"), "Ольга Смирнова");

	/* a claim by olga and the supervisor's takeover: both notes carry their kind */
	ws_sendf(olga, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\",\"text\":\"курьер опоздал\"}", dialog);
	json_t *claim = ws_expect_type(olga, "message", E2E_WAIT_MS);
	cr_assert(claim, "%s", ws_skipped(olga));
	cr_assert_str_eq(e2e_json_str(claim, "kind"), "claim");
	cr_assert_str_eq(arg(claim, "category"), "delivery");
	cr_assert_str_eq(arg(claim, "note"), "курьер опоздал");
	cr_assert_str_eq(e2e_json_str(claim, "text"), "claim (delivery): курьер опоздал");
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(sveta, "{\"type\":\"hello\",\"user\":\"sveta\",\"secret\":\"s3cret-sveta\",\"role\":\"supervisor\"}");
	cr_assert(ws_expect_type(sveta, "welcome", E2E_WAIT_MS), "%s", ws_skipped(sveta));
	ws_sendf(sveta, "{\"type\":\"takeover\",\"dialog\":%lld}", dialog);
	a = ws_expect_type(sveta, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(sveta));
	json_t *tk = line_of_kind(json_object_get(a, "dialog"), "taken_over");
	cr_assert(tk, "no takeover line with its kind: %s", json_dumps(a, 0));
	cr_assert_str_eq(arg(tk, "user"), "sveta");
	cr_assert_str_eq(e2e_json_str(tk, "author"), "sveta");

	/* the customer leaves: the line reaches the dialog's holder with its kind and no args */
	ws_close(cust);
	json_t *left;
	while ((left = ws_expect_type(sveta, "message", E2E_WAIT_MS)) && strcmp(e2e_json_str(left, "kind"), "left") != 0)
		;
	cr_assert(left, "%s", ws_skipped(sveta));
	cr_assert_str_eq(e2e_json_str(left, "text"), "Клиент покинул чат");
	cr_assert(!json_object_get(left, "args"), "%s", json_dumps(left, 0));

	/* stored so */
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE dialog_id=%lld AND kind='transferred_operator' "
	                                "AND %s='olga'", dialog, e2e_db_json(db, "args", "user")), 1);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE kind IS NULL AND sender='customer'"), 2);
}

/* test_hub_permissions.c: the hub checks who may do what on every request and every event it pushes. An
 * operator who names a colleague's dialog (send, note, typing, close, transfer, claim, take) is refused,
 * nothing changes in the database, and none of that dialog's events (the customer's messages and typing, its
 * close) ever reach the wrong operator; an operator's account cannot sign in as supervisor or admin. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_permissions, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* Everything that arrives on ws within ms, as one string (frames separated by newlines). */
static char *collect(struct e2e_ws *ws, int ms)
{
	char *all = e2e_strf("%s", "");
	int64_t end = e2e_now_ms() + ms;
	struct e2e_ws_frame f;
	while (e2e_now_ms() < end) {
		int r = ws_recv(ws, &f, 50);
		if (r > 0) {
			all = e2e_strf("%s%s\n", all, f.data);
			free(f.data);
		}
	}
	return all;
}

E2E_TEST(hub_permissions, an_operator_cannot_touch_or_see_a_colleagues_dialog)
{
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"мой заказ?\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	long long dlg = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	cr_assert_gt(dlg, 0);
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	json_t *w = ws_hello(boris, "boris", "s3cret-boris");
	cr_assert_eq(json_array_size(json_object_get(w, "dialogs")), 0, "boris was shown anna's dialog at sign-in");

	struct e2e_db *db = e2e_db_open(h->db);
	long long msgs_before = e2e_db_int(db, 0, "SELECT count(*) FROM messages");
	const char *const attempts[] = {
	    "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"b1\",\"text\":\"это мой клиент\"}",
	    "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"b2\",\"text\":\"заметка\",\"note\":true}",
	    "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}",
	    "{\"type\":\"transfer\",\"dialog\":%lld,\"operator\":\"boris\"}",
	    "{\"type\":\"transfer\",\"dialog\":%lld,\"queue\":\"stylist\"}",
	    "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"quality\"}",
	    "{\"type\":\"take\",\"dialog\":%lld}",
	};
	for (size_t i = 0; i < sizeof attempts / sizeof *attempts; i++) {
		ws_sendf(boris, attempts[i], dlg);
		json_t *e = ws_expect_type(boris, "error", E2E_WAIT_MS);
		cr_assert(e, "attempt %zu was not refused: %s", i, ws_skipped(boris));
		const char *code = e2e_json_str(e, "code");
		/* (take: "queue_empty", the chat is not waiting: someone has it) */
		cr_assert(strcmp(code, "no_such_dialog") == 0 || strcmp(code, "not_allowed") == 0 ||
		              (strstr(attempts[i], "take") && strcmp(code, "queue_empty") == 0),
		          "attempt %zu: %s", i, code);
	}
	ws_sendf(boris, "{\"type\":\"typing\",\"dialog\":%lld,\"on\":true}", dlg);
	/* nothing changed: the dialog is still anna's and open, no message was added */
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages"), msgs_before);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM claims"), 0);
	char *state = e2e_db_text(db, "SELECT state FROM dialogs WHERE id=%lld", dlg);
	cr_assert_str_eq(state ? state : "(none)", "assigned");
	/* and the customer never saw boris typing */
	char *to_cust = collect(cust, 300);
	cr_assert(!strstr(to_cust, "typing"), "boris's typing reached anna's customer:\n%s", to_cust);

	/* the dialog's life goes on: none of it reaches boris */
	ws_sendf(cust, "{\"type\":\"typing\",\"on\":true}");
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c2\",\"text\":\"СЕКРЕТНЫЙ адрес доставки\"}");
	cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS), "%s", ws_skipped(anna));
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", dlg);
	cr_assert(ws_expect_type(anna, "closed", E2E_WAIT_MS), "%s", ws_skipped(anna));
	char *to_boris = collect(boris, 500);
	cr_assert(!strstr(to_boris, "СЕКРЕТНЫЙ") && !strstr(to_boris, e2e_strf("\"dialog\":%lld", dlg)),
	          "boris received anna's dialog:\n%s", to_boris);

	/* an operator's account is not a supervisor's or an admin's */
	const char *roles[] = {"supervisor", "admin"};
	for (size_t i = 0; i < 2; i++) {
		struct e2e_ws *ws = ws_connect_ok(h->port, "opdesk.agent.v1");
		ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"boris\",\"secret\":\"s3cret-boris\",\"role\":\"%s\"}", roles[i]);
		ws_expect_error(ws, "auth_failed", roles[i]);
	}
}

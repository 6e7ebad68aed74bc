/* test_hub_supervisor.c: what a supervisor does on the hub, over a real WebSocket, and that an operator may
 * do none of it. A supervisor's board shows every operator's presence and load, the queue and today's
 * figures, and is pushed again when they change; `watch` gives a read-only view of a colleague's dialog and
 * then its messages (the customer's, the operator's, notes); `whisper` reaches the operator as a note and
 * never the customer; `takeover` moves the dialog to the supervisor and tells the operator. An operator
 * asking for any of these is refused, nothing is stored, and no board or watched event ever reaches them. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_supervisor, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static struct e2e_hub *hub_with_supervisor(void)
{
	char *db = e2e_strf("%s/supervisor.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", NULL};
	return e2e_hub_start_db(db, users, NULL);
}

/* anna signs in and Oleg's chat is assigned to her: its dialog id. */
static long long anna_has_a_chat(struct e2e_hub *h, struct e2e_ws **anna, struct e2e_ws **cust)
{
	*anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(*anna, "anna", "s3cret-anna");
	*cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(*cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Олег\",\"text\":\"здравствуйте\"}");
	json_t *a = ws_expect_type(*anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(*anna));
	return e2e_json_int(json_object_get(a, "dialog"), "id", 0);
}

static struct e2e_ws *supervisor(struct e2e_hub *h)
{
	struct e2e_ws *ws = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"sveta\",\"secret\":\"s3cret-sveta\",\"role\":\"supervisor\"}");
	cr_assert(ws_expect_type(ws, "welcome", E2E_WAIT_MS), "%s", ws_skipped(ws));
	return ws;
}

/* The board entry of `user`, or NULL. */
static json_t *board_op(json_t *board, const char *user)
{
	json_t *ops = json_object_get(board, "operators");
	for (size_t i = 0; i < json_array_size(ops); i++)
		if (strcmp(e2e_json_str(json_array_get(ops, i), "user"), user) == 0)
			return json_array_get(ops, i);
	return NULL;
}

/* The next board on which anna holds `load` dialogs (boards come at most once a second). */
static json_t *board_with_load(struct e2e_ws *ws, long long load)
{
	for (int i = 0; i < 10; i++) {
		json_t *b = ws_expect_type(ws, "board", E2E_WAIT_MS);
		cr_assert(b, "no board: %s", ws_skipped(ws));
		if (e2e_json_int(board_op(b, "anna"), "load", -1) == load)
			return b;
	}
	cr_assert_fail("no board with anna holding %lld", load);
	return NULL;
}

/* Everything that arrives on ws within ms, as one string. */
static char *collect(struct e2e_ws *ws, int ms)
{
	char *all = e2e_strf("%s", "");
	int64_t end = e2e_now_ms() + ms;
	struct e2e_ws_frame f;
	while (e2e_now_ms() < end) {
		if (ws_recv(ws, &f, 50) > 0) {
			all = e2e_strf("%s%s\n", all, f.data);
			ws_frame_free(&f);
		}
	}
	return all;
}

E2E_TEST(hub_supervisor, board_watch_whisper_and_takeover)
{
	struct e2e_hub *h = hub_with_supervisor();
	struct e2e_ws *anna, *cust;
	long long dlg = anna_has_a_chat(h, &anna, &cust);

	/* the board at once on `monitor` */
	struct e2e_ws *sveta = supervisor(h);
	ws_sendf(sveta, "{\"type\":\"monitor\",\"on\":true}");
	json_t *b = ws_expect_type(sveta, "board", E2E_WAIT_MS);
	cr_assert(b, "%s", ws_skipped(sveta));
	json_t *op = board_op(b, "anna");
	cr_assert(op, "anna is not on the board");
	cr_assert(json_is_true(json_object_get(op, "online")));
	cr_assert_eq(e2e_json_int(op, "load", -1), 1);
	cr_assert_eq(e2e_json_int(op, "capacity", -1), 4);
	/* anna's dialogs: what a supervisor picks from */
	ws_sendf(sveta, "{\"type\":\"dialogs\",\"operator\":\"anna\"}");
	json_t *list = ws_expect_type(sveta, "dialogs", E2E_WAIT_MS);
	cr_assert(list, "%s", ws_skipped(sveta));
	cr_assert_str_eq(e2e_json_str(list, "operator"), "anna");
	json_t *held = json_array_get(json_object_get(list, "items"), 0);
	cr_assert_eq(json_array_size(json_object_get(list, "items")), 1);
	cr_assert_eq(e2e_json_int(held, "dialog", 0), dlg);
	cr_assert_str_eq(e2e_json_str(held, "customer"), "Олег");
	ws_sendf(sveta, "{\"type\":\"dialogs\",\"operator\":\"nobody\"}");
	ws_expect_error(sveta, "not_allowed", "dialogs of an operator who does not exist");
	cr_assert_str_eq(e2e_json_str(board_op(b, "sveta"), "role"), "supervisor");
	cr_assert_eq(e2e_json_int(b, "waiting", -1), 0);
	cr_assert_eq(e2e_json_int(json_object_get(b, "today"), "opened", -1), 1);

	/* watching anna's dialog: the history, then what is said in it */
	ws_sendf(sveta, "{\"type\":\"watch\",\"dialog\":%lld,\"on\":true}", dlg);
	json_t *w = ws_expect_type(sveta, "watching", E2E_WAIT_MS);
	cr_assert(w, "%s", ws_skipped(sveta));
	char *text = json_dumps(w, 0);
	bool has_history = strstr(text, "здравствуйте") != NULL;
	free(text);
	cr_assert(has_history, "the watched dialog came without its history");
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"где мой заказ?\"}");
	json_t *m = ws_expect_type(sveta, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(sveta));
	cr_assert_str_eq(e2e_json_str(m, "text"), "где мой заказ?");
	cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Сейчас проверю\"}", dlg);
	m = ws_expect_type(sveta, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(sveta));
	cr_assert_str_eq(e2e_json_str(m, "sender"), "operator");

	/* a whisper: to anna as a note, acked to sveta, never to the customer */
	ws_sendf(sveta, "{\"type\":\"whisper\",\"dialog\":%lld,\"client_msg_id\":\"w-1\",\"text\":\"Предложи скидку 10%%\"}",
	         dlg);
	json_t *ack = ws_expect_type(sveta, "ack", E2E_WAIT_MS);
	cr_assert(ack, "%s", ws_skipped(sveta));
	cr_assert_str_eq(e2e_json_str(ack, "client_msg_id"), "w-1");
	m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(m, "sender"), "note");
	cr_assert_str_eq(e2e_json_str(m, "author"), "sveta");
	cr_assert_str_eq(e2e_json_str(m, "text"), "Предложи скидку 10%");
	/* the customer's next frame is anna's answer, and the note was never among them */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-2\",\"text\":\"Дарим скидку\"}", dlg);
	m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (m && strcmp(e2e_json_str(m, "text"), "Дарим скидку") != 0)
		m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(cust));
	cr_assert(!strstr(ws_skipped(cust), "Предложи"), "the customer saw the whisper:\n%s", ws_skipped(cust));

	/* the board follows: a second chat makes anna's load 2 */
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"telegram\",\"name\":\"Ира\",\"text\":\"привет\"}");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	b = board_with_load(sveta, 2); /* (today's figures follow within 10 s: they are read less often) */
	cr_assert_eq(e2e_json_int(b, "waiting", -1), 0);

	/* takeover: anna is told, sveta holds the dialog, the customer hears from her */
	ws_sendf(sveta, "{\"type\":\"takeover\",\"dialog\":%lld}", dlg);
	json_t *rel = ws_expect_type(anna, "released", E2E_WAIT_MS);
	cr_assert(rel, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(rel, "dialog", 0), dlg);
	cr_assert(strstr(e2e_json_str(rel, "reason"), "taken over by sveta"), "%s", e2e_json_str(rel, "reason"));
	json_t *a = ws_expect_type(sveta, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(sveta));
	cr_assert_eq(e2e_json_int(json_object_get(a, "dialog"), "id", 0), dlg);
	ws_sendf(sveta, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"s-1\",\"text\":\"Я старший смены\"}", dlg);
	cr_assert(ws_expect_type(sveta, "ack", E2E_WAIT_MS), "%s", ws_skipped(sveta));
	m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (m && strcmp(e2e_json_str(m, "text"), "Я старший смены") != 0)
		m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(cust));
	b = board_with_load(sveta, 1);
	cr_assert_eq(e2e_json_int(board_op(b, "sveta"), "load", -1), 1);
	/* anna may no longer write there */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-3\",\"text\":\"ещё\"}", dlg);
	ws_expect_error(anna, "no_such_dialog", "anna writing into a dialog taken from her");

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT operator_id = (SELECT id FROM operators WHERE name = 'sveta') "
	                               "FROM dialogs WHERE id = %lld", dlg), 1);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM audit WHERE actor = 'sveta' AND action IN "
	                               "('whisper', 'takeover')"), 2);
}

E2E_TEST(hub_supervisor, an_operator_may_do_none_of_it_and_sees_none_of_it)
{
	struct e2e_hub *h = hub_with_supervisor();
	struct e2e_ws *anna, *cust;
	long long dlg = anna_has_a_chat(h, &anna, &cust);
	/* sveta holds a second dialog: anna asks to watch it, whisper into it and take it */
	struct e2e_ws *sveta = supervisor(h);
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ира\",\"text\":\"привет\"}");
	json_t *o = ws_expect_type(cust2, "opened", E2E_WAIT_MS);
	cr_assert(o, "%s", ws_skipped(cust2));
	long long other = e2e_json_int(o, "dialog", 0);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	ws_sendf(sveta, "{\"type\":\"takeover\",\"dialog\":%lld}", other);
	cr_assert(ws_expect_type(sveta, "assigned", E2E_WAIT_MS), "%s", ws_skipped(sveta));

	ws_sendf(anna, "{\"type\":\"monitor\",\"on\":true}");
	json_t *e = ws_expect_error(anna, "not_allowed", "monitor by an operator");
	cr_assert(strstr(e2e_json_str(e, "message"), "supervisors only"), "%s", e2e_json_str(e, "message"));
	ws_sendf(anna, "{\"type\":\"watch\",\"dialog\":%lld,\"on\":true}", other);
	ws_expect_error(anna, "not_allowed", "watch by an operator");
	ws_sendf(anna, "{\"type\":\"whisper\",\"dialog\":%lld,\"client_msg_id\":\"w-x\",\"text\":\"psst\"}", other);
	e = ws_expect_error(anna, "not_allowed", "whisper by an operator");
	cr_assert_str_eq(e2e_json_str(e, "ref"), "w-x");
	ws_sendf(anna, "{\"type\":\"takeover\",\"dialog\":%lld}", other);
	ws_expect_error(anna, "not_allowed", "takeover by an operator");
	ws_sendf(anna, "{\"type\":\"dialogs\",\"operator\":\"sveta\"}");
	ws_expect_error(anna, "not_allowed", "dialogs by an operator");

	/* things happen in sveta's dialog and on the board: none of it reaches anna */
	ws_sendf(cust2, "{\"type\":\"message\",\"client_msg_id\":\"c-9\",\"text\":\"секретный вопрос\"}");
	cr_assert(ws_expect_type(sveta, "message", E2E_WAIT_MS), "%s", ws_skipped(sveta));
	struct e2e_ws *cust3 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust3, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Петя\",\"text\":\"добрый день\"}");
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	char *seen = collect(anna, 1500);
	cr_assert(!strstr(seen, "\"board\"") && !strstr(seen, "\"watching\"") && !strstr(seen, "\"type\":\"dialogs\"") && !strstr(seen, "секретный"),
	          "an operator received supervisor events:\n%s", seen);
	cr_assert(!strstr(ws_skipped(anna), "секретный"), "%s", ws_skipped(anna));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text = 'psst'"), 0);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE id = %lld AND operator_id = "
	                                "(SELECT id FROM operators WHERE name = 'anna')", other), 0);
	(void)dlg;
}

E2E_TEST(hub_supervisor, a_supervisor_works_from_the_workstation)
{
	/* `opdesk --role supervisor` signs in with the account's role (without it the hub refuses the supervisor's
	 * account as an operator); chats are not routed to a supervisor, but F2 takes one and she answers it */
	struct e2e_hub *h = hub_with_supervisor();
	struct e2e_term *t = term_client(h, "sveta", "s3cret-sveta", 30, 110, (const char *const[]){"--role", "supervisor", NULL});
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Олег\",\"text\":\"Где мой заказ 4817?\"}");
	cr_assert(ws_expect_type(cust, "opened", E2E_WAIT_MS), "%s", ws_skipped(cust));
	term_expect(t, "Олег", E2E_WAIT_MS); /* in the queue, not in a pane */
	term_send(t, TK_F2);
	term_expect(t, "Где мой заказ 4817?", E2E_WAIT_MS);
	term_send(t, "Смотрю, минуту");
	term_send(t, TK_ENTER);
	json_t *m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (m && strcmp(e2e_json_str(m, "sender"), "operator") != 0)
		m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(m, "text"), "Смотрю, минуту");
	cr_assert_str_eq(e2e_json_str(m, "author"), "sveta");

	/* the same account without --role: refused, and the client says why */
	struct e2e_term *plain = term_client(h, "sveta", "s3cret-sveta", 30, 110, NULL);
	bool on_screen = term_wait_text(plain, "authentication failed", E2E_WAIT_MS);
	cr_assert(on_screen || (term_wait_exit(plain, E2E_WAIT_MS) && strstr(term_stderr(plain), "authentication failed")),
	          "no clear refusal; screen:\n%s", term_screen_text(plain));
	cr_assert(term_wait_exit(plain, E2E_WAIT_MS), "the refused client keeps running:\n%s", term_screen_text(plain));
	cr_assert_eq(e2e_proc_exit_code(term_proc(plain)), 1, "the refused client ended with %s",
	             e2e_proc_how(term_proc(plain)));
	term_proc(plain)->daemon = false; /* its exit 1 is the point */
}

/* test_client_board.c: the supervisor's board in the workstation (opdesk --monitor) against a real hub: it
 * shows operators signing in, taking chats and going away as it happens, at 80x24 and 200x60; with 200
 * operators it scrolls, sorts and filters; an operator's account is refused with a clear message and a
 * non-zero exit; hostile names are drawn inert; the board comes back by itself after a hub restart. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_board, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

#define TK_F12 "\x1b[24~"
#define TK_HOME "\x1bOH"
#define TK_END "\x1bOF"

/* A hub whose database holds the supervisor sveta and the operators anna and boris. */
static struct e2e_hub *hub_with_supervisor(const char *const extra[])
{
	char *db = e2e_strf("%s/board.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "anna", "s3cret-anna", (const char *const[]){"--display", "Анна Петрова", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"boris", "s3cret-boris", NULL};
	return e2e_hub_start_db(db, users, extra);
}

static struct e2e_term *board(struct e2e_hub *h, int rows, int cols)
{
	struct e2e_term *t = term_client(h, "sveta", "s3cret-sveta", rows, cols, (const char *const[]){"--monitor", NULL});
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	return t;
}

static bool alerts_beside_operators(struct e2e_term *t, void *arg)
{
	(void)arg;
	int arow = term_find_row(t, "Alerts, newest first");
	return arow >= 0 && arow == term_find_row(t, "Operator");
}

E2E_TEST(client_board, operators_sign_in_take_chats_and_go_away_live_at_80x24_and_200x60)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_term *t = board(h, 24, 80);
	/* everyone with an account is on it; nobody is signed in yet */
	cr_assert(term_wait_both(t, "Анна Петрова", "offline", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_wait_both(t, "boris", "offline", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "Alerts, newest first", E2E_WAIT_MS);

	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	cr_assert(term_wait_both(t, "Анна Петрова", "online", E2E_WAIT_MS), "anna's sign-in is not on the board:\n%s",
	          term_screen_text(t));
	cr_assert(term_wait_both(t, "Анна Петрова", "0/4", E2E_WAIT_MS), "%s", term_screen_text(t));

	/* a customer's chat goes to anna: her load and the customer's unanswered time */
	e2e_customer_open(h->port, "web", "Ирина", "Где мой заказ 4817?", NULL);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	cr_assert(term_wait_both(t, "Анна Петрова", "1/4", E2E_WAIT_MS), "the chat is not on the board:\n%s",
	          term_screen_text(t));
	cr_assert(term_wait_text(t, "opened 1", E2E_WAIT_MS) || term_has_text(t, "opened 1"), "%s", term_screen_text(t));

	/* she goes away */
	ws_sendf(anna, "{\"type\":\"status\",\"status\":\"away\"}");
	cr_assert(term_wait_both(t, "Анна Петрова", "away", E2E_WAIT_MS), "away is not on the board:\n%s",
	          term_screen_text(t));

	/* a wide terminal: the alerts beside the operators, the trend wider */
	term_resize(t, 60, 200);
	cr_assert(term_wait_until(t, alerts_beside_operators, NULL, E2E_WAIT_MS),
	          "at 200x60 the alerts should stand beside the operators:\n%s", term_screen_text(t));
	cr_assert(term_wait_both(t, "Анна Петрова", "away", E2E_WAIT_MS), "%s", term_screen_text(t));

	/* F12: the supervisor's own panes, F12 again: the board */
	term_send(t, TK_F12);
	term_wait_gone(t, "Supervisor's board", E2E_WAIT_MS);
	term_send(t, TK_F12);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);

	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "opdesk did not quit");
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

/* 200 operators: accounts copied in the database (a yescrypt hash each would take minutes under ASan). */
static void add_operators(const char *db, int n)
{
	for (int i = 0; i < n; i++)
		e2e_db_exec(db,
			    "INSERT INTO operators(name, secret_hash, role, capacity, display, disabled, created_ms) "
			    "SELECT 'op%03d', secret_hash, role, capacity, 'Оператор %03d', 0, created_ms FROM operators "
			    "WHERE name='boris'",
			    i, i);
}

E2E_TEST(client_board, two_hundred_operators_scroll_sort_and_filter)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	add_operators(h->db, 200);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	e2e_customer_open(h->port, "web", "Ирина", "Где мой заказ?", NULL);
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));

	struct e2e_term *t = board(h, 24, 80);
	/* sorted by load: anna, signed in with a chat, first */
	cr_assert(term_wait_both(t, "Анна Петрова", "1/4", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "Оператор 000", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Оператор 199"), "200 operators cannot fit on 24 rows:\n%s", term_screen_text(t));
	/* the whole board has come (it comes 100 operators a frame), then End: the last row comes into view */
	term_expect(t, "Operator (203)", E2E_WAIT_MS);
	term_send(t, TK_END);
	term_expect(t, "Оператор 199", E2E_WAIT_MS);
	term_send(t, TK_HOME);
	term_expect(t, "Анна Петрова", E2E_WAIT_MS);

	/* sort by name: boris before the op... rows; by unanswered: anna (Ирина is unanswered) first */
	term_send(t, "s");
	term_expect(t, "sort: longest unanswered", E2E_WAIT_MS);
	term_send(t, "s");
	term_expect(t, "sort: name", E2E_WAIT_MS);
	int ra = term_find_row(t, "Анна Петрова"), rb = term_find_row(t, "boris");
	cr_assert(ra >= 0 && rb > ra, "by name anna comes before boris:\n%s", term_screen_text(t));

	/* a filter: only the matching operators */
	term_send(t, "/");
	term_send(t, "17");
	term_expect(t, "filter: 17", E2E_WAIT_MS);
	term_expect(t, "Operator (12/203)", E2E_WAIT_MS); /* 017, 117, 170..179 */
	term_expect(t, "Оператор 017", E2E_WAIT_MS);
	term_expect(t, "Оператор 170", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Анна Петрова"), "the filter did not hide anna:\n%s", term_screen_text(t));
	cr_assert(!term_has_text(t, "Оператор 018"), "%s", term_screen_text(t));
	term_send(t, TK_ESC);
	term_expect(t, "Анна Петрова", E2E_WAIT_MS);

	/* Enter on anna lists her chat under her row */
	term_send(t, TK_HOME TK_ENTER);
	term_expect(t, "Ирина · general", E2E_WAIT_MS);

	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "opdesk did not quit");
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

E2E_TEST(client_board, an_operators_account_is_refused_with_a_clear_message)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_term *t =
	    term_client(h, "anna", "s3cret-anna", 24, 80, (const char *const[]){"--monitor", NULL});
	term_proc(t)->daemon = false; /* its exit 1 is the point */
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "an operator's --monitor did not stop:\n%s", term_screen_text(t));
	cr_assert_neq(e2e_proc_exit_code(term_proc(t)), 0);
	char *err = term_stderr(t);
	cr_assert(strstr(err, "supervisors and admins"), "the message does not say why:\n%s", err);
}

E2E_TEST(client_board, hostile_names_are_drawn_inert)
{
	char *db = e2e_strf("%s/board.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "evil", "s3cret-evil",
	                     (const char *const[]){"--display", "Злой\x1b]0;pwned\x07\x1b[2J", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, (const char *const[]){"--sla-answer", "1", NULL});
	struct e2e_ws *evil = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(evil, "evil", "s3cret-evil");
	ws_sendf(evil, "{\"type\":\"status\",\"status\":\"online\"}");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ира\\u001b]2;own\\u0007\\u009b2J\",\"text\":\"привет\"}");
	cr_assert(ws_expect_type(evil, "assigned", E2E_WAIT_MS), "%s", ws_skipped(evil));

	struct e2e_term *t = board(h, 24, 120);
	term_expect(t, "Злой^[]0;pwned^G^[[2J", E2E_WAIT_MS);
	/* her customer unanswered past the (one second) SLA: an alert naming both, inert too */
	cr_assert(term_wait_both(t, "unanswered past the SLA", "Ира^[]2;own^G<9B>2J", E2E_WAIT_MS), "%s",
	          term_screen_text(t));
	cr_assert(term_row_has_both(t, "unanswered past the SLA", "Злой^[]0;pwned^G^[[2J"), "%s", term_screen_text(t));
	term_send(t, TK_HOME TK_ENTER);
	cr_assert(term_wait_both(t, "#", "Ира^[]2;own^G<9B>2J · general", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert_str_eq(term_title(t), "", "a display name set the window title");
	size_t len;
	const char *raw = term_raw_output(t, &len);
	cr_assert(!memmem(raw, len, "\x1b]0;pwned", 9), "the name's OSC reached the terminal");
	cr_assert(!memmem(raw, len, "\x1b]2;own", 8), "the customer's OSC reached the terminal");
	cr_assert(!memmem(raw, len, "\xc2\x9b", 2), "the customer's CSI reached the terminal");
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

E2E_TEST(client_board, the_board_comes_back_after_a_hub_restart)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_term *t = board(h, 24, 80);
	cr_assert(term_wait_both(t, "boris", "offline", E2E_WAIT_MS), "%s", term_screen_text(t));
	int port = h->port;
	e2e_proc_stop(h->proc);
	term_expect(t, "offline", E2E_WAIT_MS);
	char *portarg = e2e_strf("%d", port);
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, (const char *const[]){"--port", portarg, NULL});
	struct e2e_ws *boris = ws_connect_ok(h2->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	cr_assert(term_wait_both(t, "boris", "online", 3 * E2E_WAIT_MS),
	          "the board did not come back by itself after the restart:\n%s", term_screen_text(t));
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

/* The next frame of `type` on ws, skipping others. */
static json_t *next_of(struct e2e_ws *ws, const char *type)
{
	json_t *j = ws_expect_type(ws, type, E2E_WAIT_MS);
	cr_assert(j, "no %s: %s", type, ws_skipped(ws));
	return j;
}

E2E_TEST(client_board, from_an_alert_to_the_dialog_and_a_takeover_in_two_keys_and_a_low_rating_with_its_comment)
{
	struct e2e_hub *h = hub_with_supervisor((const char *const[]){"--sla-answer", "1", NULL});
	struct e2e_term *t = board(h, 24, 80);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ирина\",\"text\":\"Где мой заказ 4817?\"}");
	json_t *a = next_of(anna, "assigned");
	long long dialog = e2e_json_int(json_object_get(a, "dialog"), "id", 0);

	/* nobody answers her within the (one second) answer SLA: the alert, as it happens */
	term_expect(t, "unanswered past the SLA", E2E_WAIT_MS);
	cr_assert(term_row_has_both(t, "unanswered past the SLA", "Ирина"), "%s", term_screen_text(t));
	int bells = term_bells(t);
	cr_assert(bells >= 1, "the alert did not ring");

	/* Tab to the alerts, Enter: her dialog, read-only, in a pane */
	term_send(t, TK_TAB TK_ENTER);
	term_expect(t, "watching · read-only", E2E_WAIT_MS);
	term_expect(t, "Где мой заказ 4817?", E2E_WAIT_MS);

	/* back to the board: t on the alert asks to take it over, y does */
	term_send(t, TK_F12);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	term_send(t, "t");
	term_expect(t, "Take over Ирина's chat from Анна Петрова?", E2E_WAIT_MS);
	term_send(t, "y");
	json_t *r = next_of(anna, "released");
	cr_assert_str_eq(e2e_json_str(r, "kind"), "taken_over");
	cr_assert(term_wait_gone(t, "watching · read-only", E2E_WAIT_MS), "the pane is still read-only:\n%s",
	          term_screen_text(t));
	json_t *m;
	do /* the customer sees the supervisor join */
		m = next_of(cust, "message");
	while (!strstr(e2e_json_str(m, "text"), "sveta"));

	/* another chat of anna's, closed and rated 2 with a comment: on the board with the comment */
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"Добрый день\"}");
	a = next_of(anna, "assigned");
	long long d2 = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	cr_assert_neq(d2, dialog);
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d2);
	next_of(c2, "closed");
	ws_sendf(c2, "{\"type\":\"rate\",\"score\":2,\"comment\":\"Долго отвечали\"}");
	term_send(t, TK_F12);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	term_expect(t, "rated 2/5", E2E_WAIT_MS);
	cr_assert(term_row_has_both(t, "rated 2/5", "«Долго отвечали»"), "the comment is not with the rating:\n%s",
	          term_screen_text(t));

	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

E2E_TEST(client_board, a_chat_waiting_past_the_sla_raises_an_alert_whose_enter_opens_it_and_f1_lists_the_keys)
{
	struct e2e_hub *h = hub_with_supervisor((const char *const[]){"--sla-wait", "1", NULL});
	struct e2e_term *t = board(h, 24, 80);
	/* nobody is signed in: the chat waits past the (one second) SLA */
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"telegram\",\"name\":\"Тимур\",\"text\":\"Можно оплатить при получении?\"}");
	cr_assert(term_wait_both(t, "waiting past the SLA", "Тимур", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "waiting 1", E2E_WAIT_MS);
	/* the alert about her (not the one that nobody is online): Tab, to it, Enter */
	term_send(t, TK_TAB);
	int row = term_find_row(t, "waiting past the SLA"), first = term_find_row(t, "Alerts, newest first") + 1;
	for (int i = first; i < row; i++)
		term_send(t, TK_DOWN);
	term_send(t, TK_ENTER);
	term_expect(t, "watching · read-only", E2E_WAIT_MS);
	term_expect(t, "Можно оплатить при получении?", E2E_WAIT_MS);
	/* F1 on the board lists its keys under their own heading */
	term_send(t, TK_F12);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	term_send(t, TK_F1);
	term_expect(t, "On the supervisor's board", E2E_WAIT_MS);
	term_expect(t, "ask to take it over", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

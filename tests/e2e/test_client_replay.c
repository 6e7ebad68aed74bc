/* test_client_replay.c: `opdesk --replay` with no hub: the shipped ten-minute demo plays itself at high speed
 * (chats taken, canned replies, a transfer to the stylist, a claim, closes and ratings); pause and step; a
 * broken file refused with its line; and a live session recorded with --record plays back the same. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_replay, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static struct e2e_term *replay(const char *file, const char *speed, int rows, int cols)
{
	char *argv[] = {e2e_bin("opdesk"), "--replay", (char *)file, "--speed", (char *)speed, "--log",
	                e2e_path("replay.log"), NULL};
	return term_spawn(argv, NULL, rows, cols, false);
}

E2E_TEST(client_replay, the_shipped_demo_plays_itself)
{
	char *demo = e2e_strf("%s/demos/busy-shift.ru.jsonl", getenv("OPDESK_SOURCE_DIR"));
	struct e2e_term *t = replay(demo, "50", 40, 140);
	term_expect(t, "REPLAY x50", E2E_WAIT_MS);
	term_expect(t, "Здравствуйте", E2E_WAIT_MS);      /* a canned greeting went out */
	term_expect(t, "released", 30000);               /* the stylist transfer */
	term_expect(t, "claim (completeness)", 30000);   /* the claim */
	term_expect(t, "rated", 30000);                  /* a customer's rating in the status bar */
	term_expect(t, "REPLAY x50 finished", 40000);
	cr_assert(e2e_proc_alive(term_proc(t)));
	char *log = e2e_slurp(e2e_path("replay.log"), NULL);
	cr_assert(log && strstr(log, "replay finished"), "%s", log ? log : "(no log)");
	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0);
}

#define HEADER "{\"opdesk_replay\":1,\"title\":\"step\",\"t0\":1763877600000}\n"

E2E_TEST(client_replay, pause_and_step)
{
	char *file = e2e_path("step.jsonl");
	e2e_write_file(file,
	               HEADER
	               "{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":\"operator\","
	               "\"status\":\"online\",\"capacity\":4},\"dialogs\":[],\"items\":[],\"canned\":[],\"time\":1763877600000}}\n"
	               "{\"at\":500,\"frame\":{\"type\":\"assigned\",\"dialog\":{\"id\":7,\"customer\":\"Ольга\",\"channel\":\"vk\","
	               "\"queue\":\"general\",\"state\":\"assigned\",\"opened\":1763877600000,\"last_seq\":1,\"messages\":[{\"id\":1,"
	               "\"dialog\":7,\"seq\":1,\"time\":1763877600000,\"sender\":\"customer\",\"text\":\"Первое\"}]}}}\n"
	               "{\"at\":3600000,\"frame\":{\"type\":\"message\",\"id\":2,\"dialog\":7,\"seq\":2,\"time\":1763881200000,"
	               "\"sender\":\"customer\",\"text\":\"Через час\"}}\n");
	struct e2e_term *t = replay(file, "1", 30, 120);
	term_expect(t, "Первое", E2E_WAIT_MS);
	term_key_alt(t, 'p');
	term_expect(t, "paused", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Через час"));
	term_key_alt(t, 'n'); /* step: the event an hour ahead comes now */
	term_expect(t, "Через час", E2E_WAIT_MS);
	term_expect(t, "REPLAY x1 finished", E2E_WAIT_MS);
	term_key_alt(t, '+');
	term_expect(t, "REPLAY x2", E2E_WAIT_MS);
}

E2E_TEST(client_replay, a_broken_file_is_refused_with_its_line)
{
	char *file = e2e_path("bad.jsonl");
	e2e_write_file(file, HEADER "{\"at\":5,\"cmd\":\"send\"}\n{\"at\":6,\"cmd\":\"fly\"}\n");
	char *argv[] = {e2e_bin("opdesk"), "--replay", file, NULL};
	struct e2e_proc *p = e2e_run("opdesk", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), e2e_strf("%s:3: unknown command \"fly\"", file)), "%s", e2e_proc_stderr(p));
	char *argv2[] = {e2e_bin("opdesk"), "--replay", file, "--url", "ws://127.0.0.1:1", NULL};
	p = e2e_run("opdesk", argv2, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
}

E2E_TEST(client_replay, a_recorded_session_plays_back)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *rec = e2e_path("session.jsonl");
	const char *extra[] = {"--record", rec, NULL};
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, extra);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"telegram\",\"name\":\"Полина\",\"text\":\"Где мой заказ 5512?\"}");
	term_expect(t, "Полина · telegram", E2E_WAIT_MS);
	term_send(t, "Уже едет к вам");
	term_send(t, TK_ENTER);
	term_expect(t, "anna: Уже едет к вам", E2E_WAIT_MS);
	cr_assert(ws_expect_type(cust, "message", E2E_WAIT_MS));
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c2\",\"text\":\"Спасибо!\"}");
	term_expect(t, "Спасибо!", E2E_WAIT_MS);
	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));

	struct e2e_term *r = replay(rec, "10", 30, 120);
	term_expect(r, "Полина · telegram", E2E_WAIT_MS);
	term_expect(r, "Уже едет к вам", E2E_WAIT_MS);
	term_expect(r, "Спасибо!", E2E_WAIT_MS);
	term_expect(r, "REPLAY x10 finished", E2E_WAIT_MS);
	/* the reply was replayed once, acknowledged by the player */
	cr_assert_eq(e2e_count(term_screen_text(r), "Уже едет к вам"), 1, "%s", term_screen_text(r));
	cr_assert(!term_has_text(r, "(sending)"), "%s", term_screen_text(r));
}

E2E_TEST(client_replay, a_burst_of_messages_rings_the_bell_once)
{
	/* 200 customer messages land in one pass into two panes the operator is not looking at */
	char *text = e2e_strf("%s{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":"
	                      "\"operator\",\"status\":\"online\",\"capacity\":4},\"dialogs\":[],\"items\":[],\"canned\":[],"
	                      "\"time\":1763877600000}}\n",
	                      HEADER);
	for (int d = 1; d <= 3; d++)
		text = e2e_strf("%s{\"at\":0,\"frame\":{\"type\":\"assigned\",\"dialog\":{\"id\":%d,\"customer\":\"Клиент %d\","
		                "\"channel\":\"web\",\"queue\":\"general\",\"state\":\"assigned\",\"opened\":1763877600000,"
		                "\"last_seq\":0,\"messages\":[]}}}\n",
		                text, d, d);
	text = e2e_strf("%s{\"at\":1000,\"cmd\":\"focus\",\"arg\":\"1\"}\n", text);
	for (int i = 0; i < 200; i++)
		text = e2e_strf("%s{\"at\":2000,\"frame\":{\"type\":\"message\",\"id\":%d,\"dialog\":%d,\"seq\":%d,\"time\":"
		                "1763877602000,\"sender\":\"customer\",\"text\":\"Сообщение %d\"}}\n",
		                text, 10 + i, 2 + i % 2, 1 + i / 2, i);
	char *file = e2e_path("burst.jsonl");
	e2e_write_file(file, text);
	struct e2e_term *t = replay(file, "1", 30, 120);
	/* the client rings before it draws the frame that shows why (ui_app.c): a bell for what is on the screen has
	 * been read */
	term_expect(t, "Клиент 3", E2E_WAIT_MS);
	int before = term_bells(t);
	term_expect(t, "REPLAY x1 finished", E2E_WAIT_MS);
	term_expect(t, "[3:100]", E2E_WAIT_MS);
	cr_assert_eq(term_bells(t) - before, 1, "%d bells for one burst", term_bells(t) - before);
}

E2E_TEST(client_replay, the_supervisors_demo_plays_on_the_board)
{
	char *demo = e2e_strf("%s/demos/supervisor-shift.ru.jsonl", getenv("OPDESK_SOURCE_DIR"));
	struct e2e_term *t = replay(demo, "50", 24, 80);
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	term_expect(t, "Ксения Лебедева", E2E_WAIT_MS);
	term_expect(t, "Долго ждала ответа", 30000);          /* the low rating's comment, in the alerts */
	term_expect(t, "watching · read-only", 30000);         /* Enter on the unanswered customer's alert */
	term_expect(t, "Алло? Вы здесь?", 30000);              /* live in the watched pane */
	term_expect(t, "предложи курьера завтра", 30000);      /* the whisper, acknowledged by the player */
	term_expect(t, "я старший смены", 30000);              /* after the takeover: her own answer */
	term_expect(t, "sort: longest unanswered", 30000);     /* back on the board */
	term_expect(t, "REPLAY x50 finished", 40000);
	cr_assert(!term_has_text(t, "(sending)"), "%s", term_screen_text(t));
	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

E2E_TEST(client_replay, a_supervisors_session_recorded_plays_back_on_the_board)
{
	char *db = e2e_strf("%s/sup.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db, users, NULL);
	char *rec = e2e_path("board.jsonl");
	struct e2e_term *t =
	    term_client(h, "sveta", "s3cret-sveta", 24, 80, (const char *const[]){"--monitor", "--record", rec, NULL});
	term_expect(t, "Supervisor's board", E2E_WAIT_MS);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	cr_assert(term_wait_both(t, "anna", "online", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_send(t, "s"); /* a board command, recorded */
	term_expect(t, "sort: longest unanswered", E2E_WAIT_MS);
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
	char *text = e2e_slurp(rec, NULL);
	cr_assert(text && strstr(text, "\"monitor\":true") && strstr(text, "\"type\":\"board\""), "%s", text ? text : "");

	struct e2e_term *r = replay(rec, "10", 24, 80);
	term_expect(r, "Supervisor's board", E2E_WAIT_MS);
	cr_assert(term_wait_both(r, "anna", "online", E2E_WAIT_MS), "%s", term_screen_text(r));
	term_expect(r, "sort: longest unanswered", E2E_WAIT_MS);
	term_expect(r, "REPLAY x10 finished", E2E_WAIT_MS);
}

E2E_TEST(client_replay, the_supervisors_demo_in_russian_at_80x24)
{
	static const char *const russian[] = {"LC_ALL=", "LANGUAGE=", "LANG=ru_RU.UTF-8", NULL};
	char *demo = e2e_strf("%s/demos/supervisor-shift.ru.jsonl", getenv("OPDESK_SOURCE_DIR"));
	char *argv[] = {e2e_bin("opdesk"), "--replay", demo, "--speed", "50", "--log", e2e_path("replay.log"), NULL};
	struct e2e_term *t = term_spawn(argv, e2e_env(russian), 24, 80, false);
	term_expect(t, "Табло супервизора", E2E_WAIT_MS);
	term_expect(t, "Тревоги, новые сверху", E2E_WAIT_MS);
	cr_assert(term_wait_both(t, "Ксения Лебедева", "на линии", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_wait_both(t, "оценено 2/5", "Долго ждала ответа", 30000), "%s", term_screen_text(t));
	term_expect(t, "сортировка: дольше всех без ответа", 30000);
	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "%s", term_stderr(t));
}

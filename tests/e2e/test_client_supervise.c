/* test_client_supervise.c: a supervisor's dialog panes in the workstation (opdesk --role supervisor) against the
 * real hub, without the board: `watch N` at the prompt shows the dialog's history, then the customer's new
 * messages, in a pane marked read-only whose operator's commands say why they cannot be; its composer whispers
 * to the operator (who sees it, the customer never), a whisper typed while the hub is down goes out after the
 * restart and is stored once; takeover asks first, naming the customer and the operator, then the pane is
 * the supervisor's own, the operator's pane says it was taken over, the customer sees the supervisor join;
 * a hostile customer name in a watched pane is drawn inert. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(client_supervise, .init = e2e_setup, .fini = e2e_teardown, .timeout = 150);

#define TK_F5 "\x1b[15~"
#define TK_F7 "\x1b[18~"
#define TK_LEFT "\x1bOD"

/* sveta (supervisor, "Светлана") and anna (operator, "Анна") in a new hub's database. */
static struct e2e_hub *hub_with_supervisor(const char *const extra[])
{
	char *db = e2e_strf("%s/supervise.db", e2e_dir());
	struct e2e_proc *p = e2e_hub_user_add(db, "sveta", "s3cret-sveta",
	                                      (const char *const[]){"--role", "supervisor", "--display", "Светлана", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	p = e2e_hub_user_add(db, "anna", "s3cret-anna", (const char *const[]){"--display", "Анна", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	return e2e_hub_start_db(db, NULL, extra);
}

/* The supervisor's workstation, in English, signed in. */
static struct e2e_term *supervisor(struct e2e_hub *h)
{
	struct e2e_term *t = term_client(h, "sveta", "s3cret-sveta", 30, 150, (const char *const[]){"--role", "supervisor", NULL});
	term_expect(t, "online", E2E_WAIT_MS);
	return t;
}

/* A customer opens a chat and operator `anna` (a raw WebSocket) gets it: the dialog's id. */
static long long chat_for_anna(struct e2e_hub *h, struct e2e_ws *anna, const char *name, const char *text,
                               struct e2e_ws **cust)
{
	long long dlg = 0;
	*cust = e2e_customer_open(h->port, "telegram", name, text, &dlg);
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(json_object_get(a, "dialog"), "id", 0), dlg);
	return dlg;
}

/* The next `message` frame on ws whose text holds `text` (the ones before it are skipped). */
static json_t *message_with(struct e2e_ws *ws, const char *text)
{
	for (;;) {
		json_t *m = ws_expect_type(ws, "message", E2E_WAIT_MS);
		cr_assert(m, "no message with \"%s\": %s", text, ws_skipped(ws));
		if (strstr(e2e_json_str(m, "text"), text))
			return m;
	}
}

static void prompt_run(struct e2e_term *t, const char *line)
{
	term_key_alt(t, 'x');
	term_expect(t, ":", E2E_WAIT_MS);
	term_send(t, line);
	term_send(t, TK_ENTER);
}

/* The customer's frames up to (and with) the message whose text holds `marker`, as one string. */
static char *customer_until(struct e2e_ws *cust, const char *marker)
{
	char *all = e2e_strf("%s", "");
	int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	struct e2e_ws_frame f;
	while (e2e_now_ms() < end) {
		if (ws_recv(cust, &f, 200) <= 0)
			continue;
		all = e2e_strf("%s%s\n", all, f.data);
		bool done = strstr(f.data, marker) != NULL;
		ws_frame_free(&f);
		if (done)
			return all;
	}
	cr_assert_fail("the customer never got \"%s\"; got:\n%s", marker, all);
	return all;
}

E2E_TEST(client_supervise, watch_shows_the_history_then_live_messages_read_only)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust;
	long long dlg = chat_for_anna(h, anna, "Ирина", "Где мой заказ 4817?", &cust);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Сейчас посмотрю\"}", dlg);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "%s", ws_skipped(anna));

	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "Где мой заказ 4817?", E2E_WAIT_MS);
	term_expect(t, "Сейчас посмотрю", E2E_WAIT_MS);
	cr_assert(term_wait_both(t, "Ирина · telegram", "watching · read-only", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_row_has_both(t, "Ирина · telegram", "Анна"), "the header names the operator:\n%s",
	          term_screen_text(t));
	term_expect(t, "whisper>", E2E_WAIT_MS);
	term_expect(t, "dialogs: 0/", E2E_WAIT_MS); /* not one of the supervisor's */

	/* live: the customer writes, the operator answers */
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-2\",\"text\":\"А можно быстрее?\"}");
	term_expect(t, "А можно быстрее?", E2E_WAIT_MS);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-2\",\"text\":\"Уже отправили\"}", dlg);
	term_expect(t, "Уже отправили", E2E_WAIT_MS);

	/* the operator's commands say why not, and nothing goes to the hub */
	const char *keys[] = {TK_F8, TK_F5, TK_F7};
	for (size_t i = 0; i < 3; i++) {
		term_send(t, keys[i]);
		term_expect(t, "only watched (read-only", E2E_WAIT_MS);
		term_send(t, TK_LEFT); /* a key clears the error */
		cr_assert(term_wait_gone(t, "only watched (read-only", E2E_WAIT_MS), "%s", term_screen_text(t));
	}
	cr_assert(!term_has_text(t, "Wrap-up"), "%s", term_screen_text(t));
	cr_assert(!strstr(ws_skipped(anna), "released"));

	/* closing the pane stops watching: the customer's next message reaches anna only */
	term_watch(t, "watching · read-only");
	term_key_alt(t, 'u');
	term_expect(t, "stopped watching dialog", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "watching · read-only", E2E_WAIT_MS), "%s", term_screen_text(t));
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-3\",\"text\":\"Спасибо!\"}");
	message_with(anna, "Спасибо");
	term_pump(t, 500);
	cr_assert(!term_has_text(t, "Спасибо!"), "%s", term_screen_text(t));
}

E2E_TEST(client_supervise, a_whisper_reaches_the_operator_and_never_the_customer)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_term *op = term_client_ru(h, "anna", "s3cret-anna", 30, 150);
	term_expect(op, "на линии", E2E_WAIT_MS);
	long long first = 0, dlg = 0;
	struct e2e_ws *irina = e2e_customer_open(h->port, "web", "Ирина", "Здравствуйте", &first);
	term_expect(op, "Ирина · web", E2E_WAIT_MS);
	struct e2e_ws *petr = e2e_customer_open(h->port, "vk", "Пётр", "Где посылка?", &dlg);
	term_expect(op, "Пётр · vk", E2E_WAIT_MS);
	(void)irina;

	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "Где посылка?", E2E_WAIT_MS);
	term_expect(t, "whisper>", E2E_WAIT_MS);
	cr_assert(term_wait_both(op, "Пётр · vk", "👁 Светлана", E2E_WAIT_MS), "%s", term_screen_text(op));
	int bells = term_bells(op);
	term_send(t, "Предложи промокод ПЁТР10");
	term_send(t, TK_ENTER);
	term_expect(t, "Предложи промокод ПЁТР10", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "(sending)", E2E_WAIT_MS), "never acked:\n%s", term_screen_text(t));
	term_expect(op, "Предложи промокод ПЁТР10", E2E_WAIT_MS);
	/* it stands out: its label in the operator's language, a hotlist entry (pane 2 is not in focus), the bell */
	term_expect(op, "шёпот от Светлана", E2E_WAIT_MS);
	term_expect(op, "[2:шёпот]", E2E_WAIT_MS);
	cr_assert_gt(term_bells(op), bells, "no bell for the whisper");
	term_expect(t, "whisper from Светлана", E2E_WAIT_MS); /* and in the supervisor's pane the same */

	/* the operator answers the customer in that pane: the customer gets the answer, never the whisper */
	term_key_alt(op, '2');
	term_send(op, "Вот промокод: ПЁТР10");
	term_send(op, TK_ENTER);
	char *got = customer_until(petr, "Вот промокод");
	cr_assert(!strstr(got, "Предложи"), "the customer saw the whisper:\n%s", got);
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text='Предложи промокод ПЁТР10' AND "
	                                 "sender='note' AND author='sveta'"),
	             1);
}

E2E_TEST(client_supervise, a_whisper_pending_across_a_hub_restart_is_resent_and_stored_once)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust;
	long long dlg = chat_for_anna(h, anna, "Вика", "Где мой заказ?", &cust);
	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "watching · read-only", E2E_WAIT_MS);

	e2e_proc_stop(h->proc);
	term_expect(t, "offline", E2E_WAIT_MS);
	term_send(t, "Пока хаб лежит: предложи доставку");
	term_send(t, TK_ENTER);
	term_expect(t, "(sending)", E2E_WAIT_MS);
	term_watch(t, "(sending)");

	const char *again[] = {"--port", e2e_strf("%d", h->port), NULL};
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, again);
	cr_assert_eq(h2->port, h->port);
	term_expect(t, "online", 25000);
	cr_assert(term_wait_gone(t, "(sending)", E2E_WAIT_MS), "the whisper was not resent:\n%s", term_screen_text(t));
	/* watched again after the welcome (the new hub knew nothing of it): the operator's next message shows */
	struct e2e_ws *anna2 = ws_connect_ok(h2->port, "opdesk.agent.v1");
	ws_hello(anna2, "anna", "s3cret-anna");
	ws_sendf(anna2, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-9\",\"text\":\"После перезапуска\"}", dlg);
	term_expect(t, "После перезапуска", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_wait_int(db, t, 1,
	                             "SELECT count(*) FROM messages WHERE text='Пока хаб лежит: предложи доставку'"),
	             1);
	/* the screen shows it once (the pane was watched again after the welcome: its snapshot holds it too) */
	cr_assert_eq(e2e_count(term_screen_text(t), "Пока хаб лежит"), 1, "%s", term_screen_text(t));
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text LIKE 'Пока хаб лежит%%'"), 1);
}

/* The row showing `text` is there and carries no "(sending)" mark. */
static bool acked_row(struct e2e_term *t, void *text)
{
	int y = term_find_row(t, text);
	return y >= 0 && !strstr(term_row(t, y), "(sending)");
}

/* kill -9 with a whisper sent to a frozen hub (never acknowledged): the next run watches the dialog again
 * (the drafts file keeps it), sends the whisper again with its id, and the hub stores it once. */
E2E_TEST(client_supervise, a_whisper_survives_a_crash_and_is_stored_once)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust;
	long long dlg = chat_for_anna(h, anna, "Лена", "Где заказ?", &cust);
	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "watching · read-only", E2E_WAIT_MS);
	char *file = e2e_strf("%s/home/state/opdesk/drafts/sveta@127.0.0.1_%d.json", e2e_dir(), h->port);

	kill(h->proc->pid, SIGSTOP);
	term_send(t, "Уточни адрес доставки");
	term_send(t, TK_ENTER);
	term_expect(t, "(sending)", E2E_WAIT_MS);
	cr_assert(e2e_file_wait_text(file, "Уточни адрес доставки", E2E_WAIT_MS), "the pending whisper was not saved");
	kill(term_proc(t)->pid, SIGKILL);
	term_proc(t)->daemon = false; /* killed on purpose */
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
	kill(h->proc->pid, SIGCONT);

	struct e2e_term *t2 = supervisor(h);
	term_expect(t2, "watching · read-only", E2E_WAIT_MS); /* watched again, without asking */
	term_expect(t2, "Уточни адрес доставки", E2E_WAIT_MS);
	cr_assert(term_wait_until(t2, acked_row, "Уточни адрес доставки", E2E_WAIT_MS),
	          "the whisper was not acknowledged:\n%s", term_screen_text(t2));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text='Уточни адрес доставки'"), 1,
	             "the whisper is not stored exactly once");
	cr_assert_eq(e2e_count(term_screen_text(t2), "Уточни адрес доставки"), 1, "%s", term_screen_text(t2));
	/* anna got it once: her later message marks that a second copy would have come before it */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-5\",\"text\":\"Адрес уточнила\"}", dlg);
	term_expect(t2, "Адрес уточнила", E2E_WAIT_MS);
	cr_assert(!strstr(ws_skipped(cust), "Уточни"), "the customer saw the whisper:\n%s", ws_skipped(cust));
}

E2E_TEST(client_supervise, takeover_asks_then_the_pane_is_the_supervisors_own)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_term *op = term_client_ru(h, "anna", "s3cret-anna", 30, 150);
	term_expect(op, "на линии", E2E_WAIT_MS);
	long long dlg = 0;
	struct e2e_ws *cust = e2e_customer_open(h->port, "web", "Ирина", "Мне нужен старший", &dlg);
	term_expect(op, "Ирина · web", E2E_WAIT_MS);
	json_t *joined = ws_expect_type(cust, "message", E2E_WAIT_MS); /* anna joined */
	cr_assert(joined, "%s", ws_skipped(cust));

	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "watching · read-only", E2E_WAIT_MS);
	cr_assert(term_wait_both(op, "Ирина · web", "👁 Светлана", E2E_WAIT_MS), "the operator is not told who watches:\n%s",
	          term_screen_text(op));
	term_watch(op, "👁 Светлана"); /* it goes with the takeover, perhaps before the test looks again */
	prompt_run(t, "takeover");
	term_expect(t, "Take over Ирина's chat from Анна?", E2E_WAIT_MS);
	term_send(t, "n");
	cr_assert(term_wait_gone(t, "Take over Ирина's chat", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(!strstr(ws_skipped(cust), "Светлана"));
	term_key_alt(t, 'o');
	term_expect(t, "Take over Ирина's chat from Анна?", E2E_WAIT_MS);
	term_watch(t, "watching · read-only");
	term_watch(t, "whisper>");
	term_send(t, "y");

	/* the same pane, the supervisor's own: no longer read-only, counted, a plain composer */
	cr_assert(term_wait_gone(t, "watching · read-only", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_expect(t, "dialogs: 1/", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "whisper>", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_has_text(t, "1 Ирина · web"), "%s", term_screen_text(t));
	/* the customer sees the supervisor join, then hears from her */
	message_with(cust, "Светлана");
	term_send(t, "Здравствуйте, я старший смены");
	term_send(t, TK_ENTER);
	message_with(cust, "Здравствуйте, я старший смены");

	/* the operator's pane says it was taken over, and by whom, in her language; nobody watches it for her */
	cr_assert(term_wait_both(op, "Ирина · web", "забран", E2E_WAIT_MS), "%s", term_screen_text(op));
	term_expect(op, "Диалог забрал руководитель Светлана", E2E_WAIT_MS);
	cr_assert(term_wait_gone(op, "👁 Светлана", E2E_WAIT_MS), "%s", term_screen_text(op));
	cr_assert(!term_has_text(op, "taken over by"), "the hub's English reason shows:\n%s", term_screen_text(op));
}

E2E_TEST(client_supervise, a_hostile_customer_name_in_a_watched_pane_is_inert)
{
	struct e2e_hub *h = hub_with_supervisor(NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Eve\\u001b]0;PWN\\u0007\\u202e\\u009b2J\","
	               "\"text\":\"Z1\\u001b[2Jhello\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	long long dlg = e2e_json_int(json_object_get(a, "dialog"), "id", 0);

	struct e2e_term *t = supervisor(h);
	prompt_run(t, e2e_strf("watch %lld", dlg));
	term_expect(t, "watching · read-only", E2E_WAIT_MS);
	term_expect(t, "Eve^[]0;PWN^G<9B>2J", E2E_WAIT_MS);
	term_expect(t, "Z1^[[2Jhello", E2E_WAIT_MS);
	prompt_run(t, "takeover");
	term_expect(t, "Take over Eve^[]0;PWN^G<9B>2J's chat from Анна?", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	size_t len;
	const char *raw = term_raw_output(t, &len);
	cr_assert_null(memmem(raw, len, "\x1b]0;PWN", 7), "the title sequence reached the terminal");
	cr_assert_null(memmem(raw, len, "\xe2\x80\xae", 3), "the bidi override reached the terminal");
	cr_assert_null(memmem(raw, len, "Z1\x1b[2J", 6), "the clear-screen reached the terminal");
	cr_assert_eq(term_bells(t), 0, "the terminal rang %d time(s)", term_bells(t));
	cr_assert_str_eq(term_title(t), "");
}

/* The operator's side, as docs/protocol.md says the hub tells it (a scripted hub plays it, in Russian): who
 * watches shows in the pane's header (sanitized), a whisper stands out with its label, a hotlist entry while
 * its pane is not in focus and the bell even in the pane in focus, and a release by a takeover says by whom. */
#define T0 "1763856000000"
E2E_TEST(client_supervise, the_operator_sees_watchers_whispers_and_a_takeover)
{
	int port = 0, lfd = ws_listen(&port);
	struct e2e_hub h = {.port = port, .url = e2e_strf("ws://127.0.0.1:%d", port)};
	struct e2e_term *t = term_client_ru(&h, "anna", "s3cret-anna", 30, 150);
	char *why = NULL;
	struct e2e_ws *ws = ws_accept(lfd, "opdesk.agent.v1", E2E_WAIT_MS, &why);
	cr_assert(ws, "the client did not connect: %s", why);
	cr_assert(ws_expect_type(ws, "hello", E2E_WAIT_MS), "%s", ws_skipped(ws));
	ws_send_text(ws, "{\"type\":\"welcome\",\"operator\":{\"user\":\"anna\",\"role\":\"operator\",\"status\":\"online\","
	                 "\"capacity\":4},\"dialogs\":["
	                 "{\"id\":7,\"customer\":\"Ирина\",\"channel\":\"web\",\"queue\":\"general\",\"state\":\"assigned\","
	                 "\"opened\":" T0 ",\"last_seq\":0,\"messages\":[]},"
	                 "{\"id\":8,\"customer\":\"Пётр\",\"channel\":\"vk\",\"queue\":\"general\",\"state\":\"assigned\","
	                 "\"opened\":" T0 ",\"last_seq\":0,\"messages\":[]}],\"items\":[],\"canned\":[],\"time\":" T0 "}");
	term_expect(t, "Ирина · web", E2E_WAIT_MS);
	term_expect(t, "Пётр · vk", E2E_WAIT_MS);

	ws_send_text(ws, "{\"type\":\"watchers\",\"dialog\":8,\"by\":[{\"user\":\"sveta\",\"display\":\"Светлана\\u001b[31m\"}]}");
	cr_assert(term_wait_both(t, "Пётр · vk", "👁 Светлана^[[31m", E2E_WAIT_MS), "%s", term_screen_text(t));
	int bells = term_bells(t);
	ws_send_text(ws, "{\"type\":\"message\",\"id\":11,\"dialog\":8,\"seq\":1,\"time\":" T0 ",\"sender\":\"note\","
	                 "\"author\":\"sveta\",\"text\":\"Предложи промокод ПЁТР10\",\"kind\":\"whisper\","
	                 "\"args\":{\"name\":\"Светлана\",\"user\":\"sveta\"}}");
	cr_assert(term_wait_both(t, "шёпот от Светлана", "Предложи промокод ПЁТР10", E2E_WAIT_MS), "%s",
	          term_screen_text(t));
	term_expect(t, "[2:шёпот]", E2E_WAIT_MS);
	cr_assert_gt(term_bells(t), bells, "no bell for the whisper");
	bells = term_bells(t);
	ws_send_text(ws, "{\"type\":\"message\",\"id\":12,\"dialog\":7,\"seq\":1,\"time\":" T0 ",\"sender\":\"note\","
	                 "\"author\":\"sveta\",\"text\":\"И Ирине тоже\",\"kind\":\"whisper\","
	                 "\"args\":{\"name\":\"Светлана\",\"user\":\"sveta\"}}");
	term_expect(t, "И Ирине тоже", E2E_WAIT_MS);
	cr_assert_gt(term_bells(t), bells, "no bell for a whisper in the pane in focus");
	ws_send_text(ws, "{\"type\":\"watchers\",\"dialog\":8,\"by\":[]}");
	cr_assert(term_wait_gone(t, "👁 Светлана", E2E_WAIT_MS), "%s", term_screen_text(t));

	ws_send_text(ws, "{\"type\":\"released\",\"dialog\":8,\"reason\":\"taken over by Светлана\",\"kind\":\"taken_over\","
	                 "\"args\":{\"name\":\"Светлана\",\"user\":\"sveta\"}}");
	term_expect(t, "Диалог забрал руководитель Светлана", E2E_WAIT_MS);
	cr_assert(term_row_has_both(t, "Пётр · vk", "забран"), "%s", term_screen_text(t));
	cr_assert(!term_has_text(t, "taken over by"), "the hub's English reason shows:\n%s", term_screen_text(t));
}

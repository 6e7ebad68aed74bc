/* test_client_transfer_targets.c: F5 lists where the dialog can go, as the hub says when asked: the queues with
 * their waiting chats, then the colleagues signed in with their load; a digit picks one and the colleague gets
 * the dialog; the keys line offers as many digits as there are entries; the Russian title reads as Russian. A
 * hub that never answers (a scripted one) still leaves the popup working: its two queues and a typed name. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_transfer_targets, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define TK_F5 "\x1b[15~"

E2E_TEST(client_transfer_targets, f5_lists_the_colleague_with_his_load_and_a_digit_hands_him_the_dialog)
{
	char *db = e2e_strf("%s/targets.db", e2e_dir());
	struct e2e_proc *p = e2e_hub_user_add(db, "ivan", "s3cret-ivan",
	                                      (const char *const[]){"--display", "Иван Петров", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db, users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	/* ivan is online and holds one chat of his own */
	struct e2e_ws *ivan = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(ivan, "ivan", "s3cret-ivan");
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Пётр\",\"text\":\"Добрый день\"}");
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ирина\",\"text\":\"Где заказ?\"}");
	/* one chat each (least loaded): anna has one of them */
	cr_assert(ws_expect_type(ivan, "assigned", E2E_WAIT_MS), "%s", ws_skipped(ivan));
	int who = term_wait_any(t, (const char *const[]){"Пётр · web", "Ирина · vk", NULL}, E2E_WAIT_MS);
	cr_assert(who >= 0, "anna got no chat:\n%s", term_screen_text(t));

	term_send(t, TK_F5);
	term_expect(t, "General queue · 0 waiting", E2E_WAIT_MS);
	term_expect(t, "Stylist consultation queue · 0 waiting", E2E_WAIT_MS);
	term_expect(t, "3  Иван Петров (ivan) 1/4", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "(anna)"), "anna is offered herself:\n%s", term_screen_text(t));
	term_expect(t, "1-3 or ↑/↓+Enter: transfer", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "1-9"), "the keys offer digits for entries that are not there:\n%s",
	          term_screen_text(t));
	term_send(t, "3");
	json_t *a = ws_expect_type(ivan, "assigned", E2E_WAIT_MS);
	cr_assert(a, "ivan did not get the dialog; seen:\n%s", ws_skipped(ivan));
	const char *customer = e2e_json_str(json_object_get(a, "dialog"), "customer");
	cr_assert_str_eq(customer, who == 0 ? "Пётр" : "Ирина");
	term_expect(t, "released", E2E_WAIT_MS);
}

E2E_TEST(client_transfer_targets, the_russian_popup_reads_as_russian)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client_ru(h, "anna", "s3cret-anna", 30, 120);
	term_expect(t, "на линии", E2E_WAIT_MS);
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ольга\",\"text\":\"Здравствуйте\"}");
	term_expect(t, "Ольга · web", E2E_WAIT_MS);
	term_send(t, TK_F5);
	term_expect(t, "Передать диалог: Ольга", E2E_WAIT_MS);
	term_expect(t, "Общая очередь · ждут 0", E2E_WAIT_MS);
	term_expect(t, "1-2 или", E2E_WAIT_MS);
}

static const char welcome[] =
    "{\"type\":\"welcome\",\"operator\":{\"user\":\"anna\",\"role\":\"operator\",\"status\":\"online\",\"capacity\":4},"
    "\"dialogs\":[{\"id\":7,\"customer\":\"Ольга\",\"channel\":\"telegram\",\"queue\":\"general\",\"state\":\"assigned\","
    "\"opened\":1763856000000,\"last_seq\":1,\"messages\":[{\"id\":1,\"dialog\":7,\"seq\":1,\"time\":1763856000000,"
    "\"sender\":\"customer\",\"author\":\"Ольга\",\"text\":\"Где мой заказ?\"}]}],"
    "\"items\":[],\"canned\":[],\"time\":1763856000000}";

E2E_TEST(client_transfer_targets, without_an_answer_the_popup_offers_its_queues_and_a_typed_name)
{
	int port = 0, lfd = ws_listen(&port);
	struct e2e_hub h = {.port = port, .url = e2e_strf("ws://127.0.0.1:%d", port)};
	struct e2e_term *t = term_client(&h, "anna", "s3cret", 30, 120, NULL);
	char *why = NULL;
	struct e2e_ws *ws = ws_accept(lfd, "opdesk.agent.v1", E2E_WAIT_MS, &why);
	cr_assert(ws, "the client did not connect: %s", why);
	cr_assert(ws_expect_type(ws, "hello", E2E_WAIT_MS), "%s", ws_skipped(ws));
	ws_send_text(ws, welcome);
	term_expect(t, "Ольга · telegram", E2E_WAIT_MS);
	term_send(t, TK_F5);
	cr_assert(ws_expect_type(ws, "targets", E2E_WAIT_MS), "F5 did not ask for the targets: %s", ws_skipped(ws));
	/* no answer: the popup has the two queues and takes a typed name */
	term_expect(t, "Stylist consultation queue", E2E_WAIT_MS);
	term_expect(t, "1-2 or ↑/↓+Enter: transfer", E2E_WAIT_MS);
	term_send(t, "ivan");
	term_expect(t, "or an operator: ivan", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	json_t *tr = ws_expect_type(ws, "transfer", E2E_WAIT_MS);
	cr_assert(tr, "no transfer: %s", ws_skipped(ws));
	cr_assert_str_eq(e2e_json_str(tr, "operator"), "ivan");
	cr_assert_eq(e2e_json_int(tr, "dialog", 0), 7);
	/* a hub that refuses the question: the message log has it, the status bar does not, the popup still works */
	term_send(t, TK_F5);
	cr_assert(ws_expect_type(ws, "targets", E2E_WAIT_MS), "%s", ws_skipped(ws));
	ws_send_text(ws, "{\"type\":\"error\",\"code\":\"unknown_type\",\"message\":\"\\\"targets\\\" is not a message sent "
	                 "by an agent\",\"ref\":\"targets\"}");
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "or an operator:", E2E_WAIT_MS), "%s", term_screen_text(t));
	term_key_alt(t, 'l');
	term_expect(t, "cannot list transfer targets", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "cannot list transfer targets", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(!term_has_text(t, "is not a message"), "the refusal shows as an error:\n%s", term_screen_text(t));
	term_send(t, TK_F5);
	cr_assert(ws_expect_type(ws, "targets", E2E_WAIT_MS), "%s", ws_skipped(ws));
	term_expect(t, "Stylist consultation queue", E2E_WAIT_MS);
	term_send(t, "2");
	tr = ws_expect_type(ws, "transfer", E2E_WAIT_MS);
	cr_assert(tr, "no transfer: %s", ws_skipped(ws));
	cr_assert_str_eq(e2e_json_str(tr, "queue"), "stylist");
	ws_close(ws);
}

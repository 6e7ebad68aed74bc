/* test_hub_web_chat.c: the customer web chat in a real browser. Headless Chromium opens the hub's own page,
 * a customer starts a chat with channel web, sees the operator's typing and replies live (markup in a reply
 * stays text), types and sends with Enter (the operator sees her typing and her message), and after the
 * operator closes the chat rates it 5 with a comment, which the operator receives and the database keeps.
 * A second browser in English sees the page in English (with nobody online: the offline request form, which
 * says what it needs) and is told when the hub goes away. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_web_chat, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

#define KEY_ENTER "\xee\x80\x87" /* WebDriver's Enter key, U+E007 */

static long long page_count(struct e2e_browser *b, const char *css)
{
	json_t *n = wd_script(b, "return document.querySelectorAll(arguments[0]).length;", json_pack("[s]", css));
	return json_integer_value(n);
}

E2E_TEST(hub_web_chat, a_customer_in_chromium_chats_with_an_operator_and_rates)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");

	struct e2e_browser *b = wd_start("ru-RU");
	wd_open(b, e2e_strf("http://127.0.0.1:%d/", h->port));
	wd_expect(b, "#od-status", "на связи");
	wd_type(b, "#od-name", "Лена");
	wd_type(b, "#od-first", "Здравствуйте! Где мой заказ 4817? 📦");
	wd_click(b, "#od-start");

	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "the operator got no chat; frames: %s", ws_skipped(anna));
	json_t *dialog = json_object_get(a, "dialog");
	long long d = e2e_json_int(dialog, "id", 0);
	cr_assert_str_eq(e2e_json_str(dialog, "channel"), "web");
	cr_assert_str_eq(e2e_json_str(dialog, "customer"), "Лена");
	json_t *first = json_array_get(json_object_get(dialog, "messages"), 0);
	cr_assert_str_eq(e2e_json_str(first, "text"), "Здравствуйте! Где мой заказ 4817? 📦");
	wd_expect(b, "#od-log", "Где мой заказ 4817? 📦");

	/* the operator types, then answers: both show live; markup in a reply is shown as text */
	ws_sendf(anna, "{\"type\":\"typing\",\"dialog\":%lld,\"on\":true}", d);
	wd_expect(b, "#od-typing", "оператор печатает");
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a1\",\"text\":\"Заказ в пути, "
		       "<b>завтра</b> будет <img src=x onerror=alert(1)>\"}", d);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	wd_expect(b, "#od-log", "Заказ в пути, <b>завтра</b> будет <img src=x onerror=alert(1)>");
	wd_expect(b, "#od-log", "anna");
	cr_assert_eq(page_count(b, "#od-log b, #od-log img"), 0, "the reply's markup became elements");
	cr_assert_str_eq(wd_text(b, "#od-typing"), "", "the typing line stayed after the reply");

	/* the customer types: the operator sees it; Enter sends, the hub's ack clears the pending mark */
	wd_type(b, "#od-text", "Спасибо, жду");
	json_t *t = ws_expect_type(anna, "typing", E2E_WAIT_MS);
	cr_assert(t && json_is_true(json_object_get(t, "on")), "%s", ws_skipped(anna));
	wd_type(b, "#od-text", KEY_ENTER);
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_str_eq(e2e_json_str(m, "text"), "Спасибо, жду");
	cr_assert_str_eq(e2e_json_str(m, "sender"), "customer");
	wd_expect(b, "#od-log", "Спасибо, жду");
	cr_assert(wd_wait_none(b, "#od-log .od-pending", E2E_WAIT_MS), "the hub's ack did not clear the mark");
	cr_assert_str_eq(wd_text(b, "#od-text"), "", "the sent text stayed in the box");

	/* a reload of the page: the chat is still there, history and all, and goes on */
	wd_open(b, e2e_strf("http://127.0.0.1:%d/", h->port));
	wd_expect(b, "#od-log", "Где мой заказ 4817? 📦");
	wd_expect(b, "#od-log", "Спасибо, жду");
	wd_expect(b, "#od-log", "<img src=x onerror=alert(1)>");
	cr_assert_eq(page_count(b, "#od-log b, #od-log img"), 0, "the reply's markup became elements after a reload");
	cr_assert_eq(page_count(b, ".od-start:not([hidden])"), 0, "a reload asked for a new chat");
	json_t *msg = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(msg && strcmp(e2e_json_str(msg, "text"), "Клиент покинул чат") == 0, "%s", ws_skipped(anna));
	msg = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(msg && strcmp(e2e_json_str(msg, "text"), "Клиент вернулся в чат") == 0, "%s", ws_skipped(anna));
	cr_assert(!strstr(wd_text(b, "#od-log"), "покинул"), "the customer sees her own presence lines");

	/* the hub is killed and comes back on its port: the page reconnects by itself and resumes */
	h->proc->daemon = false; /* killed on purpose: not a crash */
	cr_assert_eq(kill(h->proc->pid, SIGKILL), 0);
	cr_assert(e2e_proc_wait(h->proc, E2E_WAIT_MS));
	wd_expect(b, "#od-status", "переподключаемся");
	h = e2e_hub_start_db(h->db, NULL, (const char *const[]){"--port", e2e_strf("%d", h->port), NULL});
	anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	/* (whether the page is back before this or after, it gets the answer: live, or in its resume) */
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a2\",\"text\":\"Мы снова здесь\"}", d);
	wd_expect(b, "#od-log", "Мы снова здесь");

	/* the operator closes: the page asks for a rating; 5 stars and a comment reach her and the database */
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d);
	wd_expect(b, "#od-rate:not([hidden])", "Оцените"); /* (a hidden element's innerText is its text too) */
	cr_assert_eq(page_count(b, ".od-form:not([hidden])"), 0, "the message form stayed after the close");
	wd_click(b, ".od-star[data-score=\"5\"]");
	wd_type(b, "#od-comment", "Быстро и вежливо");
	wd_click(b, "#od-rate-send");
	json_t *r = ws_expect_type(anna, "rating", E2E_WAIT_MS);
	cr_assert(r, "no rating reached the operator; frames: %s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(r, "score", 0), 5);
	cr_assert_str_eq(e2e_json_str(r, "comment"), "Быстро и вежливо");
	wd_expect(b, "#od-log", "Спасибо за оценку");

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT score FROM ratings WHERE dialog_id = %lld", d), 5);
	cr_assert_str_eq(e2e_db_text(db, "SELECT comment FROM ratings WHERE dialog_id = %lld", d), "Быстро и вежливо");
	cr_assert_str_eq(e2e_db_text(db, "SELECT channel FROM dialogs WHERE id = %lld", d), "web");
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE dialog_id = %lld AND sender = 'customer'", d),
		     2);
	/* rated: a reload now starts a new chat */
	wd_open(b, e2e_strf("http://127.0.0.1:%d/", h->port));
	wd_expect(b, ".od-start:not([hidden])", "");
}

E2E_TEST(hub_web_chat, english_page_and_a_hub_that_goes_away)
{
	struct e2e_hub *h = e2e_hub_start(NULL, NULL);
	struct e2e_browser *b = wd_start("en-US");
	wd_open(b, e2e_strf("http://127.0.0.1:%d/chat", h->port));
	wd_expect(b, "#od-status", "online");
	cr_assert(strstr(wd_text(b, "body"), "Chat with support"), "%s", wd_text(b, "body"));
	/* nobody is online: the page takes a request instead of a chat; sent empty, it says what it needs */
	wd_expect(b, "#od-request-note", "No operator is online right now");
	wd_click(b, "#od-req-send");
	wd_expect(b, "#od-request-note", "Write your name, the question and an e-mail or a phone");
	e2e_proc_stop(h->proc);
	wd_expect(b, "#od-status", "The connection was lost; reconnecting");
}

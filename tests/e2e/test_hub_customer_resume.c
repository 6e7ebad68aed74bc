/* test_hub_customer_resume.c: a web customer gets their chat back. `opened` carries a secret token; with it
 * a new connection `resume`s the dialog (after a dropped connection, a reload, a hub restart) and receives
 * what was written since the last message it had, but never the operators' notes or the lines about its own
 * presence; the operator sees "left" and "back". A wrong token or another's dialog is refused the same way;
 * a second connection resuming takes the chat over from the first without a "left" line; a closed chat
 * resumes closed, unrated, and can then be rated. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_customer_resume, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The next customer `message` frame; fails the test when none comes. */
static json_t *next_message(struct e2e_ws *ws)
{
	json_t *m = ws_expect_type(ws, "message", E2E_WAIT_MS);
	cr_assert(m, "no message: %s", ws_skipped(ws));
	return m;
}

/* A hub, anna signed in, and Oleg's web chat opened and assigned to her: its dialog id and token. */
struct chat {
	struct e2e_hub *h;
	struct e2e_ws *anna, *cust;
	long long dialog;
	const char *token;
};

static struct chat open_chat(void)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct chat c = {.h = e2e_hub_start(users, NULL)};
	c.anna = ws_connect_ok(c.h->port, "opdesk.agent.v1");
	ws_hello(c.anna, "anna", "s3cret-anna");
	c.dialog = ws_web_chat(c.h->port, c.anna, "Олег", "здравствуйте", &c.cust, &c.token);
	return c;
}

static struct e2e_ws *resume(int port, long long dialog, const char *token, long long after)
{
	struct e2e_ws *ws = ws_connect_ok(port, "opdesk.customer.v1");
	ws_sendf(ws, "{\"type\":\"resume\",\"dialog\":%lld,\"token\":\"%s\",\"after\":%lld}", dialog, token, after);
	return ws;
}

E2E_TEST(hub_customer_resume, a_customer_gets_the_chat_back)
{
	struct chat c = open_chat();
	struct e2e_hub *h = c.h;
	struct e2e_ws *anna = c.anna, *cust = c.cust;
	long long dlg = c.dialog;
	const char *token = c.token;
	cr_assert_eq(strlen(token), 32, "token \"%s\"", token);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Слушаю вас\"}", dlg);
	json_t *m = next_message(cust);
	while (strcmp(e2e_json_str(m, "text"), "Слушаю вас") != 0)
		m = next_message(cust);
	long long seen = e2e_json_int(m, "seq", 0);

	/* the customer's connection drops; the operator is told, writes a note and an answer meanwhile */
	ws_close(cust);
	m = next_message(anna);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Клиент покинул чат");
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-2\",\"text\":\"внутреннее\",\"note\":true}",
	         dlg);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-3\",\"text\":\"Вы здесь?\"}", dlg);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));

	/* a wrong token, or a dialog that does not exist: the same refusal */
	struct e2e_ws *bad = resume(h->port, dlg, "00000000000000000000000000000000", 0);
	json_t *e = ws_expect_error(bad, "not_allowed", "a resume with a wrong token");
	const char *refusal = e2e_strf("%s", e2e_json_str(e, "message"));
	bad = resume(h->port, dlg + 100, token, 0);
	e = ws_expect_error(bad, "not_allowed", "a resume of a dialog that does not exist");
	cr_assert_str_eq(e2e_json_str(e, "message"), refusal);

	/* the right token: the chat is back, with what was written since, but no note and no "left" line */
	cust = resume(h->port, dlg, token, seen);
	json_t *r = ws_expect_type(cust, "resumed", E2E_WAIT_MS);
	cr_assert(r, "%s", ws_skipped(cust));
	cr_assert_eq(e2e_json_int(r, "dialog", 0), dlg);
	cr_assert_str_eq(e2e_json_str(r, "state"), "assigned");
	cr_assert(json_is_false(json_object_get(r, "rated")));
	m = next_message(cust);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Вы здесь?");
	m = next_message(anna);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Клиент вернулся в чат");
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"Да, тут\"}");
	cr_assert(ws_expect_type(cust, "ack", E2E_WAIT_MS), "%s", ws_skipped(cust));
	m = next_message(anna);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Да, тут");
	cr_assert_eq(e2e_json_int(m, "dialog", 0), dlg);
	cr_assert(!strstr(ws_skipped(cust), "внутреннее") && !strstr(ws_skipped(cust), "покинул"),
	          "the customer was sent a note or a presence line:\n%s", ws_skipped(cust));

	/* a whole reload (after 0): the full history the customer may see */
	struct e2e_ws *again = resume(h->port, dlg, token, 0);
	cr_assert(ws_expect_type(again, "resumed", E2E_WAIT_MS), "%s", ws_skipped(again));
	char *texts = e2e_strf("%s", "");
	for (int i = 0; i < 5; i++)
		texts = e2e_strf("%s|%s", texts, e2e_json_str(next_message(again), "text"));
	cr_assert(strstr(texts, "|здравствуйте|") && strstr(texts, "|Слушаю вас|Вы здесь?|Да, тут"), "%s", texts);
	cr_assert(!strstr(texts, "внутреннее") && !strstr(texts, "покинул") && !strstr(texts, "вернулся"), "%s", texts);
	/* ... and the older connection gave the chat up: closed by the hub, no "left" line for it */
	int code = 0;
	cr_assert(ws_wait_closed(cust, E2E_WAIT_MS, &code));
	cr_assert_eq(code, 4002);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-4\",\"text\":\"Отлично\"}", dlg);
	m = next_message(again);
	cr_assert_str_eq(e2e_json_str(m, "text"), "Отлично");
	cr_assert(!strstr(ws_skipped(anna), "покинул"), "%s", ws_skipped(anna));

	/* closed while away: resumes closed and unrated, then rates */
	ws_close(again);
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", dlg);
	cr_assert(ws_expect_type(anna, "closed", E2E_WAIT_MS), "%s", ws_skipped(anna));
	cust = resume(h->port, dlg, token, 0);
	r = ws_expect_type(cust, "resumed", E2E_WAIT_MS);
	cr_assert(r, "%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(r, "state"), "closed");
	ws_sendf(cust, "{\"type\":\"rate\",\"score\":5}");
	cr_assert(ws_expect_type(anna, "rating", E2E_WAIT_MS), "%s", ws_skipped(anna));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT score FROM ratings WHERE dialog_id = %lld", dlg), 5);
}

E2E_TEST(hub_customer_resume, across_a_hub_restart)
{
	struct chat c = open_chat();
	struct e2e_hub *h = c.h;
	struct e2e_ws *anna = c.anna, *cust = c.cust;
	long long dlg = c.dialog;
	const char *token = c.token;

	h->proc->daemon = false; /* killed on purpose: not a crash */
	cr_assert_eq(kill(h->proc->pid, SIGKILL), 0);
	cr_assert(e2e_proc_wait(h->proc, E2E_WAIT_MS));
	const char *port = e2e_strf("%d", h->port);
	h = e2e_hub_start_db(h->db, NULL, (const char *const[]){"--port", port, NULL});
	anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	cust = resume(h->port, dlg, token, 1);
	json_t *r = ws_expect_type(cust, "resumed", E2E_WAIT_MS);
	cr_assert(r, "%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(r, "state"), "assigned");
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Мы снова на связи\"}", dlg);
	json_t *m = next_message(cust);
	while (strcmp(e2e_json_str(m, "text"), "Мы снова на связи") != 0)
		m = next_message(cust);
}

E2E_TEST(hub_customer_resume, an_open_sent_again_after_a_lost_answer_opens_nothing_new)
{
	struct e2e_hub *h = e2e_hub_start(NULL, NULL);
	const char *open = "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вера\",\"text\":\"Пришла куртка с браком\","
	                   "\"client_msg_id\":\"w-5f0c9a1e7b3d4c2a8e6f1b0d9c7a5e3f-0\"}";
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_send_text(c1, open);
	json_t *first = ws_expect_type(c1, "opened", E2E_WAIT_MS);
	cr_assert(first, "%s", ws_skipped(c1));

	/* the answer was lost with the line: a new connection sends the same open */
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_send_text(c2, open);
	json_t *again = ws_expect_type(c2, "opened", E2E_WAIT_MS);
	cr_assert(again, "%s", ws_skipped(c2));
	cr_assert_eq(e2e_json_int(again, "dialog", -1), e2e_json_int(first, "dialog", -2), "a second chat was opened");
	cr_assert_str_eq(e2e_json_str(again, "token"), e2e_json_str(first, "token"));
	int code = 0;
	cr_assert(ws_wait_closed(c1, E2E_WAIT_MS, &code) && code == 4002, "the first connection kept the chat (%d)", code);
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs"), 1);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE sender='customer'"), 1);

	/* the chat goes on on the new connection */
	ws_sendf(c2, "{\"type\":\"message\",\"client_msg_id\":\"m-1\",\"text\":\"Фото пришлю\"}");
	cr_assert(ws_expect_type(c2, "ack", E2E_WAIT_MS), "%s", ws_skipped(c2));

	/* the same id with another first text is another customer's chat, not a retry: it opens one */
	struct e2e_ws *c3 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c3, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Вера\",\"text\":\"Другой вопрос\","
	             "\"client_msg_id\":\"w-5f0c9a1e7b3d4c2a8e6f1b0d9c7a5e3f-0\"}");
	json_t *other = ws_expect_type(c3, "opened", E2E_WAIT_MS);
	cr_assert(other, "%s", ws_skipped(c3));
	cr_assert_neq(e2e_json_int(other, "dialog", -1), e2e_json_int(first, "dialog", -2));
	cr_assert_str_neq(e2e_json_str(other, "token"), e2e_json_str(first, "token"));
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs"), 2);
}

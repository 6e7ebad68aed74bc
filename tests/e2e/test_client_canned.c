/* test_client_canned.c: the canned-reply picker as an operator uses it: F4 opens it over the dialog, typing
 * filters it, Enter puts the reply - with the customer's name and order number filled in - into the composer
 * to edit, Alt-Enter sends one at once, "/" in an empty composer opens it too, and what was sent is in the
 * hub's database exactly as the customer will read it. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(client_canned, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static bool narrowed_to_hio(struct e2e_term *t, void *arg)
{
	(void)arg;
	return term_has_text(t, "/hio") && !term_has_text(t, "/deliv");
}

E2E_TEST(client_canned, pick_fill_edit_and_send)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"Где мой заказ 3902-1184?\"}");
	term_expect(t, "Ольга · vk", E2E_WAIT_MS);

	term_send(t, "\x1bOS"); /* F4 */
	term_expect(t, "Canned replies", E2E_WAIT_MS);
	term_send(t, "qqqq");
	term_expect(t, "(nothing matches)", E2E_WAIT_MS);
	term_send(t, "\x7f\x7f\x7f\x7f"); /* backspace over the filter */
	term_send(t, "hio");
	term_expect(t, "Find: hio", E2E_WAIT_MS);
	cr_assert(term_wait_until(t, narrowed_to_hio, NULL, E2E_WAIT_MS), "the filter did not narrow the list:\n%s",
	          term_screen_text(t));
	/* the preview shows the reply as the customer will get it */
	term_expect(t, "Здравствуйте, Ольга! Меня зовут anna", E2E_WAIT_MS);
	term_send(t, TK_ENTER); /* into the composer, to edit */
	cr_assert(term_wait_gone(t, "Canned replies", E2E_WAIT_MS), "the picker stayed open");
	term_send(t, " :)");
	term_send(t, TK_ENTER); /* send the edited reply */
	term_expect(t, "anna: Здравствуйте, Ольга!", E2E_WAIT_MS);

	/* "/" in the empty composer, a shortcut, Alt-Enter: sent at once with the order number */
	term_send(t, "/");
	term_expect(t, "Canned replies", E2E_WAIT_MS);
	term_send(t, "st");
	term_expect(t, "Find: st", E2E_WAIT_MS);
	term_expect(t, "Заказ передан в доставку", E2E_WAIT_MS);
	term_send(t, "\x1b\r"); /* Alt-Enter */
	term_expect(t, "Ваш заказ 3902-1184 собран", E2E_WAIT_MS);

	struct e2e_db *db = e2e_db_open(h->db);
	for (int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	     e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator'") < 2 && e2e_now_ms() < end;)
		term_pump(t, 50);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator' AND text LIKE "
	                               "'Здравствуйте, Ольга! Меня зовут anna.%%:)'"),
	             1, "the edited greeting is not stored as sent");
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator' AND text LIKE "
	                               "'Ваш заказ 3902-1184 собран%%'"),
	             1, "the order-status reply is not stored with the order number");
	bool greeted = false;
	for (int i = 0; i < 5 && !greeted; i++) {
		json_t *m = ws_expect_type(cust, "message", E2E_WAIT_MS);
		cr_assert(m, "the customer did not get the greeting; seen:\n%s", ws_skipped(cust));
		greeted = strstr(e2e_json_str(m, "text"), "Здравствуйте, Ольга!") != NULL;
	}
	cr_assert(greeted, "the customer did not get the greeting; seen:\n%s", ws_skipped(cust));
}

E2E_TEST(client_canned, the_operators_own_replies_from_the_config_folder)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	mkdir(e2e_strf("%s/home", e2e_dir()), 0700);
	mkdir(e2e_strf("%s/home/config", e2e_dir()), 0700);
	mkdir(e2e_strf("%s/home/config/opdesk", e2e_dir()), 0700);
	e2e_write_file(e2e_strf("%s/home/config/opdesk/canned.json", e2e_dir()),
	               "[{\"shortcut\":\"/vip\",\"title\":\"Постоянной клиентке\",\"text\":\"{customer}, для вас скидка 10%!\"}]");
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ольга\",\"text\":\"Есть скидки?\"}");
	term_expect(t, "Ольга · vk", E2E_WAIT_MS);
	term_send(t, "\x1bOS");
	term_expect(t, "Canned replies", E2E_WAIT_MS);
	term_send(t, "vip");
	term_expect(t, "Find: vip", E2E_WAIT_MS);
	term_expect(t, "My replies", E2E_WAIT_MS);
	term_expect(t, "Ольга, для вас скидка 10%!", E2E_WAIT_MS); /* the preview, filled */
	term_send(t, "\x1b\r");
	term_expect(t, "anna: Ольга, для вас скидка 10%!", E2E_WAIT_MS);

	/* a broken file stops the client before the screen changes */
	e2e_write_file(e2e_strf("%s/home/config/opdesk/canned.json", e2e_dir()), "[{\"title\":\"x\"}]");
	char *argv[] = {e2e_bin("opdesk"), "--url", h->url, "--user", "anna", NULL};
	struct e2e_proc *p = e2e_run("opdesk", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "canned.json: reply 1 needs"), "%s", e2e_proc_stderr(p));
}

/* A reply whose {order} the customer never gave is not sent with the placeholder: the picker says so, Alt-Enter
 * leaves it in the composer with the cursor on the field, typing replaces the field, Enter then sends it. */
E2E_TEST(client_canned, an_unfilled_placeholder_is_never_sent)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ольга\",\"text\":\"Когда привезут?\"}");
	term_expect(t, "Ольга · web", E2E_WAIT_MS);

	term_send(t, "/");
	term_expect(t, "Canned replies", E2E_WAIT_MS);
	term_send(t, "st");
	term_expect(t, "{order} is not known", E2E_WAIT_MS);
	term_send(t, "\x1b\r"); /* Alt-Enter: send now */
	term_expect(t, "fill in {order} first", E2E_WAIT_MS);
	term_expect(t, "> Ваш заказ {order} собран", E2E_WAIT_MS);
	/* the composer marks the field to fill, and only it */
	cr_assert_eq(term_text_highlighted(t, "{order}"), 1, "the unfilled field is not marked:\n%s", term_screen_text(t));
	cr_assert_eq(term_text_highlighted(t, "собран"), 0, "more than the field is marked");
	term_send(t, "5120-7731");
	term_expect(t, "> Ваш заказ 5120-7731 собран", E2E_WAIT_MS);
	term_send(t, TK_ENTER);
	term_expect(t, "anna: Ваш заказ 5120-7731 собран", E2E_WAIT_MS);

	/* the customer got the filled reply and never one with the placeholder */
	json_t *m;
	while ((m = ws_expect_type(cust, "message", E2E_WAIT_MS)) != NULL && !strstr(e2e_json_str(m, "text"), "собран"))
		;
	cr_assert(m, "the reply never reached the customer: %s", ws_skipped(cust));
	cr_assert(strstr(e2e_json_str(m, "text"), "Ваш заказ 5120-7731 собран"), "%s", e2e_json_str(m, "text"));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text LIKE '%%{order}%%'"), 0);
}

/* The loop of a busy shift in five keystrokes (the issue asked for at most six; it took seven): take the next
 * chat (F2), open the canned replies (F4), send the first at once (Alt-Enter), close (F8) with the first
 * topic (1). Exactly those keys are typed, each once the screen shows what the operator would wait for. */
E2E_TEST(client_canned, take_answer_and_close_in_five_keystrokes)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_send(t, "\x1bOR"); /* F3, before the shift's loop: away, so that the chat waits to be taken */
	term_expect(t, "(away)", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ольга\",\"text\":\"Добрый день!\"}");
	term_expect(t, "Ольга", E2E_WAIT_MS);

	term_send(t, TK_F2); /* 1 */
	term_expect(t, "Ольга · web", E2E_WAIT_MS);
	term_send(t, "\x1bOS"); /* 2: F4 */
	term_expect(t, "Canned replies", E2E_WAIT_MS);
	term_send(t, "\x1b\r"); /* 3: Alt-Enter */
	term_expect(t, "anna: Здравствуйте, Ольга!", E2E_WAIT_MS);
	term_send(t, TK_F8); /* 4 */
	term_expect(t, "Close the dialog: Ольга", E2E_WAIT_MS);
	term_send(t, "1"); /* 5 */

	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE state='closed' AND topic='order'"), 1,
	             "the dialog was not closed with the first topic:\n%s", term_screen_text(t));
	json_t *m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (m && strcmp(e2e_json_str(m, "sender"), "operator") != 0)
		m = ws_expect_type(cust, "message", E2E_WAIT_MS);
	cr_assert(m && strstr(e2e_json_str(m, "text"), "Здравствуйте, Ольга!"), "the customer got no reply; seen:\n%s",
	          ws_skipped(cust));
}

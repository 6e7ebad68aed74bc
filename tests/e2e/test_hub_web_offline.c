/* test_hub_web_offline.c: the web widget in headless Chromium while nobody is online: it says so and takes a
 * request (name, e-mail, text) instead of opening a chat; an operator who signs in later answers it (raw
 * WebSocket); the customer's next visit in the same browser shows the answer (the widget keeps the request's
 * id and token in localStorage and asks), the answer is mailed (a capture script), and with an operator online
 * the page offers a chat again. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(hub_web_offline, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

static bool shown(struct e2e_browser *b, const char *css)
{
	json_t *v = wd_script(b, "var e = document.querySelector(arguments[0]); return !!e && !e.hidden;",
			      json_pack("[s]", css));
	return json_is_true(v);
}

E2E_TEST(hub_web_offline, a_request_left_in_the_widget_is_answered_on_the_next_visit)
{
	const char *users[] = { "anna", "s3cret-anna", NULL };
	char *script = e2e_path("sendmail.sh");
	e2e_write_file(script, e2e_strf("#!/bin/sh\ncat > '%s/mail.part' && mv '%s/mail.part' '%s/mail'\n", e2e_dir(),
					e2e_dir(), e2e_dir()));
	cr_assert_eq(chmod(script, 0755), 0);
	const char *extra[] = { "--sendmail", script, "--mail-from", "shop@example.org", NULL };
	struct e2e_hub *h = e2e_hub_start(users, extra);
	const char *url = e2e_strf("http://127.0.0.1:%d/", h->port);

	struct e2e_browser *b = wd_start("ru-RU");
	wd_open(b, url);
	wd_expect(b, "#od-request-note", "Сейчас нет операторов на связи");
	cr_assert(!shown(b, "form.od-start:not(.od-request)"), "a chat was offered with nobody online");
	wd_type(b, "#od-req-name", "Ирина");
	wd_type(b, "#od-req-email", "irina@example.org");
	wd_type(b, "#od-req-text", "Пришла куртка с браком, заказ 5120");
	wd_click(b, "#od-req-send");
	wd_expect(b, "#od-log", "Заявка принята");

	/* anna signs in later, takes and answers it */
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	json_t *r = ws_expect_type(anna, "requests", E2E_WAIT_MS);
	cr_assert(r, "%s", ws_skipped(anna));
	json_t *item = json_array_get(json_object_get(r, "items"), 0);
	cr_assert_str_eq(e2e_json_str(item, "name"), "Ирина");
	cr_assert_str_eq(e2e_json_str(item, "email"), "irina@example.org");
	long long id = e2e_json_int(item, "request", 0);
	ws_sendf(anna, "{\"type\":\"take_request\",\"request\":%lld}", id);
	ws_sendf(anna, "{\"type\":\"answer_request\",\"request\":%lld,\"text\":\"Обменяем, курьер приедет завтра\"}", id);
	cr_assert(ws_expect_type(anna, "request_answered", E2E_WAIT_MS), "%s", ws_skipped(anna));

	/* the next visit shows the answer, and now a chat can be opened */
	wd_open(b, url);
	wd_expect(b, "#od-log", "Обменяем, курьер приедет завтра");
	wd_expect(b, "#od-log", "Ответ на вашу заявку");
	cr_assert(shown(b, "form.od-start:not(.od-request)"), "no chat was offered with an operator online");
	cr_assert(!shown(b, "#od-request"), "a request was asked for with an operator online");
	cr_assert(e2e_file_wait_text(e2e_path("mail"), "\n\n", E2E_WAIT_MS), "no mail was sent");
	cr_assert(strstr(e2e_slurp(e2e_path("mail"), NULL), "To: irina@example.org\n"));
	/* shown once: a later visit does not show it again */
	wd_open(b, url);
	wd_expect(b, "#od-status", "на связи");
	cr_assert(!strstr(wd_text(b, "#od-log"), "Обменяем"), "%s", wd_text(b, "#od-log"));
}

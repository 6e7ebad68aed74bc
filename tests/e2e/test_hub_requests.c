/* test_hub_requests.c: offline requests against the real hub over raw WebSockets. A customer's connection is
 * told at once whether anyone serves the web chat (nobody signed in, an operator online, away) and outside the
 * working hours that the queue is closed and when it opens. A request left with nobody online reaches the
 * operator who signs in later (`requests` after `welcome`); one operator takes it, the other can neither take
 * nor answer it; the answer takes it off every list, reaches the customer who asks with the request's token
 * (a wrong token is refused) and goes to the customer's address by mail (a capture script). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"

TestSuite(hub_requests, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const users[] = { "anna", "s3cret-anna", "boris", "s3cret-boris", NULL };

static json_t *availability(struct e2e_ws *ws)
{
	json_t *a = ws_expect_type(ws, "availability", E2E_WAIT_MS);
	cr_assert(a, "no availability: %s", ws_skipped(ws));
	return a;
}

E2E_TEST(hub_requests, a_customer_is_told_whether_anyone_is_there)
{
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	json_t *a = availability(cust);
	cr_assert(json_is_false(json_object_get(a, "online")));
	cr_assert_str_eq(e2e_json_str(a, "reason"), "nobody_online");
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	a = availability(cust);
	cr_assert(json_is_true(json_object_get(a, "online")), "%s", ws_skipped(cust));
	cr_assert(!json_object_get(a, "reason"));
	/* a new connection hears it first thing */
	struct e2e_ws *late = ws_connect_ok(h->port, "opdesk.customer.v1");
	a = availability(late); /* (json_is_true evaluates its argument twice) */
	cr_assert(json_is_true(json_object_get(a, "online")));
	ws_sendf(anna, "{\"type\":\"status\",\"status\":\"away\"}");
	a = availability(cust);
	cr_assert(json_is_false(json_object_get(a, "online")));
	cr_assert_str_eq(e2e_json_str(a, "reason"), "nobody_online");
}

E2E_TEST(hub_requests, outside_the_working_hours_the_queue_is_closed)
{
	/* today, from two hours from now for an hour: closed now, opens then */
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	int from = ((tm.tm_hour + 2) % 24) * 60, to = ((tm.tm_hour + 3) % 24) * 60;
	const char *spec = e2e_strf("general=%s %02d:00-%02d:00", days[(tm.tm_wday + (tm.tm_hour + 2) / 24) % 7],
				    from / 60, to / 60);
	const char *extra[] = { "--hours", spec, NULL };
	struct e2e_hub *h = e2e_hub_start(users, extra);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	json_t *a = availability(cust);
	cr_assert(json_is_false(json_object_get(a, "online")), "%s", spec);
	cr_assert_str_eq(e2e_json_str(a, "reason"), "closed_hours");
	struct tm o = tm;
	o.tm_hour += 2;
	o.tm_min = o.tm_sec = 0;
	o.tm_isdst = -1;
	cr_assert_eq(e2e_json_int(a, "opens", 0), (long long)mktime(&o) * 1000, "%s", spec);
}

static char *capture_script(void)
{
	char *path = e2e_path("sendmail.sh");
	e2e_write_file(path, e2e_strf("#!/bin/sh\ncat > '%s/mail.part' && mv '%s/mail.part' '%s/mail'\n", e2e_dir(),
				      e2e_dir(), e2e_dir()));
	cr_assert_eq(chmod(path, 0755), 0);
	return path;
}

static json_t *requests_frame(struct e2e_ws *ws)
{
	json_t *r = ws_expect_type(ws, "requests", E2E_WAIT_MS);
	cr_assert(r, "no requests: %s", ws_skipped(ws));
	return r;
}

E2E_TEST(hub_requests, a_request_left_at_night_is_answered_and_reaches_the_customer)
{
	const char *extra[] = { "--sendmail", capture_script(), "--mail-from", "shop@example.org", NULL };
	struct e2e_hub *h = e2e_hub_start(users, extra);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	json_t *a = availability(cust);
	cr_assert(json_is_false(json_object_get(a, "online")));
	ws_sendf(cust, "{\"type\":\"leave_request\",\"name\":\"Ирина\",\"text\":\"Пришла куртка с браком\"}");
	ws_expect_error(cust, "missing_field", "a request without a contact");
	ws_sendf(cust, "{\"type\":\"leave_request\",\"name\":\"Ирина\",\"email\":\"a@b.c\\nBcc: x@y.z\",\"text\":\"x\"}");
	ws_expect_error(cust, "not_allowed", "a request with a header in its address");
	ws_sendf(cust, "{\"type\":\"leave_request\",\"name\":\"Ирина\",\"email\":\"irina@example.org\","
		       "\"phone\":\"+7 (900) 123-45-67\",\"text\":\"Пришла куртка с браком, заказ 5120\"}");
	json_t *left = ws_expect_type(cust, "request_left", E2E_WAIT_MS);
	cr_assert(left, "%s", ws_skipped(cust));
	long long id = e2e_json_int(left, "request", 0);
	const char *token = e2e_strf("%s", e2e_json_str(left, "token"));
	cr_assert_eq(strlen(token), 32);
	ws_close(cust);

	/* anna signs in later: the request is in her list */
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	json_t *r = requests_frame(anna);
	cr_assert_eq(e2e_json_int(r, "total", 0), 1);
	json_t *item = json_array_get(json_object_get(r, "items"), 0);
	cr_assert_eq(e2e_json_int(item, "request", 0), id);
	cr_assert_str_eq(e2e_json_str(item, "name"), "Ирина");
	cr_assert_str_eq(e2e_json_str(item, "email"), "irina@example.org");
	cr_assert_str_eq(e2e_json_str(item, "phone"), "+7 (900) 123-45-67");
	cr_assert_str_eq(e2e_json_str(item, "text"), "Пришла куртка с браком, заказ 5120");
	cr_assert(!json_object_get(item, "taken_by"));
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	requests_frame(boris);

	/* anna takes it: everyone sees whose it is; boris can neither take nor answer it */
	ws_sendf(anna, "{\"type\":\"take_request\",\"request\":%lld}", id);
	item = json_array_get(json_object_get(requests_frame(boris), "items"), 0);
	cr_assert_str_eq(e2e_json_str(item, "taken_by"), "anna");
	ws_sendf(boris, "{\"type\":\"take_request\",\"request\":%lld}", id);
	ws_expect_error(boris, "not_allowed", "taking anna's request");
	ws_sendf(boris, "{\"type\":\"answer_request\",\"request\":%lld,\"text\":\"нет\"}", id);
	ws_expect_error(boris, "not_allowed", "answering anna's request");
	ws_sendf(anna, "{\"type\":\"answer_request\",\"request\":%lld,\"text\":\"Обменяем, курьер приедет завтра\"}", id);
	json_t *done = ws_expect_type(anna, "request_answered", E2E_WAIT_MS);
	cr_assert(done, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(done, "request", 0), id);
	r = requests_frame(boris);
	while (e2e_json_int(r, "total", -1) != 0) /* (the list after the take may come first) */
		r = requests_frame(boris);
	cr_assert_eq(json_array_size(json_object_get(r, "items")), 0);

	/* the customer comes back and asks: a wrong token is refused, the right one gets the answer */
	struct e2e_ws *back = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(back, "{\"type\":\"request_status\",\"request\":%lld,\"token\":\"%s\"}", id,
		 "0123456789abcdef0123456789abcdef");
	ws_expect_error(back, "not_allowed", "asking with a wrong token");
	ws_sendf(back, "{\"type\":\"request_status\",\"request\":%lld,\"token\":\"%s\"}", id, token);
	json_t *st = ws_expect_type(back, "request_status", E2E_WAIT_MS);
	cr_assert(st, "%s", ws_skipped(back));
	cr_assert_str_eq(e2e_json_str(st, "state"), "answered");
	cr_assert_str_eq(e2e_json_str(st, "answer"), "Обменяем, курьер приедет завтра");
	cr_assert_gt(e2e_json_int(st, "answered", 0), 0);

	/* ... and by mail */
	cr_assert(e2e_file_wait_text(e2e_path("mail"), "\n\n", E2E_WAIT_MS), "no mail was sent");
	char *msg = e2e_slurp(e2e_path("mail"), NULL);
	cr_assert(strstr(msg, "To: irina@example.org\n"), "%s", msg);
	char *metrics = e2e_http_get(h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_requests{event=\"left\"} 1\n"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_requests{event=\"answered\"} 1\n"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_requests_open 0\n"), "%s", metrics);
	/* and the report counts them (once the hub saw the command end) */
	cr_assert(e2e_hub_log_wait(h, "(answer) to irina@example.org sent", E2E_WAIT_MS));
	const char *args[] = { e2e_bin("opdesk-hub"), "report", "--since", "2000-01-01", "--db", h->db, NULL };
	struct e2e_proc *rep = e2e_run("report", (char *const *)args, NULL, E2E_WAIT_MS);
	char *out = e2e_proc_stdout(rep);
	cr_assert(strstr(out, "Offline requests: 1 left, 1 answered (0 open now)"), "%s", out);
	cr_assert(strstr(out, "Mail: 1 sent, 0 failed, 0 pending"), "%s", out);
}

/* test_hub_auto_close.c: auto-close against the real hub (seconds for the test: --auto-close general=2s,
 * --auto-close-grace 2s). A chat whose customer stays silent after the operator's message is warned (an
 * `idle_warning` line, to the customer too) no sooner than the queue's time, then closed by the hub no sooner
 * than the grace after it (`idle_closed`, `closed` by system, topic other), counted in /metrics; a customer who
 * writes after the warning keeps the chat; a restart recomputes the silence from the store. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_auto_close, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *const users[] = { "anna", "s3cret-anna", NULL };
static const char *const auto_close[] = { "--auto-close", "general=2s", "--auto-close-grace", "2s", "--lang", "en",
					  NULL };

/* A customer's chat opened and assigned to `anna`: its dialog id. */
static long long open_chat(struct e2e_ws *anna, struct e2e_ws *cust, const char *name)
{
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"Здравствуйте\"}", name);
	json_t *o = ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(o, "%s", ws_skipped(cust));
	cr_assert(ws_expect_type(anna, "assigned", E2E_WAIT_MS), "%s", ws_skipped(anna));
	return e2e_json_int(o, "dialog", 0);
}

static void operator_says(struct e2e_ws *anna, long long dialog, const char *id)
{
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s\",\"text\":\"Чем могу помочь?\"}",
		 dialog, id);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS), "%s", ws_skipped(anna));
}

/* The next `message` of kind `kind` (agent) or with this text start (customer). */
static json_t *expect_line(struct e2e_ws *ws, const char *key, const char *value)
{
	for (;;) {
		json_t *m = ws_expect_type(ws, "message", E2E_WAIT_MS);
		cr_assert(m, "no %s \"%s\": %s", key, value, ws_skipped(ws));
		if (strncmp(e2e_json_str(m, key), value, strlen(value)) == 0)
			return m;
	}
}

E2E_TEST(hub_auto_close, a_silent_customer_is_warned_then_the_chat_closed_on_time)
{
	struct e2e_hub *h = e2e_hub_start(users, auto_close);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	long long dlg = open_chat(anna, cust, "Ирина");
	int64_t t0 = e2e_now_ms();
	operator_says(anna, dlg, "a-1");

	json_t *w = expect_line(anna, "kind", "idle_warning");
	int64_t warned = e2e_now_ms();
	cr_assert_geq(warned - t0, 1900, "warned after %lld ms", (long long)(warned - t0));
	cr_assert_eq(e2e_json_int(w, "dialog", 0), dlg);
	cr_assert_str_eq(e2e_json_str(w, "sender"), "system");
	json_t *cw = expect_line(cust, "text", "Are you still with us?");
	cr_assert(!json_object_get(cw, "kind"), "the customer got a kind");

	json_t *c = expect_line(anna, "kind", "idle_closed");
	cr_assert(strstr(e2e_json_str(c, "text"), "no reply"), "%s", e2e_json_str(c, "text"));
	json_t *closed = ws_expect_type(anna, "closed", E2E_WAIT_MS);
	cr_assert(closed, "%s", ws_skipped(anna));
	cr_assert_geq(e2e_now_ms() - warned, 1900, "closed %lld ms after the warning", (long long)(e2e_now_ms() - warned));
	cr_assert_str_eq(e2e_json_str(closed, "by"), "system");
	cr_assert_str_eq(e2e_json_str(closed, "topic"), "other");
	json_t *cc = ws_expect_type(cust, "closed", E2E_WAIT_MS);
	cr_assert(cc, "%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(cc, "by"), "system");
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE id = %lld AND state = 'closed' AND "
				       "closed_by = 'system' AND topic = 'other'", dlg), 1);
	char *metrics = e2e_http_get(h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_auto_closed_total 1\n"), "%s", metrics);
	const char *args[] = { e2e_bin("opdesk-hub"), "report", "--since", "2000-01-01", "--db", h->db, NULL };
	char *out = e2e_proc_stdout(e2e_run("report", (char *const *)args, NULL, E2E_WAIT_MS));
	cr_assert(strstr(out, "Closed by the hub (a silent customer): 1."), "%s", out);
}

E2E_TEST(hub_auto_close, a_customer_who_writes_after_the_warning_keeps_the_chat)
{
	struct e2e_hub *h = e2e_hub_start(users, auto_close);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *kept = ws_connect_ok(h->port, "opdesk.customer.v1");
	struct e2e_ws *other = ws_connect_ok(h->port, "opdesk.customer.v1");
	long long a = open_chat(anna, kept, "Ирина");
	long long b = open_chat(anna, other, "Олег");
	operator_says(anna, a, "a-1");
	operator_says(anna, b, "b-1"); /* after a's: b's warning and close come later than a's would */
	expect_line(kept, "text", "Are you still with us?");
	ws_sendf(kept, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"Да, я тут\"}");
	cr_assert(ws_expect_type(kept, "ack", E2E_WAIT_MS), "%s", ws_skipped(kept));
	/* b is closed: by then a would have been too */
	for (;;) {
		json_t *cl = ws_expect_type(anna, "closed", E2E_WAIT_MS);
		cr_assert(cl, "b was not closed: %s", ws_skipped(anna));
		cr_assert_neq(e2e_json_int(cl, "dialog", 0), a, "the chat whose customer answered was closed");
		if (e2e_json_int(cl, "dialog", 0) == b)
			break;
	}
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE id = %lld AND state = 'assigned'", a), 1);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE dialog_id = %lld AND kind = 'idle_closed'",
				a), 0);
}

E2E_TEST(hub_auto_close, a_restart_recomputes_the_silence_from_the_store)
{
	const char *slow[] = { "--auto-close", "general=3s", "--auto-close-grace", "2s", NULL };
	struct e2e_hub *h = e2e_hub_start(users, slow);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	long long dlg = open_chat(anna, cust, "Ирина");
	operator_says(anna, dlg, "a-1");
	e2e_proc_stop(h->proc); /* before the warning is due */
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE kind = 'idle_warning'"), 0,
		     "the warning came before the restart: make the time longer");
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, slow);
	cr_assert(e2e_hub_log_wait(h2, e2e_strf("dialog %lld: the customer is silent: warned", dlg), E2E_WAIT_MS));
	cr_assert(e2e_hub_log_wait(h2, e2e_strf("dialog %lld closed by the hub", dlg), E2E_WAIT_MS));
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE id = %lld AND closed_by = 'system'", dlg), 1);
}

/* test_hub_http.c: the hub's plain-HTTP answers on its WebSocket port: GET /health says whether the
 * database takes writes, GET /metrics gives Prometheus text whose numbers follow what happened (connections,
 * operators, dialogs, messages, ratings and CSAT, claims), / and /widget.js are the web chat's files with
 * their security headers, anything else is 404. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

TestSuite(hub_http, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static void expect_line(const char *text, const char *line)
{
	cr_assert(strstr(text, e2e_strf("\n%s\n", line)), "no line \"%s\" in:\n%s", line, text);
}

E2E_TEST(hub_http, health_and_metrics)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *r = e2e_http_get(h->port, "/health");
	cr_assert(strncmp(r, "HTTP/1.1 200", 12) == 0 && strstr(r, "\r\n\r\nok\n"), "%s", r);

	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Где заказ?\"}");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a);
	long long d = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"m1\",\"text\":\"Едет\"}", d);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"delivery\"}", d);
	cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS));
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d);
	cr_assert(ws_expect_type(cust, "closed", E2E_WAIT_MS));
	ws_send_text(cust, "{\"type\":\"rate\",\"score\":5,\"comment\":\"Спасибо\"}");
	cr_assert(ws_expect_type(anna, "rating", E2E_WAIT_MS), "%s", ws_skipped(anna));

	/* a second chat goes to a queue whose name holds a quote and a backslash: the label escapes them */
	struct e2e_ws *cust2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Ира\",\"text\":\"Привет\"}");
	a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	long long d2 = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	ws_sendf(anna, "{\"type\":\"transfer\",\"dialog\":%lld,\"queue\":\"north \\\"A\\\" \\\\ 2\"}", d2);
	cr_assert(ws_expect_type(anna, "released", E2E_WAIT_MS), "%s", ws_skipped(anna));

	r = e2e_http_get(h->port, "/metrics");
	cr_assert(strncmp(r, "HTTP/1.1 200", 12) == 0, "%s", r);
	expect_line(r, "opdesk_queue_dialogs{queue=\"north \\\"A\\\" \\\\ 2\"} 1");
	cr_assert(strstr(r, "content-type: text/plain; version=0.0.4"), "%s", r);
	expect_line(r, "# TYPE opdesk_dialogs gauge");
	expect_line(r, "opdesk_connections{endpoint=\"agent\"} 1");
	expect_line(r, "opdesk_operators{status=\"online\"} 1");
	expect_line(r, "opdesk_dialogs{state=\"closed\"} 1");
	expect_line(r, "opdesk_dialogs{state=\"queued\"} 1"); /* the transferred one waits */
	expect_line(r, "opdesk_messages_total{sender=\"customer\"} 2");
	expect_line(r, "opdesk_messages_total{sender=\"operator\"} 1");
	expect_line(r, "opdesk_ratings_total{score=\"5\"} 1");
	expect_line(r, "opdesk_csat_ratio 1.0000");
	expect_line(r, "opdesk_claims_total{category=\"delivery\"} 1");
	/* by operator and by queue, over the last 24 hours */
	expect_line(r, "# TYPE opdesk_operator_wait_seconds summary");
	expect_line(r, "opdesk_operator_dialogs{operator=\"anna\"} 1");
	expect_line(r, "opdesk_queue_dialogs{queue=\"general\"} 1");
	expect_line(r, "opdesk_operator_wait_seconds_count{operator=\"anna\"} 1");
	expect_line(r, "opdesk_queue_first_response_seconds_count{queue=\"general\"} 1");
	expect_line(r, "opdesk_operator_handling_seconds_count{operator=\"anna\"} 1");
	expect_line(r, "opdesk_operator_rating_mean{operator=\"anna\"} 5");
	expect_line(r, "opdesk_queue_csat_ratio{queue=\"general\"} 1");
	expect_line(r, "opdesk_operator_claims{operator=\"anna\",category=\"delivery\"} 1");
	cr_assert(strstr(r, "\nopdesk_queue_wait_seconds{queue=\"general\",quantile=\"0.9\"} "), "%s", r);

	r = e2e_http_get(h->port, "/nope");
	cr_assert(strncmp(r, "HTTP/1.1 404", 12) == 0, "%s", r);
	r = e2e_http_get(h->port, "/widget.js");
	cr_assert(strncmp(r, "HTTP/1.1 200", 12) == 0 && strstr(r, "content-type: text/javascript"), "%s", r);
	cr_assert(strstr(r, "\r\nx-content-type-options: nosniff\r\n"), "%s", r);
	r = e2e_http_get(h->port, "/");
	cr_assert(strncmp(r, "HTTP/1.1 200", 12) == 0 && strstr(r, "<script src=\"/widget.js\">"), "%s", r);
	cr_assert(strstr(r, "\r\ncontent-security-policy: default-src 'self'"), "%s", r);
}

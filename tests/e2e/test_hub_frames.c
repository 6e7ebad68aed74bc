/* test_hub_frames.c: malformed and abusive frames against a real hub, on both endpoints, through the
 * hand-rolled WebSocket client: each gets an `error` frame with the documented code (proto.h,
 * docs/protocol.md), the connection keeps working after a decoding error, the hub logs every refusal,
 * a wrong secret ends the connection, and the hub stays up and keeps serving new connections. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

#define AGENT     "opdesk.agent.v1"
#define CUSTOMER  "opdesk.customer.v1"
#define OP_USER   "anna"
#define OP_SECRET "s3cret-anna"

TestSuite(hub_frames, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static struct e2e_hub *start_hub(void)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	return e2e_hub_start(users, NULL);
}

/* The hub logs "CONN: CODE: MESSAGE" for every refusal (control characters shown as '?'). */
static void expect_logged(struct e2e_hub *h, const char *what, const char *code, const char *message)
{
	size_t n = 0;
	while (message[n] && (unsigned char)message[n] >= 0x20 && n < 60)
		n++;
	const char *needle = e2e_strf("%s: %.*s", code, (int)n, message);
	cr_expect(e2e_hub_log_wait(h, needle, 5000),
	          "%s: the hub log does not mention the refusal \"%s\"; log:\n%s", what, needle,
	          e2e_proc_stderr(h->proc));
}

/* Send one frame (a text frame unless opcode says otherwise) and expect the error `code` for it. A wrong
 * code is reported and the next case still runs; a connection the hub dropped ends the test. */
static void refused_frame(struct e2e_hub *h, struct e2e_ws *ws, const char *what, int opcode,
                          const void *data, size_t len, const char *code)
{
	cr_assert(ws_send_frame(ws, opcode, true, true, data, len) == 0,
	          "%s: the hub closed the connection before it", what);
	json_t *err = ws_expect_type(ws, "error", E2E_WAIT_MS);
	cr_assert(err || !ws_is_closed(ws),
	          "%s: the hub closed the connection instead of answering; frames seen:\n%s", what,
	          ws_skipped(ws));
	cr_expect(err, "%s: no error frame came; frames seen:\n%s", what, ws_skipped(ws));
	if (!err)
		return;
	const char *got = e2e_json_str(err, "code"), *message = e2e_json_str(err, "message");
	cr_expect(strcmp(got, code) == 0, "%s: expected error code \"%s\", got \"%s\" (%s)", what, code, got,
	          message);
	cr_expect(*message, "%s: the error has no message", what);
	expect_logged(h, what, got, message);
	cr_assert(!ws_is_closed(ws), "%s: the hub closed the connection after the error", what);
}

static void refused(struct e2e_hub *h, struct e2e_ws *ws, const char *what, const char *frame,
                    const char *code)
{
	refused_frame(h, ws, what, WS_TEXT, frame, strlen(frame), code);
}

/* The hub is alive and a brand-new operator connection still gets its welcome. */
static void hub_still_serves(struct e2e_hub *h)
{
	cr_assert(e2e_proc_alive(h->proc), "the hub died: %s; log:\n%s", e2e_proc_how(h->proc),
	          e2e_proc_stderr(h->proc));
	struct e2e_ws *fresh = ws_connect_ok(h->port, AGENT);
	ws_hello(fresh, OP_USER, OP_SECRET);
	ws_close(fresh);
	e2e_finish(); /* and it stops cleanly, with no sanitizer report */
}

static const char *repeat(char c, size_t n)
{
	char *s = e2e_own(calloc(n + 1, 1));
	memset(s, c, n);
	return s;
}

/* {"type":"take","x": [[[...]]] } nested `depth` arrays deep */
static const char *nested(size_t depth)
{
	return e2e_strf("{\"type\":\"take\",\"x\":%s%s}", repeat('[', depth), repeat(']', depth));
}

E2E_TEST(hub_frames, agent_decoding_errors_before_hello)
{
	struct e2e_hub *h = start_hub();
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	const char *hello = "\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"operator\"";

	refused(h, ws, "not JSON", "this is not json", "malformed");
	refused(h, ws, "truncated JSON", "{\"type\":\"hello\"", "malformed");
	refused(h, ws, "trailing garbage", "{\"type\":\"take\"} {}", "malformed");
	refused(h, ws, "duplicate key", "{\"type\":\"take\",\"type\":\"take\"}", "malformed");
	refused(h, ws, "NUL escaped in a string", e2e_strf("{%s,\"client\":\"a\\u0000b\"}", hello),
	        "malformed");
	refused_frame(h, ws, "raw NUL byte after the object", WS_TEXT, "{\"type\":\"take\"}\0", 16,
	              "malformed");
	refused(h, ws, "array at the top", "[1,2,3]", "not_object");
	refused(h, ws, "string at the top", "\"hello\"", "not_object");
	refused(h, ws, "no type", "{\"user\":\"anna\"}", "missing_type");
	refused(h, ws, "unknown type", "{\"type\":\"fly\"}", "unknown_type");
	refused(h, ws, "hub-to-agent type sent by an agent", "{\"type\":\"welcome\"}", "unknown_type");
	refused(h, ws, "customer type on the agent endpoint",
	        "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"hi\"}", "unknown_type");
	refused(h, ws, "rate on the agent endpoint", "{\"type\":\"rate\",\"score\":5}", "unknown_type");
	refused(h, ws, "unknown field", e2e_strf("{%s,\"admin\":true}", hello), "unknown_field");
	refused(h, ws, "missing field", "{\"type\":\"hello\",\"user\":\"anna\",\"role\":\"operator\"}",
	        "missing_field");
	refused(h, ws, "wrong type", "{\"type\":\"hello\",\"user\":7,\"secret\":\"x\",\"role\":\"operator\"}",
	        "wrong_type");
	refused(h, ws, "unknown enum word",
	        "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"king\"}", "out_of_range");
	refused(h, ws, "empty user",
	        "{\"type\":\"hello\",\"user\":\"\",\"secret\":\"x\",\"role\":\"operator\"}", "empty");
	refused(h, ws, "user over 64 bytes",
	        e2e_strf("{\"type\":\"hello\",\"user\":\"%s\",\"secret\":\"x\",\"role\":\"operator\"}",
	                 repeat('u', 65)),
	        "too_long");
	refused(h, ws, "secret over 256 bytes",
	        e2e_strf("{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"%s\",\"role\":\"operator\"}",
	                 repeat('s', 257)),
	        "too_long");
	refused(h, ws, "take before hello", "{\"type\":\"take\"}", "not_authenticated");
	refused(h, ws, "status before hello", "{\"type\":\"status\",\"status\":\"away\"}",
	        "not_authenticated");
	const char *big = e2e_strf("{\"type\":\"take\",\"pad\":\"%s\"}", repeat('x', 17 * 1024));
	refused(h, ws, "a frame over 16 KiB", big, "too_large");
	refused(h, ws, "100000-deep nesting (over 16 KiB)", nested(100000), "too_large");
	refused(h, ws, "3000-deep nesting (under 16 KiB)", nested(3000), "too_deep");
	/* the object is level 1: 7 arrays inside it make 8 levels (the limit), 8 arrays one too many */
	refused(h, ws, "nesting one level over the limit", nested(8), "too_deep");
	refused(h, ws, "nesting at the limit (parsed, then its field refused)", nested(7), "unknown_field");
	static const char bad_utf8[] = "{\"type\":\"take\",\"x\":\"\xc3\x28\xff\"}";
	refused_frame(h, ws, "invalid UTF-8 in a text frame", WS_TEXT, bad_utf8, sizeof bad_utf8 - 1,
	              "bad_utf8");
	refused_frame(h, ws, "a binary frame", WS_BINARY, "{\"type\":\"take\"}", 15, "malformed");

	/* the same connection still works */
	ws_hello(ws, OP_USER, OP_SECRET);
	hub_still_serves(h);
}

E2E_TEST(hub_frames, agent_refusals_after_hello)
{
	struct e2e_hub *h = start_hub();
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	ws_hello(ws, OP_USER, OP_SECRET);

	refused(h, ws, "huge number", "{\"type\":\"take\",\"dialog\":123456789012345678901234567890}",
	        "out_of_range");
	refused(h, ws, "negative dialog", "{\"type\":\"take\",\"dialog\":-5}", "out_of_range");
	refused(h, ws, "fractional dialog", "{\"type\":\"take\",\"dialog\":1.5}", "wrong_type");
	refused(h, ws, "dialog as a string", "{\"type\":\"take\",\"dialog\":\"7\"}", "wrong_type");
	refused(h, ws, "unknown status", "{\"type\":\"status\",\"status\":\"sleeping\"}", "out_of_range");
	refused(h, ws, "typing with a string", "{\"type\":\"typing\",\"dialog\":1,\"on\":\"yes\"}",
	        "wrong_type");
	refused(h, ws, "empty text",
	        "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"m1\",\"text\":\"\"}", "empty");
	refused(h, ws, "text over 4096 bytes",
	        e2e_strf("{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"m2\",\"text\":\"%s\"}",
	                 repeat('t', 4097)),
	        "too_long");
	refused(h, ws, "customer message type from an agent",
	        "{\"type\":\"message\",\"client_msg_id\":\"c1\",\"text\":\"hi\"}", "unknown_type");
	refused(h, ws, "take with nobody waiting", "{\"type\":\"take\"}", "queue_empty");
	refused(h, ws, "close of a dialog that is not ours",
	        "{\"type\":\"close\",\"dialog\":424242,\"topic\":\"order\"}", "no_such_dialog");
	refused(h, ws, "send to a dialog that is not ours",
	        "{\"type\":\"send\",\"dialog\":424242,\"client_msg_id\":\"m3\",\"text\":\"hi\"}",
	        "no_such_dialog");
	refused(h, ws, "hello again",
	        "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"s3cret-anna\",\"role\":\"operator\"}",
	        "not_allowed");

	/* still signed in and served */
	ws_send_text(ws, "{\"type\":\"status\",\"status\":\"away\"}");
	json_t *st = ws_expect_type(ws, "status", E2E_WAIT_MS);
	cr_assert(st, "no status echo after the refusals; frames seen:\n%s", ws_skipped(ws));
	cr_assert_str_eq(e2e_json_str(st, "status"), "away");
	hub_still_serves(h);
}

E2E_TEST(hub_frames, customer_endpoint_refusals)
{
	struct e2e_hub *h = start_hub();
	struct e2e_ws *ws = ws_connect_ok(h->port, CUSTOMER);

	refused(h, ws, "hello on the customer endpoint",
	        "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"s3cret-anna\",\"role\":\"operator\"}",
	        "unknown_type");
	refused(h, ws, "take from a customer", "{\"type\":\"take\"}", "unknown_type");
	refused(h, ws, "close from a customer", "{\"type\":\"close\",\"dialog\":1,\"topic\":\"order\"}",
	        "unknown_type");
	refused(h, ws, "send from a customer",
	        "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"x\",\"text\":\"hi\"}", "unknown_type");
	refused(h, ws, "status from a customer", "{\"type\":\"status\",\"status\":\"away\"}", "unknown_type");
	refused(h, ws, "transfer from a customer",
	        "{\"type\":\"transfer\",\"dialog\":1,\"queue\":\"general\"}", "unknown_type");
	refused(h, ws, "not JSON", "{oops", "malformed");
	refused(h, ws, "unknown channel",
	        "{\"type\":\"open\",\"channel\":\"fax\",\"name\":\"Ann\",\"text\":\"hi\"}", "out_of_range");
	refused(h, ws, "open without text", "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\"}",
	        "missing_field");
	refused(h, ws, "open with an unknown field",
	        "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"hi\",\"vip\":true}",
	        "unknown_field");
	refused(h, ws, "name over 64 bytes",
	        e2e_strf("{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"hi\"}",
	                 repeat('n', 65)),
	        "too_long");
	refused(h, ws, "empty first message",
	        "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"\"}", "empty");
	refused(h, ws, "score out of range", "{\"type\":\"rate\",\"score\":9}", "out_of_range");
	refused(h, ws, "typing with a number", "{\"type\":\"typing\",\"on\":1}", "wrong_type");
	refused(h, ws, "message before open",
	        "{\"type\":\"message\",\"client_msg_id\":\"c1\",\"text\":\"hi\"}", "not_allowed");
	refused(h, ws, "rate before open", "{\"type\":\"rate\",\"score\":5}", "not_allowed");
	refused_frame(h, ws, "a binary frame", WS_BINARY, "\x01\x02\x03", 3, "malformed");
	refused(h, ws, "a frame over 16 KiB",
	        e2e_strf("{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"%s\"}",
	                 repeat('y', 16 * 1024)),
	        "too_large");

	/* the same connection can still open a chat and write in it */
	ws_send_text(ws,
	             "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"Где мой заказ?\"}");
	json_t *op = ws_expect_type(ws, "opened", E2E_WAIT_MS);
	cr_assert(op, "no opened after the refusals; frames seen:\n%s", ws_skipped(ws));
	cr_assert(e2e_json_int(op, "dialog", 0) > 0);
	refused(h, ws, "a second open while the chat is open",
	        "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Ann\",\"text\":\"again\"}", "not_allowed");
	refused(h, ws, "rate before the chat is closed", "{\"type\":\"rate\",\"score\":5}", "not_allowed");
	ws_send_text(ws, "{\"type\":\"message\",\"client_msg_id\":\"c2\",\"text\":\"Алло?\"}");
	json_t *ack = ws_expect_type(ws, "ack", E2E_WAIT_MS);
	cr_assert(ack, "no ack for a good message; frames seen:\n%s", ws_skipped(ws));
	cr_assert_str_eq(e2e_json_str(ack, "client_msg_id"), "c2");
	hub_still_serves(h);
}

E2E_TEST(hub_frames, wrong_secret_is_refused_and_disconnected)
{
	struct e2e_hub *h = start_hub();
	const char *const cases[][2] = {{OP_USER, "not-the-secret"}, {"nobody", "whatever"}};
	for (size_t i = 0; i < 2; i++) {
		struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
		ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"%s\",\"secret\":\"%s\",\"role\":\"operator\"}",
		         cases[i][0], cases[i][1]);
		json_t *err = ws_expect_error(ws, "auth_failed",
		                              e2e_strf("hello as %s with a wrong secret", cases[i][0]));
		cr_assert(!strstr(e2e_json_str(err, "message"), cases[i][1]), "the error repeats the secret");
		int code = 0;
		cr_assert(ws_wait_closed(ws, E2E_WAIT_MS, &code),
		          "the hub kept the connection after auth_failed");
		cr_assert_eq(code, 1008, "closed with status %d, want 1008 (policy violation)", code);
		cr_assert(e2e_hub_log_wait(h, e2e_strf("sign-in refused for \"%s\"", cases[i][0]), 5000),
		          "the hub did not log the refused sign-in:\n%s", e2e_proc_stderr(h->proc));
		cr_assert(!strstr(e2e_proc_stderr(h->proc), cases[i][1]), "the hub logged the secret");
	}
	/* a supervisor sign-in for an operator account is refused too */
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"%s\",\"secret\":\"%s\",\"role\":\"supervisor\"}",
	         OP_USER, OP_SECRET);
	ws_expect_error(ws, "auth_failed", "an operator signing in as supervisor");
	hub_still_serves(h);
}

E2E_TEST(hub_frames, fragments_are_reassembled_and_counted)
{
	struct e2e_hub *h = start_hub();
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	const char *hello =
	    "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"s3cret-anna\",\"role\":\"operator\"}";
	size_t len = strlen(hello);
	ws_send_frame(ws, WS_TEXT, false, true, hello, 10);
	ws_send_frame(ws, WS_CONT, false, true, hello + 10, 20);
	ws_send_frame(ws, WS_CONT, true, true, hello + 30, len - 30);
	cr_assert(ws_expect_type(ws, "welcome", E2E_WAIT_MS),
	          "a fragmented hello got no welcome; frames seen:\n%s", ws_skipped(ws));

	/* 20 KiB in 4 KiB fragments: over the limit however it is cut */
	const char *chunk = repeat(' ', 4096);
	ws_send_frame(ws, WS_TEXT, false, true, "{\"type\":\"take\"", 14);
	for (int i = 0; i < 4; i++)
		ws_send_frame(ws, WS_CONT, false, true, chunk, 4096);
	ws_send_frame(ws, WS_CONT, true, true, "}", 1);
	json_t *err = ws_expect_error(ws, "too_large", "20 KiB in fragments");
	expect_logged(h, "20 KiB in fragments", "too_large", e2e_json_str(err, "message"));

	ws_send_text(ws, "{\"type\":\"status\",\"status\":\"online\"}");
	cr_assert(ws_expect_type(ws, "status", E2E_WAIT_MS),
	          "no status echo after the fragments; frames seen:\n%s", ws_skipped(ws));
	hub_still_serves(h);
}

E2E_TEST(hub_frames, floods_are_rate_limited)
{
	struct e2e_hub *h = start_hub();
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	ws_hello(ws, OP_USER, OP_SECRET);
	const char *frame = "{\"type\":\"status\",\"status\":\"online\"}";
	for (int i = 0; i < 400; i++)
		cr_assert(ws_send_text(ws, frame) == 0, "the hub closed the connection during the flood");
	json_t *err = ws_expect_error(ws, "rate_limited", "400 frames at once");
	expect_logged(h, "400 frames at once", "rate_limited", e2e_json_str(err, "message"));

	/* drain what it answered; after a quiet second the connection is served again */
	struct e2e_ws_frame f;
	while (ws_recv(ws, &f, 1500) > 0)
		ws_frame_free(&f);
	cr_assert(!ws_is_closed(ws), "the hub closed a flooding connection instead of limiting it");
	ws_send_text(ws, "{\"type\":\"status\",\"status\":\"away\"}");
	json_t *st = ws_expect_type(ws, "status", E2E_WAIT_MS);
	cr_assert(st, "not served again after the flood; frames seen:\n%s", ws_skipped(ws));
	hub_still_serves(h);
}

E2E_TEST(hub_frames, websocket_protocol_abuse)
{
	struct e2e_hub *h = start_hub();
	char *why = NULL;

	/* no subprotocol, or one the hub does not speak: the upgrade is refused */
	cr_assert_null(ws_connect(h->port, NULL, E2E_WAIT_MS, &why),
	               "an upgrade without a subprotocol was accepted");
	cr_log_info("no subprotocol: %s", why);
	cr_assert_null(ws_connect(h->port, "opdesk.bogus.v1", E2E_WAIT_MS, &why),
	               "an upgrade with an unknown subprotocol was accepted");
	cr_log_info("unknown subprotocol: %s", why);

	/* An unmasked client frame breaks RFC 6455 (5.1: the server MUST close the connection). libwebsockets
	 * 4.1.6 does not enforce it and the hub cannot see the mask bit, so this is only noted; what must
	 * hold is that the hub survives it. */
	struct e2e_ws *ws = ws_connect_ok(h->port, AGENT);
	ws_send_frame(ws, WS_TEXT, true, false, "{\"type\":\"take\"}", 15);
	int code = 0;
	if (!ws_wait_closed(ws, 1000, &code))
		cr_log_info(
		    "the hub (libwebsockets) kept a connection that sent an unmasked frame; it answered:\n%s",
		    ws_skipped(ws));
	ws_close(ws);

	/* garbage instead of a frame header */
	ws = ws_connect_ok(h->port, CUSTOMER);
	ws_send_raw(ws, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 14);
	cr_assert(ws_wait_closed(ws, E2E_WAIT_MS, &code), "the hub accepted a broken frame header");

	/* a close frame from the client is answered and the connection ends */
	ws = ws_connect_ok(h->port, AGENT);
	ws_send_frame(ws, WS_CLOSE, true, true, "\x03\xe8", 2);
	cr_assert(ws_wait_closed(ws, E2E_WAIT_MS, &code), "the hub did not answer a close frame");
	hub_still_serves(h);
}

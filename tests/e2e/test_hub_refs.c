/* test_hub_refs.c: a frame refused by the checks of docs/protocol.md ("How a frame is checked") names itself
 * in the error's `ref`: its `client_msg_id` when it has a readable one, else its `type`; a frame that is not
 * JSON has none. A client with several sends in flight can tell which one failed. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_refs, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static void expect_ref(struct e2e_ws *ws, const char *what, const char *frame, const char *code, const char *ref)
{
	cr_assert(ws_send_text(ws, frame) == 0, "%s: the hub closed the connection", what);
	json_t *err = ws_expect_type(ws, "error", E2E_WAIT_MS);
	cr_assert(err, "%s: no error came; frames:\n%s", what, ws_skipped(ws));
	cr_expect(strcmp(e2e_json_str(err, "code"), code) == 0, "%s: code %s, want %s (%s)", what,
	          e2e_json_str(err, "code"), code, e2e_json_str(err, "message"));
	if (ref)
		cr_expect(strcmp(e2e_json_str(err, "ref"), ref) == 0, "%s: ref \"%s\", want \"%s\"", what,
		          e2e_json_str(err, "ref"), ref);
	else
		cr_expect(!json_object_get(err, "ref"), "%s: a ref \"%s\" where none can be read", what,
		          e2e_json_str(err, "ref"));
}

static const char *text_of(size_t n)
{
	char *s = e2e_own(calloc(n + 1, 1));
	memset(s, 'x', n);
	return s;
}

E2E_TEST(hub_refs, refusals_name_the_frame)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *a = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(a, "anna", "s3cret-anna");
	expect_ref(a, "a send with 4097 bytes of text",
	           e2e_strf("{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"m-long\",\"text\":\"%s\"}", text_of(4097)),
	           "too_long", "m-long");
	expect_ref(a, "a send with an unknown field",
	           "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"m-2\",\"text\":\"hi\",\"urgent\":true}",
	           "unknown_field", "m-2");
	expect_ref(a, "a send whose dialog is 1.0", "{\"type\":\"send\",\"dialog\":1.0,\"client_msg_id\":\"m-3\",\"text\":\"hi\"}",
	           "wrong_type", "m-3");
	expect_ref(a, "a send with an empty text", "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"m-4\",\"text\":\"\"}",
	           "empty", "m-4");
	expect_ref(a, "a whisper with a dialog of 0",
	           "{\"type\":\"whisper\",\"dialog\":0,\"client_msg_id\":\"w-1\",\"text\":\"hi\"}", "out_of_range", "w-1");
	expect_ref(a, "a close without its topic", "{\"type\":\"close\",\"dialog\":1}", "missing_field", "close");
	expect_ref(a, "a claim with a wrong category", "{\"type\":\"claim\",\"dialog\":1,\"category\":\"mood\"}",
	           "out_of_range", "claim");
	expect_ref(a, "an unknown type", "{\"type\":\"fly\"}", "unknown_type", "fly");
	expect_ref(a, "not JSON", "{\"type\":\"send\",", "malformed", NULL);

	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	expect_ref(c, "an open with a wrong channel",
	           "{\"type\":\"open\",\"channel\":\"fax\",\"name\":\"Ann\",\"text\":\"hi\",\"client_msg_id\":\"c-1\"}",
	           "out_of_range", "c-1");
	expect_ref(c, "a customer message with 4097 bytes",
	           e2e_strf("{\"type\":\"message\",\"client_msg_id\":\"c-2\",\"text\":\"%s\"}", text_of(4097)), "too_long",
	           "c-2");
	expect_ref(c, "a rate of 9", "{\"type\":\"rate\",\"score\":9}", "out_of_range", "rate");
}

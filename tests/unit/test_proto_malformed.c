/* test_proto_malformed.c: a table of broken frames, each refused with the right error code and a
 * detail that names the problem, never a crash; plus the frames too big or too deep to write inline. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/proto.h"

#define A PROTO_AGENT_TO_HUB
#define H PROTO_HUB_TO_AGENT
#define C PROTO_CUSTOMER_TO_HUB
#define HC PROTO_HUB_TO_CUSTOMER

struct bad_frame {
	enum proto_dir dir;
	const char *frame;
	enum proto_errcode want;
	const char *detail_has; /* a word the detail must contain, or NULL */
};

static const struct bad_frame table[] = {
	/* not JSON at all, or not one JSON value */
	{A, "", PROTO_E_MALFORMED, NULL},
	{A, "{", PROTO_E_MALFORMED, NULL},
	{A, "{\"type\":\"take\"", PROTO_E_MALFORMED, NULL},
	{A, "{\"type\":\"take\"} x", PROTO_E_MALFORMED, NULL},
	{A, "{\"type\":\"take\"}{\"type\":\"take\"}", PROTO_E_MALFORMED, NULL},
	{A, "{type:\"take\"}", PROTO_E_MALFORMED, NULL},
	{A, "{'type':'take'}", PROTO_E_MALFORMED, NULL},
	{A, "{\"type\":\"take\",}", PROTO_E_MALFORMED, NULL},
	{A, "{\"type\":\"take\",\"type\":\"take\"}", PROTO_E_MALFORMED, NULL},
		{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"a\\u0000b\"}", PROTO_E_MALFORMED, NULL},
	/* not an object */
	{A, "[]", PROTO_E_NOT_OBJECT, NULL},
	{A, "\"take\"", PROTO_E_NOT_OBJECT, NULL},
	{A, "42", PROTO_E_NOT_OBJECT, NULL},
	{A, "null", PROTO_E_NOT_OBJECT, NULL},
	/* type */
	{A, "{}", PROTO_E_MISSING_TYPE, NULL},
	{A, "{\"type\":7}", PROTO_E_MISSING_TYPE, NULL},
	{A, "{\"type\":\"teleport\"}", PROTO_E_UNKNOWN_TYPE, "teleport"},
	{A, "{\"type\":\"welcome\"}", PROTO_E_UNKNOWN_TYPE, NULL},       /* hub -> agent only */
	{C, "{\"type\":\"take\"}", PROTO_E_UNKNOWN_TYPE, NULL},          /* agent only */
	{H, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"b\"}", PROTO_E_UNKNOWN_TYPE, NULL},
	/* fields: unknown, missing, wrong JSON type */
	{A, "{\"type\":\"take\",\"dialgo\":1}", PROTO_E_UNKNOWN_FIELD, "dialgo"},
	{A, "{\"type\":\"close\",\"dialog\":1}", PROTO_E_MISSING_FIELD, "topic"},
	{A, "{\"type\":\"send\",\"dialog\":1,\"text\":\"hi\"}", PROTO_E_MISSING_FIELD, "client_msg_id"},
	{A, "{\"type\":\"take\",\"dialog\":\"12\"}", PROTO_E_WRONG_TYPE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":1.5}", PROTO_E_WRONG_TYPE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":true}", PROTO_E_WRONG_TYPE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":null}", PROTO_E_WRONG_TYPE, "dialog"},
	{A, "{\"type\":\"typing\",\"dialog\":1,\"on\":1}", PROTO_E_WRONG_TYPE, "on"},
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":[\"hi\"]}", PROTO_E_WRONG_TYPE, "text"},
	{A, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"operator\",\"resume\":{}}", PROTO_E_WRONG_TYPE,
	 "resume"},
	{A, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"operator\",\"resume\":[{\"dialog\":1}]}",
	 PROTO_E_MISSING_FIELD, "seq"},
	/* ranges and enum words */
	{A, "{\"type\":\"take\",\"dialog\":0}", PROTO_E_OUT_OF_RANGE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":-1}", PROTO_E_OUT_OF_RANGE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":9007199254740992}", PROTO_E_OUT_OF_RANGE, "dialog"},
	{A, "{\"type\":\"take\",\"dialog\":1e400}", PROTO_E_OUT_OF_RANGE, NULL},
	{A, "{\"type\":\"take\",\"dialog\":99999999999999999999999}", PROTO_E_OUT_OF_RANGE, NULL},
	{C, "{\"type\":\"rate\",\"score\":6}", PROTO_E_OUT_OF_RANGE, "score"},
	{C, "{\"type\":\"rate\",\"score\":0}", PROTO_E_OUT_OF_RANGE, "score"},
	{C, "{\"type\":\"open\",\"channel\":\"icq\",\"name\":\"Оля\",\"text\":\"hi\"}", PROTO_E_OUT_OF_RANGE, "channel"},
	{A, "{\"type\":\"status\",\"status\":\"asleep\"}", PROTO_E_OUT_OF_RANGE, "status"},
	{A, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"god\"}", PROTO_E_OUT_OF_RANGE, "role"},
	{A, "{\"type\":\"claim\",\"dialog\":1,\"category\":\"taste\"}", PROTO_E_OUT_OF_RANGE, "category"},
	{A, "{\"type\":\"hello\",\"user\":\"an na\",\"secret\":\"x\",\"role\":\"operator\"}", PROTO_E_OUT_OF_RANGE, "user"},
	/* empty strings and cross-field rules */
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"\"}", PROTO_E_EMPTY, "text"},
	{C, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"\",\"text\":\"hi\"}", PROTO_E_EMPTY, "name"},
	{A, "{\"type\":\"transfer\",\"dialog\":1,\"queue\":\"stylist\",\"operator\":\"boris\"}", PROTO_E_MISSING_FIELD, NULL},
	{A, "{\"type\":\"transfer\",\"dialog\":1}", PROTO_E_MISSING_FIELD, NULL},
	{H, "{\"type\":\"error\",\"code\":\"ok\",\"message\":\"fine\"}", PROTO_E_OUT_OF_RANGE, "code"},
	/* invalid UTF-8 anywhere in the frame */
	{A, "{\"type\":\"take\",\"x\xff\":1}", PROTO_E_BAD_UTF8, NULL},
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"\xc0\xaf\"}", PROTO_E_BAD_UTF8, NULL},
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"\xed\xa0\x80\"}", PROTO_E_BAD_UTF8, NULL},
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"\xd0\"}", PROTO_E_BAD_UTF8, NULL},
	{A, "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"\xf4\x90\x80\x80\"}", PROTO_E_BAD_UTF8, NULL},
	/* nesting */
	{A, "{\"type\":\"take\",\"a\":[[[[[[[[[[1]]]]]]]]]]}", PROTO_E_TOO_DEEP, NULL},
};

Test(proto_malformed, every_frame_in_the_table_gets_its_error)
{
	cr_assert_geq(sizeof table / sizeof *table, 45);
	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		const struct bad_frame *b = &table[i];
		struct proto_msg m;
		struct proto_error err = {0};
		int rc = proto_decode(b->dir, b->frame, strlen(b->frame), &m, &err);
		cr_expect_eq(rc, -1, "#%zu accepted: %s", i, b->frame);
		if (rc == 0) {
			proto_msg_free(&m);
			continue;
		}
		cr_expect_eq(err.code, b->want, "#%zu %s: got %s (%s), want %s", i, b->frame, proto_errcode_name(err.code),
		             err.detail, proto_errcode_name(b->want));
		cr_expect(err.detail[0] != '\0', "#%zu has no detail", i);
		if (b->detail_has)
			cr_expect(strstr(err.detail, b->detail_has) != NULL, "#%zu detail \"%s\" does not name %s", i, err.detail,
			          b->detail_has);
	}
}

/* Build a frame whose text field is `n` bytes of `c`. */
static char *frame_with_text(size_t n, char c)
{
	const char *head = "{\"type\":\"send\",\"dialog\":1,\"client_msg_id\":\"a\",\"text\":\"";
	size_t hl = strlen(head);
	char *f = malloc(hl + n + 3);
	memcpy(f, head, hl);
	memset(f + hl, c, n);
	memcpy(f + hl + n, "\"}", 3);
	return f;
}

Test(proto_malformed, a_megabyte_frame_is_too_large)
{
	char *f = frame_with_text(1 << 20, 'a');
	struct proto_msg m;
	struct proto_error err;
	cr_assert_eq(proto_decode(A, f, strlen(f), &m, &err), -1);
	cr_assert_eq(err.code, PROTO_E_TOO_LARGE);
	free(f);
}

Test(proto_malformed, a_text_over_its_limit_is_too_long)
{
	char *f = frame_with_text(PROTO_MAX_TEXT + 1, 'b');
	struct proto_msg m;
	struct proto_error err;
	if (strlen(f) <= PROTO_MAX_FRAME_IN) {
		cr_assert_eq(proto_decode(A, f, strlen(f), &m, &err), -1);
		cr_assert_eq(err.code, PROTO_E_TOO_LONG, "%s", err.detail);
		cr_assert(strstr(err.detail, "text") != NULL);
	}
	free(f);
	/* exactly at the limit is fine */
	f = frame_with_text(PROTO_MAX_TEXT, 'b');
	cr_assert_eq(proto_decode(A, f, strlen(f), &m, &err), 0, "%s", err.detail);
	proto_msg_free(&m);
	free(f);
}

Test(proto_malformed, thousands_of_brackets_do_not_overflow_the_stack)
{
	size_t n = PROTO_MAX_FRAME_IN / 2 - 1;
	char *f = malloc(2 * n + 1);
	memset(f, '[', n);
	memset(f + n, ']', n);
	f[2 * n] = '\0';
	struct proto_msg m;
	struct proto_error err;
	int rc = proto_decode(A, f, 2 * n, &m, &err);
	free(f);
	cr_assert_eq(rc, -1);
	cr_assert_eq(err.code, PROTO_E_TOO_DEEP, "%s", proto_errcode_name(err.code));
}

Test(proto_malformed, too_many_array_items_is_too_long)
{
	size_t cap = 64 + (PROTO_MAX_ITEMS + 1) * 24;
	char *f = malloc(cap);
	size_t o = (size_t)snprintf(f, cap, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"x\",\"role\":\"operator\",\"resume\":[");
	for (int i = 0; i <= PROTO_MAX_ITEMS; i++)
		o += (size_t)snprintf(f + o, cap - o, "%s{\"dialog\":%d,\"seq\":1}", i ? "," : "", i + 1);
	o += (size_t)snprintf(f + o, cap - o, "]}");
	struct proto_msg m;
	struct proto_error err;
	cr_assert_eq(proto_decode(A, f, o, &m, &err), -1);
	cr_assert_eq(err.code, PROTO_E_TOO_LONG, "%s: %s", proto_errcode_name(err.code), err.detail);
	free(f);
}

Test(proto_malformed, the_decoder_reads_only_len_bytes)
{
	const char frame[] = "{\"type\":\"take\"}GARBAGE";
	struct proto_msg m;
	struct proto_error err;
	cr_assert_eq(proto_decode(A, frame, strlen("{\"type\":\"take\"}"), &m, &err), 0, "%s", err.detail);
	cr_assert_eq(m.type, PROTO_TAKE);
	proto_msg_free(&m);
}

/* Versioning (docs/protocol.md): a frame to the hub with a field it does not know is refused (a typo never
 * passes), a frame from the hub with one is read without it, at the top and in nested objects alike, so
 * that a newer hub's optional fields do not cut an older client off. */
Test(proto_malformed, a_field_a_newer_hub_added_is_skipped_a_field_to_the_hub_is_not)
{
	struct proto_msg m;
	struct proto_error err;
	const char *to_hub = "{\"type\":\"take\",\"dialog\":1,\"colour\":\"red\"}";
	cr_assert_eq(proto_decode(A, to_hub, strlen(to_hub), &m, &err), -1);
	cr_assert_eq(err.code, PROTO_E_UNKNOWN_FIELD);
	const char *from_hub = "{\"type\":\"queue\",\"total\":1,\"mood\":\"calm\",\"items\":[{\"dialog\":14,"
	                       "\"customer\":\"Мария\",\"channel\":\"vk\",\"queue\":\"general\",\"since\":1,"
	                       "\"preview\":\"Где мой заказ?\",\"vip\":true}]}";
	cr_assert_eq(proto_decode(H, from_hub, strlen(from_hub), &m, &err), 0, "%s", err.detail);
	cr_assert_eq(m.type, PROTO_QUEUE);
	cr_assert_eq(m.n_items, 1);
	proto_msg_free(&m);
	/* a field of the right name still has to have the right type */
	const char *wrong = "{\"type\":\"queue\",\"total\":\"one\",\"items\":[]}";
	cr_assert_eq(proto_decode(H, wrong, strlen(wrong), &m, &err), -1);
	cr_assert_eq(err.code, PROTO_E_WRONG_TYPE);
}

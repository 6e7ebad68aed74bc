/* fuzz_proto.c: the protocol codec (proto.h). For every direction the input is decoded; a frame that decodes
 * must encode, its encoding must decode again, and encoding that again must give the same bytes
 * (decode -> encode -> decode is stable). The sanitizers catch any memory error on the way. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, enum proto_dir dir, const struct proto_error *err)
{
	fprintf(stderr, "fuzz_proto: dir %d: %s: %s\n", (int)dir, what, err ? err->detail : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum proto_dir dirs[] = {PROTO_AGENT_TO_HUB, PROTO_HUB_TO_AGENT, PROTO_CUSTOMER_TO_HUB,
	                                      PROTO_HUB_TO_CUSTOMER, PROTO_BRIDGE_TO_HUB, PROTO_HUB_TO_BRIDGE};
	for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
		enum proto_dir dir = dirs[d];
		struct proto_msg m1, m2;
		struct proto_error err;
		if (proto_decode(dir, (const char *)data, size, &m1, &err) < 0)
			continue;
		size_t len1, len2;
		char *e1 = proto_encode(dir, &m1, &len1, &err);
		if (!e1)
			fail("a decoded frame does not encode", dir, &err);
		if (proto_decode(dir, e1, len1, &m2, &err) < 0)
			fail("an encoded frame does not decode", dir, &err);
		char *e2 = proto_encode(dir, &m2, &len2, &err);
		if (!e2)
			fail("a re-decoded frame does not encode", dir, &err);
		if (len1 != len2 || memcmp(e1, e2, len1) != 0) {
			fprintf(stderr, "fuzz_proto: first:  %s\nfuzz_proto: second: %s\n", e1, e2);
			fail("encode(decode(encode(decode(x)))) differs from encode(decode(x))", dir, NULL);
		}
		free(e1);
		free(e2);
		proto_msg_free(&m1);
		proto_msg_free(&m2);
	}
	return 0;
}

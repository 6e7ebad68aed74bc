/* test_proto_roundtrip.c: every message type of every direction, filled in full from the schema table
 * itself (so a new type or field is covered without touching this file), survives encode -> decode ->
 * encode byte for byte; and the enum words map both ways. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/proto_schema.h"

/* A value for a field, varied by a counter so that two fields never share one by accident. */
static char *sample_text(const struct pf_field *f, unsigned n)
{
	char buf[256];
	if (f->flags & PF_USERNAME)
		snprintf(buf, sizeof buf, "user.%u", n);
	else if (strcmp(f->name, "topic") == 0)
		snprintf(buf, sizeof buf, "%s", proto_topics[n % proto_n_topics]);
	else if (strcmp(f->name, "code") == 0)
		snprintf(buf, sizeof buf, "%s", proto_errcode_name(PROTO_E_STORAGE));
	else
		snprintf(buf, sizeof buf, "Заказ №%u готов 🚚 \"кавычки\" \\ tab\t%u", n, n);
	size_t max = (size_t)f->max;
	if (max && strlen(buf) > max)
		buf[max] = '\0';
	return strdup(buf);
}

static void fill(const struct pf_schema *s, void *base, unsigned *counter)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct pf_field *f = &s->fields[i];
		char *at = (char *)base + f->off;
		unsigned n = ++*counter;
		switch (f->kind) {
		case PF_INT: {
			int64_t v = f->min + (int64_t)n;
			*(int64_t *)at = v > f->max ? f->max : v;
			break;
		}
		case PF_INT32: {
			int64_t v = f->min + (int64_t)(n % (unsigned)(f->max - f->min + 1));
			*(int *)at = (int)v;
			break;
		}
		case PF_BOOL:
			*(bool *)at = true;
			break;
		case PF_STR:
			*(char **)at = sample_text(f, n);
			break;
		case PF_ENUM:
			*(int *)at = (int)(n % (unsigned)f->n_words);
			break;
		case PF_OBJECT:
			fill(f->sub, at, counter);
			break;
		case PF_ARRAY:
		case PF_ONE: {
			size_t count = f->kind == PF_ONE ? 1 : 2;
			char *elems = calloc(count, f->elem_size);
			for (size_t k = 0; k < count; k++)
				fill(f->sub, elems + k * f->elem_size, counter);
			*(void **)at = elems;
			*(size_t *)((char *)base + f->count_off) = count;
			break;
		}
		}
	}
}

/* A transfer names a queue or an operator, never both. */
static void fix_cross_field_rules(struct proto_msg *m)
{
	if (m->type == PROTO_TRANSFER) {
		free(m->operator_name);
		m->operator_name = NULL;
	}
}

Test(proto_roundtrip, every_type_of_every_direction_is_byte_stable)
{
	int covered = 0;
	for (size_t t = 0; t < pf_n_types; t++) {
		for (int dir = PROTO_AGENT_TO_HUB; dir < PROTO_DIR_COUNT; dir++) {
			if (!(pf_types[t].dirs & PROTO_DIR_BIT(dir)))
				continue;
			struct proto_msg m = {.type = pf_types[t].type};
			unsigned counter = 0;
			fill(&pf_types[t].schema, &m, &counter);
			fix_cross_field_rules(&m);
			struct proto_error err = {0};
			size_t len1 = 0, len2 = 0;
			char *one = proto_encode((enum proto_dir)dir, &m, &len1, &err);
			cr_assert_not_null(one, "encode %s (dir %d): %s", pf_types[t].schema.name, dir, err.detail);
			struct proto_msg back;
			cr_assert_eq(proto_decode((enum proto_dir)dir, one, len1, &back, &err), 0, "decode %s: %s\n%s",
			             pf_types[t].schema.name, err.detail, one);
			cr_assert_eq(back.type, m.type);
			char *two = proto_encode((enum proto_dir)dir, &back, &len2, &err);
			cr_assert_not_null(two, "re-encode %s: %s", pf_types[t].schema.name, err.detail);
			cr_assert_eq(len1, len2);
			cr_assert_str_eq(one, two, "%s changed on the way round", pf_types[t].schema.name);
			/* Every field the filler set is on the wire. */
			for (size_t i = 0; i < pf_types[t].schema.n_fields; i++) {
				const struct pf_field *f = &pf_types[t].schema.fields[i];
				char key[80];
				snprintf(key, sizeof key, "\"%s\":", f->name);
				if (m.type == PROTO_TRANSFER && strcmp(f->name, "operator") == 0)
					continue;
				cr_expect_not_null(strstr(one, key), "%s lost field %s", pf_types[t].schema.name, f->name);
			}
			free(one);
			free(two);
			proto_msg_free(&back);
			proto_msg_free(&m);
			covered++;
		}
	}
	cr_assert_geq(covered, (int)pf_n_types, "only %d (type, direction) pairs", covered);
}

Test(proto_roundtrip, a_type_is_refused_in_a_direction_it_does_not_travel)
{
	struct proto_msg m = {.type = PROTO_WELCOME};
	struct proto_error err = {0};
	size_t len;
	cr_assert_null(proto_encode(PROTO_AGENT_TO_HUB, &m, &len, &err));
	cr_assert_eq(err.code, PROTO_E_UNKNOWN_TYPE);
}

Test(proto_roundtrip, enum_words_map_both_ways)
{
	for (int c = 0; c < PROTO_CH_COUNT; c++)
		cr_assert_eq(proto_channel_parse(proto_channel_name((enum proto_channel)c)), c);
	for (int r = 0; r < PROTO_ROLE_COUNT; r++)
		cr_assert_eq(proto_role_parse(proto_role_name((enum proto_role)r)), r);
	for (int k = 0; k < PROTO_CLAIM_COUNT; k++)
		cr_assert_eq(proto_claim_parse(proto_claim_name((enum proto_claim)k)), k);
	cr_assert_eq(proto_channel_parse("icq"), -1);
	cr_assert_eq(proto_claim_parse(NULL), -1);
	cr_assert_str_eq(proto_claim_name(PROTO_CLAIM_DELIVERY), "delivery");
	cr_assert_str_eq(proto_role_name(PROTO_ROLE_ADMIN), "admin");
}

Test(proto_roundtrip, every_error_code_has_its_own_word)
{
	for (int a = 0; a < PROTO_E_COUNT; a++) {
		const char *wa = proto_errcode_name((enum proto_errcode)a);
		cr_assert(wa && *wa && strcmp(wa, "?") != 0, "code %d has no word", a);
		for (int b = 0; b < a; b++)
			cr_assert_str_neq(wa, proto_errcode_name((enum proto_errcode)b));
	}
	cr_assert_str_eq(proto_errcode_name(PROTO_E_BAD_UTF8), "bad_utf8");
	cr_assert_str_eq(proto_type_name(PROTO_CLAIM), "claim");
}

Test(proto_roundtrip, error_frames_carry_code_message_and_ref)
{
	size_t len;
	char *f = proto_encode_error(PROTO_HUB_TO_AGENT, PROTO_E_CAPACITY, "at capacity: 4 of 4", "m-1", &len);
	cr_assert_not_null(f);
	struct proto_msg m;
	struct proto_error err;
	cr_assert_eq(proto_decode(PROTO_HUB_TO_AGENT, f, len, &m, &err), 0, "%s", err.detail);
	cr_assert_str_eq(m.code, "capacity");
	cr_assert_str_eq(m.message, "at capacity: 4 of 4");
	cr_assert_str_eq(m.ref, "m-1");
	proto_msg_free(&m);
	free(f);
}

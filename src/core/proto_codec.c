/* proto_codec.c: JSON <-> struct proto_msg for protocol v1, driven by the tables in proto_schema.c.
 * Decoding trusts nothing: size, UTF-8, nesting depth, JSON syntax, then every field's presence, JSON
 * type, range and length. Encoding checks the same limits, so no side can emit what the other refuses. */
#include "proto_schema.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN 96

static int fail(struct proto_error *err, enum proto_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct proto_error *err, enum proto_errcode code, const char *fmt, ...)
{
	va_list ap;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
	va_end(ap);
	/* vsnprintf may cut a multi-byte character: trim to the last whole one. */
	size_t n = strlen(err->detail);
	while (n > 0 && !utf8_valid(err->detail, n))
		err->detail[--n] = '\0';
	return -1;
}

/* Copy at most `max` bytes of untrusted s into out, cut at a character boundary. */
static const char *clip(const char *s, char *out, size_t max)
{
	size_t n = strlen(s);
	if (n > max)
		n = max;
	while (n > 0 && !utf8_valid(s, n))
		n--;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static void path_join(char *out, const char *parent, const char *name)
{
	if (parent[0])
		snprintf(out, PATH_MAX_LEN, "%s.%s", parent, name);
	else
		snprintf(out, PATH_MAX_LEN, "%s", name);
}

static bool is_to_hub(enum proto_dir dir)
{
	return dir == PROTO_AGENT_TO_HUB || dir == PROTO_CUSTOMER_TO_HUB || dir == PROTO_BRIDGE_TO_HUB;
}

static const char *dir_words(enum proto_dir dir)
{
	static const char *const w[] = { "by an agent", "to an agent", "by a customer", "to a customer",
					 "by a bridge", "to a bridge" };
	_Static_assert(sizeof w / sizeof *w == PROTO_DIR_COUNT, "one phrase per direction");
	return w[dir];
}

/* ---- checks shared by both directions ---- */

static int check_int(const struct pf_field *f, int64_t v, const char *path, struct proto_error *err)
{
	if (v < f->min || v > f->max)
		return fail(err, PROTO_E_OUT_OF_RANGE, "field \"%s\": %lld is not in %lld..%lld", path,
			    (long long)v, (long long)f->min, (long long)f->max);
	return 0;
}

static bool username_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

static int check_str(const struct pf_field *f, const char *s, size_t len, const char *path,
		     struct proto_error *err)
{
	if (strlen(s) != len)
		return fail(err, PROTO_E_MALFORMED, "field \"%s\": contains a NUL character", path);
	if (!utf8_valid(s, len))
		return fail(err, PROTO_E_BAD_UTF8, "field \"%s\": not valid UTF-8", path);
	if (len == 0 && f->min > 0)
		return fail(err, PROTO_E_EMPTY, "field \"%s\": must not be empty", path);
	if ((int64_t)len > f->max)
		return fail(err, PROTO_E_TOO_LONG, "field \"%s\": %zu bytes is over the limit of %lld", path,
			    len, (long long)f->max);
	if ((f->flags & PF_USERNAME) && !username_ok(s))
		return fail(err, PROTO_E_OUT_OF_RANGE,
			    "field \"%s\": only letters, digits, '.', '_' and '-' are allowed", path);
	return 0;
}

static int check_semantics(const struct proto_msg *m, struct proto_error *err)
{
	if (m->type == PROTO_TRANSFER && !m->queue == !m->operator_name)
		return fail(err, PROTO_E_MISSING_FIELD, "\"transfer\" needs exactly one of \"queue\" and \"operator\"");
	if (m->type == PROTO_ERROR && m->code && proto_errcode_parse(m->code) <= PROTO_OK) {
		char c[40];
		return fail(err, PROTO_E_OUT_OF_RANGE, "field \"code\": \"%s\" is not a known error code",
			    clip(m->code, c, sizeof c - 1));
	}
	return 0;
}

/* ---- decoding ---- */

/* How an object is read: the frame's top level (its "type" is not a field), and whether a field the schema does
 * not know is skipped (frames from the hub: a newer hub may add fields, docs/protocol.md "Versioning") rather
 * than refused (frames to the hub: a typo never passes). */
enum { DECODE_TOP = 1, DECODE_LENIENT = 2 };

static int decode_object(const struct pf_schema *sch, json_t *obj, char *base, const char *parent,
			 unsigned how, struct proto_error *err);

static int decode_field(const struct pf_field *f, json_t *v, char *base, const char *path, unsigned how,
			struct proto_error *err)
{
	void *at = base + f->off;
	switch (f->kind) {
	case PF_INT:
	case PF_INT32: {
		if (!json_is_integer(v))
			return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be an integer", path);
		int64_t n = json_integer_value(v);
		if (check_int(f, n, path, err))
			return -1;
		if (f->kind == PF_INT)
			*(int64_t *)at = n;
		else
			*(int *)at = (int)n;
		return 0;
	}
	case PF_BOOL:
		if (!json_is_boolean(v))
			return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be true or false", path);
		*(bool *)at = json_is_true(v);
		return 0;
	case PF_STR: {
		if (!json_is_string(v))
			return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be a string", path);
		const char *s = json_string_value(v);
		size_t len = json_string_length(v);
		if (check_str(f, s, len, path, err))
			return -1;
		*(char **)at = xstrndup(s, len);
		return 0;
	}
	case PF_ENUM: {
		if (!json_is_string(v))
			return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be a string", path);
		const char *s = json_string_value(v);
		for (int i = 0; i < f->n_words; i++)
			if (strcmp(s, f->words[i]) == 0) {
				*(int *)at = i;
				return 0;
			}
		char w[40], list[128] = "";
		for (int i = 0; i < f->n_words; i++) {
			strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
			strncat(list, f->words[i], sizeof list - strlen(list) - 1);
		}
		return fail(err, PROTO_E_OUT_OF_RANGE, "field \"%s\": \"%s\" is not one of %s", path,
			    clip(s, w, sizeof w - 1), list);
	}
	case PF_OBJECT:
		if (!json_is_object(v))
			return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be an object", path);
		return decode_object(f->sub, v, at, path, how & DECODE_LENIENT, err);
	case PF_ONE:
	case PF_ARRAY: {
		size_t n = 1;
		if (f->kind == PF_ONE) {
			if (!json_is_object(v))
				return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be an object", path);
		} else {
			if (!json_is_array(v))
				return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be an array", path);
			n = json_array_size(v);
			if ((int64_t)n > f->max)
				return fail(err, PROTO_E_TOO_LONG, "field \"%s\": %zu items is over the limit of %lld",
					    path, n, (long long)f->max);
		}
		if (n == 0)
			return 0;
		char *elems = xcalloc(n, f->elem_size);
		*(void **)at = elems;
		*(size_t *)(base + f->count_off) = n; /* set now so a failure part-way frees what was filled */
		for (size_t i = 0; i < n; i++) {
			json_t *e = f->kind == PF_ONE ? v : json_array_get(v, i);
			char sub[PATH_MAX_LEN];
			/* paths are short (nesting is at most PROTO_MAX_DEPTH); a cut one only shortens a message */
			int w = f->kind == PF_ONE ? snprintf(sub, sizeof sub, "%s", path)
			                          : snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (w >= (int)sizeof sub)
				sub[sizeof sub - 1] = '\0';
			if (!json_is_object(e))
				return fail(err, PROTO_E_WRONG_TYPE, "field \"%s\": must be an object", sub);
			if (decode_object(f->sub, e, elems + i * f->elem_size, sub, how & DECODE_LENIENT, err))
				return -1;
		}
		return 0;
	}
	}
	return fail(err, PROTO_E_INTERNAL, "field \"%s\": unknown kind", path);
}

static int decode_object(const struct pf_schema *sch, json_t *obj, char *base, const char *parent,
			 unsigned how, struct proto_error *err)
{
	bool top = how & DECODE_TOP;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (top && strcmp(key, "type") == 0)
			continue;
		bool known = false;
		for (size_t i = 0; i < sch->n_fields && !known; i++)
			known = strcmp(sch->fields[i].name, key) == 0;
		if (!known && !(how & DECODE_LENIENT)) {
			char k[40];
			return fail(err, PROTO_E_UNKNOWN_FIELD, "unknown field \"%s\" in \"%s\"",
				    clip(key, k, sizeof k - 1), parent[0] ? parent : sch->name);
		}
	}
	for (size_t i = 0; i < sch->n_fields; i++) {
		const struct pf_field *f = &sch->fields[i];
		char path[PATH_MAX_LEN];
		path_join(path, parent, f->name);
		v = json_object_get(obj, f->name);
		if (!v) {
			if (f->flags & PF_REQ)
				return fail(err, PROTO_E_MISSING_FIELD, "field \"%s\" is missing in \"%s\"", path,
					    parent[0] ? parent : sch->name);
			continue;
		}
		if (decode_field(f, v, base, path, how, err))
			return -1;
	}
	return 0;
}

/* Nesting depth of a JSON text, counted outside strings, without parsing it. */
int proto_json_depth_over(const char *buf, size_t len, int limit)
{
	int depth = 0;
	bool in_str = false, esc = false;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (in_str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > limit)
				return 1;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

int proto_decode(enum proto_dir dir, const char *buf, size_t len, struct proto_msg *out, struct proto_error *err)
{
	memset(out, 0, sizeof *out);
	err->code = PROTO_OK;
	err->detail[0] = '\0';
	size_t limit = is_to_hub(dir) ? PROTO_MAX_FRAME_IN : PROTO_MAX_FRAME_OUT;
	if (len > limit)
		return fail(err, PROTO_E_TOO_LARGE, "frame of %zu bytes is over the limit of %zu", len, limit);
	if (len == 0)
		return fail(err, PROTO_E_MALFORMED, "empty frame");
	if (!utf8_valid(buf, len))
		return fail(err, PROTO_E_BAD_UTF8, "frame is not valid UTF-8");
	if (proto_json_depth_over(buf, len, PROTO_MAX_DEPTH))
		return fail(err, PROTO_E_TOO_DEEP, "JSON nested deeper than %d levels", PROTO_MAX_DEPTH);

	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root) {
		if (json_error_code(&je) == json_error_numeric_overflow)
			return fail(err, PROTO_E_OUT_OF_RANGE, "number out of range at byte %d", je.position);
		return fail(err, PROTO_E_MALFORMED, "invalid JSON at byte %d: %s", je.position, je.text);
	}
	int rc = proto_decode_value(dir, root, out, err);
	json_decref(root);
	return rc;
}

int proto_decode_value(enum proto_dir dir, json_t *root, struct proto_msg *out, struct proto_error *err)
{
	memset(out, 0, sizeof *out);
	err->code = PROTO_OK;
	err->detail[0] = '\0';
	int rc = -1;
	json_t *type = json_object_get(root, "type");
	const struct pf_type *spec;
	if (!json_is_object(root)) {
		fail(err, PROTO_E_NOT_OBJECT, "a frame must be a JSON object");
	} else if (!json_is_string(type)) {
		fail(err, PROTO_E_MISSING_TYPE, "the \"type\" string is missing");
	} else if (!(spec = pf_type_find(dir, json_string_value(type)))) {
		char t[40];
		fail(err, PROTO_E_UNKNOWN_TYPE, "\"%s\" is not a message sent %s",
		     clip(json_string_value(type), t, sizeof t - 1), dir_words(dir));
	} else {
		out->type = spec->type;
		bool from_hub = dir == PROTO_HUB_TO_AGENT || dir == PROTO_HUB_TO_CUSTOMER || dir == PROTO_HUB_TO_BRIDGE;
		rc = decode_object(&spec->schema, root, (char *)out, "", DECODE_TOP | (from_hub ? DECODE_LENIENT : 0), err);
		if (rc == 0)
			rc = check_semantics(out, err);
	}
	if (rc) {
		proto_msg_free(out);
		return -1;
	}
	return 0;
}

/* ---- encoding ---- */

static int encode_object(const struct pf_schema *sch, const char *base, json_t *obj, const char *parent,
			 struct proto_error *err);

static bool field_absent(const struct pf_field *f, const char *base)
{
	const void *at = base + f->off;
	switch (f->kind) {
	case PF_INT:
		return *(const int64_t *)at == 0;
	case PF_INT32:
		return *(const int *)at == 0;
	case PF_BOOL:
		return !*(const bool *)at;
	case PF_STR:
		return *(char *const *)at == NULL;
	case PF_ARRAY:
	case PF_ONE:
		return *(const size_t *)(base + f->count_off) == 0;
	case PF_ENUM:
		return false;
	case PF_OBJECT: /* an optional object is absent when none of its fields is set */
		for (size_t i = 0; i < f->sub->n_fields; i++)
			if ((f->sub->fields[i].flags & PF_REQ) || !field_absent(&f->sub->fields[i], (const char *)at))
				return false;
		return true;
	}
	return false;
}

static json_t *encode_field(const struct pf_field *f, const char *base, const char *path, struct proto_error *err)
{
	const void *at = base + f->off;
	switch (f->kind) {
	case PF_INT:
	case PF_INT32: {
		int64_t n = f->kind == PF_INT ? *(const int64_t *)at : *(const int *)at;
		return check_int(f, n, path, err) ? NULL : json_integer(n);
	}
	case PF_BOOL:
		return json_boolean(*(const bool *)at);
	case PF_STR: {
		const char *s = *(char *const *)at;
		if (!s) {
			fail(err, PROTO_E_MISSING_FIELD, "field \"%s\" is missing", path);
			return NULL;
		}
		return check_str(f, s, strlen(s), path, err) ? NULL : json_string(s);
	}
	case PF_ENUM: {
		int e = *(const int *)at;
		if (e < 0 || e >= f->n_words) {
			fail(err, PROTO_E_OUT_OF_RANGE, "field \"%s\": %d is not a valid value", path, e);
			return NULL;
		}
		return json_string(f->words[e]);
	}
	case PF_OBJECT: {
		json_t *o = json_object();
		if (encode_object(f->sub, at, o, path, err)) {
			json_decref(o);
			return NULL;
		}
		return o;
	}
	case PF_ONE:
	case PF_ARRAY: {
		size_t n = *(const size_t *)(base + f->count_off);
		const char *elems = *(char *const *)at;
		if ((int64_t)n > f->max || (f->kind == PF_ONE && n != 1) || (n && !elems)) {
			fail(err, PROTO_E_TOO_LONG, "field \"%s\": %zu items, limit %lld", path, n, (long long)f->max);
			return NULL;
		}
		json_t *arr = f->kind == PF_ONE ? NULL : json_array();
		for (size_t i = 0; i < n; i++) {
			char sub[PATH_MAX_LEN];
			if (snprintf(sub, sizeof sub, "%s[%zu]", path, i) >= (int)sizeof sub)
				sub[sizeof sub - 1] = '\0'; /* a cut path only shortens an error message */
			json_t *o = json_object();
			if (encode_object(f->sub, elems + i * f->elem_size, o, sub, err)) {
				json_decref(o);
				json_decref(arr);
				return NULL;
			}
			if (f->kind == PF_ONE)
				return o;
			json_array_append_new(arr, o);
		}
		return arr;
	}
	}
	return NULL;
}

static int encode_object(const struct pf_schema *sch, const char *base, json_t *obj, const char *parent,
			 struct proto_error *err)
{
	for (size_t i = 0; i < sch->n_fields; i++) {
		const struct pf_field *f = &sch->fields[i];
		if (!(f->flags & PF_REQ) && field_absent(f, base))
			continue;
		char path[PATH_MAX_LEN];
		path_join(path, parent, f->name);
		json_t *v = encode_field(f, base, path, err);
		if (!v)
			return -1;
		json_object_set_new(obj, f->name, v);
	}
	return 0;
}

char *proto_encode(enum proto_dir dir, const struct proto_msg *msg, size_t *len, struct proto_error *err)
{
	err->code = PROTO_OK;
	err->detail[0] = '\0';
	const struct pf_type *spec = pf_type_lookup(dir, msg->type);
	if (!spec) {
		fail(err, PROTO_E_UNKNOWN_TYPE, "\"%s\" is not a message sent %s", proto_type_name(msg->type),
		     dir_words(dir));
		return NULL;
	}
	if (check_semantics(msg, err))
		return NULL;
	json_t *obj = json_object();
	json_object_set_new(obj, "type", json_string(spec->schema.name));
	if (encode_object(&spec->schema, (const char *)msg, obj, "", err)) {
		json_decref(obj);
		return NULL;
	}
	char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (!s) {
		fail(err, PROTO_E_INTERNAL, "JSON encoder failed");
		return NULL;
	}
	size_t n = strlen(s);
	size_t limit = is_to_hub(dir) ? PROTO_MAX_FRAME_IN : PROTO_MAX_FRAME_OUT;
	if (n > limit) {
		free(s);
		fail(err, PROTO_E_TOO_LARGE, "frame of %zu bytes is over the limit of %zu", n, limit);
		return NULL;
	}
	if (len)
		*len = n;
	return s;
}

char *proto_encode_error(enum proto_dir dir, enum proto_errcode code, const char *message, const char *ref,
			 size_t *len)
{
	char text[PROTO_MAX_ERRMSG + 1], r[PROTO_MAX_ID + 1];
	struct proto_msg m = { .type = PROTO_ERROR };
	m.code = (char *)proto_errcode_name(code);
	m.message = (char *)clip(message && *message ? message : m.code, text, PROTO_MAX_ERRMSG);
	if (!m.message[0])
		m.message = m.code;
	m.ref = ref && *ref ? (char *)clip(ref, r, PROTO_MAX_ID) : NULL;
	if (m.ref && !m.ref[0])
		m.ref = NULL;
	struct proto_error err;
	return proto_encode(dir, &m, len, &err);
}

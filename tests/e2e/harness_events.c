/* harness_events.c: reading opdesk-sim's --events file (one JSON object per line, appended as the
 * simulated customers see and do things) and waiting, bounded, for a line to appear. */
#include "harness.h"

#include <string.h>

#include "opdesk/xalloc.h"

/* Does the JSON line `obj` have "ev" == ev and (if key) key == value? */
static bool events_match(json_t *obj, const char *ev, const char *key, const char *value)
{
	if (!json_is_object(obj) || strcmp(e2e_json_str(obj, "ev"), ev) != 0)
		return false;
	if (!key)
		return true;
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return strcmp(json_string_value(v), value) == 0;
	if (json_is_integer(v)) {
		char num[32];
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		return strcmp(num, value) == 0;
	}
	return false;
}

struct events_query {
	const char *ev, *key, *value, *substr;
	json_t *found; /* JSON queries */
	char *line;    /* substring queries */
	size_t count;
};

/* Walk the complete lines of data (a line still being written has no '\n' yet). */
static bool events_scan(const char *data, size_t len, void *arg)
{
	struct events_query *q = arg;
	const char *p = data, *end = data + len;
	q->count = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		size_t n = (size_t)(nl - p);
		if (q->substr) {
			if (memmem(p, n, q->substr, strlen(q->substr))) {
				q->line = xstrndup(p, n);
				return true;
			}
		} else {
			json_t *obj = json_loadb(p, n, 0, NULL);
			if (obj && events_match(obj, q->ev, q->key, q->value)) {
				q->count++;
				if (!q->found) {
					q->found = obj;
					obj = NULL;
				}
			}
			json_decref(obj);
		}
		p = nl + 1;
	}
	return q->found != NULL;
}

char *e2e_events_wait_line(const char *path, const char *substr, int timeout_ms)
{
	struct events_query q = {.substr = substr};
	e2e_file_wait(path, events_scan, &q, timeout_ms);
	return e2e_own(q.line);
}

json_t *e2e_events_wait(const char *path, const char *ev, const char *key, const char *value, int timeout_ms)
{
	struct events_query q = {.ev = ev, .key = key, .value = value};
	e2e_file_wait(path, events_scan, &q, timeout_ms);
	return e2e_own_json(q.found);
}

size_t e2e_events_count(const char *path, const char *ev, const char *key, const char *value)
{
	size_t len;
	char *data = e2e_slurp(path, &len);
	if (!data)
		return 0;
	struct events_query q = {.ev = ev, .key = key, .value = value};
	events_scan(data, len, &q);
	json_decref(q.found);
	return q.count;
}

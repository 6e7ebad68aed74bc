/* canned_file.c: the operator's own canned replies, a JSON file (docs/config.md) read at start and kept
 * after the hub's replies in the picker. */
#include "opdesk/canned.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/xalloc.h"

static const char *const canned_fields[] = {"id", "shortcut", "category", "title", "text"};

int canned_load_file(const char *path, bool must_exist, struct proto_canned **out, size_t *n, char *err,
                     size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (!must_exist && access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	int rc = 0;
	if (!json_is_array(root)) {
		snprintf(err, errlen, "%s: must hold a JSON array of replies", path);
		rc = -1;
	}
	size_t count = rc == 0 ? json_array_size(root) : 0;
	struct proto_canned *v = count ? xcalloc(count, sizeof *v) : NULL;
	for (size_t i = 0; rc == 0 && i < count; i++) {
		json_t *o = json_array_get(root, i);
		if (!json_is_object(o)) {
			snprintf(err, errlen, "%s: reply %zu is not an object", path, i + 1);
			rc = -1;
			break;
		}
		const char *k;
		json_t *val;
		json_object_foreach(o, k, val) {
			bool known = false;
			for (size_t f = 0; f < sizeof canned_fields / sizeof *canned_fields; f++)
				known |= strcmp(k, canned_fields[f]) == 0;
			if (!known || !json_is_string(val)) {
				snprintf(err, errlen, "%s: reply %zu: %s \"%s\"", path, i + 1,
				         known ? "not a string:" : "unknown field", k);
				rc = -1;
				break;
			}
		}
		const char *title = json_string_value(json_object_get(o, "title"));
		const char *text = json_string_value(json_object_get(o, "text"));
		if (rc == 0 && (!title || !*title || !text || !*text)) {
			snprintf(err, errlen, "%s: reply %zu needs a \"title\" and a \"text\"", path, i + 1);
			rc = -1;
		}
		if (rc == 0 && strlen(text) > PROTO_MAX_TEXT) {
			snprintf(err, errlen, "%s: reply %zu: the text is over %d bytes", path, i + 1, PROTO_MAX_TEXT);
			rc = -1;
		}
		if (rc != 0)
			break;
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *sc = json_string_value(json_object_get(o, "shortcut"));
		const char *cat = json_string_value(json_object_get(o, "category"));
		v[i].id = id ? xstrdup(id) : xasprintf("own.%zu", i + 1);
		v[i].shortcut = xstrdup(sc ? sc : "");
		v[i].category = xstrdup(cat && *cat ? cat : "own");
		v[i].title = xstrdup(title);
		v[i].text = xstrdup(text);
	}
	json_decref(root);
	if (rc != 0) {
		for (size_t i = 0; i < count; i++)
			proto_canned_free(&v[i]);
		free(v);
		return -1;
	}
	*out = v;
	*n = count;
	return 0;
}

char *canned_default_path(void)
{
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (cfg && *cfg == '/')
		return xasprintf("%s/opdesk/canned.json", cfg);
	if (home && *home)
		return xasprintf("%s/.config/opdesk/canned.json", home);
	return NULL;
}

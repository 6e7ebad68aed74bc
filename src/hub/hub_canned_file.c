/* hub_canned_file.c: `opdesk-hub canned export|import FILE`: the canned replies as a JSON array of
 * {id, lang, shortcut, category, title, text}; import adds new replies and replaces those with the same id,
 * in one transaction, after checking every entry. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_canned.h"
#include "opdesk/hub_db.h"
#include "opdesk/proto.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

static const char *const canned_cols[] = {"id", "lang", "shortcut", "category", "title", "text"};
#define N_COLS (sizeof canned_cols / sizeof *canned_cols)

int hub_canned_export(struct hub_db *db, const char *path, char **cause)
{
	struct hub_db_canned_row *v;
	size_t n;
	if (hub_db_canned_all(db, &v, &n) != HUB_DB_OK) {
		*cause = xstrdup(hub_db_errmsg(db));
		return -1;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *f[N_COLS] = { v[i].id, v[i].lang, v[i].shortcut, v[i].category, v[i].title, v[i].text };
		json_t *o = json_object();
		for (size_t c = 0; c < N_COLS; c++)
			json_object_set_new(o, canned_cols[c], json_string(f[c]));
		json_array_append_new(arr, o);
	}
	hub_db_canned_rows_free(v, n);
	int rc = strcmp(path, "-") == 0 ? json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
	                                : json_dump_file(arr, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(arr);
	if (rc != 0) {
		*cause = xasprintf("%s: cannot write the file", path);
		return -1;
	}
	if (strcmp(path, "-") == 0)
		fputc('\n', stdout);
	fprintf(stderr, "opdesk-hub: exported %zu canned replies\n", n);
	return 0;
}

/* Check one entry; returns NULL or what is wrong (static). */
static const char *canned_entry_problem(json_t *o)
{
	if (!json_is_object(o))
		return "not an object";
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool known = false;
		for (size_t c = 0; c < N_COLS; c++)
			known |= strcmp(k, canned_cols[c]) == 0;
		if (!known)
			return "unknown field (use id, lang, shortcut, category, title, text)";
		if (!json_is_string(v) || !utf8_valid(json_string_value(v), strlen(json_string_value(v))))
			return "a field that is not a UTF-8 string";
	}
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *title = json_string_value(json_object_get(o, "title"));
	const char *text = json_string_value(json_object_get(o, "text"));
	const char *cat = json_string_value(json_object_get(o, "category"));
	if (!id || !*id || strlen(id) > PROTO_MAX_ID)
		return "no id (or one over 64 bytes)";
	if (!title || !*title || strlen(title) > PROTO_MAX_PREVIEW)
		return "no title (or one over 200 bytes)";
	if (!text || !*text || strlen(text) > PROTO_MAX_TEXT)
		return "no text (or one over 4096 bytes)";
	if (!cat || !*cat)
		return "no category";
	return NULL;
}

int hub_canned_import(struct hub_db *db, const char *path, char **cause)
{
	json_error_t je;
	json_t *arr = strcmp(path, "-") == 0 ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
	                                     : json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!arr) {
		*cause = xasprintf("%s:%d: %s", path, je.line, je.text);
		return -1;
	}
	if (!json_is_array(arr)) {
		json_decref(arr);
		*cause = xasprintf("%s: must hold a JSON array of replies", path);
		return -1;
	}
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *why = canned_entry_problem(o);
		if (why) {
			*cause = xasprintf("%s: reply %zu: %s", path, i + 1, why);
			json_decref(arr);
			return -1;
		}
	}
	size_t n = json_array_size(arr);
	struct hub_db_canned_row *rows = xcalloc(n ? n : 1, sizeof *rows);
	json_array_foreach(arr, i, o) {
		char **f[N_COLS] = { &rows[i].id, &rows[i].lang, &rows[i].shortcut, &rows[i].category, &rows[i].title,
				     &rows[i].text };
		for (size_t c = 0; c < N_COLS; c++) {
			const char *v = json_string_value(json_object_get(o, canned_cols[c]));
			if (!v && c == 1)
				v = "ru"; /* replies without a language are Russian, as the shop's customers write */
			*f[c] = xstrdup(v ? v : "");
		}
	}
	int rc = hub_db_canned_put(db, rows, n);
	hub_db_canned_rows_free(rows, n);
	if (rc != HUB_DB_OK) {
		*cause = xasprintf("%s: nothing imported: %s", path, hub_db_errmsg(db));
		json_decref(arr);
		return -1;
	}
	size_t done = n;
	json_decref(arr);
	fprintf(stderr, "opdesk-hub: imported %zu canned replies\n", done);
	return 0;
}

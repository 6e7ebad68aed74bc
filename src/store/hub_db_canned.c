/* hub_db_canned.c: the store's part for `opdesk-hub canned export|import` (see hub_db.h): every canned reply
 * of every language, and adding or replacing a set of them by id in one transaction. */
#include <stdlib.h>

#include "hub_db_internal.h"
#include "opdesk/xalloc.h"

void hub_db_canned_rows_free(struct hub_db_canned_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].lang);
		free(v[i].shortcut);
		free(v[i].category);
		free(v[i].title);
		free(v[i].text);
	}
	free(v);
}

int hub_db_canned_all(struct hub_db *db, struct hub_db_canned_row **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_CANNED_ALL);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		char **f[] = { &(*out)[*n].id, &(*out)[*n].lang, &(*out)[*n].shortcut, &(*out)[*n].category,
			       &(*out)[*n].title, &(*out)[*n].text };
		for (int c = 0; c < 6; c++) {
			char *v = hub_db_col_text(st, c);
			*f[c] = v ? v : xstrdup("");
		}
		(*n)++;
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		hub_db_canned_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot read the canned replies");
	}
	return HUB_DB_OK;
}

int hub_db_canned_put(struct hub_db *db, const struct hub_db_canned_row *v, size_t n)
{
	if (hub_db_begin(db) != HUB_DB_OK)
		return HUB_DB_ERROR;
	bool ok = true;
	for (size_t i = 0; ok && i < n; i++) {
		struct sql_stmt *st = hub_db_stmt(db, ST_CANNED_PUT);
		const char *f[] = { v[i].id, v[i].lang, v[i].shortcut, v[i].category, v[i].title, v[i].text };
		for (int c = 0; c < 6; c++)
			sql_bind_text(st, c + 1, f[c] ? f[c] : "");
		ok = hub_db_run(db, st, "cannot store a canned reply") == HUB_DB_OK;
	}
	if (!ok)
		hub_db_rollback(db);
	return hub_db_commit(db);
}

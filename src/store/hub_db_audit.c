/* hub_db_audit.c: the store's part for the audit log (see hub_db.h): one row per action in table `audit`,
 * and reading a period's rows back in order. */
#include "hub_db_sqlite.h"

int hub_db_audit_add(struct hub_db *db, int64_t now, const char *actor, const char *action, int64_t dialog,
		     const char *detail)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_AUDIT_ADD);
	sqlite3_bind_int64(st, 1, now);
	hub_db_bind_text(st, 2, actor);
	hub_db_bind_text(st, 3, action);
	if (dialog > 0)
		sqlite3_bind_int64(st, 4, dialog);
	else
		sqlite3_bind_null(st, 4);
	hub_db_bind_text(st, 5, detail);
	return hub_db_run(db, st, "cannot write the audit log");
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

int hub_db_audit_read(struct hub_db *db, int64_t since_ms, int64_t until_ms, const char *actor, hub_db_audit_fn *fn,
		      void *arg)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_AUDIT_READ);
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	hub_db_bind_text(st, 3, actor);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(arg, sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), sqlite3_column_int64(st, 3), col(st, 4)))
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return hub_db_fail(db, "cannot read the audit log");
	sqlite3_reset(st);
	return HUB_DB_OK;
}

/* hub_db_audit.c: the store's part for the audit log (see hub_db.h): one row per action in table `audit`,
 * and reading a period's rows back in order. */
#include "hub_db_internal.h"

int hub_db_audit_add(struct hub_db *db, int64_t now, const char *actor, const char *action, int64_t dialog,
		     const char *detail)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_AUDIT_ADD);
	sql_bind_int64(st, 1, now);
	sql_bind_text(st, 2, actor);
	sql_bind_text(st, 3, action);
	if (dialog > 0)
		sql_bind_int64(st, 4, dialog);
	else
		sql_bind_text(st, 4, NULL);
	sql_bind_text(st, 5, detail);
	return hub_db_run(db, st, "cannot write the audit log");
}

static const char *col(struct sql_stmt *st, int i)
{
	const char *s = sql_col_text(st, i);
	return s ? (const char *)s : "";
}

int hub_db_audit_read(struct hub_db *db, int64_t since_ms, int64_t until_ms, const char *actor, hub_db_audit_fn *fn,
		      void *arg)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_AUDIT_READ);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	sql_bind_text(st, 3, actor);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW)
		if (fn(arg, sql_col_int64(st, 0), col(st, 1), col(st, 2), sql_col_int64(st, 3), col(st, 4)))
			break;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the audit log");
	sql_reset(st);
	return HUB_DB_OK;
}

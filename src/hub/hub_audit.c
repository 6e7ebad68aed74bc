/* hub_audit.c: the audit log (see hub_audit.h): one row per action in table `audit`, and its printout. */
#include "opdesk/hub_audit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/hub_db.h"
#include "opdesk/hub_report.h"
#include "opdesk/log.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

int hub_audit(struct hub_db *db, int64_t now, const char *actor, const char *action, int64_t dialog,
	      const char *detail)
{
	static const char sql[] = "INSERT INTO audit(time_ms, actor, action, dialog_id, detail) VALUES(?,?,?,?,?)";
	sqlite3_stmt *st = hub_db_stmt(db, sql);
	if (!st)
		return HUB_DB_ERROR;
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

/* A field for the table, made terminal-safe by textsafe_line (a name cannot drive the terminal, a line break
 * shows as ↵) and padded to `width` display columns. */
static void table_field(FILE *out, const char *s, int width)
{
	int n;
	char *safe = textsafe_line_dup(s, &n);
	fputs(safe, out);
	free(safe);
	if (width > n)
		fprintf(out, "%*s", width - n, "");
}

int hub_audit_print(struct sqlite3 *db, int64_t since_ms, int64_t until_ms, const char *actor, bool csv, FILE *out,
		    char **cause)
{
	static const char sql[] = "SELECT time_ms, actor, action, coalesce(dialog_id, ''), coalesce(detail, '') "
				  "FROM audit WHERE time_ms >= ? AND time_ms < ? AND (?3 IS NULL OR actor = ?3) "
				  "ORDER BY time_ms, id";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot read the audit log: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	if (actor)
		sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
	static const char *const head[] = { "time", "actor", "action", "dialog", "detail" };
	static const int width[] = { 19, 20, 24, 7, 0 };
	for (int c = 0; c < 5; c++) {
		if (csv)
			hub_csv_field(out, head[c], c == 0);
		else
			table_field(out, head[c], c < 4 ? width[c] + 1 : 0);
	}
	fputc('\n', out);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		time_t t = (time_t)(sqlite3_column_int64(st, 0) / 1000);
		struct tm tm;
		char when[32];
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		const char *v[5] = { when };
		for (int c = 1; c < 5; c++)
			v[c] = (const char *)sqlite3_column_text(st, c);
		for (int c = 0; c < 5; c++) {
			if (csv)
				hub_csv_field(out, v[c] ? v[c] : "", c == 0);
			else
				table_field(out, v[c] ? v[c] : "", c < 4 ? width[c] + 1 : 0);
		}
		fputc('\n', out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cannot read the audit log: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

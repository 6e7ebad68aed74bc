/* hub_sql_sqlite.c: the store's SQLite engine behind hub_sql.h: the file opened with durable settings (WAL,
 * synchronous FULL, foreign keys), statements prepared once and kept, the schema's version in
 * PRAGMA user_version. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_sql.h"
#include "opdesk/xalloc.h"

#define SQLITE_BUSY_TIMEOUT_MS 5000

struct lite_conn {
	struct sql_conn base;
	sqlite3 *h;
};

struct lite_stmt {
	struct sql_stmt base;
	sqlite3_stmt *st;
	sqlite3 *h;
};

#define CONN(c) ((struct lite_conn *)(c))
#define STMT(s) (((struct lite_stmt *)(s))->st)

static const struct sql_driver lite_driver;

static void lite_close(struct sql_conn *c)
{
	sqlite3_close(CONN(c)->h);
	free(c);
}

static int lite_exec(struct sql_conn *c, const char *script, char **cause)
{
	char *msg = NULL;
	if (sqlite3_exec(CONN(c)->h, script, NULL, NULL, &msg) != SQLITE_OK) {
		*cause = xasprintf("%s", msg ? msg : sqlite3_errmsg(CONN(c)->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int lite_prepare(struct sql_conn *c, const char *sql, struct sql_stmt **out, char **cause)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(CONN(c)->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot prepare \"%s\": %s", sql, sqlite3_errmsg(CONN(c)->h));
		return -1;
	}
	struct lite_stmt *s = xcalloc(1, sizeof *s);
	s->base.drv = &lite_driver;
	s->st = st;
	s->h = CONN(c)->h;
	*out = &s->base;
	return 0;
}

static int64_t lite_changes(struct sql_conn *c)
{
	return sqlite3_changes(CONN(c)->h);
}

static int64_t lite_last_id(struct sql_conn *c)
{
	return sqlite3_last_insert_rowid(CONN(c)->h);
}

static bool lite_in_tx(struct sql_conn *c)
{
	return !sqlite3_get_autocommit(CONN(c)->h);
}

static const char *lite_errmsg(struct sql_conn *c)
{
	return sqlite3_errmsg(CONN(c)->h);
}

static int lite_migrate_begin(struct sql_conn *c, char **cause)
{
	return lite_exec(c, "BEGIN IMMEDIATE", cause);
}

static int lite_version_get(struct sql_conn *c, int *version)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(CONN(c)->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int lite_version_set(struct sql_conn *c, int version, char **cause)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	return lite_exec(c, sql, cause);
}

static void lite_finalize(struct sql_stmt *s)
{
	sqlite3_finalize(STMT(s));
	free(s);
}

static void lite_clear(struct sql_stmt *s)
{
	sqlite3_reset(STMT(s));
	sqlite3_clear_bindings(STMT(s));
}

static void lite_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(STMT(s), i, v);
}

static void lite_bind_text(struct sql_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(STMT(s), i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(STMT(s), i);
}

static int lite_step(struct sql_stmt *s)
{
	int rc = sqlite3_step(STMT(s));
	if (rc == SQLITE_ROW)
		return SQL_ROW;
	if (rc == SQLITE_DONE)
		return SQL_DONE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return SQL_UNIQUE;
	return SQL_ERROR;
}

static void lite_reset(struct sql_stmt *s)
{
	sqlite3_reset(STMT(s));
}

static int64_t lite_col_int64(struct sql_stmt *s, int i)
{
	return sqlite3_column_int64(STMT(s), i);
}

static const char *lite_col_text(struct sql_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(STMT(s), i);
}

static bool lite_col_null(struct sql_stmt *s, int i)
{
	return sqlite3_column_type(STMT(s), i) == SQLITE_NULL;
}

static const struct sql_driver lite_driver = {
	.kind = SQL_SQLITE,
	.name = "SQLite",
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.changes = lite_changes,
	.last_id = lite_last_id,
	.in_tx = lite_in_tx,
	.errmsg = lite_errmsg,
	.migrate_begin = lite_migrate_begin,
	.version_get = lite_version_get,
	.version_set = lite_version_set,
	.finalize = lite_finalize,
	.clear = lite_clear,
	.bind_int64 = lite_bind_int64,
	.bind_text = lite_bind_text,
	.step = lite_step,
	.reset = lite_reset,
	.col_int64 = lite_col_int64,
	.col_text = lite_col_text,
	.col_null = lite_col_null,
};

struct sqlite3 *sql_sqlite_handle(struct sql_conn *c)
{
	return c && c->drv == &lite_driver ? CONN(c)->h : NULL;
}

int sql_open_sqlite(const char *path, struct sql_conn **out, char **cause)
{
	sqlite3 *h = NULL;
	*out = NULL;
	int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return -1;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, SQLITE_BUSY_TIMEOUT_MS);
	struct lite_conn *c = xcalloc(1, sizeof *c);
	c->base.drv = &lite_driver;
	c->h = h;

	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		*cause = xasprintf("%s: %s", path, sqlite3_errmsg(h));
		goto fail;
	}
	const char *mode = (const char *)sqlite3_column_text(st, 0);
	if (!mode || strcmp(mode, "wal") != 0) {
		*cause = xasprintf("%s: cannot switch to WAL mode (journal mode is %s)", path, mode ? mode : "?");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* FULL: the WAL is synced at every commit, so a committed message survives a power cut */
	char *why = NULL;
	if (lite_exec(&c->base, "PRAGMA synchronous = FULL", &why) != 0 ||
	    lite_exec(&c->base, "PRAGMA foreign_keys = ON", &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		goto fail;
	}
	*out = &c->base;
	return 0;
fail:
	sqlite3_finalize(st);
	lite_close(&c->base);
	return -1;
}

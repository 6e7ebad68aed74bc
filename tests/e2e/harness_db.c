/* harness_db.c: reading the hub's SQLite database from a test (read-only; the hub keeps it in WAL mode,
 * so reading while it writes is fine and sees every committed transaction). */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <string.h>

#include "opdesk/xalloc.h"

static void db_release(void *db)
{
	sqlite3_close_v2(db);
}

sqlite3 *e2e_db_open(const char *path)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
		cr_assert_fail("cannot open the hub database %s: %s", path, msg);
	}
	e2e_defer(db_release, db);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* Prepare the formatted SQL; fails the test on an error. */
static sqlite3_stmt *db_prepare(sqlite3 *db, const char *fmt, va_list ap)
{
	char *sql = sqlite3_vmprintf(fmt, ap);
	cr_assert(sql, "out of memory");
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	char *copy = e2e_strf("%s", sql);
	sqlite3_free(sql);
	cr_assert(rc == SQLITE_OK, "SQL error in \"%s\": %s", copy, sqlite3_errmsg(db));
	return st;
}

long long e2e_db_int(sqlite3 *db, long long missing, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = db_prepare(db, fmt, ap);
	va_end(ap);
	long long v = missing;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	const char *err = rc == SQLITE_ROW || rc == SQLITE_DONE ? NULL : e2e_strf("%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	cr_assert(!err, "SQL error: %s", err);
	return v;
}

long long e2e_db_wait_int(sqlite3 *db, struct e2e_term *t, long long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	cr_assert(sql, "out of memory");
	char *copy = e2e_strf("%s", sql);
	sqlite3_free(sql);
	long long got = -1;
	for (int64_t end = e2e_now_ms() + E2E_WAIT_MS; (got = e2e_db_int(db, -1, "%s", copy)) != want && e2e_now_ms() < end;)
		term_pump(t, 50);
	return got;
}

char *e2e_db_text(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = db_prepare(db, fmt, ap);
	va_end(ap);
	char *v = NULL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = e2e_strf("%s", (const char *)sqlite3_column_text(st, 0));
	const char *err = rc == SQLITE_ROW || rc == SQLITE_DONE ? NULL : e2e_strf("%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	cr_assert(!err, "SQL error: %s", err);
	return v;
}

/* harness_db.c: the hub's database as a test sees it, on either engine. By default a hub's database is an
 * SQLite file, read here read-only (the hub keeps it in WAL mode, so reading while it writes is fine and sees
 * every committed transaction). With OPDESK_TEST_PG set to a libpq conninfo without a dbname (the CTest
 * label pg sets it to a private cluster, scripts/pg-cluster), every database path a test names stands for a
 * PostgreSQL database of its own, created empty on first use: the same test then runs the hub on PostgreSQL.
 * SQL is formatted SQLite's way (sqlite3_mprintf: %Q quotes a string) and is plain SQL that both run. */
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "opdesk/xalloc.h"

struct e2e_db {
	sqlite3 *lite;
	PGconn *pg;
};

static const char *pg_base(void)
{
	const char *s = getenv("OPDESK_TEST_PG");
	return s && *s ? s : NULL;
}

bool e2e_db_is_pg(void)
{
	return pg_base() != NULL;
}

static bool is_pg_target(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strstr(target, "dbname=") != NULL;
}

/* Connect to a PostgreSQL conninfo or fail the test. */
static PGconn *pg_connect(const char *conninfo)
{
	PGconn *pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK) {
		char *msg = e2e_strf("%s", PQerrorMessage(pg));
		PQfinish(pg);
		cr_assert_fail("cannot connect to PostgreSQL (%s): %s", conninfo, msg);
	}
	PQsetNoticeProcessor(pg, NULL, NULL);
	return pg;
}

/* Run one statement on a connection; fails the test on an error. Returns the result (PQclear it). */
static PGresult *pg_run(PGconn *pg, const char *sql)
{
	PGresult *r = PQexec(pg, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		char *msg = e2e_strf("%s", PQresultErrorMessage(r));
		PQclear(r);
		cr_assert_fail("SQL error in \"%s\": %s", sql, msg);
	}
	return r;
}

const char *e2e_db_target(const char *path)
{
	const char *base = pg_base();
	if (!base || is_pg_target(path))
		return path;
	/* one database per path, named by its hash: the same path (a hub restarted on its database) is the same
	 * database; each test's paths are in its own new temporary directory */
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	char *name = e2e_strf("t%016llx", (unsigned long long)h);
	PGconn *pg = pg_connect(e2e_strf("%s dbname=postgres", base));
	PGresult *r = pg_run(pg, e2e_strf("SELECT 1 FROM pg_database WHERE datname = '%s'", name));
	bool exists = PQntuples(r) > 0;
	PQclear(r);
	if (!exists)
		PQclear(pg_run(pg, e2e_strf("CREATE DATABASE %s", name)));
	PQfinish(pg);
	return e2e_strf("%s dbname=%s", base, name);
}

static void db_release(void *arg)
{
	struct e2e_db *db = arg;
	if (db->lite)
		sqlite3_close_v2(db->lite);
	if (db->pg)
		PQfinish(db->pg);
	free(db);
}

struct e2e_db *e2e_db_open(const char *path)
{
	const char *target = e2e_db_target(path);
	struct e2e_db *db = xcalloc(1, sizeof *db);
	if (is_pg_target(target)) {
		db->pg = pg_connect(target);
	} else {
		int rc = sqlite3_open_v2(target, &db->lite, SQLITE_OPEN_READONLY, NULL);
		if (rc != SQLITE_OK) {
			char *msg = e2e_strf("%s", db->lite ? sqlite3_errmsg(db->lite) : sqlite3_errstr(rc));
			db_release(db);
			cr_assert_fail("cannot open the hub database %s: %s", target, msg);
		}
		sqlite3_busy_timeout(db->lite, 5000);
	}
	e2e_defer(db_release, db);
	return db;
}

static char *db_format(const char *fmt, va_list ap)
{
	char *sql = sqlite3_vmprintf(fmt, ap);
	cr_assert(sql, "out of memory");
	char *copy = e2e_strf("%s", sql);
	sqlite3_free(sql);
	return copy;
}

/* The first column of the query's first row as text into *out (NULL: no row or SQL NULL). */
static void db_first(struct e2e_db *db, const char *sql, char **out)
{
	*out = NULL;
	if (db->pg) {
		PGresult *r = pg_run(db->pg, sql);
		if (PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
			*out = e2e_strf("%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		return;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->lite, sql, -1, &st, NULL);
	cr_assert(rc == SQLITE_OK, "SQL error in \"%s\": %s", sql, sqlite3_errmsg(db->lite));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = e2e_strf("%s", (const char *)sqlite3_column_text(st, 0));
	const char *err = rc == SQLITE_ROW || rc == SQLITE_DONE ? NULL : e2e_strf("%s", sqlite3_errmsg(db->lite));
	sqlite3_finalize(st);
	cr_assert(!err, "SQL error in \"%s\": %s", sql, err);
}

/* A column's text as an integer (PostgreSQL's booleans are t/f). */
static long long db_to_int(const char *v, long long missing)
{
	if (!v)
		return missing;
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static long long db_vint(struct e2e_db *db, long long missing, const char *sql)
{
	char *v;
	db_first(db, sql, &v);
	return db_to_int(v, missing);
}

long long e2e_db_int(struct e2e_db *db, long long missing, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = db_format(fmt, ap);
	va_end(ap);
	return db_vint(db, missing, sql);
}

long long e2e_db_wait_int(struct e2e_db *db, struct e2e_term *t, long long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = db_format(fmt, ap);
	va_end(ap);
	long long got = -1;
	for (int64_t end = e2e_now_ms() + E2E_WAIT_MS; (got = db_vint(db, -1, sql)) != want && e2e_now_ms() < end;)
		term_pump(t, 50);
	return got;
}

char *e2e_db_text(struct e2e_db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = db_format(fmt, ap);
	va_end(ap);
	char *v;
	db_first(db, sql, &v);
	return v;
}

void e2e_db_exec(const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = db_format(fmt, ap);
	va_end(ap);
	const char *target = e2e_db_target(path);
	if (is_pg_target(target)) {
		PGconn *pg = pg_connect(target);
		PGresult *r = PQexec(pg, sql);
		ExecStatusType s = PQresultStatus(r);
		char *err = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? NULL : e2e_strf("%s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(pg);
		cr_assert(!err, "SQL error in \"%s\": %s", sql, err);
		return;
	}
	sqlite3 *lite = NULL;
	int rc = sqlite3_open_v2(target, &lite, SQLITE_OPEN_READWRITE, NULL);
	cr_assert(rc == SQLITE_OK, "cannot open %s: %s", target, lite ? sqlite3_errmsg(lite) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(lite, 5000);
	char *msg = NULL;
	rc = sqlite3_exec(lite, sql, NULL, NULL, &msg);
	char *err = rc == SQLITE_OK ? NULL : e2e_strf("%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	sqlite3_close(lite);
	cr_assert(!err, "SQL error in \"%s\": %s", sql, err);
}

const char *e2e_db_json(struct e2e_db *db, const char *column, const char *key)
{
	return db->pg ? e2e_strf("%s::json->>'%s'", column, key) : e2e_strf("json_extract(%s, '$.%s')", column, key);
}

char *e2e_db_check(struct e2e_db *db)
{
	if (db->lite)
		return e2e_db_text(db, "PRAGMA integrity_check");
	/* PostgreSQL: every B-tree index of the hub's tables agrees with itself and with its table (amcheck) */
	PQclear(pg_run(db->pg, "CREATE EXTENSION IF NOT EXISTS amcheck"));
	PGresult *r = pg_run(db->pg, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
				     "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
				     "WHERE a.amname = 'btree' AND n.nspname = 'public'");
	char *bad = NULL;
	for (int i = 0; i < PQntuples(r) && !bad; i++) {
		const char *index = PQgetvalue(r, i, 0);
		PGresult *c = PQexec(db->pg, e2e_strf("SELECT bt_index_check('public.%s'::regclass, true)", index));
		if (PQresultStatus(c) != PGRES_TUPLES_OK)
			bad = e2e_strf("index %s: %s", index, PQresultErrorMessage(c));
		PQclear(c);
	}
	int n = PQntuples(r);
	PQclear(r);
	return bad ? bad : n > 0 ? e2e_strf("ok") : e2e_strf("no indexes found");
}

/* ---- a private PostgreSQL cluster (scripts/pg-cluster) ---- */

struct e2e_pg {
	char dir[64];
};

/* scripts/pg-cluster CMD DIR ARGS... on this cluster (at most 4 ARGS, ending at a NULL); fails the test
 * unless it exits 0. Returns its stdout, the last line break dropped. */
static char *pg_cluster(struct e2e_pg *pg, const char *cmd, ...)
{
	const char *src = getenv("OPDESK_SOURCE_DIR");
	cr_assert(src, "OPDESK_SOURCE_DIR is not set");
	char *argv[9] = {"/bin/bash", e2e_strf("%s/scripts/pg-cluster", src), (char *)cmd, pg->dir};
	va_list ap;
	va_start(ap, cmd);
	for (int i = 4; i < 8 && (argv[i] = va_arg(ap, char *)) != NULL; i++)
		;
	va_end(ap);
	struct e2e_proc *p = e2e_run("pg-cluster", argv, NULL, 120000);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "pg-cluster %s %s: %s; stderr:\n%s", cmd, pg->dir, e2e_proc_how(p),
	             e2e_proc_stderr(p));
	char *out = e2e_strf("%s", e2e_proc_stdout(p));
	out[strcspn(out, "\n")] = '\0';
	return out;
}

static void pg_release(void *arg)
{
	struct e2e_pg *pg = arg;
	/* teardown: no assertions here; stop it at once and remove it */
	char *cmd = e2e_strf("bash '%s/scripts/pg-cluster' kill '%s' >/dev/null 2>&1; rm -rf '%s'",
	                     getenv("OPDESK_SOURCE_DIR"), pg->dir, pg->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "e2e: could not remove the PostgreSQL cluster %s\n", pg->dir);
	free(pg);
}

/* Clusters left by a test process that died before its teardown (a crash): stopped and removed, so that
 * their servers do not outlive it for good. Each cluster's folder holds the pid of the test that made it. */
static void pg_sweep(void)
{
	glob_t g;
	if (glob("/tmp/opdesk-e2e-pg-*/owner", 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char *text = e2e_slurp(g.gl_pathv[i], NULL);
		long pid = text ? atol(text) : 0;
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;
		struct e2e_pg *dead = xcalloc(1, sizeof *dead);
		snprintf(dead->dir, sizeof dead->dir, "%.*s", (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]),
		         g.gl_pathv[i]);
		pg_release(dead);
	}
	globfree(&g);
}

/* A new folder for a cluster, removed (its server stopped) at teardown. */
static struct e2e_pg *pg_new(void)
{
	pg_sweep();
	struct e2e_pg *pg = xcalloc(1, sizeof *pg);
	/* under /tmp: the server's socket path must be short */
	snprintf(pg->dir, sizeof pg->dir, "/tmp/opdesk-e2e-pg-XXXXXX");
	cr_assert(mkdtemp(pg->dir), "mkdtemp: %s", strerror(errno));
	e2e_defer(pg_release, pg);
	e2e_write_file(e2e_strf("%s/owner", pg->dir), e2e_strf("%ld\n", (long)getpid()));
	return pg;
}

struct e2e_pg *e2e_pg_start(void)
{
	struct e2e_pg *pg = pg_new();
	pg_cluster(pg, "start", "--fast", NULL);
	return pg;
}

struct e2e_pg *e2e_pg_standby(struct e2e_pg *primary, const char *name)
{
	struct e2e_pg *pg = pg_new();
	pg_cluster(pg, "standby", primary->dir, name, "--fast", "--sync", NULL);
	return pg;
}

void e2e_pg_promote(struct e2e_pg *pg)
{
	pg_cluster(pg, "promote", NULL);
}

const char *e2e_pg_either_db(struct e2e_pg *a, struct e2e_pg *b, const char *name)
{
	char *pa = e2e_slurp(e2e_strf("%s/port", a->dir), NULL), *pb = e2e_slurp(e2e_strf("%s/port", b->dir), NULL);
	cr_assert(pa && pb, "a cluster without its port file");
	return e2e_strf("host=%s,%s port=%d,%d user=opdesk dbname=%s target_session_attrs=read-write", a->dir, b->dir,
	                atoi(pa), atoi(pb), name);
}

void e2e_pg_stop(struct e2e_pg *pg, bool immediate)
{
	if (immediate) {
		/* SIGQUIT to the postmaster is pg_ctl's immediate shutdown; sent from here it lands at once (not after
		 * a script and pg_ctl have started), in the middle of what the test is doing, and is waited for */
		char *text = e2e_slurp(e2e_strf("%s/data/postmaster.pid", pg->dir), NULL);
		pid_t pid = text ? (pid_t)atol(text) : 0;
		int fd = pid > 0 ? pidfd_open(pid, 0) : -1;
		if (fd >= 0 && kill(pid, SIGQUIT) == 0) {
			struct pollfd gone = {.fd = fd, .events = POLLIN};
			cr_assert_eq(poll(&gone, 1, E2E_WAIT_MS), 1, "the PostgreSQL server %ld did not stop", (long)pid);
		}
		if (fd >= 0)
			close(fd);
	}
	pg_cluster(pg, immediate ? "kill" : "stop", NULL);
}

void e2e_pg_restart(struct e2e_pg *pg)
{
	pg_cluster(pg, "start", "--fast", NULL);
}

const char *e2e_pg_db(struct e2e_pg *pg, const char *name)
{
	pg_cluster(pg, "createdb", name, NULL);
	return pg_cluster(pg, "url", name, NULL);
}

/* hub_sql.h: the store's two SQL engines behind one small driver (SQLite in hub_sql_sqlite.c, PostgreSQL
 * through libpq in hub_sql_pg.c): a connection, prepared statements with numbered parameters, rows read
 * column by column, transactions by plain SQL. The store's operations (src/store/hub_db*.c) are written once
 * over it; nothing outside src/store includes it. */
#ifndef OPDESK_HUB_SQL_H
#define OPDESK_HUB_SQL_H

#include <stdbool.h>
#include <stdint.h>

enum sql_kind { SQL_SQLITE, SQL_POSTGRES };

/* What sql_step returns. */
enum {
	SQL_DONE = 0,    /* no (more) rows: the statement ran */
	SQL_ROW = 1,     /* a row is ready to read */
	SQL_ERROR = -1,  /* failed: sql_errmsg says why */
	SQL_UNIQUE = -2, /* a UNIQUE or PRIMARY KEY constraint refused the write */
};

struct sql_conn {
	const struct sql_driver *drv;
	uint64_t losses; /* times the connection to the server was lost (PostgreSQL; SQLite has none) */
	/* PostgreSQL: this connection held the serving lock, lost it with the connection, and another hub took
	 * it: every statement fails from then on (sql_pg_serve) */
	bool fenced;
};

struct sql_stmt {
	const struct sql_driver *drv;
};

struct sql_driver {
	enum sql_kind kind;
	const char *name;
	/* The connection: a statement's text uses `?` or `?N` for its parameters (1-based), in both engines. */
	void (*close)(struct sql_conn *c);
	int (*exec)(struct sql_conn *c, const char *script, char **cause); /* statements without parameters */
	int (*prepare)(struct sql_conn *c, const char *sql, struct sql_stmt **out, char **cause);
	int64_t (*changes)(struct sql_conn *c); /* rows written by the last statement */
	int64_t (*last_id)(struct sql_conn *c); /* the id the last INSERT gave its row */
	bool (*in_tx)(struct sql_conn *c);      /* a transaction is open (or lost, awaiting its ROLLBACK) */
	const char *(*errmsg)(struct sql_conn *c);
	/* The schema's version: read and written inside the migration's transaction, which migrate_begin opens
	 * (it also makes hubs starting together on one database migrate one after the other). */
	int (*migrate_begin)(struct sql_conn *c, char **cause);
	int (*version_get)(struct sql_conn *c, int *version);
	int (*version_set)(struct sql_conn *c, int version, char **cause);
	/* Statements. */
	void (*finalize)(struct sql_stmt *st);
	void (*clear)(struct sql_stmt *st); /* reset, and every parameter back to NULL */
	void (*bind_int64)(struct sql_stmt *st, int i, int64_t v);
	void (*bind_text)(struct sql_stmt *st, int i, const char *s); /* copied; NULL binds SQL NULL */
	int (*step)(struct sql_stmt *st);
	void (*reset)(struct sql_stmt *st);
	int64_t (*col_int64)(struct sql_stmt *st, int i); /* NULL reads 0; a boolean 0 or 1 */
	const char *(*col_text)(struct sql_stmt *st, int i); /* NULL for SQL NULL; valid until the next step */
	bool (*col_null)(struct sql_stmt *st, int i);
};

/* Open `target`: a libpq URI (postgresql://... or postgres://...) or key=value string selects PostgreSQL,
 * anything else is a SQLite file path. On failure -1 with *cause (heap). */
int sql_open(const char *target, struct sql_conn **out, char **cause);
bool sql_target_is_postgres(const char *target);

int sql_open_sqlite(const char *path, struct sql_conn **out, char **cause);
int sql_open_pg(const char *conninfo, struct sql_conn **out, char **cause);
/* PostgreSQL: take the serving lock of the database (a session advisory lock: one hub serves a database at a
 * time; it is released when the hub's connection ends, a hub killed included). The lock lives as long as the
 * connection: after a reconnect it is taken again before any statement runs, and if another hub holds it by
 * then the connection is fenced. A lock still held by this process's own lost session (the server has not
 * noticed it died) is taken back by ending that session. wait: if another hub holds it, call standing_by
 * once (with who holds it) and wait until it is free or stop_fd is readable, surviving the server's
 * restarts; else fail at once. Returns 0 with the lock, 1 when stop_fd stopped the wait, -1 with *cause. */
struct sql_serve_wait {
	bool wait;
	int stop_fd; /* -1: none */
	void (*standing_by)(void *arg, const char *holder);
	void *arg;
};
int sql_pg_serve(struct sql_conn *c, const struct sql_serve_wait *w, char **cause);

/* PostgreSQL, between statements: the connection's socket to watch (readable when the server speaks unasked:
 * it is closing the connection), -1 while there is none; and the check when it is readable or a retry is
 * due: the connection's loss noticed, a reconnection tried (the serving lock taken again). Returns 0 when
 * connected, the ms until the next attempt while not, -1 when fenced. */
int sql_pg_socket(struct sql_conn *c);
int sql_pg_check(struct sql_conn *c);

/* The SQLite handle of a SQLite connection (NULL for PostgreSQL): the store's unit tests only. */
struct sqlite3 *sql_sqlite_handle(struct sql_conn *c);

static inline enum sql_kind sql_kind(const struct sql_conn *c) { return c->drv->kind; }
static inline void sql_close(struct sql_conn *c) { if (c) c->drv->close(c); }
static inline int sql_exec(struct sql_conn *c, const char *script, char **cause) { return c->drv->exec(c, script, cause); }
static inline int64_t sql_changes(struct sql_conn *c) { return c->drv->changes(c); }
static inline int64_t sql_last_id(struct sql_conn *c) { return c->drv->last_id(c); }
static inline bool sql_in_tx(struct sql_conn *c) { return c->drv->in_tx(c); }
static inline const char *sql_errmsg(struct sql_conn *c) { return c->drv->errmsg(c); }
static inline void sql_finalize(struct sql_stmt *st) { if (st) st->drv->finalize(st); }
static inline void sql_clear(struct sql_stmt *st) { st->drv->clear(st); }
static inline void sql_bind_int64(struct sql_stmt *st, int i, int64_t v) { st->drv->bind_int64(st, i, v); }
static inline void sql_bind_text(struct sql_stmt *st, int i, const char *s) { st->drv->bind_text(st, i, s); }
static inline int sql_step(struct sql_stmt *st) { return st->drv->step(st); }
static inline void sql_reset(struct sql_stmt *st) { st->drv->reset(st); }
static inline int64_t sql_col_int64(struct sql_stmt *st, int i) { return st->drv->col_int64(st, i); }
static inline const char *sql_col_text(struct sql_stmt *st, int i) { return st->drv->col_text(st, i); }
static inline bool sql_col_null(struct sql_stmt *st, int i) { return st->drv->col_null(st, i); }

#endif

/* hub_sql_pg.c: the store's PostgreSQL engine behind hub_sql.h, through libpq: statements prepared on the
 * server (`?N` becomes `$N`), parameters sent as text, a result read row by row; a lost connection is
 * survived: what was running fails (a transaction it cut is failed until its ROLLBACK), and the next
 * statement reconnects (attempts backed off, so a database that is down costs the hub one failed attempt
 * now and then, not a stall per write) and prepares its statements again. */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hub_sql.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

/* Reconnect attempts after a lost connection: the first at once, then after 0.5 s, doubling up to 4 s. Each
 * attempt blocks the hub's loop until it fails: at once when the server is down or refuses, up to
 * CONNECT_TIMEOUT_S when packets vanish (a network partition); the backoff bounds what that costs, its cap how
 * late a server that is back is noticed. */
#define RECONNECT_MS 500
#define RECONNECT_MAX_MS 4000
#define CONNECT_TIMEOUT_S "2"
/* The advisory lock that makes hubs starting together on one database migrate its schema in turn. */
#define MIGRATION_LOCK 1869636723
/* The session advisory lock held by the one hub that serves a database (sql_pg_serve). */
#define SERVE_LOCK 1869636724

struct pg_conn {
	struct sql_conn base;
	PGconn *pg;
	unsigned gen;      /* bumped at each reconnect: statements prepared before it are prepared again */
	unsigned next_name;
	bool tx_lost;      /* the connection died inside a transaction: everything fails until ROLLBACK */
	bool serving;      /* the serving lock is to be held by this connection (sql_pg_serve)... */
	bool locked;       /* ... and the current session holds it */
	int64_t next_try;  /* monotonic ms before which no reconnect is attempted */
	int backoff_ms;    /* the wait after the next failed attempt */
	int64_t changes;
	int64_t last_id;
	char err[512];
};

struct pg_param {
	char *text; /* NULL: SQL NULL; else a heap copy or num */
	char num[24];
};

struct pg_stmt {
	struct sql_stmt base;
	struct pg_conn *c;
	char name[16];
	char *sql;        /* with $N parameters */
	int nparams;
	struct pg_param *params;
	unsigned gen;     /* the connection's generation it was prepared in (0: not yet) */
	bool returns_id;  /* INSERT ... RETURNING id: its one row is the new id, and the step is DONE */
	bool is_rollback; /* ROLLBACK: ends a lost transaction without the server */
	bool retry_safe;  /* BEGIN or a read: may run again on a new connection when the old one was dead */
	PGresult *res;
	int row, nrows;
};

#define CONN(c) ((struct pg_conn *)(c))
#define STMT(s) ((struct pg_stmt *)(s))

static const struct sql_driver pg_driver;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keep libpq's message (its last line break dropped) as the connection's error. */
static void pg_error(struct pg_conn *c, const char *what, const char *msg)
{
	if (!msg || !*msg)
		msg = PQerrorMessage(c->pg);
	int n = (int)strcspn(msg, "\n");
	snprintf(c->err, sizeof c->err, "%s%s%.*s", what ? what : "", what ? ": " : "", n, msg);
}

/* `?` and `?N` (outside quotes) to PostgreSQL's `$N`; a bare `?` takes the number after the largest so far,
 * as in SQLite. Returns the heap text; *nparams the largest number. */
static char *pg_translate(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	char *out = xmalloc(len * 4 + 1);
	char *o = out;
	int max = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p;
		} else if (*p == '?') {
			int n = 0;
			while (isdigit((unsigned char)p[1]))
				n = n * 10 + (*++p - '0');
			if (n == 0)
				n = max + 1;
			if (n > max)
				max = n;
			o += sprintf(o, "$%d", n);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	*nparams = max;
	return out;
}

static bool pg_tx_open(struct pg_conn *c)
{
	PGTransactionStatusType t = PQtransactionStatus(c->pg);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static int pg_take_serve_lock(struct pg_conn *c, bool *lost);
static void pg_check_lost(struct pg_conn *c, bool was_in_tx);

/* Reconnect a connection that died (backed off); false with the error set if it is still down. */
static bool pg_reconnect(struct pg_conn *c)
{
	int64_t now = now_ms();
	if (now < c->next_try) {
		snprintf(c->err, sizeof c->err, "the database is unreachable (trying again)");
		return false;
	}
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		c->next_try = now_ms() + c->backoff_ms;
		c->backoff_ms = c->backoff_ms * 2 > RECONNECT_MAX_MS ? RECONNECT_MAX_MS : c->backoff_ms * 2;
		pg_error(c, "the database is unreachable", NULL);
		return false;
	}
	c->backoff_ms = RECONNECT_MS;
	c->locked = false; /* a new session holds no lock */
	PQsetClientEncoding(c->pg, "UTF8");
	c->gen++;
	log_info("reconnected to the database");
	return true;
}

/* A usable connection, reconnecting if it died and taking the serving lock again if this connection is to
 * hold it; false (with the error set) if there is none. */
static bool pg_ready(struct pg_conn *c)
{
	if (c->base.fenced) {
		snprintf(c->err, sizeof c->err, "another hub serves this database now");
		return false;
	}
	if (c->tx_lost) {
		snprintf(c->err, sizeof c->err, "the connection to the database was lost inside a transaction");
		return false;
	}
	if (PQstatus(c->pg) != CONNECTION_OK && !pg_reconnect(c))
		return false;
	if (c->serving && !c->locked) {
		bool lost = false;
		int got = pg_take_serve_lock(c, &lost);
		if (got < 0) {
			if (lost)
				pg_check_lost(c, false);
			return false;
		}
		if (got == 0) {
			c->base.fenced = true;
			log_error("another hub took over this database while the connection to it was down: this hub "
				  "stops serving");
			snprintf(c->err, sizeof c->err, "another hub serves this database now");
			return false;
		}
	}
	return true;
}

/* After a failed call: note a connection that died (and the transaction it took with it). */
static void pg_check_lost(struct pg_conn *c, bool was_in_tx)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return;
	if (was_in_tx)
		c->tx_lost = true;
	c->next_try = 0; /* the next statement tries at once */
	c->base.losses++;
	log_error("lost the connection to the database: %s", c->err);
}

static void pg_close(struct sql_conn *sc)
{
	PQfinish(CONN(sc)->pg);
	free(sc);
}

static int pg_exec(struct sql_conn *sc, const char *script, char **cause)
{
	struct pg_conn *c = CONN(sc);
	if (!pg_ready(c)) {
		*cause = xasprintf("%s", c->err);
		return -1;
	}
	bool in_tx = pg_tx_open(c);
	PGresult *r = PQexec(c->pg, script);
	ExecStatusType s = PQresultStatus(r);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? 0 : -1;
	if (rc != 0) {
		pg_error(c, NULL, PQresultErrorMessage(r));
		*cause = xasprintf("%s", c->err);
		pg_check_lost(c, in_tx);
	}
	PQclear(r);
	return rc;
}

static bool starts_with_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncasecmp(s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

static int pg_prepare(struct sql_conn *sc, const char *sql, struct sql_stmt **out, char **cause)
{
	struct pg_conn *c = CONN(sc);
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	st->base.drv = &pg_driver;
	st->c = c;
	snprintf(st->name, sizeof st->name, "s%u", ++c->next_name);
	st->sql = pg_translate(sql, &st->nparams);
	st->params = xcalloc(st->nparams ? (size_t)st->nparams : 1, sizeof *st->params);
	size_t len = strlen(sql);
	st->returns_id = starts_with_word(sql, "INSERT") && len > 13 && strcmp(sql + len - 13, " RETURNING id") == 0;
	st->is_rollback = strcmp(sql, "ROLLBACK") == 0;
	st->retry_safe = starts_with_word(sql, "BEGIN") || starts_with_word(sql, "SELECT");
	st->row = -1;
	/* prepared now, so that a statement the server refuses fails the hub's start, not a later write */
	PGresult *r = PQprepare(c->pg, st->name, st->sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		*cause = xasprintf("cannot prepare \"%s\": %s", sql, PQresultErrorMessage(r));
		PQclear(r);
		free(st->params);
		free(st->sql);
		free(st);
		return -1;
	}
	PQclear(r);
	st->gen = c->gen;
	*out = &st->base;
	return 0;
}

static int64_t pg_changes(struct sql_conn *c)
{
	return CONN(c)->changes;
}

static int64_t pg_last_id(struct sql_conn *c)
{
	return CONN(c)->last_id;
}

static bool pg_in_tx(struct sql_conn *sc)
{
	struct pg_conn *c = CONN(sc);
	return c->tx_lost || pg_tx_open(c);
}

static const char *pg_errmsg(struct sql_conn *c)
{
	return CONN(c)->err;
}

static int pg_migrate_begin(struct sql_conn *c, char **cause)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "BEGIN; SELECT pg_advisory_xact_lock(%d);"
		 "CREATE TABLE IF NOT EXISTS opdesk_schema(version INTEGER NOT NULL);"
		 "INSERT INTO opdesk_schema SELECT 0 WHERE NOT EXISTS(SELECT 1 FROM opdesk_schema)",
		 MIGRATION_LOCK);
	return pg_exec(c, sql, cause);
}

static int pg_version_get(struct sql_conn *sc, int *version)
{
	struct pg_conn *c = CONN(sc);
	PGresult *r = PQexec(c->pg, "SELECT version FROM opdesk_schema");
	int rc = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*version = atoi(PQgetvalue(r, 0, 0));
		rc = 0;
	} else {
		pg_error(c, "cannot read the schema version", PQresultErrorMessage(r));
	}
	PQclear(r);
	return rc;
}

static int pg_version_set(struct sql_conn *c, int version, char **cause)
{
	char sql[64];
	snprintf(sql, sizeof sql, "UPDATE opdesk_schema SET version = %d", version);
	return pg_exec(c, sql, cause);
}

static void pg_reset(struct sql_stmt *s)
{
	struct pg_stmt *st = STMT(s);
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
}

static void pg_finalize(struct sql_stmt *s)
{
	struct pg_stmt *st = STMT(s);
	pg_reset(s);
	for (int i = 0; i < st->nparams; i++)
		if (st->params[i].text != st->params[i].num)
			free(st->params[i].text);
	free(st->params);
	free(st->sql);
	free(st);
}

static void param_set(struct pg_param *p, char *text)
{
	if (p->text != p->num)
		free(p->text);
	p->text = text;
}

static void pg_clear(struct sql_stmt *s)
{
	struct pg_stmt *st = STMT(s);
	pg_reset(s);
	for (int i = 0; i < st->nparams; i++)
		param_set(&st->params[i], NULL);
}

static void pg_bind_int64(struct sql_stmt *s, int i, int64_t v)
{
	struct pg_stmt *st = STMT(s);
	if (i < 1 || i > st->nparams)
		return;
	struct pg_param *p = &st->params[i - 1];
	param_set(p, NULL);
	snprintf(p->num, sizeof p->num, "%lld", (long long)v);
	p->text = p->num;
}

static void pg_bind_text(struct sql_stmt *s, int i, const char *v)
{
	struct pg_stmt *st = STMT(s);
	if (i >= 1 && i <= st->nparams)
		param_set(&st->params[i - 1], v ? xstrdup(v) : NULL);
}

/* Run the statement once on the server: SQL_DONE, SQL_ROW (rows are in st->res), or an error. */
static int pg_run(struct pg_stmt *st)
{
	struct pg_conn *c = st->c;
	if (st->is_rollback && c->tx_lost) {
		c->tx_lost = false; /* the server ended it when the connection died */
		return SQL_DONE;
	}
	for (int attempt = 0;; attempt++) {
		if (!pg_ready(c))
			return SQL_ERROR;
		if (st->gen != c->gen) {
			PGresult *p = PQprepare(c->pg, st->name, st->sql, 0, NULL);
			bool ok = PQresultStatus(p) == PGRES_COMMAND_OK;
			if (!ok)
				pg_error(c, "cannot prepare a statement again", PQresultErrorMessage(p));
			PQclear(p);
			if (!ok) {
				pg_check_lost(c, false);
				return SQL_ERROR;
			}
			st->gen = c->gen;
		}
		const char *vals[st->nparams ? st->nparams : 1];
		for (int i = 0; i < st->nparams; i++)
			vals[i] = st->params[i].text;
		bool in_tx = pg_tx_open(c);
		PGresult *r = PQexecPrepared(c->pg, st->name, st->nparams, vals, NULL, NULL, 0);
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_COMMAND_OK) {
			c->changes = strtoll(PQcmdTuples(r), NULL, 10);
			PQclear(r);
			return SQL_DONE;
		}
		if (s == PGRES_TUPLES_OK) {
			if (st->returns_id) {
				c->changes = PQntuples(r);
				if (PQntuples(r) > 0)
					c->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
				PQclear(r);
				return SQL_DONE;
			}
			st->res = r;
			st->nrows = PQntuples(r);
			st->row = 0;
			return st->nrows > 0 ? SQL_ROW : SQL_DONE;
		}
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		bool unique = state && strcmp(state, "23505") == 0;
		pg_error(c, NULL, PQresultErrorMessage(r));
		PQclear(r);
		if (unique)
			return SQL_UNIQUE;
		bool dead = PQstatus(c->pg) != CONNECTION_OK;
		pg_check_lost(c, in_tx);
		/* a connection found dead when nothing could have been written: once more on a new one */
		if (!(dead && attempt == 0 && !in_tx && st->retry_safe))
			return SQL_ERROR;
	}
}

static int pg_step(struct sql_stmt *s)
{
	struct pg_stmt *st = STMT(s);
	if (st->res)
		return ++st->row < st->nrows ? SQL_ROW : SQL_DONE;
	return pg_run(st);
}

static const char *pg_col_text(struct sql_stmt *s, int i)
{
	struct pg_stmt *st = STMT(s);
	if (!st->res || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int64(struct sql_stmt *s, int i)
{
	const char *v = pg_col_text(s, i);
	if (!v)
		return 0;
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static bool pg_col_null(struct sql_stmt *s, int i)
{
	return pg_col_text(s, i) == NULL;
}

/* ---- the serving lock ---- */

/* This process's name on its sessions (application_name): a lock held under it is this process's own. */
static const char *pg_app_name(void)
{
	static char name[40];
	if (!name[0]) {
		unsigned char r[8] = {0};
		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
			uint64_t v = ((uint64_t)getpid() << 40) ^ (uint64_t)now_ms();
			memcpy(r, &v, sizeof r);
		}
		snprintf(name, sizeof name, "opdesk-hub %02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
			 r[5], r[6], r[7]);
	}
	return name;
}

/* One row, one column of `sql` (heap text, NULL for SQL NULL or no row); -1 on an error (set), *lost when
 * the connection died. */
static int pg_query1(struct pg_conn *c, const char *sql, char **out, bool *lost)
{
	*out = NULL;
	PGresult *r = PQexec(c->pg, sql);
	int rc = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
			*out = xstrdup(PQgetvalue(r, 0, 0));
		rc = 0;
	} else {
		pg_error(c, "the hub's serving lock", PQresultErrorMessage(r));
		*lost = PQstatus(c->pg) != CONNECTION_OK;
	}
	PQclear(r);
	return rc;
}

#define SERVE_LOCK_ROW                                                                                           \
	"FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "  \
	"AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND l.classid = 0 "   \
	"AND l.objid = " LOCK_STR(SERVE_LOCK) " AND l.objsubid = 1 AND a.pid <> pg_backend_pid()"
#define LOCK_STR_(x) #x
#define LOCK_STR(x) LOCK_STR_(x)

/* Try the lock once: 1 taken, 0 held by another hub, -1 an error. A session of this very process holding it
 * (lost on our side, not yet noticed by the server) is ended and the lock tried again. */
static int pg_take_serve_lock(struct pg_conn *c, bool *lost)
{
	for (int round = 0; round < 2; round++) {
		char *got = NULL;
		if (pg_query1(c, "SELECT pg_try_advisory_lock(" LOCK_STR(SERVE_LOCK) ")", &got, lost) != 0)
			return -1;
		bool taken = got && got[0] == 't';
		free(got);
		if (taken) {
			c->serving = c->locked = true;
			return 1;
		}
		if (round > 0)
			break;
		char sql[512], *ended = NULL;
		char *app = PQescapeLiteral(c->pg, pg_app_name(), strlen(pg_app_name()));
		snprintf(sql, sizeof sql, "SELECT bool_or(pg_terminate_backend(a.pid, 5000)) " SERVE_LOCK_ROW
			 " AND a.application_name = %s", app ? app : "''");
		PQfreemem(app);
		if (pg_query1(c, sql, &ended, lost) != 0)
			return -1;
		bool again = ended && ended[0] == 't';
		free(ended);
		if (!again)
			break;
		log_warn("ended this hub's own lost session, which still held the serving lock");
	}
	return 0;
}

/* Who holds the lock, for the log (heap). */
static char *pg_serve_holder(struct pg_conn *c)
{
	char *who = NULL;
	bool lost = false;
	pg_query1(c, "SELECT format('%s, PostgreSQL process %s from %s since %s', a.application_name, a.pid, "
		     "coalesce(host(a.client_addr), 'a local socket'), date_trunc('second', a.backend_start)) "
		     SERVE_LOCK_ROW,
		  &who, &lost);
	return who ? who : xstrdup("another hub");
}

/* Sleep up to ms (-1: forever) or until stop_fd is readable: true when it is. */
static bool pg_wait_stop(int stop_fd, int fd, int ms)
{
	struct pollfd p[2] = {{.fd = stop_fd, .events = POLLIN}, {.fd = fd, .events = POLLIN}};
	int n = poll(p, fd >= 0 ? 2 : 1, ms);
	return n > 0 && (p[0].revents & POLLIN);
}

/* Wait on the server for the lock (SELECT pg_advisory_lock): 1 taken, 0 stopped, -1 the wait failed. */
static int pg_wait_serve_lock(struct pg_conn *c, int stop_fd)
{
	PGresult *r = PQexec(c->pg, "SET statement_timeout = 0"); /* the wait is no statement to time out */
	PQclear(r);
	if (!PQsendQuery(c->pg, "SELECT pg_advisory_lock(" LOCK_STR(SERVE_LOCK) ")")) {
		pg_error(c, "cannot wait for the serving lock", NULL);
		return -1;
	}
	int rc = -1;
	for (;;) {
		if (pg_wait_stop(stop_fd, PQsocket(c->pg), -1)) {
			PGcancel *cancel = PQgetCancel(c->pg);
			char buf[256];
			if (cancel) {
				PQcancel(cancel, buf, sizeof buf);
				PQfreeCancel(cancel);
			}
			rc = 0;
			break;
		}
		if (!PQconsumeInput(c->pg)) {
			pg_error(c, "lost the connection to the database while standing by", NULL);
			break;
		}
		if (PQisBusy(c->pg))
			continue;
		r = PQgetResult(c->pg);
		rc = PQresultStatus(r) == PGRES_TUPLES_OK ? 1 : -1;
		if (rc < 0)
			pg_error(c, "cannot wait for the serving lock", PQresultErrorMessage(r));
		PQclear(r);
		break;
	}
	while ((r = PQgetResult(c->pg))) /* the rest of the answer (a cancelled wait's error) */
		PQclear(r);
	if (rc == 1)
		c->serving = c->locked = true;
	r = PQexec(c->pg, "RESET statement_timeout");
	PQclear(r);
	return rc;
}

int sql_pg_serve(struct sql_conn *sc, const struct sql_serve_wait *w, char **cause)
{
	struct pg_conn *c = CONN(sc);
	bool told = false;
	for (;;) {
		if (PQstatus(c->pg) != CONNECTION_OK && !pg_reconnect(c)) {
			if (!w->wait) {
				*cause = xasprintf("%s", c->err);
				return -1;
			}
			if (pg_wait_stop(w->stop_fd, -1, (int)(c->next_try - now_ms()) + 1))
				return 1;
			continue;
		}
		bool lost = false;
		int got = pg_take_serve_lock(c, &lost);
		if (got == 1)
			return 0;
		if (got == 0 && !w->wait) {
			char *who = pg_serve_holder(c);
			*cause = xasprintf("another hub serves this database (%s); start this one with --standby to take "
					   "over when that one stops", who);
			free(who);
			return -1;
		}
		if (got == 0) {
			if (!told && w->standing_by) {
				char *who = pg_serve_holder(c);
				w->standing_by(w->arg, who);
				free(who);
				told = true;
			}
			got = pg_wait_serve_lock(c, w->stop_fd);
			if (got == 1)
				return 0;
			if (got == 0)
				return 1;
		}
		if (!w->wait) {
			*cause = xasprintf("%s", c->err);
			return -1;
		}
		/* the wait failed (the server restarting, the connection cut): again after a pause */
		log_warn("standing by: %s; trying again", c->err);
		if (PQstatus(c->pg) != CONNECTION_OK)
			pg_check_lost(c, false);
		else if (pg_wait_stop(w->stop_fd, -1, RECONNECT_MS))
			return 1;
	}
}

int sql_pg_socket(struct sql_conn *sc)
{
	struct pg_conn *c = CONN(sc);
	return c->base.fenced || PQstatus(c->pg) != CONNECTION_OK ? -1 : PQsocket(c->pg);
}

int sql_pg_check(struct sql_conn *sc)
{
	struct pg_conn *c = CONN(sc);
	if (c->base.fenced)
		return -1;
	if (PQstatus(c->pg) == CONNECTION_OK) {
		bool in_tx = pg_tx_open(c);
		if (!PQconsumeInput(c->pg) || PQstatus(c->pg) != CONNECTION_OK) {
			pg_error(c, NULL, NULL);
			pg_check_lost(c, in_tx);
		}
		PGnotify *n;
		while ((n = PQnotifies(c->pg)))
			PQfreemem(n);
	}
	if (!c->tx_lost && (PQstatus(c->pg) != CONNECTION_OK || (c->serving && !c->locked)))
		pg_ready(c);
	if (c->base.fenced)
		return -1;
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	int64_t wait = c->next_try - now_ms();
	return wait > 0 ? (int)wait : 1;
}

static const struct sql_driver pg_driver = {
	.kind = SQL_POSTGRES,
	.name = "PostgreSQL",
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.in_tx = pg_in_tx,
	.errmsg = pg_errmsg,
	.migrate_begin = pg_migrate_begin,
	.version_get = pg_version_get,
	.version_set = pg_version_set,
	.finalize = pg_finalize,
	.clear = pg_clear,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.step = pg_step,
	.reset = pg_reset,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
};

static void pg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs ("relation already exists, skipping") are not the operator's business */
}

int sql_open_pg(const char *conninfo, struct sql_conn **out, char **cause)
{
	*out = NULL;
	/* our defaults first: what the connection string itself says wins. TCP keepalives and a user timeout, so
	 * that a server gone silent (a partition, a dead machine) fails a statement within about 15 s instead of
	 * the kernel's minutes of retransmissions */
	const char *keys[] = { "connect_timeout", "application_name", "keepalives", "keepalives_idle",
			       "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname", NULL };
	const char *vals[] = { CONNECT_TIMEOUT_S, pg_app_name(), "1", "10", "3", "2", "15000", conninfo, NULL };
	PGconn *pg = PQconnectdbParams(keys, vals, 1);
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		const char *msg = pg ? PQerrorMessage(pg) : "out of memory";
		*cause = xasprintf("cannot connect to PostgreSQL: %.*s", (int)strcspn(msg, "\n"), msg);
		PQfinish(pg);
		return -1;
	}
	if (PQsetClientEncoding(pg, "UTF8") != 0) {
		*cause = xasprintf("PostgreSQL: cannot use UTF-8: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return -1;
	}
	PQsetNoticeProcessor(pg, pg_notice, NULL);
	struct pg_conn *c = xcalloc(1, sizeof *c);
	c->base.drv = &pg_driver;
	c->pg = pg;
	c->gen = 1;
	c->backoff_ms = RECONNECT_MS;
	*out = &c->base;
	return 0;
}

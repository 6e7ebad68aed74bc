/* hub_db_core.c: the store's operations on operators, dialogs and messages (hub_db.h), written once over
 * both engines (hub_sql.h), and what its other files share (hub_db_internal.h): opening an engine and
 * migrating its schema (hub_db_schema.h), nested transactions and group commit, the statements of the
 * table, prepared once in each engine's dialect. */
#include "hub_db_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_db_schema.h"
#include "hub_db_seed.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

/* The words stored in the database (the schema's own vocabulary, equal to the wire names). */
static const char *const db_channels[] = { "web", "telegram", "vk" };
static const char *const db_senders[] = { "customer", "operator", "system", "note" };
static const char *const db_roles[] = { "operator", "supervisor", "admin" };
_Static_assert(sizeof db_roles / sizeof *db_roles == PROTO_ROLE_COUNT, "one stored word per role");
static const char *const db_states[] = { "queued", "assigned", "closed" };
static const char *const db_closers[] = { "operator", "customer", "system" };

#define DB_WORD(table, i) ((size_t)(i) < sizeof table / sizeof *table ? table[i] : table[0])

static int db_word_find(const char *const *table, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(table[i], s) == 0)
			return (int)i;
	return -1;
}

#define DB_PARSE(table, s) db_word_find(table, sizeof table / sizeof *table, s)

/* ---- statements ---- */

#define DB_SQL(id, sql) [id] = sql,
static const char *const db_sql[ST_COUNT] = { DB_STATEMENTS(DB_SQL) };
static const char *const db_sql_pg[ST_COUNT] = { DB_STATEMENTS_PG(DB_SQL) };

/* The tables whose rows have an `id` the store reads back after an INSERT (PostgreSQL returns it). */
static const char *const db_id_tables[] = { "operators", "dialogs", "messages", "claims", "bridges", "audit",
					    "customers", "blocks", "mail", "requests" };

/* Statement `id` in the engine's dialect (heap). */
static char *db_statement_sql(enum sql_kind kind, enum hub_db_stmt_id id)
{
	if (kind == SQL_SQLITE)
		return xstrdup(db_sql[id]);
	const char *sql = db_sql_pg[id] ? db_sql_pg[id] : db_sql[id];
	for (size_t i = 0; i < sizeof db_id_tables / sizeof *db_id_tables; i++) {
		char prefix[64];
		snprintf(prefix, sizeof prefix, "INSERT INTO %s(", db_id_tables[i]);
		if (strncmp(sql, prefix, strlen(prefix)) == 0)
			return xasprintf("%s RETURNING id", sql);
	}
	return xstrdup(sql);
}

struct hub_db {
	struct sql_conn *c;
	struct sql_stmt *st[ST_COUNT]; /* every statement of the store (hub_db_internal.h), prepared at open */
	int depth;               /* nesting of hub_db_begin / internal transactions (an open batch is level 1) */
	bool tx_failed;          /* something inside the current transaction (or batch operation) failed */
	bool batch;              /* a group-commit batch is open (hub_db_batch_begin) */
	bool batch_failed;       /* a failed operation could not be undone alone: the batch rolls back */
	char err[512];
};

static void db_error(struct hub_db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what, sql_errmsg(db->c));
	log_error("%s", db->err);
}

const char *hub_db_errmsg(const struct hub_db *db)
{
	return db->err;
}

uint64_t hub_db_connection_losses(const struct hub_db *db)
{
	return db->c->losses;
}

sqlite3 *hub_db_sqlite(struct hub_db *db)
{
	return sql_sqlite_handle(db->c);
}

bool hub_db_target_is_postgres(const char *target)
{
	return sql_target_is_postgres(target);
}

int hub_db_watch_fd(struct hub_db *db)
{
	return sql_kind(db->c) == SQL_POSTGRES ? sql_pg_socket(db->c) : -1;
}

int hub_db_watch(struct hub_db *db)
{
	return sql_kind(db->c) == SQL_POSTGRES ? sql_pg_check(db->c) : 0;
}

bool hub_db_fenced(const struct hub_db *db)
{
	return db->c->fenced;
}

bool hub_db_is_postgres(const struct hub_db *db)
{
	return sql_kind(db->c) == SQL_POSTGRES;
}

int hub_db_fail(struct hub_db *db, const char *what)
{
	db_error(db, what);
	return HUB_DB_ERROR;
}

/* Take statement `id` ready to bind (reset, bindings cleared). */
struct sql_stmt *hub_db_stmt(struct hub_db *db, enum hub_db_stmt_id id)
{
	struct sql_stmt *st = db->st[id];
	sql_clear(st);
	return st;
}

int hub_db_changes(struct hub_db *db)
{
	return (int)sql_changes(db->c);
}

int64_t hub_db_last_id(struct hub_db *db)
{
	return sql_last_id(db->c);
}

char *hub_db_col_text(struct sql_stmt *st, int i)
{
	const char *s = sql_col_text(st, i);
	return s ? xstrdup(s) : NULL;
}

/* Run a statement that returns no rows; 0 or -1. */
static int run(struct hub_db *db, struct sql_stmt *st, const char *what)
{
	int rc = sql_step(st);
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, what);
		return -1;
	}
	return 0;
}

int hub_db_run(struct hub_db *db, struct sql_stmt *st, const char *what)
{
	return run(db, st, what) == 0 ? HUB_DB_OK : HUB_DB_ERROR;
}

/* ---- transactions ---- */

static int tx_begin(struct hub_db *db)
{
	if (db->batch && db->depth == 1) { /* one operation of a batch: a savepoint, undone alone if it fails */
		if (db->batch_failed || !sql_in_tx(db->c)) {
			/* the engine rolled the batch back itself (SQLite on a full disk, PostgreSQL on a lost connection):
			 * nothing more joins it */
			db->batch_failed = true;
			snprintf(db->err, sizeof db->err, "the batch of writes failed");
			return -1;
		}
		if (run(db, hub_db_stmt(db, ST_SAVEPOINT), "cannot begin a savepoint") != 0)
			return -1;
		db->depth = 2;
		db->tx_failed = false;
		return 0;
	}
	if (db->depth++ > 0)
		return 0;
	db->tx_failed = false;
	if (run(db, hub_db_stmt(db, ST_BEGIN), "cannot begin a transaction") != 0) {
		db->depth = 0;
		return -1;
	}
	return 0;
}

static void tx_rollback_now(struct hub_db *db)
{
	if (!!sql_in_tx(db->c)) {
		struct sql_stmt *st = hub_db_stmt(db, ST_ROLLBACK);
		sql_step(st);
		sql_reset(st);
	}
}

/* End one operation of a batch: keep its writes (for the batch's commit) or undo just them. */
static int savepoint_end(struct hub_db *db)
{
	bool failed = db->tx_failed;
	db->tx_failed = false;
	if (failed && run(db, hub_db_stmt(db, ST_ROLLBACK_TO), "cannot undo a failed write") != 0)
		db->batch_failed = true; /* its writes may still be in the batch: the batch must not commit */
	if (run(db, hub_db_stmt(db, ST_RELEASE), "cannot end a savepoint") != 0 || !sql_in_tx(db->c))
		db->batch_failed = true;
	return failed || db->batch_failed ? -1 : 0;
}

/* End one level; ok=false marks the transaction failed. Returns 0 when committed (or still nested
 * and fine), -1 when rolled back or failing. */
static int tx_end(struct hub_db *db, bool ok)
{
	if (db->depth <= 0)
		return ok ? 0 : -1;
	if (!ok)
		db->tx_failed = true;
	if (--db->depth > 0) {
		if (db->batch && db->depth == 1)
			return savepoint_end(db);
		return ok ? 0 : -1;
	}
	if (db->tx_failed) {
		tx_rollback_now(db);
		return -1;
	}
	if (run(db, hub_db_stmt(db, ST_COMMIT), "cannot commit") != 0) {
		tx_rollback_now(db);
		return -1;
	}
	return 0;
}

int hub_db_batch_begin(struct hub_db *db)
{
	if (db->batch)
		return HUB_DB_OK;
	if (db->depth != 0 || run(db, hub_db_stmt(db, ST_BEGIN), "cannot begin a transaction") != 0)
		return HUB_DB_ERROR;
	db->batch = true;
	db->batch_failed = false;
	db->depth = 1;
	return HUB_DB_OK;
}

bool hub_db_batch_open(const struct hub_db *db)
{
	return db->batch;
}

int hub_db_batch_commit(struct hub_db *db)
{
	if (!db->batch)
		return HUB_DB_OK;
	db->batch = false;
	db->depth = 0;
	if (db->batch_failed || run(db, hub_db_stmt(db, ST_COMMIT), "cannot commit") != 0) {
		tx_rollback_now(db);
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_begin(struct hub_db *db)
{
	return tx_begin(db) == 0 ? HUB_DB_OK : HUB_DB_ERROR;
}

int hub_db_commit(struct hub_db *db)
{
	return tx_end(db, true) == 0 ? HUB_DB_OK : HUB_DB_ERROR;
}

void hub_db_rollback(struct hub_db *db)
{
	(void)tx_end(db, false);
}

/* ---- open / close ---- */

static int db_seed_canned(struct sql_conn *c, char **cause)
{
	struct sql_stmt *st;
	if (c->drv->prepare(c, "INSERT INTO canned(id, lang, shortcut, category, title, text) VALUES(?,?,?,?,?,?)",
			    &st, cause) != 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < hub_canned_seed_count && rc == 0; i++) {
		const struct hub_canned_seed *s = &hub_canned_seed[i];
		const char *v[] = { s->id, s->lang, s->shortcut, s->category, s->title, s->text };
		sql_clear(st);
		for (int k = 0; k < 6; k++)
			sql_bind_text(st, k + 1, v[k]);
		if (sql_step(st) != SQL_DONE) {
			*cause = xasprintf("%s", sql_errmsg(c));
			rc = -1;
		}
	}
	sql_finalize(st);
	return rc;
}

/* Bring the schema to HUB_DB_SCHEMA_VERSION, one step a transaction. */
static int db_migrate(struct sql_conn *c, const char *target, char **cause)
{
	const char *const *steps = sql_kind(c) == SQL_POSTGRES ? hub_db_schema_pg : hub_db_schema_sqlite;
	for (;;) {
		char *why = NULL;
		int version;
		if (c->drv->migrate_begin(c, &why) != 0) {
			*cause = xasprintf("%s: cannot begin the schema's migration: %s", target, why);
			free(why);
			return -1;
		}
		if (c->drv->version_get(c, &version) != 0) {
			*cause = xasprintf("%s: cannot read the schema version: %s", target, sql_errmsg(c));
			sql_exec(c, "ROLLBACK", &why);
			free(why);
			return -1;
		}
		if (version > HUB_DB_SCHEMA_VERSION) {
			*cause = xasprintf("%s: schema version %d is newer than this hub understands (%d)", target, version,
					   HUB_DB_SCHEMA_VERSION);
			sql_exec(c, "ROLLBACK", &why);
			free(why);
			return -1;
		}
		if (version == HUB_DB_SCHEMA_VERSION)
			return sql_exec(c, "COMMIT", cause) == 0 ? 0 : -1;
		if (sql_exec(c, steps[version], &why) != 0 || (version == 0 && db_seed_canned(c, &why) != 0) ||
		    c->drv->version_set(c, version + 1, &why) != 0 || sql_exec(c, "COMMIT", &why) != 0) {
			char *ignored = NULL;
			sql_exec(c, "ROLLBACK", &ignored);
			free(ignored);
			*cause = xasprintf("%s: migration to schema version %d failed: %s", target, version + 1,
					   why ? why : "?");
			free(why);
			return -1;
		}
		log_info("%s: migrated the schema to version %d", target, version + 1);
	}
}

char *hub_db_target_name(const char *target)
{
	if (!sql_target_is_postgres(target))
		return xstrdup(target);
	const char *at = strchr(target, '@');
	const char *scheme = strstr(target, "://");
	if (scheme && at && at > scheme) {
		const char *colon = memchr(scheme + 3, ':', (size_t)(at - scheme - 3));
		if (colon)
			return xasprintf("%.*s:***%s", (int)(colon - target), target, at);
	}
	if (strstr(target, "password"))
		return xstrdup("the PostgreSQL database");
	return xstrdup(target);
}

int hub_db_open(const char *target, struct hub_db **out, char **cause)
{
	return hub_db_open_serving(target, NULL, out, cause);
}

int hub_db_open_serving(const char *target, const struct hub_db_serving *serve, struct hub_db **out, char **cause)
{
	*out = NULL;
	struct sql_conn *c = NULL;
	char *name = hub_db_target_name(target);
	int held = 0;
	if (sql_open(target, &c, cause) != 0 ||
	    (serve && sql_kind(c) == SQL_POSTGRES &&
	     (held = sql_pg_serve(c,
				  &(struct sql_serve_wait){.wait = serve->wait,
							   .stop_fd = serve->stop_fd,
							   .standing_by = serve->standing_by,
							   .arg = serve->arg},
				  cause)) != 0) ||
	    db_migrate(c, name, cause) != 0) {
		sql_close(c);
		free(name);
		return held == 1 ? 1 : -1;
	}
	struct hub_db *db = xcalloc(1, sizeof *db);
	db->c = c;
	for (int i = 0; i < ST_COUNT; i++) {
		char *sql = db_statement_sql(sql_kind(c), (enum hub_db_stmt_id)i);
		char *why = NULL;
		int rc = c->drv->prepare(c, sql, &db->st[i], &why);
		free(sql);
		if (rc != 0) {
			*cause = xasprintf("%s: %s", name, why);
			free(why);
			free(name);
			hub_db_close(db);
			return -1;
		}
	}
	free(name);
	*out = db;
	return 0;
}

void hub_db_close(struct hub_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sql_finalize(db->st[i]);
	sql_close(db->c);
	free(db);
}

int hub_db_version(struct hub_db *db)
{
	int v = -1;
	if (db->c->drv->version_get(db->c, &v) != 0)
		db_error(db, "cannot read the schema version");
	return v;
}

/* ---- operators ---- */

static void op_row(struct sql_stmt *st, struct hub_db_operator *o)
{
	o->id = sql_col_int64(st, 0);
	o->name = hub_db_col_text(st, 1);
	o->display = hub_db_col_text(st, 2);
	int role = DB_PARSE(db_roles, sql_col_text(st, 3));
	o->role = role < 0 ? PROTO_ROLE_OPERATOR : (enum proto_role)role;
	o->secret_hash = hub_db_col_text(st, 4);
	o->capacity = (int)sql_col_int64(st, 5);
	o->disabled = (int)sql_col_int64(st, 6) != 0;
	o->created = sql_col_int64(st, 7);
}

void hub_db_operator_free(struct hub_db_operator *o)
{
	if (!o)
		return;
	free(o->name);
	free(o->display);
	if (o->secret_hash)
		explicit_bzero(o->secret_hash, strlen(o->secret_hash));
	free(o->secret_hash);
	memset(o, 0, sizeof *o);
}

void hub_db_operators_free(struct hub_db_operator *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hub_db_operator_free(&v[i]);
	free(v);
}

int hub_db_operator_add(struct hub_db *db, const char *name, const char *display, enum proto_role role,
			const char *secret_hash, int capacity, int64_t now, int64_t *id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_ADD);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, display);
	sql_bind_text(st, 3, DB_WORD(db_roles, role));
	sql_bind_text(st, 4, secret_hash);
	sql_bind_int64(st, 5, capacity);
	sql_bind_int64(st, 6, now);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_UNIQUE)
		return HUB_DB_EXISTS;
	if (rc != SQL_DONE) {
		db_error(db, "cannot add the operator");
		return HUB_DB_ERROR;
	}
	if (id)
		*id = hub_db_last_id(db);
	return HUB_DB_OK;
}

static int op_one(struct hub_db *db, struct sql_stmt *st, struct hub_db_operator *out)
{
	memset(out, 0, sizeof *out);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		op_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	if (rc == SQL_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot read the operator");
	return HUB_DB_ERROR;
}

int hub_db_operator_by_name(struct hub_db *db, const char *name, struct hub_db_operator *out)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_BY_NAME);
	sql_bind_text(st, 1, name);
	return op_one(db, st, out);
}

int hub_db_operator_by_id(struct hub_db *db, int64_t id, struct hub_db_operator *out)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_BY_ID);
	sql_bind_int64(st, 1, id);
	return op_one(db, st, out);
}

int hub_db_returning(struct hub_db *db, const char *customer, enum proto_channel channel, int64_t since_ms,
		     bool *returning, int64_t *op)
{
	*returning = false;
	*op = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_RETURNING);
	sql_bind_text(st, 1, customer);
	sql_bind_text(st, 2, DB_WORD(db_channels, channel));
	sql_bind_int64(st, 3, since_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*returning = true;
		*op = sql_col_int64(st, 0);
	}
	sql_reset(st);
	if (rc != SQL_ROW && rc != SQL_DONE) {
		db_error(db, "cannot look for the customer's last chat");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_skills_get(struct hub_db *db, int64_t op, char **queues)
{
	*queues = NULL;
	struct sql_stmt *st = hub_db_stmt(db, ST_SKILLS_GET);
	sql_bind_int64(st, 1, op);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*queues = hub_db_col_text(st, 0);
	sql_reset(st);
	if (rc != SQL_ROW && rc != SQL_DONE) {
		db_error(db, "cannot read the operator's queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_skills_set(struct hub_db *db, int64_t op, const char *queues)
{
	struct sql_stmt *st = hub_db_stmt(db, queues ? ST_SKILLS_SET : ST_SKILLS_CLEAR);
	sql_bind_int64(st, 1, op);
	if (queues)
		sql_bind_text(st, 2, queues);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot store the operator's queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_operator_list(struct hub_db *db, struct hub_db_operator **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_LIST);
	struct hub_db_operator *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		op_row(st, &v[len++]);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot list the operators");
		hub_db_operators_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

static int changed(struct hub_db *db, int rc)
{
	if (rc != 0)
		return HUB_DB_ERROR;
	return hub_db_changes(db) > 0 ? HUB_DB_OK : HUB_DB_NOT_FOUND;
}

int hub_db_operator_update(struct hub_db *db, const struct hub_db_operator *o)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_UPDATE);
	sql_bind_text(st, 1, o->display);
	sql_bind_text(st, 2, DB_WORD(db_roles, o->role));
	sql_bind_text(st, 3, o->secret_hash);
	sql_bind_int64(st, 4, o->capacity);
	sql_bind_int64(st, 5, o->disabled);
	sql_bind_int64(st, 6, o->id);
	return changed(db, run(db, st, "cannot update the operator"));
}

int hub_db_operator_delete(struct hub_db *db, const char *name)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OP_IN_USE);
	sql_bind_text(st, 1, name);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_CONFLICT;
	if (rc != SQL_DONE) {
		db_error(db, "cannot check the operator's dialogs");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_OP_DELETE_SKILLS);
	sql_bind_text(st, 1, name);
	if (run(db, st, "cannot delete the operator's queues") != 0)
		return HUB_DB_ERROR;
	st = hub_db_stmt(db, ST_OP_DELETE);
	sql_bind_text(st, 1, name);
	return changed(db, run(db, st, "cannot delete the operator"));
}

/* ---- messages ---- */

/* A system line's particulars as stored: a JSON object of the fields that are set (NULL when none is). */
static char *db_args_json(const struct proto_sysargs *a)
{
	if (!a)
		return NULL;
	const char *keys[] = { "name", "user", "queue", "category", "note", "file", "filename", "type" };
	const char *vals[] = { a->name, a->user, a->queue, a->category, a->note, a->file, a->filename, a->type };
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (vals[i])
			json_object_set_new(o, keys[i], json_string(vals[i]));
	if (a->size)
		json_object_set_new(o, "size", json_integer(a->size));
	char *s = json_object_size(o) ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

static void db_args_parse(const char *text, struct proto_sysargs *a)
{
	json_t *o = json_loads(text, 0, NULL);
	char **dst[] = { &a->name, &a->user, &a->queue, &a->category, &a->note, &a->file, &a->filename, &a->type };
	const char *keys[] = { "name", "user", "queue", "category", "note", "file", "filename", "type" };
	for (size_t i = 0; json_is_object(o) && i < sizeof keys / sizeof *keys; i++) {
		const char *v = json_string_value(json_object_get(o, keys[i]));
		if (v && *v)
			*dst[i] = xstrdup(v);
	}
	json_t *size = json_is_object(o) ? json_object_get(o, "size") : NULL;
	if (json_is_integer(size) && json_integer_value(size) > 0)
		a->size = json_integer_value(size);
	json_decref(o);
}

void hub_db_msg_row(struct sql_stmt *st, struct proto_message *m)
{
	memset(m, 0, sizeof *m);
	m->id = sql_col_int64(st, 0);
	m->dialog = sql_col_int64(st, 1);
	m->seq = sql_col_int64(st, 2);
	m->time = sql_col_int64(st, 3);
	int s = DB_PARSE(db_senders, sql_col_text(st, 4));
	m->sender = s < 0 ? PROTO_FROM_SYSTEM : (enum proto_sender)s;
	m->author = hub_db_col_text(st, 5);
	m->text = hub_db_col_text(st, 6);
	if (!m->text)
		m->text = xstrdup("");
	m->client_msg_id = hub_db_col_text(st, 7);
	m->kind = hub_db_col_text(st, 8);
	const char *args = sql_col_text(st, 9);
	if (m->kind && args)
		db_args_parse(args, &m->args);
}

void hub_db_message_clear(struct proto_message *m)
{
	if (m)
		proto_message_free(m);
}

void hub_db_messages_free(struct proto_message *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hub_db_message_clear(&v[i]);
	free(v);
}

/* Look up an earlier message with this client_msg_id: HUB_DB_OK (found, into *out), HUB_DB_NOT_FOUND
 * or HUB_DB_ERROR. */
static int msg_find_dup(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
			const char *client_msg_id, struct proto_message *out)
{
	struct sql_stmt *st;
	if (sender == PROTO_FROM_CUSTOMER) {
		st = hub_db_stmt(db, ST_MSG_BY_CUSTOMER_ID);
		sql_bind_int64(st, 1, dialog);
	} else {
		st = hub_db_stmt(db, ST_MSG_BY_AUTHOR_ID);
		sql_bind_text(st, 1, author);
	}
	sql_bind_text(st, 2, client_msg_id);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		hub_db_msg_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	if (rc == SQL_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot look up the client message id");
	return HUB_DB_ERROR;
}

/* Insert inside an open transaction. */
static int msg_insert(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
		      const char *text, const char *kind, const struct proto_sysargs *args, const char *client_msg_id,
		      int64_t now, struct proto_message *out)
{
	/* two statements, not one UPDATE ... RETURNING: SQLite runs RETURNING through a temporary table, which
	 * costs a message about 23,000 more instructions than the SELECT (callgrind, docs/benchmarks.md) */
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_NEXT_SEQ);
	sql_bind_int64(st, 1, dialog);
	int rc = changed(db, run(db, st, "cannot number the message"));
	if (rc != HUB_DB_OK)
		return rc;
	st = hub_db_stmt(db, ST_DLG_LAST_SEQ);
	sql_bind_int64(st, 1, dialog);
	if (sql_step(st) != SQL_ROW) {
		db_error(db, "cannot read the message number");
		sql_reset(st);
		return HUB_DB_ERROR;
	}
	int64_t seq = sql_col_int64(st, 0);
	sql_reset(st);

	st = hub_db_stmt(db, ST_MSG_INSERT);
	sql_bind_int64(st, 1, dialog);
	sql_bind_int64(st, 2, seq);
	sql_bind_int64(st, 3, now);
	sql_bind_text(st, 4, DB_WORD(db_senders, sender));
	sql_bind_text(st, 5, author);
	sql_bind_text(st, 6, text);
	sql_bind_text(st, 7, client_msg_id);
	sql_bind_text(st, 8, kind);
	char *args_json = kind ? db_args_json(args) : NULL;
	sql_bind_text(st, 9, args_json);
	free(args_json);
	if (run(db, st, "cannot store the message") != 0)
		return HUB_DB_ERROR;
	if (out) {
		*out = (struct proto_message){
			.id = hub_db_last_id(db),
			.dialog = dialog,
			.seq = seq,
			.time = now,
			.sender = sender,
			.author = author ? xstrdup(author) : NULL,
			.text = xstrdup(text),
			.client_msg_id = client_msg_id ? xstrdup(client_msg_id) : NULL,
			.kind = kind ? xstrdup(kind) : NULL,
		};
		if (kind && args)
			proto_sysargs_copy(&out->args, args);
	}
	return HUB_DB_OK;
}

int hub_db_message_append(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
			  const char *text, const char *client_msg_id, int64_t now, struct proto_message *out)
{
	return hub_db_line_append(db, dialog, sender, author, text, NULL, NULL, client_msg_id, now, out);
}

int hub_db_line_append(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
		       const char *text, const char *kind, const struct proto_sysargs *args, const char *client_msg_id,
		       int64_t now, struct proto_message *out)
{
	struct proto_message tmp = { 0 };
	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (tx_begin(db) != 0)
		return HUB_DB_ERROR;
	int rc = HUB_DB_NOT_FOUND;
	if (client_msg_id && sender != PROTO_FROM_SYSTEM)
		rc = msg_find_dup(db, dialog, sender, author, client_msg_id, out);
	if (rc == HUB_DB_OK) {
		rc = out->dialog == dialog ? HUB_DB_EXISTS : HUB_DB_CONFLICT;
		if (rc == HUB_DB_CONFLICT)
			hub_db_message_clear(out);
		tx_end(db, true);
	} else if (rc == HUB_DB_NOT_FOUND) {
		rc = msg_insert(db, dialog, sender, author, text, kind, args, client_msg_id, now, out);
		if (rc == HUB_DB_NOT_FOUND) {
			tx_end(db, true); /* nothing written */
		} else if (tx_end(db, rc == HUB_DB_OK) != 0) {
			hub_db_message_clear(out);
			rc = HUB_DB_ERROR;
		}
	} else {
		tx_end(db, false);
	}
	hub_db_message_clear(&tmp);
	return rc;
}

int hub_db_dialog_file(struct hub_db *db, int64_t dialog, const char *hash, struct proto_message *out)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_MSG_FILE);
	sql_bind_int64(st, 1, dialog);
	sql_bind_text(st, 2, hash);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		hub_db_msg_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	if (rc == SQL_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot look the file up");
	return HUB_DB_ERROR;
}

static int msgs_collect(struct hub_db *db, struct sql_stmt *st, struct proto_message **out, size_t *n)
{
	struct proto_message *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		hub_db_msg_row(st, &v[len++]);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot read the history");
		hub_db_messages_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

int hub_db_history_last(struct hub_db *db, int64_t dialog, size_t limit, struct proto_message **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_MSG_LAST);
	sql_bind_int64(st, 1, dialog);
	sql_bind_int64(st, 2, (int64_t)limit);
	return msgs_collect(db, st, out, n);
}

int hub_db_history_after(struct hub_db *db, int64_t dialog, int64_t after, size_t limit,
			 struct proto_message **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_MSG_AFTER);
	sql_bind_int64(st, 1, dialog);
	sql_bind_int64(st, 2, after);
	sql_bind_int64(st, 3, (int64_t)limit);
	return msgs_collect(db, st, out, n);
}

/* ---- dialogs ---- */

int hub_db_dialog_open(struct hub_db *db, const char *customer, enum proto_channel channel, const char *queue,
		       const char *text, const char *client_msg_id, int64_t now, int64_t *dialog,
		       struct proto_message *first)
{
	if (tx_begin(db) != 0)
		return HUB_DB_ERROR;
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_INSERT);
	sql_bind_text(st, 1, customer);
	sql_bind_text(st, 2, DB_WORD(db_channels, channel));
	sql_bind_text(st, 3, queue && *queue ? queue : "general");
	sql_bind_int64(st, 4, now);
	if (run(db, st, "cannot create the dialog") != 0) {
		tx_end(db, false);
		return HUB_DB_ERROR;
	}
	int64_t id = hub_db_last_id(db);
	int rc = msg_insert(db, id, PROTO_FROM_CUSTOMER, customer, text, NULL, NULL, client_msg_id, now, first);
	if (tx_end(db, rc == HUB_DB_OK) != 0) {
		if (first)
			hub_db_message_clear(first);
		return HUB_DB_ERROR;
	}
	*dialog = id;
	return HUB_DB_OK;
}

/* Run a one-statement write in its own (possibly nested) transaction. */
static int write1(struct hub_db *db, struct sql_stmt *st, const char *what)
{
	if (tx_begin(db) != 0)
		return HUB_DB_ERROR;
	int rc = changed(db, run(db, st, what));
	if (tx_end(db, rc != HUB_DB_ERROR) != 0)
		return HUB_DB_ERROR;
	return rc;
}

int hub_db_dialog_assign(struct hub_db *db, int64_t dialog, int64_t op, int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_ASSIGN);
	sql_bind_int64(st, 1, op);
	sql_bind_int64(st, 2, now);
	sql_bind_int64(st, 3, dialog);
	return write1(db, st, "cannot assign the dialog");
}

int hub_db_dialog_requeue(struct hub_db *db, int64_t dialog, const char *queue)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_REQUEUE);
	sql_bind_text(st, 1, queue);
	sql_bind_int64(st, 2, dialog);
	return write1(db, st, "cannot put the dialog back in the queue");
}

int hub_db_dialog_close(struct hub_db *db, int64_t dialog, const char *topic, enum proto_closer by, int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_CLOSE);
	sql_bind_text(st, 1, topic);
	sql_bind_int64(st, 2, now);
	sql_bind_text(st, 3, DB_WORD(db_closers, by));
	sql_bind_int64(st, 4, dialog);
	return write1(db, st, "cannot close the dialog");
}

int hub_db_dialog_set_topic(struct hub_db *db, int64_t dialog, const char *topic)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_TOPIC);
	sql_bind_text(st, 1, topic);
	sql_bind_int64(st, 2, dialog);
	return write1(db, st, "cannot set the dialog's topic");
}

static void dlg_row(struct sql_stmt *st, struct hub_db_dialog *o)
{
	memset(o, 0, sizeof *o);
	struct proto_dialog *d = &o->d;
	d->id = sql_col_int64(st, 0);
	d->customer = hub_db_col_text(st, 1);
	if (!d->customer)
		d->customer = xstrdup("");
	int ch = DB_PARSE(db_channels, sql_col_text(st, 2));
	d->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
	d->queue = hub_db_col_text(st, 3);
	if (!d->queue)
		d->queue = xstrdup("general");
	int s = DB_PARSE(db_states, sql_col_text(st, 4));
	d->state = s < 0 ? PROTO_DS_CLOSED : (enum proto_dstate)s;
	o->operator_id = sql_col_int64(st, 5);
	d->topic = hub_db_col_text(st, 6);
	d->opened = sql_col_int64(st, 7);
	o->assigned = sql_col_int64(st, 8);
	o->closed = sql_col_int64(st, 9);
	int by = DB_PARSE(db_closers, sql_col_text(st, 10));
	o->has_closer = by >= 0;
	o->closed_by = by < 0 ? PROTO_BY_SYSTEM : (enum proto_closer)by;
	d->last_seq = sql_col_int64(st, 11);
	o->customer_id = sql_col_int64(st, 12);
}

void hub_db_dialog_free(struct hub_db_dialog *o)
{
	if (!o)
		return;
	free(o->d.customer);
	free(o->d.queue);
	free(o->d.topic);
	hub_db_messages_free(o->d.messages, o->d.n_messages);
	memset(o, 0, sizeof *o);
}

void hub_db_dialogs_free(struct hub_db_dialog *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hub_db_dialog_free(&v[i]);
	free(v);
}

int hub_db_dialog_get(struct hub_db *db, int64_t dialog, struct hub_db_dialog *out)
{
	memset(out, 0, sizeof *out);
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_GET);
	sql_bind_int64(st, 1, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		dlg_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	if (rc == SQL_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot read the dialog");
	return HUB_DB_ERROR;
}

int hub_db_dialogs_by_state(struct hub_db *db, enum proto_dstate state, struct hub_db_dialog **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_BY_STATE);
	sql_bind_text(st, 1, DB_WORD(db_states, state));
	struct hub_db_dialog *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		dlg_row(st, &v[len++]);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot list the dialogs");
		hub_db_dialogs_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

int hub_db_dialogs_of_operator(struct hub_db *db, int64_t op, int64_t **ids, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DLG_OF_OP);
	sql_bind_int64(st, 1, op);
	int64_t *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		v[len++] = sql_col_int64(st, 0);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot list the operator's dialogs");
		free(v);
		return HUB_DB_ERROR;
	}
	*ids = v;
	*n = len;
	return HUB_DB_OK;
}

/* ---- ratings ---- */

int hub_db_rating_add(struct hub_db *db, int64_t dialog, int score, const char *comment, int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_RATING_EXISTS);
	sql_bind_int64(st, 1, dialog);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_EXISTS;
	if (rc != SQL_DONE) {
		db_error(db, "cannot look up the rating");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_RATING_ADD);
	sql_bind_int64(st, 1, dialog);
	sql_bind_int64(st, 2, score);
	sql_bind_text(st, 3, comment);
	sql_bind_int64(st, 4, now);
	return write1(db, st, "cannot store the rating");
}

int hub_db_claim_add(struct hub_db *db, int64_t dialog, int64_t op, enum proto_claim category, const char *text,
		     int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CLAIM_ADD);
	sql_bind_int64(st, 1, dialog);
	sql_bind_int64(st, 2, op);
	sql_bind_text(st, 3, proto_claim_name(category));
	sql_bind_text(st, 4, text);
	sql_bind_int64(st, 5, now);
	return write1(db, st, "cannot store the claim");
}

/* ---- queue and canned replies ---- */

char *hub_db_preview(const char *text)
{
	if (!text)
		return xstrdup("");
	text += strspn(text, " \t\r\n"); /* the first line with something on it */
	size_t n = strcspn(text, "\r\n");
	if (n > PROTO_MAX_PREVIEW) {
		n = PROTO_MAX_PREVIEW;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--; /* do not cut a UTF-8 sequence */
	}
	return xstrndup(text, n);
}

void hub_db_queue_items_free(struct proto_queue_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].customer);
		free(v[i].queue);
		free(v[i].preview);
	}
	free(v);
}

/* Add `waiting` to queue `name` in the list, adding it if it is not there. */
static void queue_load_add(struct proto_queue_load **v, size_t *n, size_t *cap, const char *name, size_t len,
			   int64_t waiting)
{
	if (len == 0 || len > PROTO_MAX_NAME)
		return;
	for (size_t i = 0; i < *n; i++) {
		if (strlen((*v)[i].queue) == len && memcmp((*v)[i].queue, name, len) == 0) {
			(*v)[i].waiting += waiting;
			return;
		}
	}
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = (struct proto_queue_load){ .queue = xstrndup(name, len), .waiting = waiting };
}

int hub_db_queue_loads(struct hub_db *db, struct proto_queue_load **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_QUEUE_LOADS);
	size_t cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *names = sql_col_text(st, 0);
		int64_t waiting = sql_col_int64(st, 1);
		if (waiting > 0) { /* a queue chats wait in */
			if (names)
				queue_load_add(out, n, &cap, names, strlen(names), waiting);
			continue;
		}
		for (const char *p = names; p && *p;) { /* the queues an operator serves, comma-separated */
			size_t len = strcspn(p, ",");
			queue_load_add(out, n, &cap, p, len, 0);
			p += len + (p[len] == ',');
		}
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot read the queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_queue_items(struct hub_db *db, size_t limit, struct proto_queue_item **out, size_t *n, int64_t *total)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_QUEUE_COUNT);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*total = sql_col_int64(st, 0);
	sql_reset(st);
	if (rc != SQL_ROW) {
		db_error(db, "cannot count the queue");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_QUEUE_ITEMS);
	sql_bind_int64(st, 1, (int64_t)limit);
	struct proto_queue_item *v = NULL;
	size_t len = 0, cap = 0;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		struct proto_queue_item *q = &v[len++];
		q->dialog = sql_col_int64(st, 0);
		q->customer = hub_db_col_text(st, 1);
		if (!q->customer)
			q->customer = xstrdup("");
		int ch = DB_PARSE(db_channels, sql_col_text(st, 2));
		q->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		q->queue = hub_db_col_text(st, 3);
		if (!q->queue)
			q->queue = xstrdup("general");
		q->since = sql_col_int64(st, 4);
		q->preview = hub_db_preview(sql_col_text(st, 5));
		q->returning = sql_col_int64(st, 6);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot read the queue");
		hub_db_queue_items_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

void hub_db_canned_free(struct proto_canned *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].shortcut);
		free(v[i].category);
		free(v[i].title);
		free(v[i].text);
	}
	free(v);
}

int hub_db_canned(struct hub_db *db, const char *lang, struct proto_canned **out, size_t *n)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_CANNED);
	sql_bind_text(st, 1, lang);
	sql_bind_int64(st, 2, PROTO_MAX_ITEMS);
	struct proto_canned *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		struct proto_canned *c = &v[len++];
		char **f[] = { &c->id, &c->shortcut, &c->category, &c->title, &c->text };
		for (int k = 0; k < 5; k++) {
			*f[k] = hub_db_col_text(st, k);
			if (!*f[k])
				*f[k] = xstrdup("");
		}
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		db_error(db, "cannot read the canned replies");
		hub_db_canned_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

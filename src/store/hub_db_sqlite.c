/* hub_db_sqlite.c: the store's SQLite engine (the operations of hub_db.h; what its other files share is
 * hub_db_sqlite.h): opening with durable settings, versioned migrations by PRAGMA user_version, nested
 * transactions and group commit, and the statements of the table, prepared once. */
#include "hub_db_sqlite.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_db_seed.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define DB_BUSY_TIMEOUT_MS 5000

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

/* ---- migrations ---- */

/* Schema v1. Each migration step runs in one transaction together with its user_version bump. */
static const char db_schema_v1[] =
	"CREATE TABLE operators("
	" id INTEGER PRIMARY KEY,"
	" name TEXT UNIQUE NOT NULL,"
	" display TEXT,"
	" role TEXT NOT NULL CHECK(role IN ('operator','supervisor','admin')),"
	" secret_hash TEXT NOT NULL,"
	" capacity INTEGER NOT NULL DEFAULT 4,"
	" disabled INTEGER NOT NULL DEFAULT 0,"
	" created_ms INTEGER NOT NULL);"
	"CREATE TABLE dialogs("
	" id INTEGER PRIMARY KEY,"
	" customer TEXT NOT NULL,"
	" channel TEXT NOT NULL,"
	" queue TEXT NOT NULL DEFAULT 'general',"
	" state TEXT NOT NULL CHECK(state IN ('queued','assigned','closed')),"
	" operator_id INTEGER REFERENCES operators(id),"
	" topic TEXT,"
	" opened_ms INTEGER NOT NULL,"
	" assigned_ms INTEGER,"
	" closed_ms INTEGER,"
	" closed_by TEXT,"
	" last_seq INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX dialogs_by_state ON dialogs(state, opened_ms, id);"
	"CREATE INDEX dialogs_by_operator ON dialogs(operator_id, state);"
	"CREATE TABLE messages("
	" id INTEGER PRIMARY KEY,"
	" dialog_id INTEGER NOT NULL REFERENCES dialogs(id),"
	" seq INTEGER NOT NULL,"
	" time_ms INTEGER NOT NULL,"
	" sender TEXT NOT NULL CHECK(sender IN ('customer','operator','system','note')),"
	" author TEXT,"
	" text TEXT NOT NULL,"
	" client_msg_id TEXT,"
	" UNIQUE(dialog_id, seq));"
	/* an operator's client_msg_id names one message whatever the dialog; a customer's, within its dialog */
	"CREATE UNIQUE INDEX messages_operator_idem ON messages(author, client_msg_id)"
	" WHERE client_msg_id IS NOT NULL AND sender IN ('operator','note');"
	"CREATE UNIQUE INDEX messages_customer_idem ON messages(dialog_id, client_msg_id)"
	" WHERE client_msg_id IS NOT NULL AND sender = 'customer';"
	"CREATE TABLE ratings("
	" dialog_id INTEGER PRIMARY KEY REFERENCES dialogs(id),"
	" score INTEGER NOT NULL CHECK(score BETWEEN 1 AND 5),"
	" comment TEXT,"
	" time_ms INTEGER NOT NULL);"
	"CREATE TABLE claims("
	" id INTEGER PRIMARY KEY,"
	" dialog_id INTEGER NOT NULL REFERENCES dialogs(id),"
	" operator_id INTEGER REFERENCES operators(id),"
	" category TEXT NOT NULL CHECK(category IN ('quality','completeness','delivery','service')),"
	" text TEXT,"
	" status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open','in_progress','resolved')),"
	" time_ms INTEGER NOT NULL);"
	"CREATE INDEX claims_by_dialog ON claims(dialog_id);"
	"CREATE TABLE canned("
	" id TEXT PRIMARY KEY,"
	" lang TEXT,"
	" shortcut TEXT,"
	" category TEXT,"
	" title TEXT,"
	" text TEXT);"
	"CREATE INDEX canned_by_lang ON canned(lang, id);";

static int db_seed_canned(sqlite3 *h, char **cause)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, "INSERT INTO canned(id, lang, shortcut, category, title, text) VALUES(?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("%s", sqlite3_errmsg(h));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < hub_canned_seed_count && rc == 0; i++) {
		const struct hub_canned_seed *c = &hub_canned_seed[i];
		const char *v[] = { c->id, c->lang, c->shortcut, c->category, c->title, c->text };
		for (int k = 0; k < 6; k++)
			sqlite3_bind_text(st, k + 1, v[k], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			*cause = xasprintf("%s", sqlite3_errmsg(h));
			rc = -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int db_migrate_v1(sqlite3 *h, char **cause)
{
	char *msg = NULL;
	if (sqlite3_exec(h, db_schema_v1, NULL, NULL, &msg) != SQLITE_OK) {
		*cause = xasprintf("%s", msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return db_seed_canned(h, cause);
}

/* Run a migration script; on failure -1 with *cause. */
static int db_script(sqlite3 *h, const char *sql, char **cause)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		*cause = xasprintf("%s", msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* v2: the queues each operator serves (no row: every queue) */
static int db_migrate_v2(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "CREATE TABLE operator_skills("
			 " operator_id INTEGER PRIMARY KEY REFERENCES operators(id),"
			 " queues TEXT NOT NULL);", /* queue names, comma-separated */
			 cause);
}

/* v3: messenger bridges (accounts bound to a channel; a bridged dialog keeps the messenger's id of its customer
 * in `contact`) and the audit log (who did what to which dialog or account, and when) */
static int db_migrate_v3(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "CREATE TABLE bridges("
			 " id INTEGER PRIMARY KEY,"
			 " name TEXT UNIQUE NOT NULL,"
			 " channel TEXT NOT NULL CHECK(channel IN ('web','telegram','vk')),"
			 " secret_hash TEXT NOT NULL,"
			 " disabled INTEGER NOT NULL DEFAULT 0,"
			 " created_ms INTEGER NOT NULL);"
			 "ALTER TABLE dialogs ADD COLUMN contact TEXT;"
			 "CREATE INDEX dialogs_contact ON dialogs(channel, contact, id) WHERE contact IS NOT NULL;"
			 "CREATE TABLE audit("
			 " id INTEGER PRIMARY KEY,"
			 " time_ms INTEGER NOT NULL,"
			 " actor TEXT NOT NULL,"   /* an operator's or bridge's name, or 'hub', or 'cli' */
			 " action TEXT NOT NULL,"  /* a word: sign-in, sign-in-refused, take, transfer, close, ... */
			 " dialog_id INTEGER,"
			 " detail TEXT);"
			 "CREATE INDEX audit_time ON audit(time_ms);",
			 cause);
}

/* v4: the secret a web customer resumes their chat with (after a dropped connection, a reload, a hub restart);
 * dialogs by the time they opened (the report's period and the supervisors' "today" read them so, and a year
 * holds millions) */
static int db_migrate_v4(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "ALTER TABLE dialogs ADD COLUMN resume_token TEXT;"
			 "CREATE INDEX dialogs_opened ON dialogs(opened_ms);",
			 cause);
}

/* v5: what a line the hub wrote says, beside its text in the hub's language: its kind ("joined", "claim"...)
 * and its particulars as a JSON object (names, queue, category, note), so that each workstation renders it in
 * its own language (NULL for everything else) */
static int db_migrate_v5(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "ALTER TABLE messages ADD COLUMN kind TEXT;"
			 "ALTER TABLE messages ADD COLUMN args TEXT;",
			 cause);
}

/* v6: customers across chats (a web customer by the token the hub gave its browser, a bridged one by channel
 * and contact; every dialog names its customer: the bridged customers already known become one each, every
 * other earlier dialog its own) and the blocks set on customers (an address blocked too, until a time) */
static int db_migrate_v6(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "CREATE TABLE customers("
			 " id INTEGER PRIMARY KEY,"
			 " token TEXT UNIQUE,"     /* web: the customer_token its browser keeps */
			 " channel TEXT NOT NULL,"
			 " contact TEXT,"          /* bridged: the messenger's id */
			 " first_ms INTEGER NOT NULL,"
			 " address TEXT);"         /* web: the address it last opened a chat from */
			 "CREATE UNIQUE INDEX customers_contact ON customers(channel, contact) WHERE contact IS NOT NULL;"
			 "ALTER TABLE dialogs ADD COLUMN customer_id INTEGER REFERENCES customers(id);"
			 "CREATE INDEX dialogs_customer ON dialogs(customer_id, id);"
			 "CREATE TABLE blocks("
			 " id INTEGER PRIMARY KEY,"
			 " customer_id INTEGER NOT NULL REFERENCES customers(id),"
			 " address TEXT,"
			 " address_until_ms INTEGER,"
			 " reason TEXT NOT NULL,"
			 " by_user TEXT NOT NULL,"
			 " dialog_id INTEGER,"
			 " created_ms INTEGER NOT NULL,"
			 " removed_ms INTEGER,"
			 " removed_by TEXT);"
			 "CREATE INDEX blocks_customer ON blocks(customer_id) WHERE removed_ms IS NULL;"
			 "CREATE INDEX blocks_address ON blocks(address) WHERE removed_ms IS NULL;"
			 "INSERT INTO customers(channel, contact, first_ms) SELECT channel, contact, min(opened_ms)"
			 " FROM dialogs WHERE contact IS NOT NULL GROUP BY channel, contact;"
			 "UPDATE dialogs SET customer_id = (SELECT c.id FROM customers c WHERE c.channel = dialogs.channel"
			 " AND c.contact = dialogs.contact) WHERE contact IS NOT NULL;"
			 "CREATE TEMP TABLE v6_base AS SELECT coalesce(max(id), 0) AS base FROM customers;"
			 "INSERT INTO customers(id, channel, first_ms) SELECT id + (SELECT base FROM v6_base), channel,"
			 " opened_ms FROM dialogs WHERE customer_id IS NULL;"
			 "UPDATE dialogs SET customer_id = id + (SELECT base FROM v6_base) WHERE customer_id IS NULL;"
			 "DROP TABLE v6_base;",
			 cause);
}

/* v7: the outbox: mails (transcripts, answers to offline requests) waiting for the sendmail command, kept with
 * their attempts and the last failure until sent or given up */
static int db_migrate_v7(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "CREATE TABLE mail("
			 " id INTEGER PRIMARY KEY,"
			 " created_ms INTEGER NOT NULL,"
			 " to_addr TEXT NOT NULL,"
			 " kind TEXT NOT NULL,"
			 " dialog_id INTEGER,"
			 " message TEXT NOT NULL,"
			 " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','sent','failed')),"
			 " tries INTEGER NOT NULL DEFAULT 0,"
			 " next_ms INTEGER NOT NULL,"
			 " last_error TEXT,"
			 " done_ms INTEGER);"
			 "CREATE INDEX mail_pending ON mail(next_ms, id) WHERE state = 'pending';",
			 cause);
}

/* v8: offline requests: a customer's name, contact and text left while nobody served the queue, the secret
 * they ask after it with, who took it, and the answer */
static int db_migrate_v8(sqlite3 *h, char **cause)
{
	return db_script(h,
			 "CREATE TABLE requests("
			 " id INTEGER PRIMARY KEY,"
			 " created_ms INTEGER NOT NULL,"
			 " name TEXT NOT NULL,"
			 " email TEXT,"
			 " phone TEXT,"
			 " text TEXT NOT NULL,"
			 " queue TEXT NOT NULL,"
			 " token TEXT NOT NULL,"
			 " state TEXT NOT NULL DEFAULT 'open' CHECK(state IN ('open','taken','answered')),"
			 " taken_by INTEGER REFERENCES operators(id),"
			 " taken_ms INTEGER,"
			 " answer TEXT,"
			 " answered_ms INTEGER);"
			 "CREATE INDEX requests_open ON requests(created_ms, id) WHERE state <> 'answered';",
			 cause);
}

/* migrations[i] takes the schema from version i to i+1 */
static int (*const db_migrations[])(sqlite3 *, char **) = {
	db_migrate_v1,
	db_migrate_v2,
	db_migrate_v3,
	db_migrate_v4,
	db_migrate_v5,
	db_migrate_v6,
	db_migrate_v7,
	db_migrate_v8,
};

_Static_assert(sizeof db_migrations / sizeof *db_migrations == HUB_DB_SCHEMA_VERSION,
	       "one migration step per schema version");

/* ---- statements ---- */

#define DB_SQL(id, sql) [id] = sql,
static const char *const db_sql[ST_COUNT] = { DB_STATEMENTS(DB_SQL) };

struct hub_db {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT]; /* every statement of the store (hub_db_sqlite.h), prepared at open */
	int depth;               /* nesting of hub_db_begin / internal transactions (an open batch is level 1) */
	bool tx_failed;          /* something inside the current transaction (or batch operation) failed */
	bool batch;              /* a group-commit batch is open (hub_db_batch_begin) */
	bool batch_failed;       /* a failed operation could not be undone alone: the batch rolls back */
	char err[512];
};

static void db_error(struct hub_db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what, sqlite3_errmsg(db->h));
	log_error("%s", db->err);
}

const char *hub_db_errmsg(const struct hub_db *db)
{
	return db->err;
}

sqlite3 *hub_db_sqlite(struct hub_db *db)
{
	return db->h;
}

int hub_db_fail(struct hub_db *db, const char *what)
{
	db_error(db, what);
	return HUB_DB_ERROR;
}

/* Take statement `id` ready to bind (reset, bindings cleared). */
sqlite3_stmt *hub_db_stmt(struct hub_db *db, enum hub_db_stmt_id id)
{
	sqlite3_stmt *st = db->st[id];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int hub_db_changes(struct hub_db *db)
{
	return sqlite3_changes(db->h);
}

void hub_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *hub_db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

/* Run a statement that returns no rows; 0 or -1. */
static int run(struct hub_db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, what);
		return -1;
	}
	return 0;
}

int hub_db_run(struct hub_db *db, sqlite3_stmt *st, const char *what)
{
	return run(db, st, what) == 0 ? HUB_DB_OK : HUB_DB_ERROR;
}

/* ---- transactions ---- */

static int tx_begin(struct hub_db *db)
{
	if (db->batch && db->depth == 1) { /* one operation of a batch: a savepoint, undone alone if it fails */
		if (db->batch_failed || sqlite3_get_autocommit(db->h)) {
			/* SQLite rolled the batch back itself (e.g. on SQLITE_FULL): nothing more joins it */
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
	if (!sqlite3_get_autocommit(db->h)) {
		sqlite3_stmt *st = hub_db_stmt(db, ST_ROLLBACK);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
}

/* End one operation of a batch: keep its writes (for the batch's commit) or undo just them. */
static int savepoint_end(struct hub_db *db)
{
	bool failed = db->tx_failed;
	db->tx_failed = false;
	if (failed && run(db, hub_db_stmt(db, ST_ROLLBACK_TO), "cannot undo a failed write") != 0)
		db->batch_failed = true; /* its writes may still be in the batch: the batch must not commit */
	if (run(db, hub_db_stmt(db, ST_RELEASE), "cannot end a savepoint") != 0 || sqlite3_get_autocommit(db->h))
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

static int db_pragma_int(sqlite3 *h, const char *sql, int *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int db_exec(sqlite3 *h, const char *sql, char **cause)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", sql, msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int db_migrate(sqlite3 *h, const char *path, char **cause)
{
	int version;
	if (db_pragma_int(h, "PRAGMA user_version", &version) != 0) {
		*cause = xasprintf("%s: cannot read the schema version: %s", path, sqlite3_errmsg(h));
		return -1;
	}
	if (version > HUB_DB_SCHEMA_VERSION) {
		*cause = xasprintf("%s: schema version %d is newer than this hub understands (%d)", path, version,
				   HUB_DB_SCHEMA_VERSION);
		return -1;
	}
	for (int v = version; v < HUB_DB_SCHEMA_VERSION; v++) {
		char *why = NULL;
		if (db_exec(h, "BEGIN IMMEDIATE", &why) != 0)
			goto fail;
		if (db_migrations[v](h, &why) != 0) {
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
		if (db_exec(h, sql, &why) != 0 || db_exec(h, "COMMIT", &why) != 0) {
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
		log_info("%s: migrated the schema to version %d", path, v + 1);
		continue;
fail:
		*cause = xasprintf("%s: migration to schema version %d failed: %s", path, v + 1, why ? why : "?");
		free(why);
		return -1;
	}
	return 0;
}

int hub_db_open(const char *path, struct hub_db **out, char **cause)
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
	sqlite3_busy_timeout(h, DB_BUSY_TIMEOUT_MS);

	char *why = NULL;
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
	if (db_exec(h, "PRAGMA synchronous = FULL", &why) != 0 || db_exec(h, "PRAGMA foreign_keys = ON", &why) != 0) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		goto fail;
	}
	if (db_migrate(h, path, cause) != 0)
		goto fail;

	struct hub_db *db = xcalloc(1, sizeof *db);
	db->h = h;
	for (int i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(h, db_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->st[i], NULL) != SQLITE_OK) {
			*cause = xasprintf("%s: cannot prepare \"%s\": %s", path, db_sql[i], sqlite3_errmsg(h));
			hub_db_close(db);
			return -1;
		}
	}
	*out = db;
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return -1;
}

void hub_db_close(struct hub_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	free(db);
}

int hub_db_version(struct hub_db *db)
{
	int v = -1;
	if (db_pragma_int(db->h, "PRAGMA user_version", &v) != 0)
		db_error(db, "cannot read the schema version");
	return v;
}

/* ---- operators ---- */

static void op_row(sqlite3_stmt *st, struct hub_db_operator *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->name = hub_db_col_text(st, 1);
	o->display = hub_db_col_text(st, 2);
	int role = DB_PARSE(db_roles, (const char *)sqlite3_column_text(st, 3));
	o->role = role < 0 ? PROTO_ROLE_OPERATOR : (enum proto_role)role;
	o->secret_hash = hub_db_col_text(st, 4);
	o->capacity = sqlite3_column_int(st, 5);
	o->disabled = sqlite3_column_int(st, 6) != 0;
	o->created = sqlite3_column_int64(st, 7);
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_ADD);
	hub_db_bind_text(st, 1, name);
	hub_db_bind_text(st, 2, display);
	hub_db_bind_text(st, 3, DB_WORD(db_roles, role));
	hub_db_bind_text(st, 4, secret_hash);
	sqlite3_bind_int(st, 5, capacity);
	sqlite3_bind_int64(st, 6, now);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE)
		return HUB_DB_EXISTS;
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot add the operator");
		return HUB_DB_ERROR;
	}
	if (id)
		*id = sqlite3_last_insert_rowid(db->h);
	return HUB_DB_OK;
}

static int op_one(struct hub_db *db, sqlite3_stmt *st, struct hub_db_operator *out)
{
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		op_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	if (rc == SQLITE_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot read the operator");
	return HUB_DB_ERROR;
}

int hub_db_operator_by_name(struct hub_db *db, const char *name, struct hub_db_operator *out)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_BY_NAME);
	hub_db_bind_text(st, 1, name);
	return op_one(db, st, out);
}

int hub_db_operator_by_id(struct hub_db *db, int64_t id, struct hub_db_operator *out)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_BY_ID);
	sqlite3_bind_int64(st, 1, id);
	return op_one(db, st, out);
}

int hub_db_returning(struct hub_db *db, const char *customer, enum proto_channel channel, int64_t since_ms,
		     bool *returning, int64_t *op)
{
	*returning = false;
	*op = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_RETURNING);
	hub_db_bind_text(st, 1, customer);
	hub_db_bind_text(st, 2, DB_WORD(db_channels, channel));
	sqlite3_bind_int64(st, 3, since_ms);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*returning = true;
		*op = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(db, "cannot look for the customer's last chat");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_skills_get(struct hub_db *db, int64_t op, char **queues)
{
	*queues = NULL;
	sqlite3_stmt *st = hub_db_stmt(db, ST_SKILLS_GET);
	sqlite3_bind_int64(st, 1, op);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*queues = hub_db_col_text(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(db, "cannot read the operator's queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_skills_set(struct hub_db *db, int64_t op, const char *queues)
{
	sqlite3_stmt *st = hub_db_stmt(db, queues ? ST_SKILLS_SET : ST_SKILLS_CLEAR);
	sqlite3_bind_int64(st, 1, op);
	if (queues)
		hub_db_bind_text(st, 2, queues);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot store the operator's queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_operator_list(struct hub_db *db, struct hub_db_operator **out, size_t *n)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_LIST);
	struct hub_db_operator *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		op_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
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
	return sqlite3_changes(db->h) > 0 ? HUB_DB_OK : HUB_DB_NOT_FOUND;
}

int hub_db_operator_update(struct hub_db *db, const struct hub_db_operator *o)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_UPDATE);
	hub_db_bind_text(st, 1, o->display);
	hub_db_bind_text(st, 2, DB_WORD(db_roles, o->role));
	hub_db_bind_text(st, 3, o->secret_hash);
	sqlite3_bind_int(st, 4, o->capacity);
	sqlite3_bind_int(st, 5, o->disabled);
	sqlite3_bind_int64(st, 6, o->id);
	return changed(db, run(db, st, "cannot update the operator"));
}

int hub_db_operator_delete(struct hub_db *db, const char *name)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_OP_IN_USE);
	hub_db_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_CONFLICT;
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot check the operator's dialogs");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_OP_DELETE_SKILLS);
	hub_db_bind_text(st, 1, name);
	if (run(db, st, "cannot delete the operator's queues") != 0)
		return HUB_DB_ERROR;
	st = hub_db_stmt(db, ST_OP_DELETE);
	hub_db_bind_text(st, 1, name);
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

void hub_db_msg_row(sqlite3_stmt *st, struct proto_message *m)
{
	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->dialog = sqlite3_column_int64(st, 1);
	m->seq = sqlite3_column_int64(st, 2);
	m->time = sqlite3_column_int64(st, 3);
	int s = DB_PARSE(db_senders, (const char *)sqlite3_column_text(st, 4));
	m->sender = s < 0 ? PROTO_FROM_SYSTEM : (enum proto_sender)s;
	m->author = hub_db_col_text(st, 5);
	m->text = hub_db_col_text(st, 6);
	if (!m->text)
		m->text = xstrdup("");
	m->client_msg_id = hub_db_col_text(st, 7);
	m->kind = hub_db_col_text(st, 8);
	const char *args = (const char *)sqlite3_column_text(st, 9);
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
	sqlite3_stmt *st;
	if (sender == PROTO_FROM_CUSTOMER) {
		st = hub_db_stmt(db, ST_MSG_BY_CUSTOMER_ID);
		sqlite3_bind_int64(st, 1, dialog);
	} else {
		st = hub_db_stmt(db, ST_MSG_BY_AUTHOR_ID);
		hub_db_bind_text(st, 1, author);
	}
	hub_db_bind_text(st, 2, client_msg_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		hub_db_msg_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	if (rc == SQLITE_DONE)
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_NEXT_SEQ);
	sqlite3_bind_int64(st, 1, dialog);
	int rc = changed(db, run(db, st, "cannot number the message"));
	if (rc != HUB_DB_OK)
		return rc;
	st = hub_db_stmt(db, ST_DLG_LAST_SEQ);
	sqlite3_bind_int64(st, 1, dialog);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(db, "cannot read the message number");
		sqlite3_reset(st);
		return HUB_DB_ERROR;
	}
	int64_t seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	st = hub_db_stmt(db, ST_MSG_INSERT);
	sqlite3_bind_int64(st, 1, dialog);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, now);
	hub_db_bind_text(st, 4, DB_WORD(db_senders, sender));
	hub_db_bind_text(st, 5, author);
	hub_db_bind_text(st, 6, text);
	hub_db_bind_text(st, 7, client_msg_id);
	hub_db_bind_text(st, 8, kind);
	char *args_json = kind ? db_args_json(args) : NULL;
	hub_db_bind_text(st, 9, args_json);
	free(args_json);
	if (run(db, st, "cannot store the message") != 0)
		return HUB_DB_ERROR;
	if (out) {
		*out = (struct proto_message){
			.id = sqlite3_last_insert_rowid(db->h),
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_MSG_FILE);
	sqlite3_bind_int64(st, 1, dialog);
	hub_db_bind_text(st, 2, hash);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		hub_db_msg_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	if (rc == SQLITE_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot look the file up");
	return HUB_DB_ERROR;
}

static int msgs_collect(struct hub_db *db, sqlite3_stmt *st, struct proto_message **out, size_t *n)
{
	struct proto_message *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		hub_db_msg_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_MSG_LAST);
	sqlite3_bind_int64(st, 1, dialog);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return msgs_collect(db, st, out, n);
}

int hub_db_history_after(struct hub_db *db, int64_t dialog, int64_t after, size_t limit,
			 struct proto_message **out, size_t *n)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_MSG_AFTER);
	sqlite3_bind_int64(st, 1, dialog);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return msgs_collect(db, st, out, n);
}

/* ---- dialogs ---- */

int hub_db_dialog_open(struct hub_db *db, const char *customer, enum proto_channel channel, const char *queue,
		       const char *text, const char *client_msg_id, int64_t now, int64_t *dialog,
		       struct proto_message *first)
{
	if (tx_begin(db) != 0)
		return HUB_DB_ERROR;
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_INSERT);
	hub_db_bind_text(st, 1, customer);
	hub_db_bind_text(st, 2, DB_WORD(db_channels, channel));
	hub_db_bind_text(st, 3, queue && *queue ? queue : "general");
	sqlite3_bind_int64(st, 4, now);
	if (run(db, st, "cannot create the dialog") != 0) {
		tx_end(db, false);
		return HUB_DB_ERROR;
	}
	int64_t id = sqlite3_last_insert_rowid(db->h);
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
static int write1(struct hub_db *db, sqlite3_stmt *st, const char *what)
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_ASSIGN);
	sqlite3_bind_int64(st, 1, op);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, dialog);
	return write1(db, st, "cannot assign the dialog");
}

int hub_db_dialog_requeue(struct hub_db *db, int64_t dialog, const char *queue)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_REQUEUE);
	hub_db_bind_text(st, 1, queue);
	sqlite3_bind_int64(st, 2, dialog);
	return write1(db, st, "cannot put the dialog back in the queue");
}

int hub_db_dialog_close(struct hub_db *db, int64_t dialog, const char *topic, enum proto_closer by, int64_t now)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_CLOSE);
	hub_db_bind_text(st, 1, topic);
	sqlite3_bind_int64(st, 2, now);
	hub_db_bind_text(st, 3, DB_WORD(db_closers, by));
	sqlite3_bind_int64(st, 4, dialog);
	return write1(db, st, "cannot close the dialog");
}

int hub_db_dialog_set_topic(struct hub_db *db, int64_t dialog, const char *topic)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_TOPIC);
	hub_db_bind_text(st, 1, topic);
	sqlite3_bind_int64(st, 2, dialog);
	return write1(db, st, "cannot set the dialog's topic");
}

static void dlg_row(sqlite3_stmt *st, struct hub_db_dialog *o)
{
	memset(o, 0, sizeof *o);
	struct proto_dialog *d = &o->d;
	d->id = sqlite3_column_int64(st, 0);
	d->customer = hub_db_col_text(st, 1);
	if (!d->customer)
		d->customer = xstrdup("");
	int ch = DB_PARSE(db_channels, (const char *)sqlite3_column_text(st, 2));
	d->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
	d->queue = hub_db_col_text(st, 3);
	if (!d->queue)
		d->queue = xstrdup("general");
	int s = DB_PARSE(db_states, (const char *)sqlite3_column_text(st, 4));
	d->state = s < 0 ? PROTO_DS_CLOSED : (enum proto_dstate)s;
	o->operator_id = sqlite3_column_int64(st, 5);
	d->topic = hub_db_col_text(st, 6);
	d->opened = sqlite3_column_int64(st, 7);
	o->assigned = sqlite3_column_int64(st, 8);
	o->closed = sqlite3_column_int64(st, 9);
	int by = DB_PARSE(db_closers, (const char *)sqlite3_column_text(st, 10));
	o->has_closer = by >= 0;
	o->closed_by = by < 0 ? PROTO_BY_SYSTEM : (enum proto_closer)by;
	d->last_seq = sqlite3_column_int64(st, 11);
	o->customer_id = sqlite3_column_int64(st, 12);
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_GET);
	sqlite3_bind_int64(st, 1, dialog);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		dlg_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	if (rc == SQLITE_DONE)
		return HUB_DB_NOT_FOUND;
	db_error(db, "cannot read the dialog");
	return HUB_DB_ERROR;
}

int hub_db_dialogs_by_state(struct hub_db *db, enum proto_dstate state, struct hub_db_dialog **out, size_t *n)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_BY_STATE);
	hub_db_bind_text(st, 1, DB_WORD(db_states, state));
	struct hub_db_dialog *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		dlg_row(st, &v[len++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_DLG_OF_OP);
	sqlite3_bind_int64(st, 1, op);
	int64_t *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		v[len++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_RATING_EXISTS);
	sqlite3_bind_int64(st, 1, dialog);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_EXISTS;
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot look up the rating");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_RATING_ADD);
	sqlite3_bind_int64(st, 1, dialog);
	sqlite3_bind_int(st, 2, score);
	hub_db_bind_text(st, 3, comment);
	sqlite3_bind_int64(st, 4, now);
	return write1(db, st, "cannot store the rating");
}

int hub_db_claim_add(struct hub_db *db, int64_t dialog, int64_t op, enum proto_claim category, const char *text,
		     int64_t now)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_CLAIM_ADD);
	sqlite3_bind_int64(st, 1, dialog);
	sqlite3_bind_int64(st, 2, op);
	sqlite3_bind_text(st, 3, proto_claim_name(category), -1, SQLITE_STATIC);
	hub_db_bind_text(st, 4, text);
	sqlite3_bind_int64(st, 5, now);
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_QUEUE_LOADS);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *names = (const char *)sqlite3_column_text(st, 0);
		int64_t waiting = sqlite3_column_int64(st, 1);
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
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot read the queues");
		return HUB_DB_ERROR;
	}
	return HUB_DB_OK;
}

int hub_db_queue_items(struct hub_db *db, size_t limit, struct proto_queue_item **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_QUEUE_COUNT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		db_error(db, "cannot count the queue");
		return HUB_DB_ERROR;
	}
	st = hub_db_stmt(db, ST_QUEUE_ITEMS);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	struct proto_queue_item *v = NULL;
	size_t len = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		struct proto_queue_item *q = &v[len++];
		q->dialog = sqlite3_column_int64(st, 0);
		q->customer = hub_db_col_text(st, 1);
		if (!q->customer)
			q->customer = xstrdup("");
		int ch = DB_PARSE(db_channels, (const char *)sqlite3_column_text(st, 2));
		q->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		q->queue = hub_db_col_text(st, 3);
		if (!q->queue)
			q->queue = xstrdup("general");
		q->since = sqlite3_column_int64(st, 4);
		q->preview = hub_db_preview((const char *)sqlite3_column_text(st, 5));
		q->returning = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
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
	sqlite3_stmt *st = hub_db_stmt(db, ST_CANNED);
	hub_db_bind_text(st, 1, lang);
	sqlite3_bind_int(st, 2, PROTO_MAX_ITEMS);
	struct proto_canned *v = NULL;
	size_t len = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, len + 1, sizeof *v);
		struct proto_canned *c = &v[len++];
		char **f[] = { &c->id, &c->shortcut, &c->category, &c->title, &c->text };
		for (int k = 0; k < 5; k++) {
			*f[k] = hub_db_col_text(st, k);
			if (!*f[k])
				*f[k] = xstrdup("");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_error(db, "cannot read the canned replies");
		hub_db_canned_free(v, len);
		return HUB_DB_ERROR;
	}
	*out = v;
	*n = len;
	return HUB_DB_OK;
}

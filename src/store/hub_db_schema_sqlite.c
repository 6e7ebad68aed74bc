/* hub_db_schema_sqlite.c: the store's schema for SQLite, one script a version (hub_db_schema.h); its twin for
 * PostgreSQL is hub_db_schema_pg.c, step for step. */
#include "hub_db_schema.h"

/* v1: operators, dialogs, messages (numbered per dialog; a client_msg_id names one message), ratings,
 * claims, canned replies (seeded by the store after this step) */
static const char v1[] =
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

/* v2: the queues each operator serves (no row: every queue) */
static const char v2[] =
	"CREATE TABLE operator_skills("
	" operator_id INTEGER PRIMARY KEY REFERENCES operators(id),"
	" queues TEXT NOT NULL);"; /* queue names, comma-separated */

/* v3: messenger bridges (accounts bound to a channel; a bridged dialog keeps the messenger's id of its customer
 * in `contact`) and the audit log (who did what to which dialog or account, and when) */
static const char v3[] =
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
	"CREATE INDEX audit_time ON audit(time_ms);";

/* v4: the secret a web customer resumes their chat with (after a dropped connection, a reload, a hub restart);
 * dialogs by the time they opened (the report's period and the supervisors' "today" read them so, and a year
 * holds millions) */
static const char v4[] =
	"ALTER TABLE dialogs ADD COLUMN resume_token TEXT;"
	"CREATE INDEX dialogs_opened ON dialogs(opened_ms);";

/* v5: what a line the hub wrote says, beside its text in the hub's language: its kind ("joined", "claim"...)
 * and its particulars as a JSON object (names, queue, category, note), so that each workstation renders it in
 * its own language (NULL for everything else) */
static const char v5[] =
	"ALTER TABLE messages ADD COLUMN kind TEXT;"
	"ALTER TABLE messages ADD COLUMN args TEXT;";

/* v6: customers across chats (a web customer by the token the hub gave its browser, a bridged one by channel
 * and contact; every dialog names its customer: the bridged customers already known become one each, every
 * other earlier dialog its own) and the blocks set on customers (an address blocked too, until a time) */
static const char v6[] =
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
	"DROP TABLE v6_base;";

/* v7: the outbox: mails (transcripts, answers to offline requests) waiting for the sendmail command, kept with
 * their attempts and the last failure until sent or given up */
static const char v7[] =
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
	"CREATE INDEX mail_pending ON mail(next_ms, id) WHERE state = 'pending';";

/* v8: offline requests: a customer's name, contact and text left while nobody served the queue, the secret
 * they ask after it with, who took it, and the answer */
static const char v8[] =
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
	"CREATE INDEX requests_open ON requests(created_ms, id) WHERE state <> 'answered';";

const char *const hub_db_schema_sqlite[HUB_DB_SCHEMA_VERSION] = { v1, v2, v3, v4, v5, v6, v7, v8 };

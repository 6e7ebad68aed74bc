/* hub_db_internal.h: what the store's files (src/store/hub_db*.c) share: every statement of the store (one
 * table in SQL both engines run, with PostgreSQL's own text where the dialects differ; prepared once when
 * the store is opened), the handle's helpers, and reading a message row. Not for use outside src/store: the
 * rest of the hub reaches the store only through hub_db.h's named operations. The store's unit tests include
 * it for hub_db_sqlite() (to make a write fail on purpose). */
#ifndef OPDESK_HUB_DB_INTERNAL_H
#define OPDESK_HUB_DB_INTERNAL_H

#include <sqlite3.h>

#include "hub_sql.h"

#include "opdesk/hub_db.h"

#define HUB_DB_MSG_COLS "id, dialog_id, seq, time_ms, sender, author, text, client_msg_id, kind, args"
#define HUB_DB_MSG_NCOLS 10
#define BRIDGE_COLS "id, name, channel, secret_hash, disabled, created_ms"

/* The group keys of the period figures (hub_db_period_*), one per enum hub_db_period_by. */
#define KEY_OPERATOR                                                                                             \
	"CASE WHEN o.id IS NULL THEN '(nobody)' WHEN o.display IS NULL OR o.display = o.name THEN o.name "        \
	"ELSE o.display || ' (' || o.name || ')' END"
#define KEY_QUEUE "d.queue"
#define KEY_TOPIC "coalesce(d.topic, '(open)')"
#define KEY_USER "coalesce(o.name, '(nobody)')"
#define PERIOD_DIALOGS(key)                                                                                      \
	"SELECT " key ", d.opened_ms, d.assigned_ms, d.closed_ms, (SELECT min(m.time_ms) FROM messages m "       \
	"WHERE m.dialog_id = d.id AND m.sender = 'operator'), r.score, "                                          \
	"EXISTS(SELECT 1 FROM messages l WHERE l.dialog_id = d.id AND l.kind = 'left' AND NOT EXISTS("            \
	"SELECT 1 FROM messages j WHERE j.dialog_id = d.id AND j.kind = 'joined' AND j.seq < l.seq)) FROM dialogs d " \
	"LEFT JOIN operators o ON o.id = d.operator_id LEFT JOIN ratings r ON r.dialog_id = d.id "               \
	"WHERE d.opened_ms >= ? AND d.opened_ms < ? ORDER BY 1"
#define PERIOD_CLAIMS(key)                                                                                       \
	"SELECT " key ", c.category, count(*) FROM claims c JOIN dialogs d ON d.id = c.dialog_id "               \
	"LEFT JOIN operators o ON o.id = d.operator_id WHERE d.opened_ms >= ? AND d.opened_ms < ? GROUP BY 1, 2"

#define MSG_COLS HUB_DB_MSG_COLS
#define DLG_COLS                                                                                                 \
	"id, customer, channel, queue, state, operator_id, topic, opened_ms, assigned_ms, closed_ms, closed_by, "   \
	"last_seq, customer_id"
#define OP_COLS "id, name, display, role, secret_hash, capacity, disabled, created_ms"

#define DB_STATEMENTS(X)                                                                                         \
	X(ST_BEGIN, "BEGIN IMMEDIATE")                                                                           \
	X(ST_COMMIT, "COMMIT")                                                                                   \
	X(ST_ROLLBACK, "ROLLBACK")                                                                               \
	X(ST_SAVEPOINT, "SAVEPOINT op")                                                                          \
	X(ST_ROLLBACK_TO, "ROLLBACK TO op")                                                                      \
	X(ST_RELEASE, "RELEASE op")                                                                              \
	X(ST_OP_ADD, "INSERT INTO operators(name, display, role, secret_hash, capacity, disabled, created_ms) "   \
		     "VALUES(?,?,?,?,?,0,?)")                                                                    \
	X(ST_OP_BY_NAME, "SELECT " OP_COLS " FROM operators WHERE name = ?")                                    \
	X(ST_OP_BY_ID, "SELECT " OP_COLS " FROM operators WHERE id = ?")                                        \
	X(ST_OP_LIST, "SELECT " OP_COLS " FROM operators ORDER BY name")                                        \
	X(ST_OP_UPDATE, "UPDATE operators SET display = ?, role = ?, secret_hash = ?, capacity = ?, disabled = ? " \
			"WHERE id = ?")                                                                          \
	X(ST_SKILLS_GET, "SELECT queues FROM operator_skills WHERE operator_id = ?")                             \
	X(ST_SKILLS_SET, "INSERT INTO operator_skills(operator_id, queues) VALUES(?,?) "                 \
			 "ON CONFLICT(operator_id) DO UPDATE SET queues = excluded.queues")              \
	X(ST_SKILLS_CLEAR, "DELETE FROM operator_skills WHERE operator_id = ?")                                  \
	X(ST_DLG_RETURNING, "SELECT coalesce(operator_id, 0) FROM dialogs WHERE customer = ? AND channel = ? "    \
			    "AND state = 'closed' AND closed_ms >= ? ORDER BY closed_ms DESC LIMIT 1")            \
	X(ST_OP_DELETE, "DELETE FROM operators WHERE name = ?")                                                 \
	X(ST_OP_DELETE_SKILLS, "DELETE FROM operator_skills WHERE operator_id = "                                 \
			       "(SELECT id FROM operators WHERE name = ?)")                                                 \
	X(ST_OP_IN_USE, "SELECT 1 FROM dialogs WHERE operator_id = (SELECT id FROM operators WHERE name = ?) "   \
			"LIMIT 1")                                                                               \
	X(ST_DLG_INSERT, "INSERT INTO dialogs(customer, channel, queue, state, opened_ms, last_seq) "             \
			 "VALUES(?,?,?,'queued',?,0)")                                                           \
	X(ST_DLG_NEXT_SEQ, "UPDATE dialogs SET last_seq = last_seq + 1 WHERE id = ?")                            \
	X(ST_DLG_LAST_SEQ, "SELECT last_seq FROM dialogs WHERE id = ?")                            \
	X(ST_DLG_ASSIGN, "UPDATE dialogs SET state = 'assigned', operator_id = ?, assigned_ms = ? WHERE id = ?")  \
	X(ST_DLG_REQUEUE, "UPDATE dialogs SET state = 'queued', operator_id = NULL, queue = coalesce(?, queue) "  \
			  "WHERE id = ?")                                                                        \
	X(ST_DLG_CLOSE, "UPDATE dialogs SET state = 'closed', topic = ?, closed_ms = ?, closed_by = ? "          \
			"WHERE id = ?")                                                                          \
	X(ST_DLG_TOPIC, "UPDATE dialogs SET topic = ? WHERE id = ?")                                             \
	X(ST_DLG_GET, "SELECT " DLG_COLS " FROM dialogs WHERE id = ?")                                           \
	X(ST_DLG_BY_STATE, "SELECT " DLG_COLS " FROM dialogs WHERE state = ? ORDER BY opened_ms, id")            \
	X(ST_DLG_OF_OP, "SELECT id FROM dialogs WHERE operator_id = ? AND state = 'assigned' "                   \
			"ORDER BY assigned_ms, id")                                                              \
	X(ST_MSG_INSERT, "INSERT INTO messages(dialog_id, seq, time_ms, sender, author, text, client_msg_id, "   \
			 "kind, args) VALUES(?,?,?,?,?,?,?,?,?)")                                                \
	X(ST_MSG_BY_AUTHOR_ID, "SELECT " MSG_COLS " FROM messages WHERE author = ? AND client_msg_id = ? "        \
			       "AND sender IN ('operator','note')")                                              \
	X(ST_MSG_BY_CUSTOMER_ID, "SELECT " MSG_COLS " FROM messages WHERE dialog_id = ? AND client_msg_id = ? "   \
				 "AND sender = 'customer'")                                                      \
	X(ST_MSG_GET, "SELECT " MSG_COLS " FROM messages WHERE id = ?")                                          \
	X(ST_MSG_FILE, "SELECT " MSG_COLS " FROM messages WHERE dialog_id = ? AND kind = 'file' "               \
		       "AND json_extract(args, '$.file') = ? ORDER BY seq LIMIT 1")                              \
	X(ST_MSG_LAST, "SELECT * FROM (SELECT " MSG_COLS " FROM messages WHERE dialog_id = ? "                   \
		       "ORDER BY seq DESC LIMIT ?) AS last ORDER BY seq")                                               \
	X(ST_MSG_AFTER, "SELECT " MSG_COLS " FROM messages WHERE dialog_id = ? AND seq > ? ORDER BY seq LIMIT ?") \
	X(ST_RATING_ADD, "INSERT INTO ratings(dialog_id, score, comment, time_ms) VALUES(?,?,?,?)")              \
	X(ST_RATING_EXISTS, "SELECT 1 FROM ratings WHERE dialog_id = ?")                                         \
	X(ST_CLAIM_ADD, "INSERT INTO claims(dialog_id, operator_id, category, text, time_ms) VALUES(?,?,?,?,?)")   \
	X(ST_QUEUE_ITEMS, "SELECT d.id, d.customer, d.channel, d.queue, d.opened_ms, "                           \
			  "(SELECT m.text FROM messages m WHERE m.dialog_id = d.id AND m.sender = 'customer' "    \
			  "ORDER BY m.seq LIMIT 1), (SELECT count(*) FROM dialogs e WHERE e.customer_id = d.customer_id " \
			  "AND e.id < d.id) FROM dialogs d WHERE d.state = 'queued' "                      \
			  "ORDER BY d.opened_ms, d.id LIMIT ?")                                                  \
	X(ST_QUEUE_COUNT, "SELECT count(*) FROM dialogs WHERE state = 'queued'")                                 \
	X(ST_QUEUE_LOADS, "SELECT queue, count(*) FROM dialogs WHERE state = 'queued' GROUP BY queue "            \
			  "UNION ALL SELECT queues, 0 FROM operator_skills")                                        \
	X(ST_CANNED, "SELECT id, shortcut, category, title, text FROM canned WHERE lang = ? ORDER BY id LIMIT ?") \
	/* hub_db_bridge.c, hub_db_customer.c */ \
	X(ST_BRIDGE_ADD_TAKEN, "SELECT 1 FROM operators WHERE name = ?") \
	X(ST_BRIDGE_ADD_INSERT, "INSERT INTO bridges(name, channel, secret_hash, disabled, created_ms) VALUES(?,?,?,0,?)") \
	X(ST_BRIDGE_BY_NAME, "SELECT " BRIDGE_COLS " FROM bridges WHERE name = ?") \
	X(ST_BRIDGE_LIST, "SELECT " BRIDGE_COLS " FROM bridges ORDER BY name") \
	X(ST_BRIDGE_UPDATE, "UPDATE bridges SET secret_hash = coalesce(?, secret_hash), " "disabled = CASE WHEN ? < 0 THEN disabled ELSE ? END WHERE name = ?") \
	X(ST_DIALOG_SET_CONTACT, "UPDATE dialogs SET contact = ? WHERE id = ?") \
	X(ST_DIALOG_OF_CONTACT, "SELECT d.id, d.state, EXISTS(SELECT 1 FROM ratings r WHERE r.dialog_id = d.id) " "FROM dialogs d WHERE d.channel = ? AND d.contact = ? ORDER BY d.id DESC LIMIT 1") \
	X(ST_DIALOG_CONTACT, "SELECT channel, contact FROM dialogs WHERE id = ?") \
	X(ST_RETURNING_CONTACT, "SELECT coalesce(operator_id, 0) FROM dialogs WHERE channel = ? AND contact = ? " "AND state = 'closed' AND closed_ms >= ? ORDER BY closed_ms DESC LIMIT 1") \
	X(ST_BRIDGE_BACKLOG, "SELECT m.id, m.dialog_id, m.seq, m.time_ms, m.sender, m.author, m.text, m.client_msg_id, m.kind, m.args, " "d.contact " "FROM messages m JOIN dialogs d ON d.id = m.dialog_id " "WHERE m.id > ? AND d.channel = ? AND d.contact IS NOT NULL AND m.sender IN ('operator','system') " "ORDER BY m.id LIMIT ?") \
	X(ST_DIALOG_SET_TOKEN, "UPDATE dialogs SET resume_token = ? WHERE id = ?") \
	X(ST_DIALOG_RESUME_INFO, "SELECT resume_token, EXISTS(SELECT 1 FROM ratings r WHERE r.dialog_id = d.id) FROM dialogs d WHERE id = ?") \
	X(ST_OPEN_RETRY, "SELECT d.id, d.resume_token FROM dialogs d JOIN messages m ON m.dialog_id = d.id AND m.seq = 1" " WHERE d.state IN ('queued','assigned') AND d.opened_ms >= ? AND m.sender = 'customer'" " AND m.client_msg_id = ? AND m.text = ? AND d.customer = ? AND d.channel = ? ORDER BY d.id DESC LIMIT 1") \
	/* hub_db_customers.c */ \
	X(ST_CUST_BY_TOKEN, "SELECT id FROM customers WHERE token = ?") \
	X(ST_CUST_BY_CONTACT, "SELECT id FROM customers WHERE channel = ? AND contact = ?") \
	X(ST_CUST_ADD, "INSERT INTO customers(token, channel, contact, first_ms, address) VALUES(?,?,?,?,?)") \
	X(ST_CUST_SEEN, "UPDATE customers SET address = coalesce(?, address) WHERE id = ?") \
	X(ST_CUST_GET, "SELECT channel, contact, first_ms, token, address FROM customers WHERE id = ?") \
	X(ST_DLG_SET_CUSTOMER, "UPDATE dialogs SET customer_id = ? WHERE id = ?") \
	X(ST_RETURNING_CUSTOMER, "SELECT coalesce(operator_id, 0) FROM dialogs WHERE customer_id = ? " \
				 "AND state = 'closed' AND closed_ms >= ? ORDER BY closed_ms DESC LIMIT 1") \
	X(ST_CUST_EARLIER, "SELECT count(*) FROM dialogs WHERE customer_id = ? AND id < ?") \
	X(ST_DLG_CUSTOMER, "SELECT coalesce(customer_id, 0) FROM dialogs WHERE id = ?") \
	X(ST_CARD_NAMES, "SELECT customer, max(opened_ms) FROM dialogs WHERE customer_id = ? GROUP BY customer " \
			 "ORDER BY 2 DESC LIMIT ?") \
	X(ST_CARD_TEXTS, "SELECT m.text, m.time_ms FROM messages m JOIN dialogs d ON d.id = m.dialog_id " \
			 "WHERE d.customer_id = ? AND m.sender = 'customer' ORDER BY m.id DESC LIMIT 2000") \
	X(ST_CARD_CHATS, "SELECT d.id, d.opened_ms, coalesce(d.closed_ms, 0), d.state, d.queue, d.topic, o.name, " \
			 "coalesce(r.score, 0), (SELECT m.text FROM messages m WHERE m.dialog_id = d.id AND " \
			 "m.sender = 'customer' ORDER BY m.seq LIMIT 1) FROM dialogs d LEFT JOIN operators o ON " \
			 "o.id = d.operator_id LEFT JOIN ratings r ON r.dialog_id = d.id WHERE d.customer_id = ? " \
			 "AND d.id <> ? ORDER BY d.id DESC LIMIT ?") \
	X(ST_CARD_TOTAL, "SELECT count(*) FROM dialogs WHERE customer_id = ? AND id <> ?") \
	X(ST_CARD_CLAIMS, "SELECT category, count(*) FROM claims WHERE dialog_id = ? GROUP BY category") \
	X(ST_CARD_CHAT_TEXTS, "SELECT text FROM messages WHERE dialog_id = ? AND sender = 'customer' " \
			      "ORDER BY seq LIMIT 200") \
	/* hub_db_block.c */ \
	X(ST_BLOCK_ADD, "INSERT INTO blocks(customer_id, address, address_until_ms, reason, by_user, dialog_id, " \
			"created_ms) VALUES(?,?,?,?,?,?,?)") \
	X(ST_BLOCKED, "SELECT 1 FROM blocks WHERE removed_ms IS NULL AND (customer_id = ?1 OR (CAST(?2 AS TEXT) IS NOT NULL " \
		      "AND address = ?2 AND address_until_ms > ?3)) LIMIT 1") \
	X(ST_BLOCK_REMOVE, "UPDATE blocks SET removed_ms = ?, removed_by = ? WHERE id = ? AND removed_ms IS NULL") \
	X(ST_BLOCK_LIST, "SELECT b.id, b.customer_id, c.channel, c.contact, (SELECT d.customer FROM dialogs d " \
			 "WHERE d.customer_id = b.customer_id ORDER BY d.id DESC LIMIT 1), b.address, " \
			 "coalesce(b.address_until_ms, 0), b.reason, b.by_user, coalesce(b.dialog_id, 0), b.created_ms " \
			 "FROM blocks b JOIN customers c ON c.id = b.customer_id WHERE b.removed_ms IS NULL ORDER BY b.id") \
	X(ST_BLOCK_GET, "SELECT customer_id, coalesce(dialog_id, 0) FROM blocks WHERE id = ? AND removed_ms IS NULL") \
	/* hub_db_mail.c */ \
	X(ST_MAIL_ADD, "INSERT INTO mail(created_ms, to_addr, kind, dialog_id, message, next_ms) VALUES(?1,?2,?3,?4,?5,?1)") \
	X(ST_MAIL_NEXT, "SELECT id, to_addr, kind, coalesce(dialog_id, 0), message, tries, next_ms FROM mail " \
			"WHERE state = 'pending' ORDER BY next_ms, id LIMIT 1") \
	X(ST_MAIL_DONE, "UPDATE mail SET tries = ?2, state = ?3, next_ms = ?4, last_error = coalesce(?5, last_error), " \
			"done_ms = CASE WHEN ?3 = 'pending' THEN NULL ELSE CAST(?6 AS BIGINT) END WHERE id = ?1") \
	X(ST_MAIL_COUNT_FOR, "SELECT count(*) FROM mail WHERE kind = ? AND dialog_id = ?") \
	X(ST_MAIL_TALLY, "SELECT state, count(*) FROM mail GROUP BY state") \
	/* hub_db_request.c */ \
	X(ST_REQ_ADD, "INSERT INTO requests(created_ms, name, email, phone, text, queue, token) VALUES(?,?,?,?,?,?,?)") \
	X(ST_REQ_GET, "SELECT r.id, r.created_ms, r.name, r.email, r.phone, r.text, r.queue, o.name, r.token, r.state, " \
		      "coalesce(r.taken_by, 0), r.answer, coalesce(r.answered_ms, 0) FROM requests r " \
		      "LEFT JOIN operators o ON o.id = r.taken_by WHERE r.id = ?") \
	X(ST_REQ_OPEN, "SELECT r.id, r.created_ms, r.name, r.email, r.phone, r.text, r.queue, o.name FROM requests r " \
		       "LEFT JOIN operators o ON o.id = r.taken_by WHERE r.state <> 'answered' " \
		       "ORDER BY r.created_ms, r.id LIMIT ?") \
	X(ST_REQ_COUNT_OPEN, "SELECT count(*) FROM requests WHERE state <> 'answered'") \
	X(ST_REQ_TAKE, "UPDATE requests SET state = 'taken', taken_by = ?2, taken_ms = ?3 WHERE id = ?1 " \
		       "AND (state = 'open' OR (state = 'taken' AND taken_by = ?2))") \
	X(ST_REQ_ANSWER, "UPDATE requests SET state = 'answered', taken_by = ?2, taken_ms = coalesce(taken_ms, ?3), " \
			 "answer = ?4, answered_ms = ?3 WHERE id = ?1 AND (state = 'open' OR (state = 'taken' AND taken_by = ?2))") \
	X(ST_REQ_EXISTS, "SELECT 1 FROM requests WHERE id = ?") \
	X(ST_REQ_TALLY, "SELECT (SELECT count(*) FROM requests WHERE created_ms >= ?1 AND created_ms < ?2), " \
			"(SELECT count(*) FROM requests WHERE answered_ms >= ?1 AND answered_ms < ?2), " \
			"(SELECT count(*) FROM requests WHERE state <> 'answered')") \
	/* hub_db_audit.c */ \
	X(ST_AUDIT_ADD, "INSERT INTO audit(time_ms, actor, action, dialog_id, detail) VALUES(?,?,?,?,?)") \
	X(ST_AUDIT_READ, "SELECT time_ms, actor, action, coalesce(dialog_id, 0), detail FROM audit " \
			 "WHERE time_ms >= ? AND time_ms < ? AND (CAST(?3 AS TEXT) IS NULL OR actor = ?3) ORDER BY time_ms, id") \
	/* hub_db_canned.c */ \
	X(ST_CANNED_ALL, "SELECT id, lang, shortcut, category, title, text FROM canned ORDER BY lang, id") \
	X(ST_CANNED_PUT, "INSERT INTO canned(id, lang, shortcut, category, title, text) VALUES(?,?,?,?,?,?) " \
			 "ON CONFLICT(id) DO UPDATE SET lang = excluded.lang, shortcut = excluded.shortcut, " \
			 "category = excluded.category, title = excluded.title, text = excluded.text") \
	/* hub_db_stats.c */ \
	X(ST_OPEN_UNANSWERED, "SELECT d.id, coalesce((SELECT min(m.time_ms) FROM messages m WHERE m.dialog_id = d.id " \
	  "AND m.sender = 'customer' AND m.seq > coalesce((SELECT max(o.seq) FROM messages o WHERE o.dialog_id = d.id " \
	  "AND o.sender = 'operator'), 0)), 0) FROM dialogs d WHERE d.state IN ('queued','assigned')") \
	X(ST_OPEN_IDLE, "SELECT d.id, o.time_ms, coalesce((SELECT min(w.time_ms) FROM messages w WHERE w.dialog_id = d.id " \
	  "AND w.kind = 'idle_warning' AND w.seq > o.seq), 0) FROM dialogs d JOIN messages o ON o.id = (SELECT m.id " \
	  "FROM messages m WHERE m.dialog_id = d.id AND m.sender = 'operator' ORDER BY m.seq DESC LIMIT 1) " \
	  "WHERE d.state = 'assigned' AND NOT EXISTS(SELECT 1 FROM messages c WHERE c.dialog_id = d.id " \
	  "AND c.sender = 'customer' AND c.seq > o.seq)") \
	X(ST_PERIOD_AUTO_CLOSED, "SELECT count(*) FROM dialogs d WHERE d.opened_ms >= ? AND d.opened_ms < ? AND " \
	  "EXISTS(SELECT 1 FROM messages m WHERE m.dialog_id = d.id AND m.kind = 'idle_closed')") \
	X(ST_PERIOD_MAIL, "SELECT state, count(*) FROM mail WHERE created_ms >= ? AND created_ms < ? GROUP BY state") \
	X(ST_HEALTH, "PRAGMA application_id = 1869636723") \
	X(ST_TALLY_DIALOGS, "SELECT s.state, (SELECT count(*) FROM dialogs d WHERE d.state = s.state) FROM " \
			    "(SELECT 'queued' AS state UNION ALL SELECT 'assigned' UNION ALL SELECT 'closed') s") \
	X(ST_TALLY_MESSAGES, "SELECT sender, count(*) FROM messages GROUP BY sender ORDER BY sender") \
	X(ST_TALLY_RATINGS, "SELECT score, count(*) FROM ratings GROUP BY score ORDER BY score") \
	X(ST_TALLY_CLAIMS, "SELECT category, count(*) FROM claims GROUP BY category ORDER BY category") \
	X(ST_TALLY_BLOCKS, "SELECT s.state, (SELECT count(*) FROM blocks b WHERE (b.removed_ms IS NULL) = (s.state = " \
			   "'in_force')) FROM (SELECT 'in_force' AS state UNION ALL SELECT 'lifted') s") \
	X(ST_PERIOD_DIALOGS_OPERATOR, PERIOD_DIALOGS(KEY_OPERATOR)) \
	X(ST_PERIOD_DIALOGS_QUEUE, PERIOD_DIALOGS(KEY_QUEUE)) \
	X(ST_PERIOD_DIALOGS_TOPIC, PERIOD_DIALOGS(KEY_TOPIC)) \
	X(ST_PERIOD_DIALOGS_USER, PERIOD_DIALOGS(KEY_USER)) \
	X(ST_PERIOD_CLAIMS_OPERATOR, PERIOD_CLAIMS(KEY_OPERATOR)) \
	X(ST_PERIOD_BLOCKS, "SELECT (SELECT count(*) FROM blocks WHERE created_ms >= ?1 AND created_ms < ?2), " \
			    "(SELECT count(*) FROM blocks WHERE removed_ms >= ?1 AND removed_ms < ?2)") \
	X(ST_PERIOD_FILES, "SELECT sender, count(*), coalesce(sum(json_extract(args, '$.size')), 0) FROM messages " \
			   "WHERE kind = 'file' AND time_ms >= ? AND time_ms < ? GROUP BY sender") \
	X(ST_PERIOD_CLAIMS_QUEUE, PERIOD_CLAIMS(KEY_QUEUE)) \
	X(ST_PERIOD_CLAIMS_TOPIC, PERIOD_CLAIMS(KEY_TOPIC)) \
	X(ST_PERIOD_CLAIMS_USER, PERIOD_CLAIMS(KEY_USER))

/* PostgreSQL's text of the statements whose SQLite text it does not run (JSON, PRAGMA, BEGIN IMMEDIATE).
 * Besides these, an INSERT into a table with an id gets " RETURNING id" (hub_db_core.c). */
#define DB_STATEMENTS_PG(X)                                                                                      \
	X(ST_BEGIN, "BEGIN")                                                                                     \
	X(ST_MSG_FILE, "SELECT " MSG_COLS " FROM messages WHERE dialog_id = ? AND kind = 'file' "               \
		       "AND args::json->>'file' = ? ORDER BY seq LIMIT 1")                                       \
	X(ST_PERIOD_FILES, "SELECT sender, count(*), coalesce(sum((args::json->>'size')::bigint), 0) FROM messages " \
			   "WHERE kind = 'file' AND time_ms >= ? AND time_ms < ? GROUP BY sender")               \
	X(ST_HEALTH, "UPDATE opdesk_schema SET version = version")

#define DB_ENUM(id, sql) id,
enum hub_db_stmt_id { DB_STATEMENTS(DB_ENUM) ST_COUNT };
#undef DB_ENUM

/* Statement `id`, reset and ready to bind. */
struct sql_stmt *hub_db_stmt(struct hub_db *db, enum hub_db_stmt_id id);
/* Record an error for hub_db_errmsg ("what: the engine's message"), logged; returns HUB_DB_ERROR. */
int hub_db_fail(struct hub_db *db, const char *what);
/* Step a statement that returns no rows: HUB_DB_OK, or HUB_DB_ERROR recorded as "what: the engine's message". */
int hub_db_run(struct hub_db *db, struct sql_stmt *st, const char *what);
/* Rows changed by the last write. */
int hub_db_changes(struct hub_db *db);
/* The id the last INSERT gave its row. */
int64_t hub_db_last_id(struct hub_db *db);
/* A column as a heap string (NULL for SQL NULL). */
char *hub_db_col_text(struct sql_stmt *st, int i);
/* Read a message from a row whose columns are HUB_DB_MSG_COLS. */
void hub_db_msg_row(struct sql_stmt *st, struct proto_message *m);
/* The SQLite handle (NULL on PostgreSQL): the store's unit tests only. */
sqlite3 *hub_db_sqlite(struct hub_db *db);

#endif

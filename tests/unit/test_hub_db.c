/* test_hub_db.c: the hub's SQLite store on real files: migrations, durability settings, message
 * numbering, idempotent sends, history, queue and canned replies, and write failures surfacing as errors. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub_db_internal.h" /* the store's internal header: hub_db_sqlite() makes a write fail */
#include "opdesk/xalloc.h"
#include "unit_db.h"

static struct unit_db u; /* the names below are the tests' short names for its members */
#define dir (u.dir)
#define path (u.path)
#define db (u.db)

static void setup(void)
{
	unit_db_open(&u);
}

static void teardown(void)
{
	unit_db_close(&u);
}

TestSuite(hub_db, .init = setup, .fini = teardown);

static char *pragma_text(const char *sql)
{
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_prepare_v2(hub_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	char *s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static int64_t count(const char *sql)
{
	char *s = pragma_text(sql);
	int64_t n = strtoll(s, NULL, 10);
	free(s);
	return n;
}

static int64_t open_dialog(const char *customer, const char *text, int64_t now)
{
	int64_t id = 0;
	struct proto_message first;
	cr_assert_eq(hub_db_dialog_open(db, customer, PROTO_CH_VK, NULL, text, NULL, now, &id, &first), HUB_DB_OK);
	cr_expect_eq(first.seq, 1);
	cr_expect_eq(first.sender, PROTO_FROM_CUSTOMER);
	hub_db_message_clear(&first);
	return id;
}

static int64_t add_operator(const char *name)
{
	int64_t id = 0;
	cr_assert_eq(hub_db_operator_add(db, name, "Анна", PROTO_ROLE_OPERATOR, "$y$hash", 4, 1, &id), HUB_DB_OK);
	return id;
}

Test(hub_db, fresh_file_is_migrated_wal_and_sound)
{
	cr_expect_eq(hub_db_version(db), HUB_DB_SCHEMA_VERSION);
	char *mode = pragma_text("PRAGMA journal_mode");
	cr_expect_str_eq(mode, "wal");
	free(mode);
	cr_expect_eq(count("PRAGMA synchronous"), 2, "synchronous is not FULL");
	cr_expect_eq(count("PRAGMA foreign_keys"), 1);
	char *ok = pragma_text("PRAGMA integrity_check");
	cr_expect_str_eq(ok, "ok");
	free(ok);
	for (const char *const *t = (const char *const[]){ "operators", "dialogs", "messages", "ratings", "canned",
							   NULL };
	     *t; t++) {
		char *sql = xasprintf("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='%s'", *t);
		cr_expect_eq(count(sql), 1, "table %s is missing", *t);
		free(sql);
	}
}

Test(hub_db, reopen_is_idempotent)
{
	add_operator("anna");
	int64_t canned = count("SELECT count(*) FROM canned");
	hub_db_close(db);
	db = NULL;
	char *cause = NULL;
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(hub_db_open(path, &db, &cause), 0, "%s", cause ? cause : "");
		cr_expect_eq(hub_db_version(db), HUB_DB_SCHEMA_VERSION);
		cr_expect_eq(count("SELECT count(*) FROM canned"), canned, "canned replies seeded twice");
		cr_expect_eq(count("SELECT count(*) FROM operators"), 1);
		if (i == 0) {
			hub_db_close(db);
			db = NULL;
		}
	}
}

Test(hub_db, newer_schema_is_refused)
{
	cr_assert_eq(sqlite3_exec(hub_db_sqlite(db), "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	hub_db_close(db);
	db = NULL;
	char *cause = NULL;
	struct hub_db *other = NULL;
	cr_expect_eq(hub_db_open(path, &other, &cause), -1);
	cr_expect_not_null(cause);
	cr_expect_not_null(strstr(cause, "newer"), "%s", cause);
	free(cause);
	cr_assert_eq(hub_db_open(path, &db, &cause), -1); /* leave db NULL for teardown */
	free(cause);
	db = NULL;
}

Test(hub_db, not_a_database_is_an_error)
{
	char *junk = xasprintf("%s/junk.db", dir);
	FILE *f = fopen(junk, "w");
	fputs("this is not an SQLite file, not at all, not even close to one.......................", f);
	fclose(f);
	struct hub_db *other = NULL;
	char *cause = NULL;
	cr_expect_eq(hub_db_open(junk, &other, &cause), -1);
	cr_expect_not_null(cause);
	free(cause);
	unlink(junk);
	free(junk);
}

Test(hub_db, seq_numbering_has_no_gaps)
{
	int64_t a = open_dialog("Анна", "Где мой заказ?", 1000);
	int64_t b = open_dialog("Борис", "Здравствуйте", 1001);
	int64_t op = add_operator("oleg");
	cr_assert_eq(hub_db_dialog_assign(db, a, op, 1100), HUB_DB_OK);
	for (int i = 0; i < 5; i++) {
		struct proto_message m;
		char id[16];
		snprintf(id, sizeof id, "c%d", i);
		int64_t d = i % 2 ? a : b;
		cr_assert_eq(hub_db_message_append(db, d, PROTO_FROM_OPERATOR, "oleg", "текст", id, 2000 + i, &m),
			     HUB_DB_OK);
		cr_expect_eq(m.dialog, d);
		cr_expect_gt(m.id, 0);
		hub_db_message_clear(&m);
	}
	struct proto_message m;
	cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_SYSTEM, NULL, "Оператор подключился", NULL, 3000, &m),
		     HUB_DB_OK);
	cr_expect_eq(m.seq, 4); /* 1 (first) + 2 operator + this */
	hub_db_message_clear(&m);
	cr_expect_eq(count("SELECT count(*) FROM messages m1 WHERE seq > 1 AND NOT EXISTS (SELECT 1 FROM messages "
			   "m2 WHERE m2.dialog_id = m1.dialog_id AND m2.seq = m1.seq - 1)"),
		     0, "a gap in seq numbers");
	struct hub_db_dialog d;
	cr_assert_eq(hub_db_dialog_get(db, b, &d), HUB_DB_OK);
	cr_expect_eq(d.d.last_seq, 4);
	cr_expect_eq(d.d.state, PROTO_DS_QUEUED);
	cr_expect_str_eq(d.d.queue, "general");
	cr_expect_eq(d.d.channel, PROTO_CH_VK);
	hub_db_dialog_free(&d);
	cr_expect_eq(hub_db_message_append(db, 999, PROTO_FROM_SYSTEM, NULL, "x", NULL, 1, &m), HUB_DB_NOT_FOUND);
}

Test(hub_db, idempotent_send)
{
	int64_t a = open_dialog("Анна", "Где мой заказ?", 1000);
	int64_t b = open_dialog("Вера", "Здравствуйте", 1001);
	struct proto_message m1, m2, m3;
	cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_OPERATOR, "oleg", "Ваш заказ в пути", "k-1", 2000, &m1),
		     HUB_DB_OK);
	cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_OPERATOR, "oleg", "Ваш заказ в пути", "k-1", 2500, &m2),
		     HUB_DB_EXISTS);
	cr_expect_eq(m2.id, m1.id);
	cr_expect_eq(m2.seq, m1.seq);
	cr_expect_eq(m2.time, 2000);
	cr_expect_str_eq(m2.client_msg_id, "k-1");
	cr_expect_eq(count("SELECT count(*) FROM messages WHERE client_msg_id = 'k-1'"), 1);
	/* the same id from the same operator in another dialog is a conflict, from another operator it is fine */
	cr_expect_eq(hub_db_message_append(db, b, PROTO_FROM_OPERATOR, "oleg", "x", "k-1", 2600, &m3),
		     HUB_DB_CONFLICT);
	cr_expect_eq(hub_db_message_append(db, b, PROTO_FROM_OPERATOR, "vera", "x", "k-1", 2600, &m3), HUB_DB_OK);
	hub_db_message_clear(&m3);
	/* customers: per dialog */
	cr_expect_eq(hub_db_message_append(db, a, PROTO_FROM_CUSTOMER, "Анна", "спасибо", "c-1", 2700, &m3), HUB_DB_OK);
	int64_t seq = m3.seq;
	hub_db_message_clear(&m3);
	cr_expect_eq(hub_db_message_append(db, a, PROTO_FROM_CUSTOMER, "Анна", "спасибо", "c-1", 2800, &m3),
		     HUB_DB_EXISTS);
	cr_expect_eq(m3.seq, seq);
	hub_db_message_clear(&m3);
	cr_expect_eq(hub_db_message_append(db, b, PROTO_FROM_CUSTOMER, "Вера", "ок", "c-1", 2900, &m3), HUB_DB_OK);
	hub_db_message_clear(&m3);
	struct hub_db_dialog d;
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.last_seq, 3, "a duplicate consumed a seq");
	hub_db_dialog_free(&d);
	hub_db_message_clear(&m1);
	hub_db_message_clear(&m2);
}

Test(hub_db, history_order_and_limits)
{
	int64_t a = open_dialog("Анна", "первое", 1000);
	for (int i = 2; i <= 60; i++) {
		char t[32];
		snprintf(t, sizeof t, "сообщение %d", i);
		cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_CUSTOMER, "Анна", t, NULL, 1000 + i, NULL),
			     HUB_DB_OK);
	}
	struct proto_message *v;
	size_t n;
	cr_assert_eq(hub_db_history_last(db, a, PROTO_MAX_HISTORY, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, PROTO_MAX_HISTORY);
	cr_expect_eq(v[0].seq, 11);
	cr_expect_eq(v[n - 1].seq, 60);
	for (size_t i = 1; i < n; i++)
		cr_expect_eq(v[i].seq, v[i - 1].seq + 1);
	cr_expect_str_eq(v[n - 1].text, "сообщение 60");
	hub_db_messages_free(v, n);
	cr_assert_eq(hub_db_history_after(db, a, 55, 3, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 3);
	cr_expect_eq(v[0].seq, 56);
	cr_expect_eq(v[2].seq, 58);
	hub_db_messages_free(v, n);
	cr_assert_eq(hub_db_history_after(db, a, 60, 50, &v, &n), HUB_DB_OK);
	cr_expect_eq(n, 0);
	hub_db_messages_free(v, n);
}

Test(hub_db, a_line_the_hub_wrote_keeps_its_kind_and_args)
{
	int64_t a = open_dialog("Анна", "первое", 1000);
	struct proto_sysargs args = { .name = "Ольга Смирнова", .user = "olga" };
	struct proto_message m;
	cr_assert_eq(hub_db_line_append(db, a, PROTO_FROM_SYSTEM, NULL, "Оператор Ольга Смирнова подключился к чату",
					"joined", &args, NULL, 2000, &m), HUB_DB_OK);
	cr_expect_str_eq(m.kind, "joined");
	cr_expect_str_eq(m.args.user, "olga");
	hub_db_message_clear(&m);
	struct proto_sysargs note = { .queue = "stylist", .note = "нужен \"стилист\"" };
	cr_assert_eq(hub_db_line_append(db, a, PROTO_FROM_NOTE, "anna", "нужен \"стилист\"", "transferred_queue", &note,
					NULL, 3000, NULL), HUB_DB_OK);
	cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_OPERATOR, "anna", "Здравствуйте", NULL, 4000, NULL), HUB_DB_OK);
	struct proto_message *v;
	size_t n;
	cr_assert_eq(hub_db_history_last(db, a, PROTO_MAX_HISTORY, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 4);
	cr_expect_null(v[0].kind);
	cr_expect_str_eq(v[1].kind, "joined");
	cr_expect_str_eq(v[1].args.name, "Ольга Смирнова");
	cr_expect_str_eq(v[1].args.user, "olga");
	cr_expect_null(v[1].args.queue);
	cr_expect_str_eq(v[2].kind, "transferred_queue");
	cr_expect_str_eq(v[2].args.queue, "stylist");
	cr_expect_str_eq(v[2].args.note, "нужен \"стилист\"");
	cr_expect_null(v[2].args.name);
	cr_expect_null(v[3].kind);
	cr_expect_null(v[3].args.note);
	hub_db_messages_free(v, n);
}

/* What schema v6 added, taken away again: a file as v5 left it. */
#define UNDO_V6                                                                                                 \
	"DROP TABLE blocks; DROP INDEX dialogs_customer; ALTER TABLE dialogs DROP COLUMN customer_id; "            \
	"DROP TABLE customers; "

Test(hub_db, a_v5_file_gets_one_customer_per_contact_and_per_other_dialog)
{
	int64_t a = open_dialog("Иван", "первое", 1000), b = open_dialog("Иван П.", "второе", 2000);
	int64_t c = open_dialog("Ольга", "третье", 3000), d = open_dialog("Ольга", "четвёртое", 4000);
	cr_assert_eq(hub_db_dialog_set_contact(db, a, "523199001"), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_set_contact(db, b, "523199001"), HUB_DB_OK);
	sqlite3 *h = hub_db_sqlite(db);
	cr_assert_eq(sqlite3_exec(h, UNDO_V6 "DROP TABLE mail; DROP TABLE requests; PRAGMA user_version = 5", NULL, NULL, NULL), SQLITE_OK, "%s",
		     sqlite3_errmsg(h));
	hub_db_close(db);
	char *cause = NULL;
	cr_assert_eq(hub_db_open(path, &db, &cause), 0, "reopen: %s", cause ? cause : "");
	cr_expect_eq(hub_db_version(db), HUB_DB_SCHEMA_VERSION);
	int64_t ca, cb, cc, cd;
	cr_assert_eq(hub_db_dialog_customer(db, a, &ca), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_customer(db, b, &cb), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_customer(db, c, &cc), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_customer(db, d, &cd), HUB_DB_OK);
	cr_expect(ca > 0 && ca == cb, "the contact's two dialogs are not one customer (%lld, %lld)", (long long)ca,
		  (long long)cb);
	cr_expect(cc > 0 && cd > 0 && cc != cd && cc != ca && cd != ca, "customers %lld %lld %lld", (long long)ca,
		  (long long)cc, (long long)cd);
	int64_t found;
	cr_assert_eq(hub_db_customer_find(db, PROTO_CH_VK, NULL, "523199001", &found), HUB_DB_OK);
	cr_expect_eq(found, ca);
	struct proto_msg card;
	cr_assert_eq(hub_db_customer_card(db, ca, b, &card), HUB_DB_OK);
	cr_expect_eq(card.total, 1);
	cr_expect_eq(card.since, 1000);
	cr_assert_eq(card.n_chats, 1);
	cr_expect_eq(card.chats[0].dialog, a);
	cr_assert_eq(card.n_names, 2);
	cr_expect_str_eq(card.names[0].name, "Иван П.");
	proto_msg_free(&card);
}

Test(hub_db, a_v4_file_gets_the_kind_columns_and_keeps_its_messages)
{
	int64_t a = open_dialog("Анна", "первое", 1000);
	sqlite3 *h = hub_db_sqlite(db);
	cr_assert_eq(sqlite3_exec(h, UNDO_V6 "ALTER TABLE messages DROP COLUMN kind; ALTER TABLE messages DROP COLUMN args;"
				     "DROP TABLE mail; DROP TABLE requests; PRAGMA user_version = 4", NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(h));
	hub_db_close(db);
	char *cause = NULL;
	cr_assert_eq(hub_db_open(path, &db, &cause), 0, "reopen: %s", cause ? cause : "");
	cr_expect_eq(hub_db_version(db), HUB_DB_SCHEMA_VERSION);
	struct proto_message *v;
	size_t n;
	cr_assert_eq(hub_db_history_last(db, a, PROTO_MAX_HISTORY, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0].text, "первое");
	cr_expect_null(v[0].kind);
	hub_db_messages_free(v, n);
	cr_assert_eq(hub_db_line_append(db, a, PROTO_FROM_SYSTEM, NULL, "Клиент покинул чат", "left", NULL, NULL, 2000, NULL),
		     HUB_DB_OK);
	cr_expect_eq(count("SELECT count(*) FROM messages WHERE kind = 'left' AND args IS NULL"), 1);
}

Test(hub_db, dialog_lifecycle_queue_and_rating)
{
	int64_t op = add_operator("oleg");
	int64_t a = open_dialog("Анна", "Где мой заказ 123?\nВторая строка", 1000);
	int64_t b = open_dialog("Борис", "Здравствуйте", 900);
	struct proto_queue_item *q;
	size_t n;
	int64_t total;
	cr_assert_eq(hub_db_queue_items(db, 500, &q, &n, &total), HUB_DB_OK);
	cr_assert_eq(n, 2);
	cr_expect_eq(total, 2);
	cr_expect_eq(q[0].dialog, b); /* oldest first */
	cr_expect_str_eq(q[1].preview, "Где мой заказ 123?");
	cr_expect_eq(q[1].channel, PROTO_CH_VK);
	hub_db_queue_items_free(q, n);
	cr_assert_eq(hub_db_queue_items(db, 1, &q, &n, &total), HUB_DB_OK);
	cr_expect_eq(n, 1);
	cr_expect_eq(total, 2);
	hub_db_queue_items_free(q, n);

	cr_assert_eq(hub_db_dialog_assign(db, a, op, 1100), HUB_DB_OK);
	int64_t *ids;
	cr_assert_eq(hub_db_dialogs_of_operator(db, op, &ids, &n), HUB_DB_OK);
	cr_expect_eq(n, 1);
	cr_expect_eq(ids[0], a);
	free(ids);
	cr_expect_eq(hub_db_rating_add(db, a, 5, NULL, 1150), HUB_DB_OK); /* the store itself does not judge */
	cr_expect_eq(hub_db_rating_add(db, a, 4, "ещё раз", 1160), HUB_DB_EXISTS);
	cr_assert_eq(hub_db_dialog_close(db, a, "order", PROTO_BY_OPERATOR, 1200), HUB_DB_OK);
	struct hub_db_dialog d;
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.state, PROTO_DS_CLOSED);
	cr_expect_str_eq(d.d.topic, "order");
	cr_expect_eq(d.operator_id, op);
	cr_expect(d.has_closer);
	cr_expect_eq(d.closed_by, PROTO_BY_OPERATOR);
	cr_expect_eq(d.closed, 1200);
	hub_db_dialog_free(&d);
	cr_expect_eq(hub_db_dialog_get(db, 424242, &d), HUB_DB_NOT_FOUND);

	cr_assert_eq(hub_db_dialog_assign(db, b, op, 1300), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_requeue(db, b, "stylist"), HUB_DB_OK);
	struct hub_db_dialog *v;
	cr_assert_eq(hub_db_dialogs_by_state(db, PROTO_DS_QUEUED, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(v[0].d.queue, "stylist");
	cr_expect_eq(v[0].operator_id, 0);
	cr_expect_eq(v[0].d.opened, 900, "requeue lost the waiting time");
	hub_db_dialogs_free(v, n);
	cr_expect_eq(hub_db_operator_delete(db, "oleg"), HUB_DB_CONFLICT);
	cr_expect_eq(count("SELECT score FROM ratings WHERE dialog_id = 1"), 5);
}

Test(hub_db, operators_crud)
{
	int64_t id = add_operator("anna");
	cr_expect_eq(hub_db_operator_add(db, "anna", NULL, PROTO_ROLE_SUPERVISOR, "$y$x", 2, 5, NULL), HUB_DB_EXISTS);
	cr_expect_eq(hub_db_operator_add(db, "boss", NULL, PROTO_ROLE_SUPERVISOR, "$y$x", 2, 5, NULL), HUB_DB_OK);
	struct hub_db_operator o;
	cr_assert_eq(hub_db_operator_by_name(db, "anna", &o), HUB_DB_OK);
	cr_expect_eq(o.id, id);
	cr_expect_str_eq(o.display, "Анна");
	cr_expect_eq(o.role, PROTO_ROLE_OPERATOR);
	cr_expect_eq(o.capacity, 4);
	o.capacity = 3;
	o.disabled = true;
	cr_expect_eq(hub_db_operator_update(db, &o), HUB_DB_OK);
	hub_db_operator_free(&o);
	cr_assert_eq(hub_db_operator_by_id(db, id, &o), HUB_DB_OK);
	cr_expect_eq(o.capacity, 3);
	cr_expect(o.disabled);
	hub_db_operator_free(&o);
	struct hub_db_operator *v;
	size_t n;
	cr_assert_eq(hub_db_operator_list(db, &v, &n), HUB_DB_OK);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(v[0].name, "anna");
	cr_expect_eq(v[1].role, PROTO_ROLE_SUPERVISOR);
	hub_db_operators_free(v, n);
	cr_expect_eq(hub_db_operator_delete(db, "boss"), HUB_DB_OK);
	cr_expect_eq(hub_db_operator_delete(db, "boss"), HUB_DB_NOT_FOUND);
	cr_expect_eq(hub_db_operator_by_name(db, "boss", &o), HUB_DB_NOT_FOUND);
}

Test(hub_db, canned_replies_seeded_in_both_languages)
{
	struct proto_canned *v;
	size_t n;
	cr_assert_eq(hub_db_canned(db, "ru", &v, &n), HUB_DB_OK);
	cr_expect_geq(n, 18);
	bool order = false, stylist = false;
	for (size_t i = 0; i < n; i++) {
		if (strstr(v[i].text, "Ваш заказ {order}"))
			order = true;
		if (strcmp(v[i].category, "stylist") == 0)
			stylist = true;
		cr_expect_gt(strlen(v[i].title), 0);
	}
	cr_expect(order && stylist);
	hub_db_canned_free(v, n);
	cr_assert_eq(hub_db_canned(db, "en", &v, &n), HUB_DB_OK);
	cr_expect_geq(n, 18);
	hub_db_canned_free(v, n);
	cr_assert_eq(hub_db_canned(db, "xx", &v, &n), HUB_DB_OK);
	cr_expect_eq(n, 0);
	hub_db_canned_free(v, n);
}

Test(hub_db, failed_write_is_an_error_and_writes_nothing)
{
	int64_t a = open_dialog("Анна", "Где мой заказ?", 1000);
	cr_assert_eq(sqlite3_exec(hub_db_sqlite(db), "PRAGMA query_only = 1", NULL, NULL, NULL), SQLITE_OK);
	struct proto_message m;
	cr_expect_eq(hub_db_message_append(db, a, PROTO_FROM_CUSTOMER, "Анна", "ещё", NULL, 1100, &m), HUB_DB_ERROR);
	cr_expect_neq(hub_db_errmsg(db)[0], '\0');
	int64_t id;
	cr_expect_eq(hub_db_dialog_open(db, "Вера", PROTO_CH_WEB, NULL, "x", NULL, 1, &id, &m), HUB_DB_ERROR);
	cr_expect_eq(hub_db_dialog_close(db, a, "order", PROTO_BY_OPERATOR, 1200), HUB_DB_ERROR);
	cr_expect_eq(hub_db_rating_add(db, a, 5, NULL, 1300), HUB_DB_ERROR);
	cr_expect_eq(hub_db_operator_add(db, "x", NULL, PROTO_ROLE_OPERATOR, "$y$", 4, 1, NULL), HUB_DB_ERROR);
	cr_assert_eq(sqlite3_exec(hub_db_sqlite(db), "PRAGMA query_only = 0", NULL, NULL, NULL), SQLITE_OK);
	struct hub_db_dialog d;
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.last_seq, 1, "a failed append left a seq behind");
	cr_expect_eq(d.d.state, PROTO_DS_QUEUED);
	hub_db_dialog_free(&d);
	cr_expect_eq(count("SELECT count(*) FROM dialogs"), 1);
	/* and the store works again afterwards */
	cr_expect_eq(hub_db_message_append(db, a, PROTO_FROM_CUSTOMER, "Анна", "ещё", NULL, 1100, &m), HUB_DB_OK);
	cr_expect_eq(m.seq, 2);
	hub_db_message_clear(&m);
}

Test(hub_db, grouped_writes_roll_back_together)
{
	int64_t op = add_operator("oleg");
	int64_t a = open_dialog("Анна", "Где мой заказ?", 1000);
	cr_assert_eq(hub_db_begin(db), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_assign(db, a, op, 1100), HUB_DB_OK);
	cr_assert_eq(hub_db_message_append(db, a, PROTO_FROM_SYSTEM, NULL, "joined", NULL, 1100, NULL), HUB_DB_OK);
	hub_db_rollback(db);
	struct hub_db_dialog d;
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.state, PROTO_DS_QUEUED);
	cr_expect_eq(d.d.last_seq, 1);
	hub_db_dialog_free(&d);
	/* a failure inside makes the outer commit fail */
	cr_assert_eq(hub_db_begin(db), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_assign(db, a, op, 1100), HUB_DB_OK);
	cr_expect_eq(hub_db_message_append(db, a, PROTO_FROM_SYSTEM, NULL, NULL, NULL, 1100, NULL), HUB_DB_ERROR);
	cr_expect_eq(hub_db_commit(db), HUB_DB_ERROR);
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.state, PROTO_DS_QUEUED);
	hub_db_dialog_free(&d);
	cr_assert_eq(hub_db_begin(db), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_assign(db, a, op, 1100), HUB_DB_OK);
	cr_expect_eq(hub_db_commit(db), HUB_DB_OK);
	cr_assert_eq(hub_db_dialog_get(db, a, &d), HUB_DB_OK);
	cr_expect_eq(d.d.state, PROTO_DS_ASSIGNED);
	hub_db_dialog_free(&d);
}

Test(hub_db, preview_is_first_line_cut_on_a_character)
{
	char *p = hub_db_preview("строка один\r\nстрока два");
	cr_expect_str_eq(p, "строка один");
	free(p);
	p = hub_db_preview("\n\n  первая непустая\nвторая");
	cr_expect_str_eq(p, "первая непустая");
	free(p);
	char long_text[1000] = "";
	for (int i = 0; i < 150; i++)
		strcat(long_text, "я"); /* 2 bytes each: 300 bytes */
	p = hub_db_preview(long_text);
	cr_expect_eq(strlen(p), PROTO_MAX_PREVIEW);
	free(p);
	strcpy(long_text, "x");
	for (int i = 0; i < 150; i++)
		strcat(long_text, "я"); /* odd offset: byte 200 falls inside a character */
	p = hub_db_preview(long_text);
	cr_expect_eq(strlen(p), PROTO_MAX_PREVIEW - 1);
	free(p);
}

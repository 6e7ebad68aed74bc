/* hub_db_request.c: the store's offline requests (see hub_db.h): a request left, read back (its token, state
 * and answer), the list of those not yet answered, taken by one operator at most, answered once; and how many
 * were left and answered in a period. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_sqlite.h"
#include "opdesk/xalloc.h"

static const char *const req_states[] = { "open", "taken", "answered" };

int hub_db_request_add(struct hub_db *db, const char *name, const char *email, const char *phone, const char *text,
		       const char *queue, const char *token, int64_t now, int64_t *id)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_ADD);
	sqlite3_bind_int64(st, 1, now);
	hub_db_bind_text(st, 2, name);
	hub_db_bind_text(st, 3, email);
	hub_db_bind_text(st, 4, phone);
	hub_db_bind_text(st, 5, text);
	hub_db_bind_text(st, 6, queue);
	hub_db_bind_text(st, 7, token);
	int rc = hub_db_run(db, st, "cannot store the request");
	if (rc == HUB_DB_OK)
		*id = sqlite3_last_insert_rowid(hub_db_sqlite(db));
	return rc;
}

/* The first eight columns of ST_REQ_GET and ST_REQ_OPEN. */
static void request_row(sqlite3_stmt *st, struct proto_request *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->time = sqlite3_column_int64(st, 1);
	r->name = hub_db_col_text(st, 2);
	r->email = hub_db_col_text(st, 3);
	r->phone = hub_db_col_text(st, 4);
	r->text = hub_db_col_text(st, 5);
	r->queue = hub_db_col_text(st, 6);
	r->taken_by = hub_db_col_text(st, 7);
}

int hub_db_request_get(struct hub_db *db, int64_t id, struct hub_db_request *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_GET);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		request_row(st, &out->r);
		out->token = hub_db_col_text(st, 8);
		const char *state = (const char *)sqlite3_column_text(st, 9);
		for (int i = 0; state && i < PROTO_RS_COUNT; i++)
			if (strcmp(state, req_states[i]) == 0)
				out->state = (enum proto_rstate)i;
		out->taken_op = sqlite3_column_int64(st, 10);
		out->answer = hub_db_col_text(st, 11);
		out->answered = sqlite3_column_int64(st, 12);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the request");
}

int hub_db_requests_open(struct hub_db *db, size_t limit, struct proto_request **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	size_t cap = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_OPEN);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		request_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		hub_db_requests_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot read the open requests");
	}
	st = hub_db_stmt(db, ST_REQ_COUNT_OPEN);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the open requests");
}

/* After an update that changed nothing: the request is someone else's (or answered), or there is none. */
static int request_missed(struct hub_db *db, int64_t id)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_EXISTS);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_CONFLICT;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the request");
}

int hub_db_request_take(struct hub_db *db, int64_t id, int64_t op, int64_t now)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_TAKE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, op);
	sqlite3_bind_int64(st, 3, now);
	int rc = hub_db_run(db, st, "cannot take the request");
	if (rc == HUB_DB_OK && hub_db_changes(db) == 0)
		return request_missed(db, id);
	return rc;
}

int hub_db_request_answer(struct hub_db *db, int64_t id, int64_t op, const char *answer, int64_t now)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_ANSWER);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, op);
	sqlite3_bind_int64(st, 3, now);
	hub_db_bind_text(st, 4, answer);
	int rc = hub_db_run(db, st, "cannot store the request's answer");
	if (rc == HUB_DB_OK && hub_db_changes(db) == 0)
		return request_missed(db, id);
	return rc;
}

int hub_db_request_tally(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *left, int64_t *answered,
			 int64_t *open)
{
	*left = *answered = *open = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_REQ_TALLY);
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*left = sqlite3_column_int64(st, 0);
		*answered = sqlite3_column_int64(st, 1);
		*open = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the requests");
}

void hub_db_request_free(struct hub_db_request *r)
{
	proto_request_free(&r->r);
	free(r->token);
	free(r->answer);
	memset(r, 0, sizeof *r);
}

void hub_db_requests_free(struct proto_request *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		proto_request_free(&v[i]);
	free(v);
}

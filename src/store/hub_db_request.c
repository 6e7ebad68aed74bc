/* hub_db_request.c: the store's offline requests (see hub_db.h): a request left, read back (its token, state
 * and answer), the list of those not yet answered, taken by one operator at most, answered once; and how many
 * were left and answered in a period. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"
#include "opdesk/xalloc.h"

static const char *const req_states[] = { "open", "taken", "answered" };

int hub_db_request_add(struct hub_db *db, const char *name, const char *email, const char *phone, const char *text,
		       const char *queue, const char *token, int64_t now, int64_t *id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_ADD);
	sql_bind_int64(st, 1, now);
	sql_bind_text(st, 2, name);
	sql_bind_text(st, 3, email);
	sql_bind_text(st, 4, phone);
	sql_bind_text(st, 5, text);
	sql_bind_text(st, 6, queue);
	sql_bind_text(st, 7, token);
	int rc = hub_db_run(db, st, "cannot store the request");
	if (rc == HUB_DB_OK)
		*id = hub_db_last_id(db);
	return rc;
}

/* The first eight columns of ST_REQ_GET and ST_REQ_OPEN. */
static void request_row(struct sql_stmt *st, struct proto_request *r)
{
	r->id = sql_col_int64(st, 0);
	r->time = sql_col_int64(st, 1);
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
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_GET);
	sql_bind_int64(st, 1, id);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		request_row(st, &out->r);
		out->token = hub_db_col_text(st, 8);
		const char *state = sql_col_text(st, 9);
		for (int i = 0; state && i < PROTO_RS_COUNT; i++)
			if (strcmp(state, req_states[i]) == 0)
				out->state = (enum proto_rstate)i;
		out->taken_op = sql_col_int64(st, 10);
		out->answer = hub_db_col_text(st, 11);
		out->answered = sql_col_int64(st, 12);
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the request");
}

int hub_db_requests_open(struct hub_db *db, size_t limit, struct proto_request **out, size_t *n, int64_t *total)
{
	*out = NULL;
	*n = 0;
	*total = 0;
	size_t cap = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_OPEN);
	sql_bind_int64(st, 1, (int64_t)limit);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		request_row(st, &(*out)[(*n)++]);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		hub_db_requests_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot read the open requests");
	}
	st = hub_db_stmt(db, ST_REQ_COUNT_OPEN);
	rc = sql_step(st);
	if (rc == SQL_ROW)
		*total = sql_col_int64(st, 0);
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the open requests");
}

/* After an update that changed nothing: the request is someone else's (or answered), or there is none. */
static int request_missed(struct hub_db *db, int64_t id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_EXISTS);
	sql_bind_int64(st, 1, id);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_CONFLICT;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the request");
}

int hub_db_request_take(struct hub_db *db, int64_t id, int64_t op, int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_TAKE);
	sql_bind_int64(st, 1, id);
	sql_bind_int64(st, 2, op);
	sql_bind_int64(st, 3, now);
	int rc = hub_db_run(db, st, "cannot take the request");
	if (rc == HUB_DB_OK && hub_db_changes(db) == 0)
		return request_missed(db, id);
	return rc;
}

int hub_db_request_answer(struct hub_db *db, int64_t id, int64_t op, const char *answer, int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_ANSWER);
	sql_bind_int64(st, 1, id);
	sql_bind_int64(st, 2, op);
	sql_bind_int64(st, 3, now);
	sql_bind_text(st, 4, answer);
	int rc = hub_db_run(db, st, "cannot store the request's answer");
	if (rc == HUB_DB_OK && hub_db_changes(db) == 0)
		return request_missed(db, id);
	return rc;
}

int hub_db_request_tally(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *left, int64_t *answered,
			 int64_t *open)
{
	*left = *answered = *open = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_REQ_TALLY);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*left = sql_col_int64(st, 0);
		*answered = sql_col_int64(st, 1);
		*open = sql_col_int64(st, 2);
	}
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the requests");
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

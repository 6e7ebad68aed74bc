/* hub_db_stats.c: the store's part for figures (see hub_db.h): counts by state, sender, score and category for
 * /metrics, the raw rows of a period's dialogs and claims (hub_stats.c groups them), the open dialogs'
 * unanswered times (the supervisors' board at start), and the health probe. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"
#include "opdesk/xalloc.h"

void hub_db_tally_free(struct hub_db_tally *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

int hub_db_tally(struct hub_db *db, enum hub_db_tally_of what, struct hub_db_tally **out, size_t *n)
{
	static const enum hub_db_stmt_id ids[] = {
		[HUB_DB_DIALOGS_BY_STATE] = ST_TALLY_DIALOGS,
		[HUB_DB_MESSAGES_BY_SENDER] = ST_TALLY_MESSAGES,
		[HUB_DB_RATINGS_BY_SCORE] = ST_TALLY_RATINGS,
		[HUB_DB_CLAIMS_BY_CATEGORY] = ST_TALLY_CLAIMS,
		[HUB_DB_BLOCKS_BY_STATE] = ST_TALLY_BLOCKS,
	};
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	struct sql_stmt *st = hub_db_stmt(db, ids[what]);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		char *key = hub_db_col_text(st, 0);
		(*out)[(*n)++] = (struct hub_db_tally){ key ? key : xstrdup(""), sql_col_int64(st, 1) };
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		hub_db_tally_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot count");
	}
	return HUB_DB_OK;
}

static int64_t col_ms(struct sql_stmt *st, int i)
{
	return sql_col_null(st, i) ? 0 : sql_col_int64(st, i);
}

static const char *col_key(struct sql_stmt *st, int i)
{
	const char *s = sql_col_text(st, i);
	return s ? (const char *)s : "";
}

int hub_db_period_dialogs(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_db_period_by by,
			  int (*fn)(void *arg, const struct hub_db_period_dialog *d), void *arg)
{
	static const enum hub_db_stmt_id ids[] = {
		[HUB_DB_BY_OPERATOR] = ST_PERIOD_DIALOGS_OPERATOR,
		[HUB_DB_BY_QUEUE] = ST_PERIOD_DIALOGS_QUEUE,
		[HUB_DB_BY_TOPIC] = ST_PERIOD_DIALOGS_TOPIC,
		[HUB_DB_BY_OPERATOR_USER] = ST_PERIOD_DIALOGS_USER,
	};
	struct sql_stmt *st = hub_db_stmt(db, ids[by]);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		struct hub_db_period_dialog d = {
			.key = col_key(st, 0),
			.opened = sql_col_int64(st, 1),
			.assigned = col_ms(st, 2),
			.closed = col_ms(st, 3),
			.first_reply = col_ms(st, 4),
			.score = (int)col_ms(st, 5),
			.abandoned = (int)sql_col_int64(st, 6) != 0,
		};
		if (fn(arg, &d))
			break;
	}
	if (rc != SQL_ROW && rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the period's dialogs");
	sql_reset(st);
	return HUB_DB_OK;
}

int hub_db_period_claims(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_db_period_by by,
			 int (*fn)(void *arg, const char *key, const char *category, int64_t count), void *arg)
{
	static const enum hub_db_stmt_id ids[] = {
		[HUB_DB_BY_OPERATOR] = ST_PERIOD_CLAIMS_OPERATOR,
		[HUB_DB_BY_QUEUE] = ST_PERIOD_CLAIMS_QUEUE,
		[HUB_DB_BY_TOPIC] = ST_PERIOD_CLAIMS_TOPIC,
		[HUB_DB_BY_OPERATOR_USER] = ST_PERIOD_CLAIMS_USER,
	};
	struct sql_stmt *st = hub_db_stmt(db, ids[by]);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW)
		if (fn(arg, col_key(st, 0), col_key(st, 1), sql_col_int64(st, 2)))
			break;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the period's claims");
	sql_reset(st);
	return HUB_DB_OK;
}

int hub_db_period_files(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *from_customers,
			int64_t *from_operators, int64_t *bytes)
{
	*from_customers = *from_operators = *bytes = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_PERIOD_FILES);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *sender = sql_col_text(st, 0);
		int64_t n = sql_col_int64(st, 1);
		*(sender && strcmp(sender, "customer") == 0 ? from_customers : from_operators) += n;
		*bytes += sql_col_int64(st, 2);
	}
	sql_reset(st);
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot read the period's files");
}

int hub_db_period_blocks(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *set, int64_t *lifted)
{
	*set = *lifted = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_PERIOD_BLOCKS);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*set = sql_col_int64(st, 0);
		*lifted = sql_col_int64(st, 1);
	}
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot read the period's blocks");
}

int hub_db_open_unanswered(struct hub_db *db, int (*fn)(void *arg, int64_t dialog, int64_t since), void *arg)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OPEN_UNANSWERED);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW)
		if (fn(arg, sql_col_int64(st, 0), sql_col_int64(st, 1)))
			break;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the open dialogs' unanswered messages");
	sql_reset(st);
	return HUB_DB_OK;
}

int hub_db_open_idle(struct hub_db *db, int (*fn)(void *arg, int64_t dialog, int64_t since, int64_t warned),
		     void *arg)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_OPEN_IDLE);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW)
		if (fn(arg, sql_col_int64(st, 0), sql_col_int64(st, 1), sql_col_int64(st, 2)))
			break;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return hub_db_fail(db, "cannot read the held dialogs' silent customers");
	sql_reset(st);
	return HUB_DB_OK;
}

int hub_db_period_extra(struct hub_db *db, int64_t since_ms, int64_t until_ms, struct hub_db_period_extra *out)
{
	memset(out, 0, sizeof *out);
	if (hub_db_request_tally(db, since_ms, until_ms, &out->requests_left, &out->requests_answered,
				 &out->requests_open) != HUB_DB_OK)
		return HUB_DB_ERROR;
	struct sql_stmt *st = hub_db_stmt(db, ST_PERIOD_AUTO_CLOSED);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		out->auto_closed = sql_col_int64(st, 0);
	sql_reset(st);
	if (rc != SQL_ROW)
		return hub_db_fail(db, "cannot count the auto-closed dialogs");
	st = hub_db_stmt(db, ST_PERIOD_MAIL);
	sql_bind_int64(st, 1, since_ms);
	sql_bind_int64(st, 2, until_ms);
	static const char *const states[] = { "pending", "sent", "failed" };
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *state = sql_col_text(st, 0);
		for (int i = 0; i < 3; i++)
			if (state && strcmp(state, states[i]) == 0)
				out->mail[i] = sql_col_int64(st, 1);
	}
	sql_reset(st);
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot count the period's mail");
}

int hub_db_health(struct hub_db *db)
{
	if (hub_db_begin(db) != HUB_DB_OK)
		return HUB_DB_ERROR;
	if (hub_db_run(db, hub_db_stmt(db, ST_HEALTH), "cannot write") != HUB_DB_OK)
		hub_db_rollback(db);
	return hub_db_commit(db);
}

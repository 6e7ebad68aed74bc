/* hub_db_mail.c: the store's outbox (see hub_db.h): mails queued whole, the next one due, each attempt's end
 * (sent, failed and due again later, or given up) with the failure kept, and the counts /metrics and the
 * report show. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"

static const char *const mail_states[] = { "pending", "sent", "failed" };

int hub_db_mail_add(struct hub_db *db, const char *to, const char *kind, int64_t dialog, const char *message,
		    int64_t now, int64_t *id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_MAIL_ADD);
	sql_bind_int64(st, 1, now);
	sql_bind_text(st, 2, to);
	sql_bind_text(st, 3, kind);
	if (dialog)
		sql_bind_int64(st, 4, dialog);
	sql_bind_text(st, 5, message);
	int rc = hub_db_run(db, st, "cannot queue a mail");
	if (rc == HUB_DB_OK && id)
		*id = hub_db_last_id(db);
	return rc;
}

int hub_db_mail_next(struct hub_db *db, struct hub_db_mail *out)
{
	memset(out, 0, sizeof *out);
	struct sql_stmt *st = hub_db_stmt(db, ST_MAIL_NEXT);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		out->id = sql_col_int64(st, 0);
		out->to = hub_db_col_text(st, 1);
		out->kind = hub_db_col_text(st, 2);
		out->dialog = sql_col_int64(st, 3);
		out->message = hub_db_col_text(st, 4);
		out->tries = (int)sql_col_int64(st, 5);
		out->next_ms = sql_col_int64(st, 6);
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the outbox");
}

int hub_db_mail_done(struct hub_db *db, int64_t id, int tries, bool sent, int64_t next_ms, const char *error,
		     int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_MAIL_DONE);
	enum hub_db_mail_state state = sent ? HUB_DB_MAIL_SENT : next_ms < 0 ? HUB_DB_MAIL_FAILED : HUB_DB_MAIL_PENDING;
	sql_bind_int64(st, 1, id);
	sql_bind_int64(st, 2, tries);
	sql_bind_text(st, 3, mail_states[state]);
	sql_bind_int64(st, 4, next_ms < 0 ? now : next_ms);
	sql_bind_text(st, 5, error);
	sql_bind_int64(st, 6, now);
	return hub_db_run(db, st, "cannot record a mail's attempt");
}

int hub_db_mail_count_for(struct hub_db *db, const char *kind, int64_t dialog, int64_t *n)
{
	*n = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_MAIL_COUNT_FOR);
	sql_bind_text(st, 1, kind);
	sql_bind_int64(st, 2, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		*n = sql_col_int64(st, 0);
	sql_reset(st);
	return rc == SQL_ROW ? HUB_DB_OK : hub_db_fail(db, "cannot count the mails of a dialog");
}

int hub_db_mail_tally(struct hub_db *db, int64_t counts[3])
{
	counts[0] = counts[1] = counts[2] = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_MAIL_TALLY);
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *state = sql_col_text(st, 0);
		for (int i = 0; i < 3; i++)
			if (state && strcmp(state, mail_states[i]) == 0)
				counts[i] = sql_col_int64(st, 1);
	}
	sql_reset(st);
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot count the outbox");
}

void hub_db_mail_free(struct hub_db_mail *m)
{
	free(m->to);
	free(m->kind);
	free(m->message);
	memset(m, 0, sizeof *m);
}

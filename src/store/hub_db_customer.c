/* hub_db_customer.c: the store's part for customers of the web chat (see hub_db.h): the secret with which a
 * customer resumes their dialog after a dropped connection, a reload of the page or a hub restart, and the
 * chat an `open` sent again after a lost answer already opened. */
#include <stdlib.h>

#include "hub_db_internal.h"

int hub_db_dialog_set_token(struct hub_db *db, int64_t dialog, const char *token)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_DIALOG_SET_TOKEN);
	sql_bind_text(st, 1, token);
	sql_bind_int64(st, 2, dialog);
	return hub_db_run(db, st, "cannot store the chat's resume token");
}

int hub_db_dialog_resume_info(struct hub_db *db, int64_t dialog, char **token, bool *rated)
{
	*token = NULL;
	*rated = false;
	struct sql_stmt *st = hub_db_stmt(db, ST_DIALOG_RESUME_INFO);
	sql_bind_int64(st, 1, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*token = hub_db_col_text(st, 0);
		*rated = (int)sql_col_int64(st, 1) != 0;
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the chat's resume token");
}

int hub_db_open_retry(struct hub_db *db, const char *client_msg_id, const char *customer, enum proto_channel channel,
		      const char *text, int64_t since, int64_t *dialog, char **token)
{
	*dialog = 0;
	*token = NULL;
	struct sql_stmt *st = hub_db_stmt(db, ST_OPEN_RETRY);
	sql_bind_int64(st, 1, since);
	sql_bind_text(st, 2, client_msg_id);
	sql_bind_text(st, 3, text);
	sql_bind_text(st, 4, customer);
	sql_bind_text(st, 5, proto_channel_name(channel));
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*dialog = sql_col_int64(st, 0);
		*token = hub_db_col_text(st, 1);
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot look for the chat an open already opened");
}

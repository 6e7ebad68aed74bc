/* hub_db_customer.c: the store's part for customers of the web chat (see hub_db.h): the secret with which a
 * customer resumes their dialog after a dropped connection, a reload of the page or a hub restart, and the
 * chat an `open` sent again after a lost answer already opened. */
#include <stdlib.h>

#include "hub_db_sqlite.h"

int hub_db_dialog_set_token(struct hub_db *db, int64_t dialog, const char *token)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DIALOG_SET_TOKEN);
	hub_db_bind_text(st, 1, token);
	sqlite3_bind_int64(st, 2, dialog);
	return hub_db_run(db, st, "cannot store the chat's resume token");
}

int hub_db_dialog_resume_info(struct hub_db *db, int64_t dialog, char **token, bool *rated)
{
	*token = NULL;
	*rated = false;
	sqlite3_stmt *st = hub_db_stmt(db, ST_DIALOG_RESUME_INFO);
	sqlite3_bind_int64(st, 1, dialog);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*token = hub_db_col_text(st, 0);
		*rated = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the chat's resume token");
}

int hub_db_open_retry(struct hub_db *db, const char *client_msg_id, const char *customer, enum proto_channel channel,
		      const char *text, int64_t since, int64_t *dialog, char **token)
{
	*dialog = 0;
	*token = NULL;
	sqlite3_stmt *st = hub_db_stmt(db, ST_OPEN_RETRY);
	sqlite3_bind_int64(st, 1, since);
	hub_db_bind_text(st, 2, client_msg_id);
	hub_db_bind_text(st, 3, text);
	hub_db_bind_text(st, 4, customer);
	hub_db_bind_text(st, 5, proto_channel_name(channel));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*dialog = sqlite3_column_int64(st, 0);
		*token = hub_db_col_text(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot look for the chat an open already opened");
}

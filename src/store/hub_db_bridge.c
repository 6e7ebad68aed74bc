/* hub_db_bridge.c: the store's part for messenger bridges (see hub_db.h): bridge accounts, each bound to one
 * channel; the messenger's id of a bridged customer (`contact`) on their dialogs; what a bridge has to pass on
 * after the last message it confirmed; and the audit log. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_sqlite.h"
#include "opdesk/xalloc.h"

static void bridge_row(sqlite3_stmt *st, struct hub_db_bridge *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->name = hub_db_col_text(st, 1);
	int ch = proto_channel_parse((const char *)sqlite3_column_text(st, 2));
	b->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
	b->secret_hash = hub_db_col_text(st, 3);
	b->disabled = sqlite3_column_int(st, 4) != 0;
	b->created = sqlite3_column_int64(st, 5);
}

int hub_db_bridge_add(struct hub_db *db, const char *name, enum proto_channel channel, const char *secret_hash,
		      int64_t now)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_BRIDGE_ADD_TAKEN);
	hub_db_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_EXISTS;
	if (rc != SQLITE_DONE)
		return hub_db_fail(db, "cannot add the bridge");
	st = hub_db_stmt(db, ST_BRIDGE_ADD_INSERT);
	hub_db_bind_text(st, 1, name);
	hub_db_bind_text(st, 2, proto_channel_name(channel));
	hub_db_bind_text(st, 3, secret_hash);
	sqlite3_bind_int64(st, 4, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return HUB_DB_EXISTS;
	return rc == SQLITE_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot add the bridge");
}

int hub_db_bridge_by_name(struct hub_db *db, const char *name, struct hub_db_bridge *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = hub_db_stmt(db, ST_BRIDGE_BY_NAME);
	hub_db_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		bridge_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the bridge");
}

int hub_db_bridge_list(struct hub_db *db, struct hub_db_bridge **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_BRIDGE_LIST);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		bridge_row(st, &(*out)[(*n)++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		hub_db_bridges_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot list the bridges");
	}
	return HUB_DB_OK;
}

int hub_db_bridge_update(struct hub_db *db, const char *name, const char *secret_hash, int disabled)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_BRIDGE_UPDATE);
	hub_db_bind_text(st, 1, secret_hash);
	sqlite3_bind_int(st, 2, disabled);
	sqlite3_bind_int(st, 3, disabled);
	hub_db_bind_text(st, 4, name);
	int rc = hub_db_run(db, st, "cannot change the bridge");
	if (rc != HUB_DB_OK)
		return rc;
	return hub_db_changes(db) > 0 ? HUB_DB_OK : HUB_DB_NOT_FOUND;
}

void hub_db_bridge_free(struct hub_db_bridge *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->secret_hash);
	memset(b, 0, sizeof *b);
}

void hub_db_bridges_free(struct hub_db_bridge *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hub_db_bridge_free(&v[i]);
	free(v);
}

int hub_db_dialog_set_contact(struct hub_db *db, int64_t dialog, const char *contact)
{
	sqlite3_stmt *st = hub_db_stmt(db, ST_DIALOG_SET_CONTACT);
	hub_db_bind_text(st, 1, contact);
	sqlite3_bind_int64(st, 2, dialog);
	return hub_db_run(db, st, "cannot mark the dialog as bridged");
}

int hub_db_dialog_of_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t *dialog,
			     enum proto_dstate *state, bool *rated)
{
	*dialog = 0;
	*rated = false;
	*state = PROTO_DS_CLOSED;
	sqlite3_stmt *st = hub_db_stmt(db, ST_DIALOG_OF_CONTACT);
	hub_db_bind_text(st, 1, proto_channel_name(channel));
	hub_db_bind_text(st, 2, contact);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*dialog = sqlite3_column_int64(st, 0);
		const char *s = (const char *)sqlite3_column_text(st, 1);
		for (int i = 0; s && i < PROTO_DS_COUNT; i++) /* the stored words are the wire's */
			if (strcmp(s, proto_dstate_name((enum proto_dstate)i)) == 0)
				*state = (enum proto_dstate)i;
		*rated = sqlite3_column_int(st, 2) != 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot find the contact's dialog");
}

int hub_db_dialog_contact(struct hub_db *db, int64_t dialog, enum proto_channel *channel, char **contact)
{
	*contact = NULL;
	sqlite3_stmt *st = hub_db_stmt(db, ST_DIALOG_CONTACT);
	sqlite3_bind_int64(st, 1, dialog);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int ch = proto_channel_parse((const char *)sqlite3_column_text(st, 0));
		*channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		*contact = hub_db_col_text(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the dialog's contact");
}

int hub_db_returning_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t since_ms,
			     bool *returning, int64_t *op)
{
	*returning = false;
	*op = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_RETURNING_CONTACT);
	hub_db_bind_text(st, 1, proto_channel_name(channel));
	hub_db_bind_text(st, 2, contact);
	sqlite3_bind_int64(st, 3, since_ms);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*returning = true;
		*op = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot look for the contact's last chat");
}

int hub_db_customer_message(struct hub_db *db, int64_t dialog, const char *client_msg_id, struct proto_message *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = hub_db_stmt(db, ST_MSG_BY_CUSTOMER_ID);
	sqlite3_bind_int64(st, 1, dialog);
	hub_db_bind_text(st, 2, client_msg_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		hub_db_msg_row(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return HUB_DB_OK;
	return rc == SQLITE_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot look for the message");
}

int hub_db_bridge_backlog(struct hub_db *db, enum proto_channel channel, int64_t after, size_t limit,
			  struct proto_message **out, char ***contacts, size_t *n)
{
	*out = NULL;
	*contacts = NULL;
	*n = 0;
	sqlite3_stmt *st = hub_db_stmt(db, ST_BRIDGE_BACKLOG);
	sqlite3_bind_int64(st, 1, after);
	hub_db_bind_text(st, 2, proto_channel_name(channel));
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	size_t cap = 0, ccap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		*contacts = xgrow(*contacts, &ccap, *n + 1, sizeof **contacts);
		hub_db_msg_row(st, &(*out)[*n]);
		(*contacts)[(*n)++] = hub_db_col_text(st, HUB_DB_MSG_NCOLS);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		hub_db_messages_free(*out, *n);
		for (size_t i = 0; i < *n; i++)
			free((*contacts)[i]);
		free(*contacts);
		*out = NULL;
		*contacts = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot read what the bridge missed");
	}
	return HUB_DB_OK;
}

/* hub_db_bridge.c: the store's part for messenger bridges (see hub_db.h): bridge accounts, each bound to one
 * channel; the messenger's id of a bridged customer (`contact`) on their dialogs; what a bridge has to pass on
 * after the last message it confirmed; and the audit log. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"
#include "opdesk/xalloc.h"

static void bridge_row(struct sql_stmt *st, struct hub_db_bridge *b)
{
	b->id = sql_col_int64(st, 0);
	b->name = hub_db_col_text(st, 1);
	int ch = proto_channel_parse(sql_col_text(st, 2));
	b->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
	b->secret_hash = hub_db_col_text(st, 3);
	b->disabled = (int)sql_col_int64(st, 4) != 0;
	b->created = sql_col_int64(st, 5);
}

int hub_db_bridge_add(struct hub_db *db, const char *name, enum proto_channel channel, const char *secret_hash,
		      int64_t now)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_BRIDGE_ADD_TAKEN);
	sql_bind_text(st, 1, name);
	int rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_EXISTS;
	if (rc != SQL_DONE)
		return hub_db_fail(db, "cannot add the bridge");
	st = hub_db_stmt(db, ST_BRIDGE_ADD_INSERT);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, proto_channel_name(channel));
	sql_bind_text(st, 3, secret_hash);
	sql_bind_int64(st, 4, now);
	rc = sql_step(st);
	sql_reset(st);
	if (rc == SQL_UNIQUE)
		return HUB_DB_EXISTS;
	return rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot add the bridge");
}

int hub_db_bridge_by_name(struct hub_db *db, const char *name, struct hub_db_bridge *out)
{
	memset(out, 0, sizeof *out);
	struct sql_stmt *st = hub_db_stmt(db, ST_BRIDGE_BY_NAME);
	sql_bind_text(st, 1, name);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		bridge_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the bridge");
}

int hub_db_bridge_list(struct hub_db *db, struct hub_db_bridge **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_BRIDGE_LIST);
	size_t cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		bridge_row(st, &(*out)[(*n)++]);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		hub_db_bridges_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot list the bridges");
	}
	return HUB_DB_OK;
}

int hub_db_bridge_update(struct hub_db *db, const char *name, const char *secret_hash, int disabled)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_BRIDGE_UPDATE);
	sql_bind_text(st, 1, secret_hash);
	sql_bind_int64(st, 2, disabled);
	sql_bind_int64(st, 3, disabled);
	sql_bind_text(st, 4, name);
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
	struct sql_stmt *st = hub_db_stmt(db, ST_DIALOG_SET_CONTACT);
	sql_bind_text(st, 1, contact);
	sql_bind_int64(st, 2, dialog);
	return hub_db_run(db, st, "cannot mark the dialog as bridged");
}

int hub_db_dialog_of_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t *dialog,
			     enum proto_dstate *state, bool *rated)
{
	*dialog = 0;
	*rated = false;
	*state = PROTO_DS_CLOSED;
	struct sql_stmt *st = hub_db_stmt(db, ST_DIALOG_OF_CONTACT);
	sql_bind_text(st, 1, proto_channel_name(channel));
	sql_bind_text(st, 2, contact);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*dialog = sql_col_int64(st, 0);
		const char *s = sql_col_text(st, 1);
		for (int i = 0; s && i < PROTO_DS_COUNT; i++) /* the stored words are the wire's */
			if (strcmp(s, proto_dstate_name((enum proto_dstate)i)) == 0)
				*state = (enum proto_dstate)i;
		*rated = (int)sql_col_int64(st, 2) != 0;
	}
	sql_reset(st);
	return rc == SQL_ROW || rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot find the contact's dialog");
}

int hub_db_dialog_contact(struct hub_db *db, int64_t dialog, enum proto_channel *channel, char **contact)
{
	*contact = NULL;
	struct sql_stmt *st = hub_db_stmt(db, ST_DIALOG_CONTACT);
	sql_bind_int64(st, 1, dialog);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		int ch = proto_channel_parse(sql_col_text(st, 0));
		*channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		*contact = hub_db_col_text(st, 1);
	}
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the dialog's contact");
}

int hub_db_returning_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t since_ms,
			     bool *returning, int64_t *op)
{
	*returning = false;
	*op = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_RETURNING_CONTACT);
	sql_bind_text(st, 1, proto_channel_name(channel));
	sql_bind_text(st, 2, contact);
	sql_bind_int64(st, 3, since_ms);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*returning = true;
		*op = sql_col_int64(st, 0);
	}
	sql_reset(st);
	return rc == SQL_ROW || rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot look for the contact's last chat");
}

int hub_db_customer_message(struct hub_db *db, int64_t dialog, const char *client_msg_id, struct proto_message *out)
{
	memset(out, 0, sizeof *out);
	struct sql_stmt *st = hub_db_stmt(db, ST_MSG_BY_CUSTOMER_ID);
	sql_bind_int64(st, 1, dialog);
	sql_bind_text(st, 2, client_msg_id);
	int rc = sql_step(st);
	if (rc == SQL_ROW)
		hub_db_msg_row(st, out);
	sql_reset(st);
	if (rc == SQL_ROW)
		return HUB_DB_OK;
	return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot look for the message");
}

int hub_db_bridge_backlog(struct hub_db *db, enum proto_channel channel, int64_t after, size_t limit,
			  struct proto_message **out, char ***contacts, size_t *n)
{
	*out = NULL;
	*contacts = NULL;
	*n = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_BRIDGE_BACKLOG);
	sql_bind_int64(st, 1, after);
	sql_bind_text(st, 2, proto_channel_name(channel));
	sql_bind_int64(st, 3, (int64_t)limit);
	size_t cap = 0, ccap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		*contacts = xgrow(*contacts, &ccap, *n + 1, sizeof **contacts);
		hub_db_msg_row(st, &(*out)[*n]);
		(*contacts)[(*n)++] = hub_db_col_text(st, HUB_DB_MSG_NCOLS);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
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

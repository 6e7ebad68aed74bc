/* hub_db_block.c: the store's part for blocked customers (see hub_db.h): a block on a customer (and for a
 * while on the address it wrote from), whether a customer or an address is blocked now, lifting a block, and
 * the blocks in force for `opdesk-hub block list`. */
#include <stdlib.h>
#include <string.h>

#include "hub_db_internal.h"
#include "opdesk/xalloc.h"

int hub_db_block_add(struct hub_db *db, int64_t customer, const char *address, int64_t address_until,
		     const char *reason, const char *by, int64_t dialog, int64_t now, int64_t *id)
{
	struct sql_stmt *st = hub_db_stmt(db, ST_BLOCK_ADD);
	sql_bind_int64(st, 1, customer);
	sql_bind_text(st, 2, address);
	if (address)
		sql_bind_int64(st, 3, address_until);
	sql_bind_text(st, 4, reason);
	sql_bind_text(st, 5, by);
	if (dialog > 0)
		sql_bind_int64(st, 6, dialog);
	sql_bind_int64(st, 7, now);
	int rc = hub_db_run(db, st, "cannot store the block");
	*id = rc == HUB_DB_OK ? hub_db_last_id(db) : 0;
	return rc;
}

int hub_db_blocked(struct hub_db *db, int64_t customer, const char *address, int64_t now, bool *blocked)
{
	*blocked = false;
	struct sql_stmt *st = hub_db_stmt(db, ST_BLOCKED);
	sql_bind_int64(st, 1, customer);
	sql_bind_text(st, 2, address);
	sql_bind_int64(st, 3, now);
	int rc = sql_step(st);
	*blocked = rc == SQL_ROW;
	sql_reset(st);
	return rc == SQL_ROW || rc == SQL_DONE ? HUB_DB_OK : hub_db_fail(db, "cannot read the blocks");
}

int hub_db_block_remove(struct hub_db *db, int64_t id, const char *by, int64_t now, int64_t *customer,
			int64_t *dialog)
{
	*customer = *dialog = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_BLOCK_GET);
	sql_bind_int64(st, 1, id);
	int rc = sql_step(st);
	if (rc == SQL_ROW) {
		*customer = sql_col_int64(st, 0);
		*dialog = sql_col_int64(st, 1);
	}
	sql_reset(st);
	if (rc != SQL_ROW)
		return rc == SQL_DONE ? HUB_DB_NOT_FOUND : hub_db_fail(db, "cannot read the block");
	st = hub_db_stmt(db, ST_BLOCK_REMOVE);
	sql_bind_int64(st, 1, now);
	sql_bind_text(st, 2, by);
	sql_bind_int64(st, 3, id);
	return hub_db_run(db, st, "cannot lift the block");
}

int hub_db_block_list(struct hub_db *db, struct hub_db_block **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct sql_stmt *st = hub_db_stmt(db, ST_BLOCK_LIST);
	size_t cap = 0;
	int rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof **out);
		struct hub_db_block *b = &(*out)[(*n)++];
		memset(b, 0, sizeof *b);
		b->id = sql_col_int64(st, 0);
		b->customer = sql_col_int64(st, 1);
		int ch = proto_channel_parse(sql_col_text(st, 2));
		b->channel = ch < 0 ? PROTO_CH_WEB : (enum proto_channel)ch;
		b->contact = hub_db_col_text(st, 3);
		b->name = hub_db_col_text(st, 4);
		b->address = hub_db_col_text(st, 5);
		b->address_until = sql_col_int64(st, 6);
		b->reason = hub_db_col_text(st, 7);
		b->by = hub_db_col_text(st, 8);
		b->dialog = sql_col_int64(st, 9);
		b->created = sql_col_int64(st, 10);
	}
	sql_reset(st);
	if (rc != SQL_DONE) {
		hub_db_blocks_free(*out, *n);
		*out = NULL;
		*n = 0;
		return hub_db_fail(db, "cannot list the blocks");
	}
	return HUB_DB_OK;
}

void hub_db_blocks_free(struct hub_db_block *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].contact);
		free(v[i].name);
		free(v[i].address);
		free(v[i].reason);
		free(v[i].by);
	}
	free(v);
}

/* hub_blocks.c: `opdesk-hub block list|remove` (see hub_blocks.h): the blocks set by operators and supervisors
 * (hub_identity.c) as a table whose names and reasons go through textsafe, and lifting one with an audit entry. */
#include "opdesk/hub_blocks.h"

#include <stdlib.h>
#include <time.h>

#include "opdesk/hub_db.h"
#include "opdesk/hub_report.h"
#include "opdesk/xalloc.h"

#define N_COLS 8

static void when(char *out, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	strftime(out, size, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
}

static void row(FILE *out, const char *const v[N_COLS])
{
	static const int width[N_COLS] = { 5, 16, 9, 24, 20, 8, 12, 0 };
	for (int c = 0; c < N_COLS; c++)
		hub_table_field(out, v[c], c < N_COLS - 1 ? width[c] + 1 : 0);
	fputc('\n', out);
}

int hub_blocks_print(struct hub_db *db, FILE *out, char **cause)
{
	struct hub_db_block *v;
	size_t n;
	if (hub_db_block_list(db, &v, &n) != HUB_DB_OK) {
		*cause = xstrdup(hub_db_errmsg(db));
		return -1;
	}
	static const char *const head[N_COLS] = { "id", "since", "customer", "name / contact", "address until",
						  "dialog", "by", "reason" };
	row(out, head);
	for (size_t i = 0; i < n; i++) {
		const struct hub_db_block *b = &v[i];
		char id[24], since[32], customer[24], until[64] = "", dialog[24] = "", who[160];
		snprintf(id, sizeof id, "%lld", (long long)b->id);
		when(since, sizeof since, b->created);
		snprintf(customer, sizeof customer, "%lld", (long long)b->customer);
		snprintf(who, sizeof who, "%s%s%s%s", b->name ? b->name : "", b->contact ? " · " : "",
			 b->contact ? proto_channel_name(b->channel) : "", b->contact ? " " : "");
		char *name = xasprintf("%s%s", who, b->contact ? b->contact : "");
		if (b->address) {
			char t[32];
			when(t, sizeof t, b->address_until);
			snprintf(until, sizeof until, "%s %s", b->address, t + 5);
		}
		if (b->dialog)
			snprintf(dialog, sizeof dialog, "%lld", (long long)b->dialog);
		const char *vals[N_COLS] = { id, since, customer, name, until, dialog, b->by ? b->by : "",
					     b->reason ? b->reason : "" };
		row(out, vals);
		free(name);
	}
	hub_db_blocks_free(v, n);
	return 0;
}

int hub_blocks_remove(struct hub_db *db, int64_t id, const char *actor, char **cause)
{
	int64_t customer, dialog;
	int rc = hub_db_block_remove(db, id, actor, proto_now_ms(), &customer, &dialog);
	if (rc == HUB_DB_NOT_FOUND)
		return 1;
	if (rc != HUB_DB_OK) {
		*cause = xstrdup(hub_db_errmsg(db));
		return -1;
	}
	char detail[96];
	snprintf(detail, sizeof detail, "block %lld, customer %lld lifted", (long long)id, (long long)customer);
	hub_db_audit_add(db, proto_now_ms(), actor, "unblock", dialog, detail);
	return 0;
}

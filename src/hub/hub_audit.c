/* hub_audit.c: `opdesk-hub audit`: the audit log's entries (written with hub_db_audit_add) as a table or CSV. */
#include "opdesk/hub_audit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/hub_db.h"
#include "opdesk/hub_report.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

struct audit_out {
	FILE *out;
	bool csv;
};

static const int audit_width[] = { 19, 20, 24, 7, 0 };

static void audit_row(const struct audit_out *o, const char *const v[5])
{
	for (int c = 0; c < 5; c++) {
		if (o->csv)
			hub_csv_field(o->out, v[c], c == 0);
		else
			hub_table_field(o->out, v[c], c < 4 ? audit_width[c] + 1 : 0);
	}
	fputc('\n', o->out);
}

static int audit_entry(void *arg, int64_t time_ms, const char *actor, const char *action, int64_t dialog,
		       const char *detail)
{
	time_t t = (time_t)(time_ms / 1000);
	struct tm tm;
	char when[32], id[24] = "";
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
	if (dialog > 0)
		snprintf(id, sizeof id, "%lld", (long long)dialog);
	const char *v[5] = { when, actor, action, id, detail };
	audit_row(arg, v);
	return 0;
}

int hub_audit_print(struct hub_db *db, int64_t since_ms, int64_t until_ms, const char *actor, bool csv, FILE *out,
		    char **cause)
{
	static const char *const head[] = { "time", "actor", "action", "dialog", "detail" };
	struct audit_out o = { out, csv };
	audit_row(&o, head);
	if (hub_db_audit_read(db, since_ms, until_ms, actor, audit_entry, &o) != HUB_DB_OK) {
		*cause = xstrdup(hub_db_errmsg(db));
		return -1;
	}
	return 0;
}

/* hub_metrics.c: the hub's plain-HTTP answers on its own port: GET /health (can the database be written?)
 * and GET /metrics (Prometheus text: connections, operators, the queue, dialogs, messages, ratings and CSAT,
 * claims), read from the live sessions and the SQLite file. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_internal.h"
#include "opdesk/hub_session.h"
#include "opdesk/xalloc.h"

struct metrics_buf {
	char *s;
	size_t len, cap;
};

static void out(struct metrics_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct metrics_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *line = NULL;
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->s = xgrow(b->s, &b->cap, b->len + (size_t)n + 1, 1);
	memcpy(b->s + b->len, line, (size_t)n + 1);
	b->len += (size_t)n;
	free(line);
}

/* One gauge or counter per row of `sql` (label value, number). */
static void metric_rows(struct metrics_buf *b, sqlite3 *db, const char *name, const char *label, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		out(b, "%s{%s=\"%s\"} %lld\n", name, label, v ? v : "", (long long)sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
}

static double metric_value(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	double v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char *metrics_text(struct hub *h)
{
	struct metrics_buf b = {0};
	sqlite3 *db = hub_db_sqlite(h->db);
	size_t agents = 0, customers = 0, bridges = 0, online = 0, away = 0;
	for (struct hub_session *s = h->sessions; s; s = s->next) {
		if (s->ep != HUB_EP_AGENT) {
			*(s->ep == HUB_EP_CUSTOMER ? &customers : &bridges) += 1;
			continue;
		}
		agents++;
		if (s->authed && s->status == PROTO_ST_AWAY)
			away++;
		else if (s->authed)
			online++;
	}
	out(&b, "# HELP opdesk_connections Open WebSocket connections.\n# TYPE opdesk_connections gauge\n");
	out(&b, "opdesk_connections{endpoint=\"agent\"} %zu\nopdesk_connections{endpoint=\"customer\"} %zu\n", agents,
	    customers);
	out(&b, "opdesk_connections{endpoint=\"bridge\"} %zu\n", bridges);
	out(&b, "# HELP opdesk_operators Signed-in operators by status.\n# TYPE opdesk_operators gauge\n");
	out(&b, "opdesk_operators{status=\"online\"} %zu\nopdesk_operators{status=\"away\"} %zu\n", online, away);
	out(&b, "# HELP opdesk_dialogs Dialogs by state.\n# TYPE opdesk_dialogs gauge\n");
	metric_rows(&b, db, "opdesk_dialogs", "state",
		    "SELECT s.state, (SELECT count(*) FROM dialogs d WHERE d.state = s.state) FROM "
		    "(SELECT 'queued' AS state UNION ALL SELECT 'assigned' UNION ALL SELECT 'closed') s");
	out(&b, "# HELP opdesk_queue_length Chats waiting for an operator.\n# TYPE opdesk_queue_length gauge\n");
	out(&b, "opdesk_queue_length %.0f\n", metric_value(db, "SELECT count(*) FROM dialogs WHERE state = 'queued'"));
	out(&b, "# HELP opdesk_messages_total Messages stored, by sender.\n# TYPE opdesk_messages_total counter\n");
	metric_rows(&b, db, "opdesk_messages_total", "sender",
		    "SELECT sender, count(*) FROM messages GROUP BY sender ORDER BY sender");
	out(&b, "# HELP opdesk_ratings_total Customer ratings, by score.\n# TYPE opdesk_ratings_total counter\n");
	metric_rows(&b, db, "opdesk_ratings_total", "score",
		    "SELECT score, count(*) FROM ratings GROUP BY score ORDER BY score");
	out(&b, "# HELP opdesk_csat_ratio Share of ratings that are 5 of 5.\n# TYPE opdesk_csat_ratio gauge\n");
	out(&b, "opdesk_csat_ratio %.4f\n",
	    metric_value(db, "SELECT coalesce(avg(CASE WHEN score = 5 THEN 1.0 ELSE 0.0 END), 0) FROM ratings"));
	out(&b, "# HELP opdesk_claims_total Claims filed, by category.\n# TYPE opdesk_claims_total counter\n");
	metric_rows(&b, db, "opdesk_claims_total", "category",
		    "SELECT category, count(*) FROM claims GROUP BY category ORDER BY category");
	out(&b, "# HELP opdesk_group_commits_total Durable commits of a loop pass's messages (group commit).\n"
		"# TYPE opdesk_group_commits_total counter\nopdesk_group_commits_total %llu\n",
	    (unsigned long long)h->batch_commits);
	out(&b, "# HELP opdesk_group_commit_messages_total Messages acknowledged through group commits.\n"
		"# TYPE opdesk_group_commit_messages_total counter\nopdesk_group_commit_messages_total %llu\n",
	    (unsigned long long)h->batch_writes);
	return b.s ? b.s : xstrdup("");
}

int hub_http(void *app, const char *path, char **body, const char **type)
{
	struct hub *h = app;
	if (strcmp(path, "/health") == 0) {
		/* healthy = the database takes a real write now (one header field, rewritten with the same value: a
		 * WAL frame and its fsync), so that a full disk or a read-only file shows here */
		char *err = NULL;
		sqlite3 *db = hub_db_sqlite(h->db);
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE; PRAGMA application_id = 1869636723; COMMIT;", NULL, NULL, &err);
		if (rc == SQLITE_OK) {
			*body = xstrdup("ok\n");
			return 200;
		}
		*body = xasprintf("storage: %s\n", err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return 503;
	}
	if (strcmp(path, "/metrics") == 0) {
		*type = "text/plain; version=0.0.4; charset=utf-8";
		*body = metrics_text(h);
		return 200;
	}
	return hub_web(path, body, type);
}

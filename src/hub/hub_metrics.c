/* hub_metrics.c: the hub's plain-HTTP answers on its own port: GET /health (can the database be written?)
 * and GET /metrics (Prometheus text: connections, operators, the queue, dialogs, messages, ratings and CSAT,
 * claims; and by operator and by queue over the last 24 hours: queue wait, first response and handling time
 * as summaries with their median and 90th percentile, rating mean, CSAT, claims by category), read from the
 * live sessions and the store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_core.h"
#include "hub_metrics.h"
#include "hub_web.h"
#include "opdesk/hub_session.h"
#include "opdesk/hub_stats.h"
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

/* A store's tally, read once for its rows and for the sums taken from it (empty when it cannot be read). */
struct metrics_tally {
	struct hub_db_tally *v;
	size_t n;
};

/* One gauge or counter per key of `what` (label value, number); the tally stays in *t for tally_count. */
static void metric_rows(struct metrics_buf *b, struct hub_db *db, const char *name, const char *label,
			enum hub_db_tally_of what, struct metrics_tally *t)
{
	hub_db_tally(db, what, &t->v, &t->n); /* on failure it is empty: no rows */
	for (size_t i = 0; i < t->n; i++)
		out(b, "%s{%s=\"%s\"} %lld\n", name, label, t->v[i].key, (long long)t->v[i].n);
}

/* The count of `key` in a tally, or of every key (NULL). */
static int64_t tally_count(const struct metrics_tally *t, const char *key)
{
	int64_t count = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!key || strcmp(t->v[i].key, key) == 0)
			count += t->v[i].n;
	return count;
}

#define METRICS_WINDOW_MS (24 * 3600 * 1000LL)

/* A label value in the text format: backslash, double quote and line feed escaped. */
static void out_label(struct metrics_buf *b, const char *v)
{
	while (*v) {
		size_t n = strcspn(v, "\\\"\n"); /* a run that needs no escape, then one character that does */
		out(b, "%.*s", (int)n, v);
		v += n;
		if (*v) {
			out(b, "\\%c", *v == '\n' ? 'n' : *v);
			v++;
		}
	}
}

/* One sample: NAME{DIM="key"[,EXTRA]} value */
static void sample(struct metrics_buf *b, const char *name, const char *dim, const char *key, const char *extra,
		   double v)
{
	out(b, "%s{%s=\"", name, dim);
	out_label(b, key);
	out(b, "\"%s%s} %.10g\n", extra ? "," : "", extra ? extra : "", v);
}

static void summary(struct metrics_buf *b, const char *dim, const char *what, const char *help,
		    struct hub_stats *st, size_t field)
{
	out(b, "# HELP opdesk_%s_%s_seconds %s of the dialogs opened in the last 24 hours, by %s.\n", dim, what, help,
	    dim);
	out(b, "# TYPE opdesk_%s_%s_seconds summary\n", dim, what);
	char name[96];
	for (size_t i = 0; i < st->n; i++) {
		struct hub_stats_vals *v = (struct hub_stats_vals *)((char *)&st->groups[i] + field);
		snprintf(name, sizeof name, "opdesk_%s_%s_seconds", dim, what);
		if (v->n) {
			sample(b, name, dim, st->groups[i].key, "quantile=\"0.5\"", hub_stats_quantile(v, 0.5));
			sample(b, name, dim, st->groups[i].key, "quantile=\"0.9\"", hub_stats_quantile(v, 0.9));
		}
		snprintf(name, sizeof name, "opdesk_%s_%s_seconds_sum", dim, what);
		sample(b, name, dim, st->groups[i].key, NULL, hub_stats_mean(v) * (double)v->n);
		snprintf(name, sizeof name, "opdesk_%s_%s_seconds_count", dim, what);
		sample(b, name, dim, st->groups[i].key, NULL, (double)v->n);
	}
}

/* The service figures of the last 24 hours by operator (user name) or by queue. */
static void metrics_by(struct metrics_buf *b, struct hub_db *db, enum hub_stats_by by, const char *dim, int64_t now)
{
	struct hub_stats st;
	char *cause = NULL;
	if (hub_stats_read(db, now - METRICS_WINDOW_MS, now + 1, by, &st, &cause) != 0) {
		free(cause);
		return;
	}
	char name[96];
	snprintf(name, sizeof name, "opdesk_%s_dialogs", dim);
	out(b, "# HELP %s Dialogs opened in the last 24 hours, by %s.\n# TYPE %s gauge\n", name, dim, name);
	for (size_t i = 0; i < st.n; i++)
		sample(b, name, dim, st.groups[i].key, NULL, (double)st.groups[i].dialogs);
	summary(b, dim, "wait", "Queue wait (opened to assigned)", &st, offsetof(struct hub_stats_group, wait));
	summary(b, dim, "first_response", "First response (opened to the operator's first message)", &st,
		offsetof(struct hub_stats_group, first));
	summary(b, dim, "handling", "Handling time (assigned to closed)", &st, offsetof(struct hub_stats_group, handle));
	snprintf(name, sizeof name, "opdesk_%s_rating_mean", dim);
	out(b, "# HELP %s Mean rating (1-5) of the dialogs opened in the last 24 hours, by %s.\n# TYPE %s gauge\n",
	    name, dim, name);
	for (size_t i = 0; i < st.n; i++)
		if (st.groups[i].rated)
			sample(b, name, dim, st.groups[i].key, NULL, st.groups[i].score_sum / (double)st.groups[i].rated);
	snprintf(name, sizeof name, "opdesk_%s_csat_ratio", dim);
	out(b, "# HELP %s Share of 5-of-5 ratings in the last 24 hours, by %s.\n# TYPE %s gauge\n", name, dim, name);
	for (size_t i = 0; i < st.n; i++)
		if (st.groups[i].rated)
			sample(b, name, dim, st.groups[i].key, NULL, (double)st.groups[i].fives / (double)st.groups[i].rated);
	snprintf(name, sizeof name, "opdesk_%s_claims", dim);
	out(b, "# HELP %s Claims on the dialogs opened in the last 24 hours, by %s and category.\n# TYPE %s gauge\n",
	    name, dim, name);
	for (size_t i = 0; i < st.n; i++) {
		for (int c = 0; c < PROTO_CLAIM_COUNT; c++) {
			if (!st.groups[i].claims_by[c])
				continue;
			char extra[64];
			snprintf(extra, sizeof extra, "category=\"%s\"", proto_claim_name((enum proto_claim)c));
			sample(b, name, dim, st.groups[i].key, extra, (double)st.groups[i].claims_by[c]);
		}
	}
	hub_stats_free(&st);
}

static char *metrics_text(struct hub *h)
{
	struct metrics_buf b = {0};
	struct hub_db *db = h->db;
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
	struct metrics_tally dialogs, messages, ratings, claims, blocks;
	out(&b, "# HELP opdesk_dialogs Dialogs by state.\n# TYPE opdesk_dialogs gauge\n");
	metric_rows(&b, db, "opdesk_dialogs", "state", HUB_DB_DIALOGS_BY_STATE, &dialogs);
	out(&b, "# HELP opdesk_queue_length Chats waiting for an operator.\n# TYPE opdesk_queue_length gauge\n");
	out(&b, "opdesk_queue_length %lld\n", (long long)tally_count(&dialogs, "queued"));
	out(&b, "# HELP opdesk_messages_total Messages stored, by sender.\n# TYPE opdesk_messages_total counter\n");
	metric_rows(&b, db, "opdesk_messages_total", "sender", HUB_DB_MESSAGES_BY_SENDER, &messages);
	out(&b, "# HELP opdesk_ratings_total Customer ratings, by score.\n# TYPE opdesk_ratings_total counter\n");
	metric_rows(&b, db, "opdesk_ratings_total", "score", HUB_DB_RATINGS_BY_SCORE, &ratings);
	int64_t rated = tally_count(&ratings, NULL);
	out(&b, "# HELP opdesk_csat_ratio Share of ratings that are 5 of 5.\n# TYPE opdesk_csat_ratio gauge\n");
	out(&b, "opdesk_csat_ratio %.4f\n", rated ? (double)tally_count(&ratings, "5") / (double)rated : 0.0);
	out(&b, "# HELP opdesk_claims_total Claims filed, by category.\n# TYPE opdesk_claims_total counter\n");
	metric_rows(&b, db, "opdesk_claims_total", "category", HUB_DB_CLAIMS_BY_CATEGORY, &claims);
	out(&b, "# HELP opdesk_blocks Customers blocked from opening chats: blocks in force and lifted.\n"
		"# TYPE opdesk_blocks gauge\n");
	metric_rows(&b, db, "opdesk_blocks", "state", HUB_DB_BLOCKS_BY_STATE, &blocks);
	out(&b, "# HELP opdesk_blocked_refusals_total New chats refused to blocked customers since the hub started.\n"
		"# TYPE opdesk_blocked_refusals_total counter\nopdesk_blocked_refusals_total %llu\n",
	    (unsigned long long)h->blocked_refusals);
	struct metrics_tally *all[] = { &dialogs, &messages, &ratings, &claims, &blocks };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		hub_db_tally_free(all[i]->v, all[i]->n);
	int64_t mail[3];
	if (hub_db_mail_tally(db, mail) == HUB_DB_OK) {
		out(&b, "# HELP opdesk_mails Mails in the outbox, by state (pending: not yet sent, failed: given up).\n"
			"# TYPE opdesk_mails gauge\n");
		out(&b, "opdesk_mails{state=\"pending\"} %lld\nopdesk_mails{state=\"sent\"} %lld\n"
			"opdesk_mails{state=\"failed\"} %lld\n", (long long)mail[0], (long long)mail[1], (long long)mail[2]);
	}
	out(&b, "# HELP opdesk_mail_attempts_total Runs of the sendmail command since the hub started, by result.\n"
		"# TYPE opdesk_mail_attempts_total counter\n"
		"opdesk_mail_attempts_total{result=\"sent\"} %llu\nopdesk_mail_attempts_total{result=\"failed\"} %llu\n",
	    (unsigned long long)h->mail_sent, (unsigned long long)h->mail_failed);
	int64_t left, answered, open;
	if (hub_db_request_tally(db, proto_now_ms() - METRICS_WINDOW_MS, proto_now_ms() + 1, &left, &answered, &open) == HUB_DB_OK)
		out(&b, "# HELP opdesk_requests_open Offline requests not yet answered.\n# TYPE opdesk_requests_open gauge\n"
			"opdesk_requests_open %lld\n"
			"# HELP opdesk_requests Offline requests left and answered in the last 24 hours.\n"
			"# TYPE opdesk_requests gauge\nopdesk_requests{event=\"left\"} %lld\n"
			"opdesk_requests{event=\"answered\"} %lld\n", (long long)open, (long long)left, (long long)answered);
	out(&b, "# HELP opdesk_auto_closed_total Chats the hub closed since it started: the customer stayed silent.\n"
		"# TYPE opdesk_auto_closed_total counter\nopdesk_auto_closed_total %llu\n",
	    (unsigned long long)h->auto_closed);
	int64_t now = proto_now_ms();
	metrics_by(&b, db, HUB_STATS_OPERATOR_USER, "operator", now);
	metrics_by(&b, db, HUB_STATS_QUEUE, "queue", now);
	out(&b, "# HELP opdesk_group_commits_total Durable commits of a loop pass's messages (group commit).\n"
		"# TYPE opdesk_group_commits_total counter\nopdesk_group_commits_total %llu\n",
	    (unsigned long long)h->batch_commits);
	out(&b, "# HELP opdesk_group_commit_messages_total Messages acknowledged through group commits.\n"
		"# TYPE opdesk_group_commit_messages_total counter\nopdesk_group_commit_messages_total %llu\n",
	    (unsigned long long)h->batch_writes);
	out(&b, "# HELP opdesk_database_up 1 when the database takes a write now (as /health), else 0.\n"
		"# TYPE opdesk_database_up gauge\nopdesk_database_up %d\n", hub_db_health(db) == HUB_DB_OK);
	out(&b, "# HELP opdesk_database_connection_losses_total Times the connection to the database server was lost "
		"(PostgreSQL).\n# TYPE opdesk_database_connection_losses_total counter\n"
		"opdesk_database_connection_losses_total %llu\n", (unsigned long long)hub_db_connection_losses(db));
	static const char *const why[] = HUB_UPLOAD_REFUSALS;
	out(&b, "# HELP opdesk_uploads_total Files uploaded and stored since the hub started.\n"
		"# TYPE opdesk_uploads_total counter\nopdesk_uploads_total %llu\n",
	    (unsigned long long)h->uploads_stored);
	out(&b, "# HELP opdesk_uploads_refused_total Uploads refused since the hub started, by reason.\n"
		"# TYPE opdesk_uploads_refused_total counter\n");
	for (size_t i = 0; i < sizeof why / sizeof *why; i++)
		out(&b, "opdesk_uploads_refused_total{reason=\"%s\"} %llu\n", why[i],
		    (unsigned long long)h->uploads_refused[i]);
	return b.s ? b.s : xstrdup("");
}

int hub_http(void *app, const char *path, char **body, const char **type)
{
	struct hub *h = app;
	if (strcmp(path, "/health") == 0) {
		/* healthy = the database takes a real write now (one header field, rewritten with the same value: a
		 * WAL frame and its fsync), so that a full disk or a read-only file shows here */
		if (hub_db_health(h->db) == HUB_DB_OK) {
			*body = xstrdup("ok\n");
			return 200;
		}
		*body = xasprintf("storage: %s\n", hub_db_errmsg(h->db));
		return 503;
	}
	if (strcmp(path, "/metrics") == 0) {
		*type = "text/plain; version=0.0.4; charset=utf-8";
		*body = metrics_text(h);
		return 200;
	}
	return hub_web(path, body, type);
}

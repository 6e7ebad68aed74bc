/* hub_stats.c: the service-quality figures of a period (see hub_stats.h): one pass over the period's
 * dialogs, then one over its claims by category; percentiles from the sorted values of each group. */
#include "opdesk/hub_stats.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

static const char *const stats_key_sql[] = {
	[HUB_STATS_OPERATOR] = "CASE WHEN o.id IS NULL THEN '(nobody)' WHEN o.display IS NULL OR o.display = o.name "
			       "THEN o.name ELSE o.display || ' (' || o.name || ')' END",
	[HUB_STATS_QUEUE] = "d.queue",
	[HUB_STATS_TOPIC] = "coalesce(d.topic, '(open)')",
	[HUB_STATS_OPERATOR_USER] = "coalesce(o.name, '(nobody)')",
};

static void vals_add(struct hub_stats_vals *a, double x)
{
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n++] = x;
	a->sorted = false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double hub_stats_mean(const struct hub_stats_vals *v)
{
	double sum = 0;
	for (size_t i = 0; i < v->n; i++)
		sum += v->v[i];
	return v->n ? sum / (double)v->n : 0;
}

double hub_stats_quantile(struct hub_stats_vals *v, double q)
{
	if (!v->n)
		return 0;
	if (!v->sorted) {
		qsort(v->v, v->n, sizeof *v->v, cmp_double);
		v->sorted = true;
	}
	return v->v[(size_t)((double)(v->n - 1) * q + 0.5)];
}

static void group_free(struct hub_stats_group *g)
{
	free(g->wait.v);
	free(g->first.v);
	free(g->handle.v);
}

void hub_stats_free(struct hub_stats *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->groups[i].key);
		group_free(&s->groups[i]);
	}
	free(s->groups);
	group_free(&s->total);
	memset(s, 0, sizeof *s);
}

static struct hub_stats_group *group_of(struct hub_stats *s, const char *key)
{
	size_t lo = 0, hi = s->n; /* the groups are in the database's key order, which strcmp follows (BINARY) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->groups[mid].key, key);
		if (c == 0)
			return &s->groups[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int fail(sqlite3 *db, sqlite3_stmt *st, char **cause)
{
	*cause = xasprintf("cannot read the database: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return -1;
}

int hub_stats_read(sqlite3 *db, int64_t since_ms, int64_t until_ms, enum hub_stats_by by, struct hub_stats *out,
		   char **cause)
{
	memset(out, 0, sizeof *out);
	out->total.key = (char *)"total";
	char *sql = xasprintf(
	    "SELECT %s, d.opened_ms, d.assigned_ms, d.closed_ms,"
	    " (SELECT min(m.time_ms) FROM messages m WHERE m.dialog_id = d.id AND m.sender = 'operator'), r.score"
	    " FROM dialogs d LEFT JOIN operators o ON o.id = d.operator_id LEFT JOIN ratings r ON r.dialog_id = d.id"
	    " WHERE d.opened_ms >= ? AND d.opened_ms < ? ORDER BY 1",
	    stats_key_sql[by]);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return fail(db, st, cause);
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (!out->n || strcmp(out->groups[out->n - 1].key, key ? key : "") != 0) {
			out->groups = xgrow(out->groups, &cap, out->n + 1, sizeof *out->groups);
			memset(&out->groups[out->n], 0, sizeof out->groups[out->n]);
			out->groups[out->n++].key = xstrdup(key ? key : "");
		}
		struct hub_stats_group *gs[] = { &out->groups[out->n - 1], &out->total };
		int64_t opened = sqlite3_column_int64(st, 1);
		bool assigned = sqlite3_column_type(st, 2) != SQLITE_NULL;
		for (size_t k = 0; k < 2; k++) {
			struct hub_stats_group *x = gs[k];
			x->dialogs++;
			x->closed += sqlite3_column_type(st, 3) != SQLITE_NULL;
			if (assigned)
				vals_add(&x->wait, (double)(sqlite3_column_int64(st, 2) - opened) / 1000);
			if (sqlite3_column_type(st, 4) != SQLITE_NULL)
				vals_add(&x->first, (double)(sqlite3_column_int64(st, 4) - opened) / 1000);
			if (assigned && sqlite3_column_type(st, 3) != SQLITE_NULL)
				vals_add(&x->handle, (double)(sqlite3_column_int64(st, 3) - sqlite3_column_int64(st, 2)) / 1000);
			if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
				int score = sqlite3_column_int(st, 5);
				x->rated++;
				x->score_sum += score;
				x->fives += score == 5;
			}
		}
	}
	if (rc != SQLITE_DONE) {
		fail(db, st, cause);
		hub_stats_free(out);
		return -1;
	}
	sqlite3_finalize(st);

	sql = xasprintf("SELECT %s, c.category, count(*) FROM claims c JOIN dialogs d ON d.id = c.dialog_id"
			" LEFT JOIN operators o ON o.id = d.operator_id"
			" WHERE d.opened_ms >= ? AND d.opened_ms < ? GROUP BY 1, 2",
			stats_key_sql[by]);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		fail(db, st, cause);
		hub_stats_free(out);
		return -1;
	}
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		struct hub_stats_group *g = group_of(out, key ? key : "");
		int cat = proto_claim_parse((const char *)sqlite3_column_text(st, 1));
		size_t count = (size_t)sqlite3_column_int64(st, 2);
		struct hub_stats_group *gs[] = { g, &out->total };
		for (size_t k = 0; k < 2; k++) {
			if (!gs[k])
				continue;
			gs[k]->claims += count;
			if (cat >= 0)
				gs[k]->claims_by[cat] += count;
		}
	}
	if (rc != SQLITE_DONE) {
		fail(db, st, cause);
		hub_stats_free(out);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

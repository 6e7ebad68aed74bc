/* hub_stats.c: the service-quality figures of a period (see hub_stats.h), grouped from the store's rows: one
 * pass over the period's dialogs, then one over its claims by category; percentiles from the sorted values of
 * each group. */
#include "opdesk/hub_stats.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

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

size_t hub_stats_within(const struct hub_stats_vals *v, double limit)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n; i++)
		n += v->v[i] <= limit;
	return n;
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

static void group_add(struct hub_stats_group *x, const struct hub_db_period_dialog *d)
{
	x->dialogs++;
	x->closed += d->closed != 0;
	x->abandoned += d->abandoned;
	if (d->assigned)
		vals_add(&x->wait, (double)(d->assigned - d->opened) / 1000);
	if (d->first_reply)
		vals_add(&x->first, (double)(d->first_reply - d->opened) / 1000);
	if (d->assigned && d->closed)
		vals_add(&x->handle, (double)(d->closed - d->assigned) / 1000);
	if (d->score) {
		x->rated++;
		x->score_sum += d->score;
		x->fives += d->score == 5;
	}
}

static int dialog_row(void *arg, const struct hub_db_period_dialog *d)
{
	struct hub_stats *out = arg;
	if (!out->n || strcmp(out->groups[out->n - 1].key, d->key) != 0) { /* the rows come in key order */
		out->groups = xgrow(out->groups, &out->cap, out->n + 1, sizeof *out->groups);
		memset(&out->groups[out->n], 0, sizeof out->groups[out->n]);
		out->groups[out->n++].key = xstrdup(d->key);
	}
	group_add(&out->groups[out->n - 1], d);
	group_add(&out->total, d);
	return 0;
}

static int claim_row(void *arg, const char *key, const char *category, int64_t count)
{
	struct hub_stats *out = arg;
	int cat = proto_claim_parse(category);
	struct hub_stats_group *gs[] = { group_of(out, key), &out->total };
	for (size_t k = 0; k < 2; k++) {
		if (!gs[k])
			continue;
		gs[k]->claims += (size_t)count;
		if (cat >= 0)
			gs[k]->claims_by[cat] += (size_t)count;
	}
	return 0;
}

int hub_stats_read(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_stats_by by, struct hub_stats *out,
		   char **cause)
{
	memset(out, 0, sizeof *out);
	out->total.key = (char *)"total";
	if (hub_db_period_dialogs(db, since_ms, until_ms, (enum hub_db_period_by)by, dialog_row, out) != HUB_DB_OK ||
	    hub_db_period_claims(db, since_ms, until_ms, (enum hub_db_period_by)by, claim_row, out) != HUB_DB_OK) {
		*cause = xasprintf("cannot read the database: %s", hub_db_errmsg(db));
		hub_stats_free(out);
		return -1;
	}
	return 0;
}

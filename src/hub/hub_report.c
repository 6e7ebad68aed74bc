/* hub_report.c: the service-quality report (see hub_report.h). One pass over the period's dialogs; the
 * percentiles are computed from the sorted values of each group. */
#include "opdesk/hub_report.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

struct report_vals {
	double *v;
	size_t n, cap;
};

struct report_group {
	char *key;
	size_t dialogs, rated, fives, claims;
	double score_sum;
	struct report_vals wait, first, handle; /* seconds */
};

static void vals_add(struct report_vals *a, double x)
{
	a->v = xgrow(a->v, &a->cap, a->n + 1, sizeof *a->v);
	a->v[a->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* mean and p90 as "m:ss" text; "-" when there is nothing */
static void vals_text(struct report_vals *a, char *mean, char *p90, size_t size)
{
	if (a->n == 0) {
		snprintf(mean, size, "-");
		snprintf(p90, size, "-");
		return;
	}
	qsort(a->v, a->n, sizeof *a->v, cmp_double);
	double sum = 0;
	for (size_t i = 0; i < a->n; i++)
		sum += a->v[i];
	double m = sum / (double)a->n, p = a->v[(size_t)((double)(a->n - 1) * 0.9 + 0.5)];
	snprintf(mean, size, "%ld:%02ld", (long)m / 60, (long)m % 60);
	snprintf(p90, size, "%ld:%02ld", (long)p / 60, (long)p % 60);
}

int64_t hub_report_parse_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d %H:%M", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, "%Y-%m-%d", &tm);
		if (!end || *end)
			return -1;
	}
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t * 1000;
}

static const char *const report_sql[] = {
	[HUB_REPORT_OPERATOR] = "coalesce(o.display, o.name, '(nobody)')",
	[HUB_REPORT_QUEUE] = "d.queue",
	[HUB_REPORT_TOPIC] = "coalesce(d.topic, '(open)')",
};

/* Cells of one row, in display columns: names are UTF-8, so the width is counted in characters. */
static int text_width(const char *s)
{
	return (int)utf8_length(s, strlen(s));
}

void hub_csv_field(FILE *out, const char *v, bool first)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;
	fprintf(out, "%s%s", first ? "" : ",", quote ? "\"" : "");
	for (const char *p = v; *p; p++) {
		if (*p == '"')
			fputc('"', out); /* a quote inside a quoted field is doubled */
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
}

int hub_report(struct sqlite3 *db, int64_t since_ms, int64_t until_ms, enum hub_report_by by, bool csv, FILE *out,
               char **cause)
{
	char *sql = xasprintf(
	    "SELECT %s, d.opened_ms, d.assigned_ms, d.closed_ms,"
	    " (SELECT min(m.time_ms) FROM messages m WHERE m.dialog_id = d.id AND m.sender = 'operator'),"
	    " r.score, (SELECT count(*) FROM claims c WHERE c.dialog_id = d.id)"
	    " FROM dialogs d LEFT JOIN operators o ON o.id = d.operator_id LEFT JOIN ratings r ON r.dialog_id = d.id"
	    " WHERE d.opened_ms >= ? AND d.opened_ms < ? ORDER BY 1",
	    report_sql[by]);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot read the database: %s", sqlite3_errmsg(db));
		free(sql);
		return -1;
	}
	free(sql);
	sqlite3_bind_int64(st, 1, since_ms);
	sqlite3_bind_int64(st, 2, until_ms);
	struct report_group *g = NULL, total = {.key = (char *)"total"};
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		if (!n || strcmp(g[n - 1].key, key ? key : "") != 0) {
			g = xgrow(g, &cap, n + 1, sizeof *g);
			memset(&g[n], 0, sizeof g[n]);
			g[n++].key = xstrdup(key ? key : "");
		}
		struct report_group *gs[] = {&g[n - 1], &total};
		int64_t opened = sqlite3_column_int64(st, 1);
		for (size_t k = 0; k < 2; k++) {
			struct report_group *x = gs[k];
			x->dialogs++;
			if (sqlite3_column_type(st, 2) != SQLITE_NULL)
				vals_add(&x->wait, (double)(sqlite3_column_int64(st, 2) - opened) / 1000);
			if (sqlite3_column_type(st, 4) != SQLITE_NULL)
				vals_add(&x->first, (double)(sqlite3_column_int64(st, 4) - opened) / 1000);
			if (sqlite3_column_type(st, 3) != SQLITE_NULL && sqlite3_column_type(st, 2) != SQLITE_NULL)
				vals_add(&x->handle, (double)(sqlite3_column_int64(st, 3) - sqlite3_column_int64(st, 2)) / 1000);
			if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
				int score = sqlite3_column_int(st, 5);
				x->rated++;
				x->score_sum += score;
				x->fives += score == 5;
			}
			x->claims += (size_t)sqlite3_column_int64(st, 6);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cannot read the database: %s", sqlite3_errmsg(db));
		return -1;
	}
	static const char *const by_names[] = {"operator", "queue", "topic"};
	const char *head[] = {by_names[by], "dialogs", "wait", "wait p90", "first reply", "first p90", "handling",
	                      "handling p90", "rated", "CSAT mean", "CSAT 5s", "claims"};
	enum { COLS = 12 };
	int width[COLS];
	for (int c = 0; c < COLS; c++)
		width[c] = text_width(head[c]);
	char (*cells)[COLS][48] = xmalloc((n + 1) * sizeof *cells); /* a row per group, and the total */
	size_t rows = 0;
	for (size_t i = 0; i <= n; i++) {
		struct report_group *x = i < n ? &g[i] : &total;
		char (*r)[48] = cells[rows++];
		snprintf(r[0], 48, "%.40s", x->key);
		snprintf(r[1], 48, "%zu", x->dialogs);
		vals_text(&x->wait, r[2], r[3], 48);
		vals_text(&x->first, r[4], r[5], 48);
		vals_text(&x->handle, r[6], r[7], 48);
		snprintf(r[8], 48, "%zu", x->rated);
		if (x->rated) {
			snprintf(r[9], 48, "%.2f", x->score_sum / (double)x->rated);
			snprintf(r[10], 48, "%.0f%%", 100.0 * (double)x->fives / (double)x->rated);
		} else {
			snprintf(r[9], 48, "-");
			snprintf(r[10], 48, "-");
		}
		snprintf(r[11], 48, "%zu", x->claims);
		for (int c = 0; c < COLS; c++)
			if (text_width(r[c]) > width[c])
				width[c] = text_width(r[c]);
	}
	for (int c = 0; c < COLS; c++) {
		if (csv)
			fprintf(out, "%s%s", c ? "," : "", head[c]);
		else if (c == 0)
			fprintf(out, "%-*s", width[c], head[c]);
		else
			fprintf(out, "  %*s", width[c], head[c]);
	}
	fputc('\n', out);
	for (size_t i = 0; i < rows; i++) {
		for (int c = 0; c < COLS; c++) {
			const char *v = cells[i][c];
			if (csv) {
				hub_csv_field(out, v, c == 0);
			} else {
				int pad = width[c] - text_width(v);
				if (c == 0)
					fprintf(out, "%s%*s", v, pad, "");
				else
					fprintf(out, "  %*s%s", pad, "", v);
			}
		}
		fputc('\n', out);
	}
	free(cells);
	for (size_t i = 0; i < n; i++) {
		free(g[i].key);
		free(g[i].wait.v);
		free(g[i].first.v);
		free(g[i].handle.v);
	}
	free(g);
	free(total.wait.v);
	free(total.first.v);
	free(total.handle.v);
	return 0;
}

/* hub_report.c: the service-quality report (see hub_report.h): the figures of hub_stats as an aligned table
 * or CSV. */
#include "opdesk/hub_report.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/hub_stats.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

/* mean and p90 as "m:ss" text; "-" when there is nothing */
static void vals_text(struct hub_stats_vals *a, char *mean, char *p90, size_t size)
{
	if (a->n == 0) {
		snprintf(mean, size, "-");
		snprintf(p90, size, "-");
		return;
	}
	double m = hub_stats_mean(a), p = hub_stats_quantile(a, 0.9);
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

_Static_assert((int)HUB_REPORT_OPERATOR == (int)HUB_STATS_OPERATOR && (int)HUB_REPORT_QUEUE == (int)HUB_STATS_QUEUE &&
		       (int)HUB_REPORT_TOPIC == (int)HUB_STATS_TOPIC,
	       "a report's grouping is the figures' grouping");

int hub_report(struct sqlite3 *db, int64_t since_ms, int64_t until_ms, enum hub_report_by by, bool csv, FILE *out,
               char **cause)
{
	struct hub_stats st;
	if (hub_stats_read(db, since_ms, until_ms, (enum hub_stats_by)by, &st, cause) != 0)
		return -1;
	size_t n = st.n;
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
		struct hub_stats_group *x = i < n ? &st.groups[i] : &st.total;
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
	hub_stats_free(&st);
	return 0;
}

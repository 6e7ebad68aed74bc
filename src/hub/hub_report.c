/* hub_report.c: the service-quality report (see hub_report.h): the figures of hub_stats as an aligned table
 * or CSV. */
#include "opdesk/hub_report.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/filecheck.h"
#include "opdesk/hub_stats.h"
#include "opdesk/textsafe.h"
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

/* A cell's width in display columns (its text is already terminal-safe: see group_cells). */
static int text_width(const char *s)
{
	int w;
	free(textsafe_line_dup(s, &w));
	return w;
}

void hub_table_field(FILE *out, const char *s, int width)
{
	int n;
	char *safe = textsafe_line_dup(s, &n);
	fputs(safe, out);
	free(safe);
	if (width > n)
		fprintf(out, "%*s", width - n, "");
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

/* Rows of cells (48 bytes each, `cols` a row) under a header: aligned (names left, numbers right) or CSV. */
static void print_table(FILE *out, const char *const head[], int cols, char (*cells)[48], size_t rows, bool csv)
{
	int *width = xcalloc((size_t)cols, sizeof *width);
	for (int c = 0; c < cols; c++)
		width[c] = text_width(head[c]);
	for (size_t i = 0; i < rows; i++)
		for (int c = 0; c < cols; c++)
			if (text_width(cells[i * (size_t)cols + (size_t)c]) > width[c])
				width[c] = text_width(cells[i * (size_t)cols + (size_t)c]);
	for (size_t i = 0; i <= rows; i++) {
		for (int c = 0; c < cols; c++) {
			const char *v = i == 0 ? head[c] : cells[(i - 1) * (size_t)cols + (size_t)c];
			int pad = width[c] - text_width(v);
			if (csv)
				hub_csv_field(out, v, c == 0);
			else if (c == 0)
				fprintf(out, "%s%*s", v, pad, "");
			else
				fprintf(out, "  %*s%s", pad, "", v);
		}
		fputc('\n', out);
	}
	free(width);
}

enum { MAIN_COLS = 12, CLAIM_COLS = PROTO_CLAIM_COUNT, ROW_COLS = MAIN_COLS + CLAIM_COLS };

/* One group's cells: the main columns, then its claims by category. The group's name (an operator's display
 * name, a queue, a topic) goes to a terminal in a table: made safe by textsafe_line, as in the audit table. */
static void group_cells(struct hub_stats_group *x, char (*r)[48], bool csv)
{
	if (csv)
		snprintf(r[0], 48, "%.40s", x->key);
	else
		textsafe_line(r[0], 48, x->key);
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
	for (int c = 0; c < CLAIM_COLS; c++)
		snprintf(r[MAIN_COLS + c], 48, "%zu", x->claims_by[c]);
}

int hub_report(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_report_by by, bool csv, FILE *out,
               char **cause)
{
	struct hub_stats st;
	if (hub_stats_read(db, since_ms, until_ms, (enum hub_stats_by)by, &st, cause) != 0)
		return -1;
	static const char *const by_names[] = {"operator", "queue", "topic"};
	const char *head[ROW_COLS] = {by_names[by], "dialogs", "wait", "wait p90", "first reply", "first p90",
	                              "handling", "handling p90", "rated", "CSAT mean", "CSAT 5s", "claims"};
	char names[CLAIM_COLS][48];
	for (int c = 0; c < CLAIM_COLS; c++) {
		snprintf(names[c], sizeof names[c], "%s%s", csv ? "claims " : "", proto_claim_name((enum proto_claim)c));
		head[MAIN_COLS + c] = names[c];
	}
	size_t rows = st.n + 1; /* a row per group, and the total */
	char (*cells)[48] = xcalloc(rows * ROW_COLS, sizeof *cells);
	for (size_t i = 0; i < rows; i++)
		group_cells(i < st.n ? &st.groups[i] : &st.total, &cells[i * ROW_COLS], csv);
	if (csv) { /* one table: every column, claims by category included */
		print_table(out, head, ROW_COLS, cells, rows, true);
	} else {
		/* the main table, then the claims by category of the groups that have any */
		char (*main_cells)[48] = xcalloc(rows * MAIN_COLS, sizeof *main_cells);
		char (*claim_cells)[48] = xcalloc(rows * (CLAIM_COLS + 2), sizeof *claim_cells);
		size_t claim_rows = 0;
		for (size_t i = 0; i < rows; i++) {
			memcpy(main_cells[i * MAIN_COLS], cells[i * ROW_COLS], MAIN_COLS * sizeof *cells);
			if (strcmp(cells[i * ROW_COLS + 11], "0") == 0)
				continue;
			char (*r)[48] = &claim_cells[claim_rows++ * (CLAIM_COLS + 2)];
			memcpy(r[0], cells[i * ROW_COLS], sizeof *cells);
			memcpy(r[1], cells[i * ROW_COLS + 11], sizeof *cells);
			memcpy(r[2], cells[i * ROW_COLS + MAIN_COLS], CLAIM_COLS * sizeof *cells);
		}
		print_table(out, head, MAIN_COLS, main_cells, rows, false);
		if (claim_rows) {
			const char *claim_head[CLAIM_COLS + 2] = {by_names[by], "claims"};
			for (int c = 0; c < CLAIM_COLS; c++)
				claim_head[2 + c] = names[c];
			fputc('\n', out);
			print_table(out, claim_head, CLAIM_COLS + 2, claim_cells, claim_rows, false);
		}
		free(main_cells);
		free(claim_cells);
		struct hub_db_period_extra x; /* (said only when any of it happened) */
		if (hub_db_period_extra(db, since_ms, until_ms, &x) == HUB_DB_OK &&
		    (x.requests_left || x.requests_answered || x.requests_open || x.auto_closed || x.mail[0] || x.mail[1] ||
		     x.mail[2]))
			fprintf(out,
				"\nOffline requests: %lld left, %lld answered (%lld open now). Closed by the hub (a silent "
				"customer): %lld.\nMail: %lld sent, %lld failed, %lld pending.\n",
				(long long)x.requests_left, (long long)x.requests_answered, (long long)x.requests_open,
				(long long)x.auto_closed, (long long)x.mail[HUB_DB_MAIL_SENT],
				(long long)x.mail[HUB_DB_MAIL_FAILED], (long long)x.mail[HUB_DB_MAIL_PENDING]);
	}
	free(cells);
	hub_stats_free(&st);
	/* the files sent in the period (docs/protocol.md, "Files"), when there were any (refusals are in the log
	 * and /metrics, not in the database) */
	int64_t from_c, from_o, bytes;
	if (hub_db_period_files(db, since_ms, until_ms, &from_c, &from_o, &bytes) != HUB_DB_OK) {
		*cause = xasprintf("%s", hub_db_errmsg(db));
		return -1;
	}
	if (from_c + from_o && !csv) {
		char size[32];
		filecheck_size_text(bytes, size, sizeof size);
		fprintf(out, "\nfiles: %lld (%lld from customers, %lld from operators), %s\n", (long long)(from_c + from_o),
		        (long long)from_c, (long long)from_o, size);
	}
	/* the customers blocked and unblocked in the period (docs/hub.md, "Customers and blocks") */
	int64_t set, lifted;
	if (hub_db_period_blocks(db, since_ms, until_ms, &set, &lifted) != HUB_DB_OK) {
		*cause = xasprintf("%s", hub_db_errmsg(db));
		return -1;
	}
	if ((set || lifted) && !csv)
		fprintf(out, "%sblocks: %lld set, %lld lifted\n", from_c + from_o ? "" : "\n", (long long)set,
		        (long long)lifted);
	return 0;
}

/* hub_report.h: `opdesk-hub report`: the service quality of a period from the database, grouped by operator,
 * queue or wrap-up topic: dialogs, queue wait, first response and handling times (mean and p90), CSAT (mean
 * score and share of 5s) and claims; as an aligned table or CSV. */
#ifndef OPDESK_HUB_REPORT_H
#define OPDESK_HUB_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct hub_db;

enum hub_report_by { HUB_REPORT_OPERATOR, HUB_REPORT_QUEUE, HUB_REPORT_TOPIC };

/* Dialogs opened in [since_ms, until_ms). Returns 0, or -1 with *cause (heap). */
int hub_report(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_report_by by, bool csv, FILE *out,
               char **cause);
/* One CSV field (RFC 4180: quoted when it holds a comma, quote or line end), preceded by a comma unless first. */
void hub_csv_field(FILE *out, const char *v, bool first);
/* A field of a table, made terminal-safe by textsafe_line (a name cannot drive the terminal, a line break
 * shows as ↵) and padded to `width` display columns. */
void hub_table_field(FILE *out, const char *s, int width);
/* "2026-11-23" or "2026-11-23 14:00" (local time) into ms since the epoch; -1 if it is neither. */
int64_t hub_report_parse_date(const char *s);

#endif

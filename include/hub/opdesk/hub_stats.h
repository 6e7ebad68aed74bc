/* hub_stats.h: service-quality figures of a period, read from the hub's database and grouped by operator,
 * queue or wrap-up topic: dialogs, queue wait, first response and handling times (every value, for means
 * and percentiles), ratings (count, sum, 5s) and claims by category. `opdesk-hub report` prints them;
 * /metrics exposes them by operator and by queue. */
#ifndef OPDESK_HUB_STATS_H
#define OPDESK_HUB_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "opdesk/hub_db.h"
#include "opdesk/proto.h"

enum hub_stats_by { /* the store's groupings (enum hub_db_period_by) */
	HUB_STATS_OPERATOR = HUB_DB_BY_OPERATOR,
	HUB_STATS_QUEUE = HUB_DB_BY_QUEUE,
	HUB_STATS_TOPIC = HUB_DB_BY_TOPIC,
	HUB_STATS_OPERATOR_USER = HUB_DB_BY_OPERATOR_USER,
};

struct hub_stats_vals { /* seconds */
	double *v;
	size_t n, cap;
	bool sorted;
};

struct hub_stats_group {
	char *key;
	size_t dialogs, closed, rated, fives, claims;
	size_t abandoned;             /* the customer left before any operator joined */
	double score_sum;
	size_t claims_by[PROTO_CLAIM_COUNT];
	struct hub_stats_vals wait;   /* opened -> assigned */
	struct hub_stats_vals first;  /* opened -> the operator's first message */
	struct hub_stats_vals handle; /* assigned -> closed */
};

struct hub_stats {
	struct hub_stats_group *groups; /* ordered by key */
	size_t n, cap;
	struct hub_stats_group total;   /* key "total" */
};

/* The dialogs opened in [since_ms, until_ms). Returns 0, or -1 with *cause (heap). */
int hub_stats_read(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_stats_by by,
                   struct hub_stats *out, char **cause);
void hub_stats_free(struct hub_stats *s);
/* Mean and the q-quantile (0..1, nearest rank) of the values; 0 when there are none. */
double hub_stats_mean(const struct hub_stats_vals *v);
double hub_stats_quantile(struct hub_stats_vals *v, double q);
/* How many of the values are at most `limit` (e.g. waits within the SLA). */
size_t hub_stats_within(const struct hub_stats_vals *v, double limit);

#endif

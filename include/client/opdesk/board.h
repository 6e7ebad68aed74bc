/* board.h: the supervisor's board as a model, without curses: every operator on the hub's board (kept sorted
 * by user name, whole boards and delta boards applied alike), the queues, today's figures against the targets,
 * the last hour's trend and the alerts, newest first. The views ask it for rows in the order and with the
 * filter the supervisor chose. */
#ifndef OPDESK_BOARD_H
#define OPDESK_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/proto.h"

#define BOARD_ALERTS_MAX 200 /* the oldest go first */
#define BOARD_TREND_MAX 60

/* One alert, in one block with its strings. */
struct board_alert {
	int64_t id, time, dialog, since, waiting;
	int score;
	const char *kind, *operator_name, *customer, *queue, *comment, *category; /* NULL when absent */
	char strings[];
};

enum board_sort { BOARD_SORT_LOAD, BOARD_SORT_UNANSWERED, BOARD_SORT_NAME, BOARD_SORT_COUNT };

/* What a frame changed (board_apply's result). */
enum board_change {
	BOARD_CH_FIGURES = 1 << 0, /* operators, queues, today, trend */
	BOARD_CH_ALERT = 1 << 1,   /* a new alert (not one seen before) */
};

struct board {
	bool known;                /* a whole board has come */
	int64_t time;              /* the hub's time of the newest board */
	int64_t waiting, oldest;
	int64_t sla_wait_ms, sla_answer_ms; /* the hub's, or the domain's targets when it did not say */
	struct proto_board_op *ops; /* sorted by user */
	size_t n_ops, cap_ops;
	struct proto_board_queue *queues;
	size_t n_queues;
	struct proto_trend trend[BOARD_TREND_MAX];
	size_t n_trend;
	struct proto_kpi today;
	struct board_alert **alerts; /* newest first */
	size_t n_alerts;
	int64_t newest_alert;        /* the highest alert id seen */
	uint64_t deltas;             /* delta boards applied (for tests) */
};

#define BOARD_SLA_WAIT_MS 13000    /* ../shared/DOMAIN.md: the average queue wait quoted, 13 s */
#define BOARD_SLA_ANSWER_MS 300000 /* ... and the first reply, ideally under 5 minutes */

void board_init(struct board *b);
void board_free(struct board *b);
/* Apply a PROTO_BOARD or PROTO_ALERT frame; returns enum board_change bits. */
unsigned board_apply(struct board *b, const struct proto_msg *m);

const struct proto_board_op *board_op_find(const struct board *b, const char *user);
/* Since when the customer waits longest unanswered among the operator's chats, 0 if none. */
int64_t board_op_unanswered(const struct proto_board_op *o);
/* The operators in the order asked, those matching `filter` only (NULL or "": all): a case-insensitive match
 * of the user name, the display name, or the queue of a chat it holds. Writes indexes into b->ops to out (room
 * for b->n_ops), returns how many. */
size_t board_rows(const struct board *b, enum board_sort sort, const char *filter, size_t *out);

/* Today's figures as the board shows them: -1 when there is nothing to compute them from. */
int board_service_level(const struct proto_kpi *k); /* percent of chats assigned within the wait SLA */
int board_csat(const struct proto_kpi *k);          /* percent of ratings that were 5 */
int board_mean_score_x10(const struct proto_kpi *k); /* the mean rating, times ten (47 = 4.7) */

const char *board_sort_name(enum board_sort s); /* "load", "unanswered", "name" */
int board_sort_parse(const char *s);            /* -1 if unknown */

#endif

/* test_client_board.c: the supervisor's board model: a whole board replaces everything, a delta board
 * changes and removes operators by name, the trend stays when a delta board leaves it out, alerts are kept
 * newest first and a repeat (after a reconnect) is dropped; rows sort by load, longest unanswered and name,
 * and a filter matches names (any case, Cyrillic too) and the queues of held chats. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/board.h"
#include "opdesk/xalloc.h"

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
}

TestSuite(board, .init = setup);

static struct proto_board_op op(const char *user, const char *display, bool online, int load, int64_t unanswered,
                                const char *queue)
{
	struct proto_board_op o = { .user = xstrdup(user), .display = display ? xstrdup(display) : NULL,
		                    .online = online, .load = load, .capacity = 4 };
	if (unanswered || queue) {
		o.chats = xcalloc(1, sizeof *o.chats);
		o.chats[0] = (struct proto_board_chat){ .dialog = 7, .customer = xstrdup("Ирина"),
			                                .queue = xstrdup(queue ? queue : "general"),
			                                .unanswered = unanswered };
		o.n_chats = 1;
	}
	return o;
}

static void apply_board(struct board *b, bool delta, struct proto_board_op *ops, size_t n, const char *gone)
{
	struct proto_msg m = { .type = PROTO_BOARD, .time = 1000, .delta = delta };
	m.board_ops = xcalloc(n + 1, sizeof *m.board_ops);
	if (n)
		memcpy(m.board_ops, ops, n * sizeof *ops);
	m.n_board_ops = n;
	if (gone) {
		m.people = xcalloc(1, sizeof *m.people);
		m.people[0].user = xstrdup(gone);
		m.n_people = 1;
	}
	if (!delta) {
		m.trend = xcalloc(2, sizeof *m.trend);
		m.trend[0] = (struct proto_trend){ .time = 60000, .waiting = 3, .wait_ms = 9000 };
		m.trend[1] = (struct proto_trend){ .time = 120000, .waiting = 5, .wait_ms = 20000 };
		m.n_trend = 2;
	}
	board_apply(b, &m);
	proto_msg_free(&m);
}

Test(board, delta_boards_change_and_remove_by_name_and_keep_the_trend)
{
	struct board b;
	board_init(&b);
	cr_assert_eq(b.sla_wait_ms, 13000, "the domain's 13 s until the hub says");
	struct proto_board_op a[] = { op("boris", NULL, false, 0, 0, NULL), op("anna", "Анна", true, 1, 0, NULL),
		                      op("vera", NULL, true, 0, 0, NULL) };
	apply_board(&b, false, a, 3, NULL);
	cr_assert(b.known);
	cr_assert_eq(b.n_ops, 3);
	cr_assert_str_eq(b.ops[0].user, "anna", "kept sorted by user name");
	cr_assert_eq(b.n_trend, 2);

	struct proto_board_op d[] = { op("anna", "Анна", true, 3, 0, NULL), op("gleb", NULL, true, 0, 0, NULL) };
	apply_board(&b, true, d, 2, "vera");
	cr_assert_eq(b.n_ops, 3, "anna changed, gleb came, vera went");
	cr_assert_eq(board_op_find(&b, "anna")->load, 3);
	cr_assert_not_null(board_op_find(&b, "gleb"));
	cr_assert_null(board_op_find(&b, "vera"));
	cr_assert_not_null(board_op_find(&b, "boris"), "a delta board leaves the others as they were");
	cr_assert_eq(b.n_trend, 2, "a delta board without a trend leaves it");
	cr_assert_eq(b.deltas, 1);

	apply_board(&b, false, NULL, 0, NULL);
	cr_assert_eq(b.n_ops, 0, "a whole board replaces everything");
	board_free(&b);
}

static void alert(struct board *b, int64_t id, int64_t time, const char *kind, unsigned want)
{
	struct proto_msg m = { .type = PROTO_ALERT, .id = id, .time = time, .kind = xstrdup(kind),
		               .customer = xstrdup("Ольга"), .comment = xstrdup("Долго") };
	cr_assert_eq(board_apply(b, &m), want, "alert %lld", (long long)id);
	proto_msg_free(&m);
}

Test(board, alerts_newest_first_without_repeats)
{
	struct board b;
	board_init(&b);
	alert(&b, 1, 1000, "queue_wait", BOARD_CH_ALERT);
	alert(&b, 2, 2000, "low_rating", BOARD_CH_ALERT);
	alert(&b, 1, 1000, "queue_wait", 0); /* the day's alerts again after a reconnect */
	alert(&b, 2, 2000, "low_rating", 0);
	alert(&b, 3, 3000, "claim", BOARD_CH_ALERT);
	cr_assert_eq(b.n_alerts, 3);
	cr_assert_str_eq(b.alerts[0]->kind, "claim");
	cr_assert_str_eq(b.alerts[2]->kind, "queue_wait");
	cr_assert_str_eq(b.alerts[1]->comment, "Долго");
	for (int i = 0; i < BOARD_ALERTS_MAX + 10; i++)
		alert(&b, 10 + i, 10000 + i, "queue_wait", BOARD_CH_ALERT);
	cr_assert_eq(b.n_alerts, BOARD_ALERTS_MAX, "the oldest go first");
	cr_assert_eq(b.alerts[0]->id, 10 + BOARD_ALERTS_MAX + 9);
	board_free(&b);
}

Test(board, rows_sort_and_filter)
{
	struct board b;
	board_init(&b);
	struct proto_board_op a[] = {
		op("anna", "Анна Петрова", true, 1, 5000, "stylist"), op("boris", NULL, true, 3, 9000, NULL),
		op("vera", "Вера", true, 2, 0, NULL), op("zoya", NULL, false, 0, 0, NULL),
		op("op017", "Оператор 017", false, 0, 0, NULL),
	};
	apply_board(&b, false, a, 5, NULL);
	size_t idx[8], n;
	n = board_rows(&b, BOARD_SORT_LOAD, NULL, idx);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(b.ops[idx[0]].user, "boris", "3 of 4 first");
	cr_assert_str_eq(b.ops[idx[1]].user, "vera");
	cr_assert(!b.ops[idx[3]].online && !b.ops[idx[4]].online, "signed-out last");
	n = board_rows(&b, BOARD_SORT_UNANSWERED, "", idx);
	cr_assert_str_eq(b.ops[idx[0]].user, "anna", "unanswered since 5000, before 9000");
	cr_assert_str_eq(b.ops[idx[1]].user, "boris");
	cr_assert_str_eq(b.ops[idx[2]].user, "vera", "nobody unanswered after those who are");
	n = board_rows(&b, BOARD_SORT_NAME, "петр", idx);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(b.ops[idx[0]].user, "anna", "the display name in any case");
	n = board_rows(&b, BOARD_SORT_NAME, "STYL", idx);
	cr_assert_eq(n, 1, "the queue of a held chat");
	n = board_rows(&b, BOARD_SORT_NAME, "17", idx);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(b.ops[idx[0]].user, "op017");
	cr_assert_eq(board_service_level(&(struct proto_kpi){ .assigned = 4, .in_sla = 3 }), 75);
	cr_assert_eq(board_mean_score_x10(&(struct proto_kpi){ .rated = 3, .score_sum = 14 }), 47);
	cr_assert_eq(board_csat(&(struct proto_kpi){ 0 }), -1);
	board_free(&b);
}

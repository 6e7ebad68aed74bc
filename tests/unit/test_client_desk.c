/* test_client_desk.c: the client model: welcome/queue/assigned/message/ack/closed/rating/released/error
 * frames, duplicates and out-of-order seqs, pending -> acked, outgoing frames through a capturing
 * transport, resume lists and observer notifications. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/desk.h"
#include "opdesk/desk_card.h"
#include "opdesk/xalloc.h"

static void setup(void)
{
	setlocale(LC_ALL, "");
}

TestSuite(desk, .init = setup);

/* ---- a transport that records frames, an observer that records changes ---- */

#define MAX_SENT 32
struct capture {
	struct proto_msg sent[MAX_SENT];
	char *cmid[MAX_SENT], *text[MAX_SENT], *topic[MAX_SENT];
	size_t n_sent;
	int refuse; /* answer -1 like an offline transport */
	unsigned what[256];
	int64_t dialog[256];
	size_t n_changes;
};

static int capture_send(void *arg, const struct proto_msg *m)
{
	struct capture *c = arg;
	if (c->refuse)
		return -1;
	cr_assert(c->n_sent < MAX_SENT);
	size_t i = c->n_sent++;
	c->sent[i] = *m;
	c->cmid[i] = m->client_msg_id ? xstrdup(m->client_msg_id) : NULL;
	c->text[i] = m->text ? xstrdup(m->text) : NULL;
	c->topic[i] = m->topic ? xstrdup(m->topic) : NULL;
	return 0;
}

static void capture_changed(void *arg, unsigned what, int64_t dialog)
{
	struct capture *c = arg;
	if (c->n_changes < 256) {
		c->what[c->n_changes] = what;
		c->dialog[c->n_changes] = dialog;
		c->n_changes++;
	}
}

static bool changed(const struct capture *c, unsigned what, int64_t dialog)
{
	for (size_t i = 0; i < c->n_changes; i++)
		if ((c->what[i] & what) && (dialog < 0 || c->dialog[i] == dialog))
			return true;
	return false;
}

static void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n_sent; i++) {
		free(c->cmid[i]);
		free(c->text[i]);
		free(c->topic[i]);
	}
}

static struct desk *new_desk(struct capture *c)
{
	memset(c, 0, sizeof *c);
	struct desk *d = desk_new("anna.op");
	struct desk_transport tr = {.send = capture_send, .arg = c};
	struct desk_observer obs = {.changed = capture_changed, .arg = c};
	desk_set_transport(d, &tr);
	desk_set_observer(d, &obs);
	return d;
}

/* ---- frame builders (the model only reads them; strings point at literals) ---- */

static struct proto_message pmsg(int64_t dialog, int64_t seq, enum proto_sender from, const char *author,
                                 const char *text, const char *cmid)
{
	return (struct proto_message){.id = 1000 + seq,
	                              .dialog = dialog,
	                              .seq = seq,
	                              .time = 1700000000000 + seq * 1000,
	                              .sender = from,
	                              .author = (char *)author,
	                              .text = (char *)text,
	                              .client_msg_id = (char *)cmid};
}

static struct proto_dialog pdialog(int64_t id, const char *customer, struct proto_message *msgs, size_t n)
{
	return (struct proto_dialog){.id = id,
	                             .customer = (char *)customer,
	                             .channel = PROTO_CH_TELEGRAM,
	                             .queue = "general",
	                             .state = PROTO_DS_ASSIGNED,
	                             .opened = 1700000000000,
	                             .last_seq = n ? msgs[n - 1].seq : 0,
	                             .messages = msgs,
	                             .n_messages = n};
}

static void apply_welcome(struct desk *d, struct proto_dialog *dl, size_t n, struct proto_queue_item *items,
                          size_t n_items)
{
	struct proto_msg m = {.type = PROTO_WELCOME, .time = proto_now_ms()};
	m.op = (struct proto_operator){.user = "anna.op",
	                               .display = "Анна",
	                               .role = PROTO_ROLE_OPERATOR,
	                               .status = PROTO_ST_ONLINE,
	                               .capacity = 4};
	m.dialogs = dl;
	m.n_dialogs = n;
	m.items = items;
	m.n_items = n_items;
	desk_apply(d, &m);
}

static void apply_message(struct desk *d, struct proto_message pm)
{
	struct proto_msg m = {.type = PROTO_MESSAGE, .msg = pm};
	desk_apply(d, &m);
}

static void expect_texts(const struct desk_dialog *dl, const char *const *texts, size_t n)
{
	cr_assert_eq(dl->n_msgs, n, "messages: %zu, expected %zu", dl->n_msgs, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(dl->msgs[i]->text, texts[i], "message %zu", i);
}

/* ---- tests ---- */

Test(desk, starts_connecting_and_welcome_goes_online)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	cr_assert_eq(d->conn, DESK_CONN_CONNECTING);
	struct proto_message msgs[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "Где мой заказ?", NULL)};
	struct proto_dialog dls[] = {pdialog(7, "Ольга", msgs, 1)};
	struct proto_queue_item items[] = {
	    {.dialog = 9,
	     .customer = "Пётр",
	     .channel = PROTO_CH_VK,
	     .queue = "general",
	     .since = 2000,
	     .preview = "Здравствуйте"},
	    {.dialog = 8,
	     .customer = "Ivan",
	     .channel = PROTO_CH_WEB,
	     .queue = "general",
	     .since = 1000,
	     .preview = NULL},
	};
	apply_welcome(d, dls, 1, items, 2);
	cr_assert_eq(d->conn, DESK_CONN_ONLINE);
	cr_assert(d->welcomed);
	cr_assert_str_eq(d->display, "Анна");
	cr_assert_eq(d->capacity, 4);
	cr_assert_eq(d->n_dialogs, 1);
	cr_assert_str_eq(d->dialogs[0]->customer, "Ольга");
	cr_assert_eq(d->dialogs[0]->n_msgs, 1);
	cr_assert_eq(d->dialogs[0]->unanswered_since, msgs[0].time);
	/* the queue is oldest first whatever the frame's order */
	cr_assert_eq(d->n_queue, 2);
	cr_assert_eq(d->queue[0].dialog, 8);
	cr_assert_eq(d->queue_total, 2);
	cr_assert_eq(desk_oldest_wait(d), 1000);
	cr_assert(changed(&c, DESK_CH_ADDED, 7));
	cr_assert(changed(&c, DESK_CH_QUEUE, -1));
	cr_assert(changed(&c, DESK_CH_STATUS, -1));
	desk_free(d);
	capture_free(&c);
}

Test(desk, queue_frame_replaces_queue)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	apply_welcome(d, NULL, 0, NULL, 0);
	struct proto_queue_item items[] = {{.dialog = 3, .customer = "A", .since = 5}};
	struct proto_msg q = {.type = PROTO_QUEUE, .items = items, .n_items = 1, .total = 12};
	desk_apply(d, &q);
	cr_assert_eq(d->n_queue, 1);
	cr_assert_eq(d->queue_total, 12);
	q.n_items = 0;
	q.total = 0;
	desk_apply(d, &q);
	cr_assert_eq(d->n_queue, 0);
	cr_assert_eq(d->queue_total, 0);
	cr_assert_eq(desk_oldest_wait(d), 0);
	desk_free(d);
	capture_free(&c);
}

Test(desk, assigned_adds_dialog_and_leaves_queue)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_queue_item items[] = {{.dialog = 5, .customer = "Анна", .since = 5}};
	apply_welcome(d, NULL, 0, items, 1);
	struct proto_message msgs[] = {pmsg(5, 1, PROTO_FROM_CUSTOMER, "Анна", "Привет", NULL)};
	struct proto_dialog dl = pdialog(5, "Анна", msgs, 1);
	struct proto_msg a = {.type = PROTO_ASSIGNED, .dialogs = &dl, .n_dialogs = 1};
	c.n_changes = 0;
	desk_apply(d, &a);
	cr_assert_eq(d->n_dialogs, 1);
	cr_assert_eq(d->n_queue, 0);
	cr_assert_eq(d->queue_total, 0);
	cr_assert(changed(&c, DESK_CH_ADDED, 5));
	cr_assert_eq(desk_open_count(d), 1);
	/* the same assigned again is a refresh, not a second dialog */
	c.n_changes = 0;
	desk_apply(d, &a);
	cr_assert_eq(d->n_dialogs, 1);
	cr_assert_eq(d->dialogs[0]->n_msgs, 1);
	cr_assert_not(changed(&c, DESK_CH_ADDED, 5));
	desk_free(d);
	capture_free(&c);
}

Test(desk, messages_dedupe_and_order_by_seq)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_message msgs[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "one", NULL)};
	struct proto_dialog dls[] = {pdialog(7, "Ольга", msgs, 1)};
	apply_welcome(d, dls, 1, NULL, 0);
	apply_message(d, pmsg(7, 3, PROTO_FROM_CUSTOMER, "Ольга", "three", NULL));
	apply_message(d, pmsg(7, 2, PROTO_FROM_CUSTOMER, "Ольга", "two", NULL));
	apply_message(d, pmsg(7, 3, PROTO_FROM_CUSTOMER, "Ольга", "three again", NULL));
	apply_message(d, pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "one again", NULL));
	const struct desk_dialog *dl = desk_dialog_find(d, 7);
	const char *texts[] = {"one", "two", "three"};
	expect_texts(dl, texts, 3);
	cr_assert_eq(dl->last_seq, 3);
	cr_assert_eq(dl->unread, 2);
	cr_assert_eq(d->n_ignored, 2);
	desk_mark_read(d, 7);
	cr_assert_eq(dl->unread, 0);
	/* a message for a dialog we do not have is ignored */
	apply_message(d, pmsg(99, 1, PROTO_FROM_CUSTOMER, "x", "y", NULL));
	cr_assert_eq(d->n_dialogs, 1);
	desk_free(d);
	capture_free(&c);
}

Test(desk, send_is_pending_then_acked)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_message msgs[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "Где заказ?", NULL)};
	struct proto_dialog dls[] = {pdialog(7, "Ольга", msgs, 1)};
	apply_welcome(d, dls, 1, NULL, 0);
	cr_assert_eq(desk_send_text(d, 7, "Сейчас проверю"), 0);
	cr_assert_eq(c.n_sent, 1);
	cr_assert_eq(c.sent[0].type, PROTO_SEND);
	cr_assert_eq(c.sent[0].dialog, 7);
	cr_assert_str_eq(c.text[0], "Сейчас проверю");
	cr_assert_not_null(c.cmid[0]);
	cr_assert(strncmp(c.cmid[0], "anna.op-", 8) == 0, "%s", c.cmid[0]);
	cr_assert(strlen(c.cmid[0]) <= PROTO_MAX_ID);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_eq(dl->n_msgs, 2);
	cr_assert_eq(dl->msgs[1]->delivery, DESK_DLV_PENDING);
	cr_assert_eq(dl->msgs[1]->seq, 0);
	cr_assert(desk_message_mine(d, dl->msgs[1]));
	cr_assert_eq(dl->unanswered_since, 0, "a reply, even pending, answers the customer");

	/* a customer message arrives before the ack: our pending message stays last */
	apply_message(d, pmsg(7, 3, PROTO_FROM_CUSTOMER, "Ольга", "Спасибо", NULL));
	cr_assert_eq(dl->msgs[2]->delivery, DESK_DLV_PENDING);

	struct proto_msg ack = {.type = PROTO_ACK,
	                        .client_msg_id = c.cmid[0],
	                        .dialog = 7,
	                        .id = 555,
	                        .seq = 2,
	                        .time = 1700000001500};
	desk_apply(d, &ack);
	const char *texts[] = {"Где заказ?", "Сейчас проверю", "Спасибо"};
	expect_texts(dl, texts, 3);
	cr_assert_eq(dl->msgs[1]->delivery, DESK_DLV_ACKED);
	cr_assert_eq(dl->msgs[1]->seq, 2);
	cr_assert_eq(dl->unanswered_since, 1700000003000);

	/* the hub's echo of our message (same seq) is a duplicate */
	apply_message(d, pmsg(7, 2, PROTO_FROM_OPERATOR, "anna.op", "Сейчас проверю", c.cmid[0]));
	cr_assert_eq(dl->n_msgs, 3);
	desk_free(d);
	capture_free(&c);
}

Test(desk, echo_before_ack_confirms_pending)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	desk_send_text(d, 7, "hello");
	apply_message(d, pmsg(7, 1, PROTO_FROM_OPERATOR, "anna.op", "hello", c.cmid[0]));
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_eq(dl->n_msgs, 1);
	cr_assert_eq(dl->msgs[0]->seq, 1);
	cr_assert_eq(dl->msgs[0]->delivery, DESK_DLV_ACKED);
	struct proto_msg ack = {
	    .type = PROTO_ACK, .client_msg_id = c.cmid[0], .dialog = 7, .id = 1001, .seq = 1};
	desk_apply(d, &ack);
	cr_assert_eq(dl->n_msgs, 1);
	cr_assert_eq(dl->msgs[0]->delivery, DESK_DLV_ACKED);
	desk_free(d);
	capture_free(&c);
}

Test(desk, offline_send_stays_pending_and_is_resent_after_welcome)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	desk_set_conn(d, DESK_CONN_OFFLINE, "connection lost", proto_now_ms() + 2000);
	cr_assert_not(d->welcomed);
	cr_assert_eq(desk_send_text(d, 7, "are you there?"), 0);
	cr_assert_eq(c.n_sent, 0);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_eq(dl->msgs[0]->delivery, DESK_DLV_PENDING);
	cr_assert_eq(desk_take(d, 0), -1);
	cr_assert_not_null(d->last_error);
	apply_welcome(d, dls, 1, NULL, 0);
	cr_assert_eq(c.n_sent, 1);
	cr_assert_eq(c.sent[0].type, PROTO_SEND);
	cr_assert_str_eq(c.text[0], "are you there?");
	cr_assert_str_eq(c.cmid[0], desk_message_cmid(dl->msgs[0]));
	desk_free(d);
	capture_free(&c);
}

Test(desk, error_with_ref_marks_message_failed)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	desk_send_text(d, 7, "x");
	struct proto_msg e = {.type = PROTO_ERROR,
	                      .code = "dialog_closed",
	                      .message = "the dialog is closed",
	                      .ref = c.cmid[0]};
	desk_apply(d, &e);
	cr_assert_eq(desk_dialog_find(d, 7)->msgs[0]->delivery, DESK_DLV_FAILED);
	cr_assert_str_eq(d->last_error, "the dialog is closed");
	cr_assert_null(d->fatal);
	desk_free(d);
	capture_free(&c);
}

Test(desk, a_typing_notice_refused_after_its_dialog_left_is_no_error)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	struct proto_msg e = {.type = PROTO_ERROR, .code = "no_such_dialog", .message = "dialog 7 is not one of yours",
	                      .ref = "typing"};
	desk_apply(d, &e);
	cr_assert_null(d->last_error, "shown: %s", d->last_error);
	cr_assert_geq(d->n_notices, 1);
	cr_assert(strstr(d->notices[d->n_notices - 1].text, "dialog 7 is not one of yours"));
	/* any other refusal is shown */
	struct proto_msg e2 = {.type = PROTO_ERROR, .code = "not_allowed", .message = "no", .ref = "typing"};
	desk_apply(d, &e2);
	cr_assert_str_eq(d->last_error, "no");
	desk_free(d);
	capture_free(&c);
}

Test(desk, a_full_colleague_is_not_told_as_our_own_capacity)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	struct proto_msg e = {.type = PROTO_ERROR, .code = "capacity", .message = "ivan has no free place for another chat",
	                      .ref = "transfer"};
	desk_apply(d, &e);
	cr_assert(d->last_error && strstr(d->last_error, "colleague"), "%s", d->last_error);
	cr_assert(!strstr(d->last_error, "all dialogs in use"), "%s", d->last_error);
	struct proto_msg t = {.type = PROTO_ERROR, .code = "capacity", .message = "you already have 4 chats", .ref = "take"};
	desk_apply(d, &t);
	cr_assert(strstr(d->last_error, "all dialogs in use"), "%s", d->last_error);
	desk_free(d);
	capture_free(&c);
}

Test(desk, auth_failure_is_fatal)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_msg e = {.type = PROTO_ERROR, .code = "auth_failed", .message = "wrong secret"};
	desk_apply(d, &e);
	cr_assert_not_null(d->fatal);
	cr_assert(strstr(d->fatal, "wrong secret"));
	cr_assert(changed(&c, DESK_CH_FATAL, -1));
	desk_free(d);
	capture_free(&c);
}

Test(desk, close_typing_rating_released)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0), pdialog(8, "Пётр", NULL, 0)};
	apply_welcome(d, dls, 2, NULL, 0);
	struct proto_msg t = {.type = PROTO_TYPING, .dialog = 7, .on = true};
	desk_apply(d, &t);
	cr_assert(desk_dialog_find(d, 7)->customer_typing);

	cr_assert_eq(desk_close(d, 7, "nonsense"), -1);
	cr_assert_eq(c.n_sent, 0);
	cr_assert_eq(desk_close(d, 7, "order"), 0);
	cr_assert_eq(c.sent[0].type, PROTO_CLOSE);
	cr_assert_str_eq(c.topic[0], "order");

	struct proto_msg cl = {.type = PROTO_CLOSED, .dialog = 7, .topic = "order", .by = PROTO_BY_OPERATOR};
	desk_apply(d, &cl);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	cr_assert_eq(dl->state, PROTO_DS_CLOSED);
	cr_assert_not(dl->customer_typing);
	cr_assert_str_eq(dl->topic, "order");
	cr_assert_not(desk_dialog_open(dl));
	cr_assert_eq(desk_open_count(d), 1);
	cr_assert_eq(desk_send_text(d, 7, "late"), -1);

	struct proto_msg r = {.type = PROTO_RATING, .dialog = 7, .score = 5, .comment = "спасибо!"};
	desk_apply(d, &r);
	cr_assert_eq(dl->rating, 5);
	cr_assert_str_eq(dl->rating_comment, "спасибо!");

	struct proto_msg rel = {.type = PROTO_RELEASED, .dialog = 8, .reason = "transferred"};
	desk_apply(d, &rel);
	cr_assert(desk_dialog_find(d, 8)->released);
	cr_assert_eq(desk_open_count(d), 0);

	desk_forget(d, 7);
	cr_assert_null(desk_dialog_find(d, 7));
	cr_assert(changed(&c, DESK_CH_REMOVED, 7));
	desk_free(d);
	capture_free(&c);
}

Test(desk, typing_notifications_follow_the_draft)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "Ольга", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	textedit_insert(&dl->draft, L'a');
	desk_draft_changed(d, 7);
	textedit_insert(&dl->draft, L'b');
	desk_draft_changed(d, 7); /* still typing: no second frame so soon */
	cr_assert_eq(c.n_sent, 1);
	cr_assert_eq(c.sent[0].type, PROTO_TYPING);
	cr_assert(c.sent[0].on);
	textedit_clear(&dl->draft);
	desk_draft_changed(d, 7);
	cr_assert_eq(c.n_sent, 2);
	cr_assert_not(c.sent[1].on);
	desk_free(d);
	capture_free(&c);
}

Test(desk, take_sends_take_frame)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_queue_item items[] = {{.dialog = 3, .customer = "A", .since = 5}};
	apply_welcome(d, NULL, 0, items, 1);
	cr_assert_eq(desk_take(d, 0), 0);
	cr_assert_eq(c.sent[0].type, PROTO_TAKE);
	cr_assert_eq(c.sent[0].dialog, 0);
	desk_free(d);
	capture_free(&c);
}

Test(desk, welcome_after_reconnect_merges_and_releases_missing)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_message m1[] = {pmsg(7, 1, PROTO_FROM_CUSTOMER, "Ольга", "one", NULL),
	                             pmsg(7, 2, PROTO_FROM_CUSTOMER, "Ольга", "two", NULL)};
	struct proto_dialog dls[] = {pdialog(7, "Ольга", m1, 2), pdialog(8, "Пётр", NULL, 0)};
	apply_welcome(d, dls, 2, NULL, 0);
	struct desk_dialog *dl = desk_dialog_find(d, 7);
	textedit_insert(&dl->draft, L'x');
	desk_set_conn(d, DESK_CONN_OFFLINE, NULL, 0);
	/* only dialog 7 comes back, with one more message */
	struct proto_message m2[] = {pmsg(7, 2, PROTO_FROM_CUSTOMER, "Ольга", "two", NULL),
	                             pmsg(7, 3, PROTO_FROM_CUSTOMER, "Ольга", "three", NULL)};
	struct proto_dialog dls2[] = {pdialog(7, "Ольга", m2, 2)};
	apply_welcome(d, dls2, 1, NULL, 0);
	const char *texts[] = {"one", "two", "three"};
	expect_texts(dl, texts, 3);
	cr_assert_eq(dl->draft.len, 1, "the draft survives a reconnect");
	cr_assert(desk_dialog_find(d, 8)->released);
	desk_free(d);
	capture_free(&c);
}

Test(desk, resume_lists_contiguous_seq)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_message m[] = {pmsg(7, 4, PROTO_FROM_CUSTOMER, "a", "4", NULL),
	                            pmsg(7, 5, PROTO_FROM_CUSTOMER, "a", "5", NULL),
	                            pmsg(7, 7, PROTO_FROM_CUSTOMER, "a", "7", NULL)};
	struct proto_dialog dls[] = {pdialog(7, "a", m, 3), pdialog(9, "b", NULL, 0)};
	apply_welcome(d, dls, 2, NULL, 0);
	struct proto_resume *r;
	size_t n = desk_resume(d, &r);
	cr_assert_eq(n, 2);
	cr_assert_eq(r[0].dialog, 7);
	cr_assert_eq(r[0].seq, 5, "seq 6 is missing: ask from 5");
	cr_assert_eq(r[1].dialog, 9);
	cr_assert_eq(r[1].seq, 0);
	free(r);
	desk_free(d);
	capture_free(&c);
}

Test(desk, limits_and_unknown_dialogs)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(7, "a", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	char *big = xmalloc(PROTO_MAX_TEXT + 2);
	memset(big, 'x', PROTO_MAX_TEXT + 1);
	big[PROTO_MAX_TEXT + 1] = '\0';
	cr_assert_eq(desk_send_text(d, 7, big), -1);
	cr_assert_eq(desk_send_text(d, 7, ""), -1);
	cr_assert_eq(desk_send_text(d, 42, "hi"), -1);
	cr_assert_eq(c.n_sent, 0);
	free(big);
	struct proto_msg r = {.type = PROTO_RATING, .dialog = 42, .score = 5};
	desk_apply(d, &r);
	struct proto_msg cl = {.type = PROTO_CLOSED, .dialog = 42};
	desk_apply(d, &cl);
	struct proto_msg ack = {.type = PROTO_ACK, .dialog = 7, .client_msg_id = "nope", .seq = 1};
	desk_apply(d, &ack);
	cr_assert_eq(d->n_ignored, 3);
	desk_free(d);
	capture_free(&c);
}

Test(desk, long_user_name_keeps_cmid_short)
{
	struct capture c;
	memset(&c, 0, sizeof c);
	char user[PROTO_MAX_NAME + 1];
	memset(user, 'u', PROTO_MAX_NAME);
	user[PROTO_MAX_NAME] = '\0';
	struct desk *d = desk_new(user);
	struct desk_transport tr = {.send = capture_send, .arg = &c};
	desk_set_transport(d, &tr);
	struct proto_dialog dls[] = {pdialog(7, "a", NULL, 0)};
	apply_welcome(d, dls, 1, NULL, 0);
	desk_send_text(d, 7, "hi");
	cr_assert_eq(c.n_sent, 1);
	cr_assert(strlen(c.cmid[0]) <= PROTO_MAX_ID, "%zu", strlen(c.cmid[0]));
	desk_free(d);
	capture_free(&c);
}

/* ---- supervising: watch, whisper, takeover; what the operator sees of it ---- */

static void apply_welcome_as(struct desk *d, enum proto_role role, struct proto_dialog *dl, size_t n)
{
	struct proto_msg m = {.type = PROTO_WELCOME, .time = proto_now_ms(), .dialogs = dl, .n_dialogs = n};
	m.op = (struct proto_operator){
	    .user = "anna.op", .display = "Светлана", .role = role, .status = PROTO_ST_ONLINE, .capacity = 2};
	desk_apply(d, &m);
}

/* dialog 12 of operator Анна, as the hub answers a watch: a customer's message, Анна's joined line, hers */
static void apply_watching(struct desk *d, int64_t id)
{
	struct proto_message msgs[] = {pmsg(id, 1, PROTO_FROM_CUSTOMER, "Ирина", "Где заказ?", NULL),
	                               pmsg(id, 2, PROTO_FROM_SYSTEM, NULL, "Operator Анна joined the chat", NULL),
	                               pmsg(id, 3, PROTO_FROM_OPERATOR, "anna", "Сейчас посмотрю", NULL)};
	msgs[1].kind = "joined";
	msgs[1].args = (struct proto_sysargs){.name = "Анна", .user = "anna"};
	struct proto_dialog pd = pdialog(id, "Ирина", msgs, 3);
	struct proto_msg m = {.type = PROTO_WATCHING, .dialogs = &pd, .n_dialogs = 1};
	desk_apply(d, &m);
}

static size_t count_sent(const struct capture *c, enum proto_type t)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_sent; i++)
		n += c->sent[i].type == t;
	return n;
}

Test(desk, a_watched_dialog_is_read_only_and_never_counted)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog own = pdialog(7, "Ольга", NULL, 0);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, &own, 1);
	cr_assert_eq(desk_watch(d, 12, true), 0);
	cr_assert_eq(c.n_sent, 1);
	cr_assert_eq(c.sent[0].type, PROTO_WATCH);
	cr_assert_eq(c.sent[0].dialog, 12);
	cr_assert(c.sent[0].on);
	cr_assert(desk_watching(d, 12));
	cr_assert_null(desk_dialog_find(d, 12), "nothing shows before the hub answers");

	apply_watching(d, 12);
	struct desk_dialog *dl = desk_dialog_find(d, 12);
	cr_assert_not_null(dl);
	cr_assert(dl->watched);
	cr_assert(changed(&c, DESK_CH_ADDED, 12));
	cr_assert_str_eq(dl->watched_operator, "Анна", "the joined line names its operator");
	cr_assert_eq(dl->n_msgs, 3);
	cr_assert_eq(desk_open_count(d), 1, "a watched dialog is not one of the supervisor's");
	cr_assert(!desk_dialog_open(dl));
	cr_assert(desk_dialog_watch_live(dl));
	size_t n_res = 0;
	struct proto_resume *res = NULL;
	n_res = desk_resume(d, &res);
	cr_assert_eq(n_res, 1);
	cr_assert_eq(res[0].dialog, 7);
	free(res);

	/* its live frames apply as for any dialog */
	apply_message(d, pmsg(12, 4, PROTO_FROM_CUSTOMER, "Ирина", "Алло?", NULL));
	cr_assert_eq(dl->n_msgs, 4);
	struct proto_msg typing = {.type = PROTO_TYPING, .dialog = 12, .on = true};
	desk_apply(d, &typing);
	cr_assert(dl->customer_typing);

	/* never typing sent, and the operator's actions say why not */
	size_t before = c.n_sent;
	textedit_set_utf8(&dl->draft, "подскажи про промокод");
	desk_draft_changed(d, 12);
	cr_assert_eq(c.n_sent, before, "no typing for a watched dialog");
	cr_assert_eq(desk_send_text(d, 12, "здравствуйте"), -1);
	cr_assert_not_null(strstr(d->last_error, "watched"), "%s", d->last_error);
	cr_assert_eq(desk_close(d, 12, "order"), -1);
	cr_assert_not_null(strstr(d->last_error, "watched"), "%s", d->last_error);
	cr_assert_eq(desk_transfer(d, 12, "general", NULL, NULL), -1);
	cr_assert_eq(desk_claim(d, 12, PROTO_CLAIM_SERVICE, NULL), -1);
	cr_assert_eq(c.n_sent, before);
	cr_assert_str_eq(desk_dialog_refusal(dl), d->last_error);

	struct proto_msg closed = {.type = PROTO_CLOSED, .dialog = 12, .by = PROTO_BY_CUSTOMER};
	desk_apply(d, &closed);
	cr_assert_eq(dl->state, PROTO_DS_CLOSED);
	cr_assert(!desk_dialog_watch_live(dl));
	desk_free(d);
	capture_free(&c);
}

Test(desk, watching_needs_a_supervisor_and_an_ask)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	apply_welcome_as(d, PROTO_ROLE_OPERATOR, NULL, 0);
	cr_assert_eq(desk_watch(d, 12, true), -1);
	cr_assert_not_null(strstr(d->last_error, "supervisor"), "%s", d->last_error);
	cr_assert_eq(c.n_sent, 0);
	desk_free(d);
	capture_free(&c);

	d = new_desk(&c);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	uint64_t ignored = d->n_ignored;
	apply_watching(d, 12); /* never asked for */
	cr_assert_null(desk_dialog_find(d, 12));
	cr_assert_eq(d->n_ignored, ignored + 1);
	for (int64_t i = 1; i <= DESK_WATCH_MAX; i++)
		cr_assert_eq(desk_watch(d, 20 + i, true), 0);
	cr_assert_eq(desk_watch(d, 99, true), -1, "as many as there are panes");
	cr_assert_not_null(strstr(d->last_error, "unwatch"), "%s", d->last_error);
	/* the hub refuses the first (no such dialog): that one is dropped, the others stay */
	struct proto_msg err = {.type = PROTO_ERROR, .code = "no_such_dialog", .message = "dialog 21 does not exist",
	                        .ref = "watch"};
	desk_apply(d, &err);
	cr_assert(!desk_watching(d, 21));
	cr_assert(desk_watching(d, 22));
	cr_assert_not_null(strstr(d->last_error, "21"), "%s", d->last_error);
	desk_free(d);
	capture_free(&c);
}

Test(desk, watches_are_asked_again_after_a_reconnect_and_unwatch_forgets)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	desk_watch(d, 12, true);
	apply_watching(d, 12);
	desk_set_conn(d, DESK_CONN_OFFLINE, "lost", 0);
	cr_assert_eq(desk_watch(d, 13, true), 0, "offline: kept for the welcome");
	c.n_changes = 0;
	size_t before = c.n_sent;
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	struct desk_dialog *dl = desk_dialog_find(d, 12);
	cr_assert(dl && dl->watched && !dl->released, "a watched dialog is not one the welcome should list");
	cr_assert_eq(c.n_sent, before + 2);
	cr_assert_eq(c.sent[before].type, PROTO_WATCH);
	cr_assert_eq(c.sent[before].dialog, 12);
	cr_assert_eq(c.sent[before + 1].dialog, 13);
	apply_watching(d, 12); /* the same dialog again: merged, not added */
	cr_assert(!changed(&c, DESK_CH_ADDED, 12));
	cr_assert_eq(dl->n_msgs, 3);

	cr_assert_eq(desk_watch(d, 12, false), 0);
	cr_assert_eq(c.sent[c.n_sent - 1].type, PROTO_WATCH);
	cr_assert(!c.sent[c.n_sent - 1].on);
	cr_assert_null(desk_dialog_find(d, 12));
	cr_assert(changed(&c, DESK_CH_REMOVED, 12));
	cr_assert(!desk_watching(d, 12));
	cr_assert_eq(desk_watch(d, 12, false), -1);
	desk_free(d);
	capture_free(&c);
}

Test(desk, a_whisper_is_pending_until_acked_and_resent_as_a_whisper)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	desk_watch(d, 12, true);
	apply_watching(d, 12);
	struct desk_dialog *dl = desk_dialog_find(d, 12);
	cr_assert_eq(desk_send_whisper(d, 7, "x"), -1, "only into a watched dialog");
	cr_assert_eq(desk_send_whisper(d, 12, "Предложи промокод"), 0);
	size_t w = c.n_sent - 1;
	cr_assert_eq(c.sent[w].type, PROTO_WHISPER);
	cr_assert_eq(c.sent[w].dialog, 12);
	cr_assert_str_eq(c.text[w], "Предложи промокод");
	const struct desk_message *m = dl->msgs[dl->n_msgs - 1];
	cr_assert_eq(m->delivery, DESK_DLV_PENDING);
	cr_assert(desk_message_whisper(m));
	cr_assert_str_eq(desk_message_line(m)->args.name, "Светлана");
	cr_assert_eq(dl->n_pending, 1);

	/* the connection drops: after the welcome it goes again, as a whisper, with the same id */
	desk_set_conn(d, DESK_CONN_OFFLINE, "lost", 0);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	size_t again = c.n_sent;
	for (size_t i = w + 1; i < c.n_sent; i++)
		if (c.sent[i].type == PROTO_WHISPER)
			again = i;
	cr_assert_lt(again, c.n_sent, "resent");
	cr_assert_eq(count_sent(&c, PROTO_SEND), 0, "never as a message to the customer");
	cr_assert_str_eq(c.cmid[again], c.cmid[w]);
	cr_assert_eq(m->delivery, DESK_DLV_PENDING);

	/* the hub's copy as a watcher, then the ack: one message, acked */
	struct proto_message hub = pmsg(12, 4, PROTO_FROM_NOTE, "anna.op", "Предложи промокод", c.cmid[w]);
	hub.kind = "whisper";
	hub.args = (struct proto_sysargs){.name = "Светлана", .user = "anna.op"};
	apply_message(d, hub);
	struct proto_msg ack = {.type = PROTO_ACK, .client_msg_id = c.cmid[w], .dialog = 12, .id = 1004, .seq = 4};
	desk_apply(d, &ack);
	cr_assert_eq(dl->n_msgs, 4, "stored once, shown once");
	cr_assert_eq(dl->msgs[3]->delivery, DESK_DLV_ACKED);
	cr_assert_eq(dl->n_pending, 0);
	cr_assert_eq(dl->unread_whispers, 0, "our own whisper is no news to us");
	desk_free(d);
	capture_free(&c);
}

Test(desk, a_restored_whisper_goes_out_when_its_dialog_is_watched_again)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	desk_watch(d, 12, true); /* a new run: the drafts file asked before the connection */
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, NULL, 0);
	cr_assert_eq(count_sent(&c, PROTO_WATCH), 1);
	apply_watching(d, 12);
	desk_restore_whisper(d, 12, "anna.op-1-1", "Предложи промокод", 1700000000000);
	desk_restore_whisper(d, 12, "anna.op-1-1", "Предложи промокод", 1700000000000);
	cr_assert_eq(count_sent(&c, PROTO_WHISPER), 1, "once, with its old id");
	cr_assert_str_eq(c.cmid[c.n_sent - 1], "anna.op-1-1");
	cr_assert_eq(desk_dialog_find(d, 12)->n_pending, 1);
	desk_free(d);
	capture_free(&c);
}

Test(desk, takeover_makes_the_watched_dialog_ours_in_place)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog own = pdialog(7, "Ольга", NULL, 0);
	apply_welcome_as(d, PROTO_ROLE_SUPERVISOR, &own, 1);
	cr_assert_eq(desk_takeover(d, 12), -1, "only a watched dialog");
	desk_watch(d, 12, true);
	apply_watching(d, 12);
	cr_assert_eq(desk_takeover(d, 12), 0);
	cr_assert_eq(c.sent[c.n_sent - 1].type, PROTO_TAKEOVER);
	cr_assert_eq(c.sent[c.n_sent - 1].dialog, 12);
	cr_assert_eq(d->takeover_asked, 12);
	c.n_changes = 0;
	struct proto_message msgs[] = {pmsg(12, 1, PROTO_FROM_CUSTOMER, "Ирина", "Где заказ?", NULL),
	                               pmsg(12, 5, PROTO_FROM_SYSTEM, NULL, "joined", NULL)};
	struct proto_dialog pd = pdialog(12, "Ирина", msgs, 2);
	struct proto_msg as = {.type = PROTO_ASSIGNED, .dialogs = &pd, .n_dialogs = 1};
	desk_apply(d, &as);
	struct desk_dialog *dl = desk_dialog_find(d, 12);
	cr_assert(!dl->watched);
	cr_assert(desk_dialog_open(dl));
	cr_assert_eq(desk_open_count(d), 2);
	cr_assert(!desk_watching(d, 12));
	cr_assert_eq(d->takeover_asked, 0);
	cr_assert(changed(&c, DESK_CH_DIALOG, 12));
	cr_assert(!changed(&c, DESK_CH_ADDED, 12), "the same dialog, the same pane");
	cr_assert_eq(desk_send_text(d, 12, "Здравствуйте, я руководитель смены"), 0);
	cr_assert_eq(c.sent[c.n_sent - 1].type, PROTO_SEND);
	/* at capacity (2) now: another takeover is refused here */
	desk_watch(d, 13, true);
	apply_watching(d, 13);
	cr_assert_eq(desk_takeover(d, 13), -1);
	cr_assert_not_null(strstr(d->last_error, "2 of 2"), "%s", d->last_error);
	desk_free(d);
	capture_free(&c);
}

Test(desk, the_operator_sees_watchers_whispers_and_a_takeover)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	struct proto_dialog dls[] = {pdialog(12, "Ирина", NULL, 0)};
	apply_welcome_as(d, PROTO_ROLE_OPERATOR, dls, 1);
	struct desk_dialog *dl = desk_dialog_find(d, 12);
	struct proto_person by[] = {{.user = "sveta", .display = "Светлана"}, {.user = "petr"}};
	struct proto_msg w = {.type = PROTO_WATCHERS, .dialog = 12, .people = by, .n_people = 2};
	desk_apply(d, &w);
	cr_assert_eq(dl->n_watchers, 2);
	cr_assert_str_eq(dl->watchers[0].display, "Светлана");
	cr_assert_null(dl->watchers[1].display);
	w.n_people = 0;
	desk_apply(d, &w);
	cr_assert_eq(dl->n_watchers, 0, "nobody watches any more");

	struct proto_message wh = pmsg(12, 3, PROTO_FROM_NOTE, "sveta", "Предложи промокод", "sveta-1");
	wh.kind = "whisper";
	wh.args = (struct proto_sysargs){.name = "Светлана", .user = "sveta"};
	apply_message(d, wh);
	cr_assert_eq(dl->unread_whispers, 1);
	cr_assert_eq(d->n_whispers, 1);
	cr_assert_eq(dl->unread, 0, "a whisper is no customer message");
	cr_assert(desk_message_whisper(dl->msgs[dl->n_msgs - 1]));
	desk_mark_read(d, 12);
	cr_assert_eq(dl->unread_whispers, 0);
	cr_assert_eq(d->n_whispers, 1);
	struct proto_message note = pmsg(12, 4, PROTO_FROM_NOTE, "olga", "a colleague's note", NULL);
	apply_message(d, note);
	cr_assert_eq(d->n_whispers, 1, "a note is no whisper");

	struct proto_msg rel = {.type = PROTO_RELEASED, .dialog = 12, .reason = "taken over by Светлана",
	                        .kind = "taken_over", .args = {.name = "Светлана", .user = "sveta"}};
	desk_apply(d, &rel);
	cr_assert(dl->released);
	cr_assert(dl->taken_over);
	cr_assert_str_eq(dl->taken_over_by, "Светлана");
	desk_free(d);
	capture_free(&c);
}

/* An earlier chat read from the customer's card comes in answers of at most 500 messages: the model asks for
 * the rest after the last it has, keeps each message once, and drops an answer about another chat. */
Test(desk, a_long_earlier_chat_is_read_page_after_page)
{
	struct capture c;
	struct desk *d = new_desk(&c);
	apply_welcome(d, NULL, 0, NULL, 0);
	c.n_sent = 0;
	cr_assert_eq(desk_card_read(d, 12), 0);
	cr_assert_eq(c.n_sent, 1);
	cr_assert_eq(c.sent[0].type, PROTO_HISTORY);
	cr_assert_eq(c.sent[0].dialog, 12);
	cr_assert_eq(c.sent[0].after, 0);
	static struct proto_message page[500];
	for (int i = 0; i < 500; i++)
		page[i] = pmsg(12, i + 1, PROTO_FROM_CUSTOMER, NULL, "строка", NULL);
	struct proto_dialog dl = pdialog(12, "Людмила", NULL, 0);
	dl.last_seq = 700;
	dl.state = PROTO_DS_CLOSED;
	struct proto_msg m = {.type = PROTO_HISTORY_ANSWER, .dialogs = &dl, .n_dialogs = 1, .messages = page,
			      .n_messages = 500};
	desk_apply(d, &m);
	cr_assert_eq(d->card->n_msgs, 500);
	cr_assert(d->card->read_known);
	cr_assert_eq(c.n_sent, 2, "the rest was not asked for");
	cr_assert_eq(c.sent[1].type, PROTO_HISTORY);
	cr_assert_eq(c.sent[1].after, 500);
	cr_assert(changed(&c, DESK_CH_CARD, -1));
	/* the rest, with one message again: kept once, and nothing more asked for */
	for (int i = 0; i < 201; i++)
		page[i] = pmsg(12, 500 + i, PROTO_FROM_OPERATOR, "anna", "ответ", NULL);
	m.n_messages = 201;
	desk_apply(d, &m);
	cr_assert_eq(d->card->n_msgs, 700);
	cr_assert_eq(d->card->msgs[699].seq, 700);
	cr_assert_eq(c.n_sent, 2);
	/* an answer about another chat changes nothing */
	dl.id = 13;
	desk_apply(d, &m);
	cr_assert_eq(d->card->n_msgs, 700);
	desk_free(d);
	capture_free(&c);
}

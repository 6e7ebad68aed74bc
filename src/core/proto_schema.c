/* proto_schema.c: the v1 message tables: every type, the directions it travels, and each field's
 * name, kind, limits and place in the C structs (see docs/protocol.md, which mirrors this file). */
#include "proto_schema.h"

#include <stddef.h>
#include <string.h>

#define NW(words) (int)(sizeof(words) / sizeof *(words))
#define SAFE PF_MAX_SAFE

/* Field constructors: S = struct the offsets are relative to. */
#define F_INT(n, S, m, fl, lo, hi) { .name = n, .kind = PF_INT, .off = offsetof(S, m), .flags = fl, .min = lo, .max = hi }
#define F_INT32(n, S, m, fl, lo, hi) { .name = n, .kind = PF_INT32, .off = offsetof(S, m), .flags = fl, .min = lo, .max = hi }
#define F_BOOL(n, S, m, fl) { .name = n, .kind = PF_BOOL, .off = offsetof(S, m), .flags = fl }
#define F_STR(n, S, m, fl, lo, hi) { .name = n, .kind = PF_STR, .off = offsetof(S, m), .flags = fl, .min = lo, .max = hi }
#define F_ENUM(n, S, m, fl, w) { .name = n, .kind = PF_ENUM, .off = offsetof(S, m), .flags = fl, .words = w, .n_words = NW(w) }
#define F_ARRAY(n, S, m, cnt, fl, max_items, sch, E) { .name = n, .kind = PF_ARRAY, .off = offsetof(S, m), \
	.flags = fl, .max = max_items, .sub = &sch, .count_off = offsetof(S, cnt), .elem_size = sizeof(E) }
#define F_ONE(n, S, m, cnt, sch, E) { .name = n, .kind = PF_ONE, .off = offsetof(S, m), .flags = PF_REQ, \
	.max = 1, .sub = &sch, .count_off = offsetof(S, cnt), .elem_size = sizeof(E) }
#define F_OBJECT(n, S, m, sch) { .name = n, .kind = PF_OBJECT, .off = offsetof(S, m), .flags = PF_REQ, .sub = &sch }
/* An optional object: left out when none of its fields is set. */
#define F_OBJECT_OPT(n, S, m, sch) { .name = n, .kind = PF_OBJECT, .off = offsetof(S, m), .flags = 0, .sub = &sch }
#define SCHEMA(nm, arr) { .name = nm, .fields = arr, .n_fields = sizeof(arr) / sizeof *(arr) }

#define R PF_REQ
#define M struct proto_msg

/* The fields of one chat message, relative to a struct proto_message at member `base` of S. */
#define MESSAGE_FIELDS(S, base)                                                   \
	F_INT("id", S, base id, R, 1, SAFE), F_INT("dialog", S, base dialog, R, 1, SAFE), \
	F_INT("seq", S, base seq, R, 1, SAFE), F_INT("time", S, base time, R, 0, SAFE),  \
	F_ENUM("sender", S, base sender, R, pf_sender_words),                          \
	F_STR("author", S, base author, 0, 1, PROTO_MAX_NAME),                         \
	F_STR("text", S, base text, R, 1, PROTO_MAX_TEXT),                              \
	F_STR("client_msg_id", S, base client_msg_id, 0, 1, PROTO_MAX_ID)

/* What a line the hub wrote says (docs/protocol.md, "System lines"): agents get it, customers and bridges
 * only the text. */
#define SA struct proto_sysargs
static const struct pf_field sysargs_fields[] = {
	F_STR("name", SA, name, 0, 1, PROTO_MAX_NAME),
	F_STR("user", SA, user, PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("queue", SA, queue, 0, 1, PROTO_MAX_NAME),
	F_STR("category", SA, category, 0, 1, PROTO_MAX_ID),
	F_STR("note", SA, note, 0, 1, PROTO_MAX_NOTE),
	F_STR("file", SA, file, 0, 1, PROTO_MAX_ID),
	F_STR("filename", SA, filename, 0, 1, PROTO_MAX_FILENAME),
	F_STR("type", SA, type, 0, 1, PROTO_MAX_ID),
	F_INT("size", SA, size, 0, 0, SAFE),
};
static const struct pf_schema sysargs_schema = SCHEMA("args", sysargs_fields);
/* A file message's file as customers get it (docs/protocol.md, "Files"): the same args under other names. */
static const struct pf_field cfile_fields[] = {
	F_STR("id", SA, file, 0, 1, PROTO_MAX_ID),
	F_STR("name", SA, filename, 0, 1, PROTO_MAX_FILENAME),
	F_STR("type", SA, type, 0, 1, PROTO_MAX_ID),
	F_INT("size", SA, size, 0, 0, SAFE),
};
static const struct pf_schema cfile_schema = SCHEMA("file", cfile_fields);
#define SYSTEM_FIELDS(S, base)                                                    \
	F_STR("kind", S, base kind, PF_USERNAME, 1, PROTO_MAX_ID),                   \
	F_OBJECT_OPT("args", S, base args, sysargs_schema)

static const struct pf_field message_fields[] = { MESSAGE_FIELDS(struct proto_message, ),
						  SYSTEM_FIELDS(struct proto_message, ) };
static const struct pf_schema message_schema = SCHEMA("message", message_fields);

#define D struct proto_dialog
static const struct pf_field dialog_fields[] = {
	F_INT("id", D, id, R, 1, SAFE),
	F_STR("customer", D, customer, R, 1, PROTO_MAX_NAME),
	F_ENUM("channel", D, channel, R, pf_channel_words),
	F_STR("queue", D, queue, R, 1, PROTO_MAX_NAME),
	F_ENUM("state", D, state, R, pf_dstate_words),
	F_STR("topic", D, topic, 0, 1, PROTO_MAX_ID),
	F_INT("opened", D, opened, R, 0, SAFE),
	F_INT("last_seq", D, last_seq, R, 0, SAFE),
	F_ARRAY("messages", D, messages, n_messages, R, PROTO_MAX_HISTORY, message_schema, struct proto_message),
	F_INT("returning", D, returning, 0, 0, SAFE),
};
static const struct pf_schema dialog_schema = SCHEMA("dialog", dialog_fields);

#define Q struct proto_queue_item
static const struct pf_field item_fields[] = {
	F_INT("dialog", Q, dialog, R, 1, SAFE),
	F_STR("customer", Q, customer, R, 1, PROTO_MAX_NAME),
	F_ENUM("channel", Q, channel, R, pf_channel_words),
	F_STR("queue", Q, queue, R, 1, PROTO_MAX_NAME),
	F_INT("since", Q, since, R, 0, SAFE),
	F_STR("preview", Q, preview, R, 0, PROTO_MAX_PREVIEW),
	F_INT("returning", Q, returning, 0, 0, SAFE),
};
static const struct pf_schema item_schema = SCHEMA("queue item", item_fields);

#define C struct proto_canned
static const struct pf_field canned_fields[] = {
	F_STR("id", C, id, R, 1, PROTO_MAX_ID),
	F_STR("shortcut", C, shortcut, R, 0, PROTO_MAX_ID),
	F_STR("category", C, category, R, 1, PROTO_MAX_ID),
	F_STR("title", C, title, R, 1, PROTO_MAX_PREVIEW),
	F_STR("text", C, text, R, 1, PROTO_MAX_TEXT),
};
static const struct pf_schema canned_schema = SCHEMA("canned reply", canned_fields);

#define RS struct proto_resume
static const struct pf_field resume_fields[] = {
	F_INT("dialog", RS, dialog, R, 1, SAFE),
	F_INT("seq", RS, seq, R, 0, SAFE),
};
static const struct pf_schema resume_schema = SCHEMA("resume entry", resume_fields);

#define O struct proto_operator
static const struct pf_field operator_fields[] = {
	F_STR("user", O, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("display", O, display, 0, 1, PROTO_MAX_NAME),
	F_ENUM("role", O, role, R, pf_role_words),
	F_ENUM("status", O, status, R, pf_status_words),
	F_INT32("capacity", O, capacity, R, 1, 16),
};
static const struct pf_schema operator_schema = SCHEMA("operator", operator_fields);

#define BO struct proto_board_op
/* A colleague to transfer to: the board's operator without role and sign-in flag (only signed-in ones). */
static const struct pf_field target_op_fields[] = {
	F_STR("user", BO, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("display", BO, display, 0, 1, PROTO_MAX_NAME),
	F_ENUM("status", BO, status, R, pf_status_words),
	F_INT32("load", BO, load, R, 0, 16),
	F_INT32("capacity", BO, capacity, R, 1, 16),
};
static const struct pf_schema target_op_schema = SCHEMA("target operator", target_op_fields);

#define QL struct proto_queue_load
static const struct pf_field queue_load_fields[] = {
	F_STR("queue", QL, queue, R, 1, PROTO_MAX_NAME),
	F_INT("waiting", QL, waiting, R, 0, SAFE),
};
static const struct pf_schema queue_load_schema = SCHEMA("target queue", queue_load_fields);

#define BC struct proto_board_chat
static const struct pf_field board_chat_fields[] = {
	F_INT("dialog", BC, dialog, R, 1, SAFE),
	F_STR("customer", BC, customer, R, 1, PROTO_MAX_NAME),
	F_STR("queue", BC, queue, R, 1, PROTO_MAX_NAME),
	F_INT("unanswered", BC, unanswered, 0, 0, SAFE),
};
static const struct pf_schema board_chat_schema = SCHEMA("held chat", board_chat_fields);

#define BQ struct proto_board_queue
static const struct pf_field board_queue_fields[] = {
	F_STR("queue", BQ, queue, R, 1, PROTO_MAX_NAME),
	F_INT("waiting", BQ, waiting, R, 0, SAFE),
	F_INT("oldest", BQ, oldest, R, 0, SAFE),
	F_INT("online", BQ, online, R, 0, SAFE),
	F_INT("free", BQ, free, R, 0, SAFE),
};
static const struct pf_schema board_queue_schema = SCHEMA("board queue", board_queue_fields);

#define TR struct proto_trend
static const struct pf_field trend_fields[] = {
	F_INT("time", TR, time, R, 0, SAFE),
	F_INT("waiting", TR, waiting, R, 0, SAFE),
	F_INT("wait_ms", TR, wait_ms, R, 0, SAFE),
};
static const struct pf_schema trend_schema = SCHEMA("trend sample", trend_fields);
#define PROTO_MAX_TREND 60

#define PE struct proto_person
static const struct pf_field person_fields[] = {
	F_STR("user", PE, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("display", PE, display, 0, 1, PROTO_MAX_NAME),
};
static const struct pf_schema person_schema = SCHEMA("person", person_fields);
static const struct pf_field gone_fields[] = {
	F_STR("user", PE, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
};
static const struct pf_schema gone_schema = SCHEMA("gone operator", gone_fields);

static const struct pf_field board_op_fields[] = {
	F_STR("user", BO, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("display", BO, display, 0, 1, PROTO_MAX_NAME),
	F_ENUM("role", BO, role, R, pf_role_words),
	F_ENUM("status", BO, status, R, pf_status_words),
	F_BOOL("online", BO, online, R),
	F_INT32("load", BO, load, R, 0, 16),
	F_INT32("capacity", BO, capacity, R, 1, 16),
	F_INT("since", BO, since, 0, 0, SAFE),
	F_ARRAY("chats", BO, chats, n_chats, 0, 16, board_chat_schema, struct proto_board_chat),
	F_INT("closed", BO, closed, 0, 0, SAFE),
	F_INT("first_response_avg_ms", BO, first_response_avg_ms, 0, 0, SAFE),
	F_INT("rated", BO, rated, 0, 0, SAFE),
	F_INT("fives", BO, fives, 0, 0, SAFE),
};
static const struct pf_schema board_op_schema = SCHEMA("board operator", board_op_fields);

#define K struct proto_kpi
#define CB int64_t /* claims_by: one counter per enum proto_claim */
static const struct pf_field claims_by_fields[] = {
	{ .name = "quality", .kind = PF_INT, .off = PROTO_CLAIM_QUALITY * sizeof(CB), .max = SAFE },
	{ .name = "completeness", .kind = PF_INT, .off = PROTO_CLAIM_COMPLETENESS * sizeof(CB), .max = SAFE },
	{ .name = "delivery", .kind = PF_INT, .off = PROTO_CLAIM_DELIVERY * sizeof(CB), .max = SAFE },
	{ .name = "service", .kind = PF_INT, .off = PROTO_CLAIM_SERVICE * sizeof(CB), .max = SAFE },
};
static const struct pf_schema claims_by_schema = SCHEMA("claims by category", claims_by_fields);
static const struct pf_field kpi_fields[] = {
	F_INT("opened", K, opened, R, 0, SAFE),
	F_INT("closed", K, closed, R, 0, SAFE),
	F_INT("wait_avg_ms", K, wait_avg_ms, R, 0, SAFE),
	F_INT("first_response_avg_ms", K, first_response_avg_ms, R, 0, SAFE),
	F_INT("rated", K, rated, R, 0, SAFE),
	F_INT("fives", K, fives, R, 0, SAFE),
	F_INT("claims", K, claims, R, 0, SAFE),
	F_INT("wait_p90_ms", K, wait_p90_ms, 0, 0, SAFE),
	F_INT("assigned", K, assigned, 0, 0, SAFE),
	F_INT("in_sla", K, in_sla, 0, 0, SAFE),
	F_INT("score_sum", K, score_sum, 0, 0, SAFE),
	F_INT("abandoned", K, abandoned, 0, 0, SAFE),
	F_OBJECT_OPT("claims_by", K, claims_by, claims_by_schema),
};
static const struct pf_schema kpi_schema = SCHEMA("today", kpi_fields);

/* The customer's card (docs/protocol.md, "Who the customer is"). */
#define CN struct proto_card_name
static const struct pf_field card_name_fields[] = {
	F_STR("name", CN, name, R, 1, PROTO_MAX_NAME),
	F_INT("time", CN, time, R, 0, SAFE),
};
static const struct pf_schema card_name_schema = SCHEMA("name", card_name_fields);
#define CC struct proto_card_contact
static const struct pf_field card_contact_fields[] = {
	F_ENUM("kind", CC, kind, R, pf_contact_words),
	F_STR("value", CC, value, R, 1, PROTO_MAX_ID),
	F_INT("time", CC, time, R, 0, SAFE),
};
static const struct pf_schema card_contact_schema = SCHEMA("contact", card_contact_fields);
#define CH struct proto_card_chat
static const struct pf_field card_chat_fields[] = {
	F_INT("dialog", CH, dialog, R, 1, SAFE),
	F_INT("opened", CH, opened, R, 0, SAFE),
	F_INT("closed", CH, closed, 0, 0, SAFE),
	F_ENUM("state", CH, state, R, pf_dstate_words),
	F_STR("queue", CH, queue, R, 1, PROTO_MAX_NAME),
	F_STR("topic", CH, topic, 0, 1, PROTO_MAX_ID),
	F_STR("operator", CH, operator_name, PF_USERNAME, 1, PROTO_MAX_NAME),
	F_INT32("score", CH, score, 0, 0, 5),
	F_OBJECT_OPT("claims", CH, claims_by, claims_by_schema),
	F_STR("orders", CH, orders, 0, 1, PROTO_MAX_ORDERS),
	F_STR("preview", CH, preview, R, 0, PROTO_MAX_PREVIEW),
};
static const struct pf_schema card_chat_schema = SCHEMA("chat", card_chat_fields);

#define PROTO_MAX_TOKEN 64

/* Top-level messages. */
static const struct pf_field hello_f[] = {
	F_STR("user", M, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("secret", M, secret, R, 1, PROTO_MAX_SECRET),
	F_ENUM("role", M, role, R, pf_role_words),
	F_STR("client", M, client, 0, 1, PROTO_MAX_NAME),
	F_ARRAY("resume", M, resume, n_resume, 0, PROTO_MAX_ITEMS, resume_schema, struct proto_resume),
};
static const struct pf_field send_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
	F_BOOL("note", M, note, 0),
};
static const struct pf_field typing_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_BOOL("on", M, on, R),
};
static const struct pf_field take_f[] = {
	F_INT("dialog", M, dialog, 0, 1, SAFE),
};
static const struct pf_field close_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("topic", M, topic, R, 1, PROTO_MAX_ID),
};
static const struct pf_field transfer_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("queue", M, queue, 0, 1, PROTO_MAX_NAME),
	F_STR("operator", M, operator_name, PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("note", M, note_text, 0, 1, PROTO_MAX_NOTE),
};
static const struct pf_field status_f[] = {
	F_ENUM("status", M, status, R, pf_status_words),
};
static const struct pf_field welcome_f[] = {
	F_OBJECT("operator", M, op, operator_schema),
	F_ARRAY("dialogs", M, dialogs, n_dialogs, R, PROTO_MAX_ITEMS, dialog_schema, struct proto_dialog),
	F_ARRAY("items", M, items, n_items, R, PROTO_MAX_ITEMS, item_schema, struct proto_queue_item),
	F_ARRAY("canned", M, canned, n_canned, R, PROTO_MAX_ITEMS, canned_schema, struct proto_canned),
	F_INT("time", M, time, R, 0, SAFE),
};
static const struct pf_field queue_f[] = {
	F_ARRAY("items", M, items, n_items, R, PROTO_MAX_ITEMS, item_schema, struct proto_queue_item),
	F_INT("total", M, total, R, 0, SAFE),
};
static const struct pf_field assigned_f[] = {
	F_ONE("dialog", M, dialogs, n_dialogs, dialog_schema, struct proto_dialog),
};
static const struct pf_field message_f[] = { MESSAGE_FIELDS(M, msg.), SYSTEM_FIELDS(M, msg.) };
static const struct pf_field cmessage_f[] = { MESSAGE_FIELDS(M, msg.), F_OBJECT_OPT("file", M, msg.args, cfile_schema) };
static const struct pf_field targets_f[] = {
	F_ARRAY("queues", M, queue_loads, n_queue_loads, R, PROTO_MAX_ITEMS, queue_load_schema, struct proto_queue_load),
	F_ARRAY("operators", M, board_ops, n_board_ops, R, PROTO_MAX_ITEMS, target_op_schema, struct proto_board_op),
};
static const struct pf_field ack_f[] = {
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("id", M, id, R, 1, SAFE),
	F_INT("seq", M, seq, R, 1, SAFE),
	F_INT("time", M, time, R, 0, SAFE),
};
static const struct pf_field closed_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("topic", M, topic, 0, 1, PROTO_MAX_ID),
	F_ENUM("by", M, by, R, pf_closer_words),
};
static const struct pf_field rating_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT32("score", M, score, R, 1, 5),
	F_STR("comment", M, comment, 0, 1, PROTO_MAX_NOTE),
};
static const struct pf_field released_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("reason", M, reason, R, 1, PROTO_MAX_ID),
	F_STR("kind", M, kind, PF_USERNAME, 1, PROTO_MAX_ID),
	F_OBJECT_OPT("args", M, args, sysargs_schema),
};
static const struct pf_field error_f[] = {
	F_STR("code", M, code, R, 1, PROTO_MAX_ID),
	F_STR("message", M, message, R, 1, PROTO_MAX_ERRMSG),
	F_STR("ref", M, ref, 0, 1, PROTO_MAX_ID),
};
static const struct pf_field open_f[] = {
	F_ENUM("channel", M, channel, R, pf_channel_words),
	F_STR("name", M, name, R, 1, PROTO_MAX_NAME),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
	F_STR("client_msg_id", M, client_msg_id, 0, 1, PROTO_MAX_ID),
	F_STR("customer_token", M, customer_token, 0, 1, PROTO_MAX_TOKEN),
};
static const struct pf_field csay_f[] = {
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
};
static const struct pf_field on_f[] = {
	F_BOOL("on", M, on, R),
};
static const struct pf_field monitor_f[] = {
	F_BOOL("on", M, on, R),
	F_BOOL("delta", M, delta, 0),
};
static const struct pf_field rate_f[] = {
	F_INT32("score", M, score, R, 1, 5),
	F_STR("comment", M, comment, 0, 1, PROTO_MAX_NOTE),
};
static const struct pf_field opened_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("position", M, position, R, 0, SAFE),
	F_STR("token", M, token, 0, 1, PROTO_MAX_TOKEN),
	F_STR("customer_token", M, customer_token, 0, 1, PROTO_MAX_TOKEN),
};
static const struct pf_field resume_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("token", M, token, R, 1, PROTO_MAX_TOKEN),
	F_INT("after", M, after, R, 0, SAFE),
};
static const struct pf_field resumed_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_ENUM("state", M, state, R, pf_dstate_words),
	F_INT("position", M, position, R, 0, SAFE),
	F_BOOL("rated", M, rated, R),
};
static const struct pf_field transcript_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("token", M, token, R, 1, PROTO_MAX_TOKEN),
	F_STR("email", M, email, R, 1, PROTO_MAX_EMAIL),
};
static const struct pf_field transcript_queued_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("email", M, email, R, 1, PROTO_MAX_EMAIL),
};
static const struct pf_field availability_f[] = {
	F_BOOL("online", M, on, R),
	F_STR("reason", M, reason, PF_USERNAME, 1, PROTO_MAX_ID),
	F_INT("opens", M, since, 0, 0, SAFE),
};
static const struct pf_field leave_request_f[] = {
	F_STR("name", M, name, R, 1, PROTO_MAX_NAME),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
	F_STR("email", M, email, 0, 1, PROTO_MAX_EMAIL),
	F_STR("phone", M, phone, 0, 1, PROTO_MAX_PHONE),
	F_STR("customer_token", M, customer_token, 0, 1, PROTO_MAX_TOKEN),
};
static const struct pf_field request_left_f[] = {
	F_INT("request", M, request, R, 1, SAFE),
	F_STR("token", M, token, R, 1, PROTO_MAX_TOKEN),
};
static const struct pf_field request_status_ask_f[] = {
	F_INT("request", M, request, R, 1, SAFE),
	F_STR("token", M, token, R, 1, PROTO_MAX_TOKEN),
};
static const struct pf_field request_status_f[] = {
	F_INT("request", M, request, R, 1, SAFE),
	F_ENUM("state", M, rstate, R, pf_rstate_words),
	F_STR("answer", M, text, 0, 1, PROTO_MAX_TEXT),
	F_INT("answered", M, time, 0, 0, SAFE),
};
#define RQ struct proto_request
static const struct pf_field request_item_fields[] = {
	F_INT("request", RQ, id, R, 1, SAFE),
	F_INT("time", RQ, time, R, 0, SAFE),
	F_STR("name", RQ, name, R, 1, PROTO_MAX_NAME),
	F_STR("email", RQ, email, 0, 1, PROTO_MAX_EMAIL),
	F_STR("phone", RQ, phone, 0, 1, PROTO_MAX_PHONE),
	F_STR("text", RQ, text, R, 1, PROTO_MAX_TEXT),
	F_STR("queue", RQ, queue, R, 1, PROTO_MAX_NAME),
	F_STR("taken_by", RQ, taken_by, PF_USERNAME, 1, PROTO_MAX_NAME),
};
static const struct pf_schema request_item_schema = SCHEMA("request", request_item_fields);
static const struct pf_field requests_f[] = {
	F_ARRAY("items", M, requests, n_requests, R, PROTO_MAX_ITEMS, request_item_schema, struct proto_request),
	F_INT("total", M, total, R, 0, SAFE),
};
static const struct pf_field request_id_f[] = {
	F_INT("request", M, request, R, 1, SAFE),
};
static const struct pf_field answer_request_f[] = {
	F_INT("request", M, request, R, 1, SAFE),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
};
static const struct pf_field claim_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_ENUM("category", M, category, R, pf_claim_words),
	F_STR("text", M, text, 0, 1, PROTO_MAX_NOTE),
	F_STR("client_msg_id", M, client_msg_id, 0, 1, PROTO_MAX_ID),
};

static const struct pf_field watch_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_BOOL("on", M, on, R),
};
static const struct pf_field whisper_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
};
static const struct pf_field dialogs_f[] = {
	F_STR("operator", M, operator_name, R | PF_USERNAME, 1, PROTO_MAX_NAME),
};
static const struct pf_field dialog_list_f[] = {
	F_STR("operator", M, operator_name, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_ARRAY("items", M, items, n_items, R, PROTO_MAX_ITEMS, item_schema, struct proto_queue_item),
};
static const struct pf_field takeover_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
};
static const struct pf_field board_f[] = {
	F_INT("time", M, time, R, 0, SAFE),
	F_INT("waiting", M, waiting, R, 0, SAFE),
	F_INT("oldest", M, oldest, R, 0, SAFE),
	F_ARRAY("operators", M, board_ops, n_board_ops, R, PROTO_MAX_ITEMS, board_op_schema, struct proto_board_op),
	F_OBJECT("today", M, kpi, kpi_schema),
	F_INT("sla_wait_ms", M, sla_wait_ms, 0, 0, SAFE),
	F_INT("sla_answer_ms", M, sla_answer_ms, 0, 0, SAFE),
	F_ARRAY("queues", M, board_queues, n_board_queues, 0, PROTO_MAX_ITEMS, board_queue_schema, struct proto_board_queue),
	F_ARRAY("trend", M, trend, n_trend, 0, PROTO_MAX_TREND, trend_schema, struct proto_trend),
	F_BOOL("delta", M, delta, 0),
	F_ARRAY("gone", M, people, n_people, 0, PROTO_MAX_ITEMS, gone_schema, struct proto_person),
};
static const struct pf_field alert_f[] = {
	F_INT("id", M, id, R, 1, SAFE),
	F_INT("time", M, time, R, 0, SAFE),
	F_STR("kind", M, kind, R | PF_USERNAME, 1, PROTO_MAX_ID),
	F_INT("dialog", M, dialog, 0, 1, SAFE),
	F_STR("operator", M, operator_name, PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("customer", M, customer, 0, 1, PROTO_MAX_NAME),
	F_STR("queue", M, queue, 0, 1, PROTO_MAX_NAME),
	F_INT("since", M, since, 0, 0, SAFE),
	F_INT32("score", M, score, 0, 0, 5),
	F_STR("comment", M, comment, 0, 1, PROTO_MAX_NOTE),
	F_STR("category", M, alert_category, PF_USERNAME, 1, PROTO_MAX_ID),
	F_INT("waiting", M, waiting, 0, 0, SAFE),
};
static const struct pf_field watchers_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_ARRAY("by", M, people, n_people, R, 16, person_schema, struct proto_person),
};

static const struct pf_field customer_ask_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
};
static const struct pf_field card_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("id", M, id, R, 1, SAFE),
	F_ENUM("channel", M, channel, R, pf_channel_words),
	F_INT("since", M, since, R, 0, SAFE),
	F_STR("contact", M, contact, 0, 1, PROTO_MAX_ID),
	F_ARRAY("names", M, names, n_names, R, PROTO_MAX_CARD_LIST, card_name_schema, struct proto_card_name),
	F_ARRAY("contacts", M, contacts, n_contacts, R, PROTO_MAX_CARD_LIST, card_contact_schema,
		struct proto_card_contact),
	F_ARRAY("chats", M, chats, n_chats, R, PROTO_MAX_CARD_CHATS, card_chat_schema, struct proto_card_chat),
	F_INT("total", M, total, R, 0, SAFE),
	F_BOOL("blocked", M, blocked, 0),
};
static const struct pf_field history_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("after", M, after, 0, 0, SAFE),
};
static const struct pf_field history_answer_f[] = {
	F_ONE("dialog", M, dialogs, n_dialogs, dialog_schema, struct proto_dialog),
	F_ARRAY("messages", M, messages, n_messages, R, PROTO_MAX_ITEMS, message_schema, struct proto_message),
};
static const struct pf_field block_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("reason", M, reason, R, 1, PROTO_MAX_NOTE),
};
static const struct pf_field blocked_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("id", M, id, R, 1, SAFE),
};

/* The bridge endpoint: customer frames naming the customer by the messenger's id (`contact`). */
#define CONTACT F_STR("contact", M, contact, R, 1, PROTO_MAX_ID)
static const struct pf_field bhello_f[] = {
	F_STR("user", M, user, R | PF_USERNAME, 1, PROTO_MAX_NAME),
	F_STR("secret", M, secret, R, 1, PROTO_MAX_SECRET),
	F_INT("after", M, after, 0, 0, SAFE),
	F_STR("client", M, client, 0, 1, PROTO_MAX_NAME),
};
static const struct pf_field bsay_f[] = {
	CONTACT,
	F_STR("name", M, name, R, 1, PROTO_MAX_NAME),
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_STR("text", M, text, R, 1, PROTO_MAX_TEXT),
	F_STR("queue", M, queue, 0, 1, PROTO_MAX_NAME),
};
static const struct pf_field btyping_f[] = { CONTACT, F_BOOL("on", M, on, R) };
static const struct pf_field brate_f[] = {
	CONTACT,
	F_INT32("score", M, score, R, 1, 5),
	F_STR("comment", M, comment, 0, 1, PROTO_MAX_NOTE),
};
static const struct pf_field bwelcome_f[] = {
	F_ENUM("channel", M, channel, R, pf_channel_words),
	F_INT("time", M, time, R, 0, SAFE),
};
static const struct pf_field bopened_f[] = {
	CONTACT,
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("position", M, position, R, 0, SAFE),
};
static const struct pf_field bmessage_f[] = { CONTACT, MESSAGE_FIELDS(M, msg.) };
static const struct pf_field back_f[] = {
	CONTACT,
	F_STR("client_msg_id", M, client_msg_id, R, 1, PROTO_MAX_ID),
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_INT("id", M, id, R, 1, SAFE),
	F_INT("seq", M, seq, R, 1, SAFE),
	F_INT("time", M, time, R, 0, SAFE),
};
static const struct pf_field bclosed_f[] = {
	CONTACT,
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_ENUM("by", M, by, R, pf_closer_words),
};

static const struct pf_field file_link_req_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("file", M, file, R, 1, PROTO_MAX_ID),
};
static const struct pf_field file_link_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("file", M, file, R, 1, PROTO_MAX_ID),
	F_STR("path", M, path, R, 1, 512),
	F_INT("expires", M, expires, R, 0, SAFE),
};
static const struct pf_field ticket_req_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
};
static const struct pf_field ticket_f[] = {
	F_INT("dialog", M, dialog, R, 1, SAFE),
	F_STR("ticket", M, token, R, 1, PROTO_MAX_ID),
	F_INT("expires", M, expires, R, 0, SAFE),
};

#define A2H PROTO_DIR_BIT(PROTO_AGENT_TO_HUB)
#define H2A PROTO_DIR_BIT(PROTO_HUB_TO_AGENT)
#define C2H PROTO_DIR_BIT(PROTO_CUSTOMER_TO_HUB)
#define H2C PROTO_DIR_BIT(PROTO_HUB_TO_CUSTOMER)
#define B2H PROTO_DIR_BIT(PROTO_BRIDGE_TO_HUB)
#define H2B PROTO_DIR_BIT(PROTO_HUB_TO_BRIDGE)
#define T(ty, dirs, nm, f) { ty, dirs, SCHEMA(nm, f) }

const struct pf_type pf_types[] = {
	T(PROTO_HELLO, A2H, "hello", hello_f),
	T(PROTO_SEND, A2H, "send", send_f),
	T(PROTO_TYPING, A2H | H2A, "typing", typing_f),
	T(PROTO_TAKE, A2H, "take", take_f),
	T(PROTO_CLOSE, A2H, "close", close_f),
	T(PROTO_TRANSFER, A2H, "transfer", transfer_f),
	T(PROTO_STATUS, A2H | H2A, "status", status_f),
	T(PROTO_WELCOME, H2A, "welcome", welcome_f),
	T(PROTO_QUEUE, H2A, "queue", queue_f),
	T(PROTO_ASSIGNED, H2A, "assigned", assigned_f),
	T(PROTO_MESSAGE, H2A, "message", message_f),
	T(PROTO_MESSAGE, H2C, "message", cmessage_f),
	T(PROTO_ACK, H2A | H2C, "ack", ack_f),
	T(PROTO_CLOSED, H2A | H2C, "closed", closed_f),
	T(PROTO_RATING, H2A, "rating", rating_f),
	T(PROTO_RELEASED, H2A, "released", released_f),
	T(PROTO_ERROR, H2A | H2C | H2B, "error", error_f),
	T(PROTO_OPEN, C2H, "open", open_f),
	T(PROTO_CSAY, C2H, "message", csay_f),
	T(PROTO_CTYPING, C2H, "typing", on_f),
	T(PROTO_RATE, C2H, "rate", rate_f),
	T(PROTO_OPENED, H2C, "opened", opened_f),
	T(PROTO_OPTYPING, H2C, "typing", on_f),
	T(PROTO_CLAIM, A2H, "claim", claim_f),
	T(PROTO_MONITOR, A2H, "monitor", monitor_f),
	T(PROTO_WATCH, A2H, "watch", watch_f),
	T(PROTO_WHISPER, A2H, "whisper", whisper_f),
	T(PROTO_TAKEOVER, A2H, "takeover", takeover_f),
	T(PROTO_BOARD, H2A, "board", board_f),
	T(PROTO_WATCHING, H2A, "watching", assigned_f),
	T(PROTO_DIALOGS, A2H, "dialogs", dialogs_f),
	T(PROTO_DIALOG_LIST, H2A, "dialogs", dialog_list_f),
	T(PROTO_RESUME, C2H, "resume", resume_f),
	T(PROTO_RESUMED, H2C, "resumed", resumed_f),
	{ PROTO_TARGETS, A2H, { .name = "targets", .fields = NULL, .n_fields = 0 } }, /* a request without fields */
	T(PROTO_TARGETS, H2A, "targets", targets_f),
	T(PROTO_ALERT, H2A, "alert", alert_f),
	T(PROTO_WATCHERS, H2A, "watchers", watchers_f),
	T(PROTO_CUSTOMER_ASK, A2H, "customer", customer_ask_f),
	T(PROTO_CARD, H2A, "customer", card_f),
	T(PROTO_HISTORY, A2H, "history", history_f),
	T(PROTO_HISTORY_ANSWER, H2A, "history", history_answer_f),
	T(PROTO_BLOCK, A2H, "block", block_f),
	T(PROTO_BLOCKED, H2A, "blocked", blocked_f),
	T(PROTO_FILE_LINK, A2H, "file_link", file_link_req_f),
	T(PROTO_FILE_LINK, H2A, "file_link", file_link_f),
	T(PROTO_UPLOAD_TICKET, A2H, "upload_ticket", ticket_req_f),
	T(PROTO_UPLOAD_TICKET, H2A, "upload_ticket", ticket_f),
	T(PROTO_TRANSCRIPT, C2H, "transcript", transcript_f),
	T(PROTO_TRANSCRIPT, H2C, "transcript", transcript_queued_f),
	T(PROTO_AVAILABILITY, H2C, "availability", availability_f),
	T(PROTO_LEAVE_REQUEST, C2H, "leave_request", leave_request_f),
	T(PROTO_REQUEST_LEFT, H2C, "request_left", request_left_f),
	T(PROTO_REQUEST_STATUS, C2H, "request_status", request_status_ask_f),
	T(PROTO_REQUEST_STATUS, H2C, "request_status", request_status_f),
	T(PROTO_REQUESTS, H2A, "requests", requests_f),
	T(PROTO_TAKE_REQUEST, A2H, "take_request", request_id_f),
	T(PROTO_ANSWER_REQUEST, A2H, "answer_request", answer_request_f),
	T(PROTO_REQUEST_ANSWERED, H2A, "request_answered", request_id_f),
	T(PROTO_HELLO, B2H, "hello", bhello_f),
	T(PROTO_CSAY, B2H, "message", bsay_f),
	T(PROTO_CTYPING, B2H, "typing", btyping_f),
	T(PROTO_RATE, B2H, "rate", brate_f),
	T(PROTO_WELCOME, H2B, "welcome", bwelcome_f),
	T(PROTO_OPENED, H2B, "opened", bopened_f),
	T(PROTO_MESSAGE, H2B, "message", bmessage_f),
	T(PROTO_ACK, H2B, "ack", back_f),
	T(PROTO_OPTYPING, H2B, "typing", btyping_f),
	T(PROTO_CLOSED, H2B, "closed", bclosed_f),
};
const size_t pf_n_types = sizeof pf_types / sizeof *pf_types;

const struct pf_type *pf_type_find(enum proto_dir dir, const char *name)
{
	for (size_t i = 0; i < pf_n_types; i++)
		if ((pf_types[i].dirs & PROTO_DIR_BIT(dir)) && strcmp(pf_types[i].schema.name, name) == 0)
			return &pf_types[i];
	return NULL;
}

const struct pf_type *pf_type_lookup(enum proto_dir dir, enum proto_type type)
{
	for (size_t i = 0; i < pf_n_types; i++)
		if (pf_types[i].type == type && (pf_types[i].dirs & PROTO_DIR_BIT(dir)))
			return &pf_types[i];
	return NULL;
}

bool proto_travels(enum proto_dir dir, enum proto_type t)
{
	return pf_type_lookup(dir, t) != NULL;
}

/* proto_words.c: the words the protocol uses on the wire for its enums, and lookups both ways. */
#include "proto_schema.h"

#include <string.h>
#include <time.h>

const char *const pf_channel_words[PROTO_CH_COUNT] = { "web", "telegram", "vk" };
const char *const pf_sender_words[PROTO_FROM_COUNT] = { "customer", "operator", "system", "note" };
const char *const pf_role_words[PROTO_ROLE_COUNT] = { "operator", "supervisor", "admin" };
const char *const pf_claim_words[PROTO_CLAIM_COUNT] = { "quality", "completeness", "delivery", "service" };
const char *const pf_status_words[PROTO_ST_COUNT] = { "online", "away" };
const char *const pf_dstate_words[PROTO_DS_COUNT] = { "queued", "assigned", "closed" };
const char *const pf_contact_words[PROTO_CONTACT_COUNT] = { "email", "phone", "messenger" };
const char *const pf_rstate_words[PROTO_RS_COUNT] = { "open", "taken", "answered" };
const char *const pf_closer_words[PROTO_BY_COUNT] = { "operator", "customer", "system" };
const char *const pf_errcode_words[PROTO_E_COUNT] = {
	"ok", "too_large", "bad_utf8", "malformed", "too_deep", "not_object", "missing_type",
	"unknown_type", "missing_field", "unknown_field", "wrong_type", "out_of_range", "too_long",
	"empty", "auth_failed", "not_authenticated", "not_allowed", "no_such_dialog", "dialog_closed",
	"queue_empty", "capacity", "bad_topic", "conflict", "rate_limited", "storage", "internal",
};

static const char *const proto_type_words[PROTO_TYPE_COUNT] = {
	[PROTO_NONE] = "none", [PROTO_HELLO] = "hello", [PROTO_SEND] = "send",
	[PROTO_TYPING] = "typing", [PROTO_TAKE] = "take", [PROTO_CLOSE] = "close",
	[PROTO_TRANSFER] = "transfer", [PROTO_STATUS] = "status", [PROTO_WELCOME] = "welcome",
	[PROTO_QUEUE] = "queue", [PROTO_ASSIGNED] = "assigned", [PROTO_MESSAGE] = "message",
	[PROTO_ACK] = "ack", [PROTO_CLOSED] = "closed", [PROTO_RATING] = "rating",
	[PROTO_RELEASED] = "released", [PROTO_ERROR] = "error", [PROTO_OPEN] = "open",
	[PROTO_CSAY] = "message", [PROTO_CTYPING] = "typing", [PROTO_RATE] = "rate",
	[PROTO_OPENED] = "opened", [PROTO_OPTYPING] = "typing", [PROTO_CLAIM] = "claim",
	[PROTO_MONITOR] = "monitor", [PROTO_WATCH] = "watch", [PROTO_WHISPER] = "whisper",
	[PROTO_TAKEOVER] = "takeover", [PROTO_BOARD] = "board", [PROTO_WATCHING] = "watching",
	[PROTO_RESUME] = "resume", [PROTO_RESUMED] = "resumed", [PROTO_DIALOGS] = "dialogs",
	[PROTO_DIALOG_LIST] = "dialogs", [PROTO_TARGETS] = "targets", [PROTO_ALERT] = "alert",
	[PROTO_WATCHERS] = "watchers",
	[PROTO_CUSTOMER_ASK] = "customer", [PROTO_CARD] = "customer", [PROTO_HISTORY] = "history",
	[PROTO_HISTORY_ANSWER] = "history", [PROTO_BLOCK] = "block", [PROTO_BLOCKED] = "blocked",
	[PROTO_FILE_LINK] = "file_link",
	[PROTO_UPLOAD_TICKET] = "upload_ticket",
	[PROTO_TRANSCRIPT] = "transcript",
	[PROTO_AVAILABILITY] = "availability",
	[PROTO_LEAVE_REQUEST] = "leave_request",
	[PROTO_REQUEST_LEFT] = "request_left",
	[PROTO_REQUEST_STATUS] = "request_status",
	[PROTO_REQUESTS] = "requests",
	[PROTO_TAKE_REQUEST] = "take_request",
	[PROTO_ANSWER_REQUEST] = "answer_request",
	[PROTO_REQUEST_ANSWERED] = "request_answered",
};

const char *const proto_topics[] = { "order", "company", "product", "returns", "site", "stylist", "other" };
const size_t proto_n_topics = sizeof proto_topics / sizeof *proto_topics;

static const char *word_at(const char *const *words, int n, int i)
{
	return i >= 0 && i < n ? words[i] : "?";
}

static int word_find(const char *const *words, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

const char *proto_type_name(enum proto_type t)
{
	return word_at(proto_type_words, PROTO_TYPE_COUNT, (int)t);
}

const char *proto_channel_name(enum proto_channel c)
{
	return word_at(pf_channel_words, PROTO_CH_COUNT, (int)c);
}

int proto_channel_parse(const char *s)
{
	return word_find(pf_channel_words, PROTO_CH_COUNT, s);
}

const char *proto_sender_name(enum proto_sender s)
{
	return word_at(pf_sender_words, PROTO_FROM_COUNT, (int)s);
}

const char *proto_role_name(enum proto_role r)
{
	return word_at(pf_role_words, PROTO_ROLE_COUNT, (int)r);
}

int proto_role_parse(const char *s)
{
	return word_find(pf_role_words, PROTO_ROLE_COUNT, s);
}

const char *proto_status_name(enum proto_status s)
{
	return word_at(pf_status_words, PROTO_ST_COUNT, (int)s);
}

const char *proto_dstate_name(enum proto_dstate s)
{
	return word_at(pf_dstate_words, PROTO_DS_COUNT, (int)s);
}

const char *proto_closer_name(enum proto_closer b)
{
	return word_at(pf_closer_words, PROTO_BY_COUNT, (int)b);
}

const char *proto_errcode_name(enum proto_errcode c)
{
	return word_at(pf_errcode_words, PROTO_E_COUNT, (int)c);
}

int proto_errcode_parse(const char *s)
{
	return word_find(pf_errcode_words, PROTO_E_COUNT, s);
}

bool proto_topic_valid(const char *topic)
{
	return word_find(proto_topics, (int)proto_n_topics, topic) >= 0;
}

int64_t proto_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int proto_dstate_parse(const char *s)
{
	return word_find(pf_dstate_words, PROTO_DS_COUNT, s);
}

const char *proto_claim_name(enum proto_claim c)
{
	return word_at(pf_claim_words, PROTO_CLAIM_COUNT, (int)c);
}

int proto_claim_parse(const char *s)
{
	return word_find(pf_claim_words, PROTO_CLAIM_COUNT, s);
}

const char *proto_contact_kind_name(enum proto_contact_kind k)
{
	return word_at(pf_contact_words, PROTO_CONTACT_COUNT, (int)k);
}

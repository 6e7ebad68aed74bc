/* hub_transcript.c: a closed chat's transcript as a mail to its customer (docs/protocol.md, `transcript`): the
 * customer's and operators' messages and the hub's system lines the customer saw, each with its time in the
 * hub's local time zone, in the hub's language; never notes, whispers or the lines about the customer leaving
 * and coming back. Queued in the outbox (hub_mail.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub_core.h"
#include "hub_mail.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define PRESENCE_ID "hub:presence" /* (hub_customer.c marks its presence lines so) */

struct text_buf {
	char *s;
	size_t len, cap;
};

static void add(struct text_buf *b, const char *s, size_t n)
{
	b->s = xgrow(b->s, &b->cap, b->len + n + 1, 1);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void adds(struct text_buf *b, const char *s)
{
	add(b, s, strlen(s));
}

static void stamp(char *out, size_t size, int64_t ms, const char *fmt)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, size, fmt, &tm);
}

/* The name an operator's message shows: the display name, else the user name. */
static char *operator_name(struct hub *h, const char *user)
{
	struct hub_db_operator o;
	if (user && hub_db_operator_by_name(h->db, user, &o) == HUB_DB_OK) {
		char *name = xstrdup(o.display && *o.display ? o.display : o.name);
		hub_db_operator_free(&o);
		return name;
	}
	return xstrdup(user ? user : i18n_gettext_in(h->lang, N_("Operator")));
}

static void add_message(struct hub *h, struct text_buf *b, const struct proto_message *m)
{
	char when[32];
	stamp(when, sizeof when, m->time, "%H:%M");
	adds(b, when);
	if (m->sender == PROTO_FROM_SYSTEM)
		adds(b, " — ");
	else {
		char *who = m->sender == PROTO_FROM_OPERATOR ? operator_name(h, m->author)
							     : xstrdup(m->author ? m->author : "?");
		adds(b, " ");
		adds(b, who);
		adds(b, ": ");
		free(who);
	}
	/* the text, further lines indented (CRs dropped: LF is the line end) */
	for (const char *p = m->text; *p; p++) {
		if (*p == '\r')
			continue;
		add(b, p, 1);
		if (*p == '\n')
			adds(b, "      ");
	}
	adds(b, "\n");
}

int hub_transcript_queue(struct hub *h, int64_t dialog, const char *customer, int64_t opened, const char *to,
			 int64_t now)
{
	struct text_buf b = { 0 };
	char day[64];
	stamp(day, sizeof day, opened, "%d.%m.%Y %H:%M");
	char *head = xasprintf(i18n_gettext_in(h->lang, N_("Transcript of chat %lld (%s), opened %s")),
			       (long long)dialog, customer, day);
	adds(&b, head);
	adds(&b, "\n\n");
	free(head);
	int64_t after = 0;
	for (;;) {
		struct proto_message *v;
		size_t n;
		if (hub_db_history_after(h->db, dialog, after, PROTO_MAX_ITEMS, &v, &n) != HUB_DB_OK) {
			free(b.s);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			bool presence = v[i].sender == PROTO_FROM_SYSTEM && v[i].client_msg_id &&
					strcmp(v[i].client_msg_id, PRESENCE_ID) == 0;
			if (v[i].sender != PROTO_FROM_NOTE && !presence)
				add_message(h, &b, &v[i]);
		}
		if (n)
			after = v[n - 1].seq;
		hub_db_messages_free(v, n);
		if (n < PROTO_MAX_ITEMS)
			break;
	}
	char *subject = xasprintf(i18n_gettext_in(h->lang, N_("Transcript of your chat %lld")), (long long)dialog);
	int rc = hub_mail_queue(h, to, "transcript", dialog, subject, b.s, now);
	free(subject);
	free(b.s);
	return rc;
}

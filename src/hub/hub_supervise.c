/* hub_supervise.c: what supervisors (and admins) may do on the agent endpoint, and nobody else: the live
 * board (`monitor`: every operator's presence and load, the queue, today's figures, pushed at most once a
 * second while something changes), one operator's open dialogs (`dialogs`, to pick from), read-only views of
 * any dialog (`watch`: the dialog, then its messages, ratings and close as they happen), `whisper` (a note
 * only the dialog's operator sees) and `takeover` (the dialog moves to the supervisor, the operator is told).
 * These are the agent endpoint's rows flagged HUB_FRAME_SUPERVISOR: the dispatcher checks the role before each
 * (an operator's are refused), and none of these events is ever sent to an operator's connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/log.h"
#include "opdesk/textsafe.h"
#include "opdesk/xalloc.h"

#define MAX_WATCHED 16        /* dialogs one connection watches at once */

/* ---- watching ---- */

/* Who watches `dialog`, for its operator (the watched dialog's events go to each: hub_watchers). */
void hub_watchers_tell(struct hub *h, int64_t dialog, struct hub_session *to, bool always)
{
	if (!to) {
		int64_t op = hub_router_holder(h->router, dialog);
		to = op ? hub_agent_session(h, op) : NULL;
	}
	if (!to || (!always && !h->n_watchers))
		return;
	struct proto_person by[MAX_WATCHED];
	size_t n = 0;
	for (size_t i = 0; i < h->n_watchers && n < MAX_WATCHED; i++) {
		struct hub_session *w = h->watchers[i];
		if (w != to && hub_session_watches(w, dialog))
			by[n++] = (struct proto_person){ .user = w->user,
							 .display = w->display && *w->display ? w->display : NULL };
	}
	if (!n && !always)
		return;
	struct proto_msg out = { .type = PROTO_WATCHERS, .dialog = dialog, .people = by, .n_people = n };
	hub_send(h, to, &out);
}

static void unwatch(struct hub *h, struct hub_session *s, int64_t dialog)
{
	bool was = false;
	for (size_t i = 0; i < s->n_watching; i++) {
		if (s->watching[i] == dialog) {
			s->watching[i] = s->watching[--s->n_watching];
			was = true;
			break;
		}
	}
	if (!s->n_watching) {
		for (size_t i = 0; i < h->n_watchers; i++) {
			if (h->watchers[i] == s) {
				h->watchers[i] = h->watchers[--h->n_watchers];
				break;
			}
		}
	}
	if (was)
		hub_watchers_tell(h, dialog, NULL, true);
}

void hub_sup_watch(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	if (!m->on) {
		unwatch(h, s, m->dialog);
		return;
	}
	if (!hub_session_watches(s, m->dialog) && s->n_watching >= MAX_WATCHED) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "watch", "at most %d dialogs can be watched at once",
			       MAX_WATCHED);
		return;
	}
	struct proto_dialog d;
	int rc = hub_load_dialog(h, m->dialog, -1, &d, NULL);
	if (rc != HUB_DB_OK) {
		if (rc == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, "watch", "dialog %lld does not exist",
				       (long long)m->dialog);
		else
			hub_send_error(h, s, PROTO_E_INTERNAL, "watch", "the dialog cannot be read; try again later");
		return;
	}
	struct proto_msg out = { .type = PROTO_WATCHING, .dialogs = &d, .n_dialogs = 1 };
	hub_send(h, s, &out);
	hub_dialog_clear(&d);
	if (hub_session_watches(s, m->dialog))
		return;
	if (!s->n_watching) {
		h->watchers = xgrow(h->watchers, &h->cap_watchers, h->n_watchers + 1, sizeof *h->watchers);
		h->watchers[h->n_watchers++] = s;
	}
	s->watching = xgrow(s->watching, &s->cap_watching, s->n_watching + 1, sizeof *s->watching);
	s->watching[s->n_watching++] = m->dialog;
	hub_watchers_tell(h, m->dialog, NULL, true);
}

/* ---- an operator's dialogs ---- */

/* What a supervisor picks from to watch or take over: the open dialogs of one operator. */
void hub_sup_dialogs(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(h->db, m->operator_name, &o);
	if (rc != HUB_DB_OK) {
		char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_NAME * 4)];
		if (rc == HUB_DB_NOT_FOUND)
			hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "dialogs", "there is no operator \"%s\"",
				       textsafe_line(safe, sizeof safe, m->operator_name));
		else
			hub_send_error(h, s, PROTO_E_INTERNAL, "dialogs", "the account database cannot be read");
		return;
	}
	int64_t ids[16];
	size_t n = hub_router_held(h->router, o.id, ids, 16);
	if (n > 16)
		n = 16;
	hub_db_operator_free(&o);
	struct proto_msg out = { .type = PROTO_DIALOG_LIST, .operator_name = m->operator_name };
	out.items = xcalloc(n ? n : 1, sizeof *out.items);
	for (size_t i = 0; i < n; i++) {
		struct hub_db_dialog row;
		if (hub_db_dialog_get(h->db, ids[i], &row) != HUB_DB_OK)
			continue;
		out.items[out.n_items++] = (struct proto_queue_item){
			.dialog = row.d.id,
			.customer = xstrdup(row.d.customer),
			.channel = row.d.channel,
			.queue = xstrdup(row.d.queue),
			.since = row.d.opened,
			.preview = xstrdup(""),
		};
		hub_db_dialog_free(&row);
	}
	hub_send(h, s, &out);
	for (size_t i = 0; i < out.n_items; i++)
		proto_queue_item_free(&out.items[i]);
	free(out.items);
}

/* ---- whisper and takeover ---- */

/* The operator holding an open dialog, or 0 with the error sent. */
static int64_t holder_of(struct hub *h, struct hub_session *s, int64_t dialog, const char *ref)
{
	int64_t op = hub_router_holder(h->router, dialog);
	if (op > 0)
		return op;
	struct hub_db_dialog row;
	int rc = hub_db_dialog_get(h->db, dialog, &row);
	if (rc == HUB_DB_NOT_FOUND)
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld does not exist", (long long)dialog);
	else if (rc != HUB_DB_OK)
		hub_send_error(h, s, PROTO_E_INTERNAL, ref, "the dialog cannot be read; try again later");
	else if (row.d.state == PROTO_DS_CLOSED)
		hub_send_error(h, s, PROTO_E_DIALOG_CLOSED, ref, "dialog %lld is closed", (long long)dialog);
	else
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, ref, "dialog %lld has no operator now (it waits in the queue)",
			       (long long)dialog);
	if (rc == HUB_DB_OK)
		hub_db_dialog_free(&row);
	return 0;
}

void hub_sup_whisper(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	const char *ref = hub_ref(m);
	int64_t op = holder_of(h, s, m->dialog, ref);
	if (!op)
		return;
	struct proto_message msg;
	struct proto_sysargs args = { .name = (char *)hub_session_display(s), .user = s->user };
	int rc = hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, m->text, HUB_KIND_WHISPER, &args,
				    m->client_msg_id, now, &msg);
	if (rc == HUB_DB_CONFLICT) {
		hub_send_error(h, s, PROTO_E_CONFLICT, ref, "client_msg_id \"%s\" was already used in another dialog",
			       m->client_msg_id);
		return;
	}
	if (rc != HUB_DB_OK && rc != HUB_DB_EXISTS) {
		hub_batch_doubt(h, m->client_msg_id);
		hub_send_error(h, s, PROTO_E_STORAGE, ref, "the whisper was not stored (database write failed); retry");
		return;
	}
	struct proto_msg ack = { .type = PROTO_ACK, .client_msg_id = msg.client_msg_id, .dialog = msg.dialog,
				 .id = msg.id, .seq = msg.seq, .time = msg.time };
	hub_send(h, s, &ack);
	/* a retry was delivered the first time, unless that write failed and stored it after all */
	if (rc == HUB_DB_OK || hub_batch_in_doubt(h, msg.client_msg_id)) {
		log_info("dialog %lld: %s whispers to its operator", (long long)m->dialog, s->user);
		hub_db_audit_add(h->db, now, s->user, "whisper", m->dialog, NULL);
		struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
		struct hub_session *agent = hub_agent_session(h, op);
		if (agent && agent != s)
			hub_send(h, agent, &out);
		hub_watchers(h, m->dialog, &out);
	}
	hub_db_message_clear(&msg);
}

/* prefix + name in at most size - 1 bytes, cut on a character boundary (a reason is a word: 64 bytes). */
static void reason_cut(char *out, size_t size, const char *prefix, const char *name)
{
	size_t n = (size_t)snprintf(out, size, "%s%s", prefix, name);
	if (n < size)
		return;
	n = size - 1;
	while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80) /* out[n] continues a character: cut before it */
		n--;
	out[n] = '\0';
}

void hub_sup_takeover(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t from = holder_of(h, s, m->dialog, "takeover");
	if (!from)
		return;
	if (from == s->op) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "takeover", "the dialog is already yours");
		return;
	}
	struct hub_decisions d = { 0 };
	enum hub_route_result r = hub_router_transfer_to_operator(h->router, m->dialog, s->op, now, &d);
	if (r == HUB_ROUTE_CAPACITY) {
		hub_send_error(h, s, PROTO_E_CAPACITY, "takeover", "you already have %d chats, your limit",
			       hub_router_load(h->router, s->op));
		hub_decisions_free(&d);
		return;
	}
	if (r != HUB_ROUTE_OK) {
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "takeover", "set your status to online first");
		hub_decisions_free(&d);
		return;
	}
	char *note = xasprintf(hub_text(h, HT_TAKEN_OVER), hub_session_display(s));
	struct proto_sysargs args = { .name = (char *)hub_session_display(s), .user = s->user };
	if (hub_db_line_append(h->db, m->dialog, PROTO_FROM_NOTE, s->user, note, HUB_KIND_TAKEN_OVER, &args, NULL, now,
			       NULL) != HUB_DB_OK)
		log_error("dialog %lld: the takeover note was not stored: %s", (long long)m->dialog, hub_db_errmsg(h->db));
	free(note);
	log_info("dialog %lld: %s takes it over", (long long)m->dialog, s->user);
	hub_db_audit_add(h->db, now, s->user, "takeover", m->dialog, NULL);
	struct hub_session *old = hub_agent_session(h, from);
	if (old) {
		char reason[PROTO_MAX_ID + 1];
		reason_cut(reason, sizeof reason, "taken over by ", hub_session_display(s));
		struct proto_msg out = { .type = PROTO_RELEASED,
					 .dialog = m->dialog,
					 .reason = reason,
					 .kind = (char *)HUB_KIND_TAKEN_OVER,
					 .args = args };
		hub_send(h, old, &out);
	}
	unwatch(h, s, m->dialog); /* it is the supervisor's own dialog now: its events come as to any holder */
	hub_apply(h, &d, now);
	hub_decisions_free(&d);
}

/* monitor on: a whole board at once (again when already on), then the day's alerts; then boards on changes
 * (deltas when asked) and each alert as it happens. */
void hub_sup_monitor(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (m->on) {
		if (!s->monitoring)
			h->n_monitors++;
		s->monitoring = true;
		s->board_delta = m->delta;
		hub_board_first(h, s, now);
		hub_alerts_send_kept(h, s, now);
	} else if (s->monitoring) {
		s->monitoring = false;
		h->n_monitors--;
		hub_board_session_closed(h, s);
	}
}

void hub_supervise_closed(struct hub *h, struct hub_session *s)
{
	if (s->monitoring) {
		s->monitoring = false;
		h->n_monitors--;
	}
	hub_board_session_closed(h, s);
	while (s->n_watching)
		unwatch(h, s, s->watching[0]);
}

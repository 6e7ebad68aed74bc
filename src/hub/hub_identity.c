/* hub_identity.c: the agent endpoint's rows about who the customer is (docs/protocol.md, "Who the customer is"
 * and "Blocking"): the card of a dialog's customer, any chat of that customer read-only, and blocking it. An
 * operator may ask about the dialogs it holds (and read its customers' other chats); a supervisor or admin about
 * any. */
#include <stdlib.h>
#include <string.h>

#include "hub_core.h"
#include "hub_endpoint.h"
#include "opdesk/log.h"
#include "opdesk/textsafe.h"

#define HISTORY_MAX PROTO_MAX_ITEMS          /* messages in one `history` answer */
#define BLOCK_ADDRESS_MS (24LL * 3600 * 1000) /* how long a block holds the customer's address too */

static bool overseer(const struct hub_session *s)
{
	return s->role == PROTO_ROLE_SUPERVISOR || s->role == PROTO_ROLE_ADMIN;
}

/* The customer of `dialog`, when `s` may see it: else an error was sent and 0 returned. */
static int64_t customer_for(struct hub *h, struct hub_session *s, int64_t dialog, const char *ref)
{
	if (!overseer(s) && hub_router_holder(h->router, dialog) != s->op) {
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld is not one of yours", (long long)dialog);
		return 0;
	}
	int64_t customer = 0;
	int rc = hub_db_dialog_customer(h->db, dialog, &customer);
	if (rc == HUB_DB_ERROR)
		hub_send_error(h, s, PROTO_E_INTERNAL, ref, "the database cannot be read; try again later");
	else if (rc == HUB_DB_NOT_FOUND || !customer)
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, "dialog %lld has no known customer", (long long)dialog);
	return rc == HUB_DB_OK ? customer : 0;
}

void hub_id_card(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	int64_t customer = customer_for(h, s, m->dialog, "customer");
	if (!customer)
		return;
	struct proto_msg card;
	if (hub_db_customer_card(h->db, customer, m->dialog, &card) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "customer", "the customer's card cannot be read; try again later");
		return;
	}
	card.dialog = m->dialog;
	hub_send(h, s, &card);
	proto_msg_free(&card);
}

/* Does operator `s` hold a dialog of this customer now? */
static int holds_customer(struct hub *h, struct hub_session *s, int64_t customer, bool *holds)
{
	*holds = false;
	int64_t *ids = NULL;
	size_t n = 0;
	if (hub_db_dialogs_of_operator(h->db, s->op, &ids, &n) != HUB_DB_OK)
		return HUB_DB_ERROR;
	for (size_t i = 0; i < n && !*holds; i++) {
		int64_t c = 0;
		if (hub_db_dialog_customer(h->db, ids[i], &c) == HUB_DB_OK && c == customer)
			*holds = true;
	}
	free(ids);
	return HUB_DB_OK;
}

void hub_id_history(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	(void)now;
	struct hub_db_dialog row;
	int rc = hub_db_dialog_get(h->db, m->dialog, &row);
	if (rc != HUB_DB_OK) {
		if (rc == HUB_DB_ERROR)
			hub_send_error(h, s, PROTO_E_INTERNAL, "history", "the database cannot be read; try again later");
		else
			hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, "history", "no dialog %lld", (long long)m->dialog);
		return;
	}
	bool allowed = overseer(s) || hub_router_holder(h->router, m->dialog) == s->op;
	if (!allowed && row.customer_id && holds_customer(h, s, row.customer_id, &allowed) != HUB_DB_OK) {
		hub_db_dialog_free(&row);
		hub_send_error(h, s, PROTO_E_INTERNAL, "history", "the database cannot be read; try again later");
		return;
	}
	if (!allowed) {
		hub_db_dialog_free(&row);
		hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, "history",
			       "dialog %lld is not a chat of a customer you are talking to", (long long)m->dialog);
		return;
	}
	struct proto_msg out = { .type = PROTO_HISTORY_ANSWER, .dialogs = &row.d, .n_dialogs = 1 };
	if (hub_db_history_after(h->db, m->dialog, m->after, HISTORY_MAX, &out.messages, &out.n_messages) != HUB_DB_OK) {
		hub_db_dialog_free(&row);
		hub_send_error(h, s, PROTO_E_INTERNAL, "history", "the chat cannot be read; try again later");
		return;
	}
	hub_send(h, s, &out);
	hub_db_messages_free(out.messages, out.n_messages);
	hub_db_dialog_free(&row);
}

void hub_id_block(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	int64_t customer = customer_for(h, s, m->dialog, "block");
	if (!customer)
		return;
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, m->dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "block", "the database cannot be read; try again later");
		return;
	}
	bool open = row.d.state != PROTO_DS_CLOSED;
	char *token = NULL, *address = NULL;
	int64_t id = 0;
	bool ok = hub_db_customer_token(h->db, customer, &token, &address) == HUB_DB_OK;
	free(token);
	ok = ok && hub_db_begin(h->db) == HUB_DB_OK;
	if (ok) {
		ok = hub_db_block_add(h->db, customer, row.d.channel == PROTO_CH_WEB ? address : NULL,
				      now + BLOCK_ADDRESS_MS, m->reason, s->user, m->dialog, now, &id) == HUB_DB_OK;
		char detail[64 + PROTO_MAX_NOTE];
		snprintf(detail, sizeof detail, "block %lld, customer %lld: %s", (long long)id, (long long)customer,
			 m->reason);
		ok = ok && hub_db_audit_add(h->db, now, s->user, "block", m->dialog, detail) == HUB_DB_OK;
		if (ok)
			ok = hub_db_commit(h->db) == HUB_DB_OK;
		else
			hub_db_rollback(h->db);
	}
	free(address);
	hub_db_dialog_free(&row);
	if (!ok) {
		hub_send_error(h, s, PROTO_E_STORAGE, "block", "the customer was not blocked (database write failed); retry");
		return;
	}
	char safe[TEXTSAFE_LINE_SIZE(PROTO_MAX_NOTE)];
	log_info("%s blocked customer %lld of dialog %lld (block %lld): %s", s->user, (long long)customer,
		 (long long)m->dialog, (long long)id, textsafe_line(safe, sizeof safe, m->reason));
	if (open && hub_dialog_close(h, m->dialog, "other", PROTO_BY_OPERATOR, s->user, now) != HUB_DB_OK)
		log_warn("dialog %lld stays open after its customer was blocked: %s", (long long)m->dialog,
			 hub_db_errmsg(h->db));
	struct proto_msg out = { .type = PROTO_BLOCKED, .dialog = m->dialog, .id = id };
	hub_send(h, s, &out);
}

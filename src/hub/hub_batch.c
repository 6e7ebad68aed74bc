/* hub_batch.c: group commit. The messages written in one loop pass share one SQLite transaction and one
 * durable commit (one fsync for all of them instead of one each: at 1,000 messages a second, serial
 * commits queue up behind each other). Their acks and forwards wait in the connections' queues
 * (hub_server_hold) until that commit; then they are sent, or, when the commit fails, dropped and each
 * sender gets a `storage` error instead and resends with the same client_msg_id. Any other write (routing,
 * sign-ins, closes...) commits the open batch first (hub_batch_flush), so that nothing but plain message
 * appends, whose only effect is the stored row, is ever undone.
 * A failed commit is not always an undone one: on PostgreSQL a connection lost during the COMMIT leaves its
 * outcome unknown (the server may have committed it, and a synchronous standby have it). The ids of a failed
 * batch's messages are kept (the last DOUBT_MAX), so that when one is sent again and found stored, its sender
 * gets the ack and everyone else the copy that the first time never sent (hub_batch_in_doubt). */
#include <stdlib.h>
#include <string.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define DOUBT_MAX 4096

void hub_batch_doubt(struct hub *h, const char *client_msg_id)
{
	if (!client_msg_id)
		return;
	char *id = xstrdup(client_msg_id);
	if (h->n_doubt == DOUBT_MAX) { /* the oldest goes: its sender has long given up or sent it again */
		free(h->doubt[0]);
		memmove(h->doubt, h->doubt + 1, --h->n_doubt * sizeof *h->doubt);
	}
	h->doubt = xgrow(h->doubt, &h->cap_doubt, h->n_doubt + 1, sizeof *h->doubt);
	h->doubt[h->n_doubt++] = id;
}

bool hub_batch_in_doubt(struct hub *h, const char *client_msg_id)
{
	for (size_t i = h->n_doubt; client_msg_id && i-- > 0;)
		if (strcmp(h->doubt[i], client_msg_id) == 0) {
			free(h->doubt[i]);
			memmove(h->doubt + i, h->doubt + i + 1, (--h->n_doubt - i) * sizeof *h->doubt);
			return true;
		}
	return false;
}

void hub_batch_join(struct hub *h)
{
	if (!hub_db_batch_open(h->db) && hub_db_batch_begin(h->db) != HUB_DB_OK)
		return; /* no batch: the operation writes (or fails) on its own, as without group commit */
	hub_server_hold(h->srv, true);
}

void hub_batch_done(struct hub *h, struct hub_session *s, const char *ref, const char *client_msg_id, bool acked)
{
	if (!hub_db_batch_open(h->db))
		return;
	hub_server_hold(h->srv, false);
	if (!acked)
		return;
	h->batch = xgrow(h->batch, &h->cap_batch, h->n_batch + 1, sizeof *h->batch);
	h->batch[h->n_batch++] = (struct hub_batch_op){ s, xstrdup(ref), client_msg_id ? xstrdup(client_msg_id) : NULL };
}

void hub_batch_flush(struct hub *h)
{
	if (!hub_db_batch_open(h->db))
		return;
	bool ok = hub_db_batch_commit(h->db) == HUB_DB_OK;
	hub_server_release(h->srv, ok);
	if (ok) {
		h->batch_commits++;
		h->batch_writes += h->n_batch;
	} else {
		log_error("%zu message(s) not stored: %s", h->n_batch, hub_db_errmsg(h->db));
	}
	for (size_t i = 0; i < h->n_batch; i++) {
		if (!ok)
			hub_send_error(h, h->batch[i].s, PROTO_E_STORAGE, h->batch[i].ref,
				       "the message was not stored (database write failed); retry");
		if (!ok)
			hub_batch_doubt(h, h->batch[i].id);
		free(h->batch[i].id);
		free(h->batch[i].ref);
	}
	h->n_batch = 0;
}

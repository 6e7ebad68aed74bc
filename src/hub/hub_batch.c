/* hub_batch.c: group commit. The messages written in one loop pass share one SQLite transaction and one
 * durable commit (one fsync for all of them instead of one each: at 1,000 messages a second, serial
 * commits queue up behind each other). Their acks and forwards wait in the connections' queues
 * (hub_server_hold) until that commit; then they are sent, or, when the commit fails, dropped and each
 * sender gets a `storage` error instead and resends with the same client_msg_id. Any other write (routing,
 * sign-ins, closes...) commits the open batch first (hub_batch_flush), so that nothing but plain message
 * appends, whose only effect is the stored row, is ever undone. */
#include <stdlib.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

void hub_batch_join(struct hub *h)
{
	if (!hub_db_batch_open(h->db) && hub_db_batch_begin(h->db) != HUB_DB_OK)
		return; /* no batch: the operation writes (or fails) on its own, as without group commit */
	hub_server_hold(h->srv, true);
}

void hub_batch_done(struct hub *h, struct hub_session *s, const char *ref, bool acked)
{
	if (!hub_db_batch_open(h->db))
		return;
	hub_server_hold(h->srv, false);
	if (!acked)
		return;
	h->batch = xgrow(h->batch, &h->cap_batch, h->n_batch + 1, sizeof *h->batch);
	h->batch[h->n_batch++] = (struct hub_batch_op){ s, xstrdup(ref) };
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
		free(h->batch[i].ref);
	}
	h->n_batch = 0;
}

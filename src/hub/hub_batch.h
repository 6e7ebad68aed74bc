/* hub_batch.h: group commit (hub_batch.c). A message append runs between hub_batch_join (opens the batch if
 * needed; the frames sent from here on are held) and hub_batch_done (acked: it sent `s` an ack for `ref` that
 * the batch's commit makes true). hub_batch_flush commits: the held frames go out, or on failure are dropped
 * and every acked operation gets a `storage` error. Call it before any write that is not a message append,
 * and once every loop pass. hub_batch_in_doubt tells whether a message sent again (its row found stored) was
 * in a commit that failed, so was never passed on. Not for use outside src/hub. */
#ifndef OPDESK_HUB_BATCH_H
#define OPDESK_HUB_BATCH_H

#include <stdbool.h>

struct hub;
struct hub_session;

void hub_batch_join(struct hub *h);
void hub_batch_done(struct hub *h, struct hub_session *s, const char *ref, const char *client_msg_id, bool acked);
void hub_batch_flush(struct hub *h);
bool hub_batch_in_doubt(struct hub *h, const char *client_msg_id); /* true once: then it is forgotten */
void hub_batch_doubt(struct hub *h, const char *client_msg_id); /* a write outside the batch failed */

#endif

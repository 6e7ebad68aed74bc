/* hub_dbwatch.h: the hub's watch on its PostgreSQL connection between operations (hub_dbwatch.c). */
#ifndef OPDESK_HUB_DBWATCH_H
#define OPDESK_HUB_DBWATCH_H

struct hub;

/* Start watching (once the server's loop exists; nothing on SQLite). */
void hub_dbwatch_start(struct hub *h);
/* After a loop pass's operations: follow a connection they lost or made again; stop a fenced hub. */
void hub_dbwatch_pass(struct hub *h);
void hub_dbwatch_free(struct hub *h);

#endif

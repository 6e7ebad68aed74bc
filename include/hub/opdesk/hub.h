/* hub.h: the hub itself (src/hub/hub.c and the endpoints below it): turns decoded frames from hub_server
 * connections into routing decisions (hub_router), durable writes (the store, hub_db) and frames pushed back to
 * operators, customers and bridges. Create it on an open store, then create the server with
 * hub_server_ops_for() and attach. */
#ifndef OPDESK_HUB_H
#define OPDESK_HUB_H

#include <stdint.h>

#include "opdesk/hub_config.h"
#include "opdesk/hub_db.h"
#include "opdesk/hub_router.h"
#include "opdesk/hub_server.h"

#include <stdbool.h>

struct hub;

/* Load the routing state (waiting and held dialogs, operators) from `db`, which the hub does not own. */
struct hub *hub_new(struct hub_db *db, const struct hub_config *cfg, char **cause);
/* The callbacks to create the server with (app = the hub). */
const struct hub_server_ops *hub_server_ops_for(void);
/* Give the hub its server (for timers); call once, right after hub_server_new. */
void hub_attach(struct hub *h, struct hub_server *srv);
void hub_free(struct hub *h);
/* Another hub took over the database (PostgreSQL) while this one's connection was down: it stopped serving
 * (the server was told to stop) and exits with a failure. */
bool hub_fenced(const struct hub *h);

#endif

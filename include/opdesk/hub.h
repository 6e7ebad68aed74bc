/* hub.h: the hub itself (src/hub/hub.c and the endpoints below it): turns decoded frames from hub_server
 * connections into routing decisions (hub_router), durable writes (the store, hub_db) and frames pushed back to
 * operators, customers and bridges. Create it on an open store, then create the server with
 * hub_server_ops_for() and attach. */
#ifndef OPDESK_HUB_H
#define OPDESK_HUB_H

#include <stdint.h>

#include "opdesk/hub_db.h"
#include "opdesk/hub_router.h"
#include "opdesk/hub_server.h"

/* Seconds an operator may stay disconnected before the dialogs it holds go back to the queue. */
#ifndef HUB_DEFAULT_GRACE_S
#define HUB_DEFAULT_GRACE_S 120
#endif

/* Failed sign-ins (wrong user, secret, role; disabled) one peer address may make in a minute before its
 * further hellos are refused without checking a secret, until that minute is over. */
#ifndef HUB_DEFAULT_SIGNIN_FAILURES
#define HUB_DEFAULT_SIGNIN_FAILURES 10
#endif
#define HUB_SIGNIN_WINDOW_S 60

struct hub_config {
	const char *lang;   /* "ru" or "en": canned replies sent in welcome and the language of system messages */
	int capacity;       /* > 0: every operator handles at most this many chats (overrides the stored capacity) */
	int grace_s;        /* see HUB_DEFAULT_GRACE_S; 0 = release at once */
	int signin_failures; /* see HUB_DEFAULT_SIGNIN_FAILURES; 0 = no limit */
	int return_window_s; /* a customer back within this many seconds of their last chat goes first; 0 = off */
	const struct hub_queue_config {
		const char *name;
		enum hub_queue_mode mode;
	} *queues;          /* queues routed other than least-loaded */
	size_t n_queues;
};

struct hub;

/* Load the routing state (waiting and held dialogs, operators) from `db`, which the hub does not own. */
struct hub *hub_new(struct hub_db *db, const struct hub_config *cfg, char **cause);
/* The callbacks to create the server with (app = the hub). */
const struct hub_server_ops *hub_server_ops_for(void);
/* Give the hub its server (for timers); call once, right after hub_server_new. */
void hub_attach(struct hub *h, struct hub_server *srv);
void hub_free(struct hub *h);

#endif

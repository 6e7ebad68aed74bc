/* hub_session.h: what the hub knows about one connection (who is on it, which dialog a customer has),
 * and the per-connection frame rate limit (a token bucket). */
#ifndef OPDESK_HUB_SESSION_H
#define OPDESK_HUB_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "opdesk/hub_server.h"
#include "opdesk/proto.h"
#include "opdesk/rate.h"

#define HUB_RATE_PER_S PROTO_RATE_PER_S
#define HUB_RATE_BURST PROTO_RATE_BURST

struct hub_rate {
	struct rate_bucket bucket;
	int64_t warned_ms; /* when the last rate_limited error went out */
};

/* True when one more frame at time now_ms fits the limit (and takes a token). */
bool hub_rate_allow(struct hub_rate *r, int64_t now_ms);
/* True when a refusal should be reported now (at most one error per second while limited). */
bool hub_rate_should_warn(struct hub_rate *r, int64_t now_ms);

struct hub_session {
	struct hub_session *prev, *next;
	struct hub_conn *conn;
	enum hub_endpoint ep;
	struct hub_rate rate;
	/* agent */
	bool authed;
	int64_t op;               /* operator id once authenticated */
	char *user, *display;
	enum proto_role role;
	enum proto_status status;
	int capacity;
	/* the history a resumed agent still misses, sent as its connection's queue drains (hub_agent.c) */
	struct hub_catchup {
		int64_t dialog, after; /* send the messages after seq `after` */
	} *catchup;
	size_t n_catchup, cap_catchup;
	/* frames held back behind a sign-in that waits its turn (hub.c: one secret check a loop pass) */
	struct hub_deferred {
		char *buf;
		size_t len;
	} *deferred;
	size_t n_deferred, cap_deferred;
	/* supervisor (hub_supervise.c) */
	bool monitoring;          /* gets board frames */
	bool board_delta;         /* ... changes only after the first (monitor's delta) */
	uint64_t board_rev;       /* the router's rev (hub_router_rev) of the last board it got */
	/* the rest of a big delta board, sent BOARD_CHUNK rows a loop pass (hub_board.c): copies, as the
	 * board saw them; no newer board goes to this session until they are out */
	struct proto_board_op *board_rest;
	size_t n_board_rest, board_rest_at;
	int64_t *watching;        /* dialogs it watches */
	size_t n_watching, cap_watching;
	/* customer */
	int64_t dialog;           /* the customer's current or last dialog, 0 before open */
	char *customer;           /* the name given at open */
	/* bridge (authed, user as above) */
	enum proto_channel channel; /* the channel its account is bound to */
};

struct hub_session *hub_session_new(struct hub_conn *conn);
void hub_session_free(struct hub_session *s);
/* Does it watch `dialog` (a supervisor's read-only view)? */
bool hub_session_watches(const struct hub_session *s, int64_t dialog);
/* Is it a supervisor's (or an admin's) connection? */
bool hub_session_supervisor(const struct hub_session *s);
/* The name to show for an operator: display name, else user name. */
const char *hub_session_display(const struct hub_session *s);

#endif

/* hub_endpoint.h: the hub's three endpoints as tables, as tmux's cmd_entry: for each, the frame types it
 * takes, each with its handler and what the one dispatcher (hub.c, handle_frame) checks before calling it.
 * A new frame type is one row and one function. The tables live with their handlers: hub_agent.c (with the
 * supervisors' rows from hub_supervise.c), hub_customer.c, hub_bridge.c. They sit above hub_core.h and below
 * hub.c. Not for use outside src/hub. */
#ifndef OPDESK_HUB_ENDPOINT_H
#define OPDESK_HUB_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "opdesk/hub_server.h"
#include "opdesk/proto.h"

struct hub;
struct hub_session;

typedef void hub_frame_fn(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now);

enum hub_frame_flag {
	/* the sign-in (hello): taken before one; refused without checking a secret while the peer's address has
	 * too many failed sign-ins (hub_signin_blocked) */
	HUB_FRAME_SIGNIN = 1 << 0,
	/* checks a secret (a yescrypt hash, ~15 ms): at most one a loop pass; a later one waits its turn with
	 * whatever its connection sends after it */
	HUB_FRAME_ONE_SECRET = 1 << 1,
	HUB_FRAME_SUPERVISOR = 1 << 2, /* supervisors and admins only; refused (and logged) for an operator */
	/* the group commit may hold it: a message append, or no write at all; any other frame commits the open
	 * batch before its handler runs */
	HUB_FRAME_BATCHED = 1 << 3,
};

struct hub_frame_row {
	enum proto_type type;
	hub_frame_fn *fn;
	unsigned flags; /* enum hub_frame_flag */
};

struct hub_ep_table {
	const char *name;        /* "agent", "customer", "bridge" */
	enum proto_dir in;       /* how its frames are decoded */
	const struct hub_frame_row *rows;
	size_t n_rows;
	/* NULL: no sign-in (customers); else every frame but the sign-in's waits for one, and is refused with
	 * not_authenticated and this text */
	const char *signin_first;
	void (*closed)(struct hub *h, struct hub_session *s, int64_t now); /* the connection is gone */
};

extern const struct hub_ep_table hub_agent_frames, hub_customer_frames, hub_bridge_frames;

/* hub.c: the endpoint of a connection, and its row for a frame type (NULL: not accepted there). */
const struct hub_ep_table *hub_ep_table_of(enum hub_endpoint ep);
const struct hub_frame_row *hub_ep_row(const struct hub_ep_table *e, enum proto_type type);

/* hub_agent.c: send a resumed agent the next batches of the history it misses while its queue is short */
#define HUB_CATCHUP_LOW_BYTES (256u * 1024)
void hub_agent_catchup(struct hub *h, struct hub_session *s);

/* hub_supervise.c: the supervisors' rows of the agent endpoint (monitor, watch, whisper, takeover, dialogs);
 * the board sent from the loop pass when due; what a supervisor's connection leaves behind when it goes. */
/* hub_requests.c: offline requests, the customers' rows (leave, status) and the agents' (take, answer). */
hub_frame_fn hub_req_leave, hub_req_status, hub_req_take, hub_req_answer;

hub_frame_fn hub_sup_monitor, hub_sup_watch, hub_sup_whisper, hub_sup_takeover, hub_sup_dialogs;
void hub_board_pass(struct hub *h, int64_t now);
/* hub_board.c: a session's first board after monitor, whole. */
void hub_board_first(struct hub *h, struct hub_session *s, int64_t now);
/* hub_board.c: the next rows of big boards still going out (one frame a session a pass); a session's left. */
void hub_board_rest_pass(struct hub *h, int64_t now);
void hub_board_session_closed(struct hub *h, struct hub_session *s);
void hub_supervise_closed(struct hub *h, struct hub_session *s);

/* hub_identity.c: the agent's rows about who the customer is: its card, any of its chats read-only, blocking it. */
hub_frame_fn hub_id_card, hub_id_history, hub_id_block;

#endif

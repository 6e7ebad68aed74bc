/* hub_router.h: pure chat routing for the hub (no sockets, no SQL): operators with presence, capacity
 * and load, the waiting queue (oldest first), and the decisions "assign dialog D to operator O". The caller
 * persists each decision and notifies the people concerned. Every function takes the current time. */
#ifndef OPDESK_HUB_ROUTER_H
#define OPDESK_HUB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hub_presence { HUB_OFFLINE, HUB_ONLINE, HUB_AWAY };

/* How a queue's chats find an operator: the one with the fewest chats (idle longest on a tie), the one who got
 * a chat longest ago, or nobody (the chats wait until an operator takes one). */
enum hub_queue_mode { HUB_QUEUE_LEAST_LOADED, HUB_QUEUE_ROUND_ROBIN, HUB_QUEUE_MANUAL };

/* What routing failed on (for take and transfer). */
enum hub_route_result {
	HUB_ROUTE_OK = 0,
	HUB_ROUTE_NOT_QUEUED,    /* take: no such waiting chat (already taken, closed, unknown, or queue empty) */
	HUB_ROUTE_NOT_ASSIGNED,  /* transfer: the dialog is not held by an operator */
	HUB_ROUTE_UNKNOWN_OP,    /* no such operator */
	HUB_ROUTE_OFFLINE,       /* transfer: the target operator is not online */
	HUB_ROUTE_CAPACITY,      /* the operator is at capacity */
	HUB_ROUTE_SAME_OP,       /* transfer to the operator who already holds it */
	HUB_ROUTE_NOT_SERVED,    /* take: the chat's queue is not one the operator serves */
};

struct hub_decision {
	int64_t dialog;
	int64_t op;              /* assign `dialog` to operator `op` */
};

/* A growing list of decisions, in the order they were made; the caller owns it. */
struct hub_decisions {
	struct hub_decision *v;
	size_t n, cap;
};

struct hub_router;

struct hub_router *hub_router_new(void);
void hub_router_free(struct hub_router *r);
void hub_decisions_clear(struct hub_decisions *d);
void hub_decisions_free(struct hub_decisions *d);

/* Make operator `op` known (offline at first) or update its capacity and whether automatic routing may
 * give it chats (supervisors: false; they can still take and receive transfers). Routing only happens on
 * presence changes, so call hub_router_set_presence afterwards if the new capacity should pull chats. */
void hub_router_operator(struct hub_router *r, int64_t op, int capacity, bool autoassign);
/* An operator comes online (pulls waiting chats), goes away (gets no new chats) or disconnects
 * (offline: keeps its dialogs, gets no new chats). */
void hub_router_set_presence(struct hub_router *r, int64_t op, enum hub_presence p, int64_t now,
			     struct hub_decisions *out);

/* Restore a dialog held by `op` (hub start-up); counts towards the operator's load. */
void hub_router_restore(struct hub_router *r, int64_t dialog, const char *queue, int64_t since, int64_t op);
/* A chat enters queue `queue` ("general" when NULL), having waited since `since` (ms), and is routed. */
void hub_router_chat_arrived(struct hub_router *r, int64_t dialog, const char *queue, int64_t since,
			     int64_t now, struct hub_decisions *out);
/* The same for a customer who comes back soon after their last chat: it goes before every other waiting
 * chat (after earlier returning ones), and to operator `prefer` (who served them last; 0: none) when that
 * operator could be given it. */
void hub_router_chat_returned(struct hub_router *r, int64_t dialog, const char *queue, int64_t since,
			      int64_t prefer, int64_t now, struct hub_decisions *out);
/* The place a chat arriving now takes in the queue (1-based), a returning one or not. */
size_t hub_router_arrival_position(const struct hub_router *r, bool priority);
/* A dialog closed (held or waiting): its operator's capacity is freed and waiting chats are routed. */
void hub_router_dialog_closed(struct hub_router *r, int64_t dialog, int64_t now, struct hub_decisions *out);

/* Operator `op` takes waiting chat `dialog`, or the oldest waiting chat of the queues it serves when dialog
 * is 0. Presence does not matter (a deliberate action); capacity and the queues it serves do. On success *taken is the dialog. */
enum hub_route_result hub_router_take(struct hub_router *r, int64_t op, int64_t dialog, int64_t now,
				      int64_t *taken);
/* Send a held dialog back to queue `queue`, keeping its original waiting time; the operator who had it
 * is not chosen again automatically (it may still take it). Routes what can be routed. */
enum hub_route_result hub_router_transfer_to_queue(struct hub_router *r, int64_t dialog, const char *queue,
						   int64_t now, struct hub_decisions *out);
/* Move a held dialog to operator `to`, who must be online with free capacity. The move itself is the
 * first decision in *out; the freed capacity of the previous operator may pull waiting chats after it. */
enum hub_route_result hub_router_transfer_to_operator(struct hub_router *r, int64_t dialog, int64_t to,
						      int64_t now, struct hub_decisions *out);
/* Put every dialog `op` holds back into the queue (e.g. it stayed disconnected too long), keeping their
 * waiting times; unlike a transfer, `op` may be given them again. */
void hub_router_release_operator(struct hub_router *r, int64_t op, int64_t now, struct hub_decisions *out);

/* Queries. */
size_t hub_router_queue_length(const struct hub_router *r);
/* Since when the chat that has waited longest waits (ms), 0 when none waits. */
int64_t hub_router_oldest_since(const struct hub_router *r);
/* The i-th waiting dialog, oldest first (0 when out of range). */
int64_t hub_router_queue_at(const struct hub_router *r, size_t i);
/* 1-based position of a waiting dialog in the queue, 0 when it is not waiting. */
size_t hub_router_position(const struct hub_router *r, int64_t dialog);
/* Is `dialog` being routed (waiting or held)? A dialog the router does not know may still be open in the
 * database (its routing write failed: it is routed again after a restart), so false means "ask the store". */
bool hub_router_routes(const struct hub_router *r, int64_t dialog);
/* The operator holding `dialog`, 0 when none. */
int64_t hub_router_holder(const struct hub_router *r, int64_t dialog);
/* The queue of held `dialog` (valid until the router next changes), NULL when it is not held. */
const char *hub_router_held_queue(const struct hub_router *r, int64_t dialog);
/* Number of dialogs `op` holds (-1 for an unknown operator). */
int hub_router_load(const struct hub_router *r, int64_t op);
enum hub_presence hub_router_presence(const struct hub_router *r, int64_t op);
/* Dialogs held by `op`, into a caller-provided array of `max`; returns how many there are. */
size_t hub_router_held(const struct hub_router *r, int64_t op, int64_t *dialogs, size_t max);

/* Whether operator `op` may be given chats of queue `queue` (automatically, by a transfer, or by taking one). */
bool hub_router_serves(const struct hub_router *r, int64_t op, const char *queue);
/* The queues `op` serves, comma-separated ("general,stylist"); NULL: every queue. Call before presence
 * changes, like hub_router_operator. */
void hub_router_set_skills(struct hub_router *r, int64_t op, const char *queues);
/* A queue's routing mode (least-loaded unless set). */
void hub_router_set_queue_mode(struct hub_router *r, const char *queue, enum hub_queue_mode mode);
enum hub_queue_mode hub_router_queue_mode(const struct hub_router *r, const char *queue);

/* What the supervisors' board reads. Every change of an operator's presence, capacity or held chats sets its
 * rev to the router's next count (hub_router_rev): a board sent at rev R needs only the operators whose rev is
 * above R. hub_router_touch marks one the same way for a change the hub sees outside routing (op 0: none,
 * just count) and returns the new count. */
uint64_t hub_router_rev(const struct hub_router *r);
uint64_t hub_router_op_rev(const struct hub_router *r, int64_t op);
uint64_t hub_router_touch(struct hub_router *r, int64_t op);
struct hub_router_op_info {
	enum hub_presence presence;
	int load, capacity;
	bool autoassign;
	uint64_t rev;
};
/* An operator's routing state (O(1)); false for an unknown one. */
bool hub_router_op_info(const struct hub_router *r, int64_t op, struct hub_router_op_info *out);
/* The held chats (unordered) and the waiting ones (queue order) by index: false past the end. `queue` may be
 * NULL; what it receives lives until the router next changes. */
size_t hub_router_n_held(const struct hub_router *r);
bool hub_router_held_at(const struct hub_router *r, size_t i, int64_t *dialog, int64_t *op, const char **queue);
bool hub_router_waiting_at(const struct hub_router *r, size_t i, int64_t *dialog, int64_t *since, const char **queue);
/* Operators automatic routing may give chats to who are online, and their free slots. */
void hub_router_capacity(const struct hub_router *r, int64_t *online, int64_t *free_slots);
/* Per queue (general, the queues with a mode, those operators serve by name, those chats wait in; general first,
 * then by name): chats waiting, since when the oldest, and the online operators automatic routing serves it
 * with (an operator serving every queue counts for each), with their free slots. Free with
 * hub_router_queue_stats_free. */
struct hub_router_queue_stat {
	char *queue;
	int64_t waiting, oldest, online, free;
};
size_t hub_router_queue_stats(const struct hub_router *r, struct hub_router_queue_stat **out);
void hub_router_queue_stats_free(struct hub_router_queue_stat *v, size_t n);

#endif

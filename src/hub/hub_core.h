/* hub_core.h: the hub's state (struct hub) and what every endpoint does with it (hub_core.c): the layer below
 * the endpoints (hub_endpoint.h) and above the store, the router and the server. Not for use outside src/hub;
 * the hub's public face is hub.h. */
#ifndef OPDESK_HUB_CORE_H
#define OPDESK_HUB_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "opdesk/hub_db.h"
#include "opdesk/hub_config.h"
#include "opdesk/hub_router.h"
#include "opdesk/hub_server.h"
#include "opdesk/hub_session.h"
#include "opdesk/proto.h"

/* System texts the hub writes into dialogs, per language. */
enum hub_text {
	HT_JOINED,          /* "Operator %s joined the chat" */
	HT_LEFT,            /* "Customer left the chat" */
	HT_BACK,            /* "The customer is back in the chat" */
	HT_REQUEUED,        /* to the customer: passed on, please wait */
	HT_NOTE_TO_QUEUE,   /* note: "Transferred to queue %s" */
	HT_NOTE_TO_OP,      /* note: "Transferred to operator %s" */
	HT_TAKEN_OVER,      /* note: "Supervisor %s took over the chat" */
	HT_IDLE_WARNING,    /* to the customer: still there? the chat closes soon */
	HT_IDLE_CLOSED,     /* the chat was closed: no reply */
	HT_COUNT
};

/* The kinds of those lines on the wire (docs/protocol.md, "System lines"). */
#define HUB_KIND_JOINED "joined"
#define HUB_KIND_LEFT "left"
#define HUB_KIND_BACK "back"
#define HUB_KIND_REQUEUED "requeued"
#define HUB_KIND_TO_QUEUE "transferred_queue"
#define HUB_KIND_TO_OPERATOR "transferred_operator"
#define HUB_KIND_TAKEN_OVER "taken_over"
#define HUB_KIND_CLAIM "claim"
#define HUB_KIND_WHISPER "whisper"
#define HUB_KIND_IDLE_WARNING "idle_warning"
#define HUB_KIND_IDLE_CLOSED "idle_closed"

/* An open chat as the supervisors' board and alerts see it (hub_board.c): the router knows where it is, this
 * who the customer is and whether they wait for an answer. */
struct hub_chat {
	int64_t dialog;           /* 0: a free slot of the table */
	char *customer;
	int64_t unanswered;       /* since when the customer's oldest message not yet answered waits; 0: answered */
	bool wait_alerted;        /* queue_wait raised (once a chat) */
	bool answer_alerted;      /* unanswered raised (once an unanswered stretch) */
	int64_t idle_from;        /* auto-close: the operator's last message, the customer silent since; 0: none */
	int64_t warned;           /* auto-close: when the customer was warned (after idle_from); 0: not yet */
};

/* What the board keeps of one operator, by operator id (hub_board.c). */
struct hub_opstate {
	int64_t since;            /* when its state (offline, away, online) began; 0: unknown */
	size_t acct;              /* its index in hub.accounts + 1; 0: not (or no longer) on the board */
	int64_t closed, first_avg_ms, rated, fives; /* today's, as in the report */
	size_t row;               /* while a board is built: its row + 1 */
};

struct hub_grace {
	int64_t op;
	int64_t deadline_ms;
};

/* One acknowledged operation of the open group-commit batch (hub_batch.c). */
struct hub_batch_op {
	struct hub_session *s;
	char *ref; /* its client_msg_id (or type) */
	char *id;  /* its client_msg_id, or NULL */
};

struct hub {
	struct hub_db *db;
	struct hub_router *router;
	struct hub_server *srv;
	struct hub_config cfg;
	char lang[8];
	struct hub_session *sessions;   /* every connection, newest first */
	bool queue_dirty;               /* push a queue snapshot to every agent after this loop pass */
	struct hub_grace *grace;        /* disconnected operators that still hold dialogs */
	size_t n_grace, cap_grace;
	struct hub_session **by_op;     /* the signed-in agent session of each operator id (ids are dense) */
	size_t cap_by_op;
	size_t n_catching;              /* agent sessions with history still to send (hub_agent_catchup) */
	/* Sign-ins check a yescrypt hash (~15 ms) on this one thread: at most one a loop pass, so that a crowd
	 * signing in at once (a hub restart) does not hold everybody else's messages back */
	bool checked_secret;            /* a secret was checked in this pass */
	struct hub_session **signins;   /* sessions whose hello waits for a later pass, oldest first */
	size_t n_signins, cap_signins;
	/* failed sign-ins by peer address, in the current window of each (hub_signin_blocked) */
	struct hub_signin_fail {
		char addr[64];
		int64_t since_ms; /* the window's first failure */
		int n;
	} *fails;
	size_t n_fails, cap_fails;
	/* group commit (hub_batch.c): the operations of the open batch, and how many commits made how many
	 * writes durable (for /metrics) */
	struct hub_batch_op *batch;
	size_t n_batch, cap_batch;
	uint64_t batch_commits, batch_writes;
	/* the client_msg_ids of messages whose commit failed, which may be stored all the same (hub_batch.c) */
	char **doubt;
	size_t n_doubt, cap_doubt;
	/* supervisors (hub_supervise.c) */
	uint64_t blocked_refusals;      /* chats refused to blocked customers since the start (for /metrics) */
	size_t n_monitors;              /* sessions that get board frames */
	size_t n_board_rests;           /* sessions with the rest of a big board still to go out (hub_board.c) */
	bool board_dirty;               /* something on the board changed since the last one */
	int64_t board_next_ms;          /* no board before then */
	struct proto_kpi kpi;           /* today's figures, read at kpi_read_ms */
	int64_t kpi_read_ms;
	struct hub_session **watchers;  /* sessions that watch at least one dialog */
	size_t n_watchers, cap_watchers;
	/* the board's own state (hub_board.c) */
	struct hub_chat *chats;         /* open chats, an open-addressing table by dialog id */
	size_t n_chats, cap_chats;
	struct hub_opstate *opst;       /* by operator id */
	size_t cap_opst;
	struct hub_db_operator *accounts; /* the accounts, by name, read with today's figures */
	size_t n_accounts;
	int64_t accounts_read_ms;
	bool kpi_stale;                 /* something that may change today's figures happened since they were read */
	struct hub_gone {               /* operators taken off the board (disabled, deleted, made admins) */
		char *user;
		uint64_t rev;
	} *gone;
	size_t n_gone, cap_gone;
	struct proto_trend trend[60];   /* the last hour, a sample a minute, oldest first */
	size_t n_trend;
	uint64_t trend_rev;             /* the router's rev when the trend last changed */
	int64_t trend_waiting, trend_oldest; /* the queue as the trend last saw it */
	/* alerts (hub_alerts.c) */
	struct proto_msg *alerts;       /* the last HUB_ALERTS_KEPT, oldest first */
	size_t n_alerts;
	int64_t alert_id;               /* the last id given */
	int64_t alert_due_ms;           /* the earliest queue_wait/unanswered deadline known, -1: none */
	bool alerts_rescan;             /* the queue or the holders changed: look again at the next pass */
	bool nobody_alerted, growing_alerted;
	int64_t alert_last_waiting;
	char *last_queue;               /* the queue a chat last entered */
	/* files (hub_upload.c, docs/protocol.md "Files"): the store, and what /metrics counts since the start */
	struct hub_files *files;
	uint64_t uploads_stored;
	uint64_t uploads_refused[6];    /* by HUB_UPLOAD_REFUSALS' reasons */
	/* offline requests and availability (hub_requests.c) */
	bool avail_dirty;               /* presence changed: look at the web chat's availability after this pass */
	int avail_sent;                 /* what customers were told last: 1 available, 0 not, -1 nothing yet */
	int64_t avail_due_ms;           /* the working hours' next boundary, -1: none */
	bool requests_dirty;            /* the requests list changed: to every agent after this pass */
	uint64_t requests_answered;
	/* auto-close (hub_idle.c): the earliest warning or close due, -1: none */
	int64_t idle_due_ms;
	uint64_t auto_closed;           /* chats closed so since the start (for /metrics) */
	/* the database connection watched between operations (hub_dbwatch.c; PostgreSQL only) */
	struct hub_dbwatch *dbwatch;
	bool fenced; /* another hub took the serving lock: this one stops */
	/* mail (hub_mail.c): the sender, and what it did since the start (for /metrics) */
	struct hub_mailer *mailer;      /* NULL until the first mail is looked at */
	uint64_t mail_sent, mail_failed, mail_given_up; /* attempts that sent, that failed; mails given up */
};

/* Why uploads were refused, as /metrics labels them: 400, 401, 409, 411 and 413, 415, 422. */
#define HUB_UPLOAD_REFUSALS { "request", "token", "closed", "size", "type", "header" }

/* hub_board.c: the board's state as events pass (docs/protocol.md, "Supervisors"). */
/* A chat opened (or was found at start): its customer, unanswered since its first message at `at`. */
void hub_chat_opened(struct hub *h, int64_t dialog, const char *customer, int64_t at);
void hub_chat_closed(struct hub *h, int64_t dialog);
struct hub_chat *hub_chat_find(struct hub *h, int64_t dialog);
/* The customer wrote at `at` / an operator answered: the held chat's unanswered time starts / ends. */
void hub_chat_customer_said(struct hub *h, int64_t dialog, int64_t at);
void hub_chat_answered(struct hub *h, int64_t dialog);
/* Operator op's state (offline, away, online) began now. */
void hub_op_state_began(struct hub *h, int64_t op, int64_t now);
/* The user name of operator op ("?" when unknown). */
const char *hub_op_user(struct hub *h, int64_t op);
/* Load what the board keeps from the store at start (held and waiting chats, their unanswered times). */
void hub_board_restore(struct hub *h, int64_t now);
/* The trend sees the queue as it is now (call after the queue changed). */
void hub_trend_touch(struct hub *h, int64_t now);
int64_t hub_local_midnight(int64_t now);
void hub_board_free(struct hub *h);

/* hub_alerts.c: what a supervisor must see (docs/protocol.md, "alert"). */
#define HUB_ALERTS_KEPT 50
/* Raise one: it gets the next id and the time, is kept, and goes to every monitoring supervisor. `a` is
 * taken over (its strings are freed with it). */
void hub_alert_raise(struct hub *h, struct proto_msg *a, int64_t now);
void hub_alert_rating(struct hub *h, int64_t dialog, const char *customer, int64_t op, int score, const char *comment,
		      int64_t now);
void hub_alert_claim(struct hub *h, int64_t dialog, const char *user, enum proto_claim category, const char *text,
		     int64_t now);
/* The day's kept alerts, oldest first, to one session (after its first board). */
void hub_alerts_send_kept(struct hub *h, struct hub_session *s, int64_t now);
/* Raise what is due (queue_wait, unanswered, nobody_online, queue_growing) and find the next deadline. */
void hub_alerts_scan(struct hub *h, int64_t now);
/* A deadline at `at` may be nearer than the one the timer knows. */
void hub_alerts_due_at(struct hub *h, int64_t at);
void hub_alerts_free(struct hub *h);

/* hub_idle.c: auto-close (docs/hub.md, "Auto-close"). The operator wrote to the customer at `at` / the
 * customer wrote: the chat's silence starts / ends. */
void hub_idle_operator_said(struct hub *h, int64_t dialog, int64_t at);
void hub_idle_customer_said(struct hub *h, int64_t dialog);
/* Warn and close what is due; find the next deadline (the hub's one timer wakes for it). */
void hub_idle_scan(struct hub *h, int64_t now);
/* At start, after the board's chats are restored: each held chat's silence from the store. */
void hub_idle_restore(struct hub *h);

/* hub_requests.c: the web chat's availability to one customer connection; to all of them when it changed (the
 * pass after avail_dirty); the requests list to one agent (or every one: NULL), and after requests_dirty. */
void hub_avail_tell(struct hub *h, struct hub_session *s);
void hub_avail_pass(struct hub *h, int64_t now);
void hub_requests_send(struct hub *h, struct hub_session *only);
void hub_requests_pass(struct hub *h);

/* hub_core.c */
/* The queues operator `op` serves, from the store into the router (read at start and at every sign-in, so
 * that `opdesk-hub user skills` takes effect when the operator next signs in). */
void hub_load_skills(struct hub *h, int64_t op);
const char *hub_text(const struct hub *h, enum hub_text t);
void hub_send(struct hub *h, struct hub_session *s, const struct proto_msg *m);
/* Send an error frame and log it at warn with the connection. ref may be NULL. */
void hub_send_error(struct hub *h, struct hub_session *s, enum proto_errcode code, const char *ref,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The ref of a refused frame: its client_msg_id when it has one, else its type name. */
const char *hub_ref(const struct proto_msg *m);
/* The signed-in agent connection of operator `op`, or NULL (O(1)). */
struct hub_session *hub_agent_session(struct hub *h, int64_t op);
/* Record (s) or forget (NULL) the signed-in session of operator `op`. */
void hub_agent_index(struct hub *h, int64_t op, struct hub_session *s);
/* Send `m` to the customer of `dialog`: on the customer endpoint, or through the connected bridge of the
 * dialog's channel (with the contact added); nobody there: dropped (a bridge catches up from the database). */
void hub_to_customer(struct hub *h, int64_t dialog, const struct proto_msg *m);
/* The signed-in bridge of `channel`, or NULL. */
struct hub_session *hub_bridge_session(struct hub *h, enum proto_channel channel);
/* Persist and announce every decision in *d (including those appended while applying), then clear it. */
void hub_apply(struct hub *h, struct hub_decisions *d, int64_t now);
/* Load a dialog for a snapshot: the newest PROTO_MAX_HISTORY messages, or (after >= 0) the first
 * PROTO_MAX_HISTORY after seq `after`. Free with hub_dialog_clear. Returns a HUB_DB_* code. */
int hub_load_dialog(struct hub *h, int64_t dialog, int64_t after, struct proto_dialog *out, int64_t *operator_id);
void hub_dialog_clear(struct proto_dialog *d);
void hub_queue_changed(struct hub *h);
/* A hello from an address with too many failed sign-ins in its window: refused (rate_limited, then closed)
 * without checking the secret; true when so. hub_signin_failed counts one failure of s's address. */
bool hub_signin_blocked(struct hub *h, struct hub_session *s, int64_t now);
void hub_signin_failed(struct hub *h, struct hub_session *s, int64_t now);
void hub_grace_start(struct hub *h, int64_t op, int64_t now);
void hub_grace_cancel(struct hub *h, int64_t op);

/* A new chat enters routing (first in the queue when `returning`, to last_op if free): its place in the queue
 * on arrival. The caller tells the customer, then calls hub_queue_changed and hub_apply(d). */
size_t hub_chat_route(struct hub *h, int64_t dialog, const char *customer, const char *queue, bool returning,
		      int64_t last_op, int64_t now, struct hub_decisions *d);
/* The queue and the board changed: a queue snapshot goes to every agent after this loop pass, and a board to
 * the supervisors who monitor (at most one a second; hub_board_due is when the timer must wake for it, -1
 * never). The watchers of a dialog get `m`. */
void hub_board_changed(struct hub *h);
int64_t hub_board_due(const struct hub *h);
void hub_watchers(struct hub *h, int64_t dialog, const struct proto_msg *m);
/* Tell the operator holding `dialog` (on session `to`, or its holder's when NULL) who watches it; `always`:
 * also when nobody does. */
void hub_watchers_tell(struct hub *h, int64_t dialog, struct hub_session *to, bool always);
/* The hub's one timer: the nearest grace deadline, alert deadline, or the next board for supervisors. */
void hub_timer_rearm(struct hub *h);

/* Close an open dialog with a wrap-up topic: stored and audited as `actor`; its operator (if signed in), its
 * watchers and its customer get `closed`; routing goes on. HUB_DB_OK, else nothing was changed or sent. */
int hub_dialog_close(struct hub *h, int64_t dialog, const char *topic, enum proto_closer by, const char *actor,
		     int64_t now);
/* Is a new chat of this customer (0: not known) from this address (NULL: none) refused, being blocked? Then
 * `s` got the neutral refusal (ref `ref`) and it is logged and counted. */
bool hub_customer_refused(struct hub *h, struct hub_session *s, int64_t customer, const char *address,
			  const char *ref, int64_t now);
/* 128 random bits as 32 hex digits (a chat's or a customer's secret token); false when the system has none. */
#define HUB_TOKEN_SIZE 33
bool hub_random_token(char out[HUB_TOKEN_SIZE]);
/* Is the token given the one stored? In time that does not depend on where they differ (OpenSSL's
 * CRYPTO_memcmp), so that a token cannot be guessed byte by byte. */
bool hub_token_matches(const char *given, const char *stored);
/* Put the dialogs of the operators whose grace period is over back into the queue; rearm the timer. */
void hub_grace_expired(struct hub *h, int64_t now);

#endif

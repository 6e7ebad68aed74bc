/* desk.h: the operator client's model. It holds the operator, the dialogs (messages, drafts, delivery state
 * of the operator's own messages), the waiting queue, canned replies and the connection state; desk_apply()
 * turns hub frames into changes, and observers learn what changed through a small callback with a bitmask.
 * Outgoing actions build protocol frames and hand them to a transport ops struct. No curses, no sockets:
 * the views read these structs (treat them as read-only) and call the functions below to change them. */
#ifndef OPDESK_DESK_H
#define OPDESK_DESK_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/proto.h"
#include "opdesk/textedit.h"

struct board;

enum desk_conn { DESK_CONN_CONNECTING, DESK_CONN_ONLINE, DESK_CONN_OFFLINE };

/* Delivery of the operator's own messages; messages from others are DESK_DLV_NONE. */
enum desk_delivery { DESK_DLV_NONE, DESK_DLV_PENDING, DESK_DLV_ACKED, DESK_DLV_FAILED };

/* What changed (the observer's bitmask). */
enum desk_change {
	DESK_CH_STATUS = 1 << 0,  /* operator, connection state, last error */
	DESK_CH_QUEUE = 1 << 1,   /* the waiting queue */
	DESK_CH_DIALOG = 1 << 2,  /* the dialog `id` changed (messages, state, typing, rating...) */
	DESK_CH_ADDED = 1 << 3,   /* the dialog `id` is new */
	DESK_CH_REMOVED = 1 << 4, /* the dialog `id` is gone (its struct is already freed) */
	DESK_CH_CANNED = 1 << 5,  /* canned replies */
	DESK_CH_FATAL = 1 << 6, /* desk->fatal is set: the client cannot go on (e.g. authentication failed) */
	DESK_CH_TARGETS = 1 << 7, /* the hub answered where a dialog can be transferred (desk_request_targets) */
	DESK_CH_BOARD = 1 << 8,   /* the supervisor's board (desk->board) changed */
	DESK_CH_ALERT = 1 << 9,   /* ... with a new alert on it (the bell) */
	DESK_CH_CARD = 1 << 10,   /* the customer's card or a chat read from it came (desk->card, desk_card.h) */
	DESK_CH_REQUESTS = 1 << 11, /* the offline requests not yet answered (desk->requests) */
};

struct desk_observer {
	void (*changed)(void *arg, unsigned what, int64_t dialog);
	void *arg;
};

struct desk_transport {
	/* Queue one frame for the hub. Returns 0 when it will go out on the live, authenticated connection,
	 * -1 when there is none (the model keeps its pending state and sends again after the next welcome).
	 */
	int (*send)(void *arg, const struct proto_msg *msg);
	/* Try to connect now instead of waiting for the back-off (may be NULL). */
	void (*reconnect)(void *arg);
	/* One HTTP request to the hub's address (a file saved or sent; desk_files.h): a GET of `path` into the
	 * new file `dest`, or a POST of the file `src` with `auth` and `filename` headers. 0 started (`done` follows),
	 * -1 with *cause. May be NULL (no HTTP: a replay, the demo). */
	int (*http)(void *arg, const char *path, const char *dest, const char *src, const char *auth,
	            const char *filename, void (*done)(void *cb, int status, const char *body, const char *why),
	            void *cb, char **cause);
	void *arg;
};

/* What a line the hub wrote says (docs/protocol.md, "System lines"); each may be NULL. */
struct desk_line_args {
	const char *name, *user, *queue, *category, *note;
	const char *file, *filename, *type; /* a `file` message (docs/protocol.md, "Files") */
	int64_t size;
};

/* What a line the hub wrote is and says; desk_message_line gives desk_line_none for a plain message. */
struct desk_line {
	const char *kind; /* what it says ("joined"...), NULL for a plain message */
	struct desk_line_args args;
};
extern const struct desk_line desk_line_none;

/* What a message's block holds after its text (desk_message.has). */
enum { DESK_MSG_CMID = 1, DESK_MSG_LINE = 2 };

/* One message, allocated in one block: the fields, the text, then what `has` says follows it (its
 * client_msg_id, then a line's kind and args, aligned). A desk holds hundreds of thousands of them, so a
 * message keeps only what the client reads (not the hub's id: files and order go by seq) and no pointer to
 * what is absent; read the optional parts with desk_message_cmid and desk_message_line. */
struct desk_message {
	int64_t seq, time;  /* seq 0: the operator's message the hub has not acknowledged yet */
	const char *author; /* NULL if none; the desk's one copy of the name (desk_names.c) */
	uint8_t sender;     /* enum proto_sender */
	uint8_t delivery;   /* enum desk_delivery */
	uint8_t has;        /* DESK_MSG_CMID, DESK_MSG_LINE */
	char text[];        /* as the hub wrote it (in the hub's language for its own lines) */
};

/* The message's client_msg_id, NULL if none. */
const char *desk_message_cmid(const struct desk_message *m);
/* A line the hub wrote: its kind and args; &desk_line_none (kind NULL) for a plain message. Never NULL. */
const struct desk_line *desk_message_line(const struct desk_message *m);

struct desk_dialog {
	int64_t id;
	char *customer, *queue, *topic; /* topic NULL until closed with one */
	enum proto_channel channel;
	enum proto_dstate state;
	enum proto_closer closed_by;
	int64_t opened;
	int64_t last_seq; /* the newest seq the hub announced */
	int64_t returning; /* how many earlier chats its customer had (the hub's count; 0: a first chat) */
	/* messages from the hub in seq order, then the operator's pending ones in the order they were sent */
	struct desk_message **msgs;
	size_t n_msgs, cap_msgs;
	size_t n_pending; /* messages waiting for the hub's ack (kept by desk.c on every change of delivery) */
	size_t unread; /* customer messages since the operator last looked */
	int64_t new_from_seq; /* where the unseen messages began when the operator last looked (the "new" line);
	                         0 once the operator has answered */
	bool customer_typing;
	int64_t unanswered_since; /* time of the customer's oldest unanswered message, 0 if none */
	int rating;               /* 0 = none yet, else 1..5 */
	char *rating_comment;
	bool released; /* taken away from this operator (transfer, timeout) */
	char *release_reason;
	bool typing_sent; /* we told the hub the operator is typing */
	int64_t typing_sent_at;
	struct textedit draft; /* the composer's draft for this dialog (a watched one's: the whisper) */
	/* supervising (desk_watch.c) */
	bool watched;            /* a supervisor's read-only view of someone else's dialog (desk_watch) */
	char *watched_operator;  /* who holds it: the newest "joined" line of its history says (NULL: unknown) */
	struct proto_person *watchers; /* the operator's side: supervisors watching it (the hub's `watchers`) */
	size_t n_watchers;
	bool taken_over;         /* released because a supervisor took it over (released's kind) */
	char *taken_over_by;     /* that supervisor's name, NULL if the hub did not say */
	size_t unread_whispers;  /* whispers since the operator last looked (the hotlist) */
};

/* The dialogs a supervisor watches at once: as many as there are panes. */
#define DESK_WATCH_MAX 4

/* One line of the message log: every error and piece of information the status bar showed. */
enum desk_notice_kind { DESK_NOTICE_INFO, DESK_NOTICE_ERROR };
struct desk_notice {
	int64_t time; /* local clock, ms */
	enum desk_notice_kind kind;
	char *text;
};
#define DESK_NOTICES_MAX 1000 /* the oldest go first */
#define DESK_INFO_MS     10000 /* how long information stays on the status bar */

/* Where a dialog can be transferred, as the hub said (its `targets` answer). */
struct desk_target_queue {
	char *queue;
	int64_t waiting; /* chats waiting in it */
};
struct desk_target_op {
	char *user, *display; /* display may be NULL */
	enum proto_status status;
	int load, capacity;
};

struct desk_qitem {
	int64_t dialog, since;
	int64_t returning; /* how many earlier chats its customer had (0: a first chat) */
	char *customer, *queue, *preview;
	enum proto_channel channel;
};

struct desk_names;

struct desk {
	struct desk_names *names; /* the one copy of each message author's name (desk_names.c) */
	/* the operator */
	char *user, *display;
	enum proto_role role;
	enum proto_status status;
	enum proto_status status_asked; /* with status_pending: what the operator last asked for, not yet echoed */
	bool status_pending;
	int capacity;
	/* connection */
	enum desk_conn conn;
	char *conn_reason; /* why offline, may be NULL */
	int64_t retry_at;  /* ms since epoch (local clock) of the next connection attempt, 0 if none */
	unsigned attempt;  /* failed connection attempts in a row (shown while offline) */
	bool welcomed;     /* a welcome arrived on the current connection */
	char *last_error;  /* shown in the status bar until the next key; NULL if none */
	char *info;        /* the newest information, shown (below any error) until info_until; NULL if none */
	int64_t info_until; /* local clock, ms */
	char *fatal;       /* set when the client must stop */
	/* the message log (desk_log.c), oldest first */
	struct desk_notice *notices;
	size_t n_notices, cap_notices;
	/* dialogs, oldest first */
	struct desk_dialog **dialogs;
	size_t n_dialogs, cap_dialogs;
	/* the waiting queue, oldest first */
	struct desk_qitem *queue;
	size_t n_queue, cap_queue;
	int64_t queue_total; /* may exceed n_queue when the hub sends only the first items */
	/* offline requests not yet answered, oldest first (desk_requests.c) */
	struct proto_request *requests;
	size_t n_requests;
	int64_t requests_total;
	struct proto_canned *canned; /* the hub's canned replies, then the operator's own */
	size_t n_canned;
	struct proto_canned *personal; /* the operator's own (~/.config/opdesk/canned.json) */
	size_t n_personal;
	int64_t skew_ms; /* hub clock minus local clock, measured at the welcome */
	/* transfer targets: the hub's answer to the latest desk_request_targets (queues, then colleagues) */
	struct desk_target_queue *target_queues;
	size_t n_target_queues;
	struct desk_target_op *target_ops;
	size_t n_target_ops;
	bool targets_known; /* that answer has come */
	/* monitor mode (desk_board.c): the supervisor's board, NULL unless desk_monitor asked for it */
	struct board *board;
	bool monitor_delta; /* ask for delta boards (an older hub refuses them: then whole ones) */
	/* the dialogs this supervisor asked to watch (the answer may not have come yet), asked again after each
	 * welcome: the hub forgets them with the connection */
	struct desk_watch {
		int64_t dialog;
		bool answered; /* its `watching` came on this connection (an error with ref "watch" is for the
		                  oldest one not answered: the hub answers in order) */
	} watches[DESK_WATCH_MAX];
	size_t n_watches;
	int64_t takeover_asked; /* a takeover sent, its `assigned` not come yet (0: none) */
	uint64_t n_whispers;    /* whispers that came live, ever (the bell rings when it grows) */
	/* who the customer is (desk_card.c): the card asked for last, and the chat read from it */
	struct desk_card *card;
	/* client message ids: "<user>-<start ms>-<counter>" */
	char *cmid_prefix;
	uint64_t cmid_counter;
	/* counters for the log and tests */
	uint64_t n_applied, n_ignored;
	struct desk_observer obs;
	struct desk_transport tr;
	/* files (desk_files.c) */
	char *hub_http;      /* the hub's HTTP address ("http://host:port"), for the links shown; NULL: none */
	char *download_dir;  /* where saved files go (config download-dir) */
	bool opener;         /* a local desktop session: files can be opened with xdg-open */
	struct desk_file_job **file_jobs; /* asked of the hub, waiting for its answer */
	size_t n_file_jobs, cap_file_jobs;
	pid_t openers[8];    /* xdg-open children not yet reaped (desk_files_reap) */
};

struct desk_card;
/* desk_files.c (its other functions in desk_files.h): the hub's answer to file_link or upload_ticket; the loop
 * is about to end (transfers still running finish telling nobody); freeing the files' state. */
void desk_files_apply(struct desk *d, const struct proto_msg *m);
void desk_files_detach(struct desk *d);
void desk_files_free(struct desk *d);
/* desk_requests.c: offline requests (docs/protocol.md, `requests`): the hub's list (DESK_CH_REQUESTS), the one
 * with this id (NULL: none), taking one and answering it. desk_request_take/answer return 0 when sent. */
void desk_requests_apply(struct desk *d, const struct proto_msg *m);
const struct proto_request *desk_request_find(const struct desk *d, int64_t id);
int desk_request_take(struct desk *d, int64_t id);
int desk_request_answer(struct desk *d, int64_t id, const char *text);
void desk_requests_free(struct desk *d);

struct desk *desk_new(const char *user);
void desk_free(struct desk *d);
void desk_set_observer(struct desk *d, const struct desk_observer *obs);
void desk_set_transport(struct desk *d, const struct desk_transport *tr);
/* The operator's own canned replies, kept after the hub's through every welcome. */
void desk_set_personal_canned(struct desk *d, const struct proto_canned *c, size_t n);

/* Apply one decoded hub -> agent frame. Frames that do not fit the model (unknown dialog, duplicate) are
 * ignored and counted in n_ignored. */
void desk_apply(struct desk *d, const struct proto_msg *m);

/* Connection state from the transport. reason may be NULL; retry_at 0 = no retry scheduled. Going
 * connecting/offline forgets the welcome; a welcome makes it online. */
void desk_set_conn(struct desk *d, enum desk_conn conn, const char *reason, int64_t retry_at);
/* The operator asks to reconnect now (F-key): tells the transport; an error when there is nothing to do. */
void desk_reconnect_now(struct desk *d);
/* The status line and the message log (desk_log.c). An error stays on the status bar until the next key and
 * outranks information; information (a rating, "connected") fades after DESK_INFO_MS. Both go to the log. */
void desk_set_error(struct desk *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void desk_clear_error(struct desk *d);
void desk_info(struct desk *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Into the message log only (connection changes). */
void desk_log(struct desk *d, enum desk_notice_kind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The information to show now (NULL once it faded), and when it fades (0: nothing to wait for). */
const char *desk_info_now(const struct desk *d, int64_t now_ms);
void desk_set_fatal(struct desk *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void desk_notices_free(struct desk *d);

/* Tell the observer that `what` changed (for transports that change state the model does not see). */
void desk_notify(struct desk *d, unsigned what, int64_t dialog);

struct desk_dialog *desk_dialog_find(const struct desk *d, int64_t id);
bool desk_dialog_open(const struct desk_dialog *dl); /* assigned to us and not closed or released */
size_t desk_open_count(const struct desk *d);
bool desk_message_mine(const struct desk *d, const struct desk_message *m);

/* Operator actions. Each returns 0 when the frame was handed to the transport (or, for a message, kept as
 * pending until the connection is back), -1 with desk->last_error set when it cannot be done now. */
int desk_send_text(struct desk *d, int64_t dialog, const char *text);
/* A message, or with `note` an internal note the customer never sees (pending until the ack). */
int desk_send_message(struct desk *d, int64_t dialog, const char *text, bool note);
/* File a customer claim on the dialog (the hub answers with a note in the history); text may be NULL. */
int desk_claim(struct desk *d, int64_t dialog, enum proto_claim category, const char *text);
/* Hand the dialog to a queue or (queue NULL) to the operator `operator_name`, with an optional note. */
int desk_transfer(struct desk *d, int64_t dialog, const char *queue, const char *operator_name, const char *note);
int desk_take(struct desk *d, int64_t dialog); /* 0: the oldest waiting chat */
/* Ask the hub where a dialog can be transferred; the answer replaces the targets (DESK_CH_TARGETS). Until it
 * comes targets_known is false. -1 when offline (nothing is shown as an error: the transfer works without). */
int desk_request_targets(struct desk *d);
int desk_close(struct desk *d, int64_t dialog, const char *topic);
int desk_set_status(struct desk *d, enum proto_status status);
/* The status the operator will have: the one asked for while the hub has not echoed it yet (F3 twice quickly
 * is away and back, not away twice), else the hub's. */
enum proto_status desk_status_next(const struct desk *d);
/* The draft of `dialog` changed: tell the hub the operator is typing (or stopped), at most every few s. */
void desk_draft_changed(struct desk *d, int64_t dialog);
void desk_mark_read(struct desk *d, int64_t dialog);
/* The seq of the first of the `unread` customer messages, 0 if none. */
int64_t desk_first_unread_seq(const struct desk_dialog *dl);
/* Drop a dialog that is no longer open and no longer shown. */
void desk_forget(struct desk *d, int64_t dialog);

/* ---- supervising (desk_watch.c): watch any dialog read-only, whisper to its operator, take it over ---- */

/* Watch (on) a dialog: the hub answers with the dialog, which joins the desk marked `watched` (never counted in
 * the open dialogs, never sent typing, not closed, transferred or claimed from here), then its live events;
 * asked again after every welcome. Off: stop, and the dialog leaves the desk. Offline, the wish is kept and
 * sent after the welcome. -1 with last_error when it cannot be (an operator's session, own dialog, full). */
int desk_watch(struct desk *d, int64_t dialog, bool on);
bool desk_watching(const struct desk *d, int64_t dialog); /* asked to watch it (answered or not) */
/* A whisper to the operator of the watched `dialog`: pending until the hub's ack like a message (resent with
 * the same client message id after a reconnect, stored once), never seen by the customer. */
int desk_send_whisper(struct desk *d, int64_t dialog, const char *text);
/* Take the watched `dialog` over: when its `assigned` comes it is the supervisor's own, in the same pane. */
int desk_takeover(struct desk *d, int64_t dialog);
/* Why the operator's actions (send, close, transfer, claim, canned replies) cannot be done on dl, translated;
 * NULL when they can (it is open and the operator's). */
const char *desk_dialog_refusal(const struct desk_dialog *dl);
/* dl is a watched dialog still going on (its composer whispers). */
bool desk_dialog_watch_live(const struct desk_dialog *dl);
/* A message is a supervisor's whisper (kind "whisper"). */
bool desk_message_whisper(const struct desk_message *m);

/* Put back a message the operator sent before a crash that the hub had not acknowledged (the drafts file):
 * pending again, it goes out with its old client message id after the next welcome, and the hub stores it
 * once. Nothing happens when the dialog already holds that id. */
void desk_restore_pending(struct desk *d, int64_t dialog, const char *cmid, const char *text, bool note,
                          int64_t time);
/* The same for a whisper in a watched dialog (it goes out at once when the session is already welcomed). */
void desk_restore_whisper(struct desk *d, int64_t dialog, const char *cmid, const char *text, int64_t time);

/* The hello's resume list: for each open dialog the newest seq seen without a gap. Heap array. */
size_t desk_resume(const struct desk *d, struct proto_resume **out);
/* After a welcome: send the operator's still-pending messages again (the hub ignores duplicates). */
void desk_resend_pending(struct desk *d);

/* Monitor mode (desk_board.c): keep the supervisor's board (desk->board) and ask the hub for it after every
 * welcome; board and alert frames then change it (DESK_CH_BOARD, DESK_CH_ALERT). */
void desk_monitor(struct desk *d);

/* Current time on the hub's clock (local clock plus the skew measured at the welcome), ms. */
int64_t desk_now(const struct desk *d);
/* Since when the oldest queue item waits (hub clock, ms), 0 if the queue is empty. */
int64_t desk_oldest_wait(const struct desk *d);

#endif

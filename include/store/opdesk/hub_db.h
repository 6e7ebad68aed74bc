/* hub_db.h: the hub's store, the one way into its data: named operations on operators, dialogs, messages,
 * ratings, claims, canned replies, bridges, the audit log and the figures of a period; no SQL and no handle
 * leave it. Its one engine today is SQLite (src/store/hub_db*.c, schema migrations included), shaped so that
 * a second engine can implement the same operations beside it. The SQLite file is in WAL mode with
 * synchronous=FULL, so a function that returned HUB_DB_OK for a write
 * has put it on disk (inside a batch: once hub_db_batch_commit returned HUB_DB_OK): only then may the hub
 * acknowledge it. Any failed write returns HUB_DB_ERROR with a
 * sentence in hub_db_errmsg() and leaves nothing half-written. */
#ifndef OPDESK_HUB_DB_H
#define OPDESK_HUB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/proto.h"

/* The schema version this build writes (PRAGMA user_version after migrations). */
#define HUB_DB_SCHEMA_VERSION 8

enum hub_db_rc {
	HUB_DB_ERROR = -1,    /* SQLite failed; see hub_db_errmsg(); nothing was written */
	HUB_DB_OK = 0,
	HUB_DB_NOT_FOUND = 1, /* no such row */
	HUB_DB_EXISTS = 2,    /* the row already exists (name taken, already rated, duplicate client_msg_id) */
	HUB_DB_CONFLICT = 3,  /* a client_msg_id the same author used in another dialog; operator has dialogs */
};

struct hub_db;

struct hub_db_operator {
	int64_t id;
	char *name;
	char *display;        /* may be NULL */
	enum proto_role role;
	char *secret_hash;
	int capacity;
	bool disabled;
	int64_t created;      /* ms since epoch */
};

struct hub_db_dialog {
	struct proto_dialog d;    /* messages are not loaded (n_messages == 0), nor returning (0) */
	int64_t operator_id;      /* 0 when none */
	int64_t assigned;         /* ms, 0 when never */
	int64_t closed;           /* ms, 0 while open */
	bool has_closer;
	enum proto_closer closed_by;
	int64_t customer_id;      /* who the customer is (hub_db_customers.c) */
};

/* Open the database `target` and migrate it to HUB_DB_SCHEMA_VERSION: a SQLite file path (created if
 * needed), or a PostgreSQL database named by a libpq URI (postgresql://...) or key=value string (the database
 * must exist; its tables are created). Refuses a schema newer than this hub's. On failure returns -1 with
 * *cause (heap sentence). */
int hub_db_open(const char *target, struct hub_db **out, char **cause);
/* The same for the hub that serves the database. On PostgreSQL it first takes the database's serving lock,
 * held by its connection for as long as the hub runs (one hub serves a database at a time; a hub killed
 * releases it at once): if another hub holds it, fail with who does, or with `wait` stand by (standing_by is
 * told once who serves) until it is free, then migrate and open. Returns 1 if stop_fd became readable while
 * standing by. SQLite: as hub_db_open. */
struct hub_db_serving {
	bool wait;
	int stop_fd;
	void (*standing_by)(void *arg, const char *holder);
	void *arg;
};
int hub_db_open_serving(const char *target, const struct hub_db_serving *serve, struct hub_db **out, char **cause);
/* This hub lost the serving lock with its connection and another hub took it: nothing is written any more
 * (every operation fails), and the hub must stop so that its clients move to the one serving. */
bool hub_db_fenced(const struct hub_db *db);
/* Between operations (PostgreSQL; SQLite has nothing to watch): the descriptor to watch for the server
 * closing the connection (-1 while it is down), and what to call when it is readable or a retry is due: a
 * lost connection noticed, a reconnection tried (the serving lock taken again). hub_db_watch returns 0 when
 * connected, the ms until the next attempt while not, -1 when fenced. */
int hub_db_watch_fd(struct hub_db *db);
int hub_db_watch(struct hub_db *db);
/* What a target is called in messages and logs (heap): a PostgreSQL URI without its password. */
char *hub_db_target_name(const char *target);
/* The target names a PostgreSQL database. */
bool hub_db_target_is_postgres(const char *target);
/* The store runs on PostgreSQL. */
bool hub_db_is_postgres(const struct hub_db *db);
void hub_db_close(struct hub_db *db);
/* The last error, as a sentence ("" when none). */
const char *hub_db_errmsg(const struct hub_db *db);
/* How many times the connection to the database server was lost since it was opened (0 for SQLite). */
uint64_t hub_db_connection_losses(const struct hub_db *db);
/* The schema version of the open database. */
int hub_db_version(struct hub_db *db);
/* Can the store take a write now (one durable write of an unchanged header field: a full disk or a read-only
 * file shows)? HUB_DB_OK, or HUB_DB_ERROR with the reason in hub_db_errmsg(). */
int hub_db_health(struct hub_db *db);

/* Group several writes into one transaction. Calls nest; only the outermost commits. If any write inside
 * failed, or hub_db_rollback was called, the outermost hub_db_commit rolls everything back and returns
 * HUB_DB_ERROR. */
int hub_db_begin(struct hub_db *db);
int hub_db_commit(struct hub_db *db);
void hub_db_rollback(struct hub_db *db);

/* Group commit: one transaction held open across several operations (a loop pass's messages) and made
 * durable by one commit. Inside a batch each operation's writes (a hub_db_* write call, or one
 * hub_db_begin/commit group) are a savepoint: an operation that fails is undone alone and reports its
 * error as usual; one that returns HUB_DB_OK is durable only once hub_db_batch_commit returns HUB_DB_OK
 * (on HUB_DB_ERROR every operation of the batch is undone). Nothing outside a batch may write while it is
 * open. hub_db_batch_begin does nothing when a batch is open already. */
int hub_db_batch_begin(struct hub_db *db);
bool hub_db_batch_open(const struct hub_db *db);
int hub_db_batch_commit(struct hub_db *db);

/* Operators. */
int hub_db_operator_add(struct hub_db *db, const char *name, const char *display, enum proto_role role,
			const char *secret_hash, int capacity, int64_t now, int64_t *id);
int hub_db_operator_by_name(struct hub_db *db, const char *name, struct hub_db_operator *out);
int hub_db_operator_by_id(struct hub_db *db, int64_t id, struct hub_db_operator *out);
/* Did this customer (name and channel) have a chat closed since `since_ms`? *op: who served it (0: nobody). */
int hub_db_returning(struct hub_db *db, const char *customer, enum proto_channel channel, int64_t since_ms,
		     bool *returning, int64_t *op);
/* The queues operator `op` serves, comma-separated (heap), or *queues = NULL: every queue. */
int hub_db_skills_get(struct hub_db *db, int64_t op, char **queues);
/* Set them (NULL: every queue). */
int hub_db_skills_set(struct hub_db *db, int64_t op, const char *queues);
/* All operators, ordered by name. */
int hub_db_operator_list(struct hub_db *db, struct hub_db_operator **out, size_t *n);
/* Store display, role, secret_hash, capacity and disabled of o (found by o->id). */
int hub_db_operator_update(struct hub_db *db, const struct hub_db_operator *o);
/* Delete an operator; HUB_DB_CONFLICT when dialogs still refer to it (disable it instead). */
int hub_db_operator_delete(struct hub_db *db, const char *name);
void hub_db_operator_free(struct hub_db_operator *o);
void hub_db_operators_free(struct hub_db_operator *v, size_t n);

/* Create a queued dialog with the customer's first message (seq 1) in one transaction. *first receives
 * the stored message (free its members with hub_db_message_clear). */
int hub_db_dialog_open(struct hub_db *db, const char *customer, enum proto_channel channel, const char *queue,
		       const char *text, const char *client_msg_id, int64_t now, int64_t *dialog,
		       struct proto_message *first);
/* Append a message: the next seq of the dialog is assigned in the same transaction. A client_msg_id that
 * the same operator (author) already used in this dialog, or the same customer id in this dialog, returns
 * HUB_DB_EXISTS with the existing row in *out instead of inserting; an operator's id used in another
 * dialog returns HUB_DB_CONFLICT. HUB_DB_NOT_FOUND: no such dialog. */
int hub_db_message_append(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
			  const char *text, const char *client_msg_id, int64_t now, struct proto_message *out);
/* The same for a line the hub writes itself: `kind` and `args` (docs/protocol.md, "System lines") are stored
 * with it and come back with it wherever it is read; `text` says the same in the hub's language. */
int hub_db_line_append(struct hub_db *db, int64_t dialog, enum proto_sender sender, const char *author,
		       const char *text, const char *kind, const struct proto_sysargs *args, const char *client_msg_id,
		       int64_t now, struct proto_message *out);
/* The dialog's first `file` message of the file `hash` (docs/protocol.md, "Files"): HUB_DB_OK into *out,
 * HUB_DB_NOT_FOUND or HUB_DB_ERROR. */
int hub_db_dialog_file(struct hub_db *db, int64_t dialog, const char *hash, struct proto_message *out);
/* state=assigned, operator_id=op, assigned_ms=now. */
int hub_db_dialog_assign(struct hub_db *db, int64_t dialog, int64_t op, int64_t now);
/* state=queued, operator_id=NULL, queue=queue (unchanged when NULL). */
int hub_db_dialog_requeue(struct hub_db *db, int64_t dialog, const char *queue);
/* state=closed, topic, closed_ms=now, closed_by. */
int hub_db_dialog_close(struct hub_db *db, int64_t dialog, const char *topic, enum proto_closer by, int64_t now);
int hub_db_dialog_set_topic(struct hub_db *db, int64_t dialog, const char *topic);
int hub_db_dialog_get(struct hub_db *db, int64_t dialog, struct hub_db_dialog *out);
/* Dialogs in `state`, oldest first (opened_ms, id). */
int hub_db_dialogs_by_state(struct hub_db *db, enum proto_dstate state, struct hub_db_dialog **out, size_t *n);
/* Open (assigned) dialogs of operator `op`, in the order they were assigned. */
int hub_db_dialogs_of_operator(struct hub_db *db, int64_t op, int64_t **ids, size_t *n);
void hub_db_dialog_free(struct hub_db_dialog *d);
void hub_db_dialogs_free(struct hub_db_dialog *v, size_t n);

/* The newest `limit` messages of a dialog, oldest first. */
int hub_db_history_last(struct hub_db *db, int64_t dialog, size_t limit, struct proto_message **out, size_t *n);
/* Up to `limit` messages with seq > after, oldest first. */
int hub_db_history_after(struct hub_db *db, int64_t dialog, int64_t after, size_t limit,
			 struct proto_message **out, size_t *n);
void hub_db_message_clear(struct proto_message *m);
void hub_db_messages_free(struct proto_message *v, size_t n);

/* Store the customer's rating; HUB_DB_EXISTS when the dialog is already rated. */
int hub_db_rating_add(struct hub_db *db, int64_t dialog, int score, const char *comment, int64_t now);
/* A customer claim filed by operator `op` on the dialog (status 'open'). */
int hub_db_claim_add(struct hub_db *db, int64_t dialog, int64_t op, enum proto_claim category, const char *text,
		     int64_t now);

/* Queues known from the database, appended to *out (a list of *n that may already hold some; a queue already
 * there gets its figure added): those chats wait in, with how many, and those operators serve (0). */
int hub_db_queue_loads(struct hub_db *db, struct proto_queue_load **out, size_t *n);
/* Waiting dialogs as queue items, oldest first, at most `limit`; *total = how many wait in all. */
int hub_db_queue_items(struct hub_db *db, size_t limit, struct proto_queue_item **out, size_t *n, int64_t *total);
void hub_db_queue_items_free(struct proto_queue_item *v, size_t n);

/* Canned replies in language `lang` ("ru", "en"), ordered by id, at most PROTO_MAX_ITEMS. */
int hub_db_canned(struct hub_db *db, const char *lang, struct proto_canned **out, size_t *n);
void hub_db_canned_free(struct proto_canned *v, size_t n);

/* ---- hub_db_bridge.c: messenger bridges and bridged dialogs ---- */

struct hub_db_bridge {
	int64_t id;
	char *name;
	enum proto_channel channel;
	char *secret_hash;
	bool disabled;
	int64_t created; /* ms since epoch */
};

/* HUB_DB_EXISTS when the name is taken (by a bridge or an operator: both sign in by name). */
int hub_db_bridge_add(struct hub_db *db, const char *name, enum proto_channel channel, const char *secret_hash,
		      int64_t now);
int hub_db_bridge_by_name(struct hub_db *db, const char *name, struct hub_db_bridge *out);
int hub_db_bridge_list(struct hub_db *db, struct hub_db_bridge **out, size_t *n);
/* Change the secret hash (hash != NULL) and/or the disabled flag (disabled >= 0). */
int hub_db_bridge_update(struct hub_db *db, const char *name, const char *secret_hash, int disabled);
void hub_db_bridge_free(struct hub_db_bridge *b);
void hub_db_bridges_free(struct hub_db_bridge *v, size_t n);

/* Mark a dialog as bridged: `contact` is the messenger's id of its customer. */
int hub_db_dialog_set_contact(struct hub_db *db, int64_t dialog, const char *contact);
/* The newest dialog of (channel, contact): *dialog 0 when none; *state its state, *rated whether rated. */
int hub_db_dialog_of_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t *dialog,
			     enum proto_dstate *state, bool *rated);
/* The contact of a bridged dialog (heap) and its channel; *contact NULL for a dialog that is not bridged. */
int hub_db_dialog_contact(struct hub_db *db, int64_t dialog, enum proto_channel *channel, char **contact);

/* hub_db_customer.c: the secret a web customer resumes their dialog with (set once, at open), and what a
 * resume needs to know: the stored token (heap; NULL when the dialog has none) and whether it was rated.
 * HUB_DB_NOT_FOUND: no such dialog. */
int hub_db_dialog_set_token(struct hub_db *db, int64_t dialog, const char *token);
int hub_db_dialog_resume_info(struct hub_db *db, int64_t dialog, char **token, bool *rated);
/* The open chat opened since `since` whose first message is the customer's with this client_msg_id, text,
 * name and channel (an `open` sent again after its answer was lost): HUB_DB_OK with its id and token. */
int hub_db_open_retry(struct hub_db *db, const char *client_msg_id, const char *customer, enum proto_channel channel,
		      const char *text, int64_t since, int64_t *dialog, char **token);
/* A bridged customer back within the window: as hub_db_returning, by contact. */
int hub_db_returning_contact(struct hub_db *db, enum proto_channel channel, const char *contact, int64_t since_ms,
			     bool *returning, int64_t *op);
/* The customer's message with this client_msg_id in `dialog` (HUB_DB_NOT_FOUND: none). */
int hub_db_customer_message(struct hub_db *db, int64_t dialog, const char *client_msg_id, struct proto_message *out);
/* What bridged customers of `channel` were sent after message id `after` (operator and system messages, not
 * notes), oldest first, at most `limit`; contacts[i] is message i's contact (heap). */
int hub_db_bridge_backlog(struct hub_db *db, enum proto_channel channel, int64_t after, size_t limit,
			  struct proto_message **out, char ***contacts, size_t *n);

/* ---- hub_db_customers.c: customers across chats (docs/protocol.md, "Who the customer is") ---- */

/* The customer a web browser's token names, or a bridged contact of `channel` (token NULL): *id, or
 * HUB_DB_NOT_FOUND. */
int hub_db_customer_find(struct hub_db *db, enum proto_channel channel, const char *token, const char *contact,
			 int64_t *id);
/* A new customer: a web one with its token (the hub's fresh random one) or a bridged one with its contact;
 * `address` where it came from (NULL: none). */
int hub_db_customer_add(struct hub_db *db, enum proto_channel channel, const char *token, const char *contact,
			const char *address, int64_t now, int64_t *id);
/* The address a customer came from last (NULL: unchanged). */
int hub_db_customer_seen(struct hub_db *db, int64_t customer, const char *address);
/* The token of a web customer (heap; NULL for one without) and its last address (heap, may be NULL). */
int hub_db_customer_token(struct hub_db *db, int64_t customer, char **token, char **address);
/* A customer back within the window (a chat of theirs closed since `since_ms`): as hub_db_returning. */
int hub_db_returning_customer(struct hub_db *db, int64_t customer, int64_t since_ms, bool *returning, int64_t *op);
/* How many chats the customer had before `dialog` (a dialog object's `returning`). */
int hub_db_customer_earlier(struct hub_db *db, int64_t customer, int64_t dialog, int64_t *n);
int hub_db_dialog_set_customer(struct hub_db *db, int64_t dialog, int64_t customer);
/* The customer of a dialog (0: none known). HUB_DB_NOT_FOUND: no such dialog. */
int hub_db_dialog_customer(struct hub_db *db, int64_t dialog, int64_t *customer);
/* The card of a customer (the fields of a PROTO_CARD frame but `dialog`): its chats other than
 * `except_dialog`. Free with proto_msg_free. */
int hub_db_customer_card(struct hub_db *db, int64_t customer, int64_t except_dialog, struct proto_msg *card);

/* ---- hub_db_block.c: blocked customers ---- */

struct hub_db_block {
	int64_t id, customer, dialog, created, address_until;
	enum proto_channel channel;
	char *contact, *name, *address, *reason, *by; /* contact, name, address may be NULL */
};
/* Block a customer (and `address` until `address_until`, when not NULL) for `reason`, set by `by` from
 * `dialog`: *id the block's number. */
int hub_db_block_add(struct hub_db *db, int64_t customer, const char *address, int64_t address_until,
		     const char *reason, const char *by, int64_t dialog, int64_t now, int64_t *id);
/* Is the customer (0: unknown) or the address (NULL: none) blocked now? */
int hub_db_blocked(struct hub_db *db, int64_t customer, const char *address, int64_t now, bool *blocked);
/* Lift block `id` (HUB_DB_NOT_FOUND: no such block in force); *customer and *dialog are what it was set on. */
int hub_db_block_remove(struct hub_db *db, int64_t id, const char *by, int64_t now, int64_t *customer,
			int64_t *dialog);
/* The blocks in force, oldest first. */
int hub_db_block_list(struct hub_db *db, struct hub_db_block **out, size_t *n);
void hub_db_blocks_free(struct hub_db_block *v, size_t n);

/* ---- hub_db_audit.c: the audit log (table `audit`) ---- */

/* One action: `actor` did `action` to `dialog` (0: none); `detail` may be NULL. */
int hub_db_audit_add(struct hub_db *db, int64_t now, const char *actor, const char *action, int64_t dialog,
		     const char *detail);
/* The entries of [since_ms, until_ms), oldest first, of one actor (NULL: all): fn is called for each (dialog 0:
 * none; detail "" when none); a nonzero return from fn stops the reading. */
typedef int hub_db_audit_fn(void *arg, int64_t time_ms, const char *actor, const char *action, int64_t dialog,
			    const char *detail);
int hub_db_audit_read(struct hub_db *db, int64_t since_ms, int64_t until_ms, const char *actor, hub_db_audit_fn *fn,
		      void *arg);

/* ---- hub_db_canned.c: every canned reply, for `opdesk-hub canned export|import` ---- */

struct hub_db_canned_row {
	char *id, *lang, *shortcut, *category, *title, *text;
};
/* All replies of every language, ordered by language and id. */
int hub_db_canned_all(struct hub_db *db, struct hub_db_canned_row **out, size_t *n);
/* Add the replies, replacing those with the same id, in one transaction (all or nothing). */
int hub_db_canned_put(struct hub_db *db, const struct hub_db_canned_row *v, size_t n);
void hub_db_canned_rows_free(struct hub_db_canned_row *v, size_t n);

/* ---- hub_db_mail.c: the outbox (table `mail`, schema v7): each mail whole as the sendmail command takes it,
 * kept until sent or given up, so that a queued mail survives a restart ---- */

enum hub_db_mail_state { HUB_DB_MAIL_PENDING, HUB_DB_MAIL_SENT, HUB_DB_MAIL_FAILED };

struct hub_db_mail {
	int64_t id;
	char *to;          /* the one recipient (checked when queued) */
	char *kind;        /* what it is: "transcript", "answer" */
	int64_t dialog;    /* 0: none */
	char *message;     /* the RFC 5322 message, headers and body, LF line ends */
	int tries;         /* attempts made */
	int64_t next_ms;   /* the next attempt not before */
};

/* Queue a mail (pending, to be tried from `now`); *id its id. */
int hub_db_mail_add(struct hub_db *db, const char *to, const char *kind, int64_t dialog, const char *message,
		    int64_t now, int64_t *id);
/* The pending mail due first (HUB_DB_NOT_FOUND: none pending). Free with hub_db_mail_free. */
int hub_db_mail_next(struct hub_db *db, struct hub_db_mail *out);
/* An attempt ended: sent (state sent), or failed with `error` (a line: the exit status and the command's
 * stderr) and then pending again from next_ms, or given up (next_ms < 0: state failed). tries is the count so
 * far. */
int hub_db_mail_done(struct hub_db *db, int64_t id, int tries, bool sent, int64_t next_ms, const char *error,
		     int64_t now);
/* How many mails of `kind` for `dialog` are in the outbox (in any state). */
int hub_db_mail_count_for(struct hub_db *db, const char *kind, int64_t dialog, int64_t *n);
/* How many mails are in each state (by enum hub_db_mail_state). */
int hub_db_mail_tally(struct hub_db *db, int64_t counts[3]);
void hub_db_mail_free(struct hub_db_mail *m);

/* ---- hub_db_request.c: offline requests (table `requests`, schema v8): left by customers while nobody was
 * there, taken by one operator, answered ---- */

struct hub_db_request {
	struct proto_request r;   /* taken_by: the taking operator's user name */
	char *token;              /* the customer's secret for asking after it */
	enum proto_rstate state;
	int64_t taken_op;         /* 0: nobody */
	char *answer;             /* NULL until answered */
	int64_t answered;         /* ms, 0 until answered */
};

int hub_db_request_add(struct hub_db *db, const char *name, const char *email, const char *phone, const char *text,
		       const char *queue, const char *token, int64_t now, int64_t *id);
int hub_db_request_get(struct hub_db *db, int64_t id, struct hub_db_request *out);
/* The requests not yet answered, oldest first, at most `limit`; *total how many in all. */
int hub_db_requests_open(struct hub_db *db, size_t limit, struct proto_request **out, size_t *n, int64_t *total);
/* Operator `op` takes it: HUB_DB_CONFLICT when another operator has it or it is answered, HUB_DB_NOT_FOUND. */
int hub_db_request_take(struct hub_db *db, int64_t id, int64_t op, int64_t now);
/* Operator `op` answers it (taking it if nobody has): HUB_DB_CONFLICT, HUB_DB_NOT_FOUND as above. */
int hub_db_request_answer(struct hub_db *db, int64_t id, int64_t op, const char *answer, int64_t now);
/* How many requests are in each state (by enum proto_rstate), all told / left and answered in [since, until). */
int hub_db_request_tally(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *left, int64_t *answered,
			 int64_t *open);
void hub_db_request_free(struct hub_db_request *r);
void hub_db_requests_free(struct proto_request *v, size_t n);

/* ---- hub_db_stats.c: counts and the raw figures of a period (hub_stats.c aggregates them) ---- */

struct hub_db_tally {
	char *key; /* the state, sender, score or category */
	int64_t n;
};
enum hub_db_tally_of { HUB_DB_DIALOGS_BY_STATE, HUB_DB_MESSAGES_BY_SENDER, HUB_DB_RATINGS_BY_SCORE,
		       HUB_DB_CLAIMS_BY_CATEGORY, HUB_DB_BLOCKS_BY_STATE /* in_force, lifted */ };
/* Counts by key, in key order (every state, even at 0); none (*out NULL, *n 0) when it fails. */
int hub_db_tally(struct hub_db *db, enum hub_db_tally_of what, struct hub_db_tally **out, size_t *n);
void hub_db_tally_free(struct hub_db_tally *v, size_t n);

enum hub_db_period_by {
	HUB_DB_BY_OPERATOR,      /* "Анна (anna)", or "anna" without a display name; "(nobody)" if never assigned */
	HUB_DB_BY_QUEUE,
	HUB_DB_BY_TOPIC,         /* "(open)" while open */
	HUB_DB_BY_OPERATOR_USER, /* the user name alone (a stable label) */
};
/* One dialog opened in the period: its group's key, and its times in ms (0 where it never happened). */
struct hub_db_period_dialog {
	const char *key;
	int64_t opened, assigned, closed, first_reply;
	int score; /* 0: not rated */
	bool abandoned; /* the customer left before any operator joined */
};
/* The files sent in [since_ms, until_ms) (docs/protocol.md, "Files"): by customers, by operators, and their bytes. */
/* The blocks set and lifted in [since_ms, until_ms). */
int hub_db_period_blocks(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *set, int64_t *lifted);
int hub_db_period_files(struct hub_db *db, int64_t since_ms, int64_t until_ms, int64_t *from_customers,
			int64_t *from_operators, int64_t *bytes);
/* The dialogs opened in [since_ms, until_ms), ordered by key (strcmp's order); then the claims on them by key
 * and category. fn's nonzero return stops the reading. */
int hub_db_period_dialogs(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_db_period_by by,
			  int (*fn)(void *arg, const struct hub_db_period_dialog *d), void *arg);
int hub_db_period_claims(struct hub_db *db, int64_t since_ms, int64_t until_ms, enum hub_db_period_by by,
			 int (*fn)(void *arg, const char *key, const char *category, int64_t count), void *arg);

/* Each open dialog, with since when its customer's oldest message after the last operator message waits (0: none
 * waits); fn's nonzero return stops the reading. */
int hub_db_open_unanswered(struct hub_db *db, int (*fn)(void *arg, int64_t dialog, int64_t since), void *arg);

/* What else happened in [since_ms, until_ms): offline requests left and answered (and those open now), dialogs
 * opened then that the hub closed for a silent customer, mails queued then by state (enum hub_db_mail_state). */
struct hub_db_period_extra {
	int64_t requests_left, requests_answered, requests_open;
	int64_t auto_closed;
	int64_t mail[3];
};
int hub_db_period_extra(struct hub_db *db, int64_t since_ms, int64_t until_ms, struct hub_db_period_extra *out);

/* Each held dialog whose customer has not written since the operator's last message: that message's time, and
 * when the hub warned the customer since (an `idle_warning` line; 0: not yet). fn's nonzero return stops it. */
int hub_db_open_idle(struct hub_db *db, int (*fn)(void *arg, int64_t dialog, int64_t since, int64_t warned),
		     void *arg);

/* The preview of a queue item: the first non-blank line of `text`, cut to PROTO_MAX_PREVIEW bytes on a character
 * boundary (heap string). */
char *hub_db_preview(const char *text);

#endif

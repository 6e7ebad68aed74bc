/* proto.h: the opdesk wire protocol v1 (docs/protocol.md) as typed C messages, with a JSON codec
 * that checks every field (type, range, length, valid UTF-8) and never trusts its input. */
#ifndef OPDESK_PROTO_H
#define OPDESK_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* WebSocket subprotocol names; the endpoint is chosen by the subprotocol. */
#define PROTO_SUBPROTOCOL_AGENT "opdesk.agent.v1"       /* operators and supervisors */
#define PROTO_SUBPROTOCOL_CUSTOMER "opdesk.customer.v1" /* customers (simulator, widget) */
#define PROTO_SUBPROTOCOL_BRIDGE "opdesk.bridge.v1"     /* messenger bridges relaying many customers */
#define PROTO_VERSION 1

/* Limits (bytes unless stated). A frame over its limit is refused before it is parsed. */
#define PROTO_MAX_FRAME_IN (16 * 1024)        /* any frame sent to the hub */
#define PROTO_MAX_FRAME_OUT (4 * 1024 * 1024) /* any frame sent by the hub */
#define PROTO_MAX_DEPTH 8                     /* JSON nesting */
#define PROTO_MAX_TEXT 4096                   /* message text */
#define PROTO_RATE_PER_S 50                   /* frames a second a connection may send to the hub on average */
#define PROTO_RATE_BURST 100                  /* ... and at once */
#define PROTO_MAX_NAME 64                     /* user names, customer names, queue names */
#define PROTO_MAX_ID 64                       /* client message ids, canned ids, topic ids */
#define PROTO_MAX_SECRET 256
#define PROTO_MAX_NOTE 1024                   /* transfer notes, rating comments */
#define PROTO_MAX_FILENAME 255                /* a file's name (docs/protocol.md, "Files") */
#define PROTO_MAX_PREVIEW 200                 /* queue item preview */
#define PROTO_MAX_ERRMSG 256
#define PROTO_MAX_HISTORY 50                  /* messages per dialog in a welcome/assigned snapshot */
#define PROTO_MAX_ITEMS 500                   /* queue items, canned replies, dialogs, resume entries */
#define PROTO_MAX_EMAIL 254                   /* an e-mail address (RFC 5321's path limit) */
#define PROTO_MAX_PHONE 32

/* Which way a frame travels: each direction has its own set of message types. */
enum proto_dir {
	PROTO_AGENT_TO_HUB,
	PROTO_HUB_TO_AGENT,
	PROTO_CUSTOMER_TO_HUB,
	PROTO_HUB_TO_CUSTOMER,
	PROTO_BRIDGE_TO_HUB, /* a messenger bridge: customer frames naming their `contact` */
	PROTO_HUB_TO_BRIDGE,
	PROTO_DIR_COUNT
};

enum proto_type {
	PROTO_NONE = 0,
	/* agent -> hub */
	PROTO_HELLO,     /* user, secret, role, client?, resume[]? */
	PROTO_SEND,      /* dialog, client_msg_id, text, note? */
	PROTO_TYPING,    /* dialog, on            (both ways on the agent endpoint) */
	PROTO_TAKE,      /* dialog? (absent: the oldest waiting chat) */
	PROTO_CLOSE,     /* dialog, topic */
	PROTO_TRANSFER,  /* dialog, queue? | operator?, note? */
	PROTO_STATUS,    /* status                (both ways on the agent endpoint) */
	/* hub -> agent */
	PROTO_WELCOME,   /* op, dialogs[], items[], canned[], time */
	PROTO_QUEUE,     /* items[], total */
	PROTO_ASSIGNED,  /* dialogs[0] */
	PROTO_MESSAGE,   /* msg                   (hub -> agent and hub -> customer) */
	PROTO_ACK,       /* client_msg_id, dialog, id, seq, time (both endpoints) */
	PROTO_CLOSED,    /* dialog, topic?, by    (both endpoints) */
	PROTO_RATING,    /* dialog, score, comment? */
	PROTO_RELEASED,  /* dialog, reason */
	PROTO_ERROR,     /* code, message, ref?   (both endpoints) */
	/* customer -> hub */
	PROTO_OPEN,      /* channel, name, text, client_msg_id? */
	PROTO_CSAY,      /* JSON type "message": client_msg_id, text */
	PROTO_CTYPING,   /* JSON type "typing": on  (customer -> hub) */
	PROTO_RATE,      /* score, comment? */
	/* hub -> customer */
	PROTO_OPENED,    /* dialog, position */
	PROTO_OPTYPING,  /* JSON type "typing": on  (hub -> customer: the operator is typing) */
	/* agent -> hub (placed last so the numbering above stays put) */
	PROTO_CLAIM,     /* dialog, category, text? */
	/* supervisors and admins (agent endpoint): live board, read-only views, whisper, take over */
	PROTO_MONITOR,   /* on                     (agent -> hub: board frames on/off) */
	PROTO_WATCH,     /* dialog, on             (agent -> hub: a read-only view of any dialog on/off) */
	PROTO_WHISPER,   /* dialog, client_msg_id, text (agent -> hub: a note only the operator sees) */
	PROTO_TAKEOVER,  /* dialog                 (agent -> hub: the dialog moves to the supervisor) */
	PROTO_BOARD,     /* time, waiting, oldest, operators[], today{} (hub -> agent) */
	PROTO_WATCHING,  /* dialogs[0]             (hub -> agent: the watched dialog; then its events) */
	PROTO_DIALOGS,   /* operator               (agent -> hub: that operator's open dialogs, please) */
	PROTO_DIALOG_LIST, /* JSON type "dialogs": operator, items[] (hub -> agent: the answer) */
	/* customers: back to their chat after a dropped connection, a reload or a hub restart */
	PROTO_RESUME,    /* dialog, token, after   (customer -> hub) */
	PROTO_RESUMED,   /* dialog, state, position, rated (hub -> customer; then the messages after `after`) */
	/* agent -> hub: where a dialog can be transferred; hub -> agent: the answer */
	PROTO_TARGETS,   /* (no fields) | queue_loads[], board_ops[] (user, display?, status, load, capacity) */
	/* supervisors: what must be seen now; operators: who watches one of their dialogs */
	PROTO_ALERT,     /* id, time, kind, dialog?, operator?, customer?, queue?, since?, score?, comment?,
	                    alert_category?, waiting? (hub -> supervisor) */
	PROTO_WATCHERS,  /* dialog, people[] (hub -> the dialog's operator) */
	/* who the customer is (agent endpoint): the card, an earlier chat read-only, blocking */
	PROTO_CUSTOMER_ASK, /* JSON type "customer": dialog (agent -> hub) */
	PROTO_CARD,      /* JSON type "customer": dialog, id, channel, since, contact?, names[], contacts[], chats[],
	                    total, blocked? (hub -> agent) */
	PROTO_HISTORY,   /* dialog, after? (agent -> hub) */
	PROTO_HISTORY_ANSWER, /* JSON type "history": dialogs[0] (messages empty), messages[] (hub -> agent) */
	PROTO_BLOCK,     /* dialog, reason (agent -> hub) */
	PROTO_BLOCKED,   /* dialog, id (hub -> agent) */
	/* files (docs/protocol.md, "Files"): agent -> hub requests and their answers */
	PROTO_FILE_LINK, /* dialog, file | + path, expires: a signed link to a file of the dialog */
	PROTO_UPLOAD_TICKET, /* dialog | + token (JSON "ticket"), expires: a one-time bearer for POST /upload */
	/* customers: the closed chat's transcript by mail */
	PROTO_TRANSCRIPT, /* dialog, token, email (customer -> hub); dialog, email (hub -> customer: queued) */
	/* offline requests: customers leave one while nobody is there, operators take and answer them */
	PROTO_AVAILABILITY,   /* on (online), reason?, since (opens)? (hub -> customer) */
	PROTO_LEAVE_REQUEST,  /* name, text, email?, phone? (customer -> hub) */
	PROTO_REQUEST_LEFT,   /* request, token (hub -> customer) */
	PROTO_REQUEST_STATUS, /* request, token (customer -> hub); request, rstate, text (answer)?, time (answered)? */
	PROTO_REQUESTS,       /* requests[], total (hub -> agent) */
	PROTO_TAKE_REQUEST,   /* request (agent -> hub) */
	PROTO_ANSWER_REQUEST, /* request, text (agent -> hub) */
	PROTO_REQUEST_ANSWERED, /* request (hub -> agent) */
	/* The bridge endpoint reuses the types above with its own field lists: bridge -> hub HELLO (user,
	 * secret, after?, client?), CSAY (+ contact, name, queue?), CTYPING (+ contact), RATE (+ contact);
	 * hub -> bridge WELCOME (channel, time), OPENED, MESSAGE, ACK, OPTYPING, CLOSED (each + contact), ERROR. */
	PROTO_TYPE_COUNT
};

enum proto_channel { PROTO_CH_WEB, PROTO_CH_TELEGRAM, PROTO_CH_VK, PROTO_CH_COUNT };
enum proto_sender { PROTO_FROM_CUSTOMER, PROTO_FROM_OPERATOR, PROTO_FROM_SYSTEM, PROTO_FROM_NOTE, PROTO_FROM_COUNT };
enum proto_role { PROTO_ROLE_OPERATOR, PROTO_ROLE_SUPERVISOR, PROTO_ROLE_ADMIN, PROTO_ROLE_COUNT };
/* Claim categories a dialog can be filed under (../shared/DOMAIN.md). */
enum proto_claim { PROTO_CLAIM_QUALITY, PROTO_CLAIM_COMPLETENESS, PROTO_CLAIM_DELIVERY, PROTO_CLAIM_SERVICE, PROTO_CLAIM_COUNT };
enum proto_status { PROTO_ST_ONLINE, PROTO_ST_AWAY, PROTO_ST_COUNT };
enum proto_dstate { PROTO_DS_QUEUED, PROTO_DS_ASSIGNED, PROTO_DS_CLOSED, PROTO_DS_COUNT };
/* What a customer left on its card: an e-mail address, a phone number, a messenger's id. */
enum proto_contact_kind { PROTO_CONTACT_EMAIL, PROTO_CONTACT_PHONE, PROTO_CONTACT_MESSENGER, PROTO_CONTACT_COUNT };
enum proto_closer { PROTO_BY_OPERATOR, PROTO_BY_CUSTOMER, PROTO_BY_SYSTEM, PROTO_BY_COUNT };
enum proto_rstate { PROTO_RS_OPEN, PROTO_RS_TAKEN, PROTO_RS_ANSWERED, PROTO_RS_COUNT }; /* an offline request */

/* Error codes: decoding errors first, then the hub's semantic refusals. */
enum proto_errcode {
	PROTO_OK = 0,
	PROTO_E_TOO_LARGE,        /* frame over the size limit */
	PROTO_E_BAD_UTF8,         /* frame is not valid UTF-8 */
	PROTO_E_MALFORMED,        /* not JSON, trailing garbage, duplicate keys, NUL in a string */
	PROTO_E_TOO_DEEP,         /* nesting over PROTO_MAX_DEPTH */
	PROTO_E_NOT_OBJECT,       /* top level is not an object */
	PROTO_E_MISSING_TYPE,     /* no "type" string */
	PROTO_E_UNKNOWN_TYPE,     /* "type" not valid for this direction */
	PROTO_E_MISSING_FIELD,    /* a required field is absent */
	PROTO_E_UNKNOWN_FIELD,    /* a field this type does not have */
	PROTO_E_WRONG_TYPE,       /* a field has the wrong JSON type */
	PROTO_E_OUT_OF_RANGE,     /* a number outside its range, or an unknown enum word */
	PROTO_E_TOO_LONG,         /* a string or array over its limit */
	PROTO_E_EMPTY,            /* a string that must not be empty is empty */
	/* hub refusals */
	PROTO_E_AUTH_FAILED,      /* unknown user, wrong secret, disabled account, wrong role */
	PROTO_E_NOT_AUTHENTICATED,/* anything but hello before a welcome */
	PROTO_E_NOT_ALLOWED,      /* the role or endpoint may not do this */
	PROTO_E_NO_SUCH_DIALOG,   /* unknown dialog, or not this operator's */
	PROTO_E_DIALOG_CLOSED,    /* the dialog is closed */
	PROTO_E_QUEUE_EMPTY,      /* take with nothing waiting, or the chat was taken by someone else */
	PROTO_E_CAPACITY,         /* the operator is at capacity */
	PROTO_E_BAD_TOPIC,        /* unknown wrap-up topic */
	PROTO_E_CONFLICT,         /* a client_msg_id reused with another dialog */
	PROTO_E_RATE_LIMITED,     /* too many frames */
	PROTO_E_STORAGE,          /* the database write failed; nothing was stored, retry later */
	PROTO_E_INTERNAL,
	PROTO_E_COUNT
};

struct proto_error {
	enum proto_errcode code;
	char detail[PROTO_MAX_ERRMSG]; /* a human sentence naming the field, e.g. "field \"score\": 9 is not in 1..5" */
};

/* The particulars of a line the hub wrote itself (docs/protocol.md, "System lines"); each may be NULL. */
struct proto_sysargs {
	char *name;               /* a person's display name (joined, transferred_operator, taken_over) */
	char *user;               /* that person's user name */
	char *queue;              /* transferred_queue */
	char *category;           /* claim: quality, completeness, delivery, service */
	char *note;               /* the operator's transfer note, the claim's text */
	char *file;               /* file: the file's id (SHA-256, 64 hex digits; docs/protocol.md, "Files") */
	char *filename;           /* file: its name as given (untrusted) */
	char *type;               /* file: jpeg, png, webp, pdf */
	int64_t size;             /* file: bytes */
};

struct proto_message {        /* one chat message, as stored by the hub */
	int64_t id;               /* server id, unique across the hub, >= 1 */
	int64_t dialog;
	int64_t seq;              /* per-dialog sequence number, 1, 2, 3 ... with no gaps */
	int64_t time;             /* milliseconds since the Unix epoch */
	enum proto_sender sender;
	char *author;             /* operator user name, customer name, or NULL */
	char *text;
	char *client_msg_id;      /* echo of the sender's id, or NULL */
	char *kind;               /* a line the hub wrote: what it says ("joined", "claim"...), or NULL; agents only */
	struct proto_sysargs args; /* with kind: its particulars */
};

struct proto_dialog {
	int64_t id;
	char *customer;           /* display name given by the customer */
	enum proto_channel channel;
	char *queue;              /* "general", "stylist", ... */
	enum proto_dstate state;
	char *topic;              /* wrap-up topic once set, else NULL */
	int64_t opened;           /* ms since epoch */
	int64_t last_seq;         /* the dialog's newest seq (may exceed the last one in messages) */
	struct proto_message *messages; /* the newest PROTO_MAX_HISTORY at most, oldest first */
	size_t n_messages;
	int64_t returning;        /* agent endpoint: how many earlier chats its customer had (0: a first chat) */
};

struct proto_queue_item {
	int64_t dialog;
	char *customer;
	enum proto_channel channel;
	char *queue;
	int64_t since;            /* ms since epoch the chat has waited */
	char *preview;            /* first line of the first message, cut to PROTO_MAX_PREVIEW */
	int64_t returning;        /* how many earlier chats its customer had (0: a first chat) */
};

struct proto_request {        /* an offline request in the operators' list */
	int64_t id, time;
	char *name, *email, *phone, *text, *queue;
	char *taken_by;           /* the operator who took it (user name), or NULL */
};

struct proto_canned {
	char *id, *shortcut, *category, *title, *text;
};

struct proto_resume {
	int64_t dialog, seq;      /* the last seq the client saw in that dialog */
};

struct proto_operator {
	char *user;
	char *display;            /* may be NULL */
	enum proto_role role;
	enum proto_status status;
	int capacity;             /* 1..16 */
};

struct proto_board_chat {    /* a dialog an operator on the board holds */
	int64_t dialog;
	char *customer, *queue;
	int64_t unanswered;       /* since when the customer's oldest unanswered message waits, 0 if answered */
};

struct proto_board_op {       /* one operator on a supervisor's board */
	char *user;
	char *display;            /* may be NULL */
	enum proto_role role;
	enum proto_status status;
	bool online;              /* signed in now */
	int load;                 /* dialogs held (0..16) */
	int capacity;             /* 1..16 */
	int64_t since;            /* when its state (offline, away, online) began; 0 unknown */
	struct proto_board_chat *chats; size_t n_chats; /* the dialogs it holds (<= 16) */
	int64_t closed, first_response_avg_ms, rated, fives; /* today's */
};

struct proto_board_queue {   /* one queue on the board */
	char *queue;
	int64_t waiting, oldest;  /* oldest: since when its longest-waiting chat waits, 0 if none */
	int64_t online, free;     /* operators serving it signed in and online, their free slots */
};

struct proto_trend {         /* one minute of the board's last hour */
	int64_t time;             /* the minute's start */
	int64_t waiting;          /* the most chats waiting at once in it */
	int64_t wait_ms;          /* the longest wait seen in it */
};

struct proto_person {        /* a board's operator gone from it, a supervisor watching a dialog */
	char *user;
	char *display;            /* may be NULL */
};

struct proto_queue_load {    /* a queue a dialog can be transferred to (targets) */
	char *queue;
	int64_t waiting;          /* chats waiting in it now */
};

struct proto_kpi {            /* today's service figures (since local midnight) */
	int64_t opened, closed;   /* dialogs */
	int64_t wait_avg_ms;      /* queue wait of those assigned */
	int64_t first_response_avg_ms; /* opened to the operator's first message (as in the report) */
	int64_t rated, fives;     /* ratings given, of which 5 of 5 */
	int64_t claims;
	int64_t wait_p90_ms;
	int64_t assigned, in_sla; /* dialogs that got an operator; of them, within the queue-wait SLA */
	int64_t score_sum;        /* the mean rating is score_sum / rated */
	int64_t abandoned;        /* the customer left before an operator joined */
	int64_t claims_by[PROTO_CLAIM_COUNT]; /* by enum proto_claim */
};

struct proto_card_name {     /* a name a customer gave, and when it was last used */
	char *name;
	int64_t time;
};

struct proto_card_contact {  /* a contact a customer left */
	enum proto_contact_kind kind;
	char *value;
	int64_t time;             /* first seen */
};

struct proto_card_chat {     /* one of a customer's other chats, on its card */
	int64_t dialog, opened, closed; /* closed 0 while open */
	enum proto_dstate state;
	char *queue, *topic, *operator_name, *orders, *preview; /* topic, operator_name, orders may be NULL */
	int score;                /* 0: not rated */
	int64_t claims_by[PROTO_CLAIM_COUNT];
};

#define PROTO_MAX_CARD_LIST 16    /* names and contacts on a card */
#define PROTO_MAX_CARD_CHATS 50   /* other chats on a card */
#define PROTO_MAX_ORDERS 200      /* the order numbers of a chat, ", "-separated */

/* One decoded frame. Which members are set depends on `type` (see the comments on enum proto_type
 * and the field tables in docs/protocol.md); all others are zero/NULL. Strings are heap copies. */
struct proto_msg {
	enum proto_type type;
	int64_t dialog, id, seq, time, total, position;
	int score;
	bool on, note;
	enum proto_role role;
	enum proto_status status;
	enum proto_channel channel;
	enum proto_closer by;
	enum proto_claim category;                         /* PROTO_CLAIM */
	char *user, *secret, *client, *client_msg_id, *text, *topic, *queue, *operator_name;
	char *note_text, *comment, *name, *code, *message, *ref, *reason;
	char *contact;                                     /* bridge frames: the messenger's id of the customer */
	char *token;                                       /* OPENED, RESUME: the secret that resumes a web chat */
	char *email;                                       /* TRANSCRIPT, LEAVE_REQUEST: where the mail goes */
	char *phone;                                       /* LEAVE_REQUEST */
	int64_t request;                                   /* the offline request's id */
	enum proto_rstate rstate;                          /* REQUEST_STATUS */
	struct proto_request *requests; size_t n_requests; /* REQUESTS */
	enum proto_dstate state;                           /* RESUMED */
	bool rated;                                        /* RESUMED */
	int64_t after;                                     /* bridge hello: the last message id it passed on */
	struct proto_message msg;                          /* PROTO_MESSAGE */
	struct proto_operator op;                          /* PROTO_WELCOME */
	struct proto_dialog *dialogs; size_t n_dialogs;    /* PROTO_WELCOME, PROTO_ASSIGNED (exactly one) */
	struct proto_queue_item *items; size_t n_items;    /* PROTO_WELCOME, PROTO_QUEUE */
	struct proto_canned *canned; size_t n_canned;      /* PROTO_WELCOME */
	struct proto_resume *resume; size_t n_resume;      /* PROTO_HELLO */
	int64_t waiting, oldest;                           /* PROTO_BOARD: chats waiting, since when the oldest */
	struct proto_board_op *board_ops; size_t n_board_ops; /* PROTO_BOARD */
	struct proto_kpi kpi;                              /* PROTO_BOARD */
	struct proto_queue_load *queue_loads; size_t n_queue_loads; /* PROTO_TARGETS (its colleagues: board_ops) */
	bool delta;                                        /* PROTO_MONITOR (asked), PROTO_BOARD (changes only) */
	int64_t sla_wait_ms, sla_answer_ms;                /* PROTO_BOARD */
	struct proto_board_queue *board_queues; size_t n_board_queues; /* PROTO_BOARD */
	struct proto_trend *trend; size_t n_trend;         /* PROTO_BOARD */
	struct proto_person *people; size_t n_people;      /* PROTO_BOARD (gone), PROTO_WATCHERS (by) */
	char *kind;                                        /* PROTO_ALERT; PROTO_RELEASED (taken_over) */
	struct proto_sysargs args;                         /* PROTO_RELEASED with kind */
	char *customer, *alert_category;                   /* PROTO_ALERT */
	int64_t since;                                     /* PROTO_ALERT; PROTO_CARD (first seen) */
	char *customer_token;                              /* OPEN, OPENED: who the web customer is */
	struct proto_card_name *names; size_t n_names;     /* PROTO_CARD */
	struct proto_card_contact *contacts; size_t n_contacts; /* PROTO_CARD */
	struct proto_card_chat *chats; size_t n_chats;     /* PROTO_CARD */
	bool blocked;                                      /* PROTO_CARD */
	struct proto_message *messages; size_t n_messages; /* PROTO_HISTORY_ANSWER */
	char *file, *path;                                 /* PROTO_FILE_LINK: the file's id, the signed link */
	int64_t expires;                                   /* PROTO_FILE_LINK, PROTO_UPLOAD_TICKET */
};

/* Decode one frame travelling in direction `dir`. On success returns 0 and fills *out (free it with
 * proto_msg_free). On failure returns -1, leaves *out empty and describes the problem in *err. */
int proto_decode(enum proto_dir dir, const char *buf, size_t len, struct proto_msg *out, struct proto_error *err);

/* The same checks on a JSON value already parsed (by jansson, which refuses invalid UTF-8 and NUL); for
 * readers of files that hold frames inside their own lines (the replay file). The caller checks size and
 * nesting of what it parsed. */
struct json_t;
/* Non-zero when the JSON text nests arrays/objects deeper than `limit` (a scan that needs no parse). */
int proto_json_depth_over(const char *buf, size_t len, int limit);
int proto_decode_value(enum proto_dir dir, struct json_t *root, struct proto_msg *out, struct proto_error *err);

/* Encode `msg` for direction `dir` as compact JSON (heap string, NUL-terminated, *len without the NUL).
 * Returns NULL (with *err set) if msg breaks a limit or its type does not belong to dir. */
char *proto_encode(enum proto_dir dir, const struct proto_msg *msg, size_t *len, struct proto_error *err);

/* Encode an error frame {"type":"error","code":...,"message":...,"ref":...}; ref may be NULL. */
char *proto_encode_error(enum proto_dir dir, enum proto_errcode code, const char *message, const char *ref, size_t *len);

void proto_msg_free(struct proto_msg *msg);
void proto_message_free(struct proto_message *m);
void proto_dialog_free(struct proto_dialog *d);
void proto_queue_item_free(struct proto_queue_item *q);
void proto_canned_free(struct proto_canned *c);
void proto_board_op_free(struct proto_board_op *o);
void proto_person_free(struct proto_person *p);
void proto_sysargs_free(struct proto_sysargs *a);
void proto_card_chat_free(struct proto_card_chat *c);
void proto_request_free(struct proto_request *r);

/* Deep copies (the source is left intact). */
void proto_message_copy(struct proto_message *dst, const struct proto_message *src);
void proto_dialog_copy(struct proto_dialog *dst, const struct proto_dialog *src);
void proto_queue_item_copy(struct proto_queue_item *dst, const struct proto_queue_item *src);
void proto_sysargs_copy(struct proto_sysargs *dst, const struct proto_sysargs *src);
void proto_board_op_copy(struct proto_board_op *dst, const struct proto_board_op *src);

/* Does frame type `t` travel in direction `dir` (docs/protocol.md's table of frames)? */
bool proto_travels(enum proto_dir dir, enum proto_type t);

/* Names on the wire ("web", "customer", "order"...) and back; *_parse returns -1 for an unknown word. */
const char *proto_type_name(enum proto_type t);
const char *proto_channel_name(enum proto_channel c);
int proto_channel_parse(const char *s);
const char *proto_sender_name(enum proto_sender s);
const char *proto_role_name(enum proto_role r);
int proto_role_parse(const char *s);
const char *proto_status_name(enum proto_status s);
const char *proto_dstate_name(enum proto_dstate s);
const char *proto_closer_name(enum proto_closer b);
const char *proto_contact_kind_name(enum proto_contact_kind k); /* "email", "phone", "messenger" */
const char *proto_claim_name(enum proto_claim c);        /* "quality", "delivery" ... */
int proto_claim_parse(const char *s);                   /* -1 if unknown */
int proto_dstate_parse(const char *s);                  /* "queued", "assigned", "closed"; -1 if unknown */
const char *proto_errcode_name(enum proto_errcode c);   /* "bad_utf8", "auth_failed" ... */
int proto_errcode_parse(const char *s);

/* Wrap-up topics known to v1: order, company, product, returns, site, stylist, other. */
bool proto_topic_valid(const char *topic);
extern const char *const proto_topics[];
extern const size_t proto_n_topics;

/* Milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t proto_now_ms(void);

#endif

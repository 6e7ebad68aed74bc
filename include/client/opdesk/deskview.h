/* deskview.h: what the operator is looking at, without curses: which dialogs sit in the (up to four)
 * panes, which pane has the focus, how far each pane is scrolled, which popup is open, and which parts of
 * the screen need drawing (dirty bits). Commands change it; ui/ reads it and draws. */
#ifndef OPDESK_DESKVIEW_H
#define OPDESK_DESKVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/desk.h"

#define DESKVIEW_SLOTS 4

/* The modes: none (typing goes to the focused composer), a popup, or the sidebar's pick. Each is a row of
 * cmd_popups.h (model) and ui/ui_popups.c (what it draws); this order is the order the help lists their keys. */
enum deskview_mode {
	DESKVIEW_NORMAL,       /* typing goes to the focused composer */
	DESKVIEW_CANNED,       /* the canned-reply picker (F4, or / in an empty composer) */
	DESKVIEW_CHOICE,       /* a short list to pick from: transfer target (F5) or claim category (F7) */
	DESKVIEW_TOPIC,        /* the wrap-up topic picker is open (F8) */
	DESKVIEW_PROMPT,       /* a line typed at the bottom: a command (Alt-X) or a search (Ctrl-S) */
	DESKVIEW_QUEUE,        /* picking a waiting chat in the sidebar (Alt-T) */
	DESKVIEW_HELP,         /* the key help overlay */
	DESKVIEW_LOG,          /* the message log: every status line and error with its time (Alt-L) */
	DESKVIEW_CONFIRM_QUIT, /* "quit with open dialogs? (y/n)" */
	DESKVIEW_BOARD,        /* the supervisor's board has the keys (F12 in monitor mode) */
	DESKVIEW_BOARD_FILTER, /* typing the board's filter (/ on the board) */
	DESKVIEW_CONFIRM_TAKEOVER, /* "take over Ирина's chat from Анна? (y/n)": a supervisor's watched dialog */
	DESKVIEW_CARD,         /* the customer's card (Alt-I): who the customer is, its other chats */
	DESKVIEW_CARD_READ,      /* one of the customer's chats read-only, from the card (Enter) */
	DESKVIEW_CONFIRM_AWAY, /* "you have 2 open chats: go away anyway? (y/n)" (F3) */
	DESKVIEW_REQUESTS,     /* the offline requests, to take and answer (Alt-R) */
	DESKVIEW_MODE_COUNT
};

enum deskview_choice_kind {
	DESKVIEW_CHOICE_TRANSFER, /* a queue, a colleague (the hub's targets), or an operator's name typed in */
	DESKVIEW_CHOICE_CLAIM,    /* a claim category (enum proto_claim) */
};

enum deskview_prompt_kind {
	DESKVIEW_PROMPT_COMMAND, /* "transfer ivan", "close order", "theme dark": cmdline.h */
	DESKVIEW_PROMPT_SEARCH,  /* the focused dialog's history, hits highlighted as one types */
};

/* Each mode's own state: a struct per kind, one member of struct deskview each (cmd_popups.h is the table of
 * the kinds). A popup's opener fills its state; nothing else of the view is shared between kinds. */
struct deskview_topic { /* DESKVIEW_TOPIC */
	size_t sel;     /* the highlighted topic */
	int64_t dialog; /* the dialog the picker closes */
};

struct deskview_canned { /* DESKVIEW_CANNED */
	char query[128]; /* what the operator typed into the picker */
	size_t sel;      /* the highlighted entry among the matches */
	int64_t dialog;  /* the dialog the reply is for */
};

struct deskview_choice { /* DESKVIEW_CHOICE */
	enum deskview_choice_kind kind;
	size_t sel;
	char text[64]; /* transfer: an operator's user name typed in */
	int64_t dialog;
};

struct deskview_pager { /* DESKVIEW_HELP, DESKVIEW_LOG and DESKVIEW_CARD_READ */
	int top;  /* the first row shown (the ui clamps it when drawing) */
	int page; /* rows shown at once, set by the ui */
};

struct deskview_prompt { /* DESKVIEW_PROMPT: what is typed, its kind, what Tab offered, the earlier lines */
	struct textedit edit;
	enum deskview_prompt_kind kind;
	char *offer;    /* candidates after an ambiguous Tab, "a  b  c" (heap), NULL when none */
	char **history; /* command lines run, oldest first, for Up/Down */
	size_t n_history, history_pos;
};

/* DESKVIEW_PROMPT of kind search: the text looked for in `dialog` (empty: none), the message of the hit shown
 * (an index into its msgs, -1: none), and where the pane was before the search began (Esc goes back). */
struct deskview_search {
	char text[128];
	int64_t dialog;
	long msg;
	int scroll_before;
};

struct deskview_queue_pick { /* DESKVIEW_QUEUE */
	size_t sel; /* the waiting chat highlighted */
};

struct deskview_requests { /* DESKVIEW_REQUESTS */
	size_t sel; /* the request highlighted */
};

struct deskview;
/* The supervisor's board screen (shown instead of the panes, in monitor mode) and its keys' state
 * (DESKVIEW_BOARD, DESKVIEW_BOARD_FILTER). The highlight is held by name, so that it stays on the same
 * operator while the rows move under it. */
struct deskview_board {
	bool shown;
	bool on_alerts;                    /* the alerts list has the keys, not the operators */
	char sel_user[PROTO_MAX_NAME + 1]; /* the operator highlighted, "" none yet (the first row) */
	int64_t sel_dialog;                /* one of its chats highlighted (listed under it), 0: its own row */
	char open_user[PROTO_MAX_NAME + 1]; /* the operator whose chats are listed under its row, "" none */
	int64_t sel_alert;                 /* the alert highlighted (its id), 0: the newest */
	int top, page;                     /* the operators' first row shown, rows shown (set by the ui) */
	int alert_top, alert_page;
	int sort;                          /* enum board_sort */
	int64_t takeover_when_watched;     /* board-takeover: ask about this dialog once it is watched, 0 none */
	char filter[64];
};

/* One row of the board's operators table: an operator (dialog 0) or one of its chats listed under it. */
struct deskview_board_row {
	size_t op;      /* index into desk->board->ops */
	int64_t dialog; /* 0: the operator's own row */
	size_t chat;    /* with dialog: index into the operator's chats */
};
/* The rows as the board shows them now (sort, filter, the operator opened); heap array, count in *n. */
struct deskview_board_row *deskview_board_rows(const struct deskview *v, size_t *n);
/* The highlighted row's index in rows (0 when the highlight is on nobody shown). */
size_t deskview_board_sel(const struct deskview *v, const struct deskview_board_row *rows, size_t n);
/* The highlighted alert's index (0 when it is gone). */
size_t deskview_board_alert_sel(const struct deskview *v);

struct deskview_card { /* DESKVIEW_CARD (DESKVIEW_CARD_READ pages with the pager's state) */
	int64_t dialog; /* whose customer */
	size_t sel;     /* the other chat highlighted */
};

struct deskview_takeover { /* DESKVIEW_CONFIRM_TAKEOVER */
	int64_t dialog; /* the watched dialog to take over on yes */
};

/* The queues a dialog can be transferred to until the hub has listed its own (../shared/DOMAIN.md: the general
 * line and the stylist). */
extern const char *const deskview_queues[];
extern const size_t deskview_n_queues;
/* A queue's short name in the operator's language ("general", "stylist"), for the sidebar. */
const char *deskview_queue_label(const char *queue);

enum deskview_dirty {
	DESKVIEW_DIRTY_STATUS = 1 << 0,
	DESKVIEW_DIRTY_QUEUE = 1 << 1,
	DESKVIEW_DIRTY_LAYOUT = 1 << 2, /* panes appeared/disappeared, or the terminal was resized */
	DESKVIEW_DIRTY_POPUP = 1 << 3,
	DESKVIEW_DIRTY_BOARD = 1 << 4, /* the supervisor's board */
	DESKVIEW_DIRTY_ALL = 0xFFFFFFFFu,
};
#define DESKVIEW_DIRTY_PANE(i)     (1u << (8 + (i)))  /* header and history of pane i */
#define DESKVIEW_DIRTY_COMPOSER(i) (1u << (16 + (i))) /* composer line of pane i */

enum deskview_sidebar { DESKVIEW_SIDEBAR_LEFT, DESKVIEW_SIDEBAR_RIGHT, DESKVIEW_SIDEBAR_HIDDEN };

struct deskview {
	struct desk *desk;
	int64_t slot[DESKVIEW_SLOTS]; /* dialog ids, the first n_slots are used */
	int n_slots;
	int focus;                                 /* slot index, -1 when no pane is shown */
	int scroll[DESKVIEW_SLOTS];                /* history rows scrolled up from the newest */
	int page[DESKVIEW_SLOTS];                  /* history rows on screen, set by the ui (for paging) */
	uint64_t focused_at[DESKVIEW_SLOTS], tick; /* when each pane last had the focus */
	enum deskview_mode mode;
	/* the modes' own states (see above) */
	struct deskview_topic topic;
	struct deskview_canned canned;
	struct deskview_choice choice;
	struct deskview_pager pager;
	struct deskview_prompt prompt;
	struct deskview_search search;
	struct deskview_queue_pick queue;
	struct deskview_requests requests;
	struct deskview_board board;
	struct deskview_takeover takeover;
	struct deskview_card card;
	/* the lines this operator sent in this session, oldest first, for Up/Down recall */
	char **history;
	size_t n_history, history_pos; /* history_pos == n_history: not browsing */
	char *history_draft;           /* the draft set aside while browsing */
	int64_t history_dialog;        /* the dialog being browsed in */
	long scroll_to_msg[DESKVIEW_SLOTS]; /* a message to bring into view (the ui sets scroll), -1: none */
	char theme_request[256]; /* a theme the operator asked for (the ui loads it and empties this) */
	bool take_requested;  /* focus the next assigned dialog */
	bool zoom;            /* the focused pane fills the dialog area */
	enum deskview_sidebar sidebar;
	bool quit;
	unsigned dirty;
};

void deskview_init(struct deskview *v, struct desk *d);
void deskview_fini(struct deskview *v); /* frees the sent-line history */
/* Remember a line the operator sent (at most DESKVIEW_HISTORY, the oldest go first). */
void deskview_history_add(struct deskview *v, const char *text);
#define DESKVIEW_HISTORY 200

/* Feed the desk's change notifications to the panes (cmd_desk_changed calls this, then the open popup's own). */
void deskview_desk_changed(struct deskview *v, unsigned what, int64_t dialog);

int deskview_slot_of(const struct deskview *v, int64_t dialog); /* -1 if not shown */
struct desk_dialog *deskview_slot_dialog(const struct deskview *v, int slot);
struct desk_dialog *deskview_focused(const struct deskview *v);

/* Focus pane `slot` (returns false if there is no such pane). */
bool deskview_focus_slot(struct deskview *v, int slot);
/* Focus a dialog, giving it a pane if it has none (replacing a finished dialog, else the pane least
 * recently focused). */
bool deskview_focus_dialog(struct deskview *v, int64_t dialog);
/* Focus the next (dir 1) or previous (dir -1) dialog: the shown ones and any open ones not shown. */
bool deskview_cycle(struct deskview *v, int dir);
/* Swap the focused pane with the next one (the focus moves along with its dialog). */
bool deskview_swap(struct deskview *v);
/* Scroll the focused pane by `rows` (positive: towards older messages). */
bool deskview_scroll(struct deskview *v, int rows);

void deskview_set_mode(struct deskview *v, enum deskview_mode mode);
void deskview_dirty(struct deskview *v, unsigned bits);

/* The number of entries of the open choice list, and the translated label of entry i (heap). A transfer lists
 * the queues first (with their waiting chats once the hub said), then the colleagues signed in ("Ольга
 * Смирнова (olga) 2/4"). */
size_t deskview_choice_count(const struct deskview *v);
char *deskview_choice_label(const struct deskview *v, size_t i);
/* Transfer entry i: the queue (*queue) or the colleague's user name (*user) it names; false if none. */
bool deskview_choice_target(const struct deskview *v, size_t i, const char **queue, const char **user);

/* Labels of the wrap-up topics (proto_topics order), translated. */
const char *deskview_topic_label(size_t i);

#endif

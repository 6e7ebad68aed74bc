/* cmd_keys.c: default key bindings as data, key names, and key dispatch (see cmd_keys.h). */
#include "opdesk/cmd_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opdesk/i18n.h"
#include "opdesk/textsafe.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#define CTRL(c) ((c)&0x1F)

const struct cmd_binding cmd_default_bindings[] = {
    /* dialogs */
    {CMD_TABLE_NORMAL, CMD_KEY_F(2), "take", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(3), "away", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_ENTER, "send", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_TAB, "next-dialog", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_BTAB, "prev-dialog", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '1', "focus", "1"},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '2', "focus", "2"},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '3', "focus", "3"},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '4', "focus", "4"},
    /* Shift-F1..F4 (F13..F16 to curses on xterm, VTE, tmux): the plain F-keys carry the actions */
    {CMD_TABLE_NORMAL, CMD_KEY_F(13), "focus", "1"},
    {CMD_TABLE_NORMAL, CMD_KEY_F(14), "focus", "2"},
    {CMD_TABLE_NORMAL, CMD_KEY_F(15), "focus", "3"},
    {CMD_TABLE_NORMAL, CMD_KEY_F(16), "focus", "4"},
    {CMD_TABLE_NORMAL, CMD_KEY_F(8), "close", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(10), "quit", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(1), "help", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'l', "messages", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_PPAGE, "scroll-up", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_NPAGE, "scroll-down", NULL},
    /* composer */
    {CMD_TABLE_NORMAL, CMD_KEY_LEFT, "edit-left", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_RIGHT, "edit-right", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_HOME, "edit-home", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_END, "edit-end", NULL},
    {CMD_TABLE_NORMAL, CTRL('a'), "edit-home", NULL},
    {CMD_TABLE_NORMAL, CTRL('e'), "edit-end", NULL},
    {CMD_TABLE_NORMAL, CTRL('b'), "edit-left", NULL},
    {CMD_TABLE_NORMAL, CTRL('f'), "edit-right", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_BACKSPACE, "edit-backspace", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_DC, "edit-delete", NULL},
    {CMD_TABLE_NORMAL, CTRL('d'), "edit-delete", NULL},
    {CMD_TABLE_NORMAL, CTRL('k'), "edit-kill-end-or-canned", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(4), "canned", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(5), "transfer", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(6), "note", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(7), "claim", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'd', "file-save", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'e', "file-open", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'g', "file-link", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'a', "file-send", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(9), "zoom", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'z', "zoom", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 's', "swap", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'q', "sidebar", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'p', "replay-pause", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'n', "replay-step", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '+', "replay-faster", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '=', "replay-faster", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | '-', "replay-slower", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_UP, "choice-up", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_DOWN, "choice-down", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_BTAB, "choice-up", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_TAB, "choice-down", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_ENTER, "choice-pick", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_BACKSPACE, "choice-erase", NULL},
    {CMD_TABLE_CHOICE, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_CHOICE, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_UP, "canned-up", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_DOWN, "canned-down", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_BTAB, "canned-up", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_TAB, "canned-down", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_ENTER, "canned-insert", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_META | CMD_KEY_ENTER, "canned-send", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_BACKSPACE, "canned-erase", NULL},
    {CMD_TABLE_CANNED, CTRL('u'), "canned-clear", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_CANNED, CMD_KEY_F(4), "cancel", NULL},
    {CMD_TABLE_CANNED, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_NORMAL, CTRL('u'), "edit-kill-start", NULL},
    {CMD_TABLE_NORMAL, CTRL('w'), "edit-kill-word", NULL},
    {CMD_TABLE_NORMAL, CTRL('y'), "edit-yank", NULL},
    {CMD_TABLE_NORMAL, CTRL('r'), "reconnect", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | CMD_KEY_ENTER, "edit-newline", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'b', "edit-word-left", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'f', "edit-word-right", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_CLEFT, "edit-word-left", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_CRIGHT, "edit-word-right", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_UP, "history-prev", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_DOWN, "history-next", NULL},
    /* the wrap-up topic picker */
    {CMD_TABLE_TOPIC, CMD_KEY_UP, "topic-up", NULL},
    {CMD_TABLE_TOPIC, CMD_KEY_DOWN, "topic-down", NULL},
    {CMD_TABLE_TOPIC, CMD_KEY_BTAB, "topic-up", NULL},
    {CMD_TABLE_TOPIC, CMD_KEY_TAB, "topic-down", NULL},
    {CMD_TABLE_TOPIC, CMD_KEY_ENTER, "topic-pick", NULL},
    {CMD_TABLE_TOPIC, '1', "topic-pick", "1"},
    {CMD_TABLE_TOPIC, '2', "topic-pick", "2"},
    {CMD_TABLE_TOPIC, '3', "topic-pick", "3"},
    {CMD_TABLE_TOPIC, '4', "topic-pick", "4"},
    {CMD_TABLE_TOPIC, '5', "topic-pick", "5"},
    {CMD_TABLE_TOPIC, '6', "topic-pick", "6"},
    {CMD_TABLE_TOPIC, '7', "topic-pick", "7"},
    {CMD_TABLE_TOPIC, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_TOPIC, CMD_KEY_F(8), "cancel", NULL},
    {CMD_TABLE_TOPIC, CTRL('g'), "cancel", NULL},
    /* "quit with open dialogs?" */
    {CMD_TABLE_CONFIRM, 'y', "quit-now", NULL},
    {CMD_TABLE_CONFIRM, 'Y', "quit-now", NULL},
    {CMD_TABLE_CONFIRM, CMD_KEY_F(10), "quit-now", NULL},
    {CMD_TABLE_CONFIRM, 'n', "cancel", NULL},
    {CMD_TABLE_CONFIRM, 'N', "cancel", NULL},
    /* the same keys on a Russian layout (y is н, n is т), and д for "да" */
    {CMD_TABLE_CONFIRM, 0x43D, "quit-now", NULL}, /* н */
    {CMD_TABLE_CONFIRM, 0x41D, "quit-now", NULL}, /* Н */
    {CMD_TABLE_CONFIRM, 0x434, "quit-now", NULL}, /* д */
    {CMD_TABLE_CONFIRM, 0x414, "quit-now", NULL}, /* Д */
    {CMD_TABLE_CONFIRM, 0x442, "cancel", NULL},   /* т */
    {CMD_TABLE_CONFIRM, 0x422, "cancel", NULL},   /* Т */
    {CMD_TABLE_CONFIRM, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_CONFIRM, CTRL('g'), "cancel", NULL},
    /* the key help and the message log page like less */
    {CMD_TABLE_HELP, CMD_KEY_UP, "pager-up", NULL},
    {CMD_TABLE_HELP, CMD_KEY_DOWN, "pager-down", NULL},
    {CMD_TABLE_HELP, 'k', "pager-up", NULL},
    {CMD_TABLE_HELP, 'j', "pager-down", NULL},
    {CMD_TABLE_HELP, CMD_KEY_PPAGE, "pager-page-up", NULL},
    {CMD_TABLE_HELP, CMD_KEY_NPAGE, "pager-page-down", NULL},
    {CMD_TABLE_HELP, ' ', "pager-page-down", NULL},
    {CMD_TABLE_HELP, CMD_KEY_HOME, "pager-top", NULL},
    {CMD_TABLE_HELP, CMD_KEY_END, "pager-bottom", NULL},
    {CMD_TABLE_HELP, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_HELP, 'q', "cancel", NULL},
    {CMD_TABLE_HELP, CMD_KEY_F(1), "cancel", NULL},
    {CMD_TABLE_HELP, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_HELP, CMD_KEY_META | 'l', "cancel", NULL},
    /* the command prompt and the search: the composer's editing keys, Tab, Up/Down */
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'x', "prompt", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | ':', "prompt", NULL},
    {CMD_TABLE_NORMAL, CTRL('s'), "search", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_ENTER, "prompt-run", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_TAB, "prompt-complete", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_UP, "prompt-prev", NULL},
    {CMD_TABLE_PROMPT, CTRL('s'), "prompt-prev", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_DOWN, "prompt-next", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_ESC, "prompt-cancel", NULL},
    {CMD_TABLE_PROMPT, CTRL('g'), "prompt-cancel", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_LEFT, "edit-left", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_RIGHT, "edit-right", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_HOME, "edit-home", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_END, "edit-end", NULL},
    {CMD_TABLE_PROMPT, CTRL('a'), "edit-home", NULL},
    {CMD_TABLE_PROMPT, CTRL('e'), "edit-end", NULL},
    {CMD_TABLE_PROMPT, CTRL('b'), "edit-left", NULL},
    {CMD_TABLE_PROMPT, CTRL('f'), "edit-right", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_BACKSPACE, "edit-backspace", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_DC, "edit-delete", NULL},
    {CMD_TABLE_PROMPT, CTRL('d'), "edit-delete", NULL},
    {CMD_TABLE_PROMPT, CTRL('k'), "edit-kill-end", NULL},
    {CMD_TABLE_PROMPT, CTRL('u'), "edit-kill-start", NULL},
    {CMD_TABLE_PROMPT, CTRL('w'), "edit-kill-word", NULL},
    {CMD_TABLE_PROMPT, CTRL('y'), "edit-yank", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_META | 'b', "edit-word-left", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_META | 'f', "edit-word-right", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_CLEFT, "edit-word-left", NULL},
    {CMD_TABLE_PROMPT, CMD_KEY_CRIGHT, "edit-word-right", NULL},
    /* picking a waiting chat in the sidebar */
    {CMD_TABLE_NORMAL, CMD_KEY_META | 't', "queue-pick", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_UP, "queue-up", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_DOWN, "queue-down", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_BTAB, "queue-up", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_TAB, "queue-down", NULL},
    {CMD_TABLE_QUEUE, 'k', "queue-up", NULL},
    {CMD_TABLE_QUEUE, 'j', "queue-down", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_ENTER, "queue-take", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_F(2), "queue-take", NULL},
    {CMD_TABLE_QUEUE, '1', "queue-take", "1"},
    {CMD_TABLE_QUEUE, '2', "queue-take", "2"},
    {CMD_TABLE_QUEUE, '3', "queue-take", "3"},
    {CMD_TABLE_QUEUE, '4', "queue-take", "4"},
    {CMD_TABLE_QUEUE, '5', "queue-take", "5"},
    {CMD_TABLE_QUEUE, '6', "queue-take", "6"},
    {CMD_TABLE_QUEUE, '7', "queue-take", "7"},
    {CMD_TABLE_QUEUE, '8', "queue-take", "8"},
    {CMD_TABLE_QUEUE, '9', "queue-take", "9"},
    {CMD_TABLE_QUEUE, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_QUEUE, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_QUEUE, CMD_KEY_META | 't', "cancel", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_F(12), "board", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'm', "board", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_F(12), "board", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | 'm', "board", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_UP, "board-up", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_DOWN, "board-down", NULL},
    {CMD_TABLE_BOARD, 'k', "board-up", NULL},
    {CMD_TABLE_BOARD, 'j', "board-down", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_PPAGE, "board-page-up", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_NPAGE, "board-page-down", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_HOME, "board-first", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_END, "board-last", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_TAB, "board-switch", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_BTAB, "board-switch", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_ENTER, "board-open", NULL},
    {CMD_TABLE_BOARD, 's', "board-sort", NULL},
    {CMD_TABLE_BOARD, 't', "board-takeover", NULL},
    {CMD_TABLE_BOARD, '/', "board-filter", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_F(1), "help", NULL},
    {CMD_TABLE_BOARD, '?', "help", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_F(10), "quit", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_F(3), "away", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | 'l', "messages", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | 'x', "prompt", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | ':', "prompt", NULL},
    {CMD_TABLE_BOARD, CTRL('r'), "reconnect", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | 'p', "replay-pause", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | 'n', "replay-step", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | '+', "replay-faster", NULL},
    {CMD_TABLE_BOARD, CMD_KEY_META | '-', "replay-slower", NULL},
    {CMD_TABLE_BOARD_FILTER, CMD_KEY_ENTER, "board-filter-done", NULL},
    {CMD_TABLE_BOARD_FILTER, CMD_KEY_ESC, "board-filter-done", "clear"},
    {CMD_TABLE_BOARD_FILTER, CTRL('g'), "board-filter-done", "clear"},
    {CMD_TABLE_BOARD_FILTER, CMD_KEY_BACKSPACE, "board-filter-erase", NULL},
    /* supervising: watch a dialog (the prompt asks which), close a watched pane, take it over */
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'w', "watch", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'u', "unwatch", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'o', "takeover", NULL},
    /* who the customer is: the card, its other chats read-only, blocking */
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'i', "customer", NULL},
    {CMD_TABLE_CARD, CMD_KEY_UP, "card-up", NULL},
    {CMD_TABLE_CARD, CMD_KEY_DOWN, "card-down", NULL},
    {CMD_TABLE_CARD, 'k', "card-up", NULL},
    {CMD_TABLE_CARD, 'j', "card-down", NULL},
    {CMD_TABLE_CARD, CMD_KEY_ENTER, "card-read", NULL},
    {CMD_TABLE_CARD, 'b', "block", NULL},
    {CMD_TABLE_CARD, 0x438, "block", NULL}, /* и: b on a Russian layout */
    {CMD_TABLE_CARD, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_CARD, 'q', "cancel", NULL},
    {CMD_TABLE_CARD, CMD_KEY_META | 'i', "cancel", NULL},
    {CMD_TABLE_CARD, CTRL('g'), "cancel", NULL},
    /* "take over Ирина's chat from Анна?" (the quit question's keys, on a Russian layout too) */
    {CMD_TABLE_TAKEOVER, 'y', "takeover-yes", NULL},
    {CMD_TABLE_TAKEOVER, 'Y', "takeover-yes", NULL},
    {CMD_TABLE_TAKEOVER, 0x43D, "takeover-yes", NULL}, /* н */
    {CMD_TABLE_TAKEOVER, 0x41D, "takeover-yes", NULL}, /* Н */
    {CMD_TABLE_TAKEOVER, 0x434, "takeover-yes", NULL}, /* д */
    {CMD_TABLE_TAKEOVER, 0x414, "takeover-yes", NULL}, /* Д */
    {CMD_TABLE_TAKEOVER, 'n', "cancel", NULL},
    {CMD_TABLE_TAKEOVER, 'N', "cancel", NULL},
    {CMD_TABLE_TAKEOVER, 0x442, "cancel", NULL}, /* т */
    {CMD_TABLE_TAKEOVER, 0x422, "cancel", NULL}, /* Т */
    {CMD_TABLE_TAKEOVER, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_TAKEOVER, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_CONFIRM_AWAY, 'y', "away-now", NULL},
    {CMD_TABLE_CONFIRM_AWAY, 'Y', "away-now", NULL},
    {CMD_TABLE_CONFIRM_AWAY, CMD_KEY_F(3), "away-now", NULL},
    {CMD_TABLE_CONFIRM_AWAY, 0x43D, "away-now", NULL}, /* н */
    {CMD_TABLE_CONFIRM_AWAY, 0x41D, "away-now", NULL}, /* Н */
    {CMD_TABLE_CONFIRM_AWAY, 0x434, "away-now", NULL}, /* д */
    {CMD_TABLE_CONFIRM_AWAY, 0x414, "away-now", NULL}, /* Д */
    {CMD_TABLE_CONFIRM_AWAY, 'n', "cancel", NULL},
    {CMD_TABLE_CONFIRM_AWAY, 'N', "cancel", NULL},
    {CMD_TABLE_CONFIRM_AWAY, 0x442, "cancel", NULL}, /* т */
    {CMD_TABLE_CONFIRM_AWAY, 0x422, "cancel", NULL}, /* Т */
    {CMD_TABLE_CONFIRM_AWAY, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_CONFIRM_AWAY, CTRL('g'), "cancel", NULL},
    {CMD_TABLE_NORMAL, CMD_KEY_META | 'r', "requests", NULL},
    {CMD_TABLE_REQUESTS, CMD_KEY_UP, "request-up", NULL},
    {CMD_TABLE_REQUESTS, CMD_KEY_DOWN, "request-down", NULL},
    {CMD_TABLE_REQUESTS, 'k', "request-up", NULL},
    {CMD_TABLE_REQUESTS, 'j', "request-down", NULL},
    {CMD_TABLE_REQUESTS, 't', "request-take", NULL},
    {CMD_TABLE_REQUESTS, 0x435, "request-take", NULL}, /* е (t on a Russian layout) */
    {CMD_TABLE_REQUESTS, 'a', "request-answer", NULL},
    {CMD_TABLE_REQUESTS, CMD_KEY_ENTER, "request-answer", NULL},
    {CMD_TABLE_REQUESTS, 0x444, "request-answer", NULL}, /* ф (a) */
    {CMD_TABLE_REQUESTS, CMD_KEY_META | 'r', "cancel", NULL},
    {CMD_TABLE_REQUESTS, CMD_KEY_ESC, "cancel", NULL},
    {CMD_TABLE_REQUESTS, CTRL('g'), "cancel", NULL},
};
const size_t cmd_n_default_bindings = sizeof cmd_default_bindings / sizeof *cmd_default_bindings;

/* The tables' names in a settings file's bind lines. */
static const char *const cmd_table_names[CMD_TABLE_COUNT] = {
    [CMD_TABLE_NORMAL] = "normal", [CMD_TABLE_TOPIC] = "topic",   [CMD_TABLE_CONFIRM] = "confirm",
    [CMD_TABLE_HELP] = "help",     [CMD_TABLE_CANNED] = "canned", [CMD_TABLE_CHOICE] = "choice",
    [CMD_TABLE_PROMPT] = "prompt", [CMD_TABLE_QUEUE] = "queue",
    [CMD_TABLE_BOARD] = "board", [CMD_TABLE_BOARD_FILTER] = "board-filter", [CMD_TABLE_TAKEOVER] = "takeover",
    [CMD_TABLE_CARD] = "card", [CMD_TABLE_CONFIRM_AWAY] = "confirm-away", [CMD_TABLE_REQUESTS] = "requests"};

const char *cmd_table_name(enum cmd_table_id t)
{
	return t < CMD_TABLE_COUNT ? cmd_table_names[t] : "?";
}

void cmd_keymap_init(struct cmd_keymap *km)
{
	memset(km, 0, sizeof *km);
	for (size_t i = 0; i < cmd_n_default_bindings; i++) {
		const struct cmd_binding *b = &cmd_default_bindings[i];
		char *cause = NULL;
		if (cmd_keymap_bind(km, b->table, b->key, b->command, b->arg, &cause) < 0)
			abort(); /* the defaults name only existing commands (a unit test checks) */
	}
}

void cmd_keymap_free(struct cmd_keymap *km)
{
	for (size_t i = 0; i < km->n; i++) {
		free((char *)km->b[i].command);
		free((char *)km->b[i].arg);
	}
	free(km->b);
	memset(km, 0, sizeof *km);
}

int cmd_keymap_bind(struct cmd_keymap *km, enum cmd_table_id t, int key, const char *command, const char *arg,
                    char **cause)
{
	if (!cmd_find(command)) {
		*cause = xasprintf(_("unknown command \"%s\""), command);
		return -1;
	}
	struct cmd_binding *b = (struct cmd_binding *)cmd_keymap_lookup(km, t, key);
	if (b) {
		free((char *)b->command);
		free((char *)b->arg);
	} else {
		km->b = xgrow(km->b, &km->cap, km->n + 1, sizeof *km->b);
		b = &km->b[km->n++];
		b->table = t;
		b->key = key;
	}
	b->command = xstrdup(command);
	b->arg = arg ? xstrdup(arg) : NULL;
	return 0;
}

const struct cmd_binding *cmd_keymap_lookup(const struct cmd_keymap *km, enum cmd_table_id t, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].table == t && km->b[i].key == key)
			return &km->b[i];
	return NULL;
}

static const struct {
	int key;
	const char *name;
} cmd_key_names[] = {
    {CMD_KEY_UP, "Up"},
    {CMD_KEY_DOWN, "Down"},
    {CMD_KEY_LEFT, "Left"},
    {CMD_KEY_RIGHT, "Right"},
    {CMD_KEY_HOME, "Home"},
    {CMD_KEY_END, "End"},
    {CMD_KEY_PPAGE, "PgUp"},
    {CMD_KEY_NPAGE, "PgDn"},
    {CMD_KEY_IC, "Insert"},
    {CMD_KEY_DC, "Delete"},
    {CMD_KEY_BACKSPACE, "Backspace"},
    {CMD_KEY_ENTER, "Enter"},
    {CMD_KEY_TAB, "Tab"},
    {CMD_KEY_BTAB, "Shift-Tab"},
    {CMD_KEY_ESC, "Esc"},
    {CMD_KEY_CLEFT, "Ctrl-Left"},
    {CMD_KEY_CRIGHT, "Ctrl-Right"},
    {' ', "Space"},
    /* older spellings, still read from settings files */
    {CMD_KEY_BTAB, "BTab"},
    {CMD_KEY_ESC, "Escape"},
    {CMD_KEY_CLEFT, "C-Left"},
    {CMD_KEY_CRIGHT, "C-Right"},
};

const char *cmd_key_name(int key, char *buf, size_t size)
{
	const char *meta = (key & CMD_KEY_META) ? "Alt-" : "";
	int base = key & ~CMD_KEY_META;
	for (size_t i = 0; i < sizeof cmd_key_names / sizeof *cmd_key_names; i++) {
		if (cmd_key_names[i].key == base) {
			snprintf(buf, size, "%s%s", meta, cmd_key_names[i].name);
			return buf;
		}
	}
	if (base >= CMD_KEY_F(13) && base <= CMD_KEY_F(24)) {
		snprintf(buf, size, "%sShift-F%d", meta,
		         base - CMD_KEY_F0 - 12); /* xterm's numbering of Shift-F1.. */
	} else if (base >= CMD_KEY_F(1) && base <= CMD_KEY_F(12)) {
		snprintf(buf, size, "%sF%d", meta, base - CMD_KEY_F0);
	} else if (base >= 1 && base < 0x20) {
		snprintf(buf, size, "%sCtrl-%c", meta, (char)(base + 0x40));
	} else if (base > 0x20 && base < 0x110000 && textsafe_classify((uint32_t)base) == TEXTSAFE_CL_PRINT) {
		char u[5] = {0};
		utf8_encode((uint32_t)base, u);
		snprintf(buf, size, "%s%s", meta, u);
	} else {
		snprintf(buf, size, "%s<%#x>", meta, (unsigned)base);
	}
	return buf;
}

int cmd_key_parse(const char *name)
{
	int meta = 0;
	for (;;) {
		if (strncmp(name, "M-", 2) == 0 && name[2])
			name += 2;
		else if (strncasecmp(name, "Alt-", 4) == 0 && name[4])
			name += 4;
		else
			break;
		meta = CMD_KEY_META;
	}
	for (size_t i = 0; i < sizeof cmd_key_names / sizeof *cmd_key_names; i++)
		if (strcasecmp(name, cmd_key_names[i].name) == 0)
			return meta | cmd_key_names[i].key;
	int shift = 0;
	if ((name[0] == 'S' || name[0] == 's') && name[1] == '-' && (name[2] == 'F' || name[2] == 'f')) {
		shift = 12;
		name += 2;
	} else if (strncasecmp(name, "Shift-F", 7) == 0) {
		shift = 12;
		name += 6;
	}
	if ((name[0] == 'F' || name[0] == 'f') && name[1] >= '1' && name[1] <= '9') {
		char *end;
		long n = strtol(name + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n + shift <= 24 && (shift == 0 || n <= 12))
			return meta | CMD_KEY_F((int)n + shift);
	}
	const char *ctrl = strncasecmp(name, "Ctrl-", 5) == 0 ? name + 5
	                   : strncmp(name, "C-", 2) == 0      ? name + 2
	                                                      : NULL;
	if (ctrl && ctrl[0] && !ctrl[1]) {
		char c = ctrl[0] | 0x20;
		if (c >= 'a' && c <= 'z')
			return meta | CTRL(c);
	}
	size_t len = strlen(name);
	if (len == 0 || len > 4)
		return -1;
	uint32_t cp;
	size_t used = utf8_decode(name, len, &cp);
	if (used != len || textsafe_classify(cp) != TEXTSAFE_CL_PRINT)
		return -1;
	return meta | (int)cp;
}

/* Run a command for a key, telling the recorder first (quitting and replay control are not recorded: a
 * replay of the session must neither quit nor steer itself). */
unsigned cmd_keys_run(struct cmd_ctx *ctx, const char *cmd, const char *arg)
{
	if (ctx->on_cmd && strncmp(cmd, "quit", 4) != 0 && strncmp(cmd, "replay-", 7) != 0)
		ctx->on_cmd(ctx->on_cmd_arg, cmd, arg);
	return cmd_run(ctx, cmd, arg);
}


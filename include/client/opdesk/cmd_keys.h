/* cmd_keys.h: key codes (curses-free), key names, and key tables binding keys to command names.
 * Characters are their Unicode code points (Ctrl-A is 1); special keys live above the Unicode range; Alt
 * adds CMD_KEY_META. The ui translates terminal keys into these codes. */
#ifndef OPDESK_CMD_KEYS_H
#define OPDESK_CMD_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "opdesk/cmd.h"

#define CMD_KEY_META (1 << 24)

enum cmd_key {
	CMD_KEY_SPECIAL = 0x110000,
	CMD_KEY_UP,
	CMD_KEY_DOWN,
	CMD_KEY_LEFT,
	CMD_KEY_RIGHT,
	CMD_KEY_HOME,
	CMD_KEY_END,
	CMD_KEY_PPAGE,
	CMD_KEY_NPAGE,
	CMD_KEY_IC,
	CMD_KEY_DC,
	CMD_KEY_BACKSPACE,
	CMD_KEY_ENTER,
	CMD_KEY_TAB,
	CMD_KEY_BTAB,
	CMD_KEY_ESC,
	CMD_KEY_CLEFT,  /* Ctrl-Left */
	CMD_KEY_CRIGHT, /* Ctrl-Right */
	CMD_KEY_MOUSE,  /* a mouse event for the ui to read (never bound) */
	CMD_KEY_F0 = CMD_KEY_SPECIAL + 0x100, /* CMD_KEY_F(1) .. CMD_KEY_F(24) */
};
#define CMD_KEY_F(n) (CMD_KEY_F0 + (n))

/* Key tables: which one applies depends on the view's mode (its row in cmd_popups.h names it). */
enum cmd_table_id {
	CMD_TABLE_NORMAL,
	CMD_TABLE_TOPIC,
	CMD_TABLE_CONFIRM,
	CMD_TABLE_HELP,
	CMD_TABLE_CANNED,
	CMD_TABLE_CHOICE,
	CMD_TABLE_PROMPT,
	CMD_TABLE_QUEUE,
	CMD_TABLE_BOARD,
	CMD_TABLE_BOARD_FILTER,
	CMD_TABLE_TAKEOVER,
	CMD_TABLE_CARD,
	CMD_TABLE_CONFIRM_AWAY,
	CMD_TABLE_REQUESTS,
	CMD_TABLE_COUNT
};

struct cmd_binding {
	enum cmd_table_id table;
	int key;
	const char *command;
	const char *arg; /* NULL if none */
};

struct cmd_keymap {
	struct cmd_binding *b;
	size_t n, cap;
};

/* The default bindings (the brief's keys). */
extern const struct cmd_binding cmd_default_bindings[];
extern const size_t cmd_n_default_bindings;

void cmd_keymap_init(struct cmd_keymap *km); /* filled with the defaults */
void cmd_keymap_free(struct cmd_keymap *km);
/* Bind (or rebind) a key; command must exist. Returns -1 with *cause (heap) set when it does not. */
int cmd_keymap_bind(struct cmd_keymap *km, enum cmd_table_id t, int key, const char *command, const char *arg,
                    char **cause);
const struct cmd_binding *cmd_keymap_lookup(const struct cmd_keymap *km, enum cmd_table_id t, int key);

/* "F2", "M-1", "C-a", "Enter", "PgUp", "x"... into buf. */
const char *cmd_key_name(int key, char *buf, size_t size);
/* The reverse; -1 for an unknown name. */
int cmd_key_parse(const char *name);
const char *cmd_table_name(enum cmd_table_id t);

/* Run a command the operator asked for by key or mouse (the recorder sees it, unlike nested cmd_run calls). */
unsigned cmd_keys_run(struct cmd_ctx *ctx, const char *cmd, const char *arg);

#endif

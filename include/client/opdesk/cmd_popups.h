/* cmd_popups.h: the view's modes as a table of kinds, model side (no curses). One row per mode (a popup, the
 * sidebar's pick of a waiting chat, or none: the composer): the key table that applies while it is open, what
 * a key bound to nothing does there, the heading of its keys in the help, and how it follows the desk. Each
 * kind's state is its own member of struct deskview (deskview.h); what it draws is its row in ui/ui_popups.c.
 * Adding a popup: a mode and its state (deskview.h), a row here with its key table's bindings (cmd_keys.c),
 * and a row with a draw function in ui/. Nothing else names the kinds. */
#ifndef OPDESK_CMD_POPUPS_H
#define OPDESK_CMD_POPUPS_H

#include <stdbool.h>
#include <stdint.h>

#include "opdesk/cmd_keys.h"

struct cmd_popup {
	enum deskview_mode mode;
	enum cmd_table_id keys; /* the key table while it is open (the log pages with the help's keys) */
	/* The command a printable key bound to nothing runs, with the character as its argument ("type" types
	 * it into the composer); NULL: such a key means nothing here. */
	const char *type;
	bool any_key_closes; /* a key bound to nothing closes it (the help and the message log) */
	bool clears_error; /* a bound key clears the status bar's error (where one types: composer, prompt) */
	/* The heading its key table has in the help (N_() text), NULL: the table is not listed under it (the
	 * normal keys have their own headings, a table shared by two kinds is listed once). */
	const char *keys_title;
	/* The desk changed while it is open (after the view followed): its dialog went, the list it shows
	 * changed... NULL: nothing to do. */
	void (*desk_changed)(struct cmd_ctx *ctx, unsigned what, int64_t dialog);
};

/* Indexed by mode, in the order the help lists their keys. */
extern const struct cmd_popup cmd_popups[DESKVIEW_MODE_COUNT];

/* The row of a mode (the normal one for a mode out of range). */
const struct cmd_popup *cmd_popup_of(enum deskview_mode mode);

/* The desk's change notifications (its observer calls this): the view's panes follow
 * (deskview_desk_changed), then the open popup does (its row's desk_changed). */
void cmd_desk_changed(struct cmd_ctx *ctx, unsigned what, int64_t dialog);

/* Run the command bound to `key` in the key table of the view's current mode (its row here). A
 * printable character bound to nothing runs the row's typing command ("type": into the composer); in the
 * help and the log any key closes them. Returns the command's result bits, 0 if the key means nothing here. */
unsigned cmd_keys_dispatch(struct cmd_ctx *ctx, const struct cmd_keymap *km, int key);

#endif

/* ui_popups.h: what each mode draws, the ui's side of the table of kinds (the model's side, with each kind's
 * key table and state, is cmd_popups.h). Only the renderer uses this; the kinds include ui_popup.h (the
 * frame), never this. */
#ifndef OPDESK_UI_POPUPS_H
#define OPDESK_UI_POPUPS_H

#include <stdbool.h>

#include "opdesk/ui_screen.h"

struct ui_popup_kind {
	void (*draw)(struct ui *ui); /* NULL: the mode has no popup (the composer, the sidebar's pick) */
	bool cursor; /* the terminal cursor shows where the draw left the popup's (the prompt) */
};

/* Draw the current mode's popup, or close the popup when the mode has none. */
void ui_popups_draw(struct ui *ui);
/* Does the current mode's popup show the terminal cursor? */
bool ui_popups_cursor(const struct ui *ui);

#endif

/* ui_mouse.h: mouse events from curses to commands: a click focuses the pane under it or takes the waiting
 * chat under it in the queue sidebar; the wheel scrolls the pane under it. */
#ifndef OPDESK_UI_MOUSE_H
#define OPDESK_UI_MOUSE_H

#include "opdesk/cmd.h"
#include "opdesk/ui_screen.h"

/* Read the pending mouse event (getmouse) and run what it means. Returns the commands' result bits. */
unsigned ui_mouse_event(struct ui *ui, struct cmd_ctx *ctx);

#endif

/* ui_pane.h: a dialog pane: header (customer, channel, queue, state, typing, unread, time the customer has
 * waited for an answer), the history (HH:MM, sender styles, wrapping, newest at the bottom, pending and
 * failed marks on the operator's own messages, closed/rating/released lines) and the composer row. */
#ifndef OPDESK_UI_PANE_H
#define OPDESK_UI_PANE_H

#include "opdesk/ui_screen.h"

/* Draw pane `slot` completely (header, history, composer). */
void ui_pane_draw(struct ui *ui, int slot);

#endif

/* ui_queue.h: the queue sidebar: waiting customers oldest first, with channel, a wait time counting up
 * (m:ss) and a preview line when there is room. */
#ifndef OPDESK_UI_QUEUE_H
#define OPDESK_UI_QUEUE_H

#include "opdesk/ui_screen.h"

void ui_queue_draw(struct ui *ui);

#endif

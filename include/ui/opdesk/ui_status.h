/* ui_status.h: the status bar (bottom line): operator name, online/connecting/offline (with the retry
 * countdown), "queue: N" and the longest wait, open dialogs, the last error, key hints. */
#ifndef OPDESK_UI_STATUS_H
#define OPDESK_UI_STATUS_H

#include "opdesk/ui_screen.h"

void ui_status_draw(struct ui *ui);

#endif

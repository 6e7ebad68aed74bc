/* ui_log.h: the message log popup (Alt-L): every status line and error of the session with its time and
 * full text, newest at the bottom, errors in the error colour. */
#ifndef OPDESK_UI_LOG_H
#define OPDESK_UI_LOG_H

#include "opdesk/ui_screen.h"

void ui_log_draw(struct ui *ui);

#endif

/* ui_takeover.h: the question before a supervisor takes a watched dialog over ("Take over Ирина's chat from
 * Анна?"), the DESKVIEW_CONFIRM_TAKEOVER row of ui_popups.c. */
#ifndef OPDESK_UI_TAKEOVER_H
#define OPDESK_UI_TAKEOVER_H

#include "opdesk/ui_screen.h"

void ui_takeover_draw(struct ui *ui);

#endif

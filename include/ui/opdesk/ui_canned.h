/* ui_canned.h: the canned-reply picker popup (F4, Ctrl-K or / in an empty composer). */
#ifndef OPDESK_UI_CANNED_H
#define OPDESK_UI_CANNED_H

#include "opdesk/ui_screen.h"

void ui_canned_draw(struct ui *ui);

#endif

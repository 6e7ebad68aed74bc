/* ui_choice.h: the transfer-target and claim-category popups (F5, F7). */
#ifndef OPDESK_UI_CHOICE_H
#define OPDESK_UI_CHOICE_H

#include "opdesk/ui_screen.h"

void ui_choice_draw(struct ui *ui);

#endif

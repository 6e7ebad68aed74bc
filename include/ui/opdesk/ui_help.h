/* ui_help.h: the key help overlay (generated from the key table and the command descriptions) and the
 * "quit with open dialogs?" confirmation. */
#ifndef OPDESK_UI_HELP_H
#define OPDESK_UI_HELP_H

#include "opdesk/ui_screen.h"

void ui_help_draw(struct ui *ui);
void ui_help_confirm_draw(struct ui *ui);
/* "You have N open chats: go away anyway?" (F3 with open chats). */
void ui_help_confirm_away_draw(struct ui *ui);

#endif

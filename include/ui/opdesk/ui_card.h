/* ui_card.h: who the customer is, drawn: the card of the focused dialog's customer (Alt-I; a panel down the right
 * edge where the screen is wide enough, a popup at 80x24) and one of its earlier chats read-only. */
#ifndef OPDESK_UI_CARD_H
#define OPDESK_UI_CARD_H

#include "opdesk/ui_screen.h"

#define UI_CARD_SIDE_COLS 140 /* from this width the card is a side panel */

void ui_card_draw(struct ui *ui);
void ui_card_history_draw(struct ui *ui);

#endif

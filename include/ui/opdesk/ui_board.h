/* ui_board.h: the supervisor's board screen (monitor mode), drawn from desk->board and the view's board state
 * into its own window over the dialog area. */
#ifndef OPDESK_UI_BOARD_H
#define OPDESK_UI_BOARD_H

#include <stdbool.h>

#include "opdesk/ui_screen.h"

struct board_alert;

void ui_board_draw(struct ui *ui);
/* What an alert is about, in a few translated words (the desktop notification's text). */
const char *ui_board_alert_title(const struct board_alert *a);
/* Something on the board counts seconds now (a chat waiting, a customer unanswered). */
bool ui_board_counts_seconds(const struct ui *ui);

#endif

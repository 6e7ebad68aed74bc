/* ui_composer.h: the composer row at the bottom of each pane: the dialog's draft (kept in the model, so it
 * survives focus changes) with horizontal scrolling; in the focused pane it places the terminal cursor. */
#ifndef OPDESK_UI_COMPOSER_H
#define OPDESK_UI_COMPOSER_H

#include "opdesk/ui_screen.h"

/* Draw the composer row of pane `slot`; for the focused pane set ui->cursor_y/x. */
void ui_composer_draw(struct ui *ui, int slot);

#endif

/* ui_composer.h: the composer at the bottom of each pane: the dialog's draft (kept in the model, so it
 * survives focus changes) wrapped on up to UI_COMPOSER_MAX_ROWS rows; in the focused pane it places the
 * terminal cursor. */
#ifndef OPDESK_UI_COMPOSER_H
#define OPDESK_UI_COMPOSER_H

#include "opdesk/ui_screen.h"

#define UI_COMPOSER_MAX_ROWS 5

/* How many rows the composer of pane `slot` needs now (1 .. UI_COMPOSER_MAX_ROWS, at most a third of the
 * pane): measured, nothing drawn. */
int ui_composer_rows(const struct ui *ui, int slot);
/* Draw the composer of pane `slot` on the ui->composer_rows[slot] rows the pass settled (ui_render_settle);
 * for the focused pane set ui->cursor_y/x. */
void ui_composer_draw(struct ui *ui, int slot);

#endif

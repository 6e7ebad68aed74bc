/* ui_popup.h: the frame every popup is drawn in: a centred, framed window over the panes, and its rows. It
 * knows no kind of popup: the kinds (ui_topic, ui_canned...) draw in it, ui_popups.h says which one shows. */
#ifndef OPDESK_UI_POPUP_H
#define OPDESK_UI_POPUP_H

#include "opdesk/textsafe.h"
#include "opdesk/ui_color.h"
#include "opdesk/ui_screen.h"

/* (Re)create ui->popup centred with h x w (clamped to the screen), framed, with a title. Returns it. */
WINDOW *ui_popup_open(struct ui *ui, int h, int w, const char *title);
/* The same as a panel w wide down the right edge, from the top to the status bar (a wide screen's side panel). */
WINDOW *ui_popup_open_side(struct ui *ui, int w, const char *title);
void ui_popup_close(struct ui *ui);
/* (Re)create ui->popup at y, x with h x w, unframed, filled in role (the prompt at the bottom). */
WINDOW *ui_popup_open_at(struct ui *ui, int y, int x, int h, int w, enum ui_color_role role);
/* Draw one row of the popup's inside (row 1 is the first inside row), filled in role. */
void ui_popup_row(struct ui *ui, int row, const struct textsafe_buf *b, enum ui_color_role role);

#endif

/* ui_requests.h: the offline requests popup (Alt-R): each request's time, name, contact and who took it, the
 * highlighted one's text below, and the keys. */
#ifndef OPDESK_UI_REQUESTS_H
#define OPDESK_UI_REQUESTS_H

#include "opdesk/ui_screen.h"

void ui_requests_draw(struct ui *ui);

#endif

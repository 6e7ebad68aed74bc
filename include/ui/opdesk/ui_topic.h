/* ui_topic.h: the wrap-up topic picker shown by F8 (close): the v1 topics, translated, numbered 1..7. */
#ifndef OPDESK_UI_TOPIC_H
#define OPDESK_UI_TOPIC_H

#include "opdesk/ui_screen.h"

void ui_topic_draw(struct ui *ui);

#endif

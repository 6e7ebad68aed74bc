/* ui_prompt.h: the prompt on the bottom line (the command line, Alt-X, and the search, Ctrl-S), with what
 * Tab offered in rows above it. */
#ifndef OPDESK_UI_PROMPT_H
#define OPDESK_UI_PROMPT_H

#include "opdesk/ui_screen.h"

void ui_prompt_draw(struct ui *ui);

#endif

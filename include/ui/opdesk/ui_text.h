/* ui_text.h: drawing sanitized cells (textsafe.h) into curses windows with wide-character calls, so that
 * what is drawn takes exactly the width the layout computed. Cell style tags are colour roles. */
#ifndef OPDESK_UI_TEXT_H
#define OPDESK_UI_TEXT_H

#include <ncursesw/curses.h>

#include "opdesk/textsafe.h"
#include "opdesk/ui_color.h"

/* Draw cells at (y, x), at most max_w columns (a wide cell that would not fit is not drawn). Marked cells
 * use the "marked" role. Returns the columns used. */
int ui_text_draw(WINDOW *w, int y, int x, const struct textsafe_cell *cells, size_t n, int max_w);
/* Fill columns [x, x + n) of row y with spaces in `role`. */
void ui_text_fill(WINDOW *w, int y, int x, int n, enum ui_color_role role);
/* Append untrusted or UI text to b in `role` (single line). */
void ui_text_add(struct textsafe_buf *b, const char *s, enum ui_color_role role);
/* Same with printf formatting (for trusted formats only). */
void ui_text_addf(struct textsafe_buf *b, enum ui_color_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "m:ss" or "h:mm:ss" for a duration in ms (negative counts as 0) into buf. */
const char *ui_text_duration(int64_t ms, char *buf, size_t size);

#endif

/* ui_pager.h: a popup of rows to page through, like less: the key help and the message log. Rows are
 * built first (a label column and a text wrapped beside it), then drawn from the view's pager_top, which
 * is clamped here and written back, with the position shown in the bottom frame line. */
#ifndef OPDESK_UI_PAGER_H
#define OPDESK_UI_PAGER_H

#include "opdesk/textsafe.h"
#include "opdesk/ui_screen.h"

struct ui_pager {
	struct textsafe_buf *rows;
	size_t n, cap;
	int width; /* the inside width the rows were wrapped to */
};

void ui_pager_init(struct ui_pager *p, int width);
void ui_pager_free(struct ui_pager *p);
/* One entry: `label` (may be NULL) padded to label_w columns, then `text` word-wrapped to the rest of the
 * width; continuation rows are indented under the text. */
void ui_pager_add(struct ui_pager *p, const struct textsafe_buf *label, int label_w, const struct textsafe_buf *text);
/* An empty row. */
void ui_pager_blank(struct ui_pager *p);
/* Open the popup (as high as the rows need, at most the screen) and draw the rows from view->pager_top. */
void ui_pager_draw(struct ui *ui, struct ui_pager *p, const char *title, const char *footer);

#endif

/* ui_render.h: the one place drawing happens. Handlers only set dirty bits in the view; once per loop pass
 * ui_render_if_dirty() redraws the dirty windows, wnoutrefresh()es each of them and calls doupdate() once. */
#ifndef OPDESK_UI_RENDER_H
#define OPDESK_UI_RENDER_H

#include "opdesk/ui_screen.h"

void ui_render_if_dirty(struct ui *ui);
/* The pass before drawing (ui_render_if_dirty runs it first): the layout for the panes the view has, and the
 * height of each composer about to be drawn; a composer whose height changed marks its pane dirty. After it
 * no draw function needs to draw another window. */
void ui_render_settle(struct ui *ui);
/* Does anything on screen count time (queue waits, unanswered customers, a retry countdown)? */
bool ui_render_needs_clock(const struct ui *ui);
/* When the screen next changes by itself without a second counting (information fading, the clock's minute
 * turning): wall clock ms, 0 if never. */
int64_t ui_render_wake_at(const struct ui *ui);
/* The 1 s clock ticked (or the alarm rang): mark what shows a running time. */
void ui_render_tick(struct ui *ui);

#endif

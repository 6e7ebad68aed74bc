/* ui_mouse.c: mouse events to commands (see ui_mouse.h). Everything goes through the named commands, so a
 * click does exactly what its key does, and a recording replays it. */
#include "opdesk/ui_mouse.h"

#include <stdio.h>

#include "opdesk/cmd_keys.h"

#define UI_MOUSE_WHEEL_ROWS "3"

static bool inside(const struct ui_rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

unsigned ui_mouse_event(struct ui *ui, struct cmd_ctx *ctx)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || ui->too_small || ctx->view->mode != DESKVIEW_NORMAL)
		return 0;
	bool wheel_up = ev.bstate & BUTTON4_PRESSED, wheel_down = ev.bstate & BUTTON5_PRESSED;
	bool press = ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED);
	if (ui->queue) {
		int qy, qx, qh, qw;
		getbegyx(ui->queue, qy, qx);
		getmaxyx(ui->queue, qh, qw);
		if (ev.y >= qy && ev.y < qy + qh && ev.x >= qx && ev.x < qx + qw) {
			int row = ev.y - qy;
			if (press && row < UI_QUEUE_MAX_ROWS && ui->queue_row_dialog[row] > 0) {
				char id[24];
				snprintf(id, sizeof id, "%lld", (long long)ui->queue_row_dialog[row]);
				return cmd_keys_run(ctx, "take", id);
			}
			return 0;
		}
	}
	for (int i = 0; i < ui->n_panes; i++) {
		if (!ui->pane[i] || !inside(&ui->pane_r[i], ev.y, ev.x))
			continue;
		char slot[16];
		snprintf(slot, sizeof slot, "%d", i + 1);
		unsigned res = 0;
		if (i != ctx->view->focus && (press || wheel_up || wheel_down))
			res |= cmd_keys_run(ctx, "focus", slot);
		if (wheel_up)
			res |= cmd_keys_run(ctx, "scroll-up", UI_MOUSE_WHEEL_ROWS);
		else if (wheel_down)
			res |= cmd_keys_run(ctx, "scroll-down", UI_MOUSE_WHEEL_ROWS);
		return res;
	}
	return 0;
}

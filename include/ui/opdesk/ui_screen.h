/* ui_screen.h: the curses screen: set-up and tear-down, the layout (queue sidebar on the left, up to four
 * dialog panes, the status bar on the bottom line, popups on top), and the ui state shared by the views.
 * Views draw from the model (desk) and the view state (deskview) only. */
#ifndef OPDESK_UI_SCREEN_H
#define OPDESK_UI_SCREEN_H

#include <stdbool.h>
#include <stdio.h>

#include <ncursesw/curses.h>

#include "opdesk/cmd_keys.h"
#include "opdesk/desk.h"
#include "opdesk/deskview.h"

#define UI_MIN_COLS   80
#define UI_MIN_LINES  24
#define UI_QUEUE_COLS 24     /* the sidebar's width up to 99 columns; a quarter of a wider terminal */
#define UI_QUEUE_MAX_COLS 56
#define UI_QUEUE_MAX_ROWS 512

struct ui_rect {
	int y, x, h, w;
};

struct ui {
	struct desk *desk;
	struct deskview *view;
	const struct cmd_keymap *keymap;
	SCREEN *screen;
	bool active; /* curses is up */
	int lines, cols;
	bool too_small;
	WINDOW *input; /* 1x1, never drawn: keys are read here so no refresh is implied */
	WINDOW *status, *queue, *popup;
	WINDOW *board; /* the supervisor's board over the dialog area and the sidebar (monitor mode) */
	WINDOW *pane[DESKVIEW_SLOTS];
	struct ui_rect pane_r[DESKVIEW_SLOTS];
	bool pane_sep[DESKVIEW_SLOTS]; /* draw a separator in the pane's first column */
	int composer_rows[DESKVIEW_SLOTS]; /* rows each composer takes: settled before a pass draws */
	int n_panes;                   /* pane windows laid out */
	int layout_slots;              /* view->n_slots the layout was made for */
	int cursor_y, cursor_x;        /* where the terminal cursor goes (screen coordinates), -1: hidden */
	bool clock_wanted;             /* something on screen counts time */
	bool clock;                    /* the time of day on the status bar (setting `clock`) */
	int sla_warn_ms, sla_late_ms;  /* a wait this long is shown as a warning / late */
	int zoomed;                    /* the slot laid out alone (view->zoom), -1 if none */
	const struct replay *replay;   /* shown in the status bar while replaying */
	int queue_x;    /* the sidebar's separator column within its window */
	int queue_cols; /* the sidebar's width */
	int64_t queue_row_dialog[UI_QUEUE_MAX_ROWS]; /* the waiting dialog drawn on each sidebar row, 0 if none */
};

/* Start curses on a terminal: newterm(term, out, in) (term NULL: $TERM). Returns 0, or -1 with *cause set.
 * The program passes stdout/stdin after checking they are a tty; tests pass other files. */
int ui_screen_init(struct ui *ui, struct desk *desk, struct deskview *view, const struct cmd_keymap *km,
                   const char *term, FILE *out, FILE *in, char **cause);
/* Leave curses (safe to call twice). */
void ui_screen_fini(struct ui *ui);
/* The terminal changed size: ask the kernel for the new size, resize curses and re-lay out. */
void ui_screen_resize(struct ui *ui);
/* (Re)create the windows for the current size and number of panes. */
void ui_screen_layout(struct ui *ui);

#endif

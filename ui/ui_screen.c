/* ui_screen.c: curses set-up, tear-down, resizing and the window layout (see ui_screen.h). */
#include "opdesk/ui_screen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/ui_color.h"
#include "opdesk/xalloc.h"

/* Two panes go side by side when each gets at least this many columns, else they are stacked. */
#define UI_SIDE_BY_SIDE_MIN 44

int ui_screen_init(struct ui *ui, struct desk *desk, struct deskview *view, const struct cmd_keymap *km,
                   const char *term, FILE *out, FILE *in, char **cause)
{
	memset(ui, 0, sizeof *ui);
	ui->desk = desk;
	ui->view = view;
	ui->keymap = km;
	ui->cursor_y = ui->cursor_x = -1;
	ui->sla_warn_ms = 60 * 1000;
	ui->sla_late_ms = 300 * 1000;
	ui->screen = newterm(term, out, in);
	if (!ui->screen) {
		if (!term)
			term = getenv("TERM");
		*cause = xasprintf(_("cannot use the terminal type \"%s\""), term ? term : "");
		return -1;
	}
	set_term(ui->screen);
	ui->active = true;
	cbreak();
	noecho();
	nonl();
	/* Ctrl-S is the search, not XOFF: without this an operator's Ctrl-S would freeze the screen until
	 * Ctrl-Q (Ctrl-C stays a signal, as cbreak keeps ISIG) */
	struct termios tio;
	if (tcgetattr(fileno(in), &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		if (tcsetattr(fileno(in), TCSANOW, &tio) == 0)
			def_prog_mode();
	}
	set_escdelay(25);
	/* clicks focus a pane or take a waiting chat, the wheel scrolls; presses act at once (no click delay) */
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	ui_color_init();
	ui->input = newwin(1, 1, 0, 0);
	keypad(ui->input, TRUE);
	nodelay(ui->input, TRUE);
	wnoutrefresh(ui->input); /* leave it untouched, so reading keys never implies a refresh */
	ui->lines = LINES;
	ui->cols = COLS;
	ui_screen_layout(ui);
	return 0;
}

static void ui_screen_delwins(struct ui *ui)
{
	WINDOW **wins[] = {&ui->status,  &ui->queue,   &ui->popup,  &ui->board, &ui->pane[0],
	                   &ui->pane[1], &ui->pane[2], &ui->pane[3]};
	for (size_t i = 0; i < sizeof wins / sizeof *wins; i++) {
		if (*wins[i]) {
			delwin(*wins[i]);
			*wins[i] = NULL;
		}
	}
	ui->n_panes = 0;
}

void ui_screen_fini(struct ui *ui)
{
	if (!ui->active)
		return;
	ui_screen_delwins(ui);
	if (ui->input) {
		delwin(ui->input);
		ui->input = NULL;
	}
	curs_set(1);
	endwin();
	delscreen(ui->screen);
	ui->screen = NULL;
	ui->active = false;
}

void ui_screen_resize(struct ui *ui)
{
	if (!ui->active)
		return;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	else
		log_warn("TIOCGWINSZ: %s", strerror(errno));
	ui->lines = LINES;
	ui->cols = COLS;
	log_debug("%dx%d", ui->cols, ui->lines);
	ui_screen_layout(ui);
}

static void ui_screen_pane(struct ui *ui, int i, int y, int x, int h, int w, bool sep)
{
	ui->pane_r[i] = (struct ui_rect){y, x, h, w};
	ui->pane_sep[i] = sep;
	ui->pane[i] = newwin(h, w, y, x);
}

void ui_screen_layout(struct ui *ui)
{
	struct deskview *v = ui->view;
	ui_screen_delwins(ui);
	ui->layout_slots = v->n_slots;
	ui->too_small = ui->cols < UI_MIN_COLS || ui->lines < UI_MIN_LINES;
	v->dirty = DESKVIEW_DIRTY_ALL & ~DESKVIEW_DIRTY_LAYOUT;
	clearok(curscr, TRUE);
	if (ui->too_small)
		return;
	ui->status = newwin(1, ui->cols, ui->lines - 1, 0);
	if (ui->desk->board)
		ui->board = newwin(ui->lines - 1, ui->cols, 0, 0);
	int ay = 0, ax = 0, ah = ui->lines - 1, aw = ui->cols;
	/* the sidebar grows with the terminal (a quarter of it), so that previews are readable on a wide one */
	int qw = ui->cols / 4;
	qw = qw < UI_QUEUE_COLS ? UI_QUEUE_COLS : qw > UI_QUEUE_MAX_COLS ? UI_QUEUE_MAX_COLS : qw;
	ui->queue_cols = qw;
	if (v->sidebar == DESKVIEW_SIDEBAR_LEFT) {
		ui->queue = newwin(ui->lines - 1, qw, 0, 0);
		ui->queue_x = qw - 1;
		ax = qw;
		aw -= qw;
	} else if (v->sidebar == DESKVIEW_SIDEBAR_RIGHT) {
		ui->queue = newwin(ui->lines - 1, qw, 0, ui->cols - qw);
		ui->queue_x = 0;
		aw -= qw;
	}
	int n = v->n_slots > 0 ? v->n_slots : 1;
	int lw = aw / 2, th = ah / 2;
	ui->zoomed = -1;
	if (v->zoom && n > 1 && v->focus >= 0 && v->focus < n) {
		/* only the focused pane gets a window; the others wait, untouched, until the zoom ends */
		ui->zoomed = v->focus;
		ui_screen_pane(ui, v->focus, ay, ax, ah, aw, false);
		ui->n_panes = n;
		v->page[v->focus] = ah - 2;
		return;
	}
	switch (n) {
	case 1:
		ui_screen_pane(ui, 0, ay, ax, ah, aw, false);
		break;
	case 2:
		if (lw >= UI_SIDE_BY_SIDE_MIN) {
			ui_screen_pane(ui, 0, ay, ax, ah, lw, false);
			ui_screen_pane(ui, 1, ay, ax + lw, ah, aw - lw, true);
		} else {
			ui_screen_pane(ui, 0, ay, ax, th, aw, false);
			ui_screen_pane(ui, 1, ay + th, ax, ah - th, aw, false);
		}
		break;
	case 3:
		ui_screen_pane(ui, 0, ay, ax, th, lw, false);
		ui_screen_pane(ui, 1, ay, ax + lw, th, aw - lw, true);
		ui_screen_pane(ui, 2, ay + th, ax, ah - th, aw, false);
		break;
	default:
		ui_screen_pane(ui, 0, ay, ax, th, lw, false);
		ui_screen_pane(ui, 1, ay, ax + lw, th, aw - lw, true);
		ui_screen_pane(ui, 2, ay + th, ax, ah - th, lw, false);
		ui_screen_pane(ui, 3, ay + th, ax + lw, ah - th, aw - lw, true);
		break;
	}
	ui->n_panes = n;
	for (int i = 0; i < n; i++)
		v->page[i] = ui->pane_r[i].h - 2;
}

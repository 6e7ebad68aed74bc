/* ui_input.c: keys from the terminal to commands (see ui_input.h). */
#include "opdesk/ui_input.h"

#include <poll.h>
#include <unistd.h>

#include <ncursesw/term.h>

#include "opdesk/cmd_keys.h"
#include "opdesk/cmd_popups.h"
#include "opdesk/log.h"
#include "opdesk/ui_mouse.h"

/* The code curses gives an xterm-style extended key (terminfo "kLFT5" = Ctrl-Left ...), or -1. */
static int ui_input_extended(const char *cap)
{
	const char *seq = tigetstr(cap);
	if (!seq || seq == (char *)-1)
		return -1;
	int code = key_defined(seq);
	return code > 0 ? code : -1;
}

int ui_input_translate(int rc, wint_t ch)
{
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return CMD_KEY_UP;
		case KEY_DOWN:
			return CMD_KEY_DOWN;
		case KEY_LEFT:
			return CMD_KEY_LEFT;
		case KEY_RIGHT:
			return CMD_KEY_RIGHT;
		case KEY_HOME:
			return CMD_KEY_HOME;
		case KEY_END:
			return CMD_KEY_END;
		case KEY_PPAGE:
			return CMD_KEY_PPAGE;
		case KEY_NPAGE:
			return CMD_KEY_NPAGE;
		case KEY_IC:
			return CMD_KEY_IC;
		case KEY_DC:
			return CMD_KEY_DC;
		case KEY_BACKSPACE:
			return CMD_KEY_BACKSPACE;
		case KEY_ENTER:
			return CMD_KEY_ENTER;
		case KEY_BTAB:
			return CMD_KEY_BTAB;
		case KEY_MOUSE:
			return CMD_KEY_MOUSE;
		default:
			if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(24))
				return CMD_KEY_F((int)ch - KEY_F0);
			if ((int)ch == ui_input_extended("kLFT5"))
				return CMD_KEY_CLEFT;
			if ((int)ch == ui_input_extended("kRIT5"))
				return CMD_KEY_CRIGHT;
			return -1;
		}
	}
	switch (ch) {
	case '\r':
	case '\n':
		return CMD_KEY_ENTER;
	case '\t':
		return CMD_KEY_TAB;
	case 0x7F:
	case 0x08:
		return CMD_KEY_BACKSPACE;
	case 0x1B:
		return CMD_KEY_ESC;
	default:
		return ch < 0x110000 ? (int)ch : -1;
	}
}

unsigned ui_input_drain(struct ui *ui, struct cmd_ctx *ctx, bool *eof)
{
	unsigned res = 0;
	int keys = 0;
	*eof = false;
	for (;;) {
		wint_t ch;
		int rc = wget_wch(ui->input, &ch);
		if (rc == ERR)
			break;
		keys++;
		int key = ui_input_translate(rc, ch);
		if (key == CMD_KEY_ESC) {
			/* ESC then a character at once: Alt+character (what terminals send for Meta). ESC then a
			 * function key is two keys, Esc and that key (an operator's quick Esc, F2 over SSH arrives
			 * in one read; terminals send Alt+F-keys as their own sequences, not behind an ESC). */
			wint_t ch2;
			int rc2 = wget_wch(ui->input, &ch2);
			if (rc2 != ERR) {
				int k2 = ui_input_translate(rc2, ch2);
				if (k2 >= 0 && k2 != CMD_KEY_ESC && rc2 != KEY_CODE_YES) {
					key = k2 | CMD_KEY_META;
				} else {
					res |= cmd_keys_dispatch(ctx, ui->keymap, CMD_KEY_ESC);
					if (k2 == CMD_KEY_ESC) {
						unget_wch(ch2); /* may start the next Alt+character */
						continue;
					}
					key = k2;
				}
			}
		}
		if (key < 0) {
			log_debug("ignored key %d/%#x", rc, (unsigned)ch);
			continue;
		}
		if (key == CMD_KEY_MOUSE)
			res |= ui_mouse_event(ui, ctx);
		else
			res |= cmd_keys_dispatch(ctx, ui->keymap, key);
		if (res & CMD_QUIT)
			break;
	}
	if (keys == 0) {
		/* woken for input that was not there: the terminal may have hung up */
		struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
		if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
			*eof = true;
	}
	return res;
}

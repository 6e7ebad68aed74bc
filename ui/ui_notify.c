/* ui_notify.c: desktop notifications as OSC 9 / OSC 777 (see ui_notify.h). */
#include "opdesk/ui_notify.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/textsafe.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#define UI_NOTIFY_MAX_CHARS 120

/* Append the printable characters of s (at most UI_NOTIFY_MAX_CHARS): controls, escapes, format characters
 * and invalid bytes are dropped, line breaks and tabs become spaces, and ';' (OSC 777's field separator) a
 * comma. */
static void ui_notify_clean(char **out, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s), chars = 0;
	for (size_t i = 0; i < n && chars < UI_NOTIFY_MAX_CHARS;) {
		uint32_t cp;
		size_t used = utf8_decode(s + i, n - i, &cp);
		const char *from = s + i;
		i += used;
		char u[4];
		size_t ulen;
		enum textsafe_class cl = textsafe_classify(cp);
		if (cp == 0xFFFD && used == 1 && (unsigned char)*from >= 0x80)
			continue; /* an invalid byte */
		if (cl == TEXTSAFE_CL_BREAK || cl == TEXTSAFE_CL_TAB)
			cp = ' ';
		else if (cl != TEXTSAFE_CL_PRINT && cl != TEXTSAFE_CL_COMBINING)
			continue;
		if (cp == ';')
			cp = ',';
		ulen = utf8_encode(cp, u);
		*out = xgrow(*out, cap, *len + ulen + 1, 1);
		memcpy(*out + *len, u, ulen);
		*len += ulen;
		(*out)[*len] = '\0';
		chars++;
	}
}

static void ui_notify_put(char **out, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	*out = xgrow(*out, cap, *len + n + 1, 1);
	memcpy(*out + *len, s, n + 1);
	*len += n;
}

char *ui_notify_sequence(enum config_notify kind, bool tmux, const char *title, const char *body)
{
	if (kind == CONFIG_NOTIFY_OFF)
		return NULL;
	char *osc = NULL;
	size_t len = 0, cap = 0;
	ui_notify_put(&osc, &len, &cap, kind == CONFIG_NOTIFY_OSC9 ? "\033]9;" : "\033]777;notify;");
	ui_notify_clean(&osc, &len, &cap, title ? title : "");
	if (body && *body) {
		ui_notify_put(&osc, &len, &cap, kind == CONFIG_NOTIFY_OSC9 ? ": " : ";");
		ui_notify_clean(&osc, &len, &cap, body);
	}
	ui_notify_put(&osc, &len, &cap, "\a");
	if (!tmux)
		return osc;
	/* tmux passes "ESC P tmux; ... ESC \" through to the outer terminal, every ESC inside doubled */
	char *wrapped = NULL;
	size_t wlen = 0, wcap = 0;
	ui_notify_put(&wrapped, &wlen, &wcap, "\033Ptmux;");
	for (size_t i = 0; i < len; i++) {
		char c[3] = {osc[i], 0, 0};
		if (osc[i] == '\033')
			c[1] = '\033';
		ui_notify_put(&wrapped, &wlen, &wcap, c);
	}
	ui_notify_put(&wrapped, &wlen, &wcap, "\033\\");
	free(osc);
	return wrapped;
}

void ui_notify_send(FILE *out, enum config_notify kind, const char *title, const char *body)
{
	const char *tmux = getenv("TMUX");
	char *seq = ui_notify_sequence(kind, tmux && *tmux, title, body);
	if (!seq)
		return;
	fputs(seq, out);
	fflush(out);
	free(seq);
}

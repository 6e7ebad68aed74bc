/* ui_text.c: drawing sanitized cells with wide-character curses calls (see ui_text.h). */
#include "opdesk/ui_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "opdesk/xalloc.h"

int ui_text_draw(WINDOW *w, int y, int x, const struct textsafe_cell *cells, size_t n, int max_w)
{
	int used = 0;
	n = textsafe_fit(cells, n, max_w, NULL); /* up to a break, never half a stand-in at the edge */
	for (size_t i = 0; i < n; i++) {
		const struct textsafe_cell *c = &cells[i];
		wchar_t wch[TEXTSAFE_CELL_CHARS + 1];
		int len = 0;
		while (len < TEXTSAFE_CELL_CHARS && c->ch[len])
			wch[len] = c->ch[len], len++;
		/* a joiner at the end of what is drawn (a joined emoji sequence split by a row too narrow for
		 * it): the emoji it joined is not drawn next to it, so it must not join whatever is drawn
		 * there */
		if (i + 1 == n && len > 1 && wch[len - 1] == 0x200D)
			len--;
		wch[len] = 0;
		enum ui_color_role role =
		    (c->flags & TEXTSAFE_MARKED) ? UI_C_MARKED : (enum ui_color_role)c->style;
		cchar_t cc;
		setcchar(&cc, wch, ui_color_attr(role), ui_color_pair(role), NULL);
		mvwadd_wch(w, y, x + used, &cc);
		used += c->width;
	}
	return used;
}

void ui_text_fill(WINDOW *w, int y, int x, int n, enum ui_color_role role)
{
	if (n <= 0)
		return;
	cchar_t cc;
	wchar_t sp[2] = {L' ', 0};
	setcchar(&cc, sp, ui_color_attr(role), ui_color_pair(role), NULL);
	mvwhline_set(w, y, x, &cc, n); /* one call for the run, not one a cell */
}

void ui_text_add(struct textsafe_buf *b, const char *s, enum ui_color_role role)
{
	textsafe_append_str(b, s, 0, (uint8_t)role);
}

void ui_text_addf(struct textsafe_buf *b, enum ui_color_role role, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s) {
		ui_text_add(b, s, role);
		free(s);
	}
}

const char *ui_text_duration(int64_t ms, char *buf, size_t size)
{
	if (ms < 0)
		ms = 0;
	long long s = ms / 1000;
	if (s >= 3600)
		snprintf(buf, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%lld:%02lld", s / 60, s % 60);
	return buf;
}

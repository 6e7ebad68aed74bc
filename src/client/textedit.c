/* textedit.c: the composer's editing buffer (see textedit.h). */
#include "opdesk/textedit.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "opdesk/proto.h"
#include "opdesk/textsafe.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

void textedit_init(struct textedit *e)
{
	memset(e, 0, sizeof *e);
}

void textedit_free(struct textedit *e)
{
	free(e->buf);
	textedit_init(e);
}

void textedit_clear(struct textedit *e)
{
	e->len = e->cursor = e->bytes = 0;
}

bool textedit_empty(const struct textedit *e)
{
	return e->len == 0;
}

static size_t textedit_cp_bytes(wchar_t c)
{
	char tmp[4];
	return utf8_encode((uint32_t)c, tmp);
}

static bool textedit_combining(wchar_t c)
{
	return textsafe_classify((uint32_t)c) == TEXTSAFE_CL_COMBINING;
}

static size_t textedit_limit(const struct textedit *e)
{
	return e->max_bytes ? e->max_bytes : PROTO_MAX_TEXT;
}

bool textedit_newline(struct textedit *e)
{
	if (e->bytes + 1 > textedit_limit(e))
		return false;
	e->buf = xgrow(e->buf, &e->cap, e->len + 1, sizeof *e->buf);
	memmove(e->buf + e->cursor + 1, e->buf + e->cursor, (e->len - e->cursor) * sizeof *e->buf);
	e->buf[e->cursor++] = L'\n';
	e->len++;
	e->bytes++;
	return true;
}

bool textedit_insert(struct textedit *e, wchar_t c)
{
	enum textsafe_class cl = textsafe_classify((uint32_t)c);
	if (cl != TEXTSAFE_CL_PRINT && cl != TEXTSAFE_CL_COMBINING)
		return false;
	if (cl == TEXTSAFE_CL_COMBINING && e->cursor == 0)
		return false; /* a mark needs a character to sit on */
	size_t nb = textedit_cp_bytes(c);
	if (e->bytes + nb > textedit_limit(e))
		return false;
	e->buf = xgrow(e->buf, &e->cap, e->len + 1, sizeof *e->buf);
	memmove(e->buf + e->cursor + 1, e->buf + e->cursor, (e->len - e->cursor) * sizeof *e->buf);
	e->buf[e->cursor++] = c;
	e->len++;
	e->bytes += nb;
	/* a combining mark typed before other marks stays in its cluster: keep the cursor after the cluster
	 */
	while (e->cursor < e->len && textedit_combining(e->buf[e->cursor]))
		e->cursor++;
	return true;
}

void textedit_set_utf8(struct textedit *e, const char *s)
{
	textedit_clear(e);
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (cp == '\n')
			textedit_newline(e);
		else
			textedit_insert(e, (wchar_t)cp);
	}
}

/* Start of the cluster that ends at index i (i > 0). */
static size_t textedit_prev(const struct textedit *e, size_t i)
{
	while (i > 0) {
		i--;
		if (!textedit_combining(e->buf[i]))
			break;
	}
	return i;
}

/* End of the cluster that starts at index i (i < len). */
static size_t textedit_next(const struct textedit *e, size_t i)
{
	i++;
	while (i < e->len && textedit_combining(e->buf[i]))
		i++;
	return i;
}

/* The kill ring, as in readline: one slot shared by all drafts, so text cut in one dialog can be yanked
 * into another. */
static wchar_t *textedit_killed;
static size_t textedit_n_killed;

static void textedit_save_kill(const struct textedit *e, size_t from, size_t to)
{
	free(textedit_killed);
	textedit_n_killed = to - from;
	textedit_killed = malloc((textedit_n_killed ? textedit_n_killed : 1) * sizeof *textedit_killed);
	if (!textedit_killed) {
		textedit_n_killed = 0;
		return;
	}
	memcpy(textedit_killed, e->buf + from, textedit_n_killed * sizeof *textedit_killed);
}

bool textedit_yank(struct textedit *e)
{
	bool changed = false;
	for (size_t i = 0; i < textedit_n_killed; i++)
		changed |= textedit_insert(e, textedit_killed[i]);
	return changed;
}

void textedit_forget_kill(void)
{
	free(textedit_killed);
	textedit_killed = NULL;
	textedit_n_killed = 0;
}

bool textedit_word_left(struct textedit *e)
{
	size_t i = e->cursor;
	while (i > 0 && !iswalnum((wint_t)e->buf[i - 1]))
		i--;
	while (i > 0 && (iswalnum((wint_t)e->buf[i - 1]) || textedit_combining(e->buf[i - 1])))
		i--;
	if (i == e->cursor)
		return false;
	e->cursor = i;
	return true;
}

bool textedit_word_right(struct textedit *e)
{
	size_t i = e->cursor;
	while (i < e->len && !iswalnum((wint_t)e->buf[i]))
		i++;
	while (i < e->len && (iswalnum((wint_t)e->buf[i]) || textedit_combining(e->buf[i])))
		i++;
	if (i == e->cursor)
		return false;
	e->cursor = i;
	return true;
}

static void textedit_cut(struct textedit *e, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		e->bytes -= textedit_cp_bytes(e->buf[i]);
	memmove(e->buf + from, e->buf + to, (e->len - to) * sizeof *e->buf);
	e->len -= to - from;
	if (e->cursor >= to)
		e->cursor -= to - from;
	else if (e->cursor > from)
		e->cursor = from;
}

bool textedit_backspace(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	textedit_cut(e, textedit_prev(e, e->cursor), e->cursor);
	return true;
}

bool textedit_delete(struct textedit *e)
{
	if (e->cursor >= e->len)
		return false;
	textedit_cut(e, e->cursor, textedit_next(e, e->cursor));
	return true;
}

bool textedit_left(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	e->cursor = textedit_prev(e, e->cursor);
	return true;
}

bool textedit_right(struct textedit *e)
{
	if (e->cursor >= e->len)
		return false;
	e->cursor = textedit_next(e, e->cursor);
	return true;
}

bool textedit_home(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	e->cursor = 0;
	return true;
}

bool textedit_end(struct textedit *e)
{
	if (e->cursor == e->len)
		return false;
	e->cursor = e->len;
	return true;
}

bool textedit_kill_end(struct textedit *e)
{
	if (e->cursor >= e->len)
		return false;
	textedit_save_kill(e, e->cursor, e->len);
	textedit_cut(e, e->cursor, e->len);
	return true;
}

bool textedit_kill_start(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	textedit_save_kill(e, 0, e->cursor);
	textedit_cut(e, 0, e->cursor);
	return true;
}

bool textedit_kill_word(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	size_t i = e->cursor;
	while (i > 0 && iswspace((wint_t)e->buf[i - 1]))
		i--;
	while (i > 0 && !iswspace((wint_t)e->buf[i - 1]))
		i--;
	textedit_save_kill(e, i, e->cursor);
	textedit_cut(e, i, e->cursor);
	return true;
}

char *textedit_utf8(const struct textedit *e, bool trim)
{
	size_t from = 0, to = e->len;
	if (trim) {
		while (from < to && iswspace((wint_t)e->buf[from]))
			from++;
		while (to > from && iswspace((wint_t)e->buf[to - 1]))
			to--;
	}
	char *out = xmalloc(e->bytes + 1), *p = out;
	for (size_t i = from; i < to; i++)
		p += utf8_encode((uint32_t)e->buf[i], p);
	*p = '\0';
	return out;
}

static int textedit_span_width(const struct textedit *e, size_t to)
{
	int w = 0;
	for (size_t i = 0; i < to; i++) {
		int cw = wcwidth(e->buf[i]);
		w += cw > 0 ? cw : 0;
	}
	return w;
}

int textedit_cursor_col(const struct textedit *e)
{
	return textedit_span_width(e, e->cursor);
}

int textedit_width(const struct textedit *e)
{
	return textedit_span_width(e, e->len);
}

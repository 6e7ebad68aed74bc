/* deskview_board.c: the board screen's rows in the view (no curses): the operators in the order and with the
 * filter the supervisor chose, the chats of the one opened listed under its row, and where the highlight is. */
#include <stdlib.h>
#include <string.h>

#include "opdesk/board.h"
#include "opdesk/deskview.h"
#include "opdesk/xalloc.h"

struct deskview_board_row *deskview_board_rows(const struct deskview *v, size_t *n)
{
	const struct board *b = v->desk->board;
	*n = 0;
	if (!b || !b->n_ops)
		return NULL;
	size_t *idx = xcalloc(b->n_ops, sizeof *idx);
	size_t k = board_rows(b, (enum board_sort)v->board.sort, v->board.filter, idx);
	const struct proto_board_op *open = v->board.open_user[0] ? board_op_find(b, v->board.open_user) : NULL;
	struct deskview_board_row *rows = xcalloc(k + (open ? open->n_chats : 0) + 1, sizeof *rows);
	size_t r = 0;
	for (size_t i = 0; i < k; i++) {
		const struct proto_board_op *o = &b->ops[idx[i]];
		rows[r++] = (struct deskview_board_row){ .op = idx[i] };
		if (o == open)
			for (size_t c = 0; c < o->n_chats; c++)
				rows[r++] = (struct deskview_board_row){ .op = idx[i], .dialog = o->chats[c].dialog, .chat = c };
	}
	free(idx);
	*n = r;
	return rows;
}

size_t deskview_board_sel(const struct deskview *v, const struct deskview_board_row *rows, size_t n)
{
	const struct board *b = v->desk->board;
	if (!b || !v->board.sel_user[0])
		return 0;
	size_t own = n; /* the operator's row, when its chat is gone */
	for (size_t i = 0; i < n; i++) {
		if (strcmp(b->ops[rows[i].op].user, v->board.sel_user) != 0)
			continue;
		if (rows[i].dialog == v->board.sel_dialog)
			return i;
		if (!rows[i].dialog)
			own = i;
	}
	return own < n ? own : 0;
}

size_t deskview_board_alert_sel(const struct deskview *v)
{
	const struct board *b = v->desk->board;
	for (size_t i = 0; b && v->board.sel_alert && i < b->n_alerts; i++)
		if (b->alerts[i]->id == v->board.sel_alert)
			return i;
	return 0;
}

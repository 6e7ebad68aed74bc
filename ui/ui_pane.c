/* ui_pane.c: a dialog pane: header, wrapped history drawn from the newest message up, composer. */
#include "opdesk/ui_pane.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/i18n.h"
#include "opdesk/search.h"
#include "opdesk/sysline.h"
#include "opdesk/textwrap.h"
#include "opdesk/ui_composer.h"
#include "opdesk/ui_text.h"
#include "opdesk/xalloc.h"

#define UI_PANE_INDENT   6 /* continuation rows start under the text after "HH:MM " */
#define UI_PANE_NAME_MAX 20

/* One screen row of history: cells [start, end) of the pane's cell store, drawn after `indent` blanks. */
struct ui_pane_line {
	size_t start, end;
	int indent;
};

struct ui_pane_ctx {
	struct textsafe_buf all;    /* every cell of the lines built so far */
	wchar_t query[SEARCH_MAX + 1]; /* the search's text, folded, while a search runs in this pane */
	size_t query_n;
	long current;               /* the message of the hit shown, -1 if none */
	struct ui_pane_line *lines; /* bottom-up: lines[0] is the newest row */
	size_t n, cap;
	struct textwrap wrap;
	int width;
};

static void ui_pane_cells_append(struct textsafe_buf *dst, const struct textsafe_buf *src, bool no_break)
{
	dst->cells = xgrow(dst->cells, &dst->cap, dst->n + src->n, sizeof *dst->cells);
	memcpy(dst->cells + dst->n, src->cells, src->n * sizeof *src->cells);
	if (no_break)
		for (size_t i = dst->n; i < dst->n + src->n; i++)
			dst->cells[i].flags &= (uint8_t)~TEXTSAFE_SPACE;
	dst->n += src->n;
	dst->width += src->width;
}

/* Wrap the cells appended since `start` and push their rows (bottom-up order). Trailing empty rows are
 * dropped (customers often end with a newline). */
static void ui_pane_push(struct ui_pane_ctx *pc, size_t start)
{
	size_t rows = textwrap_cells(&pc->wrap, pc->all.cells + start, pc->all.n - start, pc->width,
	                             pc->width - UI_PANE_INDENT);
	while (rows > 1 && pc->wrap.rows[rows - 1].end == pc->wrap.rows[rows - 1].start)
		rows--;
	pc->lines = xgrow(pc->lines, &pc->cap, pc->n + rows, sizeof *pc->lines);
	for (size_t k = rows; k-- > 0;) {
		const struct textwrap_row *r = &pc->wrap.rows[k];
		pc->lines[pc->n++] =
		    (struct ui_pane_line){start + r->start, start + r->end, k ? UI_PANE_INDENT : 0};
	}
}

static void ui_pane_time(int64_t ms, char *buf, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0 || !localtime_r(&t, &tm))
		snprintf(buf, size, "--:--");
	else
		strftime(buf, size, "%H:%M", &tm);
}

/* "name" cut to `max` columns, appended without break points. */
static void ui_pane_name_max(struct ui_pane_ctx *pc, const char *name, enum ui_color_role role, int max)
{
	struct textsafe_buf nb;
	textsafe_init(&nb);
	ui_text_add(&nb, name && *name ? name : "?", role);
	textsafe_truncate(&nb, max, L'…');
	ui_pane_cells_append(&pc->all, &nb, true);
	textsafe_free(&nb);
}

/* "name" cut to UI_PANE_NAME_MAX columns, appended without break points. */
static void ui_pane_name(struct ui_pane_ctx *pc, const char *name, enum ui_color_role role)
{
	struct textsafe_buf nb;
	textsafe_init(&nb);
	ui_text_add(&nb, name && *name ? name : "?", role);
	textsafe_truncate(&nb, UI_PANE_NAME_MAX, L'…');
	ui_pane_cells_append(&pc->all, &nb, true);
	textsafe_free(&nb);
}

static void ui_pane_prefix(struct ui_pane_ctx *pc, const char *s, enum ui_color_role role)
{
	struct textsafe_buf nb;
	textsafe_init(&nb);
	ui_text_add(&nb, s, role);
	ui_pane_cells_append(&pc->all, &nb, true);
	textsafe_free(&nb);
}

/* Mark the search's hits among cells [from, all.n): the hit shown in its own colour. */
static void ui_pane_hits(struct ui_pane_ctx *pc, size_t from, bool current)
{
	struct textsafe_cell *c = pc->all.cells;
	for (size_t i = from; pc->query_n && i + pc->query_n <= pc->all.n; i++) {
		size_t k = 0;
		while (k < pc->query_n && !(c[i + k].flags & TEXTSAFE_MARKED) &&
		       search_fold(c[i + k].ch[0]) == pc->query[k])
			k++;
		if (k < pc->query_n)
			continue;
		for (k = 0; k < pc->query_n; k++)
			c[i + k].style = current ? UI_C_SEARCH_CURRENT : UI_C_SEARCH_HIT;
		i += pc->query_n - 1;
	}
}

static void ui_pane_message(struct ui_pane_ctx *pc, const struct desk *d, const struct desk_dialog *dl,
                            const struct desk_message *m, long index)
{
	size_t start = pc->all.n;
	pc->all.col = 0;
	pc->all.after_cr = false;
	char tm[16];
	ui_pane_time(m->time, tm, sizeof tm);
	ui_pane_prefix(pc, tm, UI_C_MSG_TIME);
	ui_pane_prefix(pc, " ", UI_C_MSG_TIME);
	enum ui_color_role text_role;
	switch (m->sender) {
	case PROTO_FROM_CUSTOMER:
		ui_pane_name(pc, m->author && *m->author ? m->author : dl->customer, UI_C_MSG_CUSTOMER_NAME);
		text_role = UI_C_MSG_CUSTOMER;
		break;
	case PROTO_FROM_OPERATOR:
		ui_pane_name(pc, m->author, UI_C_MSG_OPERATOR_NAME);
		text_role = UI_C_MSG_OPERATOR;
		break;
	case PROTO_FROM_NOTE:
		if (desk_message_whisper(m)) { /* "whisper from Светлана": a supervisor's words to the operator */
			char *label = sysline_whisper_label(m);
			ui_pane_name_max(pc, label, UI_C_MSG_WHISPER, 2 * UI_PANE_NAME_MAX); /* the name after the words */
			free(label);
			text_role = UI_C_MSG_WHISPER;
			break;
		}
		ui_pane_prefix(pc, _("[note]"), UI_C_MSG_NOTE);
		ui_pane_prefix(pc, " ", UI_C_MSG_NOTE);
		ui_pane_name(pc, m->author, UI_C_MSG_NOTE);
		text_role = UI_C_MSG_NOTE;
		break;
	default:
		ui_pane_prefix(pc, "*", UI_C_MSG_SYSTEM);
		text_role = UI_C_MSG_SYSTEM;
		break;
	}
	if (m->sender != PROTO_FROM_SYSTEM)
		ui_pane_prefix(pc, ":", UI_C_MSG_TIME);
	ui_text_add(&pc->all, " ", UI_C_MSG_TIME); /* the text may wrap to the next row here */
	if (m->delivery == DESK_DLV_PENDING)
		text_role = UI_C_MSG_PENDING;
	size_t text_from = pc->all.n;
	char *text = sysline_text(m); /* the hub's own lines in the operator's language */
	textsafe_append_str(&pc->all, text, TEXTSAFE_MULTILINE, (uint8_t)text_role);
	free(text);
	ui_pane_hits(pc, text_from, index == pc->current);
	if (m->delivery == DESK_DLV_PENDING) {
		ui_text_add(&pc->all, " ", UI_C_MSG_PENDING);
		ui_text_add(&pc->all, _("(sending)"), UI_C_MSG_PENDING);
	} else if (m->delivery == DESK_DLV_FAILED) {
		ui_text_add(&pc->all, " ", UI_C_MSG_FAILED);
		ui_text_add(&pc->all, _("(not delivered)"), UI_C_MSG_FAILED);
	}
	(void)d;
	ui_pane_push(pc, start);
}

/* "──── new ────" across the pane. */
static void ui_pane_marker(struct ui_pane_ctx *pc)
{
	size_t start = pc->all.n;
	pc->all.col = 0;
	const char *label = _(" new ");
	int lw = textsafe_width(label), side = (pc->width - lw) / 2;
	for (int k = 0; k < side; k++)
		ui_text_add(&pc->all, "─", UI_C_UNREAD);
	ui_text_add(&pc->all, label, UI_C_UNREAD);
	for (int k = side + lw; k < pc->width; k++)
		ui_text_add(&pc->all, "─", UI_C_UNREAD);
	ui_pane_push(pc, start);
}

/* A line the client derives from the dialog's state (closed, rating, released). */
static void ui_pane_system(struct ui_pane_ctx *pc, const char *text)
{
	size_t start = pc->all.n;
	ui_pane_prefix(pc, "      ", UI_C_MSG_SYSTEM);
	ui_text_add(&pc->all, text, UI_C_MSG_SYSTEM);
	ui_pane_push(pc, start);
}

static const char *ui_pane_topic_label(const char *topic)
{
	for (size_t i = 0; topic && i < proto_n_topics; i++)
		if (strcmp(proto_topics[i], topic) == 0)
			return deskview_topic_label(i);
	return topic;
}

static void ui_pane_state_lines(struct ui_pane_ctx *pc, const struct desk_dialog *dl)
{
	/* bottom-up: the rating goes below the closing line */
	if (dl->rating > 0) {
		char *s = dl->rating_comment && *dl->rating_comment
		              ? xasprintf(_("Customer rated %d/5: %s"), dl->rating, dl->rating_comment)
		              : xasprintf(_("Customer rated %d/5"), dl->rating);
		ui_pane_system(pc, s);
		free(s);
	}
	if (dl->state == PROTO_DS_CLOSED) {
		const char *by = dl->closed_by == PROTO_BY_CUSTOMER ? _("Dialog closed by the customer")
		                 : dl->closed_by == PROTO_BY_SYSTEM ? _("Dialog closed by the system")
		                                                    : _("Dialog closed");
		char *s = dl->topic ? xasprintf(_("%s, topic: %s"), by, ui_pane_topic_label(dl->topic))
		                    : xstrdup(by);
		ui_pane_system(pc, s);
		free(s);
	} else if (dl->released && dl->taken_over) {
		char *s = dl->taken_over_by ? xasprintf(_("Dialog taken over by supervisor %s"), dl->taken_over_by)
		                            : xstrdup(_("Dialog taken over by a supervisor"));
		ui_pane_system(pc, s);
		free(s);
	} else if (dl->released) {
		char *s = xasprintf(_("Dialog released: %s"), dl->release_reason ? dl->release_reason : "");
		ui_pane_system(pc, s);
		free(s);
	}
}

static void ui_pane_header(struct ui *ui, int slot, const struct desk_dialog *dl, int x0, int cw)
{
	WINDOW *w = ui->pane[slot];
	bool focused = slot == ui->view->focus;
	bool open = desk_dialog_open(dl) || desk_dialog_watch_live(dl);
	enum ui_color_role role = focused ? UI_C_PANE_HEADER_FOCUS
	                          : open  ? UI_C_PANE_HEADER
	                                  : UI_C_PANE_HEADER_CLOSED;
	open = desk_dialog_open(dl); /* the wait below is the operator's to answer */
	struct textsafe_buf left, right;
	textsafe_init(&left);
	textsafe_init(&right);
	ui_text_addf(&left, role, " %d ", slot + 1);
	ui_text_add(&left, dl->customer, role);
	if (dl->returning > 0) /* a returning customer: how many chats before this one (Alt-I shows them) */
		ui_text_addf(&left, role, " ↺%lld", (long long)dl->returning);
	ui_text_add(&left, " · ", role);
	ui_text_add(&left, proto_channel_name(dl->channel), role);
	if (dl->queue && *dl->queue && strcmp(dl->queue, "general") != 0) {
		ui_text_add(&left, " · ", role);
		ui_text_add(&left, dl->queue, role);
	}
	if (dl->watched && dl->watched_operator) { /* whose chat the supervisor watches */
		ui_text_add(&left, " · ", role);
		ui_text_add(&left, dl->watched_operator, role);
	}
	ui_text_addf(&left, role, " · #%lld", (long long)dl->id); /* the dialog's number: two Людмилы told apart */
	/* what the operator acts on (state, typing, unread, the wait) sits on the right and is never cut; the
	 * name and channel on the left give way first */
	if (dl->watched) { /* never the supervisor's to answer: said in its own colour, first */
		ui_text_addf(&right, UI_C_PANE_HEADER_WATCHED, " %s ", _("watching · read-only"));
		ui_text_add(&right, " ", role);
	}
	if (dl->n_watchers) { /* the operator's side: a supervisor watches this dialog */
		ui_text_add(&right, "👁 ", role);
		for (size_t i = 0; i < dl->n_watchers; i++) {
			const struct proto_person *p = &dl->watchers[i];
			if (i)
				ui_text_add(&right, ", ", role);
			ui_text_add(&right, p->display ? p->display : p->user, role);
		}
		ui_text_add(&right, "  ", role);
	}
	if (dl->state == PROTO_DS_CLOSED) {
		ui_text_add(&right, _("closed"), role);
		ui_text_add(&right, "  ", role);
	} else if (dl->released && dl->taken_over) {
		ui_text_add(&right, _("taken over"), role);
		ui_text_add(&right, "  ", role);
	} else if (dl->released) {
		ui_text_add(&right, _("released"), role);
		ui_text_add(&right, "  ", role);
	}
	if (dl->customer_typing) {
		ui_text_add(&right, _("typing…"), role);
		ui_text_add(&right, "  ", role);
	}
	if (dl->unread && !focused) {
		ui_text_addf(&right, role, _("%zu new"), dl->unread);
		ui_text_add(&right, "  ", role);
	}
	if (open && dl->unanswered_since) {
		char dur[24];
		/* of two or more panes whose customers wait, the one waiting longest is marked */
		int waiting = 0;
		bool longest = true;
		for (int i = 0; i < ui->view->n_slots; i++) {
			const struct desk_dialog *o = deskview_slot_dialog(ui->view, i);
			if (!o || !desk_dialog_open(o) || !o->unanswered_since)
				continue;
			waiting++;
			if (o->unanswered_since < dl->unanswered_since ||
			    (o->unanswered_since == dl->unanswered_since && i < slot))
				longest = false;
		}
		if (waiting > 1 && longest)
			ui_text_add(&right, "▲", UI_C_PANE_HEADER_LATE);
		int64_t waited = desk_now(ui->desk) - dl->unanswered_since;
		ui_text_duration(waited, dur, sizeof dur);
		ui_text_addf(&right,
		             ui_color_sla(waited, ui->sla_warn_ms, ui->sla_late_ms, role, UI_C_PANE_HEADER_WARN,
		                          UI_C_PANE_HEADER_LATE),
		             _("waits %s"),
		             dur);
		ui_text_add(&right, " ", role);
	}
	int keep = 5; /* " N " and a letter of the name */
	textsafe_truncate(&right, cw > keep ? cw - keep : 0, L'…');
	textsafe_truncate(&left, cw - right.width - (right.width ? 1 : 0), L'…');
	ui_text_fill(w, 0, x0, cw, role);
	ui_text_draw(w, 0, x0, left.cells, left.n, cw);
	ui_text_draw(w, 0, x0 + cw - right.width, right.cells, right.n, right.width);
	textsafe_free(&left);
	textsafe_free(&right);
}

static void ui_pane_empty(struct ui *ui, int slot, int x0, int cw)
{
	WINDOW *w = ui->pane[slot];
	struct ui_rect r = ui->pane_r[slot];
	struct textsafe_buf b;
	textsafe_init(&b);
	ui_text_fill(w, 0, x0, cw, UI_C_PANE_HEADER);
	ui_text_add(&b, " ", UI_C_PANE_HEADER);
	ui_text_add(&b, _("No open dialogs"), UI_C_PANE_HEADER);
	ui_text_draw(w, 0, x0, b.cells, b.n, cw);
	const char *hints[] = {
	    _("No open dialogs."),
	    _("F2 takes the chat that has waited longest."),
	    _("F1 shows all keys, F10 quits."),
	};
	int y = r.h / 2 - 2;
	for (size_t i = 0; i < sizeof hints / sizeof *hints; i++) {
		textsafe_reset(&b);
		ui_text_add(&b, hints[i], UI_C_PANE_EMPTY);
		int x = x0 + (cw - b.width) / 2;
		if (y + (int)i > 0 && y + (int)i < r.h - 1)
			ui_text_draw(w, y + (int)i, x > x0 ? x : x0, b.cells, b.n, cw);
	}
	textsafe_free(&b);
}

void ui_pane_draw(struct ui *ui, int slot)
{
	WINDOW *w = ui->pane[slot];
	if (!w)
		return;
	struct ui_rect r = ui->pane_r[slot];
	int composer = ui->composer_rows[slot] > 0 ? ui->composer_rows[slot] : 1; /* settled before drawing */
	int x0 = ui->pane_sep[slot] ? 1 : 0, cw = r.w - x0, hh = r.h - 1 - composer;
	werase(w);
	if (ui->pane_sep[slot]) {
		struct textsafe_buf sep;
		textsafe_init(&sep);
		textsafe_append_cp(&sep, 0x2502, 0, UI_C_SEPARATOR); /* │ */
		for (int y = 0; y < r.h; y++)
			ui_text_draw(w, y, 0, sep.cells, sep.n, 1);
		textsafe_free(&sep);
	}
	struct desk_dialog *dl = deskview_slot_dialog(ui->view, slot);
	if (!dl) {
		ui_pane_empty(ui, slot, x0, cw);
		return;
	}
	ui_pane_header(ui, slot, dl, x0, cw);

	struct ui_pane_ctx pc;
	memset(&pc, 0, sizeof pc);
	textsafe_init(&pc.all);
	textwrap_init(&pc.wrap);
	pc.width = cw;
	int *scroll = &ui->view->scroll[slot];
	const struct deskview *v = ui->view;
	pc.current = -1;
	if (v->mode == DESKVIEW_PROMPT && v->prompt.kind == DESKVIEW_PROMPT_SEARCH && v->search.dialog == dl->id) {
		pc.query_n = search_query(v->search.text, pc.query, sizeof pc.query / sizeof *pc.query);
		pc.current = v->search.msg;
	}
	long target = ui->view->scroll_to_msg[slot]; /* a search hit to bring into view */
	ui->view->scroll_to_msg[slot] = -1;
	if (target >= (long)dl->n_msgs)
		target = -1;
	size_t need = (size_t)hh + (size_t)*scroll;
	ui_pane_state_lines(&pc, dl);
	/* the "new" line goes above the first message the operator has not seen (WeeChat's read marker) */
	int64_t marker = dl->unread ? desk_first_unread_seq(dl) : dl->new_from_seq;
	size_t *ends = NULL, n_ends = 0, cap_ends = 0; /* the line after each message drawn, newest first */
	for (size_t i = dl->n_msgs; i-- > 0 && (pc.n < need || (target >= 0 && (long)i >= target));) {
		size_t before = pc.n;
		ui_pane_message(&pc, ui->desk, dl, dl->msgs[i], (long)i);
		if (marker && dl->msgs[i]->seq == marker)
			ui_pane_marker(&pc);
		ends = xgrow(ends, &cap_ends, n_ends + 1, sizeof *ends);
		ends[n_ends++] = pc.n;
		if ((long)i == target) {
			/* the hit's rows are [before, pc.n) from the bottom: scroll only if they are not all in
			 * view, and then so that the hit sits in the middle */
			int lo = (int)before, hi = (int)pc.n;
			if (lo < *scroll || hi > *scroll + hh) {
				int h = hi - lo;
				*scroll = h >= hh ? hi - hh : hi - hh + (hh - h) / 2;
				if (*scroll < 0)
					*scroll = 0;
			}
			need = (size_t)hh + (size_t)*scroll;
		}
	}
	if (pc.n < need) {
		/* the oldest message is on screen: no scrolling past it */
		int max = (int)pc.n - hh;
		*scroll = max > 0 ? max : 0;
	}
	size_t below = 0; /* messages wholly under the bottom row: how far back the operator has scrolled */
	while (below < n_ends && ends[below] <= (size_t)*scroll)
		below++;
	free(ends);
	for (int row = 0; row < hh; row++) {
		size_t li = (size_t)*scroll + (size_t)row;
		if (li >= pc.n)
			break;
		const struct ui_pane_line *l = &pc.lines[li];
		int y = hh - row; /* rows 1..hh, the newest at the bottom */
		ui_text_draw(w, y, x0 + l->indent, pc.all.cells + l->start, l->end - l->start,
		             cw - l->indent);
	}
	if (*scroll > 0) {
		struct textsafe_buf more;
		textsafe_init(&more);
		char text[128];
		snprintf(text, sizeof text,
		         ngettext("↓ %zu newer message below: PgDn", "↓ %zu newer messages below: PgDn", below), below);
		ui_text_addf(&more, UI_C_MSG_MORE, " %s ", text);
		if (more.width > cw) { /* a narrow pane: the count matters more than the words */
			snprintf(text, sizeof text, ngettext("↓ %zu newer", "↓ %zu newer", below), below);
			textsafe_reset(&more);
			ui_text_addf(&more, UI_C_MSG_MORE, " %s ", text);
		}
		ui_text_fill(w, hh, x0 + cw - more.width, more.width, UI_C_MSG_MORE);
		ui_text_draw(w, hh, x0 + cw - more.width, more.cells, more.n, more.width);
		textsafe_free(&more);
	}
	textsafe_free(&pc.all);
	textwrap_free(&pc.wrap);
	free(pc.lines);
	ui_composer_draw(ui, slot);
}

/* ui_board.c: the supervisor's board screen (monitor mode): today's figures against the targets, the queues,
 * the last hour's trend as sparklines, the operators (state and time in it, load as slots, each held chat's
 * unanswered time coloured by the SLA, today's figures) and the alerts, newest first. Readable at 80x24: the
 * alerts go below the operators there, beside them from 150 columns. Every name is drawn through textsafe. */
#include "opdesk/ui_board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opdesk/board.h"
#include "opdesk/i18n.h"
#include "opdesk/ui_text.h"

#define ALERTS_SIDE_MIN_COLS 150 /* from this width the alerts get a column of their own */
#define ALERTS_SIDE_COLS 64

struct board_draw {
	WINDOW *w;
	const struct board *b;
	const struct deskview *v;
	struct textsafe_buf t;
	int64_t now;
	bool ascii;
};

/* Draw t at (y, x) in `width` columns, cut with an ellipsis, the rest filled in `fill`. */
static void bd_put(struct board_draw *d, int y, int x, int width, enum ui_color_role fill)
{
	if (width <= 0)
		return;
	textsafe_truncate(&d->t, width, L'…');
	int used = ui_text_draw(d->w, y, x, d->t.cells, d->t.n, width);
	if (used < width)
		ui_text_fill(d->w, y, x + used, width - used, fill);
	textsafe_reset(&d->t);
}

/* A wait against its threshold: normal under half of it, a warning from half, late past it. */
static enum ui_color_role bd_sla(int64_t waited, int64_t sla)
{
	return ui_color_sla(waited, (int)(sla / 2), (int)sla, UI_C_BOARD_GOOD, UI_C_BOARD_WARN, UI_C_BOARD_LATE);
}

static void bd_duration(struct board_draw *d, int64_t ms, enum ui_color_role role)
{
	char buf[32];
	ui_text_add(&d->t, ui_text_duration(ms, buf, sizeof buf), role);
}

/* A time in a state, to the minute (the board wakes once a minute for these, not every second). */
static void bd_since(struct board_draw *d, int64_t ms, enum ui_color_role role)
{
	long m = ms > 0 ? (long)(ms / 60000) : 0;
	if (m < 1)
		ui_text_add(&d->t, _("<1m"), role);
	else if (m < 60)
		ui_text_addf(&d->t, role, _("%ldm"), m);
	else
		ui_text_addf(&d->t, role, _("%ldh%02ldm"), m / 60, m % 60);
}

static const char *bd_name(const struct proto_board_op *o)
{
	return o->display && *o->display ? o->display : o->user;
}

/* ---- today, queues, trend ---- */

static void bd_today(struct board_draw *d, int y, int cols, bool wide)
{
	const struct proto_kpi *k = &d->b->today;
	struct textsafe_buf *t = &d->t;
	ui_text_addf(t, UI_C_BOARD_LABEL, "%s ", _("Today: opened"));
	ui_text_addf(t, UI_C_BOARD_VALUE, "%lld", (long long)k->opened);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  %s ", _("closed"));
	ui_text_addf(t, UI_C_BOARD_VALUE, "%lld", (long long)k->closed);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  %s ", _("waiting"));
	ui_text_addf(t, d->b->waiting ? UI_C_BOARD_WARN : UI_C_BOARD_VALUE, "%lld", (long long)d->b->waiting);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  %s ", _("abandoned"));
	ui_text_addf(t, k->abandoned ? UI_C_BOARD_WARN : UI_C_BOARD_VALUE, "%lld", (long long)k->abandoned);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  %s ", _("claims"));
	ui_text_addf(t, UI_C_BOARD_VALUE, "%lld", (long long)k->claims);
	static const char *const cat[PROTO_CLAIM_COUNT] = { N_("quality"), N_("completeness"), N_("delivery"),
		                                            N_("service") };
	bool first = true;
	for (int c = 0; c < PROTO_CLAIM_COUNT; c++) {
		if (!k->claims_by[c])
			continue;
		ui_text_addf(t, UI_C_BOARD_LABEL, "%s%s %lld", first ? " (" : ", ", _(cat[c]), (long long)k->claims_by[c]);
		first = false;
	}
	if (!first)
		ui_text_add(t, ")", UI_C_BOARD_LABEL);
	bd_put(d, y, 0, cols, UI_C_DEFAULT);

	int64_t sla = d->b->sla_wait_ms, ans = d->b->sla_answer_ms;
	char tgt[32];
	ui_text_addf(t, UI_C_BOARD_LABEL, "%s ", _("Queue wait: mean"));
	bd_duration(d, k->wait_avg_ms, bd_sla(k->wait_avg_ms, sla * 2));
	ui_text_addf(t, UI_C_BOARD_LABEL, "  p90 ");
	bd_duration(d, k->wait_p90_ms, bd_sla(k->wait_p90_ms, sla * 2));
	ui_text_addf(t, UI_C_BOARD_LABEL, " (%s %s)", _("target"), ui_text_duration(sla, tgt, sizeof tgt));
	int sl = board_service_level(k);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  %s ", _("service level"));
	if (sl < 0)
		ui_text_add(t, "—", UI_C_BOARD_VALUE);
	else
		ui_text_addf(t, sl >= 80 ? UI_C_BOARD_GOOD : sl >= 60 ? UI_C_BOARD_WARN : UI_C_BOARD_LATE, "%d%%", sl);
	ui_text_addf(t, UI_C_BOARD_LABEL, " (%lld/%lld)", (long long)k->in_sla, (long long)k->assigned);
	if (!wide) {
		bd_put(d, y + 1, 0, cols, UI_C_DEFAULT);
		y++;
	} else {
		ui_text_add(t, "   ", UI_C_DEFAULT);
	}
	ui_text_addf(t, UI_C_BOARD_LABEL, "%s ", _("First reply: mean"));
	bd_duration(d, k->first_response_avg_ms, bd_sla(k->first_response_avg_ms, ans));
	ui_text_addf(t, UI_C_BOARD_LABEL, " (%s %s)", _("target"), ui_text_duration(ans, tgt, sizeof tgt));
	int csat = board_csat(k), mean = board_mean_score_x10(k);
	ui_text_addf(t, UI_C_BOARD_LABEL, "  CSAT ");
	if (csat < 0)
		ui_text_add(t, "—", UI_C_BOARD_VALUE);
	else
		ui_text_addf(t, csat >= 90 ? UI_C_BOARD_GOOD : csat >= 75 ? UI_C_BOARD_WARN : UI_C_BOARD_LATE, "%d%%",
		             csat);
	ui_text_addf(t, UI_C_BOARD_LABEL, " %s", _("fives"));
	if (mean >= 0)
		ui_text_addf(t, UI_C_BOARD_LABEL, ", %s %d.%d", _("mean"), mean / 10, mean % 10);
	ui_text_addf(t, UI_C_BOARD_LABEL, " (%s %lld)", _("rated"), (long long)k->rated);
	bd_put(d, y + 1, 0, cols, UI_C_DEFAULT);
}

static void bd_queues(struct board_draw *d, int y, int cols)
{
	struct textsafe_buf *t = &d->t;
	ui_text_addf(t, UI_C_BOARD_LABEL, "%s ", _("Queues:"));
	if (!d->b->n_queues)
		ui_text_add(t, _("none reported"), UI_C_BOARD_OFFLINE);
	for (size_t i = 0; i < d->b->n_queues; i++) {
		const struct proto_board_queue *q = &d->b->queues[i];
		if (i)
			ui_text_add(t, d->ascii ? " | " : " │ ", UI_C_SEPARATOR);
		ui_text_add(t, q->queue, UI_C_BOARD_VALUE);
		ui_text_addf(t, q->waiting ? UI_C_BOARD_WARN : UI_C_BOARD_LABEL, " %s %lld", _("waiting"),
		             (long long)q->waiting);
		if (q->oldest) {
			ui_text_add(t, " ", UI_C_DEFAULT);
			int64_t waited = d->now - q->oldest;
			bd_duration(d, waited, bd_sla(waited, d->b->sla_wait_ms));
		}
		ui_text_addf(t, q->online ? UI_C_BOARD_LABEL : UI_C_BOARD_LATE, " · %s %lld", _("online"),
		             (long long)q->online);
		ui_text_addf(t, q->free ? UI_C_BOARD_LABEL : UI_C_BOARD_WARN, ", %s %lld", _("free"), (long long)q->free);
	}
	bd_put(d, y, 0, cols, UI_C_DEFAULT);
}

/* One sparkline of `n` columns from the newest samples; `pick` chooses the value. */
static void bd_spark(struct board_draw *d, int n, bool wait, int64_t *max_out)
{
	static const wchar_t *const blocks = L"▁▂▃▄▅▆▇█";
	static const char ascii[] = "_.-=+*#@";
	const struct board *b = d->b;
	size_t from = b->n_trend > (size_t)n ? b->n_trend - (size_t)n : 0;
	int64_t max = 0;
	for (size_t i = from; i < b->n_trend; i++) {
		int64_t x = wait ? b->trend[i].wait_ms : b->trend[i].waiting;
		if (x > max)
			max = x;
	}
	*max_out = max;
	for (int pad = (int)(b->n_trend - from); pad < n; pad++)
		ui_text_add(&d->t, " ", UI_C_DEFAULT);
	for (size_t i = from; i < b->n_trend; i++) {
		int64_t x = wait ? b->trend[i].wait_ms : b->trend[i].waiting;
		int level = max > 0 ? (int)((x * 7 + max - 1) / max) : 0;
		enum ui_color_role role = wait ? bd_sla(x, b->sla_wait_ms) : x ? UI_C_BOARD_VALUE : UI_C_BOARD_GOOD;
		if (d->ascii) {
			char c[2] = { ascii[level], 0 };
			ui_text_add(&d->t, c, role);
		} else {
			textsafe_append_wide(&d->t, &blocks[level], 1, 0, (uint8_t)role);
		}
	}
}

static void bd_trend(struct board_draw *d, int y, int cols)
{
	struct textsafe_buf *t = &d->t;
	const char *l1 = _("Last hour: waiting"), *l2 = _("queue wait");
	int fixed = textsafe_width(l1) + textsafe_width(l2) + 24;
	int n = (cols - fixed) / 2;
	n = n > BOARD_TREND_MAX ? BOARD_TREND_MAX : n < 8 ? 8 : n;
	int64_t max;
	ui_text_addf(t, UI_C_BOARD_LABEL, "%s ", l1);
	bd_spark(d, n, false, &max);
	ui_text_addf(t, UI_C_BOARD_LABEL, " %s %lld   %s ", _("max"), (long long)max, l2);
	bd_spark(d, n, true, &max);
	char buf[32];
	ui_text_addf(t, UI_C_BOARD_LABEL, " %s %s", _("max"), ui_text_duration(max, buf, sizeof buf));
	bd_put(d, y, 0, cols, UI_C_DEFAULT);
}

/* ---- operators ---- */

struct bd_cols {
	int name, state, load, chats, closed, first, csat;
};

static int bd_max(int a, int b)
{
	return a > b ? a : b;
}

/* The columns at this width: each fixed one as wide as its heading and its widest value in the operator's
 * language; what is left goes to the name (a Russian first and last name at 80 columns) and the chats. */
static struct bd_cols bd_columns(int cols)
{
	struct bd_cols c;
	c.state = bd_max(bd_max(textsafe_width(_("online")), textsafe_width(_("away"))) + 7,
	                 bd_max(textsafe_width(_("offline")), textsafe_width(_("State"))) + 1);
	c.load = bd_max(9, textsafe_width(_("Load")) + 1);
	c.closed = bd_max(5, textsafe_width(_("Closed")) + 1);
	c.first = bd_max(6, textsafe_width(_("1st rep")) + 1);
	c.csat = 5;
	int rest = cols - c.state - c.load - c.closed - c.first - c.csat;
	c.name = rest * 11 / 20;
	if (c.name < 14)
		c.name = 14;
	if (c.name > 32)
		c.name = 32;
	c.chats = rest - c.name;
	return c;
}

/* The heading of the operators' table; the first column says how many there are (of how many, filtered). */
static void bd_header(struct board_draw *d, int y, int cols, const struct bd_cols *c, size_t shown)
{
	int x = 0;
	char first[96];
	size_t rows = d->b->n_ops;
	if (d->v->board.filter[0])
		snprintf(first, sizeof first, "%s (%zu/%zu)", _("Operator"), shown, rows);
	else
		snprintf(first, sizeof first, "%s (%zu)", _("Operator"), rows);
	const char *h[] = { first, _("State"), _("Load"), _("Unanswered"), _("Closed"), _("1st rep"), "CSAT" };
	int wd[] = { c->name, c->state, c->load, c->chats, c->closed, c->first, c->csat };
	for (int i = 0; i < 7 && x < cols; i++) {
		ui_text_add(&d->t, h[i], UI_C_BOARD_HEADER);
		int width = wd[i] < cols - x ? wd[i] : cols - x;
		bd_put(d, y, x, width - 1, UI_C_BOARD_HEADER); /* a column apart from the next */
		ui_text_fill(d->w, y, x + width - 1, 1, UI_C_BOARD_HEADER);
		x += width;
	}
	if (x < cols)
		ui_text_fill(d->w, y, x, cols - x, UI_C_BOARD_HEADER);
}

static void bd_op_row(struct board_draw *d, int y, int cols, const struct bd_cols *c, const struct proto_board_op *o,
                      bool sel, bool open)
{
	struct textsafe_buf *t = &d->t;
	enum ui_color_role base = sel ? UI_C_BOARD_SELECTED : o->online ? UI_C_DEFAULT : UI_C_BOARD_OFFLINE;
	int x = 0;
	/* name */
	ui_text_add(t, open ? (d->ascii ? "- " : "▾ ") : o->n_chats ? (d->ascii ? "+ " : "▸ ") : "  ", base);
	ui_text_add(t, bd_name(o), sel ? base : o->online ? UI_C_BOARD_VALUE : UI_C_BOARD_OFFLINE);
	bd_put(d, y, x, c->name - 1, base);
	ui_text_fill(d->w, y, x + c->name - 1, 1, base);
	x += c->name;
	/* state and time in it */
	const char *st = !o->online ? _("offline") : o->status == PROTO_ST_AWAY ? _("away") : _("online");
	enum ui_color_role sr = sel ? base : !o->online ? UI_C_BOARD_OFFLINE : o->status == PROTO_ST_AWAY ? UI_C_BOARD_WARN
	                                                                                               : UI_C_BOARD_GOOD;
	ui_text_add(t, st, sr);
	if (o->since) {
		ui_text_add(t, " ", base);
		bd_since(d, d->now - o->since, sel ? base : UI_C_BOARD_LABEL);
	}
	bd_put(d, y, x, c->state, base);
	x += c->state;
	/* load as slots */
	int cap = o->capacity < 1 ? 1 : o->capacity, shown = cap > 6 ? 6 : cap;
	int full = o->load * shown / cap;
	enum ui_color_role lr = sel ? base : o->load >= cap ? UI_C_BOARD_WARN : UI_C_BOARD_VALUE;
	for (int i = 0; i < shown; i++)
		ui_text_add(t, i < full ? (d->ascii ? "#" : "■") : (d->ascii ? "-" : "□"), lr);
	ui_text_addf(t, base, " %d/%d", o->load, o->capacity);
	bd_put(d, y, x, c->load, base);
	x += c->load;
	/* each held chat's unanswered time, the oldest first */
	int64_t un[16];
	size_t nu = 0;
	for (size_t i = 0; i < o->n_chats && nu < 16; i++)
		un[nu++] = o->chats[i].unanswered;
	for (size_t i = 1; i < nu; i++) /* a handful: insertion sort, answered (0) last */
		for (size_t j = i; j > 0 && (un[j] && (!un[j - 1] || un[j] < un[j - 1])); j--) {
			int64_t tmp = un[j];
			un[j] = un[j - 1];
			un[j - 1] = tmp;
		}
	if (!nu)
		ui_text_add(t, "—", sel ? base : UI_C_BOARD_OFFLINE);
	for (size_t i = 0; i < nu; i++) {
		if (i)
			ui_text_add(t, " ", base);
		if (un[i])
			bd_duration(d, d->now - un[i], sel ? base : bd_sla(d->now - un[i], d->b->sla_answer_ms));
		else
			ui_text_add(t, d->ascii ? "ok" : "✓", sel ? base : UI_C_BOARD_GOOD);
	}
	bd_put(d, y, x, c->chats, base);
	x += c->chats;
	/* today's */
	ui_text_addf(t, base, "%lld", (long long)o->closed);
	bd_put(d, y, x, c->closed, base);
	x += c->closed;
	if (o->first_response_avg_ms)
		bd_duration(d, o->first_response_avg_ms, sel ? base : bd_sla(o->first_response_avg_ms, d->b->sla_answer_ms));
	else
		ui_text_add(t, "—", base);
	bd_put(d, y, x, c->first, base);
	x += c->first;
	if (o->rated)
		ui_text_addf(t, base, "%lld%%", (long long)((o->fives * 100 + o->rated / 2) / o->rated));
	else
		ui_text_add(t, "—", base);
	bd_put(d, y, x, cols - x, base);
}

static void bd_chat_row(struct board_draw *d, int y, int cols, const struct proto_board_chat *ch, bool sel)
{
	struct textsafe_buf *t = &d->t;
	enum ui_color_role base = sel ? UI_C_BOARD_SELECTED : UI_C_DEFAULT;
	ui_text_addf(t, base, "    #%lld ", (long long)ch->dialog);
	ui_text_add(t, ch->customer, sel ? base : UI_C_MSG_CUSTOMER_NAME);
	ui_text_add(t, " · ", base);
	ui_text_add(t, ch->queue, sel ? base : UI_C_BOARD_LABEL);
	ui_text_add(t, "  ", base);
	if (ch->unanswered) {
		ui_text_addf(t, base, "%s ", _("unanswered"));
		bd_duration(d, d->now - ch->unanswered, sel ? base : bd_sla(d->now - ch->unanswered, d->b->sla_answer_ms));
	} else {
		ui_text_add(t, _("answered"), sel ? base : UI_C_BOARD_GOOD);
	}
	ui_text_addf(t, sel ? base : UI_C_BOARD_OFFLINE, "   %s", _("Enter: watch"));
	bd_put(d, y, 0, cols, base);
}

static void bd_operators(struct board_draw *d, int y, int h, int cols, struct deskview *v)
{
	struct bd_cols c = bd_columns(cols);
	size_t n;
	struct deskview_board_row *rows = deskview_board_rows(v, &n);
	size_t ops_shown = 0;
	for (size_t i = 0; i < n; i++)
		ops_shown += rows[i].dialog == 0;
	bd_header(d, y, cols, &c, ops_shown);
	y++;
	h--;
	size_t sel = deskview_board_sel(v, rows, n);
	v->board.page = h;
	if (v->board.top > (int)sel)
		v->board.top = (int)sel;
	if ((int)sel >= v->board.top + h)
		v->board.top = (int)sel - h + 1;
	if (v->board.top > 0 && (int)n - v->board.top < h)
		v->board.top = (int)n > h ? (int)n - h : 0;
	bool keys = !v->board.on_alerts;
	for (int r = 0; r < h; r++) {
		size_t i = (size_t)(v->board.top + r);
		if (i >= n) {
			if (r == 0 && n == 0) {
				ui_text_add(&d->t, v->board.filter[0] ? _("no operator matches the filter")
				                                      : d->b->known ? _("no operators") : _("waiting for the board…"),
				            UI_C_BOARD_OFFLINE);
				bd_put(d, y + r, 2, cols - 2, UI_C_DEFAULT);
				ui_text_fill(d->w, y + r, 0, 2, UI_C_DEFAULT);
			} else {
				ui_text_fill(d->w, y + r, 0, cols, UI_C_DEFAULT);
			}
			continue;
		}
		const struct proto_board_op *o = &d->b->ops[rows[i].op];
		if (rows[i].dialog)
			bd_chat_row(d, y + r, cols, &o->chats[rows[i].chat], keys && i == sel);
		else
			bd_op_row(d, y + r, cols, &c, o, keys && i == sel, strcmp(v->board.open_user, o->user) == 0);
	}
	free(rows);
}

/* ---- alerts ---- */

static void bd_alert_text(struct board_draw *d, const struct board_alert *a, enum ui_color_role base)
{
	struct textsafe_buf *t = &d->t;
	char tm[16];
	time_t secs = (time_t)(a->time / 1000);
	struct tm lt;
	localtime_r(&secs, &lt);
	strftime(tm, sizeof tm, "%H:%M", &lt);
	ui_text_addf(t, base == UI_C_BOARD_SELECTED ? base : UI_C_MSG_TIME, "%s ", tm);
	enum ui_color_role hot = base == UI_C_BOARD_SELECTED ? base : UI_C_BOARD_ALERT;
	const char *k = a->kind ? a->kind : "";
	char dur[32];
	if (strcmp(k, "queue_wait") == 0)
		ui_text_addf(t, hot, "%s %s", _("waiting past the SLA"),
		             ui_text_duration(a->since ? a->time - a->since : 0, dur, sizeof dur));
	else if (strcmp(k, "unanswered") == 0)
		ui_text_addf(t, hot, "%s %s", _("unanswered past the SLA"),
		             ui_text_duration(a->since ? a->time - a->since : 0, dur, sizeof dur));
	else if (strcmp(k, "low_rating") == 0)
		ui_text_addf(t, hot, "%s %d/5", _("rated"), a->score);
	else if (strcmp(k, "claim") == 0)
		ui_text_addf(t, hot, "%s", _("claim"));
	else if (strcmp(k, "nobody_online") == 0)
		ui_text_addf(t, hot, _("nobody online, %lld waiting"), (long long)a->waiting);
	else if (strcmp(k, "queue_growing") == 0)
		ui_text_addf(t, hot, _("queue growing, %lld waiting, everyone at capacity"), (long long)a->waiting);
	else
		ui_text_add(t, k, hot); /* a kind this workstation does not know: its word and its fields */
	if (a->category) {
		ui_text_add(t, " ", base);
		ui_text_add(t, a->category, base);
	}
	if (a->dialog)
		ui_text_addf(t, base, " · #%lld", (long long)a->dialog);
	if (a->customer) {
		ui_text_add(t, " ", base);
		ui_text_add(t, a->customer, base == UI_C_BOARD_SELECTED ? base : UI_C_MSG_CUSTOMER_NAME);
	}
	if (a->queue) {
		ui_text_add(t, " · ", base);
		ui_text_add(t, a->queue, base);
	}
	if (a->operator_name) {
		const struct proto_board_op *o = board_op_find(d->b, a->operator_name);
		ui_text_add(t, " · ", base);
		ui_text_add(t, o ? bd_name(o) : a->operator_name, base);
	}
	if (a->comment) {
		ui_text_add(t, ": «", base);
		ui_text_add(t, a->comment, base);
		ui_text_add(t, "»", base);
	}
}

static void bd_alerts(struct board_draw *d, int y, int x, int h, int cols, struct deskview *v)
{
	const struct board *b = d->b;
	ui_text_addf(&d->t, UI_C_BOARD_HEADER, "%s (%zu)", _("Alerts, newest first"), b->n_alerts);
	if (v->board.on_alerts)
		ui_text_addf(&d->t, UI_C_BOARD_HEADER, " · %s", _("Enter: watch"));
	bd_put(d, y, x, cols, UI_C_BOARD_HEADER);
	y++;
	h--;
	v->board.alert_page = h;
	size_t sel = deskview_board_alert_sel(v);
	if (v->board.alert_top > (int)sel)
		v->board.alert_top = (int)sel;
	if ((int)sel >= v->board.alert_top + h)
		v->board.alert_top = (int)sel - h + 1;
	for (int r = 0; r < h; r++) {
		size_t i = (size_t)(v->board.alert_top + r);
		if (i >= b->n_alerts) {
			if (r == 0 && !b->n_alerts)
				ui_text_add(&d->t, _("none today"), UI_C_BOARD_OFFLINE);
			bd_put(d, y + r, x, cols, UI_C_DEFAULT);
			continue;
		}
		enum ui_color_role base = v->board.on_alerts && i == sel ? UI_C_BOARD_SELECTED : UI_C_DEFAULT;
		bd_alert_text(d, b->alerts[i], base);
		bd_put(d, y + r, x, cols, base);
	}
}

/* ---- the screen ---- */

static void bd_title(struct board_draw *d, int cols, const struct deskview *v)
{
	struct textsafe_buf *t = &d->t;
	ui_text_addf(t, UI_C_BOARD_TITLE, " %s ", _("Supervisor's board"));
	ui_text_addf(t, UI_C_BOARD_TITLE, "· %s: %s ", _("sort"),
	             v->board.sort == BOARD_SORT_LOAD       ? _("load")
	             : v->board.sort == BOARD_SORT_UNANSWERED ? _("longest unanswered")
	                                                    : _("name"));
	if (v->board.filter[0] || v->mode == DESKVIEW_BOARD_FILTER) {
		ui_text_addf(t, UI_C_BOARD_TITLE, "· %s: ", _("filter"));
		ui_text_add(t, v->board.filter, UI_C_BOARD_TITLE);
		if (v->mode == DESKVIEW_BOARD_FILTER)
			ui_text_add(t, "▏", UI_C_BOARD_TITLE);
	}
	ui_text_addf(t, UI_C_BOARD_TITLE, " · %s", _("F12 panes · Enter watch · t take over · s sort · / filter · Tab alerts"));
	bd_put(d, 0, 0, cols, UI_C_BOARD_TITLE);
}

void ui_board_draw(struct ui *ui)
{
	WINDOW *w = ui->board;
	if (!w || !ui->desk->board)
		return;
	int h, cols;
	getmaxyx(w, h, cols);
	struct board_draw d = { .w = w, .b = ui->desk->board, .v = ui->view, .now = desk_now(ui->desk),
		                .ascii = ui_color_ascii() };
	textsafe_init(&d.t);
	struct deskview *v = ui->view;
	bool wide = cols >= 120;
	bd_title(&d, cols, v);
	int y = 1;
	bd_today(&d, y, cols, wide);
	y += wide ? 2 : 3;
	bd_queues(&d, y++, cols);
	bd_trend(&d, y++, cols);
	int rest = h - y;
	if (cols >= ALERTS_SIDE_MIN_COLS) {
		int ac = ALERTS_SIDE_COLS;
		bd_operators(&d, y, rest, cols - ac - 1, v);
		for (int r = 0; r < rest; r++)
			mvwadd_wch(w, y + r, cols - ac - 1, WACS_VLINE);
		bd_alerts(&d, y, cols - ac, rest, ac, v);
	} else {
		int ah = rest / 3 < 4 ? 4 : rest / 3;
		bd_operators(&d, y, rest - ah, cols, v);
		bd_alerts(&d, y + rest - ah, 0, ah, cols, v);
	}
	textsafe_free(&d.t);
}

const char *ui_board_alert_title(const struct board_alert *a)
{
	static const struct {
		const char *kind, *title;
	} titles[] = {
	    {"queue_wait", N_("a chat waits past the SLA")}, {"unanswered", N_("a customer unanswered past the SLA")},
	    {"low_rating", N_("a low rating")},              {"claim", N_("a claim")},
	    {"nobody_online", N_("nobody online, chats waiting")},
	    {"queue_growing", N_("the queue grows, everyone at capacity")},
	};
	for (size_t i = 0; a->kind && i < sizeof titles / sizeof *titles; i++)
		if (strcmp(a->kind, titles[i].kind) == 0)
			return _(titles[i].title);
	return a->kind ? a->kind : "?";
}

bool ui_board_counts_seconds(const struct ui *ui)
{
	const struct board *b = ui->desk->board;
	if (!b || !ui->view->board.shown)
		return false;
	if (b->waiting)
		return true;
	for (size_t i = 0; i < b->n_ops; i++)
		if (board_op_unanswered(&b->ops[i]))
			return true;
	return false;
}

/* deskview.c: pane slots, focus, scrolling, popups and dirty bits, without curses (see deskview.h). */
#include "opdesk/deskview.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

/* Closed dialogs kept (without a pane) until their rating arrives. */
#define DESKVIEW_KEEP_UNRATED 8

static const char *const deskview_topic_labels[] = {
    N_("Order: status, change, cancel"), /* order */
    N_("How the company works"),         /* company */
    N_("Product details"),               /* product */
    N_("Returns"),                       /* returns */
    N_("The web site is not working"),   /* site */
    N_("Stylist consultation"),          /* stylist */
    N_("Other"),                         /* other */
};

const char *deskview_topic_label(size_t i)
{
	if (i >= proto_n_topics)
		return "";
	if (i < sizeof deskview_topic_labels / sizeof *deskview_topic_labels)
		return _(deskview_topic_labels[i]);
	return proto_topics[i];
}

void deskview_init(struct deskview *v, struct desk *d)
{
	memset(v, 0, sizeof *v);
	v->desk = d;
	v->focus = -1;
	v->dirty = DESKVIEW_DIRTY_ALL;
	textedit_init(&v->prompt.edit);
	v->prompt.edit.max_bytes = 1024;
	v->search.msg = -1;
	for (int i = 0; i < DESKVIEW_SLOTS; i++)
		v->scroll_to_msg[i] = -1;
}

void deskview_dirty(struct deskview *v, unsigned bits)
{
	v->dirty |= bits;
}

static void deskview_dirty_slot(struct deskview *v, int slot)
{
	if (slot >= 0)
		v->dirty |= DESKVIEW_DIRTY_PANE(slot) | DESKVIEW_DIRTY_COMPOSER(slot);
}

int deskview_slot_of(const struct deskview *v, int64_t dialog)
{
	for (int i = 0; i < v->n_slots; i++)
		if (v->slot[i] == dialog)
			return i;
	return -1;
}

struct desk_dialog *deskview_slot_dialog(const struct deskview *v, int slot)
{
	if (slot < 0 || slot >= v->n_slots)
		return NULL;
	return desk_dialog_find(v->desk, v->slot[slot]);
}

struct desk_dialog *deskview_focused(const struct deskview *v)
{
	return deskview_slot_dialog(v, v->focus);
}

bool deskview_focus_slot(struct deskview *v, int slot)
{
	if (slot < 0 || slot >= v->n_slots)
		return false;
	if (slot != v->focus) {
		deskview_dirty_slot(v, v->focus);
		v->focus = slot;
		v->dirty |= DESKVIEW_DIRTY_STATUS;
	}
	v->focused_at[slot] = ++v->tick;
	deskview_dirty_slot(v, slot);
	desk_mark_read(v->desk, v->slot[slot]);
	return true;
}

/* Remove pane `slot`, moving the later ones up; the focus follows its dialog. */
static void deskview_remove_slot(struct deskview *v, int slot)
{
	int64_t focused = v->focus >= 0 ? v->slot[v->focus] : 0;
	for (int i = slot; i + 1 < v->n_slots; i++) {
		v->slot[i] = v->slot[i + 1];
		v->scroll[i] = v->scroll[i + 1];
		v->scroll_to_msg[i] = v->scroll_to_msg[i + 1];
		v->focused_at[i] = v->focused_at[i + 1];
	}
	v->scroll_to_msg[v->n_slots - 1] = -1;
	v->n_slots--;
	v->slot[v->n_slots] = 0;
	v->scroll[v->n_slots] = 0;
	v->focused_at[v->n_slots] = 0;
	v->focus = deskview_slot_of(v, focused);
	if (v->focus < 0 && v->n_slots > 0)
		deskview_focus_slot(v, slot < v->n_slots ? slot : v->n_slots - 1);
	v->dirty |= DESKVIEW_DIRTY_LAYOUT | DESKVIEW_DIRTY_STATUS;
}

/* A dialog still going on for this desk: one of the operator's open ones, or one a supervisor watches. */
static bool deskview_live(const struct desk_dialog *dl)
{
	return desk_dialog_open(dl) || desk_dialog_watch_live(dl);
}

/* Finished dialogs without a pane are dropped from the model, except the few newest closed ones that wait
 * for their rating (which then shows in the status bar). */
static void deskview_prune(struct deskview *v)
{
	size_t waiting = 0;
	for (size_t i = v->desk->n_dialogs; i-- > 0;) {
		struct desk_dialog *dl = v->desk->dialogs[i];
		if (deskview_live(dl) || deskview_slot_of(v, dl->id) >= 0)
			continue;
		bool awaits_rating = dl->state == PROTO_DS_CLOSED && !dl->released && dl->rating == 0;
		if (awaits_rating && waiting++ < DESKVIEW_KEEP_UNRATED)
			continue;
		desk_forget(v->desk, dl->id); /* i stays valid: only later entries move */
	}
}

/* A pane for `dialog`: a free one, else one showing a finished dialog, else the least recently focused
 * pane other than the focused one. Returns the slot. */
static int deskview_place(struct deskview *v, int64_t dialog, bool may_evict_open)
{
	int s = deskview_slot_of(v, dialog);
	if (s >= 0)
		return s;
	if (v->n_slots < DESKVIEW_SLOTS) {
		s = v->n_slots++;
		v->dirty |= DESKVIEW_DIRTY_LAYOUT;
	} else {
		int best = -1;
		for (int i = 0; i < v->n_slots; i++) {
			struct desk_dialog *dl = deskview_slot_dialog(v, i);
			bool finished = !dl || !deskview_live(dl);
			if (i == v->focus && !finished)
				continue;
			if (!finished && !may_evict_open)
				continue;
			/* prefer finished dialogs, then the one focused longest ago */
			if (best < 0)
				best = i;
			else {
				struct desk_dialog *bd = deskview_slot_dialog(v, best);
				bool bfin = !bd || !deskview_live(bd);
				if ((finished && !bfin) ||
				    (finished == bfin && v->focused_at[i] < v->focused_at[best]))
					best = i;
			}
		}
		if (best < 0)
			return -1;
		s = best;
		int64_t old = v->slot[s];
		v->slot[s] = dialog; /* before forgetting, so the REMOVED notification finds no pane */
		deskview_prune(v);
		(void)old;
	}
	v->slot[s] = dialog;
	v->scroll[s] = 0;
	v->focused_at[s] = 0;
	deskview_dirty_slot(v, s);
	return s;
}

bool deskview_focus_dialog(struct deskview *v, int64_t dialog)
{
	if (!desk_dialog_find(v->desk, dialog))
		return false;
	int s = deskview_place(v, dialog, true);
	return deskview_focus_slot(v, s);
}

bool deskview_cycle(struct deskview *v, int dir)
{
	/* the order: panes left to right, then open dialogs without a pane, oldest first */
	int64_t order[DESKVIEW_SLOTS + PROTO_MAX_ITEMS];
	size_t n = 0;
	for (int i = 0; i < v->n_slots; i++)
		order[n++] = v->slot[i];
	for (size_t i = 0; i < v->desk->n_dialogs && n < sizeof order / sizeof *order; i++) {
		struct desk_dialog *dl = v->desk->dialogs[i];
		if (deskview_live(dl) && deskview_slot_of(v, dl->id) < 0)
			order[n++] = dl->id;
	}
	if (n == 0)
		return false;
	size_t cur = v->focus >= 0 ? (size_t)v->focus : n - 1;
	size_t next = (cur + n + (size_t)(dir < 0 ? -1 : 1)) % n;
	if (n == 1 && v->focus == 0)
		return false;
	return deskview_focus_dialog(v, order[next]);
}

bool deskview_scroll(struct deskview *v, int rows)
{
	if (v->focus < 0)
		return false;
	int s = v->scroll[v->focus] + rows;
	if (s < 0)
		s = 0;
	if (s == v->scroll[v->focus])
		return false;
	v->scroll[v->focus] = s; /* the ui clamps it to the history it has */
	v->dirty |= DESKVIEW_DIRTY_PANE(v->focus);
	return true;
}

void deskview_set_mode(struct deskview *v, enum deskview_mode mode)
{
	if (mode == DESKVIEW_NORMAL && v->board.shown)
		mode = DESKVIEW_BOARD; /* a popup closed over the board gives the keys back to it */
	if (v->mode == mode)
		return;
	/* closing a popup uncovers the panes under it */
	if (v->mode != DESKVIEW_NORMAL)
		v->dirty |= DESKVIEW_DIRTY_ALL;
	v->mode = mode;
	v->dirty |= DESKVIEW_DIRTY_POPUP | DESKVIEW_DIRTY_STATUS;
}

void deskview_desk_changed(struct deskview *v, unsigned what, int64_t dialog)
{
	if (what & (DESK_CH_STATUS | DESK_CH_FATAL))
		v->dirty |= DESKVIEW_DIRTY_STATUS;
	if ((what & DESK_CH_BOARD) && v->board.shown)
		v->dirty |= DESKVIEW_DIRTY_BOARD;
	if ((what & DESK_CH_CARD) && (v->mode == DESKVIEW_CARD || v->mode == DESKVIEW_CARD_READ))
		deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	if (what & DESK_CH_QUEUE)
		v->dirty |= DESKVIEW_DIRTY_QUEUE | DESKVIEW_DIRTY_STATUS;
	if (what & DESK_CH_REMOVED) {
		int s = deskview_slot_of(v, dialog);
		if (s >= 0)
			deskview_remove_slot(v, s);
	}
	if (what & DESK_CH_ADDED) {
		struct desk_dialog *dl = desk_dialog_find(v->desk, dialog);
		if (dl) {
			/* a dialog the supervisor asked to watch gets a pane and the focus at once */
			bool want_focus = v->take_requested || v->focus < 0 || dl->watched;
			struct desk_dialog *f = deskview_focused(v);
			if (f && !deskview_live(f))
				want_focus = true;
			int s = deskview_place(v, dialog, dl->watched);
			if (s >= 0 && want_focus) {
				v->take_requested = false;
				deskview_focus_slot(v, s);
			}
			v->dirty |= DESKVIEW_DIRTY_STATUS;
		}
	}
	if (what & DESK_CH_DIALOG) {
		int s = deskview_slot_of(v, dialog);
		struct desk_dialog *hidden = s < 0 ? desk_dialog_find(v->desk, dialog) : NULL;
		if (hidden && hidden->rating > 0 && !desk_dialog_open(hidden)) {
			desk_forget(v->desk,
			            dialog); /* rated after its pane was reused: the status bar has it */
			return;
		}
		if (s >= 0) {
			v->dirty |= DESKVIEW_DIRTY_PANE(s);
			struct desk_dialog *dl = deskview_slot_dialog(v, s);
			if (s == v->focus && dl && (dl->unread || dl->unread_whispers))
				desk_mark_read(v->desk, dialog);
			if (dl && !deskview_live(dl))
				v->dirty |= DESKVIEW_DIRTY_COMPOSER(s);
		}
		v->dirty |= DESKVIEW_DIRTY_STATUS;
	}
}

const char *const deskview_queues[] = {"general", "stylist"};
const size_t deskview_n_queues = sizeof deskview_queues / sizeof *deskview_queues;

const char *deskview_queue_label(const char *queue)
{
	if (!queue || !*queue || strcmp(queue, "general") == 0)
		return _("general");
	if (strcmp(queue, "stylist") == 0)
		return _("stylist");
	return queue; /* a queue this client does not know: its name, sanitized when drawn */
}

static const char *const deskview_claim_labels[PROTO_CLAIM_COUNT] = {
	N_("Quality of the goods"), N_("Completeness (something missing or wrong)"), N_("Delivery"), N_("Service"),
};

/* The transfer list's queues: the hub's once it answered, else the two every shop has. */
static size_t deskview_target_queues(const struct deskview *v)
{
	return v->desk->targets_known ? v->desk->n_target_queues : deskview_n_queues;
}

size_t deskview_choice_count(const struct deskview *v)
{
	if (v->choice.kind == DESKVIEW_CHOICE_CLAIM)
		return PROTO_CLAIM_COUNT;
	return deskview_target_queues(v) + (v->desk->targets_known ? v->desk->n_target_ops : 0);
}

bool deskview_choice_target(const struct deskview *v, size_t i, const char **queue, const char **user)
{
	*queue = *user = NULL;
	size_t nq = deskview_target_queues(v);
	if (v->choice.kind != DESKVIEW_CHOICE_TRANSFER || i >= deskview_choice_count(v))
		return false;
	if (i < nq)
		*queue = v->desk->targets_known ? v->desk->target_queues[i].queue : deskview_queues[i];
	else
		*user = v->desk->target_ops[i - nq].user;
	return true;
}

static const char *deskview_queue_title(const char *queue)
{
	if (strcmp(queue, "general") == 0)
		return _("General queue");
	if (strcmp(queue, "stylist") == 0)
		return _("Stylist consultation queue");
	return NULL;
}

char *deskview_choice_label(const struct deskview *v, size_t i)
{
	if (v->choice.kind == DESKVIEW_CHOICE_CLAIM)
		return xstrdup(i < PROTO_CLAIM_COUNT ? _(deskview_claim_labels[i]) : "?");
	const char *queue, *user;
	if (!deskview_choice_target(v, i, &queue, &user))
		return xstrdup("?");
	if (queue) {
		const char *known = deskview_queue_title(queue);
		char *name = known ? xstrdup(known) : xasprintf(_("Queue \"%s\""), queue);
		if (!v->desk->targets_known)
			return name;
		int64_t w = v->desk->target_queues[i].waiting;
		char *s = xasprintf(ngettext("%s · %lld waiting", "%s · %lld waiting", (unsigned long)w), name, (long long)w);
		free(name);
		return s;
	}
	const struct desk_target_op *o = &v->desk->target_ops[i - deskview_target_queues(v)];
	char *who = o->display ? xasprintf("%s (%s)", o->display, o->user) : xstrdup(o->user);
	char *s = o->status == PROTO_ST_AWAY ? xasprintf(_("%s %d/%d · away"), who, o->load, o->capacity)
	                                     : xasprintf("%s %d/%d", who, o->load, o->capacity);
	free(who);
	return s;
}

bool deskview_swap(struct deskview *v)
{
	if (v->n_slots < 2 || v->focus < 0)
		return false;
	int a = v->focus, b = (a + 1) % v->n_slots;
	int64_t d = v->slot[a];
	v->slot[a] = v->slot[b];
	v->slot[b] = d;
	int sc = v->scroll[a];
	v->scroll[a] = v->scroll[b];
	v->scroll[b] = sc;
	uint64_t fa = v->focused_at[a];
	v->focused_at[a] = v->focused_at[b];
	v->focused_at[b] = fa;
	v->focus = b;
	v->dirty |= DESKVIEW_DIRTY_LAYOUT | DESKVIEW_DIRTY_ALL;
	return true;
}

void deskview_fini(struct deskview *v)
{
	for (size_t i = 0; i < v->n_history; i++)
		free(v->history[i]);
	free(v->history);
	free(v->history_draft);
	v->history = NULL;
	v->history_draft = NULL;
	v->n_history = v->history_pos = 0;
	for (size_t i = 0; i < v->prompt.n_history; i++)
		free(v->prompt.history[i]);
	free(v->prompt.history);
	v->prompt.history = NULL;
	v->prompt.n_history = v->prompt.history_pos = 0;
	free(v->prompt.offer);
	v->prompt.offer = NULL;
	textedit_free(&v->prompt.edit);
}

void deskview_history_add(struct deskview *v, const char *text)
{
	if (!*text || (v->n_history && strcmp(v->history[v->n_history - 1], text) == 0)) {
		v->history_pos = v->n_history;
		return;
	}
	if (v->n_history == DESKVIEW_HISTORY) {
		free(v->history[0]);
		memmove(v->history, v->history + 1, (v->n_history - 1) * sizeof *v->history);
		v->n_history--;
	}
	v->history = xrealloc(v->history, (v->n_history + 1) * sizeof *v->history);
	v->history[v->n_history++] = xstrdup(text);
	v->history_pos = v->n_history;
	free(v->history_draft);
	v->history_draft = NULL;
}

/* desk_watch.c: the supervisor's side of the model (docs/protocol.md, "Supervisors"): watching any dialog
 * read-only (`watch`, answered by `watching`, asked again after every welcome because the hub forgets), a
 * whisper to its operator (pending until acked, like a message), taking it over (`takeover`: the `assigned`
 * that follows makes it the supervisor's own); and what an operator sees of it: who watches (`watchers`), a
 * whisper counted for the hotlist and the bell, a release by a takeover and by whom. */
#include <stdlib.h>
#include <string.h>

#include "opdesk/desk.h"

#include "desk_int.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

bool desk_message_whisper(const struct desk_message *m)
{
	if (m->sender != PROTO_FROM_NOTE)
		return false;
	const struct desk_line *l = desk_message_line(m);
	return l->kind && strcmp(l->kind, "whisper") == 0;
}

bool desk_dialog_watch_live(const struct desk_dialog *dl)
{
	return dl->watched && dl->state != PROTO_DS_CLOSED;
}

const char *desk_dialog_refusal(const struct desk_dialog *dl)
{
	if (dl->watched)
		return _("this dialog is only watched (read-only: it is not yours): take it over first (takeover)");
	if (dl->released)
		return _("this dialog is no longer yours");
	if (dl->state == PROTO_DS_CLOSED)
		return _("this dialog is closed");
	return NULL;
}

bool desk_watching(const struct desk *d, int64_t dialog)
{
	for (size_t i = 0; i < d->n_watches; i++)
		if (d->watches[i].dialog == dialog)
			return true;
	return false;
}

static void desk_watch_drop(struct desk *d, int64_t dialog)
{
	for (size_t i = 0; i < d->n_watches; i++) {
		if (d->watches[i].dialog == dialog) {
			memmove(&d->watches[i], &d->watches[i + 1], (d->n_watches - i - 1) * sizeof *d->watches);
			d->n_watches--;
			return;
		}
	}
}

/* A watched dialog leaves the desk (nothing when dl is NULL or the supervisor's own). */
static void desk_watch_remove(struct desk *d, struct desk_dialog *dl)
{
	for (size_t i = 0; dl && dl->watched && i < d->n_dialogs; i++) {
		if (d->dialogs[i] == dl) {
			desk_dialog_remove(d, i);
			return;
		}
	}
}

static int desk_watch_send(struct desk *d, int64_t dialog, bool on)
{
	struct proto_msg out = {.type = PROTO_WATCH, .dialog = dialog, .on = on};
	return desk_send(d, &out);
}

/* Who holds the dialog, as its history says: the newest "joined" line names its operator (the watching
 * answer names nobody; a "requeued" line after it means nobody holds it now). */
static void desk_watch_holder(struct desk_dialog *dl)
{
	for (size_t i = dl->n_msgs; i-- > 0;) {
		const struct desk_line *l = desk_message_line(dl->msgs[i]);
		if (!l->kind)
			continue;
		if (strcmp(l->kind, "joined") == 0) {
			const char *who = l->args.name && *l->args.name ? l->args.name : l->args.user;
			desk_replace(&dl->watched_operator, who && *who ? who : NULL);
			return;
		}
		if (strcmp(l->kind, "requeued") == 0)
			break;
	}
	desk_replace(&dl->watched_operator, NULL);
}

int desk_watch(struct desk *d, int64_t dialog, bool on)
{
	if (d->welcomed && d->role == PROTO_ROLE_OPERATOR) {
		desk_set_error(d, _("watching dialogs is for supervisors: sign in with --role supervisor"));
		return -1;
	}
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!on) {
		bool asked = desk_watching(d, dialog);
		if (!asked && !(dl && dl->watched)) {
			desk_set_error(d, _("dialog %lld is not watched"), (long long)dialog);
			return -1;
		}
		desk_watch_drop(d, dialog);
		desk_watch_send(d, dialog, false); /* offline: the hub forgot it already */
		desk_watch_remove(d, dl);
		return 0;
	}
	if (dialog <= 0) {
		desk_set_error(d, _("which dialog? watch takes its number"));
		return -1;
	}
	if (dl && !dl->watched && desk_dialog_open(dl)) {
		desk_set_error(d, _("dialog %lld is yours already"), (long long)dialog);
		return -1;
	}
	if (!desk_watching(d, dialog)) {
		if (d->n_watches >= DESK_WATCH_MAX) {
			desk_set_error(d, _("at most %d dialogs can be watched at once: close one (unwatch) first"),
			               DESK_WATCH_MAX);
			return -1;
		}
		d->watches[d->n_watches++] = (struct desk_watch){.dialog = dialog};
	}
	if (desk_watch_send(d, dialog, true) < 0)
		log_info("offline: dialog %lld is watched after the next welcome", (long long)dialog);
	return 0;
}

void desk_watch_again(struct desk *d)
{
	for (size_t i = 0; i < d->n_watches; i++) {
		d->watches[i].answered = false;
		desk_watch_send(d, d->watches[i].dialog, true);
	}
}

bool desk_watch_refused(struct desk *d, const char *why)
{
	for (size_t i = 0; i < d->n_watches; i++) {
		if (d->watches[i].answered)
			continue;
		int64_t dialog = d->watches[i].dialog;
		desk_watch_drop(d, dialog);
		desk_set_error(d, _("cannot watch dialog %lld: %s"), (long long)dialog, why);
		desk_watch_remove(d, desk_dialog_find(d, dialog)); /* gone while we were away (a new hub, a purge) */
		return true;
	}
	return false;
}

void desk_apply_watching(struct desk *d, const struct proto_msg *m)
{
	if (m->n_dialogs < 1 || !desk_watching(d, m->dialogs[0].id)) {
		d->n_ignored++; /* not asked for, or unwatched before the answer came */
		return;
	}
	int64_t id = m->dialogs[0].id;
	for (size_t i = 0; i < d->n_watches; i++)
		if (d->watches[i].dialog == id)
			d->watches[i].answered = true;
	struct desk_dialog *dl = desk_dialog_find(d, id);
	if (dl && !dl->watched && desk_dialog_open(dl)) {
		desk_watch_drop(d, id); /* ours meanwhile (taken over): nothing to watch */
		desk_watch_send(d, id, false);
		d->n_ignored++;
		return;
	}
	bool added;
	dl = desk_merge_dialog(d, &m->dialogs[0], &added);
	dl->watched = true;
	dl->unread = 0; /* the supervisor reads what comes from now on */
	desk_watch_holder(dl);
	desk_recalc_unanswered(dl);
	desk_notify(d, added ? DESK_CH_ADDED : DESK_CH_DIALOG, id);
}

void desk_apply_watchers(struct desk *d, const struct proto_msg *m)
{
	struct desk_dialog *dl = desk_dialog_find(d, m->dialog);
	if (!dl) {
		d->n_ignored++;
		return;
	}
	for (size_t i = 0; i < dl->n_watchers; i++)
		proto_person_free(&dl->watchers[i]);
	free(dl->watchers);
	dl->watchers = m->n_people ? xcalloc(m->n_people, sizeof *dl->watchers) : NULL;
	dl->n_watchers = 0;
	for (size_t i = 0; i < m->n_people; i++) {
		if (!m->people[i].user)
			continue;
		dl->watchers[dl->n_watchers++] = (struct proto_person){
		    .user = xstrdup(m->people[i].user),
		    .display = m->people[i].display && *m->people[i].display ? xstrdup(m->people[i].display) : NULL,
		};
	}
	desk_notify(d, DESK_CH_DIALOG, dl->id);
}

void desk_apply_released(struct desk *d, struct desk_dialog *dl, const struct proto_msg *m)
{
	(void)d;
	for (size_t i = 0; i < dl->n_watchers; i++) /* no longer ours: whoever watches it, watches someone else */
		proto_person_free(&dl->watchers[i]);
	free(dl->watchers);
	dl->watchers = NULL;
	dl->n_watchers = 0;
	dl->taken_over = m->kind && strcmp(m->kind, "taken_over") == 0;
	const char *by = m->args.name && *m->args.name ? m->args.name : m->args.user;
	desk_replace(&dl->taken_over_by, dl->taken_over && by && *by ? by : NULL);
}

void desk_watch_assigned(struct desk *d, struct desk_dialog *dl)
{
	if (d->takeover_asked == dl->id)
		d->takeover_asked = 0;
	if (!dl->watched && !desk_watching(d, dl->id))
		return;
	dl->watched = false; /* taken over (or transferred to us): ours, and the hub stopped our watch */
	desk_replace(&dl->watched_operator, NULL);
	desk_watch_drop(d, dl->id);
	desk_recalc_unanswered(dl);
}

void desk_whisper_arrived(struct desk *d, struct desk_dialog *dl, const struct desk_message *m)
{
	const struct desk_line *l = desk_message_line(m);
	if (dl->watched && l->kind && strcmp(l->kind, "joined") == 0)
		desk_watch_holder(dl); /* transferred to a colleague while we watch */
	if (!desk_message_whisper(m) || (m->author && d->user && strcmp(m->author, d->user) == 0))
		return; /* not a whisper, or our own coming back to us as a watcher */
	dl->unread_whispers++;
	d->n_whispers++;
}

void desk_pending_frame(const struct desk_dialog *dl, const struct desk_message *m, struct proto_msg *out)
{
	if (dl->watched && desk_message_whisper(m))
		*out = (struct proto_msg){.type = PROTO_WHISPER,
		                          .dialog = dl->id,
		                          .client_msg_id = (char *)desk_message_cmid(m),
		                          .text = (char *)m->text};
	else
		*out = (struct proto_msg){.type = PROTO_SEND,
		                          .dialog = dl->id,
		                          .client_msg_id = (char *)desk_message_cmid(m),
		                          .text = (char *)m->text,
		                          .note = m->sender == PROTO_FROM_NOTE};
}

/* Our whisper, pending, with what the hub will store with it (kind and args), so that it reads the same
 * before and after the ack. */
static struct desk_message *desk_whisper_new(struct desk *d, const char *cmid, const char *text, int64_t time)
{
	const char *name = d->display && *d->display ? d->display : d->user;
	struct proto_message pm = {.author = d->user,
	                           .client_msg_id = (char *)cmid,
	                           .kind = "whisper",
	                           .args = {.name = (char *)name, .user = d->user}};
	return desk_message_pack(d, 0, time, PROTO_FROM_NOTE, text, &pm);
}

/* The watched dialog a supervisor acts on, or NULL with the error set. */
static struct desk_dialog *desk_watched_live(struct desk *d, int64_t dialog)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!dl || !dl->watched) {
		desk_set_error(d, _("this dialog is not watched: watch DIALOG first"));
		return NULL;
	}
	if (!desk_dialog_watch_live(dl)) {
		desk_set_error(d, _("this dialog is closed"));
		return NULL;
	}
	return dl;
}

int desk_send_whisper(struct desk *d, int64_t dialog, const char *text)
{
	struct desk_dialog *dl = desk_watched_live(d, dialog);
	if (!dl || !desk_text_ok(d, text))
		return -1;
	char *cmid = desk_next_cmid(d);
	struct desk_message *m = desk_whisper_new(d, cmid, text, desk_now(d));
	desk_add_pending(dl, m);
	struct proto_msg out;
	desk_pending_frame(dl, m, &out);
	if (desk_send(d, &out) < 0)
		log_info("offline, whisper %s stays pending", cmid);
	free(cmid);
	desk_notify(d, DESK_CH_DIALOG, dialog);
	return 0;
}

void desk_restore_whisper(struct desk *d, int64_t dialog, const char *cmid, const char *text, int64_t time)
{
	struct desk_dialog *dl = desk_dialog_find(d, dialog);
	if (!dl || !desk_dialog_watch_live(dl) || desk_message_has_cmid(dl, cmid))
		return;
	struct desk_message *m = desk_whisper_new(d, cmid, text, time);
	desk_add_pending(dl, m);
	struct proto_msg out;
	desk_pending_frame(dl, m, &out);
	desk_send(d, &out); /* the watching answer came after the welcome's resend: it goes now */
	desk_notify(d, DESK_CH_DIALOG, dialog);
}

int desk_takeover(struct desk *d, int64_t dialog)
{
	struct desk_dialog *dl = desk_watched_live(d, dialog);
	if (!dl || !desk_check_online(d))
		return -1;
	if (desk_open_count(d) >= (size_t)d->capacity) {
		desk_set_error(d, _("all dialogs in use (%zu of %d): close one (F8) first"), desk_open_count(d), d->capacity);
		return -1;
	}
	struct proto_msg out = {.type = PROTO_TAKEOVER, .dialog = dialog};
	if (desk_send(d, &out) < 0) {
		desk_set_error(d, _("not connected to the hub"));
		return -1;
	}
	d->takeover_asked = dialog;
	return 0;
}

void desk_watch_free(struct desk_dialog *dl)
{
	for (size_t i = 0; i < dl->n_watchers; i++)
		proto_person_free(&dl->watchers[i]);
	free(dl->watchers);
	free(dl->watched_operator);
	free(dl->taken_over_by);
}

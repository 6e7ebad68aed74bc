/* drafts.c: keep drafts and unacknowledged messages in a state file across crashes (see drafts.h). */
#include "opdesk/drafts.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define DRAFTS_DELAY_US (1000 * 1000) /* while typing, save at most once a second */

struct drafts {
	char *path;
	struct desk *desk;
	json_t *saved; /* what the previous run left: {"dialogs":{"ID":{"draft":..,"pending":[..]}}} */
	struct lws_context *ctx;
	lws_sorted_usec_list_t sul;
	bool scheduled;
};

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	free(p);
}

char *drafts_default_path(const char *user, const char *url)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;
	if (state && *state == '/')
		dir = xasprintf("%s/opdesk/drafts", state);
	else if (home && *home)
		dir = xasprintf("%s/.local/state/opdesk/drafts", home);
	else
		return NULL;
	/* one file per operator and hub: "anna@127.0.0.1_8740.json" */
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	char *name = xasprintf("%s@%s", user, host);
	for (char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("@.-", *c)))
			*c = '_';
	char *path = xasprintf("%s/%s.json", dir, name);
	free(dir);
	free(name);
	return path;
}

struct drafts *drafts_open(const char *path, struct desk *d)
{
	struct drafts *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->desk = d;
	json_error_t je;
	if (access(path, F_OK) == 0) {
		s->saved = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
		if (!s->saved || !json_is_object(json_object_get(s->saved, "dialogs"))) {
			char *bad = xasprintf("%s.bad", path);
			log_error("%s: %s; set aside as %s", path, s->saved ? "not a drafts file" : je.text, bad);
			rename(path, bad);
			free(bad);
			json_decref(s->saved);
			s->saved = NULL;
		} else {
			log_info("%s: drafts and pending messages from the last run", path);
		}
	}
	return s;
}

void drafts_watch_again(struct drafts *s)
{
	if (!s || !s->saved)
		return;
	const char *key;
	json_t *o;
	json_object_foreach(json_object_get(s->saved, "dialogs"), key, o) {
		long long id = strtoll(key, NULL, 10);
		if (id > 0 && json_is_true(json_object_get(o, "watched")) && !desk_watching(s->desk, id))
			desk_watch(s->desk, id, true);
	}
}

void drafts_attach(struct drafts *s, struct lws_context *ctx)
{
	if (s)
		s->ctx = ctx;
}

void drafts_dialog_added(struct drafts *s, int64_t dialog)
{
	if (!s || !s->saved)
		return;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)dialog);
	json_t *dialogs = json_object_get(s->saved, "dialogs");
	json_t *o = json_object_get(dialogs, key);
	struct desk_dialog *dl = desk_dialog_find(s->desk, dialog);
	if (!o || !dl || (!desk_dialog_open(dl) && !desk_dialog_watch_live(dl)))
		return;
	const char *draft = json_string_value(json_object_get(o, "draft"));
	if (draft && *draft && textedit_empty(&dl->draft))
		textedit_set_utf8(&dl->draft, draft);
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(o, "pending"), i, p) {
		const char *cmid = json_string_value(json_object_get(p, "client_msg_id"));
		const char *text = json_string_value(json_object_get(p, "text"));
		int64_t time = json_integer_value(json_object_get(p, "time"));
		if (cmid && text && dl->watched && json_is_true(json_object_get(p, "whisper")))
			desk_restore_whisper(s->desk, dialog, cmid, text, time);
		else if (cmid && text && !dl->watched)
			desk_restore_pending(s->desk, dialog, cmid, text, json_is_true(json_object_get(p, "note")), time);
	}
	json_object_del(dialogs, key); /* given back once */
	desk_notify(s->desk, DESK_CH_DIALOG, dialog);
}

/* The file's contents now: every open dialog with a draft or pending messages, plus what the last run
 * left for dialogs that have not come back yet. */
static json_t *drafts_snapshot(const struct drafts *s)
{
	json_t *dialogs = s->saved ? json_deep_copy(json_object_get(s->saved, "dialogs")) : json_object();
	const struct desk *d = s->desk;
	for (size_t k = 0; k < d->n_dialogs; k++) {
		const struct desk_dialog *dl = d->dialogs[k];
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)dl->id);
		json_t *pending = json_array();
		for (size_t i = 0; i < dl->n_msgs; i++) {
			const struct desk_message *m = dl->msgs[i];
			const char *cmid = desk_message_cmid(m);
			if (m->delivery != DESK_DLV_PENDING || !cmid)
				continue;
			json_t *p = json_pack("{s:s, s:s, s:b, s:I}", "client_msg_id", cmid, "text", m->text, "note",
			                      m->sender == PROTO_FROM_NOTE, "time", (json_int_t)m->time);
			if (dl->watched && desk_message_whisper(m))
				json_object_set_new(p, "whisper", json_true());
			json_array_append_new(pending, p);
		}
		char *draft = textedit_utf8(&dl->draft, false);
		bool live = desk_dialog_open(dl) || desk_dialog_watch_live(dl);
		if (live && (*draft || json_array_size(pending) || dl->watched)) {
			json_t *o = json_pack("{s:s, s:o}", "draft", draft, "pending", pending);
			if (dl->watched) /* watched again at the next start (drafts_watch_again) */
				json_object_set_new(o, "watched", json_true());
			json_object_set_new(dialogs, key, o);
		} else
			json_decref(pending);
		free(draft);
	}
	return json_pack("{s:i, s:o}", "version", 1, "dialogs", dialogs);
}

int drafts_save(struct drafts *s)
{
	if (!s)
		return 0;
	json_t *snap = drafts_snapshot(s);
	char *text = json_dumps(snap, JSON_COMPACT);
	json_decref(snap);
	mkdirs(s->path);
	char *tmp = xasprintf("%s.tmp", s->path);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(text), off = 0;
		while (off < len) {
			ssize_t n = write(fd, text + off, len - off);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		if (off == len && fsync(fd) == 0 && close(fd) == 0) {
			fd = -1;
			rc = rename(tmp, s->path);
		}
		if (fd >= 0)
			close(fd);
	}
	if (rc != 0) {
		log_error("cannot save the drafts to %s: %s (the previous copy stays)", s->path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(text);
	return rc;
}

static void drafts_timer(lws_sorted_usec_list_t *sul)
{
	struct drafts *s = lws_container_of(sul, struct drafts, sul);
	s->scheduled = false;
	drafts_save(s);
}

void drafts_touch(struct drafts *s, bool urgent)
{
	if (!s)
		return;
	if (urgent || !s->ctx) {
		if (s->scheduled && s->ctx)
			lws_sul_cancel(&s->sul);
		s->scheduled = false;
		drafts_save(s);
		return;
	}
	if (!s->scheduled) {
		s->scheduled = true;
		lws_sul_schedule(s->ctx, 0, &s->sul, drafts_timer, DRAFTS_DELAY_US);
	}
}

void drafts_close(struct drafts *s)
{
	if (!s)
		return;
	if (s->scheduled && s->ctx)
		lws_sul_cancel(&s->sul);
	drafts_save(s);
	json_decref(s->saved);
	free(s->path);
	free(s);
}

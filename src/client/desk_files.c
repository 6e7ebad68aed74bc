/* desk_files.c: saving, opening, linking and sending files (see desk_files.h). */
#include "opdesk/desk_files.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opdesk/filecheck.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

extern char **environ;

struct desk_file_job {
	struct desk *d;
	enum desk_file_action action;
	int64_t dialog;
	char *hash, *name, *type; /* the file asked about (save, open, link) */
	char *path;               /* send: the local file; save, open: where it goes */
	bool asked;               /* waiting for the hub's answer (else for the HTTP transfer) */
};

static void job_free(struct desk_file_job *j)
{
	free(j->hash), free(j->name), free(j->type), free(j->path);
	free(j);
}

void desk_files_detach(struct desk *d)
{
	for (size_t i = 0; i < d->n_file_jobs; i++) {
		struct desk_file_job *j = d->file_jobs[i];
		if (j->asked)
			job_free(j);
		else
			j->d = NULL; /* its transfer ends with the loop: then it is freed, telling nobody */
	}
	d->n_file_jobs = 0;
}

static void job_forget(struct desk *d, struct desk_file_job *j)
{
	for (size_t i = 0; i < d->n_file_jobs; i++)
		if (d->file_jobs[i] == j) {
			memmove(&d->file_jobs[i], &d->file_jobs[i + 1], (d->n_file_jobs - i - 1) * sizeof *d->file_jobs);
			d->n_file_jobs--;
			break;
		}
	job_free(j);
}

void desk_files_free(struct desk *d)
{
	desk_files_detach(d);
	free(d->file_jobs);
	d->file_jobs = NULL;
	d->n_file_jobs = 0;
	free(d->hub_http);
	free(d->download_dir);
}

const struct desk_message *desk_files_find(const struct desk_dialog *dl, int64_t seq)
{
	for (size_t i = dl ? dl->n_msgs : 0; i-- > 0;) {
		const struct desk_message *m = dl->msgs[i];
		const struct desk_line *l = desk_message_line(m);
		if (l->kind && strcmp(l->kind, "file") == 0 && l->args.file && (seq <= 0 || m->seq == seq))
			return m;
	}
	return NULL;
}

static const char *type_ext(const char *type)
{
	static const char *const ext[][2] = {{"jpeg", ".jpg"}, {"png", ".png"}, {"webp", ".webp"}, {"pdf", ".pdf"}};
	for (size_t i = 0; type && i < sizeof ext / sizeof *ext; i++)
		if (strcmp(type, ext[i][0]) == 0)
			return ext[i][1];
	return "";
}

char *desk_files_local_name(const char *name, const char *type, const char *hash)
{
	char why[128];
	const char *ext = type_ext(type);
	if (!name || filecheck_name(name, strlen(name), why, sizeof why) != 0)
		return xasprintf("file-%.12s%s", hash ? hash : "0", ext);
	const char *dot = strrchr(name, '.');
	bool ok = dot && (strcasecmp(dot, ext) == 0 || (strcmp(ext, ".jpg") == 0 && strcasecmp(dot, ".jpeg") == 0));
	return ok ? xstrdup(name) : xasprintf("%s%s", name, ext);
}

char *desk_files_unique(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	const char *dot = strrchr(name, '.');
	int stem = dot && dot != name ? (int)(dot - name) : (int)strlen(name);
	for (int n = 1; access(path, F_OK) == 0 && n < 10000; n++) {
		free(path);
		path = xasprintf("%s/%.*s (%d)%s", dir, stem, name, n, name + stem);
	}
	return path;
}

char *desk_files_default_dir(void)
{
	const char *x = getenv("XDG_DOWNLOAD_DIR"), *home = getenv("HOME");
	if (x && *x)
		return xstrdup(x);
	return home && *home ? xasprintf("%s/Downloads", home) : NULL;
}

static struct desk_file_job *job_new(struct desk *d, enum desk_file_action a, int64_t dialog)
{
	struct desk_file_job *j = xcalloc(1, sizeof *j);
	j->d = d;
	j->action = a;
	j->dialog = dialog;
	j->asked = true;
	d->file_jobs = xgrow(d->file_jobs, &d->cap_file_jobs, d->n_file_jobs + 1, sizeof *d->file_jobs);
	d->file_jobs[d->n_file_jobs++] = j;
	return j;
}

static int job_ask(struct desk *d, struct desk_file_job *j, const struct proto_msg *out)
{
	if (d->tr.send && d->tr.send(d->tr.arg, out) == 0)
		return 0;
	desk_set_error(d, _("not connected to the hub"));
	job_forget(d, j);
	return -1;
}

int desk_files_act(struct desk *d, const struct desk_dialog *dl, const struct desk_message *m,
                   enum desk_file_action a)
{
	if (a != DESK_FILE_LINK && !d->tr.http) {
		desk_set_error(d, _("files cannot be fetched here (no connection to a hub)"));
		return -1;
	}
	if (a == DESK_FILE_OPEN && !d->opener) {
		desk_set_error(d, _("this session is not local (no display, or over SSH): save the file or get a link"));
		return -1;
	}
	if (a != DESK_FILE_LINK && (!d->download_dir || mkdir(d->download_dir, 0700) != 0) && errno != EEXIST) {
		desk_set_error(d, _("cannot use the download folder %s: %s"), d->download_dir ? d->download_dir : "?",
		               strerror(errno));
		return -1;
	}
	struct desk_file_job *j = job_new(d, a, dl->id);
	const struct desk_line *l = desk_message_line(m);
	j->hash = xstrdup(l->args.file);
	j->name = l->args.filename ? xstrdup(l->args.filename) : NULL;
	j->type = l->args.type ? xstrdup(l->args.type) : NULL;
	struct proto_msg out = {.type = PROTO_FILE_LINK, .dialog = dl->id, .file = j->hash};
	return job_ask(d, j, &out);
}

int desk_files_send(struct desk *d, const struct desk_dialog *dl, const char *path)
{
	struct stat st;
	if (!d->tr.http) {
		desk_set_error(d, _("files cannot be sent here (no connection to a hub)"));
		return -1;
	}
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		desk_set_error(d, _("%s: not a file"), path);
		return -1;
	}
	struct desk_file_job *j = job_new(d, DESK_FILE_SEND, dl->id);
	j->path = xstrdup(path);
	struct proto_msg out = {.type = PROTO_UPLOAD_TICKET, .dialog = dl->id};
	return job_ask(d, j, &out);
}

static void job_open(struct desk *d, const char *path)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	char *argv[] = {"xdg-open", (char *)path, NULL};
	pid_t pid;
	int rc = posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		desk_set_error(d, _("cannot run xdg-open: %s"), strerror(rc));
		return;
	}
	desk_info(d, _("opened %s"), path);
	for (size_t i = 0; i < sizeof d->openers / sizeof *d->openers; i++)
		if (d->openers[i] <= 0) {
			d->openers[i] = pid;
			return;
		}
	waitpid(pid, NULL, 0); /* (eight openers still running: wait for this one) */
}

void desk_files_reap(struct desk *d)
{
	for (size_t i = 0; i < sizeof d->openers / sizeof *d->openers; i++)
		if (d->openers[i] > 0 && waitpid(d->openers[i], NULL, WNOHANG) != 0) /* exited, or reaped by another */
			d->openers[i] = 0;
}

/* The transfer ended. */
static void job_done(void *cb, int status, const char *body, const char *why)
{
	struct desk_file_job *j = cb;
	struct desk *d = j->d;
	if (!d) {
		job_free(j);
		return;
	}
	if (j->action == DESK_FILE_SEND) {
		if (status == 201)
			desk_info(d, _("file sent: %s"), j->path);
		else if (status)
			desk_set_error(d, _("the file was not sent (%d): %.200s"), status, body);
		else
			desk_set_error(d, _("the file was not sent: %s"), why ? why : "?");
	} else if (status == 200) {
		desk_info(d, _("saved %s"), j->path);
		if (j->action == DESK_FILE_OPEN)
			job_open(d, j->path);
	} else {
		desk_set_error(d, _("the file was not saved (%d): %.200s"), status, status ? body : why ? why : "?");
	}
	job_forget(d, j);
}

static struct desk_file_job *job_find(struct desk *d, const struct proto_msg *m)
{
	for (size_t i = 0; i < d->n_file_jobs; i++) {
		struct desk_file_job *j = d->file_jobs[i];
		bool send = j->action == DESK_FILE_SEND;
		if (j->asked && j->dialog == m->dialog && send == (m->type == PROTO_UPLOAD_TICKET) &&
		    (send || (m->file && strcmp(m->file, j->hash) == 0)))
			return j;
	}
	return NULL;
}

/* A path the hub gave: only the characters a signed link has. */
static bool path_safe(const char *p)
{
	if (!p || strncmp(p, "/f/", 3) != 0)
		return false;
	for (; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/?=&-_.", *p))
			return false;
	return true;
}

static char *percent_encode(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(3 * n + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	*p = 0;
	return out;
}

void desk_files_apply(struct desk *d, const struct proto_msg *m)
{
	struct desk_file_job *j = job_find(d, m);
	if (!j)
		return; /* not asked (any more) */
	j->asked = false;
	char *cause = NULL;
	int rc;
	if (m->type == PROTO_UPLOAD_TICKET) {
		const char *base = strrchr(j->path, '/');
		char *auth = xasprintf("Bearer %s", m->token ? m->token : "");
		char *name = percent_encode(base ? base + 1 : j->path);
		char *path = xasprintf("/upload?dialog=%lld", (long long)j->dialog);
		rc = d->tr.http(d->tr.arg, path, NULL, j->path, auth, name, job_done, j, &cause);
		free(auth), free(name), free(path);
	} else if (!path_safe(m->path)) {
		desk_set_error(d, _("the hub's link is not one this client takes"));
		job_forget(d, j);
		return;
	} else if (j->action == DESK_FILE_LINK) {
		/* the client's own line: built from the hub's address and the signed path, never from a message */
		desk_info(d, _("link (valid %lld min): %s%s"), (long long)((m->expires - proto_now_ms() - d->skew_ms + 59999) / 60000),
		          d->hub_http ? d->hub_http : "", m->path);
		job_forget(d, j);
		return;
	} else {
		char *local = desk_files_local_name(j->name, j->type, j->hash);
		free(j->path);
		j->path = desk_files_unique(d->download_dir, local);
		free(local);
		rc = d->tr.http(d->tr.arg, m->path, j->path, NULL, NULL, NULL, job_done, j, &cause);
	}
	if (rc != 0) {
		desk_set_error(d, "%s", cause ? cause : "?");
		free(cause);
		job_forget(d, j);
	}
}

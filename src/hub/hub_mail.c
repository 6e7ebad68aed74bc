/* hub_mail.c: the hub's outbox sent through the sendmail interface (docs/hub.md, "Mail"), one mail at a time
 * and never blocking the loop: the command (split on blanks, no shell) is started with posix_spawn, the
 * message written to its stdin through a non-blocking pipe watched by libev, its stderr kept (the first 400
 * bytes), and it is reaped when its pidfd becomes readable; a time limit kills a hung one. Exit status 0 is
 * sent; anything else is retried after the configured waits, then given up, each failure kept in the outbox
 * row, logged and counted. Timers exist only while a mail is pending. */
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "hub_mail.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

extern char **environ;

#define MAIL_ERR_KEPT 400

struct hub_mailer {
	struct hub *h;
	struct ev_loop *loop;
	char **argv;             /* the command, split */
	char *from;
	ev_timer due;            /* the next pending mail's attempt */
	ev_timer limit;          /* the running attempt's time limit */
	ev_io in_w, err_w, pid_w; /* its stdin (we write), its stderr and stdout (we read), its pidfd */
	pid_t pid;               /* 0: no attempt running */
	int in_fd, err_fd, pidfd;
	struct hub_db_mail cur;
	size_t off;              /* bytes of cur.message written */
	char err[MAIL_ERR_KEPT + 1];
	size_t n_err;
	bool timed_out;
};

static void mail_kick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop, (void)revents;
	struct hub_mailer *m = w->data;
	hub_mail_kick(m->h);
}

static char **split_command(const char *cmd)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	const char *p = cmd;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		if (!*p)
			break;
		size_t len = strcspn(p, " \t");
		v[n++] = xstrndup(p, len);
		p += len;
	}
	v[n] = NULL;
	return v;
}

static struct hub_mailer *mailer(struct hub *h)
{
	if (h->mailer)
		return h->mailer;
	struct hub_mailer *m = xcalloc(1, sizeof *m);
	m->h = h;
	m->loop = hub_server_loop(h->srv);
	m->argv = split_command(h->cfg.sendmail && *h->cfg.sendmail ? h->cfg.sendmail : HUB_DEFAULT_SENDMAIL);
	if (h->cfg.mail_from && *h->cfg.mail_from)
		m->from = xstrdup(h->cfg.mail_from);
	else {
		char host[256] = "localhost";
		if (gethostname(host, sizeof host - 1) != 0)
			snprintf(host, sizeof host, "localhost");
		m->from = xasprintf("opdesk@%s", host);
	}
	m->in_fd = m->err_fd = m->pidfd = -1;
	ev_init(&m->due, mail_kick_cb);
	m->due.data = m;
	h->mailer = m;
	return m;
}

static void close_fd(struct hub_mailer *m, ev_io *w, int *fd)
{
	if (*fd < 0)
		return;
	ev_io_stop(m->loop, w);
	close(*fd);
	*fd = -1;
}

/* Keep what the command says on stderr/stdout, up to MAIL_ERR_KEPT bytes; true at its end. */
static bool read_err(struct hub_mailer *m)
{
	char buf[512];
	for (;;) {
		ssize_t n = read(m->err_fd, buf, sizeof buf);
		if (n > 0) {
			size_t keep = MAIL_ERR_KEPT - m->n_err;
			if ((size_t)n < keep)
				keep = (size_t)n;
			memcpy(m->err + m->n_err, buf, keep);
			m->n_err += keep;
			m->err[m->n_err] = '\0';
			continue;
		}
		return n == 0 || errno != EAGAIN;
	}
}

static void on_err(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop, (void)revents;
	struct hub_mailer *m = w->data;
	if (read_err(m))
		close_fd(m, &m->err_w, &m->err_fd);
}

static void on_write(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop, (void)revents;
	struct hub_mailer *m = w->data;
	size_t len = strlen(m->cur.message);
	while (m->off < len) {
		ssize_t n = write(m->in_fd, m->cur.message + m->off, len - m->off);
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0)
			break; /* EPIPE: it stopped reading; its exit says how it went */
		m->off += (size_t)n;
	}
	close_fd(m, &m->in_w, &m->in_fd); /* end of the message */
}

static void on_limit(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop, (void)revents;
	struct hub_mailer *m = w->data;
	log_warn("mail %lld: the sendmail command took longer than %d s: killed", (long long)m->cur.id,
		 m->h->cfg.mail_timeout_s);
	m->timed_out = true;
	kill(-m->pid, SIGKILL);
	kill(m->pid, SIGKILL);
}

/* The attempt at the current mail ended: record it, then look for the next one. `why` NULL: sent. */
static void attempt_done(struct hub_mailer *m, const char *why)
{
	struct hub *h = m->h;
	int64_t now = proto_now_ms();
	int tries = m->cur.tries + 1;
	int n_retry = h->cfg.n_mail_retry < 0 ? 0 : h->cfg.n_mail_retry;
	int64_t next = -1;
	if (why && tries <= n_retry)
		next = now + (int64_t)h->cfg.mail_retry_s[tries - 1] * 1000;
	hub_batch_flush(h);
	if (hub_db_mail_done(h->db, m->cur.id, tries, !why, next, why, now) != HUB_DB_OK)
		log_error("mail %lld: its attempt was not recorded: %s", (long long)m->cur.id, hub_db_errmsg(h->db));
	if (!why) {
		h->mail_sent++;
		log_info("mail %lld (%s) to %s sent", (long long)m->cur.id, m->cur.kind, m->cur.to);
	} else {
		h->mail_failed++;
		if (next < 0)
			h->mail_given_up++;
		log_warn("mail %lld (%s) to %s: attempt %d failed: %s; %s", (long long)m->cur.id, m->cur.kind,
			 m->cur.to, tries, why, next < 0 ? "given up" : "retried later");
	}
	hub_db_mail_free(&m->cur);
	m->pid = 0;
	hub_mail_kick(h);
}

static void on_exit_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop, (void)revents;
	struct hub_mailer *m = w->data;
	int status;
	pid_t r = waitpid(m->pid, &status, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return;
	ev_timer_stop(m->loop, &m->limit);
	close_fd(m, &m->pid_w, &m->pidfd);
	close_fd(m, &m->in_w, &m->in_fd);
	if (m->err_fd >= 0)
		read_err(m); /* what it said last (a grandchild still holding the pipe is not waited for) */
	close_fd(m, &m->err_w, &m->err_fd);
	for (size_t i = 0; i < m->n_err; i++)
		if (m->err[i] == '\n' || m->err[i] == '\r' || m->err[i] == '\t')
			m->err[i] = ' ';
	while (m->n_err && m->err[m->n_err - 1] == ' ')
		m->err[--m->n_err] = '\0';
	char why[MAIL_ERR_KEPT + 64];
	if (r < 0)
		snprintf(why, sizeof why, "cannot reap the command: %s", strerror(errno));
	else if (m->timed_out)
		snprintf(why, sizeof why, "killed after %d s (time limit)%s%s", m->h->cfg.mail_timeout_s,
			 m->n_err ? ": " : "", m->err);
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof why, "killed by signal %d%s%s", WTERMSIG(status), m->n_err ? ": " : "", m->err);
	else if (WEXITSTATUS(status) != 0)
		snprintf(why, sizeof why, "exit status %d%s%s", WEXITSTATUS(status), m->n_err ? ": " : "", m->err);
	else if (m->off < strlen(m->cur.message))
		snprintf(why, sizeof why, "exit status 0 before it read the whole message");
	else
		why[0] = '\0';
	attempt_done(m, why[0] ? why : NULL);
}

/* Start the command for m->cur; on failure the attempt is recorded as failed at once. */
static void attempt_start(struct hub_mailer *m)
{
	int in[2] = { -1, -1 }, err[2] = { -1, -1 };
	char why[300];
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
		snprintf(why, sizeof why, "cannot make a pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, err[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);    /* the hub blocks the signals it reads from its signalfd */
	posix_spawnattr_setsigdefault(&at, &all); /* and ignores SIGPIPE */
	posix_spawnattr_setpgroup(&at, 0);         /* its own group: a time limit kills what it started too */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	pid_t pid;
	int rc = m->argv[0] ? posix_spawnp(&pid, m->argv[0], &fa, &at, m->argv, environ) : ENOENT;
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(in[0]);
	close(err[1]);
	in[0] = err[1] = -1;
	if (rc != 0) {
		snprintf(why, sizeof why, "cannot run %s: %s", m->argv[0] ? m->argv[0] : "(no command)", strerror(rc));
		goto fail;
	}
	m->pid = pid;
	m->off = 0;
	m->n_err = 0;
	m->err[0] = '\0';
	m->timed_out = false;
	m->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (m->pidfd < 0) { /* (Linux 5.3 and later have it) */
		log_error("mail: pidfd_open: %s; waiting for the command", strerror(errno));
		close(in[1]);
		close(err[0]);
		int status;
		waitpid(pid, &status, 0);
		m->pid = 0;
		snprintf(why, sizeof why, "cannot watch the command (pidfd_open failed)");
		in[1] = err[0] = -1;
		goto fail;
	}
	m->in_fd = in[1];
	m->err_fd = err[0];
	fcntl(m->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(m->err_fd, F_SETFL, O_NONBLOCK);
	ev_io_init(&m->in_w, on_write, m->in_fd, EV_WRITE);
	ev_io_init(&m->err_w, on_err, m->err_fd, EV_READ);
	ev_io_init(&m->pid_w, on_exit_cb, m->pidfd, EV_READ);
	ev_timer_init(&m->limit, on_limit,
		      (double)(m->h->cfg.mail_timeout_s > 0 ? m->h->cfg.mail_timeout_s : HUB_DEFAULT_MAIL_TIMEOUT_S), 0.0);
	m->in_w.data = m->err_w.data = m->pid_w.data = m->limit.data = m;
	ev_io_start(m->loop, &m->in_w);
	ev_io_start(m->loop, &m->err_w);
	ev_io_start(m->loop, &m->pid_w);
	ev_timer_start(m->loop, &m->limit);
	log_debug("mail %lld (%s) to %s: attempt %d", (long long)m->cur.id, m->cur.kind, m->cur.to, m->cur.tries + 1);
	return;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	m->pid = 1; /* (busy while it is recorded) */
	attempt_done(m, why);
}

void hub_mail_kick(struct hub *h)
{
	if (!h->srv)
		return;
	struct hub_mailer *m = mailer(h);
	if (m->pid)
		return; /* one at a time: the next is looked for when this one ends */
	ev_timer_stop(m->loop, &m->due);
	int rc = hub_db_mail_next(h->db, &m->cur);
	if (rc == HUB_DB_NOT_FOUND)
		return; /* nothing pending: no timer */
	if (rc != HUB_DB_OK) {
		log_error("mail: cannot read the outbox: %s; looking again in a minute", hub_db_errmsg(h->db));
		ev_timer_set(&m->due, 60.0, 0.0);
		ev_timer_start(m->loop, &m->due);
		return;
	}
	int64_t wait = m->cur.next_ms - proto_now_ms();
	if (wait > 0) {
		hub_db_mail_free(&m->cur);
		ev_timer_set(&m->due, (double)wait / 1000.0, 0.0);
		ev_timer_start(m->loop, &m->due);
		return;
	}
	attempt_start(m);
}

int hub_mail_queue(struct hub *h, const char *to, const char *kind, int64_t dialog, const char *subject,
		   const char *body, int64_t now)
{
	if (!h->srv)
		return -1;
	struct hub_mailer *m = mailer(h);
	unsigned char raw[8];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		memset(raw, 0, sizeof raw);
	char left[64];
	int o = snprintf(left, sizeof left, "opdesk.%lld.", (long long)now);
	for (size_t i = 0; i < sizeof raw; i++)
		o += snprintf(left + o, sizeof left - (size_t)o, "%02x", raw[i]);
	struct hub_mail_msg msg = { .from = m->from, .to = to, .subject = subject, .body = body, .date_ms = now,
				    .id_left = left };
	char *cause = NULL;
	char *text = hub_mail_build(&msg, &cause);
	if (!text) {
		log_error("mail (%s) not queued: %s", kind, cause);
		free(cause);
		return -1;
	}
	hub_batch_flush(h);
	int64_t id = 0;
	int rc = hub_db_mail_add(h->db, to, kind, dialog, text, now, &id);
	free(text);
	if (rc != HUB_DB_OK) {
		log_error("mail (%s) to %s not queued: %s", kind, to, hub_db_errmsg(h->db));
		return -1;
	}
	log_info("mail %lld (%s) to %s queued", (long long)id, kind, to);
	hub_mail_kick(h);
	return 0;
}

void hub_mail_free(struct hub *h)
{
	struct hub_mailer *m = h->mailer;
	if (!m)
		return;
	if (m->pid > 1) { /* its mail stays pending: tried again at the next start */
		kill(-m->pid, SIGKILL);
		kill(m->pid, SIGKILL);
		int status;
		waitpid(m->pid, &status, 0);
	}
	ev_timer_stop(m->loop, &m->limit);
	ev_timer_stop(m->loop, &m->due);
	close_fd(m, &m->in_w, &m->in_fd);
	close_fd(m, &m->err_w, &m->err_fd);
	close_fd(m, &m->pid_w, &m->pidfd);
	hub_db_mail_free(&m->cur);
	for (size_t i = 0; m->argv[i]; i++)
		free(m->argv[i]);
	free(m->argv);
	free(m->from);
	free(m);
	h->mailer = NULL;
}

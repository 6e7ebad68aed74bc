/* harness.c: the e2e harness core: the per-test temporary directory and teardown list, the children's
 * environment, spawning and reaping programs (pidfd + poll, never sleep loops), waiting on files
 * (inotify), and starting opdesk-hub and opdesk-sim the way a user would. */
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "opdesk/xalloc.h"

extern char **environ;

struct e2e_deferred {
	void (*fn)(void *);
	void *arg;
};

static struct {
	char *dir;
	struct e2e_deferred *defer;
	size_t n_defer, cap_defer;
	unsigned seq; /* names files of several hubs, sims... in one test */
	struct e2e_proc **procs;
	size_t n_procs, cap_procs;
} e2e;

/* ---- context ---- */

int64_t e2e_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void e2e_defer(void (*fn)(void *), void *arg)
{
	e2e.defer = xgrow(e2e.defer, &e2e.cap_defer, e2e.n_defer + 1, sizeof *e2e.defer);
	e2e.defer[e2e.n_defer++] = (struct e2e_deferred){fn, arg};
}

void *e2e_own(void *p)
{
	if (p)
		e2e_defer(free, p);
	return p;
}

static void e2e_json_release(void *j)
{
	json_decref(j);
}

json_t *e2e_own_json(json_t *j)
{
	if (j)
		e2e_defer(e2e_json_release, j);
	return j;
}

char *e2e_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	cr_assert(n >= 0, "out of memory");
	return e2e_own(s);
}

void e2e_setup(void)
{
	memset(&e2e, 0, sizeof e2e);
	const char *base = getenv("OPDESK_TEST_TMP");
	if (!base || !*base)
		base = "/tmp";
	char *tmpl = xasprintf("%s/e2e.XXXXXX", base);
	cr_assert(mkdtemp(tmpl), "cannot create a temporary directory %s: %s", tmpl, strerror(errno));
	e2e.dir = tmpl;
	/* the children's HOME, XDG dirs and TMPDIR live inside it */
	const char *subs[] = {"home", "home/data", "home/state", "home/config", "tmp"};
	for (size_t i = 0; i < sizeof subs / sizeof *subs; i++) {
		char *p = xasprintf("%s/%s", e2e.dir, subs[i]);
		cr_assert(mkdir(p, 0700) == 0, "mkdir %s: %s", p, strerror(errno));
		free(p);
	}
	signal(SIGPIPE, SIG_IGN); /* a peer that went away shows up as EPIPE */
}

static int e2e_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void e2e_teardown(void)
{
	while (e2e.n_defer > 0) {
		struct e2e_deferred d = e2e.defer[--e2e.n_defer];
		d.fn(d.arg);
	}
	free(e2e.defer);
	free(e2e.procs);
	if (e2e.dir) {
		const char *keep = getenv("OPDESK_E2E_KEEP");
		if (keep && *keep && strcmp(keep, "0") != 0)
			fprintf(stderr, "e2e: kept %s\n", e2e.dir);
		else
			nftw(e2e.dir, e2e_rm, 16, FTW_DEPTH | FTW_PHYS);
		free(e2e.dir);
	}
	memset(&e2e, 0, sizeof e2e);
}

const char *e2e_dir(void)
{
	cr_assert(e2e.dir, "e2e_setup() was not run (.init = e2e_setup)");
	return e2e.dir;
}

char *e2e_path(const char *name)
{
	return e2e_strf("%s/%s", e2e_dir(), name);
}

char *e2e_bin(const char *prog)
{
	const char *dir = getenv("OPDESK_BIN_DIR");
	cr_assert(dir && *dir, "OPDESK_BIN_DIR is not set (run the e2e tests through ctest)");
	char *p = e2e_strf("%s/%s", dir, prog);
	cr_assert(access(p, X_OK) == 0, "%s is not built (%s)", p, strerror(errno));
	return p;
}

char *e2e_slurp(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xgrow(buf, &cap, len + 4096, 1);
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return e2e_own(buf);
}

void e2e_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	cr_assert(fd >= 0, "cannot create %s: %s", path, strerror(errno));
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		cr_assert(n > 0, "cannot write %s: %s", path, strerror(errno));
		off += (size_t)n;
	}
	close(fd);
}

size_t e2e_count(const char *hay, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	if (!hay || !nl)
		return 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + nl, needle))
		n++;
	return n;
}

/* ---- environment ---- */

/* Is the variable of `entry` one we set ourselves (or the caller sets in extra)? */
static bool e2e_env_named(const char *entry, const char *const extra[])
{
	size_t n = strcspn(entry, "=");
	for (size_t i = 0; extra && extra[i]; i++)
		if (strcspn(extra[i], "=") == n && strncmp(entry, extra[i], n) == 0)
			return true;
	return false;
}

static bool e2e_env_dropped(const char *entry, const char *const extra[])
{
	static const char *const drop[] = {"OPDESK_SECRET",   "TERM",
	                                   "LC_ALL",          "LANG",
	                                   "LANGUAGE",        "HOME",
	                                   "XDG_DATA_HOME",   "XDG_STATE_HOME",
	                                   "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR",
	                                   "TMPDIR",          "COLUMNS",
	                                   "LINES",           NULL};
	size_t n = strcspn(entry, "=");
	for (size_t i = 0; drop[i]; i++)
		if (strlen(drop[i]) == n && strncmp(entry, drop[i], n) == 0)
			return true;
	return e2e_env_named(entry, extra);
}

char **e2e_env(const char *const extra[])
{
	const char *d = e2e_dir();
	const char *ours[] = {
	    e2e_strf("HOME=%s/home", d),
	    e2e_strf("XDG_DATA_HOME=%s/home/data", d),
	    e2e_strf("XDG_STATE_HOME=%s/home/state", d),
	    e2e_strf("XDG_CONFIG_HOME=%s/home/config", d),
	    e2e_strf("TMPDIR=%s/tmp", d),
	    "TERM=xterm-256color",
	    "LC_ALL=C.UTF-8",
	};
	size_t n = 0, cap = 0;
	char **env = NULL;
	for (char **e = environ; *e; e++) {
		if (e2e_env_dropped(*e, extra))
			continue;
		env = xgrow(env, &cap, n + 1, sizeof *env);
		env[n++] = *e;
	}
	for (size_t i = 0; i < sizeof ours / sizeof *ours; i++) {
		if (e2e_env_named(ours[i], extra))
			continue; /* the caller overrides it */
		env = xgrow(env, &cap, n + 1, sizeof *env);
		env[n++] = (char *)ours[i];
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		env = xgrow(env, &cap, n + 1, sizeof *env);
		env[n++] = (char *)extra[i];
	}
	env = xgrow(env, &cap, n + 1, sizeof *env);
	env[n] = NULL;
	return e2e_own(env);
}

/* ---- files ---- */

bool e2e_file_wait(const char *path, e2e_file_pred *pred, void *arg, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	char *dup = xstrdup(path);
	int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (ifd >= 0)
		inotify_add_watch(ifd, dirname(dup),
		                  IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_ATTRIB);
	free(dup);
	bool ok = false;
	for (;;) {
		size_t len = 0;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			size_t cap = 4096;
			char *buf = xmalloc(cap);
			for (;;) {
				if (len + 1 >= cap)
					buf = xgrow(buf, &cap, len + 4096, 1);
				ssize_t n = read(fd, buf + len, cap - len - 1);
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0)
					break;
				len += (size_t)n;
			}
			close(fd);
			buf[len] = '\0';
			ok = pred(buf, len, arg);
			free(buf);
		}
		int left = (int)(end - e2e_now_ms());
		if (ok || left <= 0)
			break;
		/* inotify wakes us on every write; the 500 ms cap only guards against a missed event */
		struct pollfd p = {.fd = ifd, .events = POLLIN};
		if (ifd < 0 || poll(&p, 1, left < 500 ? left : 500) > 0) {
			char ev[4096];
			while (ifd >= 0 && read(ifd, ev, sizeof ev) > 0)
				;
		}
	}
	if (ifd >= 0)
		close(ifd);
	return ok;
}

static bool e2e_has_needle(const char *data, size_t len, void *arg)
{
	(void)len;
	return strstr(data, arg) != NULL;
}

bool e2e_file_wait_text(const char *path, const char *needle, int timeout_ms)
{
	return e2e_file_wait(path, e2e_has_needle, (void *)needle, timeout_ms);
}

/* ---- processes ---- */

static void e2e_proc_release(void *arg)
{
	struct e2e_proc *p = arg;
	for (size_t i = 0; i < e2e.n_procs; i++)
		if (e2e.procs[i] == p)
			e2e.procs[i] = e2e.procs[--e2e.n_procs];
	e2e_proc_stop(p);
	if (p->pidfd >= 0)
		close(p->pidfd);
	free(p);
}

void e2e_child_common(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(127);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
}

struct e2e_proc *e2e_proc_adopt(const char *name, pid_t pid)
{
	struct e2e_proc *p = xcalloc(1, sizeof *p);
	p->name = e2e_strf("%s", name);
	p->pid = pid;
	p->pidfd = pidfd_open(pid, 0);
	cr_assert(p->pidfd >= 0, "pidfd_open: %s", strerror(errno));
	e2e_defer(e2e_proc_release, p);
	e2e.procs = xgrow(e2e.procs, &e2e.cap_procs, e2e.n_procs + 1, sizeof *e2e.procs);
	e2e.procs[e2e.n_procs++] = p;
	return p;
}

struct e2e_proc *e2e_spawn(const char *name, char *const argv[], const struct e2e_spawn_opts *o)
{
	struct e2e_spawn_opts def = {.fd3 = -1};
	if (!o)
		o = &def;
	char *const *env = o->env ? o->env : e2e_env(NULL);
	unsigned seq = ++e2e.seq;
	char *out_path = e2e_strf("%s/%s.%u.out", e2e_dir(), name, seq);
	char *err_path = e2e_strf("%s/%s.%u.err", e2e_dir(), name, seq);
	int outfd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int errfd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	cr_assert(outfd >= 0 && errfd >= 0, "cannot create %s: %s", err_path, strerror(errno));
	int in[2] = {-1, -1};
	if (o->stdin_text)
		cr_assert(pipe2(in, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	pid_t parent = getpid();
	pid_t pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		e2e_child_common(parent);
		int nul = open("/dev/null", O_RDONLY);
		dup2(o->stdin_text ? in[0] : o->stdin_fd > 0 ? o->stdin_fd : nul, 0);
		dup2(outfd, 1);
		dup2(errfd, 2);
		if (o->fd3 > 0) {
			if (o->fd3 == 3)
				fcntl(3, F_SETFD, 0);
			else
				dup2(o->fd3, 3);
		}
		execve(argv[0], argv, env);
		dprintf(2, "e2e: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(outfd);
	close(errfd);
	struct e2e_proc *p = e2e_proc_adopt(name, pid);
	p->out_path = out_path;
	p->err_path = err_path;
	if (o->stdin_text) {
		close(in[0]);
		size_t len = strlen(o->stdin_text), off = 0;
		while (off < len) {
			ssize_t n = write(in[1], o->stdin_text + off, len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break; /* the child did not read it: its exit status will tell */
			off += (size_t)n;
		}
		close(in[1]);
	}
	return p;
}

static bool e2e_proc_reap(struct e2e_proc *p)
{
	if (p->exited)
		return true;
	int st;
	pid_t r = waitpid(p->pid, &st, WNOHANG);
	if (r == p->pid) {
		p->exited = true;
		p->status = st;
	} else if (r < 0 && errno == ECHILD) {
		p->exited = true; /* reaped elsewhere */
		p->status = 0;
	}
	return p->exited;
}

bool e2e_proc_wait(struct e2e_proc *p, int timeout_ms)
{
	int64_t end = e2e_now_ms() + timeout_ms;
	while (!e2e_proc_reap(p)) {
		int left = (int)(end - e2e_now_ms());
		if (left <= 0)
			return false;
		struct pollfd pfd = {.fd = p->pidfd, .events = POLLIN};
		poll(&pfd, 1, left);
	}
	return true;
}

bool e2e_proc_alive(struct e2e_proc *p)
{
	return !e2e_proc_reap(p);
}

void e2e_proc_stop(struct e2e_proc *p)
{
	if (e2e_proc_reap(p))
		return;
	kill(p->pid, SIGTERM);
	if (e2e_proc_wait(p, 5000))
		return;
	kill(p->pid, SIGKILL);
	e2e_proc_wait(p, 5000);
}

char *e2e_proc_stderr(const struct e2e_proc *p)
{
	char *s = p->err_path ? e2e_slurp(p->err_path, NULL) : NULL;
	return s ? s : "";
}

char *e2e_proc_stdout(const struct e2e_proc *p)
{
	char *s = p->out_path ? e2e_slurp(p->out_path, NULL) : NULL;
	return s ? s : "";
}

const char *e2e_proc_how(const struct e2e_proc *p)
{
	static char buf[64];
	if (!p->exited)
		snprintf(buf, sizeof buf, "running");
	else if (WIFEXITED(p->status))
		snprintf(buf, sizeof buf, "exit %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status))
		snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(p->status),
		         strsignal(WTERMSIG(p->status)));
	else
		snprintf(buf, sizeof buf, "status %#x", p->status);
	return buf;
}

int e2e_proc_exit_code(const struct e2e_proc *p)
{
	if (!p->exited)
		return -1;
	if (WIFEXITED(p->status))
		return WEXITSTATUS(p->status);
	if (WIFSIGNALED(p->status))
		return 128 + WTERMSIG(p->status);
	return -1;
}

struct e2e_proc *e2e_run(const char *name, char *const argv[], const struct e2e_spawn_opts *o, int timeout_ms)
{
	struct e2e_proc *p = e2e_spawn(name, argv, o);
	if (!e2e_proc_wait(p, timeout_ms)) {
		e2e_proc_stop(p);
		cr_assert_fail("%s did not finish within %d ms; stderr:\n%s", argv[0], timeout_ms,
		               e2e_proc_stderr(p));
	}
	return p;
}

void e2e_finish(void)
{
	bool *stopped = xcalloc(e2e.n_procs + 1, sizeof *stopped);
	for (size_t i = 0; i < e2e.n_procs; i++) {
		if (e2e_proc_alive(e2e.procs[i])) {
			kill(e2e.procs[i]->pid, SIGTERM);
			stopped[i] = true;
		}
	}
	for (size_t i = 0; i < e2e.n_procs; i++) {
		struct e2e_proc *p = e2e.procs[i];
		if (stopped[i] && !e2e_proc_wait(p, E2E_WAIT_MS)) {
			cr_expect_fail("%s (pid %d) did not stop on SIGTERM within %d ms", p->name,
			               (int)p->pid, E2E_WAIT_MS);
			e2e_proc_stop(p);
			continue;
		}
		const char *err = e2e_proc_stderr(p);
		if (p->daemon)
			cr_expect(e2e_proc_exit_code(p) == 0, "%s ended with %s%s; stderr:\n%s", p->name,
			          e2e_proc_how(p), stopped[i] ? " on SIGTERM" : "", err);
		cr_expect(!strstr(err, "runtime error:") && !strstr(err, "Sanitizer"),
		          "%s reported a sanitizer error:\n%s", p->name, err);
	}
	free(stopped);
}

/* ---- hub and simulator ---- */

struct e2e_proc *e2e_hub_user_add(const char *db, const char *name, const char *secret,
                                  const char *const extra[])
{
	char *argv[32];
	size_t n = 0;
	argv[n++] = e2e_bin("opdesk-hub");
	argv[n++] = "user";
	argv[n++] = "add";
	argv[n++] = (char *)name;
	argv[n++] = "--db";
	argv[n++] = (char *)e2e_db_target(db);
	for (size_t i = 0; extra && extra[i] && n < 31; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	struct e2e_spawn_opts o = {.stdin_text = e2e_strf("%s\n", secret), .fd3 = -1};
	return e2e_run("useradd", argv, &o, E2E_WAIT_MS);
}

/* Read "PORT\n" from fd before the deadline; -1 if it does not come (EOF or timeout). */
static int e2e_read_port(int fd, int timeout_ms)
{
	char buf[32];
	size_t len = 0;
	int64_t end = e2e_now_ms() + timeout_ms;
	while (len < sizeof buf - 1 && !memchr(buf, '\n', len)) {
		int left = (int)(end - e2e_now_ms());
		if (left <= 0)
			return -1;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, left) <= 0)
			continue;
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
	}
	buf[len] = '\0';
	char *endp;
	long port = strtol(buf, &endp, 10);
	if (endp == buf || *endp != '\n' || port <= 0 || port > 65535)
		return -1;
	return (int)port;
}

struct e2e_hub *e2e_hub_start(const char *const users[], const char *const extra[])
{
	return e2e_hub_start_db(NULL, users, extra);
}

struct e2e_hub *e2e_hub_start_db(const char *db, const char *const users[], const char *const extra[])
{
	struct e2e_hub *h = e2e_hub_spawn(db, users, extra);
	e2e_hub_serving(h);
	return h;
}

int e2e_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	              getsockname(fd, (struct sockaddr *)&a, &len) == 0,
	          "a free port: %s", strerror(errno));
	close(fd);
	return ntohs(a.sin_port);
}

struct e2e_hub *e2e_hub_standby(const char *db, const char *const extra[])
{
	int port = e2e_free_port();
	const char *args[16] = {"--standby", "--port", e2e_strf("%d", port)};
	size_t n = 3;
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	struct e2e_hub *h = e2e_hub_spawn(db, NULL, args);
	h->url = e2e_strf("ws://127.0.0.1:%d", port);
	return h;
}

void e2e_hub_serving(struct e2e_hub *h)
{
	h->port = e2e_read_port(h->ready_fd, E2E_WAIT_MS);
	close(h->ready_fd);
	h->ready_fd = -1;
	if (h->port < 0) {
		e2e_proc_wait(h->proc, 1000);
		cr_assert_fail("the hub did not report its port on --ready-fd (%s); stderr:\n%s",
		               e2e_proc_how(h->proc), e2e_proc_stderr(h->proc));
	}
	h->url = e2e_strf("ws://127.0.0.1:%d", h->port);
}

struct e2e_hub *e2e_hub_spawn(const char *db, const char *const users[], const char *const extra[])
{
	struct e2e_hub *h = e2e_own(xcalloc(1, sizeof *h));
	const char *path = db ? db : e2e_strf("%s/hub%u.db", e2e_dir(), ++e2e.seq);
	h->db = e2e_strf("%s", e2e_db_target(path));
	for (size_t i = 0; users && users[i] && users[i + 1]; i += 2) {
		struct e2e_proc *p = e2e_hub_user_add(h->db, users[i], users[i + 1], NULL);
		cr_assert(e2e_proc_exit_code(p) == 0, "opdesk-hub user add %s: %s; stderr:\n%s", users[i],
		          e2e_proc_how(p), e2e_proc_stderr(p));
	}
	int ready[2];
	cr_assert(pipe2(ready, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	char *argv[40];
	size_t n = 0;
	argv[n++] = e2e_bin("opdesk-hub");
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--ready-fd";
	argv[n++] = "3";
	argv[n++] = "--db";
	argv[n++] = h->db;
	argv[n++] = "--log-level";
	argv[n++] = "info";
	if (strcmp(h->db, path) != 0) {
		/* on PostgreSQL: the uploads where they are beside an SQLite database, where the tests look */
		const char *slash = strrchr(path, '/');
		argv[n++] = "--files";
		argv[n++] = slash ? e2e_strf("%.*s/files", (int)(slash - path), path) : "files";
	}
	for (size_t i = 0; extra && extra[i] && n < 39; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	struct e2e_spawn_opts o = {.fd3 = ready[1]};
	h->proc = e2e_spawn("hub", argv, &o);
	h->proc->daemon = true;
	close(ready[1]);
	h->ready_fd = ready[0];
	return h;
}

bool e2e_hub_log_wait(struct e2e_hub *h, const char *needle, int timeout_ms)
{
	return e2e_file_wait_text(h->proc->err_path, needle, timeout_ms);
}

struct e2e_proc *e2e_sim_start(struct e2e_hub *h, const char *events, const char *const args[])
{
	char *argv[48];
	size_t n = 0;
	argv[n++] = e2e_bin("opdesk-sim");
	argv[n++] = "--url";
	argv[n++] = h->url;
	if (events) {
		argv[n++] = "--events";
		argv[n++] = (char *)events;
	}
	for (size_t i = 0; args && args[i] && n < 47; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	struct e2e_proc *p = e2e_spawn("sim", argv, NULL);
	p->daemon = true;
	return p;
}

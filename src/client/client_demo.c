/* client_demo.c: the --demo launcher: private hub + simulated customers in a temporary directory. */
#include "opdesk/client_demo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "opdesk/client_loop.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define DEMO_USER         "demo"
#define DEMO_READY_FD     3
#define DEMO_STOP_WAIT_MS 3000

struct client_demo_child {
	const char *what; /* "hub", "simulator" */
	pid_t pid;
	char *log;
};

struct client_demo {
	char *dir, *db, *url, *secret;
	struct client_demo_child hub, sim;
};

static int64_t demo_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *demo_find_in(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	if (access(p, X_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *client_demo_find_program(const char *name)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		char *p = demo_find_in(dirname(self), name);
		if (p)
			return p;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *p = demo_find_in(*dir ? dir : ".", name);
		if (p) {
			free(copy);
			return p;
		}
	}
	free(copy);
	return NULL;
}

/* fork + exec with stdin from in_fd (or /dev/null), stdout/stderr appended to log, optional ready fd.
 * The child dies with us, has its own process group and the default signal mask. */
static pid_t demo_spawn(char *const argv[], int in_fd, const char *log, int ready_fd, char **cause)
{
	int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (logfd < 0) {
		*cause = xasprintf(_("cannot open %s: %s"), log, strerror(errno));
		return -1;
	}
	int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		*cause = xasprintf("fork: %s", strerror(errno));
		close(logfd);
		if (nullfd >= 0)
			close(nullfd);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		setpgid(0, 0);
		client_loop_child_signals();
		dup2(in_fd >= 0 ? in_fd : nullfd, 0);
		dup2(nullfd, 1);
		dup2(logfd, 2);
		if (ready_fd >= 0) {
			if (ready_fd == DEMO_READY_FD)
				fcntl(ready_fd, F_SETFD, 0);
			else
				dup2(ready_fd, DEMO_READY_FD);
		}
		execv(argv[0], argv);
		dprintf(2, "opdesk: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	if (nullfd >= 0)
		close(nullfd);
	return pid;
}

static char *demo_status_text(int status)
{
	if (WIFEXITED(status))
		return xasprintf(_("exit status %d"), WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xasprintf(_("killed by signal %d"), WTERMSIG(status));
	return xstrdup(_("stopped"));
}

/* Wait for pid at most timeout_ms; returns 0 with *status, or -1 on timeout. */
static int demo_wait(pid_t pid, int timeout_ms, int *status)
{
	int64_t end = demo_mono_ms() + timeout_ms;
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return 0; /* not our child any more */
		if (demo_mono_ms() >= end)
			return -1;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static char *demo_random_secret(void)
{
	unsigned char raw[18];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			abort(); /* the kernel has no random numbers: nothing sensible to do */
		got += (size_t)n;
	}
	char *s = xmalloc(sizeof raw * 2 + 1);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(s + 2 * i, 3, "%02x", raw[i]);
	return s;
}

static int demo_add_user(struct client_demo *d, const char *hub, char **cause)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	char *argv[] = {(char *)hub, "user",      "add",           DEMO_USER, "--db",
	                d->db,       "--display", "Demo Operator", NULL};
	pid_t pid = demo_spawn(argv, p[0], d->hub.log, -1, cause);
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	char *line = xasprintf("%s\n", d->secret);
	/* a child that exits without reading must not kill us with SIGPIPE */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	ssize_t w = write(p[1], line, strlen(line));
	(void)w; /* a short write shows up as the child's failure below */
	sigaction(SIGPIPE, &old, NULL);
	explicit_bzero(line, strlen(line));
	free(line);
	close(p[1]);
	int status;
	if (demo_wait(pid, 15000, &status) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		*cause = xasprintf(_("\"opdesk-hub user add\" did not finish; see %s"), d->hub.log);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *st = demo_status_text(status);
		*cause = xasprintf(_("\"opdesk-hub user add\" failed (%s); see %s"), st, d->hub.log);
		free(st);
		return -1;
	}
	return 0;
}

/* Read "PORT\n" from fd within timeout_ms. Returns the port or -1. */
static int demo_read_port(int fd, int timeout_ms)
{
	char buf[32];
	size_t len = 0;
	int64_t end = demo_mono_ms() + timeout_ms;
	while (len < sizeof buf - 1) {
		int left = (int)(end - demo_mono_ms());
		if (left <= 0)
			return -1;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	char *endp;
	long port = strtol(buf, &endp, 10);
	if (endp == buf || (*endp != '\n' && *endp != '\0') || port <= 0 || port > 65535)
		return -1;
	return (int)port;
}

static int demo_start_hub(struct client_demo *d, const char *hub, int timeout_ms, char **cause)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return -1;
	}
	char fdarg[16];
	snprintf(fdarg, sizeof fdarg, "%d", DEMO_READY_FD);
	char *argv[] = {(char *)hub, "--port", "0",           "--ready-fd", fdarg,
	                "--db",      d->db,    "--log-level", "warn",       NULL};
	d->hub.pid = demo_spawn(argv, -1, d->hub.log, p[1], cause);
	close(p[1]);
	if (d->hub.pid < 0) {
		close(p[0]);
		return -1;
	}
	int port = demo_read_port(p[0], timeout_ms);
	close(p[0]);
	if (port < 0) {
		*cause = xasprintf(_("the demo hub did not start; see %s"), d->hub.log);
		return -1;
	}
	d->url = xasprintf("ws://127.0.0.1:%d", port);
	log_info("demo hub pid %d on %s", (int)d->hub.pid, d->url);
	return 0;
}

static int demo_start_sim(struct client_demo *d, const struct client_demo_opts *o, char **cause)
{
	char *sim = client_demo_find_program("opdesk-sim");
	if (!sim) {
		*cause = xstrdup(_("cannot find opdesk-sim next to opdesk or on PATH"));
		return -1;
	}
	char customers[16], rate[16];
	snprintf(customers, sizeof customers, "%d", o->customers > 0 ? o->customers : 6);
	snprintf(rate, sizeof rate, "%d", o->rate > 0 ? o->rate : 8);
	char *argv[] = {sim, "--url", d->url, "--customers", customers, "--rate", rate, NULL};
	d->sim.pid = demo_spawn(argv, -1, d->sim.log, -1, cause);
	free(sim);
	if (d->sim.pid < 0)
		return -1;
	log_info("demo simulator pid %d", (int)d->sim.pid);
	return 0;
}

struct client_demo *client_demo_start(const struct client_demo_opts *opts, char **cause)
{
	struct client_demo_opts o = opts ? *opts : (struct client_demo_opts){0};
	if (o.ready_timeout_ms <= 0)
		o.ready_timeout_ms = 10000;
	char *hub = client_demo_find_program("opdesk-hub");
	if (!hub) {
		*cause = xstrdup(_("cannot find opdesk-hub next to opdesk or on PATH"));
		return NULL;
	}
	const char *tmp = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/opdesk-demo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		*cause = xasprintf(_("cannot create a temporary directory %s: %s"), tmpl, strerror(errno));
		free(tmpl);
		free(hub);
		return NULL;
	}
	struct client_demo *d = xcalloc(1, sizeof *d);
	d->dir = tmpl;
	d->db = xasprintf("%s/hub.db", d->dir);
	d->secret = demo_random_secret();
	d->hub = (struct client_demo_child){.what = "hub", .pid = -1, .log = xasprintf("%s/hub.log", d->dir)};
	d->sim = (struct client_demo_child){
	    .what = "simulator", .pid = -1, .log = xasprintf("%s/sim.log", d->dir)};
	if (demo_add_user(d, hub, cause) < 0 || demo_start_hub(d, hub, o.ready_timeout_ms, cause) < 0 ||
	    demo_start_sim(d, &o, cause) < 0) {
		free(hub);
		client_demo_stop(d, true);
		return NULL;
	}
	free(hub);
	return d;
}

const char *client_demo_url(const struct client_demo *d)
{
	return d->url;
}

const char *client_demo_user(const struct client_demo *d)
{
	(void)d;
	return DEMO_USER;
}

const char *client_demo_secret(const struct client_demo *d)
{
	return d->secret;
}

const char *client_demo_dir(const struct client_demo *d)
{
	return d->dir;
}

bool client_demo_reap(struct client_demo *d, char **cause)
{
	struct client_demo_child *kids[] = {&d->hub, &d->sim};
	bool died = false;
	for (size_t i = 0; i < 2; i++) {
		struct client_demo_child *c = kids[i];
		int status;
		if (c->pid <= 0 || waitpid(c->pid, &status, WNOHANG) != c->pid)
			continue;
		c->pid = -1;
		char *st = demo_status_text(status);
		log_error("the demo %s exited (%s)", c->what, st);
		if (!died)
			*cause = xasprintf(_("the demo %s exited unexpectedly (%s); see %s"), _(c->what), st,
			                   c->log);
		free(st);
		died = true;
	}
	/* anything else (a child we did not start) is reaped too */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return died;
}

static int demo_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) < 0)
		log_warn("cannot remove %s: %s", path, strerror(errno));
	return 0;
}

void client_demo_stop(struct client_demo *d, bool keep_dir)
{
	if (!d)
		return;
	struct client_demo_child *kids[] = {&d->sim, &d->hub};
	for (size_t i = 0; i < 2; i++)
		if (kids[i]->pid > 0)
			kill(kids[i]->pid, SIGTERM);
	int64_t end = demo_mono_ms() + DEMO_STOP_WAIT_MS;
	for (size_t i = 0; i < 2; i++) {
		struct client_demo_child *c = kids[i];
		if (c->pid <= 0)
			continue;
		int status, left = (int)(end - demo_mono_ms());
		if (demo_wait(c->pid, left > 0 ? left : 0, &status) < 0) {
			log_warn("the demo %s did not stop: killing it", c->what);
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
		}
		c->pid = -1;
	}
	if (d->dir && !keep_dir)
		nftw(d->dir, demo_rm, 8, FTW_DEPTH | FTW_PHYS);
	if (d->secret)
		explicit_bzero(d->secret, strlen(d->secret));
	free(d->secret);
	free(d->dir);
	free(d->db);
	free(d->url);
	free(d->hub.log);
	free(d->sim.log);
	free(d);
}

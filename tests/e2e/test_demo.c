/* test_demo.c: `opdesk --demo` in a pty: it starts its own hub and simulator, simulated chats reach the
 * operator within seconds, F10 quits cleanly, and nothing is left behind: no hub or simulator process,
 * no temporary directory. Also: when the demo's hub dies, the client says so and stops the simulator. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "harness.h"

TestSuite(demo, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

struct child {
	pid_t pid;
	char comm[32];
};

/* The children of `parent`, from /proc/PID/stat ("pid (comm) state ppid ..."). */
static size_t children_of(pid_t parent, struct child *out, size_t max)
{
	size_t n = 0;
	DIR *d = opendir("/proc");
	cr_assert(d, "cannot read /proc");
	struct dirent *e;
	while ((e = readdir(d)) && n < max) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		char path[64], buf[512];
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		char *open = strchr(buf, '('), *close = strrchr(buf, ')');
		char state;
		int ppid;
		if (!open || !close || sscanf(close + 1, " %c %d", &state, &ppid) != 2 || ppid != parent)
			continue;
		out[n].pid = (pid_t)pid;
		snprintf(out[n].comm, sizeof out[n].comm, "%.*s", (int)(close - open - 1), open + 1);
		n++;
	}
	closedir(d);
	return n;
}

static pid_t find_child(const struct child *c, size_t n, const char *comm)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].comm, comm) == 0)
			return c[i].pid;
	return 0;
}

/* Names of opdesk-demo.* directories left in the children's TMPDIR, "" if none. */
static const char *demo_dirs(void)
{
	char *tmp = e2e_path("tmp");
	DIR *d = opendir(tmp);
	cr_assert(d, "cannot read %s", tmp);
	char *list = e2e_strf("%s", "");
	struct dirent *e;
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "opdesk-demo.", 12) == 0)
			list = e2e_strf("%s%s ", list, e->d_name);
	closedir(d);
	return list;
}

/* The process has ended (or ends within 5 s): a pidfd becomes readable when it exits. */
static bool gone(pid_t pid)
{
	int fd = pidfd_open(pid, 0);
	if (fd < 0)
		return errno == ESRCH;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	bool ended = poll(&p, 1, 5000) > 0;
	close(fd);
	return ended;
}

static const char *const chat_marks[] = {
    "· web", "· telegram", "· vk", "   web: ", "   telegram: ", "   vk: ", NULL};

static struct e2e_term *start_demo(pid_t *hub, pid_t *sim)
{
	char *argv[] = {e2e_bin("opdesk"), "--demo", "--log", e2e_path("demo.log"), NULL};
	struct e2e_term *t = term_spawn(argv, NULL, 40, 120, false);
	term_expect(t, "online", E2E_WAIT_MS);
	cr_assert(term_has_text(t, "demo"), "the status bar does not name the demo operator:\n%s",
	          term_screen_text(t));
	cr_assert(*demo_dirs(), "the demo made no opdesk-demo.* directory in $TMPDIR");
	struct child kids[16];
	size_t n = children_of(term_proc(t)->pid, kids, 16);
	*hub = find_child(kids, n, "opdesk-hub");
	*sim = find_child(kids, n, "opdesk-sim");
	cr_assert(*hub && *sim,
	          "the demo client has no opdesk-hub and opdesk-sim children (found %zu children)", n);
	return t;
}

E2E_TEST(demo, chats_arrive_and_f10_cleans_up)
{
	pid_t hub, sim;
	struct e2e_term *t = start_demo(&hub, &sim);
	int64_t t0 = e2e_now_ms();
	int which = term_wait_any(t, chat_marks, 10000);
	cr_assert(which >= 0, "no simulated chat within 10 s; screen:\n%s", term_screen_text(t));
	cr_log_info("first chat after %lld ms: \"%s\"", (long long)(e2e_now_ms() - t0), chat_marks[which]);

	term_send(t, TK_F10);
	const char *const after[] = {"Quit with", NULL};
	if (term_wait_any(t, after, E2E_WAIT_MS) == 0) /* asks when a chat is open; otherwise it quits (EOF ends the wait) */
		term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the demo did not quit; screen:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "the demo ended with %s; stderr:\n%s",
	             e2e_proc_how(term_proc(t)), term_stderr(t));
	cr_assert(gone(hub), "the demo hub (pid %d) is still running after the client quit", (int)hub);
	cr_assert(gone(sim), "the demo simulator (pid %d) is still running after the client quit", (int)sim);
	cr_assert_str_empty(demo_dirs(), "the demo left its directory behind");
}

E2E_TEST(demo, stops_when_its_hub_dies)
{
	pid_t hub, sim;
	struct e2e_term *t = start_demo(&hub, &sim);
	cr_assert(kill(hub, SIGKILL) == 0, "kill: %s", strerror(errno));
	cr_assert(term_wait_exit(t, E2E_WAIT_MS),
	          "the demo client keeps running without its hub; screen:\n%s", term_screen_text(t));
	const char *err = term_stderr(t);
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 1, "the demo ended with %s (want exit 1); stderr:\n%s",
	             e2e_proc_how(term_proc(t)), err);
	cr_assert(strstr(err, "hub"), "the error does not say the hub died:\n%s", err);
	term_proc(t)->daemon = false; /* its exit 1 is the point */
	cr_assert(gone(sim), "the demo simulator (pid %d) outlived the demo", (int)sim);
	cr_assert(gone(hub), "the killed hub (pid %d) was not reaped", (int)hub);
}

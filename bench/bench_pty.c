/* bench_pty.c: pseudo-terminal and /proc helpers for the terminal benchmarks (see bench_pty.h). */
#include "bench_pty.h"

#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double bench_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

size_t bench_drain(int fd, int quiet_ms, char *keep, size_t keep_size)
{
	size_t total = 0;
	char buf[65536];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (poll(&p, 1, quiet_ms) > 0) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		if (keep && total < keep_size) {
			size_t c = (size_t)n < keep_size - total ? (size_t)n : keep_size - total;
			memcpy(keep + total, buf, c);
		}
		total += (size_t)n;
	}
	return total;
}

pid_t bench_spawn(char *const argv[], int rows, int cols, int *master)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	pid_t pid = forkpty(master, NULL, NULL, &ws);
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

long bench_proc_status(pid_t pid, const char *name)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long v = -1;
	size_t len = strlen(name);
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	if (f)
		fclose(f);
	return v;
}

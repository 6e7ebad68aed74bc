/* bench_pty.h: what the terminal benchmarks share: start a program in a pseudo-terminal, read its output
 * until it goes quiet, and read figures of a process from /proc. */
#ifndef OPDESK_BENCH_PTY_H
#define OPDESK_BENCH_PTY_H

#include <stddef.h>
#include <sys/types.h>

/* Start argv in a new pty of rows x cols with TERM=xterm-256color and LC_ALL=C.UTF-8; *master is its end. */
pid_t bench_spawn(char *const argv[], int rows, int cols, int *master);

/* Read what comes until quiet_ms pass with nothing; keeps the first keep_size bytes; returns the bytes read. */
size_t bench_drain(int fd, int quiet_ms, char *keep, size_t keep_size);

/* A "Name:   N" line of /proc/PID/status (VmRSS, VmHWM, voluntary_ctxt_switches, ...), or -1. */
long bench_proc_status(pid_t pid, const char *name);

double bench_now_us(void);

#endif

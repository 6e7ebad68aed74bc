/* bench_server.h: what the hub benchmarks (bench_hub, bench_board) share: a monotonic clock, the program under
 * test started (with a descriptor it reports readiness on) and stopped, its CPU and memory from /proc, and a
 * database with N operators (op0..opN-1, one secret) and a supervisor (sup). */
#ifndef OPDESK_BENCH_SERVER_H
#define OPDESK_BENCH_SERVER_H

#include <stdint.h>
#include <sys/types.h>

extern pid_t bench_server_pid; /* the server under test, stopped if the benchmark gives up */

int64_t bench_now_ns(void);
/* Say why on stderr (with the program's name), stop the server, exit 1. */
void bench_die(const char *what) __attribute__((noreturn));
/* A "Key:   N" line of /proc/PID/status (VmRSS: ...), or -1. */
long bench_proc_field(pid_t pid, const char *key);
/* The process's user+system CPU time so far, in seconds. */
double bench_cpu_seconds(pid_t pid);
/* Start argv with ready_fd (if >= 0) as its descriptor 3. */
pid_t bench_server_spawn(char *const argv[], int ready_fd);
void bench_server_stop(pid_t pid);
/* db: a SQLite file or a PostgreSQL conninfo ("host=..."). */
void bench_make_db(const char *hub, const char *db, int n_ops);
/* A load generator of thousands of connections: every descriptor the system allows, no SIGPIPE. */
void bench_generator_setup(void);
int bench_cmp64(const void *a, const void *b); /* qsort of int64_t */

#endif

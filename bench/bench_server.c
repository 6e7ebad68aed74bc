/* bench_server.c: what the hub benchmarks share (see bench_server.h): the clock, starting and stopping the
 * program under test, its figures from /proc, and a database with its accounts (SQLite or PostgreSQL). */
#include "bench_server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

pid_t bench_server_pid;

int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void bench_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, what);
	if (bench_server_pid > 0)
		kill(bench_server_pid, SIGTERM);
	exit(1);
}

long bench_proc_field(pid_t pid, const char *key)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	long v = -1;
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0)
			v = strtol(line + kl, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

double bench_cpu_seconds(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f || !fgets(buf, sizeof buf, f))
		bench_die("cannot read /proc/PID/stat");
	fclose(f);
	const char *p = strrchr(buf, ')'); /* fields after the command name */
	unsigned long ut = 0, st = 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		bench_die("cannot parse /proc/PID/stat");
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

pid_t bench_server_spawn(char *const argv[], int ready_fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		if (!getenv("BENCH_VERBOSE"))
			dup2(null, 2);
		if (ready_fd >= 0 && ready_fd != 3) {
			dup2(ready_fd, 3);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

void bench_server_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

void bench_make_db(const char *hub, const char *db, int n_ops)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "printf 'bench-secret\\n' | '%s' user add op0 --db '%s' >/dev/null", hub, db);
	if (system(cmd) != 0)
		bench_die("opdesk-hub user add failed");
	char sql[512];
	snprintf(sql, sizeof sql,
		 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
		 "INSERT INTO operators(name, role, secret_hash, capacity, disabled, created_ms) "
		 "SELECT 'op' || i, 'operator', (SELECT secret_hash FROM operators WHERE name = 'op0'), 5, 0, 0 FROM n "
		 "UNION ALL SELECT 'sup', 'supervisor', (SELECT secret_hash FROM operators WHERE name = 'op0'), 4, 0, 0",
		 n_ops - 1);
	if (strncmp(db, "host=", 5) == 0) { /* PostgreSQL (bench_hub --postgres): the same SQL */
		PGconn *pg = PQconnectdb(db);
		PGresult *r = PQstatus(pg) == CONNECTION_OK ? PQexec(pg, sql) : NULL;
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			bench_die(PQerrorMessage(pg));
		PQclear(r);
		PQfinish(pg);
		return;
	}
	sqlite3 *h;
	if (sqlite3_open(db, &h) != SQLITE_OK)
		bench_die("cannot open the database");
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK)
		bench_die(sqlite3_errmsg(h));
	sqlite3_close(h);
}

void bench_generator_setup(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	signal(SIGPIPE, SIG_IGN);
}

int bench_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

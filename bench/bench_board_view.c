/* bench_board_view.c: what the supervisor's board costs the workstation: 1,000 operators holding 5,000 open
 * chats, one board a second in which 100 operators change (their chats' unanswered times), as a hub sends
 * them to `monitor` with `delta`. The real opdesk plays them (--replay of a monitor session, so no hub) in a
 * 200x60 pseudo-terminal:
 *  - at one board a second for 20 s: the client's CPU (user+system from /proc) as a share of one core, and
 *    the bytes it writes a board, against the bytes of the whole board screen (its first frame, the cost of
 *    redrawing everything: what "only the changed cells" saves);
 *  - 300 boards at 50x speed: the CPU a board (decoding the frame, applying it, sorting 1,000 operators,
 *    drawing the screen): the upper bound of a board frame's draw.
 * Usage: bench_board_view PATH-TO-opdesk */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_pty.h"

#define N_OPS 1000
#define CHATS 5
#define CHANGED 100
#define T0 1764763200000LL

static void op_json(FILE *f, int i, int board, int64_t now)
{
	fprintf(f, "{\"user\":\"op%04d\",\"display\":\"Оператор %04d\",\"role\":\"operator\",\"status\":\"online\","
	           "\"online\":true,\"load\":%d,\"capacity\":%d,\"since\":%lld,\"chats\":[",
	        i, i, CHATS, CHATS < 4 ? 4 : CHATS, (long long)(T0 - 3600000));
	for (int c = 0; c < CHATS; c++)
		fprintf(f, "%s{\"dialog\":%d,\"customer\":\"Покупатель %d\",\"queue\":\"general\",\"unanswered\":%lld}",
		        c ? "," : "", i * CHATS + c + 1, i * CHATS + c + 1,
		        (long long)((i + c + board) % 3 ? now - ((i * 7 + c * 13 + board * 5) % 280) * 1000 : 0));
	fprintf(f, "],\"closed\":%d,\"first_response_avg_ms\":%d,\"rated\":%d,\"fives\":%d}", 10 + i % 7,
	        20000 + i % 40 * 1000, 8, 7);
}

static void board_json(FILE *f, int64_t at, int board, bool delta, int from, int to)
{
	int64_t now = T0 + at;
	fprintf(f, "{\"at\":%lld,\"frame\":{\"type\":\"board\",\"time\":%lld,\"waiting\":%d,\"oldest\":%lld,"
	           "\"sla_wait_ms\":13000,\"sla_answer_ms\":300000,%s\"operators\":[",
	        (long long)at, (long long)now, board % 5, (long long)(board % 5 ? now - 9000 : 0),
	        delta ? "\"delta\":true," : "");
	for (int i = from; i < to; i++) {
		if (i > from)
			fputc(',', f);
		op_json(f, i % N_OPS, board, now);
	}
	fprintf(f, "],\"today\":{\"opened\":%d,\"closed\":%d,\"wait_avg_ms\":11800,\"first_response_avg_ms\":34000,"
	           "\"rated\":900,\"fives\":850,\"claims\":12,\"wait_p90_ms\":21000,\"assigned\":%d,\"in_sla\":%d,"
	           "\"score_sum\":4420,\"abandoned\":9},\"queues\":[{\"queue\":\"general\",\"waiting\":%d,\"oldest\":%lld,"
	           "\"online\":1000,\"free\":0}]}}\n",
	        5000 + board, 4000 + board, 4990 + board, 4400 + board, board % 5,
	        (long long)(board % 5 ? now - 9000 : 0));
}

static void write_file(const char *path, int boards, int gap_ms, int first_gap_ms)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fprintf(f, "{\"opdesk_replay\":1,\"title\":\"bench\",\"t0\":%lld,\"monitor\":true}\n", T0);
	fprintf(f, "{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"sveta\",\"role\":\"supervisor\","
	           "\"status\":\"online\",\"capacity\":4},\"dialogs\":[],\"items\":[],\"canned\":[],\"time\":%lld}}\n",
	        T0);
	board_json(f, 100, 0, false, 0, 100); /* the first board as a hub sends it to delta: 100 a frame */
	for (int k = 100; k < N_OPS; k += 100)
		board_json(f, 100, 0, true, k, k + 100);
	for (int b = 1; b <= boards; b++)
		board_json(f, 100 + first_gap_ms + (int64_t)(b - 1) * gap_ms, b, true, (b * CHANGED) % N_OPS, (b * CHANGED) % N_OPS + CHANGED);
	fclose(f);
}

/* user+system CPU of pid in ms (/proc/PID/stat fields 14 and 15). */
static double cpu_ms(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static pid_t start(const char *opdesk, const char *file, const char *speed, const char *log, int *m)
{
	char *argv[] = {(char *)opdesk, "--replay", (char *)file, "--speed", (char *)speed, "--log", (char *)log,
	                "--log-level", "debug", NULL};
	return bench_spawn(argv, 60, 200, m);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* The client's own figure: "board frame drawn in N us" (ui_render.c) for each frame after the first `skip`. */
static size_t draw_times(const char *log, size_t skip, long *out, size_t max)
{
	FILE *f = fopen(log, "r");
	char line[512];
	size_t n = 0, seen = 0;
	while (f && fgets(line, sizeof line, f)) {
		const char *p = strstr(line, "board frame drawn in ");
		if (p && seen++ >= skip && n < max)
			out[n++] = strtol(p + 21, NULL, 10);
	}
	if (f)
		fclose(f);
	qsort(out, n, sizeof *out, cmp_long);
	return n;
}

static void stop(pid_t pid, int m)
{
	kill(pid, SIGTERM);
	bench_drain(m, 200, NULL, 0);
	waitpid(pid, NULL, 0);
	close(m);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_board_view PATH-TO-opdesk\n");
		return 2;
	}
	char dir[] = "/tmp/bench-board-view-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char slow[256], fast[256], log[256];
	snprintf(slow, sizeof slow, "%s/slow.jsonl", dir);
	snprintf(fast, sizeof fast, "%s/fast.jsonl", dir);
	snprintf(log, sizeof log, "%s/opdesk.log", dir);
	write_file(slow, 21, 1000, 1500);
	write_file(fast, 300, 1000, 60000); /* at 50x: the boards begin 1.2 s after the first */

	/* one board a second */
	int m;
	pid_t pid = start(argv[1], slow, "1", log, &m);
	size_t first = bench_drain(m, 700, NULL, 0); /* the welcome and the whole board (1,000 operators) */
	double c0 = cpu_ms(pid), t0 = bench_now_us();
	size_t bytes = 0;
	int boards = 0;
	while (bench_now_us() - t0 < 20e6) {
		size_t n = bench_drain(m, 300, NULL, 0);
		if (n) {
			bytes += n;
			boards++;
		}
	}
	double c1 = cpu_ms(pid), secs = (bench_now_us() - t0) / 1e6;
	stop(pid, m);
	printf("board view, 1,000 operators, 5,000 chats, 200x60: the first board drawn in %zu bytes\n", first);
	printf("  one board a second (%d boards in %.1f s, 100 operators changed in each):\n", boards, secs);
	printf("    CPU %.2f%% of one core; %.0f bytes a board, %.1f%% of the whole screen's %zu\n",
	       (c1 - c0) / (secs * 10.0), boards ? (double)bytes / boards : 0.0,
	       boards && first ? 100.0 * (double)bytes / boards / (double)first : 0.0, first);

	/* as fast as it goes: the CPU a board */
	static long t[4096];
	size_t nt = draw_times(log, 3, t, sizeof t / sizeof *t); /* after the first whole board's frames */
	if (nt)
		printf("    a board frame drawn (the client's clock, lay out + draw + doupdate): median %ld us, p99 %ld us, "
		       "max %ld us over %zu frames (target < 2,000 us)\n",
		       t[nt / 2], t[nt * 99 / 100], t[nt - 1], nt);
	unlink(log);
	pid = start(argv[1], fast, "50", "/dev/null", &m);
	bench_drain(m, 700, NULL, 0);
	c0 = cpu_ms(pid);
	t0 = bench_now_us();
	bytes = 0;
	while (bench_now_us() - t0 < 30e6) { /* 300 boards at 50x: about 6 s */
		size_t n = bench_drain(m, 500, NULL, 0);
		if (!n)
			break;
		bytes += n;
	}
	c1 = cpu_ms(pid);
	stop(pid, m);
	printf("  300 boards at 50x: %.2f ms CPU a board (decode, apply, sort 1,000 operators, draw; target < 2 ms)\n",
	       (c1 - c0) / 300.0);
	unlink(slow);
	unlink(fast);
	unlink(log);
	rmdir(dir);
	return 0;
}

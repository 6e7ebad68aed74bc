/* bench_keys.c: what a keypress costs the operator's terminal, and what the idle client costs the machine.
 * Runs the real opdesk (--replay of a small session, so no hub) in a pseudo-terminal, types 300 characters
 * into the composer one at a time, and measures the time from the key to the first byte drawn and the bytes
 * written per key; the same round trip through `cat` in a raw pty is measured in the same run as the floor
 * of the path. Then it leaves the client idle for 10 s and counts its wakeups (voluntary context switches).
 * Usage: bench_keys PATH-TO-opdesk */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_pty.h"

#define KEYS 300

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Type KEYS characters; latency to the first byte back, and bytes per key. With `line` > 0 the composer is
 * cleared (Ctrl-U, not counted) every `line` keys, so that the text stays within the visible line. */
static void type_keys(int fd, int line, double *lat, double *bytes_per_key)
{
	size_t bytes = 0;
	char buf[4096];
	for (int i = 0; i < KEYS; i++) {
		if (line > 0 && i > 0 && i % line == 0) {
			char u = 0x15;
			if (write(fd, &u, 1) != 1)
				break;
			bench_drain(fd, 20, NULL, 0);
		}
		char c = (char)('a' + i % 26);
		double t = bench_now_us();
		if (write(fd, &c, 1) != 1)
			break;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 1000) <= 0) {
			lat[i] = 1e6;
			continue;
		}
		lat[i] = bench_now_us() - t;
		ssize_t n = read(fd, buf, sizeof buf);
		bytes += n > 0 ? (size_t)n : 0;
		bytes += bench_drain(fd, 3, NULL, 0);
	}
	qsort(lat, KEYS, sizeof *lat, cmp_double);
	*bytes_per_key = (double)bytes / KEYS;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_keys PATH-TO-opdesk\n");
		return 2;
	}
	char path[] = "/tmp/opdesk-keys-XXXXXX";
	int fd = mkstemp(path);
	const char *file =
	    "{\"opdesk_replay\":1,\"title\":\"keys\",\"t0\":1763877600000}\n"
	    "{\"at\":0,\"frame\":{\"type\":\"welcome\",\"operator\":{\"user\":\"demo\",\"role\":\"operator\",\"status\":"
	    "\"online\",\"capacity\":4},\"dialogs\":[{\"id\":7,\"customer\":\"Ольга\",\"channel\":\"vk\",\"queue\":"
	    "\"general\",\"state\":\"assigned\",\"opened\":1763877600000,\"last_seq\":2,\"messages\":[{\"id\":1,"
	    "\"dialog\":7,\"seq\":1,\"time\":1763877600000,\"sender\":\"customer\",\"text\":\"Где мой заказ?\"},"
	    "{\"id\":2,\"dialog\":7,\"seq\":2,\"time\":1763877600000,\"sender\":\"operator\",\"author\":\"demo\","
	    "\"text\":\"Уже едет!\"}]}],\"items\":[],\"canned\":[],\"time\":1763877600000}}\n";
	if (write(fd, file, strlen(file)) < 0)
		return 1;
	close(fd);

	/* the floor: a raw pty and cat echoing each byte back */
	int m;
	char *cat_argv[] = {"sh", "-c", "stty raw -echo; exec cat", NULL};
	pid_t cat = bench_spawn(cat_argv, 30, 120, &m);
	usleep(200000);
	bench_drain(m, 50, NULL, 0);
	double lat_cat[KEYS], cat_bytes;
	type_keys(m, 0, lat_cat, &cat_bytes);
	kill(cat, SIGKILL);
	waitpid(cat, NULL, 0);
	close(m);

	char *op_argv[] = {argv[1], "--replay", path, "--log", "/dev/null", NULL};
	pid_t op = bench_spawn(op_argv, 30, 120, &m);
	char screen[65536];
	size_t first = 0;
	for (int i = 0; i < 40 && first == 0; i++)
		first = bench_drain(m, 100, screen, sizeof screen);
	bench_drain(m, 300, NULL, 0);
	double lat[KEYS], bytes_per_key, lat_long[KEYS], bytes_long;
	type_keys(m, 60, lat, &bytes_per_key);
	bench_drain(m, 100, NULL, 0);
	char u = 0x15;
	if (write(m, &u, 1) != 1)
		return 1;
	bench_drain(m, 100, NULL, 0);
	type_keys(m, 0, lat_long, &bytes_long); /* 300 characters in one message: it wraps over rows */

	/* idle: nothing on screen counts time (the last word is the operator's), the queue is empty */
	bench_drain(m, 1500, NULL, 0);
	long before = bench_proc_status(op, "voluntary_ctxt_switches");
	double t = bench_now_us();
	while (bench_now_us() - t < 10e6)
		bench_drain(m, 200, NULL, 0);
	long after = bench_proc_status(op, "voluntary_ctxt_switches");
	kill(op, SIGTERM);
	waitpid(op, NULL, 0);
	close(m);
	unlink(path);

	printf("keypress to first byte drawn (%d keys typed into the composer, 120x30 pty):\n", KEYS);
	printf("  opdesk:          p50 %6.0f us   p99 %6.0f us   max %6.0f us  (target < 1000 us)\n", lat[KEYS / 2],
	       lat[KEYS * 99 / 100], lat[KEYS - 1]);
	printf("  cat in a raw pty (floor): p50 %6.0f us   p99 %6.0f us\n", lat_cat[KEYS / 2], lat_cat[KEYS * 99 / 100]);
	printf("  opdesk, a 300-character message (wrapping in the composer): p50 %6.0f us   p99 %6.0f us\n",
	       lat_long[KEYS / 2], lat_long[KEYS * 99 / 100]);
	printf("bytes written per keypress: opdesk %.1f within a line, %.1f in a 300-character message; cat %.1f "
	       "(the changed cell itself: 1 byte)\n",
	       bytes_per_key, bytes_long, cat_bytes);
	printf("  against the floor of 1 byte: %.2fx within a line (target <= 2x), %.2fx in a 300-character message\n",
	       bytes_per_key, bytes_long);
	printf("idle for 10 s with no clock on screen: %ld wakeups (target: 0, at most 1/s with a clock)\n",
	       after - before);
	return 0;
}

/* bench_replay.c: how fast the client takes in hub events, and what a message costs in memory, with no
 * terminal: a replay file of 100,000 events (4 dialogs) is loaded and checked, then played into the model
 * at full speed (each line is read from the file again and parsed as it plays, so that the player holds a
 * few bytes per event, not the file). Compared in the same run with the ceiling of just parsing the same
 * lines with jansson, once and twice, and with the raw bytes of the message texts. Prints the figures;
 * docs/benchmarks.md records them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_replayfile.h"
#include "opdesk/replay.h"

#define N_EVENTS 100000
#define N_DIALOGS 4

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(void)
{
	char path[] = "/tmp/opdesk-bench-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	size_t text_bytes = bench_write_replay(path, N_DIALOGS, N_EVENTS - 1 - N_DIALOGS, 1);

	/* the ceiling: jansson parsing every line, nothing else */
	double t = now_s();
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lines = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		json_decref(o);
		lines++;
	}
	free(line);
	fclose(f);
	double parse_s = now_s() - t;

	t = now_s();
	struct replay r;
	char err[512];
	if (replay_load(&r, path, NULL, err, sizeof err) < 0) {
		fprintf(stderr, "bench_replay: %s\n", err);
		return 1;
	}
	double load_s = now_s() - t;

	struct desk *d = desk_new("demo");
	replay_attach(&r, d, NULL, NULL, NULL);
	long rss_before = rss_kb();
	t = now_s();
	int64_t now = proto_now_ms();
	for (size_t i = 0; i < r.n; i++)
		replay_apply(&r, i, now);
	double apply_s = now_s() - t;
	long rss_after = rss_kb();
	size_t msgs = 0;
	for (size_t i = 0; i < d->n_dialogs; i++)
		msgs += d->dialogs[i]->n_msgs;

	printf("replay: %ld events (%zu messages in %d dialogs)\n", lines - 1, msgs, N_DIALOGS);
	printf("  jansson parse only, once:      %8.0f events/s\n", (double)(lines - 1) / parse_s);
	printf("  ... twice (check, then play: the ceiling): %8.0f events/s\n", (double)(lines - 1) / parse_s / 2);
	printf("  load + check every field:      %8.0f events/s\n", (double)r.n / load_s);
	printf("  play into the model:           %8.0f events/s\n", (double)r.n / apply_s);
	printf("  load + play (the headless replay): %8.0f events/s  (target >= 100000)\n",
	       (double)r.n / (load_s + apply_s));
	printf("model memory: %ld KiB for %zu messages = %.0f bytes/message (text alone: %.0f bytes/message)\n",
	       rss_after - rss_before, msgs, (double)(rss_after - rss_before) * 1024 / (double)msgs,
	       (double)text_bytes / (double)msgs);
	printf("  4 panes x 10,000 messages: %.1f MiB of model (target < 20 MiB resident for the whole client)\n",
	       (double)(rss_after - rss_before) / 1024 / (double)msgs * 40000);
	desk_free(d);
	replay_free(&r);
	unlink(path);
	return 0;
}

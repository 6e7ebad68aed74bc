/* bench_memory.c: the whole client's resident memory with 4 panes x 10,000 messages, the brief's "under
 * 20 MB". Runs the real opdesk in a 200x60 pseudo-terminal on a replay of 4 dialogs and 40,000 messages, waits
 * until the replay has finished and the screen is drawn, and reads VmRSS and VmHWM from /proc. The same client
 * on the same 4 dialogs with no messages is measured in the same run, and the bytes of message text are the
 * floor of what must be kept. Usage: bench_memory PATH-TO-opdesk */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_pty.h"
#include "bench_replayfile.h"

#define PER_DIALOG 10000
#define N_DIALOGS 4

/* Run the client on the file until its replay has finished; *rss and *hwm in KiB. */
static int measure(const char *opdesk, const char *path, long *rss, long *hwm)
{
	char *argv[] = {(char *)opdesk, "--replay", (char *)path, "--speed", "50", "--log", "/dev/null", NULL};
	int m;
	pid_t pid = bench_spawn(argv, 60, 200, &m);
	/* read until "finished" is drawn; a window of the previous read's tail catches it across two reads */
	char buf[65536 + 16];
	size_t kept = 0;
	int found = 0;
	double t = bench_now_us();
	struct pollfd p = {.fd = m, .events = POLLIN};
	while (!found && bench_now_us() - t < 60e6 && poll(&p, 1, 1000) >= 0) {
		if (!(p.revents & POLLIN))
			continue;
		ssize_t n = read(m, buf + kept, sizeof buf - kept);
		if (n <= 0)
			break;
		size_t len = kept + (size_t)n;
		found = memmem(buf, len, "finished", 8) != NULL;
		kept = len < 16 ? len : 16;
		memmove(buf, buf + len - kept, kept);
	}
	bench_drain(m, 500, NULL, 0); /* the screen is drawn; the client is idle */
	*rss = bench_proc_status(pid, "VmRSS");
	*hwm = bench_proc_status(pid, "VmHWM");
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(m);
	return found ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_memory PATH-TO-opdesk\n");
		return 2;
	}
	char empty[] = "/tmp/opdesk-mem0-XXXXXX", full[] = "/tmp/opdesk-mem-XXXXXX";
	close(mkstemp(empty));
	close(mkstemp(full));
	bench_write_replay(empty, N_DIALOGS, 0, 1000);
	size_t text_bytes = bench_write_replay(full, N_DIALOGS, (long)PER_DIALOG * N_DIALOGS, 1000);
	long rss0, hwm0, rss, hwm;
	int rc = measure(argv[1], empty, &rss0, &hwm0) | measure(argv[1], full, &rss, &hwm);
	unlink(empty);
	unlink(full);
	if (rc != 0) {
		fprintf(stderr, "bench_memory: the replay did not finish within 60 s\n");
		return 1;
	}
	printf("whole client, 4 panes x %d messages, 200x60 screen:\n", PER_DIALOG);
	printf("  resident %.1f MiB (peak %.1f MiB)  (target < 20 MiB)\n", rss / 1024.0, hwm / 1024.0);
	printf("  the same client with the 4 dialogs empty: resident %.1f MiB (peak %.1f MiB)\n", rss0 / 1024.0,
	       hwm0 / 1024.0);
	printf("  so %.0f bytes per message kept; the message text alone: %.0f bytes per message\n",
	       (double)(rss - rss0) * 1024 / (PER_DIALOG * N_DIALOGS), (double)text_bytes / (PER_DIALOG * N_DIALOGS));
	return 0;
}

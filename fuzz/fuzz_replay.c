/* fuzz_replay.c: the replay file reader (replay.h). The input is the whole file: replay_load must check it
 * without a memory error or a leak, and when it loads, every event must read back with replay_read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[] = "/tmp/fuzz_replay.XXXXXX";
static int tmp_fd = -1;

static void remove_tmp(void)
{
	unlink(tmp_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (tmp_fd < 0) {
		tmp_fd = mkstemp(tmp_path);
		if (tmp_fd < 0) {
			perror("fuzz_replay: mkstemp");
			abort();
		}
		atexit(remove_tmp);
	}
	if (ftruncate(tmp_fd, 0) != 0 || (size && pwrite(tmp_fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz_replay: write");
		abort();
	}
	struct replay r;
	char err[512];
	if (replay_load(&r, tmp_path, NULL, err, sizeof err) == 0) {
		for (size_t i = 0; i < r.n; i++) {
			struct replay_item it;
			if (replay_read(&r, i, &it, err, sizeof err) != 0) {
				/* the file did not change: an event that loaded must read back */
				fprintf(stderr, "fuzz_replay: event %zu does not read back: %s\n", i, err);
				abort();
			}
			replay_item_free(&it);
		}
		replay_free(&r);
	}
	return 0;
}

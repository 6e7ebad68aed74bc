/* bench_replayfile.h: the replay files the benchmarks play: a welcome, N dialogs assigned, then customer and
 * operator messages in Russian spread over the dialogs. */
#ifndef OPDESK_BENCH_REPLAYFILE_H
#define OPDESK_BENCH_REPLAYFILE_H

#include <stddef.h>

/* Write `n_messages` messages over `n_dialogs` dialogs, `per_ms` of them per millisecond of the replay's
 * clock; returns the bytes of message text (the floor of what a model must keep). */
size_t bench_write_replay(const char *path, int n_dialogs, long n_messages, int per_ms);

#endif

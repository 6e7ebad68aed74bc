/* replay.h: the replay transport: a JSON Lines file (docs/replay.md) of timed hub -> agent frames and
 * scripted operator commands, played into the model with no hub at all, and the recorder that writes a live
 * session in the same format. Like client_ws, the player only turns lines into model events (desk_apply)
 * and command runs; it is driven by one lws_sul timer in the client's event loop. */
#ifndef OPDESK_REPLAY_H
#define OPDESK_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libwebsockets.h>

#include "opdesk/desk.h"

#define REPLAY_FORMAT 1
#define REPLAY_MIN_SPEED 0.25
#define REPLAY_MAX_SPEED 50.0

/* An event of the file: when it plays and where its line is. The file is checked whole at load and read again
 * line by line as it plays, so that a recorded shift of any length costs 12 bytes an event, not a parsed copy
 * of the file. */
struct replay_event {
	uint32_t at;             /* ms after the start (a recording of up to 49 days) */
	uint32_t offset_lo;      /* of its line in the file: the low 32 bits ... */
	uint32_t offset_hi : 8;  /* ... and the high 8 (a file of up to 1 TiB) */
	uint32_t skipped : 24;   /* blank and comment lines before it: its line is its index + 2 + skipped */
};
#define REPLAY_MAX_AT      UINT32_MAX
#define REPLAY_MAX_OFFSET  ((UINT64_C(1) << 40) - 1)
#define REPLAY_MAX_SKIPPED ((UINT64_C(1) << 24) - 1)

/* One event read back: a frame, or a command by name (cmd.h) with an optional argument. */
struct replay_item {
	bool is_frame;
	struct proto_msg frame;
	char *cmd, *arg;
};

/* Seqs lo..hi of a dialog that frames of the file carry, the last of them at event `last`: the player's acks
 * must not take them while that event is still to come. One run for a dialog's consecutive messages, not one
 * entry a message. */
struct replay_seqrun {
	int64_t dialog, lo, hi;
	size_t last;
};

struct replay {
	char *title;
	bool monitor; /* the header's "monitor": a supervisor's session, played on the board */
	int64_t t0; /* the header's start time (ms since the epoch) that frame times are relative to, 0 if none */
	struct replay_event *ev;
	size_t n, cap, next;
	struct replay_seqrun *runs; /* sorted by dialog and lo, disjoint, none adjacent */
	size_t n_runs, cap_runs;
	FILE *f;
	char *path;
	bool (*known_cmd)(const char *name);
	char *line;
	size_t line_cap;
	/* playing */
	double speed;
	bool paused, finished;
	int64_t base_real, base_at; /* real time (ms) at which position base_at was reached */
	struct desk *desk;
	void (*run_cmd)(void *arg, const char *cmd, const char *cmd_arg);
	void *cmd_arg;
	/* Called after each timer pass that played something: lws runs timers before it polls and only returns
	 * from lws_service after the poll, so the ui draws here, not a whole poll later. */
	void (*played)(void *arg);
	struct lws_context *ctx;
	lws_sorted_usec_list_t sul;
	int64_t acked; /* synthetic server ids for the operator's own messages */
};

/* Read and check the whole file. `known_cmd` says whether a command name exists (NULL: any). Errors come
 * as "PATH:LINE: message". Returns 0, or -1 with err set. */
int replay_load(struct replay *r, const char *path, bool (*known_cmd)(const char *name), char *err, size_t errlen);
void replay_free(struct replay *r);
/* Read event i back from the file into *it (free it with replay_item_free). Returns 0, or -1 with err set
 * when the file changed under the player. */
int replay_read(struct replay *r, size_t i, struct replay_item *it, char *err, size_t errlen);
void replay_item_free(struct replay_item *it);
/* The line number of event i in the file. */
int replay_event_line(const struct replay *r, size_t i);

/* Attach to the model: becomes its transport (sends are answered locally: a message gets its ack). Commands
 * in the file go to run_cmd; played (may be NULL) is called after each pass that played something. */
void replay_attach(struct replay *r, struct desk *d, void (*run_cmd)(void *, const char *, const char *),
                   void (*played)(void *), void *arg);
/* Start playing at `speed` on the loop's context. */
void replay_start(struct replay *r, struct lws_context *ctx, double speed);
void replay_stop(struct replay *r);
void replay_pause(struct replay *r, bool paused);
/* Play the next event now (also while paused). */
void replay_step(struct replay *r);
void replay_set_speed(struct replay *r, double speed);
/* Read event i from the file and apply it to the model with its times moved to `now` (ms since the epoch).
 * Returns -1 (logged and shown) when the file changed under the player. */
int replay_apply(struct replay *r, size_t i, int64_t now);

/* The recorder: writes the header at open, then frames and commands with their time since the start. A
 * write error (a full disk) is reported once in the log and the status bar, and recording stops; the
 * session goes on. */
struct recorder;
struct recorder *recorder_open(const char *path, const char *title, bool monitor, char *err, size_t errlen);
void recorder_frame(struct recorder *rec, const char *json, size_t len);
void recorder_cmd(struct recorder *rec, const char *cmd, const char *arg);
/* Flush and fsync; returns 0, or -1 when something was lost (with err). Frees rec. */
int recorder_close(struct recorder *rec, char *err, size_t errlen);
bool recorder_failed(const struct recorder *rec);

#endif

/* recorder.c: write a live session as a replay file (see replay.h, docs/replay.md): the header, then every
 * frame from the hub and every command the operator ran, with the ms since the start. */
#include "opdesk/replay.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

struct recorder {
	FILE *f;
	char *path;
	int64_t t0;
	bool failed;
	int err; /* errno of the first failure */
};

static void recorder_check(struct recorder *rec)
{
	if (!rec->failed && ferror(rec->f)) {
		rec->failed = true;
		rec->err = errno ? errno : EIO;
		log_error("recording to %s stopped: %s", rec->path, strerror(rec->err));
	}
}

struct recorder *recorder_open(const char *path, const char *title, bool monitor, char *err, size_t errlen)
{
	FILE *f = fopen(path, "we");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct recorder *rec = xcalloc(1, sizeof *rec);
	rec->f = f;
	rec->path = xstrdup(path);
	rec->t0 = proto_now_ms();
	json_t *h = json_pack("{s:i, s:s, s:I}", "opdesk_replay", REPLAY_FORMAT, "title", title, "t0", (json_int_t)rec->t0);
	if (monitor) /* a supervisor's session plays back on the board */
		json_object_set_new(h, "monitor", json_true());
	char *line = json_dumps(h, JSON_COMPACT);
	fprintf(f, "%s\n", line);
	free(line);
	json_decref(h);
	fflush(f);
	recorder_check(rec);
	return rec;
}

static int64_t recorder_at(const struct recorder *rec)
{
	int64_t at = proto_now_ms() - rec->t0;
	return at < 0 ? 0 : at;
}

void recorder_frame(struct recorder *rec, const char *json, size_t len)
{
	if (!rec || rec->failed)
		return;
	/* the frame was decoded and checked already: it is one JSON object, written as it came */
	fprintf(rec->f, "{\"at\":%lld,\"frame\":%.*s}\n", (long long)recorder_at(rec), (int)len, json);
	fflush(rec->f);
	recorder_check(rec);
}

void recorder_cmd(struct recorder *rec, const char *cmd, const char *arg)
{
	if (!rec || rec->failed)
		return;
	json_t *o = json_pack("{s:I, s:s}", "at", (json_int_t)recorder_at(rec), "cmd", cmd);
	if (arg && *arg)
		json_object_set_new(o, "arg", json_string(arg));
	char *line = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (line)
		fprintf(rec->f, "%s\n", line);
	free(line);
	fflush(rec->f);
	recorder_check(rec);
}

bool recorder_failed(const struct recorder *rec)
{
	return rec && rec->failed;
}

int recorder_close(struct recorder *rec, char *err, size_t errlen)
{
	if (!rec)
		return 0;
	recorder_check(rec);
	if (!rec->failed && (fflush(rec->f) != 0 || fsync(fileno(rec->f)) != 0)) {
		rec->failed = true;
		rec->err = errno;
	}
	if (fclose(rec->f) != 0 && !rec->failed) {
		rec->failed = true;
		rec->err = errno;
	}
	int rc = 0;
	if (rec->failed) {
		snprintf(err, errlen, "%s: %s: the recording is incomplete", rec->path, strerror(rec->err));
		rc = -1;
	}
	free(rec->path);
	free(rec);
	return rc;
}

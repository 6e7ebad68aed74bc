/* cmd_replay.c: steering a replay: pause and resume, step to the next event, play faster or slower. */
#include "opdesk/cmd.h"

#include "opdesk/i18n.h"
#include "opdesk/replay.h"

static bool cmd_replaying(struct cmd_ctx *ctx)
{
	if (ctx->replay)
		return true;
	desk_set_error(ctx->desk, _("not replaying: start opdesk with --replay FILE"));
	return false;
}

static unsigned cmd_replay_pause_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (cmd_replaying(ctx))
		replay_pause(ctx->replay, !ctx->replay->paused);
	return 0;
}

const struct cmd_entry cmd_replay_pause_entry = {
    .name = "replay-pause",
    .group = CMD_GROUP_REPLAY,
    .usage = "",
    .help = N_("Pause or resume the replay"),
    .exec = cmd_replay_pause_exec,
};

static unsigned cmd_replay_step_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (cmd_replaying(ctx))
		replay_step(ctx->replay);
	return 0;
}

const struct cmd_entry cmd_replay_step_entry = {
    .name = "replay-step",
    .group = CMD_GROUP_REPLAY,
    .usage = "",
    .help = N_("Play the next replay event now"),
    .exec = cmd_replay_step_exec,
};

static unsigned cmd_replay_faster_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (cmd_replaying(ctx))
		replay_set_speed(ctx->replay, ctx->replay->speed * 2);
	return 0;
}

const struct cmd_entry cmd_replay_faster_entry = {
    .name = "replay-faster",
    .group = CMD_GROUP_REPLAY,
    .usage = "",
    .help = N_("Replay twice as fast"),
    .exec = cmd_replay_faster_exec,
};

static unsigned cmd_replay_slower_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	if (cmd_replaying(ctx))
		replay_set_speed(ctx->replay, ctx->replay->speed / 2);
	return 0;
}

const struct cmd_entry cmd_replay_slower_entry = {
    .name = "replay-slower",
    .group = CMD_GROUP_REPLAY,
    .usage = "",
    .help = N_("Replay half as fast"),
    .exec = cmd_replay_slower_exec,
};

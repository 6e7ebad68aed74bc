/* cmd_status.c: the operator's own availability: away (no new chats are routed) and back online; and
 * reconnecting now when the hub was lost. */
#include "opdesk/cmd.h"

#include "opdesk/i18n.h"

static unsigned cmd_away_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	enum proto_status next = desk_status_next(ctx->desk) == PROTO_ST_AWAY ? PROTO_ST_ONLINE : PROTO_ST_AWAY;
	desk_set_status(ctx->desk, next);
	return 0;
}

const struct cmd_entry cmd_away_entry = {
	.name = "away",
	.group = CMD_GROUP_DIALOG,
	.usage = "",
	.help = N_("Go away (no new chats) or come back online"),
	.exec = cmd_away_exec,
};

static unsigned cmd_reconnect_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	desk_reconnect_now(ctx->desk);
	return 0;
}

const struct cmd_entry cmd_reconnect_entry = {
	.name = "reconnect",
	.group = CMD_GROUP_DIALOG,
	.usage = "",
	.help = N_("Offline: try to reach the hub now instead of waiting"),
	.exec = cmd_reconnect_exec,
};

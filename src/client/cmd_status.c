/* cmd_status.c: the operator's own availability: away (no new chats are routed) and back online; and
 * reconnecting now when the hub was lost. */
#include "opdesk/cmd.h"

#include "opdesk/i18n.h"

static unsigned cmd_away_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	enum proto_status next = desk_status_next(ctx->desk) == PROTO_ST_AWAY ? PROTO_ST_ONLINE : PROTO_ST_AWAY;
	if (next == PROTO_ST_AWAY && desk_open_count(ctx->desk) > 0 && ctx->view->mode != DESKVIEW_CONFIRM_AWAY) {
		deskview_set_mode(ctx->view, DESKVIEW_CONFIRM_AWAY); /* asked first: its chats stay with it */
		return 0;
	}
	desk_set_status(ctx->desk, next);
	if (ctx->view->mode == DESKVIEW_CONFIRM_AWAY)
		deskview_set_mode(ctx->view, DESKVIEW_NORMAL);
	return 0;
}

const struct cmd_entry cmd_away_entry = {
	.name = "away",
	.group = CMD_GROUP_DIALOG,
	.usage = "",
	.help = N_("Go away (no new chats; asks first when chats are open) or come back online"),
	.exec = cmd_away_exec,
};

static unsigned cmd_away_now_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	desk_set_status(ctx->desk, PROTO_ST_AWAY);
	deskview_set_mode(ctx->view, DESKVIEW_NORMAL);
	return 0;
}

const struct cmd_entry cmd_away_now_entry = {
	.name = "away-now",
	.group = CMD_GROUP_DIALOG,
	.usage = "",
	.help = N_("Go away without asking"),
	.exec = cmd_away_now_exec,
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

/* cmd_files.c: the focused dialog's files (desk_files.h): save its newest file (or the one with a given
 * message number) into the download folder, open it with the desktop's opener, get a short-lived link to it,
 * and send a file from this computer to the customer. */
#include "opdesk/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/config.h"
#include "opdesk/desk_files.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

/* The focused dialog's file: the newest, or the message with seq `arg`. NULL with the reason shown. */
static const struct desk_message *cmd_files_pick(struct cmd_ctx *ctx, const char *arg, struct desk_dialog **out)
{
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (!dl) {
		desk_set_error(ctx->desk, _("no dialog in focus"));
		return NULL;
	}
	char *end;
	long long seq = *arg ? strtoll(*arg == '#' ? arg + 1 : arg, &end, 10) : 0;
	if (*arg && (*end || seq <= 0)) {
		desk_set_error(ctx->desk, _("\"%s\" is not a message number"), arg);
		return NULL;
	}
	const struct desk_message *m = desk_files_find(dl, seq);
	if (!m)
		desk_set_error(ctx->desk, seq ? _("message %lld is not a file") : _("no file in this dialog"), seq);
	*out = dl;
	return m;
}

static unsigned cmd_files_do(struct cmd_ctx *ctx, const char *arg, enum desk_file_action a)
{
	struct desk_dialog *dl = NULL;
	const struct desk_message *m = cmd_files_pick(ctx, arg, &dl);
	if (m && desk_files_act(ctx->desk, dl, m, a) == 0)
		desk_info(ctx->desk, a == DESK_FILE_LINK ? _("asking the hub for a link…") : _("fetching the file…"));
	return CMD_HANDLED;
}

static unsigned cmd_file_save_exec(struct cmd_ctx *ctx, const char *arg)
{
	return cmd_files_do(ctx, arg, DESK_FILE_SAVE);
}

static unsigned cmd_file_open_exec(struct cmd_ctx *ctx, const char *arg)
{
	return cmd_files_do(ctx, arg, DESK_FILE_OPEN);
}

static unsigned cmd_file_link_exec(struct cmd_ctx *ctx, const char *arg)
{
	return cmd_files_do(ctx, arg, DESK_FILE_LINK);
}

static unsigned cmd_file_send_exec(struct cmd_ctx *ctx, const char *arg)
{
	if (!*arg) /* which file: the prompt asks */
		return cmd_run(ctx, "prompt", "file-send ");
	struct desk_dialog *dl = deskview_focused(ctx->view);
	if (!dl) {
		desk_set_error(ctx->desk, _("no dialog in focus"));
		return CMD_HANDLED;
	}
	char *path = config_expand_home(arg);
	if (desk_files_send(ctx->desk, dl, path) == 0)
		desk_info(ctx->desk, _("sending %s…"), path);
	free(path);
	return CMD_HANDLED;
}

const struct cmd_entry cmd_file_save_entry = {
    .name = "file-save",
    .group = CMD_GROUP_DIALOG,
    .usage = "[MESSAGE]",
    .help = N_("Save the focused dialog's newest file (or message MESSAGE's) into the download folder"),
    .exec = cmd_file_save_exec,
};

const struct cmd_entry cmd_file_open_entry = {
    .name = "file-open",
    .group = CMD_GROUP_DIALOG,
    .usage = "[MESSAGE]",
    .help = N_("Save the focused dialog's newest file and open it (a local desktop session only)"),
    .exec = cmd_file_open_exec,
};

const struct cmd_entry cmd_file_link_entry = {
    .name = "file-link",
    .group = CMD_GROUP_DIALOG,
    .usage = "[MESSAGE]",
    .help = N_("Show a short-lived link to the focused dialog's newest file"),
    .exec = cmd_file_link_exec,
};

const struct cmd_entry cmd_file_send_entry = {
    .name = "file-send",
    .group = CMD_GROUP_DIALOG,
    .usage = "PATH",
    .help = N_("Send a file (JPEG, PNG, WebP or PDF) to the focused dialog's customer"),
    .exec = cmd_file_send_exec,
};

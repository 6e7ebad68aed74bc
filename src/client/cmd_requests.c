/* cmd_requests.c: the offline requests from the keyboard: Alt-R opens their list, Up/Down move, t takes the one
 * highlighted (so that nobody else answers it), a (or Enter) opens the prompt with "answer-request ID " for the
 * answer's text, which `answer-request ID TEXT` sends; Esc leaves. */
#include "opdesk/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "opdesk/i18n.h"

static unsigned cmd_requests_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	struct deskview *v = ctx->view;
	if (v->mode == DESKVIEW_REQUESTS) {
		deskview_set_mode(v, DESKVIEW_NORMAL);
		return 0;
	}
	if (ctx->desk->n_requests == 0) {
		desk_set_error(ctx->desk, _("no offline requests are waiting"));
		return 0;
	}
	v->requests.sel = 0;
	deskview_set_mode(v, DESKVIEW_REQUESTS);
	return 0;
}

const struct cmd_entry cmd_requests_entry = {
    .name = "requests",
    .group = CMD_GROUP_DIALOG,
    .usage = "",
    .help = N_("The offline requests left while nobody was online: take one and answer it"),
    .exec = cmd_requests_exec,
};

static unsigned cmd_request_move(struct cmd_ctx *ctx, int dir)
{
	struct deskview *v = ctx->view;
	size_t n = ctx->desk->n_requests;
	if (v->mode != DESKVIEW_REQUESTS || n == 0)
		return 0;
	if (v->requests.sel >= n)
		v->requests.sel = n - 1;
	v->requests.sel = (v->requests.sel + n + (size_t)(dir < 0 ? -1 : 1)) % n;
	deskview_dirty(v, DESKVIEW_DIRTY_POPUP);
	return 0;
}

static unsigned cmd_request_up_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_request_move(ctx, -1);
}

static unsigned cmd_request_down_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	return cmd_request_move(ctx, 1);
}

const struct cmd_entry cmd_request_up_entry = {
    .name = "request-up",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the request above"),
    .exec = cmd_request_up_exec,
};

const struct cmd_entry cmd_request_down_entry = {
    .name = "request-down",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Highlight the request below"),
    .exec = cmd_request_down_exec,
};

/* The highlighted request's id, 0 when none. */
static int64_t cmd_request_selected(struct cmd_ctx *ctx)
{
	size_t i = ctx->view->requests.sel;
	return ctx->view->mode == DESKVIEW_REQUESTS && i < ctx->desk->n_requests ? ctx->desk->requests[i].id : 0;
}

static unsigned cmd_request_take_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	int64_t id = cmd_request_selected(ctx);
	if (id)
		desk_request_take(ctx->desk, id);
	return 0;
}

const struct cmd_entry cmd_request_take_entry = {
    .name = "request-take",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Take the highlighted request: nobody else answers it"),
    .exec = cmd_request_take_exec,
};

static unsigned cmd_request_answer_exec(struct cmd_ctx *ctx, const char *arg)
{
	(void)arg;
	int64_t id = cmd_request_selected(ctx);
	if (!id)
		return 0;
	char line[64];
	snprintf(line, sizeof line, "answer-request %lld ", (long long)id);
	return cmd_prompt_entry.exec(ctx, line);
}

const struct cmd_entry cmd_request_answer_entry = {
    .name = "request-answer",
    .group = CMD_GROUP_POPUP,
    .usage = "",
    .help = N_("Answer the highlighted request (type the answer, then Enter)"),
    .exec = cmd_request_answer_exec,
};

/* "ID TEXT" */
static unsigned cmd_answer_request_exec(struct cmd_ctx *ctx, const char *arg)
{
	char *end;
	long long id = strtoll(arg ? arg : "", &end, 10);
	while (end && (*end == ' ' || *end == '\t'))
		end++;
	if (id <= 0 || !end || !*end) {
		desk_set_error(ctx->desk, _("usage: answer-request ID TEXT"));
		return 0;
	}
	desk_request_answer(ctx->desk, (int64_t)id, end);
	return 0;
}

const struct cmd_entry cmd_answer_request_entry = {
    .name = "answer-request",
    .group = CMD_GROUP_DIALOG,
    .usage = "ID TEXT",
    .help = N_("Answer offline request ID with TEXT (mailed to the customer if they left an address)"),
    .exec = cmd_answer_request_exec,
};

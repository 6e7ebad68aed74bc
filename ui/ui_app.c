/* ui_app.c: wiring of the operator client: desk + deskview + keys + transport + loop + screen (+ demo). */
#include "opdesk/ui_app.h"

#include "opdesk/board.h"
#include "opdesk/ui_board.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/client_demo.h"
#include "opdesk/client_loop.h"
#include "opdesk/client_ws.h"
#include "opdesk/cmd_keys.h"
#include "opdesk/cmd_popups.h"
#include "opdesk/config.h"
#include "opdesk/desk_files.h"
#include "opdesk/drafts.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/replay.h"
#include "opdesk/theme.h"
#include "opdesk/ui_color.h"
#include "opdesk/ui_input.h"
#include "opdesk/ui_notify.h"
#include "opdesk/ui_render.h"
#include "opdesk/ui_screen.h"
#include "opdesk/xalloc.h"

struct ui_app {
	struct desk *desk;
	struct deskview view;
	struct cmd_keymap keymap;
	struct cmd_ctx ctx;
	struct ui ui;
	struct client_ws *ws;
	struct client_loop *loop;
	struct client_demo *demo;
	struct replay *replay;
	struct recorder *rec;
	struct drafts *drafts;
	size_t seen_pending; /* the operator's messages waiting for an ack, when the drafts file was last told */
	bool rec_reported;
	char *error; /* why we stop, if not by the operator's choice */
	bool keep_demo_dir;
	bool bell, alert_bell;
	int notify; /* enum config_notify */
	struct theme theme;             /* the theme the operator switched to with the theme command */
	bool have_theme;
	size_t seen_queue, seen_unread; /* what the bell last rang for */
	uint64_t seen_whispers;
	bool ring;                      /* ring once when the screen is next drawn, however many events asked */
	char *ring_why;                 /* the desktop notification's text for that ring (heap), NULL if none */
};

/* Ring when a chat joins the queue, a customer writes into a dialog the operator is not looking at, or a
 * supervisor whispers (in any pane: a whisper is meant to be noticed at once). */
static void ui_app_attention(struct ui_app *app)
{
	const struct desk *d = app->desk;
	const struct desk_dialog *focused = deskview_focused(&app->view);
	size_t unread = 0;
	for (size_t i = 0; i < d->n_dialogs; i++)
		if (d->dialogs[i] != focused)
			unread += d->dialogs[i]->unread;
	bool new_chat = d->n_queue > app->seen_queue, new_msg = unread > app->seen_unread;
	bool whisper = d->n_whispers > app->seen_whispers;
	app->seen_queue = d->n_queue;
	app->seen_unread = unread;
	app->seen_whispers = d->n_whispers;
	if (!new_chat && !new_msg && !whisper)
		return;
	if (app->bell)
		app->ring = true;
	if (app->notify == CONFIG_NOTIFY_OFF)
		return;
	free(app->ring_why);
	app->ring_why = NULL;
	if (new_chat) {
		app->ring_why = xasprintf(_("new chat: %s"), d->queue[d->n_queue - 1].customer);
	} else if (whisper) {
		app->ring_why = xstrdup(_("a supervisor whispered to you"));
	} else {
		for (size_t i = 0; i < d->n_dialogs && !app->ring_why; i++)
			if (d->dialogs[i] != focused && d->dialogs[i]->unread)
				app->ring_why = xasprintf(_("%s wrote"), d->dialogs[i]->customer);
	}
}

/* A new alert on the supervisor's board: the alert bell, and the notification with what it says. */
static void ui_app_alert(struct ui_app *app)
{
	const struct board *b = app->desk->board;
	if (!b || !b->n_alerts)
		return;
	if (app->alert_bell)
		app->ring = true;
	if (app->notify == CONFIG_NOTIFY_OFF)
		return;
	free(app->ring_why);
	const struct board_alert *a = b->alerts[0];
	const char *what = ui_board_alert_title(a);
	app->ring_why = a->customer ? xasprintf(_("alert: %s: %s"), what, a->customer) : xasprintf(_("alert: %s"), what);
}

static void ui_app_fail(struct ui_app *app, char *why)
{
	if (!app->error)
		app->error = why;
	else
		free(why);
	if (app->loop)
		client_loop_quit(app->loop);
}

static void ui_app_desk_changed(void *arg, unsigned what, int64_t dialog)
{
	struct ui_app *app = arg;
	cmd_desk_changed(&app->ctx, what, dialog);
	if (what & (DESK_CH_QUEUE | DESK_CH_DIALOG))
		ui_app_attention(app);
	if (app->drafts && (what & DESK_CH_ADDED))
		drafts_dialog_added(app->drafts, dialog);
	if (app->drafts && (what & (DESK_CH_DIALOG | DESK_CH_ADDED))) {
		/* a message sent or acknowledged changes the outbox: the file is written at once */
		size_t pending = 0;
		for (size_t i = 0; i < app->desk->n_dialogs; i++)
			pending += app->desk->dialogs[i]->n_pending;
		if (pending != app->seen_pending) {
			app->seen_pending = pending;
			drafts_touch(app->drafts, true);
		}
	}
	if (what & DESK_CH_ALERT)
		ui_app_alert(app);
	if ((what & DESK_CH_FATAL) && app->desk->fatal)
		ui_app_fail(app, xstrdup(app->desk->fatal));
}

static void ui_app_result(struct ui_app *app, unsigned res);
static void ui_app_render(void *arg);

/* A scripted command from the replay file, run as if its key had been pressed. */
static void ui_app_replay_cmd(void *arg, const char *cmd, const char *cmd_arg)
{
	struct ui_app *app = arg;
	ui_app_result(app, cmd_run(&app->ctx, cmd, cmd_arg) & ~CMD_QUIT);
}

static void ui_app_record_failed(struct ui_app *app)
{
	if (recorder_failed(app->rec) && !app->rec_reported) {
		app->rec_reported = true;
		desk_set_error(app->desk, _("recording stopped: the file cannot be written (see the log)"));
	}
}

static void ui_app_record_frame(void *arg, const struct proto_msg *m, const char *json, size_t len)
{
	struct ui_app *app = arg;
	if (m->type == PROTO_ACK)
		return; /* acks name this session's message ids; a replay acknowledges by itself */
	recorder_frame(app->rec, json, len);
	ui_app_record_failed(app);
}

static void ui_app_record_cmd(void *arg, const char *cmd, const char *cmd_arg)
{
	struct ui_app *app = arg;
	recorder_cmd(app->rec, cmd, cmd_arg);
	ui_app_record_failed(app);
}

static void ui_app_result(struct ui_app *app, unsigned res)
{
	if ((res & CMD_QUIT) || app->view.quit)
		client_loop_quit(app->loop);
	if (res & CMD_REDRAW)
		deskview_dirty(&app->view, DESKVIEW_DIRTY_ALL);
}

static void ui_app_input(void *arg)
{
	struct ui_app *app = arg;
	bool eof;
	unsigned res = ui_input_drain(&app->ui, &app->ctx, &eof);
	drafts_touch(app->drafts, false); /* a key may have changed a draft: saved within a second */
	ui_app_result(app, res);
	if (eof) {
		log_warn("the terminal hung up");
		client_loop_quit(app->loop);
	}
}

static void ui_app_signal(void *arg, const struct signalfd_siginfo *si)
{
	struct ui_app *app = arg;
	switch (si->ssi_signo) {
	case SIGWINCH:
		ui_screen_resize(&app->ui);
		break;
	case SIGINT:
		/* like F10: asks first when dialogs are open; a second Ctrl-C confirms */
		ui_app_result(app, cmd_run(&app->ctx, "quit", NULL));
		break;
	case SIGTERM:
	case SIGHUP:
		log_info("signal %u: quitting", si->ssi_signo);
		client_loop_quit(app->loop);
		break;
	case SIGCHLD: {
		desk_files_reap(app->desk);
		char *why = NULL;
		if (app->demo && client_demo_reap(app->demo, &why)) {
			app->keep_demo_dir = true;
			ui_app_fail(app, why);
		}
		break;
	}
	default:
		break;
	}
}

static void ui_app_tick(void *arg)
{
	struct ui_app *app = arg;
	ui_render_tick(&app->ui);
}

/* The theme command: the new colours at once, or why not (the old ones stay). */
static void ui_app_theme(struct ui_app *app)
{
	char name[sizeof app->view.theme_request];
	snprintf(name, sizeof name, "%s", app->view.theme_request);
	app->view.theme_request[0] = '\0';
	struct theme t;
	char *why = NULL;
	if (ui_color_load_theme(name, app->ctx.theme_dirs, &t, &why) < 0) {
		desk_set_error(app->desk, "%s", why);
		free(why);
		return;
	}
	ui_color_use_theme(&t);
	if (app->ui.active)
		ui_color_init();
	if (app->have_theme)
		theme_free(&app->theme);
	app->theme = t;
	app->have_theme = true;
	ui_color_use_theme(&app->theme);
	desk_info(app->desk, _("theme %s"), name);
	deskview_dirty(&app->view, DESKVIEW_DIRTY_ALL);
	if (app->ui.active)
		clearok(curscr, TRUE); /* every cell again, in its new colours */
}

static void ui_app_render(void *arg)
{
	struct ui_app *app = arg;
	if (app->view.theme_request[0])
		ui_app_theme(app);
	/* the bell goes out before the frame that shows why it rang: whoever sees the frame has heard the bell */
	if (app->ring && app->ui.active)
		beep();
	app->ring = false;
	ui_render_if_dirty(&app->ui);
	if (app->ring_why && app->ui.active)
		ui_notify_send(stdout, (enum config_notify)app->notify, "opdesk", app->ring_why);
	free(app->ring_why);
	app->ring_why = NULL;
	client_loop_clock(app->loop, app->ui.clock_wanted);
	client_loop_alarm(app->loop, ui_render_wake_at(&app->ui));
}

static void ui_app_cleanup(struct ui_app *app)
{
	if (app->ws)
		client_ws_stop(app->ws);
	if (app->replay)
		replay_stop(app->replay);
	drafts_close(app->drafts);
	app->drafts = NULL;
	if (app->rec) {
		char err[512];
		if (recorder_close(app->rec, err, sizeof err) < 0 && !app->error)
			app->error = xstrdup(err);
		app->rec = NULL;
	}
	ui_screen_fini(&app->ui);
	if (app->desk)
		desk_files_detach(app->desk);
	client_loop_free(app->loop);
	app->loop = NULL;
	client_ws_free(app->ws);
	app->ws = NULL;
	if (app->demo) {
		client_demo_stop(app->demo, app->keep_demo_dir);
		app->demo = NULL;
	}
	free(app->ring_why);
	app->ring_why = NULL;
	cmd_keymap_free(&app->keymap);
	if (app->have_theme) {
		ui_color_use_theme(NULL);
		theme_free(&app->theme);
		app->have_theme = false;
	}
	deskview_fini(&app->view);
	textedit_forget_kill();
	desk_free(app->desk);
	app->desk = NULL;
}

int ui_app_run(const struct ui_app_config *cfg, char **error)
{
	struct ui_app app;
	memset(&app, 0, sizeof app);
	char *cause = NULL;
	*error = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*error = xstrdup(_("opdesk needs a terminal (stdin and stdout must be a tty)"));
		return 1;
	}
	if (client_loop_block_signals(&cause) < 0) {
		*error = cause;
		return 1;
	}
	const char *url = cfg->url, *user = cfg->user, *secret = cfg->secret;
	if (cfg->demo) {
		app.demo = client_demo_start(NULL, &cause);
		if (!app.demo) {
			*error = cause;
			return 1;
		}
		url = client_demo_url(app.demo);
		user = client_demo_user(app.demo);
		secret = client_demo_secret(app.demo);
		log_info("demo in %s, hub %s", client_demo_dir(app.demo), url);
	}

	if (cfg->replay)
		user = "demo";
	app.desk = desk_new(user);
	if (cfg->n_own_canned)
		desk_set_personal_canned(app.desk, cfg->own_canned, cfg->n_own_canned);
	deskview_init(&app.view, app.desk);
	cmd_keymap_init(&app.keymap);
	for (size_t i = 0; i < cfg->n_binds; i++) {
		const struct config_binding *b = &cfg->binds[i];
		if (cmd_keymap_bind(&app.keymap, CMD_TABLE_NORMAL, cmd_key_parse(b->key), b->command, b->arg, &cause) < 0)
			goto fail; /* checked by the caller already; kept as a guard */
	}
	app.bell = cfg->bell;
	app.alert_bell = cfg->alert_bell;
	if ((cfg->monitor && !cfg->demo) || (cfg->replay && cfg->replay->monitor)) {
		desk_monitor(app.desk);
		app.view.board.shown = true;
		deskview_set_mode(&app.view, DESKVIEW_BOARD);
	}
	ui_color_use_theme(cfg->theme);
	app.ctx = (struct cmd_ctx){
	    .desk = app.desk, .view = &app.view, .replay = cfg->replay, .theme_dirs = cfg->theme_dirs};
	if (cfg->sidebar)
		cmd_run(&app.ctx, "sidebar", cfg->sidebar);
	struct desk_observer obs = {.changed = ui_app_desk_changed, .arg = &app};
	desk_set_observer(app.desk, &obs);

	if (cfg->replay) {
		app.replay = cfg->replay;
		replay_attach(app.replay, app.desk, ui_app_replay_cmd, ui_app_render, &app);
	} else {
		char err[512];
		if (cfg->record && !(app.rec = recorder_open(cfg->record, user, cfg->monitor, err, sizeof err))) {
			cause = xstrdup(err);
			goto fail;
		}
		struct client_ws_config wc = {.url = url,
		                              .user = user,
		                              .secret = secret,
		                              .role = cfg->demo ? PROTO_ROLE_OPERATOR : cfg->role,
		                              .keepalive_s = cfg->keepalive_s,
		                              .on_frame = app.rec ? ui_app_record_frame : NULL,
		                              .on_frame_arg = &app};
		app.ws = client_ws_new(app.desk, &wc, &cause);
		if (!app.ws)
			goto fail;
		/* files (desk_files.h): the hub's HTTP address, where they are saved, whether they can be opened here */
		const char *sep = strstr(url, "://"), *host = sep ? sep + 3 : url, *slash = strchr(host, '/');
		app.desk->hub_http = xasprintf("%s://%.*s", strncmp(url, "wss:", 4) == 0 ? "https" : "http",
		                               slash ? (int)(slash - host) : (int)strlen(host), host);
		app.desk->download_dir = cfg->download_dir && *cfg->download_dir ? config_expand_home(cfg->download_dir)
		                                                                 : desk_files_default_dir();
		app.desk->opener = (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")) && !getenv("SSH_CONNECTION");
		if (app.rec) {
			app.ctx.on_cmd = ui_app_record_cmd;
			app.ctx.on_cmd_arg = &app;
		}
		char *dpath = cfg->demo ? NULL : drafts_default_path(user, url);
		if (dpath)
			app.drafts = drafts_open(dpath, app.desk);
		free(dpath);
		drafts_watch_again(app.drafts); /* a supervisor's watched dialogs, asked for after the welcome */
	}
	if (ui_screen_init(&app.ui, app.desk, &app.view, &app.keymap, NULL, stdout, stdin, &cause) < 0)
		goto fail;
	app.ui.replay = app.replay;
	app.ui.clock = cfg->clock;
	app.notify = cfg->notify;
	if (cfg->sla_warn_ms > 0)
		app.ui.sla_warn_ms = cfg->sla_warn_ms;
	if (cfg->sla_late_ms > 0)
		app.ui.sla_late_ms = cfg->sla_late_ms;
	struct client_loop_ops ops = {
	    .input = ui_app_input,
	    .signal = ui_app_signal,
	    .tick = ui_app_tick,
	    .render = ui_app_render,
	    .arg = &app,
	};
	int in = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
	struct client_loop_tls tls = {.on = app.ws && client_ws_tls(app.ws), .ca_file = cfg->ca_file};
	app.loop = client_loop_new(&ops, app.ws ? client_ws_protocol(app.ws) : NULL, &tls, in, &cause);
	if (!app.loop)
		goto fail;
	if (app.replay) {
		replay_start(app.replay, client_loop_context(app.loop), cfg->speed > 0 ? cfg->speed : 1);
		log_info("replaying \"%s\" (%zu events)", app.replay->title, app.replay->n);
	} else {
		drafts_attach(app.drafts, client_loop_context(app.loop));
		client_ws_start(app.ws, client_loop_context(app.loop));
		log_info("running as %s against %s", user, url);
	}
	if (client_loop_run(app.loop) < 0 && !app.error)
		app.error = xstrdup(_("the event loop failed"));
	if (app.desk->fatal && !app.error)
		app.error = xstrdup(app.desk->fatal);
	ui_app_cleanup(&app);
	if (app.error) {
		*error = app.error;
		return 1;
	}
	return 0;
fail:
	app.keep_demo_dir = false;
	ui_app_cleanup(&app);
	free(app.error);
	*error = cause;
	return 1;
}

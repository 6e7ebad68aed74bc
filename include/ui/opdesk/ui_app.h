/* ui_app.h: the operator client put together: model, view state, key table, transport, event loop, curses
 * screen, and the --demo children. opdesk_main.c parses the command line and calls ui_app_run(). */
#ifndef OPDESK_UI_APP_H
#define OPDESK_UI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "opdesk/proto.h"

struct theme;
struct config_binding;
struct replay;

struct ui_app_config {
	const char *url;    /* ignored with demo */
	const char *user;   /* ignored with demo */
	const char *secret; /* ignored with demo */
	enum proto_role role; /* the account's role (operator unless told), ignored with demo */
	bool demo;
	bool monitor;       /* supervisor's monitor mode: the board (ignored with demo) */
	bool alert_bell;    /* ring on a new alert on the board */
	const struct theme *theme;                 /* NULL: the built-in colours */
	const char *const *theme_dirs;             /* the shipped themes' folders (NULL-terminated), for `theme` */
	const struct config_binding *binds;        /* the config's [keys], already checked */
	size_t n_binds;
	int sla_warn_ms, sla_late_ms;              /* wait-time colours */
	bool bell;                                 /* ring on a new chat or a message in an unfocused pane */
	bool clock;                                /* the time of day on the status bar */
	int notify;                                /* enum config_notify: a desktop notification beside the bell */
	const char *sidebar;                       /* "left" (NULL), "right" or "hidden" */
	struct replay *replay;                     /* play this file instead of connecting (loaded, checked) */
	double speed;                              /* replay speed */
	const char *record;                        /* write the live session to this file */
	int keepalive_s;                           /* 0: the transport's default */
	const char *download_dir;                  /* where files are saved (NULL: desk_files_default_dir) */
	const char *ca_file;                       /* a private CA for wss:// (NULL: the system's CAs only) */
	const struct proto_canned *own_canned;     /* the operator's own canned replies */
	size_t n_own_canned;
};

/* Run until the operator quits. Returns 0 when they did; 1 on a fatal error, with *error (heap) holding a
 * sentence for stderr (curses has been left already). */
int ui_app_run(const struct ui_app_config *cfg, char **error);

#endif

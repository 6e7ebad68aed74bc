/* config.h: the operator client's configuration file ($XDG_CONFIG_HOME/opdesk/config, format in
 * docs/config.md), without curses: `key = value` lines, comments with '#', and a [keys] section of key
 * bindings. Command-line flags override what the file says; the file overrides the defaults. */
#ifndef OPDESK_CONFIG_H
#define OPDESK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config_binding {
	char *key;     /* "F5", "C-k", "M-1" ... (cmd_key_parse) */
	char *command; /* a command name from the command table */
	char *arg;     /* NULL if none */
	int line;
};

/* Desktop notifications beside the bell: none, OSC 9 (iTerm2, kitty, WezTerm, foot, Windows Terminal) or
 * OSC 777 (VTE terminals: GNOME Terminal, Tilix; also urxvt). */
enum config_notify { CONFIG_NOTIFY_OFF, CONFIG_NOTIFY_OSC9, CONFIG_NOTIFY_OSC777 };

struct config {
	char *path;        /* the file read, NULL if none */
	char *url, *user, *secret_file, *theme, *log_level, *sidebar;
	char *ca_file; /* a private CA for wss:// */
	char *download_dir; /* where saved files go (desk_files.h) */
	char *role;    /* "operator" (default), "supervisor" or "admin": the account's role, as stored by the hub */
	int sla_warn_s, sla_late_s; /* 0: not set */
	int sla_line;               /* the line that set the later of the two */
	int theme_line;             /* the line that named the theme */
	int bell;                   /* -1 not set, 0 off, 1 on */
	int clock;                  /* the time of day on the status bar: -1 not set (off), 0 off, 1 on */
	int monitor;                /* open the supervisor's board (--monitor): -1 not set (no), 0 no, 1 yes */
	int alert_bell;             /* ring on a new alert on the board: -1 not set (on), 0 off, 1 on */
	enum config_notify notify;
	struct config_binding *binds;
	size_t n_binds;
};

/* Defaults of the settings the file may leave out (../shared/DOMAIN.md: a first reply should come well
 * within 5 minutes; a minute without an answer deserves the operator's eye). */
#define CONFIG_SLA_WARN_S 60
#define CONFIG_SLA_LATE_S 300

void config_init(struct config *c);
void config_free(struct config *c);
/* Parse text; errors as "LINE: message" in err. */
int config_parse(struct config *c, const char *text, char *err, size_t errlen);
/* Read `path`. With must_exist false a missing file is fine (returns 0, nothing set). Errors come as
 * "PATH:LINE: message" or "PATH: strerror". */
int config_load(struct config *c, const char *path, bool must_exist, char *err, size_t errlen);
/* $XDG_CONFIG_HOME/opdesk/config, or ~/.config/opdesk/config; NULL without HOME. Caller frees. */
char *config_default_path(void);
/* "~/x" -> "$HOME/x"; anything else copied. Caller frees. */
char *config_expand_home(const char *path);

#endif

/* opdesk_main.c: the operator client's command line: options, logging, the secret, then ui_app_run(). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/ws_conn.h"
#include "opdesk/canned.h"
#include "opdesk/cmd.h"
#include "opdesk/cmd_keys.h"
#include "opdesk/config.h"
#include "opdesk/theme.h"
#include "opdesk/ui_color.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/opts.h"
#include "opdesk/proto.h"
#include "opdesk/replay.h"
#include "opdesk/ui_app.h"
#include "opdesk/secret_file.h"
#include "opdesk/xalloc.h"

#define OPDESK_DEFAULT_URL "ws://127.0.0.1:8740"

/* The shipped themes: installed, else (running from the build tree) the source tree's. */
static const char *const opdesk_theme_dirs[] = {OPDESK_THEMES_DIR, OPDESK_SOURCE_THEMES_DIR, NULL};

/* The command line, as given; what the settings file fills in comes later (opdesk_settings). */
struct opdesk_args {
	const char *url, *user, *role, *secret_file, *ca_file, *log, *log_level, *config, *replay, *record, *theme;
	const char *bell, *alert_bell;
	double speed;
	int sla_warn, sla_late, keepalive; /* 0: not given */
	bool demo, monitor;
};

static int opdesk_set_log_level(void *settings, const char *arg, char **cause)
{
	if (log_level_parse(arg) < 0) {
		*cause = xasprintf(_("bad --log-level \"%s\": use error, warn, info or debug"), arg);
		return OPTS_ERROR;
	}
	((struct opdesk_args *)settings)->log_level = arg;
	return OPTS_OK;
}

static int opdesk_set_speed(void *settings, const char *arg, char **cause)
{
	char *end;
	double speed = strtod(arg, &end);
	if (*arg == '\0' || *end || !(speed >= REPLAY_MIN_SPEED && speed <= REPLAY_MAX_SPEED)) {
		*cause = xasprintf(_("bad --speed \"%s\": use a number from 0.25 to 50"), arg);
		return OPTS_ERROR;
	}
	((struct opdesk_args *)settings)->speed = speed;
	return OPTS_OK;
}

static int opdesk_set_keepalive(void *settings, const char *arg, char **cause)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 1 || v > 3600) {
		*cause = xasprintf(_("bad --keepalive \"%s\": seconds from 1 to 3600"), arg);
		return OPTS_ERROR;
	}
	((struct opdesk_args *)settings)->keepalive = (int)v;
	return OPTS_OK;
}

static int opdesk_seconds(int *to, const char *arg, char **cause)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || v < 1 || v > 86400) {
		*cause = xasprintf(_("bad number of seconds \"%s\" (1..86400)"), arg);
		return OPTS_ERROR;
	}
	*to = (int)v;
	return OPTS_OK;
}

static int opdesk_set_sla_warn(void *settings, const char *arg, char **cause)
{
	return opdesk_seconds(&((struct opdesk_args *)settings)->sla_warn, arg, cause);
}

static int opdesk_set_sla_late(void *settings, const char *arg, char **cause)
{
	return opdesk_seconds(&((struct opdesk_args *)settings)->sla_late, arg, cause);
}

static int opdesk_set_bell(void *settings, const char *arg, char **cause)
{
	if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0) {
		*cause = xasprintf(_("bad --bell \"%s\": use on or off"), arg);
		return OPTS_ERROR;
	}
	((struct opdesk_args *)settings)->bell = arg;
	return OPTS_OK;
}

static int opdesk_set_alert_bell(void *settings, const char *arg, char **cause)
{
	if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0) {
		*cause = xasprintf(_("bad --alert-bell \"%s\": use on or off"), arg);
		return OPTS_ERROR;
	}
	((struct opdesk_args *)settings)->alert_bell = arg;
	return OPTS_OK;
}

static int opdesk_help(void *settings, const char *arg, char **cause);

static int opdesk_version(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	printf("opdesk %s\n", OPDESK_VERSION);
	return OPTS_DONE;
}

#define OPDESK_STRING(f) .kind = OPTS_STRING, .field = offsetof(struct opdesk_args, f)
#define OPDESK_CALL(fn)      .kind = OPTS_CALL, .set = fn

/* Every option of opdesk: getopt_long's and --help's (docs/opdesk.1 lists the same: tests/e2e/test_cli.c). */
static const struct opts_entry opdesk_options[] = {
    {"url", 0, N_("URL"), N_("the hub: ws://HOST:PORT, or wss://HOST:PORT for TLS (default\nws://127.0.0.1:8740); several, separated by commas, are tried in turn"),
     OPDESK_STRING(url)},
    {"ca-file", 0, N_("FILE"), N_("trust this CA (PEM) for wss:// besides the system's, e.g. a private CA"),
     OPDESK_STRING(ca_file)},
    {"user", 0, N_("NAME"), N_("operator name (default $USER)"), OPDESK_STRING(user)},
    {"role", 0, N_("ROLE"), N_("the account's role: operator (default), supervisor or admin"), OPDESK_STRING(role)},
    {"secret-file", 0, N_("FILE"),
     N_("read the secret from the first line of FILE\n(else the environment variable OPDESK_SECRET)"),
     OPDESK_STRING(secret_file)},
    {"monitor", 0, NULL,
     N_("supervisor's monitor mode: sign in as a supervisor (or with --role admin) and open the live board"),
     .kind = OPTS_TRUE, .field = offsetof(struct opdesk_args, monitor)},
    {"alert-bell", 0, N_("on|off"), N_("ring on a new alert on the board (default on)"),
     OPDESK_CALL(opdesk_set_alert_bell)},
    {"demo", 0, NULL, N_("start a private hub and simulated customers, log in as \"demo\""), .kind = OPTS_TRUE,
     .field = offsetof(struct opdesk_args, demo)},
    {"replay", 0, N_("FILE"), N_("play a recorded or scripted session (no hub needed)"), OPDESK_STRING(replay)},
    {"speed", 0, N_("X"), N_("replay speed, 0.25 to 50 (default 1)"), OPDESK_CALL(opdesk_set_speed)},
    {"record", 0, N_("FILE"), N_("write this session to FILE for --replay"), OPDESK_STRING(record)},
    {"config", 0, N_("FILE"), N_("settings file (default $XDG_CONFIG_HOME/opdesk/config)"), OPDESK_STRING(config)},
    {"theme", 0, N_("NAME|FILE"), N_("colours: default, dark, light, high-contrast, mono, or a file"),
     OPDESK_STRING(theme)},
    {"sla-warn", 0, N_("SECONDS"), N_("a customer waiting this long is shown as a warning (default 60)"),
     OPDESK_CALL(opdesk_set_sla_warn)},
    {"sla-late", 0, N_("SECONDS"), N_("... and this long as late (default 300)"), OPDESK_CALL(opdesk_set_sla_late)},
    {"bell", 0, N_("on|off"), N_("ring on a new chat or a message in another pane (default on)"),
     OPDESK_CALL(opdesk_set_bell)},
    {"keepalive", 0, N_("SECONDS"), N_("ping a silent hub after this long, give up after twice (default 5)"),
     OPDESK_CALL(opdesk_set_keepalive)},
    {"log", 0, N_("FILE"), N_("log file (default $XDG_STATE_HOME/opdesk/opdesk.log)"), OPDESK_STRING(log)},
    {"log-level", 0, N_("LEVEL"), N_("error, warn, info (default) or debug"), OPDESK_CALL(opdesk_set_log_level)},
    {"help", 0, NULL, N_("show this help and exit"), OPDESK_CALL(opdesk_help)},
    {"version", 0, NULL, N_("show the version and exit"), OPDESK_CALL(opdesk_version)},
    {NULL, 0, NULL, NULL, 0, 0, NULL},
};

static const struct opts_table opdesk_opts = {
    .entries = opdesk_options,
    .help_column = 25,
    .missing = N_("option %s needs an argument"),
    .unknown = N_("unknown option %s"),
};

static int opdesk_help(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	fputs(_("Usage: opdesk [OPTION]...\n"
	        "The operator's workstation: answer customers' chats routed by opdesk-hub.\n"
	        "\n"),
	      stdout);
	opts_print_help(stdout, &opdesk_opts);
	fputs(_("\n"
	        "Keys: F2 take the next chat, F3 away/online, Enter send, Tab next dialog, Alt-1..4 focus,\n"
	        "F8 close the dialog (wrap-up topic), PgUp/PgDn scroll, F1 all keys, F10 quit.\n"),
	      stdout);
	return OPTS_DONE;
}

static bool cmd_exists(const char *name)
{
	return cmd_find(name) != NULL;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("opdesk: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(_("Try 'opdesk --help' for more information.\n"), stderr);
	return 2;
}

/* mkdir -p for the log file's directory (mode 0700 for new directories). */
static void mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	mkdir(p, 0700);
	free(p);
}

static char *default_log_path(void)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *dir;
	if (state && *state == '/')
		dir = xasprintf("%s/opdesk", state);
	else if (home && *home)
		dir = xasprintf("%s/.local/state/opdesk", home);
	else
		return NULL;
	mkdirs(dir);
	char *path = xasprintf("%s/opdesk.log", dir);
	free(dir);
	return path;
}

/* Everything main keeps for the whole run: static, so that it stays reachable on an early return too. */
static struct opdesk_run {
	struct opdesk_args args;
	struct config conf;
	int level;
	struct theme theme;
	bool have_theme;
	struct proto_canned *own;
	size_t n_own;
	struct replay replay;
	struct ui_app_config cfg;
	char *secret;
} run;

/* The options that exclude each other. Returns an exit code, or -1 to go on. */
static int opdesk_check_combinations(const struct opdesk_args *a)
{
	if (a->replay && (a->demo || a->record || a->url || a->user || a->secret_file))
		return usage_error("%s", _("--replay plays a file without a hub: do not combine it with --demo, --record, "
		                           "--url, --user or --secret-file"));
	if (a->demo && (a->url || a->user || a->secret_file))
		return usage_error("%s", _("--demo makes its own hub and user: do not combine it with --url, "
		                           "--user or --secret-file"));
	if (a->monitor && a->demo)
		return usage_error("%s", _("--demo is an operator's demo: for the supervisor's, play "
		                           "demos/supervisor-shift.en.jsonl with --replay"));
	if (a->role && (a->demo || a->replay))
		return usage_error("%s", _("--role is the role to sign in to a hub with: not with --demo or --replay"));
	return -1;
}

/* The settings file, under the flags: what a flag did not say, the file says. Returns an exit code, or -1. */
static int opdesk_settings(struct opdesk_run *r)
{
	struct opdesk_args *a = &r->args;
	config_init(&r->conf);
	char err[640];
	char *defconf = a->config ? NULL : config_default_path();
	if ((a->config || defconf) &&
	    config_load(&r->conf, a->config ? a->config : defconf, a->config != NULL, err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		free(defconf);
		config_free(&r->conf);
		return 2;
	}
	free(defconf);
	if (!a->demo && !a->replay) {
		a->url = a->url ? a->url : r->conf.url;
		a->user = a->user ? a->user : r->conf.user;
		a->role = a->role ? a->role : r->conf.role;
		a->secret_file = a->secret_file ? a->secret_file : r->conf.secret_file;
		a->ca_file = a->ca_file ? a->ca_file : r->conf.ca_file;
		a->monitor = a->monitor || r->conf.monitor == 1;
	}
	a->log_level = a->log_level ? a->log_level : r->conf.log_level;
	r->level = LOG_INFO;
	if (a->log_level && (r->level = log_level_parse(a->log_level)) < 0) {
		fprintf(stderr, _("opdesk: %s: bad log-level \"%s\": use error, warn, info or debug\n"), r->conf.path,
		        a->log_level);
		config_free(&r->conf);
		return 2;
	}
	a->sla_warn = a->sla_warn ? a->sla_warn : r->conf.sla_warn_s ? r->conf.sla_warn_s : CONFIG_SLA_WARN_S;
	a->sla_late = a->sla_late ? a->sla_late : r->conf.sla_late_s ? r->conf.sla_late_s : CONFIG_SLA_LATE_S;
	if (a->sla_warn >= a->sla_late) {
		config_free(&r->conf);
		return usage_error("%s", _("the warning wait (--sla-warn) must be shorter than the late one (--sla-late)"));
	}
	return -1;
}

/* The key bindings and the theme are checked before the screen changes. Returns an exit code, or -1. */
static int opdesk_keys_and_theme(struct opdesk_run *r)
{
	const struct config *conf = &r->conf;
	struct cmd_keymap probe;
	cmd_keymap_init(&probe);
	for (size_t i = 0; i < conf->n_binds; i++) {
		char *why = NULL;
		int key = cmd_key_parse(conf->binds[i].key);
		if (key < 0)
			why = xasprintf(_("unknown key name \"%s\""), conf->binds[i].key);
		else
			cmd_keymap_bind(&probe, CMD_TABLE_NORMAL, key, conf->binds[i].command, conf->binds[i].arg, &why);
		if (why) {
			fprintf(stderr, "opdesk: %s:%d: %s\n", conf->path, conf->binds[i].line, why);
			free(why);
			cmd_keymap_free(&probe);
			config_free(&r->conf);
			return 2;
		}
	}
	cmd_keymap_free(&probe);
	/* a theme the settings file names is reported at its line there, as every other error in it */
	const char *theme_name = r->args.theme;
	char *where = !theme_name && conf->theme ? xasprintf("%s:%d: ", conf->path, conf->theme_line) : xstrdup("");
	theme_name = theme_name ? theme_name : conf->theme;
	if (theme_name) {
		char *why = NULL;
		if (ui_color_load_theme(theme_name, opdesk_theme_dirs, &r->theme, &why) < 0) {
			fprintf(stderr, "opdesk: %s%s\n", where, why);
			free(why);
			free(where);
			config_free(&r->conf);
			return 2;
		}
		r->have_theme = true;
	}
	free(where);
	return -1;
}

/* The operator's own canned replies and the replay file. Returns an exit code, or -1. */
static int opdesk_files(struct opdesk_run *r)
{
	char err[640];
	char *own_path = canned_default_path();
	if (own_path && canned_load_file(own_path, false, &r->own, &r->n_own, err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		free(own_path);
		return 2;
	}
	free(own_path);
	if (r->args.replay && replay_load(&r->replay, r->args.replay, cmd_exists, err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		return 2;
	}
	return -1;
}

/* The secret: from --secret-file, else $OPDESK_SECRET. Returns an exit code, or -1 with r->secret set. */
static int opdesk_secret(struct opdesk_run *r)
{
	char *cause = NULL;
	if (r->args.secret_file) {
		r->secret = secret_file_read("opdesk", r->args.secret_file, &cause);
		if (!r->secret) {
			fprintf(stderr, "opdesk: %s\n", cause);
			free(cause);
			return 1;
		}
	} else if (getenv("OPDESK_SECRET") && *getenv("OPDESK_SECRET")) {
		r->secret = xstrdup(getenv("OPDESK_SECRET"));
	} else {
		return usage_error("%s", _("no secret: use --secret-file FILE or set OPDESK_SECRET "
		                           "(or try --demo)"));
	}
	if (strlen(r->secret) > PROTO_MAX_SECRET) {
		free(r->secret);
		r->secret = NULL;
		return usage_error("%s", _("the secret is too long"));
	}
	return -1;
}

/* Signing in to a hub: its URL (and CA), the role, the user name and the secret. Returns an exit code, or -1. */
static int opdesk_hub(struct opdesk_run *r)
{
	const struct opdesk_args *a = &r->args;
	struct ui_app_config *cfg = &r->cfg;
	char *cause = NULL;
	cfg->url = a->url ? a->url : OPDESK_DEFAULT_URL;
	struct ws_conn_urls urls;
	if (ws_conn_urls_parse(cfg->url, &urls, &cause) < 0) {
		int rc = usage_error("%s", cause);
		free(cause);
		return rc;
	}
	bool tls = urls.tls;
	ws_conn_urls_free(&urls);
	FILE *ca = tls && a->ca_file ? fopen(a->ca_file, "re") : NULL;
	if (tls && a->ca_file && !ca) {
		fprintf(stderr, _("opdesk: --ca-file %s: %s\n"), a->ca_file, strerror(errno));
		return 2;
	}
	if (ca)
		fclose(ca);
	int role = a->role ? proto_role_parse(a->role) : a->monitor ? PROTO_ROLE_SUPERVISOR : PROTO_ROLE_OPERATOR;
	if (role < 0)
		return usage_error(_("role \"%s\": expected operator, supervisor or admin"), a->role);
	if (a->monitor && role == PROTO_ROLE_OPERATOR)
		return usage_error("%s", _("--monitor is for supervisors and admins: not with --role operator"));
	cfg->monitor = a->monitor;
	cfg->role = (enum proto_role)role;
	cfg->user = a->user ? a->user : getenv("USER");
	if (!cfg->user || !*cfg->user)
		return usage_error("%s", _("no user name: use --user NAME"));
	if (strlen(cfg->user) > PROTO_MAX_NAME)
		return usage_error(_("the user name \"%s\" is too long"), cfg->user);
	int rc = opdesk_secret(r);
	cfg->secret = r->secret;
	return rc;
}

/* Everything before the screen: the command line, the settings file, keys, theme, files, the hub. Returns
 * an exit code, or -1 with run.cfg ready. */
static int opdesk_prepare(int argc, char **argv)
{
	struct opdesk_args *a = &run.args;
	a->speed = 1;
	char *cause = NULL;
	int rc = opts_parse(&opdesk_opts, argc, argv, a, &cause);
	if (rc == OPTS_DONE)
		return 0;
	if (rc == OPTS_ERROR) {
		rc = usage_error("%s", cause);
		free(cause);
		return rc;
	}
	if (optind < argc)
		return usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if ((rc = opdesk_check_combinations(a)) >= 0 || (rc = opdesk_settings(&run)) >= 0 ||
	    (rc = opdesk_keys_and_theme(&run)) >= 0 || (rc = opdesk_files(&run)) >= 0)
		return rc;
	run.cfg = (struct ui_app_config){
	    .demo = a->demo,
	    .theme = run.have_theme ? &run.theme : NULL,
	    .theme_dirs = opdesk_theme_dirs,
	    .binds = run.conf.binds,
	    .n_binds = run.conf.n_binds,
	    .sla_warn_ms = a->sla_warn * 1000,
	    .sla_late_ms = a->sla_late * 1000,
	    .bell = a->bell ? strcmp(a->bell, "on") == 0 : run.conf.bell != 0,
	    .clock = run.conf.clock == 1,
	    .alert_bell = a->alert_bell ? strcmp(a->alert_bell, "on") == 0 : run.conf.alert_bell != 0,
	    .notify = run.conf.notify,
	    .sidebar = run.conf.sidebar,
	    .replay = a->replay ? &run.replay : NULL,
	    .speed = a->speed,
	    .record = a->record,
	    .keepalive_s = a->keepalive,
	    .ca_file = a->ca_file,
	    .download_dir = run.conf.download_dir,
	    .own_canned = run.own,
	    .n_own_canned = run.n_own,
	};
	return !a->demo && !a->replay ? opdesk_hub(&run) : -1;
}

int main(int argc, char **argv)
{
	i18n_init();
	int rc = opdesk_prepare(argc, argv);
	if (rc >= 0)
		return rc;
	char *deflog = NULL;
	const char *log_path = run.args.log ? run.args.log : (deflog = default_log_path());
	FILE *logf = log_path ? fopen(log_path, "ae") : NULL;
	if (log_path && !logf && !deflog) {
		/* an explicit --log must work; the default place is best effort */
		fprintf(stderr, "opdesk: %s: %s\n", log_path, strerror(errno));
		free(run.secret);
		return 1;
	}
	if (logf)
		setvbuf(logf, NULL, _IOLBF, 0);
	log_init("opdesk", logf, (enum log_level)run.level);
	log_info("opdesk %s starting", OPDESK_VERSION);

	char *error = NULL;
	rc = ui_app_run(&run.cfg, &error);
	if (run.secret) {
		explicit_bzero(run.secret, strlen(run.secret));
		free(run.secret);
	}
	if (rc != 0) {
		fprintf(stderr, "opdesk: %s\n", error ? error : _("failed"));
		log_error("%s", error ? error : "failed");
	}
	free(error);
	theme_free(&run.theme);
	config_free(&run.conf);
	replay_free(&run.replay);
	for (size_t i = 0; i < run.n_own; i++)
		proto_canned_free(&run.own[i]);
	free(run.own);
	log_info("exit %d", rc);
	log_init("opdesk", NULL, LOG_ERROR);
	if (logf)
		fclose(logf);
	free(deflog);
	return rc;
}

/* opdesk_main.c: the operator client's command line: options, logging, the secret, then ui_app_run(). */
#include <errno.h>
#include <getopt.h>
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
#include "opdesk/proto.h"
#include "opdesk/replay.h"
#include "opdesk/ui_app.h"
#include "opdesk/secret_file.h"
#include "opdesk/xalloc.h"

#define OPDESK_DEFAULT_URL "ws://127.0.0.1:8740"

/* The shipped themes: installed, else (running from the build tree) the source tree's. */
static const char *const opdesk_theme_dirs[] = {OPDESK_THEMES_DIR, OPDESK_SOURCE_THEMES_DIR, NULL};

static void usage(FILE *out)
{
	fprintf(out,
	        _("Usage: opdesk [OPTION]...\n"
	          "The operator's workstation: answer customers' chats routed by opdesk-hub.\n"
	          "\n"
	          "  --url URL              the hub: ws://HOST:PORT, or wss://HOST:PORT for TLS (default %s)\n"
	          "  --ca-file FILE         trust this CA (PEM) for wss:// besides the system's, e.g. a private CA\n"
	          "  --user NAME            operator name (default $USER)\n"
	          "  --role ROLE            the account's role: operator (default), supervisor or admin\n"
	          "  --secret-file FILE     read the secret from the first line of FILE\n"
	          "                         (else the environment variable OPDESK_SECRET)\n"
	          "  --demo                 start a private hub and simulated customers, log in as \"demo\"\n"
	          "  --replay FILE          play a recorded or scripted session (no hub needed)\n"
	          "  --speed X              replay speed, 0.25 to 50 (default 1)\n"
	          "  --record FILE          write this session to FILE for --replay\n"
	          "  --config FILE          settings file (default $XDG_CONFIG_HOME/opdesk/config)\n"
	          "  --theme NAME|FILE      colours: default, dark, light, high-contrast, mono, or a file\n"
	          "  --sla-warn SECONDS     a customer waiting this long is shown as a warning (default 60)\n"
	          "  --sla-late SECONDS     ... and this long as late (default 300)\n"
	          "  --bell on|off          ring on a new chat or a message in another pane (default on)\n"
	          "  --keepalive SECONDS    ping a silent hub after this long, give up after twice (default 5)\n"
	          "  --log FILE             log file (default $XDG_STATE_HOME/opdesk/opdesk.log)\n"
	          "  --log-level LEVEL      error, warn, info (default) or debug\n"
	          "  --help                 show this help and exit\n"
	          "  --version              show the version and exit\n"
	          "\n"
	          "Keys: F2 take the next chat, F3 away/online, Enter send, Tab next dialog, Alt-1..4 focus,\n"
	          "F8 close the dialog (wrap-up topic), PgUp/PgDn scroll, F1 all keys, F10 quit.\n"),
	        OPDESK_DEFAULT_URL);
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

int main(int argc, char **argv)
{
	i18n_init();
	enum {
		OPT_URL = 256,
		OPT_USER,
		OPT_ROLE,
		OPT_SECRET_FILE,
		OPT_DEMO,
		OPT_LOG,
		OPT_LOG_LEVEL,
		OPT_CONFIG,
		OPT_REPLAY,
		OPT_SPEED,
		OPT_RECORD,
		OPT_THEME,
		OPT_SLA_WARN,
		OPT_SLA_LATE,
		OPT_BELL,
		OPT_KEEPALIVE,
		OPT_CA_FILE,
		OPT_HELP,
		OPT_VERSION
	};
	static const struct option opts[] = {
	    {"url", required_argument, NULL, OPT_URL},
	    {"user", required_argument, NULL, OPT_USER},
	    {"role", required_argument, NULL, OPT_ROLE},
	    {"secret-file", required_argument, NULL, OPT_SECRET_FILE},
	    {"demo", no_argument, NULL, OPT_DEMO},
	    {"log", required_argument, NULL, OPT_LOG},
	    {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"replay", required_argument, NULL, OPT_REPLAY},
	    {"speed", required_argument, NULL, OPT_SPEED},
	    {"record", required_argument, NULL, OPT_RECORD},
	    {"theme", required_argument, NULL, OPT_THEME},
	    {"sla-warn", required_argument, NULL, OPT_SLA_WARN},
	    {"sla-late", required_argument, NULL, OPT_SLA_LATE},
	    {"bell", required_argument, NULL, OPT_BELL},
	    {"keepalive", required_argument, NULL, OPT_KEEPALIVE},
	    {"ca-file", required_argument, NULL, OPT_CA_FILE},
	    {"help", no_argument, NULL, OPT_HELP},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	const char *url = NULL, *user = NULL, *secret_file = NULL, *log_path = NULL, *config_path = NULL;
	const char *role_name = NULL;
	const char *ca_file = NULL;
	const char *theme_name = NULL, *bell = NULL, *level_name = NULL;
	int sla_warn = 0, sla_late = 0, keepalive = 0;
	const char *replay_path = NULL, *record_path = NULL;
	double speed = 1;
	bool demo = false;
	int level = LOG_INFO;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_URL:
			url = optarg;
			break;
		case OPT_USER:
			user = optarg;
			break;
		case OPT_ROLE:
			role_name = optarg;
			break;
		case OPT_SECRET_FILE:
			secret_file = optarg;
			break;
		case OPT_CA_FILE:
			ca_file = optarg;
			break;
		case OPT_DEMO:
			demo = true;
			break;
		case OPT_LOG:
			log_path = optarg;
			break;
		case OPT_LOG_LEVEL:
			if (log_level_parse(optarg) < 0)
				return usage_error(
				    _("bad --log-level \"%s\": use error, warn, info or debug"), optarg);
			level_name = optarg;
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_REPLAY:
			replay_path = optarg;
			break;
		case OPT_RECORD:
			record_path = optarg;
			break;
		case OPT_SPEED: {
			char *end;
			speed = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(speed >= REPLAY_MIN_SPEED && speed <= REPLAY_MAX_SPEED))
				return usage_error(_("bad --speed \"%s\": use a number from 0.25 to 50"), optarg);
			break;
		}
		case OPT_THEME:
			theme_name = optarg;
			break;
		case OPT_KEEPALIVE: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 3600)
				return usage_error(_("bad --keepalive \"%s\": seconds from 1 to 3600"), optarg);
			keepalive = (int)v;
			break;
		}
		case OPT_SLA_WARN:
		case OPT_SLA_LATE: {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 || v > 86400)
				return usage_error(_("bad number of seconds \"%s\" (1..86400)"), optarg);
			*(c == OPT_SLA_WARN ? &sla_warn : &sla_late) = (int)v;
			break;
		}
		case OPT_BELL:
			if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0)
				return usage_error(_("bad --bell \"%s\": use on or off"), optarg);
			bell = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("opdesk %s\n", OPDESK_VERSION);
			return 0;
		case ':':
			return usage_error(_("option %s needs an argument"), argv[optind - 1]);
		default:
			return usage_error(_("unknown option %s"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error(_("unexpected argument \"%s\""), argv[optind]);
	if (replay_path && (demo || record_path || url || user || secret_file))
		return usage_error("%s", _("--replay plays a file without a hub: do not combine it with --demo, --record, "
		                           "--url, --user or --secret-file"));
	if (demo && (url || user || secret_file))
		return usage_error("%s", _("--demo makes its own hub and user: do not combine it with --url, "
		                           "--user or --secret-file"));
	if (role_name && (demo || replay_path))
		return usage_error("%s", _("--role is the role to sign in to a hub with: not with --demo or --replay"));

	/* the settings file, under the flags */
	/* static: what main keeps for the whole run stays reachable, also on an early return */
	static struct config conf;
	config_init(&conf);
	char err[640];
	char *defconf = config_path ? NULL : config_default_path();
	if ((config_path || defconf) && config_load(&conf, config_path ? config_path : defconf, config_path != NULL,
	                                            err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		free(defconf);
		config_free(&conf);
		return 2;
	}
	free(defconf);
	if (!demo && !replay_path) {
		url = url ? url : conf.url;
		user = user ? user : conf.user;
		role_name = role_name ? role_name : conf.role;
		secret_file = secret_file ? secret_file : conf.secret_file;
		ca_file = ca_file ? ca_file : conf.ca_file;
	}
	level_name = level_name ? level_name : conf.log_level;
	if (level_name && (level = log_level_parse(level_name)) < 0) {
		fprintf(stderr, _("opdesk: %s: bad log-level \"%s\": use error, warn, info or debug\n"), conf.path,
		        level_name);
		config_free(&conf);
		return 2;
	}
	sla_warn = sla_warn ? sla_warn : conf.sla_warn_s ? conf.sla_warn_s : CONFIG_SLA_WARN_S;
	sla_late = sla_late ? sla_late : conf.sla_late_s ? conf.sla_late_s : CONFIG_SLA_LATE_S;
	if (sla_warn >= sla_late) {
		config_free(&conf);
		return usage_error("%s", _("the warning wait (--sla-warn) must be shorter than the late one (--sla-late)"));
	}
	/* the key bindings and the theme are checked before the screen changes */
	struct cmd_keymap probe;
	cmd_keymap_init(&probe);
	for (size_t i = 0; i < conf.n_binds; i++) {
		char *why = NULL;
		int key = cmd_key_parse(conf.binds[i].key);
		if (key < 0)
			why = xasprintf(_("unknown key name \"%s\""), conf.binds[i].key);
		else
			cmd_keymap_bind(&probe, CMD_TABLE_NORMAL, key, conf.binds[i].command, conf.binds[i].arg, &why);
		if (why) {
			fprintf(stderr, "opdesk: %s:%d: %s\n", conf.path, conf.binds[i].line, why);
			free(why);
			cmd_keymap_free(&probe);
			config_free(&conf);
			return 2;
		}
	}
	cmd_keymap_free(&probe);
	static struct theme theme;
	bool have_theme = false;
	/* a theme the settings file names is reported at its line there, as every other error in it */
	char *where = !theme_name && conf.theme ? xasprintf("%s:%d: ", conf.path, conf.theme_line) : xstrdup("");
	theme_name = theme_name ? theme_name : conf.theme;
	if (theme_name) {
		char *why = NULL;
		if (ui_color_load_theme(theme_name, opdesk_theme_dirs, &theme, &why) < 0) {
			fprintf(stderr, "opdesk: %s%s\n", where, why);
			free(why);
			free(where);
			config_free(&conf);
			return 2;
		}
		have_theme = true;
	}
	free(where);

	static struct proto_canned *own;
	static size_t n_own;
	char *own_path = canned_default_path();
	if (own_path && canned_load_file(own_path, false, &own, &n_own, err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		free(own_path);
		return 2;
	}
	free(own_path);

	static struct replay replay;
	if (replay_path && replay_load(&replay, replay_path, cmd_exists, err, sizeof err) < 0) {
		fprintf(stderr, "opdesk: %s\n", err);
		return 2;
	}

	struct ui_app_config cfg = {
	    .demo = demo,
	    .theme = have_theme ? &theme : NULL,
	    .theme_dirs = opdesk_theme_dirs,
	    .binds = conf.binds,
	    .n_binds = conf.n_binds,
	    .sla_warn_ms = sla_warn * 1000,
	    .sla_late_ms = sla_late * 1000,
	    .bell = bell ? strcmp(bell, "on") == 0 : conf.bell != 0,
	    .clock = conf.clock == 1,
	    .notify = conf.notify,
	    .sidebar = conf.sidebar,
	    .replay = replay_path ? &replay : NULL,
	    .speed = speed,
	    .record = record_path,
	    .keepalive_s = keepalive,
	    .ca_file = ca_file,
	    .own_canned = own,
	    .n_own_canned = n_own,
	};
	char *secret = NULL, *cause = NULL;
	if (!demo && !replay_path) {
		cfg.url = url ? url : OPDESK_DEFAULT_URL;
		char *host, *path;
		int port;
		bool tls;
		if (ws_conn_parse_url(cfg.url, &host, &port, &path, &tls, &cause) < 0) {
			int rc = usage_error("%s", cause);
			free(cause);
			return rc;
		}
		free(host);
		free(path);
		FILE *ca = tls && ca_file ? fopen(ca_file, "re") : NULL;
		if (tls && ca_file && !ca) {
			fprintf(stderr, _("opdesk: --ca-file %s: %s\n"), ca_file, strerror(errno));
			return 2;
		}
		if (ca)
			fclose(ca);
		int role = role_name ? proto_role_parse(role_name) : PROTO_ROLE_OPERATOR;
		if (role < 0)
			return usage_error(_("role \"%s\": expected operator, supervisor or admin"), role_name);
		cfg.role = (enum proto_role)role;
		cfg.user = user ? user : getenv("USER");
		if (!cfg.user || !*cfg.user)
			return usage_error("%s", _("no user name: use --user NAME"));
		if (strlen(cfg.user) > PROTO_MAX_NAME)
			return usage_error(_("the user name \"%s\" is too long"), cfg.user);
		if (secret_file) {
			secret = secret_file_read("opdesk", secret_file, &cause);
			if (!secret) {
				fprintf(stderr, "opdesk: %s\n", cause);
				free(cause);
				return 1;
			}
		} else if (getenv("OPDESK_SECRET") && *getenv("OPDESK_SECRET")) {
			secret = xstrdup(getenv("OPDESK_SECRET"));
		} else {
			return usage_error("%s", _("no secret: use --secret-file FILE or set OPDESK_SECRET "
			                           "(or try --demo)"));
		}
		if (strlen(secret) > PROTO_MAX_SECRET) {
			free(secret);
			return usage_error("%s", _("the secret is too long"));
		}
		cfg.secret = secret;
	}

	char *deflog = NULL;
	if (!log_path)
		log_path = deflog = default_log_path();
	FILE *logf = log_path ? fopen(log_path, "ae") : NULL;
	if (log_path && !logf && !deflog) {
		/* an explicit --log must work; the default place is best effort */
		fprintf(stderr, "opdesk: %s: %s\n", log_path, strerror(errno));
		free(deflog);
		free(secret);
		return 1;
	}
	if (logf)
		setvbuf(logf, NULL, _IOLBF, 0);
	log_init("opdesk", logf, (enum log_level)level);
	log_info("opdesk %s starting", OPDESK_VERSION);

	char *error = NULL;
	int rc = ui_app_run(&cfg, &error);
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (rc != 0) {
		fprintf(stderr, "opdesk: %s\n", error ? error : _("failed"));
		log_error("%s", error ? error : "failed");
	}
	free(error);
	theme_free(&theme);
	config_free(&conf);
	replay_free(&replay);
	for (size_t i = 0; i < n_own; i++)
		proto_canned_free(&own[i]);
	free(own);
	log_info("exit %d", rc);
	log_init("opdesk", NULL, LOG_ERROR);
	if (logf)
		fclose(logf);
	free(deflog);
	return rc;
}

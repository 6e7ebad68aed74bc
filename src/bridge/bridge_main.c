/* bridge_main.c: opdesk-bridge's command line, then bridge_run(). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/opts.h"
#include "opdesk/secret_file.h"
#include "opdesk/xalloc.h"

static const char usage_text[] =
	"Usage: opdesk-bridge --url ws://HUB:PORT --user NAME --secret-file FILE [OPTION]...\n"
	"The reference messenger bridge: relays the customers of one messenger channel (the channel of\n"
	"the bridge account, made with `opdesk-hub bridge add NAME --channel telegram`) between a bot and\n"
	"the opdesk hub. The bot writes one JSON frame a line to stdin and reads one a line from stdout:\n"
	"\n"
	"  in:  {\"type\":\"message\",\"contact\":\"ID\",\"name\":\"NAME\",\"client_msg_id\":\"ID\",\"text\":\"...\"}\n"
	"       {\"type\":\"typing\",\"contact\":\"ID\",\"on\":true}\n"
	"       {\"type\":\"rate\",\"contact\":\"ID\",\"score\":5,\"comment\":\"...\"}\n"
	"  out: welcome, opened, ack, message, typing, closed and error frames, each with its contact\n"
	"\n"
	"A customer's first message opens a dialog, later ones join it until an operator closes it.\n"
	"Messages are sent again after a reconnect until the hub acknowledges them (it stores each\n"
	"client_msg_id once). With --state, the id of the last message written out is kept, so that\n"
	"after a restart the bridge gets what operators wrote while it was away, and nothing twice.\n"
	"It leaves when stdin ends and every message is acknowledged, or on SIGTERM/SIGINT.\n"
	"\n";

static const char usage_tail[] =
	"\n"
	"Exit status: 0 done, 1 the hub refused the sign-in or a runtime failure, 2 usage error.\n"
	"See docs/protocol.md (bridge endpoint) and docs/hub.md.\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "opdesk-bridge: %s%s%s (try --help)\n", what, arg ? " " : "", arg ? arg : "");
	return 2;
}

/* The command line: the bridge's settings, the secret's file, the log level. */
struct bridge_args {
	struct bridge_config cfg;
	const char *secret_path;
	int level;
};

static int bridge_set_log_level(void *settings, const char *arg, char **cause)
{
	int level = log_level_parse(arg);
	if (level < 0) {
		*cause = xasprintf("--log-level: expected error, warn, info or debug, not %s", arg);
		return OPTS_ERROR;
	}
	((struct bridge_args *)settings)->level = level;
	return OPTS_OK;
}

static int bridge_help(void *settings, const char *arg, char **cause);

static int bridge_version(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	puts("opdesk-bridge " OPDESK_VERSION);
	return OPTS_DONE;
}

#define BRIDGE_STRING(f) .kind = OPTS_STRING, .field = offsetof(struct bridge_args, f)
#define BRIDGE_CALL(fn)  .kind = OPTS_CALL, .set = fn

/* Every option of opdesk-bridge: getopt_long's and --help's (docs/opdesk-bridge.1 lists the same). */
static const struct opts_entry bridge_options[] = {
    {"url", 0, "URL", "the hub's WebSocket address, ws:// or wss:// (required); several,\nseparated by commas, are tried in turn", BRIDGE_STRING(cfg.url)},
    {"user", 0, "NAME", "the bridge account (required)", BRIDGE_STRING(cfg.user)},
    {"secret-file", 0, "FILE", "its secret, the first line of FILE (else $OPDESK_SECRET)",
     BRIDGE_STRING(secret_path)},
    {"state", 0, "FILE", "keep the last message id written out in FILE", BRIDGE_STRING(cfg.state_path)},
    {"ca-file", 0, "FILE", "trust this CA as well (wss://)", BRIDGE_STRING(cfg.ca_file)},
    {"log-level", 0, "LEVEL", "error, warn (default), info or debug; logs go to stderr",
     BRIDGE_CALL(bridge_set_log_level)},
    {"help", 0, NULL, "show this help and exit", BRIDGE_CALL(bridge_help)},
    {"version", 0, NULL, "show the version and exit", BRIDGE_CALL(bridge_version)},
    {NULL, 0, NULL, NULL, 0, 0, NULL},
};

static const struct opts_table bridge_opts = {
    .entries = bridge_options,
    .help_column = 23,
    .missing = "%s needs a value",
    .unknown = "unknown option %s",
};

static int bridge_help(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	fputs(usage_text, stdout);
	opts_print_help(stdout, &bridge_opts);
	fputs(usage_tail, stdout);
	return OPTS_DONE;
}

int main(int argc, char **argv)
{
	i18n_init();
	struct bridge_args a = {.level = LOG_WARN};
	struct bridge_config *cfg = &a.cfg;
	char *cause = NULL, *secret = NULL;
	int rc = opts_parse(&bridge_opts, argc, argv, &a, &cause);
	if (rc != OPTS_OK) {
		if (rc == OPTS_ERROR)
			usage_error(cause, NULL);
		free(cause);
		return rc == OPTS_DONE ? 0 : 2;
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (!cfg->url || !cfg->user)
		return usage_error("--url and --user are required", NULL);
	log_init("opdesk-bridge", stderr, (enum log_level)a.level);
	if (a.secret_path)
		secret = secret_file_read("opdesk-bridge", a.secret_path, &cause);
	else if (getenv("OPDESK_SECRET") && *getenv("OPDESK_SECRET"))
		secret = strdup(getenv("OPDESK_SECRET"));
	else
		cause = strdup("no secret: give --secret-file FILE or set OPDESK_SECRET");
	if (!secret) {
		fprintf(stderr, "opdesk-bridge: %s\n", cause);
		free(cause);
		return 2;
	}
	cfg->secret = secret;
	rc = bridge_run(cfg, &cause);
	explicit_bzero(secret, strlen(secret));
	free(secret);
	if (rc < 0) {
		fprintf(stderr, "opdesk-bridge: %s\n", cause ? cause : "failed");
		free(cause);
		return 1;
	}
	return rc;
}

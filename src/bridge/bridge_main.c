/* bridge_main.c: opdesk-bridge's command line, then bridge_run(). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/secret_file.h"

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
	"\n"
	"  --url URL            the hub's WebSocket address, ws:// or wss:// (required)\n"
	"  --user NAME          the bridge account (required)\n"
	"  --secret-file FILE   its secret, the first line of FILE (else $OPDESK_SECRET)\n"
	"  --state FILE         keep the last message id written out in FILE\n"
	"  --ca-file FILE       trust this CA as well (wss://)\n"
	"  --log-level LEVEL    error, warn (default), info or debug; logs go to stderr\n"
	"  --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 the hub refused the sign-in or a runtime failure, 2 usage error.\n"
	"See docs/protocol.md (bridge endpoint) and docs/hub.md.\n";

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "opdesk-bridge: %s%s%s (try --help)\n", what, arg ? " " : "", arg ? arg : "");
	return 2;
}

int main(int argc, char **argv)
{
	i18n_init();
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },     { "user", required_argument, NULL, 'U' },
		{ "secret-file", required_argument, NULL, 's' }, { "state", required_argument, NULL, 'S' },
		{ "ca-file", required_argument, NULL, 'c' }, { "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },	     { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct bridge_config cfg = { 0 };
	const char *secret_path = NULL;
	int level = LOG_WARN, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'u': cfg.url = optarg; break;
		case 'U': cfg.user = optarg; break;
		case 's': secret_path = optarg; break;
		case 'S': cfg.state_path = optarg; break;
		case 'c': cfg.ca_file = optarg; break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0)
				return usage_error("--log-level: expected error, warn, info or debug, not", optarg);
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'V': puts("opdesk-bridge " OPDESK_VERSION); return 0;
		case ':': return usage_error(argv[optind - 1], "needs a value");
		default: return usage_error("unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument", argv[optind]);
	if (!cfg.url || !cfg.user)
		return usage_error("--url and --user are required", NULL);
	log_init("opdesk-bridge", stderr, (enum log_level)level);
	char *cause = NULL, *secret = NULL;
	if (secret_path)
		secret = secret_file_read("opdesk-bridge", secret_path, &cause);
	else if (getenv("OPDESK_SECRET") && *getenv("OPDESK_SECRET"))
		secret = strdup(getenv("OPDESK_SECRET"));
	else
		cause = strdup("no secret: give --secret-file FILE or set OPDESK_SECRET");
	if (!secret) {
		fprintf(stderr, "opdesk-bridge: %s\n", cause);
		free(cause);
		return 2;
	}
	cfg.secret = secret;
	int rc = bridge_run(&cfg, &cause);
	explicit_bzero(secret, strlen(secret));
	free(secret);
	if (rc < 0) {
		fprintf(stderr, "opdesk-bridge: %s\n", cause ? cause : "failed");
		free(cause);
		return 1;
	}
	return rc;
}

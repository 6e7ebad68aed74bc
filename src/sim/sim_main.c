/* sim_main.c: opdesk-sim, simulated customers for demos and tests: command line, then sim_run(). */
#include "opdesk/sim.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fputs("Usage: opdesk-sim --url ws://HOST:PORT [OPTION]...\n"
	      "Simulated customers: open chats with an opdesk hub at a set rate, write like real customers of\n"
	      "an online shop (topic mix of order 60%, company 15%, product 10%, returns 10%, site 5%), answer\n"
	      "the operator after a human-like delay, and rate the dialog when it is closed.\n\n"
	      "  --url URL            the hub's WebSocket address (required)\n"
	      "  --customers N        customers chatting at the same time (default 8)\n"
	      "  --rate N             new chats per minute (default 6)\n"
	      "  --seed N             random seed; the same seed gives the same run (default: time)\n"
	      "  --think MIN-MAX      customer reply delay in ms: reading, then typing with the\n"
	      "                       typing notice on (default 2000-6000)\n"
	      "  --duration SEC       stop after SEC seconds (default 0: until SIGINT/SIGTERM)\n"
	      "  --chats N            open no more than N chats, then leave when all are done (default 0: no limit)\n"
	      "  --lang ru|en         the customers' language (default ru)\n"
	      "  --events FILE        append one JSON line per event customers see or do\n"
	      "  --log-level LEVEL    error, warn, info or debug (default warn)\n"
	      "  --help, --version\n",
	      f);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "opdesk-sim: ");
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'opdesk-sim --help'.\n", stderr);
	return 2;
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	i18n_init();
	struct sim_config cfg = {
		.customers = 8, .rate = 6, .seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
		.think_min_ms = 2000, .think_max_ms = 6000, .lang = SIM_RU,
	};
	const char *events = NULL;
	int level = LOG_WARN;
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' }, { "customers", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' }, { "seed", required_argument, NULL, 's' },
		{ "think", required_argument, NULL, 't' }, { "duration", required_argument, NULL, 'd' },
		{ "chats", required_argument, NULL, 'n' }, { "lang", required_argument, NULL, 'L' },
		{ "events", required_argument, NULL, 'e' }, { "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }, { 0 },
	};
	int o;
	long v;
	opterr = 0; /* report bad options ourselves, as "opdesk-sim: ..." */
	while ((o = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (o) {
		case 'u':
			cfg.url = optarg;
			break;
		case 'c':
			if (!parse_int(optarg, 1, 10000, &v))
				return bad("--customers %s: expected 1..10000", optarg);
			cfg.customers = (int)v;
			break;
		case 'r': {
			char *end;
			cfg.rate = strtod(optarg, &end);
			if (end == optarg || *end || !(cfg.rate > 0 && cfg.rate <= 60000))
				return bad("--rate %s: expected a number of chats per minute above 0", optarg);
			break;
		}
		case 's': {
			char *end;
			errno = 0;
			cfg.seed = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end)
				return bad("--seed %s: expected a whole number", optarg);
			break;
		}
		case 't': {
			int a, b, n = 0;
			if (sscanf(optarg, "%d-%d%n", &a, &b, &n) != 2 || optarg[n] || a < 0 || b < a || b > 600000)
				return bad("--think %s: expected MIN-MAX in milliseconds, e.g. 2000-6000", optarg);
			cfg.think_min_ms = a;
			cfg.think_max_ms = b;
			break;
		}
		case 'd':
			if (!parse_int(optarg, 0, 86400 * 365, &v))
				return bad("--duration %s: expected seconds, 0 or more", optarg);
			cfg.duration_s = (int)v;
			break;
		case 'n':
			if (!parse_int(optarg, 0, 100000000, &v))
				return bad("--chats %s: expected 0 or more", optarg);
			cfg.chats = (int)v;
			break;
		case 'L':
			if (strcmp(optarg, "ru") == 0)
				cfg.lang = SIM_RU;
			else if (strcmp(optarg, "en") == 0)
				cfg.lang = SIM_EN;
			else
				return bad("--lang %s: expected ru or en", optarg);
			break;
		case 'e':
			events = optarg;
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0)
				return bad("--log-level %s: expected error, warn, info or debug", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("opdesk-sim %s\n", OPDESK_VERSION);
			return 0;
		case ':':
			return bad("option '%s' needs a value", argv[optind - 1]);
		default:
			return bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!cfg.url)
		return bad("%s", "--url is required");
	log_init("opdesk-sim", stderr, (enum log_level)level);
	if (events) {
		cfg.events = fopen(events, "a");
		if (!cfg.events) {
			fprintf(stderr, "opdesk-sim: %s: %s\n", events, strerror(errno));
			return 1;
		}
	}
	log_info("seed %llu", (unsigned long long)cfg.seed);
	char *cause = NULL;
	int rc = sim_run(&cfg, &cause);
	if (cfg.events)
		fclose(cfg.events);
	if (rc) {
		fprintf(stderr, "opdesk-sim: %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}

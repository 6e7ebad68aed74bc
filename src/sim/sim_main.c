/* sim_main.c: opdesk-sim, simulated customers for demos and tests: command line, then sim_run(). */
#include "opdesk/sim.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/opts.h"
#include "opdesk/xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The command line: the simulation's settings, the events file, the log level. */
struct sim_args {
	struct sim_config cfg;
	const char *events;
	int level;
};

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

/* A usage error's sentence (the argument in it). */
static int sim_bad(char **cause, const char *fmt, const char *arg)
{
	*cause = xasprintf(fmt, arg);
	return OPTS_ERROR;
}

static int sim_set_customers(void *settings, const char *arg, char **cause)
{
	long v;
	if (!parse_int(arg, 1, 10000, &v))
		return sim_bad(cause, "--customers %s: expected 1..10000", arg);
	((struct sim_args *)settings)->cfg.customers = (int)v;
	return OPTS_OK;
}

static int sim_set_rate(void *settings, const char *arg, char **cause)
{
	struct sim_config *cfg = &((struct sim_args *)settings)->cfg;
	char *end;
	cfg->rate = strtod(arg, &end);
	if (end == arg || *end || !(cfg->rate > 0 && cfg->rate <= 60000))
		return sim_bad(cause, "--rate %s: expected a number of chats per minute above 0", arg);
	return OPTS_OK;
}

static int sim_set_seed(void *settings, const char *arg, char **cause)
{
	char *end;
	errno = 0;
	((struct sim_args *)settings)->cfg.seed = strtoull(arg, &end, 10);
	if (errno || end == arg || *end)
		return sim_bad(cause, "--seed %s: expected a whole number", arg);
	return OPTS_OK;
}

static int sim_set_think(void *settings, const char *arg, char **cause)
{
	struct sim_config *cfg = &((struct sim_args *)settings)->cfg;
	int a, b, n = 0;
	if (sscanf(arg, "%d-%d%n", &a, &b, &n) != 2 || arg[n] || a < 0 || b < a || b > 600000)
		return sim_bad(cause, "--think %s: expected MIN-MAX in milliseconds, e.g. 2000-6000", arg);
	cfg->think_min_ms = a;
	cfg->think_max_ms = b;
	return OPTS_OK;
}

static int sim_set_duration(void *settings, const char *arg, char **cause)
{
	long v;
	if (!parse_int(arg, 0, 86400 * 365, &v))
		return sim_bad(cause, "--duration %s: expected seconds, 0 or more", arg);
	((struct sim_args *)settings)->cfg.duration_s = (int)v;
	return OPTS_OK;
}

static int sim_set_chats(void *settings, const char *arg, char **cause)
{
	long v;
	if (!parse_int(arg, 0, 100000000, &v))
		return sim_bad(cause, "--chats %s: expected 0 or more", arg);
	((struct sim_args *)settings)->cfg.chats = (int)v;
	return OPTS_OK;
}

static int sim_set_returning(void *settings, const char *arg, char **cause)
{
	long v;
	if (!parse_int(arg, 0, 100, &v))
		return sim_bad(cause, "--returning %s: expected a percentage, 0 to 100", arg);
	((struct sim_args *)settings)->cfg.returning_pct = (int)v;
	return OPTS_OK;
}

static int sim_set_lang(void *settings, const char *arg, char **cause)
{
	struct sim_config *cfg = &((struct sim_args *)settings)->cfg;
	if (strcmp(arg, "ru") == 0)
		cfg->lang = SIM_RU;
	else if (strcmp(arg, "en") == 0)
		cfg->lang = SIM_EN;
	else
		return sim_bad(cause, "--lang %s: expected ru or en", arg);
	return OPTS_OK;
}

static int sim_set_log_level(void *settings, const char *arg, char **cause)
{
	int level = log_level_parse(arg);
	if (level < 0)
		return sim_bad(cause, "--log-level %s: expected error, warn, info or debug", arg);
	((struct sim_args *)settings)->level = level;
	return OPTS_OK;
}

static int sim_help(void *settings, const char *arg, char **cause);

static int sim_version(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	printf("opdesk-sim %s\n", OPDESK_VERSION);
	return OPTS_DONE;
}

#define SIM_CALL(fn) .kind = OPTS_CALL, .set = fn

/* Every option of opdesk-sim: getopt_long's and --help's (docs/opdesk-sim.1 lists the same). */
static const struct opts_entry sim_options[] = {
    {"url", 0, "URL", "the hub's WebSocket address (required); several, separated by commas,\nare tried in turn", OPTS_STRING,
     offsetof(struct sim_args, cfg.url), NULL},
    {"customers", 0, "N", "customers chatting at the same time (default 8)", SIM_CALL(sim_set_customers)},
    {"rate", 0, "N", "new chats per minute (default 6)", SIM_CALL(sim_set_rate)},
    {"seed", 0, "N", "random seed; the same seed gives the same run (default: time)", SIM_CALL(sim_set_seed)},
    {"think", 0, "MIN-MAX",
     "customer reply delay in ms: reading, then typing with the\ntyping notice on (default 2000-6000)",
     SIM_CALL(sim_set_think)},
    {"duration", 0, "SEC", "stop after SEC seconds (default 0: until SIGINT/SIGTERM)", SIM_CALL(sim_set_duration)},
    {"chats", 0, "N", "open no more than N chats, then leave when all are done (default 0: no limit)",
     SIM_CALL(sim_set_chats)},
    {"lang", 0, "ru|en", "the customers' language (default ru)", SIM_CALL(sim_set_lang)},
    {"returning", 0, "PCT",
     "percent of new chats opened by an earlier customer coming back,\nknown to the hub by its customer_token (default 20)",
     SIM_CALL(sim_set_returning)},
    {"events", 0, "FILE", "append one JSON line per event customers see or do", OPTS_STRING,
     offsetof(struct sim_args, events), NULL},
    {"log-level", 0, "LEVEL", "error, warn, info or debug (default warn)", SIM_CALL(sim_set_log_level)},
    {"help", 0, NULL, "show this help and exit", SIM_CALL(sim_help)},
    {"version", 0, NULL, "show the version and exit", SIM_CALL(sim_version)},
    {NULL, 0, NULL, NULL, 0, 0, NULL},
};

static const struct opts_table sim_opts = {
    .entries = sim_options,
    .help_column = 23,
    .missing = "option '%s' needs a value",
    .unknown = "unknown option '%s'",
};

static int sim_help(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	fputs("Usage: opdesk-sim --url ws://HOST:PORT [OPTION]...\n"
	      "Simulated customers: open chats with an opdesk hub at a set rate, write like real customers of\n"
	      "an online shop (topic mix of order 60%, company 15%, product 10%, returns 10%, site 5%), answer\n"
	      "the operator after a human-like delay, and rate the dialog when it is closed.\n\n",
	      stdout);
	opts_print_help(stdout, &sim_opts);
	return OPTS_DONE;
}

int main(int argc, char **argv)
{
	i18n_init();
	struct sim_args a = {
		.cfg = { .customers = 8, .rate = 6, .returning_pct = 20, .seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32),
			 .think_min_ms = 2000, .think_max_ms = 6000, .lang = SIM_RU },
		.level = LOG_WARN,
	};
	char *cause = NULL;
	int rc = opts_parse(&sim_opts, argc, argv, &a, &cause);
	if (rc != OPTS_OK) {
		if (rc == OPTS_ERROR)
			rc = bad("%s", cause);
		free(cause);
		return rc == OPTS_DONE ? 0 : rc;
	}
	struct sim_config *cfg = &a.cfg;
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!cfg->url)
		return bad("%s", "--url is required");
	log_init("opdesk-sim", stderr, (enum log_level)a.level);
	if (a.events) {
		cfg->events = fopen(a.events, "a");
		if (!cfg->events) {
			fprintf(stderr, "opdesk-sim: %s: %s\n", a.events, strerror(errno));
			return 1;
		}
	}
	log_info("seed %llu", (unsigned long long)cfg->seed);
	rc = sim_run(cfg, &cause);
	if (cfg->events)
		fclose(cfg->events);
	if (rc) {
		fprintf(stderr, "opdesk-sim: %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}

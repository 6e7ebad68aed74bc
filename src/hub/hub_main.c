/* hub_main.c: the opdesk-hub program: run the hub (default), or manage operator accounts
 * (`user add|list|passwd|disable|enable`). Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "opdesk/hub_accounts.h"
#include "opdesk/hub_canned.h"
#include "opdesk/hub_audit.h"
#include "opdesk/hub_conf.h"
#include "opdesk/hub_db.h"
#include "opdesk/hub_report.h"
#include "opdesk/hub.h"
#include "opdesk/hub_server.h"
#include "opdesk/log.h"
#include "opdesk/proto.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#define PROG "opdesk-hub"
#define EXIT_USAGE 2
#define MAX_QUEUE_BYTES (8u * 1024 * 1024)

static const char usage_text[] =
	"Usage: " PROG " [OPTION]...\n"
	"       " PROG " user add NAME [--db FILE] [--role operator|supervisor] [--capacity N] [--display NAME]\n"
	"                       [--skills QUEUE,...]\n"
	"       " PROG " user list|passwd NAME|disable NAME|enable NAME [--db FILE]\n"
	"       " PROG " user skills NAME QUEUE,...|all [--db FILE]\n"
	"       " PROG " bridge add NAME --channel telegram|vk|web [--db FILE]\n"
	"       " PROG " bridge list|passwd NAME|disable NAME|enable NAME [--db FILE]\n"
	"       " PROG " canned export|import FILE [--db FILE]\n"
	"       " PROG " report --since DATE [--until DATE] [--by operator|queue|topic] [--csv] [--db FILE]\n"
	"       " PROG " audit --since DATE [--until DATE] [--actor NAME] [--csv] [--db FILE]\n"
	"\n"
	"The opdesk hub: routes customers' text chats to operators over WebSocket and keeps every\n"
	"dialog in an SQLite database. Operators connect with subprotocol " PROTO_SUBPROTOCOL_AGENT ",\n"
	"customers with " PROTO_SUBPROTOCOL_CUSTOMER ", messenger bridges with " PROTO_SUBPROTOCOL_BRIDGE ",\n"
	"all on the same port, which also serves the customer web chat at /.\n"
	"\n"
	"Server options:\n"
	"  --listen ADDR        address to listen on (default 127.0.0.1)\n"
	"  --port N             port to listen on, 0 = any free port (default 8740)\n"
	"  --db FILE            database file (default $XDG_DATA_HOME/opdesk/hub.db)\n"
	"  --ready-fd FD        once listening, write the port and a newline to FD, then close it\n"
	"  --queue NAME=MODE    how queue NAME is routed: least-loaded (default), round-robin, or\n"
	"                       manual (chats wait until an operator takes one); repeatable\n"
	"  --return-window S    a customer back within S seconds of their last chat goes first in the\n"
	"                       queue, to the operator they had if free (default 1800; 0: off)\n"
	"  --grace S            an operator who disconnects keeps their dialogs S seconds, then they go\n"
	"                       back to the front of the queue (default 120; 0: at once)\n"
	"  --keepalive S        ping a connection silent for S seconds; drop it when nothing, not even\n"
	"                       the answer, comes within S/2 more (default 20)\n"
	"  --max-failed-signins N  after N failed sign-ins from one address within a minute, refuse its\n"
	"                       sign-ins without checking them until the minute is over (default 10; 0: off)\n"
	"  --max-connections N  WebSocket connections at once; more are closed with 1013 (default 10000)\n"
	"  --max-queue BYTES    cut off a connection that lets more than this wait unread (default 8 MiB)\n"
	"  --tls-cert FILE      serve wss:// (and https://) with this PEM certificate chain...\n"
	"  --tls-key FILE       ... and this PEM private key (both or neither)\n"
	"  --config FILE        read settings from FILE (default $XDG_CONFIG_HOME/opdesk/hub.conf, if it\n"
	"                       exists): KEY = VALUE lines, the keys being these long options (queue may\n"
	"                       repeat); flags given here override the file\n"
	"  --log-level LEVEL    error, warn, info (default) or debug; logs go to stderr\n"
	"  --capacity N         every operator handles at most N chats at once, 1..16\n"
	"                       (default: each operator's own capacity, 4 unless set)\n"
	"  --lang ru|en         language of canned replies and system messages (default ru)\n"
	"  --help               show this help and exit\n"
	"  --version            show the version and exit\n"
	"\n"
	"Account commands (the secret is read from the first line of stdin; asked twice, without\n"
	"echo, when stdin is a terminal):\n"
	"  user add NAME        create an account; --role (default operator), --capacity (default 4),\n"
	"                       --display (the name customers see), --skills (the queues served, e.g.\n"
	"                       general,stylist; default: every queue)\n"
	"  user skills NAME Q,..  the queues the operator serves (all: every queue); from the next sign-in\n"
	"  user list            list the accounts\n"
	"  user passwd NAME     set a new secret\n"
	"  user disable NAME    refuse sign-ins (dialogs and history stay)\n"
	"  user enable NAME     allow sign-ins again\n"
	"  bridge add NAME      an account for a messenger bridge (opdesk-bridge), bound to --channel;\n"
	"                       bridge list, passwd, disable and enable as for users\n"
	"\n"
	"Canned replies: export writes them all as a JSON array of {id, lang, shortcut, category, title,\n"
	"text} (FILE - is stdout); import checks every entry, then adds new ones and replaces those with\n"
	"the same id, in one transaction (FILE - is stdin).\n"
	"\n"
	"Report: the service quality of the dialogs opened from --since (a date, or \"DATE HH:MM\", local\n"
	"time) until --until (default: now): dialogs, queue wait, first reply and handling times (mean and\n"
	"p90), ratings (mean and share of 5s) and claims, per operator (default), queue or wrap-up topic,\n"
	"as a table or with --csv as CSV.\n"
	"\n"
	"Audit: who did what, and when, in that period: sign-ins (and refused ones), takes, transfers,\n"
	"closes, claims, dialogs returned to the queue, account, bridge and canned-reply changes.\n"
	"\n"
	"Exit status: 0 ok, 1 runtime failure, 2 usage error. SIGTERM or SIGINT stop the hub cleanly.\n"
	"See opdesk-hub(1) and docs/hub.md.\n";

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Where the option being read came from, when it came from the config file ("hub.conf:3"), else NULL. */
static const char *usage_where;

static void die_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	if (usage_where)
		fprintf(stderr, "%s: ", usage_where);
	vfprintf(stderr, fmt, ap);
	fputs(" (try --help)\n", stderr);
	va_end(ap);
	exit(EXIT_USAGE);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(EXIT_FAILURE);
}

static long parse_num(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		die_usage("%s %s: expected a number from %ld to %ld", opt, s, lo, hi);
	return v;
}

/* ---- database location ---- */

static int mkdir_parents(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static char *default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/opdesk/hub.db", xdg);
	const char *home = getenv("HOME");
	if (!home || !*home)
		die("cannot find the database: neither XDG_DATA_HOME nor HOME is set (use --db)");
	return xasprintf("%s/.local/share/opdesk/hub.db", home);
}

static struct hub_db *open_db(const char *path, bool is_default)
{
	if (is_default && mkdir_parents(path) != 0)
		die("cannot create the folder for %s: %s", path, strerror(errno));
	struct hub_db *db;
	char *cause = NULL;
	if (hub_db_open(path, &db, &cause) != 0)
		die("%s", cause);
	return db;
}

/* ---- accounts ---- */

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > PROTO_MAX_NAME || !utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

static char *read_line(FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static char *ask_secret(const char *prompt)
{
	struct termios old, quiet;
	bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs(prompt, stderr);
		fflush(stderr);
	}
	char *s = read_line(stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return s;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static char *read_secret(const char *name)
{
	char *prompt = xasprintf("Secret for %s: ", name);
	char *secret = ask_secret(prompt);
	free(prompt);
	if (!secret)
		die("no secret on stdin (give it as the first line)");
	if (!*secret) {
		free_secret(secret);
		die("the secret must not be empty");
	}
	if (strlen(secret) > PROTO_MAX_SECRET) {
		free_secret(secret);
		die("the secret is longer than %d bytes", PROTO_MAX_SECRET);
	}
	if (isatty(STDIN_FILENO)) {
		char *again = ask_secret("Again: ");
		bool same = again && strcmp(again, secret) == 0;
		free_secret(again);
		if (!same) {
			free_secret(secret);
			die("the two secrets differ; nothing changed");
		}
	}
	return secret;
}

static char *hash_secret(const char *name)
{
	char *secret = read_secret(name);
	char *cause = NULL;
	char *hash = hub_accounts_hash(secret, &cause);
	free_secret(secret);
	if (!hash)
		die("%s", cause);
	return hash;
}

/* "general,stylist": queue names (letters, digits, - and _; at most PROTO_MAX_NAME bytes each), or "all". */
static bool valid_queue_list(const char *s)
{
	if (strcmp(s, "all") == 0)
		return true;
	size_t len = 0;
	for (const char *p = s;; p++) {
		if (*p == ',' || *p == '\0') {
			if (len == 0 || len > PROTO_MAX_NAME)
				return false;
			if (*p == '\0')
				return true;
			len = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_') {
			len++;
		} else {
			return false;
		}
	}
}

static void set_skills(struct hub_db *db, const char *name, const char *queues)
{
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(db, name, &o);
	if (rc == HUB_DB_NOT_FOUND)
		die("no user %s", name);
	if (rc != HUB_DB_OK || hub_db_skills_set(db, o.id, strcmp(queues, "all") == 0 ? NULL : queues) != HUB_DB_OK)
		die("cannot set the queues of user %s: %s", name, hub_db_errmsg(db));
	hub_db_operator_free(&o);
}

static int user_add(struct hub_db *db, const char *name, const char *display, enum proto_role role, int capacity,
		    const char *skills)
{
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(db, name, &o);
	hub_db_operator_free(&o);
	if (rc == HUB_DB_OK)
		die("user %s exists", name);
	char *hash = hash_secret(name);
	rc = hub_db_operator_add(db, name, display, role, hash, capacity, proto_now_ms(), NULL);
	free(hash);
	if (rc == HUB_DB_EXISTS)
		die("user %s exists", name);
	if (rc != HUB_DB_OK)
		die("cannot add user %s: %s", name, hub_db_errmsg(db));
	if (skills)
		set_skills(db, name, skills);
	hub_audit(db, proto_now_ms(), "cli", "user-add", 0, name);
	printf("added %s %s (capacity %d, queues %s)\n", proto_role_name(role), name, capacity, skills ? skills : "all");
	return 0;
}

static int user_list(struct hub_db *db)
{
	struct hub_db_operator *v;
	size_t n;
	if (hub_db_operator_list(db, &v, &n) != HUB_DB_OK)
		die("cannot list the users: %s", hub_db_errmsg(db));
	printf("%-20s %-10s %8s %-8s %-20s %s\n", "NAME", "ROLE", "CAPACITY", "STATE", "QUEUES", "DISPLAY");
	for (size_t i = 0; i < n; i++) {
		char *queues = NULL;
		if (hub_db_skills_get(db, v[i].id, &queues) != HUB_DB_OK)
			die("cannot list the users: %s", hub_db_errmsg(db));
		printf("%-20s %-10s %8d %-8s %-20s %s\n", v[i].name, proto_role_name(v[i].role), v[i].capacity,
		       v[i].disabled ? "disabled" : "enabled", queues ? queues : "all", v[i].display ? v[i].display : "");
		free(queues);
	}
	hub_db_operators_free(v, n);
	return 0;
}

static int user_change(struct hub_db *db, const char *what, const char *name)
{
	struct hub_db_operator o;
	int rc = hub_db_operator_by_name(db, name, &o);
	if (rc == HUB_DB_NOT_FOUND)
		die("no user %s", name);
	if (rc != HUB_DB_OK)
		die("cannot read user %s: %s", name, hub_db_errmsg(db));
	if (strcmp(what, "passwd") == 0) {
		free(o.secret_hash);
		o.secret_hash = hash_secret(name);
	} else {
		o.disabled = strcmp(what, "disable") == 0;
	}
	rc = hub_db_operator_update(db, &o);
	hub_db_operator_free(&o);
	if (rc != HUB_DB_OK)
		die("cannot change user %s: %s", name, hub_db_errmsg(db));
	hub_audit(db, proto_now_ms(), "cli", strcmp(what, "passwd") == 0 ? "user-passwd" : what[0] == 'd' ? "user-disable" : "user-enable",
		  0, name);
	printf("%s: %s\n", name, strcmp(what, "passwd") == 0 ? "secret changed" : what[0] == 'd' ? "disabled" : "enabled");
	return 0;
}

static int bridge_add(struct hub_db *db, const char *name, int channel)
{
	if (channel < 0)
		die_usage("bridge add: --channel is needed (telegram, vk or web)");
	struct hub_db_bridge b;
	int rc = hub_db_bridge_by_name(db, name, &b);
	hub_db_bridge_free(&b);
	if (rc == HUB_DB_OK)
		die("bridge %s exists", name);
	char *hash = hash_secret(name);
	rc = hub_db_bridge_add(db, name, (enum proto_channel)channel, hash, proto_now_ms());
	free(hash);
	if (rc == HUB_DB_EXISTS)
		die("the name %s is taken (by a bridge or a user)", name);
	if (rc != HUB_DB_OK)
		die("cannot add bridge %s: %s", name, hub_db_errmsg(db));
	hub_audit(db, proto_now_ms(), "cli", "bridge-add", 0, name);
	printf("added bridge %s for %s\n", name, proto_channel_name((enum proto_channel)channel));
	return 0;
}

static int bridge_list(struct hub_db *db)
{
	struct hub_db_bridge *v;
	size_t n;
	if (hub_db_bridge_list(db, &v, &n) != HUB_DB_OK)
		die("cannot list the bridges: %s", hub_db_errmsg(db));
	printf("%-20s %-10s %s\n", "NAME", "CHANNEL", "STATE");
	for (size_t i = 0; i < n; i++)
		printf("%-20s %-10s %s\n", v[i].name, proto_channel_name(v[i].channel), v[i].disabled ? "disabled" : "enabled");
	hub_db_bridges_free(v, n);
	return 0;
}

static int bridge_change(struct hub_db *db, const char *what, const char *name)
{
	struct hub_db_bridge b;
	int rc = hub_db_bridge_by_name(db, name, &b);
	hub_db_bridge_free(&b);
	if (rc == HUB_DB_NOT_FOUND)
		die("no bridge %s", name);
	if (rc != HUB_DB_OK)
		die("cannot read bridge %s: %s", name, hub_db_errmsg(db));
	bool passwd = strcmp(what, "passwd") == 0;
	char *hash = passwd ? hash_secret(name) : NULL;
	rc = hub_db_bridge_update(db, name, hash, passwd ? -1 : strcmp(what, "disable") == 0);
	free(hash);
	if (rc != HUB_DB_OK)
		die("cannot change bridge %s: %s", name, hub_db_errmsg(db));
	hub_audit(db, proto_now_ms(), "cli", passwd ? "bridge-passwd" : what[0] == 'd' ? "bridge-disable" : "bridge-enable",
		     0, name);
	printf("%s: %s\n", name, passwd ? "secret changed" : what[0] == 'd' ? "disabled" : "enabled");
	return 0;
}

static int main_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	  { "role", required_argument, NULL, 'r' },
		{ "capacity", required_argument, NULL, 'c' }, { "display", required_argument, NULL, 'D' },
		{ "log-level", required_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ "skills", required_argument, NULL, 's' },    { "channel", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	int channel = -1;
	const char *db_path = NULL, *display = NULL, *skills = NULL;
	int role = PROTO_ROLE_OPERATOR, capacity = 4, level = LOG_WARN;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'r':
			role = proto_role_parse(optarg);
			if (role < 0)
				die_usage("--role %s: expected operator or supervisor", optarg);
			break;
		case 'c':
			capacity = (int)parse_num("--capacity", optarg, 1, 16);
			break;
		case 'D':
			display = optarg;
			if (!*display || strlen(display) > PROTO_MAX_NAME || !utf8_valid(display, strlen(display)))
				die_usage("--display: expected 1 to %d bytes of UTF-8", PROTO_MAX_NAME);
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0)
				die_usage("--log-level %s: expected error, warn, info or debug", optarg);
			break;
		case 'C':
			channel = proto_channel_parse(optarg);
			if (channel < 0)
				die_usage("--channel %s: expected telegram, vk or web", optarg);
			break;
		case 's':
			if (!valid_queue_list(optarg))
				die_usage("--skills %s: expected queue names separated by commas (a-z, 0-9, - and _), or all",
					  optarg);
			skills = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			die_usage("%s needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option %s", argv[optind - 1]);
		}
	}
	log_init(PROG, stderr, (enum log_level)level);
	/* argv[optind] is "user" or "bridge", then the action and its NAME (and for skills, the queues) */
	int n = argc - optind;
	bool bridge = n > 0 && strcmp(argv[optind], "bridge") == 0;
	if (n < 2)
		die_usage("%s: expected add, list, passwd, disable or enable", argv[optind]);
	const char *action = argv[optind + 1];
	bool list = strcmp(action, "list") == 0;
	bool is_skills = !bridge && strcmp(action, "skills") == 0;
	if (channel >= 0 && !(bridge && strcmp(action, "add") == 0))
		die_usage("--channel only goes with bridge add");
	if (bridge && (display || skills || role != PROTO_ROLE_OPERATOR || capacity != 4))
		die_usage("--role, --capacity, --display and --skills are for users, not bridges");
	bool known = list || is_skills || !strcmp(action, "add") || !strcmp(action, "passwd") ||
		     !strcmp(action, "disable") || !strcmp(action, "enable");
	if (!known)
		die_usage("%s %s: unknown action (expected add, list, passwd, disable, enable%s)", argv[optind], action,
			  bridge ? "" : " or skills");
	if (is_skills && n != 4)
		die_usage("user skills: expected NAME and the queues (general,stylist or all)");
	if (!is_skills && (list ? n != 2 : n != 3))
		die_usage(list ? "%s list takes no NAME" : "%s %s: expected exactly one NAME", argv[optind], action);
	if (is_skills && !valid_queue_list(argv[optind + 3]))
		die_usage("user skills %s: expected queue names separated by commas (a-z, 0-9, - and _), or all",
			  argv[optind + 3]);
	const char *name = list ? NULL : argv[optind + 2];
	if (name && !valid_name(name))
		die_usage("user name \"%s\" is not valid: 1 to %d bytes, no spaces or control characters", name,
			  PROTO_MAX_NAME);
	if ((display || skills || role != PROTO_ROLE_OPERATOR || capacity != 4) && strcmp(action, "add") != 0)
		die_usage("--role, --capacity, --display and --skills only go with user add");

	char *path = db_path ? xstrdup(db_path) : default_db_path();
	struct hub_db *db = open_db(path, !db_path);
	int rc;
	if (bridge)
		rc = list ? bridge_list(db) : strcmp(action, "add") == 0 ? bridge_add(db, name, channel)
									: bridge_change(db, action, name);
	else if (list)
		rc = user_list(db);
	else if (strcmp(action, "add") == 0)
		rc = user_add(db, name, display, (enum proto_role)role, capacity, skills);
	else if (is_skills) {
		set_skills(db, name, argv[optind + 3]);
		hub_audit(db, proto_now_ms(), "cli", "user-skills", 0, name);
		printf("%s: serves %s\n", name, strcmp(argv[optind + 3], "all") == 0 ? "every queue" : argv[optind + 3]);
		rc = 0;
	}
	else
		rc = user_change(db, action, name);
	hub_db_close(db);
	free(path);
	return rc;
}

/* ---- server ---- */

static int main_server(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'L' },   { "port", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'd' },	      { "ready-fd", required_argument, NULL, 'r' },
		{ "log-level", required_argument, NULL, 'l' }, { "capacity", required_argument, NULL, 'c' },
		{ "lang", required_argument, NULL, 'g' },     { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },	      { "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },  { "max-queue", required_argument, NULL, 'Q' },
		{ "max-connections", required_argument, NULL, 'M' }, { "queue", required_argument, NULL, 'q' },
		{ "return-window", required_argument, NULL, 'W' }, { "grace", required_argument, NULL, 'G' },
		{ "config", required_argument, NULL, 'F' }, { "keepalive", required_argument, NULL, 'A' },
		{ "max-failed-signins", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	/* the config file's settings go first, as if given before the command line's flags */
	const char *conf_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf_path = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			conf_path = argv[i] + 9;
	}
	char *def_conf = conf_path ? NULL : hub_conf_default_path();
	static const char *const cli_only[] = { "config", "ready-fd", NULL };
	struct hub_conf_args conf;
	char *conf_cause = NULL;
	if ((conf_path || def_conf) &&
	    hub_conf_read(conf_path ? conf_path : def_conf, conf_path != NULL, opts, cli_only, &conf, &conf_cause) != 0) {
		fprintf(stderr, PROG ": %s\n", conf_cause);
		exit(EXIT_USAGE);
	}
	if (!conf_path && !def_conf)
		memset(&conf, 0, sizeof conf);
	free(def_conf);
	char **args = xmalloc((size_t)(argc + conf.n + 1) * sizeof *args);
	args[0] = argv[0];
	if (conf.n)
		memcpy(args + 1, conf.argv, (size_t)conf.n * sizeof *args);
	memcpy(args + 1 + conf.n, argv + 1, (size_t)argc * sizeof *args); /* with the final NULL */
	argc += conf.n;
	argv = args;
	const char *listen = "127.0.0.1", *db_path = NULL, *lang = "ru", *tls_cert = NULL, *tls_key = NULL;
	int port = 8740, ready_fd = -1, capacity = 0, level = LOG_INFO;
	size_t max_queue = MAX_QUEUE_BYTES, max_conns = 10000;
	int return_window = 1800, grace = HUB_DEFAULT_GRACE_S, keepalive = 20, signin_failures = HUB_DEFAULT_SIGNIN_FAILURES;
	static struct hub_queue_config queues[32];
	size_t n_queues = 0;
	int c, at = optind;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		usage_where = at >= 1 && at <= conf.n ? conf.where[at - 1] : NULL;
		at = optind;
		switch (c) {
		case 'F':
			break; /* read above */
		case 'G':
			grace = (int)parse_num("--grace", optarg, 0, 86400);
			break;
		case 'S':
			signin_failures = (int)parse_num("--max-failed-signins", optarg, 0, 1000000);
			break;
		case 'A':
			keepalive = (int)parse_num("--keepalive", optarg, 2, 3600);
			break;
		case 'L':
			listen = optarg;
			if (!*listen)
				die_usage("--listen: expected an address");
			break;
		case 'p':
			port = (int)parse_num("--port", optarg, 0, 65535);
			break;
		case 'd':
			db_path = optarg;
			break;
		case 'r':
			ready_fd = (int)parse_num("--ready-fd", optarg, 0, 1 << 20);
			if (fcntl(ready_fd, F_GETFD) < 0)
				die_usage("--ready-fd %d: not an open file descriptor", ready_fd);
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0)
				die_usage("--log-level %s: expected error, warn, info or debug", optarg);
			break;
		case 'c':
			capacity = (int)parse_num("--capacity", optarg, 1, 16);
			break;
		case 'g':
			if (strcmp(optarg, "ru") != 0 && strcmp(optarg, "en") != 0)
				die_usage("--lang %s: expected ru or en", optarg);
			lang = optarg;
			break;
		case 'q': {
			const char *eq = strchr(optarg, '=');
			char qname[PROTO_MAX_NAME + 1];
			if (!eq || eq == optarg || (size_t)(eq - optarg) > PROTO_MAX_NAME)
				die_usage("--queue %s: expected NAME=MODE", optarg);
			snprintf(qname, sizeof qname, "%.*s", (int)(eq - optarg), optarg);
			if (!valid_queue_list(qname) || strchr(qname, ',') || strcmp(qname, "all") == 0)
				die_usage("--queue %s: a queue name is a-z, 0-9, - and _", optarg);
			static const char *const modes[] = { "least-loaded", "round-robin", "manual" };
			int mode = -1;
			for (int k = 0; k < 3; k++)
				if (strcmp(eq + 1, modes[k]) == 0)
					mode = k;
			if (mode < 0)
				die_usage("--queue %s: the mode is least-loaded, round-robin or manual", optarg);
			if (n_queues == sizeof queues / sizeof *queues)
				die_usage("--queue: at most %zu queues", sizeof queues / sizeof *queues);
			queues[n_queues++] = (struct hub_queue_config){ xstrdup(qname), (enum hub_queue_mode)mode };
			break;
		}
		case 'W':
			return_window = (int)parse_num("--return-window", optarg, 0, 7 * 86400);
			break;
		case 'M':
			max_conns = (size_t)parse_num("--max-connections", optarg, 1, 1000000);
			break;
		case 'Q':
			max_queue = (size_t)parse_num("--max-queue", optarg, 64 * 1024, 1L << 30);
			break;
		case 'C':
		case 'K':
			if (access(optarg, R_OK) != 0)
				die_usage("--%s %s: %s", c == 'C' ? "tls-cert" : "tls-key", optarg, strerror(errno));
			*(c == 'C' ? &tls_cert : &tls_key) = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			hub_conf_free(&conf);
			free(args);
			return 0;
		case 'V':
			printf("%s %s (protocol v%d, database schema v%d)\n", PROG, OPDESK_VERSION, PROTO_VERSION,
			       HUB_DB_SCHEMA_VERSION);
			hub_conf_free(&conf);
			free(args);
			return 0;
		case ':':
			die_usage("%s needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option %s", argv[optind - 1]);
		}
	}
	usage_where = NULL;
	if (optind < argc)
		die_usage("unexpected argument \"%s\"", argv[optind]);
	if (ready_fd >= 0 && ready_fd <= 2)
		die_usage("--ready-fd %d: use a descriptor other than stdin, stdout or stderr", ready_fd);
	if (!tls_cert != !tls_key)
		die_usage("--tls-cert and --tls-key go together");
	log_init(PROG, stderr, (enum log_level)level);

	char *path = db_path ? xstrdup(db_path) : default_db_path();
	struct hub_db *db = open_db(path, !db_path);
	log_info("database %s (schema v%d)", path, hub_db_version(db));
	free(path);

	char *cause = NULL;
	struct hub_config hcfg = { .lang = lang,
				   .capacity = capacity,
				   .grace_s = grace,
				   .signin_failures = signin_failures,
				   .return_window_s = return_window,
				   .queues = queues,
				   .n_queues = n_queues };
	struct hub *hub = hub_new(db, &hcfg, &cause);
	if (!hub) {
		hub_db_close(db);
		die("%s", cause);
	}
	struct hub_server_config scfg = {
		.listen = listen,
		.port = port,
		.ready_fd = ready_fd,
		.max_queue = max_queue,
		.max_conns = max_conns,
		.ping_after_s = keepalive,
		.hangup_after_s = keepalive + keepalive / 2,
		.tls_cert = tls_cert,
		.tls_key = tls_key,
	};
	struct hub_server *srv = hub_server_new(&scfg, hub_server_ops_for(), hub, &cause);
	if (!srv) {
		hub_free(hub);
		hub_db_close(db);
		die("%s", cause);
	}
	hub_attach(hub, srv);
	int rc = hub_server_run(srv);
	hub_free(hub);
	hub_server_free(srv);
	hub_db_close(db);
	hub_conf_free(&conf);
	free(args);
	log_info("stopped");
	return rc == 0 ? 0 : 1;
}

/* ---- canned replies ---- */

static int main_canned(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = NULL;
	int c;
	opterr = 0;
	optind = 2; /* after "canned" */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			die_usage("%s needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 2 || (strcmp(argv[optind], "export") != 0 && strcmp(argv[optind], "import") != 0))
		die_usage("canned: expected export FILE or import FILE");
	log_init(PROG, stderr, LOG_WARN);
	char *def = db_path ? NULL : default_db_path();
	struct hub_db *db = open_db(db_path ? db_path : def, def != NULL);
	free(def);
	char *cause = NULL;
	int rc = strcmp(argv[optind], "export") == 0 ? hub_canned_export(db, argv[optind + 1], &cause)
	                                              : hub_canned_import(db, argv[optind + 1], &cause);
	if (rc == 0 && strcmp(argv[optind], "import") == 0)
		hub_audit(db, proto_now_ms(), "cli", "canned-import", 0, argv[optind + 1]);
	hub_db_close(db);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}

/* ---- report ---- */

static int main_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },	   { "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' }, { "by", required_argument, NULL, 'b' },
		{ "csv", no_argument, NULL, 'c' },	   { "help", no_argument, NULL, 'h' },
		{ "actor", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	/* `report` and `audit` share their options: a period, a database, CSV */
	const bool audit = strcmp(argv[1], "audit") == 0;
	const char *db_path = NULL, *actor = NULL;
	int64_t since = -1, until = proto_now_ms() + 1;
	enum hub_report_by by = HUB_REPORT_OPERATOR;
	bool csv = false;
	int c;
	opterr = 0;
	optind = 2; /* after "report" */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 's':
		case 'u': {
			int64_t t = hub_report_parse_date(optarg);
			if (t < 0)
				die_usage("--%s %s: expected YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"", c == 's' ? "since" : "until",
					  optarg);
			*(c == 's' ? &since : &until) = t;
			break;
		}
		case 'a':
			if (!audit)
				die_usage("--actor only goes with audit");
			actor = optarg;
			break;
		case 'b':
			if (audit)
				die_usage("--by only goes with report");
			if (strcmp(optarg, "operator") == 0)
				by = HUB_REPORT_OPERATOR;
			else if (strcmp(optarg, "queue") == 0)
				by = HUB_REPORT_QUEUE;
			else if (strcmp(optarg, "topic") == 0)
				by = HUB_REPORT_TOPIC;
			else
				die_usage("--by %s: expected operator, queue or topic", optarg);
			break;
		case 'c':
			csv = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			die_usage("%s needs a value", argv[optind - 1]);
		default:
			die_usage("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die_usage("%s: unexpected argument %s", argv[1], argv[optind]);
	if (since < 0)
		die_usage("%s: --since DATE is required", argv[1]);
	log_init(PROG, stderr, LOG_WARN);
	char *def = db_path ? NULL : default_db_path();
	struct hub_db *db = open_db(db_path ? db_path : def, false);
	free(def);
	char *cause = NULL;
	int rc = audit ? hub_audit_print(db, since, until, actor, csv, stdout, &cause)
		       : hub_report(db, since, until, by, csv, stdout, &cause);
	hub_db_close(db);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", cause);
		free(cause);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "user") == 0 || strcmp(argv[1], "bridge") == 0))
		return main_user(argc, argv);
	if (argc > 1 && (strcmp(argv[1], "report") == 0 || strcmp(argv[1], "audit") == 0))
		return main_report(argc, argv);
	if (argc > 1 && strcmp(argv[1], "canned") == 0)
		return main_canned(argc, argv);
	return main_server(argc, argv);
}

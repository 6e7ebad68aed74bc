/* hub_main.c: the opdesk-hub program: run the hub (no command), or one of the commands of its table:
 * operator accounts (`user`), bridge accounts (`bridge`), canned replies (`canned export|import`), the service
 * report (`report`) and the audit log (`audit`); each command's options are an opts table. Exit codes: 0 ok,
 * 1 runtime failure, 2 usage error. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "opdesk/hub_accounts.h"
#include "opdesk/hub_canned.h"
#include "opdesk/hub_audit.h"
#include "opdesk/hub_blocks.h"
#include "opdesk/hub_conf.h"
#include "opdesk/hub_db.h"
#include "opdesk/hub_files.h"
#include "opdesk/hub_report.h"
#include "opdesk/hub.h"
#include "opdesk/hub_server.h"
#include "opdesk/log.h"
#include "opdesk/opts.h"
#include "opdesk/proto.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#include "hub_mail.h"

#define PROG "opdesk-hub"
#define EXIT_USAGE 2
#define MAX_QUEUE_BYTES (8u * 1024 * 1024)

/* Before the generated options: the synopsis and what the hub is. */
static const char usage_head[] =
	"Usage: " PROG " [OPTION]...\n"
	"       " PROG " user add NAME [--db FILE] [--role operator|supervisor] [--capacity N] [--display NAME]\n"
	"                       [--skills QUEUE,...]\n"
	"       " PROG " user list|passwd NAME|disable NAME|enable NAME [--db FILE]\n"
	"       " PROG " user skills NAME QUEUE,...|all [--db FILE]\n"
	"       " PROG " bridge add NAME --channel telegram|vk|web [--db FILE]\n"
	"       " PROG " bridge list|passwd NAME|disable NAME|enable NAME [--db FILE]\n"
	"       " PROG " canned export|import FILE [--db FILE]\n"
	"       " PROG " block list|remove ID [--db FILE]\n"
	"       " PROG " report --since DATE [--until DATE] [--by operator|queue|topic] [--csv] [--db FILE]\n"
	"       " PROG " audit --since DATE [--until DATE] [--actor NAME] [--csv] [--db FILE]\n"
	"\n"
	"The opdesk hub: routes customers' text chats to operators over WebSocket and keeps every\n"
	"dialog in a database: an SQLite file, or PostgreSQL (docs/scaling.md). Operators\n"
	"connect with subprotocol " PROTO_SUBPROTOCOL_AGENT ", customers with " PROTO_SUBPROTOCOL_CUSTOMER ",\n"
	"messenger bridges with " PROTO_SUBPROTOCOL_BRIDGE ", all on the same port,\n"
	"which also serves the customer web chat at /.\n"
	"\n";

/* After the generated options and commands: what the commands do, at length. */
static const char usage_tail[] =
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
	"\n"	"Blocks: operators and supervisors block an abusive customer from the dialog; the hub then refuses\n"
	"that customer's new chats (and for 24 hours those from the address it wrote from). block list\n"
	"shows the blocks in force; block remove ID lifts one at once (both in the audit log).\n"
	"\n"
	"Report: the service quality of the dialogs opened from --since (a date, or \"DATE HH:MM\", local\n"
	"time) until --until (default: now): dialogs, queue wait, first reply and handling times (mean and\n"
	"p90), ratings (mean and share of 5s) and claims, per operator (default), queue or wrap-up topic,\n"
	"as a table or with --csv as CSV.\n"
	"\n"
	"Audit: who did what, and when, in that period: sign-ins (and refused ones), takes, transfers,\n"
	"closes, claims, dialogs returned to the queue, blocks and unblocks, account, bridge and\n"
	"canned-reply changes.\n"
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

/* Where uploaded files are kept: --files, else files/ beside an SQLite database, else (PostgreSQL) the data
 * folder's files/ ($XDG_DATA_HOME/opdesk/files, its parents made as for the default database). */
static char *default_files_dir(const char *option, const char *db_path, bool postgres)
{
	if (option)
		return xstrdup(option);
	if (postgres) {
		char *def = default_db_path();
		char *slash = strrchr(def, '/');
		*slash = '\0';
		char *dir = xasprintf("%s/files", def);
		free(def);
		if (mkdir_parents(dir) != 0)
			die("cannot create the folder for %s: %s", dir, strerror(errno));
		return dir;
	}
	const char *slash = strrchr(db_path, '/');
	return slash ? xasprintf("%.*s/files", (int)(slash - db_path), db_path) : xstrdup("files");
}

static void standing_by(void *arg, const char *holder)
{
	*(bool *)arg = true;
	log_info("standing by: %s serves this database; this hub takes over when it stops", holder);
}

/* The server's database: on PostgreSQL with the serving lock, waiting for it with --standby (SIGINT and
 * SIGTERM end the wait: NULL is returned). */
static struct hub_db *open_serving_db(const char *path, bool is_default, bool standby)
{
	if (is_default && mkdir_parents(path) != 0)
		die("cannot create the folder for %s: %s", path, strerror(errno));
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	int stop_fd = -1;
	if (standby) { /* blocked from here on: the server reads them from its own signalfd later */
		if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0 || (stop_fd = signalfd(-1, &stop, SFD_CLOEXEC)) < 0)
			die("signalfd: %s", strerror(errno));
	}
	struct hub_db *db = NULL;
	char *cause = NULL;
	bool stood_by = false;
	struct hub_db_serving serve = {.wait = standby, .stop_fd = stop_fd, .standing_by = standing_by, .arg = &stood_by};
	int rc = hub_db_open_serving(path, &serve, &db, &cause);
	if (stop_fd >= 0)
		close(stop_fd);
	if (rc < 0)
		die("%s", cause);
	if (rc == 1)
		log_info("stopped while standing by");
	else if (stood_by)
		log_info("took over: the hub that served this database stopped");
	return db;
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
	hub_db_audit_add(db, proto_now_ms(), "cli", "user-add", 0, name);
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
	hub_db_audit_add(db, proto_now_ms(), "cli", strcmp(what, "passwd") == 0 ? "user-passwd" : what[0] == 'd' ? "user-disable" : "user-enable",
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
	hub_db_audit_add(db, proto_now_ms(), "cli", "bridge-add", 0, name);
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
	hub_db_audit_add(db, proto_now_ms(), "cli", passwd ? "bridge-passwd" : what[0] == 'd' ? "bridge-disable" : "bridge-enable",
		     0, name);
	printf("%s: %s\n", name, passwd ? "secret changed" : what[0] == 'd' ? "disabled" : "enabled");
	return 0;
}

/* ---- the options, as tables (src/core/opts.h): each feeds getopt_long and --help ---- */

static void hub_help(void);

static int hub_help_set(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	hub_help();
	return OPTS_DONE;
}

#define HUB_STRING(type, f) .kind = OPTS_STRING, .field = offsetof(type, f)
#define HUB_CALL(fn)        .kind = OPTS_CALL, .set = fn
#define HUB_HELP            {"help", 0, NULL, "show this help and exit", HUB_CALL(hub_help_set)}
#define HUB_END             {NULL, 0, NULL, NULL, 0, 0, NULL}

/* The hub's own sentences for getopt's errors; the config file's line goes before them (usage_where). */
#define HUB_TABLE(e) {.entries = e, .help_column = 23, .missing = "%s needs a value", .unknown = "unknown option %s"}

static int hub_level(int *to, const char *arg)
{
	*to = log_level_parse(arg);
	if (*to < 0)
		die_usage("--log-level %s: expected error, warn, info or debug", arg);
	return OPTS_OK;
}

/* ---- accounts: user and bridge ---- */

struct user_args {
	const char *db_path, *display, *skills;
	int role, capacity, level, channel;
};

static int user_set_role(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct user_args *u = settings;
	u->role = proto_role_parse(arg);
	if (u->role < 0)
		die_usage("--role %s: expected operator or supervisor", arg);
	return OPTS_OK;
}

static int user_set_capacity(void *settings, const char *arg, char **cause)
{
	(void)cause;
	((struct user_args *)settings)->capacity = (int)parse_num("--capacity", arg, 1, 16);
	return OPTS_OK;
}

static int user_set_display(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (!*arg || strlen(arg) > PROTO_MAX_NAME || !utf8_valid(arg, strlen(arg)))
		die_usage("--display: expected 1 to %d bytes of UTF-8", PROTO_MAX_NAME);
	((struct user_args *)settings)->display = arg;
	return OPTS_OK;
}

static int user_set_level(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return hub_level(&((struct user_args *)settings)->level, arg);
}

static int user_set_channel(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct user_args *u = settings;
	u->channel = proto_channel_parse(arg);
	if (u->channel < 0)
		die_usage("--channel %s: expected telegram, vk or web", arg);
	return OPTS_OK;
}

static int user_set_skills(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (!valid_queue_list(arg))
		die_usage("--skills %s: expected queue names separated by commas (a-z, 0-9, - and _), or all", arg);
	((struct user_args *)settings)->skills = arg;
	return OPTS_OK;
}

static const struct opts_entry user_options[] = {
    {"db", 0, "FILE", "database file or PostgreSQL URI (default $XDG_DATA_HOME/opdesk/hub.db)", HUB_STRING(struct user_args, db_path)},
    {"role", 0, "ROLE", "user add: operator (default) or supervisor", HUB_CALL(user_set_role)},
    {"capacity", 0, "N", "user add: chats at once, 1..16 (default 4)", HUB_CALL(user_set_capacity)},
    {"display", 0, "NAME", "user add: the name customers see", HUB_CALL(user_set_display)},
    {"skills", 0, "QUEUE,...", "user add: the queues served, e.g. general,stylist (default: all)",
     HUB_CALL(user_set_skills)},
    {"channel", 0, "CHANNEL", "bridge add: telegram, vk or web (required)", HUB_CALL(user_set_channel)},
    {"log-level", 0, "LEVEL", "error, warn (default), info or debug; logs go to stderr", HUB_CALL(user_set_level)},
    HUB_HELP,
    HUB_END,
};
static const struct opts_table user_opts = HUB_TABLE(user_options);

/* The words after the options: "user" or "bridge", the action and its NAME (and for skills, the queues).
 * Refuses what does not fit (exit 2). */
static void user_check(const struct user_args *u, int argc, char **argv)
{
	int n = argc - optind;
	bool bridge = n > 0 && strcmp(argv[optind], "bridge") == 0;
	if (n < 2)
		die_usage("%s: expected add, list, passwd, disable or enable", argv[optind]);
	const char *action = argv[optind + 1];
	bool list = strcmp(action, "list") == 0;
	bool is_skills = !bridge && strcmp(action, "skills") == 0;
	bool for_user = u->display || u->skills || u->role != PROTO_ROLE_OPERATOR || u->capacity != 4;
	if (u->channel >= 0 && !(bridge && strcmp(action, "add") == 0))
		die_usage("--channel only goes with bridge add");
	if (bridge && for_user)
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
	if (for_user && strcmp(action, "add") != 0)
		die_usage("--role, --capacity, --display and --skills only go with user add");
}

/* The checked action on the database. */
static int user_run(const struct user_args *u, char **argv)
{
	bool bridge = strcmp(argv[optind], "bridge") == 0;
	const char *action = argv[optind + 1], *display = u->display, *skills = u->skills, *db_path = u->db_path;
	bool list = strcmp(action, "list") == 0;
	bool is_skills = !bridge && strcmp(action, "skills") == 0;
	const char *name = list ? NULL : argv[optind + 2];
	int channel = u->channel, role = u->role, capacity = u->capacity;
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
		hub_db_audit_add(db, proto_now_ms(), "cli", "user-skills", 0, name);
		printf("%s: serves %s\n", name, strcmp(argv[optind + 3], "all") == 0 ? "every queue" : argv[optind + 3]);
		rc = 0;
	}
	else
		rc = user_change(db, action, name);
	hub_db_close(db);
	free(path);
	return rc;
}

static int main_user(int argc, char **argv)
{
	struct user_args u = {.role = PROTO_ROLE_OPERATOR, .capacity = 4, .level = LOG_WARN, .channel = -1};
	char *cause = NULL;
	int rc = opts_parse(&user_opts, argc, argv, &u, &cause);
	if (rc == OPTS_ERROR)
		die_usage("%s", cause);
	if (rc == OPTS_DONE)
		return 0;
	log_init(PROG, stderr, (enum log_level)u.level);
	user_check(&u, argc, argv);
	return user_run(&u, argv);
}

/* ---- server ---- */

struct server_args {
	const char *listen, *db_path, *files_dir, *lang, *tls_cert, *tls_key, *sendmail, *mail_from;
	int mail_timeout, mail_retry[HUB_MAIL_MAX_RETRIES], n_mail_retry;
	struct hub_queue_hours *hours;
	size_t n_hours, max_hours;
	struct hub_auto_close *auto_close;
	size_t n_auto_close, max_auto_close;
	int auto_close_all, auto_close_grace;
	int port, ready_fd, capacity, level;
	size_t max_queue, max_conns;
	int return_window, grace, keepalive, signin_failures, sla_wait, sla_answer;
	long max_upload, link_ttl;
	struct hub_queue_config *queues;
	size_t n_queues, max_queues;
	const struct hub_conf_args *conf; /* the config file's arguments, which come first in argv */
	bool version, standby;
};

/* Where the option at argv[at] came from: a line of the config file, or the command line (NULL). */
static void server_at(void *settings, int at)
{
	const struct hub_conf_args *conf = ((struct server_args *)settings)->conf;
	usage_where = at >= 1 && at <= conf->n ? conf->where[at - 1] : NULL;
}

#define SERVER_NUM(fn, f, opt, lo, hi)                                                                       \
	static int fn(void *settings, const char *arg, char **cause)                                         \
	{                                                                                                    \
		(void)cause;                                                                                 \
		((struct server_args *)settings)->f = parse_num(opt, arg, lo, hi);                           \
		return OPTS_OK;                                                                              \
	}

SERVER_NUM(server_set_port, port, "--port", 0, 65535)
SERVER_NUM(server_set_grace, grace, "--grace", 0, 86400)
SERVER_NUM(server_set_signins, signin_failures, "--max-failed-signins", 0, 1000000)
SERVER_NUM(server_set_keepalive, keepalive, "--keepalive", 2, 3600)
SERVER_NUM(server_set_capacity, capacity, "--capacity", 1, 16)
SERVER_NUM(server_set_sla_wait, sla_wait, "--sla-wait", 1, 86400)
SERVER_NUM(server_set_sla_answer, sla_answer, "--sla-answer", 1, 7 * 86400)
SERVER_NUM(server_set_return_window, return_window, "--return-window", 0, 7 * 86400)
SERVER_NUM(server_set_mail_timeout, mail_timeout, "--mail-timeout", 1, 3600)
SERVER_NUM(server_set_max_conns, max_conns, "--max-connections", 1, 1000000)
SERVER_NUM(server_set_max_queue, max_queue, "--max-queue", 64 * 1024, 1L << 30)
SERVER_NUM(server_set_max_upload, max_upload, "--max-upload", 1, 1L << 30)
SERVER_NUM(server_set_link_ttl, link_ttl, "--link-ttl", 0, 7 * 86400)

static int server_set_listen(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (!*arg)
		die_usage("--listen: expected an address");
	((struct server_args *)settings)->listen = arg;
	return OPTS_OK;
}

static int server_set_ready_fd(void *settings, const char *arg, char **cause)
{
	(void)cause;
	int fd = (int)parse_num("--ready-fd", arg, 0, 1 << 20);
	if (fcntl(fd, F_GETFD) < 0)
		die_usage("--ready-fd %d: not an open file descriptor", fd);
	((struct server_args *)settings)->ready_fd = fd;
	return OPTS_OK;
}

static int server_set_level(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return hub_level(&((struct server_args *)settings)->level, arg);
}

static int server_set_lang(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (strcmp(arg, "ru") != 0 && strcmp(arg, "en") != 0)
		die_usage("--lang %s: expected ru or en", arg);
	((struct server_args *)settings)->lang = arg;
	return OPTS_OK;
}

static int server_set_queue(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct server_args *a = settings;
	const char *eq = strchr(arg, '=');
	char qname[PROTO_MAX_NAME + 1];
	if (!eq || eq == arg || (size_t)(eq - arg) > PROTO_MAX_NAME)
		die_usage("--queue %s: expected NAME=MODE", arg);
	snprintf(qname, sizeof qname, "%.*s", (int)(eq - arg), arg);
	if (!valid_queue_list(qname) || strchr(qname, ',') || strcmp(qname, "all") == 0)
		die_usage("--queue %s: a queue name is a-z, 0-9, - and _", arg);
	static const char *const modes[] = { "least-loaded", "round-robin", "manual" };
	int mode = -1;
	for (int k = 0; k < 3; k++)
		if (strcmp(eq + 1, modes[k]) == 0)
			mode = k;
	if (mode < 0)
		die_usage("--queue %s: the mode is least-loaded, round-robin or manual", arg);
	if (a->n_queues == a->max_queues)
		die_usage("--queue: at most %zu queues", a->max_queues);
	a->queues[a->n_queues++] = (struct hub_queue_config){ xstrdup(qname), (enum hub_queue_mode)mode };
	return OPTS_OK;
}

static int server_set_sendmail(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (!arg[strspn(arg, " \t")])
		die_usage("--sendmail: expected a command");
	((struct server_args *)settings)->sendmail = arg;
	return OPTS_OK;
}

static int server_set_mail_from(void *settings, const char *arg, char **cause)
{
	(void)cause;
	if (!hub_mail_addr_valid(arg))
		die_usage("--mail-from %s: expected one plain address, local@domain", arg);
	((struct server_args *)settings)->mail_from = arg;
	return OPTS_OK;
}

/* "60,300,1800,7200": the waits in seconds before each further attempt; "none": no retry. */
static int server_set_mail_retry(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct server_args *a = settings;
	if (strcmp(arg, "none") == 0) {
		a->n_mail_retry = -1;
		return OPTS_OK;
	}
	a->n_mail_retry = 0;
	const char *p = arg;
	for (;;) {
		char *end;
		errno = 0;
		long v = strtol(p, &end, 10);
		if (end == p || errno || v < 0 || v > 7 * 86400 || (*end && *end != ','))
			die_usage("--mail-retry %s: expected seconds separated by commas (e.g. 60,300), or none", arg);
		if (a->n_mail_retry == HUB_MAIL_MAX_RETRIES)
			die_usage("--mail-retry %s: at most %d retries", arg, HUB_MAIL_MAX_RETRIES);
		a->mail_retry[a->n_mail_retry++] = (int)v;
		if (!*end)
			return OPTS_OK;
		p = end + 1;
	}
}

/* A time for auto-close: N minutes, or Ns seconds, Nm minutes, Nh hours; 0: off. Seconds, or -1. */
static int parse_duration(const char *arg)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || errno || v < 0)
		return -1;
	long unit = 60;
	if (*end == 's')
		unit = 1, end++;
	else if (*end == 'm')
		end++;
	else if (*end == 'h')
		unit = 3600, end++;
	if (*end || v > 7L * 86400 / unit)
		return -1;
	return (int)(v * unit);
}

/* "[QUEUE=]TIME": that queue's auto-close time, or every queue's. */
static int server_set_auto_close(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct server_args *a = settings;
	const char *eq = strchr(arg, '=');
	int secs = parse_duration(eq ? eq + 1 : arg);
	if (secs < 0)
		die_usage("--auto-close %s: expected [QUEUE=]TIME, TIME in minutes or with s, m or h (10, 90s, 2h); 0: off",
			  arg);
	if (!eq) {
		a->auto_close_all = secs;
		return OPTS_OK;
	}
	char qname[PROTO_MAX_NAME + 1];
	if (eq == arg || (size_t)(eq - arg) > PROTO_MAX_NAME)
		die_usage("--auto-close %s: expected QUEUE=TIME", arg);
	snprintf(qname, sizeof qname, "%.*s", (int)(eq - arg), arg);
	if (!valid_queue_list(qname) || strchr(qname, ',') || strcmp(qname, "all") == 0)
		die_usage("--auto-close %s: a queue name is a-z, 0-9, - and _", arg);
	for (size_t i = 0; i < a->n_auto_close; i++) {
		if (strcmp(a->auto_close[i].queue, qname) == 0) {
			a->auto_close[i].seconds = secs;
			return OPTS_OK;
		}
	}
	if (a->n_auto_close == a->max_auto_close)
		die_usage("--auto-close: at most %zu queues", a->max_auto_close);
	a->auto_close[a->n_auto_close++] = (struct hub_auto_close){ xstrdup(qname), secs };
	return OPTS_OK;
}

/* "QUEUE=DAYS HH:MM-HH:MM; ...": that queue's working hours. */
static int server_set_hours(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct server_args *a = settings;
	const char *eq = strchr(arg, '=');
	char qname[PROTO_MAX_NAME + 1];
	if (!eq || eq == arg || (size_t)(eq - arg) > PROTO_MAX_NAME)
		die_usage("--hours %s: expected QUEUE=DAYS HH:MM-HH:MM (e.g. general=Mon-Fri 09:00-21:00)", arg);
	snprintf(qname, sizeof qname, "%.*s", (int)(eq - arg), arg);
	if (!valid_queue_list(qname) || strchr(qname, ',') || strcmp(qname, "all") == 0)
		die_usage("--hours %s: a queue name is a-z, 0-9, - and _", arg);
	size_t i = 0;
	while (i < a->n_hours && strcmp(a->hours[i].queue, qname) != 0)
		i++;
	if (i == a->max_hours)
		die_usage("--hours: at most %zu queues", a->max_hours);
	char *why = NULL;
	if (hub_hours_parse(eq + 1, &a->hours[i].hours, &why) != 0)
		die_usage("--hours %s: %s", arg, why);
	if (i == a->n_hours)
		a->hours[a->n_hours++].queue = xstrdup(qname);
	return OPTS_OK;
}

static int server_set_auto_close_grace(void *settings, const char *arg, char **cause)
{
	(void)cause;
	int secs = parse_duration(arg);
	if (secs < 1)
		die_usage("--auto-close-grace %s: expected a time in minutes or with s, m or h (2, 90s)", arg);
	((struct server_args *)settings)->auto_close_grace = secs;
	return OPTS_OK;
}

static int server_tls_file(const char **to, const char *opt, const char *arg)
{
	if (access(arg, R_OK) != 0)
		die_usage("--%s %s: %s", opt, arg, strerror(errno));
	*to = arg;
	return OPTS_OK;
}

static int server_set_tls_cert(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return server_tls_file(&((struct server_args *)settings)->tls_cert, "tls-cert", arg);
}

static int server_set_tls_key(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return server_tls_file(&((struct server_args *)settings)->tls_key, "tls-key", arg);
}

static int server_set_config(void *settings, const char *arg, char **cause)
{
	(void)settings, (void)arg, (void)cause;
	return OPTS_OK; /* read before the others (main_server) */
}

static int server_set_version(void *settings, const char *arg, char **cause)
{
	(void)arg, (void)cause;
	((struct server_args *)settings)->version = true;
	printf("%s %s (protocol v%d, database schema v%d)\n", PROG, OPDESK_VERSION, PROTO_VERSION,
	       HUB_DB_SCHEMA_VERSION);
	return OPTS_DONE;
}

#define SERVER_CALL(fn) HUB_CALL(server_set_##fn)

/* The server's options; a config file's keys are their long names (but config and ready-fd). */
static const struct opts_entry server_options[] = {
    {"listen", 0, "ADDR", "address to listen on (default 127.0.0.1)", SERVER_CALL(listen)},
    {"port", 0, "N", "port to listen on, 0 = any free port (default 8740)", SERVER_CALL(port)},
    {"db", 0, "FILE|URI",
     "the database: an SQLite file (default $XDG_DATA_HOME/opdesk/hub.db), or a\n"
     "PostgreSQL database (postgresql://USER@HOST/DB)",
     HUB_STRING(struct server_args, db_path)},
    {"files", 0, "DIR",
     "uploaded files (default files/ beside an SQLite database, else\n"
     "$XDG_DATA_HOME/opdesk/files)",
     HUB_STRING(struct server_args, files_dir)},
    {"standby", 0, NULL,
     "PostgreSQL: if another hub serves the database, wait and take over when\n"
     "it stops (without it such a start fails); give it to every hub of a group",
     .kind = OPTS_TRUE, .field = offsetof(struct server_args, standby)},
    {"ready-fd", 0, "FD", "once listening, write the port and a newline to FD, then close it",
     SERVER_CALL(ready_fd)},
    {"queue", 0, "NAME=MODE",
     "how queue NAME is routed: least-loaded (default), round-robin, or\n"
     "manual (chats wait until an operator takes one); repeatable",
     SERVER_CALL(queue)},
    {"return-window", 0, "S",
     "a customer back within S seconds of their last chat goes first in the\n"
     "queue, to the operator they had if free (default 1800; 0: off)",
     SERVER_CALL(return_window)},
    {"grace", 0, "S",
     "an operator who disconnects keeps their dialogs S seconds, then they go\n"
     "back to the front of the queue (default 120; 0: at once)",
     SERVER_CALL(grace)},
    {"sla-wait", 0, "S",
     "supervisors: a chat waiting longer than S seconds raises an alert and\n"
     "misses the service level (default 13)",
     SERVER_CALL(sla_wait)},
    {"sla-answer", 0, "S",
     "supervisors: a customer unanswered for S seconds in a held chat raises\n"
     "an alert (default 300)",
     SERVER_CALL(sla_answer)},
    {"keepalive", 0, "S",
     "ping a connection silent for S seconds; drop it when nothing, not even\n"
     "the answer, comes within S/2 more (default 20)",
     SERVER_CALL(keepalive)},
    {"max-failed-signins", 0, "N",
     "after N failed sign-ins from one address within a minute, refuse its\n"
     "sign-ins without checking them until the minute is over (default 10; 0: off)",
     SERVER_CALL(signins)},
    {"max-connections", 0, "N", "WebSocket connections at once; more are closed with 1013 (default 10000)",
     SERVER_CALL(max_conns)},
    {"max-queue", 0, "BYTES", "cut off a connection that lets more than this wait unread (default 8 MiB)",
     SERVER_CALL(max_queue)},
    {"max-upload", 0, "BYTES", "the largest file a customer or an operator may upload (default 10000000)",
     SERVER_CALL(max_upload)},
    {"link-ttl", 0, "S", "how long a file's signed link and an upload ticket last (default 600)",
     SERVER_CALL(link_ttl)},
    {"tls-cert", 0, "FILE", "serve wss:// (and https://) with this PEM certificate chain...",
     SERVER_CALL(tls_cert)},
    {"tls-key", 0, "FILE", "... and this PEM private key (both or neither)", SERVER_CALL(tls_key)},
    {"config", 0, "FILE",
     "read settings from FILE (default $XDG_CONFIG_HOME/opdesk/hub.conf, if it\n"
     "exists): KEY = VALUE lines, the keys being these long options (queue may\n"
     "repeat; a switch: yes or no); flags given here override the file",
     SERVER_CALL(config)},
    {"log-level", 0, "LEVEL", "error, warn, info (default) or debug; logs go to stderr", SERVER_CALL(level)},
    {"capacity", 0, "N",
     "every operator handles at most N chats at once, 1..16\n"
     "(default: each operator's own capacity, 4 unless set)",
     SERVER_CALL(capacity)},
    {"lang", 0, "ru|en", "language of canned replies and system messages (default ru)", SERVER_CALL(lang)},
    {"hours", 0, "QUEUE=SPEC",
     "QUEUE's working hours in local time, e.g. general=Mon-Fri 09:00-21:00;\n"
     "Sat 10:00-16:00 (repeatable; default: always); outside them the web\n"
     "chat takes offline requests",
     SERVER_CALL(hours)},
    {"auto-close", 0, "[QUEUE=]TIME",
     "warn the customer of a held chat who has not written for TIME after the\n"
     "operator's last message, and close the chat if still silent after the\n"
     "grace; TIME in minutes, or 90s, 2h; for one QUEUE (repeatable) or every\n"
     "queue; 0: off (the default)",
     SERVER_CALL(auto_close)},
    {"auto-close-grace", 0, "TIME", "between the warning and the close (default 2 minutes)",
     SERVER_CALL(auto_close_grace)},
    {"sendmail", 0, "COMMAND",
     "send mail (transcripts, answers to requests) with COMMAND, the message\n"
     "on its stdin; split on blanks, run without a shell (default\n"
     "\"" HUB_DEFAULT_SENDMAIL "\")",
     SERVER_CALL(sendmail)},
    {"mail-from", 0, "ADDR", "the mails' sender (default opdesk@ and this host's name)", SERVER_CALL(mail_from)},
    {"mail-timeout", 0, "S", "kill a sendmail command still running after S seconds (default 60)",
     SERVER_CALL(mail_timeout)},
    {"mail-retry", 0, "S,...",
     "after a failed attempt, try again after these waits in seconds, then\n"
     "give up (default " HUB_DEFAULT_MAIL_RETRY "; none: no retry)",
     SERVER_CALL(mail_retry)},
    HUB_HELP,
    {"version", 0, NULL, "show the version and exit", SERVER_CALL(version)},
    HUB_END,
};
static const struct opts_table server_opts = {.entries = server_options,
					      .help_column = 23,
					      .missing = "%s needs a value",
					      .unknown = "unknown option %s",
					      .at = server_at};

/* The config file's settings as "--KEY=VALUE" arguments before the command line's (so that flags override
 * them): a new argv (heap) in *argv, its arguments in *conf. */
static void server_conf_args(int *argc, char ***argv, struct hub_conf_args *conf)
{
	const char *conf_path = NULL;
	for (int i = 1; i < *argc; i++) {
		if (strcmp((*argv)[i], "--config") == 0 && i + 1 < *argc)
			conf_path = (*argv)[i + 1];
		else if (strncmp((*argv)[i], "--config=", 9) == 0)
			conf_path = (*argv)[i] + 9;
	}
	char *def_conf = conf_path ? NULL : hub_conf_default_path();
	static const char *const cli_only[] = { "config", "ready-fd", "help", "version", NULL };
	char *conf_cause = NULL;
	struct option *opts = opts_long(&server_opts);
	if ((conf_path || def_conf) &&
	    hub_conf_read(conf_path ? conf_path : def_conf, conf_path != NULL, opts, cli_only, conf, &conf_cause) != 0) {
		fprintf(stderr, PROG ": %s\n", conf_cause);
		exit(EXIT_USAGE);
	}
	free(opts);
	if (!conf_path && !def_conf)
		memset(conf, 0, sizeof *conf);
	free(def_conf);
	char **args = xmalloc((size_t)(*argc + conf->n + 1) * sizeof *args);
	args[0] = (*argv)[0];
	if (conf->n)
		memcpy(args + 1, conf->argv, (size_t)conf->n * sizeof *args);
	memcpy(args + 1 + conf->n, *argv + 1, (size_t)*argc * sizeof *args); /* with the final NULL */
	*argc += conf->n;
	*argv = args;
}

/* Run the hub with the checked settings until SIGTERM or SIGINT. */
static int server_run(const struct server_args *a)
{
	const char *listen = a->listen, *db_path = a->db_path, *lang = a->lang, *tls_cert = a->tls_cert,
		   *tls_key = a->tls_key;
	int port = a->port, ready_fd = a->ready_fd, capacity = a->capacity, keepalive = a->keepalive;
	char *path = db_path ? xstrdup(db_path) : default_db_path();
	if (a->standby && !hub_db_target_is_postgres(path))
		die_usage("--standby is for hubs on a PostgreSQL database");
	struct hub_db *db = open_serving_db(path, !db_path, a->standby);
	if (!db) {
		free(path);
		return 0;
	}
	char *shown = hub_db_target_name(path);
	log_info("database %s (%s, schema v%d)", shown, hub_db_is_postgres(db) ? "PostgreSQL" : "SQLite",
		 hub_db_version(db));
	free(shown);
	char *files_dir = default_files_dir(a->files_dir, path, hub_db_is_postgres(db));
	free(path);

	char *cause = NULL;
	struct hub_config hcfg = { .lang = lang,
				   .capacity = capacity,
				   .grace_s = a->grace,
				   .signin_failures = a->signin_failures,
				   .return_window_s = a->return_window,
				   .sla_wait_s = a->sla_wait,
				   .sla_answer_s = a->sla_answer,
				   .queues = a->queues,
				   .n_queues = a->n_queues,
				   .files_dir = files_dir,
				   .max_upload = a->max_upload,
				   .link_ttl_ms = a->link_ttl * 1000LL,
				   .sendmail = a->sendmail,
				   .mail_from = a->mail_from,
				   .mail_timeout_s = a->mail_timeout,
				   .n_mail_retry = a->n_mail_retry,
				   .auto_close = a->auto_close,
				   .n_auto_close = a->n_auto_close,
				   .auto_close_all_s = a->auto_close_all,
				   .auto_close_grace_s = a->auto_close_grace,
				   .hours = a->hours,
				   .n_hours = a->n_hours };
	memcpy(hcfg.mail_retry_s, a->mail_retry, sizeof hcfg.mail_retry_s);
	struct hub *hub = hub_new(db, &hcfg, &cause);
	free(files_dir);
	if (!hub) {
		hub_db_close(db);
		die("%s", cause);
	}
	struct hub_server_config scfg = {
		.listen = listen,
		.port = port,
		.ready_fd = ready_fd,
		.max_queue = a->max_queue,
		.max_conns = a->max_conns,
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
	if (hub_fenced(hub))
		rc = 1;
	hub_free(hub);
	hub_server_free(srv);
	hub_db_close(db);
	return rc;
}

static int main_server(int argc, char **argv)
{
	struct hub_conf_args conf;
	server_conf_args(&argc, &argv, &conf);
	static struct hub_queue_config queues[32];
	static struct hub_auto_close auto_close[32];
	static struct hub_queue_hours hours[8];
	struct server_args a = {
		.listen = "127.0.0.1", .lang = "ru", .port = 8740, .ready_fd = -1, .level = LOG_INFO,
		.max_queue = MAX_QUEUE_BYTES, .max_conns = 10000, .return_window = 1800,
		.grace = HUB_DEFAULT_GRACE_S, .keepalive = 20, .signin_failures = HUB_DEFAULT_SIGNIN_FAILURES,
		.sla_wait = HUB_DEFAULT_SLA_WAIT_S, .sla_answer = HUB_DEFAULT_SLA_ANSWER_S,
		.max_upload = HUB_DEFAULT_MAX_UPLOAD, .link_ttl = HUB_DEFAULT_LINK_TTL_S,
		.queues = queues, .max_queues = sizeof queues / sizeof *queues, .conf = &conf,
		.auto_close = auto_close, .max_auto_close = sizeof auto_close / sizeof *auto_close,
		.hours = hours, .max_hours = sizeof hours / sizeof *hours,
	};
	char *cause = NULL;
	int rc = opts_parse(&server_opts, argc, argv, &a, &cause);
	if (rc == OPTS_ERROR)
		die_usage("%s", cause);
	if (rc == OPTS_DONE) {
		hub_conf_free(&conf);
		free(argv);
		return 0;
	}
	usage_where = NULL;
	if (optind < argc)
		die_usage("unexpected argument \"%s\"", argv[optind]);
	if (a.ready_fd >= 0 && a.ready_fd <= 2)
		die_usage("--ready-fd %d: use a descriptor other than stdin, stdout or stderr", a.ready_fd);
	if (!a.tls_cert != !a.tls_key)
		die_usage("--tls-cert and --tls-key go together");
	log_init(PROG, stderr, (enum log_level)a.level);
	rc = server_run(&a);
	hub_conf_free(&conf);
	free(argv);
	log_info("stopped");
	return rc == 0 ? 0 : 1;
}

/* ---- canned replies ---- */

struct canned_args {
	const char *db_path;
};

static const struct opts_entry canned_options[] = {
    {"db", 0, "FILE", "database file or PostgreSQL URI (default $XDG_DATA_HOME/opdesk/hub.db)",
     HUB_STRING(struct canned_args, db_path)},
    HUB_HELP,
    HUB_END,
};
static const struct opts_table canned_opts = HUB_TABLE(canned_options);

static int main_canned(int argc, char **argv)
{
	struct canned_args ca = {NULL};
	char *cause = NULL;
	optind = 2; /* after "canned" */
	int rc = opts_parse(&canned_opts, argc, argv, &ca, &cause);
	if (rc == OPTS_ERROR)
		die_usage("%s", cause);
	if (rc == OPTS_DONE)
		return 0;
	const char *db_path = ca.db_path;
	if (argc - optind != 2 || (strcmp(argv[optind], "export") != 0 && strcmp(argv[optind], "import") != 0))
		die_usage("canned: expected export FILE or import FILE");
	log_init(PROG, stderr, LOG_WARN);
	char *def = db_path ? NULL : default_db_path();
	struct hub_db *db = open_db(db_path ? db_path : def, def != NULL);
	free(def);
	rc = strcmp(argv[optind], "export") == 0 ? hub_canned_export(db, argv[optind + 1], &cause)
	                                          : hub_canned_import(db, argv[optind + 1], &cause);
	if (rc == 0 && strcmp(argv[optind], "import") == 0)
		hub_db_audit_add(db, proto_now_ms(), "cli", "canned-import", 0, argv[optind + 1]);
	hub_db_close(db);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", cause);
		free(cause);
		return 1;
	}
	return 0;
}

/* ---- report and audit: they share their options (a period, a database, CSV) ---- */

struct report_args {
	bool audit;
	const char *db_path, *actor;
	int64_t since, until;
	enum hub_report_by by;
	bool csv;
};

static int report_date(int64_t *to, const char *opt, const char *arg)
{
	int64_t t = hub_report_parse_date(arg);
	if (t < 0)
		die_usage("--%s %s: expected YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"", opt, arg);
	*to = t;
	return OPTS_OK;
}

static int report_set_since(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return report_date(&((struct report_args *)settings)->since, "since", arg);
}

static int report_set_until(void *settings, const char *arg, char **cause)
{
	(void)cause;
	return report_date(&((struct report_args *)settings)->until, "until", arg);
}

static int report_set_actor(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct report_args *r = settings;
	if (!r->audit)
		die_usage("--actor only goes with audit");
	r->actor = arg;
	return OPTS_OK;
}

static int report_set_by(void *settings, const char *arg, char **cause)
{
	(void)cause;
	struct report_args *r = settings;
	if (r->audit)
		die_usage("--by only goes with report");
	if (strcmp(arg, "operator") == 0)
		r->by = HUB_REPORT_OPERATOR;
	else if (strcmp(arg, "queue") == 0)
		r->by = HUB_REPORT_QUEUE;
	else if (strcmp(arg, "topic") == 0)
		r->by = HUB_REPORT_TOPIC;
	else
		die_usage("--by %s: expected operator, queue or topic", arg);
	return OPTS_OK;
}

static const struct opts_entry report_options[] = {
    {"db", 0, "FILE", "database file or PostgreSQL URI (default $XDG_DATA_HOME/opdesk/hub.db)",
     HUB_STRING(struct report_args, db_path)},
    {"since", 0, "DATE", "the period's start: YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (required)",
     HUB_CALL(report_set_since)},
    {"until", 0, "DATE", "the period's end (default: now)", HUB_CALL(report_set_until)},
    {"by", 0, "operator|queue|topic", "report: a row per operator (default), queue or topic",
     HUB_CALL(report_set_by)},
    {"actor", 0, "NAME", "audit: only what NAME did", HUB_CALL(report_set_actor)},
    {"csv", 0, NULL, "CSV instead of a table", .kind = OPTS_TRUE, .field = offsetof(struct report_args, csv)},
    HUB_HELP,
    HUB_END,
};
static const struct opts_table report_opts = HUB_TABLE(report_options);

static int main_report(int argc, char **argv)
{
	struct report_args r = {.audit = strcmp(argv[1], "audit") == 0, .since = -1, .until = proto_now_ms() + 1,
				.by = HUB_REPORT_OPERATOR};
	char *cause = NULL;
	optind = 2; /* after "report" */
	int rc = opts_parse(&report_opts, argc, argv, &r, &cause);
	if (rc == OPTS_ERROR)
		die_usage("%s", cause);
	if (rc == OPTS_DONE)
		return 0;
	const char *db_path = r.db_path;
	if (optind < argc)
		die_usage("%s: unexpected argument %s", argv[1], argv[optind]);
	if (r.since < 0)
		die_usage("%s: --since DATE is required", argv[1]);
	log_init(PROG, stderr, LOG_WARN);
	char *def = db_path ? NULL : default_db_path();
	struct hub_db *db = open_db(db_path ? db_path : def, false);
	free(def);
	rc = r.audit ? hub_audit_print(db, r.since, r.until, r.actor, r.csv, stdout, &cause)
		     : hub_report(db, r.since, r.until, r.by, r.csv, stdout, &cause);
	hub_db_close(db);
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", cause);
		free(cause);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- blocked customers ---- */

static int main_block(int argc, char **argv)
{
	struct canned_args ca = {NULL};
	char *cause = NULL;
	optind = 2; /* after "block" */
	int rc = opts_parse(&canned_opts, argc, argv, &ca, &cause);
	if (rc == OPTS_ERROR)
		die_usage("%s", cause);
	if (rc == OPTS_DONE)
		return 0;
	bool list = argc - optind == 1 && strcmp(argv[optind], "list") == 0;
	bool remove = argc - optind == 2 && strcmp(argv[optind], "remove") == 0;
	char *end = NULL;
	long long id = remove ? strtoll(argv[optind + 1], &end, 10) : 0;
	if (!list && !remove)
		die_usage("block: expected list, or remove ID");
	if (remove && (id <= 0 || *end))
		die_usage("block remove: \"%s\" is not a block's number (see block list)", argv[optind + 1]);
	log_init(PROG, stderr, LOG_WARN);
	char *def = ca.db_path ? NULL : default_db_path();
	struct hub_db *db = open_db(ca.db_path ? ca.db_path : def, def != NULL);
	free(def);
	rc = list ? hub_blocks_print(db, stdout, &cause) : hub_blocks_remove(db, id, "cli", &cause);
	hub_db_close(db);
	if (rc == 1) {
		fprintf(stderr, PROG ": block %lld is not in force (see block list)\n", id);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": %s\n", cause);
		free(cause);
		return 1;
	}
	if (remove)
		fprintf(stderr, PROG ": block %lld lifted\n", id);
	return 0;
}

/* ---- the subcommands, as a table; without one, the hub runs ---- */

static const struct hub_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const struct opts_table *opts; /* its options (commands sharing a table are listed together) */
	const char *help;              /* one line of --help */
} hub_commands[] = {
	{ "user", main_user, &user_opts, "operator accounts: add, list, passwd, disable, enable, skills" },
	{ "bridge", main_user, &user_opts, "messenger bridges' accounts: add, list, passwd, disable, enable" },
	{ "canned", main_canned, &canned_opts, "canned replies: export or import them as JSON" },
	{ "block", main_block, &canned_opts, "blocked customers: list the blocks in force, remove one" },
	{ "report", main_report, &report_opts, "the service quality of a period, as a table or CSV" },
	{ "audit", main_report, &report_opts, "who did what, and when, in a period" },
};
#define HUB_N_COMMANDS (sizeof hub_commands / sizeof *hub_commands)

/* --help of every command: the synopsis, the server's options, the commands, each command's options. */
static void hub_help(void)
{
	fputs(usage_head, stdout);
	fputs("Server options:\n", stdout);
	opts_print_help(stdout, &server_opts);
	fputs("\nCommands:\n", stdout);
	for (size_t i = 0; i < HUB_N_COMMANDS; i++)
		printf("  %-21s%s\n", hub_commands[i].name, hub_commands[i].help);
	for (size_t i = 0; i < HUB_N_COMMANDS; i++) {
		if (i > 0 && hub_commands[i - 1].opts == hub_commands[i].opts)
			continue; /* listed with the one before */
		printf("\nOptions of %s", hub_commands[i].name);
		for (size_t j = i + 1; j < HUB_N_COMMANDS && hub_commands[j].opts == hub_commands[i].opts; j++)
			printf(" and %s", hub_commands[j].name);
		fputs(":\n", stdout);
		opts_print_help(stdout, hub_commands[i].opts);
	}
	fputs(usage_tail, stdout);
}

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < HUB_N_COMMANDS; i++)
		if (strcmp(argv[1], hub_commands[i].name) == 0)
			return hub_commands[i].run(argc, argv);
	return main_server(argc, argv);
}

/* opts.h: a program's command-line options as one table, as tmux's options-table.c: each entry's long name,
 * short letter, argument, help text and what it sets (a field of the program's settings, or a setter) feed
 * both getopt_long and the --help output, so the two cannot drift apart (and a test compares --help with
 * the man page). The helper prints nothing on its own: errors come back as a sentence for the program's own
 * usage-error format, and the help texts are translated (gettext) when printed. */
#ifndef OPDESK_OPTS_H
#define OPDESK_OPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What applying an option (or parsing the command line) came to. */
enum opts_result {
	OPTS_ERROR = -1, /* a usage error: *cause (heap) says what */
	OPTS_OK = 0,     /* go on */
	OPTS_DONE = 1,   /* the program has answered (--help, --version): exit 0 */
};

enum opts_kind {
	OPTS_CALL,   /* run .set */
	OPTS_STRING, /* store the argument in the `const char *` at .field of the settings */
	OPTS_TRUE,   /* store true in the `bool` at .field */
};

struct opts_entry {
	const char *name; /* the long name without "--"; NULL ends the table */
	int letter;       /* the short option ('x' for -x), 0: none */
	const char *arg;  /* the argument's name in --help ("FILE", N_() text); NULL: the option takes none */
	const char *help; /* one line of --help (N_() text); a "\n" starts a continuation line */
	enum opts_kind kind;
	size_t field; /* OPTS_STRING, OPTS_TRUE: offsetof the settings' field */
	/* OPTS_CALL: apply it to the settings (arg NULL when the option takes none). Returns an opts_result,
	 * with *cause (heap) on OPTS_ERROR. */
	int (*set)(void *settings, const char *arg, char **cause);
};

struct opts_table {
	const struct opts_entry *entries; /* ended by an entry with a NULL name */
	int help_column;                  /* where the help texts start in --help */
	/* The sentences of getopt's own errors, with %s the option as given: a value is missing, and an
	 * option the table does not have (N_() texts, or plain ones for a program that is not translated). */
	const char *missing, *unknown;
	/* Told the argv index of each option before it is applied or refused, NULL: not wanted (the hub names
	 * the config file's line an option came from). */
	void (*at)(void *settings, int index);
};

/* Read the options of argv from optind on (getopt_long over the table, permuting as GNU getopt does, so
 * operands end up after optind), applying each in the order given. Returns OPTS_OK with optind at the first
 * operand, OPTS_DONE, or OPTS_ERROR with *cause (heap). */
int opts_parse(const struct opts_table *t, int argc, char **argv, void *settings, char **cause);

/* The getopt_long arrays of a table (heap): long options ended by a zero entry, and the short-option string
 * (led by ':'). Their `val` of an entry without a letter is 256 + its index. For readers that need them
 * (the hub's config file checks its keys against the long options). */
struct option *opts_long(const struct opts_table *t);
char *opts_short(const struct opts_table *t);

/* The options part of --help: one "  --name ARG  help" entry per option, the texts translated, continuation
 * lines aligned at the table's help column. */
void opts_print_help(FILE *out, const struct opts_table *t);

#endif

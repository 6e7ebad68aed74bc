/* opts.c: command-line options from a table: getopt_long's arrays, the parse loop, and --help (see opts.h). */
#include "opdesk/opts.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/i18n.h"
#include "opdesk/utf8.h"
#include "opdesk/xalloc.h"

#define OPTS_VAL_BASE 256

static size_t opts_count(const struct opts_table *t)
{
	size_t n = 0;
	while (t->entries[n].name)
		n++;
	return n;
}

struct option *opts_long(const struct opts_table *t)
{
	size_t n = opts_count(t);
	struct option *o = xcalloc(n + 1, sizeof *o);
	for (size_t i = 0; i < n; i++) {
		const struct opts_entry *e = &t->entries[i];
		o[i] = (struct option){e->name, e->arg ? required_argument : no_argument, NULL,
		                       e->letter ? e->letter : OPTS_VAL_BASE + (int)i};
	}
	return o;
}

char *opts_short(const struct opts_table *t)
{
	size_t n = opts_count(t);
	char *s = xmalloc(2 * n + 2), *p = s;
	*p++ = ':'; /* a missing value is told apart from an unknown option */
	for (size_t i = 0; i < n; i++) {
		if (!t->entries[i].letter)
			continue;
		*p++ = (char)t->entries[i].letter;
		if (t->entries[i].arg)
			*p++ = ':';
	}
	*p = '\0';
	return s;
}

static const struct opts_entry *opts_entry_of(const struct opts_table *t, int val)
{
	if (val >= OPTS_VAL_BASE)
		return &t->entries[val - OPTS_VAL_BASE];
	for (const struct opts_entry *e = t->entries; e->name; e++)
		if (e->letter && e->letter == val)
			return e;
	return NULL;
}

static int opts_apply(const struct opts_entry *e, void *settings, const char *arg, char **cause)
{
	switch (e->kind) {
	case OPTS_STRING:
		*(const char **)((char *)settings + e->field) = arg;
		return OPTS_OK;
	case OPTS_TRUE:
		*(bool *)((char *)settings + e->field) = true;
		return OPTS_OK;
	case OPTS_CALL:
		break;
	}
	return e->set(settings, arg, cause);
}

int opts_parse(const struct opts_table *t, int argc, char **argv, void *settings, char **cause)
{
	struct option *lo = opts_long(t);
	char *so = opts_short(t);
	int rc = OPTS_OK, c, at = optind;
	opterr = 0; /* the program reports errors in its own words */
	while (rc == OPTS_OK && (c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (t->at)
			t->at(settings, at);
		at = optind;
		const struct opts_entry *e = c == ':' || c == '?' ? NULL : opts_entry_of(t, c);
		if (e) {
			rc = opts_apply(e, settings, e->arg ? optarg : NULL, cause);
		} else {
			*cause = xasprintf(_(c == ':' ? t->missing : t->unknown), argv[optind - 1]);
			rc = OPTS_ERROR;
		}
	}
	free(lo);
	free(so);
	return rc;
}

/* Columns of a UTF-8 text in a terminal: the help texts are letters of one column each. */
static int opts_width(const char *s)
{
	return (int)utf8_length(s, strlen(s));
}

void opts_print_help(FILE *out, const struct opts_table *t)
{
	for (const struct opts_entry *e = t->entries; e->name; e++) {
		char *left;
		if (e->letter)
			left = xasprintf("  -%c, --%s%s%s", e->letter, e->name, e->arg ? " " : "", e->arg ? _(e->arg) : "");
		else
			left = xasprintf("  --%s%s%s", e->name, e->arg ? " " : "", e->arg ? _(e->arg) : "");
		int w = opts_width(left);
		/* a long name takes the column and two spaces more */
		int pad = w + 2 > t->help_column ? 2 : t->help_column - w;
		fputs(left, out);
		free(left);
		const char *help = e->help && *e->help ? _(e->help) : ""; /* gettext("") is the catalogue's header */
		if (!*help)
			fputc('\n', out);
		for (bool first = true; *help; first = false) {
			const char *nl = strchr(help, '\n');
			size_t len = nl ? (size_t)(nl - help) : strlen(help);
			fprintf(out, "%*s%.*s\n", first ? pad : t->help_column, "", (int)len, help);
			help += len + (nl ? 1 : 0);
		}
	}
}

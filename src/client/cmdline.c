/* cmdline.c: running and completing command lines (see cmdline.h). */
#include "opdesk/cmdline.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

void cmdline_offer_add(struct cmdline_offer *o, const char *value, const char *note)
{
	o->v = xgrow(o->v, &o->cap, o->n + 1, sizeof *o->v);
	o->v[o->n].value = xstrdup(value);
	o->v[o->n].note = note && *note ? xstrdup(note) : NULL;
	o->n++;
}

void cmdline_offer_free(struct cmdline_offer *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].value);
		free(o->v[i].note);
	}
	free(o->v);
	memset(o, 0, sizeof *o);
}

bool cmdline_offers(const struct cmd_entry *e)
{
	return e->group != CMD_GROUP_POPUP;
}

static const char *cmdline_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

unsigned cmdline_run(struct cmd_ctx *ctx, const char *line)
{
	line = cmdline_skip_blanks(line);
	size_t n = strcspn(line, " \t");
	if (n == 0)
		return 0;
	char *name = xstrndup(line, n);
	char *arg = xstrdup(cmdline_skip_blanks(line + n));
	for (size_t k = strlen(arg); k > 0 && (arg[k - 1] == ' ' || arg[k - 1] == '\t'); k--)
		arg[k - 1] = '\0';
	const struct cmd_entry *e = cmd_find(name);
	unsigned res = 0;
	if (!e || !cmdline_offers(e))
		desk_set_error(ctx->desk, _("unknown command \"%s\" (Tab lists them)"), name);
	else
		res = cmd_run(ctx, e->name, arg);
	free(name);
	free(arg);
	return res;
}

/* Keep only the candidates that start with `word` (any case). */
static void cmdline_filter(struct cmdline_offer *o, const char *word)
{
	size_t len = strlen(word), k = 0;
	for (size_t i = 0; i < o->n; i++) {
		if (strncasecmp(o->v[i].value, word, len) == 0) {
			o->v[k++] = o->v[i];
		} else {
			free(o->v[i].value);
			free(o->v[i].note);
		}
	}
	o->n = k;
}

/* How many bytes every candidate shares (any case), on whole UTF-8 characters. */
static size_t cmdline_common(const struct cmdline_offer *o)
{
	size_t len = o->n ? strlen(o->v[0].value) : 0;
	for (size_t i = 1; i < o->n; i++) {
		size_t k = 0;
		while (k < len && o->v[i].value[k] && (o->v[i].value[k] | 0x20) == (o->v[0].value[k] | 0x20))
			k++;
		len = k;
	}
	while (len > 0 && ((unsigned char)o->v[0].value[len] & 0xC0) == 0x80)
		len--; /* not inside a character */
	return len;
}

char *cmdline_complete(struct cmd_ctx *ctx, const char *line, struct cmdline_offer *offer)
{
	memset(offer, 0, sizeof *offer);
	const char *start = cmdline_skip_blanks(line);
	size_t n = strcspn(start, " \t");
	const char *word;
	if (start[n] == '\0') { /* the command's name */
		word = start;
		for (size_t i = 0; cmd_table[i]; i++)
			if (cmdline_offers(cmd_table[i]))
				cmdline_offer_add(offer, cmd_table[i]->name, _(cmd_table[i]->help));
	} else {
		char *name = xstrndup(start, n);
		const struct cmd_entry *e = cmd_find(name);
		free(name);
		word = cmdline_skip_blanks(start + n);
		if (e && e->args && cmdline_offers(e))
			e->args(ctx, offer);
	}
	cmdline_filter(offer, word);
	size_t keep = (size_t)(word - line), common = cmdline_common(offer);
	if (offer->n == 0 || common < strlen(word))
		return xstrdup(line);
	size_t len = keep + common;
	char *out = xmalloc(len + 2);
	memcpy(out, line, keep);
	memcpy(out + keep, offer->v[0].value, common);
	out[len] = '\0';
	if (offer->n == 1) {
		out[len] = ' ';
		out[len + 1] = '\0';
	}
	return out;
}

/* cmdline.h: the command prompt's language, without curses. A line "NAME [ARGUMENT]" runs the command of
 * that name with that argument, exactly as a key bound to it would (the names are those of the key table,
 * the help and the settings file); Tab completes the name, then the argument from what the command takes
 * now (topics for close, queues and colleagues for transfer, waiting chats for take, themes for theme). */
#ifndef OPDESK_CMDLINE_H
#define OPDESK_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "opdesk/cmd.h"

/* What Tab may offer: values, each with an optional note shown beside it ("42 Ольга"). */
struct cmdline_offer {
	struct cmdline_choice {
		char *value, *note;
	} *v;
	size_t n, cap;
};

void cmdline_offer_add(struct cmdline_offer *o, const char *value, const char *note);
void cmdline_offer_free(struct cmdline_offer *o);

/* Whether the prompt offers the command (a popup's own commands are not: they act on that popup). */
bool cmdline_offers(const struct cmd_entry *e);

/* Run one line. An empty line does nothing; an unknown name or a popup's command sets the desk's error. */
unsigned cmdline_run(struct cmd_ctx *ctx, const char *line);

/* Complete the line's last word. Returns the new line (heap): the word completed as far as every candidate
 * agrees (and a space after it when only one is left). *offer gets the candidates that match (empty when
 * none does); the caller frees it. */
char *cmdline_complete(struct cmd_ctx *ctx, const char *line, struct cmdline_offer *offer);

#endif

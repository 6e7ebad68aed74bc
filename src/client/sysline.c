/* sysline.c: the hub's own lines in the operator's language, from their kind and args (see sysline.h). Each kind
 * is a row of the table: the args it needs, and its text without and with the optional note. */
#include "opdesk/sysline.h"

#include <stdlib.h>
#include <string.h>

#include "opdesk/filecheck.h"
#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

/* Which argument fills the line's one %s (the note, when there is one, fills a second). */
enum sysline_arg { SYSLINE_NONE, SYSLINE_NAME, SYSLINE_QUEUE, SYSLINE_CATEGORY };

struct sysline_kind {
	const char *kind;
	enum sysline_arg arg;
	const char *text;      /* N_(): with one %s unless arg is SYSLINE_NONE */
	const char *with_note; /* N_(): the same with the note as a second %s; NULL: the note is not shown */
};

static const struct sysline_kind sysline_kinds[] = {
    {"joined", SYSLINE_NAME, N_("Operator %s joined the chat"), NULL},
    {"left", SYSLINE_NONE, N_("The customer left the chat"), NULL},
    {"back", SYSLINE_NONE, N_("The customer is back in the chat"), NULL},
    {"requeued", SYSLINE_NONE, N_("To the customer: your chat has been passed to another specialist, please wait."),
     NULL},
    {"transferred_queue", SYSLINE_QUEUE, N_("Transferred to queue \"%s\""), N_("Transferred to queue \"%s\": %s")},
    {"transferred_operator", SYSLINE_NAME, N_("Transferred to operator %s"), N_("Transferred to operator %s: %s")},
    {"taken_over", SYSLINE_NAME, N_("Supervisor %s took over the chat"), NULL},
    {"claim", SYSLINE_CATEGORY, N_("claim (%s)"), N_("claim (%s): %s")},
    {"idle_warning", SYSLINE_NONE, N_("To the customer: are you still with us? The chat closes soon without a reply."),
     NULL},
    {"idle_closed", SYSLINE_NONE, N_("Closed by the hub: the customer did not reply"), NULL},
};

static const char *const sysline_claims[][2] = {
    {"quality", N_("quality")},
    {"completeness", N_("completeness")},
    {"delivery", N_("delivery")},
    {"service", N_("service")},
};

const char *sysline_claim_label(const char *category)
{
	for (size_t i = 0; category && i < sizeof sysline_claims / sizeof *sysline_claims; i++)
		if (strcmp(sysline_claims[i][0], category) == 0)
			return _(sysline_claims[i][1]);
	return category ? category : "?";
}

/* "📎 photo.jpg · JPEG · 1.2 MB": a file message (docs/protocol.md, "Files"); the name is the customer's. */
static char *sysline_file(const struct desk_message *m)
{
	static const char *const types[][2] = {{"jpeg", "JPEG"}, {"png", "PNG"}, {"webp", "WebP"}, {"pdf", "PDF"}};
	const struct desk_line *l = desk_message_line(m);
	if (!l->args.filename)
		return NULL;
	const char *t = l->args.type ? l->args.type : "?";
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strcmp(t, types[i][0]) == 0)
			t = types[i][1];
	char size[32];
	filecheck_size_text(l->args.size, size, sizeof size);
	return xasprintf("\xf0\x9f\x93\x8e %s \xc2\xb7 %s \xc2\xb7 %s", l->args.filename, t, size);
}

char *sysline_render(const struct desk_message *m)
{
	const struct desk_line *l = desk_message_line(m);
	if (!l->kind)
		return NULL;
	if (strcmp(l->kind, "file") == 0)
		return sysline_file(m);
	const struct sysline_kind *k = NULL;
	for (size_t i = 0; !k && i < sizeof sysline_kinds / sizeof *sysline_kinds; i++)
		if (strcmp(sysline_kinds[i].kind, l->kind) == 0)
			k = &sysline_kinds[i];
	if (!k)
		return NULL;
	const char *arg = NULL;
	switch (k->arg) {
	case SYSLINE_NONE:
		return xstrdup(_(k->text));
	case SYSLINE_NAME:
		arg = l->args.name ? l->args.name : l->args.user;
		break;
	case SYSLINE_QUEUE:
		arg = l->args.queue;
		break;
	case SYSLINE_CATEGORY:
		arg = l->args.category ? sysline_claim_label(l->args.category) : NULL;
		break;
	}
	if (!arg || !*arg)
		return NULL; /* not what this client knows the kind to carry: the hub's text says it */
	if (k->with_note && l->args.note && *l->args.note)
		return xasprintf(_(k->with_note), arg, l->args.note);
	return xasprintf(_(k->text), arg);
}

char *sysline_whisper_label(const struct desk_message *m)
{
	if (!desk_message_whisper(m))
		return NULL;
	const struct desk_line *l = desk_message_line(m);
	const char *who = l->args.name && *l->args.name ? l->args.name : l->args.user;
	if (!who || !*who)
		who = m->author && *m->author ? m->author : "?";
	return xasprintf(_("whisper from %s"), who);
}

char *sysline_text(const struct desk_message *m)
{
	char *s = sysline_render(m);
	return s ? s : xstrdup(m->text);
}

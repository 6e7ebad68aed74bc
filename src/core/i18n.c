/* i18n.c: locale and gettext set-up shared by all programs, and a text in a language other than the locale's
 * (the hub's system lines, in its configured language). */
#include "opdesk/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opdesk/xalloc.h"

/* GNU gettext's catalogue generation: bumped after LANGUAGE changes, so that gettext looks again. */
extern int _nl_msg_cat_cntr;

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	i18n_bind();
}

void i18n_bind(void)
{
	const char *dir = getenv("OPDESK_LOCALEDIR");
	if (!dir || !*dir) {
		/* installed catalogues first; a binary run from its build tree finds the ones built beside it */
		dir = OPDESK_LOCALEDIR;
		if (access(OPDESK_LOCALEDIR "/ru/LC_MESSAGES/opdesk.mo", R_OK) != 0 &&
		    access(OPDESK_BUILD_LOCALEDIR "/ru/LC_MESSAGES/opdesk.mo", R_OK) == 0)
			dir = OPDESK_BUILD_LOCALEDIR;
	}
	bindtextdomain("opdesk", dir);
	bind_textdomain_codeset("opdesk", "UTF-8");
	textdomain("opdesk");
}

const char *i18n_gettext_in(const char *lang, const char *msgid)
{
	if (!lang || !*lang || strcmp(lang, "en") == 0)
		return msgid;
	/* gettext takes the language from $LANGUAGE unless LC_MESSAGES is "C": for this call, LC_MESSAGES is
	 * C.UTF-8 (always there) and LANGUAGE is `lang`; both are put back before returning */
	static locale_t messages;
	if (!messages)
		messages = newlocale(LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0);
	if (!messages)
		return msgid;
	locale_t before = uselocale(messages);
	const char *was = getenv("LANGUAGE");
	char *saved = was ? xstrdup(was) : NULL;
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
	const char *text = dgettext("opdesk", msgid);
	if (saved)
		setenv("LANGUAGE", saved, 1);
	else
		unsetenv("LANGUAGE");
	free(saved);
	++_nl_msg_cat_cntr;
	uselocale(before);
	return text;
}

/* i18n.h: gettext wrappers for UI strings (English source, translations in po/). */
#ifndef OPDESK_I18N_H
#define OPDESK_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale(LC_ALL, "") and bind the "opdesk" text domain (i18n_bind). */
void i18n_init(void);
/* Bind the "opdesk" text domain (OPDESK_LOCALEDIR, or $OPDESK_LOCALEDIR; from a build tree, the catalogues built
 * beside it) without touching the locale. */
void i18n_bind(void);
/* msgid in language `lang` ("ru", "en", ...), whatever the process's locale says: the hub writes its system
 * lines in its configured language. English (the source) and a language without a catalogue give msgid. */
const char *i18n_gettext_in(const char *lang, const char *msgid);

#endif

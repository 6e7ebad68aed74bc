/* i18n.h: gettext wrappers for UI strings (English source, translations in po/). */
#ifndef OPDESK_I18N_H
#define OPDESK_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* setlocale(LC_ALL, "") and bind the "opdesk" text domain (OPDESK_LOCALEDIR, or $OPDESK_LOCALEDIR). */
void i18n_init(void);

#endif

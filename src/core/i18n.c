/* i18n.c: locale and gettext set-up shared by all programs. */
#include "opdesk/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <unistd.h>

void i18n_init(void)
{
	setlocale(LC_ALL, "");
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

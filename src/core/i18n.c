/* i18n.c: locale and gettext set-up shared by all programs. */
#include "opdesk/i18n.h"

#include <locale.h>
#include <stdlib.h>

void i18n_init(void)
{
	setlocale(LC_ALL, "");
	const char *dir = getenv("OPDESK_LOCALEDIR");
	bindtextdomain("opdesk", dir && *dir ? dir : OPDESK_LOCALEDIR);
	bind_textdomain_codeset("opdesk", "UTF-8");
	textdomain("opdesk");
}

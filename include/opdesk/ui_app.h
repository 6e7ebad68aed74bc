/* ui_app.h: the operator client put together: model, view state, key table, transport, event loop, curses
 * screen, and the --demo children. opdesk_main.c parses the command line and calls ui_app_run(). */
#ifndef OPDESK_UI_APP_H
#define OPDESK_UI_APP_H

#include <stdbool.h>

struct ui_app_config {
	const char *url;    /* ignored with demo */
	const char *user;   /* ignored with demo */
	const char *secret; /* ignored with demo */
	bool demo;
};

/* Run until the operator quits. Returns 0 when they did; 1 on a fatal error, with *error (heap) holding a
 * sentence for stderr (curses has been left already). */
int ui_app_run(const struct ui_app_config *cfg, char **error);

#endif

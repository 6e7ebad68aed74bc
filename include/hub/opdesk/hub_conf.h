/* hub_conf.h: the hub's config file (`--config FILE`, default $XDG_CONFIG_HOME/opdesk/hub.conf): `KEY = VALUE`
 * lines whose keys are the server's long options, turned into "--KEY=VALUE" arguments that go before the
 * command line's, so that flags override the file and the file overrides the defaults. */
#ifndef OPDESK_HUB_CONF_H
#define OPDESK_HUB_CONF_H

#include <getopt.h>
#include <stdbool.h>

struct hub_conf_args {
	char **argv;  /* "--KEY=VALUE", heap */
	char **where; /* "FILE:LINE" of each, heap */
	int n;
};

/* Read `path` (a missing file is fine unless must_exist). Keys must be long options of `opts` that take a
 * value and are not in `refused` (NULL-terminated). Returns 0, or -1 with *cause (heap) "FILE:LINE: ...". */
int hub_conf_read(const char *path, bool must_exist, const struct option *opts, const char *const refused[],
		  struct hub_conf_args *out, char **cause);
void hub_conf_free(struct hub_conf_args *a);
/* $XDG_CONFIG_HOME/opdesk/hub.conf, else ~/.config/opdesk/hub.conf; NULL without either (heap). */
char *hub_conf_default_path(void);

#endif

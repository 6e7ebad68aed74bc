/* hub_conf.c: the hub's config file as arguments (see hub_conf.h). */
#include "opdesk/hub_conf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/textfile.h"
#include "opdesk/xalloc.h"

#define HUB_CONF_MAX_BYTES (256 * 1024)

struct conf_parse {
	const struct option *opts;
	const char *const *refused;
	const char *path;
	struct hub_conf_args *out;
};

static int conf_setting(void *arg, const char *section, const char *key, const char *value, int line, char *err,
			size_t errlen)
{
	struct conf_parse *p = arg;
	if (section)
		return textfile_error(err, errlen, line, "sections are not used in the hub's config ([%s])", section);
	for (size_t i = 0; p->refused[i]; i++)
		if (strcmp(key, p->refused[i]) == 0)
			return textfile_error(err, errlen, line, "%s is given on the command line only", key);
	const struct option *o = p->opts;
	while (o->name && strcmp(o->name, key) != 0)
		o++;
	if (!o->name || o->has_arg == optional_argument)
		return textfile_error(err, errlen, line, "unknown setting \"%s\" (the settings are the long options "
							  "of opdesk-hub --help)", key);
	if (!*value)
		return textfile_error(err, errlen, line, "%s has no value", key);
	bool flag = o->has_arg == no_argument; /* a switch: KEY = yes or no */
	if (flag && (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 || strcmp(value, "off") == 0))
		return 0;
	if (flag && strcmp(value, "yes") != 0 && strcmp(value, "true") != 0 && strcmp(value, "on") != 0)
		return textfile_error(err, errlen, line, "%s: expected yes or no, got \"%s\"", key, value);
	struct hub_conf_args *a = p->out;
	a->argv = xrealloc(a->argv, (size_t)(a->n + 1) * sizeof *a->argv);
	a->where = xrealloc(a->where, (size_t)(a->n + 1) * sizeof *a->where);
	a->argv[a->n] = flag ? xasprintf("--%s", key) : xasprintf("--%s=%s", key, value);
	a->where[a->n++] = xasprintf("%s:%d", p->path, line);
	return 0;
}

int hub_conf_read(const char *path, bool must_exist, const struct option *opts, const char *const refused[],
		  struct hub_conf_args *out, char **cause)
{
	memset(out, 0, sizeof *out);
	char err[512];
	char *text = textfile_read(path, HUB_CONF_MAX_BYTES, err, sizeof err);
	if (!text) {
		if (errno == ENOENT && !must_exist)
			return 0;
		*cause = xstrdup(err);
		return -1;
	}
	struct conf_parse p = { .opts = opts, .refused = refused, .path = path, .out = out };
	int rc = textfile_settings(text, conf_setting, &p, err, sizeof err);
	free(text);
	if (rc != 0) {
		*cause = xasprintf("%s:%s", path, err);
		hub_conf_free(out);
		return -1;
	}
	return 0;
}

void hub_conf_free(struct hub_conf_args *a)
{
	for (int i = 0; i < a->n; i++) {
		free(a->argv[i]);
		free(a->where[i]);
	}
	free(a->argv);
	free(a->where);
	memset(a, 0, sizeof *a);
}

char *hub_conf_default_path(void)
{
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (cfg && *cfg == '/')
		return xasprintf("%s/opdesk/hub.conf", cfg);
	if (home && *home)
		return xasprintf("%s/.config/opdesk/hub.conf", home);
	return NULL;
}

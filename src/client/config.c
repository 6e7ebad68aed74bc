/* config.c: read the operator client's configuration file (see config.h and docs/config.md). */
#include "opdesk/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/textfile.h"
#include "opdesk/xalloc.h"

void config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->bell = -1;
	c->clock = -1;
	c->monitor = -1;
	c->alert_bell = -1;
}

void config_free(struct config *c)
{
	char **strs[] = {&c->path,  &c->url,       &c->user,    &c->secret_file,
	                 &c->theme, &c->log_level, &c->sidebar, &c->ca_file, &c->role,
	                 &c->download_dir};
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		free(*strs[i]);
	for (size_t i = 0; i < c->n_binds; i++) {
		free(c->binds[i].key);
		free(c->binds[i].command);
		free(c->binds[i].arg);
	}
	free(c->binds);
	config_init(c);
}

static int set_seconds(int *out, const char *key, const char *v, int line, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < 1 || n > 86400)
		return textfile_error(err, errlen, line, "%s: \"%s\" is not a number of seconds (1..86400)", key, v);
	*out = (int)n;
	return 0;
}

static int set_key(struct config *c, const char *key, const char *v, int line, char *err, size_t errlen)
{
	struct {
		const char *name;
		char **dst;
	} strs[] = {
		{"url", &c->url}, {"user", &c->user}, {"secret-file", &c->secret_file},
		{"theme", &c->theme}, {"log-level", &c->log_level}, {"ca-file", &c->ca_file}, {"role", &c->role},
		{"download-dir", &c->download_dir},
	};
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
		if (strcmp(key, strs[i].name) == 0) {
			if (!*v)
				return textfile_error(err, errlen, line, "%s has no value", key);
			free(*strs[i].dst);
			if (strs[i].dst == &c->theme)
				c->theme_line = line;
			bool is_path = strcmp(key, "secret-file") == 0 || strcmp(key, "ca-file") == 0;
			*strs[i].dst = is_path ? config_expand_home(v) : xstrdup(v);
			return 0;
		}
	}
	if (strcmp(key, "sla-warn") == 0 || strcmp(key, "sla-late") == 0) {
		c->sla_line = line;
		return set_seconds(key[4] == 'w' ? &c->sla_warn_s : &c->sla_late_s, key, v, line, err, errlen);
	}
	if (strcmp(key, "bell") == 0 || strcmp(key, "clock") == 0 || strcmp(key, "monitor") == 0 ||
	    strcmp(key, "alert-bell") == 0) {
		int *dst = key[0] == 'b' ? &c->bell : key[0] == 'c' ? &c->clock : key[0] == 'm' ? &c->monitor : &c->alert_bell;
		if (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			*dst = 1;
		else if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			*dst = 0;
		else
			return textfile_error(err, errlen, line, "%s: use on or off, not \"%s\"", key, v);
		return 0;
	}
	if (strcmp(key, "notify") == 0) {
		if (strcmp(v, "off") == 0)
			c->notify = CONFIG_NOTIFY_OFF;
		else if (strcmp(v, "osc9") == 0)
			c->notify = CONFIG_NOTIFY_OSC9;
		else if (strcmp(v, "osc777") == 0)
			c->notify = CONFIG_NOTIFY_OSC777;
		else
			return textfile_error(err, errlen, line, "notify: use off, osc9 or osc777, not \"%s\"", v);
		return 0;
	}
	if (strcmp(key, "sidebar") == 0) {
		if (strcmp(v, "left") != 0 && strcmp(v, "right") != 0 && strcmp(v, "hidden") != 0)
			return textfile_error(err, errlen, line, "sidebar: use left, right or hidden, not \"%s\"", v);
		free(c->sidebar);
		c->sidebar = xstrdup(v);
		return 0;
	}
	if (strcmp(key, "secret") == 0)
		return textfile_error(err, errlen, line, "the secret itself never goes in the config: put it in a file only you "
		                               "can read and name it with secret-file");
	return textfile_error(err, errlen, line, "unknown setting \"%s\" (see docs/config.md)", key);
}

static void add_binding(struct config *c, const char *key, char *v, int line)
{
	char *save = NULL, *cmd = strtok_r(v, " \t", &save), *arg = strtok_r(NULL, " \t", &save);
	c->binds = xrealloc(c->binds, (c->n_binds + 1) * sizeof *c->binds);
	c->binds[c->n_binds++] = (struct config_binding){
		.key = xstrdup(key), .command = xstrdup(cmd), .arg = arg ? xstrdup(arg) : NULL, .line = line};
}

static int config_setting(void *arg, const char *section, const char *key, const char *v, int line, char *err,
			  size_t errlen)
{
	struct config *c = arg;
	if (section && strcmp(section, "keys") != 0)
		return textfile_error(err, errlen, line, "unknown section [%s] (only [keys] exists)", section);
	if (!key)
		return 0;
	if (!section)
		return set_key(c, key, v, line, err, errlen);
	if (!*v)
		return textfile_error(err, errlen, line, "the key %s is bound to no command", key);
	char *copy = xstrdup(v);
	add_binding(c, key, copy, line);
	free(copy);
	return 0;
}

int config_parse(struct config *c, const char *text, char *err, size_t errlen)
{
	int rc = textfile_settings(text, config_setting, c, err, errlen);
	if (rc == 0 && c->sla_warn_s && c->sla_late_s && c->sla_warn_s >= c->sla_late_s)
		rc = textfile_error(err, errlen, c->sla_line, "sla-warn (%d s) must be shorter than sla-late (%d s)", c->sla_warn_s,
		          c->sla_late_s);
	return rc;
}

int config_load(struct config *c, const char *path, bool must_exist, char *err, size_t errlen)
{
	char *text = textfile_read(path, 1024 * 1024, err, errlen);
	if (!text)
		return errno == ENOENT && !must_exist ? 0 : -1;
	char inner[512];
	int rc = config_parse(c, text, inner, sizeof inner);
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "%s:%s", path, inner);
	else {
		free(c->path);
		c->path = xstrdup(path);
	}
	return rc;
}

char *config_default_path(void)
{
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (cfg && *cfg == '/')
		return xasprintf("%s/opdesk/config", cfg);
	if (home && *home)
		return xasprintf("%s/.config/opdesk/config", home);
	return NULL;
}

char *config_expand_home(const char *path)
{
	const char *home = getenv("HOME");
	if (path[0] == '~' && path[1] == '/' && home && *home)
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

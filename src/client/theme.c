/* theme.c: parse, find and fit colour themes (see theme.h and docs/themes.md). */
#include "opdesk/theme.h"

#include <errno.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "opdesk/textfile.h"
#include "opdesk/xalloc.h"

#define HEX "0123456789abcdefABCDEF"

static const char *const theme_color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
	"bright-cyan", "bright-white",
};

static const struct {
	const char *name;
	unsigned bit;
} theme_attr_names[] = {
	{"bold", THEME_BOLD}, {"dim", THEME_DIM}, {"underline", THEME_UNDERLINE},
	{"reverse", THEME_REVERSE}, {"italic", THEME_ITALIC}, {"normal", 0},
};

/* The xterm palette's RGB for the 16 basic colours. */
static const unsigned theme_basic_rgb[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

/* A colour word: default, a name, 0..255, or #rrggbb. -2 if it is none of these. */
static int parse_color(const char *w)
{
	if (strcasecmp(w, "default") == 0)
		return THEME_DEFAULT_COLOR;
	for (int i = 0; i < 16; i++)
		if (strcasecmp(w, theme_color_names[i]) == 0)
			return i;
	char *end;
	if (w[0] == '#' && strlen(w) == 7) {
		long v = strtol(w + 1, &end, 16);
		if (*end == '\0' && strspn(w + 1, HEX) == 6)
			return THEME_RGB_FLAG | (int)v;
		return -2;
	}
	if (w[0] >= '0' && w[0] <= '9') {
		errno = 0;
		long v = strtol(w, &end, 10);
		if (*end == '\0' && errno == 0 && v >= 0 && v <= 255)
			return (int)v;
	}
	return -2;
}

static bool known_role(const char *role, const char *const *roles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(roles[i], role) == 0)
			return true;
	return false;
}

/* '#' starts a comment at the start of a line or of a word, unless the word is a #rrggbb colour. */
static void strip_comment(char *line)
{
	const char *first = line + strspn(line, " \t");
	for (char *p = line; (p = strchr(p, '#')) != NULL; p++) {
		bool word_start = p == first || p[-1] == ' ' || p[-1] == '\t';
		bool rgb = strspn(p + 1, HEX) == 6 && (p[7] == '\0' || strchr(" \t\r\n", p[7]));
		if (p == first || (word_start && !rgb)) {
			*p = '\0';
			return;
		}
	}
}

static int parse_line(char *line, int ln, const char *const *roles, size_t n_roles, struct theme *t, char *err,
                      size_t errlen)
{
	strip_comment(line);
	char *save = NULL, *w = line + strspn(line, " \t\r\n");
	if (!*w)
		return 0;
	char *eq = strchr(w, '=');
	if (!eq)
		return textfile_error(err, errlen, ln, "expected ROLE = COLOURS AND ATTRIBUTES, got \"%s\"", w);
	char *rest = eq + 1;
	do
		*eq = '\0';
	while (eq > w && strchr(" \t", *--eq));
	if (strcmp(w, "name") == 0) {
		rest += strspn(rest, " \t");
		rest[strcspn(rest, "\r\n")] = '\0';
		if (!*rest)
			return textfile_error(err, errlen, ln, "expected: name = TEXT");
		free(t->name);
		t->name = xstrdup(rest);
		return 0;
	}
	if (!known_role(w, roles, n_roles))
		return textfile_error(err, errlen, ln, "unknown colour role \"%s\" (see docs/themes.md for the list)", w);
	struct theme_entry e = {.fg = THEME_DEFAULT_COLOR, .bg = THEME_DEFAULT_COLOR, .line = ln};
	int n_colors = 0;
	for (char *a = strtok_r(rest, " \t\r\n", &save); a; a = strtok_r(NULL, " \t\r\n", &save)) {
		int c = parse_color(a);
		if (c != -2) {
			if (n_colors == 2)
				return textfile_error(err, errlen, ln, "more than two colours (foreground, background): \"%s\"", a);
			if (n_colors++ == 0)
				e.fg = c;
			else
				e.bg = c;
			continue;
		}
		size_t k = 0, n_attrs = sizeof theme_attr_names / sizeof *theme_attr_names;
		while (k < n_attrs && strcasecmp(a, theme_attr_names[k].name) != 0)
			k++;
		if (k == n_attrs)
			return textfile_error(err, errlen, ln,
			            "\"%s\" is neither a colour (a name, 0-255, #rrggbb, default) nor an attribute "
			            "(bold, dim, underline, reverse, italic)", a);
		e.attrs |= theme_attr_names[k].bit;
	}
	if (n_colors == 0 && e.attrs == 0)
		return textfile_error(err, errlen, ln, "the role \"%s\" has no colour and no attribute", w);
	e.role = xstrdup(w);
	t->entries = xrealloc(t->entries, (t->n + 1) * sizeof *t->entries);
	t->entries[t->n++] = e;
	return 0;
}

int theme_parse(const char *text, const char *const *roles, size_t n_roles, struct theme *out, char *err,
                size_t errlen)
{
	memset(out, 0, sizeof *out);
	char *copy = xstrdup(text), *save = NULL;
	int ln = 0, rc = 0;
	for (char *line = copy; line && rc == 0; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		rc = parse_line(line, ++ln, roles, n_roles, out, err, errlen);
	}
	free(copy);
	if (rc != 0)
		theme_free(out);
	return rc;
}

int theme_load(const char *path, const char *const *roles, size_t n_roles, struct theme *out, char *err,
               size_t errlen)
{
	char *text = textfile_read(path, 1024 * 1024, err, errlen);
	if (!text)
		return -1;
	char inner[512];
	int rc = theme_parse(text, roles, n_roles, out, inner, sizeof inner);
	free(text);
	if (rc != 0)
		snprintf(err, errlen, "%s:%s", path, inner);
	return rc;
}

void theme_free(struct theme *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->entries[i].role);
	free(t->entries);
	free(t->name);
	memset(t, 0, sizeof *t);
}

static char *existing(char *path)
{
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *theme_user_dir(void)
{
	const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (cfg && *cfg == '/')
		return xasprintf("%s/opdesk/themes", cfg);
	if (home && *home)
		return xasprintf("%s/.config/opdesk/themes", home);
	return NULL;
}

/* The folders themes are looked up in, in order (heap, NULL-terminated): the operator's own, each of
 * $XDG_DATA_DIRS/opdesk/themes, then the built-in ones. */
static char **theme_dirs(const char *const *builtin_dirs)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	char *own = theme_user_dir();
	if (own) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = own;
	}
	const char *data = getenv("XDG_DATA_DIRS");
	char *dirs = xstrdup(data && *data ? data : "/usr/local/share:/usr/share"), *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (*d == '/') {
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = xasprintf("%s/opdesk/themes", d);
		}
	}
	free(dirs);
	for (size_t i = 0; builtin_dirs && builtin_dirs[i]; i++) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = xstrdup(builtin_dirs[i]);
	}
	v = xgrow(v, &cap, n + 1, sizeof *v);
	v[n] = NULL;
	return v;
}

static void theme_dirs_free(char **v)
{
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

char *theme_find(const char *name, const char *const *builtin_dirs)
{
	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return existing(xstrdup(name));
	char *found = NULL, **dirs = theme_dirs(builtin_dirs);
	for (size_t i = 0; dirs[i] && !found; i++)
		found = existing(xasprintf("%s/%s.theme", dirs[i], name));
	theme_dirs_free(dirs);
	return found;
}

static int theme_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t theme_names(const char *const *builtin_dirs, char ***out)
{
	char **names = NULL, **dirs = theme_dirs(builtin_dirs);
	size_t n = 0, cap = 0;
	for (size_t i = 0; dirs[i]; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d)
			continue;
		for (struct dirent *e; (e = readdir(d));) {
			size_t len = strlen(e->d_name);
			if (len <= 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 6, ".theme") != 0)
				continue;
			char *name = xstrndup(e->d_name, len - 6);
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = strcmp(names[k], name) == 0;
			if (seen) {
				free(name);
				continue;
			}
			names = xgrow(names, &cap, n + 1, sizeof *names);
			names[n++] = name;
		}
		closedir(d);
	}
	theme_dirs_free(dirs);
	if (n)
		qsort(names, n, sizeof *names, theme_name_cmp);
	*out = names;
	return n;
}

static unsigned rgb_of(int c)
{
	if (c & THEME_RGB_FLAG)
		return (unsigned)c & 0xffffff;
	if (c < 16)
		return theme_basic_rgb[c];
	if (c < 232) { /* the 6x6x6 cube */
		static const unsigned lv[6] = {0, 95, 135, 175, 215, 255};
		int i = c - 16;
		return lv[i / 36] << 16 | lv[i / 6 % 6] << 8 | lv[i % 6];
	}
	unsigned g = 8 + 10 * (unsigned)(c - 232);
	return g << 16 | g << 8 | g;
}

static long dist(unsigned a, unsigned b)
{
	long dr = (long)(a >> 16 & 255) - (long)(b >> 16 & 255);
	long dg = (long)(a >> 8 & 255) - (long)(b >> 8 & 255);
	long db = (long)(a & 255) - (long)(b & 255);
	return dr * dr * 3 + dg * dg * 4 + db * db * 2; /* the eye weighs green most */
}

int theme_fit_color(int color, int colors)
{
	if (color == THEME_DEFAULT_COLOR)
		return color;
	if (!(color & THEME_RGB_FLAG) && color < colors)
		return color;
	int limit = colors >= 256 ? 256 : colors >= 16 ? 16 : 8;
	unsigned want = rgb_of(color);
	int best = 0;
	long best_d = -1;
	for (int c = 0; c < limit; c++) {
		long d = dist(want, rgb_of(c));
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best;
}

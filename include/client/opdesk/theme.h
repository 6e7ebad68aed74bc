/* theme.h: colour themes without curses: parsing a themes/NAME.theme file into role -> colours and
 * attributes, finding a theme by name on the XDG paths, and fitting a colour to what the terminal has
 * (truecolour #rrggbb -> 256 -> 16 -> 8). The format is in docs/themes.md; ui/ui_color.c applies it. */
#ifndef OPDESK_THEME_H
#define OPDESK_THEME_H

#include <stdbool.h>
#include <stddef.h>

#define THEME_DEFAULT_COLOR (-1)      /* the terminal's own foreground or background */
#define THEME_RGB_FLAG      0x1000000 /* colour value = THEME_RGB_FLAG | 0xRRGGBB */

enum theme_attr {
	THEME_BOLD = 1 << 0,
	THEME_DIM = 1 << 1,
	THEME_UNDERLINE = 1 << 2,
	THEME_REVERSE = 1 << 3,
	THEME_ITALIC = 1 << 4,
};

struct theme_entry {
	char *role;   /* "pane.header.focus" ... */
	int fg, bg;   /* THEME_DEFAULT_COLOR, 0..255, or THEME_RGB_FLAG | rgb */
	unsigned attrs; /* enum theme_attr bits */
	int line;     /* where it was set, for messages */
};

struct theme {
	char *name;
	struct theme_entry *entries;
	size_t n;
};

/* Parse theme text. `roles` (n_roles names) are the roles the caller knows: any other is an error, so a
 * typo never passes silently. On error returns -1 and puts "LINE: message" in err. */
int theme_parse(const char *text, const char *const *roles, size_t n_roles, struct theme *out, char *err,
                size_t errlen);
/* Read and parse a file; errors come as "PATH:LINE: message" (or "PATH: strerror"). */
int theme_load(const char *path, const char *const *roles, size_t n_roles, struct theme *out, char *err,
               size_t errlen);
void theme_free(struct theme *t);

/* Where theme NAME lives: NAME itself when it contains a '/', else the first NAME.theme found in
 * $XDG_CONFIG_HOME/opdesk/themes (~/.config/opdesk/themes), each of $XDG_DATA_DIRS/opdesk/themes
 * (/usr/local/share:/usr/share), then each of `builtin_dirs` (NULL-terminated: the installed or source
 * themes folder; may be NULL). NULL if none exists; the string is the caller's. */
char *theme_find(const char *name, const char *const *builtin_dirs);
/* The names of every theme found in those folders, sorted, each once (heap strings in a heap array). */
size_t theme_names(const char *const *builtin_dirs, char ***out);
/* The operator's own themes folder: $XDG_CONFIG_HOME/opdesk/themes, else ~/.config/opdesk/themes; NULL
 * without either. The caller's string. */
char *theme_user_dir(void);

/* The nearest colour a terminal with `colors` colours (8, 16, 256 or more) can show; the default colour
 * stays the default. */
int theme_fit_color(int color, int colors);

#endif

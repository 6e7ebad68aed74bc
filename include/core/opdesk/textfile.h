/* textfile.h: the small pieces the text-file readers share (the client's settings and themes, the hub's
 * config): reading a whole file with a size limit, "LINE: message" errors, and the KEY = VALUE syntax. */
#ifndef OPDESK_TEXTFILE_H
#define OPDESK_TEXTFILE_H

#include <stddef.h>

/* The whole file, NUL-terminated (heap), or NULL with "PATH: reason" in err; errno is ENOENT when the file
 * does not exist. Files over max_bytes are refused. */
char *textfile_read(const char *path, size_t max_bytes, char *err, size_t errlen);
/* Write "LINE: " and the formatted message into err; returns -1 (for `return textfile_error(...)`). */
int textfile_error(char *err, size_t errlen, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The settings syntax: `KEY = VALUE` lines, optionally under `[SECTION]` lines; blank lines and lines
 * starting with '#' or ';' are skipped, and a '#' after a blank starts a comment. fn gets each setting with
 * the current section (NULL before any), and each section line with key and value NULL; it returns 0 or
 * textfile_error(...). Returns 0, or the first error (err holds "LINE: message"). */
typedef int textfile_setting_fn(void *arg, const char *section, const char *key, const char *value, int line,
				char *err, size_t errlen);
int textfile_settings(const char *text, textfile_setting_fn *fn, void *arg, char *err, size_t errlen);

#endif

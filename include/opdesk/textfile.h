/* textfile.h: the small pieces the client's text-file readers share (settings, themes): reading a whole
 * file with a size limit, and "LINE: message" errors. */
#ifndef OPDESK_TEXTFILE_H
#define OPDESK_TEXTFILE_H

#include <stddef.h>

/* The whole file, NUL-terminated (heap), or NULL with "PATH: reason" in err; errno is ENOENT when the file
 * does not exist. Files over max_bytes are refused. */
char *textfile_read(const char *path, size_t max_bytes, char *err, size_t errlen);
/* Write "LINE: " and the formatted message into err; returns -1 (for `return textfile_error(...)`). */
int textfile_error(char *err, size_t errlen, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

/* log.h: levelled logging to a file or stderr (never to the curses screen), tagged with the function name; every
 * line is written through textsafe (one terminal-safe line), so a caller may pass untrusted text as it is. */
#ifndef OPDESK_LOG_H
#define OPDESK_LOG_H

#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Send log lines to `out` (not owned; NULL silences logging) at `level` and below. */
void log_init(const char *program, FILE *out, enum log_level level);
/* Parse "error|warn|info|debug"; returns -1 for anything else. */
int log_level_parse(const char *name);
enum log_level log_get_level(void);
void log_write(enum log_level level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...) log_write(LOG_ERROR, __func__, __VA_ARGS__)
#define log_warn(...) log_write(LOG_WARN, __func__, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __func__, __VA_ARGS__)
#define log_debug(...) log_write(LOG_DEBUG, __func__, __VA_ARGS__)

#endif

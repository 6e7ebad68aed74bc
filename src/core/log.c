/* log.c: levelled, timestamped log lines to a FILE (see log.h), each made one terminal-safe line by textsafe:
 * a name or a text from the network never drives the terminal (or the journal) a log is read on. */
#include "opdesk/log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "opdesk/textsafe.h"

static const char *log_program = "opdesk";
static FILE *log_out;
static enum log_level log_level_max = LOG_INFO;

static const char *const log_level_names[] = { "error", "warn", "info", "debug" };

void log_init(const char *program, FILE *out, enum log_level level)
{
	log_program = program;
	log_out = out;
	log_level_max = level;
}

int log_level_parse(const char *name)
{
	for (size_t i = 0; i < sizeof log_level_names / sizeof *log_level_names; i++)
		if (strcmp(name, log_level_names[i]) == 0)
			return (int)i;
	return -1;
}

enum log_level log_get_level(void)
{
	return log_level_max;
}

void log_write(enum log_level level, const char *func, const char *fmt, ...)
{
	if (!log_out || level > log_level_max)
		return;
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(log_out, "%s.%03ld %s %s %s: ", stamp, ts.tv_nsec / 1000000, log_program,
		log_level_names[level], func);
	va_list ap;
	va_start(ap, fmt);
	textsafe_vprintf(log_out, fmt, ap);
	va_end(ap);
	fflush(log_out);
}

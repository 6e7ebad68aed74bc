/* textfile.c: whole-file reads and line-numbered errors for the client's text-file readers (textfile.h). */
#include "opdesk/textfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

char *textfile_read(const char *path, size_t max_bytes, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	char *text = NULL;
	size_t cap = 0, len = 0, n;
	char buf[4096];
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && len <= max_bytes) {
		text = xgrow(text, &cap, len + n + 1, 1);
		memcpy(text + len, buf, n);
		len += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad || len > max_bytes) {
		free(text);
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "file too large");
		errno = bad ? EIO : EFBIG;
		return NULL;
	}
	if (!text)
		text = xstrdup("");
	text[len] = '\0';
	return text;
}

int textfile_error(char *err, size_t errlen, int line, const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%d: ", line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* textfile.c: whole-file reads, line-numbered errors and the KEY = VALUE settings syntax shared by the
 * client's and the hub's text files (textfile.h). */
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

static char *trim(char *s)
{
	s += strspn(s, " \t");
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\r", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Cut a comment that starts after a blank: "60   # seconds" -> "60   ". */
static void cut_comment(char *s)
{
	for (char *p = s; (p = strchr(p, '#')) != NULL; p++) {
		if (p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

int textfile_settings(const char *text, textfile_setting_fn *fn, void *arg, char *err, size_t errlen)
{
	char *copy = xstrdup(text), *next = NULL, *section = NULL;
	int ln = 0, rc = 0;
	for (char *line = copy; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		char *s = trim(line);
		if (*s == '#' || *s == ';' || *s == '\0')
			continue;
		cut_comment(s);
		s = trim(s);
		if (*s == '[') {
			size_t n = strlen(s);
			if (n < 3 || s[n - 1] != ']') {
				rc = textfile_error(err, errlen, ln, "expected [SECTION], got \"%s\"", s);
				continue;
			}
			s[n - 1] = '\0';
			section = s + 1;
			rc = fn(arg, section, NULL, NULL, ln, err, errlen);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = textfile_error(err, errlen, ln, "expected KEY = VALUE, got \"%s\"", s);
			continue;
		}
		*eq = '\0';
		char *key = trim(s), *v = trim(eq + 1);
		if (!*key)
			rc = textfile_error(err, errlen, ln, "a value without a key");
		else
			rc = fn(arg, section, key, v, ln, err, errlen);
	}
	free(copy);
	return rc;
}

/* secret_file.c: the sign-in secret from the first line of a file (see secret_file.h). */
#include "opdesk/secret_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opdesk/i18n.h"
#include "opdesk/xalloc.h"

char *secret_file_read(const char *prog, const char *path, char **cause)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		*cause = xasprintf(_("cannot read the secret file %s: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		fprintf(stderr, _("%s: warning: others can read the secret file %s (chmod 600 %s)\n"), prog, path, path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	fclose(f);
	if (n < 0) {
		free(line);
		*cause = xasprintf(_("the secret file %s is empty"), path);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n == 0) {
		free(line);
		*cause = xasprintf(_("the secret file %s is empty"), path);
		return NULL;
	}
	return line;
}

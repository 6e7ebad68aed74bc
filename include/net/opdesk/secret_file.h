/* secret_file.h: reading a sign-in secret from a file (the first line), as the client and the bridge take it
 * with --secret-file, with a warning when others may read the file. */
#ifndef OPDESK_SECRET_FILE_H
#define OPDESK_SECRET_FILE_H

/* The first line of `path` without its line end (heap), or NULL with *cause (heap) set. Warns on stderr,
 * prefixed with `prog`, when the file is readable by group or others. */
char *secret_file_read(const char *prog, const char *path, char **cause);

#endif

/* desk_names.h: the desk's one copy of each name that messages carry (their authors): ten thousand messages
 * of one customer hold one "Ольга", not ten thousand. Internal to the client library. */
#ifndef OPDESK_DESK_NAMES_H
#define OPDESK_DESK_NAMES_H

#include <stddef.h>

struct desk_names {
	char **slots; /* open addressing; NULL: free */
	size_t n, cap;
};

/* The one copy of s (made on first use), alive until desk_names_free; NULL for NULL. */
const char *desk_names_get(struct desk_names *t, const char *s);
void desk_names_free(struct desk_names *t);

#endif

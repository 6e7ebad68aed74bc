/* xalloc.h: allocation wrappers that abort with a message on out-of-memory, so callers stay simple. */
#ifndef OPDESK_XALLOC_H
#define OPDESK_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array by doubling: returns the new pointer, updates *cap so that need <= *cap. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/* desk_names.c: the desk's one copy of each author's name, a set of strings by hash (see desk_names.h). */
#include "desk_names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

static size_t desk_names_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static char **desk_names_slot(char **slots, size_t cap, const char *s)
{
	size_t i = desk_names_hash(s) & (cap - 1);
	while (slots[i] && strcmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

const char *desk_names_get(struct desk_names *t, const char *s)
{
	if (!s)
		return NULL;
	if (t->cap) {
		char **known = desk_names_slot(t->slots, t->cap, s);
		if (*known)
			return *known;
	}
	if (2 * (t->n + 1) > t->cap) { /* at most half full */
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i])
				*desk_names_slot(slots, cap, t->slots[i]) = t->slots[i];
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	char **slot = desk_names_slot(t->slots, t->cap, s);
	*slot = xstrdup(s);
	t->n++;
	return *slot;
}

void desk_names_free(struct desk_names *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	*t = (struct desk_names){0};
}

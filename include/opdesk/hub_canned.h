/* hub_canned.h: the canned replies (operator scripts) the first schema migration seeds, in Russian and
 * English. Texts may hold the placeholders {customer}, {operator} and {order}, which the workstation fills
 * in before sending. */
#ifndef OPDESK_HUB_CANNED_H
#define OPDESK_HUB_CANNED_H

#include <stddef.h>

struct hub_canned_seed {
	const char *id, *lang, *shortcut, *category, *title, *text;
};

extern const struct hub_canned_seed hub_canned_seed[];
extern const size_t hub_canned_seed_count;

struct sqlite3;
/* `opdesk-hub canned export|import FILE` ("-": stdout/stdin): a JSON array of {id, lang, shortcut,
 * category, title, text}. Import checks every entry first, then adds or replaces by id in one transaction.
 * Return 0, or -1 with *cause (heap). */
int hub_canned_export(struct sqlite3 *db, const char *path, char **cause);
int hub_canned_import(struct sqlite3 *db, const char *path, char **cause);

#endif

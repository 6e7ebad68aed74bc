/* hub_db_seed.h: the canned replies the first schema migration seeds, in Russian and English (hub_db_seed.c).
 * Not for use outside src/store. */
#ifndef OPDESK_HUB_DB_SEED_H
#define OPDESK_HUB_DB_SEED_H

#include <stddef.h>

struct hub_canned_seed {
	const char *id, *lang, *shortcut, *category, *title, *text;
};

extern const struct hub_canned_seed hub_canned_seed[];
extern const size_t hub_canned_seed_count;

#endif

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

#endif

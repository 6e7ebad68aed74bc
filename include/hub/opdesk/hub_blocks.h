/* hub_blocks.h: `opdesk-hub block list|remove`: the blocks in force on customers, as a table, and lifting one
 * (written to the audit log). */
#ifndef OPDESK_HUB_BLOCKS_H
#define OPDESK_HUB_BLOCKS_H

#include <stdint.h>
#include <stdio.h>

struct hub_db;

/* Print the blocks in force, oldest first. Returns 0, or -1 with *cause (heap). */
int hub_blocks_print(struct hub_db *db, FILE *out, char **cause);
/* Lift block `id` as `actor`. Returns 0, 1 when no such block is in force, or -1 with *cause (heap). */
int hub_blocks_remove(struct hub_db *db, int64_t id, const char *actor, char **cause);

#endif

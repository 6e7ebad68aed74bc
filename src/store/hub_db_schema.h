/* hub_db_schema.h: the store's schema, versioned: for each engine, the script that takes a database from
 * version i to i+1 (hub_db_schema_sqlite.c, hub_db_schema_pg.c, step for step the same tables). The store runs
 * step i inside one transaction with the version's bump (hub_db_core.c), and seeds the canned replies after
 * step 0. */
#ifndef OPDESK_HUB_DB_SCHEMA_H
#define OPDESK_HUB_DB_SCHEMA_H

#include "opdesk/hub_db.h"

extern const char *const hub_db_schema_sqlite[HUB_DB_SCHEMA_VERSION];
extern const char *const hub_db_schema_pg[HUB_DB_SCHEMA_VERSION];

#endif

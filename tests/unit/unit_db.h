/* unit_db.h: a store in a fresh temporary folder for the hub's unit tests (test_hub_db.c, test_hub_core.c):
 * unit_db_open() before a test, unit_db_close() after it removes the file with its WAL and shared memory. */
#ifndef OPDESK_UNIT_DB_H
#define OPDESK_UNIT_DB_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "opdesk/hub_db.h"
#include "opdesk/xalloc.h"

struct unit_db {
	char dir[512];
	char *path;
	struct hub_db *db;
};

static inline void unit_db_open(struct unit_db *u)
{
	const char *tmp = getenv("OPDESK_TEST_TMP");
	snprintf(u->dir, sizeof u->dir, "%s/hubdb.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(u->dir));
	u->path = xasprintf("%s/hub.db", u->dir);
	char *cause = NULL;
	cr_assert_eq(hub_db_open(u->path, &u->db, &cause), 0, "open: %s", cause ? cause : "");
}

static inline void unit_db_close(struct unit_db *u)
{
	hub_db_close(u->db);
	const char *suffix[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		char *f = xasprintf("%s%s", u->path, suffix[i]);
		unlink(f);
		free(f);
	}
	rmdir(u->dir);
	free(u->path);
}

#endif

/* hub_sql.c: which engine a --db target names: a libpq connection URI or key=value string is PostgreSQL,
 * anything else a SQLite file. */
#include <string.h>

#include "hub_sql.h"

bool sql_target_is_postgres(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0 ||
	       (strchr(target, '=') && strncmp(target, "dbname=", 7) == 0) || strncmp(target, "host=", 5) == 0 ||
	       strncmp(target, "service=", 8) == 0;
}

int sql_open(const char *target, struct sql_conn **out, char **cause)
{
	return sql_target_is_postgres(target) ? sql_open_pg(target, out, cause) : sql_open_sqlite(target, out, cause);
}

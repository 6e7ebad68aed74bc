/* hub_audit.h: the audit log: who did what to which dialog or account, and when (table `audit`, schema v3):
 * sign-ins and refused ones, takes, transfers, closes, claims, account and canned-reply changes. Written by
 * the hub and the account commands through the store (hub_db_audit_add); `opdesk-hub audit` prints it. */
#ifndef OPDESK_HUB_AUDIT_H
#define OPDESK_HUB_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct hub_db;

/* Print the entries of [since_ms, until_ms), oldest first, as an aligned table or CSV; `actor` (NULL: all)
 * keeps one actor's. Returns 0, or -1 with *cause (heap). */
int hub_audit_print(struct hub_db *db, int64_t since_ms, int64_t until_ms, const char *actor, bool csv, FILE *out,
		    char **cause);

#endif

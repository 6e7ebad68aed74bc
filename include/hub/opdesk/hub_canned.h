/* hub_canned.h: `opdesk-hub canned export|import FILE` ("-": stdout/stdin): the canned replies (operator
 * scripts) as a JSON array of {id, lang, shortcut, category, title, text}. Texts may hold the placeholders
 * {customer}, {operator} and {order}, which the workstation fills in before sending. */
#ifndef OPDESK_HUB_CANNED_H
#define OPDESK_HUB_CANNED_H

struct hub_db;
/* Import checks every entry first, then adds or replaces by id in one transaction.
 * Return 0, or -1 with *cause (heap). */
int hub_canned_export(struct hub_db *db, const char *path, char **cause);
int hub_canned_import(struct hub_db *db, const char *path, char **cause);

#endif

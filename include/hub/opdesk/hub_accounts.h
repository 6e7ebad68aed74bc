/* hub_accounts.h: operator secrets as yescrypt hashes (libxcrypt), and checking a secret against one. */
#ifndef OPDESK_HUB_ACCOUNTS_H
#define OPDESK_HUB_ACCOUNTS_H

#include <stdbool.h>

/* Hash `secret` with a fresh random salt ("$y$..."). Returns a heap string, or NULL with *cause set
 * (a heap sentence the caller frees) when libxcrypt fails. */
char *hub_accounts_hash(const char *secret, char **cause);

/* True when `secret` hashes to `hash`. False for an empty secret, a NULL or malformed hash.
 * The comparison takes the same time wherever the hashes differ. */
bool hub_accounts_verify(const char *secret, const char *hash);

/* Spend the time of one verification without a real hash, so that an unknown user name takes as long
 * to refuse as a wrong secret. */
void hub_accounts_burn(const char *secret);

#endif

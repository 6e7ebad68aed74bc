/* hub_accounts.c: yescrypt hashing and verification of operator secrets (see hub_accounts.h). */
#include "opdesk/hub_accounts.h"

#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/xalloc.h"

/* A valid yescrypt hash of a random secret nobody knows, for hub_accounts_burn. */
#define ACCOUNTS_DUMMY_HASH "$y$j9T$QVw0hQg902R7ET4AP6Xi0/$LHFrFPigmVhQDtpOtkmX97iTFbebJDhJxq1pTSEKCi."

char *hub_accounts_hash(const char *secret, char **cause)
{
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	/* count 0 = libxcrypt's default cost; NULL random bytes = read them from the kernel */
	if (!crypt_gensalt_rn("$y$", 0, NULL, 0, setting, sizeof setting)) {
		*cause = xasprintf("cannot make a yescrypt salt: %s", strerror(errno));
		return NULL;
	}
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(secret, setting, cd);
	char *out = NULL;
	if (!h || h[0] == '*')
		*cause = xasprintf("yescrypt hashing failed: %s", strerror(errno));
	else
		out = xstrdup(h);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return out;
}

/* Compare without stopping at the first difference. */
static bool accounts_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	volatile unsigned char diff = la != lb;
	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
	return diff == 0;
}

bool hub_accounts_verify(const char *secret, const char *hash)
{
	if (!secret || !*secret || !hash || strncmp(hash, "$y$", 3) != 0)
		return false;
	struct crypt_data *cd = xcalloc(1, sizeof *cd);
	const char *h = crypt_r(secret, hash, cd);
	bool ok = h && h[0] != '*' && accounts_equal(h, hash);
	explicit_bzero(cd, sizeof *cd);
	free(cd);
	return ok;
}

void hub_accounts_burn(const char *secret)
{
	(void)hub_accounts_verify(secret && *secret ? secret : "x", ACCOUNTS_DUMMY_HASH);
}

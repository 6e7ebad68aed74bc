/* test_hub_accounts.c: yescrypt hashing and verification of operator secrets. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "opdesk/hub_accounts.h"

Test(hub_accounts, hash_is_yescrypt_with_fresh_salt)
{
	char *cause = NULL;
	char *a = hub_accounts_hash("s3cret", &cause);
	char *b = hub_accounts_hash("s3cret", &cause);
	cr_assert_not_null(a, "%s", cause ? cause : "");
	cr_assert_not_null(b);
	cr_expect_eq(strncmp(a, "$y$", 3), 0, "hash %s is not yescrypt", a);
	cr_expect_str_neq(a, b, "two hashes of one secret share a salt");
	cr_expect_null(strstr(a, "s3cret"));
	free(a);
	free(b);
}

Test(hub_accounts, verify_ok_wrong_empty)
{
	char *cause = NULL;
	char *h = hub_accounts_hash("пароль-оператора", &cause);
	cr_assert_not_null(h);
	cr_expect(hub_accounts_verify("пароль-оператора", h));
	cr_expect_not(hub_accounts_verify("пароль-оператор", h));
	cr_expect_not(hub_accounts_verify("пароль-оператораX", h));
	cr_expect_not(hub_accounts_verify("", h));
	cr_expect_not(hub_accounts_verify(NULL, h));
	cr_expect_not(hub_accounts_verify("пароль-оператора", NULL));
	cr_expect_not(hub_accounts_verify("пароль-оператора", ""));
	cr_expect_not(hub_accounts_verify("пароль-оператора", "*0"));
	cr_expect_not(hub_accounts_verify("x", "$1$abc$notyescrypt"));
	/* a tampered hash must not verify */
	h[strlen(h) - 2] = h[strlen(h) - 2] == 'a' ? 'b' : 'a';
	cr_expect_not(hub_accounts_verify("пароль-оператора", h));
	free(h);
	hub_accounts_burn("anything"); /* must not crash, and returns nothing */
}

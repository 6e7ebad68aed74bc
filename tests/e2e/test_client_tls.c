/* test_client_tls.c: wss:// between the client and the hub, with certificates made by the openssl tool for
 * the test (tests/e2e/make-test-certs). A hub certificate from a private CA, a self-signed one, one for
 * another host name and an expired one are all refused by default, with the reason on the status bar; the
 * right --ca-file makes the first two work; nothing makes the last two work. The hub's own TLS flags are
 * checked before it starts. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(client_tls, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static const char *certs(void)
{
	static char *dir;
	dir = e2e_path("certs");
	char *cmd = e2e_strf("'%s/tests/e2e/make-test-certs' '%s'", getenv("OPDESK_SOURCE_DIR"), dir);
	cr_assert_eq(system(cmd), 0, "%s failed", cmd);
	return dir;
}

/* A hub serving TLS with certificate NAME.pem of `dir`, and the operator anna. */
static struct e2e_hub *tls_hub(const char *dir, const char *name)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	const char *extra[] = {"--tls-cert", e2e_strf("%s/%s.pem", dir, name), "--tls-key",
	                       e2e_strf("%s/%s.key", dir, name), NULL};
	struct e2e_hub *h = e2e_hub_start(users, extra);
	cr_assert(e2e_hub_log_wait(h, "listening on wss://", E2E_WAIT_MS));
	return h;
}

/* The client against wss://localhost:PORT, trusting `ca` (NULL: the system's CAs only). */
static struct e2e_term *tls_client(struct e2e_hub *h, const char *ca)
{
	const char *extra[] = {"--url", e2e_strf("wss://localhost:%d", h->port), ca ? "--ca-file" : NULL, ca, NULL};
	return term_client(h, "anna", "s3cret-anna", 30, 200, extra);
}

static void expect_refused(struct e2e_hub *h, const char *ca, const char *reason)
{
	struct e2e_term *t = tls_client(h, ca);
	term_expect(t, "offline", E2E_WAIT_MS);
	term_expect(t, "certificate is refused", E2E_WAIT_MS);
	term_expect(t, reason, E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "online"), "%s", term_screen_text(t));
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS));
}

E2E_TEST(client_tls, a_private_ca_is_refused_until_named_with_ca_file)
{
	const char *dir = certs();
	struct e2e_hub *h = tls_hub(dir, "good");
	expect_refused(h, NULL, "unable to get local issuer certificate");
	struct e2e_term *t = tls_client(h, e2e_strf("%s/ca.pem", dir));
	term_expect(t, "online", E2E_WAIT_MS);
	term_expect(t, "anna", E2E_WAIT_MS);
}

E2E_TEST(client_tls, a_self_signed_certificate_is_refused_until_named_with_ca_file)
{
	const char *dir = certs();
	struct e2e_hub *h = tls_hub(dir, "self");
	expect_refused(h, NULL, "self-signed certificate");
	expect_refused(h, e2e_strf("%s/ca.pem", dir), "self-signed certificate"); /* another CA does not help */
	struct e2e_term *t = tls_client(h, e2e_strf("%s/self.pem", dir));
	term_expect(t, "online", E2E_WAIT_MS);
}

E2E_TEST(client_tls, a_certificate_for_another_host_is_refused)
{
	const char *dir = certs();
	struct e2e_hub *h = tls_hub(dir, "wronghost");
	expect_refused(h, e2e_strf("%s/ca.pem", dir), "hostname mismatch");
}

E2E_TEST(client_tls, an_expired_certificate_is_refused)
{
	const char *dir = certs();
	struct e2e_hub *h = tls_hub(dir, "expired");
	expect_refused(h, e2e_strf("%s/ca.pem", dir), "certificate has expired");
}

E2E_TEST(client_tls, bad_tls_flags_are_refused_before_anything_starts)
{
	const char *dir = certs();
	char *argv1[] = {e2e_bin("opdesk-hub"), "--tls-cert", e2e_strf("%s/good.pem", dir), NULL};
	struct e2e_proc *p = e2e_run("opdesk-hub", argv1, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "--tls-cert and --tls-key go together"), "%s", e2e_proc_stderr(p));
	char *argv2[] = {e2e_bin("opdesk-hub"), "--tls-cert", e2e_strf("%s/nope.pem", dir), NULL};
	p = e2e_run("opdesk-hub", argv2, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "nope.pem: No such file"), "%s", e2e_proc_stderr(p));
	/* a key that is not the certificate's */
	char *argv3[] = {e2e_bin("opdesk-hub"), "--db", e2e_path("k.db"), "--port", "0",
	                 "--tls-cert", e2e_strf("%s/good.pem", dir), "--tls-key", e2e_strf("%s/self.key", dir), NULL};
	p = e2e_run("opdesk-hub", argv3, NULL, E2E_WAIT_MS);
	cr_assert_neq(e2e_proc_exit_code(p), 0);
	cr_assert(strstr(e2e_proc_stderr(p), "do not load or do not match"), "%s", e2e_proc_stderr(p));
	char *argv4[] = {e2e_bin("opdesk"), "--url", "wss://localhost:1", "--user", "anna", "--ca-file",
	                 e2e_strf("%s/nope.pem", dir), NULL};
	p = e2e_run("opdesk", argv4, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "nope.pem: No such file"), "%s", e2e_proc_stderr(p));
}

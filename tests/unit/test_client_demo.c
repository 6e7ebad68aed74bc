/* test_client_demo.c: the --demo launcher against stand-in hub and simulator scripts on PATH: the user is
 * created with a secret on stdin, the port comes from the ready fd, a dying child is reported with its log
 * file, and stopping removes the temporary directory. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/client_demo.h"
#include "opdesk/xalloc.h"

static char *bindir;

static void script(const char *name, const char *body)
{
	char *p = xasprintf("%s/%s", bindir, name);
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(p, 0755);
	free(p);
}

static void setup(void)
{
	const char *tmp = getenv("OPDESK_TEST_TMP");
	char *tmpl = xasprintf("%s/demo-bin.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(tmpl));
	bindir = tmpl;
	char *path = xasprintf("%s:%s", bindir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	free(path);
	char *tmpdir = xasprintf("%s/tmp", bindir);
	mkdir(tmpdir, 0700);
	setenv("TMPDIR", tmpdir, 1);
	free(tmpdir);
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", bindir);
	int rc = system(cmd);
	(void)rc;
	free(cmd);
	free(bindir);
}

TestSuite(demo, .init = setup, .fini = teardown);

/* The stand-in hub: "user add NAME --db DB ..." stores the secret next to the db; otherwise it writes a port
 * to the --ready-fd and waits. */
static const char *fake_hub =
    "if [ \"$1\" = user ]; then read secret; echo \"$3 $secret\" > \"$5.user\"; exit 0; fi\n"
    "while [ $# -gt 0 ]; do case \"$1\" in --ready-fd) fd=$2; shift;; esac; shift; done\n"
    "echo 23456 >&$fd\n"
    "exec sleep 30";

Test(demo, starts_reports_and_cleans_up)
{
	script("opdesk-hub", fake_hub);
	script("opdesk-sim", "echo \"sim $*\" >&2; exec sleep 30");
	char *cause = NULL;
	struct client_demo *d = client_demo_start(NULL, &cause);
	cr_assert_not_null(d, "%s", cause ? cause : "");
	cr_assert_str_eq(client_demo_url(d), "ws://127.0.0.1:23456");
	cr_assert_str_eq(client_demo_user(d), "demo");
	cr_assert(strlen(client_demo_secret(d)) >= 32);
	char *dir = xstrdup(client_demo_dir(d));
	cr_assert(strncmp(dir, getenv("TMPDIR"), strlen(getenv("TMPDIR"))) == 0, "%s", dir);
	/* the user was created with the secret from stdin */
	char *uf = xasprintf("%s/hub.db.user", dir);
	FILE *f = fopen(uf, "r");
	cr_assert_not_null(f, "%s", uf);
	char line[256] = "";
	cr_assert_not_null(fgets(line, sizeof line, f));
	fclose(f);
	free(uf);
	char *want = xasprintf("demo %s\n", client_demo_secret(d));
	cr_assert_str_eq(line, want);
	free(want);
	cr_assert_not(client_demo_reap(d, &cause), "nothing died yet");
	client_demo_stop(d, false);
	struct stat st;
	cr_assert_eq(stat(dir, &st), -1, "the temporary directory is removed");
	free(dir);
}

Test(demo, a_dying_simulator_is_reported_with_its_log)
{
	script("opdesk-hub", fake_hub);
	script("opdesk-sim", "echo 'sim: cannot connect' >&2; exit 3");
	char *cause = NULL;
	struct client_demo *d = client_demo_start(NULL, &cause);
	cr_assert_not_null(d, "%s", cause ? cause : "");
	bool died = false;
	for (int i = 0; i < 200 && !died; i++) {
		usleep(20000);
		died = client_demo_reap(d, &cause);
	}
	cr_assert(died);
	cr_assert(strstr(cause, "simulator"), "%s", cause);
	cr_assert(strstr(cause, "sim.log"), "%s", cause);
	cr_assert(strstr(cause, "exit status 3"), "%s", cause);
	char *log = xasprintf("%s/sim.log", client_demo_dir(d));
	char *dir = xstrdup(client_demo_dir(d));
	free(cause);
	client_demo_stop(d, true);
	struct stat st;
	cr_assert_eq(stat(log, &st), 0, "the log is kept when it was named in an error");
	free(log);
	free(dir);
}

Test(demo, a_hub_that_never_listens_is_an_error)
{
	script("opdesk-hub", "if [ \"$1\" = user ]; then read s; exit 0; fi\necho 'hub: bad db' >&2\nexit 1");
	script("opdesk-sim", "exec sleep 30");
	char *cause = NULL;
	struct client_demo *d = client_demo_start(NULL, &cause);
	cr_assert_null(d);
	cr_assert(strstr(cause, "hub.log"), "%s", cause);
	free(cause);
}

Test(demo, user_add_failure_is_an_error)
{
	script("opdesk-hub", "echo 'opdesk-hub: user demo exists' >&2; exit 1");
	script("opdesk-sim", "exec sleep 30");
	char *cause = NULL;
	cr_assert_null(client_demo_start(NULL, &cause));
	cr_assert(strstr(cause, "user add"), "%s", cause);
	free(cause);
}

Test(demo, finds_programs_on_path)
{
	char *p = client_demo_find_program("sh");
	cr_assert_not_null(p);
	cr_assert_eq(access(p, X_OK), 0);
	free(p);
	cr_assert_null(client_demo_find_program("opdesk-no-such-program"));
}

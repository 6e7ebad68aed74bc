/* test_hub_canned.c: `opdesk-hub canned export|import`: the seeded replies come out as JSON, an edited file
 * goes back in (a changed reply replaced, a new one added) and operators get it in their welcome; a broken
 * file is refused whole, naming the reply, and changes nothing. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_canned, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static struct e2e_proc *canned(const char *db, const char *action, const char *file)
{
	char *argv[] = {e2e_bin("opdesk-hub"), "canned", (char *)action, (char *)file, "--db", (char *)e2e_db_target(db), NULL};
	return e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
}

E2E_TEST(hub_canned, export_edit_import)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *out = e2e_path("canned.json");
	struct e2e_proc *p = canned(h->db, "export", out);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	json_error_t je;
	json_t *arr = e2e_own_json(json_load_file(out, 0, &je));
	cr_assert(json_is_array(arr) && json_array_size(arr) >= 20, "%s", je.text);
	cr_assert(strstr(e2e_proc_stderr(p), "exported"), "%s", e2e_proc_stderr(p));

	char *in = e2e_path("mine.json");
	e2e_write_file(in, "[{\"id\":\"ru.greet\",\"lang\":\"ru\",\"shortcut\":\"/hi\",\"category\":\"greeting\","
	                   "\"title\":\"Приветствие\",\"text\":\"Добрый день, {customer}! На связи {operator}.\"},"
	                   "{\"id\":\"ru.vip\",\"lang\":\"ru\",\"shortcut\":\"/vip\",\"category\":\"order\","
	                   "\"title\":\"Скидка\",\"text\":\"Для вас скидка 10%.\"}]");
	p = canned(h->db, "import", in);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stderr(p), "imported 2"), "%s", e2e_proc_stderr(p));

	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	json_t *w = ws_hello(anna, "anna", "s3cret-anna");
	char *dump = json_dumps(json_object_get(w, "canned"), 0);
	cr_assert(strstr(dump, "Добрый день, {customer}! На связи {operator}.") && strstr(dump, "ru.vip"), "%s", dump);
	free(dump);

	/* one bad entry: nothing changes */
	e2e_write_file(in, "[{\"id\":\"ru.x\",\"category\":\"order\",\"title\":\"X\",\"text\":\"Новый\"},"
	                   "{\"id\":\"ru.y\",\"category\":\"order\",\"title\":\"Y\",\"text\":\"Y\",\"colour\":\"red\"}]");
	p = canned(h->db, "import", in);
	cr_assert_eq(e2e_proc_exit_code(p), 1);
	cr_assert(strstr(e2e_proc_stderr(p), "reply 2: unknown field"), "%s", e2e_proc_stderr(p));
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM canned WHERE id='ru.x'"), 0);
	char *argv[] = {e2e_bin("opdesk-hub"), "canned", "publish", "x", "--db", h->db, NULL};
	p = e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 2, "%s", e2e_proc_stderr(p));
}

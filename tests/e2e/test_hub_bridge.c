/* test_hub_bridge.c: a Telegram-like customer through the reference bridge. A bridge account bound to the
 * telegram channel (`opdesk-hub bridge add`), opdesk-bridge fed JSON lines on a pipe like a bot would:
 * two contacts' first messages open two telegram dialogs for the operator, a later message joins its
 * contact's dialog, the operator's reply and typing come out on the bridge's stdout with the contact; a bad
 * line is refused on stderr and nothing else is lost. The bridge is stopped, the operator writes meanwhile,
 * and the restarted bridge (same state file) writes that reply out once, and nothing from before again.
 * After the close the contact rates through the bridge, and a new message opens a new dialog. A wrong
 * secret ends the bridge with exit 1; the customer endpoint cannot speak for a bridge. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

TestSuite(hub_bridge, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

struct bot {
	struct e2e_proc *proc;
	int to_bridge; /* the bot's end of the bridge's stdin */
};

static void bridge_account(const char *db, const char *name, const char *secret)
{
	char *argv[] = {e2e_bin("opdesk-hub"), "bridge", "add", (char *)name, "--channel", "telegram",
			"--db", (char *)e2e_db_target(db), NULL};
	struct e2e_spawn_opts o = {.stdin_text = e2e_strf("%s\n", secret), .fd3 = -1};
	struct e2e_proc *p = e2e_run("bridge-add", argv, &o, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(e2e_proc_stdout(p), "added bridge tg for telegram"), "%s", e2e_proc_stdout(p));
}

static struct bot bot_start(struct e2e_hub *h, const char *name, const char *secret_file)
{
	int fds[2];
	cr_assert(pipe2(fds, O_CLOEXEC) == 0);
	char *argv[] = {e2e_bin("opdesk-bridge"), "--url", h->url, "--user", "tg", "--secret-file",
			(char *)secret_file, "--state", e2e_path("bridge.state"), "--log-level", "info", NULL};
	struct e2e_spawn_opts o = {.stdin_fd = fds[0], .fd3 = -1};
	struct bot b = {.proc = e2e_spawn(name, argv, &o), .to_bridge = fds[1]};
	close(fds[0]);
	return b;
}

static void bot_say(struct bot *b, const char *line)
{
	char *l = e2e_strf("%s\n", line);
	cr_assert(write(b->to_bridge, l, strlen(l)) == (ssize_t)strlen(l));
}

/* Wait for a line of the bridge's stdout holding every one of `needles` (NULL-terminated). */
static bool bot_expect(struct bot *b, const char *needle)
{
	return e2e_file_wait_text(b->proc->out_path, needle, E2E_WAIT_MS);
}

static long long assigned_dialog(struct e2e_ws *ws, const char *customer)
{
	json_t *a = ws_expect_type(ws, "assigned", E2E_WAIT_MS);
	cr_assert(a, "no chat reached the operator: %s", ws_skipped(ws));
	json_t *d = json_object_get(a, "dialog");
	cr_assert_str_eq(e2e_json_str(d, "channel"), "telegram");
	cr_assert_str_eq(e2e_json_str(d, "customer"), customer);
	return e2e_json_int(d, "id", 0);
}

E2E_TEST(hub_bridge, a_bridged_customer_reaches_an_operator_and_nothing_is_lost_across_a_bridge_restart)
{
	char *db = e2e_path("hub.db");
	bridge_account(db, "tg", "tg-secret-1");
	char *secret_file = e2e_path("tg.secret");
	e2e_write_file(secret_file, "tg-secret-1\n");
	chmod(secret_file, 0600);
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db, users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");

	struct bot bot = bot_start(h, "bridge", secret_file);
	cr_assert(bot_expect(&bot, "{\"type\":\"welcome\",\"channel\":\"telegram\""), "%s", e2e_proc_stderr(bot.proc));
	bot_say(&bot, "{\"type\":\"message\",\"contact\":\"1001\",\"name\":\"Иван\",\"client_msg_id\":\"tg-1\","
		      "\"text\":\"Здравствуйте, где мой заказ 4817?\"}");
	long long d1 = assigned_dialog(anna, "Иван");
	cr_assert(bot_expect(&bot, "{\"type\":\"opened\",\"contact\":\"1001\""));
	bot_say(&bot, "this is not JSON");
	bot_say(&bot, "{\"type\":\"message\",\"contact\":\"1002\",\"name\":\"Ольга\",\"client_msg_id\":\"tg-2\","
		      "\"text\":\"Есть ли платье в размере 44?\"}");
	long long d2 = assigned_dialog(anna, "Ольга");
	cr_assert_neq(d1, d2);
	bot_say(&bot, "{\"type\":\"message\",\"contact\":\"1001\",\"name\":\"Иван\",\"client_msg_id\":\"tg-3\","
		      "\"text\":\"Заказ оформлял вчера\"}");
	json_t *m = ws_expect_type(anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(anna));
	cr_assert_eq(e2e_json_int(m, "dialog", 0), d1, "the contact's second message opened another dialog");
	cr_assert_str_eq(e2e_json_str(m, "text"), "Заказ оформлял вчера");
	cr_assert(strstr(e2e_proc_stderr(bot.proc), "stdin:2: malformed"), "%s", e2e_proc_stderr(bot.proc));

	/* typing both ways; the operator's reply comes out with the contact */
	bot_say(&bot, "{\"type\":\"typing\",\"contact\":\"1001\",\"on\":true}");
	json_t *t = ws_expect_type(anna, "typing", E2E_WAIT_MS);
	cr_assert(t && e2e_json_int(t, "dialog", 0) == d1, "%s", ws_skipped(anna));
	ws_sendf(anna, "{\"type\":\"typing\",\"dialog\":%lld,\"on\":true}", d1);
	cr_assert(bot_expect(&bot, "{\"type\":\"typing\",\"contact\":\"1001\",\"on\":true}"));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a1\",\"text\":\"Заказ в пути\"}", d1);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	cr_assert(bot_expect(&bot, "\"contact\":\"1001\",\"id\""));
	cr_assert(bot_expect(&bot, "\"author\":\"anna\",\"text\":\"Заказ в пути\""));

	/* the bridge goes away; the operator writes to both; the bridge comes back with its state file */
	e2e_proc_stop(bot.proc);
	close(bot.to_bridge);
	cr_assert_eq(e2e_proc_exit_code(bot.proc), 0, "%s", e2e_proc_stderr(bot.proc));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a2\",\"text\":\"Курьер будет в 15:00\"}", d1);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a3\",\"text\":\"Размер 44 есть\"}", d2);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	struct bot again = bot_start(h, "bridge2", secret_file);
	cr_assert(bot_expect(&again, "Размер 44 есть"), "%s", e2e_proc_stderr(again.proc));
	char *out = e2e_slurp(again.proc->out_path, NULL);
	cr_assert_eq(e2e_count(out, "Курьер будет в 15:00"), 1, "%s", out);
	cr_assert_eq(e2e_count(out, "Заказ в пути"), 0, "a message written out before came again:\n%s", out);
	cr_assert(strstr(out, "\"contact\":\"1002\""), "%s", out);

	/* the operator closes; the contact rates through the bridge; a new message is a new dialog */
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d1);
	cr_assert(bot_expect(&again, "{\"type\":\"closed\",\"contact\":\"1001\""));
	bot_say(&again, "{\"type\":\"rate\",\"contact\":\"1001\",\"score\":5,\"comment\":\"Спасибо!\"}");
	json_t *r = ws_expect_type(anna, "rating", E2E_WAIT_MS);
	cr_assert(r && e2e_json_int(r, "dialog", 0) == d1 && e2e_json_int(r, "score", 0) == 5, "%s", ws_skipped(anna));
	bot_say(&again, "{\"type\":\"message\",\"contact\":\"1001\",\"name\":\"Иван\",\"client_msg_id\":\"tg-4\","
			"\"text\":\"И ещё вопрос\"}");
	long long d3 = assigned_dialog(anna, "Иван"); /* back within the return window: to anna again */
	cr_assert(d3 != d1 && d3 != d2);

	/* stdin ends: the bridge leaves once every message is acknowledged */
	close(again.to_bridge);
	cr_assert(e2e_proc_wait(again.proc, E2E_WAIT_MS), "the bridge did not leave at the end of its input");
	cr_assert_eq(e2e_proc_exit_code(again.proc), 0, "%s", e2e_proc_stderr(again.proc));

	struct e2e_db *q = e2e_db_open(db);
	cr_assert_eq(e2e_db_int(q, 0, "SELECT count(*) FROM dialogs WHERE channel = 'telegram' AND contact = '1001'"), 2);
	cr_assert_eq(e2e_db_int(q, 0, "SELECT count(*) FROM messages WHERE client_msg_id LIKE 'tg-%%'"), 4,
		     "each bridged message is stored once");
	cr_assert_str_eq(e2e_db_text(q, "SELECT comment FROM ratings WHERE dialog_id = %lld", d1), "Спасибо!");
}

E2E_TEST(hub_bridge, a_wrong_secret_ends_the_bridge_and_customers_cannot_use_the_bridge_endpoint_without_one)
{
	char *db = e2e_path("hub.db");
	bridge_account(db, "tg", "tg-secret-1");
	struct e2e_hub *h = e2e_hub_start_db(db, NULL, NULL);
	char *secret_file = e2e_path("wrong.secret");
	e2e_write_file(secret_file, "not-the-secret\n");
	chmod(secret_file, 0600);
	struct bot bot = bot_start(h, "bridge", secret_file);
	cr_assert(e2e_proc_wait(bot.proc, E2E_WAIT_MS), "the bridge kept running after its sign-in was refused");
	cr_assert_eq(e2e_proc_exit_code(bot.proc), 1);
	cr_assert(strstr(e2e_proc_stderr(bot.proc), "refused the sign-in of tg"), "%s", e2e_proc_stderr(bot.proc));
	close(bot.to_bridge);

	struct e2e_ws *ws = ws_connect_ok(h->port, "opdesk.bridge.v1");
	ws_sendf(ws, "{\"type\":\"message\",\"contact\":\"1\",\"name\":\"X\",\"client_msg_id\":\"x\",\"text\":\"hi\"}");
	ws_expect_error(ws, "not_authenticated", "a message before hello");
	ws_sendf(ws, "{\"type\":\"hello\",\"user\":\"anna\",\"secret\":\"whatever\"}");
	ws_expect_error(ws, "auth_failed", "an unknown bridge");
	struct e2e_db *q = e2e_db_open(db);
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM dialogs"), 0);
	cr_assert_eq(e2e_db_int(q, -1, "SELECT count(*) FROM audit WHERE action = 'bridge-sign-in-refused'"), 2);
}

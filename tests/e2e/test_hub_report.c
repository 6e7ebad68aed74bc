/* test_hub_report.c: `opdesk-hub report` on a database filled by a scripted session: two dialogs of one
 * operator, closed with two topics, rated 5 and 4, one claim: the table, the grouping by topic, the CSV, and
 * the claims by category, the usage errors; and a row for each of a hundred operators, two of them with one display name. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "harness.h"

TestSuite(hub_report, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

static void one_dialog(struct e2e_hub *h, struct e2e_ws *anna, const char *name, const char *topic, int score,
                       bool claim)
{
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"Вопрос\"}", name);
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a);
	long long d = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"%s-1\",\"text\":\"Ответ\"}", d, name);
	cr_assert(ws_expect_type(anna, "ack", E2E_WAIT_MS));
	if (claim) {
		ws_sendf(anna, "{\"type\":\"claim\",\"dialog\":%lld,\"category\":\"quality\"}", d);
		cr_assert(ws_expect_type(anna, "message", E2E_WAIT_MS));
	}
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"%s\"}", d, topic);
	cr_assert(ws_expect_type(cust, "closed", E2E_WAIT_MS));
	ws_sendf(cust, "{\"type\":\"rate\",\"score\":%d}", score);
	cr_assert(ws_expect_type(anna, "rating", E2E_WAIT_MS));
}

static struct e2e_proc *report(struct e2e_hub *h, const char *const args[])
{
	char *argv[16];
	size_t i = 0;
	argv[i++] = e2e_bin("opdesk-hub");
	argv[i++] = "report";
	argv[i++] = "--db";
	argv[i++] = h->db;
	for (size_t k = 0; args[k] && i < 15; k++)
		argv[i++] = (char *)args[k];
	argv[i] = NULL;
	return e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
}

E2E_TEST(hub_report, the_days_service_quality)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	one_dialog(h, anna, "Лена", "order", 5, false);
	one_dialog(h, anna, "Маша", "returns", 4, true);

	const char *table[] = {"--since", "2020-01-01", NULL};
	struct e2e_proc *p = report(h, table);
	const char *out = e2e_proc_stdout(p);
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	cr_assert(strstr(out, "operator") && strstr(out, "CSAT mean"), "%s", out);
	/* anna: 2 dialogs, 2 rated, mean 4.50, half of them 5s, 1 claim; the total row says the same */
	const char *row = strstr(out, "\nanna");
	cr_assert(row, "%s", out);
	char line[512];
	sscanf(row + 1, "%511[^\n]", line);
	cr_assert(strstr(line, " 2 ") && strstr(line, "4.50") && strstr(line, "50%") && line[strlen(line) - 1] == '1',
	          "anna's row: %s", line);
	cr_assert(strstr(out, "\ntotal"), "%s", out);
	/* below, the claims by category of those who have any: anna's one is about quality */
	const char *claims = strstr(out, "\n\noperator");
	cr_assert(claims && strstr(claims, "quality") && strstr(claims, "delivery"), "%s", out);
	row = strstr(claims, "\nanna");
	cr_assert(row, "%s", out);
	sscanf(row + 1, "%511[^\n]", line);
	int total_claims = -1, by_cat[4] = {-1, -1, -1, -1};
	cr_assert_eq(sscanf(line, "anna %d %d %d %d %d", &total_claims, &by_cat[0], &by_cat[1], &by_cat[2], &by_cat[3]), 5,
	             "%s", line);
	cr_assert(total_claims == 1 && by_cat[0] == 1 && by_cat[1] == 0 && by_cat[2] == 0 && by_cat[3] == 0, "%s", line);

	const char *topics[] = {"--since", "2020-01-01", "--by", "topic", "--csv", NULL};
	p = report(h, topics);
	out = e2e_proc_stdout(p);
	cr_assert(strncmp(out, "topic,dialogs,wait,", 19) == 0, "%s", out);
	cr_assert(strstr(out, "\norder,1,") && strstr(out, "\nreturns,1,") && strstr(out, "\ntotal,2,"), "%s", out);
	cr_assert(strstr(out, ",claims,claims quality,claims completeness,claims delivery,claims service\n"), "%s", out);
	cr_assert(strstr(out, ",5.00,100%,0,0,0,0,0\n") && strstr(out, ",4.00,0%,1,1,0,0,0\n"), "%s", out);

	const char *future[] = {"--since", "2099-01-01", NULL};
	p = report(h, future);
	cr_assert(strstr(e2e_proc_stdout(p), "\ntotal") && strstr(e2e_proc_stdout(p), " 0 "), "%s", e2e_proc_stdout(p));

	const char *bad[] = {"--since", "yesterday", NULL};
	p = report(h, bad);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "--since yesterday"), "%s", e2e_proc_stderr(p));
	const char *none[] = {NULL};
	p = report(h, none);
	cr_assert_eq(e2e_proc_exit_code(p), 2);
	cr_assert(strstr(e2e_proc_stderr(p), "--since DATE is required"), "%s", e2e_proc_stderr(p));
}

E2E_TEST(hub_report, a_row_for_every_one_of_a_hundred_operators)
{
	/* a hundred operators with a closed dialog each, written straight into the hub's database */
	struct e2e_hub *h = e2e_hub_start((const char *const[]){"op000", "s3cret", NULL}, NULL);
	e2e_proc_stop(h->proc);
	char *ops = "('op001', 'operator', 'x', 4, 0, 0)";
	for (int i = 2; i <= 99; i++)
		ops = e2e_strf("%s, ('op%03d', 'operator', 'x', 4, 0, 0)", ops, i);
	long long now = (long long)time(NULL) * 1000;
	e2e_db_exec(h->db,
		    "INSERT INTO operators(name, role, secret_hash, capacity, disabled, created_ms) VALUES %s;"
		    "INSERT INTO dialogs(customer, channel, queue, state, operator_id, topic, opened_ms, assigned_ms, "
		    "closed_ms, closed_by, last_seq) SELECT 'c' || id, 'web', 'general', 'closed', id, 'order', "
		    "%lld, %lld, %lld, 'operator', 0 FROM operators;"
		    /* two of them go by the same display name: still two rows, told apart by the user name */
		    "UPDATE operators SET display = 'Анна' WHERE name IN ('op001', 'op002');",
		    ops, now - 60000, now - 50000, now - 1000);
	struct e2e_proc *p = report(h, (const char *const[]){"--since", "2000-01-01", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	char *out = e2e_proc_stdout(p);
	cr_assert_eq(e2e_count(out, "\n"), 102, "a header, 100 operators and the total:\n%s", out);
	cr_assert(strstr(out, "\nop099 "), "%s", out);
	cr_assert(strstr(out, "\nАнна (op001) ") && strstr(out, "\nАнна (op002) "), "%s", out);
	cr_assert(strstr(out, "\ntotal "), "%s", out);
}

E2E_TEST(hub_report, a_hostile_display_name_is_printed_inert_and_aligned)
{
	/* a display name set by hand in the database with a C1 CSI, ESC, a bidi override and CR LF: the table
	 * goes to a terminal, so it shows them as the workstation does, and the columns still line up */
	struct e2e_hub *h = e2e_hub_start((const char *const[]){"anna", "s3cret", "boris", "s3cret", NULL}, NULL);
	e2e_proc_stop(h->proc);
	long long now = (long long)time(NULL) * 1000;
	e2e_db_exec(h->db,
		    "UPDATE operators SET display = %Q WHERE name = 'anna';"
		    "INSERT INTO dialogs(customer, channel, queue, state, operator_id, topic, opened_ms, assigned_ms, "
		    "closed_ms, closed_by, last_seq) SELECT 'c' || id, 'web', 'general', 'closed', id, 'order', "
		    "%lld, %lld, %lld, 'operator', 0 FROM operators;",
		    "Ан\xc2\x9b" "31m\x1b[2J\xe2\x80\xae\r\nна", now - 60000, now - 50000, now - 1000);
	struct e2e_proc *p = report(h, (const char *const[]){"--since", "2000-01-01", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	char *out = e2e_proc_stdout(p);
	cr_assert(!strchr(out, '\x1b') && !strchr(out, '\r') && !strstr(out, "\xc2\x9b") && !strstr(out, "\u202e"),
		  "a raw control reached the terminal:\n%s", out);
	cr_assert_eq(e2e_count(out, "\n"), 4, "a header, two operators and the total, one line each:\n%s", out);
	const char *row = strstr(out, "\nАн<9B>31m^[[2J↵на ");
	cr_assert(row, "%s", out);
	/* aligned: the dialogs column ends in the same display column on every row (each character here is one
	 * column wide, so columns are counted in characters) */
	const char *boris = strstr(out, "\nboris ");
	cr_assert(boris, "%s", out);
	const char *rows[2] = {row + 1, boris + 1};
	int ends[2];
	for (int r = 0; r < 2; r++) {
		const char *one = strstr(rows[r], " 1  0:10");
		cr_assert(one, "%s", out);
		ends[r] = 0;
		for (const unsigned char *q = (const unsigned char *)rows[r]; q <= (const unsigned char *)one + 1; q++)
			ends[r] += (*q & 0xc0) != 0x80;
	}
	cr_assert(ends[0] == ends[1], "the dialogs column ends at %d and %d:\n%s", ends[0], ends[1], out);
}

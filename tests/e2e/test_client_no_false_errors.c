/* test_client_no_false_errors.c: every way a dialog leaves the operator while she is typing in it (a transfer to
 * a queue, a transfer to a colleague, closing it, a supervisor's takeover, and the hub handing it back to the
 * queue while she was away past the grace period) passes without the hub refusing anything her workstation
 * sent: the hub logs every refusal with the refused frame's ref, and its logs have none. Typing on in a dialog
 * that has left her sends nothing. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_no_false_errors, .init = e2e_setup, .fini = e2e_teardown, .timeout = 150);

#define TK_F5 "\x1b[15~"
#define TK_BS "\x7f"

/* A customer's chat that the hub routes to anna at once (she is the least loaded): its connection. */
static struct e2e_ws *chat(struct e2e_hub *h, struct e2e_term *t, const char *name)
{
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"Здравствуйте\"}", name);
	term_expect(t, e2e_strf("%s · web", name), E2E_WAIT_MS);
	return c;
}

/* anna types into the focused dialog until its customer sees her typing (the hub has had her typing notice). */
static void anna_types(struct e2e_term *t, struct e2e_ws *cust, const char *text)
{
	term_send(t, text);
	json_t *ty;
	while ((ty = ws_expect_type(cust, "typing", E2E_WAIT_MS)) && !json_is_true(json_object_get(ty, "on")))
		;
	cr_assert(ty, "the customer never saw anna typing: %s", ws_skipped(cust));
}

static long long dialog_of(struct e2e_db *db, const char *customer)
{
	return e2e_db_int(db, 0, "SELECT max(id) FROM dialogs WHERE customer=%Q", customer);
}

static void expect_no_refusal(struct e2e_hub *h)
{
	const char *log = e2e_proc_stderr(h->proc);
	cr_assert(!strstr(log, " ref="), "the hub refused a frame:\n%s", log);
}

E2E_TEST(client_no_false_errors, transfer_close_takeover_and_release_while_typing_refuse_nothing)
{
	char *db_path = e2e_strf("%s/quiet.db", e2e_dir());
	struct e2e_proc *p =
	    e2e_hub_user_add(db_path, "sveta", "s3cret-sveta", (const char *const[]){"--role", "supervisor", NULL});
	cr_assert_eq(e2e_proc_exit_code(p), 0, "%s", e2e_proc_stderr(p));
	const char *users[] = {"anna", "s3cret-anna", "boris", "s3cret-boris", NULL};
	struct e2e_hub *h = e2e_hub_start_db(db_path, users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 40, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);

	/* a transfer to the stylist queue */
	struct e2e_ws *ca = chat(h, t, "Алла");
	anna_types(t, ca, "сейчас уточню");
	term_send(t, TK_F5);
	term_expect(t, "Stylist consultation queue", E2E_WAIT_MS);
	term_send(t, "2");
	term_expect(t, "transferred to queue stylist", E2E_WAIT_MS);

	/* a transfer to boris (who takes Алла's stylist chat as he signs in) */
	struct e2e_ws *cb = chat(h, t, "Белла");
	anna_types(t, cb, "передаю коллеге");
	struct e2e_ws *boris = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(boris, "boris", "s3cret-boris");
	term_send(t, TK_F5);
	term_expect(t, "3  boris", E2E_WAIT_MS);
	term_send(t, "boris");
	term_send(t, TK_ENTER);
	term_expect(t, "transferred to boris", E2E_WAIT_MS);

	/* closing */
	struct e2e_ws *cc = chat(h, t, "Вера");
	anna_types(t, cc, "всего доброго");
	term_send(t, TK_F8);
	term_send(t, "1");
	cr_assert(ws_expect_type(cc, "closed", E2E_WAIT_MS), "%s", ws_skipped(cc));

	/* a supervisor's takeover while anna types, who then goes on typing in the dialog that left her */
	struct e2e_ws *cd = chat(h, t, "Галина");
	anna_types(t, cd, "одну минуту");
	struct e2e_ws *sveta = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(sveta, "{\"type\":\"hello\",\"user\":\"sveta\",\"secret\":\"s3cret-sveta\",\"role\":\"supervisor\"}");
	cr_assert(ws_expect_type(sveta, "welcome", E2E_WAIT_MS), "%s", ws_skipped(sveta));
	ws_sendf(sveta, "{\"type\":\"takeover\",\"dialog\":%lld}", dialog_of(db, "Галина"));
	term_expect(t, "Dialog taken over by supervisor sveta", E2E_WAIT_MS);
	term_send(t, " и ещё");
	term_send(t, TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS TK_BS);

	/* the hub hands a dialog back to the queue while anna is away: it restarts with no grace, and she serves
	 * only the stylist queue from her next sign-in, so the chat is not hers again when she is back */
	struct e2e_ws *ce = chat(h, t, "Дина");
	anna_types(t, ce, "черновик");
	/* the hub has read everything anna sent so far: her next frame (away) comes after it */
	term_send(t, TK_F3);
	term_expect(t, "go away anyway?", E2E_WAIT_MS); /* with open chats she is asked first */
	term_send(t, "y");
	cr_assert(e2e_hub_log_wait(h, "anna is away", E2E_WAIT_MS), "%s", e2e_proc_stderr(h->proc));
	term_send(t, TK_F3);
	cr_assert(e2e_hub_log_wait(h, "anna is online", E2E_WAIT_MS), "%s", e2e_proc_stderr(h->proc));
	e2e_proc_stop(h->proc);
	expect_no_refusal(h);
	term_expect(t, "offline", E2E_WAIT_MS);
	struct e2e_proc *sk = e2e_run("skills", (char *const[]){e2e_bin("opdesk-hub"), "user", "skills", "anna",
	                                                         "stylist", "--db", h->db, NULL},
	                              NULL, E2E_WAIT_MS);
	cr_assert_eq(e2e_proc_exit_code(sk), 0, "%s", e2e_proc_stderr(sk));
	const char *again[] = {"--port", e2e_strf("%d", h->port), "--grace", "0", NULL};
	struct e2e_hub *h2 = e2e_hub_start_db(h->db, NULL, again);
	term_expect(t, "no longer assigned to you", 25000); /* the longest back-off step is 15 s */
	term_send(t, " ещё");
	term_send(t, TK_BS TK_BS TK_BS TK_BS);
	term_send(t, TK_F3);
	/* asked first while she still holds a chat; then away */
	const char *after_f3[] = {"go away anyway?", "(away)", NULL};
	if (term_wait_any(t, after_f3, E2E_WAIT_MS) == 0)
		term_send(t, "y");
	cr_assert(e2e_hub_log_wait(h2, "anna is away", E2E_WAIT_MS), "%s", e2e_proc_stderr(h2->proc));
	expect_no_refusal(h2);
	(void)boris;
	(void)sveta;
}

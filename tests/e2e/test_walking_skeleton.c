/* test_walking_skeleton.c: the acceptance test of issue 2, end to end through the real programs: a hub,
 * one simulated customer and the operator's client in a pty. The customer's chat reaches the operator,
 * the operator, away (F3) so that nothing is routed on its own, takes the waiting chat with F2, reads
 * the first message, answers in Russian (with an emoji), closes the dialog with a wrap-up topic picked by
 * its digit, sees the customer's rating, and comes back online. Every step is checked where it
 * lands: on the screen, in the hub's database, and in what the simulated customer saw (--events). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "opdesk/utf8.h"

#define OP_USER   "anna"
#define OP_SECRET "s3cret-anna"
#define REPLY     "Здравствуйте! Ваш заказ уже в пути 🚚"

TestSuite(walking_skeleton, .init = e2e_setup, .fini = e2e_teardown, .timeout = 150);

/* The first words of `text` (whole words, at most max code points, never empty), which a pane shows on
 * one row however it wraps the rest. */
static const char *first_words(const char *text, size_t max)
{
	size_t len = strcspn(text, "\n"), i = 0, cps = 0, cut = 0;
	while (i < len && cps < max) {
		uint32_t cp;
		size_t n = utf8_decode(text + i, len - i, &cp);
		if (cp == ' ')
			cut = i;
		i += n;
		cps++;
	}
	if (i >= len)
		cut = len;
	else if (cut == 0)
		cut = i;
	return e2e_strf("%.*s", (int)cut, text);
}

static void walking_skeleton(int rows, int cols)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	struct e2e_hub *hub = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(hub, OP_USER, OP_SECRET, rows, cols, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_expect(t, "queue: 0", E2E_WAIT_MS);
	term_send(t, TK_F3); /* away: no chat is routed on its own */
	term_expect(t, "(away)", E2E_WAIT_MS);

	char *events = e2e_path("events.jsonl");
	const char *sim_args[] = {"--customers", "1", "--rate",  "60", "--think", "200-400",
	                          "--seed",      "7", "--chats", "1",  NULL};
	struct e2e_proc *sim = e2e_sim_start(hub, events, sim_args);

	/* the customer opens a chat */
	json_t *opened = e2e_events_wait(events, "opened", NULL, NULL, E2E_WAIT_MS);
	cr_assert(opened, "the simulator reported no \"opened\" event (%s); its stderr:\n%s\nhub stderr:\n%s",
	          e2e_proc_how(sim), e2e_proc_stderr(sim), e2e_proc_stderr(hub->proc));
	long long dialog = e2e_json_int(opened, "dialog", -1);
	const char *customer = e2e_json_str(opened, "customer");
	const char *channel = e2e_json_str(opened, "channel");
	cr_assert(dialog > 0 && *customer && *channel, "odd opened event: %s",
	          (char *)e2e_own(json_dumps(opened, 0)));
	cr_log_info("dialog %lld from %s (%s)", dialog, customer, channel);

	struct e2e_db *db = e2e_db_open(hub->db);
	char *first = e2e_db_text(
	    db, "SELECT text FROM messages WHERE dialog_id=%lld AND sender='customer' ORDER BY seq LIMIT 1",
	    dialog);
	cr_assert(first, "dialog %lld has no customer message in the database", dialog);

	/* the operator is away, so the chat waits in the queue sidebar until F2 takes it */
	const char *header = e2e_strf("%s · %s", customer, channel);
	term_expect(t, "queue: 1", E2E_WAIT_MS);
	term_expect(t, customer, E2E_WAIT_MS);
	cr_assert(!term_has_text(t, header), "the chat was routed to an away operator:\n%s", term_screen_text(t));
	cr_assert(e2e_db_text(db, "SELECT state FROM dialogs WHERE id=%lld AND state='queued'", dialog),
		  "dialog %lld is not queued in the database while the operator is away", dialog);
	term_send(t, TK_F2);
	term_expect(t, header, E2E_WAIT_MS);
	cr_assert(
	    e2e_db_int(
	        db, 0,
	        "SELECT operator_id = (SELECT id FROM operators WHERE name=%Q) FROM dialogs WHERE id=%lld",
	        OP_USER, dialog) == 1,
	    "dialog %lld is not assigned to %s in the database", dialog, OP_USER);

	/* the customer's first message in the pane */
	const char *words = first_words(first, 18);
	term_expect(t, words, E2E_WAIT_MS);

	/* the operator answers */
	term_send(t, REPLY);
	term_expect(t, REPLY, E2E_WAIT_MS); /* in the composer */
	term_watch(t, "(sending)");
	term_send(t, TK_ENTER);
	term_expect(t, OP_USER ": " REPLY, E2E_WAIT_MS);
	term_log_screen(t, "after the reply");
	cr_assert(term_wait_gone(t, "(sending)", E2E_WAIT_MS),
	          "the reply was never acknowledged; screen:\n%s", term_screen_text(t));
	json_t *got = e2e_events_wait(events, "received", "text", REPLY, E2E_WAIT_MS);
	cr_assert(got, "the simulated customer did not receive the reply; events:\n%s",
	          e2e_slurp(events, NULL));
	cr_assert_str_eq(e2e_json_str(got, "sender"), "operator");
	cr_assert_eq(e2e_json_int(got, "dialog", -1), dialog);
	cr_assert_eq(
	    e2e_db_int(db, -1,
	               "SELECT count(*) FROM messages WHERE dialog_id=%lld AND sender='operator' AND text=%Q",
	               dialog, REPLY),
	    1, "the reply is not stored exactly once as an operator message");
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM messages WHERE text=%Q", REPLY), 1,
	             "the reply is stored more than once");
	char *author =
	    e2e_db_text(db, "SELECT author FROM messages WHERE dialog_id=%lld AND text=%Q", dialog, REPLY);
	cr_assert(author && strcmp(author, OP_USER) == 0, "the reply's author is %s, not " OP_USER,
	          author ? author : "NULL");
	cr_assert_eq(e2e_events_count(events, "received", "text", REPLY), 1,
	             "the customer got the reply more than once");

	/* close with the first wrap-up topic, picked by its digit */
	term_send(t, TK_F8);
	term_expect(t, "Close the dialog:", E2E_WAIT_MS);
	term_log_screen(t, "topic picker");
	term_send(t, "1");
	cr_assert(term_wait_both(t, header, "closed", E2E_WAIT_MS), "the header does not say closed:\n%s",
	          term_screen_text(t));
	cr_assert(e2e_events_wait(events, "closed", "dialog", e2e_strf("%lld", dialog), E2E_WAIT_MS),
	          "the customer was not told the dialog closed; events:\n%s", e2e_slurp(events, NULL));
	char *state =
	    e2e_db_text(db, "SELECT state || '/' || coalesce(topic, '-') FROM dialogs WHERE id=%lld", dialog);
	cr_assert(state && strcmp(state, "closed/order") == 0, "dialog %lld in the database: %s", dialog,
	          state ? state : "missing");

	/* the rating comes back */
	term_expect(t, "Customer rated ", E2E_WAIT_MS);
	int y = term_find_row(t, "Customer rated ");
	cr_assert(y >= 0);
	const char *row = term_row(t, y);
	int score = 0;
	cr_assert(sscanf(strstr(row, "Customer rated "), "Customer rated %d/5", &score) == 1 && score >= 1 &&
	              score <= 5,
	          "cannot read the score in \"%s\"", row);
	json_t *rated = e2e_events_wait(events, "rated", "dialog", e2e_strf("%lld", dialog), E2E_WAIT_MS);
	cr_assert(rated, "the simulator reported no rating; events:\n%s", e2e_slurp(events, NULL));
	cr_assert_eq(e2e_json_int(rated, "score", -1), score, "the customer rated %lld, the screen says %d",
	             e2e_json_int(rated, "score", -1), score);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT score FROM ratings WHERE dialog_id=%lld", dialog), score,
	             "the ratings table disagrees with the screen (%d)", score);

	term_log_screen(t, "after the rating");

	/* back online (F3 again) */
	term_send(t, TK_F3);
	cr_assert(term_wait_gone(t, "(away)", E2E_WAIT_MS), "F3 did not bring the operator back online:\n%s",
		  term_screen_text(t));

	/* F2 with nobody waiting says so and changes nothing */
	term_send(t, TK_F2);
	term_expect(t, "nobody is waiting", E2E_WAIT_MS);
	cr_assert(term_has_text(t, "dialogs: 0/4"), "F2 with an empty queue changed the dialogs:\n%s",
	          term_screen_text(t));

	/* nothing is open any more: F10 quits at once, cleanly */
	term_send(t, TK_F10);
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the client did not quit on F10; screen:\n%s",
	          term_screen_text(t));
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0, "the client ended with %s; stderr:\n%s",
	             e2e_proc_how(term_proc(t)), term_stderr(t));
	cr_assert(e2e_proc_alive(hub->proc), "the hub died: %s\n%s", e2e_proc_how(hub->proc),
	          e2e_proc_stderr(hub->proc));
}

E2E_TEST(walking_skeleton, at_120x40)
{
	walking_skeleton(40, 120);
}

E2E_TEST(walking_skeleton, at_80x24)
{
	walking_skeleton(24, 80);
}

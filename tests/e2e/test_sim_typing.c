/* test_sim_typing.c: a simulated customer types as a web widget's does: after reading the operator's answer the
 * typing notice goes on, then off with the message. The hub passes it on and the workstation's pane header
 * shows the customer typing until the message comes. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(sim_typing, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The customer has sent their answer: a "sent" line after the typing notice. */
static bool answered(const char *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	const char *typed = strstr(data, "\"ev\":\"typing\"");
	return typed && strstr(typed, "\"ev\":\"sent\"");
}

E2E_TEST(sim_typing, the_operator_sees_the_simulated_customer_typing_before_the_answer)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	char *events = e2e_path("events.jsonl");
	const char *args[] = {"--customers", "1", "--rate", "60", "--think", "2000-2000", "--seed", "11",
	                      "--chats", "1", NULL};
	struct e2e_proc *sim = e2e_sim_start(h, events, args);
	json_t *opened = e2e_events_wait(events, "opened", NULL, NULL, E2E_WAIT_MS);
	cr_assert(opened, "no chat opened: %s", e2e_proc_stderr(sim));
	const char *customer = e2e_json_str(opened, "customer");
	const char *dialog = e2e_strf("%lld", e2e_json_int(opened, "dialog", 0));
	term_expect(t, e2e_strf("%s · %s", customer, e2e_json_str(opened, "channel")), E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "typing…"), "typing before the operator said anything:\n%s", term_screen_text(t));

	term_watch(t, "typing…"); /* seen even if drawn and gone between two looks */
	term_send(t, "Здравствуйте! Чем могу помочь?");
	term_send(t, TK_ENTER);
	cr_assert(e2e_events_wait(events, "typing", "dialog", dialog, E2E_WAIT_MS), "the customer never typed: %s",
	          e2e_proc_stderr(sim));
	cr_assert(e2e_file_wait(events, answered, NULL, E2E_WAIT_MS), "no answer from the customer: %s",
	          e2e_proc_stderr(sim));
	cr_assert(term_wait_gone(t, "typing…", E2E_WAIT_MS),
	          "the pane never showed the customer typing, or it stayed after the message:\n%s", term_screen_text(t));
	/* the answer is there, and it came after the typing notice */
	char *log = e2e_slurp(events, NULL);
	const char *typed = strstr(log, "\"ev\":\"typing\"");
	cr_assert(typed, "%s", log);
	const char *answer = strstr(typed, "\"ev\":\"sent\"");
	cr_assert(answer, "the answer was not sent after the typing notice:\n%s", log);
}

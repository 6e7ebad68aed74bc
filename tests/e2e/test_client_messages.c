/* test_client_messages.c: what the operator is told. A new error is never hidden behind older information,
 * a message too long for the status bar says where the rest is, the message log (Alt-L) holds every line
 * whole with its time; the key help (F1) pages at 80x24, names keys as users know them and lists only the
 * keys that apply; a desktop notification (OSC 9) goes out beside the bell with the customer's name made
 * inert; the clock setting shows the time of day. */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "harness.h"

TestSuite(client_messages, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define TK_F5   "\x1b[15~"
#define TK_PGDN "\x1b[6~"

/* A chat from `name` that the hub routes to the operator at once. */
static struct e2e_ws *customer_opens(struct e2e_hub *h, const char *name)
{
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"%s\",\"text\":\"Здравствуйте\"}", name);
	return c;
}

E2E_TEST(client_messages, an_error_is_not_hidden_behind_information_and_the_log_keeps_both)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *c1 = customer_opens(h, "Дарья");
	term_expect(t, "Дарья · web", E2E_WAIT_MS);
	term_send(t, TK_F8);
	term_send(t, "1");
	ws_expect_type(c1, "closed", E2E_WAIT_MS);
	ws_send_text(c1, "{\"type\":\"rate\",\"score\":5}");
	term_expect(t, "rated 5/5: Дарья", E2E_WAIT_MS);

	/* a transfer to a colleague who does not exist: the hub's refusal outranks the rating */
	customer_opens(h, "Ольга");
	term_expect(t, "Ольга · web", E2E_WAIT_MS);
	term_send(t, TK_F5);
	term_send(t, "ivan");
	term_send(t, TK_ENTER);
	term_expect(t, "no operator", E2E_WAIT_MS);
	int y = term_find_row(t, "no operator");
	cr_assert_eq(y, 23, "the error is not on the status bar:\n%s", term_screen_text(t));
	cr_assert(!strstr(term_row(t, 23), "rated"), "the old rating is still beside the error: %s", term_row(t, 23));

	/* a name too long for the bar: the bar says where the rest is, the log has it whole */
	const char *longname = "a-colleague-whose-user-name-is-far-too-long-for-the-bar-x";
	term_send(t, TK_F5);
	term_send(t, longname);
	term_send(t, TK_ENTER);
	term_expect(t, "(Alt-L: all of it)", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, longname), "the whole name fits on the bar after all:\n%s", term_screen_text(t));
	term_key_alt(t, 'l');
	term_expect(t, "Messages", E2E_WAIT_MS);
	term_expect(t, "rated 5/5: Дарья", E2E_WAIT_MS);
	term_expect(t, "there is no operator \"ivan\"", E2E_WAIT_MS);
	/* the long line is wrapped, not cut: its end is there */
	term_expect(t, "for-the-bar-x", E2E_WAIT_MS);
	int hh, mm, ss;
	const char *row = term_row(t, term_find_row(t, "rated 5/5"));
	const char *colon = strchr(row, ':');
	cr_assert(colon && colon - row >= 2 && sscanf(colon - 2, "%d:%d:%d", &hh, &mm, &ss) == 3,
	          "no time beside the line: %s", row);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Messages", E2E_WAIT_MS), "Esc did not close the log:\n%s", term_screen_text(t));
}

E2E_TEST(client_messages, the_help_pages_at_80x24_names_keys_as_users_know_them_and_esc_then_f1_is_two_keys)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client_ru(h, "anna", "s3cret-anna", 24, 80);
	term_expect(t, "на линии", E2E_WAIT_MS);
	term_send(t, TK_F1);
	term_expect(t, "Клавиши", E2E_WAIT_MS);
	term_expect(t, "Диалоги", E2E_WAIT_MS);
	/* PgDn pages instead of closing, until the last heading shows */
	const char *last = "В этой справке и в журнале сообщений";
	for (int i = 0; i < 10 && !term_has_text(t, last); i++) {
		const char *before = e2e_own(strdup(term_screen_text(t)));
		term_send(t, TK_PGDN);
		int64_t end = e2e_now_ms() + E2E_WAIT_MS;
		while (strcmp(before, term_screen_text(t)) == 0 && e2e_now_ms() < end)
			term_pump(t, 20);
		cr_assert(term_has_text(t, "Клавиши"), "PgDn closed the help:\n%s", term_screen_text(t));
	}
	cr_assert(term_has_text(t, last), "the help never reached its end:\n%s", term_screen_text(t));
	cr_assert(!term_has_text(t, "BTab"), "curses jargon in the help:\n%s", term_screen_text(t));
	/* back to the top: every "focus pane N" line is its own, with its number and both its keys */
	term_send(t, "\x1bOH"); /* Home, as xterm sends it in keypad-transmit mode */
	/* the top is drawn once the end's last heading is gone ("Диалоги" may show on the last page too: waiting
	 * for it alone let the PgDn below overtake Home) */
	cr_assert(term_wait_gone(t, last, E2E_WAIT_MS), "Home did not go to the top:\n%s", term_screen_text(t));
	term_expect(t, "Диалоги", E2E_WAIT_MS);
	for (int n = 1; n <= 4; n++) {
		const char *keys = e2e_strf("Alt-%d, Shift-F%d", n, n);
		bool seen = false;
		for (int i = 0; i < 10 && !seen; i++) {
			if (term_has_text(t, keys)) {
				seen = true;
				break;
			}
			const char *before = e2e_own(strdup(term_screen_text(t)));
			term_send(t, TK_PGDN);
			int64_t end = e2e_now_ms() + E2E_WAIT_MS;
			while (strcmp(before, term_screen_text(t)) == 0 && e2e_now_ms() < end)
				term_pump(t, 20);
		}
		cr_assert(seen, "no line for %s:\n%s", keys, term_screen_text(t));
		/* the page may still be arriving (its keys drawn before their descriptions): read the row once the
		 * screen is quiet, i.e. until it holds the pane's number after its keys or nothing more comes */
		const char *row = term_row(t, term_find_row(t, keys));
		for (int64_t end = e2e_now_ms() + E2E_WAIT_MS;
		     !strstr(strstr(row, keys) + strlen(keys), e2e_strf("%d", n)) && e2e_now_ms() < end;) {
			term_pump(t, 20);
			int r = term_find_row(t, keys);
			cr_assert(r >= 0, "the line for %s went away:\n%s", keys, term_screen_text(t));
			row = term_row(t, r);
		}
		cr_assert(strstr(row, e2e_strf(" %d", n)) && strstr(row, e2e_strf("%d ", n)), "%s", row);
		char *end = strstr(row, keys) + strlen(keys);
		cr_assert(strstr(end, e2e_strf("%d", n)), "the pane's number is cut off: %s", row);
	}
	cr_assert(!term_has_text(t, "Приостановить"), "replay keys in a live session:\n%s", term_screen_text(t));
	term_send(t, "x");
	cr_assert(term_wait_gone(t, "Клавиши", E2E_WAIT_MS), "another key did not close the help");
	/* Esc and at once an F-key (one read, as over SSH): both count, the F-key is not taken for Alt */
	term_key_alt(t, 'l'); /* the message log */
	term_expect(t, "Сообщения", E2E_WAIT_MS);
	term_send(t, TK_ESC TK_F1);
	term_expect(t, "Клавиши", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Сообщения"), "Esc was lost:\n%s", term_screen_text(t));
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Клавиши", E2E_WAIT_MS), "Esc did not close the help");
}

E2E_TEST(client_messages, a_desktop_notification_goes_beside_the_bell_and_the_clock_shows)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	char *conf = e2e_path("config");
	e2e_write_file(conf, "notify = osc9\nclock = on\n");
	const char *extra[] = {"--config", conf, NULL};
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, extra);
	term_expect(t, "online", E2E_WAIT_MS);
	/* the clock: the minute may turn while the test looks, so either minute will do */
	time_t now = time(NULL);
	char a[8], b[8];
	strftime(a, sizeof a, "%H:%M", localtime(&now));
	now += 60;
	strftime(b, sizeof b, "%H:%M", localtime(&now));
	const char *clocks[] = {a, b, NULL};
	cr_assert(term_wait_any(t, clocks, E2E_WAIT_MS) >= 0, "no clock:\n%s", term_screen_text(t));

	/* away: the chat waits in the queue, which rings (an assigned chat lands in the focused pane) */
	term_send(t, TK_F3);
	term_expect(t, "(away)", E2E_WAIT_MS);
	/* a customer whose name tries to end the notification and set the window title */
	struct e2e_ws *c = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_send_text(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Eve\\u001b]0;pwned\\u0007\\u009b2J\",\"text\":\"hi\"}");
	term_expect(t, "Eve", E2E_WAIT_MS);
	size_t len;
	const char *raw;
	int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	while (!strstr((raw = term_raw_output(t, &len)), "\033]9;opdesk: ") && e2e_now_ms() < end)
		term_pump(t, 20);
	const char *osc = strstr(raw, "\033]9;opdesk: ");
	cr_assert(osc, "no OSC 9 notification went out");
	const char *bel = strchr(osc, '\a');
	cr_assert(bel, "the notification is not terminated");
	char *body = e2e_own(strndup(osc, (size_t)(bel - osc)));
	cr_assert(strstr(body, "Eve]0,pwned2J"), "the name was not made inert: %s", body + 1);
	for (const char *p = body + 1; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f, "a control inside the notification: %s", body + 1);
	cr_assert(!strstr(raw, "\033]0;pwned"), "the customer set the window title");
	cr_assert(strcmp(term_title(t), "pwned") != 0);
	cr_assert_geq(term_bells(t), 1, "no bell beside the notification");
}

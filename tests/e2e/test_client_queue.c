/* test_client_queue.c: the queue sidebar an operator works from, against a real hub: it grows with a wide
 * terminal (a long preview is read whole at 200 columns), every item says which queue it waits in (a chat
 * transferred to the stylist queue is marked so), any waiting chat is taken from the keyboard (Alt-T, Down,
 * Enter: the second, not the oldest), the pane whose customer has waited longest is marked, and a take
 * beyond the operator's four dialogs says so in a few words instead of the hub's long English sentence. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_queue, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define TK_F3 "\x1bOR"

static int count_text(struct e2e_term *t, const char *text)
{
	return (int)e2e_count(term_screen_text(t), text);
}

E2E_TEST(client_queue, wide_sidebar_queues_any_chat_from_the_keyboard_longest_wait_and_capacity)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 60, 200, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_db *db = e2e_db_open(h->db);

	/* a chat anna takes, then sends on to the stylist queue while she is away: it waits there, marked */
	e2e_customer_open(h->port, "web", "Алла", "Подберите мне, пожалуйста, платье", NULL);
	term_expect(t, "Алла · web", E2E_WAIT_MS);
	term_send(t, TK_F3);
	term_expect(t, "go away anyway?", E2E_WAIT_MS); /* she has an open chat: asked first */
	term_send(t, "y");
	term_expect(t, "(away)", E2E_WAIT_MS);
	term_key_alt(t, 'x');
	term_send(t, "transfer stylist" TK_ENTER);
	term_expect(t, "stylist: Подберите", E2E_WAIT_MS);

	/* a wide terminal's sidebar shows a long preview whole */
	e2e_customer_open(h->port, "web", "Борис", "Заказ 5512 пришёл без пояса, что мне", NULL);
	e2e_customer_open(h->port, "web", "Вика", "Когда будет доставка в Казань?", NULL);
	term_expect(t, "general: Заказ 5512 пришёл без пояса, что мне", E2E_WAIT_MS);
	term_expect(t, "general: Когда будет доставка", E2E_WAIT_MS); /* all three listed before the pick */
	long long vika = e2e_db_int(db, 0, "SELECT id FROM dialogs WHERE customer='Вика'");

	/* Alt-T, Down twice, Enter: the third waiting chat (Вика), not the oldest */
	term_key_alt(t, 't');
	term_expect(t, "Take: ↑↓ Enter, Esc", E2E_WAIT_MS);
	term_send(t, TK_DOWN TK_DOWN TK_ENTER);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE id=%lld AND state='assigned'", vika), 1,
	             "Вика's chat was not taken:\n%s", term_screen_text(t));
	term_expect(t, "Вика · web", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Take: ↑↓ Enter, Esc"), "the pick did not end:\n%s", term_screen_text(t));
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE state='queued'"), 2);

	/* a second dialog whose customer waits too: of the two, the one waiting longest is marked, once */
	term_send(t, TK_F2); /* Алла, the oldest */
	term_expect(t, "Алла · web · stylist", E2E_WAIT_MS);
	cr_assert(term_wait_both(t, "Алла · web", "▲", E2E_WAIT_MS), "the longest wait is not marked:\n%s",
	          term_screen_text(t));
	cr_assert_eq(count_text(t, "▲"), 1, "more than one pane marked:\n%s", term_screen_text(t));

	/* four dialogs, then a fifth take: a short message of the client's own */
	term_send(t, TK_F2);
	term_expect(t, "Борис · web", E2E_WAIT_MS);
	e2e_customer_open(h->port, "web", "Гоша", "Здравствуйте", NULL);
	e2e_customer_open(h->port, "web", "Дина", "Добрый день", NULL);
	term_expect(t, "Дина", E2E_WAIT_MS);
	term_send(t, TK_F2);
	term_expect(t, "Гоша · web", E2E_WAIT_MS);
	term_send(t, TK_F2);
	term_expect(t, "all dialogs in use (4 of 4): close one (F8) first", E2E_WAIT_MS);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE customer='Дина' AND state='queued'"), 1);
}

E2E_TEST(client_queue, the_pick_at_80x24_and_esc)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 80, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_send(t, TK_F3);
	term_expect(t, "(away)", E2E_WAIT_MS);
	term_key_alt(t, 't');
	term_expect(t, "nobody is waiting", E2E_WAIT_MS);
	e2e_customer_open(h->port, "web", "Ирина", "Где мой заказ?", NULL);
	e2e_customer_open(h->port, "web", "Вера", "Хочу вернуть платье", NULL);
	term_expect(t, "Вера", E2E_WAIT_MS);
	term_expect(t, "general: Где мой", E2E_WAIT_MS);
	term_key_alt(t, 't');
	term_expect(t, "Take: ↑↓", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Take: ↑↓", E2E_WAIT_MS), "Esc did not end the pick");
	struct e2e_db *db = e2e_db_open(h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM dialogs WHERE state='queued'"), 2);
	/* the digit: the second from the top */
	term_key_alt(t, 't');
	term_expect(t, "Take: ↑↓", E2E_WAIT_MS);
	term_send(t, "2");
	term_expect(t, "Вера · web", E2E_WAIT_MS);
	cr_assert_eq(e2e_db_wait_int(db, t, 1, "SELECT count(*) FROM dialogs WHERE customer='Вера' AND state='assigned'"), 1);
}

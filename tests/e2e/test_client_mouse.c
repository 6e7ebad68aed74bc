/* test_client_mouse.c: the mouse as an operator uses it over SSH in xterm (SGR mouse reports): a click on a
 * waiting chat in the queue sidebar takes it, a click on a pane focuses it (typing goes there), and the wheel
 * scrolls the pane under the pointer. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_mouse, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The screen column where `text` starts on row y (cells, not bytes: these rows are all narrow). */
static int col_of(struct e2e_term *t, int y, const char *text)
{
	const char *r = term_row(t, y), *at = strstr(r, text);
	int col = 0;
	for (const char *p = r; at && p < at; p++)
		col += ((unsigned char)*p & 0xC0) != 0x80;
	return col;
}

/* A left-button press and release at screen cell (row, col), 0-based. */
static void click(struct e2e_term *t, int row, int col)
{
	term_send(t, e2e_strf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", col + 1, row + 1, col + 1, row + 1));
}

static void wheel(struct e2e_term *t, int row, int col, bool up)
{
	term_send(t, e2e_strf("\x1b[<%d;%d;%dM", up ? 64 : 65, col + 1, row + 1));
}

E2E_TEST(client_mouse, click_to_take_click_to_focus_wheel_to_scroll)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	term_send(t, TK_F3); /* away: chats wait in the queue */
	term_expect(t, "(away)", E2E_WAIT_MS);
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Первый вопрос\"}");
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Маша\",\"text\":\"Второй вопрос\"}");
	term_expect(t, "queue: 2", E2E_WAIT_MS);
	term_expect(t, " Маша", E2E_WAIT_MS);
	term_expect(t, " Лена", E2E_WAIT_MS);

	/* click Маша's row in the sidebar: she is taken first, out of turn */
	int row = term_find_row(t, " Маша");
	cr_assert_geq(row, 0, "%s", term_screen_text(t));
	click(t, row, 3);
	term_expect(t, "Маша · vk", E2E_WAIT_MS);
	term_expect(t, "queue: 1", E2E_WAIT_MS);
	row = term_find_row(t, " Лена");
	click(t, row, 3);
	term_expect(t, "Лена · web", E2E_WAIT_MS);
	term_expect(t, "Маша · vk", E2E_WAIT_MS);

	/* click into Маша's pane and type: the text goes to her composer */
	int mrow = term_find_row(t, "Маша · vk");
	click(t, mrow + 3, col_of(t, mrow, "Маша") + 5);
	term_send(t, "для Маши");
	term_send(t, TK_ENTER);
	json_t *m = NULL;
	for (int i = 0; i < 4 && !(m && strstr(e2e_json_str(m, "text"), "для Маши")); i++)
		m = ws_expect_type(c2, "message", E2E_WAIT_MS);
	cr_assert(m && strstr(e2e_json_str(m, "text"), "для Маши"), "Маша did not get the text typed after the click");

	/* the wheel over a pane scrolls it back: fill Лена's dialog, scroll up, the oldest line comes into view */
	for (int i = 1; i <= 40; i++)
		ws_sendf(c1, "{\"type\":\"message\",\"client_msg_id\":\"l%d\",\"text\":\"строка %d\"}", i, i);
	term_expect(t, "строка 40", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "Первый вопрос"), "%s", term_screen_text(t));
	int lrow = term_find_row(t, "Лена · web");
	int lcol = col_of(t, lrow, "Лена · web") + 5;
	for (int i = 0; i < 15; i++)
		wheel(t, lrow + 3, lcol, true);
	term_expect(t, "Первый вопрос", E2E_WAIT_MS);
}

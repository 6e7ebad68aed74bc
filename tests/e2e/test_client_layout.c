/* test_client_layout.c: the workstation's screen with a real hub: one to four dialog panes tiled at 80x24,
 * 120x40 and 200x60 (side by side when wide, stacked when narrow, 2x2 for four); Cyrillic, emoji and CJK
 * text wrapped inside its pane; the WeeChat-style hotlist for a pane with unseen messages and the bell; zoom,
 * swap and the sidebar moving right and hiding; a resize storm from 1x1 to 300x100 with the "too small"
 * screen in between, after which everything is still there. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_layout, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

#define TK_F9 "\x1b[20~"

static const char *const names[] = {"Анна", "Борис", "Вера", "Глеб"};
static const char *const channels[] = {"web", "telegram", "vk", "web"};

/* A hub, the client at rows x cols signed in as anna, and `n` chats assigned to her. */
static struct e2e_term *desk_with(int rows, int cols, int n, struct e2e_ws **cust, struct e2e_hub **hub)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", rows, cols, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	for (int i = 0; i < n; i++) {
		cust[i] = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(cust[i], "{\"type\":\"open\",\"channel\":\"%s\",\"name\":\"%s\",\"text\":\"Здравствуйте! Вопрос %d 👋 你好世界\"}",
		         channels[i], names[i], i + 1);
		term_expect(t, e2e_strf("dialogs: %d/4", i + 1), E2E_WAIT_MS);
	}
	if (hub)
		*hub = h;
	return t;
}

/* The row and column where pane `slot`'s header (" N Name") starts, or -1. */
static void header_at(struct e2e_term *t, int slot, int *row, int *col)
{
	const char *needle = e2e_strf("%d %s", slot + 1, names[slot]);
	*row = term_find_row(t, needle);
	*col = -1;
	if (*row >= 0) {
		const char *r = term_row(t, *row);
		const char *at = strstr(r, needle);
		/* columns, not bytes: count code points before it (all narrow in these rows' left parts) */
		int c = 0;
		for (const char *p = r; p < at; p++)
			if (((unsigned char)*p & 0xC0) != 0x80)
				c++;
		*col = c;
	}
}

/* The panes' headers are where `arg` says: "2x2", "side" (1 and 2 side by side) or "stacked" (2 under 1). */
static bool tiled(struct e2e_term *t, void *arg)
{
	int r[4], c[4];
	int n = strcmp(arg, "2x2") == 0 ? 4 : 2;
	for (int i = 0; i < n; i++) {
		header_at(t, i, &r[i], &c[i]);
		if (r[i] < 0)
			return false;
	}
	if (strcmp(arg, "2x2") == 0)
		return r[0] == r[1] && r[2] == r[3] && r[2] > r[0] && c[0] == c[2] && c[1] > c[0];
	if (strcmp(arg, "side") == 0)
		return r[0] == r[1] && c[1] > c[0];
	return r[1] > r[0] && c[0] == c[1];
}

static void check_tiling(int rows, int cols)
{
	struct e2e_ws *cust[4];
	struct e2e_term *t = desk_with(rows, cols, 4, cust, NULL);
	term_wait_until(t, tiled, "2x2", E2E_WAIT_MS); /* the asserts below say what is wrong if it never is */
	int r[4], c[4];
	for (int i = 0; i < 4; i++) {
		header_at(t, i, &r[i], &c[i]);
		cr_assert_geq(r[i], 0, "%dx%d: pane %d has no header:\n%s", cols, rows, i + 1, term_screen_text(t));
	}
	/* 2x2: 1 and 2 share a row, 3 and 4 share a row below; 1 and 3 share a column */
	cr_assert_eq(r[0], r[1], "%dx%d: panes 1 and 2 are not side by side:\n%s", cols, rows, term_screen_text(t));
	cr_assert_eq(r[2], r[3], "%dx%d:\n%s", cols, rows, term_screen_text(t));
	cr_assert_gt(r[2], r[0]);
	cr_assert_eq(c[0], c[2], "%dx%d:\n%s", cols, rows, term_screen_text(t));
	cr_assert_gt(c[1], c[0]);
	/* the wide text is on screen in every pane */
	cr_assert(term_has_text(t, "👋"), "%s", term_screen_text(t));
	cr_assert(term_has_text(t, "你好世界") || term_has_text(t, "你好"), "%s", term_screen_text(t));
}

E2E_TEST(client_layout, four_panes_2x2_at_80x24)
{
	check_tiling(24, 80);
}

E2E_TEST(client_layout, four_panes_2x2_at_120x40)
{
	check_tiling(40, 120);
}

E2E_TEST(client_layout, four_panes_2x2_at_200x60)
{
	check_tiling(60, 200);
}

E2E_TEST(client_layout, two_panes_side_by_side_when_wide_stacked_when_narrow)
{
	struct e2e_ws *cust[2];
	struct e2e_term *t = desk_with(40, 140, 2, cust, NULL);
	cr_assert(term_wait_until(t, tiled, "side", E2E_WAIT_MS), "not side by side at 140 columns:\n%s",
	          term_screen_text(t));
	term_resize(t, 40, 80);
	cr_assert(term_wait_until(t, tiled, "stacked", E2E_WAIT_MS), "not stacked at 80 columns:\n%s",
	          term_screen_text(t));
}

static bool left_composer_has_hash(struct e2e_term *t, void *arg)
{
	(void)arg;
	const char *screen = term_screen_text(t);
	for (const char *p = screen; (p = strstr(p, "> #")) != NULL; p++) {
		const char *bol = p;
		while (bol > screen && bol[-1] != '\n')
			bol--;
		if (p - bol < 60) /* bytes, not columns: the left half of 120 all the same */
			return true;
	}
	return false;
}

static bool sidebar_on_the_right(struct e2e_term *t, void *arg)
{
	(void)arg;
	int row = term_find_row(t, "Waiting");
	return row >= 0 && strstr(term_row(t, row), "Waiting") - term_row(t, row) > 60;
}

E2E_TEST(client_layout, hotlist_bell_zoom_swap_and_sidebar)
{
	struct e2e_ws *cust[2];
	struct e2e_term *t = desk_with(30, 120, 2, cust, NULL);
	term_send(t, "\x1b" "1"); /* focus pane 1 */
	/* a character typed now shows in pane 1's composer (on the left): the focus has moved; then it goes again */
	term_send(t, "#");
	cr_assert(term_wait_until(t, left_composer_has_hash, NULL, E2E_WAIT_MS), "pane 1 is not focused:\n%s",
	          term_screen_text(t));
	term_send(t, "\x7f");
	cr_assert(term_wait_gone(t, "> #", E2E_WAIT_MS), "%s", term_screen_text(t));
	int bells = term_bells(t);
	ws_sendf(cust[1], "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"Алло, вы тут?\"}");
	term_expect(t, "[2:1]", E2E_WAIT_MS);
	cr_assert_gt(term_bells(t), bells, "no bell for a message in an unfocused pane");
	/* the "new" line sits above the unseen message */
	term_expect(t, "─ new ─", E2E_WAIT_MS);
	int marker = term_find_row(t, "─ new ─"), msg = term_find_row(t, "Алло, вы тут?");
	cr_assert(marker >= 0 && msg == marker + 1, "the new line is not right above the message:\n%s", term_screen_text(t));
	/* Shift-F2 focuses pane 2: looking at it clears the hotlist; the line stays until the operator answers */
	term_send(t, "\x1b[1;2Q");
	cr_assert(term_wait_gone(t, "[2:1]", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(term_has_text(t, "─ new ─"), "%s", term_screen_text(t));
	term_send(t, "Да, я здесь");
	term_send(t, TK_ENTER);
	cr_assert(term_wait_gone(t, "─ new ─", E2E_WAIT_MS), "the new line stayed after the answer:\n%s",
	          term_screen_text(t));

	/* zoom: only the focused dialog is shown, then both again */
	term_watch(t, "1 Анна");
	term_send(t, TK_F9);
	term_expect(t, "zoomed", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "1 Анна", E2E_WAIT_MS), "pane 1 still shown when zoomed:\n%s", term_screen_text(t));
	cr_assert(term_has_text(t, "2 Борис"), "%s", term_screen_text(t));
	term_send(t, TK_F9);
	term_expect(t, "1 Анна", E2E_WAIT_MS);

	/* swap: Борис moves into pane 1 */
	term_send(t, "\x1b" "s");
	term_expect(t, "1 Борис", E2E_WAIT_MS);
	term_expect(t, "2 Анна", E2E_WAIT_MS);

	/* the sidebar goes right, then away, then back left */
	term_send(t, "\x1b" "q");
	cr_assert(term_wait_until(t, sidebar_on_the_right, NULL, E2E_WAIT_MS), "the sidebar did not move right:\n%s",
	          term_screen_text(t));
	term_send(t, "\x1b" "q");
	cr_assert(term_wait_gone(t, "Waiting", E2E_WAIT_MS), "the sidebar did not hide:\n%s", term_screen_text(t));
	term_send(t, "\x1b" "q");
	term_expect(t, "Waiting", E2E_WAIT_MS);
}

E2E_TEST(client_layout, a_resize_storm_loses_nothing)
{
	struct e2e_ws *cust[3];
	struct e2e_hub *h;
	struct e2e_term *t = desk_with(24, 80, 3, cust, &h);
	const int sizes[][2] = {{1, 1}, {5, 10}, {23, 80}, {24, 79}, {100, 300}, {2, 300}, {100, 2}, {40, 120}, {1, 1},
	                        {60, 200}, {24, 80}};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		term_resize(t, sizes[i][0], sizes[i][1]); /* one after another, as fast as a window manager sends them */
		cr_assert(e2e_proc_alive(term_proc(t)), "the client died at %dx%d", sizes[i][1], sizes[i][0]);
		if (i == 2)
			term_expect(t, "Terminal too small", E2E_WAIT_MS);
	}
	term_expect(t, "dialogs: 3/4", E2E_WAIT_MS);
	for (int i = 0; i < 3; i++)
		term_expect(t, names[i], E2E_WAIT_MS);
	cr_assert(e2e_proc_alive(h->proc));
}

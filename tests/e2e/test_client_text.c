/* test_client_text.c: customer text as the operator's terminal shows it. Emoji joined by a ZWJ (a family
 * 👩‍👩‍👧‍👦, the rainbow flag 🏳️‍🌈) reach the screen with their joiners in the terminal's cells,
 * wrapped in their pane without running into the border between two panes side by side. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

TestSuite(client_text, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define FAMILY_JSON  "\\ud83d\\udc69\\u200d\\ud83d\\udc69\\u200d\\ud83d\\udc67\\u200d\\ud83d\\udc66"
#define RAINBOW_JSON "\\ud83c\\udff3\\ufe0f\\u200d\\ud83c\\udf08"

/* The column of the n-th '│' (from 0) on row y, or -1. */
static int bar_column(struct e2e_term *t, int y, int nth)
{
	for (int x = 0, seen = 0; x < 140; x++) {
		uint32_t ch[6];
		int w;
		if (term_cell(t, y, x, ch, 6, &w) == 1 && ch[0] == 0x2502 && seen++ == nth)
			return x;
	}
	return -1;
}

/* The cells of row y from column x on hold the sequence want[0..n) of (characters, width) cells. */
struct cell_want {
	uint32_t ch[4];
	int n, width;
};

static bool cells_at(struct e2e_term *t, int y, int x, const struct cell_want *want, int n, char *why,
                     size_t size)
{
	for (int i = 0; i < n; i++) {
		uint32_t ch[6];
		int w;
		int k = term_cell(t, y, x, ch, 6, &w);
		bool same = k == want[i].n && w == want[i].width;
		for (int j = 0; same && j < k; j++)
			same = ch[j] == want[i].ch[j];
		if (!same) {
			snprintf(why, size,
			         "row %d column %d: %d characters (U+%04X U+%04X U+%04X), width %d; want %d, "
			         "width %d",
			         y, x, k, k > 0 ? ch[0] : 0, k > 1 ? ch[1] : 0, k > 2 ? ch[2] : 0, w,
			         want[i].n, want[i].width);
			return false;
		}
		x += w;
	}
	return true;
}

static const struct cell_want family[] = {
    {{0x1F469, 0x200D}, 2, 2},
    {{0x1F469, 0x200D}, 2, 2},
    {{0x1F467, 0x200D}, 2, 2},
    {{0x1F466}, 1, 2},
};
static const struct cell_want rainbow[] = {
    {{0x1F3F3, 0xFE0F, 0x200D}, 3, 1},
    {{0x1F308}, 1, 2},
};

/* The first column from x0 on row y whose cell starts with cp, or -1. */
static int find_cell(struct e2e_term *t, int y, int x0, uint32_t cp)
{
	for (int x = x0; x < 140; x++) {
		uint32_t ch[6];
		int w;
		if (term_cell(t, y, x, ch, 6, &w) > 0 && ch[0] == cp)
			return x;
	}
	return -1;
}

E2E_TEST(client_text, joined_emoji_keep_their_joiners_and_the_border_stays)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 24, 140, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	/* a message wider than its pane: nine families in one word wrap over two rows */
	struct e2e_ws *c1 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c1, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Лена\",\"text\":\"Семья " FAMILY_JSON
	             " и флаг " RAINBOW_JSON " x " FAMILY_JSON FAMILY_JSON FAMILY_JSON FAMILY_JSON FAMILY_JSON
	                 FAMILY_JSON FAMILY_JSON FAMILY_JSON FAMILY_JSON " конец\"}");
	term_expect(t, "dialogs: 1/4", E2E_WAIT_MS);
	struct e2e_ws *c2 = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(c2, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Борис\",\"text\":\"Привет\"}");
	term_expect(t, "Борис: Привет", E2E_WAIT_MS);
	term_expect(t, "конец", E2E_WAIT_MS);

	char why[256];
	int y = term_find_row(t, "Семья");
	cr_assert_geq(y, 0, "%s", term_screen_text(t));
	int x = find_cell(t, y, 0, 0x1F469);
	cr_assert_geq(x, 0, "no family on row %d:\n%s", y, term_screen_text(t));
	cr_assert(cells_at(t, y, x, family, 4, why, sizeof why), "the family lost its joiners: %s\n%s", why,
	          term_screen_text(t));
	x = find_cell(t, y, x, 0x1F3F3);
	cr_assert_geq(x, 0, "no flag on row %d:\n%s", y, term_screen_text(t));
	cr_assert(cells_at(t, y, x, rainbow, 2, why, sizeof why), "the flag fell apart: %s\n%s", why,
	          term_screen_text(t));
	/* the nine families of the long word: each whole, wrapped between two of them, never inside one */
	int families = 0;
	for (int row = y + 1; row <= y + 2; row++)
		for (int col = find_cell(t, row, 0, 0x1F469); col >= 0;
		     col = find_cell(t, row, col + 8, 0x1F469)) {
			cr_assert(cells_at(t, row, col, family, 4, why, sizeof why),
			          "a wrapped family: %s\n%s", why, term_screen_text(t));
			families++;
		}
	cr_assert_eq(families, 9, "%s", term_screen_text(t));
	/* the border between the two panes is in the same column on every row of the panes */
	int border = bar_column(t, 0, 1);
	cr_assert_gt(border, 0, "no border between the panes:\n%s", term_screen_text(t));
	for (int row = 0; row < 23; row++)
		cr_assert_eq(bar_column(t, row, 1), border, "row %d: the border moved:\n%s", row,
		             term_screen_text(t));
}

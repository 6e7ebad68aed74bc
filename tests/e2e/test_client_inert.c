/* test_client_inert.c: a hostile customer cannot reach the operator's terminal. A "customer" (the raw
 * WebSocket client on the customer endpoint) opens a chat whose name and text are full of terminal
 * escape sequences: OSC 0 (title), OSC 52 (clipboard), OSC 8 (link), CSI 2J, CSI 6n (a report the
 * terminal would type back), DCS, C1 controls (U+009B, U+009D), the bidi override U+202E, zero-width
 * characters and BEL. The client must show them as visible stand-ins (src/client/textsafe.c: ^[ for
 * ESC, ^G for BEL, <9B> for C1 controls; format characters dropped), write none of them to the
 * terminal, and keep working. */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"
#include "opdesk/utf8.h"

#define OP_USER   "anna"
#define OP_SECRET "s3cret-anna"

TestSuite(client_inert, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* JSON-escaped pieces of the hostile text; each starts with a marker so the raw output and the screen
 * can be searched for exactly what became of it. */
static const struct {
	const char *json;    /* as sent, inside a JSON string */
	const char *shown;   /* what the screen must show instead */
	const char *raw_bad; /* must never be in the raw output */
} pieces[] = {
    {"A1\\u001b]0;PWNED-TITLE\\u0007", "A1^[]0;PWNED-TITLE^G", "\x1b]0;PWNED"},
    {"A2\\u001b]52;c;SGVsbG8=\\u0007", "A2^[]52;c;SGVsbG8=^G", "\x1b]52;"},
    {"A3\\u001b]8;;http://evil.example/\\u001b\\\\click\\u001b]8;;\\u001b\\\\",
     "A3^[]8;;http://evil.example/^[\\click", "\x1b]8;;http"},
    {"A4\\u001b[2J", "A4^[[2J", "A4\x1b[2J"},
    {"A5\\u001b[6n", "A5^[[6n", "\x1b[6n"},
    {"A6\\u001bP+q544e\\u001b\\\\", "A6^[P+q544e^[\\", "\x1bP+q"},
    {"A7\\u009b31mRED", "A7<9B>31mRED", "A7\xc2\x9b"},
    {"A8\\u009d0;C1TITLE\\u0007", "A8<9D>0;C1TITLE^G", "A8\xc2\x9d"},
    {"A9\\u202eevil\\u202c", "A9evil", "\xe2\x80\xae"},
    {"B1zero\\u200b\\u200dwidth\\ufeff", "B1zerowidth", "\xe2\x80\x8b"},
    {"B2\\u0007bell", "B2^Gbell", "B2\x07"},
};

/* The name: an OSC title, BEL, a bidi override and a C1 CSI, in 64 bytes. */
#define EVIL_NAME_JSON  "Eve\\u001b]0;PWN\\u0007\\u202e\\u009b2J"
#define EVIL_NAME_SHOWN "Eve^[]0;PWN^G<9B>2J"

static bool raw_has(const char *raw, size_t len, const char *needle)
{
	return memmem(raw, len, needle, strlen(needle)) != NULL;
}

/* Code points U+0080..U+009F written as UTF-8, or lone bytes 0x80..0x9F outside a UTF-8 sequence: an
 * 8-bit terminal would take them as C1 controls. Returns the offset of the first, or -1. */
static long raw_c1(const char *raw, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(raw + i, len - i, &cp);
		unsigned char b = (unsigned char)raw[i];
		if ((cp >= 0x80 && cp <= 0x9f) || (cp == 0xFFFD && n == 1 && b >= 0x80 && b <= 0x9f))
			return (long)i;
		i += n;
	}
	return -1;
}

E2E_TEST(client_inert, escape_sequences_from_a_customer_stay_inert)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	struct e2e_hub *hub = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(hub, OP_USER, OP_SECRET, 40, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);

	const char *text = "";
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
		text = e2e_strf("%s%s%s", text, i ? " " : "", pieces[i].json);
	struct e2e_ws *cust = ws_connect_ok(hub->port, "opdesk.customer.v1");
	ws_sendf(cust,
	         "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"" EVIL_NAME_JSON "\",\"text\":\"%s\"}",
	         text);
	json_t *opened = ws_expect_type(cust, "opened", E2E_WAIT_MS);
	cr_assert(opened, "the hub did not open the chat; frames seen:\n%s", ws_skipped(cust));

	/* the chat reaches the operator (taken with F2 if it waits in the queue) */
	const char *header = EVIL_NAME_SHOWN " · web";
	const char *const seen[] = {header, EVIL_NAME_SHOWN, NULL};
	int where = term_wait_any(t, seen, E2E_WAIT_MS);
	cr_assert(where >= 0, "the customer's name is not on the screen as \"" EVIL_NAME_SHOWN "\":\n%s",
	          term_screen_text(t));
	if (where == 1)
		term_send(t, TK_F2);
	term_expect(t, header, E2E_WAIT_MS);
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
		term_expect(t, pieces[i].shown, E2E_WAIT_MS);

	/* the client still works: a reply goes out and comes back acknowledged */
	term_send(t, "ok, checking");
	term_watch(t, "(sending)");
	term_send(t, TK_ENTER);
	term_expect(t, OP_USER ": ok, checking", E2E_WAIT_MS);
	json_t *msg = ws_expect_type(cust, "message", E2E_WAIT_MS);
	while (msg && strcmp(e2e_json_str(msg, "sender"), "operator") != 0)
		msg = ws_expect_type(cust, "message", E2E_WAIT_MS); /* skip "Operator ... joined" */
	cr_assert(msg, "the customer got no reply; frames seen:\n%s", ws_skipped(cust));
	cr_assert_str_eq(e2e_json_str(msg, "text"), "ok, checking");
	cr_assert(term_wait_gone(t, "(sending)", E2E_WAIT_MS), "the reply was not acknowledged:\n%s",
	          term_screen_text(t));

	/* nothing of it reached the terminal */
	size_t len;
	const char *raw = term_raw_output(t, &len);
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++)
		cr_expect(!raw_has(raw, len, pieces[i].raw_bad), "piece %zu (%s) reached the terminal raw",
		          i + 1, pieces[i].json);
	cr_expect(!raw_has(raw, len, "\x1b]0;PWN"), "the name's OSC reached the terminal");
	cr_expect(!raw_has(raw, len, "\x1bP"), "a DCS reached the terminal");
	cr_expect(!raw_has(raw, len, "\x1b[6n"), "a cursor position request reached the terminal");
	cr_expect(!raw_has(raw, len, "\xe2\x80\xae") && !raw_has(raw, len, "\xe2\x80\xac"),
	          "a bidi control reached the terminal");
	cr_expect(!raw_has(raw, len, "\xe2\x80\x8d") && !raw_has(raw, len, "\xef\xbb\xbf"),
	          "a zero-width character reached the terminal");
	long c1 = raw_c1(raw, len);
	cr_expect(c1 < 0, "a C1 control reached the terminal at byte %ld", c1);
	cr_expect(!strstr(term_title(t), "PWN") && !strstr(term_title(t), "C1TITLE"),
	          "the window title was set to \"%s\"", term_title(t));
	cr_expect_eq(term_bells(t), 0, "the terminal rang its bell %d time(s)", term_bells(t));
	/* ncurses itself sends no OSC and no BEL on xterm-256color while running, so any would be ours */
	cr_expect(!raw_has(raw, len, "\x1b]"), "an OSC sequence reached the terminal");
	cr_expect(!memchr(raw, '\x07', len), "a BEL reached the terminal");
	cr_expect(term_has_text(t, "online"), "the status bar no longer says online:\n%s",
	          term_screen_text(t));

	/* and it still answers keys: F8 opens the topic picker, Esc closes it */
	term_send(t, TK_F8);
	term_expect(t, "Close the dialog:", E2E_WAIT_MS);
	term_send(t, TK_ESC);
	cr_assert(term_wait_gone(t, "Close the dialog:", E2E_WAIT_MS),
	          "Esc did not close the picker:\n%s", term_screen_text(t));
}

E2E_TEST(client_inert, survives_a_resize_with_hostile_text_on_screen)
{
	const char *users[] = {OP_USER, OP_SECRET, NULL};
	struct e2e_hub *hub = e2e_hub_start(users, NULL);
	struct e2e_term *t = term_client(hub, OP_USER, OP_SECRET, 40, 120, NULL);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(hub->port, "opdesk.customer.v1");
	ws_sendf(cust,
	         "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"" EVIL_NAME_JSON "\",\"text\":\"%s %s\"}",
	         pieces[0].json, pieces[3].json);
	cr_assert(ws_expect_type(cust, "opened", E2E_WAIT_MS), "no opened; frames seen:\n%s",
	          ws_skipped(cust));
	const char *header = EVIL_NAME_SHOWN " · vk";
	const char *const seen[] = {header, EVIL_NAME_SHOWN, NULL};
	if (term_wait_any(t, seen, E2E_WAIT_MS) == 1)
		term_send(t, TK_F2);
	term_expect(t, header, E2E_WAIT_MS);

	const int sizes[][2] = {{24, 80}, {30, 100}, {40, 120}};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		int rows = sizes[i][0], cols = sizes[i][1];
		term_resize(t, rows, cols);
		term_expect(t, header, E2E_WAIT_MS);
		term_expect(t, pieces[3].shown, E2E_WAIT_MS);
		cr_assert(term_wait_row(t, -1, "online", E2E_WAIT_MS),
		          "at %dx%d the status bar is not on the last row:\n%s", cols, rows,
		          term_screen_text(t));
	}
	size_t len;
	const char *raw = term_raw_output(t, &len);
	cr_expect(!raw_has(raw, len, "\x1b]") && !memchr(raw, '\x07', len),
	          "an OSC or BEL reached the terminal");
	cr_expect(!raw_has(raw, len, "A4\x1b[2J"), "the text's CSI 2J reached the terminal");
}

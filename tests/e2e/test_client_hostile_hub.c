/* test_client_hostile_hub.c: the client against a scripted fake hub (the hub's end of the WebSocket is
 * played by the test). Broken frames from the hub - not JSON, unknown types, wrong field types, a frame
 * meant for the other direction, invalid UTF-8, a binary frame, an oversized frame - are each logged as
 * an error and skipped: the client keeps running and shows the next good frame; a field it does not know
 * (a newer hub's) is skipped and the frame read. When the hub goes away
 * the status bar says the client is offline and retrying; when a hub listens again on the same port the
 * client comes back by itself, telling the hub the last sequence number it saw in each dialog. A hub that
 * puts every code point U+0001..U+00FF and terminal sequences in every string field gets none of them to the
 * pty: they are shown as marked stand-ins. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(client_hostile_hub, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define T0 "1763856000000"

static const char welcome[] =
    "{\"type\":\"welcome\",\"operator\":{\"user\":\"anna\",\"role\":\"operator\",\"status\":\"online\",\"capacity\":4},"
    "\"dialogs\":[{\"id\":7,\"customer\":\"Ольга\",\"channel\":\"telegram\",\"queue\":\"general\",\"state\":\"assigned\","
    "\"opened\":" T0 ",\"last_seq\":1,\"messages\":[{\"id\":1,\"dialog\":7,\"seq\":1,\"time\":" T0 ","
    "\"sender\":\"customer\",\"author\":\"Ольга\",\"text\":\"Где мой заказ 123456?\"}]}],"
    "\"items\":[],\"canned\":[],\"time\":" T0 "}";

/* Frames the client must refuse, each alone in a text frame. */
static const char *const bad_text[] = {
    "not json at all",
    "{\"type\":\"message\"",
    "[1,2,3]",
    "{\"type\":\"teleport\",\"dialog\":7}",
    "{\"type\":\"send\",\"dialog\":7,\"client_msg_id\":\"x\",\"text\":\"wrong way\"}",
    "{\"type\":\"message\",\"id\":\"two\",\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"customer\",\"text\":\"BADTYPE\"}",
    "{\"type\":\"message\",\"id\":2,\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"robot\",\"text\":\"BADENUM\"}",
    "{\"type\":\"queue\",\"items\":[],\"total\":-5}",
    "{\"type\":\"rating\",\"dialog\":7,\"score\":99}",
    "{\"type\":\"message\",\"id\":2,\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"customer\",\"text\":\"bad \xc3\x28 utf8\"}",
};

static struct e2e_hub fake_hub(int *listen_fd)
{
	int port = 0;
	*listen_fd = ws_listen(&port);
	struct e2e_hub h = {.proc = NULL, .db = NULL, .port = port, .url = e2e_strf("ws://127.0.0.1:%d", port)};
	return h;
}

static struct e2e_ws *accept_client(int lfd, json_t **hello)
{
	char *why = NULL;
	struct e2e_ws *ws = ws_accept(lfd, "opdesk.agent.v1", E2E_WAIT_MS, &why);
	cr_assert(ws, "the client did not connect: %s", why);
	*hello = ws_expect_type(ws, "hello", E2E_WAIT_MS);
	cr_assert(*hello, "no hello from the client; skipped: %s", ws_skipped(ws));
	return ws;
}

E2E_TEST(client_hostile_hub, broken_frames_are_logged_and_skipped)
{
	int lfd;
	struct e2e_hub h = fake_hub(&lfd);
	struct e2e_term *t = term_client(&h, "anna", "s3cret", 30, 120, NULL);
	json_t *hello;
	struct e2e_ws *ws = accept_client(lfd, &hello);
	cr_assert_str_eq(e2e_json_str(hello, "user"), "anna");
	ws_send_text(ws, welcome);
	term_expect(t, "Ольга", E2E_WAIT_MS);
	term_expect(t, "123456", E2E_WAIT_MS);

	for (size_t i = 0; i < sizeof bad_text / sizeof *bad_text; i++)
		cr_assert_eq(ws_send_text(ws, bad_text[i]), 0);
	const char bin[] = "{\"type\":\"message\"}";
	ws_send_frame(ws, WS_BINARY, true, false, bin, sizeof bin - 1);
	/* over the hub's outgoing limit (4 MiB): a legitimate hub never sends it */
	size_t big = 5u << 20;
	char *huge = malloc(big);
	memset(huge, 'a', big);
	memcpy(huge, "{\"t\":\"", 6);
	memcpy(huge + big - 2, "\"}", 2);
	ws_send_frame(ws, WS_TEXT, true, false, huge, big);
	free(huge);

	/* a field a newer hub may have added is skipped, the frame is read (docs/protocol.md, Versioning) */
	ws_send_text(ws, "{\"type\":\"message\",\"id\":2,\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"customer\","
	                 "\"author\":\"Ольга\",\"text\":\"Адрес тот же\",\"mood\":\"calm\"}");
	term_expect(t, "Адрес тот же", E2E_WAIT_MS);
	ws_send_text(ws, "{\"type\":\"message\",\"id\":3,\"dialog\":7,\"seq\":3,\"time\":" T0 ",\"sender\":\"customer\","
	                 "\"author\":\"Ольга\",\"text\":\"Спасибо, жду курьера\"}");
	term_expect(t, "Спасибо, жду курьера", E2E_WAIT_MS);
	cr_assert(e2e_proc_alive(term_proc(t)), "the client died");
	cr_assert(!term_has_text(t, "BADTYPE") && !term_has_text(t, "BADENUM"), "a refused frame was shown:\n%s",
	          term_screen_text(t));

	char *log = e2e_slurp(e2e_strf("%s/client.1.log", e2e_dir()), NULL);
	cr_assert(log);
	size_t malformed = e2e_count(log, "malformed frame from the hub");
	size_t dropped = e2e_count(log, "dropped a binary or oversized frame");
	cr_assert_eq(malformed, sizeof bad_text / sizeof *bad_text, "%zu malformed-frame errors logged, want %zu",
	             malformed, sizeof bad_text / sizeof *bad_text);
	cr_assert_eq(dropped, 2, "%zu binary/oversized frames logged, want 2", dropped);

	term_send(t, TK_F10);
	term_send(t, "y");
	cr_assert(term_wait_exit(t, E2E_WAIT_MS), "the client did not quit");
	cr_assert_eq(e2e_proc_exit_code(term_proc(t)), 0);
}

E2E_TEST(client_hostile_hub, a_lost_hub_shows_offline_and_the_client_comes_back_with_resume)
{
	int lfd;
	struct e2e_hub h = fake_hub(&lfd);
	struct e2e_term *t = term_client(&h, "anna", "s3cret", 30, 120, NULL);
	json_t *hello;
	struct e2e_ws *ws = accept_client(lfd, &hello);
	ws_send_text(ws, welcome);
	term_expect(t, "Где мой заказ", E2E_WAIT_MS);
	ws_send_text(ws, "{\"type\":\"message\",\"id\":5,\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"customer\","
	                 "\"author\":\"Ольга\",\"text\":\"Алло?\"}");
	term_expect(t, "Алло?", E2E_WAIT_MS);

	/* the hub vanishes without a close frame */
	ws_close(ws);
	term_expect(t, "offline", E2E_WAIT_MS);
	term_expect(t, "retrying in", E2E_WAIT_MS);
	cr_assert(e2e_proc_alive(term_proc(t)));

	/* it comes back on the same port: the client reconnects by itself and says where it was */
	ws = accept_client(lfd, &hello);
	json_t *resume = json_object_get(hello, "resume");
	cr_assert(json_is_array(resume) && json_array_size(resume) == 1, "hello without resume: %s",
	          json_dumps(hello, 0));
	cr_assert_eq(e2e_json_int(json_array_get(resume, 0), "dialog", 0), 7);
	cr_assert_eq(e2e_json_int(json_array_get(resume, 0), "seq", 0), 2);
	term_watch(t, "offline");
	ws_send_text(ws, welcome);
	term_expect(t, "online", E2E_WAIT_MS);
	cr_assert(term_wait_gone(t, "offline", E2E_WAIT_MS), "still offline:\n%s", term_screen_text(t));
	term_expect(t, "Алло?", E2E_WAIT_MS); /* nothing it had shown was lost */
}

/* A hub that puts hostile text in every string it sends: each code point U+0001..U+00FF after a 'Z', and
 * terminal sequences (title, OSC 52 clipboard set and read, OSC 8 link, colour query, DECRQSS and other
 * DCS, device and cursor reports, window reports, C1 CSI/OSC/DCS), in names, queue previews, messages,
 * canned replies and errors. Nothing of it may reach the pty as a control; it is shown marked. */
static const char *const sequences[] = {
    "\\u001b]0;PWNED\\u0007",   "\\u001b]52;c;SGVsbG8=\\u0007", "\\u001b]52;c;?\\u0007", "\\u001b]8;;http://x/\\u001b\\\\",
    "\\u001b]10;?\\u0007",      "\\u001bP$qm\\u001b\\\\",       "\\u001bP+q544e\\u001b\\\\", "\\u001b[c",
    "\\u001b[>c",               "\\u001b[5n",                   "\\u001b[6n",               "\\u001b[21t",
    "\\u001b[14t",              "\\u009b6n",                    "\\u009d0;C1\\u0007",       "\\u0090$qm\\u009c",
    "\\u001b[?1049l\\u001b[2J", "\\u202e\\u2066\\u200b",
};
static const char *const raw_forbidden[] = {
    "\x1b]", "\x1bP", "\x1b[c", "\x1b[>c", "\x1b[5n", "\x1b[6n", "\x1b[21t", "\x1b[14t", "\x1b[?1049l",
    "\xc2\x9b", "\xc2\x9d", "\xc2\x90", "\xc2\x9c", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x80\x8b",
    "\x1bZ", /* the text's "Z ESC Z": ESC Z is DECID, a report request */
};

static char *hostile_text(void)
{
	char *s = e2e_strf("%s", "");
	for (int c = 1; c <= 0xff; c++)
		s = e2e_strf("%sZ\\u%04x", s, c);
	for (size_t i = 0; i < sizeof sequences / sizeof *sequences; i++)
		s = e2e_strf("%s Q%zu%s", s, i, sequences[i]);
	return s;
}

E2E_TEST(client_hostile_hub, hostile_bytes_in_every_field_never_reach_the_terminal)
{
	int lfd;
	struct e2e_hub h = fake_hub(&lfd);
	struct e2e_term *t = term_client(&h, "anna", "s3cret", 60, 200, NULL);
	json_t *hello;
	struct e2e_ws *ws = accept_client(lfd, &hello);
	const char *x = hostile_text();
	const char *name = "Ev\\u001b]0;T\\u0007e\\u009b2J"; /* names are short: 64 bytes at most */
	ws_sendf(ws,
	         "{\"type\":\"welcome\",\"operator\":{\"user\":\"anna\",\"display\":\"%s\",\"role\":\"operator\",\"status\":"
	         "\"online\",\"capacity\":4},\"dialogs\":[{\"id\":7,\"customer\":\"%s\",\"channel\":\"vk\",\"queue\":\"%s\","
	         "\"state\":\"assigned\",\"opened\":" T0 ",\"last_seq\":1,\"messages\":[{\"id\":1,\"dialog\":7,\"seq\":1,"
	         "\"time\":" T0 ",\"sender\":\"customer\",\"author\":\"%s\",\"text\":\"%s\"}]}],\"items\":[{\"dialog\":8,"
	         "\"customer\":\"%s\",\"channel\":\"web\",\"queue\":\"general\",\"since\":" T0 ",\"preview\":\"P\\u001b[6nP\"}],"
	         "\"canned\":[{\"id\":\"c1\",\"shortcut\":\"x\\u001b[c\",\"category\":\"K\\u001bP$qm\\u001b\\\\\",\"title\":"
	         "\"T\\u001b]52;c;?\\u0007\",\"text\":\"%s\"}],\"time\":" T0 "}",
	         name, name, name, name, x, name, x);
	term_expect(t, "Z^AZ^BZ^C", E2E_WAIT_MS); /* C0 controls shown as ^X */
	term_expect(t, "Z^[Z^\\", E2E_WAIT_MS);
	term_expect(t, "Z~Z^?Z<80>Z<81>", E2E_WAIT_MS); /* DEL and C1 marked */
	term_expect(t, "ZéZêZëZì", E2E_WAIT_MS);        /* Latin-1 letters are letters */
	term_expect(t, "Q0^[]0;PWNED^G", E2E_WAIT_MS);
	/* a live message, a queue update and an error carry it too */
	ws_sendf(ws,
	         "{\"type\":\"message\",\"id\":2,\"dialog\":7,\"seq\":2,\"time\":" T0 ",\"sender\":\"customer\",\"author\":"
	         "\"%s\",\"text\":\"LIVE %s\"}",
	         name, x);
	ws_sendf(ws, "{\"type\":\"error\",\"code\":\"internal\",\"message\":\"E\\u001b]0;ERR\\u0007\\u009b6n\"}");
	term_expect(t, "E^[]0;ERR^G<9B>6n", E2E_WAIT_MS);
	term_expect(t, "LIVE", E2E_WAIT_MS);
	/* a NUL is refused with its frame (JSON text may not carry one), raw bytes 0x80..0xFF (not UTF-8) too */
	ws_send_text(ws, "{\"type\":\"message\",\"id\":3,\"dialog\":7,\"seq\":3,\"time\":" T0 ",\"sender\":\"customer\","
	                 "\"text\":\"NUL\\u0000\"}");
	char raw[300];
	size_t n = (size_t)snprintf(raw, sizeof raw, "{\"type\":\"message\",\"id\":4,\"dialog\":7,\"seq\":4,\"time\":" T0
	                                             ",\"sender\":\"customer\",\"text\":\"RAW");
	for (int b = 0x80; b <= 0xff && n < sizeof raw - 4; b += 4)
		raw[n++] = (char)b;
	memcpy(raw + n, "\"}", 3);
	ws_send_text(ws, raw);
	ws_sendf(ws, "{\"type\":\"message\",\"id\":5,\"dialog\":7,\"seq\":3,\"time\":" T0 ",\"sender\":\"customer\","
	             "\"text\":\"after the bad ones\"}");
	term_expect(t, "after the bad ones", E2E_WAIT_MS);
	cr_assert(!term_has_text(t, "NUL") && !term_has_text(t, "RAW"), "%s", term_screen_text(t));
	term_send(t, "\x1bOS"); /* F4: the canned replies, with their hostile title and text */
	term_expect(t, "T^[]52;c;?^G", E2E_WAIT_MS);
	term_send(t, TK_ESC); /* once the picker is gone, all it drew has been written */
	cr_assert(term_wait_gone(t, "T^[]52;c;?^G", E2E_WAIT_MS), "%s", term_screen_text(t));
	cr_assert(e2e_proc_alive(term_proc(t)));

	size_t len;
	const char *out = term_raw_output(t, &len);
	for (size_t i = 0; i < sizeof raw_forbidden / sizeof *raw_forbidden; i++)
		cr_assert(!memmem(out, len, raw_forbidden[i], strlen(raw_forbidden[i])), "%zu: the pty got a sequence from the text",
		          i);
	for (int c = 1; c < 0x100; c++) {
		/* (ESC after a Z is how curses starts the marked stand-in's colour: checked as "ESC Z" above) */
		if ((c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f)) || c == 0x1b)
			continue;
		char z[4] = {'Z', (char)c, 0};
		char zc1[4] = {'Z', '\xc2', (char)c, 0};
		cr_assert(!memmem(out, len, z, 2), "control %#x went to the pty", c);
		cr_assert(c < 0x80 || !memmem(out, len, zc1, 3), "C1 control %#x went to the pty", c);
	}
}

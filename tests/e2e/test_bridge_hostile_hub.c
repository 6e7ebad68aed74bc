/* test_bridge_hostile_hub.c: opdesk-bridge against a scripted fake hub (the hub's end of the WebSocket is
 * played by the test). A message over the 4 MiB limit of frames from the hub, sent in fragments, is refused
 * whole: its later fragments are skipped up to its final one, not read as a new frame (the last fragment
 * alone is a valid message, and the padding before it is JSON whitespace, so a bridge that starts over
 * after the limit would pass it on); it is logged once, and the next message is passed on as usual. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

TestSuite(bridge_hostile_hub, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

#define T0 "1763856000000"

static const char *hub_message(int id, const char *text)
{
	return e2e_strf("{\"type\":\"message\",\"contact\":\"1001\",\"id\":%d,\"dialog\":7,\"seq\":%d,\"time\":" T0
	                ",\"sender\":\"operator\",\"author\":\"anna\",\"text\":\"%s\"}",
	                id, id, text);
}

E2E_TEST(bridge_hostile_hub, an_oversized_fragmented_message_is_dropped_whole_and_the_next_one_passes)
{
	int port = 0;
	int lfd = ws_listen(&port);
	char *secret_file = e2e_path("tg.secret");
	e2e_write_file(secret_file, "tg-secret-1\n");
	chmod(secret_file, 0600);
	int fds[2];
	cr_assert(pipe2(fds, O_CLOEXEC) == 0);
	char *argv[] = {e2e_bin("opdesk-bridge"), "--url", e2e_strf("ws://127.0.0.1:%d", port), "--user", "tg",
	                "--secret-file", secret_file, "--log-level", "info", NULL};
	struct e2e_spawn_opts o = {.stdin_fd = fds[0], .fd3 = -1};
	struct e2e_proc *bridge = e2e_spawn("bridge", argv, &o);
	close(fds[0]);

	char *why = NULL;
	struct e2e_ws *ws = ws_accept(lfd, "opdesk.bridge.v1", E2E_WAIT_MS, &why);
	cr_assert(ws, "the bridge did not connect: %s", why);
	json_t *hello = ws_expect_type(ws, "hello", E2E_WAIT_MS);
	cr_assert(hello, "no hello from the bridge; skipped: %s", ws_skipped(ws));
	cr_assert_str_eq(e2e_json_str(hello, "user"), "tg");
	ws_send_text(ws, "{\"type\":\"welcome\",\"channel\":\"telegram\",\"time\":" T0 "}");
	cr_assert(e2e_file_wait_text(bridge->out_path, "\"type\":\"welcome\"", E2E_WAIT_MS), "%s",
	          e2e_proc_stderr(bridge));

	/* 5 MiB of spaces in two fragments, then a last fragment that is a whole message by itself */
	size_t pad = 5u << 19;
	char *spaces = malloc(pad);
	memset(spaces, ' ', pad);
	cr_assert_eq(ws_send_frame(ws, WS_TEXT, false, false, spaces, pad), 0);
	cr_assert_eq(ws_send_frame(ws, WS_CONT, false, false, spaces, pad), 0);
	free(spaces);
	const char *smuggled = hub_message(5, "SMUGGLED");
	cr_assert_eq(ws_send_frame(ws, WS_CONT, true, false, smuggled, strlen(smuggled)), 0);
	ws_send_text(ws, hub_message(6, "after the big one"));

	cr_assert(e2e_file_wait_text(bridge->out_path, "after the big one", E2E_WAIT_MS), "%s",
	          e2e_proc_stderr(bridge));
	char *out = e2e_slurp(bridge->out_path, NULL);
	cr_assert(!strstr(out, "SMUGGLED"), "the rest of the oversized message was passed on as a frame");
	char *err = e2e_proc_stderr(bridge);
	cr_assert_eq(e2e_count(err, "over 4194304 bytes from the hub dropped"), 1, "%s", err);
	cr_assert(e2e_proc_alive(bridge));
	close(fds[1]);
}

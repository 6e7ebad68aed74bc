/* test_hub_slow_client.c: an operator's connection that stops reading (a hung client, a dead link) while
 * its four customers keep writing. The hub's queue for it is bounded (--max-queue): it is cut off with a
 * logged reason, while another operator's customer is answered as quickly as before. When it comes back
 * with the last seq it saw in each dialog, the hub sends everything it missed, more than the queue limit,
 * in batches as the connection drains: every message once, none lost, and it is not cut off again. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(hub_slow_client, .init = e2e_setup, .fini = e2e_teardown, .timeout = 180);

#define QUEUE_LIMIT 1048576

E2E_TEST(hub_slow_client, a_stalled_operator_is_cut_off_alone_and_resumes_everything)
{
	const char *users[] = {"bob", "s3cret-bob", "anna", "s3cret-anna", NULL};
	const char *extra[] = {"--max-queue", "1048576", NULL};
	struct e2e_hub *h = e2e_hub_start(users, extra);
	struct e2e_ws *bob = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(bob, "bob", "s3cret-bob");
	struct e2e_ws *cust[4];
	long long dialog[4], seen[4];
	for (int i = 0; i < 4; i++) {
		cust[i] = ws_connect_ok(h->port, "opdesk.customer.v1");
		ws_sendf(cust[i], "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"C%d\",\"text\":\"hello %d\"}", i, i);
		json_t *a = ws_expect_type(bob, "assigned", E2E_WAIT_MS);
		cr_assert(a, "no assignment for bob: %s", ws_skipped(bob));
		json_t *d = json_object_get(a, "dialog");
		dialog[i] = e2e_json_int(d, "id", 0);
		seen[i] = e2e_json_int(d, "last_seq", 0);
	}
	/* anna takes the fifth customer: bob is full */
	struct e2e_term *anna = term_client(h, "anna", "s3cret-anna", 30, 120, NULL);
	term_expect(anna, "online", E2E_WAIT_MS);
	struct e2e_ws *fifth = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(fifth, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Пятая\",\"text\":\"я пятая\"}");
	term_expect(anna, "Пятая", E2E_WAIT_MS);

	/* bob stops reading; his customers write 3 KB messages, 40 a second each */
	ws_stall(bob);
	char big[3001];
	memset(big, 'x', 3000);
	big[3000] = '\0';
	int sent = 0, probes = 0;
	int64_t end = e2e_now_ms() + 60000;
	while (e2e_now_ms() < end && !e2e_hub_log_wait(h, "a stalled client", 0)) {
		for (int i = 0; i < 4; i++)
			ws_sendf(cust[i], "{\"type\":\"message\",\"client_msg_id\":\"m%d\",\"text\":\"%d %s\"}", sent, sent, big);
		sent++;
		if (sent % 20 == 0) {
			/* meanwhile anna's customer is answered at once: her message shows within a second */
			ws_sendf(fifth, "{\"type\":\"message\",\"client_msg_id\":\"p%d\",\"text\":\"probe %d\"}", probes, probes);
			cr_assert(term_wait_text(anna, e2e_strf("probe %d", probes), 5000), /* held up: until bob is cut off */
			          "anna's customer was held up by bob's stall:\n%s", term_screen_text(anna));
			probes++;
		}
		term_pump(anna, 25);
		for (int i = 0; i < 4; i++) {
			struct e2e_ws_frame f;
			while (ws_recv(cust[i], &f, 0) > 0)
				free(f.data);
		}
	}
	cr_assert(e2e_hub_log_wait(h, "a stalled client", E2E_WAIT_MS), "bob was never cut off (%d rounds)", sent);
	cr_log_info("cut off after %d rounds, %d probes", sent, probes);
	cr_assert_geq(probes, 1);
	ws_close(bob);

	/* bob comes back and says where he was: he gets all he missed, once each, more than the queue holds */
	struct e2e_db *db = e2e_db_open(h->db);
	long long last[4], missed_bytes = 0;
	for (int i = 0; i < 4; i++) {
		last[i] = e2e_db_int(db, 0, "SELECT max(seq) FROM messages WHERE dialog_id=%lld", dialog[i]);
		missed_bytes += e2e_db_int(db, 0, "SELECT sum(length(text)) FROM messages WHERE dialog_id=%lld AND seq>%lld",
		                           dialog[i], seen[i]);
	}
	cr_assert_gt(missed_bytes, QUEUE_LIMIT, "only %lld bytes missed: not a test of batching", missed_bytes);
	struct e2e_ws *back = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_sendf(back,
	         "{\"type\":\"hello\",\"user\":\"bob\",\"secret\":\"s3cret-bob\",\"role\":\"operator\",\"resume\":["
	         "{\"dialog\":%lld,\"seq\":%lld},{\"dialog\":%lld,\"seq\":%lld},{\"dialog\":%lld,\"seq\":%lld},"
	         "{\"dialog\":%lld,\"seq\":%lld}]}",
	         dialog[0], seen[0], dialog[1], seen[1], dialog[2], seen[2], dialog[3], seen[3]);
	static unsigned char got[4][20000];
	long long have[4] = {seen[0], seen[1], seen[2], seen[3]};
	int64_t until = e2e_now_ms() + 60000;
	bool done = false;
	while (!done && e2e_now_ms() < until) {
		struct e2e_ws_frame f;
		int r = ws_recv(back, &f, 1000);
		cr_assert(r >= 0 && !ws_is_closed(back), "bob was cut off again while catching up");
		if (r == 0)
			continue;
		json_t *o = json_loads(f.data, 0, NULL);
		free(f.data);
		const char *type = e2e_json_str(o, "type");
		json_t *msgs = NULL;
		if (strcmp(type, "welcome") == 0) {
			size_t k;
			json_t *d;
			json_array_foreach(json_object_get(o, "dialogs"), k, d)
			{
				for (int i = 0; i < 4; i++)
					if (e2e_json_int(d, "id", 0) == dialog[i])
						msgs = json_object_get(d, "messages");
				size_t j;
				json_t *m;
				json_array_foreach(msgs, j, m)
				{
					for (int i = 0; i < 4; i++)
						if (e2e_json_int(m, "dialog", 0) == dialog[i]) {
							long long s = e2e_json_int(m, "seq", 0);
							cr_assert(s > seen[i] && s < 20000 && got[i][s]++ == 0, "seq %lld of dialog %d twice", s, i);
						}
				}
			}
		} else if (strcmp(type, "message") == 0) {
			for (int i = 0; i < 4; i++)
				if (e2e_json_int(o, "dialog", 0) == dialog[i]) {
					long long s = e2e_json_int(o, "seq", 0);
					cr_assert(s > seen[i] && s < 20000 && got[i][s]++ == 0, "seq %lld of dialog %d twice", s, i);
				}
		}
		json_decref(o);
		done = true;
		for (int i = 0; i < 4; i++) {
			while (have[i] < last[i] && got[i][have[i] + 1])
				have[i]++;
			done = done && have[i] == last[i];
		}
	}
	for (int i = 0; i < 4; i++)
		cr_assert_eq(have[i], last[i], "dialog %d: got up to seq %lld of %lld", i, have[i], last[i]);
}

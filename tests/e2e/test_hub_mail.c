/* test_hub_mail.c: mail through the sendmail interface, against the real hub. The sendmail command is a script
 * in the test's directory that keeps its arguments and the message it is given; a web customer whose chat is
 * closed asks for its transcript and one proper mail goes out (headers, an encoded subject, a base64 UTF-8
 * body holding the chat's lines and never its note); refused for an open chat, a wrong token, an address with
 * a header in it, past the limit. A command that fails is retried after the back-off and its failure kept in
 * the outbox; one that always fails is given up, counted in /metrics. The web widget in Chromium offers the
 * transcript once the chat is closed (not before) and the mail goes to the address typed in. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

TestSuite(hub_mail, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

/* The capture script: argv to argv.N, the message to mail.N (whole once it shows); with fail_first the first
 * run only says so on stderr and exits 75; with fail_always every run does. */
static char *capture_script(bool fail_first, bool fail_always)
{
	char *path = e2e_path("sendmail.sh");
	char *text = e2e_strf("#!/bin/sh\n"
			      "d='%s'\n"
			      "i=1; while [ -e \"$d/mail.$i\" ]; do i=$((i+1)); done\n"
			      "printf '%%s\\n' \"$@\" > \"$d/argv.$i\"\n"
			      "cat > \"$d/mail.$i.part\"\n"
			      "n=$(cat \"$d/runs\" 2>/dev/null || echo 0); echo $((n+1)) > \"$d/runs\"\n"
			      "if %s; then echo 'sendmail: 451 temporary failure' >&2; exit 75; fi\n"
			      "mv \"$d/mail.$i.part\" \"$d/mail.$i\"\n",
			      e2e_dir(), fail_always ? "true" : fail_first ? "[ ! -e \"$d/failed\" ] && : > \"$d/failed\"" : "false");
	e2e_write_file(path, text);
	cr_assert_eq(chmod(path, 0755), 0);
	return e2e_strf("%s -t -i", path);
}

static const char *const users[] = { "anna", "s3cret-anna", NULL };

struct chat {
	struct e2e_hub *h;
	struct e2e_ws *anna, *cust;
	long long dialog;
	const char *token;
};

/* A hub mailing with `sendmail`, anna signed in, Ирина's chat with an answer, a note and a reply; open. */
static struct chat chat_with_lines(const char *sendmail, const char *retry)
{
	const char *extra[] = { "--sendmail", sendmail, "--mail-from", "shop@example.org", "--mail-retry", retry,
				"--lang", "en", NULL };
	struct chat c = { .h = e2e_hub_start(users, extra) };
	c.anna = ws_connect_ok(c.h->port, "opdesk.agent.v1");
	ws_hello(c.anna, "anna", "s3cret-anna");
	c.dialog = ws_web_chat(c.h->port, c.anna, "Ирина", "Пришла куртка с браком", &c.cust, &c.token);
	ws_sendf(c.anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-1\",\"text\":\"Пришлите фото, "
			 "пожалуйста\"}", c.dialog);
	cr_assert(ws_expect_type(c.anna, "ack", E2E_WAIT_MS));
	ws_sendf(c.anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a-2\",\"text\":\"секретная заметка\","
			 "\"note\":true}", c.dialog);
	cr_assert(ws_expect_type(c.anna, "ack", E2E_WAIT_MS));
	ws_sendf(c.cust, "{\"type\":\"message\",\"client_msg_id\":\"c-1\",\"text\":\"Хорошо, сейчас\"}");
	cr_assert(ws_expect_type(c.cust, "ack", E2E_WAIT_MS), "%s", ws_skipped(c.cust));
	return c;
}

static void close_chat(struct chat *c)
{
	ws_sendf(c->anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"returns\"}", c->dialog);
	cr_assert(ws_expect_type(c->cust, "closed", E2E_WAIT_MS), "%s", ws_skipped(c->cust));
}

static int b64val(char ch)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(tab, ch) : NULL;
	return p ? (int)(p - tab) : -1;
}

/* Base64 of s (other characters, as line ends and '=', skipped) decoded (owned). */
static char *unbase64(const char *s, size_t n)
{
	char *out = e2e_own(calloc(1, n + 1));
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(s[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	return out;
}

/* The value of header `name` in the head of a message (unfolded; owned), NULL when absent. */
static char *header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\n\n");
	size_t n = strlen(name);
	for (const char *p = msg; p && p < end; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			char *val = e2e_strf("%s", "");
			for (;;) {
				const char *nl = strchr(v, '\n');
				val = e2e_strf("%s%.*s", val, (int)(nl - v), v);
				if (nl[1] != ' ' && nl[1] != '\t')
					break;
				v = nl + 1;
			}
			return val;
		}
	}
	return NULL;
}

/* An RFC 2047 subject's encoded words decoded, or a plain one as it is (owned). */
static char *decode_subject(const char *v)
{
	char *out = e2e_strf("%s", "");
	const char *p = v;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		p += 10;
		const char *q = strstr(p, "?=");
		cr_assert(q, "an encoded word without its end: %s", v);
		out = e2e_strf("%s%s", out, unbase64(p, (size_t)(q - p)));
		p = q + 2;
	}
	return *out ? out : e2e_strf("%s", v); /* plain ASCII goes as it is */
}

E2E_TEST(hub_mail, a_closed_chat_s_transcript_is_one_proper_mail)
{
	struct chat c = chat_with_lines(capture_script(false, false), "60");
	/* refused while open, with a wrong token, with a header smuggled in the address */
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"irina@example.org\"}",
		 c.dialog, c.token);
	ws_expect_error(c.cust, "not_allowed", "a transcript of an open chat");
	close_chat(&c);
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"irina@example.org\"}",
		 c.dialog, "0123456789abcdef0123456789abcdef");
	ws_expect_error(c.cust, "not_allowed", "a transcript with a wrong token");
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\","
			 "\"email\":\"irina@example.org\\r\\nBcc: all@example.org\"}", c.dialog, c.token);
	ws_expect_error(c.cust, "not_allowed", "a transcript to an address with a header in it");

	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"irina@example.org\"}",
		 c.dialog, c.token);
	json_t *t = ws_expect_type(c.cust, "transcript", E2E_WAIT_MS);
	cr_assert(t, "%s", ws_skipped(c.cust));
	cr_assert_eq(e2e_json_int(t, "dialog", 0), c.dialog);
	char *mail_path = e2e_path("mail.1");
	cr_assert(e2e_file_wait_text(mail_path, "\n\n", E2E_WAIT_MS), "no mail was sent");
	char *argv = e2e_slurp(e2e_path("argv.1"), NULL);
	cr_assert_str_eq(argv, "-t\n-i\n");
	char *msg = e2e_slurp(mail_path, NULL);
	cr_assert_str_eq(header(msg, "To"), " irina@example.org");
	cr_assert_str_eq(header(msg, "From"), " shop@example.org");
	cr_assert(!header(msg, "Bcc"), "%s", msg);
	cr_assert_str_eq(header(msg, "MIME-Version"), " 1.0");
	cr_assert_str_eq(header(msg, "Content-Type"), " text/plain; charset=utf-8");
	cr_assert_str_eq(header(msg, "Content-Transfer-Encoding"), " base64");
	char *date = header(msg, "Date"), *id = header(msg, "Message-ID");
	cr_assert(date && strlen(date) > 20 && strchr(date, ':'), "Date: %s", date);
	cr_assert(id && strstr(id, "@example.org>") && id[1] == '<', "Message-ID: %s", id);
	char *subject = decode_subject(header(msg, "Subject"));
	cr_assert(strstr(subject, e2e_strf("%lld", c.dialog)), "Subject: %s", subject);
	/* the body: base64 lines of at most 76, the chat's lines with their times, no note */
	const char *body = strstr(msg, "\n\n") + 2;
	for (const char *l = body; *l; l = strchr(l, '\n') + 1)
		cr_assert_leq(strcspn(l, "\n"), 76);
	char *text = unbase64(body, strlen(body));
	cr_assert(strstr(text, "Ирина: Пришла куртка с браком"), "%s", text);
	cr_assert(strstr(text, "anna: Пришлите фото, пожалуйста"), "%s", text);
	cr_assert(strstr(text, "Ирина: Хорошо, сейчас"), "%s", text);
	cr_assert(strstr(text, "Operator anna joined the chat"), "%s", text);
	cr_assert(!strstr(text, "секретная"), "the note went out:\n%s", text);

	/* a small limit a dialog: two more, then refused */
	for (int i = 0; i < 2; i++) {
		ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"i@example.org\"}",
			 c.dialog, c.token);
		cr_assert(ws_expect_type(c.cust, "transcript", E2E_WAIT_MS), "%s", ws_skipped(c.cust));
	}
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"i@example.org\"}",
		 c.dialog, c.token);
	ws_expect_error(c.cust, "not_allowed", "a fourth transcript");
	cr_assert(e2e_file_wait_text(e2e_path("mail.3"), "\n\n", E2E_WAIT_MS), "the third mail was not sent");
	cr_assert(e2e_hub_log_wait(c.h, "mail 3 (transcript) to i@example.org sent", E2E_WAIT_MS)); /* recorded */
	struct e2e_db *db = e2e_db_open(c.h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT count(*) FROM mail WHERE state = 'sent' AND dialog_id = %lld", c.dialog),
		     3);
}

E2E_TEST(hub_mail, a_failing_command_is_retried_and_its_failure_kept)
{
	struct chat c = chat_with_lines(capture_script(true, false), "1");
	close_chat(&c);
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"irina@example.org\"}",
		 c.dialog, c.token);
	cr_assert(ws_expect_type(c.cust, "transcript", E2E_WAIT_MS), "%s", ws_skipped(c.cust));
	cr_assert(e2e_hub_log_wait(c.h, "attempt 1 failed: exit status 75: sendmail: 451 temporary failure; retried",
				   E2E_WAIT_MS));
	/* the second attempt, a second later, goes through */
	cr_assert(e2e_file_wait_text(e2e_path("mail.1"), "\n\n", E2E_WAIT_MS), "the mail was not sent again");
	cr_assert(e2e_hub_log_wait(c.h, "(transcript) to irina@example.org sent", E2E_WAIT_MS));
	struct e2e_db *db = e2e_db_open(c.h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT tries FROM mail WHERE state = 'sent'"), 2);
	char *err = e2e_db_text(db, "SELECT last_error FROM mail");
	cr_assert(err && strstr(err, "exit status 75: sendmail: 451 temporary failure"), "%s", err ? err : "(none)");
	char *metrics = e2e_http_get(c.h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_mail_attempts_total{result=\"failed\"} 1\n"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_mail_attempts_total{result=\"sent\"} 1\n"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_mails{state=\"sent\"} 1\n"), "%s", metrics);
}

E2E_TEST(hub_mail, a_command_that_always_fails_is_given_up)
{
	struct chat c = chat_with_lines(capture_script(false, true), "0");
	close_chat(&c);
	ws_sendf(c.cust, "{\"type\":\"transcript\",\"dialog\":%lld,\"token\":\"%s\",\"email\":\"irina@example.org\"}",
		 c.dialog, c.token);
	cr_assert(ws_expect_type(c.cust, "transcript", E2E_WAIT_MS), "%s", ws_skipped(c.cust));
	cr_assert(e2e_hub_log_wait(c.h, "attempt 2 failed: exit status 75: sendmail: 451 temporary failure; given up",
				   E2E_WAIT_MS));
	struct e2e_db *db = e2e_db_open(c.h->db);
	cr_assert_eq(e2e_db_int(db, -1, "SELECT tries FROM mail WHERE state = 'failed'"), 2);
	char *metrics = e2e_http_get(c.h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_mails{state=\"failed\"} 1\n"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_mails{state=\"pending\"} 0\n"), "%s", metrics);
}

E2E_TEST(hub_mail, the_web_widget_offers_the_transcript_after_the_chat_closed)
{
	const char *extra[] = { "--sendmail", capture_script(false, false), "--mail-from", "shop@example.org", NULL };
	struct e2e_hub *h = e2e_hub_start(users, extra);
	struct e2e_ws *anna = ws_connect_ok(h->port, "opdesk.agent.v1");
	ws_hello(anna, "anna", "s3cret-anna");
	struct e2e_browser *b = wd_start("ru-RU");
	wd_open(b, e2e_strf("http://127.0.0.1:%d/", h->port));
	wd_expect(b, "#od-status", "на связи");
	cr_assert(wd_wait_none(b, "#od-mail:not([hidden])", E2E_WAIT_MS), "the transcript was offered before a chat");
	wd_type(b, "#od-name", "Лена");
	wd_type(b, "#od-first", "Где мой заказ 4817?");
	wd_click(b, "#od-start");
	json_t *a = ws_expect_type(anna, "assigned", E2E_WAIT_MS);
	cr_assert(a, "%s", ws_skipped(anna));
	long long d = e2e_json_int(json_object_get(a, "dialog"), "id", 0);
	ws_sendf(anna, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"a1\",\"text\":\"Заказ в пути\"}", d);
	wd_expect(b, "#od-log", "Заказ в пути");
	cr_assert(wd_wait_none(b, "#od-mail:not([hidden])", E2E_WAIT_MS), "the transcript was offered in an open chat");
	ws_sendf(anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", d);
	wd_expect(b, "#od-mail", "Прислать расшифровку чата на почту");
	wd_type(b, "#od-email", "lena@example.org");
	wd_click(b, "#od-mail-send");
	wd_expect(b, "#od-log", "Расшифровка придёт на lena@example.org");
	cr_assert(e2e_file_wait_text(e2e_path("mail.1"), "\n\n", E2E_WAIT_MS), "no mail was sent");
	char *msg = e2e_slurp(e2e_path("mail.1"), NULL);
	cr_assert_str_eq(header(msg, "To"), " lena@example.org");
	const char *body = strstr(msg, "\n\n") + 2;
	char *text = unbase64(body, strlen(body));
	cr_assert(strstr(text, "Лена: Где мой заказ 4817?") && strstr(text, "anna: Заказ в пути"), "%s", text);
}

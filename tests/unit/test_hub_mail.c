/* test_hub_mail.c: the mail builder (hub_mail_msg.c): addresses that could carry a header or a second
 * recipient are refused, the subject becomes RFC 2047 encoded words (each line within 76 bytes, no UTF-8
 * character split) when it is not short plain ASCII, and the message has its headers once, in order, with a
 * base64 body that decodes to the text. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "hub_mail.h"

Test(hub_mail, addresses_with_anything_but_one_plain_address_are_refused)
{
	cr_assert(hub_mail_addr_valid("irina@example.org"));
	cr_assert(hub_mail_addr_valid("a.b+tag@mail.example-shop.ru"));
	const char *bad[] = { "", "a@", "@b.c", "ab", "a@b@c.d", "a b@c.d", "a@b.c\r\nBcc: x@y.z", "a@b.c\nTo: x@y.z",
			      "<a@b.c>", "Irina <a@b.c>", "a@b.c, x@y.z", "a@b.c;x@y.z", "a\"b@c.d", "a@b..c", "a@b.c.",
			      "a@.b.c", ".a@b.c", "a.@b.c", "a@b_c.d", "\xd0\xb8@b.c", "a@b.c\t", NULL };
	for (size_t i = 0; bad[i]; i++)
		cr_assert(!hub_mail_addr_valid(bad[i]), "\"%s\" was taken", bad[i]);
	char long_local[80];
	memset(long_local, 'a', 65);
	strcpy(long_local + 65, "@b.c");
	cr_assert(!hub_mail_addr_valid(long_local));
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *unbase64(const char *s, size_t n)
{
	char *out = calloc(1, n + 1);
	size_t o = 0;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(b64, s[i]) : NULL;
		if (!p)
			continue;
		acc = acc << 6 | (unsigned)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	return out;
}

Test(hub_mail, a_subject_is_encoded_words_without_splitting_a_character)
{
	char *plain = hub_mail_subject("Transcript of your chat 12");
	cr_assert_str_eq(plain, "Transcript of your chat 12");
	free(plain);
	char *oneline = hub_mail_subject("a\r\nBcc: x@y.z");
	cr_assert_str_eq(oneline, "a  Bcc: x@y.z");
	free(oneline);
	const char *ru = "Расшифровка вашего чата 12 с магазином «Одежда для всех» от 3 декабря";
	char *enc = hub_mail_subject(ru);
	cr_assert(!strchr(enc, '\r'));
	char *decoded = calloc(1, strlen(ru) + 1);
	int words = 0;
	for (char *line = enc; line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		cr_assert_leq(len + strlen("Subject: "), 76, "a line of %zu bytes: %.*s", len, (int)len, line);
		const char *w = line[0] == ' ' ? line + 1 : line;
		cr_assert(strncmp(w, "=?UTF-8?B?", 10) == 0, "%.*s", (int)len, line);
		cr_assert(strncmp(line + len - 2, "?=", 2) == 0);
		char *part = unbase64(w + 10, (size_t)(line + len - 2 - (w + 10)));
		/* each word decodes to whole characters: it starts with no continuation byte */
		cr_assert(((unsigned char)part[0] & 0xc0) != 0x80);
		strcat(decoded, part);
		free(part);
		words++;
		line = nl ? nl + 1 : NULL;
		if (line)
			cr_assert_eq(line[0], ' ', "a folded line starts with a space");
	}
	cr_assert_gt(words, 1);
	cr_assert_str_eq(decoded, ru);
	free(decoded);
	free(enc);
}

Test(hub_mail, a_message_has_its_headers_and_a_base64_body)
{
	struct hub_mail_msg m = { .from = "shop@example.org", .to = "irina@example.org", .subject = "Чат 12",
				  .body = "10:00 Ирина: Пришла куртка с браком\n10:01 anna: Пришлите фото\n",
				  .date_ms = 1764756000000, .id_left = "opdesk.1.ab" };
	char *cause = NULL;
	char *msg = hub_mail_build(&m, &cause);
	cr_assert(msg, "%s", cause);
	const char *order[] = { "From: shop@example.org\n", "To: irina@example.org\n", "Subject: =?UTF-8?B?",
				"Date: ", "Message-ID: <opdesk.1.ab@example.org>\n", "MIME-Version: 1.0\n",
				"Content-Type: text/plain; charset=utf-8\n", "Content-Transfer-Encoding: base64\n", "\n\n" };
	const char *at = msg;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const char *p = strstr(at, order[i]);
		cr_assert(p, "no \"%s\" after the headers before it:\n%s", order[i], msg);
		at = p;
	}
	cr_assert(strstr(msg, "Date: Wed, 3 Dec 2025 ") || strstr(msg, "Date: Thu, 4 Dec 2025 ") ||
			  strstr(msg, "Date: Tue, 2 Dec 2025 "), "%s", msg);
	const char *body = strstr(msg, "\n\n") + 2;
	for (const char *l = body; *l; l = strchr(l, '\n') + 1)
		cr_assert_leq(strcspn(l, "\n"), 76);
	char *text = unbase64(body, strlen(body));
	cr_assert_str_eq(text, m.body);
	free(text);
	free(msg);

	m.to = "irina@example.org\nBcc: all@example.org";
	cr_assert_null(hub_mail_build(&m, &cause));
	cr_assert(strstr(cause, "recipient"), "%s", cause);
	free(cause);
}

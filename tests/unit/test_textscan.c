/* test_textscan.c: order numbers, phone numbers and e-mail addresses found in customers' texts (textscan.c),
 * by the rules of docs/protocol.md ("Who the customer is"). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "opdesk/textscan.h"

struct found {
	char s[512];
};

static void collect(void *arg, enum textscan_kind kind, const char *s, size_t len)
{
	struct found *f = arg;
	static const char tag[] = { 'O', 'P', 'E' };
	size_t n = strlen(f->s);
	snprintf(f->s + n, sizeof f->s - n, "%s%c:%.*s", n ? " | " : "", tag[kind], (int)len, s);
}

static const char *scan(const char *text)
{
	static struct found f;
	f.s[0] = '\0';
	textscan(text, collect, &f);
	return f.s;
}

Test(textscan, orders_phones_and_addresses)
{
	cr_expect_str_eq(scan("Пришла куртка с браком, заказ 5120-7731"), "O:5120-7731");
	cr_expect_str_eq(scan("телефон +7 (912) 555-01-23, почта Lyuda.K@example.ru."),
			 "P:+7 (912) 555-01-23 | E:Lyuda.K@example.ru");
	cr_expect_str_eq(scan("звоните 89125550123 или 8-912-555-01-23"), "P:89125550123 | P:8-912-555-01-23");
	cr_expect_str_eq(scan("заказы 1234 и 98765, код 123"), "O:1234 | O:98765");
	cr_expect_str_eq(scan("ivan1985@mail.ru"), "E:ivan1985@mail.ru", "digits of an address are no order");
	cr_expect_str_eq(scan("не адрес: a@b, @x.ru, y@.ru, z@host.r"), "");
	cr_expect_str_eq(scan("номер 5120-7731-"), "O:5120-7731");
	cr_expect_str_eq(scan("ABC12345 и 12345678901"), "O:12345678901", "inside a word; 11 digits not from 7/8: an order");
	cr_expect_str_eq(scan("+44 20 7946 0958"), "P:+44 20 7946 0958");
	cr_expect_str_eq(scan(""), "");
	textscan(NULL, collect, NULL);
}

Test(textscan, phone_keys_are_the_digits)
{
	char k[16];
	cr_expect_eq(textscan_phone_key("+7 (912) 555-01-23", 18, k), 11);
	cr_expect_str_eq(k, "79125550123");
	textscan_phone_key("89125550123", 11, k);
	cr_expect_str_eq(k, "79125550123");
}

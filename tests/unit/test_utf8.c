/* test_utf8.c: the strict UTF-8 validator and decoder that every frame and every drawn string pass through. */
#include <criterion/criterion.h>
#include <string.h>

#include "opdesk/utf8.h"

static bool valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

Test(utf8, accepts_ascii_cyrillic_emoji_cjk_and_the_extremes)
{
	cr_assert(valid(""));
	cr_assert(valid("plain ascii"));
	cr_assert(valid("Здравствуйте, Ольга!"));
	cr_assert(valid("🚚📦 доставка 配送"));
	cr_assert(valid("e\xcc\x81"));             /* e + combining acute */
	cr_assert(valid("\xef\xbf\xbf"));          /* U+FFFF */
	cr_assert(valid("\xf4\x8f\xbf\xbf"));      /* U+10FFFF, the last code point */
	cr_assert(utf8_valid("a\0b", 3));         /* NUL is valid UTF-8; JSON checks forbid it elsewhere */
}

Test(utf8, refuses_overlongs_surrogates_truncation_and_stray_bytes)
{
	const char *bad[] = {
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong, 3 bytes */
		"\xf0\x80\x80\xaf", /* overlong, 4 bytes */
		"\xed\xa0\x80",     /* U+D800, a surrogate */
		"\xed\xbf\xbf",     /* U+DFFF */
		"\xf4\x90\x80\x80", /* U+110000 */
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\x80",             /* lone continuation */
		"\xd0",             /* truncated at the end */
		"\xd0z",            /* truncated before ASCII */
		"\xe2\x82",         /* 2 of 3 bytes */
		"\xff", "\xfe",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert(!valid(bad[i]), "#%zu accepted", i);
}

Test(utf8, decode_gives_code_points_and_replacement_for_bad_prefixes)
{
	uint32_t cp;
	cr_assert_eq(utf8_decode("Ж", 2, &cp), 2);
	cr_assert_eq(cp, 0x416);
	cr_assert_eq(utf8_decode("🚚", 4, &cp), 4);
	cr_assert_eq(cp, 0x1F69A);
	cr_assert_eq(utf8_decode("\xe2\x82z", 3, &cp), 2); /* maximal invalid prefix, then 'z' decodes alone */
	cr_assert_eq(cp, 0xFFFD);
	cr_assert_eq(utf8_decode("\xff", 1, &cp), 1);
	cr_assert_eq(cp, 0xFFFD);
	cr_assert_eq(utf8_decode("\xed\xa0\x80", 3, &cp) >= 1, true);
	cr_assert_eq(cp, 0xFFFD);
}

Test(utf8, encode_and_length_round_trip)
{
	const uint32_t cps[] = {0x41, 0x416, 0x20AC, 0x1F69A, 0x10FFFF};
	const size_t lens[] = {1, 2, 3, 4, 4};
	char buf[32];
	size_t o = 0;
	for (size_t i = 0; i < 5; i++) {
		size_t n = utf8_encode(cps[i], buf + o);
		cr_assert_eq(n, lens[i]);
		uint32_t back;
		cr_assert_eq(utf8_decode(buf + o, n, &back), n);
		cr_assert_eq(back, cps[i]);
		o += n;
	}
	cr_assert(utf8_valid(buf, o));
	cr_assert_eq(utf8_length(buf, o), 5);
	cr_assert_eq(utf8_length("Привет", strlen("Привет")), 6);
}

/* test_filecheck.c: an upload's type by its magic bytes, an image's declared dimensions against the pixel and
 * ratio limits (decompression bombs), truncated and corrupt headers, and the file-name check. */
#include <criterion/criterion.h>
#include <string.h>

#include "opdesk/filecheck.h"

static char why[256];

static int check(const unsigned char *b, size_t len, struct filecheck_info *info)
{
	why[0] = 0;
	return filecheck_content(b, len, true, info, why, sizeof why);
}

static size_t png(unsigned char *b, uint32_t w, uint32_t h)
{
	static const unsigned char head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	memcpy(b, head, sizeof head);
	unsigned char *p = b + sizeof head;
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(w >> (24 - 8 * i));
		p[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	memcpy(p + 8, "\x08\x06\x00\x00\x00", 5);
	memset(p + 13, 0, 4); /* CRC (not checked) */
	return sizeof head + 17;
}

Test(filecheck, a_png_is_told_by_its_signature_and_its_ihdr_read)
{
	unsigned char b[64];
	struct filecheck_info info;
	cr_assert_eq(check(b, png(b, 640, 480), &info), 0, "%s", why);
	cr_assert_eq(info.type, FILECHECK_PNG);
	cr_assert_eq(info.width, 640);
	cr_assert_eq(info.height, 480);
	cr_assert_str_eq(filecheck_word(info.type), "png");
	cr_assert_str_eq(filecheck_mime(info.type), "image/png");
}

Test(filecheck, a_png_bomb_over_the_pixel_limit_is_refused)
{
	unsigned char b[64];
	struct filecheck_info info;
	cr_assert_eq(check(b, png(b, 100000, 100000), &info), -1);
	cr_assert(strstr(why, "100000x100000"), "%s", why);
	cr_assert_eq(check(b, png(b, 7071, 7071), &info), 0, "%s", why); /* 49.999 MP */
	cr_assert_eq(check(b, png(b, 7072, 7071), &info), -1, "50.006 MP");
	cr_assert_eq(check(b, png(b, 20000, 100), &info), -1, "a ratio of 200 to 1");
	cr_assert(strstr(why, "ratio"), "%s", why);
	cr_assert_eq(check(b, png(b, 0, 10), &info), -1, "empty");
	cr_assert_eq(check(b, png(b, 0x80000000u, 1), &info), -1);
}

Test(filecheck, a_truncated_or_corrupt_png_header_is_refused)
{
	unsigned char b[64];
	struct filecheck_info info;
	size_t n = png(b, 10, 10);
	cr_assert_eq(check(b, 20, &info), -1);
	cr_assert(strstr(why, "truncated"), "%s", why);
	cr_assert_eq(check(b, n - 4, &info), 0, "%s", why); /* the CRC is not needed to read the size */
	cr_assert_eq(check(b, n - 5, &info), -1, "IHDR cut short");
	b[12] = 'X';
	cr_assert_eq(check(b, n, &info), -1);
	cr_assert(strstr(why, "corrupt"), "%s", why);
}

Test(filecheck, a_jpeg_sof_is_found_after_app_segments)
{
	/* SOI, APP0 (16 bytes), APP1 of 300 bytes, DQT, SOF0 with 1200x900 */
	unsigned char b[600] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0 };
	size_t i = 2 + 2 + 16;
	b[i++] = 0xFF, b[i++] = 0xE1, b[i++] = 300 >> 8, b[i++] = 300 & 0xff;
	i += 298;
	b[i++] = 0xFF, b[i++] = 0xFF, b[i++] = 0xDB, b[i++] = 0, b[i++] = 4, b[i++] = 0, b[i++] = 0; /* a fill byte too */
	size_t sof = i;
	unsigned char sof0[] = { 0xFF, 0xC2, 0, 17, 8, 900 >> 8, 900 & 0xff, 1200 >> 8, 1200 & 0xff, 3 };
	memcpy(b + i, sof0, sizeof sof0);
	i += 17 + 2;
	struct filecheck_info info;
	cr_assert_eq(check(b, i, &info), 0, "%s", why);
	cr_assert_eq(info.type, FILECHECK_JPEG);
	cr_assert_eq(info.width, 1200);
	cr_assert_eq(info.height, 900);
	cr_assert_eq(check(b, sof + 5, &info), -1, "cut inside the SOF");
	cr_assert(strstr(why, "truncated"), "%s", why);
	cr_assert_eq(filecheck_content(b, sof + 5, false, &info, why, sizeof why), -1);
	b[sof + 5] = 0xFF, b[sof + 6] = 0xFF, b[sof + 7] = 0xFF, b[sof + 8] = 0xFF; /* 65535x65535 */
	cr_assert_eq(check(b, i, &info), -1);
	cr_assert(strstr(why, "65535x65535"), "%s", why);
}

Test(filecheck, a_jpeg_whose_scan_comes_before_any_sof_is_refused)
{
	unsigned char b[] = { 0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 2, 3, 4, 5, 6 };
	struct filecheck_info info;
	cr_assert_eq(check(b, sizeof b, &info), -1);
	unsigned char c[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 1 };
	cr_assert_eq(check(c, sizeof c, &info), -1, "a segment length under 2");
	unsigned char d[] = { 0xFF, 0xD8, 0xFF };
	cr_assert_eq(check(d, sizeof d, &info), -1);
	cr_assert(strstr(why, "truncated"), "%s", why);
}

static size_t webp(unsigned char *b, const char *fourcc)
{
	memset(b, 0, 64);
	memcpy(b, "RIFF\x40\0\0\0WEBP", 12);
	memcpy(b + 12, fourcc, 4);
	b[16] = 30;
	return 64;
}

Test(filecheck, webp_lossy_lossless_and_extended_dimensions)
{
	unsigned char b[64];
	struct filecheck_info info;
	webp(b, "VP8 ");
	memcpy(b + 23, "\x9d\x01\x2a", 3);
	b[26] = 800 & 0xff, b[27] = 800 >> 8, b[28] = 600 & 0xff, b[29] = 600 >> 8;
	cr_assert_eq(check(b, 64, &info), 0, "%s", why);
	cr_assert_eq(info.type, FILECHECK_WEBP);
	cr_assert_eq(info.width, 800);
	cr_assert_eq(info.height, 600);
	b[24] = 0;
	cr_assert_eq(check(b, 64, &info), -1, "no start code");

	webp(b, "VP8L");
	b[20] = 0x2f;
	uint32_t bits = (100 - 1) | (uint32_t)(50 - 1) << 14;
	b[21] = bits & 0xff, b[22] = (bits >> 8) & 0xff, b[23] = (bits >> 16) & 0xff, b[24] = bits >> 24;
	cr_assert_eq(check(b, 64, &info), 0, "%s", why);
	cr_assert_eq(info.width, 100);
	cr_assert_eq(info.height, 50);

	webp(b, "VP8X");
	b[24] = 0xff, b[25] = 0xff, b[26] = 0xff, b[27] = 0xff, b[28] = 0xff, b[29] = 0xff; /* 16M x 16M */
	cr_assert_eq(check(b, 64, &info), -1);
	cr_assert(strstr(why, "16777216x16777216"), "%s", why);
	cr_assert_eq(check(b, 24, &info), -1);
	cr_assert(strstr(why, "truncated"), "%s", why);
	webp(b, "ALPH");
	cr_assert_eq(check(b, 64, &info), -1);
}

Test(filecheck, pdf_is_taken_and_other_types_are_refused_whatever_they_are_called)
{
	struct filecheck_info info;
	cr_assert_eq(check((const unsigned char *)"%PDF-1.7\n", 9, &info), 0);
	cr_assert_eq(info.type, FILECHECK_PDF);
	cr_assert_eq(check((const unsigned char *)"GIF89a\x01\0\x01\0", 10, &info), -1);
	cr_assert(strstr(why, "not an allowed type"), "%s", why);
	cr_assert_eq(check((const unsigned char *)"\x7f" "ELF\x02\x01\x01", 7, &info), -1);
	cr_assert_eq(check((const unsigned char *)"<svg", 4, &info), -1);
	cr_assert_eq(check((const unsigned char *)"", 0, &info), -1);
	cr_assert(strstr(why, "empty"), "%s", why);
	cr_assert_eq(filecheck_from_word("webp"), FILECHECK_WEBP);
	cr_assert_eq(filecheck_from_word("gif"), FILECHECK_NONE);
}

static int name(const char *s)
{
	why[0] = 0;
	return filecheck_name(s, strlen(s), why, sizeof why);
}

Test(filecheck, names_that_could_be_paths_or_hide_controls_are_refused)
{
	cr_assert_eq(name("photo.jpg"), 0, "%s", why);
	cr_assert_eq(name("куртка брак (2).png"), 0, "%s", why);
	cr_assert_eq(name("../x.png"), -1);
	cr_assert_eq(name(".."), -1);
	cr_assert_eq(name(".bashrc"), -1);
	cr_assert_eq(name("a/b.png"), -1);
	cr_assert(strstr(why, "slash"), "%s", why);
	cr_assert_eq(name("a\\b.png"), -1);
	cr_assert_eq(name("a\nb.png"), -1);
	cr_assert(strstr(why, "control"), "%s", why);
	cr_assert_eq(name("a\x1b[31mb.png"), -1);
	cr_assert_eq(name("a\x7f.png"), -1);
	cr_assert_eq(name("a\xc2\x9b.png"), -1, "C1 CSI");
	cr_assert_eq(name("a\xff.png"), -1);
	cr_assert(strstr(why, "UTF-8"), "%s", why);
	cr_assert_eq(name(""), -1);
	cr_assert_eq(filecheck_name("a\0b", 3, why, sizeof why), -1, "a NUL inside");
	char longname[300];
	memset(longname, 'a', 255);
	longname[255] = 0;
	cr_assert_eq(name(longname), 0);
	longname[255] = 'a', longname[256] = 0;
	cr_assert_eq(name(longname), -1);
	cr_assert(strstr(why, "255"), "%s", why);
}

Test(filecheck, sizes_read_as_people_write_them)
{
	char s[32];
	filecheck_size_text(812, s, sizeof s);
	cr_assert_str_eq(s, "812 B");
	filecheck_size_text(1234567, s, sizeof s);
	cr_assert_str_eq(s, "1.2 MB");
	filecheck_size_text(45600, s, sizeof s);
	cr_assert_str_eq(s, "45.6 KB");
}

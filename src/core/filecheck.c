/* filecheck.c: an uploaded file's type by its magic bytes, an image's declared dimensions against the pixel
 * and ratio limits, and a file name as untrusted text (see filecheck.h). */
#include "opdesk/filecheck.h"

#include <stdio.h>
#include <string.h>

#include "opdesk/utf8.h"

static const char *const type_words[] = { "", "jpeg", "png", "webp", "pdf" };
static const char *const type_mimes[] = { "application/octet-stream", "image/jpeg", "image/png", "image/webp",
					  "application/pdf" };

const char *filecheck_word(enum filecheck_type t)
{
	return type_words[t];
}

const char *filecheck_mime(enum filecheck_type t)
{
	return type_mimes[t];
}

enum filecheck_type filecheck_from_word(const char *word)
{
	for (int t = FILECHECK_JPEG; word && t <= FILECHECK_PDF; t++)
		if (strcmp(word, type_words[t]) == 0)
			return (enum filecheck_type)t;
	return FILECHECK_NONE;
}

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static int refuse(char *why, size_t n, const char *reason)
{
	snprintf(why, n, "%s", reason);
	return -1;
}

/* The dimensions against the limits. */
static int dims_check(struct filecheck_info *out, int64_t w, int64_t h, char *why, size_t n)
{
	const char *t = type_words[out->type];
	if (w <= 0 || h <= 0) {
		snprintf(why, n, "%s header declares an empty image (%lldx%lld)", t, (long long)w, (long long)h);
		return -1;
	}
	if (w * h > FILECHECK_MAX_PIXELS) {
		snprintf(why, n, "image is %lldx%lld pixels, over the limit of %lld megapixels", (long long)w,
			 (long long)h, FILECHECK_MAX_PIXELS / 1000000);
		return -1;
	}
	int64_t big = w > h ? w : h, small = w > h ? h : w;
	if (big > small * FILECHECK_MAX_RATIO) {
		snprintf(why, n, "image is %lldx%lld pixels, a ratio over %d to 1", (long long)w, (long long)h,
			 FILECHECK_MAX_RATIO);
		return -1;
	}
	out->width = w;
	out->height = h;
	return 0;
}

static int png_check(const unsigned char *b, size_t len, struct filecheck_info *out, char *why, size_t n)
{
	/* signature, then the first chunk must be IHDR of 13 bytes: width, height (big-endian), ... */
	if (len < 8 + 8 + 13)
		return refuse(why, n, "PNG header is truncated");
	if (be32(b + 8) != 13 || memcmp(b + 12, "IHDR", 4) != 0)
		return refuse(why, n, "PNG header is corrupt (no IHDR first)");
	uint32_t w = be32(b + 16), h = be32(b + 20);
	if (w > 0x7fffffffu || h > 0x7fffffffu)
		return refuse(why, n, "PNG header is corrupt (dimensions over 2^31)");
	return dims_check(out, w, h, why, n);
}

/* A SOFn marker: baseline, progressive, lossless... (not DHT C4, JPG C8, DAC CC). */
static bool jpeg_sof(unsigned char m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

static int jpeg_check(const unsigned char *b, size_t len, bool whole, struct filecheck_info *out, char *why,
		      size_t n)
{
	size_t i = 2;
	const char *cut = whole ? "JPEG header is truncated (no SOF before the end)"
				: "JPEG header is corrupt (no SOF within the first 256 KiB)";
	for (;;) {
		if (i >= len)
			return refuse(why, n, cut);
		if (b[i] != 0xFF)
			return refuse(why, n, "JPEG header is corrupt (a segment does not start with a marker)");
		while (i < len && b[i] == 0xFF)
			i++; /* fill bytes */
		if (i >= len)
			return refuse(why, n, cut);
		unsigned char m = b[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* markers without a length */
		if (m == 0xD9 || m == 0xDA || m == 0x00)
			return refuse(why, n, "JPEG header is corrupt (image data before its dimensions)");
		if (i + 2 > len)
			return refuse(why, n, cut);
		uint32_t seg = be16(b + i);
		if (seg < 2)
			return refuse(why, n, "JPEG header is corrupt (a segment length under 2)");
		if (jpeg_sof(m)) {
			if (seg < 8 || i + 7 > len)
				return refuse(why, n, seg < 8 ? "JPEG header is corrupt (a short SOF)" : cut);
			/* length, precision, height, width */
			return dims_check(out, be16(b + i + 5), be16(b + i + 3), why, n);
		}
		i += seg;
	}
}

static int webp_check(const unsigned char *b, size_t len, struct filecheck_info *out, char *why, size_t n)
{
	if (len < 20)
		return refuse(why, n, "WebP header is truncated");
	const unsigned char *d = b + 20;
	size_t have = len - 20;
	if (memcmp(b + 12, "VP8 ", 4) == 0) {
		/* a frame tag of 3 bytes, the start code 9d 01 2a, then 14-bit width and height */
		if (have < 10)
			return refuse(why, n, "WebP header is truncated");
		if (d[3] != 0x9d || d[4] != 0x01 || d[5] != 0x2a)
			return refuse(why, n, "WebP header is corrupt (no VP8 start code)");
		return dims_check(out, (d[6] | d[7] << 8) & 0x3fff, (d[8] | d[9] << 8) & 0x3fff, why, n);
	}
	if (memcmp(b + 12, "VP8L", 4) == 0) {
		if (have < 5)
			return refuse(why, n, "WebP header is truncated");
		if (d[0] != 0x2f)
			return refuse(why, n, "WebP header is corrupt (no VP8L signature)");
		uint32_t bits = (uint32_t)d[1] | (uint32_t)d[2] << 8 | (uint32_t)d[3] << 16 | (uint32_t)d[4] << 24;
		return dims_check(out, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, why, n);
	}
	if (memcmp(b + 12, "VP8X", 4) == 0) {
		if (have < 10)
			return refuse(why, n, "WebP header is truncated");
		return dims_check(out, (int64_t)le24(d + 4) + 1, (int64_t)le24(d + 7) + 1, why, n);
	}
	return refuse(why, n, "WebP header is corrupt (no VP8, VP8L or VP8X chunk first)");
}

int filecheck_content(const unsigned char *buf, size_t len, bool whole, struct filecheck_info *out, char *why,
		      size_t n)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	memset(out, 0, sizeof *out);
	if (len >= 8 && memcmp(buf, png_sig, 8) == 0) {
		out->type = FILECHECK_PNG;
		return png_check(buf, len, out, why, n);
	}
	if (len >= 3 && buf[0] == 0xFF && buf[1] == 0xD8 && buf[2] == 0xFF) {
		out->type = FILECHECK_JPEG;
		return jpeg_check(buf, len, whole, out, why, n);
	}
	if (len >= 12 && memcmp(buf, "RIFF", 4) == 0 && memcmp(buf + 8, "WEBP", 4) == 0) {
		out->type = FILECHECK_WEBP;
		return webp_check(buf, len, out, why, n);
	}
	if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0) {
		out->type = FILECHECK_PDF;
		return 0;
	}
	out->type = FILECHECK_NONE;
	return refuse(why, n, len ? "not an allowed type: only JPEG, PNG, WebP and PDF files are taken"
				  : "the file is empty");
}

int filecheck_name(const char *name, size_t len, char *why, size_t n)
{
	if (len == 0)
		return refuse(why, n, "the file name is empty");
	if (len > FILECHECK_MAX_NAME)
		return refuse(why, n, "the file name is over 255 bytes");
	if (!utf8_valid(name, len))
		return refuse(why, n, "the file name is not valid UTF-8");
	if (name[0] == '.')
		return refuse(why, n, "the file name starts with a dot (\".\", \"..\" or a hidden file)");
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_decode(name + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return refuse(why, n, "the file name holds a control character");
		if (cp == '/' || cp == '\\')
			return refuse(why, n, "the file name holds a slash (it is a name, not a path)");
		i += k;
	}
	return 0;
}

void filecheck_size_text(int64_t bytes, char *out, size_t n)
{
	if (bytes < 1000)
		snprintf(out, n, "%lld B", (long long)bytes);
	else if (bytes < 1000000)
		snprintf(out, n, "%.1f KB", (double)bytes / 1e3);
	else if (bytes < 1000000000)
		snprintf(out, n, "%.1f MB", (double)bytes / 1e6);
	else
		snprintf(out, n, "%.1f GB", (double)bytes / 1e9);
}

/* filecheck.h: what an uploaded file may be (docs/protocol.md, "Files"): its type told by its first bytes
 * (JPEG, PNG, WebP, PDF; a declared type or extension is never looked at), an image's declared dimensions
 * checked against a pixel limit (a decompression bomb is refused before anyone decodes it), and its name
 * checked as untrusted text that is never a path. */
#ifndef OPDESK_FILECHECK_H
#define OPDESK_FILECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum filecheck_type { FILECHECK_NONE, FILECHECK_JPEG, FILECHECK_PNG, FILECHECK_WEBP, FILECHECK_PDF };

#define FILECHECK_HEAD 262144 /* bytes of a file's start the checker reads (a JPEG's SOFn may follow EXIF and ICC) */
#define FILECHECK_MAX_PIXELS 50000000LL /* 50 megapixels */
#define FILECHECK_MAX_RATIO 100         /* a side at most 100 times the other */
#define FILECHECK_MAX_NAME 255          /* bytes of a file's name */

struct filecheck_info {
	enum filecheck_type type;
	int64_t width, height; /* images: the declared dimensions; 0 for a PDF */
};

/* Tell the type of a file from its first `len` bytes (all of it if shorter than FILECHECK_HEAD; `whole`:
 * these are all its bytes). 0 and *out filled, or -1 with a one-line reason in why[n] ("not an allowed
 * type (JPEG, PNG, WebP or PDF)", "PNG header is truncated", "image is 100000x100000 pixels, over ..."). */
int filecheck_content(const unsigned char *buf, size_t len, bool whole, struct filecheck_info *out, char *why,
		      size_t n);
/* A file's name as given by a peer: 1..255 bytes of valid UTF-8, no control characters (C0, DEL, C1), no
 * '/' or '\\', not "." or "..", no leading '.' (nothing hidden). 0, or -1 with a reason in why[n]. */
int filecheck_name(const char *name, size_t len, char *why, size_t n);
/* The type's word on the wire ("jpeg", "png", "webp", "pdf"), its MIME type and its usual extension. */
const char *filecheck_word(enum filecheck_type t);
const char *filecheck_mime(enum filecheck_type t);
enum filecheck_type filecheck_from_word(const char *word);
/* A size for people: "812 B", "1.2 KB", "3.4 MB" (decimal units, one decimal). */
void filecheck_size_text(int64_t bytes, char *out, size_t n);

#endif

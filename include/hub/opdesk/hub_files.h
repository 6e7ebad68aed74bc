/* hub_files.h: the hub's store of uploaded files (docs/protocol.md, "Files"; docs/hub.md, "Files"): a folder
 * beside the database holding each file under its SHA-256; an upload streams into a temporary file there, is
 * checked by content (filecheck) and renamed to its hash, or removed; signed links (HMAC-SHA256 with a key made
 * at start) and one-time upload tickets for operators. */
#ifndef OPDESK_HUB_FILES_H
#define OPDESK_HUB_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opdesk/filecheck.h"

#define HUB_DEFAULT_MAX_UPLOAD (10 * 1000 * 1000) /* bytes */
#define HUB_DEFAULT_LINK_TTL_S 600
#define HUB_FILE_HASH_HEX 64

struct hub_files;
struct hub_files_up; /* one upload being received */

/* Open (creating, mode 0700) the folder `dir`; removes temporary files a crash left. NULL with *cause. */
struct hub_files *hub_files_open(const char *dir, int64_t max_bytes, int64_t link_ttl_ms, char **cause);
void hub_files_free(struct hub_files *f);
const char *hub_files_dir(const struct hub_files *f);
int64_t hub_files_max(const struct hub_files *f);
int64_t hub_files_link_ttl_ms(const struct hub_files *f);

/* Start an upload: a temporary file in the folder. NULL on failure (why: a sentence). */
struct hub_files_up *hub_files_begin(struct hub_files *f, char *why, size_t n);
/* Append a piece: 0, or an HTTP status with why: 413 over the limit, 507 a write failed. */
int hub_files_write(struct hub_files_up *u, const void *buf, size_t len, char *why, size_t n);
/* All of it came: check it by content, fsync and rename it to its hash (kept once). 0 with *info, hash[65] and
 * *size, or an HTTP status (415, 422, 507) and why; the temporary file is gone either way, and `u` freed. */
int hub_files_finish(struct hub_files_up *u, struct filecheck_info *info, char hash[HUB_FILE_HASH_HEX + 1],
		     int64_t *size, char *why, size_t n);
/* Give up: the temporary file is removed and `u` freed (needs nothing else of the store). */
void hub_files_abort(struct hub_files_up *u);

/* The path of a stored file (heap), or NULL when `hash` is not 64 lowercase hex digits. */
char *hub_files_path(const struct hub_files *f, const char *hash);

/* A signed link's path "/f/HASH?dialog=N&exp=MS&sig=HEX" (heap), valid until `exp`. */
char *hub_files_link(const struct hub_files *f, const char *hash, int64_t dialog, int64_t exp);
/* Check a link's parts: 0, or -1 with why ("the link was tampered with", "the link expired"). */
int hub_files_link_check(const struct hub_files *f, const char *hash, int64_t dialog, int64_t exp,
			 const char *sig, int64_t now, char *why, size_t n);

/* One-time upload tickets: an operator's, for one dialog, until `exp`. */
char *hub_files_ticket_new(struct hub_files *f, int64_t dialog, int64_t operator_id, int64_t exp);
/* Take (and forget) a ticket for `dialog`: true with *operator_id when it is one and not expired. */
bool hub_files_ticket_take(struct hub_files *f, const char *ticket, int64_t dialog, int64_t now,
			   int64_t *operator_id);

#endif

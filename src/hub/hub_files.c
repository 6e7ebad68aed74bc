/* hub_files.c: the store of uploaded files: temporary file, SHA-256 while it streams, the content check,
 * fsync and rename to the hash; signed links and one-time upload tickets (see hub_files.h). */
#include "opdesk/hub_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define TMP_PREFIX ".up-"
#define KEY_BYTES 32

struct ticket {
	char id[33];
	int64_t dialog, operator_id, exp;
};

struct hub_files {
	char *dir;
	int64_t max, ttl_ms;
	unsigned char key[KEY_BYTES];
	struct ticket *tickets;
	size_t n_tickets, cap_tickets;
};

struct hub_files_up {
	char *tmp;     /* the temporary file's path */
	char *dir;
	int fd;
	int64_t max, size;
	EVP_MD_CTX *md;
	unsigned char *head; /* the first FILECHECK_HEAD bytes, for the content check */
	size_t n_head;
};

static void hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* Temporary files of uploads a crash cut short. */
static void sweep(const char *dir)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0 && unlinkat(dirfd(d), e->d_name, 0) == 0)
			log_info("removed %s/%s, an upload cut short", dir, e->d_name);
	if (d)
		closedir(d);
}

struct hub_files *hub_files_open(const char *dir, int64_t max_bytes, int64_t link_ttl_ms, char **cause)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create the files folder %s: %s", dir, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("the files folder %s is not a folder", dir);
		return NULL;
	}
	struct hub_files *f = xcalloc(1, sizeof *f);
	if (getrandom(f->key, sizeof f->key, 0) != (ssize_t)sizeof f->key) {
		*cause = xasprintf("no randomness for the links' key: %s", strerror(errno));
		free(f);
		return NULL;
	}
	f->dir = xstrdup(dir);
	f->max = max_bytes;
	f->ttl_ms = link_ttl_ms;
	sweep(dir);
	return f;
}

void hub_files_free(struct hub_files *f)
{
	if (!f)
		return;
	OPENSSL_cleanse(f->key, sizeof f->key);
	free(f->tickets);
	free(f->dir);
	free(f);
}

const char *hub_files_dir(const struct hub_files *f)
{
	return f->dir;
}

int64_t hub_files_max(const struct hub_files *f)
{
	return f->max;
}

int64_t hub_files_link_ttl_ms(const struct hub_files *f)
{
	return f->ttl_ms;
}

struct hub_files_up *hub_files_begin(struct hub_files *f, char *why, size_t n)
{
	struct hub_files_up *u = xcalloc(1, sizeof *u);
	u->tmp = xasprintf("%s/" TMP_PREFIX "XXXXXX", f->dir);
	u->fd = mkostemp(u->tmp, O_CLOEXEC);
	u->md = EVP_MD_CTX_new();
	if (u->fd < 0 || !u->md || EVP_DigestInit_ex(u->md, EVP_sha256(), NULL) != 1) {
		snprintf(why, n, "cannot store the file: %s", u->fd < 0 ? strerror(errno) : "no SHA-256");
		hub_files_abort(u);
		return NULL;
	}
	u->dir = xstrdup(f->dir);
	u->max = f->max;
	u->head = xmalloc(FILECHECK_HEAD);
	return u;
}

int hub_files_write(struct hub_files_up *u, const void *buf, size_t len, char *why, size_t n)
{
	if (u->size + (int64_t)len > u->max) {
		snprintf(why, n, "the file is over the limit of %lld bytes", (long long)u->max);
		return 413;
	}
	if (u->n_head < FILECHECK_HEAD) {
		size_t k = FILECHECK_HEAD - u->n_head < len ? FILECHECK_HEAD - u->n_head : len;
		memcpy(u->head + u->n_head, buf, k);
		u->n_head += k;
	}
	EVP_DigestUpdate(u->md, buf, len);
	for (const char *p = buf; len;) {
		ssize_t w = write(u->fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(why, n, "cannot store the file: %s", w < 0 ? strerror(errno) : "short write");
			return 507;
		}
		p += w;
		len -= (size_t)w;
		u->size += w;
	}
	return 0;
}

void hub_files_abort(struct hub_files_up *u)
{
	if (!u)
		return;
	if (u->fd >= 0) {
		close(u->fd);
		unlink(u->tmp);
	}
	EVP_MD_CTX_free(u->md);
	free(u->head);
	free(u->tmp);
	free(u->dir);
	free(u);
}

static int dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 ? fsync(fd) : -1;
	if (fd >= 0)
		close(fd);
	return rc;
}

int hub_files_finish(struct hub_files_up *u, struct filecheck_info *info, char hash[HUB_FILE_HASH_HEX + 1],
		     int64_t *size, char *why, size_t n)
{
	int status = 0;
	if (filecheck_content(u->head, u->n_head, u->n_head < FILECHECK_HEAD, info, why, n) != 0)
		status = info->type == FILECHECK_NONE ? 415 : 422;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!status && (EVP_DigestFinal_ex(u->md, md, &mdlen) != 1 || mdlen != 32)) {
		snprintf(why, n, "cannot store the file: no SHA-256");
		status = 507;
	}
	if (!status && fsync(u->fd) != 0) {
		snprintf(why, n, "cannot store the file: %s", strerror(errno));
		status = 507;
	}
	char *path = NULL;
	if (!status) {
		hex(md, 32, hash);
		path = xasprintf("%s/%s", u->dir, hash);
		/* the same bytes twice are kept once: the first copy stays */
		if (access(path, F_OK) != 0 && (rename(u->tmp, path) != 0 || dir_sync(u->dir) != 0)) {
			snprintf(why, n, "cannot store the file: %s", strerror(errno));
			status = 507;
		}
	}
	*size = u->size;
	free(path);
	hub_files_abort(u); /* removes the temporary file unless it was renamed */
	return status;
}

static bool is_hash(const char *s)
{
	size_t i = 0;
	for (; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == HUB_FILE_HASH_HEX;
}

char *hub_files_path(const struct hub_files *f, const char *hash)
{
	return is_hash(hash) ? xasprintf("%s/%s", f->dir, hash) : NULL;
}

static void link_sig(const struct hub_files *f, const char *hash, int64_t dialog, int64_t exp, char out[65])
{
	char msg[160];
	int len = snprintf(msg, sizeof msg, "%s dialog %lld exp %lld", hash, (long long)dialog, (long long)exp);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	HMAC(EVP_sha256(), f->key, sizeof f->key, (const unsigned char *)msg, (size_t)len, mac, &maclen);
	hex(mac, 32, out);
}

char *hub_files_link(const struct hub_files *f, const char *hash, int64_t dialog, int64_t exp)
{
	char sig[65];
	link_sig(f, hash, dialog, exp, sig);
	return xasprintf("/f/%s?dialog=%lld&exp=%lld&sig=%s", hash, (long long)dialog, (long long)exp, sig);
}

int hub_files_link_check(const struct hub_files *f, const char *hash, int64_t dialog, int64_t exp,
			 const char *sig, int64_t now, char *why, size_t n)
{
	char want[65];
	if (!is_hash(hash) || !sig || strlen(sig) != 64) {
		snprintf(why, n, "the link was tampered with");
		return -1;
	}
	link_sig(f, hash, dialog, exp, want);
	if (CRYPTO_memcmp(want, sig, 64) != 0) {
		snprintf(why, n, "the link was tampered with");
		return -1;
	}
	if (now >= exp) {
		snprintf(why, n, "the link expired; ask for a new one");
		return -1;
	}
	return 0;
}

char *hub_files_ticket_new(struct hub_files *f, int64_t dialog, int64_t operator_id, int64_t exp)
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return NULL;
	/* forget the expired ones */
	size_t k = 0;
	for (size_t i = 0; i < f->n_tickets; i++)
		if (f->tickets[i].exp > exp - f->ttl_ms)
			f->tickets[k++] = f->tickets[i];
	f->n_tickets = k;
	f->tickets = xgrow(f->tickets, &f->cap_tickets, f->n_tickets + 1, sizeof *f->tickets);
	struct ticket *t = &f->tickets[f->n_tickets++];
	hex(raw, sizeof raw, t->id);
	t->dialog = dialog;
	t->operator_id = operator_id;
	t->exp = exp;
	return xstrdup(t->id);
}

bool hub_files_ticket_take(struct hub_files *f, const char *ticket, int64_t dialog, int64_t now,
			   int64_t *operator_id)
{
	for (size_t i = 0; ticket && i < f->n_tickets; i++) {
		struct ticket *t = &f->tickets[i];
		if (strlen(ticket) != 32 || CRYPTO_memcmp(t->id, ticket, 32) != 0)
			continue;
		bool ok = t->dialog == dialog && now < t->exp;
		*operator_id = t->operator_id;
		if (ok)
			f->tickets[i] = f->tickets[--f->n_tickets];
		return ok;
	}
	return false;
}

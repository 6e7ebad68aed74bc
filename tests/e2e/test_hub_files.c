/* test_hub_files.c: files over HTTP against the real hub (docs/protocol.md, "Files"). A customer's PNG is
 * stored once by its SHA-256 and reaches the operator as a `file` message; every bad upload (over the size
 * limit, a wrong type, a decompression bomb, a truncated header, a name with "../" or a control character, no
 * token, a wrong token, a closed chat) is refused with its status and reason, and afterwards neither the
 * store folder nor its parent holds anything new. A signed link works until it expires and not when tampered
 * with; an operator's upload ticket sends a file to the customer, once. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"

TestSuite(hub_files, .init = e2e_setup, .fini = e2e_teardown, .timeout = 120);

struct chat {
	struct e2e_hub *h;
	struct e2e_ws *anna, *cust;
	long long dialog;
	const char *token;
};

static struct chat open_chat(const char *const extra[])
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct chat c = {.h = e2e_hub_start(users, extra)};
	c.anna = ws_connect_ok(c.h->port, "opdesk.agent.v1");
	ws_hello(c.anna, "anna", "s3cret-anna");
	c.dialog = ws_web_chat(c.h->port, c.anna, "Ирина", "Пришла куртка с браком", &c.cust, &c.token);
	return c;
}

/* A PNG of w x h pixels as far as its header says (the image data is not needed to tell). */
static size_t png(unsigned char *b, unsigned w, unsigned h)
{
	static const unsigned char head[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	memcpy(b, head, sizeof head);
	unsigned char *p = b + sizeof head;
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(w >> (24 - 8 * i));
		p[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	memcpy(p + 8, "\x08\x06\x00\x00\x00\x1f\x15\xc4\x89", 9);
	memcpy(p + 17, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
	return sizeof head + 29;
}

/* POST /upload: the raw answer. `name` is sent as X-Filename as given (NULL: none); `token` NULL: none. */
static char *upload(int port, const char *query, const char *token, const char *name, const void *body,
		    size_t len)
{
	char *head = e2e_strf("POST /upload%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s%s%s"
			      "Content-Type: image/png\r\nContent-Length: %zu\r\n\r\n",
			      query, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "",
			      name ? e2e_strf("X-Filename: %s\r\n", name) : "", "", len);
	size_t hl = strlen(head);
	char *req = e2e_own(malloc(hl + len));
	memcpy(req, head, hl);
	memcpy(req + hl, body, len);
	return e2e_http_raw(port, req, hl + len, E2E_WAIT_MS);
}

static void expect_status(const char *answer, const char *status, const char *reason)
{
	cr_assert(strncmp(answer, "HTTP/1.1 ", 9) == 0 && strncmp(answer + 9, status, 3) == 0,
		  "want %s (%s), got: %.300s", status, reason, answer);
	const char *body = strstr(answer, "\r\n\r\n");
	cr_assert(body && strstr(body, reason), "want the reason \"%s\", got: %.300s", reason, answer);
}

/* The names in a folder, sorted, one a line. */
static char *listing(const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	cr_assert(n >= 0, "scandir %s", dir);
	char *out = e2e_strf("%s", "");
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, ".."))
			out = e2e_strf("%s%s\n", out, v[i]->d_name);
		free(v[i]);
	}
	free(v);
	return out;
}

E2E_TEST(hub_files, a_customers_png_is_stored_once_by_its_hash_and_reaches_the_operator)
{
	struct chat c = open_chat(NULL);
	unsigned char b[128];
	size_t n = png(b, 640, 480);
	const char *q = e2e_strf("?dialog=%lld", c.dialog);
	char *a = upload(c.h->port, q, c.token, "%D0%BA%D1%83%D1%80%D1%82%D0%BA%D0%B0.png", b, n);
	expect_status(a, "201", "\"type\":\"png\"");
	cr_assert(strstr(a, "\"name\":\"куртка.png\""), "%s", a);
	json_t *m = ws_expect_type(c.anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(c.anna));
	cr_assert_str_eq(e2e_json_str(m, "kind"), "file");
	cr_assert_str_eq(e2e_json_str(m, "sender"), "customer");
	cr_assert_str_eq(e2e_json_str(m, "text"), "📎 куртка.png (45 B)");
	json_t *args = json_object_get(m, "args");
	cr_assert_str_eq(e2e_json_str(args, "filename"), "куртка.png");
	cr_assert_str_eq(e2e_json_str(args, "type"), "png");
	cr_assert_eq(e2e_json_int(args, "size", 0), (long long)n);
	const char *hash = e2e_strf("%s", e2e_json_str(args, "file"));
	cr_assert_eq(strlen(hash), 64, "%s", hash);
	const char *files = e2e_path("files");
	struct stat st;
	cr_assert(stat(e2e_strf("%s/%s", files, hash), &st) == 0 && st.st_size == (off_t)n, "stored under its hash");

	/* the same bytes again, under another name: one copy in the store, a second message */
	a = upload(c.h->port, q, c.token, "again.png", b, n);
	expect_status(a, "201", hash);
	cr_assert_str_eq(listing(files), e2e_strf("%s\n", hash));
	cr_assert(ws_expect_type(c.anna, "message", E2E_WAIT_MS));

	/* the customer reads it back with the token; with another token it is not there */
	const char *get = e2e_strf("GET /file?dialog=%lld&id=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
				   "Authorization: Bearer %%s\r\n\r\n", c.dialog, hash);
	char *g = e2e_http_raw(c.h->port, e2e_strf(get, c.token), strlen(e2e_strf(get, c.token)), E2E_WAIT_MS);
	cr_assert(strncmp(g, "HTTP/1.1 200", 12) == 0, "%.300s", g);
	cr_assert(strcasestr(g, "content-type: image/png"), "%.400s", g);
	cr_assert(strcasestr(g, "content-disposition: attachment; filename*=UTF-8''%D0%BA"), "%.400s", g);
	const char *body = strstr(g, "\r\n\r\n") + 4;
	cr_assert(memcmp(body, b, n) == 0, "the same bytes");
	const char *other = e2e_strf(get, "ffffffffffffffffffffffffffffffff");
	cr_assert(strncmp(e2e_http_raw(c.h->port, other, strlen(other), E2E_WAIT_MS), "HTTP/1.1 404", 12) == 0);

	/* a shop's page on another origin may upload and read: the preflight is answered, and so is the upload */
	const char *pre = "OPTIONS /upload?dialog=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: https://shop.example\r\n"
			  "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, x-filename\r\n\r\n";
	char *p = e2e_http_raw(c.h->port, pre, strlen(pre), E2E_WAIT_MS);
	cr_assert(strncmp(p, "HTTP/1.1 204", 12) == 0, "%.300s", p);
	cr_assert(strcasestr(p, "access-control-allow-origin: *"), "%.500s", p);
	cr_assert(strcasestr(p, "access-control-allow-headers: authorization, x-filename"), "%.500s", p);
	cr_assert(strcasestr(g, "access-control-allow-origin: *"), "%.500s", g);
	cr_assert(!strcasestr(e2e_http_get(c.h->port, "/health"), "access-control"), "only the files' paths");

	/* counted: /metrics since the start, the report for the period */
	char *metrics = e2e_http_get(c.h->port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_uploads_total 2"), "%s", metrics);
	char *argv[] = {e2e_bin("opdesk-hub"), "report", "--db", c.h->db, "--since", "2000-01-01", NULL};
	struct e2e_proc *r = e2e_run("opdesk-hub", argv, NULL, E2E_WAIT_MS);
	cr_assert(WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0);
	char *out = e2e_slurp(r->out_path, NULL);
	cr_assert(out && strstr(out, "files: 2 (2 from customers, 0 from operators), 90 B"), "%s", out);
}

/* An operator's file_link: the signed path, fetched; then the same path with a changed signature, dialog or
 * expiry. */
static const char *file_link(struct chat *c, const char *hash)
{
	ws_sendf(c->anna, "{\"type\":\"file_link\",\"dialog\":%lld,\"file\":\"%s\"}", c->dialog, hash);
	json_t *l = ws_expect_type(c->anna, "file_link", E2E_WAIT_MS);
	cr_assert(l, "%s", ws_skipped(c->anna));
	cr_assert_str_eq(e2e_json_str(l, "file"), hash);
	return e2e_strf("%s", e2e_json_str(l, "path"));
}

static char *get(int port, const char *path)
{
	return e2e_http_get(port, path);
}

/* A customer's file: its hash. */
static const char *customer_png(struct chat *c, unsigned char *b, size_t *n)
{
	*n = png(b, 32, 32);
	char *a = upload(c->h->port, e2e_strf("?dialog=%lld", c->dialog), c->token, "photo.png", b, *n);
	expect_status(a, "201", "photo.png");
	json_t *m = ws_expect_type(c->anna, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(c->anna));
	return e2e_strf("%s", e2e_json_str(json_object_get(m, "args"), "file"));
}

E2E_TEST(hub_files, a_signed_link_serves_the_file_and_refuses_a_tampered_one)
{
	struct chat c = open_chat(NULL);
	unsigned char b[128];
	size_t n;
	const char *hash = customer_png(&c, b, &n);
	const char *path = file_link(&c, hash);
	cr_assert(strncmp(path, e2e_strf("/f/%s?dialog=%lld&exp=", hash, c.dialog), 3 + 64 + 8) == 0, "%s", path);
	char *a = get(c.h->port, path);
	cr_assert(strncmp(a, "HTTP/1.1 200", 12) == 0, "%.300s", a);
	cr_assert(memcmp(strstr(a, "\r\n\r\n") + 4, b, n) == 0, "the same bytes");
	/* one hex digit of the signature changed; the dialog changed; the expiry moved */
	char *t = e2e_strf("%s", path);
	char *sig = strstr(t, "sig=") + 4;
	sig[0] = sig[0] == '0' ? '1' : '0';
	expect_status(get(c.h->port, t), "403", "tampered");
	expect_status(get(c.h->port, e2e_strf("/f/%s?dialog=%lld%s", hash, c.dialog + 1, strstr(path, "&exp="))), "403",
		      "tampered");
	t = e2e_strf("%s", path);
	char *exp = strstr(t, "exp=") + 4;
	exp[0] = exp[0] == '9' ? '8' : (char)(exp[0] + 1);
	expect_status(get(c.h->port, t), "403", "tampered");
	/* a file that is not the dialog's gets no link */
	ws_sendf(c.anna, "{\"type\":\"file_link\",\"dialog\":%lld,\"file\":\"%064d\"}", c.dialog, 0);
	cr_assert(ws_expect_error(c.anna, "no_such_dialog", "a file not in the dialog"));
}

E2E_TEST(hub_files, a_link_refused_once_expired)
{
	const char *extra[] = {"--link-ttl", "0", NULL}; /* every link is expired when made */
	struct chat c = open_chat(extra);
	unsigned char b[128];
	size_t n;
	const char *hash = customer_png(&c, b, &n);
	expect_status(get(c.h->port, file_link(&c, hash)), "403", "expired");
}

E2E_TEST(hub_files, an_operator_sends_a_file_with_a_one_time_ticket)
{
	struct chat c = open_chat(NULL);
	ws_sendf(c.anna, "{\"type\":\"upload_ticket\",\"dialog\":%lld}", c.dialog);
	json_t *t = ws_expect_type(c.anna, "upload_ticket", E2E_WAIT_MS);
	cr_assert(t, "%s", ws_skipped(c.anna));
	const char *ticket = e2e_strf("%s", e2e_json_str(t, "ticket"));
	const char *q = e2e_strf("?dialog=%lld", c.dialog);
	static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
	expect_status(upload(c.h->port, q, ticket, "label.pdf", pdf, sizeof pdf - 1), "201", "\"type\":\"pdf\"");
	json_t *m = ws_expect_type(c.cust, "message", E2E_WAIT_MS);
	while (m && !json_object_get(m, "file"))
		m = ws_expect_type(c.cust, "message", E2E_WAIT_MS);
	cr_assert(m, "%s", ws_skipped(c.cust));
	cr_assert_str_eq(e2e_json_str(m, "sender"), "operator");
	cr_assert_str_eq(e2e_json_str(m, "author"), "anna");
	cr_assert(!json_object_get(m, "kind"), "customers get no kind");
	json_t *f = json_object_get(m, "file");
	cr_assert_str_eq(e2e_json_str(f, "name"), "label.pdf");
	cr_assert_str_eq(e2e_json_str(f, "type"), "pdf");
	cr_assert_eq(e2e_json_int(f, "size", 0), (long long)sizeof pdf - 1);
	/* the customer downloads it with the chat's token */
	const char *req = e2e_strf("GET /file?dialog=%lld&id=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
				   "Authorization: Bearer %s\r\n\r\n", c.dialog, e2e_json_str(f, "id"), c.token);
	char *g = e2e_http_raw(c.h->port, req, strlen(req), E2E_WAIT_MS);
	cr_assert(strstr(g, "%PDF-1.4"), "%.300s", g);
	/* the ticket was for one upload */
	expect_status(upload(c.h->port, q, ticket, "label.pdf", pdf, sizeof pdf - 1), "401", "not this chat's");
}

E2E_TEST(hub_files, every_bad_upload_is_refused_and_nothing_new_lands_beside_the_store)
{
	const char *extra[] = {"--max-upload", "1000", NULL};
	struct chat c = open_chat(extra);
	int port = c.h->port;
	const char *q = e2e_strf("?dialog=%lld", c.dialog);
	const char *files = e2e_path("files");
	cr_assert(e2e_hub_log_wait(c.h, "opened", E2E_WAIT_MS) || true);
	char *parent_before = listing(e2e_dir()), *files_before = listing(files);
	unsigned char b[2048];
	size_t n = png(b, 16, 16);

	/* oversize: answered from the Content-Length alone, before the body */
	char *head = e2e_strf("POST /upload%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Filename: big.png\r\n"
			      "Content-Length: 5000\r\n\r\n", q, c.token);
	expect_status(e2e_http_raw(port, head, strlen(head), E2E_WAIT_MS), "413", "over the limit of 1000 bytes");
	/* a wrong type, whatever it is called */
	expect_status(upload(port, q, c.token, "photo.png", "GIF89a\x01\0\x01\0\0\0\0;", 14), "415",
		      "not an allowed type");
	expect_status(upload(port, q, c.token, "photo.jpg", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16), "415",
		      "not an allowed type");
	/* a decompression bomb, and a header cut short */
	size_t bomb = png(b, 100000, 100000);
	expect_status(upload(port, q, c.token, "bomb.png", b, bomb), "422", "100000x100000 pixels");
	png(b, 16, 16);
	expect_status(upload(port, q, c.token, "cut.png", b, 20), "422", "PNG header is truncated");
	/* names */
	expect_status(upload(port, q, c.token, "..%2Fx.png", b, n), "400", "starts with a dot");
	expect_status(upload(port, q, c.token, "a%2F..%2Fx.png", b, n), "400", "slash");
	expect_status(upload(port, q, c.token, "x%1B%5B31m.png", b, n), "400", "control character");
	expect_status(upload(port, q, c.token, NULL, b, n), "400", "no file name");
	/* tokens */
	expect_status(upload(port, q, NULL, "x.png", b, n), "401", "no token");
	expect_status(upload(port, q, "00000000000000000000000000000000", "x.png", b, n), "401", "not this chat's");
	expect_status(upload(port, e2e_strf("?dialog=%lld", c.dialog + 100), c.token, "x.png", b, n), "401",
		      "not this chat's");
	expect_status(upload(port, "", c.token, "x.png", b, n), "400", "no dialog");
	/* a closed chat */
	ws_sendf(c.anna, "{\"type\":\"close\",\"dialog\":%lld,\"topic\":\"order\"}", c.dialog);
	cr_assert(ws_expect_type(c.anna, "closed", E2E_WAIT_MS), "%s", ws_skipped(c.anna));
	expect_status(upload(port, q, c.token, "x.png", b, n), "409", "the chat is closed");

	cr_assert_str_eq(listing(files), files_before, "the store holds nothing new");
	cr_assert_str_eq(listing(e2e_dir()), parent_before, "nothing new beside the store");
	char *metrics = e2e_http_get(port, "/metrics");
	cr_assert(strstr(metrics, "opdesk_uploads_refused_total{reason=\"type\"} 2"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_uploads_refused_total{reason=\"header\"} 2"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_uploads_refused_total{reason=\"token\"} 3"), "%s", metrics);
	cr_assert(strstr(metrics, "opdesk_uploads_total 0"), "%s", metrics);
}

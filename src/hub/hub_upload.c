/* hub_upload.c: files over HTTP (docs/protocol.md, "Files"): POST /upload with a chat's token or an
 * operator's ticket, streamed into the store (hub_files) and stored as a `file` message; GET /file for the
 * customer, GET /f/ for a signed link; and the agent's file_link and upload_ticket requests. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "hub_upload.h"
#include "opdesk/filecheck.h"
#include "opdesk/hub_files.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

struct hub_upload {
	struct hub_files_up *up;
	int64_t dialog;
	int64_t operator_id; /* 0: the customer */
	char *name;
};

static void upload_free(struct hub_upload *u)
{
	hub_files_abort(u->up);
	free(u->name);
	free(u);
}

static int refusal_index(int status)
{
	switch (status) {
	case 400: return 0;
	case 401: return 1;
	case 409: return 2;
	case 411: case 413: return 3;
	case 415: return 4;
	case 422: return 5;
	default: return -1;
	}
}

/* Answer a refusal (4xx, 5xx) with its one-line reason, counted and logged. */
static bool refuse(struct hub *h, struct hub_http_answer *a, int status, const char *peer, const char *why)
{
	int i = refusal_index(status);
	if (i >= 0)
		h->uploads_refused[i]++;
	log_warn("refusing an upload from %s: %d %s", peer ? peer : "?", status, why);
	a->status = status;
	a->body = xasprintf("%s\n", why);
	a->type = NULL;
	return true;
}

/* The value of `key` in a query "a=1&b=2" (heap), or NULL. */
static char *query_arg(const char *query, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = query; p && *p;) {
		const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
		if ((size_t)(end - p) > k && strncmp(p, key, k) == 0 && p[k] == '=')
			return xstrndup(p + k + 1, (size_t)(end - p - (ptrdiff_t)k - 1));
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

static int64_t query_int(const char *query, const char *key)
{
	char *v = query_arg(query, key), *end = NULL;
	long long n = v && *v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || *end || n <= 0)
		n = 0;
	free(v);
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode `s` (heap, *len its bytes: it may hold a NUL), or NULL on a bad escape. */
static char *percent_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
		int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
		if (lo < 0) {
			free(out);
			return NULL;
		}
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	out[o] = 0;
	*len = o;
	return out;
}

/* "Bearer X" -> X, or NULL. */
static const char *bearer(const char *auth)
{
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return NULL;
	const char *t = auth + 7;
	while (*t == ' ')
		t++;
	return *t ? t : NULL;
}

/* Is `token` the customer's token of `dialog`? */
static bool customer_token(struct hub *h, int64_t dialog, const char *token)
{
	char *stored = NULL;
	bool rated;
	bool ok = token && hub_db_dialog_resume_info(h->db, dialog, &stored, &rated) == HUB_DB_OK && stored &&
		  hub_token_matches(token, stored);
	free(stored);
	return ok;
}

static bool upload_begin(struct hub *h, const struct hub_http_req *req, struct hub_http_answer *a, int64_t now)
{
	if (!h->files)
		return refuse(h, a, 404, req->peer, "this hub takes no files");
	if (req->length < 0) /* first: a body without a length (chunked) is not read at all */
		return refuse(h, a, 411, req->peer, "no Content-Length: send the file's size");
	int64_t dialog = query_int(req->query, "dialog");
	if (!dialog)
		return refuse(h, a, 400, req->peer, "no dialog: POST /upload?dialog=N");
	const char *token = bearer(req->auth);
	if (!token)
		return refuse(h, a, 401, req->peer, "no token: send Authorization: Bearer TOKEN (the chat's token)");
	int64_t op = 0;
	if (!customer_token(h, dialog, token) && !hub_files_ticket_take(h->files, token, dialog, now, &op))
		return refuse(h, a, 401, req->peer, "the token is not this chat's");
	if (req->length > hub_files_max(h->files)) {
		char why[128];
		snprintf(why, sizeof why, "the file is %lld bytes, over the limit of %lld bytes", (long long)req->length,
			 (long long)hub_files_max(h->files));
		return refuse(h, a, 413, req->peer, why);
	}
	if (!req->filename)
		return refuse(h, a, 400, req->peer, "no file name: send X-Filename (percent-encoded UTF-8)");
	size_t nlen = 0;
	char *name = percent_decode(req->filename, &nlen), why[160];
	if (!name)
		return refuse(h, a, 400, req->peer, "the file name's percent-encoding is broken");
	if (filecheck_name(name, nlen, why, sizeof why) != 0) {
		free(name);
		return refuse(h, a, 400, req->peer, why);
	}
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, dialog, &row) != HUB_DB_OK) {
		free(name);
		return refuse(h, a, 401, req->peer, "the token is not this chat's");
	}
	bool closed = row.d.state == PROTO_DS_CLOSED;
	bool theirs = !op || row.operator_id == op;
	hub_db_dialog_free(&row);
	if (closed || !theirs) {
		free(name);
		return refuse(h, a, 409, req->peer, closed ? "the chat is closed" : "the chat is no longer yours");
	}
	struct hub_files_up *up = hub_files_begin(h->files, why, sizeof why);
	if (!up) {
		free(name);
		return refuse(h, a, 507, req->peer, why);
	}
	struct hub_upload *u = xcalloc(1, sizeof *u);
	u->up = up;
	u->dialog = dialog;
	u->operator_id = op;
	u->name = name;
	a->upload = u;
	return true;
}

/* A stored file's answer for GET: the file with its type, named for a download. */
static bool serve_file(struct hub *h, const char *peer, int64_t dialog, const char *hash,
		       struct hub_http_answer *a)
{
	struct proto_message m;
	if (hub_db_dialog_file(h->db, dialog, hash, &m) != HUB_DB_OK)
		return refuse(h, a, 404, peer, "no such file in this chat");
	a->file = hub_files_path(h->files, hash);
	a->status = 200;
	a->type = filecheck_mime(filecheck_from_word(m.args.type));
	/* the name as RFC 5987 has it: percent-encoded UTF-8, never quoted text */
	size_t n = m.args.filename ? strlen(m.args.filename) : 0;
	char *enc = xmalloc(3 * n + 1), *p = enc;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)m.args.filename[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~", c))
			*p++ = (char)c;
		else
			p += sprintf(p, "%%%02X", c);
	}
	*p = 0;
	a->disposition = xasprintf("attachment; filename*=UTF-8''%s", enc);
	free(enc);
	hub_db_message_clear(&m);
	return true;
}

static bool link_get(struct hub *h, const struct hub_http_req *req, struct hub_http_answer *a, int64_t now)
{
	const char *hash = req->path + 3;
	int64_t dialog = query_int(req->query, "dialog"), exp = query_int(req->query, "exp");
	char *sig = query_arg(req->query, "sig"), why[128];
	int rc = hub_files_link_check(h->files, hash, dialog, exp, sig, now, why, sizeof why);
	free(sig);
	if (rc != 0) {
		a->status = 403;
		a->body = xasprintf("%s\n", why);
		log_warn("refusing a file link from %s: %s", req->peer, why);
		return true;
	}
	return serve_file(h, req->peer, dialog, hash, a);
}

static bool customer_get(struct hub *h, const struct hub_http_req *req, struct hub_http_answer *a)
{
	int64_t dialog = query_int(req->query, "dialog");
	char *hash = query_arg(req->query, "id");
	bool ok = dialog && hash && customer_token(h, dialog, bearer(req->auth));
	bool rc = ok ? serve_file(h, req->peer, dialog, hash, a) : refuse(h, a, 404, req->peer, "no such file in this chat");
	free(hash);
	return rc;
}

bool hub_upload_request(void *app, const struct hub_http_req *req, struct hub_http_answer *a)
{
	struct hub *h = app;
	int64_t now = proto_now_ms();
	bool files_path = strcmp(req->path, "/upload") == 0 || strcmp(req->path, "/file") == 0;
	a->cors = files_path; /* the widget on a shop's page reads these from another origin */
	if (req->options) { /* the browser's preflight before a POST or a GET with the token */
		if (!files_path)
			return false;
		a->status = 204;
		return true;
	}
	if (req->post)
		return strcmp(req->path, "/upload") == 0 && upload_begin(h, req, a, now);
	if (!h->files)
		return false;
	if (strncmp(req->path, "/f/", 3) == 0)
		return link_get(h, req, a, now);
	if (strcmp(req->path, "/file") == 0)
		return customer_get(h, req, a);
	return false;
}

bool hub_upload_data(void *app, void *upload, const void *buf, size_t len, struct hub_http_answer *a)
{
	struct hub_upload *u = upload;
	char why[160];
	int status = hub_files_write(u->up, buf, len, why, sizeof why);
	if (status)
		refuse(app, a, status, NULL, why);
	return status == 0;
}

void hub_upload_abort(void *app, void *upload)
{
	(void)app;
	upload_free(upload);
}

/* Stored: the message, to the operator, the watchers and (an operator's file) the customer. */
static void upload_message(struct hub *h, struct hub_upload *u, const struct filecheck_info *info,
			   const char *hash, int64_t size, struct hub_http_answer *a, int64_t now)
{
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, u->dialog, &row) != HUB_DB_OK) {
		refuse(h, a, 507, NULL, "the chat cannot be read; retry");
		return;
	}
	bool closed = row.d.state == PROTO_DS_CLOSED;
	char *customer = xstrdup(row.d.customer);
	hub_db_dialog_free(&row);
	if (closed) {
		free(customer);
		refuse(h, a, 409, NULL, "the chat is closed");
		return;
	}
	char sz[32];
	filecheck_size_text(size, sz, sizeof sz);
	char *text = xasprintf("\xf0\x9f\x93\x8e %s (%s)", u->name, sz);
	struct proto_sysargs args = { .file = (char *)hash, .filename = u->name,
				      .type = (char *)filecheck_word(info->type), .size = size };
	const char *author = u->operator_id ? hub_op_user(h, u->operator_id) : customer;
	enum proto_sender sender = u->operator_id ? PROTO_FROM_OPERATOR : PROTO_FROM_CUSTOMER;
	hub_batch_flush(h); /* this write is not the batch's: what the batch holds is made durable first */
	struct proto_message msg;
	int rc = hub_db_line_append(h->db, u->dialog, sender, author, text, "file", &args, NULL, now, &msg);
	free(text);
	free(customer);
	if (rc != HUB_DB_OK) {
		refuse(h, a, 507, NULL, "the file's message was not stored (database write failed); retry");
		return;
	}
	h->uploads_stored++;
	log_info("dialog %lld: a %s of %lld bytes stored as %s", (long long)u->dialog, filecheck_word(info->type),
		 (long long)size, hash);
	struct proto_msg out = { .type = PROTO_MESSAGE, .msg = msg };
	int64_t op = hub_router_holder(h->router, u->dialog);
	struct hub_session *agent = op ? hub_agent_session(h, op) : NULL;
	if (agent)
		hub_send(h, agent, &out);
	hub_watchers(h, u->dialog, &out);
	if (u->operator_id) {
		hub_to_customer(h, u->dialog, &out);
		hub_chat_answered(h, u->dialog);
	} else {
		hub_chat_customer_said(h, u->dialog, msg.time);
	}
	a->status = 201;
	a->type = "application/json";
	char *name_json = NULL;
	{
		/* the name as a JSON string: through the codec's encoder would need a frame; escape by hand */
		size_t n = strlen(u->name);
		char *p = name_json = xmalloc(6 * n + 3);
		*p++ = '"';
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)u->name[i];
			if (c == '"' || c == '\\')
				*p++ = '\\', *p++ = (char)c;
			else
				*p++ = (char)c; /* no controls: the name check refused them */
		}
		*p++ = '"';
		*p = 0;
	}
	a->body = xasprintf("{\"file\":\"%s\",\"name\":%s,\"type\":\"%s\",\"size\":%lld,\"id\":%lld,\"seq\":%lld}\n",
			    hash, name_json, filecheck_word(info->type), (long long)size, (long long)msg.id,
			    (long long)msg.seq);
	free(name_json);
	hub_db_message_clear(&msg);
}

void hub_upload_end(void *app, void *upload, struct hub_http_answer *a)
{
	struct hub *h = app;
	struct hub_upload *u = upload;
	struct filecheck_info info;
	char hash[HUB_FILE_HASH_HEX + 1], why[200];
	int64_t size = 0;
	int status = hub_files_finish(u->up, &info, hash, &size, why, sizeof why);
	u->up = NULL;
	if (status)
		refuse(h, a, status, NULL, why);
	else
		upload_message(h, u, &info, hash, size, a, proto_now_ms());
	upload_free(u);
}

/* ---- the agent's requests ---- */

/* The dialog is this operator's (held now): else no_such_dialog was sent. */
static bool agent_holds(struct hub *h, struct hub_session *s, int64_t dialog, const char *ref)
{
	if (h->files && hub_router_holder(h->router, dialog) == s->op)
		return true;
	hub_send_error(h, s, PROTO_E_NO_SUCH_DIALOG, ref, h->files ? "dialog %lld is not yours" : "this hub takes no files",
		       (long long)dialog);
	return false;
}

void hub_upload_file_link(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (!agent_holds(h, s, m->dialog, "file_link"))
		return;
	struct proto_message file;
	int rc = hub_db_dialog_file(h->db, m->dialog, m->file, &file);
	if (rc != HUB_DB_OK) {
		hub_send_error(h, s, rc == HUB_DB_NOT_FOUND ? PROTO_E_NO_SUCH_DIALOG : PROTO_E_STORAGE, "file_link",
			       rc == HUB_DB_NOT_FOUND ? "no such file in dialog %lld" : "the dialog cannot be read (%lld)",
			       (long long)m->dialog);
		return;
	}
	hub_db_message_clear(&file);
	int64_t exp = now + hub_files_link_ttl_ms(h->files);
	char *path = hub_files_link(h->files, m->file, m->dialog, exp);
	struct proto_msg out = { .type = PROTO_FILE_LINK, .dialog = m->dialog, .file = m->file, .path = path,
				 .expires = exp };
	hub_send(h, s, &out);
	free(path);
}

void hub_upload_ticket(struct hub *h, struct hub_session *s, const struct proto_msg *m, int64_t now)
{
	if (!agent_holds(h, s, m->dialog, "upload_ticket"))
		return;
	struct hub_db_dialog row;
	if (hub_db_dialog_get(h->db, m->dialog, &row) != HUB_DB_OK) {
		hub_send_error(h, s, PROTO_E_STORAGE, "upload_ticket", "the dialog cannot be read; retry");
		return;
	}
	bool web = row.d.channel == PROTO_CH_WEB;
	hub_db_dialog_free(&row);
	if (!web) { /* a bridge relays no files: the customer would get a line and no file */
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, "upload_ticket",
			       "files go only to web chats: this customer's messenger gets none from the hub");
		return;
	}
	int64_t exp = now + hub_files_link_ttl_ms(h->files);
	char *ticket = hub_files_ticket_new(h->files, m->dialog, s->op, exp);
	if (!ticket) {
		hub_send_error(h, s, PROTO_E_INTERNAL, "upload_ticket", "the hub has no randomness for a ticket; retry");
		return;
	}
	struct proto_msg out = { .type = PROTO_UPLOAD_TICKET, .dialog = m->dialog, .token = ticket, .expires = exp };
	hub_send(h, s, &out);
	free(ticket);
}

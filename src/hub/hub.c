/* hub.c: the hub's top: the server's callbacks (a connection opened, a frame, a refusal, a connection gone, the
 * end of a loop pass, the timer, an HTTP request), the one dispatcher that decodes a frame and hands it to its
 * endpoint's row (hub_endpoint.h), sign-ins taking turns, the queue snapshot pushed once per loop pass, and the
 * hub's life cycle (the routing state restored from the store). Below it: the endpoints, then hub_core. */
#include "opdesk/hub.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub_batch.h"
#include "hub_core.h"
#include "hub_dbwatch.h"
#include "hub_endpoint.h"
#include "hub_mail.h"
#include "hub_metrics.h"
#include "hub_upload.h"
#include "opdesk/hub_files.h"
#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

/* ---- the endpoints' tables ---- */

const struct hub_ep_table *hub_ep_table_of(enum hub_endpoint ep)
{
	static const struct hub_ep_table *const tables[] = {
		[HUB_EP_AGENT] = &hub_agent_frames,
		[HUB_EP_CUSTOMER] = &hub_customer_frames,
		[HUB_EP_BRIDGE] = &hub_bridge_frames,
	};
	return tables[ep];
}

const struct hub_frame_row *hub_ep_row(const struct hub_ep_table *e, enum proto_type type)
{
	for (size_t i = 0; i < e->n_rows; i++) /* at most 14 rows, the most frequent first */
		if (e->rows[i].type == type)
			return &e->rows[i];
	return NULL;
}

/* ---- server callbacks ---- */

static void on_opened(void *app, struct hub_conn *c)
{
	struct hub *h = app;
	struct hub_session *s = hub_session_new(c);
	s->next = h->sessions;
	if (h->sessions)
		h->sessions->prev = s;
	h->sessions = s;
	hub_conn_set_data(c, s);
	if (s->ep == HUB_EP_CUSTOMER)
		hub_avail_tell(h, s); /* before anything it asks: is anyone there? */
}

/* A waiting sign-in whose connection is gone. */
static void signin_forget(struct hub *h, struct hub_session *s)
{
	for (size_t i = 0; i < h->n_signins; i++) {
		if (h->signins[i] == s) {
			memmove(h->signins + i, h->signins + i + 1, (h->n_signins - i - 1) * sizeof *h->signins);
			h->n_signins--;
			return;
		}
	}
}

static void on_closed(void *app, struct hub_conn *c)
{
	struct hub *h = app;
	struct hub_session *s = hub_conn_data(c);
	if (!s)
		return;
	hub_batch_flush(h); /* the batch may hold frames of this session, and what follows writes */
	if (s->n_deferred)
		signin_forget(h, s);
	hub_ep_table_of(s->ep)->closed(h, s, proto_now_ms());
	if (s->prev)
		s->prev->next = s->next;
	else
		h->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	hub_conn_set_data(c, NULL);
	hub_session_free(s);
}

static void defer_frame(struct hub_session *s, const char *buf, size_t len)
{
	s->deferred = xgrow(s->deferred, &s->cap_deferred, s->n_deferred + 1, sizeof *s->deferred);
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	s->deferred[s->n_deferred++] = (struct hub_deferred){ copy, len };
}

/* The id a refused frame carries, for the error's `ref`: its `client_msg_id`, else its `type`, when the
 * frame parses as a JSON object and that is a string of 1..PROTO_MAX_ID bytes; NULL otherwise (not JSON,
 * not UTF-8, ...). Frames reach here at most PROTO_MAX_FRAME_IN bytes long, so the second parse is cheap. */
static const char *frame_ref(const char *buf, size_t len, char out[PROTO_MAX_ID + 1])
{
	json_t *root = json_loadb(buf, len, 0, NULL);
	const char *ref = NULL;
	if (json_is_object(root)) {
		static const char *const keys[] = { "client_msg_id", "type" };
		for (size_t i = 0; !ref && i < sizeof keys / sizeof *keys; i++) {
			json_t *v = json_object_get(root, keys[i]);
			size_t n = json_is_string(v) ? json_string_length(v) : 0;
			if (n >= 1 && n <= PROTO_MAX_ID && !memchr(json_string_value(v), '\0', n)) {
				memcpy(out, json_string_value(v), n + 1);
				ref = out;
			}
		}
	}
	json_decref(root);
	return ref;
}

/* Decode one frame and hand it to its endpoint's row, after the checks the row's flags name. */
static void handle_frame(struct hub *h, struct hub_session *s, const char *buf, size_t len, int64_t now)
{
	const struct hub_ep_table *ep = hub_ep_table_of(s->ep);
	struct proto_msg m;
	struct proto_error err = { 0 };
	if (proto_decode(ep->in, buf, len, &m, &err) != 0) {
		char ref[PROTO_MAX_ID + 1];
		hub_send_error(h, s, err.code ? err.code : PROTO_E_MALFORMED, frame_ref(buf, len, ref), "%s",
			       err.detail[0] ? err.detail : "the frame could not be decoded");
		return;
	}
	const struct hub_frame_row *row = hub_ep_row(ep, m.type);
	unsigned flags = row ? row->flags : 0;
	bool signin = (flags & HUB_FRAME_SIGNIN) && !s->authed;
	if (signin && hub_signin_blocked(h, s, now)) {
		proto_msg_free(&m); /* refused without a hash: costs nobody else anything */
		return;
	}
	if (signin && (flags & HUB_FRAME_ONE_SECRET) && h->checked_secret) {
		/* this pass has checked a secret already: this sign-in (and what follows it) waits its turn */
		proto_msg_free(&m);
		defer_frame(s, buf, len);
		h->signins = xgrow(h->signins, &h->cap_signins, h->n_signins + 1, sizeof *h->signins);
		h->signins[h->n_signins++] = s;
		return;
	}
	if (!(flags & HUB_FRAME_BATCHED))
		hub_batch_flush(h); /* anything but a message (the batch's business) or typing (no write) */
	if (row && (flags & HUB_FRAME_SIGNIN))
		row->fn(h, s, &m, now);
	else if (ep->signin_first && !s->authed)
		hub_send_error(h, s, PROTO_E_NOT_AUTHENTICATED, hub_ref(&m), "%s", ep->signin_first);
	else if (!row)
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, hub_ref(&m), "%s is not accepted here", proto_type_name(m.type));
	else if ((flags & HUB_FRAME_SUPERVISOR) && !hub_session_supervisor(s)) {
		log_warn("%s: %s (an operator) asked for %s", hub_conn_name(s->conn), s->user, proto_type_name(m.type));
		hub_send_error(h, s, PROTO_E_NOT_ALLOWED, hub_ref(&m), "%s is for supervisors only",
			       proto_type_name(m.type));
	} else
		row->fn(h, s, &m, now);
	proto_msg_free(&m);
}

static void on_frame(void *app, struct hub_conn *c, const char *buf, size_t len)
{
	struct hub *h = app;
	struct hub_session *s = hub_conn_data(c);
	if (!s)
		return;
	int64_t now = proto_now_ms();
	if (!hub_rate_allow(&s->rate, now)) {
		if (hub_rate_should_warn(&s->rate, now)) {
			char ref[PROTO_MAX_ID + 1];
			hub_send_error(h, s, PROTO_E_RATE_LIMITED, frame_ref(buf, len, ref),
				       "too many frames: at most %d per second (bursts of %d); frames are being dropped",
				       HUB_RATE_PER_S, HUB_RATE_BURST);
		}
		return;
	}
	if (s->n_deferred) { /* behind a waiting sign-in: keep the order */
		defer_frame(s, buf, len);
		return;
	}
	handle_frame(h, s, buf, len, now);
}

/* The oldest waiting sign-in, then the frames that came after it. */
static void signin_next(struct hub *h)
{
	struct hub_session *s = h->signins[0];
	memmove(h->signins, h->signins + 1, (h->n_signins - 1) * sizeof *h->signins);
	h->n_signins--;
	struct hub_deferred *v = s->deferred;
	size_t n = s->n_deferred;
	s->deferred = NULL;
	s->n_deferred = s->cap_deferred = 0;
	int64_t now = proto_now_ms();
	for (size_t i = 0; i < n; i++) {
		if (s->n_deferred) /* held back again (a second hello): the rest stays behind it */
			defer_frame(s, v[i].buf, v[i].len);
		else
			handle_frame(h, s, v[i].buf, v[i].len, now);
		free(v[i].buf);
	}
	free(v);
}

static void on_refused(void *app, struct hub_conn *c, enum proto_errcode code, const char *detail)
{
	struct hub *h = app;
	struct hub_session *s = hub_conn_data(c);
	if (s && hub_rate_allow(&s->rate, proto_now_ms()))
		hub_send_error(h, s, code, NULL, "%s", detail);
}

/* Once per loop pass: the next history batches for resumed agents whose queue has drained, and one queue
 * snapshot for every signed-in agent, however many changes there were. */
static void on_pass(void *app)
{
	struct hub *h = app;
	hub_batch_flush(h); /* this pass's messages: one commit, then their acks and forwards go out */
	hub_dbwatch_pass(h);
	h->checked_secret = false;
	if (h->n_signins) {
		signin_next(h); /* this pass's one check: sign-ins coming in the next pass wait too */
		hub_batch_flush(h); /* the messages that waited behind it, now (not on the next pass) */
		if (h->n_signins)
			hub_server_wake(h->srv);
	}
	for (struct hub_session *s = h->sessions; h->n_catching && s; s = s->next)
		if (s->n_catchup)
			hub_agent_catchup(h, s);
	if (h->alerts_rescan)
		hub_alerts_scan(h, proto_now_ms()); /* (rearms the timer) */
	if (h->avail_dirty)
		hub_avail_pass(h, proto_now_ms());
	if (h->requests_dirty)
		hub_requests_pass(h);
	if (h->n_board_rests)
		hub_board_rest_pass(h, proto_now_ms()); /* a big board's next rows, one frame a pass */
	if (h->board_dirty && h->n_monitors) {
		hub_board_pass(h, proto_now_ms());
		hub_timer_rearm(h); /* a change inside the second after a board: the timer brings the next one */
	}
	if (!h->queue_dirty)
		return;
	h->queue_dirty = false;
	bool any = false;
	for (struct hub_session *s = h->sessions; s && !any; s = s->next)
		any = s->ep == HUB_EP_AGENT && s->authed;
	if (!any)
		return;
	struct proto_msg m = { .type = PROTO_QUEUE };
	if (hub_db_queue_items(h->db, PROTO_MAX_ITEMS, &m.items, &m.n_items, &m.total) != HUB_DB_OK) {
		log_error("cannot read the queue for a snapshot: %s", hub_db_errmsg(h->db));
		return;
	}
	size_t len;
	struct proto_error err = { 0 };
	char *buf = proto_encode(PROTO_HUB_TO_AGENT, &m, &len, &err);
	hub_db_queue_items_free(m.items, m.n_items);
	if (!buf) {
		log_error("cannot encode the queue snapshot: %s", err.detail);
		return;
	}
	for (struct hub_session *s = h->sessions; s; s = s->next)
		if (s->ep == HUB_EP_AGENT && s->authed)
			hub_conn_send(s->conn, buf, len);
	free(buf);
}

static void on_timer(void *app)
{
	struct hub *h = app;
	hub_batch_flush(h);
	hub_grace_expired(h, proto_now_ms());
	if (h->alert_due_ms >= 0 && h->alert_due_ms <= proto_now_ms())
		hub_alerts_scan(h, proto_now_ms());
	if (h->idle_due_ms >= 0 && h->idle_due_ms <= proto_now_ms())
		hub_idle_scan(h, proto_now_ms()); /* (rearms the timer) */
	if (h->avail_due_ms >= 0 && h->avail_due_ms <= proto_now_ms())
		h->avail_dirty = true; /* the working hours began or ended: the pass after this looks */
}

static int on_http(void *app, const char *path, char **body, const char **type)
{
	hub_batch_flush(app); /* /health writes; /metrics counts committed messages */
	return hub_http(app, path, body, type);
}

static const struct hub_server_ops hub_ops = {
	.opened = on_opened,
	.frame = on_frame,
	.refused = on_refused,
	.closed = on_closed,
	.pass = on_pass,
	.timer = on_timer,
	.http = on_http,
	.request = hub_upload_request,
	.post_data = hub_upload_data,
	.post_end = hub_upload_end,
	.post_abort = hub_upload_abort,
};

const struct hub_server_ops *hub_server_ops_for(void)
{
	return &hub_ops;
}

/* ---- life cycle ---- */

static int hub_restore(struct hub *h, char **cause)
{
	struct hub_db_operator *ops;
	size_t n_ops;
	if (hub_db_operator_list(h->db, &ops, &n_ops) != HUB_DB_OK)
		goto fail;
	for (size_t i = 0; i < n_ops; i++) {
		hub_router_operator(h->router, ops[i].id, h->cfg.capacity > 0 ? h->cfg.capacity : ops[i].capacity,
				    ops[i].role == PROTO_ROLE_OPERATOR);
		hub_load_skills(h, ops[i].id);
	}
	for (size_t i = 0; i < h->cfg.n_queues; i++)
		hub_router_set_queue_mode(h->router, h->cfg.queues[i].name, h->cfg.queues[i].mode);
	hub_db_operators_free(ops, n_ops);

	struct hub_db_dialog *v;
	size_t n;
	if (hub_db_dialogs_by_state(h->db, PROTO_DS_ASSIGNED, &v, &n) != HUB_DB_OK)
		goto fail;
	for (size_t i = 0; i < n; i++)
		hub_router_restore(h->router, v[i].d.id, v[i].d.queue, v[i].d.opened, v[i].operator_id);
	size_t held = n;
	hub_db_dialogs_free(v, n);
	if (hub_db_dialogs_by_state(h->db, PROTO_DS_QUEUED, &v, &n) != HUB_DB_OK)
		goto fail;
	struct hub_decisions d = { 0 };
	for (size_t i = 0; i < n; i++)
		hub_router_chat_arrived(h->router, v[i].d.id, v[i].d.queue, v[i].d.opened, 0, &d);
	hub_decisions_free(&d); /* nobody is online yet: no decisions */
	hub_db_dialogs_free(v, n);
	if (held || n)
		log_info("restored %zu waiting and %zu held dialog(s)", n, held);
	hub_board_restore(h, proto_now_ms());
	hub_idle_restore(h);
	return 0;
fail:
	*cause = xasprintf("cannot load the routing state: %s", hub_db_errmsg(h->db));
	return -1;
}

struct hub *hub_new(struct hub_db *db, const struct hub_config *cfg, char **cause)
{
	i18n_bind(); /* the system texts in cfg->lang (hub_text) */
	struct hub *h = xcalloc(1, sizeof *h);
	h->db = db;
	h->cfg = *cfg;
	snprintf(h->lang, sizeof h->lang, "%s", cfg->lang && *cfg->lang ? cfg->lang : "ru");
	h->cfg.lang = h->lang;
	if (h->cfg.sla_wait_s <= 0)
		h->cfg.sla_wait_s = HUB_DEFAULT_SLA_WAIT_S;
	if (h->cfg.sla_answer_s <= 0)
		h->cfg.sla_answer_s = HUB_DEFAULT_SLA_ANSWER_S;
	if (h->cfg.n_mail_retry == 0) { /* the default waits: 1, 5, 30 minutes, 2 hours */
		static const int def[] = { 60, 300, 1800, 7200 };
		memcpy(h->cfg.mail_retry_s, def, sizeof def);
		h->cfg.n_mail_retry = (int)(sizeof def / sizeof *def);
	}
	if (h->cfg.mail_timeout_s <= 0)
		h->cfg.mail_timeout_s = HUB_DEFAULT_MAIL_TIMEOUT_S;
	if (h->cfg.auto_close_grace_s <= 0)
		h->cfg.auto_close_grace_s = HUB_DEFAULT_AUTO_CLOSE_GRACE_S;
	h->router = hub_router_new();
	h->alert_due_ms = -1;
	if (cfg->files_dir) {
		int64_t ttl = cfg->link_ttl_ms >= 0 ? cfg->link_ttl_ms : HUB_DEFAULT_LINK_TTL_S * 1000LL;
		h->files = hub_files_open(cfg->files_dir, cfg->max_upload > 0 ? cfg->max_upload : HUB_DEFAULT_MAX_UPLOAD,
					  ttl, cause);
		if (!h->files) {
			hub_free(h);
			return NULL;
		}
		h->cfg.files_dir = hub_files_dir(h->files);
	}
	h->idle_due_ms = -1;
	h->avail_due_ms = -1;
	h->avail_sent = -1;
	h->avail_dirty = true;
	if (hub_restore(h, cause) != 0) {
		hub_free(h);
		return NULL;
	}
	return h;
}

void hub_attach(struct hub *h, struct hub_server *srv)
{
	h->srv = srv;
	/* operators holding dialogs from before the restart get the same grace as after a disconnect */
	struct hub_db_operator *ops;
	size_t n;
	if (hub_db_operator_list(h->db, &ops, &n) != HUB_DB_OK)
		return;
	int64_t now = proto_now_ms();
	for (size_t i = 0; i < n; i++)
		hub_grace_start(h, ops[i].id, now);
	hub_db_operators_free(ops, n);
	hub_timer_rearm(h); /* the restored chats' alert deadlines */
	hub_mail_kick(h);   /* mail still pending from before */
	hub_dbwatch_start(h);
}

bool hub_fenced(const struct hub *h)
{
	return h->fenced;
}

void hub_free(struct hub *h)
{
	if (!h)
		return;
	struct hub_session *s = h->sessions;
	while (s) {
		struct hub_session *next = s->next;
		/* (s->conn may be gone already: the server closes its connections at shutdown without telling us,
		 * and hears nothing of the application after this) */
		hub_board_session_closed(h, s); /* what was left of a big board */
		hub_session_free(s);
		s = next;
	}
	if (hub_db_batch_open(h->db) && hub_db_batch_commit(h->db) != HUB_DB_OK) /* the last pass flushed it */
		log_error("the last messages were not stored: %s", hub_db_errmsg(h->db));
	for (size_t i = 0; i < h->n_batch; i++)
		free(h->batch[i].ref), free(h->batch[i].id);
	free(h->batch);
	for (size_t i = 0; i < h->n_doubt; i++)
		free(h->doubt[i]);
	free(h->doubt);
	free(h->watchers);
	hub_dbwatch_free(h);
	hub_mail_free(h);
	hub_board_free(h);
	hub_alerts_free(h);
	hub_router_free(h->router);
	free(h->grace);
	free(h->by_op);
	free(h->signins);
	free(h->fails);
	hub_files_free(h->files);
	free(h);
}

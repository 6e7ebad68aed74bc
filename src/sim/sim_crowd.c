/* sim_crowd.c: the crowd of simulated customers: arrivals, one WebSocket connection per customer on the
 * customer endpoint (ws_conn, never retried: a customer who cannot connect is gone), think delays (read the
 * answer, then type: the typing notice is on while they type, as the web widget's is), follow-ups, and a
 * rating when the operator closes the chat. */
#include "opdesk/sim.h"
#include "opdesk/client_loop.h"
#include "opdesk/log.h"
#include "opdesk/ws_conn.h"
#include "opdesk/xalloc.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cust_state { CUST_CONNECTING, CUST_WAITING, CUST_CHATTING, CUST_RATING, CUST_LEAVING };

struct customer {
	struct crowd *crowd;
	struct customer *next;
	struct ws_conn *conn;
	lws_sorted_usec_list_t think; /* the next reply or the rating */
	bool thinking;
	enum cust_state state;
	unsigned id;
	int64_t dialog;
	const char *name;
	const char *first; /* the opening message */
	enum sim_topic topic;
	enum proto_channel channel;
	int followups;  /* answers left before the thanks */
	bool thanked;
	const char *typing; /* the answer being typed (the typing notice is on), NULL when not typing */
	int typing_ms;      /* how long the typing takes: the second half of the think delay */
	unsigned sent;  /* for client_msg_id */
	char token[PROTO_MAX_ID + 1]; /* the customer_token the hub gave (or the one it came back with), "" none */
};

/* Customers of this run the hub knows who have left and may come back (--returning): token, name, channel. */
#define SIM_REGULARS 64
struct regular {
	char token[PROTO_MAX_ID + 1];
	const char *name;
	enum proto_channel channel;
};

struct crowd {
	const struct sim_config *cfg;
	struct client_loop *loop;
	struct lws_context *ctx;
	struct sim_rand rand;
	const struct sim_phrasebook *book;
	struct customer *all;
	int active, opened;
	unsigned next_id;
	bool stopping;
	lws_sorted_usec_list_t arrival, deadline;
	struct regular regulars[SIM_REGULARS]; /* a ring of the last customers the hub gave a token */
	size_t n_regulars, next_regular;
};

/* Remember a customer the hub knows who left: in its own place, or one left empty by a customer who came back
 * (and is chatting), else the ring's next (the oldest is forgotten). */
static void crowd_remember(struct crowd *c, const struct customer *cu)
{
	size_t i = 0;
	while (i < c->n_regulars && c->regulars[i].token[0] && strcmp(c->regulars[i].token, cu->token) != 0)
		i++;
	if (i == c->n_regulars) {
		i = c->next_regular;
		c->next_regular = (c->next_regular + 1) % SIM_REGULARS;
		if (c->n_regulars < SIM_REGULARS)
			c->n_regulars++;
	}
	struct regular *r = &c->regulars[i];
	snprintf(r->token, sizeof r->token, "%s", cu->token);
	r->name = cu->name;
	r->channel = cu->channel;
}

static void crowd_schedule_arrival(struct crowd *c);

static void cust_queue(struct customer *cu, const struct proto_msg *m)
{
	struct proto_error err;
	size_t len;
	char *s = proto_encode(PROTO_CUSTOMER_TO_HUB, m, &len, &err);
	if (!s) {
		log_error("customer %u: cannot encode %s: %s", cu->id, proto_type_name(m->type), err.detail);
		return;
	}
	ws_conn_send(cu->conn, s, len, NULL);
	free(s);
}

static void cust_say(struct customer *cu, const char *text)
{
	char id[48];
	snprintf(id, sizeof id, "sim-%u-%u", cu->id, ++cu->sent);
	struct proto_msg m = { .type = PROTO_CSAY, .client_msg_id = id, .text = (char *)text };
	cust_queue(cu, &m);
	sim_event(cu->crowd->cfg->events, "sent", json_pack("{sI ss}", "dialog", (json_int_t)cu->dialog, "text", text));
}

static int think_ms(struct crowd *c)
{
	return (int)sim_rand_range(&c->rand, c->cfg->think_min_ms, c->cfg->think_max_ms);
}

static void cust_typing(struct customer *cu, bool on)
{
	struct proto_msg m = { .type = PROTO_CTYPING, .on = on };
	cust_queue(cu, &m);
	if (on)
		sim_event(cu->crowd->cfg->events, "typing", json_pack("{sI}", "dialog", (json_int_t)cu->dialog));
}

static void cust_think(struct customer *cu, int ms);

/* The answer is typed: the notice goes off and the message out, as the widget sends them. */
static void cust_typed(lws_sorted_usec_list_t *sul)
{
	struct customer *cu = lws_container_of(sul, struct customer, think);
	const char *text = cu->typing;
	cu->thinking = false;
	cu->typing = NULL;
	if (cu->state != CUST_CHATTING || !text)
		return;
	cust_typing(cu, false);
	cust_say(cu, text);
}

static void cust_think_done(lws_sorted_usec_list_t *sul)
{
	struct customer *cu = lws_container_of(sul, struct customer, think);
	struct crowd *c = cu->crowd;
	cu->thinking = false;
	if (cu->state == CUST_RATING) {
		int score = sim_pick_score(&c->rand);
		const char *comment = score <= 2 ? sim_pick(&c->rand, &c->book->low_score_comments) : NULL;
		struct proto_msg m = { .type = PROTO_RATE, .score = score, .comment = (char *)comment };
		cust_queue(cu, &m);
		sim_event(c->cfg->events, "rated", json_pack("{sI si}", "dialog", (json_int_t)cu->dialog, "score", score));
		cu->state = CUST_LEAVING;
		ws_conn_leave(cu->conn); /* the connection closes once the rating is written */
		return;
	}
	if (cu->state != CUST_CHATTING || cu->thanked)
		return;
	if (cu->followups > 0) {
		cu->followups--;
		cu->typing = sim_pick(&c->rand, &c->book->followup[cu->topic]);
	} else {
		cu->thanked = true;
		cu->typing = sim_pick(&c->rand, &c->book->thanks);
	}
	/* the customer has read the answer and types theirs: the operator sees them typing until it comes */
	cust_typing(cu, true);
	cu->thinking = true;
	lws_sul_schedule(c->ctx, 0, &cu->think, cust_typed, (lws_usec_t)cu->typing_ms * LWS_US_PER_MS);
}

/* Think for `ms` in all: an answer is read for the first half and typed (the notice on) in the second; a rating
 * is given at the end. */
static void cust_think(struct customer *cu, int ms)
{
	if (cu->thinking)
		return;
	cu->thinking = true;
	int reading = cu->state == CUST_CHATTING ? ms / 2 : ms;
	cu->typing_ms = ms - reading;
	lws_sul_schedule(cu->crowd->ctx, 0, &cu->think, cust_think_done, (lws_usec_t)reading * LWS_US_PER_MS);
}

static void cust_handle(struct customer *cu, const struct proto_msg *m)
{
	struct crowd *c = cu->crowd;
	FILE *ev = c->cfg->events;
	switch (m->type) {
	case PROTO_OPENED:
		cu->dialog = m->dialog;
		cu->state = CUST_WAITING;
		if (m->customer_token && strlen(m->customer_token) < sizeof cu->token)
			snprintf(cu->token, sizeof cu->token, "%s", m->customer_token);
		log_info("customer %u (%s): dialog %lld opened, position %lld", cu->id, cu->name,
			 (long long)m->dialog, (long long)m->position);
		sim_event(ev, "opened", json_pack("{sI ss ss}", "dialog", (json_int_t)m->dialog, "customer", cu->name,
						   "channel", proto_channel_name(cu->channel)));
		sim_event(ev, "sent", json_pack("{sI ss}", "dialog", (json_int_t)m->dialog, "text", cu->first));
		break;
	case PROTO_MESSAGE:
		sim_event(ev, "received", json_pack("{sI ss ss* ss}", "dialog", (json_int_t)m->msg.dialog, "sender",
						     proto_sender_name(m->msg.sender), "author", m->msg.author,
						     "text", m->msg.text));
		if (m->msg.sender == PROTO_FROM_OPERATOR) {
			cu->state = CUST_CHATTING;
			cust_think(cu, think_ms(c));
		}
		break;
	case PROTO_OPTYPING:
		log_debug("customer %u: operator typing %s", cu->id, m->on ? "on" : "off");
		break;
	case PROTO_ACK:
		break;
	case PROTO_CLOSED:
		sim_event(ev, "closed", json_pack("{sI}", "dialog", (json_int_t)m->dialog));
		lws_sul_cancel(&cu->think);
		cu->thinking = false;
		cu->typing = NULL; /* what they were typing is not sent: the chat is over */
		cu->state = CUST_RATING;
		cust_think(cu, think_ms(c) / 2);
		break;
	case PROTO_ERROR:
		log_warn("customer %u: hub error %s: %s", cu->id, m->code, m->message);
		sim_event(ev, "error", json_pack("{ss ss}", "code", m->code, "message", m->message));
		break;
	default:
		break;
	}
}

static void cust_frame(void *arg, const char *json, size_t len)
{
	struct customer *cu = arg;
	struct proto_msg m;
	struct proto_error err;
	if (proto_decode(PROTO_HUB_TO_CUSTOMER, json, len, &m, &err) == 0) {
		cust_handle(cu, &m);
		proto_msg_free(&m);
	} else {
		log_warn("customer %u: bad frame from the hub (%s): %s", cu->id, proto_errcode_name(err.code), err.detail);
	}
}

static void cust_dropped(void *arg, enum ws_conn_drop why)
{
	struct customer *cu = arg;
	if (why == WS_CONN_DROP_BINARY)
		log_warn("customer %u: binary frame dropped", cu->id);
	else
		log_warn("customer %u: frame over %d bytes dropped", cu->id, PROTO_MAX_FRAME_OUT);
}

static void crowd_maybe_finish(struct crowd *c)
{
	bool budget_spent = c->cfg->chats > 0 && c->opened >= c->cfg->chats;
	if ((c->stopping || budget_spent) && c->active == 0) {
		log_info("all customers left");
		client_loop_quit(c->loop);
	}
}

static void cust_free(struct customer *cu)
{
	struct crowd *c = cu->crowd;
	lws_sul_cancel(&cu->think);
	for (struct customer **p = &c->all; *p; p = &(*p)->next)
		if (*p == cu) {
			*p = cu->next;
			break;
		}
	ws_conn_free(cu->conn);
	free(cu);
	c->active--;
	crowd_maybe_finish(c);
	if (!c->stopping)
		crowd_schedule_arrival(c);
}

static void cust_connected(void *arg)
{
	struct customer *cu = arg;
	log_debug("customer %u connected", cu->id);
}

/* The connection closed, or never opened: the customer is gone. */
static void cust_ended(void *arg, const struct ws_conn_end *end)
{
	struct customer *cu = arg;
	if (end->established)
		log_info("customer %u left", cu->id);
	if (cu->token[0]) /* gone: may come back later (--returning) */
		crowd_remember(cu->crowd, cu);
	else
		log_warn("customer %u: cannot connect: %s", cu->id, end->error && *end->error ? end->error : "unknown error");
	cust_free(cu);
}

static const struct ws_conn_ops cust_ops = {
	.connected = cust_connected,
	.frame = cust_frame,
	.dropped = cust_dropped,
	.ended = cust_ended,
};

static void crowd_spawn(struct crowd *c)
{
	struct customer *cu = xcalloc(1, sizeof *cu);
	cu->crowd = c;
	cu->id = ++c->next_id;
	struct ws_conn_config cc = { .url = c->cfg->url, .subprotocol = PROTO_SUBPROTOCOL_CUSTOMER,
				     .max_message = PROTO_MAX_FRAME_OUT, .ops = &cust_ops, .arg = cu };
	char *cause = NULL;
	cu->conn = ws_conn_new(&cc, &cause); /* the URL was checked in sim_run */
	if (!cu->conn) {
		log_error("customer %u: %s", cu->id, cause);
		free(cause);
		free(cu);
		return;
	}
	cu->topic = sim_pick_topic(&c->rand);
	cu->channel = sim_pick_channel(&c->rand);
	cu->name = sim_pick(&c->rand, &c->book->names);
	if (c->n_regulars && sim_rand_range(&c->rand, 1, 100) <= c->cfg->returning_pct) { /* an earlier customer */
		struct regular *r = &c->regulars[sim_rand_range(&c->rand, 0, (int64_t)c->n_regulars - 1)];
		if (r->token[0]) { /* (empty: that one is chatting now) */
			snprintf(cu->token, sizeof cu->token, "%s", r->token);
			cu->name = r->name;
			cu->channel = r->channel;
			r->token[0] = '\0'; /* back in the ring when it leaves */
		}
	}
	cu->followups = (int)sim_rand_range(&c->rand, 1, 3);
	cu->next = c->all;
	c->all = cu;
	c->active++;
	c->opened++;

	const char *first = cu->first = sim_pick(&c->rand, &c->book->first[cu->topic]);
	char id[48];
	snprintf(id, sizeof id, "sim-%u-0", cu->id);
	struct proto_msg m = { .type = PROTO_OPEN, .channel = cu->channel, .name = (char *)cu->name,
			       .text = (char *)first, .client_msg_id = id, .customer_token = cu->token[0] ? cu->token : NULL };
	cust_queue(cu, &m);

	log_info("customer %u (%s, %s) arrives: %s", cu->id, cu->name, proto_channel_name(cu->channel), first);
	ws_conn_start(cu->conn, c->ctx);
}

static void crowd_arrival(lws_sorted_usec_list_t *sul)
{
	struct crowd *c = lws_container_of(sul, struct crowd, arrival);
	if (c->stopping || (c->cfg->chats > 0 && c->opened >= c->cfg->chats))
		return;
	if (c->active < c->cfg->customers)
		crowd_spawn(c);
	crowd_schedule_arrival(c);
}

static void crowd_schedule_arrival(struct crowd *c)
{
	if (c->stopping || (c->cfg->chats > 0 && c->opened >= c->cfg->chats) || c->active >= c->cfg->customers)
		return;
	if (lws_dll2_is_detached(&c->arrival.list) == 0)
		return; /* already scheduled */
	double mean_s = 60.0 / c->cfg->rate;
	double s = sim_rand_exp(&c->rand, mean_s);
	if (s > 4 * mean_s)
		s = 4 * mean_s;
	lws_sul_schedule(c->ctx, 0, &c->arrival, crowd_arrival, (lws_usec_t)(s * LWS_US_PER_SEC));
}

static void crowd_stop(struct crowd *c, const char *why)
{
	if (c->stopping)
		return;
	log_info("stopping: %s", why);
	c->stopping = true;
	lws_sul_cancel(&c->arrival);
	for (struct customer *cu = c->all; cu; cu = cu->next) {
		cu->state = CUST_LEAVING;
		ws_conn_leave(cu->conn);
	}
	crowd_maybe_finish(c);
}

static void crowd_deadline(lws_sorted_usec_list_t *sul)
{
	crowd_stop(lws_container_of(sul, struct crowd, deadline), "duration reached");
}

static void crowd_signal(void *arg, const struct signalfd_siginfo *si)
{
	struct crowd *c = arg;
	if (si->ssi_signo == SIGINT || si->ssi_signo == SIGTERM || si->ssi_signo == SIGHUP) {
		if (c->stopping)
			client_loop_quit(c->loop); /* a second signal: leave now */
		crowd_stop(c, strsignal((int)si->ssi_signo));
	}
}

int sim_run(const struct sim_config *cfg, char **cause)
{
	struct crowd c;
	memset(&c, 0, sizeof c);
	c.cfg = cfg;
	c.book = &sim_phrases[cfg->lang];
	sim_rand_seed(&c.rand, cfg->seed);

	char *why = NULL;
	struct ws_conn_urls urls;
	if (ws_conn_urls_parse(cfg->url, &urls, &why) < 0 || urls.tls) {
		*cause = xasprintf("--url %s: expected ws://HOST:PORT[/PATH], or several separated by commas", cfg->url);
		free(why);
		ws_conn_urls_free(&urls);
		return -1;
	}
	ws_conn_urls_free(&urls);

	if (client_loop_block_signals(cause))
		return -1;
	static const struct client_loop_ops no_ops;
	struct client_loop_ops ops = no_ops;
	ops.signal = crowd_signal;
	ops.arg = &c;
	struct lws_protocols ws = ws_conn_protocol(PROTO_SUBPROTOCOL_CUSTOMER, 65536);
	c.loop = client_loop_new(&ops, &ws, NULL, -1, cause);
	if (!c.loop)
		return -1;
	c.ctx = client_loop_context(c.loop);
	if (cfg->duration_s > 0)
		lws_sul_schedule(c.ctx, 0, &c.deadline, crowd_deadline, (lws_usec_t)cfg->duration_s * LWS_US_PER_SEC);
	crowd_spawn(&c); /* the first customer at once, so a demo shows a chat within a second */
	crowd_schedule_arrival(&c);
	int rc = client_loop_run(c.loop);
	c.stopping = true;
	lws_sul_cancel(&c.arrival);
	lws_sul_cancel(&c.deadline);
	while (c.all) { /* their connections close with the context */
		struct customer *cu = c.all;
		c.all = cu->next;
		lws_sul_cancel(&cu->think);
		ws_conn_free(cu->conn);
		free(cu);
	}
	client_loop_free(c.loop);
	if (rc)
		*cause = xstrdup("the event loop failed");
	return rc;
}

/* hub_session.c: per-connection state and the frame rate limit (see hub_session.h). */
#include "opdesk/hub_session.h"

#include <stdlib.h>

#include "opdesk/xalloc.h"

bool hub_rate_allow(struct hub_rate *r, int64_t now_ms)
{
	return rate_take(&r->bucket, HUB_RATE_PER_S, HUB_RATE_BURST, now_ms);
}

bool hub_rate_should_warn(struct hub_rate *r, int64_t now_ms)
{
	if (r->warned_ms && now_ms - r->warned_ms < 1000)
		return false;
	r->warned_ms = now_ms;
	return true;
}

struct hub_session *hub_session_new(struct hub_conn *conn)
{
	struct hub_session *s = xcalloc(1, sizeof *s);
	s->conn = conn;
	s->ep = hub_conn_endpoint(conn);
	return s;
}

void hub_session_free(struct hub_session *s)
{
	if (!s)
		return;
	free(s->catchup);
	free(s->watching);
	for (size_t i = 0; i < s->n_deferred; i++)
		free(s->deferred[i].buf);
	free(s->deferred);
	free(s->user);
	free(s->display);
	free(s->customer);
	free(s);
}

const char *hub_session_display(const struct hub_session *s)
{
	return s->display && *s->display ? s->display : s->user ? s->user : "?";
}

bool hub_session_supervisor(const struct hub_session *s)
{
	return s->role == PROTO_ROLE_SUPERVISOR || s->role == PROTO_ROLE_ADMIN;
}

bool hub_session_watches(const struct hub_session *s, int64_t dialog)
{
	for (size_t i = 0; i < s->n_watching; i++)
		if (s->watching[i] == dialog)
			return true;
	return false;
}

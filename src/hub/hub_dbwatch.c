/* hub_dbwatch.c: the hub's watch on its database connection between operations (PostgreSQL; SQLite has none):
 * the connection's socket on a libev watcher, so that a server closing it (restarting, failing over) is
 * noticed at once and not at the next write; while it is down, a timer for the next reconnection attempt
 * (backed off by the store: a timer only while the database is away, nothing when all is well); and the stop
 * when the reconnection finds that another hub took the serving lock meanwhile: this hub's writes are
 * fenced, so it closes its connections (1001) and its clients move on to the hub that serves. */
#include <ev.h>
#include <stdlib.h>

#include "hub_core.h"
#include "hub_dbwatch.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

struct hub_dbwatch {
	struct hub *h;
	struct ev_loop *loop;
	ev_io io;
	ev_timer retry;
	int fd;          /* the socket io watches, -1: none */
	uint64_t losses; /* the connection's losses when io was set: another loss, another socket */
};

static void dbwatch_check(struct hub_dbwatch *w);

static void on_io(struct ev_loop *loop, ev_io *io, int revents)
{
	(void)loop;
	(void)revents;
	dbwatch_check(io->data);
}

static void on_retry(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	dbwatch_check(t->data);
}

/* Watch the connection's current socket; arm the retry timer for `retry_ms` (0: none). */
static void dbwatch_arm(struct hub_dbwatch *w, int retry_ms)
{
	struct hub *h = w->h;
	int fd = hub_db_watch_fd(h->db);
	uint64_t losses = hub_db_connection_losses(h->db);
	if (fd != w->fd || losses != w->losses) {
		ev_io_stop(w->loop, &w->io);
		w->fd = fd;
		w->losses = losses;
		if (fd >= 0) {
			ev_io_set(&w->io, fd, EV_READ);
			ev_io_start(w->loop, &w->io);
		}
	}
	if (retry_ms > 0 && !ev_is_active(&w->retry)) {
		ev_timer_set(&w->retry, retry_ms / 1000.0, 0.0);
		ev_timer_start(w->loop, &w->retry);
	}
}

static void dbwatch_check(struct hub_dbwatch *w)
{
	struct hub *h = w->h;
	ev_timer_stop(w->loop, &w->retry);
	int r = hub_db_watch(h->db);
	if (r < 0 || hub_db_fenced(h->db)) {
		hub_dbwatch_free(h);
		if (!h->fenced) {
			h->fenced = true;
			log_error("another hub serves the database now: this hub stops, and its clients move on to it");
			hub_server_stop(h->srv);
		}
		return;
	}
	dbwatch_arm(w, r);
}

void hub_dbwatch_start(struct hub *h)
{
	if (!hub_db_is_postgres(h->db) || h->dbwatch)
		return;
	struct hub_dbwatch *w = xcalloc(1, sizeof *w);
	w->h = h;
	w->loop = hub_server_loop(h->srv);
	w->fd = -1;
	ev_init(&w->io, on_io);
	w->io.data = w;
	ev_init(&w->retry, on_retry);
	w->retry.data = w;
	h->dbwatch = w;
	dbwatch_arm(w, 0);
}

void hub_dbwatch_pass(struct hub *h)
{
	struct hub_dbwatch *w = h->dbwatch;
	if (!w)
		return;
	if (hub_db_fenced(h->db)) { /* a statement of this pass found it */
		dbwatch_check(w);
		return;
	}
	/* a statement of this pass may have lost the connection, or made a new one */
	int fd = hub_db_watch_fd(h->db);
	if (fd != w->fd || hub_db_connection_losses(h->db) != w->losses)
		dbwatch_arm(w, fd < 0 ? 1 : 0);
}

void hub_dbwatch_free(struct hub *h)
{
	struct hub_dbwatch *w = h->dbwatch;
	if (!w)
		return;
	ev_io_stop(w->loop, &w->io);
	ev_timer_stop(w->loop, &w->retry);
	free(w);
	h->dbwatch = NULL;
}

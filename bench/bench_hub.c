/* bench_hub.c: the hub under load, measured against the libwebsockets test server's mirror protocol in the
 * same run, on the same machine, by the same load generator (one libwebsockets client context here).
 *
 *   memory per idle connection: the server's VmRSS growth over 2,000 WebSocket connections that say nothing
 *   (hub: customer endpoint; test server: lws-mirror-protocol);
 *   scale and latency: 1,000 operators signed in, 5,000 customers with an open, assigned chat; then customers
 *   write 1,000 messages a second for 10 s; the latency of each is taken from the customer's send to the
 *   operator's receipt (both in this process, CLOCK_MONOTONIC);
 *   CPU per delivered message: the server's user+system time over that window (from /proc) per message. Each
 *   message costs the hub one frame in, one SQLite commit (synchronous=FULL), the ack and the operator's
 *   copy; the mirror gets one frame in and sends two (to the receiver and back to the sender), storing
 *   nothing. The mirror carries the 2,000 idle connections (one instance) and 2 sender/receiver pairs (an
 *   instance each: the test server keeps at most 3) at the same rate.
 *
 * With --postgres DIR (a scripts/pg-cluster folder, its server running with fsync on): the same load, instead
 * of the mirror, on one hub on SQLite, one hub on PostgreSQL and one hub on PostgreSQL with two more hubs
 * standing by (issue 16); the database's CPU (its postmaster and backends) counted beside the hub's, the CPU
 * ceiling each set-up implies (the hub's one thread, or every core shared with the database), and how long
 * from a kill -9 of the serving hub until a standby listens with the store loaded.
 *
 * Usage: bench_hub OPDESK_HUB_BINARY [TEST_SERVER_BINARY]   (default /usr/bin/libwebsockets-test-server)
 *        bench_hub OPDESK_HUB_BINARY --postgres PG_CLUSTER_DIR */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <ev.h>
#include <libwebsockets.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "bench_server.h"

#define N_OPS 1000
#define N_CUST 5000
#define N_IDLE 2000
#define N_PAIRS 2      /* the test server keeps at most 3 mirror instances: the idle ones' and 2 pairs */
#define RATE 1000     /* messages a second */
#define SECONDS 10
#define TICK_MS 10
#define QMAX 8

enum kind { K_AGENT, K_CUST, K_IDLE, K_MTX, K_MRX, K_SUP };
#define SUP_SLOT (N_OPS + N_CUST + N_IDLE) /* one supervisor watching the board throughout */

struct conn {
	struct lws *wsi;
	enum kind kind;
	int id;
	bool up, ready, failed;
	char q[QMAX][320];
	size_t qlen[QMAX];
	int qhead, qn;
	char *rx;
	size_t rx_len;
	unsigned sent;
};

static struct {
	struct ev_loop *loop; /* the generator's loop is libev's too: lws's own polls every descriptor each pass */
	struct lws_context *ctx;
	struct conn *c;
	int n;
	int port;
	const char *proto;
	int up, ready, failed, assigned;
	bool measuring;
	int64_t *lat;
	size_t n_lat;
	uint64_t sent, dropped;
	uint64_t boards, board_bytes; /* boards the supervisor got while measuring */
	int next_sender;
	int first_sender, n_senders;
	ev_timer tick;
	bool ticking;
} B;

/* ---- the server processes ---- */

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || getsockname(fd, (struct sockaddr *)&sa, &len))
		bench_die("no free port");
	close(fd);
	return ntohs(sa.sin_port);
}

/* A database with N_OPS operator accounts sharing one secret (hashed once by `opdesk-hub user add`). */

/* The physical limit under the hub's promise: durable commits (WAL, synchronous=FULL, one row each) at the
 * benchmark's rate in a database of our own, on the same disk: the median, 99th percentile and maximum in ms. */
static void commit_latency(const char *dir, double *p50, double *p99, double *max)
{
	char path[256];
	snprintf(path, sizeof path, "%s/fsync.db", dir);
	sqlite3 *h;
	if (sqlite3_open(path, &h) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(x TEXT);", NULL, NULL,
			 NULL) != SQLITE_OK)
		bench_die("cannot make the fsync probe database");
	enum { N = RATE * SECONDS };
	int64_t *v = malloc(sizeof *v * N);
	int64_t next = bench_now_ns();
	for (int i = 0; i < N; i++) {
		while (bench_now_ns() < next)
			usleep(100);
		int64_t t = bench_now_ns();
		if (sqlite3_exec(h, "BEGIN IMMEDIATE; INSERT INTO t VALUES('a message of about sixty bytes, as a chat line is'); "
				    "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
			bench_die(sqlite3_errmsg(h));
		v[i] = bench_now_ns() - t;
		next += 1000000000 / RATE;
	}
	sqlite3_close(h);
	qsort(v, N, sizeof *v, bench_cmp64);
	*p50 = (double)v[N / 2] / 1e6;
	*p99 = (double)v[N * 99 / 100] / 1e6;
	*max = (double)v[N - 1] / 1e6;
	free(v);
}

/* ---- the load generator ---- */

static void enqueue(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void enqueue(struct conn *c, const char *fmt, ...)
{
	if (c->qn == QMAX) {
		B.dropped++;
		return;
	}
	int slot = (c->qhead + c->qn++) % QMAX;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(c->q[slot] + LWS_PRE, sizeof c->q[slot] - LWS_PRE, fmt, ap);
	va_end(ap);
	c->qlen[slot] = (size_t)n;
	if (c->wsi)
		lws_callback_on_writable(c->wsi);
}

static void on_text(struct conn *c, const char *s, size_t len)
{
	if (c->kind == K_MRX || c->kind == K_MTX) {
		if (c->kind == K_MRX && B.measuring && s[0] == 'b' && s[1] == ' ')
			B.lat[B.n_lat++] = bench_now_ns() - strtoll(s + 2, NULL, 10);
		return;
	}
	const char *t = strstr(s, "\"type\":\"");
	if (!t)
		return;
	t += 8;
	if (c->kind == K_AGENT) {
		if (strncmp(t, "welcome", 7) == 0 && !c->ready) {
			c->ready = true;
			B.ready++;
		} else if (strncmp(t, "assigned", 8) == 0) {
			B.assigned++;
		} else if (strncmp(t, "message", 7) == 0 && B.measuring) {
			const char *b = strstr(s, "\"text\":\"b ");
			if (b)
				B.lat[B.n_lat++] = bench_now_ns() - strtoll(b + 10, NULL, 10);
		}
	} else if (c->kind == K_SUP) {
		if (strncmp(t, "welcome", 7) == 0 && !c->ready) {
			c->ready = true;
			B.ready++;
			enqueue(c, "{\"type\":\"monitor\",\"on\":true}");
		} else if (strncmp(t, "board", 5) == 0 && B.measuring) {
			B.boards++;
			B.board_bytes += len;
		}
	} else if (c->kind == K_CUST && strncmp(t, "opened", 6) == 0 && !c->ready) {
		c->ready = true;
		B.ready++;
	}
}

static int cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn *c = lws_get_opaque_user_data(wsi);
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->up = true;
		B.up++;
		if (c->kind == K_AGENT)
			enqueue(c, "{\"type\":\"hello\",\"user\":\"op%d\",\"secret\":\"bench-secret\",\"role\":\"operator\"}",
				c->id);
		else if (c->kind == K_SUP)
			enqueue(c, "{\"type\":\"hello\",\"user\":\"sup\",\"secret\":\"bench-secret\",\"role\":\"supervisor\"}");
		else if (c->kind == K_CUST)
			enqueue(c, "{\"type\":\"open\",\"channel\":\"web\",\"name\":\"Покупатель %d\",\"text\":\"Где мой заказ?\"}",
				c->id);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->rx = realloc(c->rx, c->rx_len + len + 1);
		memcpy(c->rx + c->rx_len, in, len);
		c->rx_len += len;
		if (lws_is_final_fragment(wsi)) {
			c->rx[c->rx_len] = '\0';
			on_text(c, c->rx, c->rx_len);
			c->rx_len = 0;
		}
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (c->qn) {
			int slot = c->qhead;
			if (lws_write(wsi, (unsigned char *)c->q[slot] + LWS_PRE, c->qlen[slot], LWS_WRITE_TEXT) <
			    (int)c->qlen[slot])
				return -1;
			c->qhead = (c->qhead + 1) % QMAX;
			if (--c->qn)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (c) {
			if (c->up)
				B.up--;
			c->wsi = NULL;
			c->up = false;
			c->failed = true;
			B.failed++;
		}
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static void connect_one(struct conn *c, const char *proto, const char *path)
{
	struct lws_client_connect_info ci;
	memset(&ci, 0, sizeof ci);
	ci.context = B.ctx;
	ci.address = "127.0.0.1";
	ci.port = B.port;
	ci.path = path;
	ci.host = "127.0.0.1";
	ci.origin = "127.0.0.1";
	ci.protocol = proto;
	ci.local_protocol_name = "bench";
	ci.opaque_user_data = c;
	ci.pwsi = &c->wsi;
	lws_client_connect_via_info(&ci);
}

static void wake(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

/* Serve until cond() or timeout; a 20 ms timer keeps the loop turning to look at the clock. */
static bool run_until(bool (*cond)(void), int timeout_ms)
{
	ev_timer w;
	ev_timer_init(&w, wake, 0.02, 0.02);
	ev_timer_start(B.loop, &w);
	int64_t end = bench_now_ns() + (int64_t)timeout_ms * 1000000;
	while (!cond() && bench_now_ns() < end)
		ev_run(B.loop, EVRUN_ONCE);
	ev_timer_stop(B.loop, &w);
	return cond();
}

static int want_up, want_ready;
static bool all_up(void) { return B.up + B.failed >= want_up; }
static bool all_ready(void) { return B.ready >= want_ready || B.failed > 0; }
static bool all_assigned(void) { return B.assigned >= want_ready || B.failed > 0; }

/* Open conns [from, to) in batches, serving in between (a burst of thousands overruns the listen backlog). */
static void connect_range(int from, int to, enum kind kind, const char *proto)
{
	for (int i = from; i < to; i++) {
		B.c[i].kind = kind;
		char path[64] = "/"; /* the mirror keeps a pair apart by its instance name */
		if (kind == K_MTX || kind == K_MRX)
			snprintf(path, sizeof path, "/?mirror=p%d", B.c[i].id);
		connect_one(&B.c[i], proto, path);
		if (kind == K_AGENT && (i - from) % 50 == 49) {
			/* sign-ins check a yescrypt hash (~15 ms each, on the hub's one thread): 50 at a time, or the
			 * waiting handshakes time out in the generator */
			want_ready = B.ready + 50;
			run_until(all_ready, 30000);
		} else if ((i - from) % 100 == 99) { /* let most of this batch come up before the next */
			want_up = B.up + B.failed + 50;
			run_until(all_up, 200);
		}
	}
}

static void send_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	if (!B.ticking)
		return;
	for (int k = 0; k < RATE * TICK_MS / 1000; k++) {
		struct conn *c = &B.c[B.first_sender + B.next_sender];
		B.next_sender = (B.next_sender + 1) % B.n_senders;
		if (c->kind == K_MTX)
			enqueue(c, "b %lld", (long long)bench_now_ns());
		else
			enqueue(c, "{\"type\":\"message\",\"client_msg_id\":\"b%u\",\"text\":\"b %lld\"}", ++c->sent,
				(long long)bench_now_ns());
		B.sent++;
	}
}

static bool never(void) { return false; }

struct load_result {
	double cpu_us_per_msg, p50_ms, p99_ms, max_ms;
	uint64_t sent;
	size_t received;
};

/* RATE messages a second for SECONDS from conns [first, first + n), the server's CPU over the window. */
static struct load_result load(pid_t server, int first, int n)
{
	B.first_sender = first;
	B.n_senders = n;
	B.next_sender = 0;
	B.n_lat = 0;
	B.sent = 0;
	B.measuring = true;
	B.ticking = true;
	double cpu0 = bench_cpu_seconds(server);
	ev_timer_init(&B.tick, send_tick, TICK_MS / 1000.0, TICK_MS / 1000.0);
	ev_timer_start(B.loop, &B.tick);
	run_until(never, SECONDS * 1000);
	B.ticking = false;
	ev_timer_stop(B.loop, &B.tick);
	run_until(never, 1000); /* what is on its way arrives */
	double cpu1 = bench_cpu_seconds(server);
	B.measuring = false;
	struct load_result r = { .sent = B.sent, .received = B.n_lat };
	r.cpu_us_per_msg = (cpu1 - cpu0) * 1e6 / (double)(B.n_lat ? B.n_lat : 1);
	qsort(B.lat, B.n_lat, sizeof *B.lat, bench_cmp64);
	if (B.n_lat) {
		r.p50_ms = (double)B.lat[B.n_lat / 2] / 1e6;
		r.p99_ms = (double)B.lat[B.n_lat * 99 / 100] / 1e6;
		r.max_ms = (double)B.lat[B.n_lat - 1] / 1e6;
	}
	return r;
}

static void reset_conns(void)
{
	for (int i = 0; i < B.n; i++) {
		free(B.c[i].rx);
		memset(&B.c[i], 0, sizeof B.c[i]);
		B.c[i].id = i;
	}
	B.up = B.ready = B.failed = B.assigned = 0;
}

static struct lws_context *make_context(void)
{
	static const struct lws_protocols protocols[] = {
		{ "bench", cb, 0, 65536, 0, NULL, 0 },
		{ NULL, NULL, 0, 0, 0, NULL, 0 },
	};
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	if (!B.loop)
		B.loop = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOENV);
	void *loops[] = { B.loop };
	info.foreign_loops = loops;
	info.options = LWS_SERVER_OPTION_LIBEV;
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.fd_limit_per_thread = 1 + N_OPS + N_CUST + N_IDLE + 1 + 64;
	struct lws_context *ctx = lws_create_context(&info);
	if (!ctx)
		bench_die("lws_create_context failed");
	return ctx;
}

/* VmRSS growth of `server` per connection over N_IDLE connections that say nothing. */
static double idle_bytes(pid_t server, int first, const char *proto, const char *path)
{
	run_until(never, 300);
	long before = bench_proc_field(server, "VmRSS:");
	int up0 = B.up;
	for (int i = first; i < first + N_IDLE; i++) {
		B.c[i].kind = K_IDLE;
		connect_one(&B.c[i], proto, path);
		if ((i - first) % 100 == 99) {
			want_up = up0 + (i - first) + 1 - 50;
			run_until(all_up, 500);
		}
	}
	want_up = up0 + N_IDLE;
	if (!run_until(all_up, 20000) || B.up < up0 + N_IDLE)
		fprintf(stderr, "bench_hub: only %d of %d idle connections came up\n", B.up - up0, N_IDLE);
	run_until(never, 500);
	long after = bench_proc_field(server, "VmRSS:");
	int n = B.up - up0;
	return (double)(after - before) * 1024.0 / (double)(n > 0 ? n : 1);
}

/* ---- one hub under the load ---- */

struct hub_run {
	double signin_s, open_s, idle_bytes, db_cpu_us_per_msg, takeover_ms;
	long rss_kb;
	struct load_result load;
};

/* The user+system time of a PostgreSQL cluster (its postmaster, the backends it has and those it reaped), in
 * seconds: where the work of the hub's store goes on PostgreSQL. -1 without a cluster. */
static double pg_cpu_seconds(const char *cluster)
{
	if (!cluster)
		return -1;
	char path[512], buf[1024];
	snprintf(path, sizeof path, "%s/data/postmaster.pid", cluster);
	FILE *f = fopen(path, "re");
	int postmaster = 0;
	if (!f || fscanf(f, "%d", &postmaster) != 1)
		bench_die("cannot read the cluster's postmaster.pid");
	fclose(f);
	double total = 0;
	DIR *proc = opendir("/proc");
	struct dirent *e;
	while (proc && (e = readdir(proc))) {
		int pid = atoi(e->d_name);
		if (pid <= 0)
			continue;
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		f = fopen(path, "re");
		if (!f)
			continue;
		bool ok = fgets(buf, sizeof buf, f) != NULL;
		fclose(f);
		const char *p = ok ? strrchr(buf, ')') : NULL;
		int ppid = 0;
		unsigned long ut = 0, st = 0;
		long cut = 0, cst = 0;
		if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &ppid, &ut, &st,
				 &cut, &cst) != 5)
			continue;
		if (pid == postmaster)
			total += (double)(ut + st + (unsigned long)cut + (unsigned long)cst);
		else if (ppid == postmaster)
			total += (double)(ut + st);
	}
	if (proc)
		closedir(proc);
	return total / (double)sysconf(_SC_CLK_TCK);
}

static pid_t start_hub(const char *hub, const char *db, bool standby, int *ready_rd)
{
	int ready[2];
	if (pipe(ready))
		bench_die("pipe");
	char *argv[] = { (char *)hub, "--port", "0", "--ready-fd", "3", "--db", (char *)db, "--capacity", "5",
			 "--log-level", getenv("BENCH_VERBOSE") ? "info" : "warn", "--max-connections", "20000",
			 standby ? "--standby" : NULL, NULL };
	pid_t pid = bench_server_spawn(argv, ready[1]);
	close(ready[1]);
	*ready_rd = ready[0];
	return pid;
}

/* The port a hub wrote on its ready descriptor once it listens (a standby: once it took over), or 0. */
static int hub_port(int ready_rd)
{
	char portbuf[16] = "";
	ssize_t n = read(ready_rd, portbuf, sizeof portbuf - 1);
	close(ready_rd);
	return n > 0 ? atoi(portbuf) : 0;
}

/* The hub on `db` with `standbys` more hubs standing by on it (PostgreSQL), under the whole load: idle
 * connections, sign-ins, chats, then RATE messages a second. With standbys, the serving hub is killed (-9)
 * at the end and the time until the first standby listens again is taken. */
static struct hub_run run_hub(const char *hub, const char *db, const char *cluster, int standbys)
{
	struct hub_run r = { .db_cpu_us_per_msg = -1, .takeover_ms = -1 };
	int ready_rd, standby_rd[4];
	pid_t hub_pid = bench_server_pid = start_hub(hub, db, false, &ready_rd);
	if (!(B.port = hub_port(ready_rd)))
		bench_die("the hub did not start");
	pid_t standby_pid[4];
	for (int i = 0; i < standbys; i++)
		standby_pid[i] = start_hub(hub, db, true, &standby_rd[i]);
	B.ctx = make_context();
	reset_conns();

	r.idle_bytes = idle_bytes(hub_pid, N_OPS + N_CUST, "opdesk.customer.v1", "/");
	int64_t t0 = bench_now_ns();
	connect_range(0, N_OPS, K_AGENT, "opdesk.agent.v1");
	want_ready = N_OPS;
	want_up = N_OPS;
	run_until(all_up, 20000);
	if (!run_until(all_ready, 120000)) {
		fprintf(stderr, "bench_hub: %d up, %d signed in, %d failed\n", B.up, B.ready, B.failed);
		bench_die("the operators did not all sign in");
	}
	r.signin_s = (double)(bench_now_ns() - t0) / 1e9;
	B.c[SUP_SLOT].kind = K_SUP;
	connect_one(&B.c[SUP_SLOT], "opdesk.agent.v1", "/");
	want_ready = B.ready + 1;
	if (!run_until(all_ready, 30000))
		bench_die("the supervisor did not sign in");
	t0 = bench_now_ns();
	int ready0 = B.ready;
	connect_range(N_OPS, N_OPS + N_CUST, K_CUST, "opdesk.customer.v1");
	want_ready = ready0 + N_CUST;
	if (!run_until(all_ready, 120000))
		bench_die("the customers did not all open chats");
	want_ready = N_CUST;
	if (!run_until(all_assigned, 60000))
		fprintf(stderr, "bench_hub: only %d of %d chats were assigned\n", B.assigned, N_CUST);
	r.open_s = (double)(bench_now_ns() - t0) / 1e9;
	r.rss_kb = bench_proc_field(hub_pid, "VmRSS:");
	fprintf(stderr, "bench_hub: the hub (pid %d, %s) at %d msg/s for %d s\n", (int)hub_pid,
		cluster ? "PostgreSQL" : "SQLite", RATE, SECONDS);
	double db0 = pg_cpu_seconds(cluster);
	r.load = load(hub_pid, N_OPS, N_CUST);
	if (cluster)
		r.db_cpu_us_per_msg = (pg_cpu_seconds(cluster) - db0) * 1e6 / (double)(r.load.received ? r.load.received : 1);
	if (standbys) {
		kill(hub_pid, SIGKILL);
		int64_t k = bench_now_ns();
		waitpid(hub_pid, NULL, 0);
		if (!hub_port(standby_rd[0]))
			bench_die("the standby did not take over");
		r.takeover_ms = (double)(bench_now_ns() - k) / 1e6;
		bench_server_pid = standby_pid[0];
		for (int i = 1; i < standbys; i++) {
			close(standby_rd[i]);
			bench_server_stop(standby_pid[i]);
		}
		hub_pid = standby_pid[0];
	}
	lws_context_destroy(B.ctx);
	bench_server_stop(hub_pid);
	bench_server_pid = 0;
	return r;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* A database of our own on the cluster in `cluster` (a scripts/pg-cluster folder): its conninfo. */
static void pg_database(const char *cluster, const char *name, char *conninfo, size_t size)
{
	char path[512], port[16] = "5432";
	snprintf(path, sizeof path, "%s/port", cluster);
	FILE *f = fopen(path, "re");
	if (f) {
		if (!fgets(port, sizeof port, f))
			snprintf(port, sizeof port, "5432");
		port[strcspn(port, "\n")] = '\0';
		fclose(f);
	}
	snprintf(conninfo, size, "host=%s port=%s user=opdesk dbname=postgres", cluster, port);
	PGconn *pg = PQconnectdb(conninfo);
	if (PQstatus(pg) != CONNECTION_OK)
		bench_die(PQerrorMessage(pg));
	PQsetNoticeProcessor(pg, quiet, NULL); /* "does not exist, skipping" */
	char sql[256];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
	PQclear(PQexec(pg, sql));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PGresult *res = PQexec(pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		bench_die(PQerrorMessage(pg));
	PQclear(res);
	PQfinish(pg);
	snprintf(conninfo, size, "host=%s port=%s user=opdesk dbname=%s", cluster, port, name);
}

static void print_run(const char *name, const struct hub_run *r)
{
	char db[32] = "(in the hub)", total[32], takeover[32] = "";
	/* the CPU ceiling: the hub's one thread, or all cores shared by the hub and the database's backends */
	double db_us = r->db_cpu_us_per_msg > 0 ? r->db_cpu_us_per_msg : 0, hub_us = r->load.cpu_us_per_msg;
	double ceiling = 1e6 / hub_us, shared = (double)sysconf(_SC_NPROCESSORS_ONLN) * 1e6 / (hub_us + db_us);
	if (shared < ceiling)
		ceiling = shared;
	if (r->db_cpu_us_per_msg >= 0)
		snprintf(db, sizeof db, "%.1f us", r->db_cpu_us_per_msg);
	snprintf(total, sizeof total, "%.1f us",
		 r->load.cpu_us_per_msg + (r->db_cpu_us_per_msg > 0 ? r->db_cpu_us_per_msg : 0));
	if (r->takeover_ms >= 0)
		snprintf(takeover, sizeof takeover, "%.0f ms", r->takeover_ms);
	printf("| %-24s | %6.0f msg/s | %5zu of %5llu | %8.1f us | %14s | %10s | %7.0f msg/s | %6.2f ms | %6.2f ms | "
	       "%6.2f ms | %s\n",
	       name, (double)r->load.received / SECONDS, r->load.received, (unsigned long long)r->load.sent,
	       r->load.cpu_us_per_msg, db, total, ceiling, r->load.p50_ms, r->load.p99_ms, r->load.max_ms, takeover);
}

/* Issue 16's comparison: the same load on one hub on SQLite, one on PostgreSQL, and one on PostgreSQL with
 * two more standing by (killed at the end: how long until a standby serves). */
static int compare_stores(const char *hub, const char *cluster)
{
	char dir[] = "/tmp/bench_hub.XXXXXX", db[256], pg[640], cmd[512];
	if (!mkdtemp(dir))
		bench_die("mkdtemp");
	snprintf(db, sizeof db, "%s/hub.db", dir);
	bench_make_db(hub, db, N_OPS);
	struct hub_run sqlite = run_hub(hub, db, NULL, 0);
	pg_database(cluster, "bench_hub_one", pg, sizeof pg);
	bench_make_db(hub, pg, N_OPS);
	struct hub_run one = run_hub(hub, pg, cluster, 0);
	pg_database(cluster, "bench_hub_three", pg, sizeof pg);
	bench_make_db(hub, pg, N_OPS);
	struct hub_run three = run_hub(hub, pg, cluster, 2);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_hub: cannot remove %s\n", dir);
	printf("the store under the same load (%d operators, %d chats, %d idle connections, %d msg/s for %d s):\n",
	       N_OPS, N_CUST, N_IDLE, RATE, SECONDS);
	printf("| %-24s | %12s | %14s | %11s | %14s | %10s | %13s | %9s | %9s | %9s | %s\n", "set-up", "delivered",
	       "of sent", "hub CPU/msg", "database CPU/msg", "total/msg", "CPU ceiling", "p50", "p99", "max",
	       "kill -9 to a standby serving");
	print_run("one hub, SQLite", &sqlite);
	print_run("one hub, PostgreSQL", &one);
	print_run("three hubs, PostgreSQL", &three);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cluster = NULL, *args[2] = { NULL, NULL };
	int n_args = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--postgres") == 0 && i + 1 < argc)
			cluster = argv[++i];
		else if (n_args < 2)
			args[n_args++] = argv[i];
	}
	if (!args[0]) {
		fprintf(stderr, "usage: bench_hub OPDESK_HUB [TEST_SERVER]\n"
				"       bench_hub OPDESK_HUB --postgres PG_CLUSTER_DIR   (scripts/pg-cluster's folder)\n");
		return 2;
	}
	const char *hub = args[0];
	const char *mirror = args[1] ? args[1] : "/usr/bin/libwebsockets-test-server";
	if (!cluster && access(mirror, X_OK) != 0) {
		fprintf(stderr, "bench_hub: %s is missing (Debian package libwebsockets-test-server; scripts/setup --bench)\n",
			mirror);
		return 1;
	}
	bench_generator_setup();
	lws_set_log_level(LLL_ERR, NULL);
	B.n = N_OPS + N_CUST + N_IDLE + 1;
	B.c = calloc((size_t)B.n, sizeof *B.c);
	B.lat = malloc(sizeof *B.lat * (RATE * (SECONDS + 5)));
	if (cluster)
		return compare_stores(hub, cluster);

	/* ---- the hub ---- */
	char dir[] = "/tmp/bench_hub.XXXXXX";
	if (!mkdtemp(dir))
		bench_die("mkdtemp");
	char db[256], cmd[512];
	snprintf(db, sizeof db, "%s/hub.db", dir);
	double f50, f99, fmax;
	commit_latency(dir, &f50, &f99, &fmax);
	bench_make_db(hub, db, N_OPS);
	struct hub_run hr = run_hub(hub, db, NULL, 0);
	struct load_result h = hr.load;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_hub: cannot remove %s\n", dir);
	/* ---- the libwebsockets test server, same load generator ---- */
	B.port = free_port();
	char portarg[32];
	snprintf(portarg, sizeof portarg, "--port=%d", B.port);
	char *m_argv[] = { (char *)mirror, portarg, NULL };
	pid_t m_pid = bench_server_pid = bench_server_spawn(m_argv, -1);
	usleep(300000);
	B.ctx = make_context();
	reset_conns();
	double m_idle = idle_bytes(m_pid, N_OPS + N_CUST, "lws-mirror-protocol", "/?mirror=idle");
	/* pair i: sender conns[i] and receiver conns[N_PAIRS + i], alone in mirror instance p<i> */
	for (int i = 0; i < 2 * N_PAIRS; i++)
		B.c[i].id = i % N_PAIRS;
	connect_range(0, N_PAIRS, K_MTX, "lws-mirror-protocol");
	connect_range(N_PAIRS, 2 * N_PAIRS, K_MRX, "lws-mirror-protocol");
	want_up = 2 * N_PAIRS + N_IDLE;
	if (!run_until(all_up, 20000) || B.up < want_up)
		fprintf(stderr, "bench_hub: only %d of %d mirror connections came up\n", B.up, want_up);
	struct load_result m = load(m_pid, 0, N_PAIRS);
	lws_context_destroy(B.ctx);
	bench_server_stop(m_pid);

	printf("hub: %d operators signed in in %.1f s; %d chats opened and assigned in %.1f s; hub VmRSS %ld KiB\n",
	       N_OPS, hr.signin_s, N_CUST, hr.open_s, hr.rss_kb);
	printf("memory per idle connection: hub %.0f bytes, libwebsockets test server %.0f bytes (target: hub < 6 KB)\n",
	       hr.idle_bytes, m_idle);
	printf("hub at %.0f msg/s for %d s: %zu of %llu delivered; latency customer -> operator p50 %.2f ms, p99 %.2f ms, "
	       "max %.2f ms (target p99 < 5 ms); CPU %.1f us a message\n",
	       (double)h.sent / SECONDS, SECONDS, h.received, (unsigned long long)h.sent, h.p50_ms, h.p99_ms, h.max_ms, h.cpu_us_per_msg);
	printf("a supervisor monitoring throughout: %llu boards in the %d s, %.0f KB each\n",
	       (unsigned long long)B.boards, SECONDS, B.boards ? (double)B.board_bytes / (double)B.boards / 1024 : 0.0);
	printf("physical limit: a durable SQLite commit (WAL, synchronous=FULL) at %d a second on this disk: p50 %.2f ms, "
	       "p99 %.2f ms, max %.2f ms\n", RATE, f50, f99, fmax);
	printf("test server mirror at %.0f msg/s for %d s: %zu of %llu delivered; latency p50 %.2f ms, p99 %.2f ms, "
	       "max %.2f ms; CPU %.1f us a message\n",
	       (double)m.sent / SECONDS, SECONDS, m.received, (unsigned long long)m.sent, m.p50_ms, m.p99_ms, m.max_ms, m.cpu_us_per_msg);
	printf("CPU per delivered message: hub / mirror = %.2f (target <= 1.5)\n",
	       m.cpu_us_per_msg > 0 ? h.cpu_us_per_msg / m.cpu_us_per_msg : 0.0);
	if (B.dropped)
		printf("(the load generator's queues overflowed %llu times)\n", (unsigned long long)B.dropped);
	return 0;
}

/* bench_board.c: what the supervisors' board costs the hub, beside what a message costs it, in one run: 1,000
 * operators signed in, 5,000 customers with an open, assigned chat; customers write 1,000 messages a second for
 * 10 s and their operators answer each (so every second changes most operators' rows: their chats' unanswered
 * times), three times: with nobody monitoring (the message path alone: CPU per stored message), with one
 * supervisor getting whole boards, and with one getting delta boards (`monitor` with `delta`). The board's cost
 * is the hub's CPU over a window with the supervisor less that without, per second of boards; with the boards
 * it got and their bytes. The hub's CPU is its user+system time from /proc.
 *
 * Usage: bench_board OPDESK_HUB_BINARY */
#include <errno.h>
#include <fcntl.h>
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
#define N_IDLE 0
#define RATE 1000     /* messages a second */
#define SECONDS 10
#define TICK_MS 10
#define QMAX 8

enum kind { K_AGENT, K_CUST, K_SUP };
#define SUP_SLOT (N_OPS + N_CUST) /* one supervisor, monitoring in the second and third windows */

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
	uint64_t answered;            /* operators' answers sent while measuring */
	int next_sender;
	int first_sender, n_senders;
	ev_timer tick;
	bool ticking;
} B;

/* ---- the server processes ---- */

/* A database with N_OPS operator accounts sharing one secret (hashed once by `opdesk-hub user add`). */

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
			const char *d = strstr(s, "\"dialog\":");
			if (b && d) {
				B.lat[B.n_lat++] = bench_now_ns() - strtoll(b + 10, NULL, 10);
				enqueue(c, "{\"type\":\"send\",\"dialog\":%lld,\"client_msg_id\":\"r%u\",\"text\":\"ответ\"}",
					strtoll(d + 9, NULL, 10), ++c->sent);
				B.answered++;
			}
		}
	} else if (c->kind == K_SUP) {
		if (strncmp(t, "welcome", 7) == 0 && !c->ready) {
			c->ready = true;
			B.ready++;
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
		const char *path = "/";
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
		enqueue(c, "{\"type\":\"message\",\"client_msg_id\":\"b%u\",\"text\":\"b %lld\"}", ++c->sent,
				(long long)bench_now_ns());
		B.sent++;
	}
}

static bool never(void) { return false; }

struct load_result {
	double cpu_s, cpu_us_per_msg, p50_ms, p99_ms, max_ms;
	uint64_t boards, board_bytes, answered;
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
	B.boards = B.board_bytes = B.answered = 0;
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
	struct load_result r = { .sent = B.sent, .received = B.n_lat, .cpu_s = cpu1 - cpu0, .boards = B.boards,
				 .board_bytes = B.board_bytes, .answered = B.answered };
	/* a message stored: the customer's and the operator's answer */
	r.cpu_us_per_msg = r.cpu_s * 1e6 / (double)(B.n_lat + B.answered ? B.n_lat + B.answered : 1);
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

static void print_window(const char *what, const struct load_result *r)
{
	printf("%s: %llu customer messages and %llu answers in %d s, p99 customer -> operator %.2f ms; hub CPU %.3f s "
	       "(%.1f us a stored message)",
	       what, (unsigned long long)r->received, (unsigned long long)r->answered, SECONDS, r->p99_ms, r->cpu_s,
	       r->cpu_us_per_msg);
	if (r->boards)
		printf("; %llu boards, %.1f KB a board", (unsigned long long)r->boards,
		       (double)r->board_bytes / (double)r->boards / 1024);
	printf("\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_board OPDESK_HUB\n");
		return 2;
	}
	const char *hub = argv[1];
	bench_generator_setup();
	lws_set_log_level(LLL_ERR, NULL);
	B.n = N_OPS + N_CUST + 1;
	B.c = calloc((size_t)B.n, sizeof *B.c);
	B.lat = malloc(sizeof *B.lat * (RATE * (SECONDS + 5)));

	char dir[] = "/tmp/bench_board.XXXXXX";
	if (!mkdtemp(dir))
		bench_die("mkdtemp");
	char db[256], cmd[512];
	snprintf(db, sizeof db, "%s/hub.db", dir);
	bench_make_db(hub, db, N_OPS);
	int ready[2];
	if (pipe(ready))
		bench_die("pipe");
	char *hub_argv[] = { (char *)hub, "--port", "0", "--ready-fd", "3", "--db", db, "--capacity", "5", "--log-level",
			     getenv("BENCH_VERBOSE") ? "info" : "warn", "--max-connections", "20000", NULL };
	pid_t hub_pid = bench_server_pid = bench_server_spawn(hub_argv, ready[1]);
	close(ready[1]);
	char portbuf[16] = "";
	if (read(ready[0], portbuf, sizeof portbuf - 1) <= 0)
		bench_die("the hub did not start");
	close(ready[0]);
	B.port = atoi(portbuf);
	B.ctx = make_context();
	reset_conns();

	connect_range(0, N_OPS, K_AGENT, "opdesk.agent.v1");
	want_ready = N_OPS;
	want_up = N_OPS;
	run_until(all_up, 20000);
	if (!run_until(all_ready, 120000))
		bench_die("the operators did not all sign in");
	B.c[SUP_SLOT].kind = K_SUP;
	connect_one(&B.c[SUP_SLOT], "opdesk.agent.v1", "/");
	want_ready = B.ready + 1;
	if (!run_until(all_ready, 30000))
		bench_die("the supervisor did not sign in");
	int ready0 = B.ready;
	connect_range(N_OPS, N_OPS + N_CUST, K_CUST, "opdesk.customer.v1");
	want_ready = ready0 + N_CUST;
	if (!run_until(all_ready, 120000))
		bench_die("the customers did not all open chats");
	want_ready = N_CUST;
	if (!run_until(all_assigned, 60000))
		fprintf(stderr, "bench_board: only %d of %d chats were assigned\n", B.assigned, N_CUST);
	long hub_rss = bench_proc_field(hub_pid, "VmRSS:");
	fprintf(stderr, "bench_board: the hub (pid %d) at %d msg/s for %d s, three times\n", (int)hub_pid, RATE, SECONDS);

	struct load_result none = load(hub_pid, N_OPS, N_CUST);
	enqueue(&B.c[SUP_SLOT], "{\"type\":\"monitor\",\"on\":true}");
	run_until(never, 1500);
	struct load_result whole = load(hub_pid, N_OPS, N_CUST);
	enqueue(&B.c[SUP_SLOT], "{\"type\":\"monitor\",\"on\":true,\"delta\":true}");
	run_until(never, 1500);
	struct load_result delta = load(hub_pid, N_OPS, N_CUST);
	lws_context_destroy(B.ctx);
	bench_server_stop(hub_pid);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_board: cannot remove %s\n", dir);

	printf("bench_board: %d operators, %d open chats (hub VmRSS %ld KiB), %d customer messages a second, each "
	       "answered\n", N_OPS, N_CUST, hub_rss, RATE);
	print_window("nobody monitoring", &none);
	print_window("one supervisor, whole boards", &whole);
	print_window("one supervisor, delta boards", &delta);
	double per_msg = none.cpu_us_per_msg;
	double w_ms = (whole.cpu_s - none.cpu_s) * 1e3 / SECONDS, d_ms = (delta.cpu_s - none.cpu_s) * 1e3 / SECONDS;
	printf("the board: whole %.2f ms CPU a second (%.0f stored messages' worth), delta %.2f ms a second (%.0f "
	       "messages' worth); a message %.1f us\n",
	       w_ms, per_msg > 0 ? w_ms * 1e3 / per_msg : 0.0, d_ms, per_msg > 0 ? d_ms * 1e3 / per_msg : 0.0, per_msg);
	if (B.dropped)
		printf("(the load generator's queues overflowed %llu times)\n", (unsigned long long)B.dropped);
	return 0;
}

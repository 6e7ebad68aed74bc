/* test_client_cut_proxy.c: a TCP proxy between the operator's client and the hub cuts the connection at
 * random points (mid-frame included) while 1,000 messages go each way: the customer's (straight to the hub)
 * and the operator's (typed into the client, which resends what the hub had not acknowledged when the line
 * came back). Afterwards every message is in the database exactly once and in order, and scrolling the pane
 * through the whole history shows each exactly once, in order. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

TestSuite(client_cut_proxy, .init = e2e_setup, .fini = e2e_teardown, .timeout = 240);

#define N_MSGS 1000

static volatile sig_atomic_t stop_cutting;
static void on_usr1(int sig)
{
	(void)sig;
	stop_cutting = 1;
}

static int tcp_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* The proxy's process: one connection at a time (the client's newest), each with a random budget of bytes
 * after which it is cut in the middle of whatever it was relaying. SIGUSR1: stop cutting. */
static void proxy_main(int lfd, int hub_port, unsigned seed, const char *log_path)
{
	signal(SIGUSR1, on_usr1);
	FILE *log = fopen(log_path, "w");
	setvbuf(log, NULL, _IOLBF, 0);
	int c = -1, h = -1;
	long budget = 0;
	for (;;) {
		struct pollfd p[3] = {{.fd = lfd, .events = POLLIN}, {.fd = c, .events = POLLIN}, {.fd = h, .events = POLLIN}};
		if (poll(p, 3, 1000) < 0)
			continue;
		if (p[0].revents & POLLIN) {
			int n = accept(lfd, NULL, NULL);
			if (n < 0)
				continue;
			if (c >= 0) {
				close(c);
				close(h);
			}
			c = n;
			h = tcp_connect(hub_port);
			budget = 4096 + (long)(rand_r(&seed) % 60000);
			continue;
		}
		for (int k = 1; k <= 2 && c >= 0; k++) {
			if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int from = k == 1 ? c : h, to = k == 1 ? h : c;
			char buf[16384];
			ssize_t n = read(from, buf, sizeof buf);
			bool cut = !stop_cutting && n > 0 && n >= budget;
			size_t pass = n <= 0 ? 0 : cut ? (size_t)budget : (size_t)n;
			if (n <= 0 || !write_all(to, buf, pass) || cut) {
				if (cut)
					fprintf(log, "cut after %ld more bytes\n", budget);
				close(c);
				close(h);
				c = h = -1;
				break;
			}
			budget -= n;
		}
	}
}

static void proxy_kill(void *arg)
{
	pid_t pid = (pid_t)(intptr_t)arg;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static pid_t proxy_start(int hub_port, int *port, const char *log_path)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	cr_assert(bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(lfd, 8) == 0);
	getsockname(lfd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	unsigned seed = (unsigned)e2e_now_ms();
	cr_log_info("proxy seed %u", seed);
	pid_t pid = fork();
	if (pid == 0) {
		proxy_main(lfd, hub_port, seed, log_path);
		_exit(0);
	}
	close(lfd);
	e2e_defer(proxy_kill, (void *)(intptr_t)pid);
	return pid;
}

/* The ids ("c0001", "o0001") in the pane's rows, top to bottom. */
static size_t page_ids(struct e2e_term *t, int rows, char ids[][8], size_t max)
{
	size_t n = 0;
	for (int y = 0; y < rows && n < max; y++) {
		const char *r = term_row(t, y);
		const char *p = strstr(r, ": ");
		if (p && (p[2] == 'c' || p[2] == 'o') && strlen(p + 2) >= 5) {
			memcpy(ids[n], p + 2, 5);
			ids[n++][5] = '\0';
		}
	}
	return n;
}

/* How many messages the pane says are below what it shows ("↓ 57 newer"); 0 when it is at the bottom. */
static long scroll_count(struct e2e_term *t)
{
	const char *p = strstr(term_screen_text(t), "↓ ");
	return p ? strtol(p + strlen("↓ "), NULL, 10) : 0;
}

struct scroll_wait {
	long before;
	bool up;
};

/* The pane has drawn the page a PgUp/PgDn asked for: its count moved, or it reached the oldest message. */
static bool scroll_moved(struct e2e_term *t, void *arg)
{
	const struct scroll_wait *w = arg;
	long now = scroll_count(t);
	return w->up ? now > w->before || (now == w->before && term_has_text(t, ": start")) : now < w->before;
}

/* The ids of the whole history, oldest first: the bottom page, then PgUp until the first message. Each PgUp
 * waits until the pane reports its new position (the count of newer messages below it). That shows the
 * client has begun drawing the page, not that it has finished (a frame may reach the terminal in pieces):
 * so a character is then typed into the composer, and once it shows, the frame before it is complete (the
 * client draws one frame after another), and the page is read; a backspace takes the character away again.
 * Each page overlaps the one below it; they are joined by that overlap. */
static size_t page_through(struct e2e_term *t, char all[][8])
{
	size_t n_all = 0;
	char page[64][8];
	size_t n_page = page_ids(t, 60, page, 64);
	for (size_t k = 0; k < n_page; k++)
		memcpy(all[n_all++], page[k], 8);
	for (int pgs = 0; pgs < 200 && !term_has_text(t, ": start"); pgs++) {
		struct scroll_wait w = {scroll_count(t), true};
		term_send(t, "\x1b[5~");
		cr_assert(term_wait_until(t, scroll_moved, &w, E2E_WAIT_MS), "PgUp did not move the pane from %ld:\n%s",
		          w.before, term_screen_text(t));
		term_send(t, "#");
		term_expect(t, "> #", E2E_WAIT_MS);
		char up[64][8];
		size_t n_up = page_ids(t, 60, up, 64);
		size_t keep = n_up; /* how much of `up` comes before what `all` starts with */
		for (size_t k = 0; k < n_up; k++)
			if (strcmp(up[k], all[0]) == 0) {
				keep = k;
				break;
			}
		cr_assert_lt(keep, n_up, "page %d (%ld below) does not overlap the one below it (which starts with %s):\n%s",
		             pgs, scroll_count(t), all[0], term_screen_text(t));
		cr_assert(n_all + keep < 2 * N_MSGS + 64);
		memmove(all + keep, all, n_all * sizeof *all);
		memcpy(all, up, keep * sizeof *all);
		n_all += keep;
		term_send(t, "\x7f");
		cr_assert(term_wait_gone(t, "> #", E2E_WAIT_MS), "%s", term_screen_text(t));
	}
	return n_all;
}


E2E_TEST(client_cut_proxy, a_thousand_messages_each_way_through_a_cutting_proxy_arrive_once_in_order)
{
	const char *users[] = {"anna", "s3cret-anna", NULL};
	struct e2e_hub *h = e2e_hub_start(users, NULL);
	int pport;
	char *cuts_log = e2e_path("cuts.log");
	pid_t proxy = proxy_start(h->port, &pport, cuts_log);
	const char *extra[] = {"--url", e2e_strf("ws://127.0.0.1:%d", pport), "--keepalive", "2", NULL};
	struct e2e_term *t = term_client(h, "anna", "s3cret-anna", 60, 100, extra);
	term_expect(t, "online", E2E_WAIT_MS);
	struct e2e_ws *cust = ws_connect_ok(h->port, "opdesk.customer.v1");
	ws_sendf(cust, "{\"type\":\"open\",\"channel\":\"vk\",\"name\":\"Зоя\",\"text\":\"start\"}");
	term_expect(t, "Зоя", 20000);

	for (int i = 1; i <= N_MSGS; i++) {
		ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"cm-%d\",\"text\":\"c%04d\"}", i, i);
		term_send(t, e2e_strf("o%04d\r", i));
		term_pump(t, 75); /* 13 a second each way: with the typing notices, under the client's 40 frames a second */
		struct e2e_ws_frame f;
		while (ws_recv(cust, &f, 0) > 0) /* the customer reads what the operator writes */
			free(f.data);
	}
	kill(proxy, SIGUSR1);
	struct e2e_db *db = e2e_db_open(h->db);
	int64_t deadline = e2e_now_ms() + 90000;
	long long ops = 0, custs = 0;
	while (e2e_now_ms() < deadline) {
		ops = e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='operator'");
		custs = e2e_db_int(db, 0, "SELECT count(*) FROM messages WHERE sender='customer'");
		if (ops >= N_MSGS && custs >= N_MSGS + 1)
			break;
		term_pump(t, 200);
		struct e2e_ws_frame f;
		while (ws_recv(cust, &f, 0) > 0)
			free(f.data);
	}
	char *cuts = e2e_slurp(cuts_log, NULL);
	size_t n_cuts = 0;
	for (const char *p = cuts; p && (p = strstr(p, "cut after")); p++)
		n_cuts++;
	cr_log_info("%zu cuts", n_cuts);
	cr_assert_geq(n_cuts, 5, "the proxy hardly cut anything:\n%s", cuts ? cuts : "");

	/* the database: each exactly once, in the order sent */
	cr_assert_eq(ops, N_MSGS, "operator messages stored: %lld", ops);
	cr_assert_eq(custs, N_MSGS + 1, "customer messages stored: %lld", custs);
	cr_assert_eq(e2e_db_int(db, 0, "SELECT count(DISTINCT text) FROM messages WHERE sender='operator'"), N_MSGS);
	long long disorder = e2e_db_int(db, -1,
	                                "SELECT count(*) FROM messages a JOIN messages b ON a.dialog_id=b.dialog_id "
	                                "AND a.sender=b.sender AND a.seq<b.seq AND a.text>b.text "
	                                "WHERE a.sender IN ('operator','customer') AND a.text<>'start'");
	cr_assert_eq(disorder, 0, "%lld pairs stored out of order", disorder);

	/* the screen: the last ones, then the whole history page by page from the top. The customer's last
	 * message may have come long before the operator's last ones (and be off the screen): one more from her,
	 * stored after everything else, shows at the bottom once all before it have reached the client. */
	term_expect(t, "o1000", 30000);
	ws_sendf(cust, "{\"type\":\"message\",\"client_msg_id\":\"cm-last\",\"text\":\"c%04d\"}", N_MSGS + 1);
	term_expect(t, e2e_strf("c%04d", N_MSGS + 1), 30000);
	static char all[2 * N_MSGS + 64][8];
	size_t n_all = page_through(t, all);
	int next_c = 1, next_o = 1;
	for (size_t k = 0; k < n_all; k++) {
		int v = atoi(all[k] + 1);
		int *next = all[k][0] == 'c' ? &next_c : &next_o;
		cr_assert_eq(v, *next, "on screen: %s where %c%04d was due (%zu of %zu rows)", all[k], all[k][0], *next, k,
		             n_all);
		(*next)++;
	}
	cr_assert_eq(next_c, N_MSGS + 2, "customer messages on screen: %d", next_c - 1);
	cr_assert_eq(next_o, N_MSGS + 1, "operator messages on screen: %d", next_o - 1);
}

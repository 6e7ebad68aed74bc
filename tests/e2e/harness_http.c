/* harness_http.c: a plain HTTP GET against the hub's port (its /health, /metrics and pages). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"

/* GET path; returns the whole response (status line, headers, body), owned by the harness. */
char *e2e_http_get(int port, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	char *req = e2e_strf("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", path, port);
	cr_assert(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
	char buf[65536];
	size_t len = 0;
	int64_t end = e2e_now_ms() + E2E_WAIT_MS;
	while (len < sizeof buf - 1 && e2e_now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 200) <= 0) {
			if (len && strstr(buf, "\r\n\r\n"))
				break; /* kept open: what came is the answer */
			continue;
		}
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
	}
	close(fd);
	buf[len] = '\0';
	return e2e_strf("%s", buf);
}


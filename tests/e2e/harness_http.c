/* harness_http.c: plain HTTP/1.1 requests on loopback: the hub's /health, /metrics and pages, and the
 * WebDriver commands to ChromeDriver (harness_webdriver.c). One request a connection. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"

/* The response is complete when the connection closed, or when the headers and Content-Length bytes of
 * body have come. */
static bool http_complete(const char *buf, size_t len)
{
	const char *eoh = strstr(buf, "\r\n\r\n");
	if (!eoh)
		return false;
	for (const char *l = strstr(buf, "\r\n"); l && l < eoh; l = strstr(l + 2, "\r\n"))
		if (strncasecmp(l + 2, "content-length:", 15) == 0)
			return len - (size_t)(eoh + 4 - buf) >= strtoul(l + 17, NULL, 10);
	return false;
}

char *e2e_http_get(int port, const char *path)
{
	return e2e_http(port, "GET", path, NULL, E2E_WAIT_MS);
}

long long e2e_metric(int port, const char *name)
{
	char *text = e2e_http_get(port, "/metrics");
	const char *at = strstr(text, e2e_strf("\n%s ", name));
	cr_assert(at, "no %s in /metrics:\n%s", name, text);
	return atoll(at + strlen(name) + 2);
}

char *e2e_http_raw(int port, const char *request, size_t len, int timeout_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect to port %d: %m", port);
	for (const char *p = request; len;) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the hub may answer and close before it has read everything */
		p += n;
		len -= (size_t)n;
	}
	size_t cap = 65536, got = 0;
	char *buf = malloc(cap);
	buf[0] = '\0';
	int64_t end = e2e_now_ms() + timeout_ms;
	while (!http_complete(buf, got) && e2e_now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)(end - e2e_now_ms())) <= 0)
			continue;
		if (cap - got < 4096)
			buf = realloc(buf, cap *= 2);
		ssize_t n = read(fd, buf + got, cap - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
	}
	close(fd);
	return e2e_own(buf);
}

char *e2e_http(int port, const char *method, const char *path, const char *body, int timeout_ms)
{
	char *req = body ? e2e_strf("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
				    "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
				    method, path, port, strlen(body), body)
			 : e2e_strf("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", method, path,
				    port);
	return e2e_http_raw(port, req, strlen(req), timeout_ms);
}

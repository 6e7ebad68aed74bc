/* client_loop.c: the one event loop of the client programs (workstation, simulator, bridge): lws_service,
 * signalfd and stdin as raw lws descriptors, a 1 s clock only while needed, and one alarm for a moment the
 * screen changes by itself (see client_loop.h and docs/STYLE.md). */
#include "opdesk/client_loop.h"
#include "opdesk/http_fetch.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opdesk/i18n.h"
#include "opdesk/log.h"
#include "opdesk/xalloc.h"

#define CLIENT_LOOP_RAW "opdesk-raw"

static const int client_loop_signals[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCHLD};

enum client_loop_fd { CLIENT_LOOP_FD_SIGNAL, CLIENT_LOOP_FD_INPUT };

struct client_loop {
	struct client_loop_ops ops;
	struct lws_protocols protocols[4];
	struct lws_context *ctx;
	int sfd;
	struct lws *sig_wsi, *in_wsi;
	int tags[2]; /* opaque user data of the adopted fds: which one it is */
	lws_sorted_usec_list_t clock, alarm;
	bool clock_on;
	int64_t alarm_at; /* wall clock ms of the armed alarm, 0 if none */
	bool quit;
};

static void client_loop_sigset(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof client_loop_signals / sizeof *client_loop_signals; i++)
		sigaddset(set, client_loop_signals[i]);
}

int client_loop_block_signals(char **cause)
{
	sigset_t set;
	client_loop_sigset(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		*cause = xasprintf("sigprocmask: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void client_loop_child_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

static void client_loop_read_signals(struct client_loop *l)
{
	struct signalfd_siginfo si[8];
	for (;;) {
		ssize_t n = read(l->sfd, si, sizeof si);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (size_t i = 0; i < (size_t)n / sizeof *si; i++) {
			log_debug("signal %u", si[i].ssi_signo);
			if (l->ops.signal)
				l->ops.signal(l->ops.arg, &si[i]);
		}
		if ((size_t)n < sizeof si)
			break;
	}
}

static int client_loop_raw_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                              size_t len)
{
	/* the first protocol also gets the context's own callbacks, with no protocol (or no wsi) yet */
	const struct lws_protocols *p = wsi ? lws_get_protocol(wsi) : NULL;
	struct client_loop *l = p ? (struct client_loop *)p->user : NULL;
	int *tag = wsi ? lws_get_opaque_user_data(wsi) : NULL;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (!l || !tag)
			break;
		if (*tag == CLIENT_LOOP_FD_SIGNAL)
			client_loop_read_signals(l);
		else if (l->ops.input)
			l->ops.input(l->ops.arg);
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!l || !tag)
			break;
		if (*tag == CLIENT_LOOP_FD_SIGNAL)
			l->sig_wsi = NULL;
		else if (!l->in_wsi)
			break; /* closed on purpose (client_loop_input_close) */
		else
			l->in_wsi = NULL;
		if (*tag != CLIENT_LOOP_FD_SIGNAL && l->ops.input_end) {
			l->ops.input_end(l->ops.arg);
			break;
		}
		if (!l->quit)
			log_warn("%s descriptor closed", *tag == CLIENT_LOOP_FD_SIGNAL ? "signal" : "input");
		break;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* lws writes its own log lines through ours, never to the terminal. */
static void client_loop_lws_log(int level, const char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (level & LLL_ERR)
		log_warn("lws: %.*s", (int)n, line);
	else
		log_debug("lws: %.*s", (int)n, line);
}

static struct lws *client_loop_adopt(struct client_loop *l, int fd, int *tag, char **cause)
{
	lws_adopt_desc_t ad;
	memset(&ad, 0, sizeof ad);
	ad.vh = lws_get_vhost_by_name(l->ctx, "default");
	ad.type = LWS_ADOPT_RAW_FILE_DESC;
	ad.fd.filefd = fd;
	ad.vh_prot_name = CLIENT_LOOP_RAW;
	ad.opaque = tag;
	struct lws *wsi = ad.vh ? lws_adopt_descriptor_vhost_via_info(&ad) : NULL;
	if (!wsi)
		*cause = xstrdup(_("cannot watch a file descriptor in the event loop"));
	return wsi;
}

struct client_loop *client_loop_new(const struct client_loop_ops *ops, const struct lws_protocols *protocol,
                                    const struct client_loop_tls *tls, int input_fd, char **cause)
{
	struct client_loop *l = xcalloc(1, sizeof *l);
	l->ops = *ops;
	l->sfd = -1;
	l->tags[0] = CLIENT_LOOP_FD_SIGNAL;
	l->tags[1] = CLIENT_LOOP_FD_INPUT;
	size_t np = 0;
	if (protocol)
		l->protocols[np++] = *protocol;
	l->protocols[np++] = *http_fetch_protocol(); /* files to and from the hub (http_fetch.h) */
	l->protocols[np++] = (struct lws_protocols){
	    .name = CLIENT_LOOP_RAW,
	    .callback = client_loop_raw_cb,
	    .user = l,
	};

	int level = LLL_ERR | LLL_WARN;
	if (log_get_level() >= LOG_DEBUG)
		level |= LLL_NOTICE;
	lws_set_log_level(level, client_loop_lws_log);

	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = l->protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	if (tls && tls->on) {
		/* the system's CAs, plus the operator's own (a private CA) when named */
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.client_ssl_ca_filepath = tls->ca_file;
	}
	l->ctx = lws_create_context(&info);
	if (!l->ctx) {
		*cause = xstrdup(_("cannot create the libwebsockets context"));
		goto fail;
	}

	sigset_t set;
	client_loop_sigset(&set);
	l->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sfd < 0) {
		*cause = xasprintf("signalfd: %s", strerror(errno));
		goto fail;
	}
	l->sig_wsi = client_loop_adopt(l, l->sfd, &l->tags[0], cause);
	if (!l->sig_wsi) {
		l->sfd = -1; /* lws closed it */
		goto fail;
	}
	if (input_fd >= 0) {
		l->in_wsi = client_loop_adopt(l, input_fd, &l->tags[1], cause);
		if (!l->in_wsi)
			goto fail;
	}
	return l;
fail:
	client_loop_free(l);
	return NULL;
}

struct lws_context *client_loop_context(struct client_loop *l)
{
	return l->ctx;
}

int client_loop_run(struct client_loop *l)
{
	int rc = 0;
	if (l->ops.render)
		l->ops.render(l->ops.arg);
	while (!l->quit) {
		if (lws_service(l->ctx, 0) < 0) {
			rc = -1;
			break;
		}
		if (l->ops.render)
			l->ops.render(l->ops.arg);
	}
	return rc;
}

void client_loop_quit(struct client_loop *l)
{
	l->quit = true;
	if (l->ctx)
		lws_cancel_service(l->ctx);
}

static void client_loop_schedule_tick(struct client_loop *l);

static void client_loop_tick(lws_sorted_usec_list_t *sul)
{
	struct client_loop *l = lws_container_of(sul, struct client_loop, clock);
	if (!l->clock_on)
		return;
	client_loop_schedule_tick(l);
	if (l->ops.tick)
		l->ops.tick(l->ops.arg);
}

/* Next tick on the next whole second of the wall clock, so every counter on screen changes together. */
static void client_loop_schedule_tick(struct client_loop *l)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	lws_usec_t us = LWS_US_PER_SEC - ts.tv_nsec / 1000 + 1000;
	lws_sul_schedule(l->ctx, 0, &l->clock, client_loop_tick, us);
}

void client_loop_clock(struct client_loop *l, bool on)
{
	if (on == l->clock_on)
		return;
	l->clock_on = on;
	if (on)
		client_loop_schedule_tick(l);
	else
		lws_sul_cancel(&l->clock);
	log_debug("clock %s", on ? "on" : "off");
}

static void client_loop_ring(lws_sorted_usec_list_t *sul)
{
	struct client_loop *l = lws_container_of(sul, struct client_loop, alarm);
	l->alarm_at = 0;
	if (l->ops.tick)
		l->ops.tick(l->ops.arg);
}

void client_loop_alarm(struct client_loop *l, int64_t at_ms)
{
	if (at_ms == l->alarm_at)
		return;
	l->alarm_at = at_ms;
	if (!at_ms) {
		lws_sul_cancel(&l->alarm);
		return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	lws_usec_t us = at_ms > now ? (lws_usec_t)(at_ms - now) * 1000 + 1000 : 1000;
	lws_sul_schedule(l->ctx, 0, &l->alarm, client_loop_ring, us);
}

void client_loop_input_close(struct client_loop *l)
{
	struct lws *w = l->in_wsi;
	if (!w)
		return;
	l->in_wsi = NULL;
	lws_set_timeout(w, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

void client_loop_free(struct client_loop *l)
{
	if (!l)
		return;
	l->quit = true;
	if (l->ctx) {
		lws_sul_cancel(&l->clock);
		lws_sul_cancel(&l->alarm);
		lws_context_destroy(l->ctx); /* closes the adopted descriptors */
	} else if (l->sfd >= 0) {
		close(l->sfd);
	}
	free(l);
}

/* client_loop.h: the one event loop of each client program (the workstation, opdesk-sim, opdesk-bridge;
 * src/net). Signals (SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCHLD) are blocked and read from a signalfd; the
 * signalfd and stdin (the terminal's, the bot's lines) are adopted into libwebsockets as raw file
 * descriptors; the loop is `while (!quit && lws_service(ctx, 0) >= 0) render();`. The only timers besides
 * the connections' are a 1 s clock that runs while the ui says something visible counts time, and one
 * alarm. */
#ifndef OPDESK_CLIENT_LOOP_H
#define OPDESK_CLIENT_LOOP_H

#include <stdbool.h>
#include <sys/signalfd.h>

#include <libwebsockets.h>

struct client_loop;

struct client_loop_ops {
	void (*input)(void *arg); /* stdin is readable: drain it */
	void (*input_end)(void *arg); /* the input descriptor hung up (may be NULL) */
	void (*signal)(void *arg, const struct signalfd_siginfo *si);
	void (*tick)(void *arg);   /* the 1 s clock, on whole seconds, and the alarm */
	void (*render)(void *arg); /* after every loop pass */
	void *arg;
};

/* Block the loop's signals in this process (do it first: children started later unblock them). Returns 0,
 * or -1 with *cause set. */
int client_loop_block_signals(char **cause);
/* Restore the default dispositions and an empty mask (in a forked child before exec). Async-signal-safe. */
void client_loop_child_signals(void);

/* TLS for the transport's connections: on for wss://; ca_file (may be NULL) adds a trusted CA to the
 * system's. Verification itself is never turned off. */
struct client_loop_tls {
	bool on;
	const char *ca_file;
};

/* Create the lws context (no listener) with `protocol` (the transport's) and the loop's own raw protocol,
 * and adopt the signalfd and, when input_fd >= 0, that fd (a dup of stdin). tls may be NULL (plain ws).
 * NULL with *cause on failure. */
struct client_loop *client_loop_new(const struct client_loop_ops *ops, const struct lws_protocols *protocol,
                                    const struct client_loop_tls *tls, int input_fd, char **cause);
struct lws_context *client_loop_context(struct client_loop *l);
/* Run until client_loop_quit(). Returns 0, or -1 if lws_service failed. */
int client_loop_run(struct client_loop *l);
void client_loop_quit(struct client_loop *l);
/* Stop watching the input descriptor (it reached end of file). */
void client_loop_input_close(struct client_loop *l);
/* Start or stop the 1 s clock. */
void client_loop_clock(struct client_loop *l, bool on);
/* Call the tick once at at_ms (wall clock, ms since the epoch; 0 cancels): when information on the status
 * bar fades, or the minute of the clock turns. Setting the same time again changes nothing. */
void client_loop_alarm(struct client_loop *l, int64_t at_ms);
void client_loop_free(struct client_loop *l);

#endif

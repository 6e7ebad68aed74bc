/* client_demo.h: `opdesk --demo`: a private hub and simulated customers in a temporary directory.
 * It creates the directory and the operator "demo" with a random secret (`opdesk-hub user add`), starts
 * `opdesk-hub --port 0 --ready-fd` and reads its port, starts `opdesk-sim` against it, and tears it all
 * down on exit. The children die with the client (PR_SET_PDEATHSIG) and sit in their own process group,
 * so the terminal's Ctrl-C reaches only the client. Sibling programs are looked up next to
 * /proc/self/exe, then on PATH. */
#ifndef OPDESK_CLIENT_DEMO_H
#define OPDESK_CLIENT_DEMO_H

#include <stdbool.h>

struct client_demo;

struct client_demo_opts {
	int customers;        /* opdesk-sim --customers (default 6) */
	int rate;             /* opdesk-sim --rate (default 8) */
	int ready_timeout_ms; /* how long to wait for the hub's port (default 10000) */
};

/* Start everything; blocks until the hub is listening. The caller must have blocked SIGCHLD (the loop's
 * signal mask) so that child exits arrive on its signalfd. NULL with *cause (heap) on failure. */
struct client_demo *client_demo_start(const struct client_demo_opts *opts, char **cause);
const char *client_demo_url(const struct client_demo *d);
const char *client_demo_user(const struct client_demo *d);
const char *client_demo_secret(const struct client_demo *d);
const char *client_demo_dir(const struct client_demo *d);

/* After a SIGCHLD: reap. Returns true, with *cause (heap) naming the child and its log file, when the hub
 * or the simulator has died. */
bool client_demo_reap(struct client_demo *d, char **cause);

/* Stop the children (SIGTERM, bounded wait, then SIGKILL) and remove the directory unless keep_dir (keep it
 * when a log file was named in an error). Frees d. */
void client_demo_stop(struct client_demo *d, bool keep_dir);

/* Find a sibling program: next to /proc/self/exe, then on PATH. Heap path or NULL. */
char *client_demo_find_program(const char *name);

#endif

/* bridge.h: opdesk-bridge, the reference messenger bridge: relays customers of one messenger channel between
 * a bot (JSON lines on stdin and stdout) and the hub's bridge endpoint (docs/protocol.md). */
#ifndef OPDESK_BRIDGE_H
#define OPDESK_BRIDGE_H

struct bridge_config {
	const char *url;        /* ws:// or wss:// address of the hub */
	const char *user;       /* the bridge account (opdesk-hub bridge add) */
	const char *secret;
	const char *state_path; /* where the last hub message id written out is kept; NULL: nowhere */
	const char *ca_file;    /* a CA to trust besides the system's (wss://), or NULL */
};

/* Run until stdin ends and the hub has acknowledged every message, or a signal. Returns 0; 1 when the hub
 * refused the sign-in (said on stderr); -1 with *cause (heap) on a failure to start. */
int bridge_run(const struct bridge_config *cfg, char **cause);

#endif

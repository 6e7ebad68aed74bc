/* rate.h: a token bucket: `per_s` events a second on average, `burst` at once. The hub limits the frames
 * each connection may send with it; the client paces what it sends with the same bucket, so that it never
 * meets the hub's limit (a refused message would have to be sent again, after later ones). */
#ifndef OPDESK_RATE_H
#define OPDESK_RATE_H

#include <stdbool.h>
#include <stdint.h>

struct rate_bucket {
	int64_t milli_tokens; /* tokens x 1000 */
	int64_t last_ms;
	bool started; /* full at the first use */
};

/* True when one more event at now_ms fits (and takes a token). */
bool rate_take(struct rate_bucket *b, int per_s, int burst, int64_t now_ms);
/* Milliseconds from now_ms until rate_take would succeed (0: now). */
int64_t rate_wait_ms(struct rate_bucket *b, int per_s, int burst, int64_t now_ms);

#endif

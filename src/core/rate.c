/* rate.c: the token bucket (see rate.h). */
#include "opdesk/rate.h"

static void rate_refill(struct rate_bucket *b, int per_s, int burst, int64_t now_ms)
{
	if (!b->started) {
		b->started = true;
		b->milli_tokens = (int64_t)burst * 1000;
		b->last_ms = now_ms;
	}
	int64_t dt = now_ms - b->last_ms;
	if (dt > 0) {
		b->milli_tokens += dt * per_s; /* 1000 milli-tokens a token, per 1000 ms */
		if (b->milli_tokens > (int64_t)burst * 1000)
			b->milli_tokens = (int64_t)burst * 1000;
		b->last_ms = now_ms;
	}
}

bool rate_take(struct rate_bucket *b, int per_s, int burst, int64_t now_ms)
{
	rate_refill(b, per_s, burst, now_ms);
	if (b->milli_tokens < 1000)
		return false;
	b->milli_tokens -= 1000;
	return true;
}

int64_t rate_wait_ms(struct rate_bucket *b, int per_s, int burst, int64_t now_ms)
{
	rate_refill(b, per_s, burst, now_ms);
	if (b->milli_tokens >= 1000)
		return 0;
	return (1000 - b->milli_tokens + per_s - 1) / per_s;
}

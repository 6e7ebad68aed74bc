/* sim_rand.c: xoshiro256** (Blackman & Vigna) seeded with splitmix64, and the draws the simulator needs. */
#include "opdesk/sim.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void sim_rand_seed(struct sim_rand *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t sim_rand_next(struct sim_rand *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double sim_rand_unit(struct sim_rand *r)
{
	return (double)(sim_rand_next(r) >> 11) * 0x1.0p-53;
}

int64_t sim_rand_range(struct sim_rand *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(sim_rand_next(r) % span);
}

double sim_rand_exp(struct sim_rand *r, double mean)
{
	return -mean * log(1.0 - sim_rand_unit(r));
}

const int sim_topic_share[SIM_TOPIC_COUNT] = { 60, 15, 10, 10, 5 };

enum sim_topic sim_pick_topic(struct sim_rand *r)
{
	int x = (int)sim_rand_range(r, 0, 99);
	for (int t = 0; t < SIM_TOPIC_COUNT; t++) {
		if (x < sim_topic_share[t])
			return (enum sim_topic)t;
		x -= sim_topic_share[t];
	}
	return SIM_ORDER;
}

enum proto_channel sim_pick_channel(struct sim_rand *r)
{
	/* Most chats come from the site widget, the rest from the brand's Telegram and VK. */
	int x = (int)sim_rand_range(r, 0, 99);
	return x < 50 ? PROTO_CH_WEB : x < 75 ? PROTO_CH_TELEGRAM : PROTO_CH_VK;
}

int sim_pick_score(struct sim_rand *r)
{
	int x = (int)sim_rand_range(r, 0, 999);
	if (x < 960)
		return 5;
	if (x < 985)
		return 4;
	if (x < 995)
		return 3;
	return x < 998 ? 2 : 1;
}

const char *sim_pick(struct sim_rand *r, const struct sim_phrase_list *l)
{
	return l->items[sim_rand_range(r, 0, (int64_t)l->n - 1)];
}

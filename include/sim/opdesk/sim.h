/* sim.h: simulated customers for demos and tests: a seeded PRNG, the phrase bank, the customer crowd. */
#ifndef OPDESK_SIM_H
#define OPDESK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opdesk/proto.h"

/* xoshiro256** seeded through splitmix64: the same seed gives the same run on every machine. */
struct sim_rand {
	uint64_t s[4];
};
void sim_rand_seed(struct sim_rand *r, uint64_t seed);
uint64_t sim_rand_next(struct sim_rand *r);
double sim_rand_unit(struct sim_rand *r);                          /* [0, 1) */
int64_t sim_rand_range(struct sim_rand *r, int64_t lo, int64_t hi); /* [lo, hi] */
double sim_rand_exp(struct sim_rand *r, double mean);              /* exponential with that mean */

/* What customers write about, with DOMAIN.md's shares. */
enum sim_topic { SIM_ORDER, SIM_COMPANY, SIM_PRODUCT, SIM_RETURNS, SIM_SITE, SIM_TOPIC_COUNT };
enum sim_lang { SIM_RU, SIM_EN, SIM_LANG_COUNT };

extern const int sim_topic_share[SIM_TOPIC_COUNT]; /* percent, sums to 100 */
enum sim_topic sim_pick_topic(struct sim_rand *r);
enum proto_channel sim_pick_channel(struct sim_rand *r);
/* A rating as customers give them: 96% fives (DOMAIN.md), then fours and threes, rarely worse. */
int sim_pick_score(struct sim_rand *r);

struct sim_phrase_list {
	const char *const *items;
	size_t n;
};
struct sim_phrasebook {
	struct sim_phrase_list first[SIM_TOPIC_COUNT];    /* opening messages */
	struct sim_phrase_list followup[SIM_TOPIC_COUNT]; /* answers to an operator */
	struct sim_phrase_list thanks, names, low_score_comments;
};
extern const struct sim_phrasebook sim_phrases[SIM_LANG_COUNT];
const char *sim_pick(struct sim_rand *r, const struct sim_phrase_list *l);

struct sim_config {
	const char *url;
	int customers;        /* at most this many at once */
	double rate;          /* new chats per minute */
	uint64_t seed;
	int think_min_ms, think_max_ms;
	int duration_s;       /* 0: until signalled */
	int chats;            /* 0: no limit */
	enum sim_lang lang;
	int returning_pct;    /* percent of arrivals that are earlier customers coming back (their customer_token) */
	FILE *events;         /* JSON Lines of what customers see and do, or NULL */
};

/* Run the crowd until the duration ends, the chat budget is spent and every customer left, or a signal.
 * Returns 0, or -1 with *cause set. */
int sim_run(const struct sim_config *cfg, char **cause);

/* Append one event line {"ev": ev, ...fields} to f (fields: a jansson object, stolen). */
struct json_t;
void sim_event(FILE *f, const char *ev, struct json_t *fields);

#endif

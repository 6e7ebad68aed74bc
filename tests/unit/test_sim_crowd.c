/* test_sim_crowd.c: the simulator's deterministic parts: PRNG, topic mix, ratings, phrase bank. */
#include <criterion/criterion.h>

#include "opdesk/sim.h"
#include "opdesk/utf8.h"

#include <string.h>

Test(sim, same_seed_same_sequence)
{
	struct sim_rand a, b, c;
	sim_rand_seed(&a, 42);
	sim_rand_seed(&b, 42);
	sim_rand_seed(&c, 43);
	bool differs = false;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = sim_rand_next(&a);
		cr_assert_eq(x, sim_rand_next(&b));
		differs |= x != sim_rand_next(&c);
	}
	cr_assert(differs, "another seed must give another sequence");
}

Test(sim, ranges_and_units)
{
	struct sim_rand r;
	sim_rand_seed(&r, 1);
	for (int i = 0; i < 10000; i++) {
		int64_t v = sim_rand_range(&r, 3, 7);
		cr_assert(v >= 3 && v <= 7);
		double u = sim_rand_unit(&r);
		cr_assert(u >= 0 && u < 1);
		cr_assert(sim_rand_exp(&r, 2.0) >= 0);
	}
}

Test(sim, topic_mix_follows_domain_shares)
{
	struct sim_rand r;
	sim_rand_seed(&r, 7);
	int count[SIM_TOPIC_COUNT] = { 0 };
	const int n = 10000;
	for (int i = 0; i < n; i++)
		count[sim_pick_topic(&r)]++;
	int sum = 0;
	for (int t = 0; t < SIM_TOPIC_COUNT; t++) {
		double share = 100.0 * count[t] / n;
		cr_assert(share > sim_topic_share[t] - 2 && share < sim_topic_share[t] + 2,
			  "topic %d: %.1f%% vs %d%%", t, share, sim_topic_share[t]);
		sum += sim_topic_share[t];
	}
	cr_assert_eq(sum, 100);
}

Test(sim, ratings_are_mostly_fives)
{
	struct sim_rand r;
	sim_rand_seed(&r, 9);
	int fives = 0;
	const int n = 10000;
	for (int i = 0; i < n; i++) {
		int s = sim_pick_score(&r);
		cr_assert(s >= 1 && s <= 5);
		fives += s == 5;
	}
	cr_assert(fives > n * 0.94 && fives < n * 0.98, "fives: %d of %d", fives, n);
}

static void check_list(const struct sim_phrase_list *l, const char *what)
{
	cr_assert(l->n > 0, "%s is empty", what);
	for (size_t i = 0; i < l->n; i++) {
		size_t len = strlen(l->items[i]);
		cr_assert(len > 0 && len <= PROTO_MAX_TEXT, "%s[%zu]", what, i);
		cr_assert(utf8_valid(l->items[i], len), "%s[%zu] is not UTF-8", what, i);
	}
}

Test(sim, every_phrase_is_valid_text_in_both_languages)
{
	for (int lang = 0; lang < SIM_LANG_COUNT; lang++) {
		const struct sim_phrasebook *b = &sim_phrases[lang];
		for (int t = 0; t < SIM_TOPIC_COUNT; t++) {
			check_list(&b->first[t], "first");
			check_list(&b->followup[t], "followup");
		}
		check_list(&b->thanks, "thanks");
		check_list(&b->names, "names");
		check_list(&b->low_score_comments, "low score comments");
		for (size_t i = 0; i < b->names.n; i++)
			cr_assert(strlen(b->names.items[i]) <= PROTO_MAX_NAME);
	}
}

/* test_hub_session.c: the per-connection frame rate limit (and the token bucket under it, rate.c). */
#include <criterion/criterion.h>

#include "opdesk/hub_session.h"

Test(hub_session, burst_then_steady_rate)
{
	struct hub_rate r = { 0 };
	int ok = 0;
	for (int i = 0; i < 150; i++)
		ok += hub_rate_allow(&r, 1000);
	cr_expect_eq(ok, HUB_RATE_BURST, "a burst let %d frames through", ok);
	cr_expect_not(hub_rate_allow(&r, 1000));
	/* 100 ms later: 5 more tokens at 50/s */
	ok = 0;
	for (int i = 0; i < 20; i++)
		ok += hub_rate_allow(&r, 1100);
	cr_expect_eq(ok, 5);
	/* a long pause refills only up to the burst */
	ok = 0;
	for (int i = 0; i < 300; i++)
		ok += hub_rate_allow(&r, 100000);
	cr_expect_eq(ok, HUB_RATE_BURST);
}

Test(hub_session, steady_sender_under_the_limit_is_never_refused)
{
	struct hub_rate r = { 0 };
	for (int i = 0; i < 10000; i++)
		cr_assert(hub_rate_allow(&r, 5000 + i * 25), "frame %d at 40/s refused", i);
}

Test(hub_session, one_warning_per_second)
{
	struct hub_rate r = { 0 };
	cr_expect(hub_rate_should_warn(&r, 5000));
	cr_expect_not(hub_rate_should_warn(&r, 5500));
	cr_expect(hub_rate_should_warn(&r, 6000));
}

Test(hub_session, the_wait_until_the_next_token_is_exact)
{
	struct rate_bucket b = {0};
	for (int i = 0; i < 8; i++)
		cr_assert(rate_take(&b, 40, 8, 1000));
	cr_assert_not(rate_take(&b, 40, 8, 1000));
	cr_assert_eq(rate_wait_ms(&b, 40, 8, 1000), 25, "40 a second: one every 25 ms");
	cr_assert_eq(rate_wait_ms(&b, 40, 8, 1010), 15);
	cr_assert_not(rate_take(&b, 40, 8, 1024));
	cr_assert(rate_take(&b, 40, 8, 1025));
	cr_assert_eq(rate_wait_ms(&b, 40, 8, 2000), 0);
}

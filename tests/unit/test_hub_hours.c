/* test_hub_hours.c: working hours (hub_hours.c) in the hub's local time zone (TZ is set here): day ranges,
 * several parts, a range past midnight, 24:00, the moments at the edges, when the state next changes, and
 * specs that are refused with a sentence. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <time.h>

#include "opdesk/hub_hours.h"

static void setup(void)
{
	setenv("TZ", "Europe/Moscow", 1); /* UTC+3, no DST */
	tzset();
}

TestSuite(hub_hours, .init = setup);

/* ms of a local time: 2026-12-07 is a Monday. */
static int64_t at(int mday, int hh, int mm)
{
	struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 11, .tm_mday = mday, .tm_hour = hh, .tm_min = mm,
			 .tm_isdst = -1 };
	return (int64_t)mktime(&tm) * 1000;
}

Test(hub_hours, weekdays_and_a_saturday)
{
	struct hub_hours h;
	char *cause = NULL;
	cr_assert_eq(hub_hours_parse("Mon-Fri 09:00-21:00; Sat 10:00-16:00", &h, &cause), 0, "%s", cause);
	cr_expect(!hub_hours_open_at(&h, at(7, 8, 59)));
	cr_expect(hub_hours_open_at(&h, at(7, 9, 0)));
	cr_expect(hub_hours_open_at(&h, at(7, 20, 59)));
	cr_expect(!hub_hours_open_at(&h, at(7, 21, 0)));
	cr_expect(hub_hours_open_at(&h, at(11, 12, 0)));  /* Friday */
	cr_expect(hub_hours_open_at(&h, at(12, 15, 59))); /* Saturday */
	cr_expect(!hub_hours_open_at(&h, at(12, 16, 0)));
	cr_expect(!hub_hours_open_at(&h, at(13, 12, 0))); /* Sunday */
	cr_expect_eq(hub_hours_next_change(&h, at(7, 8, 30) + 1234), at(7, 9, 0));
	cr_expect_eq(hub_hours_next_change(&h, at(7, 9, 0)), at(7, 21, 0));
	cr_expect_eq(hub_hours_next_change(&h, at(12, 17, 0)), at(14, 9, 0)); /* Saturday evening: Monday 9:00 */
}

Test(hub_hours, past_midnight_and_whole_days)
{
	struct hub_hours h;
	char *cause = NULL;
	cr_assert_eq(hub_hours_parse("sun 22:00-02:00, Wed 00:00-24:00", &h, &cause), 0, "%s", cause);
	cr_expect(hub_hours_open_at(&h, at(13, 23, 0)));
	cr_expect(hub_hours_open_at(&h, at(14, 1, 59))); /* Monday morning, from Sunday's range */
	cr_expect(!hub_hours_open_at(&h, at(14, 2, 0)));
	cr_expect(hub_hours_open_at(&h, at(9, 0, 0)) && hub_hours_open_at(&h, at(9, 23, 59)));
	cr_expect(!hub_hours_open_at(&h, at(10, 0, 0)));
	cr_assert_eq(hub_hours_parse("Mon-Sun 00:00-24:00", &h, &cause), 0, "%s", cause);
	cr_expect_eq(hub_hours_next_change(&h, at(9, 12, 0)), -1);
}

Test(hub_hours, bad_specs_are_refused_with_a_sentence)
{
	const char *bad[] = { "", "Mon", "Mon 9:00-17:00", "Mon 09:00", "Mon 09:00-09:00", "Xyz 09:00-10:00",
			      "Mon-Fri 09:00-25:00", "Mon 09:60-10:00", "Mon 24:00-10:00", "Mon 09:00-10:00 extra", "; Mon 09:00-10:00",
			      NULL };
	for (size_t i = 0; bad[i]; i++) {
		struct hub_hours h;
		char *cause = NULL;
		cr_expect_eq(hub_hours_parse(bad[i], &h, &cause), -1, "\"%s\" was taken", bad[i]);
		cr_expect(cause && *cause, "no reason for \"%s\"", bad[i]);
		free(cause);
	}
}

/* hub_hours.c: a queue's working hours (hub_hours.h): "Mon-Fri 09:00-21:00; Sat 10:00-16:00" parsed into a bit
 * a minute of the week, and whether a moment (local time) is inside them, and when that next changes. */
#include "opdesk/hub_hours.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "opdesk/xalloc.h"

static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

static void set_bit(struct hub_hours *h, int m)
{
	m %= HUB_HOURS_WEEK_MIN;
	h->open[m / 8] |= (unsigned char)(1u << (m % 8));
}

static bool bit(const struct hub_hours *h, int m)
{
	return h->open[m / 8] & (1u << (m % 8));
}

static int parse_day(const char **p)
{
	for (int d = 0; d < 7; d++) {
		if (strncasecmp(*p, days[d], 3) == 0) {
			*p += 3;
			return d;
		}
	}
	return -1;
}

static int parse_time(const char **p, bool end)
{
	int hh, mm, n = 0;
	if (sscanf(*p, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 || mm > 59 || hh > 24 || (hh == 24 && (mm || !end)))
		return -1;
	*p += n;
	return hh * 60 + mm;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

int hub_hours_parse(const char *spec, struct hub_hours *out, char **cause)
{
	memset(out, 0, sizeof *out);
	const char *p = spec;
	bool any = false;
	for (;;) {
		skip_blanks(&p);
		if (!*p && any)
			return 0;
		const char *part = p;
		int d0 = parse_day(&p), d1 = d0;
		if (d0 >= 0 && *p == '-') {
			p++;
			d1 = parse_day(&p);
		}
		skip_blanks(&p);
		int from = d1 >= 0 ? parse_time(&p, false) : -1;
		int to = from >= 0 && *p == '-' ? (p++, parse_time(&p, true)) : -1;
		skip_blanks(&p);
		if (d0 < 0 || d1 < 0 || from < 0 || to < 0 || to == from || (*p && *p != ';' && *p != ',')) {
			*cause = xasprintf("\"%.*s\": expected DAYS HH:MM-HH:MM, e.g. Mon-Fri 09:00-21:00", (int)strcspn(part, ";,"),
					   part);
			return -1;
		}
		for (int d = d0;; d = (d + 1) % 7) {
			int len = to > from ? to - from : 24 * 60 - from + to; /* past midnight: into the next day */
			for (int m = 0; m < len; m++)
				set_bit(out, d * 24 * 60 + from + m);
			if (d == d1)
				break;
		}
		any = true;
		if (*p)
			p++;
	}
}

/* The minute of the week (Monday 00:00 = 0) of `ms` in local time, and the ms of that minute's start. */
static int week_minute(int64_t ms, int64_t *start)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	localtime_r(&t, &tm);
	*start = ms - (ms % 60000 + 60000) % 60000;
	return ((tm.tm_wday + 6) % 7) * 24 * 60 + tm.tm_hour * 60 + tm.tm_min;
}

bool hub_hours_open_at(const struct hub_hours *h, int64_t ms)
{
	int64_t start;
	return bit(h, week_minute(ms, &start));
}

int64_t hub_hours_next_change(const struct hub_hours *h, int64_t ms)
{
	int64_t start;
	int m = week_minute(ms, &start);
	bool now = bit(h, m);
	for (int i = 1; i <= HUB_HOURS_WEEK_MIN; i++)
		if (bit(h, (m + i) % HUB_HOURS_WEEK_MIN) != now)
			return start + (int64_t)i * 60000; /* (a change of the clock, DST, is seen at the next look) */
	return -1;
}

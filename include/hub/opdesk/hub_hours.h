/* hub_hours.h: a queue's working hours (`--hours QUEUE=SPEC`, docs/hub.md "Offline requests"), in the hub's
 * local time zone: SPEC is one or more "DAYS HH:MM-HH:MM" separated by ';' or ',', DAYS a day (Mon..Sun) or a
 * range of them (Mon-Fri), e.g. "Mon-Fri 09:00-21:00; Sat 10:00-16:00"; a time range past midnight
 * (22:00-02:00) runs into the next day; 24:00 ends a day. Kept as one bit a minute of the week. */
#ifndef OPDESK_HUB_HOURS_H
#define OPDESK_HUB_HOURS_H

#include <stdbool.h>
#include <stdint.h>

#define HUB_HOURS_WEEK_MIN (7 * 24 * 60)

struct hub_hours {
	unsigned char open[HUB_HOURS_WEEK_MIN / 8]; /* bit m: minute m of the week (Monday 00:00 = 0) is open */
};

/* Parse SPEC into *out. 0, or -1 with *cause (heap) saying what is wrong. */
int hub_hours_parse(const char *spec, struct hub_hours *out, char **cause);
/* Is the queue open at `ms` (local time)? */
bool hub_hours_open_at(const struct hub_hours *h, int64_t ms);
/* When the state at `ms` next changes (ms, on a minute's start), or -1 when it never does (always or never
 * open). */
int64_t hub_hours_next_change(const struct hub_hours *h, int64_t ms);

#endif

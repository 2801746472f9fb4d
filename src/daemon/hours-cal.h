/*
 * A team's business hours laid out over a span of time: the open
 * intervals in wall-clock seconds with their running sum, so that many
 * questions (a report's thousands of clocks, the SLA deadlines of a whole
 * store after a start) cost a binary search each and switch the time zone
 * once. What "open" means is hours.c's (spans per weekday, holidays, the
 * team's zone, DST by the local wall clock).
 */
#ifndef HOURS_CAL_H
#define HOURS_CAL_H

#include <stdint.h>

struct conf_hours;
struct hours_cal;

/* The calendar of h over [from, to] (a day's margin either side); h NULL:
 * always open. Never NULL. */
struct hours_cal *hours_cal_new(const struct conf_hours *h, int64_t from,
	    int64_t to);
void	 hours_cal_free(struct hours_cal *);
/* Business seconds in [a, b), counted within the calendar's span. */
int64_t	 hours_cal_between(const struct hours_cal *, int64_t a, int64_t b);
/* The wall time when secs business seconds after t have passed; t if
 * secs <= 0; 0 if that is beyond the calendar's span. */
int64_t	 hours_cal_add(const struct hours_cal *, int64_t t, int64_t secs);
/* Whether business time runs at t (*open) and until when: the next
 * opening or closing after t, 0 if none within the calendar's span
 * (always open, or nothing more laid out). */
int64_t	 hours_cal_change(const struct hours_cal *, int64_t t, int *open);

#endif

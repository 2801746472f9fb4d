/*
 * Business-hours calendars; see hours-cal.h. Built inside the team's
 * zone day by day (each span's start and end through mktime with the
 * local wall clock, so a DST change moves nothing: 09:00 stays 09:00),
 * adjacent intervals merged (a span to 24:00 and the next day's from
 * 00:00 are one), holidays left out.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf-hours.h"
#include "hours.h"
#include "hours-cal.h"
#include "xmalloc.h"

struct hours_iv {
	int64_t	 s, e;		/* [s, e) open */
	int64_t	 before;	/* open seconds in the intervals before */
};

struct hours_cal {
	int		 always;	/* no business hours */
	struct hours_iv	*iv;
	size_t		 n, cap;
};

static void
hours_cal_push(struct hours_cal *c, int64_t s, int64_t e)
{
	struct hours_iv	*last;

	if (e <= s)
		return;
	if (c->n > 0 && s <= (last = &c->iv[c->n - 1])->e) {
		if (e > last->e)
			last->e = e;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->iv = xrealloc(c->iv, c->cap * sizeof *c->iv);
	}
	c->iv[c->n].s = s;
	c->iv[c->n].e = e;
	c->iv[c->n].before = c->n > 0 ? c->iv[c->n - 1].before +
	    (c->iv[c->n - 1].e - c->iv[c->n - 1].s) : 0;
	c->n++;
}

struct hours_cal *
hours_cal_new(const struct conf_hours *h, int64_t from, int64_t to)
{
	struct hours_cal	*c = xcalloc(1, sizeof *c);
	struct tm		 base, day, next;
	time_t			 tt = (time_t)from;
	int64_t			 mid;
	int			 k, i, w, f, t;

	if (h == NULL) {
		c->always = 1;
		return (c);
	}
	hours_tz_enter(h->tz);
	if (localtime_r(&tt, &base) == NULL)
		goto out;
	for (k = -1;; k++) {
		if (hours_day(&base, k, &day) != 0)
			break;
		mid = hours_at(&day, 0);
		if (mid > to + 86400 || k > 100 * 366)
			break;
		if (hours_is_holiday(h, (day.tm_year + 1900) * 10000 +
		    (day.tm_mon + 1) * 100 + day.tm_mday))
			continue;
		w = day.tm_wday;
		for (i = 0; i < h->nspans[w]; i++) {
			f = h->spans[w][i].from;
			t = h->spans[w][i].to;
			if (t < 24 * 60) {
				hours_cal_push(c, hours_at(&day, f),
				    hours_at(&day, t));
				continue;
			}
			/* Until midnight: the next day's 00:00. */
			next = day;
			next.tm_mday++;
			next.tm_isdst = -1;
			if (mktime(&next) == (time_t)-1)
				break;
			hours_cal_push(c, hours_at(&day, f),
			    hours_at(&next, 0));
		}
	}
out:
	hours_tz_leave();
	return (c);
}

void
hours_cal_free(struct hours_cal *c)
{
	if (c == NULL)
		return;
	free(c->iv);
	free(c);
}

/* Open seconds from the calendar's start up to x. */
static int64_t
hours_cal_upto(const struct hours_cal *c, int64_t x)
{
	size_t	lo = 0, hi = c->n, mid;

	/* The first interval that starts after x. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->iv[mid].s <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return (0);
	lo--;
	return (c->iv[lo].before + ((x < c->iv[lo].e ? x : c->iv[lo].e) -
	    c->iv[lo].s));
}

int64_t
hours_cal_between(const struct hours_cal *c, int64_t a, int64_t b)
{
	if (b <= a)
		return (0);
	if (c->always)
		return (b - a);
	return (hours_cal_upto(c, b) - hours_cal_upto(c, a));
}

int64_t
hours_cal_add(const struct hours_cal *c, int64_t t, int64_t secs)
{
	int64_t	 want;
	size_t	 lo = 0, hi, mid;

	if (secs <= 0)
		return (t);
	if (c->always)
		return (t + secs);
	want = hours_cal_upto(c, t) + secs;
	/* The first interval whose end reaches want. */
	hi = c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->iv[mid].before + (c->iv[mid].e - c->iv[mid].s) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->n)
		return (0);
	return (c->iv[lo].s + (want - c->iv[lo].before));
}

int64_t
hours_cal_change(const struct hours_cal *c, int64_t t, int *open)
{
	size_t	lo = 0, hi = c->n, mid;

	*open = 1;
	if (c->always)
		return (0);
	/* The first interval that ends after t. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->iv[mid].e <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->n) {
		*open = 0;
		return (0);
	}
	if (c->iv[lo].s <= t)
		return (c->iv[lo].e);
	*open = 0;
	return (c->iv[lo].s);
}

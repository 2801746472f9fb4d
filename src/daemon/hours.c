/*
 * Business hours; see hours.h. A team's hours are in its own time zone:
 * the daemon is single-threaded, so the zone is switched with TZ around
 * each question (localtime_r, mktime) and put back after, and the rest of
 * the daemon (its log's times) never sees it. Days of the week and
 * holidays are local dates, so a DST change moves nothing: 09:00 stays
 * 09:00 on the wall clock.
 *
 * A timer asks every few seconds whether a team opened or closed (by the
 * test clock too) and tells the clients (hours.changed), so the TUI's
 * "closed" cue changes by itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "clock.h"
#include "conf.h"
#include "conf-hours.h"
#include "daemon.h"
#include "hours.h"
#include "hours-cal.h"
#include "log.h"
#include "proto-names.h"
#include "server.h"
#include "xmalloc.h"

struct hours {
	/* the last state told, per section (index of conf.hours) */
	int		 last[CONF_HOURS_MAX];
};

static const char *const hours_wday[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

/* TZ as it was before hours_tz_enter, to put back. */
static char	*hours_saved_tz;
static int	 hours_had_tz;

void
hours_tz_enter(const char *tz)
{
	const char	*cur = getenv("TZ");
	char		*v;

	hours_had_tz = cur != NULL;
	hours_saved_tz = cur != NULL ? xstrdup(cur) : NULL;
	v = xasprintf(":%s", tz);
	setenv("TZ", v, 1);
	free(v);
	tzset();
}

void
hours_tz_leave(void)
{
	if (hours_had_tz)
		setenv("TZ", hours_saved_tz, 1);
	else
		unsetenv("TZ");
	free(hours_saved_tz);
	hours_saved_tz = NULL;
	tzset();
}

int
hours_is_holiday(const struct conf_hours *h, int32_t date)
{
	size_t	lo = 0, hi = h->nholidays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->holidays[mid].date < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < h->nholidays && h->holidays[lo].date == date);
}

/* Inside the zone: open (1) or closed (0) at t. */
static int
hours_state(const struct conf_hours *h, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	int		i, min;

	if (localtime_r(&tt, &tm) == NULL)
		return (0);
	if (hours_is_holiday(h, (tm.tm_year + 1900) * 10000 +
	    (tm.tm_mon + 1) * 100 + tm.tm_mday))
		return (0);
	min = tm.tm_hour * 60 + tm.tm_min;
	for (i = 0; i < h->nspans[tm.tm_wday]; i++) {
		if (min >= h->spans[tm.tm_wday][i].from &&
		    min < h->spans[tm.tm_wday][i].to)
			return (1);
	}
	return (0);
}

/* Inside the zone: k days after base's day, at noon (normalised away
 * from any DST gap). 0, or -1 if mktime cannot. */
int
hours_day(const struct tm *base, int k, struct tm *day)
{
	*day = *base;
	day->tm_mday += k;
	day->tm_hour = 12;
	day->tm_min = day->tm_sec = 0;
	day->tm_isdst = -1;
	return (mktime(day) == (time_t)-1 ? -1 : 0);
}

/* Inside the zone: the local time min minutes into day (a tm). */
int64_t
hours_at(const struct tm *day, int min)
{
	struct tm	tm = *day;

	tm.tm_hour = min / 60;
	tm.tm_min = min % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return ((int64_t)mktime(&tm));
}

/*
 * Inside the zone: the first time after t when the state is no longer
 * st, or 0 if none within HOURS_AHEAD_DAYS (always open, or closed for
 * good). The candidates are each day's midnight and span ends.
 */
static int64_t
hours_next(const struct conf_hours *h, int64_t t, int st)
{
	struct tm	 base, day;
	time_t		 tt = (time_t)t;
	int64_t		 c;
	int		 k, i, n;

	if (localtime_r(&tt, &base) == NULL)
		return (0);
	for (k = 0; k <= HOURS_AHEAD_DAYS; k++) {
		if (hours_day(&base, k, &day) != 0)
			return (0);
		if ((c = hours_at(&day, 0)) > t && hours_state(h, c) != st)
			return (c);
		n = h->nspans[day.tm_wday];
		for (i = 0; i < n; i++) {
			c = hours_at(&day, h->spans[day.tm_wday][i].from);
			if (c > t && hours_state(h, c) != st)
				return (c);
			if (h->spans[day.tm_wday][i].to == 24 * 60)
				continue;	/* the next midnight */
			c = hours_at(&day, h->spans[day.tm_wday][i].to);
			if (c > t && hours_state(h, c) != st)
				return (c);
		}
	}
	return (0);
}

int
hours_open(struct daemon *d, const char *team, int64_t t)
{
	const struct conf_hours	*h;
	int			 st;

	if ((h = conf_hours_find(&d->conf, team != NULL && *team != '\0' ?
	    team : NULL)) == NULL)
		return (-1);
	hours_tz_enter(h->tz);
	st = hours_state(h, t);
	hours_tz_leave();
	return (st);
}

/* "Mon 09:00", or "Mon 2027-01-04 09:00" beyond the coming week. */
static json_t *
hours_fmt(int64_t t, int64_t now)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		buf[64];

	if (localtime_r(&tt, &tm) == NULL)
		return (json_null());
	if (t - now < 6 * 86400)
		snprintf(buf, sizeof buf, "%s %02d:%02d", hours_wday[tm.tm_wday],
		    tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, sizeof buf, "%s %04d-%02d-%02d %02d:%02d",
		    hours_wday[tm.tm_wday], tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday, tm.tm_hour, tm.tm_min);
	return (json_string(buf));
}

static json_t *
hours_holiday_json(const struct conf_holiday *hd)
{
	char	date[16];

	snprintf(date, sizeof date, "%04d-%02d-%02d", (int)(hd->date / 10000),
	    (int)(hd->date / 100 % 100), (int)(hd->date % 100));
	return (json_pack("{ss ss}", "date", date, "name", hd->name));
}

json_t *
hours_status(struct daemon *d, const char *team, int64_t t)
{
	const struct conf_hours	*h;
	struct tm		 tm;
	time_t			 tt = (time_t)t;
	json_t			*o;
	int64_t			 next;
	int32_t			 today;
	size_t			 i;
	int			 st;
	char			 buf[32];

	if (team != NULL && *team == '\0')
		team = NULL;
	h = conf_hours_find(&d->conf, team);
	o = json_pack("{so sI}", "team", team != NULL ? json_string(team) :
	    json_null(), "at", (json_int_t)t);
	if (h == NULL) {
		json_object_set_new(o, "configured", json_false());
		json_object_set_new(o, "open", json_true());
		return (o);
	}
	hours_tz_enter(h->tz);
	st = hours_state(h, t);
	next = hours_next(h, t, st);
	localtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	today = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
	json_object_set_new(o, "configured", json_true());
	json_object_set_new(o, "hours", h->team != NULL ?
	    json_string(h->team) : json_string("default"));
	json_object_set_new(o, "open", json_boolean(st));
	json_object_set_new(o, "timezone", json_string(h->tz));
	json_object_set_new(o, "local", json_sprintf("%s %s",
	    hours_wday[tm.tm_wday], buf));
	json_object_set_new(o, "changes_at", next != 0 ?
	    json_integer(next) : json_null());
	json_object_set_new(o, "changes", next != 0 ? hours_fmt(next, t) :
	    json_null());
	hours_tz_leave();
	for (i = 0; i < h->nholidays && h->holidays[i].date < today; i++)
		;
	if (i < h->nholidays && h->holidays[i].date == today) {
		json_object_set_new(o, "holiday",
		    hours_holiday_json(&h->holidays[i]));
		i++;
	}
	if (i < h->nholidays)
		json_object_set_new(o, "next_holiday",
		    hours_holiday_json(&h->holidays[i]));
	return (o);
}

json_t *
hours_status_all(struct daemon *d, int64_t t)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < d->conf.nhours; i++)
		json_array_append_new(a, hours_status(d, d->conf.hours[i].team,
		    t));
	return (a);
}

/* Tells the clients of each team that opened or closed since last time. */
void
hours_tick(struct daemon *d)
{
	struct hours		*hs = d->hours;
	const struct conf_hours	*h;
	json_t			*events = NULL;
	int64_t			 now = clock_now();
	size_t			 i;
	int			 st;

	if (hs == NULL)
		return;
	for (i = 0; i < d->conf.nhours && i < CONF_HOURS_MAX; i++) {
		h = &d->conf.hours[i];
		hours_tz_enter(h->tz);
		st = hours_state(h, now);
		hours_tz_leave();
		if (hs->last[i] == st + 1)
			continue;
		if (hs->last[i] != 0) {
			if (events == NULL)
				events = json_array();
			json_array_append_new(events, json_pack("{ss s{so sb}}",
			    "event", PEV_HOURS_CHANGED, "data", "team",
			    h->team != NULL ? json_string(h->team) :
			    json_null(), "open", st));
		}
		hs->last[i] = st + 1;
	}
	if (events != NULL)
		server_events(d->server, events);
}

void
hours_start(struct daemon *d)
{
	d->hours = xcalloc(1, sizeof *d->hours);
	hours_tick(d);
}

void
hours_stop(struct daemon *d)
{
	if (d->hours == NULL)
		return;
	free(d->hours);
	d->hours = NULL;
}

int
hours_reload(struct daemon *d, struct conf *nc, json_t *changed)
{
	struct conf_hours	*t;
	size_t			 n, i;

	/* Compared loosely: any [hours] in either means "reloaded". */
	if (d->conf.nhours == 0 && nc->nhours == 0)
		return (0);
	t = d->conf.hours;
	n = d->conf.nhours;
	d->conf.hours = nc->hours;
	d->conf.nhours = nc->nhours;
	nc->hours = t;
	nc->nhours = n;
	/* Told at the next tick, whatever the state: the clients ask again. */
	for (i = 0; d->hours != NULL && i < CONF_HOURS_MAX; i++)
		d->hours->last[i] = 3;
	json_array_append_new(changed, json_sprintf("business hours and "
	    "auto-replies reloaded (%zu [hours] section%s)", d->conf.nhours,
	    d->conf.nhours == 1 ? "" : "s"));
	return (1);
}

int64_t
hours_between(const struct conf_hours *h, int64_t a, int64_t b)
{
	struct hours_cal	*c;
	int64_t			 n;

	if (b <= a)
		return (0);
	if (h == NULL)
		return (b - a);
	c = hours_cal_new(h, a, b);
	n = hours_cal_between(c, a, b);
	hours_cal_free(c);
	return (n);
}

int64_t
hours_add(const struct conf_hours *h, int64_t t, int64_t secs)
{
	struct hours_cal	*c;
	int64_t			 span, r = 0;

	if (secs <= 0)
		return (t);
	if (h == NULL)
		return (t + secs);
	/* Three times the business time in wall time covers most weeks;
	 * wider until found or beyond HOURS_AHEAD_DAYS. */
	for (span = secs * 3 + 7 * 86400; r == 0; span *= 4) {
		if (span > (int64_t)HOURS_AHEAD_DAYS * 86400)
			span = (int64_t)HOURS_AHEAD_DAYS * 86400;
		c = hours_cal_new(h, t, t + span);
		r = hours_cal_add(c, t, secs);
		hours_cal_free(c);
		if (span == (int64_t)HOURS_AHEAD_DAYS * 86400)
			break;
	}
	return (r);
}

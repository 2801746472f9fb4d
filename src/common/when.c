/*
 * Time expressions (the syntax is in when.h and support-inbox(1)). The text
 * is copied, trimmed and lower-cased into a bounded buffer first; every
 * number is read digit by digit with its count of digits bounded, so
 * nothing overflows, and every result is checked to lie between 1970 and
 * the end of 9999.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "when.h"

/* 9999-12-31 23:59:59 UTC: the last second a time may be. */
#define WHEN_EPOCH_MAX	253402300799LL
/* Digits a number may have (WHEN_EPOCH_MAX has 12). */
#define WHEN_DIGITS	12
/* A day named without a time of day is at 9:00. */
#define WHEN_DAY_HOUR	9

#define WHEN_E_SYNTAX	"not a time: say 2h, 30m, 1d, 1w, tomorrow, " \
			"monday 9:00, 17:30, 2026-12-24 08:00, 2026-12-24 " \
			"or seconds since 1970"
#define WHEN_E_RANGE	"out of range (a time is between 1970 and 9999)"
#define WHEN_E_SPAN	"not a duration: say 90s, 30m, 2h, 1d or 1w"

/* A day and a time of day, before they become a time. */
struct when_tm {
	int	ahead;		/* days after today; -1: the date below */
	int	year, mon, mday;
	int	hour, min, sec;
	int	utc;		/* the date and time are UTC ("Z") */
};

/*
 * s trimmed and lower-cased into buf (WHEN_TEXT_MAX + 1 bytes); printable
 * ASCII only, tabs read as spaces.
 */
static int
when_copy(const char *s, char *buf, const char **why)
{
	size_t	len, i;
	int	c;

	memset(buf, 0, WHEN_TEXT_MAX + 1);
	while (*s == ' ' || *s == '\t')
		s++;
	if ((len = strnlen(s, WHEN_TEXT_MAX + 1)) > WHEN_TEXT_MAX) {
		*why = "too long for a time (at most 64 bytes)";
		return (-1);
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		*why = "no time given";
		return (-1);
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\t')
			c = ' ';
		if (c < 0x20 || c > 0x7e) {
			*why = WHEN_E_SYNTAX;
			return (-1);
		}
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	buf[len] = '\0';
	return (0);
}

/* The n digits at s (n at most WHEN_DIGITS, so no overflow). */
static int64_t
when_num(const char *s, size_t n)
{
	int64_t	v = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return (v);
}

/*
 * A duration: digits and a unit, or digits alone (seconds) if bare. 0 and
 * *secs, or -1 and *why.
 */
static int
when_span(const char *w, int bare, int64_t *secs, const char **why)
{
	static const struct {
		char	unit;
		int64_t	secs;
	} units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 },
	};
	size_t	n = strspn(w, "0123456789"), i;
	int64_t	v, unit = 0;

	if (n > 0 && w[n] == '\0' && bare)
		unit = 1;
	else if (n > 0 && w[n] != '\0' && w[n + 1] == '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (units[i].unit == w[n])
				unit = units[i].secs;
		}
	}
	if (unit == 0) {
		*why = WHEN_E_SPAN;
		return (-1);
	}
	if (n > WHEN_DIGITS || (v = when_num(w, n)) > WHEN_AHEAD_MAX / unit) {
		*why = "too long a duration (at most ten years)";
		return (-1);
	}
	if (v == 0) {
		*why = "a duration must be more than 0";
		return (-1);
	}
	*secs = v * unit;
	return (0);
}

/* 1 if w has the shape of a duration with a unit ("2h"). */
static int
when_is_span(const char *w)
{
	size_t	n = strspn(w, "0123456789");

	return (n > 0 && w[n] != '\0' && w[n + 1] == '\0' &&
	    strchr("smhdw", w[n]) != NULL);
}

/*
 * A time of day, "H:MM" or "H:MM:SS", and a final "z" (UTC) if utc_ok.
 * 1 if w is not shaped like one; -1 and *why if it is no such time.
 */
static int
when_clock(const char *w, int utc_ok, struct when_tm *wt, const char **why)
{
	size_t	n = strspn(w, "0123456789");

	if (n < 1 || n > 2 || w[n] != ':' || strspn(w + n + 1,
	    "0123456789") != 2)
		return (1);
	wt->hour = (int)when_num(w, n);
	wt->min = (int)when_num(w + n + 1, 2);
	wt->sec = 0;
	w += n + 3;
	if (*w == ':') {
		if (strspn(w + 1, "0123456789") != 2)
			return (1);
		wt->sec = (int)when_num(w + 1, 2);
		w += 3;
	}
	if (*w == 'z' && utc_ok) {
		wt->utc = 1;
		w++;
	}
	if (*w != '\0')
		return (1);
	if (wt->hour > 23 || wt->min > 59 || wt->sec > 59) {
		*why = "no such time of day (00:00 to 23:59)";
		return (-1);
	}
	return (0);
}

/*
 * A date, "YYYY-MM-DD"; *end is what follows it. 1 if w does not start
 * like one; -1 and *why if it is no such date.
 */
static int
when_date(const char *w, struct when_tm *wt, const char **end,
    const char **why)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			leap;

	if (strspn(w, "0123456789") != 4 || w[4] != '-' ||
	    strspn(w + 5, "0123456789") != 2 || w[7] != '-' ||
	    strspn(w + 8, "0123456789") != 2)
		return (1);
	wt->ahead = -1;
	wt->year = (int)when_num(w, 4);
	wt->mon = (int)when_num(w + 5, 2);
	wt->mday = (int)when_num(w + 8, 2);
	*end = w + 10;
	leap = (wt->year % 4 == 0 && wt->year % 100 != 0) ||
	    wt->year % 400 == 0;
	if (wt->year < 1970) {
		*why = WHEN_E_RANGE;
		return (-1);
	}
	if (wt->mon < 1 || wt->mon > 12 || wt->mday < 1 ||
	    wt->mday > mdays[wt->mon - 1] || (wt->mon == 2 &&
	    wt->mday == 29 && !leap)) {
		*why = "no such date";
		return (-1);
	}
	return (0);
}

/* today, tomorrow, a weekday: days after today in *ahead; -1 if none. */
static int
when_day(const char *w, time_t now, int *ahead)
{
	static const char	*days[] = { "sunday", "monday", "tuesday",
				    "wednesday", "thursday", "friday",
				    "saturday" };
	struct tm		 tm;
	int			 i;

	if (strcmp(w, "today") == 0 || strcmp(w, "tomorrow") == 0) {
		*ahead = strcmp(w, "today") == 0 ? 0 : 1;
		return (0);
	}
	for (i = 0; i < 7; i++) {
		if (strcmp(w, days[i]) != 0 && (strlen(w) != 3 ||
		    strncmp(w, days[i], 3) != 0))
			continue;
		if (localtime_r(&now, &tm) == NULL)
			return (-1);
		*ahead = (i - tm.tm_wday + 7) % 7;
		if (*ahead == 0)
			*ahead = 7;
		return (0);
	}
	return (-1);
}

/* The time a day and a time of day are. */
static int
when_make(const struct when_tm *wt, time_t now, int64_t *t, const char **why)
{
	struct tm	tm;
	time_t		r;

	memset(&tm, 0, sizeof tm);
	if (wt->ahead >= 0) {
		if (localtime_r(&now, &tm) == NULL) {
			*why = WHEN_E_RANGE;
			return (-1);
		}
		tm.tm_mday += wt->ahead;
	} else {
		tm.tm_year = wt->year - 1900;
		tm.tm_mon = wt->mon - 1;
		tm.tm_mday = wt->mday;
	}
	tm.tm_hour = wt->hour;
	tm.tm_min = wt->min;
	tm.tm_sec = wt->sec;
	tm.tm_isdst = -1;
	r = wt->utc ? timegm(&tm) : mktime(&tm);
	/* (mktime's and timegm's error, -1, is below 0 too.) */
	if (r < 0 || (int64_t)r > WHEN_EPOCH_MAX) {
		*why = WHEN_E_RANGE;
		return (-1);
	}
	*t = (int64_t)r;
	return (0);
}

/* A date alone, or with "T" and a time of day: 1 if w is none. */
static int
when_iso(const char *w, time_t now, int64_t *t, const char **why)
{
	struct when_tm	 wt;
	const char	*end;
	int		 rc;

	memset(&wt, 0, sizeof wt);
	if ((rc = when_date(w, &wt, &end, why)) != 0)
		return (rc);
	if (*end == 't' && (rc = when_clock(end + 1, 1, &wt, why)) != 0)
		return (rc);
	if (*end != '\0' && *end != 't')
		return (1);
	return (when_make(&wt, now, t, why));
}

/* A time of day alone: today, or tomorrow if it has passed. */
static int
when_today(const char *w, time_t now, int64_t *t, const char **why)
{
	struct when_tm	wt;
	int		rc;

	memset(&wt, 0, sizeof wt);
	if ((rc = when_clock(w, 0, &wt, why)) != 0)
		return (rc);
	if (when_make(&wt, now, t, why) != 0)
		return (-1);
	if (*t > (int64_t)now)
		return (0);
	wt.ahead = 1;
	return (when_make(&wt, now, t, why));
}

/* A day (a word or a date) and a time of day, or 9:00 if w2 is NULL. */
static int
when_day_at(const char *w1, const char *w2, time_t now, int64_t *t,
    const char **why)
{
	struct when_tm	 wt;
	const char	*end;
	int		 rc;

	memset(&wt, 0, sizeof wt);
	if ((rc = when_date(w1, &wt, &end, why)) < 0)
		return (-1);
	if (rc == 0 && *end != '\0')
		return (1);
	if (rc != 0 && when_day(w1, now, &wt.ahead) != 0)
		return (1);
	wt.hour = WHEN_DAY_HOUR;
	if (w2 != NULL && (rc = when_clock(w2, wt.ahead < 0, &wt, why)) != 0)
		return (rc);
	return (when_make(&wt, now, t, why));
}

/* One word: now, epoch seconds, a duration, a date, a time or a day. */
static int
when_word(const char *w, time_t now, int64_t *t, const char **why)
{
	size_t	n = strspn(w, "0123456789");
	int64_t	secs;
	int	rc;

	if (strcmp(w, "now") == 0) {
		*t = (int64_t)now;
		return (0);
	}
	if (n > 0 && w[n] == '\0') {
		if (n > WHEN_DIGITS || when_num(w, n) > WHEN_EPOCH_MAX) {
			*why = WHEN_E_RANGE;
			return (-1);
		}
		*t = when_num(w, n);
		return (0);
	}
	if (when_is_span(w)) {
		if (when_span(w, 0, &secs, why) != 0)
			return (-1);
		*t = (int64_t)now + secs;
		return (0);
	}
	/* A plain date is a day of its own: its start, not 9:00. */
	if ((rc = when_iso(w, now, t, why)) != 1)
		return (rc);
	if ((rc = when_today(w, now, t, why)) != 1)
		return (rc);
	return (when_day_at(w, NULL, now, t, why));
}

int
when_parse(const char *s, time_t now, int64_t *t, const char **why)
{
	char	 buf[WHEN_TEXT_MAX + 1], *w2;
	int64_t	 secs;
	int	 rc;

	if (when_copy(s, buf, why) != 0)
		return (-1);
	if ((w2 = strchr(buf, ' ')) == NULL)
		rc = when_word(buf, now, t, why);
	else {
		*w2++ = '\0';
		w2 += strspn(w2, " ");
		if (strchr(w2, ' ') != NULL)
			rc = 1;
		else if (strcmp(w2, "ago") == 0 && when_is_span(buf)) {
			if ((rc = when_span(buf, 0, &secs, why)) == 0)
				*t = (int64_t)now - secs;
		} else
			rc = when_day_at(buf, w2, now, t, why);
	}
	if (rc == 1)
		*why = WHEN_E_SYNTAX;
	if (rc == 0 && (*t < 0 || *t > WHEN_EPOCH_MAX)) {
		*why = WHEN_E_RANGE;
		rc = -1;
	}
	return (rc == 0 ? 0 : -1);
}

int
when_future(const char *s, time_t now, int64_t *t, const char **why)
{
	if (when_parse(s, now, t, why) != 0)
		return (-1);
	if (*t <= (int64_t)now) {
		*why = "that time has passed; give one in the future";
		return (-1);
	}
	return (0);
}

int
when_duration(const char *s, int64_t *secs, const char **why)
{
	char	buf[WHEN_TEXT_MAX + 1];

	if (when_copy(s, buf, why) != 0)
		return (-1);
	return (when_span(buf, 1, secs, why));
}

/*
 * The fraction of a second after a time of day with seconds, as audit
 * show and export print a record's time ("2026-12-24T08:00:00.123Z"):
 * taken out of w (lower-cased), its milliseconds in *ms. 1 to 9 digits;
 * those past the third are dropped (a record's time has milliseconds).
 */
static void
when_frac(char *w, int *ms)
{
	char	*dot = strchr(w, '.');
	size_t	 n, i;

	*ms = 0;
	/* "H:MM:SS." at least: a fraction needs seconds before it. */
	if (dot == NULL || dot - w < 6 || dot[-3] != ':' || dot[-6] != ':' ||
	    strspn(dot - 2, "0123456789") < 2)
		return;
	n = strspn(dot + 1, "0123456789");
	if (n < 1 || n > 9 || (dot[1 + n] != '\0' && (dot[1 + n] != 'z' ||
	    dot[2 + n] != '\0')))
		return;
	for (i = 0; i < 3; i++)
		*ms = *ms * 10 + (i < n ? dot[1 + i] - '0' : 0);
	memmove(dot, dot + 1 + n, strlen(dot + 1 + n) + 1);
}

int
when_audit(const char *s, time_t now, long long *ms, const char **why)
{
	char	buf[WHEN_TEXT_MAX + 1];
	int64_t	t;
	int	frac;

	if (when_copy(s, buf, why) != 0)
		return (-1);
	when_frac(buf, &frac);
	if (when_parse(buf, now, &t, why) != 0)
		return (-1);
	/* At most WHEN_EPOCH_MAX: its milliseconds fit. */
	*ms = (long long)t * 1000 + frac;
	return (0);
}

void
when_dur_text(int64_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s / 60 % 60));
}

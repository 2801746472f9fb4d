/*
 * Time expressions agents type (see when.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "when.h"

/* The furthest a relative snooze time may reach: ten years. */
#define WHEN_MAX_AHEAD	(10L * 366 * 86400)

int64_t
when_parse(const char *s, time_t now)
{
	static const char	*days[] = { "sunday", "monday", "tuesday",
				    "wednesday", "thursday", "friday",
				    "saturday" };
	struct tm		 tm;
	char			*end;
	long			 n, unit;
	int			 i;

	while (*s == ' ')
		s++;
	n = strtol(s, &end, 10);
	if (end != s && n > 0 && end[0] != '\0' && (end[1] == '\0' ||
	    end[1] == ' ')) {
		switch (*end) {
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: unit = 0; break;
		}
		/* Past WHEN_MAX_AHEAD is no snooze time (and would overflow). */
		if (unit != 0)
			return (n > WHEN_MAX_AHEAD / unit ? 0 : now + n * unit);
	}
	localtime_r(&now, &tm);
	tm.tm_hour = 9;
	tm.tm_min = tm.tm_sec = 0;
	if (strcasecmp(s, "tomorrow") == 0) {
		tm.tm_mday++;
		return ((int64_t)mktime(&tm));
	}
	for (i = 0; i < 7; i++) {
		if (strcasecmp(s, days[i]) == 0) {
			tm.tm_mday += (i - tm.tm_wday + 7) % 7 == 0 ? 7 :
			    (i - tm.tm_wday + 7) % 7;
			return ((int64_t)mktime(&tm));
		}
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_isdst = -1;
	tm.tm_hour = 9;
	if ((end = strptime(s, "%Y-%m-%d", &tm)) != NULL) {
		if (*end == ' ' || *end == 'T')
			end = strptime(end + 1, "%H:%M", &tm);
		if (end != NULL && *end == '\0')
			return ((int64_t)mktime(&tm));
	}
	return (0);
}

int
when_audit(const char *s, long long *ms)
{
	struct tm	 tm;
	const char	*end;
	char		*e;
	long long	 v;

	if (*s != '\0') {
		errno = 0;
		v = strtoll(s, &e, 10);
		/* Seconds whose milliseconds do not fit are no time. */
		if (*e == '\0' && (errno != 0 || v > LLONG_MAX / 1000 ||
		    v < LLONG_MIN / 1000))
			return (-1);
		if (*e == '\0') {
			*ms = v * 1000;
			return (0);
		}
	}
	memset(&tm, 0, sizeof tm);
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
	    *end != '\0') {
		memset(&tm, 0, sizeof tm);
		if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL ||
		    *end != '\0')
			return (-1);
	}
	*ms = (long long)timegm(&tm) * 1000;
	return (0);
}

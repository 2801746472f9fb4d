/*
 * Reports (issue 19, point 3; doc/reports.md is the one place the figures
 * are defined): aggregates made from the service-level clocks and the
 * clear columns of the store, never from anything sealed, so reading one
 * touches no personal data. Times are business seconds under each clock's
 * team's hours (hours-cal.h), one calendar per team per report.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdint.h>

#include <jansson.h>

struct daemon;

#define REPORT_SPAN_MAX		(3660LL * 86400)	/* to - from */
#define REPORT_BUCKETS_MAX	600	/* --by day/week buckets */

struct report_q {
	const char	*kind;		/* report_kinds[] */
	int64_t		 from, to;	/* [from, to), epoch seconds */
	int64_t		 now;		/* clock_now(): running clocks */
	const char	*team;		/* NULL: every team */
	const char	*number;	/* a phone_number_id, NULL: all */
	const char	*by;		/* NULL, day, week, agent, label */
};

/* The kinds, NULL-terminated: volume, response, resolution, agents,
 * labels, survey, failures. */
extern const char *const report_kinds[];
/* Whether by (NULL: none) groups kind: NULL if so, else why not. */
const char	*report_by_valid(const char *kind, const char *by);
/* The report, or NULL (a database error). */
json_t		*report_get(struct daemon *, const struct report_q *);
/* p-th percentile by nearest rank of n sorted values (n > 0): the value
 * at rank ceil(p/100 * n). */
int64_t		 report_rank(const int64_t *sorted, size_t n, int p);

#endif

/*
 * Business-hours arithmetic (src/daemon/hours-cal.c, hours_between and
 * hours_add in hours.c) against a reference that walks minute by minute
 * through the local wall clock: Mon-Fri 09:00-12:30 and 13:30-17:00 plus
 * a Saturday until midnight in Europe/Berlin, over the end of summer time
 * (2026-10-25) and a holiday (2026-10-26), and across weekends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "conf-hours.h"
#include "hours.h"
#include "hours-cal.h"
#include "rmtree.h"
#include "xmalloc.h"

static char	dir[] = "/tmp/si-test-hcal.XXXXXX";
static struct conf c;

/* 2026-10-19 00:00 Europe/Berlin (summer time, UTC+2), a Monday. */
#define T0	((int64_t)1792360800)

static void
put(const char *name, const char *text)
{
	char	*p = xasprintf("%s/%s", dir, name);
	FILE	*f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static int
setup(void **state)
{
	char	*p, *cause = NULL;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return (-1);
	put("hol.txt", "2026-10-26 Brückentag\n");
	put("si.conf", "[daemon]\ndata_dir = /tmp\n[hours]\n"
	    "timezone = Europe/Berlin\n"
	    "mon = 09:00-12:30, 13:30-17:00\ntue = 09:00-12:30, 13:30-17:00\n"
	    "wed = 09:00-12:30, 13:30-17:00\nthu = 09:00-12:30, 13:30-17:00\n"
	    "fri = 09:00-12:30, 13:30-17:00\nsat = 20:00-24:00\n"
	    "sun = 00:00-02:00\nholidays = hol.txt\n");
	p = xasprintf("%s/si.conf", dir);
	conf_defaults(&c);
	if (conf_load(&c, p, 0, &cause) != 0 ||
	    conf_hours_finish(&c, 1, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return (-1);
	}
	free(p);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	conf_release(&c);
	rmtree(dir);
	return (0);
}

/* The reference: whether the minute starting at t (UTC) is open. */
static int
ref_open(int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	int		min;

	hours_tz_enter("Europe/Berlin");
	localtime_r(&tt, &tm);
	hours_tz_leave();
	min = tm.tm_hour * 60 + tm.tm_min;
	if (tm.tm_year + 1900 == 2026 && tm.tm_mon == 9 && tm.tm_mday == 26)
		return (0);
	if (tm.tm_wday >= 1 && tm.tm_wday <= 5)
		return ((min >= 540 && min < 750) || (min >= 810 &&
		    min < 1020));
	if (tm.tm_wday == 6)
		return (min >= 1200);
	return (min < 120);
}

static int64_t
ref_between(int64_t a, int64_t b)
{
	int64_t	n = 0, t;

	for (t = a; t < b; t += 60)
		n += ref_open(t) ? 60 : 0;
	return (n);
}

static uint64_t	rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

static void
cal_matches_reference(void **state)
{
	const struct conf_hours	*h = conf_hours_find(&c, NULL);
	struct hours_cal	*cal;
	int64_t			 a, b, span = 21 * 86400;
	int			 i;

	(void)state;
	assert_non_null(h);
	cal = hours_cal_new(h, T0, T0 + span);
	for (i = 0; i < 400; i++) {
		a = T0 + (int64_t)(next() % (uint64_t)(span / 60)) * 60;
		b = a + (int64_t)(next() % (uint64_t)(6 * 86400 / 60)) * 60;
		if (b > T0 + span)
			b = T0 + span;
		assert_int_equal(hours_cal_between(cal, a, b),
		    ref_between(a, b));
	}
	hours_cal_free(cal);
	/* The one-off form agrees, also with seconds. */
	assert_int_equal(hours_between(h, T0 + 9 * 3600 - 30,
	    T0 + 9 * 3600 + 45), 45);
	assert_int_equal(hours_between(h, T0 + 86400, T0), 0);
}

static void
known_figures(void **state)
{
	const struct conf_hours	*h = conf_hours_find(&c, NULL);

	(void)state;
	/* A whole ordinary week (Mon 19 - Sun 25 Oct): 5 x 7 h + Sat 4 h +
	 * Sun 2 h; Sunday 25 Oct is the day summer time ends, at 03:00. */
	assert_int_equal(hours_between(h, T0, T0 + 7 * 86400 + 3600),
	    (5 * 7 + 4 + 2) * 3600);
	/* Friday 16:30 + 1 h = Saturday 20:30 (the weekend's own hours). */
	assert_int_equal(hours_add(h, T0 + 4 * 86400 + 16 * 3600 + 1800,
	    3600), T0 + 5 * 86400 + 20 * 3600 + 1800);
	/* Sunday 01:30 + 1 h: Sunday 02:00 closes, Monday the 26th is a
	 * holiday, so Tuesday 09:30 (UTC+1 now: one more hour of wall
	 * time since T0). */
	assert_int_equal(hours_add(h, T0 + 6 * 86400 + 5400, 3600),
	    T0 + 8 * 86400 + 3600 + 9 * 3600 + 1800);
	/* Lunch is not counted: 12:00 + 1 h = 14:00. */
	assert_int_equal(hours_add(h, T0 + 12 * 3600, 3600),
	    T0 + 14 * 3600);
	/* Ending exactly at a closing time stays there. */
	assert_int_equal(hours_add(h, T0 + 16 * 3600, 3600),
	    T0 + 17 * 3600);
	/* Without business hours: the wall clock. */
	assert_int_equal(hours_add(NULL, 100, 50), 150);
	assert_int_equal(hours_between(NULL, 100, 150), 50);
	assert_int_equal(hours_add(h, T0, 0), T0);
}

static void
add_inverts_between(void **state)
{
	const struct conf_hours	*h = conf_hours_find(&c, NULL);
	int64_t			 t, s, d;
	int			 i;

	(void)state;
	for (i = 0; i < 200; i++) {
		t = T0 + (int64_t)(next() % (14 * 86400));
		s = 1 + (int64_t)(next() % (40 * 3600));
		d = hours_add(h, t, s);
		assert_true(d > t);
		assert_int_equal(hours_between(h, t, d), s);
		/* the earliest such time: one second less is not enough */
		assert_int_equal(hours_between(h, t, d - 1), s - 1);
	}
}

/*
 * hours_cal_change against the reference: at random minutes, whether it
 * is open and the next change, the first minute after t whose state
 * differs (the reference's minutes; the calendar's changes fall on
 * whole minutes). Also the edges: at a change itself, the next one.
 */
static void
change_matches_reference(void **state)
{
	const struct conf_hours	*h = conf_hours_find(&c, NULL);
	struct hours_cal	*cal;
	int64_t			 t, u, want, span = 21 * 86400;
	int			 i, open;

	(void)state;
	cal = hours_cal_new(h, T0, T0 + span);
	for (i = 0; i < 300; i++) {
		t = T0 + (int64_t)(next() % (uint64_t)(14 * 86400 / 60)) *
		    60 + (int64_t)(next() % 60);
		u = hours_cal_change(cal, t, &open);
		assert_int_equal(open, ref_open(t - t % 60));
		for (want = t - t % 60 + 60; ref_open(want) == open;
		    want += 60)
			;
		assert_int_equal(u, want);
	}
	/* Monday 09:00 sharp: open, until the 12:30 lunch. */
	assert_int_equal(hours_cal_change(cal, T0 + 9 * 3600, &open),
	    T0 + 12 * 3600 + 1800);
	assert_int_equal(open, 1);
	/* 12:30 sharp: closed, until 13:30. */
	assert_int_equal(hours_cal_change(cal, T0 + 12 * 3600 + 1800, &open),
	    T0 + 13 * 3600 + 1800);
	assert_int_equal(open, 0);
	/* Beyond the calendar's span: closed, no change known. */
	assert_int_equal(hours_cal_change(cal, T0 + 30 * 86400, &open), 0);
	assert_int_equal(open, 0);
	hours_cal_free(cal);
	/* Without business hours: always open, never a change. */
	cal = hours_cal_new(NULL, T0, T0 + span);
	assert_int_equal(hours_cal_change(cal, T0, &open), 0);
	assert_int_equal(open, 1);
	hours_cal_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_figures),
		cmocka_unit_test(cal_matches_reference),
		cmocka_unit_test(add_inverts_between),
		cmocka_unit_test(change_matches_reference),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}

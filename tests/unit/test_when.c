/*
 * The one time-expression parser (src/common/when.c) that the TUI and the
 * CLI share: a table of every form it takes and of bad input, at a fixed
 * "now" in a zone with daylight saving time (Central European, given as a
 * POSIX rule so no zoneinfo files are needed), across the 2026 change.
 * The expected times were worked out apart from the code (Python's
 * zoneinfo, Europe/Berlin).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "when.h"

/* Friday 2026-03-27 14:30:00 CET; summer time starts on Sunday the 29th. */
#define NOW	((time_t)1774618200)

struct when_case {
	const char	*in;
	int64_t		 want;		/* the time, if why is NULL */
	const char	*why;		/* a part of the error message */
};

static const struct when_case when_cases[] = {
	/* durations from now */
	{ "2h", NOW + 7200, NULL },
	{ "30m", NOW + 1800, NULL },
	{ "1d", NOW + 86400, NULL },
	{ "1w", NOW + 7 * 86400, NULL },
	{ "90s", NOW + 90, NULL },
	{ "  2H\t", NOW + 7200, NULL },
	{ "522w", NOW + 522LL * 7 * 86400, NULL },
	{ "2h ago", NOW - 7200, NULL },
	{ "now", NOW, NULL },
	/* days: 9:00, or the time given */
	{ "tomorrow", 1774684800, NULL },
	{ "Tomorrow", 1774684800, NULL },
	{ "tomorrow 14:30:00", 1774704600, NULL },
	{ "today", 1774598400, NULL },
	{ "today 17:00", 1774627200, NULL },
	{ "monday 9:00", 1774854000, NULL },	/* summer time by then */
	{ "mon 9:00", 1774854000, NULL },
	{ "MONDAY   9:00", 1774854000, NULL },
	{ "sunday", 1774767600, NULL },
	{ "friday", 1775199600, NULL },		/* today is Friday: next */
	/* a time of day: today, or tomorrow once it has passed */
	{ "17:30", 1774629000, NULL },
	{ "9:00", 1774684800, NULL },
	{ "09:00", 1774684800, NULL },
	{ "14:30", 1774704600, NULL },		/* exactly now: passed */
	/* dates */
	{ "2026-12-24 08:00", 1798095600, NULL },
	{ "2026-12-24T08:00", 1798095600, NULL },
	{ "2026-12-24T08:00:00Z", 1798099200, NULL },
	{ "2026-12-24 08:00z", 1798099200, NULL },
	{ "2026-12-24", 1798066800, NULL },	/* the start of the day */
	{ "2028-02-29", 1835391600, NULL },
	/* epoch seconds */
	{ "1767225600", 1767225600, NULL },
	{ "0", 0, NULL },
	{ "253402300799", 253402300799LL, NULL },
	/* bad input */
	{ "", 0, "no time given" },
	{ "   ", 0, "no time given" },
	{ "11111111111111111111111111111111111111111111111111111111111111111",
	    0, "too long" },
	{ "2x", 0, "not a time" },
	{ "0h", 0, "more than 0" },
	{ "-5", 0, "not a time" },
	{ "+5", 0, "not a time" },
	{ "1.5h", 0, "not a time" },
	{ "2h30m", 0, "not a time" },
	{ "523w", 0, "too long a duration" },
	{ "99999999999999h", 0, "too long a duration" },
	{ "253402300800", 0, "out of range" },
	{ "99999999999999999999999", 0, "out of range" },
	{ "2026-02-30", 0, "no such date" },
	{ "2027-02-29", 0, "no such date" },
	{ "2026-13-01", 0, "no such date" },
	{ "2026-00-10", 0, "no such date" },
	{ "1969-12-31", 0, "out of range" },
	{ "2026-1-5", 0, "not a time" },
	{ "25:00", 0, "no such time of day" },
	{ "9:60", 0, "no such time of day" },
	{ "2026-12-24T25:00", 0, "no such time of day" },
	{ "2026-12-24T", 0, "not a time" },
	{ "2026-12-24 8", 0, "not a time" },
	{ "monday 9", 0, "not a time" },
	{ "monday 9:00 extra", 0, "not a time" },
	{ "tomorrow 9:00z", 0, "not a time" },	/* Z only after a date */
	{ "9:00z", 0, "not a time" },
	{ "montag", 0, "not a time" },
	{ "2h\x01", 0, "not a time" },
	{ "caf\xc3\xa9", 0, "not a time" },
	{ "2h ago ago", 0, "not a time" },
	{ "ago", 0, "not a time" },
	{ "9:00 ago", 0, "not a time" },
};

static int
when_setup(void **state)
{
	(void)state;
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	return (0);
}

/* Each case through fn: the time it wants, or a refusal saying why. */
static void
when_run(int (*fn)(const char *, time_t, int64_t *, const char **),
    const struct when_case *cases, size_t n)
{
	const struct when_case	*c;
	const char		*why;
	int64_t			 t;
	size_t			 i;
	int			 rc;

	for (i = 0; i < n; i++) {
		c = &cases[i];
		t = -1;
		why = NULL;
		rc = fn(c->in, NOW, &t, &why);
		if (c->why == NULL) {
			if (rc != 0)
				fail_msg("'%s': %s", c->in, why);
			if (t != c->want)
				fail_msg("'%s': %lld, not %lld", c->in,
				    (long long)t, (long long)c->want);
		} else if (rc != -1 || why == NULL) {
			fail_msg("'%s' was taken (%lld)", c->in,
			    (long long)t);
		} else if (strstr(why, c->why) == NULL) {
			fail_msg("'%s': '%s', not '%s'", c->in, why, c->why);
		}
	}
}

static void
when_parse_table(void **state)
{
	(void)state;
	when_run(when_parse, when_cases, sizeof when_cases /
	    sizeof when_cases[0]);
}

/* A snooze time must be ahead of now. */
static void
when_future_only(void **state)
{
	static const struct when_case	cases[] = {
		{ "2h", NOW + 7200, NULL },
		{ "17:30", 1774629000, NULL },
		{ "now", 0, "passed" },
		{ "today", 0, "passed" },		/* 9:00 was */
		{ "1767225600", 0, "passed" },
		{ "2h ago", 0, "passed" },
		{ "soon", 0, "not a time" },
	};

	(void)state;
	when_run(when_future, cases, sizeof cases / sizeof cases[0]);
}

/* --for, --hold, --timeout: a bare number is seconds there. */
static void
when_duration_table(void **state)
{
	static const struct {
		const char	*in;
		int64_t		 want;	/* -1: refused */
	} cases[] = {
		{ "90", 90 }, { "90s", 90 }, { "15m", 900 }, { "2h", 7200 },
		{ "3d", 3 * 86400 }, { "1w", 7 * 86400 }, { " 2H ", 7200 },
		{ "0", -1 }, { "0s", -1 }, { "", -1 }, { "2x", -1 },
		{ "-1", -1 }, { "1.5h", -1 }, { "tomorrow", -1 },
		{ "2h ago", -1 }, { "1767225600", -1 }, { "523w", -1 },
	};
	const char	*why;
	int64_t		 secs;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		secs = 0;
		why = NULL;
		if (cases[i].want < 0) {
			if (when_duration(cases[i].in, &secs, &why) != -1 ||
			    why == NULL)
				fail_msg("'%s' was taken", cases[i].in);
		} else {
			if (when_duration(cases[i].in, &secs, &why) != 0)
				fail_msg("'%s': %s", cases[i].in, why);
			assert_int_equal(secs, cases[i].want);
		}
	}
}

/* Audit bounds: the same times, in milliseconds. */
static void
when_audit_ms(void **state)
{
	const char	*why = NULL;
	long long	 ms;

	(void)state;
	assert_int_equal(when_audit("2025-03-01", NOW, &ms, &why), 0);
	assert_int_equal(ms, 1740783600LL * 1000);
	assert_int_equal(when_audit("2025-03-01T12:00:00Z", NOW, &ms, &why),
	    0);
	assert_int_equal(ms, 1740830400LL * 1000);
	assert_int_equal(when_audit("1767225600", NOW, &ms, &why), 0);
	assert_int_equal(ms, 1767225600LL * 1000);
	assert_int_equal(when_audit("2h ago", NOW, &ms, &why), 0);
	assert_int_equal(ms, ((long long)NOW - 7200) * 1000);
	assert_int_equal(when_audit("253402300799", NOW, &ms, &why), 0);
	assert_int_equal(ms, 253402300799LL * 1000);
	assert_int_equal(when_audit("last week", NOW, &ms, &why), -1);
	assert_non_null(strstr(why, "not a time"));
	/* The time audit show and export print, milliseconds and all. */
	assert_int_equal(when_audit("2025-03-01T12:00:00.123Z", NOW, &ms,
	    &why), 0);
	assert_int_equal(ms, 1740830400LL * 1000 + 123);
	assert_int_equal(when_audit("2025-03-01T12:00:07.5Z", NOW, &ms,
	    &why), 0);
	assert_int_equal(ms, 1740830407LL * 1000 + 500);
	assert_int_equal(when_audit("2025-03-01 12:00:00.999999", NOW, &ms,
	    &why), 0);
	assert_int_equal(ms, 1740826800LL * 1000 + 999);
	/* A fraction only after seconds, and only digits. */
	assert_int_equal(when_audit("2025-03-01T12:00.5Z", NOW, &ms, &why),
	    -1);
	assert_int_equal(when_audit("2025-03-01T12:00:00.Z", NOW, &ms, &why),
	    -1);
	assert_int_equal(when_audit("2025-03-01T12:00:00.1234567890Z", NOW,
	    &ms, &why), -1);
}

/* What was typed never comes back in the message (it may be anything). */
static void
when_dur_text_reads_as_seconds_minutes_hours(void **state)
{
	char	buf[32];

	(void)state;
	when_dur_text(45, buf, sizeof buf);
	assert_string_equal(buf, "45s");
	when_dur_text(12 * 60 + 59, buf, sizeof buf);
	assert_string_equal(buf, "12m");
	when_dur_text(3900, buf, sizeof buf);
	assert_string_equal(buf, "1h05m");
	when_dur_text(49 * 3600, buf, sizeof buf);
	assert_string_equal(buf, "49h00m");
}

static void
when_errors_do_not_repeat_input(void **state)
{
	static const char	*bad[] = { "+49 151 2345678",
				    "anna@example.com", "Bestellung 4711",
				    "2026-02-30", "montag 9:00" };
	const char		*why;
	int64_t			 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		assert_int_equal(when_parse(bad[i], NOW, &t, &why), -1);
		assert_non_null(why);
		assert_null(strstr(why, bad[i]));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(when_parse_table),
		cmocka_unit_test(when_future_only),
		cmocka_unit_test(when_duration_table),
		cmocka_unit_test(when_audit_ms),
		cmocka_unit_test(when_errors_do_not_repeat_input),
		cmocka_unit_test(when_dur_text_reads_as_seconds_minutes_hours),
	};

	return (cmocka_run_group_tests(tests, when_setup, NULL));
}

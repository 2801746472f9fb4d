/*
 * Time expressions: the one syntax the TUI and the CLI take for a time
 * (snooze until, audit bounds, retention "as of") and for a duration, so
 * the same words mean the same time everywhere. The syntax is documented
 * once, for users, in doc/support-inbox.1 (TIME EXPRESSIONS);
 * tests/unit/test_when.c has every form and the refusals. Parsed without
 * a terminal, so it is tested and fuzzed (tests/fuzz/fuzz_when.c) alone.
 * On failure *why is a constant message that never repeats the input.
 */
#ifndef WHEN_H
#define WHEN_H

#include <stdint.h>
#include <time.h>

#define WHEN_TEXT_MAX	64			/* bytes in an expression */
#define WHEN_AHEAD_MAX	(10LL * 366 * 86400)	/* the longest duration */

/* A time: 0 and *t (epoch seconds), or -1 and *why. */
int	when_parse(const char *s, time_t now, int64_t *t, const char **why);
/* A time after now (a snooze): as when_parse, and -1 for one past. */
int	when_future(const char *s, time_t now, int64_t *t, const char **why);
/*
 * A duration: "90" or "90s" (seconds), "30m", "2h", "1d", "1w"; above 0
 * and at most WHEN_AHEAD_MAX. 0 and *secs, or -1 and *why.
 */
int	when_duration(const char *s, int64_t *secs, const char **why);
/*
 * An audit bound: when_parse in epoch milliseconds; a time with seconds
 * may also have a fraction, as audit show and export print a record's
 * time ("2026-12-24T08:00:00.123Z").
 */
int	when_audit(const char *s, time_t now, long long *ms, const char **why);
/*
 * A duration as a person reads it, the one form reports print: "45s",
 * "12m", "1h05m" (s >= 0; hours go on past a day: "49h00m").
 */
void	when_dur_text(int64_t s, char *buf, size_t len);

#endif

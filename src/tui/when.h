/*
 * Time expressions agents type, parsed without a terminal so they can be
 * tested and fuzzed alone.
 */
#ifndef WHEN_H
#define WHEN_H

#include <stdint.h>
#include <time.h>

/*
 * A snooze time: "30m", "2h", "1d", "1w", "tomorrow", "monday",
 * "2026-12-01", "2026-12-01 09:00" (local time). Returns epoch seconds, or
 * 0 if s is none of these.
 */
int64_t	when_parse(const char *s, time_t now);
/*
 * An audit bound: "2025-03-01", "2025-03-01T12:00:00" (UTC) or epoch
 * seconds. Sets *ms (epoch milliseconds); returns 0, or -1 if s is none
 * of these.
 */
int	when_audit(const char *s, long long *ms);

#endif

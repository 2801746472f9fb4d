/*
 * The clock of the inbox's rules: business hours, auto-replies, the
 * privacy notice's periods, rule timers, the survey. One owner, so a test
 * can move it: with SI_TEST_CLOCK naming a file, the file says the time,
 * "@EPOCH" (stands still) or "+SECONDS" / "-SECONDS" (real time moved).
 * A missing or unreadable file is real time. The simulator reads the same
 * file, so the timestamps of its webhooks follow the same clock.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

/* Seconds since the epoch, by the test clock if there is one. */
int64_t	 clock_now(void);

#endif

/*
 * Time expressions (src/common/when.c): snooze times ("2h", "monday 9:00",
 * "2026-12-01 09:00"), durations and audit bounds ("2025-03-01", epoch
 * seconds). "now" is fixed so a finding replays the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "fuzz.h"
#include "when.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why;
	char		*s;
	int64_t		 t;
	long long	 ms;

	s = fuzz_str(data, len);
	(void)when_parse(s, (time_t)1767225600, &t, &why);	/* 2026-01-01 */
	(void)when_future(s, (time_t)1767225600, &t, &why);
	(void)when_duration(s, &t, &why);
	(void)when_audit(s, (time_t)1767225600, &ms, &why);
	free(s);
	return (0);
}

/*
 * Time expressions (src/tui/when.c): snooze times ("2h", "monday",
 * "2026-12-01 09:00") and audit bounds ("2025-03-01", epoch seconds).
 * "now" is fixed so a finding replays the same.
 */
#include <stdlib.h>
#include <time.h>

#include "fuzz.h"
#include "when.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		*s;
	long long	 ms;

	s = fuzz_str(data, len);
	(void)when_parse(s, (time_t)1767225600);	/* 2026-01-01 */
	(void)when_audit(s, &ms);
	free(s);
	return (0);
}

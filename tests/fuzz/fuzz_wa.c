/*
 * libFuzzer target for wa-payload.c: any body must parse or fail cleanly, and
 * every event it yields must free without leaks.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "wa-payload.h"



int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct wa_batch	 b;
	char		*cause = NULL;

	if (wa_payload_parse((const char *)data, len, &b, &cause) == 0)
		wa_payload_free(&b);
	else
		free(cause);
	return (0);
}

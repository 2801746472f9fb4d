/*
 * Webhook bodies into a real store (src/daemon/ingest.c over wa-payload.c
 * and the store): the input is one or more bodies separated by NUL bytes, stored
 * in one group commit as the webhook does, on a store emptied before each
 * input. Nothing may crash, and the group must commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "daemon.h"
#include "fuzz.h"
#include "ingest.h"
#include "store.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct daemon	*d;
	json_t		*events;
	const uint8_t	*p, *end = data + len, *nul;
	char		*cause = NULL;

	d = fuzz_daemon();
	events = json_array();
	if (store_begin(&d->store) != 0)
		abort();
	for (p = data; p <= end; p = nul + 1) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
			nul = end;
		if (ingest_body(d, (const char *)p, (size_t)(nul - p),
		    events) != 0) {
			fprintf(stderr, "ingest_body failed\n");
			abort();
		}
	}
	if (store_commit(&d->store, &cause) != 0) {
		fprintf(stderr, "commit: %s\n", cause);
		abort();
	}
	json_decref(events);
	return (0);
}

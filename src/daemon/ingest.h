/*
 * Turns parsed webhook events into store rows, inside the caller's
 * transaction. Nothing here commits: the webhook module commits a whole
 * group of requests at once and only then answers them; each request runs
 * under its own savepoint there (store_savepoint), so a body that fails
 * is undone alone.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stdint.h>

#include <jansson.h>

#include "wa-payload.h"

struct daemon;

/*
 * Stores one body: the raw copy (sealed) and everything derived from it, or
 * only the raw copy as quarantined when it does not parse. In the caller's
 * transaction. Returns 0, or -1 on a database error.
 */
int	ingest_body(struct daemon *, const char *body, size_t len,
	    json_t *events);
/* Re-ingests quarantined bodies; returns how many now parsed, or -1. */
int	ingest_replay(struct daemon *);

#endif

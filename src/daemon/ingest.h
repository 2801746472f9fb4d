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
 * Applies every event of one body (messages, statuses, identity changes,
 * consent, template and error notices). raw_id links the stored raw body
 * to the contacts it concerns (for erasure). Events for connected clients
 * are appended to `events` as {"event", "data"} (server_events sends them
 * after the commit). Also remembers the business's display number on the
 * daemon, which a roll-back does not undo. Returns 0 or -1 (the caller
 * rolls back to its savepoint and drops the events it appended).
 */
int	ingest_batch(struct daemon *, const struct wa_batch *, int64_t raw_id,
	    json_t *events, uint64_t *stored, uint64_t *duplicates);
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

/*
 * Retention (security-privacy.md 1.5): resolved conversations, raw webhook
 * bodies, media files and the audit log each have an age ([retention],
 * days; 0 keeps forever). A daily timer purges what expired; contacts under
 * legal hold are exempt. A contact left without conversations is erased
 * like a data-subject request (crypto-shredded, in the erasure ledger).
 */
#ifndef RETENTION_H
#define RETENTION_H

#include <stdint.h>

#include <jansson.h>

#include "audit.h"

struct daemon;

/*
 * Purges what is older than its age at time now (seconds), or with dry_run
 * only counts it (the same deletions, undone). One transaction (rpc_act,
 * as who) with one audit record (action) with the counts; keys, files and
 * the audit log's old segments go after the commit. Returns the counts
 * {raw_events, conversations, messages, contacts, media, audit_records}
 * or NULL with *cause.
 */
json_t	*retention_run(struct daemon *, const struct audit_who *,
	    const char *action, int64_t now, int dry_run, char **cause);
/* The daily purge on the daemon's event loop. */
void	 retention_start(struct daemon *);
void	 retention_stop(struct daemon *);

#endif

/*
 * The consent ledger's inputs (security-privacy.md 1.4): STOP/START keywords
 * in customer messages, Meta's user_preferences webhook (ingest.c) and
 * agents. Each is one append-only row: purpose, opt-in or out, time,
 * source, evidence (message id) and the consent text version.
 */
#ifndef CONSENT_H
#define CONSENT_H

#include <stdint.h>

struct daemon;

/*
 * Called by ingest inside its transaction for each new inbound text:
 * writes a marketing opt-out or opt-in if the text is a keyword, and
 * queues the configured confirmation ([consent] stop_reply, start_reply)
 * to the customer, audited as the daemon's. Returns 0 or -1 (a database
 * error).
 */
int	consent_on_inbound(struct daemon *, int64_t conv_id,
	    int64_t contact_id, int64_t msg_id, const char *text, int64_t ts);

#endif

/*
 * The first-contact privacy notice (issue 16 point 2): the first time a
 * contact writes (no "informed" at the current version in the consent
 * ledger), the daemon answers once with the notice of the conversation's
 * number ([notice LABEL], else [notice]; conf-notice.h) in the contact's
 * language, through autosend (so never to a restricted, erased or blocked
 * contact, and only while the window is open), audited "notice.send".
 * Only a notice that was queued is recorded as "informed"; one that could
 * not go is due again with the contact's next message.
 */
#ifndef NOTICE_H
#define NOTICE_H

#include <jansson.h>

struct auto_inbound;
struct conf;
struct daemon;

/* From automation_inbound, inside ingest's transaction: 0, or -1 (a
 * database error). */
int	 notice_inbound(struct daemon *, const struct auto_inbound *);
/* notice.status's answer: every notice, its numbers, languages and how
 * many contacts were informed. */
json_t	*notice_status(struct daemon *);
/* On reload (the new configuration already valid): the notices of nc take
 * over; what changed is appended to changed. */
void	 notice_reload(struct daemon *, struct conf *nc, json_t *changed);

#endif

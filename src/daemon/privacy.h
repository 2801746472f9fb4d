/*
 * Data-subject rights (GDPR Art. 15-18): naming a contact, erasing it by
 * crypto-shredding, and replaying erasures after a restore from backup.
 * Restriction, holds and exports are thin enough to live in rpc-privacy.c.
 */
#ifndef PRIVACY_H
#define PRIVACY_H

#include <stdint.h>

#include <jansson.h>

#include "audit.h"

struct daemon;

/*
 * Finds the contact a person means. spec is one of
 *   conv:N      the contact of conversation N
 *   contact:N   internal contact id N
 *   +49 151 ... a phone number (at least 5 digits; spaces, dashes allowed)
 *   anything else: a WhatsApp business-scoped user id (BSUID)
 * Returns 0 found, 1 no such contact, -1 malformed; *cause (allocated) never
 * repeats the number or id.
 */
int	 privacy_contact(struct daemon *, const char *spec, int64_t *cid,
	    char **cause);
/*
 * Erases one contact: its rows go and the ledger gets a pseudonymous entry
 * with the audit record, in one transaction (rpc_act, as who); after the
 * commit its data key is deleted from the key store, both WALs are
 * truncated and its media files unlinked. Refuses (1, *cause) under legal
 * hold. Returns 0 with *res (counts), 1 refused, -1 error.
 */
int	 privacy_erase(struct daemon *, const struct audit_who *, int64_t cid,
	    const char *reason, json_t **res, char **cause);
/*
 * Re-applies every erasure after a restore: contacts in the ledger that
 * have rows or a key again, and contacts whose key is gone from the key
 * store (the database is older than the key store), in one transaction
 * (rpc_act), then their keys. 0 with *res, or -1.
 */
int	 privacy_replay(struct daemon *, const struct audit_who *,
	    json_t **res, char **cause);
/* Unlinks data_dir/blobs/<id> for each id in the array. */
void	 privacy_unlink_blobs(struct daemon *, json_t *ids);

/* Appends an erasure committed just now to the erasure journal (a file
 * outside the database, store_erasure_journal_path); logs a failure. */
void	 privacy_journal(struct daemon *, int64_t cid);

#endif

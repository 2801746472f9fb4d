/*
 * The tamper-evident audit log (doc/design.md section 6). Every record is
 * chained: hash = BLAKE2b-256("si-audit-v1" || prev_hash || canonical(row)),
 * where canonical() is a fixed length-prefixed encoding of every field, so
 * editing, deleting or reordering any record breaks the chain from there.
 * Ed25519-signed checkpoints over (seq, hash) are stored and appended to a
 * file that an operator can ship off the host.
 */
#ifndef AUDIT_H
#define AUDIT_H

#include <stdint.h>

#include <jansson.h>

struct daemon;

/* Who acts: an agent over the socket, or the daemon itself. */
struct audit_who {
	int64_t		 agent_id;	/* 0: the daemon */
	const char	*agent;		/* Unix user name, or "support-inboxd" */
	const char	*client;	/* "tty=/dev/pts/3 ssh=... (reported)" */
};

struct audit_rec {
	const char	*action;	/* "conversation.open", ... */
	const char	*object_type;	/* "conversation", "contact", ... */
	int64_t		 object_id;
	int64_t		 contact_id;	/* whose data this touched, or 0 */
	const char	*purpose;
	const char	*result;	/* "ok", "denied", "error" */
	const char	*detail;	/* sealed before storing; may be NULL */
};

/*
 * Appends one record inside the caller's open transaction (so the record
 * commits or rolls back with the action). Returns 0 or -1.
 */
int	 audit_append(struct daemon *, const struct audit_who *,
	    const struct audit_rec *);
/* Same, in a transaction of its own (denials, reads without writes). */
int	 audit_append_commit(struct daemon *, const struct audit_who *,
	    const struct audit_rec *);
/* Writes a checkpoint if N records or M minutes have passed since the last. */
int	 audit_maybe_checkpoint(struct daemon *, int force);
/*
 * Recomputes the chain and the checkpoint signatures. Returns a JSON
 * object {"ok":bool,"records":N,"checkpoints":N,"first_bad_seq":N,
 * "reason":"..."}.
 */
json_t	*audit_verify(struct daemon *);
/*
 * Retention: deletes the oldest records up to the newest signed checkpoint
 * older than before_ms, in one transaction with an "audit.prune" record
 * naming that checkpoint; verification then starts from it. *n: records
 * removed (or that would be, if dry_run). Returns 0 or -1.
 */
int	 audit_prune(struct daemon *, const struct audit_who *,
	    int64_t before_ms, int dry_run, int64_t *n);
struct store_audit_row;
/* One record as JSON (detail decrypted if with_detail); hashes in hex. */
json_t	*audit_row_json(struct daemon *, const struct store_audit_row *,
	    int with_detail);

#endif

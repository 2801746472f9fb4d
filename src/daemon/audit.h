/*
 * The tamper-evident audit log (doc/design.md section 6). Every record is
 * chained: hash = keyed BLAKE2b-256(K, "si-audit-v2" || prev_hash ||
 * canonical(row)), K the AUDITMAC subkey of the master key (never stored),
 * canonical() a fixed length-prefixed encoding of every field, so editing,
 * deleting or reordering any record breaks the chain from there and nobody
 * without the key can recompute it. Records written before the keyed chain
 * (schema 1) keep their unkeyed "si-audit-v1" hashes up to the keyed
 * "audit.rekey" record that closes them.
 *
 * Ed25519-signed checkpoints over (seq, ts, cadence, hash) are written in
 * the transaction of the record that makes one due (every checkpoint_every
 * records or checkpoint_minutes minutes), stored in a table as append-only
 * as the log, and appended to a file that an operator ships off the host.
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
 * At start: closes an unkeyed chain with a signed "audit.rekey" record
 * (after the schema 2 migration) and records a change of the checkpoint
 * cadence ("audit.cadence"). Returns 0 or -1.
 */
int	 audit_start(struct daemon *);
/*
 * Recomputes the keyed chain; checks every signed checkpoint in the store,
 * the checkpoint file and copy (the text of an off-host copy, or NULL)
 * against it, that the store and the file agree, that a checkpoint is
 * where the cadence demands one, and that only signed pruning removed the
 * front. Returns {"ok":bool,"records":N,"checkpoints":N,"first_bad_seq":N,
 * "reason":"...", "last_shipped":S,"after_last_shipped":N,...}; the
 * finding reported is the one about the earliest record.
 */
json_t	*audit_verify(struct daemon *, const char *copy,
	    const char *copy_name);
/*
 * Retention: deletes the oldest records up to the newest signed checkpoint
 * older than before_ms, in one transaction with an "audit.prune" record
 * naming that checkpoint; verification then starts from it. *n: records
 * removed (or that would be, if dry_run). Returns 0 or -1.
 */
int	 audit_prune(struct daemon *, const struct audit_who *,
	    int64_t before_ms, int dry_run, int64_t *n);
struct store_audit_row;
/* The purpose of a record in clear (allocated), or NULL. */
char	*audit_purpose(struct daemon *, const struct store_audit_row *);
/* One record as JSON (detail decrypted if with_detail); hashes in hex. */
json_t	*audit_row_json(struct daemon *, const struct store_audit_row *,
	    int with_detail);
struct buf;
struct store_ckpt;
/* A signed checkpoint's line, as in the checkpoint file, onto out. */
void	 audit_ckpt_line(const struct store_ckpt *, const uint8_t pk[32],
	    struct buf *out);
/*
 * The lines of the store's signed checkpoints after seq after, oldest
 * first, at most max, onto out (what "audit ship" copies off the host):
 * their number, or -1; *more if there are further ones.
 */
int64_t	 audit_ckpt_lines(struct daemon *, int64_t after, int64_t max,
	    struct buf *out, int *more);

#endif

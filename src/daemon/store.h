/*
 * The store: the only module with SQL (doc/design.md section 4). SQLite in WAL
 * mode with foreign keys; the main database and the key store (wrapped
 * per-contact data keys) are separate files so that their backups can have
 * different lives. Personal fields are sealed with the contact's data key
 * (crypt.h) before they reach SQLite; this module does the sealing so that no
 * caller handles ciphertext.
 *
 * store.c is the core; each kind of row has its own file, store-<noun>.c
 * (store_<noun>_* functions), and a section below, in the files' order.
 * What only the store's files share is in store-int.h.
 */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "crypt.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_DB_NAME		"support-inbox.db"
#define STORE_KS_NAME		"keystore.db"
#define STORE_JOURNAL_NAME	"erasure-journal"
/* How long a write waits for a lock another process or connection holds. */
#define STORE_BUSY_MS		5000

struct sqlite3;
struct sqlite3_stmt;
struct store_dek;
struct store_search;

/*
 * What a look-up of one row found: the one return convention of the
 * functions that find something (agent, conversation, contact, message,
 * label, media, outbox row, checkpoint). An error is never "not there".
 */
enum store_found {
	STORE_ERROR = -1,	/* could not look (logged) */
	STORE_FOUND = 0,	/* filled in */
	STORE_NONE = 1		/* no such row */
};

struct store {
	struct sqlite3		*db;		/* main database */
	struct sqlite3		*ks;		/* key store */
	struct crypt		*crypt;		/* borrowed */
	struct sqlite3_stmt	*stmts[8192];	/* prepared once, by slot */
	struct store_dek	*deks;		/* unwrapped data key cache */
	size_t			 ndeks, deks_cap;
	int			 damaged;	/* check found damage: no writes */
	int			 audit_only;	/* damaged: an audit append */
	int			 audit_prune;	/* store-audit.c: pruning now */
	/* called after each commit (1) or rollback (0); audit.c's */
	void			(*txn_hook)(void *, int committed);
	void			*txn_arg;
	struct store_search	*search;	/* in-memory index, or NULL */
};

/*
 * The core (store.c): opening, transactions and savepoints, integrity
 * checks, meta values and the counts for "status".
 */
/* Opens (creating if needed) the two databases in dir and migrates them. */
int	 store_open(struct store *, const char *dir, struct crypt *,
	    char **cause);
/* Finalizes every statement, wipes the key cache and closes both. */
void	 store_close(struct store *);
/* Whether dir already holds a database. */
bool	 store_has_db(const char *dir);
/* The main database's schema version (PRAGMA user_version), or -1. */
int	 store_schema_version(struct store *);

/*
 * Begins a transaction (BEGIN IMMEDIATE). Transactions do not nest: -1
 * (and a logged bug) if one is open; the dispatcher's write path (rpc.c)
 * owns them for methods and the daemon's own actions.
 */
int	 store_begin(struct store *);
int	 store_writable(struct store *, int wait_ms);
/* Whether a transaction is open. */
bool	 store_has_txn(const struct store *);
/* Commits durably (synchronous=FULL). Returns 0 or -1 (rolled back). */
int	 store_commit(struct store *, char **cause);
void	 store_rollback(struct store *);
/*
 * A savepoint inside the open transaction (one webhook request of a group
 * commit), mirrored in the search index. store_savepoint_undo rolls back to
 * it and drops it; it returns -1 if the whole transaction is gone (SQLite
 * rolls back everything on some errors, SQLITE_FULL or SQLITE_IOERR), and
 * the caller must then treat the group as failed.
 */
/*
 * Integrity. store_check runs PRAGMA quick_check on the database and the
 * key store, stopping after budget_ms (0: no bound); store_check_files runs
 * the full PRAGMA integrity_check on read-only connections of its own (no
 * key needed; the daemon may be running). Problems (at most 100 lines) are
 * appended to `problems` as strings. Returns 0 intact, 1 damaged, 2 not
 * completed in time, -1 error (*cause).
 */
int	 store_check(struct store *, int64_t budget_ms, json_t *problems);
int	 store_check_files(const char *dir, json_t *problems, char **cause);
/*
 * After damage is found: store_begin refuses every transaction but an
 * audit record's (audit_append_commit), so reads stay audited.
 */
void	 store_set_damaged(struct store *);
int	 store_savepoint(struct store *);
int	 store_savepoint_release(struct store *);
int	 store_savepoint_undo(struct store *);

/* Integer meta value (0 if absent) and removing a key. */
int64_t	 store_meta_int(struct store *, const char *key);
int	 store_meta_del(struct store *, const char *key);
/* Health and counts for "status". */
json_t	*store_stats(struct store *);

/* Agents (store-agent.c). */
struct store_agent {
	int64_t	 id;
	int64_t	 uid;
	char	 name[64];
	char	 role[16];		/* agent, supervisor, admin */
	int	 active;
	char	 team[64];		/* "" for none */
	int	 removed;		/* agent.remove: kept for the trail */
	int64_t	 away;			/* agent.away: since when; 0 not */
};
/* 0, or -1 with *cause (the name or uid is taken); *id unless id NULL. */
int	 store_agent_add(struct store *, int64_t uid, const char *name,
	    const char *role, int64_t *id, char **cause);
/* By Unix uid / by name: STORE_FOUND, STORE_NONE or STORE_ERROR. */
enum store_found store_agent_by_uid(struct store *, int64_t uid,
	    struct store_agent *);
enum store_found store_agent_by_name(struct store *, const char *,
	    struct store_agent *);
/* [{id, uid, name, role, active}] by name. */
json_t	*store_agent_list(struct store *);
/* role NULL and active -1 leave that unchanged. 0, or -1. */
int	 store_agent_set(struct store *, int64_t id, const char *role,
	    int active);
/* Removed agents too if all. */
json_t	*store_agent_list_all(struct store *, int all);
/*
 * Removes the agent for good: inactive, marked removed, its uid freed for
 * the next user given it (the row stays for the audit trail). 0, or -1.
 */
int	 store_agent_remove(struct store *, int64_t id);
/* The agent's open, pending and snoozed conversations: [[id, contact]]. */
json_t	*store_agent_held(struct store *, int64_t id);
/* How many agents there are (active or not), or -1. */
int64_t	 store_agent_count(struct store *);
/* The agent's team (NULL: none). 0, or -1. */
int	 store_agent_set_team(struct store *, int64_t id, const char *);
/* The agent away since at (0: back). 0, or -1. */
int	 store_agent_set_away(struct store *, int64_t id, int64_t at);
/* The agent's capacity (0: the configured default). 0, or -1. */
int	 store_agent_set_capacity(struct store *, int64_t id, int);
/* The agent's display name (NULL: none, the login is used). 0, or -1. */
int	 store_agent_set_display(struct store *, int64_t id, const char *);
/* The name customers see: the display name, else the login ("" if none). */
void	 store_agent_display(struct store *, int64_t id, char *, size_t);
/* Team (team may be NULL), configured capacity (0: default) and
 * open+pending load; STORE_NONE: no such agent. */
enum store_found store_agent_inbox(struct store *, int64_t id, char *team,
	    size_t teamsz, int *capacity, int64_t *load);

/* Alerts (store-alert.c). */
/* value.errors and account alerts; detail is sealed. 0, or -1. */
int	 store_alert_add(struct store *, const char *kind, int64_t code,
	    const char *title, const char *detail, int64_t now);
/* One line per kind and code, newest first, at most limit:
 * [{kind, code, title, last, count}]. */
json_t	*store_alerts_recent(struct store *, int64_t limit);

/* Audit log rows (store-audit.c; the chain itself is computed in audit.c). */
struct store_audit_row {
	int64_t		 seq;
	int64_t		 ts_ms;
	int64_t		 agent_id;	/* 0: the daemon itself */
	const char	*agent;		/* Unix user name */
	const char	*action;
	const char	*object_type;
	int64_t		 object_id;
	int64_t		 contact_id;	/* 0 if none; for access reports */
	const char	*purpose;	/* legacy (unkeyed) records only */
	const char	*client;	/* tty, reported SSH origin */
	const char	*result;
	const uint8_t	*detail;	/* sealed extra detail, or NULL */
	size_t		 detail_len;
	const uint8_t	*purpose_enc;	/* sealed purpose, or NULL */
	size_t		 purpose_enc_len;
	uint8_t		 prev_hash[32];
	uint8_t		 hash[32];
};
/* The chain's head: the newest record's seq and hash, or after pruning
 * emptied the log the anchoring checkpoint's (0 and zeros: none). 0, -1. */
int	 store_audit_head(struct store *, int64_t *seq, uint8_t hash[32]);
/* Appends a record (seq and hashes already computed). 0, or -1. */
int	 store_audit_insert(struct store *, const struct store_audit_row *);
/* Calls fn for each row in seq order from `from`; stops if fn returns != 0
 * and returns that. */
int	 store_audit_each(struct store *, int64_t from,
	    int (*fn)(const struct store_audit_row *, void *), void *);
/* The oldest record's seq and time; STORE_NONE: an empty log. */
enum store_found store_audit_first(struct store *, int64_t *seq,
	    int64_t *ts_ms);
struct store_audit_filter {
	int64_t		 after_seq, before_seq;	/* exclusive; 0: open */
	int64_t		 from_ms, to_ms;	/* to exclusive; 0: open */
	const char	*agent;			/* or NULL */
	int64_t		 contact_id;		/* or 0 */
	const char	*action;		/* or NULL */
	int64_t		 limit;			/* 0: no limit */
	int		 newest_first;
};
/* Calls fn for each row the filter lets through; stops if fn returns
 * != 0. 0, or -1. */
int	 store_audit_query(struct store *, const struct store_audit_filter *,
	    int (*fn)(const struct store_audit_row *, void *), void *);
/* The newest checkpoint older than before_ms that is not the head (the end
 * of the segment that may go; head_too: a record will follow first), or 0. */
int64_t	 store_audit_prunable(struct store *, int64_t before_ms,
	    int head_too);
/* Inside a transaction: deletes the records up to and including seq (a
 * checkpoint) and the older checkpoints; *n records. 0, or -1. */
int	 store_audit_prune(struct store *, int64_t seq, int64_t *n);

/* Backups (store-backup.c). */
/* What a backup takes, besides data_dir's database, key store and blobs. */
struct store_backup_src {
	const char	*data_dir;
	const char	*key_file;
	const char	*passphrase_file;	/* NULL: the key is not wrapped */
	const char	*checkpoint_file;	/* may be NULL */
	const char	*journal;		/* the erasure journal */
};
/* A consistent online copy: out/db/ and out/keys/ (SQLite backup API),
 * then out/blobs/, out/audit/, out/master-key/ (if the key lives in
 * data_dir), a MANIFEST with every file's size and BLAKE2b hash, and a
 * README. *nblobs: media files copied. 0, or -1 with *cause. */
int	 store_backup(const struct store_backup_src *, const char *out,
	    int *nblobs, char **cause);
/* Copies src to a new dst (mode 0600, never through a link), hashing what
 * it copies into hex (65 bytes) and its size. 0; 1 if src does not exist;
 * -1 with *cause. */
int	 store_backup_copy(const char *src, const char *dst, char *hex,
	    int64_t *size, char **cause);
/* The size and BLAKE2b hash (hex, 65 bytes) of a regular file. 0; 1 if it
 * does not exist; -1 with *cause. */
int	 store_backup_hash(const char *path, char *hex, int64_t *size,
	    char **cause);

/* Restores (store-restore.c). */
struct store_restore_res {
	int		 schema;		/* of the backup */
	int		 files;
	int		 erasures;		/* ledger entries added */
	int		 journal_missing;	/* no live journal was found */
	int		 kept_checkpoints;	/* an existing file was kept */
	int		 key_copied;
};
/* Checks backup dir in against its MANIFEST, then copies it into the
 * empty (or new) data_dir, marks the store restored (sending paused until
 * an admin resumes) and adds the erasures the journal knows to the
 * ledger. 0, or -1 with *cause; nothing is written to data_dir unless the
 * backup checked out. */
int	 store_restore(const struct store_backup_src *, const char *in,
	    struct store_restore_res *, char **cause);

/* Canned replies (store-canned.c). */
/* Those for team and language (NULL: any; a reply without either fits
 * all), by shortcut. */
json_t	*store_canned_list(struct store *, const char *team,
	    const char *language);
/* One reply by shortcut, or NULL. */
json_t	*store_canned_get(struct store *, const char *shortcut);
/* Inserts or replaces by shortcut; *id, and *created says which. 0, -1. */
int	 store_canned_put(struct store *, const char *shortcut,
	    const char *title, const char *body, const char *language,
	    const char *team, int64_t now, int64_t *id, int *created);
/* 0 done, 1 the shortcut is taken, -1 error. */
int	 store_canned_rename(struct store *, int64_t id, const char *);
/* 0 removed, 1 no such reply, -1 error. */
int	 store_canned_remove(struct store *, const char *shortcut);

/* Signed checkpoints of the audit chain (store-checkpoint.c). */
/* A signed checkpoint row; every/minutes -1 for a v1 (legacy) one. */
struct store_ckpt {
	int64_t		 seq;
	int64_t		 ts_ms;
	int64_t		 every, minutes;	/* the cadence it promises */
	const uint8_t	*hash;			/* NULL: malformed row */
	const uint8_t	*sig;
};
/* Appends a checkpoint (hash and sig given). 0, or -1. */
int	 store_checkpoint_insert(struct store *, const struct store_ckpt *);
/* Calls fn for each in seq order; stops if fn returns != 0 and returns
 * that. */
int	 store_checkpoint_each(struct store *,
	    int (*fn)(const struct store_ckpt *, void *), void *);
/* The newest checkpoint (hash/sig not filled), or STORE_NONE. */
enum store_found store_checkpoint_last(struct store *, struct store_ckpt *);

/* The consent ledger (store-consent.c). */
/* Appends a row (evidence_msg_id 0, text_version NULL: none). 0, -1. */
int	 store_consent_add(struct store *, int64_t contact_id,
	    const char *purpose, int opt_in, const char *source,
	    int64_t evidence_msg_id, const char *text_version, int64_t ts);
/* 1 if the latest marketing consent row of the contact is an opt-in. */
int	 store_consent_marketing(struct store *, int64_t contact_id);
/* The latest consent state for purpose ("service", "marketing"):
 * 1 opted in, 0 not (opted out or never asked), -1 error. */
int	 store_consent_current(struct store *, int64_t contact_id,
	    const char *purpose);
/* The contact's rows, oldest first: [{id, purpose, opt_in, ts, source,
 * evidence_message?, text_version?}]. */
json_t	*store_consent_history(struct store *, int64_t contact_id);

/*
 * Contacts (store-contact.c): keyed by the blind index of wa_id and/or
 * BSUID. For the int functions that look a contact up: 0 found, 1 no such
 * contact, -1 error.
 */
struct store_contact_in {
	const char	*wa_id;
	const char	*user_id;
	const char	*username;
	const char	*name;
};
/* Finds or creates (*created); fills in an identifier learned later and
 * updates the name and username if given. 0, or -1. */
int	 store_contact_upsert(struct store *, const struct store_contact_in *,
	    int64_t now, int64_t *contact_id, int *created);
/* Moves an identity (number change, BSUID change) onto the same contact,
 * taking over only identifiers no other contact holds (it never merges):
 * 0, 1 nobody to move, -1. */
int	 store_contact_move_identity(struct store *, const char *old_wa_id,
	    const char *new_wa_id, const char *old_user_id,
	    const char *new_user_id, int64_t now);
/* Finds by phone / wa_id / BSUID (enum store_found). */
enum store_found store_contact_find(struct store *, const char *id,
	    int64_t *contact_id);
/* The contact's name in clear (allocated; wipe and free), or NULL. */
char	*store_contact_name(struct store *, int64_t contact_id);
/* The restriction and legal-hold flags (either pointer may be NULL). */
enum store_found store_contact_flags(struct store *, int64_t cid,
	    int *restricted, int *hold);
/* Whether the contact exists. */
bool	 store_contact_exists(struct store *, int64_t cid);
/* flag: "restricted" or "legal_hold". 0, or -1. */
int	 store_contact_set_flag(struct store *, int64_t cid, const char *flag,
	    int on);
/* Decrypted details; the number masked unless reveal. NULL: none. */
json_t	*store_contact_detail(struct store *, int64_t cid, int reveal);
/*
 * The customer's context for the contact panel, added to o (from
 * store_contact_detail): each conversation's assignee, labels, notes and
 * preview (the caller withholds what the read gate does not open), the
 * notes in all, first and last contact, the labels of all its
 * conversations and the language of the last template sent. 0, or -1.
 */
int	 store_contact_context(struct store *, int64_t cid, json_t *o);
/* Whether agent_id holds a conversation of the contact or one is free. */
bool	 store_contact_is_open_to(struct store *, int64_t cid,
	    int64_t agent_id);
/* How many conversations the contact has, or -1. */
int64_t	 store_contact_conv_count(struct store *, int64_t cid);
/* Inside a transaction: every row of the contact, plus the ledger entry;
 * media ids whose files must go are appended to media_ids (may be NULL),
 * counts (may be NULL) gets conversations, messages and raw_events. */
int	 store_contact_erase(struct store *, int64_t cid, int64_t agent_id,
	    int64_t now, json_t *media_ids, json_t *counts);
/* Deletes the contact's data key (after the erase committed). 0, or -1. */
int	 store_contact_shred(struct store *, int64_t cid);
/* Whether the key store still holds the contact's data key. */
bool	 store_contact_has_key(struct store *, int64_t cid);
/* Ids of contacts whose rows outlived their key (the database restored
 * from before an erasure the key store has). */
json_t	*store_contacts_without_key(struct store *);
/*
 * Folds contact from into into (issue 15, merge): every row of from (the
 * tables in store-contact.c's list) becomes into's, sealed again with
 * into's key; into takes the identifiers, name and username it lacks; the
 * stricter restricted, legal-hold and blocked flags win; from's row goes
 * and contact_merges remembers it (its key stays, for its media files,
 * until into is erased). Inside the caller's transaction. 0, 1 refused
 * (*why: the same contact, two different numbers or BSUIDs, a key gone),
 * -1 error.
 */
int	 store_contact_merge(struct store *, int64_t into, int64_t from,
	    int64_t agent_id, int64_t now, const char **why);
/* The contacts holding the number and the BSUID (0: none). 0, or -1. */
int	 store_contact_pair(struct store *, const char *wa_id,
	    const char *user_id, int64_t *by_wa, int64_t *by_bsuid);
/* Blocking (contact.block): whether the contact is blocked; its blocked,
 * blocked_at and blocked_by (agent name) added to o; setting it (by
 * agent_id, 0: the daemon) 0 or -1; its number in clear (wipe, free) or
 * NULL. */
bool	 store_contact_blocked(struct store *, int64_t cid);
void	 store_contact_block_json(struct store *, int64_t cid, json_t *o);
int	 store_contact_set_blocked(struct store *, int64_t cid, int on,
	    int64_t agent_id, int64_t now);
char	*store_contact_wa_id(struct store *, int64_t cid);
/* The contact a merged one went into, or 0. */
int64_t	 store_contact_merged_into(struct store *, int64_t cid);
/* Up to max ids of the contacts merged into cid (*n of them). */
void	 store_contact_merged_keys(struct store *, int64_t cid, int64_t *out,
	    size_t max, size_t *n);

/* Conversations (store-conv.c). */
/* The conversation an inbound message goes to: the contact's latest,
 * reopened if resolved (unless reopen_new: a new one) or woken if snoozed,
 * or a new one; *what says which ("existing", "reopened", "woken",
 * "created", "new-after-resolved"). 0, or -1. */
int	 store_conv_for_inbound(struct store *, int64_t contact_id,
	    const char *phone_number_id, int reopen_new, int64_t ts,
	    int64_t *conv_id, const char **what);
/* The conversation's contact (enum store_found). */
enum store_found store_conv_contact(struct store *, int64_t conv_id,
	    int64_t *contact_id);
/* Last `limit` messages before message id `before` (0: newest), oldest
 * first, decrypted. NULL if no such conversation. */
json_t	*store_conv_show(struct store *, int64_t conv_id, int64_t before,
	    int64_t limit, int64_t now, int window_hours);
/* Moves the agent's read marker to the newest message and sets unread to
 * 0. 0, or -1. */
int	 store_conv_mark_read(struct store *, int64_t conv_id,
	    int64_t agent_id);
struct store_conv_info {
	int64_t	 id;
	int64_t	 contact_id;
	int64_t	 assignee_id;		/* 0: nobody */
	char	 assignee[64];
	char	 state[16];
	char	 team[64];
	int	 priority;		/* 0 urgent .. 3 low */
	int64_t	 last_msg_id;
};
/* enum store_found: STORE_NONE if there is no such conversation. */
enum store_found store_conv_info(struct store *, int64_t conv_id,
	    struct store_conv_info *);
/* Takes an unassigned conversation: 0 taken, 1 someone has it, -1 error. */
int	 store_conv_claim(struct store *, int64_t conv_id, int64_t agent_id);
/* agent_id 0 unassigns. 0, or -1. */
int	 store_conv_set_assignee(struct store *, int64_t conv_id,
	    int64_t agent_id);
/* The team (NULL: none). 0, or -1. */
int	 store_conv_set_team(struct store *, int64_t conv_id, const char *);
/* snooze_until is kept for "snoozed" only, resolved_at set to now for
 * "resolved". 0, or -1. */
int	 store_conv_set_state(struct store *, int64_t conv_id,
	    const char *state, int64_t snooze_until, int64_t now);
/* 0 urgent .. 3 low. 0, or -1. */
int	 store_conv_set_priority(struct store *, int64_t conv_id, int);
/* The first snoozed conversation due by now, or STORE_NONE. */
enum store_found store_conv_snooze_due(struct store *, int64_t now,
	    int64_t *conv_id, int64_t *contact_id);
/*
 * Collision guard: 1 if the conversation has a customer message with an id
 * above after_msg_id (one the agent has not seen), 0 if not, -1 error.
 */
int	 store_conv_newer_inbound(struct store *, int64_t conv_id,
	    int64_t after_msg_id);
/* The oldest unassigned open conversation after the first `skip` of them
 * (ones nobody online can take), or STORE_NONE. */
enum store_found store_conv_oldest_waiting(struct store *, int64_t skip,
	    int64_t *conv_id, int64_t *contact_id, char *team, size_t teamsz);
/* Adds or removes a label: 1 changed, 0 already so, -1 error. */
int	 store_conv_label(struct store *, int64_t conv_id, int64_t label_id,
	    int add);
/* Newest inbound message id with a wamid, or 0. */
int64_t	 store_conv_last_inbound(struct store *, int64_t conv_id);
/* Newest inbound message id if the conversation has unread ones, else 0. */
int64_t	 store_conv_last_unread_inbound(struct store *, int64_t conv_id);
/* Inside a transaction: one conversation and all that hangs off it; media
 * ids whose files must go are appended to media_ids (may be NULL), and
 * *nmsgs (may be NULL) grows by the messages removed. 0, or -1. */
int	 store_conv_delete(struct store *, int64_t conv_id, json_t *media_ids,
	    int64_t *nmsgs);

/* The erasure ledger (store-erasure.c). */
/* Links the latest ledger entry of cid to the audit record that erased
 * it. 0, or -1. */
int	 store_erasure_set_seq(struct store *, int64_t cid, int64_t seq);
/* Every erased contact id with when: [{contact_id, erased_at}]. */
json_t	*store_erasure_list(struct store *);
/* The erasure journal outside the database: beside checkpoint_file (or in
 * data_dir without one). The path, to free. */
char	*store_erasure_journal_path(const char *checkpoint_file,
	    const char *data_dir);
/* After an erasure's commit: appends and syncs its line. 0, or -1. */
int	 store_erasure_journal_add(const char *path, int64_t cid,
	    int64_t when);
/* Its entries, [[contact_id, time]]; a missing file is empty (*missing
 * set). NULL with *cause if it cannot be read or a line is malformed. */
json_t	*store_erasure_journal_read(const char *path, int *missing,
	    char **cause);

/*
 * The inbox (store-inbox.c). Views: all, mine, unassigned, open, pending,
 * snoozed, resolved, label:NAME, team:NAME, window[:HOURS] (the 24-hour
 * window closes within HOURS, soonest first), failed. Rows carry the unread
 * count for agent_id (its read marker). NULL for an unknown view.
 */
json_t	*store_inbox_list(struct store *, const char *view, int64_t agent_id,
	    int64_t offset, int64_t limit, int64_t now, int window_hours,
	    int hours, int sort);	/* enum list_sort, or -1: the view's */
/* The same for one business number's conversations (its phone number id;
 * NULL: every number's). Issue 15. */
json_t	*store_inbox_list_number(struct store *, const char *view,
	    const char *number, int64_t agent_id, int64_t offset,
	    int64_t limit, int64_t now, int window_hours, int hours, int sort);
/* Counts for every view (labels and teams as objects) in one go. */
json_t	*store_inbox_counts(struct store *, int64_t agent_id, int64_t now,
	    int window_hours, int hours);

/* Labels (store-label.c). */
/* A label's id by name (enum store_found). */
enum store_found store_label_id(struct store *, const char *name, int64_t *id);
/* 0 done, 1 the name is taken, -1 error. */
int	 store_label_create(struct store *, const char *name,
	    const char *color, int64_t *id);
/* 0 done, 1 the name is taken, -1 error. */
int	 store_label_rename(struct store *, int64_t id, const char *name);
/* Takes it off every conversation too. 0, or -1. */
int	 store_label_delete(struct store *, int64_t id);
/* [{id, name, color, conversations}] by name. */
json_t	*store_label_list(struct store *);

/* Media rows and files (store-media.c). */
struct store_media_row {
	int64_t	 id, message_id, contact_id;
	char	 direction[4];
	char	 state[8];
	int64_t	 attempts, next_attempt;
	char	 mime[128];
	int64_t	 size;			/* -1 unknown */
	char	*meta_id;		/* Meta's media id, allocated or NULL */
};
/* A new row (msg_id 0: none yet; size -1: unknown; meta_id sealed, may be
 * NULL); *id. 0, or -1 (also when the contact has no key). */
int	 store_media_add(struct store *, int64_t msg_id, int64_t contact_id,
	    const char *direction, const char *state, const char *mime,
	    int64_t size, const char *meta_id, int64_t now, int64_t *id);
/* State and retry; mime NULL and size -1 leave those unchanged. 0, -1. */
int	 store_media_set(struct store *, int64_t id, const char *state,
	    int64_t attempts, int64_t next_attempt, const char *mime,
	    int64_t size, const char *error, int64_t now);
/* By id / the next queued inbound download due at now with an id above
 * after_id / a message's first, or STORE_NONE. Clear the row after. */
enum store_found store_media_get(struct store *, int64_t id,
	    struct store_media_row *);
enum store_found store_media_due(struct store *, int64_t now, int64_t after_id,
	    struct store_media_row *);
int	 store_media_by_msg(struct store *, int64_t msg_id,
	    struct store_media_row *);
/* Frees what the row holds. */
void	 store_media_row_clear(struct store_media_row *);
/* Seals/opens a media file with the contact's data key (AD: media, blob,
 * id). 0, or -1 (no key: erased). *out allocated; opened bytes: wipe. */
int	 store_media_seal(struct store *, int64_t contact_id, int64_t id,
	    const void *data, size_t len, uint8_t **out, size_t *outlen);
int	 store_media_open(struct store *, int64_t contact_id, int64_t id,
	    const uint8_t *ct, size_t ctlen, char **out, size_t *outlen);
/* The file is gone (retention); the row stays, failed "expired". 0, -1. */
int	 store_media_expire(struct store *, int64_t id, int64_t now);

/* Messages (store-msg.c). body is the JSON the client shows (sealed as a
 * whole). */
struct store_msg_in {
	int64_t		 conv_id;
	int64_t		 contact_id;
	const char	*wamid;
	int		 outbound;
	const char	*type;
	int		 supported;
	int64_t		 ts;
	json_t		*body;		/* text, media, context, ... */
	const char	*preview;	/* short text for the list */
	int64_t		 agent_id;	/* outbound by an agent */
	int		 status;	/* initial (enum wa_status) */
};
/* The conversation and contact of a message (enum store_found). */
enum store_found store_msg_where(struct store *, int64_t msg_id,
	    int64_t *conv_id, int64_t *contact_id);
/* Returns 0 inserted, 1 duplicate (nothing changed), -1 error. */
int	 store_msg_insert(struct store *, const struct store_msg_in *,
	    int64_t now, int64_t *msg_id);
/* Marks the message (by wamid) edited/revoked ("edits", "revokes"), or adds
 * a reaction ("reaction"): 0, 1 unknown message, -1. */
int	 store_msg_amend(struct store *, const char *target_wamid,
	    const char *what, json_t *data, int64_t now);
/* A message's place and wamid (allocated or NULL); enum store_found. */
enum store_found store_msg_ref(struct store *, int64_t msg_id,
	    int64_t *conv_id, int64_t *contact_id, int *outbound,
	    char **wamid);
/* Sets the wamid of an outbound message (once) and applies pending
 * statuses; 0, 1 if it already had one, -1. */
int	 store_msg_set_wamid(struct store *, int64_t msg_id,
	    int64_t contact_id, const char *wamid);

/* Notes and mentions (store-note.c). */
/* Notes are sealed with the contact's key and indexed for search. 0, -1. */
int	 store_note_add(struct store *, int64_t conv_id, int64_t agent_id,
	    const char *body, int64_t now, int64_t *note_id);
/* The conversation's notes, oldest first: [{id, agent, created, body}]. */
json_t	*store_note_list(struct store *, int64_t conv_id);
/* The agent was mentioned in the note. 0, or -1. */
int	 store_mention_add(struct store *, int64_t note_id, int64_t agent_id,
	    int64_t now);
/* The agent's mentions, newest first, at most limit:
 * [{id, conversation, note, by, created, seen}]. */
json_t	*store_mention_list(struct store *, int64_t agent_id,
	    int unseen_only, int64_t limit);
/* Marks all the agent's mentions seen. 0, or -1. */
int	 store_mention_seen(struct store *, int64_t agent_id);
/*
 * The agent's mention in note_id, a note on conv_id: STORE_FOUND with the
 * name of the note's author in by (by_len bytes), STORE_NONE, STORE_ERROR.
 */
enum store_found store_mention_find(struct store *, int64_t agent_id,
	    int64_t note_id, int64_t conv_id, char *by, size_t by_len);
/* Marks the agent's mentions in one note seen. 0, or -1. */
int	 store_mention_seen_note(struct store *, int64_t agent_id,
	    int64_t note_id);

/* Handover requests waiting for an answer (store-handover.c). */
struct store_handover {
	int64_t	 conv_id;
	int64_t	 from_id, from_uid;
	char	 from[64];		/* the requester's name */
	int64_t	 to_id;
	int64_t	 note_id;		/* 0: none */
	int64_t	 created;
};
/* One per conversation, replacing an older one. 0, or -1. */
int	 store_handover_put(struct store *, int64_t conv_id, int64_t from_id,
	    int64_t to_id, int64_t note_id, int64_t now);
enum store_found store_handover_get(struct store *, int64_t conv_id,
	    struct store_handover *);
int	 store_handover_del(struct store *, int64_t conv_id);
/* Requests to agent to_id, oldest first: [{conversation, from, note,
 * created}]. */
json_t	*store_handover_list(struct store *, int64_t to_id);

/* The outbox (store-outbox.c). */
struct store_outbox_row {
	int64_t	 id, message_id, conv_id, contact_id, agent_id;
	char	 state[12];		/* queued sending sent failed unknown */
	char	 type[16];		/* message type */
	int64_t	 attempts;
	int64_t	 next_attempt;		/* ms */
	int	 has_error;
	int64_t	 error_code;
	char	 error_class[12];
	int64_t	 created, updated;	/* ms */
	int64_t	 held_until;		/* ms; 0: not held */
};
/* Queues a message's send with its request sealed; *id. held_until (ms,
 * 0 none): not sent before, and outbox.cancel may take it back. 0, or -1. */
int	 store_outbox_add(struct store *, int64_t msg_id, int64_t contact_id,
	    const char *request, int64_t now_ms, int64_t held_until,
	    int64_t *id);
/* Replaces the sealed request body. 0, or -1. */
int	 store_outbox_set_request(struct store *, int64_t id,
	    int64_t contact_id, const char *request);
/* The request body, decrypted and allocated (wipe it), or NULL. */
char	*store_outbox_request(struct store *, int64_t id, int64_t contact_id);
/* sending -> unknown (after a crash); *n rows changed. 0, or -1. */
int	 store_outbox_recover(struct store *, int64_t now_ms, int *n);
/* Queued rows in id order; fn returns non-zero to stop. */
int	 store_outbox_queued(struct store *, int64_t limit,
	    int (*fn)(const struct store_outbox_row *, void *), void *);
/* By outbox id, or by message id (by_msg); enum store_found. */
enum store_found store_outbox_get(struct store *, int64_t id, int by_msg,
	    struct store_outbox_row *);
/* The row's state and retry; code only if has_error. 0, or -1. */
int	 store_outbox_set_state(struct store *, int64_t id, const char *state,
	    int64_t attempts, int64_t next_attempt, int has_error,
	    int64_t code, const char *class, int64_t now_ms);
/* The message shows the failure too: status failed, the agents' line. */
int	 store_outbox_msg_failed(struct store *, int64_t msg_id, int64_t code,
	    const char *explain, int64_t now);
/* A re-send by hand clears what the message showed. */
int	 store_outbox_msg_reset(struct store *, int64_t msg_id);
/* A status webhook: adopts the wamid of a send in doubt (opaque
 * "si:<outbox id>") and fails the row on a failed status. */
int	 store_outbox_on_status(struct store *, const char *wamid,
	    const char *opaque, int status, int64_t code, int64_t now_ms,
	    struct store_outbox_row *);
/* Rows per state: {queued, sending, sent, failed, unknown}. */
json_t	*store_outbox_counts(struct store *);
/* Rows not yet taken by the Graph API (queued or sending), counted up to
 * cap; -1 on a database error. */
int64_t	 store_outbox_backlog(struct store *, int64_t cap);
/* state NULL: any; conv_id 0: any. Newest first. */
int	 store_outbox_list(struct store *, const char *state, int64_t conv_id,
	    int64_t limit, int (*fn)(const struct store_outbox_row *, void *),
	    void *);

/* Data-subject access (store-privacy.c). */
/* One page of everything held about the contact (contact, notes, media and
 * consent on the first page, after == 0), messages with id > after. */
json_t	*store_privacy_export(struct store *, int64_t cid, int64_t after,
	    int64_t limit);
/* wal_checkpoint(TRUNCATE) on both databases; -1 if one stayed busy. */
int	 store_shred_checkpoint(struct store *);

/* Raw webhook bodies (store-raw.c; sealed with the raw-event subkey). */
/* Stores a body as received, "quarantined" with cause or "ok"; *id.
 * 0, or -1. */
int	 store_raw_insert(struct store *, const char *body, size_t len,
	    int quarantined, const char *cause, int64_t now, int64_t *id);
/* Calls fn for every quarantined body (decrypted); fn returns 0 to mark it
 * replayed, 1 to keep it. */
int	 store_raw_quarantined(struct store *, int (*fn)(int64_t id,
	    const char *body, size_t len, void *), void *);
/* Sets the body's state. 0, or -1. */
int	 store_raw_mark(struct store *, int64_t id, const char *state);
/* Records that the body names the contact (erasure deletes it). 0, -1. */
int	 store_raw_link_contact(struct store *, int64_t raw_id,
	    int64_t contact_id);

/* Retention (store-retention.c): nothing of a contact on legal hold. */
/* Raw bodies received before `before`: counts them in *n and deletes them
 * unless dry. 0, or -1. */
int	 store_retention_raw(struct store *, int64_t before, int dry,
	    int64_t *n);
/* Conversations resolved before `before`, oldest first, at most limit:
 * [[conv, contact], ...]. */
json_t	*store_retention_resolved(struct store *, int64_t before,
	    int64_t limit);
/* Ids of stored media files created before `before`, at most limit. */
json_t	*store_retention_media(struct store *, int64_t before, int64_t limit);

/*
 * Full-text search (store-search.c) over message bodies, notes and contact
 * names, in an in-memory SQLite FTS5 database on its own connection: the
 * clear text never reaches a file. Filled after open by decrypting, kept
 * current by store_msg_insert and store_note_add, and in step with the main
 * database's transactions (a rolled-back ingest leaves no entry).
 */
/* Opens the empty index and hooks it to the main transactions. 0, -1. */
int	 store_search_open(struct store *, char **cause);
/* One slice of the fill, up to budget rows: 1 while there is more. */
int	 store_search_build(struct store *, int budget);
/* 1 while the fill is not done. */
int	 store_search_building(struct store *);
/* Percent of the fill done. */
int	 store_search_progress(struct store *);
/* Drops the index (and its statements); a later open rebuilds it. */
void	 store_search_close(struct store *);
struct store_search_q {
	const char	*match;		/* FTS5 expression (search-query.c builds it) */
	int		 kinds;		/* 1 messages, 2 notes, 4 names */
	int		 dir;		/* 0 any, 1 inbound, 2 outbound */
	int64_t		 from, to;	/* message time range; 0: open */
	const char	*state;		/* or NULL */
	int64_t		 assignee;	/* -1 anyone, 0 nobody, else agent */
	const char	*label;		/* or NULL */
	int64_t		 offset, limit;
};
/* Conversations (newest match first) with the matching snippet. */
json_t	*store_search_run(struct store *, const struct store_search_q *,
	    int64_t agent_id, int64_t now, int window_hours, char **cause);
/* {"enabled","building","progress","docs","build_ms","memory"} */
json_t	*store_search_stats(struct store *);

/* What a reply needs (store-send.c). */
struct store_send_info {
	int64_t	 contact_id;
	int64_t	 last_inbound_at;	/* seconds; 0 never */
	int64_t	 last_inbound_msg;	/* newest inbound message id */
	int	 restricted;
	char	*wa_id;			/* decrypted; wiped by _clear */
	char	*user_id;
};
/* enum store_found: STORE_NONE if there is no such conversation. */
enum store_found store_send_info(struct store *, int64_t conv_id,
	    struct store_send_info *);
/* Wipes and frees the decrypted identifiers. */
void	 store_send_info_clear(struct store_send_info *);

/* Statuses (store-status.c). */
/* Dedup on (wamid, status), kept before their message is known; monotonic
 * on the message (*changed if it moved, or for any new failure). 0, or -1. */
int	 store_status_apply(struct store *, const char *wamid, int status,
	    int64_t ts, int64_t err_code, const char *err_title,
	    const char *err_detail, int64_t now, int *changed);
/* The message a wamid names, as a status event tells the clients. */
struct store_status_msg {
	int64_t	message_id;
	int64_t	conv_id;
	int64_t	contact_id;
	int	status;		/* WA_ST_* */
	int64_t	error_code;
	char	agent[64];	/* who sent it; "" for none */
};
/* enum store_found. */
enum store_found store_status_message(struct store *, const char *wamid,
	    struct store_status_msg *);

/* Message templates (store-template.c). */
/* A template webhook: what it says of (name, language) (NULL: unchanged);
 * no name: nothing. 0, or -1. */
int	 store_template_event(struct store *, const char *waba_id,
	    const char *template_id, const char *name, const char *language,
	    const char *event, const char *quality, const char *category,
	    int64_t now);
/* One template as the WABA sync lists it (waba_id NULL: ''). 0, or -1. */
int	 store_template_upsert(struct store *, const char *waba_id,
	    const char *meta_id, const char *name, const char *language,
	    const char *category, const char *status, const char *components,
	    int64_t now);
/* Templates the WABA no longer lists (not updated since before) go.
 * 0, or -1. */
int	 store_template_prune(struct store *, const char *waba_id,
	    int64_t before);
/* {name, language, category, status, components, quality, waba_id} or
 * NULL, from any WABA. */
json_t	*store_template_get(struct store *, const char *name,
	    const char *language);
/* The same from one WABA only (issue 15); NULL waba_id: any. */
json_t	*store_template_get_waba(struct store *, const char *waba_id,
	    const char *name, const char *language);
/* Every template, by name and language, as store_template_get. */
json_t	*store_template_list(struct store *);

/* Phone endings (store-phone.c), for finding "...4711". */
/* Indexes the endings of a contact's number (replacing any). 0, -1. */
int	 store_phone_index(struct store *, int64_t contact_id,
	    const char *wa_id);
/* Up to max contacts whose number ends in digits (4-15 of them), newest
 * first: how many. */
int	 store_phone_find(struct store *, const char *digits, int64_t *out,
	    int max);
/* Indexes up to budget older contacts after *cursor, inside the caller's
 * transaction: 1 while there is more, 0 done, -1 error. */
int	 store_phone_backfill(struct store *, int64_t *cursor, int budget);
/* Quick switch (store-search.c): conversations whose contact's name
 * matches q (or whose number ends in it), best first, as view rows with
 * "match" {"kind": "name"|"phone"}. */
json_t	*store_search_find(struct store *, const char *q, int limit,
	    int64_t agent_id, int64_t now, int window_hours);
/* Drafts (store-draft.c): one per agent and conversation, sealed. */
/* Saves the agent's draft; an empty text without reply_to deletes it.
 * 0, or -1. */
int	 store_draft_set(struct store *, int64_t agent_id, int64_t conv_id,
	    const char *text, int64_t reply_to, int64_t now);
/* 0, or -1 (no draft is not an error). */
int	 store_draft_delete(struct store *, int64_t agent_id, int64_t conv_id);
/* Every agent's draft of the conversation (it is being deleted). */
int	 store_draft_forget_conv(struct store *, int64_t conv_id);
/* {conversation, text, reply_to, updated} (text null if unreadable), or
 * NULL if the agent has none there. */
json_t	*store_draft_get(struct store *, int64_t agent_id, int64_t conv_id);
/* The agent's drafts, newest first, as store_draft_get. */
json_t	*store_draft_list(struct store *, int64_t agent_id, int64_t limit);
/* Sets "draft" (bool) on each view row (by its "id") for the agent. */
void	 store_draft_mark(struct store *, int64_t agent_id, json_t *rows);

/* Held sends (store-outbox.c): the undo window. */
/*
 * Takes back a reply the agent sent that is still held (queued, never
 * tried, held_until after now_ms): the outbox row and the message go, the
 * conversation shows its previous last message again. *text gets the
 * message's text (allocated; wipe it). 0 done, 1 not the agent's or no
 * longer held, -1 error.
 */
int	 store_outbox_cancel(struct store *, int64_t msg_id, int64_t agent_id,
	    int64_t now_ms, int64_t *conv_id, int64_t *contact_id,
	    char **text);

/* Operations (issue 14): the oldest waiting_since of an open conversation,
 * 0 if none waits (store-conv.c). */
int64_t	 store_conv_waiting_oldest(struct store *);

/*
 * Contact attributes (store-attribute.c; issue 15): the typed fields a
 * team defines and each contact's values, sealed with the contact's key
 * and found by a keyed blind index of the value's canonical form.
 */
#define STORE_ATTR_NAME_MAX	32	/* [a-z][a-z0-9_]* */
#define STORE_ATTR_VALUE_MAX	200	/* bytes of a value */
#define STORE_ATTR_DEFS_MAX	64	/* attributes defined */
#define STORE_ATTR_CHOICES_MAX	32	/* values of an enum */
/* 1 if name is a valid attribute name (not one search reserves). */
int	 store_attribute_valid_name(const char *);
/* 1 if type is text, number, date, bool or enum. */
int	 store_attribute_valid_type(const char *);
/* 1 if choices is a valid comma-separated list of enum values; else 0
 * with err saying why. */
int	 store_attribute_valid_choices(const char *choices, char *err,
	    size_t errlen);
/* The canonical form of value for type: 0, or -1 with err (which never
 * quotes the value). */
int	 store_attribute_canon(const char *type, const char *choices,
	    const char *value, char *out, size_t outsz, char *err,
	    size_t errlen);
/* 0 defined (*id), 1 the name is taken, 2 too many, -1 error. */
int	 store_attribute_define(struct store *, const char *name,
	    const char *type, const char *choices, int64_t agent_id,
	    int64_t now, int64_t *id);
/* [{id, name, type, choices (enum), created, contacts}], by name. */
json_t	*store_attribute_list(struct store *);
/* 0 removed with every value (*values: how many), 1 no such, -1 error. */
int	 store_attribute_remove(struct store *, const char *name,
	    int64_t *values);
/* As store_contact_attr_set. */
int	 store_attribute_set(struct store *, int64_t contact_id,
	    const char *name, const char *value, char *err, size_t errlen);
/* The contact's values, {name: value}: whole numbers and bools typed,
 * the rest (decimals too: exact) as canonical text. */
json_t	*store_attribute_values(struct store *, int64_t contact_id);
/* Contacts (newest first, up to max) whose value of name is value: how
 * many, or -1 with err (unknown attribute, a value its type refuses). */
int	 store_attribute_find(struct store *, const char *name,
	    const char *value, int64_t *out, int max, char *err,
	    size_t errlen);
/*
 * Contacts, issue 15 (store-contact.c). store_contact_attr_set: sets the
 * contact's value of attribute name, validated against its type; NULL or
 * "" clears it. 0 done, 1 refused (no such attribute or contact, a value
 * the type refuses: err says why, without the value), -1 database error.
 */
int	 store_contact_attr_set(struct store *, int64_t contact_id,
	    const char *name, const char *value, char *err, size_t errlen);
/* Sets the display name (which the profile name then no longer
 * replaces) or, field "language", the language (NULL clears). 0, or -1. */
int	 store_contact_edit(struct store *, int64_t contact_id,
	    const char *field, const char *value);
/* One contact as a list row: contact_id, name, phone_masked, has_bsuid,
 * restricted, conversations, last_contact; NULL if there is none. */
json_t	*store_contact_row(struct store *, int64_t contact_id);
/* Contacts newest first with ids below before (0: from the newest), at
 * most limit; restricted ones left out when skip_restricted. */
json_t	*store_contact_page(struct store *, int64_t before, int limit,
	    int skip_restricted);
/*
 * The search index's names (store-search.c): contact ids whose name
 * matches the query as a word or part of one (best first, up to max), or
 * all named contacts sorted by name from offset (q NULL). How many.
 */
int	 store_search_names(struct store *, const char *q, int64_t offset,
	    int64_t *out, int max);

/*
 * Contact import and export (issue 15): an imported consent row
 * (store-consent.c: source "import", with the import's own words and
 * legal basis), and the contact's language and the pages of contacts an
 * export walks (store-contact-io.c).
 */
struct store_consent_import {
	const char	*purpose;	/* "marketing", "service" */
	int		 opt_in;
	int64_t		 ts;		/* when it was given */
	const char	*source_text;	/* "opt-in form on the website" */
	const char	*basis;		/* "consent", "contract", ... */
};
int	 store_consent_add_import(struct store *, int64_t contact_id,
	    const struct store_consent_import *, const char *text_version);
/* 1 if the contact has this very row (so a re-import adds nothing), 0. */
int	 store_consent_has_import(struct store *, int64_t contact_id,
	    const struct store_consent_import *);
/* The contact's language code (allocated), or NULL. */
char	*store_contact_io_language(struct store *, int64_t contact_id);
int	 store_contact_io_set_language(struct store *, int64_t contact_id,
	    const char *language);
/* Up to limit contact ids after "after", in order: [id, ...]; NULL on a
 * database error. */
json_t	*store_contact_io_page(struct store *, int64_t after, int64_t limit);
/* Business numbers (issue 15, store-number.c). */
#define STORE_NUMBER_ID_MAX	65	/* a phone number id and its NUL */
/* The conversation's phone_number_id into buf ("" if none): 0, or -1. */
int	 store_number_of_conv(struct store *, int64_t conv_id, char *buf,
	    size_t len);
/* raw_events.cause of a body quarantined for its number, then the id. */
#define STORE_NUMBER_UNKNOWN	"unknown phone_number_id "
/* Sets a new conversation's team (a number's default team). 0, or -1. */
int	 store_number_conv_team(struct store *, int64_t conv_id,
	    const char *team);
/*
 * How many bodies wait quarantined for an unknown number; *ids gets the
 * distinct phone number ids (at most 16; the caller decrefs it).
 */
int64_t	 store_number_quarantined(struct store *, json_t **ids);
/*
 * The counts of store_inbox_counts that one number's conversations have
 * (all, mine, unassigned, each state, window, failed) set over those in
 * j. 0, or -1.
 */
int	 store_number_counts(struct store *, const char *number,
	    int64_t agent_id, int64_t window_lo, int64_t window_hi, json_t *j);
/* The same for the conversation of message msg_id. */
int	 store_number_of_msg(struct store *, int64_t msg_id, char *buf,
	    size_t len);

/*
 * The privacy notice in the consent ledger (issue 16, store-notice.c).
 * notice is the label of its [notice LABEL] section, "" for [notice].
 * Whether the contact was sent that notice at that version (a send that
 * failed does not count): 1, 0, or -1.
 */
int	 store_notice_informed(struct store *, int64_t contact_id,
	    const char *notice, uint32_t version);
/* Appends "informed" (source 'notice', evidence the message). 0, or -1. */
int	 store_notice_record(struct store *, int64_t contact_id,
	    const char *notice, uint32_t version, const char *lang,
	    int64_t msg_id, int64_t ts);
/* Contacts informed at that version, at any version (failed sends left
 * out); or -1. */
int64_t	 store_notice_count(struct store *, const char *notice,
	    uint32_t version);
int64_t	 store_notice_count_any(struct store *, const char *notice);

/*
 * Rules (issue 16, store-rule.c). disabled: 1 switched off, 0 not, -1
 * error; the switch by whom and when; {rule: {disabled, by, at}}.
 */
int	 store_rule_disabled(struct store *, const char *rule);
int	 store_rule_set_disabled(struct store *, const char *rule,
	    int disabled, const char *by, int64_t now);
json_t	*store_rule_states(struct store *);
/* 1 if the conversation has the label, 0 not, -1 error. */
int	 store_rule_conv_has_label(struct store *, int64_t conv,
	    const char *name);
/* A timer's due conversations, [[conv, contact, mark], ...]: see there. */
json_t	*store_rule_due(struct store *, const char *rule, int no_reply,
	    int64_t secs, int64_t window_secs, int64_t now);
/* Remembers that rule's timer fired for conv counting from mark. */
int	 store_rule_fired_add(struct store *, const char *rule, int64_t conv,
	    int64_t mark, int64_t now);

/*
 * The satisfaction survey (issue 16, store-survey.c): one row per
 * conversation. state: "pending" (queued by a resolve, due_at after the
 * undo window and the delay), "sent", "skipped", "answered".
 */
struct store_survey {
	int64_t	 id;
	int64_t	 conv;
	int64_t	 contact_id;
	int64_t	 agent_id;		/* who resolved it; 0: nobody */
	int64_t	 resolved_at, due_at, sent_at;
	int64_t	 rating;
	char	 token[40];
	char	 team[65];		/* "" none */
	char	 scale[8];		/* "5", "3", "thumbs" */
	char	 state[12];
	char	 conv_state[16];	/* the conversation's, now */
};
/* Queues (or renews a pending or skipped) survey: 0, 1 if this
 * conversation was asked already, -1. */
int	 store_survey_queue(struct store *, int64_t conv, const char *token,
	    int64_t agent_id, const char *team, const char *scale,
	    int64_t resolved_at, int64_t due_at);
/* The first pending survey due by now. */
enum store_found store_survey_due(struct store *, int64_t now,
	    struct store_survey *);
enum store_found store_survey_by_token(struct store *, const char *token,
	    struct store_survey *);
/* A pending survey dropped (its resolve was taken back). 0, or -1. */
int	 store_survey_drop(struct store *, int64_t id);
int	 store_survey_sent(struct store *, int64_t id, int64_t msg_id,
	    int64_t now);
int	 store_survey_skipped(struct store *, int64_t id, const char *why);
int	 store_survey_answer(struct store *, int64_t id, int rating,
	    int64_t now);
/* 1 if the contact's latest word for any purpose is an opt-out (STOP),
 * 0 if not, -1. */
int	 store_survey_opted_out(struct store *, int64_t contact_id);
/*
 * Sent and answered surveys resolved since `since`, of a team (NULL: all)
 * and an agent (0: all), grouped by team, agent and scale: [{team, agent,
 * scale, sent, answered, sum, distribution: {"1": n, ...}}], or NULL.
 */
json_t	*store_survey_results(struct store *, const char *team,
	    int64_t agent_id, int64_t since);

/*
 * Auto-replies (issue 16, hours; store-autoreply.c). _last: when kind
 * ("away", "busy") last went to conv (*at 0: never); _mark records it.
 * _waiting: open unassigned conversations of team ("": none).
 * _median_wait: the median seconds from a customer's first message to an
 * agent's first reply, over the team's latest conversations created since
 * `since`: 0, 1 if there is none to measure, -1. _consent_msg: 1 if the
 * message recorded a consent change (a STOP or START keyword).
 */
int	 store_autoreply_last(struct store *, int64_t conv, const char *kind,
	    int64_t *at);
int	 store_autoreply_mark(struct store *, int64_t conv, const char *kind,
	    int64_t at, int64_t msg_id);
int	 store_autoreply_waiting(struct store *, const char *team, int64_t *n);
int	 store_autoreply_median_wait(struct store *, const char *team,
	    int64_t since, int64_t *median);
int	 store_autoreply_consent_msg(struct store *, int64_t contact,
	    int64_t msg);

/*
 * Campaigns (store-campaign.c, issue 17): ids, states and reasons only,
 * nothing personal. Each int function returns 0, or -1 on a database
 * error, unless it says otherwise.
 */
struct store_campaign {
	int64_t	 id;
	char	 name[65];
	char	 tmpl[513];		/* template name */
	char	 languages[128];	/* "de,en_US" */
	char	 segment[1025];
	json_t	*params;		/* array of strings (owned) */
	char	 number[17];		/* business number's label, or "" */
	char	 pnid[64];		/* its phone_number_id, or "" */
	int64_t	 schedule_at;		/* 0: none */
	char	 state[16];
	char	 pause_reason[200];
	int64_t	 created_by, created, started, finished;
};
/* A contact as the consent gate sees it. consent: the latest marketing
 * row, 1 opt-in, 0 opt-out, -1 none. */
struct store_campaign_contact {
	int64_t	 id;
	int	 restricted, blocked, erased, consent;
	int64_t	 last_contact;		/* newest message either way, or 0 */
};
void	 store_campaign_clear(struct store_campaign *);
/* 0 created (*id), 1 the name is taken, -1 error. */
int	 store_campaign_create(struct store *, const struct store_campaign *,
	    int64_t *id);
/* By name (or id when name is NULL); store_campaign_clear after. */
enum store_found store_campaign_get(struct store *, const char *name,
	    int64_t id, struct store_campaign *);
/* Each campaign (of state, NULL: all) by id; fn may use the store. */
int	 store_campaign_each(struct store *, const char *state,
	    int (*fn)(struct store_campaign *, void *), void *);
int	 store_campaign_set_state(struct store *, int64_t id,
	    const char *state, const char *reason, int64_t now);
/* {queued, sending, sent, delivered, read, failed, skipped, total,
 * replies}; NULL on error. */
json_t	*store_campaign_counts(struct store *, int64_t id);
/* Every contact, by id, as the gate sees it. */
int	 store_campaign_contacts(struct store *,
	    int (*fn)(const struct store_campaign_contact *, void *), void *);
enum store_found store_campaign_contact(struct store *, int64_t cid,
	    struct store_campaign_contact *);
/* 1 yes, 0 no (or error). */
int	 store_campaign_has_label(struct store *, int64_t cid,
	    const char *label);
int	 store_campaign_has_number(struct store *, int64_t cid,
	    const char *pnid);
/* A recipient, queued or (reason given) skipped; a second is ignored. */
int	 store_campaign_rcpt_add(struct store *, int64_t campaign,
	    int64_t cid, const char *reason, int64_t now);
/* Up to max queued recipients (row and contact ids): how many. */
int	 store_campaign_next(struct store *, int64_t campaign, int max,
	    int64_t *rids, int64_t *cids);
/* Handed to the outbox (state sending) / skipped at send time. */
int	 store_campaign_rcpt_queued(struct store *, int64_t rid, int64_t conv,
	    int64_t msg, const char *lang, int64_t now);
int	 store_campaign_rcpt_skip(struct store *, int64_t rid,
	    const char *reason, int64_t now);
/* Unique contacts sent a template from number pnid (dflt: the default
 * number's id) since since, by anything (*oldest: the first of those
 * sends), or -1. */
int64_t	 store_campaign_tier_used(struct store *, const char *pnid,
	    const char *dflt, int64_t since, int64_t *oldest);
/* A contact opted out: its queued recipients skipped, fn called with
 * each one's campaign (fn must not use the store). */
int	 store_campaign_optout(struct store *, int64_t cid, int64_t now,
	    void (*fn)(int64_t, void *), void *);
/* Cancelled: the queued recipients skipped as "cancelled". */
int	 store_campaign_cancel_queued(struct store *, int64_t id, int64_t now);
/* A status of message msg: the campaign it belongs to (0 none), -1. */
int64_t	 store_campaign_on_status(struct store *, int64_t msg,
	    const char *state, const char *reason, int64_t now);
/* A message of contact at ts within window after a campaign reached it:
 * the campaign (its name in name; first reply recorded), 0 none, -1. */
int64_t	 store_campaign_on_reply(struct store *, int64_t contact, int64_t ts,
	    int64_t window, char *name, size_t namelen);
/* counts plus failed_by_reason, skipped_by_reason, opt_outs; NULL. */
json_t	*store_campaign_report(struct store *, int64_t id);
/* [{contact, state, reason, message, queued_at, updated, replied_at}]. */
json_t	*store_campaign_rcpt_list(struct store *, int64_t id,
	    const char *state, int64_t limit);

/* Exports (store-export.c). */
struct store_export_filter {
	const char	*state;		/* NULL: any */
	const char	*team;
	const char	*number_id;	/* a business number's phone number id */
	const char	*label;
	int64_t		 assignee;	/* 0 any, -1 unassigned, else the id */
	int64_t		 from, to;	/* created in [from, to) */
};
/*
 * Up to limit conversations with id > after, by id: {id, contact_id,
 * state, priority, team, assignee, created, resolved, last_activity,
 * last_inbound_at, first_customer_message, first_response, messages_in,
 * messages_out}; nothing personal. NULL on a database error.
 */
json_t	*store_export_conversations(struct store *,
	    const struct store_export_filter *, int64_t after, int64_t limit);
/* The conversation's label names, sorted. */
json_t	*store_export_labels(struct store *, int64_t conv_id);
/* The display name of the agent with this login (the login if none). */
void	 store_export_display(struct store *, const char *login, char *buf,
	    size_t len);
/*
 * Event hooks' deliveries (issue 18; store-hook.c, hook.c). Rows carry no
 * personal data in clear: the body is sealed, last_error is a status.
 */
struct store_hook_row {
	int64_t	 id;
	char	 hook[40];
	char	 event[40];
	char	 key[72];		/* the idempotency key */
	char	 dedup[160];		/* "": none (store_hook_add only) */
	int64_t	 contact_id;		/* 0: none */
	int64_t	 conv_id;		/* 0: none */
	char	 state[16];		/* pending, delivered, dead */
	int64_t	 attempts;
	int64_t	 next_at;
	char	 last_error[128];
	int64_t	 created;
	int64_t	 updated;
};
/* Records a delivery (hook, event, key, dedup, contact_id, conv_id,
 * next_at of r) with its body sealed: 0 (*id), 1 when dedup is taken or
 * the contact is erased (nothing added), -1 error. */
int	 store_hook_add(struct store *, const struct store_hook_row *,
	    const char *body, int64_t now, int64_t *id);
/* Up to max pending rows due at now, oldest first; how many. */
size_t	 store_hook_due(struct store *, int64_t now,
	    struct store_hook_row *, size_t max);
enum store_found store_hook_get(struct store *, int64_t id,
	    struct store_hook_row *);
/* The body in clear (allocated; wipe it), or NULL (delivered, erased). */
char	*store_hook_body(struct store *, const struct store_hook_row *);
/* The outcome of an attempt; "delivered" also drops the body. 0, or -1. */
int	 store_hook_set(struct store *, int64_t id, const char *state,
	    int64_t attempts, int64_t next_at, const char *error, int64_t now);
/* Newest first: all, or the dead ones. */
json_t	*store_hook_list(struct store *, int failed, int64_t limit);
/* Dead back to pending (id 0: every dead one): how many, or -1. */
int	 store_hook_retry(struct store *, int64_t id, int64_t now);
/* The conversation's preview in clear (allocated; wipe it), or NULL. */
char	*store_hook_preview(struct store *, int64_t conv_id,
	    int64_t contact_id);
/* A digest hook's (hook.c): up to max of its pending rows due at now,
 * in order of creation; how many. */
size_t	 store_hook_due_of(struct store *, const char *hook, int64_t now,
	    struct store_hook_row *, size_t max);
/* When the hook's last attempt ended (the latest updated of its rows with
 * an attempt), or 0. A scan: hook.c asks once per hook and run. */
int64_t	 store_hook_last_attempt(struct store *, const char *hook);
/* Open unassigned conversations waiting since at most before. 0, or -1. */
int	 store_hook_waiting(struct store *, const char *hook, int64_t before,
	    void (*)(int64_t conv, int64_t contact, int64_t since,
	    const char *team, void *), void *);

/*
 * Service-level clocks (store-sla.c; the table and its triggers are
 * migration 20). An agent's undo of a resolve resumes the cycle the
 * resolve stopped; a reply taken back (undo send) leaves the customer
 * waiting as before it. 0 or -1.
 */
int	 store_sla_resume(struct store *, int64_t conv_id);
int	 store_sla_unanswer(struct store *, int64_t msg_id);
/* A clock as sla.c reads it (team allocated: store_sla_clocks_free). */
struct store_sla_clock {
	int64_t	 id, conv, started, due, priority;
	int	 kind;			/* enum conf_sla_kind */
	char	*team;			/* NULL: none */
};
/* Up to max clocks without a deadline (due NULL), by team, only running
 * ones if running: how many, or -1. */
int	 store_sla_undue(struct store *, struct store_sla_clock *, int max,
	    int running);
/* Up to max running clocks with 0 < due <= now not yet breached, the
 * earliest first: how many, or -1. */
int	 store_sla_overdue(struct store *, int64_t now,
	    struct store_sla_clock *, int max);
void	 store_sla_clocks_free(struct store_sla_clock *, int n);
int	 store_sla_set_due(struct store *, int64_t id, int64_t due);
/* Marks the clock breached at now: 1, 0 if it was already, -1. */
int	 store_sla_breach(struct store *, int64_t id, int64_t now);
/* Running clocks' deadlines to be computed again (targets reloaded):
 * how many, or -1. */
int64_t	 store_sla_redue(struct store *);
/* Up to max running clocks of conv with a target or none computed yet
 * (due -1): how many, or -1. */
int	 store_sla_running(struct store *, int64_t conv,
	    struct store_sla_clock *, int max);
/* Conversations with a running clock due at most until, or -1. */
int64_t	 store_sla_breaching_count(struct store *, int64_t until);

/*
 * Reports (issue 19; store-report.c, doc/reports.md): timestamps, ids,
 * counts and clear columns only, never a sealed one. A clock as a report
 * reads it: stopped 0 while running, msg_id and agent_id 0 for none, due
 * -1 when not computed yet (NULL), team NULL for none; strings valid
 * during the callback only. label: store_report_labelled's, else NULL.
 */
struct store_report_clock {
	const char	*kind;		/* "first", "next", "resolution" */
	int64_t		 started, last_in, stopped, msg_id, agent_id, due;
	const char	*team;
	const char	*label;
};
/* Non-zero stops the walk (the call then returns -1). */
typedef int (*store_report_fn)(const struct store_report_clock *, void *);
#define STORE_REPORT_FIRST	0x1
#define STORE_REPORT_NEXT	0x2
#define STORE_REPORT_RESOLUTION	0x4
/*
 * The clocks of the kinds (STORE_REPORT_*) whose start (or stop, with
 * by_stopped) is in [from, to), of team and number (phone_number_id; NULL:
 * any). 0, or -1.
 */
int	 store_report_clocks(struct store *, int kinds, int by_stopped,
	    int64_t from, int64_t to, const char *team, const char *number,
	    store_report_fn, void *);
/* The same for 'resolution' clocks, once per label of the conversation. */
int	 store_report_labelled(struct store *, int by_stopped, int64_t from,
	    int64_t to, const char *team, const char *number, store_report_fn,
	    void *);
/* Agents' replies sent in [from, to): {"AGENT_ID": n}, or NULL. */
json_t	*store_report_replies(struct store *, int64_t from, int64_t to,
	    const char *team, const char *number);
/* Every agent's login: {"AGENT_ID": name}, or NULL. */
json_t	*store_report_agents(struct store *);
/* Failed sends in [from, to) by Meta error code: [{code, count}]. */
json_t	*store_report_failures(struct store *, int64_t from, int64_t to,
	    const char *team, const char *number);
/* Surveys sent, and ratings given, in [from, to): {SCALE: {sent,
 * answered, distribution: {"RATING": n}}}, or NULL. */
json_t	*store_report_survey(struct store *, int64_t from, int64_t to,
	    const char *team, const char *number);
/* store-floor.c: the supervisor's floor view (issue 19), aggregates only */
/*
 * Per team ("team": null for none) the queues open, pending, snoozed,
 * unassigned and total, each {count, longest_wait (seconds the longest
 * waiting open customer has waited at now; 0 none), breaches (running SLA
 * clocks past due), window_closing (last inbound in (win_lo, win_hi])}.
 * A new array; the caller owns it.
 */
json_t	*store_floor_teams(struct store *, int64_t now, int64_t win_lo,
	    int64_t win_hi);
struct store_floor_agent {
	int64_t		 id;
	int64_t		 uid;
	const char	*name;
	const char	*display;	/* "" none */
	const char	*role;
	const char	*team;		/* "" none */
	int64_t		 capacity;	/* 0: the configured default */
	int64_t		 load;		/* open and pending assigned */
	int64_t		 away;		/* since when away; 0 not */
};
/* Every active agent, by name; fn returns non-zero to stop. 0, or -1. */
int	 store_floor_agents(struct store *,
	    int (*fn)(const struct store_floor_agent *, void *), void *);
struct store_floor_outbox {
	int64_t	 backlog;	/* queued or sending */
	int64_t	 held;		/* queued in an undo window at now_ms */
	int64_t	 oldest_ms;	/* created, of the oldest waiting; 0 none */
};
int	 store_floor_outbox(struct store *, int64_t now_ms,
	    struct store_floor_outbox *);
/* Failed outbound messages since (epoch s), per Meta error code. */
int	 store_floor_failures(struct store *, int64_t since,
	    int (*fn)(int64_t code, int64_t n, void *), void *);

#endif

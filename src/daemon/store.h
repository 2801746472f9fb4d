/*
 * The store: the only module with SQL (doc/design.md section 4). SQLite in WAL
 * mode with foreign keys; the main database and the key store (wrapped
 * per-contact data keys) are separate files so that their backups can have
 * different lives. Personal fields are sealed with the contact's data key
 * (crypt.h) before they reach SQLite; this module does the sealing so that no
 * caller handles ciphertext.
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include <jansson.h>

#include "crypt.h"

#define STORE_SCHEMA_VERSION	1
#define STORE_DB_NAME		"support-inbox.db"
#define STORE_KS_NAME		"keystore.db"

struct sqlite3;
struct sqlite3_stmt;
struct store_dek;
struct store_search;

struct store {
	struct sqlite3		*db;		/* main database */
	struct sqlite3		*ks;		/* key store */
	struct crypt		*crypt;		/* borrowed */
	struct sqlite3_stmt	*stmts[4096];	/* prepared once, by slot */
	struct store_dek	*deks;		/* unwrapped data key cache */
	size_t			 ndeks, deks_cap;
	int			 in_txn;
	int			 fail_commit;	/* tests: next commit fails */
	int			 damaged;	/* check found damage: no writes */
	int			 audit_only;	/* damaged: an audit append */
	int			 audit_prune;	/* store-audit.c: pruning now */
	/* called after each commit (1) or rollback (0); audit.c's */
	void			(*txn_hook)(void *, int committed);
	void			*txn_arg;
	struct store_search	*search;	/* in-memory index, or NULL */
};

struct store_agent {
	int64_t	 id;
	int64_t	 uid;
	char	 name[64];
	char	 role[16];		/* agent, supervisor, admin */
	int	 active;
	char	 team[64];		/* "" for none */
};

/* Opens (creating if needed) the two databases in dir and migrates them. */
int	 store_open(struct store *, const char *dir, struct crypt *,
	    char **cause);
void	 store_close(struct store *);
/* 1 if dir already holds a database. */
int	 store_exists(const char *dir);
int	 store_schema_version(struct store *);

int	 store_begin(struct store *);
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

/* Agents. */
int	 store_agent_add(struct store *, int64_t uid, const char *name,
	    const char *role, int64_t *id, char **cause);
/* 0 found, 1 no such agent, -1 error. */
int	 store_agent_by_uid(struct store *, int64_t uid, struct store_agent *);
int	 store_agent_by_name(struct store *, const char *,
	    struct store_agent *);
json_t	*store_agent_list(struct store *);
int	 store_agent_set(struct store *, int64_t id, const char *role,
	    int active);
int64_t	 store_agent_count(struct store *);

/* Audit log rows (the chain itself is computed in audit.c). */
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
int	 store_audit_head(struct store *, int64_t *seq, uint8_t hash[32]);
int	 store_audit_insert(struct store *, const struct store_audit_row *);
/* Calls fn for each row in seq order from `from`; stops if fn returns != 0. */
int	 store_audit_each(struct store *, int64_t from,
	    int (*fn)(const struct store_audit_row *, void *), void *);
/* A signed checkpoint row; every/minutes -1 for a v1 (legacy) one. */
struct store_ckpt {
	int64_t		 seq;
	int64_t		 ts_ms;
	int64_t		 every, minutes;	/* the cadence it promises */
	const uint8_t	*hash;			/* NULL: malformed row */
	const uint8_t	*sig;
};
int	 store_checkpoint_insert(struct store *, const struct store_ckpt *);
int	 store_checkpoint_each(struct store *,
	    int (*fn)(const struct store_ckpt *, void *), void *);
/* The newest checkpoint (hash/sig not filled): 0, 1 none, -1 error. */
int	 store_checkpoint_last(struct store *, struct store_ckpt *);
/* The oldest record's seq and time: 0, 1 empty log. */
int	 store_audit_first(struct store *, int64_t *seq, int64_t *ts_ms);
/* Integer meta value (0 if absent) and removing a key. */
int64_t	 store_meta_int(struct store *, const char *key);
int	 store_meta_del(struct store *, const char *key);

/* Reading and pruning the audit log (store-audit.c). */
struct store_audit_filter {
	int64_t		 after_seq, before_seq;	/* exclusive; 0: open */
	int64_t		 from_ms, to_ms;	/* to exclusive; 0: open */
	const char	*agent;			/* or NULL */
	int64_t		 contact_id;		/* or 0 */
	const char	*action;		/* or NULL */
	int64_t		 limit;			/* 0: no limit */
	int		 newest_first;
};
int	 store_audit_query(struct store *, const struct store_audit_filter *,
	    int (*fn)(const struct store_audit_row *, void *), void *);
int64_t	 store_audit_prunable(struct store *, int64_t before_ms,
	    int head_too);
int	 store_audit_prune(struct store *, int64_t seq, int64_t *n);

/*
 * Data-subject rights and retention (store-privacy.c). 0 found, 1 no such
 * contact, -1 error, for the int functions that look a contact up.
 */
int	 store_contact_flags(struct store *, int64_t cid, int *restricted,
	    int *hold);
int	 store_contact_exists(struct store *, int64_t cid);
/* flag: "restricted" or "legal_hold". */
int	 store_contact_set_flag(struct store *, int64_t cid, const char *flag,
	    int on);
/* Decrypted details; the number masked unless reveal. NULL: none. */
json_t	*store_contact_detail(struct store *, int64_t cid, int reveal);
/* 1 if agent_id holds a conversation of the contact or one is unassigned. */
int	 store_contact_is_open_to(struct store *, int64_t cid,
	    int64_t agent_id);
/* One page of everything held about the contact (contact, notes, media and
 * consent on the first page, after == 0), messages with id > after. */
json_t	*store_privacy_export(struct store *, int64_t cid, int64_t after,
	    int64_t limit);
/* Inside a transaction: one conversation and all that hangs off it; media
 * ids whose files must go are appended to media_ids (may be NULL). */
int	 store_conv_delete(struct store *, int64_t conv_id, json_t *media_ids,
	    int64_t *nmsgs);
/* Inside a transaction: every row of the contact, plus the ledger entry. */
int	 store_contact_erase(struct store *, int64_t cid, int64_t agent_id,
	    int64_t now, json_t *media_ids, json_t *counts);
int	 store_erasure_set_seq(struct store *, int64_t cid, int64_t seq);
/* Deletes the contact's data key (after the erase committed). */
int	 store_contact_shred(struct store *, int64_t cid);
int	 store_contact_has_key(struct store *, int64_t cid);
/* wal_checkpoint(TRUNCATE) on both databases; -1 if one stayed busy. */
int	 store_shred_checkpoint(struct store *);
json_t	*store_erasure_list(struct store *);
json_t	*store_contacts_without_key(struct store *);
/* The latest consent state for purpose ("service", "marketing"):
 * 1 opted in, 0 not (opted out or never asked), -1 error. */
int	 store_consent_current(struct store *, int64_t contact_id,
	    const char *purpose);
json_t	*store_consent_history(struct store *, int64_t contact_id);
int	 store_retention_raw(struct store *, int64_t before, int dry,
	    int64_t *n);
json_t	*store_retention_resolved(struct store *, int64_t before,
	    int64_t limit);
json_t	*store_retention_media(struct store *, int64_t before, int64_t limit);
int64_t	 store_contact_conv_count(struct store *, int64_t cid);
int	 store_media_expire(struct store *, int64_t id, int64_t now);
/* A consistent online copy: out/db/ and out/keys/ (SQLite backup API). */
int	 store_backup(const char *data_dir, const char *out, char **cause);

/* Health and counts for "status". */
json_t	*store_stats(struct store *);

/* Raw webhook bodies (sealed with the raw-event subkey). */
int	 store_raw_insert(struct store *, const char *body, size_t len,
	    int quarantined, const char *cause, int64_t now, int64_t *id);
/* Calls fn for every quarantined body (decrypted); fn returns 0 to mark it
 * replayed, 1 to keep it. */
int	 store_raw_quarantined(struct store *, int (*fn)(int64_t id,
	    const char *body, size_t len, void *), void *);
int	 store_raw_mark(struct store *, int64_t id, const char *state);
int	 store_raw_link_contact(struct store *, int64_t raw_id,
	    int64_t contact_id);

/* Contacts: keyed by the blind index of wa_id and/or BSUID. */
struct store_contact_in {
	const char	*wa_id;
	const char	*user_id;
	const char	*username;
	const char	*name;
};
/* Finds or creates; updates the name if given. */
int	 store_contact_upsert(struct store *, const struct store_contact_in *,
	    int64_t now, int64_t *contact_id, int *created);
/* Moves an identity (number change, BSUID change) onto the same contact. */
int	 store_contact_move_identity(struct store *, const char *old_wa_id,
	    const char *new_wa_id, const char *old_user_id,
	    const char *new_user_id, int64_t now);
/* Finds by phone / wa_id / BSUID; 0 found, 1 not found, -1 error. */
int	 store_contact_find(struct store *, const char *id, int64_t *contact_id);

/* Conversations. */
int	 store_conv_for_inbound(struct store *, int64_t contact_id,
	    const char *phone_number_id, int reopen_new, int64_t ts,
	    int64_t *conv_id, const char **what);
/* The conversation and contact of a message: 0, 1 (no such), -1. */
int	 store_msg_where(struct store *, int64_t msg_id, int64_t *conv_id,
	    int64_t *contact_id);
int	 store_conv_contact(struct store *, int64_t conv_id,
	    int64_t *contact_id);

/* Messages. body is the JSON the client shows (sealed as a whole). */
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
/* Returns 0 inserted, 1 duplicate (nothing changed), -1 error. */
int	 store_msg_insert(struct store *, const struct store_msg_in *,
	    int64_t now, int64_t *msg_id);
/* Marks the message (by wamid) edited/revoked, or adds a reaction. */
int	 store_msg_amend(struct store *, const char *target_wamid,
	    const char *what, json_t *data, int64_t now);

/* Statuses: dedup on (wamid, status); monotonic on the message. */
int	 store_status_apply(struct store *, const char *wamid, int status,
	    int64_t ts, int64_t err_code, const char *err_title,
	    const char *err_detail, int64_t now, int *changed);

int	 store_consent_add(struct store *, int64_t contact_id,
	    const char *purpose, int opt_in, const char *source,
	    int64_t evidence_msg_id, const char *text_version, int64_t ts);
int	 store_template_event(struct store *, const char *template_id,
	    const char *name, const char *language, const char *event,
	    const char *quality, const char *category, int64_t now);
/* value.errors and account alerts; detail is sealed. */
int	 store_alert_add(struct store *, const char *kind, int64_t code,
	    const char *title, const char *detail, int64_t now);

/* Last `limit` messages before message id `before` (0: newest), oldest
 * first, decrypted. NULL if no such conversation. */
json_t	*store_conv_show(struct store *, int64_t conv_id, int64_t before,
	    int64_t limit, int64_t now, int window_hours);
int	 store_conv_mark_read(struct store *, int64_t conv_id,
	    int64_t agent_id);
json_t	*store_alerts_recent(struct store *, int64_t limit);

/* Sending (store-outbox.c). */
struct store_send_info {
	int64_t	 contact_id;
	int64_t	 last_inbound_at;	/* seconds; 0 never */
	int64_t	 last_inbound_msg;	/* newest inbound message id */
	int	 restricted;
	char	*wa_id;			/* decrypted; wiped by _clear */
	char	*user_id;
};
/* 0 found, 1 no such conversation, -1 error. */
int	 store_send_info(struct store *, int64_t conv_id,
	    struct store_send_info *);
void	 store_send_info_clear(struct store_send_info *);
/* 1 if the latest marketing consent row of the contact is an opt-in. */
int	 store_consent_marketing(struct store *, int64_t contact_id);
/* A message's place and wamid (allocated or NULL). 0, 1 unknown, -1. */
int	 store_msg_ref(struct store *, int64_t msg_id, int64_t *conv_id,
	    int64_t *contact_id, int *outbound, char **wamid);
/* Newest inbound message id with a wamid, or 0. */
int64_t	 store_conv_last_inbound(struct store *, int64_t conv_id);
/* Newest inbound message id if the conversation has unread ones, else 0. */
int64_t	 store_conv_last_unread_inbound(struct store *, int64_t conv_id);
/* Sets the wamid of an outbound message (once) and applies pending
 * statuses; 0, 1 if it already had one, -1. */
int	 store_msg_set_wamid(struct store *, int64_t msg_id,
	    int64_t contact_id, const char *wamid);

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
};
int	 store_outbox_add(struct store *, int64_t msg_id, int64_t contact_id,
	    const char *request, int64_t now_ms, int64_t *id);
int	 store_outbox_set_request(struct store *, int64_t id,
	    int64_t contact_id, const char *request);
/* The request body, decrypted and allocated (wipe it), or NULL. */
char	*store_outbox_request(struct store *, int64_t id, int64_t contact_id);
/* sending -> unknown (after a crash); *n rows changed. */
int	 store_outbox_recover(struct store *, int64_t now_ms, int *n);
/* Queued rows in id order; fn returns non-zero to stop. */
int	 store_outbox_queued(struct store *, int64_t limit,
	    int (*fn)(const struct store_outbox_row *, void *), void *);
int	 store_outbox_get(struct store *, int64_t id, int by_msg,
	    struct store_outbox_row *);
int	 store_outbox_set_state(struct store *, int64_t id, const char *state,
	    int64_t attempts, int64_t next_attempt, int has_error,
	    int64_t code, const char *class, int64_t now_ms);
int	 store_outbox_msg_failed(struct store *, int64_t msg_id, int64_t code,
	    const char *explain, int64_t now);
int	 store_outbox_msg_reset(struct store *, int64_t msg_id);
/* A status webhook: adopts the wamid of a send in doubt (opaque
 * "si:<outbox id>") and fails the row on a failed status. */
int	 store_outbox_on_status(struct store *, const char *wamid,
	    const char *opaque, int status, int64_t code, int64_t now_ms,
	    struct store_outbox_row *);
json_t	*store_outbox_counts(struct store *);
/* state NULL: any; conv_id 0: any. Newest first. */
int	 store_outbox_list(struct store *, const char *state, int64_t conv_id,
	    int64_t limit, int (*fn)(const struct store_outbox_row *, void *),
	    void *);

int	 store_template_upsert(struct store *, const char *meta_id,
	    const char *name, const char *language, const char *category,
	    const char *status, const char *components, int64_t now);
int	 store_template_prune(struct store *, int64_t before);
/* {name, language, category, status, components, quality} or NULL. */
json_t	*store_template_get(struct store *, const char *name,
	    const char *language);
json_t	*store_template_list(struct store *);

struct store_media_row {
	int64_t	 id, message_id, contact_id;
	char	 direction[4];
	char	 state[8];
	int64_t	 attempts, next_attempt;
	char	 mime[128];
	int64_t	 size;			/* -1 unknown */
	char	*meta_id;		/* Meta's media id, allocated or NULL */
};
int	 store_media_add(struct store *, int64_t msg_id, int64_t contact_id,
	    const char *direction, const char *state, const char *mime,
	    int64_t size, const char *meta_id, int64_t now, int64_t *id);
int	 store_media_set(struct store *, int64_t id, const char *state,
	    int64_t attempts, int64_t next_attempt, const char *mime,
	    int64_t size, const char *error, int64_t now);
int	 store_media_get(struct store *, int64_t id, struct store_media_row *);
int	 store_media_due(struct store *, int64_t now, int64_t after_id,
	    struct store_media_row *);
int	 store_media_by_msg(struct store *, int64_t msg_id,
	    struct store_media_row *);
void	 store_media_row_clear(struct store_media_row *);
/* Seals/opens a media file with the contact's data key (AD: media, blob,
 * id). 0, or -1 (no key: erased). *out allocated; opened bytes: wipe. */
int	 store_media_seal(struct store *, int64_t contact_id, int64_t id,
	    const void *data, size_t len, uint8_t **out, size_t *outlen);
int	 store_media_open(struct store *, int64_t contact_id, int64_t id,
	    const uint8_t *ct, size_t ctlen, char **out, size_t *outlen);

/*
 * The inbox (store-inbox.c). Views: all, mine, unassigned, open, pending,
 * snoozed, resolved, label:NAME, team:NAME, window[:HOURS] (the 24-hour
 * window closes within HOURS, soonest first), failed. Rows carry the unread
 * count for agent_id (its read marker). NULL for an unknown view.
 */
json_t	*store_inbox_list(struct store *, const char *view, int64_t agent_id,
	    int64_t offset, int64_t limit, int64_t now, int window_hours,
	    int hours);
/* Counts for every view (labels and teams as objects) in one go. */
json_t	*store_inbox_counts(struct store *, int64_t agent_id, int64_t now,
	    int window_hours, int hours);

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
/* 0 found, 1 no such conversation, -1 error. */
int	 store_conv_info(struct store *, int64_t conv_id,
	    struct store_conv_info *);
/* Takes an unassigned conversation: 0 taken, 1 someone has it, -1 error. */
int	 store_conv_claim(struct store *, int64_t conv_id, int64_t agent_id);
/* agent_id 0 unassigns. */
int	 store_conv_set_assignee(struct store *, int64_t conv_id,
	    int64_t agent_id);
int	 store_conv_set_team(struct store *, int64_t conv_id, const char *);
int	 store_conv_set_state(struct store *, int64_t conv_id,
	    const char *state, int64_t snooze_until, int64_t now);
int	 store_conv_set_priority(struct store *, int64_t conv_id, int);
/* The first snoozed conversation due by now: 0 one, 1 none, -1 error. */
int	 store_conv_snooze_due(struct store *, int64_t now, int64_t *conv_id,
	    int64_t *contact_id);
/*
 * Collision guard: 1 if the conversation has a customer message with an id
 * above after_msg_id (one the agent has not seen), 0 if not, -1 error.
 */
int	 store_conv_newer_inbound(struct store *, int64_t conv_id,
	    int64_t after_msg_id);
/* The oldest unassigned open conversation after the first `skip` of them
 * (ones nobody online can take): 0, 1 none, -1 error. */
int	 store_conv_oldest_waiting(struct store *, int64_t skip,
	    int64_t *conv_id, int64_t *contact_id, char *team, size_t teamsz);
int	 store_agent_set_team(struct store *, int64_t id, const char *);
int	 store_agent_set_capacity(struct store *, int64_t id, int);
/* Team, configured capacity (0: default) and open+pending load. */
int	 store_agent_inbox(struct store *, int64_t id, char *team,
	    size_t teamsz, int *capacity, int64_t *load);
/* Notes are sealed with the contact's key and indexed for search. */
int	 store_note_add(struct store *, int64_t conv_id, int64_t agent_id,
	    const char *body, int64_t now, int64_t *note_id);
json_t	*store_note_list(struct store *, int64_t conv_id);
int	 store_mention_add(struct store *, int64_t note_id, int64_t agent_id,
	    int64_t now);
json_t	*store_mention_list(struct store *, int64_t agent_id,
	    int unseen_only, int64_t limit);
int	 store_mention_seen(struct store *, int64_t agent_id);
int	 store_label_id(struct store *, const char *name, int64_t *id);
/* 0 done, 1 the name is taken, -1 error. */
int	 store_label_create(struct store *, const char *name,
	    const char *color, int64_t *id);
int	 store_label_rename(struct store *, int64_t id, const char *name);
int	 store_label_delete(struct store *, int64_t id);
json_t	*store_label_list(struct store *);
/* 1 changed, 0 already so, -1 error. */
int	 store_conv_label(struct store *, int64_t conv_id, int64_t label_id,
	    int add);
json_t	*store_canned_list(struct store *, const char *team,
	    const char *language);
json_t	*store_canned_get(struct store *, const char *shortcut);
int	 store_canned_put(struct store *, const char *shortcut,
	    const char *title, const char *body, const char *language,
	    const char *team, int64_t now, int64_t *id, int *created);
/* 0 done, 1 the shortcut is taken, -1 error. */
int	 store_canned_rename(struct store *, int64_t id, const char *);
/* 0 removed, 1 no such reply, -1 error. */
int	 store_canned_remove(struct store *, const char *shortcut);
/* The contact's name in clear (allocated; wipe and free), or NULL. */
char	*store_contact_name(struct store *, int64_t contact_id);

/*
 * Full-text search (store-search.c) over message bodies, notes and contact
 * names, in an in-memory SQLite FTS5 database on its own connection: the
 * clear text never reaches a file. Filled at open by decrypting, kept
 * current by store_msg_insert and store_note_add, and in step with the main
 * database's transactions (a rolled-back ingest leaves no entry).
 */
int	 store_search_open(struct store *, char **cause);
int	 store_search_build(struct store *, int budget);
int	 store_search_building(struct store *);
int	 store_search_progress(struct store *);
void	 store_search_close(struct store *);
struct store_search_q {
	const char	*match;		/* FTS5 expression (search.c builds it) */
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

#endif

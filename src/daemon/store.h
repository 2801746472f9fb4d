/*
 * The store: the only module with SQL (DESIGN.md section 3). SQLite in WAL
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

struct store {
	struct sqlite3		*db;		/* main database */
	struct sqlite3		*ks;		/* key store */
	struct crypt		*crypt;		/* borrowed */
	struct sqlite3_stmt	*stmts[1024];	/* prepared once, by slot */
	struct store_dek	*deks;		/* unwrapped data key cache */
	size_t			 ndeks, deks_cap;
	int			 in_txn;
	int			 fail_commit;	/* tests: next commit fails */
};

struct store_agent {
	int64_t	 id;
	int64_t	 uid;
	char	 name[64];
	char	 role[16];		/* agent, supervisor, admin */
	int	 active;
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

/* Agents. */
int	 store_agent_add(struct store *, int64_t uid, const char *name,
	    const char *role, int64_t *id, char **cause);
/* 0 found, 1 no such agent, -1 error. */
int	 store_agent_by_uid(struct store *, int64_t uid, struct store_agent *);
int	 store_agent_by_name(struct store *, const char *,
	    struct store_agent *);
int	 store_agent_by_id(struct store *, int64_t, struct store_agent *);
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
	const char	*purpose;
	const char	*client;	/* tty, reported SSH origin */
	const char	*result;
	const uint8_t	*detail;	/* sealed extra detail, or NULL */
	size_t		 detail_len;
	uint8_t		 prev_hash[32];
	uint8_t		 hash[32];
};
int	 store_audit_head(struct store *, int64_t *seq, uint8_t hash[32]);
int	 store_audit_insert(struct store *, const struct store_audit_row *);
/* Calls fn for each row in seq order from `from`; stops if fn returns != 0. */
int	 store_audit_each(struct store *, int64_t from,
	    int (*fn)(const struct store_audit_row *, void *), void *);
int	 store_checkpoint_insert(struct store *, int64_t seq, int64_t ts_ms,
	    const uint8_t hash[32], const uint8_t sig[64]);
int	 store_checkpoint_each(struct store *, int (*fn)(int64_t seq,
	    int64_t ts_ms, const uint8_t *hash, const uint8_t *sig, void *),
	    void *);

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

/* Views. */
json_t	*store_conv_list(struct store *, const char *view, int64_t agent_id,
	    int64_t offset, int64_t limit, int64_t now, int window_hours);
/* Last `limit` messages before message id `before` (0: newest), oldest
 * first, decrypted. NULL if no such conversation. */
json_t	*store_conv_show(struct store *, int64_t conv_id, int64_t before,
	    int64_t limit, int64_t now, int window_hours);
int	 store_conv_mark_read(struct store *, int64_t conv_id,
	    int64_t agent_id);
json_t	*store_alerts_recent(struct store *, int64_t limit);

#endif

/*
 * Shared by the store's files (store.c and its siblings store-<noun>.c),
 * which alone contain SQL. Not for other modules.
 *
 * Everything personal is sealed (crypt.h) with the contact's data key, bound
 * to table, column and row, before SQLite sees it; callers of store.h pass
 * and get clear values and JSON.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "store.h"

#define STORE_NSTMTS	(sizeof ((struct store *)0)->stmts / \
			    sizeof ((struct store *)0)->stmts[0])

struct store_dek {
	int64_t	 contact_id;	/* 0 = empty slot */
	uint8_t	 key[CRYPT_KEYBYTES];
};

/*
 * A statement prepared once per call site. Each file defines
 * STORE_SLOT_BASE (its own range of 128 slots) before including this, so
 * __COUNTER__ (per file) never collides across files. The ranges taken:
 *
 *	   0 store.c		 128 store-outbox.c	 256 store-inbox.c
 *	 384 store-search.c	 512 store-privacy.c	 640 store-audit.c
 *	 768 store-agent.c	 896 store-alert.c	1024 store-canned.c
 *	1152 store-checkpoint.c	1280 store-consent.c	1408 store-contact.c
 *	1536 store-conv.c	1664 store-dek.c	1792 store-erasure.c
 *	1920 store-label.c	2048 store-media.c	2176 store-msg.c
 *	2304 store-note.c	2432 store-raw.c	2560 store-retention.c
 *	2688 store-send.c	2816 store-status.c	2944 store-template.c
 *	3072 store-phone.c
 *	3200 store-draft.c
 *	3456 store-attribute.c
 *	3712 store-handover.c
 *	3840 store-number.c
 *	3968 store-contact-io.c
 *	4480 store-survey.c
 *	4736 store-campaign.c
 *	4992 store-hook.c
 *	5504 store-report.c
 *
 * (store-backup.c has none: it works on connections of its own.)
 */
#ifndef STORE_SLOT_BASE
#error "define STORE_SLOT_BASE before including store-int.h"
#endif
#define STMT(sql)	store_prep(s, s->db, STORE_SLOT_BASE + __COUNTER__, sql)
#define KSTMT(sql)	store_prep(s, s->ks, STORE_SLOT_BASE + __COUNTER__, sql)

/* Statements (store.c). */
/* The statement of slot on db, prepared on first use, else reset and
 * unbound; aborts if the SQL does not prepare (a bug, not bad input). */
sqlite3_stmt	*store_prep(struct store *, sqlite3 *db, unsigned slot,
		    const char *sql);
/* Steps a statement once and resets it: 0, or -1 (logged). */
int		 store_step_done(struct store *, sqlite3_stmt *);
/* Steps a write a UNIQUE constraint may refuse, and resets it: 0 done,
 * 1 refused (a name or key already taken), -1 error. */
int		 store_step_unique(sqlite3_stmt *);
/* Steps a one-row lookup and resets it: 0 with columns 0 and 1 in *a and
 * *b (b may be NULL), 1 no row, -1 error. */
enum store_found store_row_int64(sqlite3_stmt *, int64_t *a, int64_t *b);
/* The first column of a one-row statement (a count), or -1. */
int64_t		 store_count(sqlite3_stmt *);
/* Binds v, or NULL when v is NULL. */
void		 store_bind_text_or_null(sqlite3_stmt *, int col,
		    const char *v);
/* Binds v, or NULL when v is 0 (no such row). */
void		 store_bind_id_or_null(sqlite3_stmt *, int col, int64_t v);
/* A text column (valid until the next step or reset), or NULL. */
const char	*store_col_text(sqlite3_stmt *, int col);
/* The wall clock, in seconds. */
int64_t		 store_now_s(void);

/* Sealing (store.c). */
/* Binds text sealed with key, bound to (table, column, row); NULL binds
 * NULL. */
int		 store_bind_sealed(struct store *, sqlite3_stmt *, int col,
		    const uint8_t *key, const char *table, const char *column,
		    int64_t row, const char *text, size_t len);
/* Opens a sealed column into an allocated string (wipe it), or NULL (no
 * key, not sealed, or not for this place). */
char		*store_col_open(sqlite3_stmt *, int col, const uint8_t *key,
		    const char *table, const char *column, int64_t row);
/* The blind index (CRYPT_BLINDBYTES) of an identifier of a kind ("wa",
 * "bsuid", "wamid"). */
void		 store_blind(struct store *, const char *kind, const char *id,
		    uint8_t *out);

/* Data keys (store-dek.c). */
/* The contact's data key, unwrapped and cached on first use; NULL if it
 * is gone (erased) or does not unwrap. */
const uint8_t	*store_dek(struct store *, int64_t contact_id);
/* Makes, wraps and stores a new contact's key (committed on its own,
 * before the contact row): 0, or -1. */
int		 store_dek_create(struct store *, int64_t contact_id);
/* Forgets every unwrapped key held in memory (after a shred). */
void		 store_dek_forget(struct store *);

/* Contacts (store-contact.c). */
/* Adds contact_id, name, phone_masked and has_bsuid to o from the
 * contact's sealed columns col_name, col_wa and col_user of st. */
void		 store_contact_json(struct store *, json_t *o, int64_t cid,
		    sqlite3_stmt *st, int col_name, int col_wa, int col_user);

/* Conversations (store-conv.c). */
/* A conversation as the views show it, from columns 0-14 of st as
 * CONV_COLS (store-conv.c) or INBOX_SEL (store-inbox.c) select them. */
json_t		*store_conv_row(struct store *, sqlite3_stmt *st, int64_t now,
		    int window_hours);
/* The names of the conversation's labels, sorted. */
json_t		*store_conv_labels(struct store *, int64_t conv_id);
/* 1 if the conversation has the label called name, else 0. */
bool		 store_conv_has_label(struct store *, int64_t conv_id,
		    const char *name);

/* The inbox (store-inbox.c). */
/* One conversation as a view row (unread for agent_id), or NULL. */
json_t		*store_inbox_one(struct store *, int64_t conv_id,
		    int64_t agent_id, int64_t now, int window_hours);

/* Messages (store-msg.c). */
/* A message as conv.show shows it, from its row; key NULL: unreadable. */
json_t		*store_msg_row(struct store *, sqlite3_stmt *st,
		    const uint8_t *key);

/* Privacy (store-privacy.c). */
/* Sets o's key to the opened column as a string, or null. */
void		 store_privacy_set_open(json_t *o, const char *key,
		    sqlite3_stmt *st, int col, const uint8_t *dek,
		    const char *table, const char *column, int64_t row);
/* Appends to out (NULL: does nothing) the media ids of a conversation
 * (conv_id != 0) or of a contact, for unlinking their files. */
void		 store_privacy_media_ids(struct store *, int64_t conv_id,
		    int64_t cid, json_t *out);

/* Raw webhook bodies (store-raw.c). */
/* Deletes every raw body that names the contact's number or BSUID;
 * *deleted counts them. 0, or -1. */
int		 store_raw_forget(struct store *, int64_t cid,
		    int64_t *deleted);

/*
 * The search index (store-search.c), kept current by the files that write
 * what it indexes and in step with the main database's transactions.
 */
/* Mirrors a savepoint statement ("SAVEPOINT req", "RELEASE req",
 * "ROLLBACK TO req") of the open transaction on the index. */
void		 store_search_savepoint(struct store *, const char *sql);
/* Indexes a new message (and its contact's name with the first one). */
void		 store_search_msg(struct store *, int64_t msg_id,
		    const struct store_msg_in *);
/* Indexes a new note. */
void		 store_search_note(struct store *, int64_t note_id,
		    int64_t conv_id, int64_t contact_id, int64_t ts,
		    const char *body);
/* Erasure: drops every entry of the contact. */
void		 store_search_forget_contact(struct store *,
		    int64_t contact_id);
/* A message taken back (an undone send) leaves the index. */
void		 store_search_forget_msg(struct store *, int64_t msg_id);
/* A contact's new name replaces the indexed one (if it was indexed). */
void		 store_search_rename(struct store *, int64_t contact_id,
		    const char *name);
/* A merge: from's messages and notes indexed under into, from's name
 * gone, into's indexed again. */
void		 store_search_merge(struct store *, int64_t into, int64_t from);

#endif

/*
 * Shared by the store's files (store.c and its siblings store-*.c), which
 * alone contain SQL. Not for other modules.
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
 * __COUNTER__ (per file) never collides across files.
 */
#ifndef STORE_SLOT_BASE
#error "define STORE_SLOT_BASE before including store-int.h"
#endif
#define STMT(sql)	store_prep(s, s->db, STORE_SLOT_BASE + __COUNTER__, sql)
#define KSTMT(sql)	store_prep(s, s->ks, STORE_SLOT_BASE + __COUNTER__, sql)

#define CONV_COLS \
	"c.id, c.contact_id, c.state, c.priority, c.assignee_id, a.name, " \
	"c.last_msg_at, c.last_inbound_at, c.unread, c.preview_enc, " \
	"k.name_enc, k.wa_id_enc, k.user_id_enc, c.snooze_until, c.created " \
	"FROM conversations c JOIN contacts k ON k.id = c.contact_id " \
	"LEFT JOIN agents a ON a.id = c.assignee_id "

sqlite3_stmt *store_prep(struct store *s, sqlite3 *db, unsigned slot, const char *sql);
int store_step_done(struct store *s, sqlite3_stmt *st);
int store_row_int64(sqlite3_stmt *st, int64_t *a, int64_t *b);
int store_step_unique(sqlite3_stmt *st);
int64_t store_now_s(void);
const uint8_t *store_dek(struct store *s, int64_t contact_id);
int store_bind_sealed(struct store *s, sqlite3_stmt *st, int col, const uint8_t *key, const char *table, const char *column, int64_t row, const char *text, size_t len);
char *store_col_open(sqlite3_stmt *st, int col, const uint8_t *key, const char *table, const char *column, int64_t row);
void store_blind(struct store *s, const char *kind, const char *id, uint8_t *out);
int64_t store_count(sqlite3_stmt *st);
void store_bind_text_or_null(sqlite3_stmt *st, int col, const char *v);
void store_bind_id_or_null(sqlite3_stmt *st, int col, int64_t v);
const char *store_col_text(sqlite3_stmt *st, int col);
int store_contact_by_blind(struct store *s, const char *kind, const char *id, int64_t *contact_id);
void store_contact_json(struct store *s, json_t *o, int64_t cid, sqlite3_stmt *st, int col_name, int col_wa, int col_user);
json_t *store_conv_row(struct store *s, sqlite3_stmt *st, int64_t now, int window_hours);
char *store_mask_phone(const char *digits);
int64_t store_window_left(int64_t last_inbound, int64_t now, int window_hours);
int store_dek_create(struct store *s, int64_t contact_id);
void store_search_savepoint(struct store *s, const char *sql);

#endif

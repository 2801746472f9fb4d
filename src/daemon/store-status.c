/*
 * Delivery statuses from webhooks: deduplicated on (wamid, status) and kept
 * even before their message is known; applied to the message monotonically.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2816
#include "store-int.h"
#include "wa-payload.h"

int
store_status_apply(struct store *s, const char *wamid, int status,
    int64_t ts, int64_t err_code, const char *err_title,
    const char *err_detail, int64_t now, int *changed)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 sid;

	*changed = 0;
	store_blind(s, "wamid", wamid, bl);
	st = STMT("INSERT OR IGNORE INTO statuses (wamid_blind, status, ts, "
	    "error_code, error_title, received) VALUES (?,?,?,?,?,?)");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, status);
	sqlite3_bind_int64(st, 3, ts);
	store_bind_id_or_null(st, 4, err_code);
	store_bind_text_or_null(st, 5, err_title);
	sqlite3_bind_int64(st, 6, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0)
		return (0);	/* the same status again: nothing changes */
	/*
	 * A new failure is news even when the message does not move: the
	 * outbox marks its own message failed before this (outbox_on_status).
	 */
	if (status == WA_ST_FAILED)
		*changed = 1;
	sid = sqlite3_last_insert_rowid(s->db);
	if (err_detail != NULL) {
		st = STMT("UPDATE statuses SET detail_enc = ? WHERE id = ?");
		store_bind_sealed(s, st, 1,
		    crypt_subkey(s->crypt, CRYPT_FIELDKEY), "statuses",
		    "detail", sid, err_detail, strlen(err_detail));
		sqlite3_bind_int64(st, 2, sid);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	if (status > WA_ST_FAILED)
		return (0);
	/* Monotonic: only a higher state moves it; failed is terminal. */
	st = STMT("UPDATE messages SET status = ?2, status_ts = ?3, "
	    "error_code = ?4, error_title = ?5 "
	    "WHERE wamid_blind = ?1 AND status < ?2");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, status);
	sqlite3_bind_int64(st, 3, ts);
	store_bind_id_or_null(st, 4, err_code);
	store_bind_text_or_null(st, 5, err_title);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (sqlite3_changes(s->db) > 0)
		*changed = 1;
	return (0);
}

enum store_found
store_status_message(struct store *s, const char *wamid,
    struct store_status_msg *sm)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int		 rc;

	memset(sm, 0, sizeof *sm);
	store_blind(s, "wamid", wamid, bl);
	st = STMT("SELECT m.id, m.conversation_id, m.contact_id, m.status, "
	    "coalesce(m.error_code, 0), coalesce(a.name, '') FROM messages m "
	    "LEFT JOIN agents a ON a.id = m.agent_id WHERE m.wamid_blind = ?");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sm->message_id = sqlite3_column_int64(st, 0);
		sm->conv_id = sqlite3_column_int64(st, 1);
		sm->contact_id = sqlite3_column_int64(st, 2);
		sm->status = sqlite3_column_int(st, 3);
		sm->error_code = sqlite3_column_int64(st, 4);
		snprintf(sm->agent, sizeof sm->agent, "%s",
		    store_col_text(st, 5));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

/*
 * Handover requests: a conversation an agent asked a colleague to take,
 * waiting for the answer ([assign] handover = request). One per
 * conversation; a new request replaces the old one.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	3712
#include "store-int.h"

int
store_handover_put(struct store *s, int64_t conv_id, int64_t from_id,
    int64_t to_id, int64_t note_id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR REPLACE INTO handovers (conversation_id, "
	    "from_id, to_id, note_id, created) VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, from_id);
	sqlite3_bind_int64(st, 3, to_id);
	store_bind_id_or_null(st, 4, note_id);
	sqlite3_bind_int64(st, 5, now);
	return (store_step_done(s, st));
}

enum store_found
store_handover_get(struct store *s, int64_t conv_id, struct store_handover *h)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(h, 0, sizeof *h);
	st = STMT("SELECT h.from_id, a.uid, a.name, h.to_id, "
	    "coalesce(h.note_id, 0), h.created FROM handovers h "
	    "JOIN agents a ON a.id = h.from_id WHERE h.conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->conv_id = conv_id;
		h->from_id = sqlite3_column_int64(st, 0);
		h->from_uid = sqlite3_column_int64(st, 1);
		snprintf(h->from, sizeof h->from, "%s", store_col_text(st, 2));
		h->to_id = sqlite3_column_int64(st, 3);
		h->note_id = sqlite3_column_int64(st, 4);
		h->created = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_handover_del(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM handovers WHERE conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

json_t *
store_handover_list(struct store *s, int64_t to_id)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT h.conversation_id, a.name, coalesce(h.note_id, 0), "
	    "h.created FROM handovers h JOIN agents a ON a.id = h.from_id "
	    "WHERE h.to_id = ? ORDER BY h.created, h.conversation_id "
	    "LIMIT 500");
	sqlite3_bind_int64(st, 1, to_id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI ss sI sI}",
		    "conversation", (json_int_t)sqlite3_column_int64(st, 0),
		    "from", store_col_text(st, 1),
		    "note", (json_int_t)sqlite3_column_int64(st, 2),
		    "created", (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	return (arr);
}

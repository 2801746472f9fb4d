/*
 * Alerts: value.errors and account events from Meta, kept for "status" with
 * their detail sealed under the field key.
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	896
#include "store-int.h"

int
store_alert_add(struct store *s, const char *kind, int64_t code,
    const char *title, const char *detail, int64_t now)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	st = STMT("INSERT INTO alerts (ts, kind, code, title) "
	    "VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
	store_bind_id_or_null(st, 3, code);
	store_bind_text_or_null(st, 4, title);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (detail == NULL)
		return (0);
	id = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE alerts SET detail_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, crypt_subkey(s->crypt, CRYPT_FIELDKEY),
	    "alerts", "detail", id, detail, strlen(detail));
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

json_t *
store_alerts_recent(struct store *s, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	/* One line per kind and code, newest first, with how often. */
	arr = json_array();
	st = STMT("SELECT kind, code, title, max(ts), count(*) FROM alerts "
	    "GROUP BY kind, code ORDER BY max(ts) DESC, max(id) DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(arr, json_pack("{ss so? so? sI sI}",
		    "kind", store_col_text(st, 0),
		    "code", sqlite3_column_type(st, 1) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 1)),
		    "title", sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    json_null() : json_string(store_col_text(st, 2)),
		    "last", (json_int_t)sqlite3_column_int64(st, 3),
		    "count", (json_int_t)sqlite3_column_int64(st, 4)));
	}
	sqlite3_reset(st);
	return (arr);
}

/*
 * Canned replies: company content (not personal data), kept in clear and
 * found by shortcut, team and language.
 */
#include "store.h"
#define STORE_SLOT_BASE	1024
#include "store-int.h"

static json_t *
store_canned_row(sqlite3_stmt *st)
{
	return (json_pack("{sI ss ss ss so so sI}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "shortcut", store_col_text(st, 1),
	    "title", store_col_text(st, 2),
	    "body", store_col_text(st, 3),
	    "language", sqlite3_column_type(st, 4) == SQLITE_NULL ?
	    json_null() : json_string(store_col_text(st, 4)),
	    "team", sqlite3_column_type(st, 5) == SQLITE_NULL ?
	    json_null() : json_string(store_col_text(st, 5)),
	    "updated", (json_int_t)sqlite3_column_int64(st, 6)));
}

#define CANNED_COLS "id, shortcut, title, body, language, team, updated "

json_t *
store_canned_list(struct store *s, const char *team, const char *language)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT " CANNED_COLS "FROM canned_replies "
	    "WHERE (?1 IS NULL OR team IS NULL OR team = ?1) "
	    "AND (?2 IS NULL OR language IS NULL OR language = ?2) "
	    "ORDER BY shortcut");
	store_bind_text_or_null(st, 1, team);
	store_bind_text_or_null(st, 2, language);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_canned_row(st));
	sqlite3_reset(st);
	return (arr);
}

json_t *
store_canned_get(struct store *s, const char *shortcut)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT("SELECT " CANNED_COLS "FROM canned_replies "
	    "WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_canned_row(st);
	sqlite3_reset(st);
	return (o);
}

/* Inserts or replaces by shortcut; *created says which. */
int
store_canned_put(struct store *s, const char *shortcut, const char *title,
    const char *body, const char *language, const char *team, int64_t now,
    int64_t *id, int *created)
{
	sqlite3_stmt	*st;
	json_t		*old;

	old = store_canned_get(s, shortcut);
	*created = old == NULL;
	json_decref(old);
	st = STMT("INSERT INTO canned_replies (shortcut, title, body, "
	    "language, team, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?6) ON CONFLICT (shortcut) DO UPDATE SET title = ?2, "
	    "body = ?3, language = ?4, team = ?5, updated = ?6");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 4, language);
	store_bind_text_or_null(st, 5, team);
	sqlite3_bind_int64(st, 6, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("SELECT id FROM canned_replies WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	*id = store_count(st);
	return (0);
}

int
store_canned_rename(struct store *s, int64_t id, const char *shortcut)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE canned_replies SET shortcut = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_unique(st));
}

int
store_canned_remove(struct store *s, const char *shortcut)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM canned_replies WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0 ? 0 : 1);
}

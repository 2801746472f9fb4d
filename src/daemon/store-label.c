/*
 * Labels: named and coloured tags agents put on conversations (which
 * conversation has which is store-conv.c's).
 */
#include "store.h"
#define STORE_SLOT_BASE	1920
#include "store-int.h"

enum store_found
store_label_id(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id FROM labels WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return (store_row_int64(st, id, NULL));
}

/* 0 done, 1 the name is taken, -1 error. */
int
store_label_create(struct store *s, const char *name, const char *color,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("INSERT INTO labels (name, color) VALUES (?, ?)");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 2, color);
	if ((rc = store_step_unique(st)) == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return (rc);
}

int
store_label_rename(struct store *s, int64_t id, const char *name)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE labels SET name = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_unique(st));
}

int
store_label_delete(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM conversation_labels WHERE label_id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM labels WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	return (store_step_done(s, st));
}

json_t *
store_label_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT l.id, l.name, l.color, (SELECT count(*) FROM "
	    "conversation_labels cl WHERE cl.label_id = l.id) FROM labels l "
	    "ORDER BY l.name");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI ss so sI}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "name", store_col_text(st, 1),
		    "color", sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    json_null() : json_string(store_col_text(st, 2)),
		    "conversations", (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	return (arr);
}

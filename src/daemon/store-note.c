/*
 * Notes and mentions: internal notes on a conversation, sealed with the
 * contact's key and indexed for search, and the @mentions of agents in them.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2304
#include "store-int.h"

int
store_note_add(struct store *s, int64_t conv_id, int64_t agent_id,
    const char *body, int64_t now, int64_t *note_id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int64_t		 cid, id;

	if (store_conv_contact(s, conv_id, &cid) != 0)
		return (-1);
	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	/* after_msg: the conversation's latest message as the note is
	 * saved, so the thread puts the note exactly there (thread-order.c:
	 * messages are drawn in id order; times are whole seconds). */
	st = STMT("INSERT INTO notes (conversation_id, contact_id, agent_id, "
	    "created, body_enc, after_msg) VALUES (?1, ?2, ?3, ?4, x'', "
	    "(SELECT coalesce(max(id), 0) FROM messages "
	    "WHERE conversation_id = ?1))");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, cid);
	store_bind_id_or_null(st, 3, agent_id);
	sqlite3_bind_int64(st, 4, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	id = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE notes SET body_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "notes", "body", id, body,
	    strlen(body));
	sqlite3_bind_int64(st, 2, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_search_note(s, id, conv_id, cid, now, body);
	*note_id = id;
	return (0);
}

json_t *
store_note_list(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	const uint8_t	*key;
	int64_t		 id, cid;
	char		*body;

	arr = json_array();
	st = STMT("SELECT n.id, n.contact_id, a.name, n.created, n.body_enc, "
	    "n.after_msg FROM notes n LEFT JOIN agents a ON a.id = n.agent_id "
	    "WHERE n.conversation_id = ? ORDER BY n.id");
	sqlite3_bind_int64(st, 1, conv_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		cid = sqlite3_column_int64(st, 1);
		key = store_dek(s, cid);
		body = store_col_open(st, 4, key, "notes", "body", id);
		json_array_append_new(arr, json_pack("{sI ss sI so so}",
		    "id", (json_int_t)id, "agent", store_col_text(st, 2) !=
		    NULL ? store_col_text(st, 2) : "", "created",
		    (json_int_t)sqlite3_column_int64(st, 3), "body",
		    body != NULL ? json_string(body) : json_null(),
		    "after_msg", sqlite3_column_type(st, 5) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 5))));
		if (body != NULL)
			crypt_wipe_free(body, strlen(body));
	}
	sqlite3_reset(st);
	return (arr);
}

/* --- mentions --- */

int
store_mention_add(struct store *s, int64_t note_id, int64_t agent_id,
    int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO mentions (note_id, agent_id, created) "
	    "VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_int64(st, 2, agent_id);
	sqlite3_bind_int64(st, 3, now);
	return (store_step_done(s, st));
}

json_t *
store_mention_list(struct store *s, int64_t agent_id, int unseen_only,
    int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT m.id, n.conversation_id, n.id, a.name, m.created, "
	    "m.seen FROM mentions m JOIN notes n ON n.id = m.note_id "
	    "LEFT JOIN agents a ON a.id = n.agent_id "
	    "WHERE m.agent_id = ?1 AND (?2 = 0 OR m.seen = 0) "
	    "ORDER BY m.id DESC LIMIT ?3");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int(st, 2, unseen_only);
	sqlite3_bind_int64(st, 3, limit);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI sI sI ss sI sb}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "conversation", (json_int_t)sqlite3_column_int64(st, 1),
		    "note", (json_int_t)sqlite3_column_int64(st, 2),
		    "by", store_col_text(st, 3) != NULL ?
		    store_col_text(st, 3) : "",
		    "created", (json_int_t)sqlite3_column_int64(st, 4),
		    "seen", sqlite3_column_int(st, 5)));
	sqlite3_reset(st);
	return (arr);
}

int
store_mention_seen(struct store *s, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE mentions SET seen = 1 WHERE agent_id = ? "
	    "AND seen = 0");
	sqlite3_bind_int64(st, 1, agent_id);
	return (store_step_done(s, st));
}

enum store_found
store_mention_find(struct store *s, int64_t agent_id, int64_t note_id,
    int64_t conv_id, char *by, size_t by_len)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT coalesce(a.name, '') FROM mentions m "
	    "JOIN notes n ON n.id = m.note_id "
	    "LEFT JOIN agents a ON a.id = n.agent_id "
	    "WHERE m.agent_id = ? AND m.note_id = ? AND n.conversation_id = ? "
	    "LIMIT 1");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, note_id);
	sqlite3_bind_int64(st, 3, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(by, by_len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_mention_seen_note(struct store *s, int64_t agent_id, int64_t note_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE mentions SET seen = 1 WHERE agent_id = ? "
	    "AND note_id = ? AND seen = 0");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, note_id);
	return (store_step_done(s, st));
}

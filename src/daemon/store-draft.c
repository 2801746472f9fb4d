/*
 * Drafts: an agent's unsent reply, one per agent and conversation, kept by
 * the daemon so that a dropped connection or a quit loses nothing. The text
 * is sealed with the contact's data key, bound to its row, like a message
 * body; it goes with its conversation (store_conv_delete: erasure and
 * retention) and with the contact's key.
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	3200
#include "store-int.h"

static enum store_found
store_draft_id(struct store *s, int64_t agent_id, int64_t conv_id,
    int64_t *id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id FROM drafts WHERE agent_id = ? AND "
	    "conversation_id = ?");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	return (store_row_int64(st, id, NULL));
}

int
store_draft_set(struct store *s, int64_t agent_id, int64_t conv_id,
    const char *text, int64_t reply_to, int64_t now)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int64_t		 cid, id;
	enum store_found found;

	if (*text == '\0' && reply_to == 0)
		return (store_draft_delete(s, agent_id, conv_id));
	if (store_conv_contact(s, conv_id, &cid) != 0)
		return (-1);
	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	if ((found = store_draft_id(s, agent_id, conv_id, &id)) ==
	    STORE_ERROR)
		return (-1);
	if (found == STORE_NONE) {
		st = STMT("INSERT INTO drafts (agent_id, conversation_id, "
		    "contact_id, updated, body_enc) VALUES (?, ?, ?, ?, x'')");
		sqlite3_bind_int64(st, 1, agent_id);
		sqlite3_bind_int64(st, 2, conv_id);
		sqlite3_bind_int64(st, 3, cid);
		sqlite3_bind_int64(st, 4, now);
		if (store_step_done(s, st) != 0)
			return (-1);
		id = sqlite3_last_insert_rowid(s->db);
	}
	st = STMT("UPDATE drafts SET body_enc = ?, reply_to = ?, updated = ? "
	    "WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "drafts", "body", id, text,
	    strlen(text));
	store_bind_id_or_null(st, 2, reply_to);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	return (store_step_done(s, st));
}

int
store_draft_delete(struct store *s, int64_t agent_id, int64_t conv_id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM drafts WHERE agent_id = ? AND "
	    "conversation_id = ?");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	return (store_step_done(s, st));
}

int
store_draft_forget_conv(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM drafts WHERE conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

/* One draft as the methods answer it, from columns 0-5 of st. */
static json_t *
store_draft_row(struct store *s, sqlite3_stmt *st)
{
	json_t	*o;
	char	*text;
	int64_t	 id;

	id = sqlite3_column_int64(st, 0);
	text = store_col_open(st, 5, store_dek(s, sqlite3_column_int64(st, 2)),
	    "drafts", "body", id);
	o = json_pack("{sI sI sI}", "conversation",
	    (json_int_t)sqlite3_column_int64(st, 1), "reply_to",
	    (json_int_t)sqlite3_column_int64(st, 3), "updated",
	    (json_int_t)sqlite3_column_int64(st, 4));
	/* A key gone (erased contact): the draft is unreadable, say so. */
	json_object_set_new(o, "text", text != NULL ? json_string(text) :
	    json_null());
	if (text != NULL)
		crypt_wipe_free(text, strlen(text));
	return (o);
}

json_t *
store_draft_get(struct store *s, int64_t agent_id, int64_t conv_id)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT("SELECT id, conversation_id, contact_id, "
	    "coalesce(reply_to, 0), updated, body_enc FROM drafts "
	    "WHERE agent_id = ? AND conversation_id = ?");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_draft_row(s, st);
	sqlite3_reset(st);
	return (o);
}

json_t *
store_draft_list(struct store *s, int64_t agent_id, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT id, conversation_id, contact_id, "
	    "coalesce(reply_to, 0), updated, body_enc FROM drafts "
	    "WHERE agent_id = ? ORDER BY updated DESC, id DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, limit);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_draft_row(s, st));
	sqlite3_reset(st);
	return (arr);
}

void
store_draft_mark(struct store *s, int64_t agent_id, json_t *rows)
{
	sqlite3_stmt	*st;
	json_t		*row;
	size_t		 i;

	/* An agent has few drafts: one look each beats a join per view. */
	st = STMT("SELECT 1 FROM drafts WHERE agent_id = ? AND "
	    "conversation_id = ?");
	json_array_foreach(rows, i, row) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, agent_id);
		sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(
		    row, "id")));
		json_object_set_new(row, "draft",
		    json_boolean(sqlite3_step(st) == SQLITE_ROW));
	}
	sqlite3_reset(st);
}

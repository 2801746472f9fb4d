/*
 * Conversations: opened and reopened by ingest, shown with their messages,
 * marked read, assigned, moved between states, labelled, and deleted with
 * everything hanging off them (retention).
 */
#include <stdio.h>
#include <string.h>

#include "names.h"
#include "store.h"
#define STORE_SLOT_BASE	1536
#include "store-int.h"
#include "window.h"

int
store_conv_for_inbound(struct store *s, int64_t contact_id,
    const char *phone_number_id, int reopen_new, int64_t ts,
    int64_t *conv_id, const char **what)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	char		 state[16] = "";
	int		 rc;

	/* One conversation per customer and business number (issue 15). */
	st = STMT("SELECT id, state FROM conversations WHERE contact_id = ? "
	    "AND phone_number_id IS ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	store_bind_text_or_null(st, 2, phone_number_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(state, sizeof state, "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	*what = "existing";
	if (id != 0 && strcmp(state, "resolved") == 0 && !reopen_new) {
		st = STMT("UPDATE conversations SET state = 'open', "
		    "resolved_at = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = "reopened";
	} else if (id != 0 && strcmp(state, names_state(CONV_SNOOZED)) == 0) {
		st = STMT("UPDATE conversations SET state = 'open', "
		    "snooze_until = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = "woken";
	} else if (id == 0 || strcmp(state, "resolved") == 0) {
		st = STMT("INSERT INTO conversations (contact_id, "
		    "phone_number_id, created) VALUES (?, ?, ?)");
		sqlite3_bind_int64(st, 1, contact_id);
		store_bind_text_or_null(st, 2, phone_number_id);
		sqlite3_bind_int64(st, 3, ts);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = id == 0 ? "created" : "new-after-resolved";
		id = sqlite3_last_insert_rowid(s->db);
	}
	*conv_id = id;
	return (0);
}

enum store_found
store_conv_contact(struct store *s, int64_t conv_id, int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT contact_id FROM conversations WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_row_int64(st, contact_id, NULL));
}

/* --- views --- */

json_t *
store_conv_row(struct store *s, sqlite3_stmt *st, int64_t now,
    int window_hours)
{
	json_t	*o;
	int64_t	 id, cid, p;
	char	*preview;

	id = sqlite3_column_int64(st, 0);
	cid = sqlite3_column_int64(st, 1);
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	store_contact_json(s, o, cid, st, 10, 11, 12);
	json_object_set_new(o, "state", json_string(store_col_text(st, 2)));
	p = sqlite3_column_int64(st, 3);
	json_object_set_new(o, "priority", json_string(p >= 0 &&
	    p < CONV_NPRIORITIES ? names_priority((enum conv_priority)p) :
	    names_priority(CONV_NORMAL)));
	json_object_set_new(o, "assignee", sqlite3_column_type(st, 5) ==
	    SQLITE_NULL ? json_null() : json_string(store_col_text(st, 5)));
	json_object_set_new(o, "last_msg_at",
	    json_integer(sqlite3_column_int64(st, 6)));
	json_object_set_new(o, "last_inbound_at",
	    json_integer(sqlite3_column_int64(st, 7)));
	json_object_set_new(o, "unread",
	    json_integer(sqlite3_column_int64(st, 8)));
	preview = store_col_open(st, 9, store_dek(s, cid), "conversations",
	    "preview", id);
	json_object_set_new(o, "preview", json_string(preview != NULL ?
	    preview : ""));
	if (preview != NULL)
		crypt_wipe_free(preview, strlen(preview));
	json_object_set_new(o, "window_left", json_integer(window_left(
	    sqlite3_column_int64(st, 7), now, (unsigned)window_hours)));
	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		json_object_set_new(o, "snooze_until",
		    json_integer(sqlite3_column_int64(st, 13)));
	json_object_set_new(o, "created",
	    json_integer(sqlite3_column_int64(st, 14)));
	return (o);
}

json_t *
store_conv_labels(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT l.name FROM conversation_labels cl "
	    "JOIN labels l ON l.id = cl.label_id "
	    "WHERE cl.conversation_id = ? ORDER BY l.name");
	sqlite3_bind_int64(st, 1, conv_id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_string(store_col_text(st, 0)));
	sqlite3_reset(st);
	return (arr);
}

#define CONV_COLS \
	"c.id, c.contact_id, c.state, c.priority, c.assignee_id, a.name, " \
	"c.last_msg_at, c.last_inbound_at, c.unread, c.preview_enc, " \
	"k.name_enc, k.wa_id_enc, k.user_id_enc, c.snooze_until, c.created " \
	"FROM conversations c JOIN contacts k ON k.id = c.contact_id " \
	"LEFT JOIN agents a ON a.id = c.assignee_id "

json_t *
store_conv_show(struct store *s, int64_t conv_id, int64_t before,
    int64_t limit, int64_t now, int window_hours)
{
	sqlite3_stmt	*st;
	json_t		*res, *conv, *msgs, *tmp;
	const uint8_t	*key;
	int64_t		 cid;
	size_t		 n;

	st = STMT("SELECT " CONV_COLS "WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (NULL);
	}
	conv = store_conv_row(s, st, now, window_hours);
	json_object_set_new(conv, "labels", store_conv_labels(s, conv_id));
	cid = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	key = store_dek(s, cid);

	/* Newest `limit` before the cursor, then reversed: newest last. */
	st = STMT("SELECT m.id, m.direction, m.type, m.supported, m.ts, "
	    "m.status, m.error_code, m.error_title, m.edited, m.revoked, "
	    "m.body_enc, m.extra_enc, a.name, "
	    "(SELECT size FROM media WHERE message_id = m.id "
	    "ORDER BY id DESC LIMIT 1), "
	    "(SELECT state FROM media WHERE message_id = m.id "
	    "ORDER BY id DESC LIMIT 1), "
	    "(SELECT o.held_until FROM outbox o WHERE o.message_id = m.id "
	    "AND o.state = 'queued' AND o.attempts = 0) FROM messages m "
	    "LEFT JOIN agents a ON a.id = m.agent_id "
	    "WHERE m.conversation_id = ?1 AND (?2 = 0 OR m.id < ?2) "
	    "ORDER BY m.id DESC LIMIT ?3");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, limit + 1);
	tmp = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(tmp, store_msg_row(s, st, key));
	sqlite3_reset(st);
	msgs = json_array();
	n = json_array_size(tmp);
	res = json_object();
	json_object_set_new(res, "more", json_boolean(n > (size_t)limit));
	if (n > (size_t)limit)
		n = (size_t)limit;
	while (n > 0)
		json_array_append(msgs, json_array_get(tmp, --n));
	json_decref(tmp);
	json_object_set_new(res, "conversation", conv);
	json_object_set_new(res, "messages", msgs);
	return (res);
}

int
store_conv_mark_read(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO read_markers (agent_id, conversation_id, "
	    "last_read_msg_id) SELECT ?1, id, last_msg_id FROM conversations "
	    "WHERE id = ?2 ON CONFLICT (agent_id, conversation_id) DO UPDATE "
	    "SET last_read_msg_id = excluded.last_read_msg_id");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("UPDATE conversations SET unread = 0 WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

/* --- assignment and states --- */

enum store_found
store_conv_info(struct store *s, int64_t conv_id, struct store_conv_info *ci)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(ci, 0, sizeof *ci);
	st = STMT("SELECT c.contact_id, coalesce(c.assignee_id, 0), "
	    "coalesce(a.name, ''), c.state, coalesce(c.team, ''), "
	    "c.priority, c.last_msg_id FROM conversations c "
	    "LEFT JOIN agents a ON a.id = c.assignee_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ci->id = conv_id;
		ci->contact_id = sqlite3_column_int64(st, 0);
		ci->assignee_id = sqlite3_column_int64(st, 1);
		snprintf(ci->assignee, sizeof ci->assignee, "%s",
		    store_col_text(st, 2));
		snprintf(ci->state, sizeof ci->state, "%s",
		    store_col_text(st, 3));
		snprintf(ci->team, sizeof ci->team, "%s",
		    store_col_text(st, 4));
		ci->priority = sqlite3_column_int(st, 5);
		ci->last_msg_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_conv_claim(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	/* The condition is the lock: only one UPDATE can find it NULL. */
	st = STMT("UPDATE conversations SET assignee_id = ?2 "
	    "WHERE id = ?1 AND assignee_id IS NULL");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1 ? 0 : 1);
}

int
store_conv_set_assignee(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET assignee_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_bind_id_or_null(st, 2, agent_id);
	return (store_step_done(s, st));
}

int
store_conv_set_team(struct store *s, int64_t conv_id, const char *team)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET team = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_bind_text_or_null(st, 2, team);
	return (store_step_done(s, st));
}

int
store_conv_set_state(struct store *s, int64_t conv_id, const char *state,
    int64_t snooze_until, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET state = ?2, "
	    "snooze_until = CASE WHEN ?2 = 'snoozed' THEN ?3 ELSE NULL END, "
	    "resolved_at = CASE WHEN ?2 = 'resolved' THEN ?4 ELSE NULL END "
	    "WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, snooze_until);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

int
store_conv_set_priority(struct store *s, int64_t conv_id, int priority)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET priority = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int(st, 2, priority);
	return (store_step_done(s, st));
}

enum store_found
store_conv_snooze_due(struct store *s, int64_t now, int64_t *conv_id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id, contact_id FROM conversations "
	    "WHERE state = 'snoozed' AND snooze_until <= ? "
	    "ORDER BY snooze_until LIMIT 1");
	sqlite3_bind_int64(st, 1, now);
	return (store_row_int64(st, conv_id, contact_id));
}

int
store_conv_newer_inbound(struct store *s, int64_t conv_id,
    int64_t after_msg_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT 1 FROM messages WHERE conversation_id = ? "
	    "AND id > ? AND direction = 'in' LIMIT 1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, after_msg_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

enum store_found
store_conv_oldest_waiting(struct store *s, int64_t skip, int64_t *conv_id,
    int64_t *contact_id, char *team, size_t teamsz)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT id, contact_id, coalesce(team, '') "
	    "FROM conversations WHERE assignee_id IS NULL AND state = 'open' "
	    "ORDER BY CASE WHEN last_inbound_at > 0 THEN last_inbound_at "
	    "ELSE created END, id LIMIT 1 OFFSET ?");
	sqlite3_bind_int64(st, 1, skip);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*conv_id = sqlite3_column_int64(st, 0);
		*contact_id = sqlite3_column_int64(st, 1);
		snprintf(team, teamsz, "%s", store_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

/* --- labels --- */

/* Returns 1 if something changed, 0 if it was already so, -1 error. */
int
store_conv_label(struct store *s, int64_t conv_id, int64_t label_id,
    int add)
{
	sqlite3_stmt	*st;

	if (add)
		st = STMT("INSERT OR IGNORE INTO conversation_labels "
		    "(conversation_id, label_id) VALUES (?, ?)");
	else
		st = STMT("DELETE FROM conversation_labels "
		    "WHERE conversation_id = ? AND label_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, label_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0);
}

bool
store_conv_has_label(struct store *s, int64_t conv_id, const char *name)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT 1 FROM conversation_labels cl JOIN labels l "
	    "ON l.id = cl.label_id WHERE cl.conversation_id = ? "
	    "AND l.name = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW);
}

/* --- what a reply needs --- */

int64_t
store_conv_last_inbound(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = STMT("SELECT id FROM messages WHERE conversation_id = ? AND "
	    "direction = 'in' AND wamid_blind IS NOT NULL "
	    "ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_row_int64(st, &id, NULL);
	return (id);
}

int64_t
store_conv_last_unread_inbound(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = STMT("SELECT m.id FROM conversations c JOIN messages m ON "
	    "m.conversation_id = c.id AND m.direction = 'in' "
	    "WHERE c.id = ? AND c.unread > 0 AND m.wamid_blind IS NOT NULL "
	    "ORDER BY m.id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_row_int64(st, &id, NULL);
	return (id);
}

/* --- deleting --- */

/*
 * Deletes one conversation with everything hanging off it. Must run inside
 * a transaction; *nmsgs counts the messages removed.
 */
int
store_conv_delete(struct store *s, int64_t conv_id, json_t *media_ids,
    int64_t *nmsgs)
{
	sqlite3_stmt	*st;

	store_privacy_media_ids(s, conv_id, 0, media_ids);
	st = STMT("DELETE FROM outbox WHERE message_id IN "
	    "(SELECT id FROM messages WHERE conversation_id = ?)");
	sqlite3_bind_int64(st, 1, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM statuses WHERE wamid_blind IN "
	    "(SELECT wamid_blind FROM messages WHERE conversation_id = ? "
	    "AND wamid_blind IS NOT NULL)");
	sqlite3_bind_int64(st, 1, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM media WHERE message_id IN "
	    "(SELECT id FROM messages WHERE conversation_id = ?)");
	sqlite3_bind_int64(st, 1, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM notes WHERE conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	/* Drafts go with it: erasure and retention alike (store-draft.c). */
	if (store_draft_forget_conv(s, conv_id) != 0)
		return (-1);
	st = STMT("DELETE FROM messages WHERE conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (nmsgs != NULL)
		*nmsgs += sqlite3_changes(s->db);
	st = STMT("DELETE FROM conversations WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

/* --- operations (issue 14) --- */

/*
 * When the customer who has waited longest for an answer wrote (seconds;
 * 0: nobody waits), over the open conversations: the metrics' gauge.
 */
int64_t
store_conv_waiting_oldest(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 ts = 0;

	st = STMT("SELECT coalesce(min(waiting_since), 0) FROM conversations "
	    "WHERE state = 'open' AND waiting_since > 0");
	if (sqlite3_step(st) == SQLITE_ROW)
		ts = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (ts);
}

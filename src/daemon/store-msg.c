/*
 * Messages: inserted once (dedup on the wamid's blind index) with their body
 * sealed as a whole, amended (edits, revokes, reactions), given their wamid
 * when a send succeeds, and shown; statuses that came first are applied.
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2176
#include "store-int.h"
#include "wa-payload.h"

enum store_found
store_msg_where(struct store *s, int64_t msg_id, int64_t *conv_id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT conversation_id, contact_id FROM messages "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	return (store_row_int64(st, conv_id, contact_id));
}

static int
store_msg_apply_pending(struct store *s, int64_t msg_id,
    const uint8_t *blind)
{
	sqlite3_stmt	*st;

	/* Statuses that came before their message: the highest wins. */
	st = STMT("UPDATE messages SET (status, status_ts, error_code, "
	    "error_title) = (SELECT status, ts, error_code, error_title "
	    "FROM statuses WHERE wamid_blind = ?1 AND status <= 5 "
	    "ORDER BY status DESC LIMIT 1) WHERE id = ?2 AND EXISTS "
	    "(SELECT 1 FROM statuses WHERE wamid_blind = ?1 AND status <= 5 "
	    "AND status > messages.status)");
	sqlite3_bind_blob(st, 1, blind, CRYPT_BLINDBYTES, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, msg_id);
	return (store_step_done(s, st));
}

int
store_msg_insert(struct store *s, const struct store_msg_in *m, int64_t now,
    int64_t *msg_id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	char		*body;
	int64_t		 id;
	int		 rc;

	if ((key = store_dek(s, m->contact_id)) == NULL)
		return (-1);
	if (m->wamid != NULL) {
		store_blind(s, "wamid", m->wamid, bl);
		st = STMT("SELECT id FROM messages WHERE wamid_blind = ?");
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && msg_id != NULL)
			*msg_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			return (1);
		if (rc != SQLITE_DONE)
			return (-1);
	}
	st = STMT("INSERT INTO messages (conversation_id, contact_id, "
	    "wamid_blind, direction, type, supported, ts, received, status, "
	    "agent_id) VALUES (?,?,?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, m->conv_id);
	sqlite3_bind_int64(st, 2, m->contact_id);
	if (m->wamid != NULL)
		sqlite3_bind_blob(st, 3, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, m->outbound ? "out" : "in", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, m->supported);
	sqlite3_bind_int64(st, 7, m->ts);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int(st, 9, m->status);
	store_bind_id_or_null(st, 10, m->agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	id = sqlite3_last_insert_rowid(s->db);

	body = m->body != NULL ? json_dumps(m->body, JSON_COMPACT) : NULL;
	st = STMT("UPDATE messages SET wamid_enc = ?, body_enc = ? "
	    "WHERE id = ?");
	if (m->wamid != NULL)
		store_bind_sealed(s, st, 1, key, "messages", "wamid", id,
		    m->wamid, strlen(m->wamid));
	store_bind_sealed(s, st, 2, key, "messages", "body", id, body,
	    body != NULL ? strlen(body) : 0);
	sqlite3_bind_int64(st, 3, id);
	if (body != NULL)
		crypt_wipe_free(body, strlen(body));
	if (store_step_done(s, st) != 0)
		return (-1);
	if (m->wamid != NULL && store_msg_apply_pending(s, id, bl) != 0)
		return (-1);

	/*
	 * What the views sort and show, so no view reads the messages: also
	 * since when the customer waits (an answer of ours ends it; a
	 * reaction neither asks nor answers) and who wrote last.
	 */
	st = STMT("UPDATE conversations SET "
	    "last_msg_at = max(last_msg_at, ?2), last_msg_id = ?3, "
	    "last_inbound_at = CASE WHEN ?4 THEN max(last_inbound_at, ?2) "
	    "  ELSE last_inbound_at END, "
	    "unread = unread + ?4, preview_enc = ?5, "
	    "waiting_since = CASE WHEN ?6 THEN waiting_since "
	    "  WHEN NOT ?4 THEN 0 WHEN waiting_since = 0 THEN ?2 "
	    "  ELSE min(waiting_since, ?2) END, "
	    "last_direction = CASE WHEN ?4 THEN 'in' ELSE 'out' END, "
	    "last_agent_id = ?7 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, m->conv_id);
	sqlite3_bind_int64(st, 2, m->ts);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int(st, 4, m->outbound ? 0 : 1);
	store_bind_sealed(s, st, 5, key, "conversations", "preview",
	    m->conv_id, m->preview != NULL ? m->preview : "",
	    m->preview != NULL ? strlen(m->preview) : 0);
	sqlite3_bind_int(st, 6, m->type != NULL &&
	    strcmp(m->type, "reaction") == 0);
	store_bind_id_or_null(st, 7, m->agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_search_msg(s, id, m);	/* store-search.c */
	if (msg_id != NULL)
		*msg_id = id;
	return (0);
}

static int
store_msg_by_wamid(struct store *s, const char *wamid, int64_t *id,
    int64_t *contact_id, uint8_t *bl)
{
	sqlite3_stmt	*st;

	store_blind(s, "wamid", wamid, bl);
	st = STMT("SELECT id, contact_id FROM messages WHERE wamid_blind = ?");
	sqlite3_bind_blob(st, 1, bl, CRYPT_BLINDBYTES, SQLITE_TRANSIENT);
	return (store_row_int64(st, id, contact_id));
}

int
store_msg_amend(struct store *s, const char *target, const char *what,
    json_t *data, int64_t now)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 id, cid;
	char		*extra, *cur;
	json_t		*ex, *list;
	int		 rc;

	if ((rc = store_msg_by_wamid(s, target, &id, &cid, bl)) != 0)
		return (rc);	/* 1: unknown target, nothing to amend */
	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	st = STMT("SELECT extra_enc FROM messages WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	cur = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		cur = store_col_open(st, 0, key, "messages", "extra", id);
	sqlite3_reset(st);
	ex = cur != NULL ? json_loads(cur, 0, NULL) : NULL;
	if (cur != NULL)
		crypt_wipe_free(cur, strlen(cur));
	if (ex == NULL || !json_is_object(ex)) {
		json_decref(ex);
		ex = json_object();
	}
	/* Reactions keep the latest per direction; edits and revokes stack. */
	if (strcmp(what, "reaction") == 0)
		json_object_set(ex, "reaction", data);
	else {
		if ((list = json_object_get(ex, what)) == NULL) {
			list = json_array();
			json_object_set_new(ex, what, list);
		}
		json_array_append(list, data);
	}
	json_object_set_new(ex, "amended", json_integer(now));
	extra = json_dumps(ex, JSON_COMPACT);
	json_decref(ex);
	st = STMT("UPDATE messages SET extra_enc = ?, "
	    "edited = edited OR ?3, revoked = revoked OR ?4 WHERE id = ?2");
	store_bind_sealed(s, st, 1, key, "messages", "extra", id, extra,
	    strlen(extra));
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int(st, 3, strcmp(what, "edits") == 0);
	sqlite3_bind_int(st, 4, strcmp(what, "revokes") == 0);
	crypt_wipe_free(extra, strlen(extra));
	return (store_step_done(s, st));
}

json_t *
store_msg_row(struct store *s, sqlite3_stmt *st, const uint8_t *key)
{
	json_t	*o, *body;
	int64_t	 id;
	char	*text;

	id = sqlite3_column_int64(st, 0);
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "direction", json_string(store_col_text(st, 1)));
	json_object_set_new(o, "type", json_string(store_col_text(st, 2)));
	json_object_set_new(o, "supported",
	    json_boolean(sqlite3_column_int(st, 3)));
	json_object_set_new(o, "ts", json_integer(sqlite3_column_int64(st, 4)));
	json_object_set_new(o, "status", json_string(wa_payload_status_name(
	    (enum wa_status)sqlite3_column_int(st, 5))));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		json_object_set_new(o, "error_code",
		    json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(o, "error_title", json_string(
		    store_col_text(st, 7) != NULL ? store_col_text(st, 7) :
		    ""));
	}
	json_object_set_new(o, "edited", json_boolean(sqlite3_column_int(st,
	    8)));
	json_object_set_new(o, "revoked", json_boolean(sqlite3_column_int(st,
	    9)));
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		json_object_set_new(o, "agent", json_string(
		    store_col_text(st, 12)));
	text = store_col_open(st, 10, key, "messages", "body", id);
	body = text != NULL ? json_loads(text, 0, NULL) : NULL;
	if (text != NULL)
		crypt_wipe_free(text, strlen(text));
	/* The original object is for exports; views get the parsed fields. */
	if (body != NULL)
		json_object_del(body, "raw");
	/* The file as the daemon holds it (columns 13, 14): its size, and
	 * whether it is fetched yet (queued, done, failed). */
	if (body != NULL && json_is_object(json_object_get(body, "media")) &&
	    sqlite3_column_count(st) > 14) {
		if (sqlite3_column_type(st, 13) != SQLITE_NULL)
			json_object_set_new(json_object_get(body, "media"),
			    "size", json_integer(sqlite3_column_int64(st, 13)));
		if (sqlite3_column_type(st, 14) != SQLITE_NULL)
			json_object_set_new(json_object_get(body, "media"),
			    "state", json_string(store_col_text(st, 14)));
	}
	json_object_set_new(o, "body", body != NULL ? body : json_null());
	text = store_col_open(st, 11, key, "messages", "extra", id);
	if (text != NULL) {
		body = json_loads(text, 0, NULL);
		crypt_wipe_free(text, strlen(text));
		if (body != NULL)
			json_object_set_new(o, "amendments", body);
	}
	/* A reply in its undo window (outbox.cancel), in seconds (15). */
	if (sqlite3_column_count(st) > 15 && sqlite3_column_int64(st, 15) > 0)
		json_object_set_new(o, "held_until", json_integer(
		    (sqlite3_column_int64(st, 15) + 999) / 1000));
	if (key == NULL)
		json_object_set_new(o, "unreadable", json_true());
	(void)s;
	return (o);
}

enum store_found
store_msg_ref(struct store *s, int64_t msg_id, int64_t *conv_id,
    int64_t *contact_id, int *outbound, char **wamid)
{
	sqlite3_stmt	*st;
	int		 rc;

	*wamid = NULL;
	st = STMT("SELECT conversation_id, contact_id, direction, wamid_enc "
	    "FROM messages WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*conv_id = sqlite3_column_int64(st, 0);
		*contact_id = sqlite3_column_int64(st, 1);
		*outbound = strcmp(store_col_text(st, 2), "out") == 0;
		*wamid = store_col_open(st, 3, store_dek(s, *contact_id),
		    "messages", "wamid", msg_id);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_msg_set_wamid(struct store *s, int64_t msg_id, int64_t contact_id,
    const char *wamid)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	store_blind(s, "wamid", wamid, bl);
	st = STMT("UPDATE messages SET wamid_blind = ?, wamid_enc = ? "
	    "WHERE id = ? AND wamid_blind IS NULL");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	store_bind_sealed(s, st, 2, key, "messages", "wamid", msg_id, wamid,
	    strlen(wamid));
	sqlite3_bind_int64(st, 3, msg_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0)
		return (1);
	return (store_msg_apply_pending(s, msg_id, bl));
}

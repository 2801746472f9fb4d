/*
 * The store's part of data-subject access: everything held about one
 * contact, a page at a time (export); the media ids that erasure and
 * retention must unlink; and the write-ahead-log truncation that makes a
 * shredded key go from the files too. The rows themselves are the nouns'
 * (store-contact.c, store-conv.c, store-consent.c, store-erasure.c,
 * store-retention.c).
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	512
#include "store-int.h"
#include "wa-payload.h"

/* Sets key to the opened column as a string, or null. */
void
store_privacy_set_open(json_t *o, const char *key, sqlite3_stmt *st, int col,
    const uint8_t *dek, const char *table, const char *column, int64_t row)
{
	char	*v;

	v = store_col_open(st, col, dek, table, column, row);
	json_object_set_new(o, key, v != NULL ? json_string(v) : json_null());
	if (v != NULL)
		crypt_wipe_free(v, strlen(v));
}

json_t *
store_privacy_export(struct store *s, int64_t cid, int64_t after,
    int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*res, *arr, *o, *body;
	const uint8_t	*key;
	int64_t		 id, n = 0, last = after;
	char		*text;

	key = store_dek(s, cid);
	res = json_object();
	if (after == 0) {
		if ((o = store_contact_detail(s, cid, 1)) == NULL) {
			json_decref(res);
			return (NULL);
		}
		/* Art. 15: the attributes the team recorded too (issue 15). */
		json_object_set_new(o, "attributes",
		    store_attribute_values(s, cid));
		json_object_set_new(res, "contact", o);

		st = STMT("SELECT n.id, n.conversation_id, a.name, n.created, "
		    "n.body_enc FROM notes n LEFT JOIN agents a ON "
		    "a.id = n.agent_id WHERE n.contact_id = ? ORDER BY n.id");
		sqlite3_bind_int64(st, 1, cid);
		arr = json_array();
		while (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			o = json_pack("{sI sI ss* sI}", "id", (json_int_t)id,
			    "conversation", (json_int_t)sqlite3_column_int64(st,
			    1), "agent", store_col_text(st, 2), "created",
			    (json_int_t)sqlite3_column_int64(st, 3));
			store_privacy_set_open(o, "body", st, 4, key, "notes",
			    "body", id);
			json_array_append_new(arr, o);
		}
		sqlite3_reset(st);
		json_object_set_new(res, "notes", arr);

		st = STMT("SELECT id, message_id, direction, state, mime, "
		    "size, meta_id_enc, created FROM media WHERE "
		    "contact_id = ? ORDER BY id");
		sqlite3_bind_int64(st, 1, cid);
		arr = json_array();
		while (sqlite3_step(st) == SQLITE_ROW) {
			id = sqlite3_column_int64(st, 0);
			o = json_pack("{sI so ss ss ss* so sI}", "id",
			    (json_int_t)id, "message",
			    sqlite3_column_type(st, 1) == SQLITE_NULL ?
			    json_null() : json_integer(sqlite3_column_int64(st,
			    1)), "direction", store_col_text(st, 2), "state",
			    store_col_text(st, 3), "mime", store_col_text(st, 4),
			    "size", sqlite3_column_type(st, 5) == SQLITE_NULL ?
			    json_null() : json_integer(sqlite3_column_int64(st,
			    5)), "created", (json_int_t)sqlite3_column_int64(st,
			    7));
			store_privacy_set_open(o, "meta_id", st, 6, key,
			    "media", "meta_id", id);
			json_object_set_new(o, "blob", json_sprintf("blobs/%lld",
			    (long long)id));
			json_array_append_new(arr, o);
		}
		sqlite3_reset(st);
		json_object_set_new(res, "media", arr);
		json_object_set_new(res, "consent", store_consent_history(s,
		    cid));
	}

	st = STMT("SELECT m.id, m.conversation_id, m.direction, m.type, "
	    "m.supported, m.ts, m.received, m.status, m.error_code, "
	    "m.error_title, m.edited, m.revoked, a.name, m.wamid_enc, "
	    "m.body_enc, m.extra_enc FROM messages m LEFT JOIN agents a ON "
	    "a.id = m.agent_id WHERE m.contact_id = ?1 AND m.id > ?2 "
	    "ORDER BY m.id LIMIT ?3");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, limit + 1);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (++n > limit)
			break;
		id = sqlite3_column_int64(st, 0);
		last = id;
		o = json_pack("{sI sI ss ss sb sI sI ss}", "id", (json_int_t)id,
		    "conversation", (json_int_t)sqlite3_column_int64(st, 1),
		    "direction", store_col_text(st, 2),
		    "type", store_col_text(st, 3),
		    "supported", sqlite3_column_int(st, 4),
		    "ts", (json_int_t)sqlite3_column_int64(st, 5),
		    "received", (json_int_t)sqlite3_column_int64(st, 6),
		    "status", wa_payload_status_name((enum wa_status)
		    sqlite3_column_int(st, 7)));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL)
			json_object_set_new(o, "error_code", json_integer(
			    sqlite3_column_int64(st, 8)));
		if (sqlite3_column_type(st, 9) != SQLITE_NULL)
			json_object_set_new(o, "error_title", json_string(
			    store_col_text(st, 9)));
		json_object_set_new(o, "edited",
		    json_boolean(sqlite3_column_int(st, 10)));
		json_object_set_new(o, "revoked",
		    json_boolean(sqlite3_column_int(st, 11)));
		if (sqlite3_column_type(st, 12) != SQLITE_NULL)
			json_object_set_new(o, "agent", json_string(
			    store_col_text(st, 12)));
		store_privacy_set_open(o, "wamid", st, 13, key, "messages",
		    "wamid", id);
		/* The whole sealed body, "raw" (Meta's object) included. */
		text = store_col_open(st, 14, key, "messages", "body", id);
		body = text != NULL ? json_loads(text, 0, NULL) : NULL;
		if (text != NULL)
			crypt_wipe_free(text, strlen(text));
		json_object_set_new(o, "body", body != NULL ? body :
		    json_null());
		text = store_col_open(st, 15, key, "messages", "extra", id);
		if (text != NULL) {
			body = json_loads(text, 0, NULL);
			crypt_wipe_free(text, strlen(text));
			if (body != NULL)
				json_object_set_new(o, "amendments", body);
		}
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	json_object_set_new(res, "messages", arr);
	json_object_set_new(res, "more", json_boolean(n > limit));
	json_object_set_new(res, "next", json_integer(last));
	if (key == NULL)
		json_object_set_new(res, "unreadable", json_true());
	return (res);
}

/* Media ids of a conversation (or of a contact), for unlinking blobs. */
void
store_privacy_media_ids(struct store *s, int64_t conv_id, int64_t cid,
    json_t *out)
{
	sqlite3_stmt	*st;

	if (out == NULL)
		return;
	if (conv_id != 0) {
		st = STMT("SELECT id FROM media WHERE message_id IN "
		    "(SELECT id FROM messages WHERE conversation_id = ?)");
		sqlite3_bind_int64(st, 1, conv_id);
	} else {
		st = STMT("SELECT id FROM media WHERE contact_id = ?");
		sqlite3_bind_int64(st, 1, cid);
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(out, json_integer(
		    sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
}

/* Runs a pragma that returns rows (wal_checkpoint) to completion. */
static int
store_privacy_pragma(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int		 rc, busy = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return (-1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* wal_checkpoint: (busy, log frames, checkpointed) */
		if (sqlite3_column_count(st) == 3 &&
		    sqlite3_column_int(st, 0) != 0)
			busy = 1;
	}
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE && !busy ? 0 : -1);
}

int
store_shred_checkpoint(struct store *s)
{
	int	r = 0;

	if (store_privacy_pragma(s->db, "PRAGMA wal_checkpoint(TRUNCATE)") != 0)
		r = -1;
	if (store_privacy_pragma(s->ks, "PRAGMA wal_checkpoint(TRUNCATE)") != 0)
		r = -1;
	return (r);
}

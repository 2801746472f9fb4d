/*
 * The store's part of data-subject rights and retention: one contact's
 * details and everything held about it (export), erasure by deleting rows
 * and the contact's data key (crypto-shredding), restriction and legal
 * holds, the consent ledger, age-based purges and online backups.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	512
#include "store-int.h"
#include "wa.h"
#include "xmalloc.h"

/* --- contacts --- */

int
store_contact_flags(struct store *s, int64_t cid, int *restricted,
    int *hold)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT restricted, legal_hold FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (restricted != NULL)
			*restricted = sqlite3_column_int(st, 0);
		if (hold != NULL)
			*hold = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

int
store_contact_set_flag(struct store *s, int64_t cid, const char *flag,
    int on)
{
	sqlite3_stmt	*st;

	if (strcmp(flag, "restricted") == 0)
		st = STMT("UPDATE contacts SET restricted = ?, updated = ? "
		    "WHERE id = ?");
	else if (strcmp(flag, "legal_hold") == 0)
		st = STMT("UPDATE contacts SET legal_hold = ?, updated = ? "
		    "WHERE id = ?");
	else
		return (-1);
	sqlite3_bind_int(st, 1, on ? 1 : 0);
	sqlite3_bind_int64(st, 2, store_now_s());
	sqlite3_bind_int64(st, 3, cid);
	return (store_step_done(s, st));
}

/* Sets key to the opened column as a string, or null. */
static void
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
store_contact_detail(struct store *s, int64_t cid, int reveal)
{
	sqlite3_stmt	*st;
	json_t		*o, *convs;
	const uint8_t	*key;
	char		*wa, *mask;

	st = STMT("SELECT name_enc, wa_id_enc, user_id_enc, username_enc, "
	    "restricted, legal_hold, created, updated FROM contacts "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (NULL);
	}
	key = store_dek(s, cid);
	o = json_object();
	json_object_set_new(o, "contact_id", json_integer(cid));
	store_privacy_set_open(o, "name", st, 0, key, "contacts", "name", cid);
	wa = store_col_open(st, 1, key, "contacts", "wa_id", cid);
	if (wa == NULL)
		json_object_set_new(o, "phone", json_null());
	else if (reveal) {
		json_object_set_new(o, "phone", json_sprintf("+%s", wa));
		crypt_wipe_free(wa, strlen(wa));
	} else {
		mask = store_mask_phone(wa);
		json_object_set_new(o, "phone_masked", json_string(mask));
		free(mask);
		crypt_wipe_free(wa, strlen(wa));
	}
	if (reveal)
		store_privacy_set_open(o, "user_id", st, 2, key, "contacts",
		    "user_id", cid);
	else
		json_object_set_new(o, "has_bsuid", json_boolean(
		    sqlite3_column_type(st, 2) == SQLITE_BLOB));
	store_privacy_set_open(o, "username", st, 3, key, "contacts",
	    "username", cid);
	json_object_set_new(o, "restricted",
	    json_boolean(sqlite3_column_int(st, 4)));
	json_object_set_new(o, "legal_hold",
	    json_boolean(sqlite3_column_int(st, 5)));
	json_object_set_new(o, "created",
	    json_integer(sqlite3_column_int64(st, 6)));
	json_object_set_new(o, "updated",
	    json_integer(sqlite3_column_int64(st, 7)));
	if (key == NULL)
		json_object_set_new(o, "unreadable", json_true());
	sqlite3_reset(st);

	st = STMT("SELECT id, state, created, resolved_at, last_msg_at "
	    "FROM conversations WHERE contact_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, cid);
	convs = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(convs, json_pack("{sI ss sI so sI}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "state", store_col_text(st, 1),
		    "created", (json_int_t)sqlite3_column_int64(st, 2),
		    "resolved_at", sqlite3_column_type(st, 3) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 3)),
		    "last_msg_at", (json_int_t)sqlite3_column_int64(st, 4)));
	}
	sqlite3_reset(st);
	json_object_set_new(o, "conversations", convs);
	return (o);
}

/* 1 if agent_id holds a conversation of the contact or one is unassigned. */
int
store_contact_is_open_to(struct store *s, int64_t cid, int64_t agent_id)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	st = STMT("SELECT count(*) FROM conversations WHERE contact_id = ?1 "
	    "AND (assignee_id = ?2 OR assignee_id IS NULL)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, agent_id);
	n = store_count(st);
	return (n > 0);
}

/* --- export --- */

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
		    "status", wa_status_name((enum wa_status)
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

/* --- deleting --- */

/* Media ids of a conversation (or of a contact), for unlinking blobs. */
static void
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

/*
 * Raw webhook bodies are sealed with the raw-event key, not the contact's,
 * so shredding does not reach them: every body that names the contact's
 * number or BSUID (as a JSON string, quoted, so one number inside another
 * does not match) goes, whatever its state and whether or not ingest could
 * link it (statuses, identity changes, quarantined bodies).
 */
static int
store_raw_forget(struct store *s, int64_t cid, int64_t *deleted)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	char		*ids[2] = { NULL, NULL }, *q[2] = { NULL, NULL };
	char		*body;
	size_t		 len, i, nids = 0;
	int64_t		*doomed = NULL, ndoomed = 0, id;
	int		 rc = 0, k;

	*deleted = 0;
	if ((key = store_dek(s, cid)) == NULL)
		return (0);	/* already shredded: nothing readable left */
	st = STMT("SELECT wa_id_enc, user_id_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ids[0] = store_col_open(st, 0, key, "contacts", "wa_id", cid);
		ids[1] = store_col_open(st, 1, key, "contacts", "user_id", cid);
	}
	sqlite3_reset(st);
	for (k = 0; k < 2; k++) {
		if (ids[k] != NULL && ids[k][0] != '\0')
			q[nids++] = xasprintf("\"%s\"", ids[k]);
	}
	if (nids == 0)
		goto out;
	st = STMT("SELECT id, body_enc FROM raw_events ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_type(st, 1) != SQLITE_BLOB ||
		    crypt_unseal(crypt_subkey(s->crypt, CRYPT_RAWEVENT),
		    "raw_events", "body", id, sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), &body, &len) != 0)
			continue;
		for (i = 0; i < nids; i++) {
			if (memmem(body, len, q[i], strlen(q[i])) != NULL) {
				doomed = xrealloc(doomed, (size_t)(ndoomed + 1) *
				    sizeof *doomed);
				doomed[ndoomed++] = id;
				break;
			}
		}
		crypt_wipe_free(body, len);
	}
	sqlite3_reset(st);
	for (i = 0; i < (size_t)ndoomed && rc == 0; i++) {
		st = STMT("DELETE FROM raw_events WHERE id = ?");
		sqlite3_bind_int64(st, 1, doomed[i]);
		rc = store_step_done(s, st);
		*deleted += sqlite3_changes(s->db);
	}
out:
	for (k = 0; k < 2; k++) {
		if (ids[k] != NULL)
			crypt_wipe_free(ids[k], strlen(ids[k]));
		if (q[k] != NULL)
			crypt_wipe_free(q[k], strlen(q[k]));
	}
	free(doomed);
	return (rc);
}

/*
 * Deletes every row of the contact in the main database and writes the
 * pseudonymous ledger entry, inside the caller's transaction. The data key
 * goes separately (store_contact_shred) once this has committed.
 */
int
store_contact_erase(struct store *s, int64_t cid, int64_t agent_id,
    int64_t now, json_t *media_ids, json_t *counts)
{
	sqlite3_stmt	*st;
	int64_t		 conv, nconv = 0, nmsg = 0, nraw, nmore;
	json_t		*convs;
	size_t		 i;

	convs = json_array();
	st = STMT("SELECT id FROM conversations WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(convs, json_integer(
		    sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	for (i = 0; i < json_array_size(convs); i++) {
		conv = json_integer_value(json_array_get(convs, i));
		if (store_conv_delete(s, conv, media_ids, &nmsg) != 0) {
			json_decref(convs);
			return (-1);
		}
		nconv++;
	}
	json_decref(convs);
	/* What is left outside its conversations (outbound media, ...). */
	store_privacy_media_ids(s, 0, cid, media_ids);
	st = STMT("DELETE FROM media WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM notes WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM consent WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	/* Raw webhook bodies that named the contact go whole. */
	st = STMT("DELETE FROM raw_events WHERE id IN (SELECT raw_id FROM "
	    "raw_event_contacts WHERE contact_id = ?)");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	nraw = sqlite3_changes(s->db);
	if (store_raw_forget(s, cid, &nmore) != 0)
		return (-1);
	nraw += nmore;
	st = STMT("DELETE FROM raw_event_contacts WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("INSERT INTO erasure_ledger (contact_id, erased_at, "
	    "agent_id) VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, now);
	store_bind_id_or_null(st, 3, agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (counts != NULL) {
		json_object_set_new(counts, "conversations",
		    json_integer(nconv));
		json_object_set_new(counts, "messages", json_integer(nmsg));
		json_object_set_new(counts, "raw_events", json_integer(nraw));
	}
	return (0);
}

/* Links the ledger entry of cid to the audit record that erased it. */
int
store_erasure_set_seq(struct store *s, int64_t cid, int64_t seq)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE erasure_ledger SET audit_seq = ?1 WHERE id = "
	    "(SELECT max(id) FROM erasure_ledger WHERE contact_id = ?2)");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, cid);
	return (store_step_done(s, st));
}

void
store_dek_forget(struct store *s)
{
	/* Drops the whole cache: keys are unwrapped again on use. */
	if (s->deks != NULL)
		sodium_memzero(s->deks, s->deks_cap * sizeof *s->deks);
	s->ndeks = 0;
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

/*
 * Destroys the contact's data key in the key store (secure_delete is on,
 * then both write-ahead logs are truncated so the wrapped key does not
 * linger there either). Returns 0, or -1.
 */
int
store_contact_shred(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = KSTMT("DELETE FROM contact_keys WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_dek_forget(s);
	store_search_forget_contact(s, cid);
	return (0);
}

int
store_contact_has_key(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = KSTMT("SELECT count(*) FROM contact_keys WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	return (store_count(st) > 0);
}

json_t *
store_erasure_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT contact_id, max(erased_at) FROM erasure_ledger "
	    "GROUP BY contact_id ORDER BY contact_id");
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI sI}", "contact_id",
		    (json_int_t)sqlite3_column_int64(st, 0), "erased_at",
		    (json_int_t)sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return (arr);
}

/*
 * Contacts whose rows outlived their key: the main database is older than
 * the key store (restored from a backup taken before an erasure).
 */
json_t *
store_contacts_without_key(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	int64_t		 cid;

	st = STMT("SELECT id FROM contacts ORDER BY id");
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		cid = sqlite3_column_int64(st, 0);
		if (!store_contact_has_key(s, cid))
			json_array_append_new(arr, json_integer(cid));
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_contact_exists(struct store *s, int64_t cid)
{
	return (store_contact_flags(s, cid, NULL, NULL) == 0);
}

/* --- consent --- */

int
store_consent_current(struct store *s, int64_t contact_id,
    const char *purpose)
{
	sqlite3_stmt	*st;
	int		 rc, v = 0;

	st = STMT("SELECT opt_in FROM consent WHERE contact_id = ? AND "
	    "purpose = ? ORDER BY ts DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, purpose, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(st, 0) ? 1 : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	return (v);
}

json_t *
store_consent_history(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	json_t		*arr, *o;

	st = STMT("SELECT id, purpose, opt_in, ts, source, evidence_msg_id, "
	    "text_version FROM consent WHERE contact_id = ? ORDER BY ts, id");
	sqlite3_bind_int64(st, 1, contact_id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		o = json_pack("{sI ss sb sI ss}", "id",
		    (json_int_t)sqlite3_column_int64(st, 0), "purpose",
		    store_col_text(st, 1), "opt_in", sqlite3_column_int(st, 2),
		    "ts", (json_int_t)sqlite3_column_int64(st, 3), "source",
		    store_col_text(st, 4));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			json_object_set_new(o, "evidence_message",
			    json_integer(sqlite3_column_int64(st, 5)));
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			json_object_set_new(o, "text_version",
			    json_string(store_col_text(st, 6)));
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return (arr);
}

/* --- retention --- */

/*
 * Raw webhook bodies received before `before` (seconds), except those that
 * name a contact under legal hold. Counts them, and deletes them unless dry.
 */
int
store_retention_raw(struct store *s, int64_t before, int dry, int64_t *n)
{
	sqlite3_stmt	*st;

	if (dry) {
		st = STMT("SELECT count(*) FROM raw_events WHERE received < ?1 "
		    "AND id NOT IN (SELECT r.raw_id FROM raw_event_contacts r "
		    "JOIN contacts k ON k.id = r.contact_id WHERE "
		    "k.legal_hold = 1)");
		sqlite3_bind_int64(st, 1, before);
		*n = store_count(st);
		return (*n < 0 ? -1 : 0);
	}
	st = STMT("DELETE FROM raw_events WHERE received < ?1 "
	    "AND id NOT IN (SELECT r.raw_id FROM raw_event_contacts r "
	    "JOIN contacts k ON k.id = r.contact_id WHERE k.legal_hold = 1)");
	sqlite3_bind_int64(st, 1, before);
	if (store_step_done(s, st) != 0)
		return (-1);
	*n = sqlite3_changes(s->db);
	return (0);
}

/*
 * Conversations resolved before `before` whose contact is not on hold, as
 * [[conv, contact], ...] (oldest first, at most limit).
 */
json_t *
store_retention_resolved(struct store *s, int64_t before, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT c.id, c.contact_id FROM conversations c JOIN "
	    "contacts k ON k.id = c.contact_id WHERE c.state = 'resolved' "
	    "AND c.resolved_at IS NOT NULL AND c.resolved_at < ?1 AND "
	    "k.legal_hold = 0 ORDER BY c.resolved_at, c.id LIMIT ?2");
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, limit);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("[II]",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    (json_int_t)sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return (arr);
}

int64_t
store_contact_conv_count(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(*) FROM conversations WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	return (store_count(st));
}

/* Stored media files created before `before`, not on hold: their ids. */
json_t *
store_retention_media(struct store *s, int64_t before, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT m.id FROM media m JOIN contacts k ON "
	    "k.id = m.contact_id WHERE m.state = 'done' AND m.created < ?1 "
	    "AND k.legal_hold = 0 ORDER BY m.id LIMIT ?2");
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, limit);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_integer(
		    sqlite3_column_int64(st, 0)));
	sqlite3_reset(st);
	return (arr);
}

/* The file is gone; the row stays (the message still names it). */
int
store_media_expire(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE media SET state = 'failed', error = 'expired', "
	    "updated = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

/* --- backup --- */

static int
store_backup_one(const char *src, const char *dst, char **cause)
{
	sqlite3		*in = NULL, *out = NULL;
	sqlite3_backup	*b;
	int		 rc = -1;
	mode_t		 old;

	if (sqlite3_open_v2(src, &in, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot open '%s': %s", src, in != NULL ?
		    sqlite3_errmsg(in) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(in, 5000);
	unlink(dst);
	old = umask(077);
	rc = sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot create '%s': %s", dst, out != NULL ?
		    sqlite3_errmsg(out) : "out of memory");
		rc = -1;
		goto out;
	}
	rc = -1;
	/* One step: a single consistent snapshot of the source. */
	if ((b = sqlite3_backup_init(out, "main", in, "main")) == NULL) {
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	if (sqlite3_backup_step(b, -1) != SQLITE_DONE) {
		sqlite3_backup_finish(b);
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK) {
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(in);
	sqlite3_close(out);
	return (rc);
}

/*
 * A directory of the backup: made 0700, or an existing one that is a real
 * directory (not a link to somewhere else) of ours that nobody else can
 * write to, where a planted file or link could redirect what we write.
 */
static int
store_backup_mkdir(const char *path, char **cause)
{
	struct stat	sb;

	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (lstat(path, &sb) != 0) {
		*cause = xasprintf("cannot use '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("'%s' is not a directory (a symbolic link "
		    "is refused); give a new directory", path);
		return (-1);
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 022) != 0) {
		*cause = xasprintf("'%s' must be ours and writable by us "
		    "alone (chmod go-w '%s')", path, path);
		return (-1);
	}
	return (0);
}

/* Writes the README new beside it and renames it into place. */
static int
store_backup_readme(const char *out, char **cause)
{
	char	*dst, *tmp;
	FILE	*f;
	int	 fd, rc = -1;

	dst = xasprintf("%s/README", out);
	tmp = xasprintf("%s/.README.new", out);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot create '%s': %s", tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	fprintf(f, "support-inbox backup\n\n"
	    "db/%s    messages, contacts, audit log (fields sealed)\n"
	    "keys/%s         per-contact data keys, wrapped by the "
	    "master key\n\n"
	    "Store keys/ apart from db/ and keep it for a short time "
	    "(e.g. 30 days):\nonce the key-store copy that still held "
	    "an erased contact's key expires,\nthat contact's data in "
	    "every database copy is unreadable.\n"
	    "The master key file is not included; back it up "
	    "separately.\nMedia files (data_dir/blobs) are not "
	    "included.\nAfter a restore, run: support-inbox privacy "
	    "replay-erasures\n", STORE_DB_NAME, STORE_KS_NAME);
	if (fclose(f) != 0 || rename(tmp, dst) != 0) {
		*cause = xasprintf("cannot write '%s': %s", dst,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(dst);
	free(tmp);
	return (rc);
}

int
store_backup(const char *data_dir, const char *out, char **cause)
{
	char	*src = NULL, *dst = NULL, *dir = NULL;
	int	 rc = -1;

	if (store_backup_mkdir(out, cause) != 0)
		return (-1);
	dir = xasprintf("%s/db", out);
	if (store_backup_mkdir(dir, cause) != 0)
		goto out;
	free(dir);
	dir = xasprintf("%s/keys", out);
	if (store_backup_mkdir(dir, cause) != 0)
		goto out;
	src = xasprintf("%s/%s", data_dir, STORE_DB_NAME);
	dst = xasprintf("%s/db/%s", out, STORE_DB_NAME);
	if (store_backup_one(src, dst, cause) != 0)
		goto out;
	free(src);
	free(dst);
	src = xasprintf("%s/%s", data_dir, STORE_KS_NAME);
	dst = xasprintf("%s/keys/%s", out, STORE_KS_NAME);
	if (store_backup_one(src, dst, cause) != 0)
		goto out;
	if (store_backup_readme(out, cause) != 0)
		goto out;
	rc = 0;
out:
	free(src);
	free(dst);
	free(dir);
	return (rc);
}

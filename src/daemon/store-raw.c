/*
 * Raw webhook bodies, sealed with the raw-event subkey: stored as received
 * (or quarantined), replayed, linked to the contacts they name, and found
 * by content when a contact is erased.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2432
#include "store-int.h"
#include "xmalloc.h"

int
store_raw_insert(struct store *s, const char *body, size_t len,
    int quarantined, const char *cause, int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;
	int64_t		 rid;

	st = STMT("INSERT INTO raw_events (received, state, cause, body_enc) "
	    "VALUES (?, ?, ?, x'')");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, quarantined ? "quarantined" : "ok", -1,
	    SQLITE_STATIC);
	store_bind_text_or_null(st, 3, cause);
	if (store_step_done(s, st) != 0)
		return (-1);
	rid = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE raw_events SET body_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, crypt_subkey(s->crypt, CRYPT_RAWEVENT),
	    "raw_events", "body", rid, body, len);
	sqlite3_bind_int64(st, 2, rid);
	if (store_step_done(s, st) != 0)
		return (-1);
	*id = rid;
	return (0);
}

int
store_raw_quarantined(struct store *s, int (*fn)(int64_t, const char *,
    size_t, void *), void *arg)
{
	sqlite3_stmt	*st;
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	char		*body;
	size_t		 len;
	int		 rc = 0;

	st = STMT("SELECT id FROM raw_events WHERE state = 'quarantined' "
	    "ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; i < n && rc >= 0; i++) {
		st = STMT("SELECT body_enc FROM raw_events WHERE id = ?");
		sqlite3_bind_int64(st, 1, ids[i]);
		body = NULL;
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) == SQLITE_BLOB &&
		    crypt_unseal(crypt_subkey(s->crypt, CRYPT_RAWEVENT),
		    "raw_events", "body", ids[i], sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), &body, &len) != 0)
			body = NULL;
		sqlite3_reset(st);
		if (body == NULL)
			continue;
		rc = fn(ids[i], body, len, arg);
		crypt_wipe_free(body, len);
	}
	free(ids);
	return (rc < 0 ? -1 : 0);
}

int
store_raw_mark(struct store *s, int64_t id, const char *state)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE raw_events SET state = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

int
store_raw_link_contact(struct store *s, int64_t raw_id, int64_t contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR IGNORE INTO raw_event_contacts "
	    "(raw_id, contact_id) VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, raw_id);
	sqlite3_bind_int64(st, 2, contact_id);
	return (store_step_done(s, st));
}

/*
 * Raw webhook bodies are sealed with the raw-event key, not the contact's,
 * so shredding does not reach them: every body that names the contact's
 * number or BSUID (as a JSON string, quoted, so one number inside another
 * does not match) goes, whatever its state and whether or not ingest could
 * link it (statuses, identity changes, quarantined bodies).
 */
int
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

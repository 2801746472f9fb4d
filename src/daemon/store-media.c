/*
 * Media rows (downloads of inbound media, uploads of outbound) and the
 * sealing of media files with the contact's data key (AD: media, blob, id).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2048
#include "store-int.h"

int
store_media_add(struct store *s, int64_t msg_id, int64_t contact_id,
    const char *direction, const char *state, const char *mime,
    int64_t size, const char *meta_id, int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	st = STMT("INSERT INTO media (message_id, contact_id, direction, "
	    "state, mime, size, created, updated) VALUES (?,?,?,?,?,?,?7,?7)");
	store_bind_id_or_null(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, contact_id);
	sqlite3_bind_text(st, 3, direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	store_bind_text_or_null(st, 5, mime);
	if (size >= 0)
		sqlite3_bind_int64(st, 6, size);
	sqlite3_bind_int64(st, 7, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(s->db);
	if (meta_id == NULL)
		return (0);
	st = STMT("UPDATE media SET meta_id_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "media", "meta_id", *id, meta_id,
	    strlen(meta_id));
	sqlite3_bind_int64(st, 2, *id);
	return (store_step_done(s, st));
}

int
store_media_set(struct store *s, int64_t id, const char *state,
    int64_t attempts, int64_t next_attempt, const char *mime, int64_t size,
    const char *error, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE media SET state = ?2, attempts = ?3, "
	    "next_attempt = ?4, mime = coalesce(?5, mime), "
	    "size = coalesce(?6, size), error = ?7, updated = ?8 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, attempts);
	sqlite3_bind_int64(st, 4, next_attempt);
	store_bind_text_or_null(st, 5, mime);
	if (size >= 0)
		sqlite3_bind_int64(st, 6, size);
	store_bind_text_or_null(st, 7, error);
	sqlite3_bind_int64(st, 8, now);
	return (store_step_done(s, st));
}

static void
store_media_fill(struct store *s, sqlite3_stmt *st, struct store_media_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->message_id = sqlite3_column_int64(st, 1);
	r->contact_id = sqlite3_column_int64(st, 2);
	snprintf(r->direction, sizeof r->direction, "%s",
	    store_col_text(st, 3));
	snprintf(r->state, sizeof r->state, "%s", store_col_text(st, 4));
	r->attempts = sqlite3_column_int64(st, 5);
	r->next_attempt = sqlite3_column_int64(st, 6);
	if (store_col_text(st, 7) != NULL)
		snprintf(r->mime, sizeof r->mime, "%s", store_col_text(st, 7));
	r->size = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 8);
	r->meta_id = store_col_open(st, 9, store_dek(s, r->contact_id),
	    "media", "meta_id", r->id);
}

#define MEDIA_COLS \
	"id, message_id, contact_id, direction, state, attempts, " \
	"next_attempt, mime, size, meta_id_enc FROM media "

enum store_found
store_media_get(struct store *s, int64_t id, struct store_media_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " MEDIA_COLS "WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_media_fill(s, st, r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

/* The next queued inbound download due at now, or 1 if none. */
enum store_found
store_media_due(struct store *s, int64_t now, int64_t after_id,
    struct store_media_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " MEDIA_COLS "WHERE state = 'queued' AND "
	    "direction = 'in' AND next_attempt <= ? AND id > ? "
	    "ORDER BY id LIMIT 1");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, after_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_media_fill(s, st, r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_media_by_msg(struct store *s, int64_t msg_id, struct store_media_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " MEDIA_COLS "WHERE message_id = ? ORDER BY id "
	    "LIMIT 1");
	sqlite3_bind_int64(st, 1, msg_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_media_fill(s, st, r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

void
store_media_row_clear(struct store_media_row *r)
{
	free(r->meta_id);
	r->meta_id = NULL;
}

int
store_media_seal(struct store *s, int64_t contact_id, int64_t id,
    const void *data, size_t len, uint8_t **out, size_t *outlen)
{
	const uint8_t	*key;

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	crypt_seal(key, 1, "media", "blob", id, data, len, out, outlen);
	return (0);
}

int
store_media_open(struct store *s, int64_t contact_id, int64_t id,
    const uint8_t *ct, size_t ctlen, char **out, size_t *outlen)
{
	const uint8_t	*key;

	int64_t		 merged[64];
	size_t		 n, i;

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	if (crypt_unseal(key, "media", "blob", id, ct, ctlen, out,
	    outlen) == 0)
		return (0);
	/* A file of a contact merged into this one keeps that one's key. */
	store_contact_merged_keys(s, contact_id, merged, 64, &n);
	for (i = 0; i < n; i++) {
		if ((key = store_dek(s, merged[i])) != NULL &&
		    crypt_unseal(key, "media", "blob", id, ct, ctlen, out,
		    outlen) == 0)
			return (0);
	}
	return (-1);
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

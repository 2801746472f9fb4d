/*
 * The store's part of sending: outbox rows, what a reply needs to know about
 * its conversation, templates synced from the WABA, and media rows. Request
 * bodies hold the recipient's number, so they are sealed with the contact's
 * data key like every other personal field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	128
#include "store-int.h"
#include "wa.h"
#include "xmalloc.h"

/* --- what a reply needs --- */

int
store_send_info(struct store *s, int64_t conv_id, struct store_send_info *si)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int		 rc;

	memset(si, 0, sizeof *si);
	st = STMT("SELECT c.contact_id, c.last_inbound_at, k.restricted, "
	    "k.wa_id_enc, k.user_id_enc, (SELECT max(id) FROM messages "
	    "WHERE conversation_id = c.id AND direction = 'in') "
	    "FROM conversations c JOIN contacts k ON k.id = c.contact_id "
	    "WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		si->contact_id = sqlite3_column_int64(st, 0);
		si->last_inbound_at = sqlite3_column_int64(st, 1);
		si->restricted = sqlite3_column_int(st, 2);
		si->last_inbound_msg = sqlite3_column_int64(st, 5);
		key = store_dek(s, si->contact_id);
		si->wa_id = store_col_open(st, 3, key, "contacts", "wa_id",
		    si->contact_id);
		si->user_id = store_col_open(st, 4, key, "contacts", "user_id",
		    si->contact_id);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

void
store_send_info_clear(struct store_send_info *si)
{
	if (si->wa_id != NULL)
		crypt_wipe_free(si->wa_id, strlen(si->wa_id));
	if (si->user_id != NULL)
		crypt_wipe_free(si->user_id, strlen(si->user_id));
	memset(si, 0, sizeof *si);
}

int
store_consent_marketing(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	int		 ok = 0;

	st = STMT("SELECT opt_in FROM consent WHERE contact_id = ? AND "
	    "purpose = 'marketing' ORDER BY ts DESC, id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0) == 1;
	sqlite3_reset(st);
	return (ok);
}

int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

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

/* --- outbox rows --- */

int
store_outbox_add(struct store *s, int64_t msg_id, int64_t contact_id,
    const char *request, int64_t now_ms, int64_t *id)
{
	sqlite3_stmt	*st;

	/* The contact's key must exist (the request is sealed with it). */
	if (store_dek(s, contact_id) == NULL)
		return (-1);
	st = STMT("INSERT INTO outbox (message_id, state, created, updated) "
	    "VALUES (?, 'queued', ?2, ?2)");
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, now_ms);
	if (store_step_done(s, st) != 0)
		return (-1);
	*id = sqlite3_last_insert_rowid(s->db);
	return (store_outbox_set_request(s, *id, contact_id, request));
}

int
store_outbox_set_request(struct store *s, int64_t id, int64_t contact_id,
    const char *request)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	st = STMT("UPDATE outbox SET request_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "outbox", "request", id, request,
	    strlen(request));
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

char *
store_outbox_request(struct store *s, int64_t id, int64_t contact_id)
{
	sqlite3_stmt	*st;
	char		*req = NULL;

	st = STMT("SELECT request_enc FROM outbox WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		req = store_col_open(st, 0, store_dek(s, contact_id), "outbox",
		    "request", id);
	sqlite3_reset(st);
	return (req);
}

/* After a crash, what was on the wire may or may not have gone. */
int
store_outbox_recover(struct store *s, int64_t now_ms, int *n)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE outbox SET state = 'unknown', error_code = ?2, "
	    "error_class = 'unknown', updated = ?1 WHERE state = 'sending'");
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, -2);	/* ERRORS_NET_UNKNOWN */
	if (store_step_done(s, st) != 0)
		return (-1);
	*n = sqlite3_changes(s->db);
	return (0);
}

static void
store_outbox_fill(sqlite3_stmt *st, struct store_outbox_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->message_id = sqlite3_column_int64(st, 1);
	r->conv_id = sqlite3_column_int64(st, 2);
	r->contact_id = sqlite3_column_int64(st, 3);
	snprintf(r->state, sizeof r->state, "%s", store_col_text(st, 4));
	r->attempts = sqlite3_column_int64(st, 5);
	r->next_attempt = sqlite3_column_int64(st, 6);
	r->error_code = sqlite3_column_type(st, 7) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, 7);
	r->has_error = sqlite3_column_type(st, 7) != SQLITE_NULL;
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		snprintf(r->error_class, sizeof r->error_class, "%s",
		    store_col_text(st, 8));
	r->created = sqlite3_column_int64(st, 9);
	r->updated = sqlite3_column_int64(st, 10);
	snprintf(r->type, sizeof r->type, "%s", store_col_text(st, 11));
	r->agent_id = sqlite3_column_int64(st, 12);
}

#define OUTBOX_COLS \
	"o.id, o.message_id, m.conversation_id, m.contact_id, o.state, " \
	"o.attempts, o.next_attempt, o.error_code, o.error_class, " \
	"o.created, o.updated, m.type, m.agent_id " \
	"FROM outbox o JOIN messages m ON m.id = o.message_id "

int
store_outbox_queued(struct store *s, int64_t limit,
    int (*fn)(const struct store_outbox_row *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_outbox_row	 r;
	int			 rc;

	st = STMT("SELECT " OUTBOX_COLS "WHERE o.state = 'queued' "
	    "ORDER BY o.id LIMIT ?");
	sqlite3_bind_int64(st, 1, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_outbox_fill(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_outbox_get(struct store *s, int64_t id, int by_msg,
    struct store_outbox_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (by_msg)
		st = STMT("SELECT " OUTBOX_COLS "WHERE o.message_id = ?");
	else
		st = STMT("SELECT " OUTBOX_COLS "WHERE o.id = ?");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_outbox_fill(st, r);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

int
store_outbox_set_state(struct store *s, int64_t id, const char *state,
    int64_t attempts, int64_t next_attempt, int has_error, int64_t code,
    const char *class, int64_t now_ms)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE outbox SET state = ?2, attempts = ?3, "
	    "next_attempt = ?4, error_code = ?5, error_class = ?6, "
	    "updated = ?7 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, attempts);
	sqlite3_bind_int64(st, 4, next_attempt);
	if (has_error)
		sqlite3_bind_int64(st, 5, code);
	store_bind_text_or_null(st, 6, class);
	sqlite3_bind_int64(st, 7, now_ms);
	return (store_step_done(s, st));
}

/* The message shows the failure too: status failed, the agents' line. */
int
store_outbox_msg_failed(struct store *s, int64_t msg_id, int64_t code,
    const char *explain, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE messages SET status = ?2, status_ts = ?3, "
	    "error_code = ?4, error_title = ?5 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int(st, 2, WA_ST_FAILED);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, code);
	store_bind_text_or_null(st, 5, explain);
	return (store_step_done(s, st));
}

/* A re-send by hand clears what the message showed. */
int
store_outbox_msg_reset(struct store *s, int64_t msg_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE messages SET status = 0, status_ts = NULL, "
	    "error_code = NULL, error_title = NULL WHERE id = ?1 AND "
	    "wamid_blind IS NULL");
	sqlite3_bind_int64(st, 1, msg_id);
	return (store_step_done(s, st));
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

/*
 * A status webhook for one of ours. opaque is our biz_opaque_callback_data
 * ("si:<message id>"), which lets a send whose answer never came learn its
 * wamid. Sets *outbox_id (0 if none) and *row.
 */
int
store_outbox_on_status(struct store *s, const char *wamid,
    const char *opaque, int status, int64_t code, int64_t now_ms,
    struct store_outbox_row *row)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 oid = 0;
	char		*end;
	int		 rc;

	memset(row, 0, sizeof *row);
	if (opaque != NULL && strncmp(opaque, "si:", 3) == 0) {
		oid = strtoll(opaque + 3, &end, 10);
		if (*end != '\0' || oid <= 0)
			oid = 0;
	}
	if (oid != 0) {
		if ((rc = store_outbox_get(s, oid, 1, row)) != 0)
			return (rc < 0 ? -1 : 0);
		if (strcmp(row->state, "sent") != 0 &&
		    strcmp(row->state, "failed") != 0) {
			/* It went after all: adopt the wamid, never resend. */
			if (store_msg_set_wamid(s, row->message_id,
			    row->contact_id, wamid) < 0)
				return (-1);
			if (store_outbox_set_state(s, row->id, "sent",
			    row->attempts, 0, 0, 0, NULL, now_ms) != 0)
				return (-1);
			snprintf(row->state, sizeof row->state, "sent");
			/* The status itself is applied by the caller next. */
		}
	} else {
		store_blind(s, "wamid", wamid, bl);
		st = STMT("SELECT o.id FROM outbox o JOIN messages m ON "
		    "m.id = o.message_id WHERE m.wamid_blind = ?");
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			oid = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (oid == 0 || store_outbox_get(s, oid, 0, row) != 0)
			return (0);
	}
	if (status == WA_ST_FAILED && strcmp(row->state, "failed") != 0) {
		if (store_outbox_set_state(s, row->id, "failed", row->attempts, 0,
		    1, code, NULL, now_ms) != 0)
			return (-1);
		snprintf(row->state, sizeof row->state, "failed");
		row->error_code = code;
		row->has_error = 1;
	}
	return (0);
}

json_t *
store_outbox_counts(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*o;

	o = json_pack("{sI sI sI sI sI}", "queued", (json_int_t)0,
	    "sending", (json_int_t)0, "sent", (json_int_t)0,
	    "failed", (json_int_t)0, "unknown", (json_int_t)0);
	st = STMT("SELECT state, count(*) FROM outbox GROUP BY state");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(o, store_col_text(st, 0),
		    json_integer(sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return (o);
}

int
store_outbox_list(struct store *s, const char *state, int64_t conv_id,
    int64_t limit, int (*fn)(const struct store_outbox_row *, void *),
    void *arg)
{
	sqlite3_stmt		*st;
	struct store_outbox_row	 r;
	int			 rc;

	st = STMT("SELECT " OUTBOX_COLS "WHERE (?1 IS NULL OR o.state = ?1) "
	    "AND (?2 = 0 OR m.conversation_id = ?2) "
	    "ORDER BY o.id DESC LIMIT ?3");
	store_bind_text_or_null(st, 1, state);
	sqlite3_bind_int64(st, 2, conv_id);
	sqlite3_bind_int64(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_outbox_fill(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

/* --- templates --- */

int
store_template_upsert(struct store *s, const char *meta_id, const char *name,
    const char *language, const char *category, const char *status,
    const char *components, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO templates (meta_id, name, language, category, "
	    "status, components, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	    "ON CONFLICT (name, language) DO UPDATE SET meta_id = ?1, "
	    "category = ?4, status = ?5, components = ?6, updated = ?7");
	store_bind_text_or_null(st, 1, meta_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, language, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 4, category);
	store_bind_text_or_null(st, 5, status);
	store_bind_text_or_null(st, 6, components);
	sqlite3_bind_int64(st, 7, now);
	return (store_step_done(s, st));
}

/* Templates the WABA no longer lists are gone. */
int
store_template_prune(struct store *s, int64_t before)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM templates WHERE updated < ?");
	sqlite3_bind_int64(st, 1, before);
	return (store_step_done(s, st));
}

static json_t *
store_template_row(sqlite3_stmt *st)
{
	json_t	*o, *c;

	o = json_object();
	json_object_set_new(o, "name", json_string(store_col_text(st, 0)));
	json_object_set_new(o, "language", json_string(store_col_text(st, 1)));
	json_object_set_new(o, "category", store_col_text(st, 2) != NULL ?
	    json_string(store_col_text(st, 2)) : json_null());
	json_object_set_new(o, "status", store_col_text(st, 3) != NULL ?
	    json_string(store_col_text(st, 3)) : json_null());
	c = store_col_text(st, 4) != NULL ? json_loads(store_col_text(st, 4),
	    0, NULL) : NULL;
	json_object_set_new(o, "components", c != NULL ? c : json_array());
	json_object_set_new(o, "quality", store_col_text(st, 5) != NULL ?
	    json_string(store_col_text(st, 5)) : json_null());
	json_object_set_new(o, "updated", json_integer(sqlite3_column_int64(st,
	    6)));
	return (o);
}

json_t *
store_template_get(struct store *s, const char *name, const char *language)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT("SELECT name, language, category, status, components, "
	    "quality, updated FROM templates WHERE name = ? AND language = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, language, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_template_row(st);
	sqlite3_reset(st);
	return (o);
}

json_t *
store_template_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT name, language, category, status, components, "
	    "quality, updated FROM templates ORDER BY name, language "
	    "LIMIT 10000");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_template_row(st));
	sqlite3_reset(st);
	return (arr);
}

/* --- media --- */

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

int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

/* The next queued inbound download due at now, or 1 if none. */
int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
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
	return (rc == SQLITE_DONE ? 1 : -1);
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

	if ((key = store_dek(s, contact_id)) == NULL)
		return (-1);
	return (crypt_unseal(key, "media", "blob", id, ct, ctlen, out,
	    outlen));
}

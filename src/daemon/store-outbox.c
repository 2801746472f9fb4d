/*
 * The outbox: one row per message to send, its request body (which holds
 * the recipient's number) sealed with the contact's data key, its state and
 * retries, recovery after a crash, and what status webhooks tell it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	128
#include "store-int.h"
#include "wa-payload.h"
#include "xmalloc.h"

int
store_outbox_add(struct store *s, int64_t msg_id, int64_t contact_id,
    const char *request, int64_t now_ms, int64_t held_until, int64_t *id)
{
	sqlite3_stmt	*st;

	/* The contact's key must exist (the request is sealed with it). */
	if (store_dek(s, contact_id) == NULL)
		return (-1);
	/* A held row is simply not due before held_until. */
	st = STMT("INSERT INTO outbox (message_id, state, created, updated, "
	    "next_attempt, held_until) VALUES (?1, 'queued', ?2, ?2, ?3, ?3)");
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, now_ms);
	sqlite3_bind_int64(st, 3, held_until);
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
	sqlite3_bind_int64(st, 2, -2);	/* META_ERRORS_NET_UNKNOWN */
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
	r->held_until = sqlite3_column_int64(st, 13);
}

#define OUTBOX_COLS \
	"o.id, o.message_id, m.conversation_id, m.contact_id, o.state, " \
	"o.attempts, o.next_attempt, o.error_code, o.error_class, " \
	"o.created, o.updated, m.type, m.agent_id, o.held_until " \
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

enum store_found
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
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
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

/*
 * A re-send by hand clears what the message showed. One that WhatsApp
 * accepted and then failed (a status webhook) also drops its old wamid:
 * the new send gets a wamid of its own, and its statuses must find it.
 */
int
store_outbox_msg_reset(struct store *s, int64_t msg_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE messages SET status = 0, status_ts = NULL, "
	    "error_code = NULL, error_title = NULL, "
	    "wamid_blind = CASE WHEN status = 5 THEN NULL ELSE wamid_blind END, "
	    "wamid_enc = CASE WHEN status = 5 THEN NULL ELSE wamid_enc END "
	    "WHERE id = ?1 AND (wamid_blind IS NULL OR status = 5)");
	sqlite3_bind_int64(st, 1, msg_id);
	return (store_step_done(s, st));
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

int64_t
store_outbox_backlog(struct store *s, int64_t cap)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	/* Counted up to cap: the index walk stops there. */
	st = STMT("SELECT count(*) FROM (SELECT 1 FROM outbox WHERE state IN "
	    "('queued', 'sending') LIMIT ?1)");
	sqlite3_bind_int64(st, 1, cap);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
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

/* --- the undo window --- */

/*
 * The conversation's last message after one was taken back: its id, time
 * and preview as store_msg_insert would have left them (the text, a
 * caption, or the type in brackets).
 */
static int
store_outbox_conv_rewind(struct store *s, int64_t conv_id, int64_t cid)
{
	sqlite3_stmt	*st;
	const uint8_t	*key = store_dek(s, cid);
	json_t		*body = NULL;
	const char	*t = NULL;
	char		*text = NULL, pbuf[64];
	int64_t		 id = 0, ts = 0;
	int		 rc;

	st = STMT("SELECT id, ts, type, body_enc FROM messages "
	    "WHERE conversation_id = ? ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, conv_id);
	pbuf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		ts = sqlite3_column_int64(st, 1);
		snprintf(pbuf, sizeof pbuf, "[%s]", store_col_text(st, 2) !=
		    NULL ? store_col_text(st, 2) : "message");
		text = store_col_open(st, 3, key, "messages", "body", id);
	}
	sqlite3_reset(st);
	if (text != NULL) {
		body = json_loads(text, 0, NULL);
		crypt_wipe_free(text, strlen(text));
	}
	if ((t = json_string_value(json_object_get(body, "text"))) == NULL)
		t = json_string_value(json_object_get(json_object_get(body,
		    "media"), "caption"));
	if (t == NULL)
		t = pbuf;
	/* Who wrote last and since when the customer waits, as
	 * store_msg_insert keeps them (and migration 3 filled them in). */
	st = STMT("UPDATE conversations SET last_msg_id = ?2, "
	    "last_msg_at = ?3, preview_enc = ?4, "
	    "last_direction = (SELECT direction FROM messages WHERE id = ?2), "
	    "last_agent_id = (SELECT agent_id FROM messages WHERE id = ?2), "
	    "waiting_since = coalesce((SELECT min(m.ts) FROM messages m "
	    "WHERE m.conversation_id = ?1 AND m.direction = 'in' "
	    "AND m.type != 'reaction' AND m.id > coalesce((SELECT max(o.id) "
	    "FROM messages o WHERE o.conversation_id = ?1 "
	    "AND o.direction = 'out' AND o.type != 'reaction'), 0)), 0) "
	    "WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, ts);
	store_bind_sealed(s, st, 4, key, "conversations", "preview", conv_id,
	    t, strlen(t));
	rc = store_step_done(s, st);
	json_decref(body);
	return (rc);
}

int
store_outbox_cancel(struct store *s, int64_t msg_id, int64_t agent_id,
    int64_t now_ms, int64_t *conv_id, int64_t *contact_id, char **text)
{
	struct store_outbox_row	 r;
	sqlite3_stmt		*st;
	json_t			*body = NULL;
	char			*raw = NULL;
	const char		*t;
	enum store_found	 found;

	*text = NULL;
	if ((found = store_outbox_get(s, msg_id, 1, &r)) != STORE_FOUND)
		return (found == STORE_NONE ? 1 : -1);
	/* Only its sender, only before it was ever tried. */
	if (r.agent_id != agent_id || strcmp(r.state, "queued") != 0 ||
	    r.attempts != 0 || r.held_until <= now_ms)
		return (1);
	*conv_id = r.conv_id;
	*contact_id = r.contact_id;
	st = STMT("SELECT body_enc FROM messages WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		raw = store_col_open(st, 0, store_dek(s, r.contact_id),
		    "messages", "body", msg_id);
	sqlite3_reset(st);
	if (raw != NULL) {
		body = json_loads(raw, 0, NULL);
		crypt_wipe_free(raw, strlen(raw));
	}
	t = json_string_value(json_object_get(body, "text"));
	*text = xstrdup(t != NULL ? t : "");
	json_decref(body);
	st = STMT("DELETE FROM outbox WHERE id = ?");
	sqlite3_bind_int64(st, 1, r.id);
	if (store_step_done(s, st) != 0)
		goto fail;
	st = STMT("DELETE FROM media WHERE message_id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	if (store_step_done(s, st) != 0)
		goto fail;
	st = STMT("DELETE FROM messages WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	if (store_step_done(s, st) != 0)
		goto fail;
	store_search_forget_msg(s, msg_id);
	if (store_sla_unanswer(s, msg_id) != 0 ||
	    store_outbox_conv_rewind(s, r.conv_id, r.contact_id) != 0)
		goto fail;
	return (0);
fail:
	crypt_wipe_free(*text, strlen(*text));
	*text = NULL;
	return (-1);
}

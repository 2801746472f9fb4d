/*
 * Event hooks' deliveries (issue 18; hook.c): one row per hook and event,
 * its body sealed, its state pending, delivered or dead.
 */
#include <stdio.h>
#include <string.h>

#include "crypt.h"
#include "store.h"
#define STORE_SLOT_BASE	4992
#include "store-int.h"

/* The body's key: the contact's (erasure shreds it) or the field key. */
static const uint8_t *
store_hook_key(struct store *s, int64_t contact_id)
{
	if (contact_id != 0)
		return (store_dek(s, contact_id));
	return (crypt_subkey(s->crypt, CRYPT_FIELDKEY));
}

int
store_hook_add(struct store *s, const struct store_hook_row *r,
    const char *body, int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int		 rc;

	*id = 0;
	if ((key = store_hook_key(s, r->contact_id)) == NULL)
		return (1);	/* erased: nothing to say about them */
	st = STMT("INSERT INTO hook_deliveries (hook, event, key, dedup, "
	    "contact_id, conversation_id, next_at, created, updated) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, r->hook, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, r->event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, r->key, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 4, r->dedup[0] != '\0' ? r->dedup : NULL);
	sqlite3_bind_int64(st, 5, r->contact_id);
	sqlite3_bind_int64(st, 6, r->conv_id);
	sqlite3_bind_int64(st, 7, r->next_at);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int64(st, 9, now);
	if ((rc = store_step_unique(st)) != 0)
		return (rc);	/* 1: fired already (dedup) */
	*id = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE hook_deliveries SET body_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "hook_deliveries", "body", *id,
	    body, strlen(body));
	sqlite3_bind_int64(st, 2, *id);
	return (store_step_done(s, st));
}

#define HOOK_COLS "id, hook, event, key, contact_id, conversation_id, " \
	"state, attempts, next_at, last_error, created, updated"

static void
store_hook_fill(sqlite3_stmt *st, struct store_hook_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	snprintf(r->hook, sizeof r->hook, "%s", store_col_text(st, 1));
	snprintf(r->event, sizeof r->event, "%s", store_col_text(st, 2));
	snprintf(r->key, sizeof r->key, "%s", store_col_text(st, 3));
	r->contact_id = sqlite3_column_int64(st, 4);
	r->conv_id = sqlite3_column_int64(st, 5);
	snprintf(r->state, sizeof r->state, "%s", store_col_text(st, 6));
	r->attempts = sqlite3_column_int64(st, 7);
	r->next_at = sqlite3_column_int64(st, 8);
	/* NULL until an attempt failed */
	snprintf(r->last_error, sizeof r->last_error, "%s",
	    store_col_text(st, 9) != NULL ? store_col_text(st, 9) : "");
	r->created = sqlite3_column_int64(st, 10);
	r->updated = sqlite3_column_int64(st, 11);
}

/* Up to max rows of st (bound), then reset; how many. */
static size_t
store_hook_rows(sqlite3_stmt *st, struct store_hook_row *rows, size_t max)
{
	size_t	n = 0;

	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		store_hook_fill(st, &rows[n++]);
	sqlite3_reset(st);
	return (n);
}

size_t
store_hook_due(struct store *s, int64_t now, struct store_hook_row *rows,
    size_t max)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT " HOOK_COLS " FROM hook_deliveries "
	    "WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id "
	    "LIMIT ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	return (store_hook_rows(st, rows, max));
}

size_t
store_hook_due_of(struct store *s, const char *hook, int64_t now,
    struct store_hook_row *rows, size_t max)
{
	sqlite3_stmt	*st;

	/* the pending ones through the hook_due index, then by hook */
	st = STMT("SELECT " HOOK_COLS " FROM hook_deliveries "
	    "WHERE state = 'pending' AND next_at <= ? AND hook = ? "
	    "ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, hook, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (int64_t)max);
	return (store_hook_rows(st, rows, max));
}

int64_t
store_hook_last_attempt(struct store *s, const char *hook)
{
	sqlite3_stmt	*st;
	int64_t		 t = 0;

	st = STMT("SELECT coalesce(max(updated), 0) FROM hook_deliveries "
	    "WHERE hook = ? AND attempts > 0");
	sqlite3_bind_text(st, 1, hook, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (t);
}

enum store_found
store_hook_get(struct store *s, int64_t id, struct store_hook_row *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " HOOK_COLS " FROM hook_deliveries WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_hook_fill(st, r);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? STORE_FOUND : rc == SQLITE_DONE ?
	    STORE_NONE : STORE_ERROR);
}

char *
store_hook_body(struct store *s, const struct store_hook_row *r)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	char		*body = NULL;

	if ((key = store_hook_key(s, r->contact_id)) == NULL)
		return (NULL);
	st = STMT("SELECT body_enc FROM hook_deliveries WHERE id = ?");
	sqlite3_bind_int64(st, 1, r->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		body = store_col_open(st, 0, key, "hook_deliveries", "body",
		    r->id);
	sqlite3_reset(st);
	return (body);
}

int
store_hook_set(struct store *s, int64_t id, const char *state,
    int64_t attempts, int64_t next_at, const char *error, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE hook_deliveries SET state = ?, attempts = ?, "
	    "next_at = ?, last_error = ?, updated = ?, body_enc = CASE WHEN "
	    "? = 'delivered' THEN NULL ELSE body_enc END WHERE id = ?");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, attempts);
	sqlite3_bind_int64(st, 3, next_at);
	store_bind_text_or_null(st, 4, error);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_text(st, 6, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, id);
	return (store_step_done(s, st));
}

json_t *
store_hook_list(struct store *s, int failed, int64_t limit)
{
	sqlite3_stmt		*st;
	struct store_hook_row	 r;
	json_t			*arr = json_array();

	if (failed)
		st = STMT("SELECT " HOOK_COLS " FROM hook_deliveries "
		    "WHERE state = 'dead' ORDER BY id DESC LIMIT ?");
	else
		st = STMT("SELECT " HOOK_COLS " FROM hook_deliveries "
		    "ORDER BY id DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_hook_fill(st, &r);
		json_array_append_new(arr, json_pack("{sI ss ss ss sI sI ss sI "
		    "so sI sI sI}", "id", (json_int_t)r.id, "hook", r.hook,
		    "event", r.event, "key", r.key,
		    "conversation", (json_int_t)r.conv_id,
		    "contact", (json_int_t)r.contact_id, "state", r.state,
		    "attempts", (json_int_t)r.attempts, "last_error",
		    r.last_error[0] != '\0' ? json_string(r.last_error) :
		    json_null(), "next_attempt", (json_int_t)(strcmp(r.state,
		    "pending") == 0 ? r.next_at : 0),
		    "created", (json_int_t)r.created,
		    "updated", (json_int_t)r.updated));
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_hook_retry(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt	*st;

	if (id != 0) {
		st = STMT("UPDATE hook_deliveries SET state = 'pending', "
		    "attempts = 0, next_at = ?, updated = ? "
		    "WHERE id = ? AND state = 'dead'");
		sqlite3_bind_int64(st, 3, id);
	} else
		st = STMT("UPDATE hook_deliveries SET state = 'pending', "
		    "attempts = 0, next_at = ?, updated = ? "
		    "WHERE state = 'dead'");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db));
}

int
store_hook_waiting(struct store *s, const char *hook, int64_t before,
    void (*fn)(int64_t conv, int64_t contact, int64_t since,
    const char *team, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * Open, nobody's, with a customer message since it was last
	 * resolved; waiting since the first of those. Those this hook was
	 * already told of are left out, so a batch never starves the rest
	 * (the dedup key is hook.c's hook_wait_one's).
	 */
	st = STMT("SELECT c.id, c.contact_id, (SELECT min(m.ts) FROM "
	    "messages m WHERE m.conversation_id = c.id AND m.direction = "
	    "'in' AND m.ts >= coalesce(c.resolved_at, 0)) AS since, "
	    "coalesce(c.team, '') FROM conversations c WHERE c.state = 'open' "
	    "AND c.assignee_id IS NULL AND c.last_inbound_at > 0 "
	    "AND since IS NOT NULL AND since <= ?1 AND NOT EXISTS (SELECT 1 "
	    "FROM hook_deliveries d WHERE d.dedup = ?2 || ':waiting:' || "
	    "c.id || ':' || since) ORDER BY c.id LIMIT 1000");
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_text(st, 2, hook, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 2), store_col_text(st, 3), arg);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

char *
store_hook_preview(struct store *s, int64_t conv_id, int64_t contact_id)
{
	sqlite3_stmt	*st;
	char		*p = NULL;

	st = STMT("SELECT preview_enc FROM conversations WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		p = store_col_open(st, 0, store_dek(s, contact_id),
		    "conversations", "preview", conv_id);
	sqlite3_reset(st);
	return (p);
}

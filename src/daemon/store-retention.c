/*
 * Retention: what has outlived its keeping period (raw bodies, resolved
 * conversations, media files), never what belongs to a contact on legal
 * hold. retention.c deletes it.
 */
#include "store.h"
#define STORE_SLOT_BASE	2560
#include "store-int.h"

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

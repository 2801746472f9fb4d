/*
 * Exports (issue 18, point 3): the conversations' report rows with their
 * counts and times, read in pages by id for export.conversations
 * (rpc-export.c). Nothing here is personal: the caller adds the contact's
 * name and number only when the export has a reason.
 */
#include "store.h"
#define STORE_SLOT_BASE	5120
#include "store-int.h"

#include <stdio.h>
#include <string.h>

/* A column as a JSON integer, or null when SQL NULL or 0 (not yet). */
static json_t *
store_export_time(sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL ||
	    sqlite3_column_int64(st, col) == 0)
		return (json_null());
	return (json_integer(sqlite3_column_int64(st, col)));
}

json_t *
store_export_conversations(struct store *s, const struct store_export_filter
    *f, int64_t after, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*rows, *o;
	int64_t		 id;
	int		 rc;

	/*
	 * The first response: the first message an agent sent after the
	 * customer's first (automatic replies have no agent).
	 */
	st = STMT("SELECT c.id, c.contact_id, c.state, c.team, a.name, "
	    "c.created, c.resolved_at, c.last_msg_at, c.last_inbound_at, "
	    "fi.t, (SELECT min(m.ts) FROM messages m WHERE "
	    "m.conversation_id = c.id AND m.direction = 'out' AND "
	    "m.agent_id IS NOT NULL AND m.ts >= fi.t), "
	    "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id "
	    "AND m.direction = 'in'), "
	    "(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id "
	    "AND m.direction = 'out'), c.priority "
	    "FROM conversations c LEFT JOIN agents a ON a.id = c.assignee_id "
	    "LEFT JOIN (SELECT conversation_id AS cv, min(ts) AS t "
	    "FROM messages WHERE direction = 'in' GROUP BY conversation_id) fi "
	    "ON fi.cv = c.id "
	    "WHERE c.id > ?1 AND (?2 IS NULL OR c.state = ?2) "
	    "AND (?3 IS NULL OR c.team = ?3) "
	    "AND (?4 IS NULL OR c.phone_number_id = ?4) "
	    "AND (?5 = 0 OR (?5 = -1 AND c.assignee_id IS NULL) "
	    "OR c.assignee_id = ?5) "
	    "AND (?6 IS NULL OR EXISTS (SELECT 1 FROM conversation_labels cl "
	    "JOIN labels l ON l.id = cl.label_id WHERE "
	    "cl.conversation_id = c.id AND l.name = ?6)) "
	    "AND c.created >= ?7 AND c.created < ?8 "
	    "ORDER BY c.id LIMIT ?9");
	sqlite3_bind_int64(st, 1, after);
	store_bind_text_or_null(st, 2, f->state);
	store_bind_text_or_null(st, 3, f->team);
	store_bind_text_or_null(st, 4, f->number_id);
	sqlite3_bind_int64(st, 5, f->assignee);
	store_bind_text_or_null(st, 6, f->label);
	sqlite3_bind_int64(st, 7, f->from);
	sqlite3_bind_int64(st, 8, f->to);
	sqlite3_bind_int64(st, 9, limit);
	rows = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		o = json_object();
		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "contact_id",
		    json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(o, "state",
		    json_string(store_col_text(st, 2)));
		json_object_set_new(o, "priority", json_integer(
		    sqlite3_column_int64(st, 13)));
		json_object_set_new(o, "team", store_col_text(st, 3) != NULL ?
		    json_string(store_col_text(st, 3)) : json_null());
		json_object_set_new(o, "assignee", store_col_text(st, 4) !=
		    NULL ? json_string(store_col_text(st, 4)) : json_null());
		json_object_set_new(o, "created", store_export_time(st, 5));
		json_object_set_new(o, "resolved", store_export_time(st, 6));
		json_object_set_new(o, "last_activity",
		    store_export_time(st, 7));
		json_object_set_new(o, "last_inbound_at",
		    json_integer(sqlite3_column_int64(st, 8)));
		json_object_set_new(o, "first_customer_message",
		    store_export_time(st, 9));
		json_object_set_new(o, "first_response",
		    store_export_time(st, 10));
		json_object_set_new(o, "messages_in",
		    json_integer(sqlite3_column_int64(st, 11)));
		json_object_set_new(o, "messages_out",
		    json_integer(sqlite3_column_int64(st, 12)));
		json_array_append_new(rows, o);
	}
	if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		json_decref(rows);
		return (NULL);
	}
	sqlite3_reset(st);
	return (rows);
}

void
store_export_display(struct store *s, const char *login, char *buf,
    size_t len)
{
	sqlite3_stmt	*st;

	snprintf(buf, len, "%s", login);
	st = STMT("SELECT coalesce(display_name, name) FROM agents "
	    "WHERE name = ?");
	sqlite3_bind_text(st, 1, login, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && store_col_text(st, 0) != NULL)
		snprintf(buf, len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
}

json_t *
store_export_labels(struct store *s, int64_t conv_id)
{
	return (store_conv_labels(s, conv_id));
}

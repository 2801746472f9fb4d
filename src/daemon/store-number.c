/*
 * Business numbers in the store (issue 15): the number a conversation
 * belongs to (conversations.phone_number_id, set by ingest from the
 * webhook's metadata).
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	3840
#include "store-int.h"

int
store_number_of_conv(struct store *s, int64_t conv_id, char *buf,
    size_t len)
{
	sqlite3_stmt	*st;
	int		 rc;

	buf[0] = '\0';
	st = STMT("SELECT phone_number_id FROM conversations WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && store_col_text(st, 0) != NULL)
		snprintf(buf, len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_number_of_msg(struct store *s, int64_t msg_id, char *buf, size_t len)
{
	sqlite3_stmt	*st;
	int		 rc;

	buf[0] = '\0';
	st = STMT("SELECT c.phone_number_id FROM messages m JOIN "
	    "conversations c ON c.id = m.conversation_id WHERE m.id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && store_col_text(st, 0) != NULL)
		snprintf(buf, len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_number_conv_team(struct store *s, int64_t conv_id, const char *team)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET team = ? WHERE id = ? AND "
	    "team IS NULL");
	sqlite3_bind_text(st, 1, team, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, conv_id);
	return (store_step_done(s, st));
}

int
store_number_counts(struct store *s, const char *number, int64_t agent_id,
    int64_t window_lo, int64_t window_hi, json_t *j)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* A number's share is small next to the whole: counted, not kept. */
	st = STMT("SELECT count(*), "
	    "coalesce(sum(assignee_id = ?2 AND state != 'resolved'), 0), "
	    "coalesce(sum(assignee_id IS NULL AND state IN ('open', "
	    "'pending')), 0), "
	    "coalesce(sum(state = 'open'), 0), "
	    "coalesce(sum(state = 'pending'), 0), "
	    "coalesce(sum(state = 'snoozed'), 0), "
	    "coalesce(sum(state = 'resolved'), 0), "
	    "coalesce(sum(last_inbound_at > ?3 AND last_inbound_at <= ?4 AND "
	    "state != 'resolved'), 0), "
	    "coalesce(sum(id IN (SELECT conversation_id FROM messages WHERE "
	    "status = 5)), 0) "
	    "FROM conversations WHERE phone_number_id = ?1");
	sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, agent_id);
	sqlite3_bind_int64(st, 3, window_lo);
	sqlite3_bind_int64(st, 4, window_hi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		json_object_set_new(j, "all",
		    json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(j, "mine",
		    json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(j, "unassigned",
		    json_integer(sqlite3_column_int64(st, 2)));
		json_object_set_new(j, "open",
		    json_integer(sqlite3_column_int64(st, 3)));
		json_object_set_new(j, "pending",
		    json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(j, "snoozed",
		    json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(j, "resolved",
		    json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(j, "window",
		    json_integer(sqlite3_column_int64(st, 7)));
		json_object_set_new(j, "failed",
		    json_integer(sqlite3_column_int64(st, 8)));
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? 0 : -1);
}

int64_t
store_number_quarantined(struct store *s, json_t **ids)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;
	size_t		 skip = strlen(STORE_NUMBER_UNKNOWN);

	*ids = json_array();
	st = STMT("SELECT cause, count(*) FROM raw_events WHERE state = "
	    "'quarantined' AND substr(cause, 1, ?) = ? GROUP BY cause "
	    "ORDER BY cause LIMIT 16");
	sqlite3_bind_int64(st, 1, (int64_t)skip);
	sqlite3_bind_text(st, 2, STORE_NUMBER_UNKNOWN, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (strlen(store_col_text(st, 0)) > skip)
			json_array_append_new(*ids, json_string(
			    store_col_text(st, 0) + skip));
		n += sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return (n);
}

/*
 * The inbox: the views agents triage from and their counts. Views read only
 * the conversations table and its indexes (doc/design.md sections 3 and 8);
 * the one per-row look at messages is the per-agent unread count, bounded
 * and skipped when the agent's read marker is current.
 */
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "store.h"
#define STORE_SLOT_BASE	256
#include "store-int.h"
#include "window.h"

/*
 * The columns store_conv_row() reads (0-14), with column 8 the unread count
 * for agent ?1 rather than the shared counter; then 15 team, 16 last_msg_id,
 * 17 whether the contact is restricted.
 */
#define INBOX_SEL \
	"SELECT c.id, c.contact_id, c.state, c.priority, c.assignee_id, " \
	"a.name, c.last_msg_at, c.last_inbound_at, " \
	"CASE WHEN c.last_msg_id <= coalesce(r.last_read_msg_id, 0) THEN 0 " \
	"ELSE (SELECT count(*) FROM (SELECT 1 FROM messages m " \
	"WHERE m.conversation_id = c.id " \
	"AND m.id > coalesce(r.last_read_msg_id, 0) AND m.direction = 'in' " \
	"LIMIT 999)) END, " \
	"c.preview_enc, k.name_enc, k.wa_id_enc, k.user_id_enc, " \
	"c.snooze_until, c.created, c.team, c.last_msg_id, k.restricted "
#define INBOX_FROM \
	"FROM conversations c JOIN contacts k ON k.id = c.contact_id " \
	"LEFT JOIN agents a ON a.id = c.assignee_id " \
	"LEFT JOIN read_markers r ON r.agent_id = ?1 " \
	"AND r.conversation_id = c.id "
#define INBOX_PAGE \
	"ORDER BY c.last_msg_at DESC, c.id DESC LIMIT ?2 OFFSET ?3"

/* Replies that did not go (status 5), through the partial index. */
static int64_t
store_inbox_failed(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(*) FROM messages WHERE conversation_id = ? "
	    "AND status = 5");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_count(st));
}

static json_t *
store_inbox_row(struct store *s, sqlite3_stmt *st, int64_t now,
    int window_hours)
{
	json_t	*o;
	int64_t	 id;

	o = store_conv_row(s, st, now, window_hours);
	id = sqlite3_column_int64(st, 0);
	json_object_set_new(o, "team", sqlite3_column_type(st, 15) ==
	    SQLITE_NULL ? json_null() : json_string(store_col_text(st, 15)));
	json_object_set_new(o, "last_msg_id",
	    json_integer(sqlite3_column_int64(st, 16)));
	json_object_set_new(o, "labels", store_conv_labels(s, id));
	json_object_set_new(o, "failed", json_integer(store_inbox_failed(s,
	    id)));
	/* Art. 18: the conversation is listed, the person is not shown. */
	if (sqlite3_column_int(st, 17)) {
		json_object_set_new(o, "restricted", json_true());
		json_object_set_new(o, "name", json_string("(restricted)"));
		json_object_set_new(o, "preview", json_string(""));
		json_object_set_new(o, "phone_masked", json_null());
	}
	return (o);
}

static int
store_inbox_view_is(const char *view, const char *name, const char **arg)
{
	size_t	n = strlen(name);

	if (strncmp(view, name, n) != 0)
		return (0);
	if (view[n] == '\0') {
		*arg = NULL;
		return (1);
	}
	if (view[n] != ':')
		return (0);
	*arg = view + n + 1;
	return (1);
}

json_t *
store_inbox_list(struct store *s, const char *view, int64_t agent_id,
    int64_t offset, int64_t limit, int64_t now, int window_hours,
    int hours)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	const char	*arg = NULL;
	int64_t		 lo;
	enum conv_state	 state;

	if (strcmp(view, "all") == 0)
		st = STMT(INBOX_SEL INBOX_FROM INBOX_PAGE);
	else if (strcmp(view, "mine") == 0)
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.assignee_id = ?1 "
		    "AND c.state != 'resolved' " INBOX_PAGE);
	else if (strcmp(view, "unassigned") == 0)
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.assignee_id IS NULL "
		    "AND c.state IN ('open','pending') " INBOX_PAGE);
	else if (names_state_from(view, &state) == 0) {
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.state = ?4 "
		    INBOX_PAGE);
		sqlite3_bind_text(st, 4, view, -1, SQLITE_TRANSIENT);
	} else if (store_inbox_view_is(view, "label", &arg) && arg != NULL) {
		st = STMT(INBOX_SEL INBOX_FROM
		    "JOIN conversation_labels cl ON cl.conversation_id = c.id "
		    "WHERE cl.label_id = (SELECT id FROM labels WHERE name = ?4) "
		    INBOX_PAGE);
		sqlite3_bind_text(st, 4, arg, -1, SQLITE_TRANSIENT);
	} else if (store_inbox_view_is(view, "team", &arg) && arg != NULL) {
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.team = ?4 "
		    "AND c.state != 'resolved' " INBOX_PAGE);
		sqlite3_bind_text(st, 4, arg, -1, SQLITE_TRANSIENT);
	} else if (store_inbox_view_is(view, "window", &arg)) {
		/* Open windows that close within `hours`, soonest first. */
		if (arg != NULL) {
			char	*end;
			long	 h = strtol(arg, &end, 10);

			if (*arg == '\0' || *end != '\0' || h < 1 || h > 24 * 7)
				return (NULL);
			hours = (int)h;
		}
		lo = window_open_since(now, (unsigned)window_hours);
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.last_inbound_at > ?4 "
		    "AND c.last_inbound_at <= ?5 AND c.state != 'resolved' "
		    "ORDER BY c.last_inbound_at ASC, c.id LIMIT ?2 OFFSET ?3");
		sqlite3_bind_int64(st, 4, lo);
		sqlite3_bind_int64(st, 5, lo + (int64_t)hours * 3600);
	} else if (strcmp(view, "failed") == 0)
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.id IN (SELECT "
		    "conversation_id FROM messages WHERE status = 5) "
		    INBOX_PAGE);
	else
		return (NULL);
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_inbox_row(s, st, now,
		    window_hours));
	sqlite3_reset(st);
	return (arr);
}

json_t *
store_inbox_one(struct store *s, int64_t conv_id, int64_t agent_id,
    int64_t now, int window_hours)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT(INBOX_SEL INBOX_FROM "WHERE c.id = ?2");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_inbox_row(s, st, now, window_hours);
	sqlite3_reset(st);
	return (o);
}

json_t *
store_inbox_counts(struct store *s, int64_t agent_id, int64_t now,
    int window_hours, int hours)
{
	sqlite3_stmt	*st;
	json_t		*j, *sub;
	int64_t		 lo;

	j = json_object();
	json_object_set_new(j, "all", json_integer(store_count(
	    STMT("SELECT count(*) FROM conversations"))));
	st = STMT("SELECT count(*) FROM conversations "
	    "WHERE assignee_id = ? AND state != 'resolved'");
	sqlite3_bind_int64(st, 1, agent_id);
	json_object_set_new(j, "mine", json_integer(store_count(st)));
	json_object_set_new(j, "unassigned", json_integer(store_count(
	    STMT("SELECT count(*) FROM conversations WHERE assignee_id IS "
	    "NULL AND state IN ('open','pending')"))));
	st = STMT("SELECT state, count(*) FROM conversations GROUP BY state");
	json_object_set_new(j, "open", json_integer(0));
	json_object_set_new(j, "pending", json_integer(0));
	json_object_set_new(j, "snoozed", json_integer(0));
	json_object_set_new(j, "resolved", json_integer(0));
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(j, store_col_text(st, 0), json_integer(
		    sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	lo = window_open_since(now, (unsigned)window_hours);
	st = STMT("SELECT count(*) FROM conversations WHERE "
	    "last_inbound_at > ?1 AND last_inbound_at <= ?2 "
	    "AND state != 'resolved'");
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, lo + (int64_t)hours * 3600);
	json_object_set_new(j, "window", json_integer(store_count(st)));
	json_object_set_new(j, "window_hours", json_integer(hours));
	json_object_set_new(j, "failed", json_integer(store_count(
	    STMT("SELECT count(DISTINCT conversation_id) FROM messages "
	    "WHERE status = 5"))));
	/* Two index ranges (mine, unassigned) rather than an OR scan. */
	st = STMT("SELECT (SELECT count(*) FROM conversations c "
	    "LEFT JOIN read_markers r ON r.agent_id = ?1 "
	    "AND r.conversation_id = c.id WHERE c.assignee_id = ?1 "
	    "AND c.state IN ('open','pending','snoozed') "
	    "AND c.last_inbound_at > 0 AND c.last_msg_id > "
	    "coalesce(r.last_read_msg_id, 0)) + (SELECT count(*) "
	    "FROM conversations c LEFT JOIN read_markers r "
	    "ON r.agent_id = ?1 AND r.conversation_id = c.id "
	    "WHERE c.assignee_id IS NULL "
	    "AND c.state IN ('open','pending','snoozed') "
	    "AND c.last_inbound_at > 0 AND c.last_msg_id > "
	    "coalesce(r.last_read_msg_id, 0))");
	sqlite3_bind_int64(st, 1, agent_id);
	json_object_set_new(j, "unread_mine", json_integer(store_count(st)));
	sub = json_object();
	st = STMT("SELECT l.name, count(cl.conversation_id) FROM labels l "
	    "LEFT JOIN conversation_labels cl ON cl.label_id = l.id "
	    "GROUP BY l.id ORDER BY l.name");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(sub, store_col_text(st, 0), json_integer(
		    sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	json_object_set_new(j, "labels", sub);
	sub = json_object();
	st = STMT("SELECT team, count(*) FROM conversations "
	    "WHERE team IS NOT NULL AND state != 'resolved' GROUP BY team");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(sub, store_col_text(st, 0), json_integer(
		    sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	json_object_set_new(j, "teams", sub);
	return (j);
}

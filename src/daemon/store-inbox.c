/*
 * The store's inbox half: the views agents triage from, assignment, states,
 * notes and mentions, labels, canned replies and per-agent read markers.
 * Views read only the conversations table and its indexes (doc/design.md
 * sections 3 and 8); the one per-row look at messages is the per-agent unread
 * count, bounded and skipped when the agent's marker is current.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "store.h"
#define STORE_SLOT_BASE	256
#include "store-int.h"
#include "xmalloc.h"

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

json_t *
store_conv_labels(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT l.name FROM conversation_labels cl "
	    "JOIN labels l ON l.id = cl.label_id "
	    "WHERE cl.conversation_id = ? ORDER BY l.name");
	sqlite3_bind_int64(st, 1, conv_id);
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_string(store_col_text(st, 0)));
	sqlite3_reset(st);
	return (arr);
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

	if (strcmp(view, "all") == 0)
		st = STMT(INBOX_SEL INBOX_FROM INBOX_PAGE);
	else if (strcmp(view, "mine") == 0)
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.assignee_id = ?1 "
		    "AND c.state != 'resolved' " INBOX_PAGE);
	else if (strcmp(view, "unassigned") == 0)
		st = STMT(INBOX_SEL INBOX_FROM "WHERE c.assignee_id IS NULL "
		    "AND c.state IN ('open','pending') " INBOX_PAGE);
	else if (strcmp(view, "open") == 0 || strcmp(view, "pending") == 0 ||
	    strcmp(view, "snoozed") == 0 || strcmp(view, "resolved") == 0) {
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
		lo = now - (int64_t)window_hours * 3600;
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
	lo = now - (int64_t)window_hours * 3600;
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

/* --- assignment and states --- */

int
store_conv_info(struct store *s, int64_t conv_id, struct store_conv_info *ci)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(ci, 0, sizeof *ci);
	st = STMT("SELECT c.contact_id, coalesce(c.assignee_id, 0), "
	    "coalesce(a.name, ''), c.state, coalesce(c.team, ''), "
	    "c.priority, c.last_msg_id FROM conversations c "
	    "LEFT JOIN agents a ON a.id = c.assignee_id WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ci->id = conv_id;
		ci->contact_id = sqlite3_column_int64(st, 0);
		ci->assignee_id = sqlite3_column_int64(st, 1);
		snprintf(ci->assignee, sizeof ci->assignee, "%s",
		    store_col_text(st, 2));
		snprintf(ci->state, sizeof ci->state, "%s",
		    store_col_text(st, 3));
		snprintf(ci->team, sizeof ci->team, "%s",
		    store_col_text(st, 4));
		ci->priority = sqlite3_column_int(st, 5);
		ci->last_msg_id = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

int
store_conv_claim(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	/* The condition is the lock: only one UPDATE can find it NULL. */
	st = STMT("UPDATE conversations SET assignee_id = ?2 "
	    "WHERE id = ?1 AND assignee_id IS NULL");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) == 1 ? 0 : 1);
}

int
store_conv_set_assignee(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET assignee_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_bind_id_or_null(st, 2, agent_id);
	return (store_step_done(s, st));
}

int
store_conv_set_team(struct store *s, int64_t conv_id, const char *team)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET team = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	store_bind_text_or_null(st, 2, team);
	return (store_step_done(s, st));
}

int
store_conv_set_state(struct store *s, int64_t conv_id, const char *state,
    int64_t snooze_until, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET state = ?2, "
	    "snooze_until = CASE WHEN ?2 = 'snoozed' THEN ?3 ELSE NULL END, "
	    "resolved_at = CASE WHEN ?2 = 'resolved' THEN ?4 ELSE NULL END "
	    "WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, snooze_until);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

int
store_conv_set_priority(struct store *s, int64_t conv_id, int priority)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE conversations SET priority = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int(st, 2, priority);
	return (store_step_done(s, st));
}

int
store_conv_snooze_due(struct store *s, int64_t now, int64_t *conv_id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id, contact_id FROM conversations "
	    "WHERE state = 'snoozed' AND snooze_until <= ? "
	    "ORDER BY snooze_until LIMIT 1");
	sqlite3_bind_int64(st, 1, now);
	return (store_row_int64(st, conv_id, contact_id));
}

int
store_conv_newer_inbound(struct store *s, int64_t conv_id,
    int64_t after_msg_id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT 1 FROM messages WHERE conversation_id = ? "
	    "AND id > ? AND direction = 'in' LIMIT 1");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, after_msg_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

int
store_conv_oldest_waiting(struct store *s, int64_t skip, int64_t *conv_id,
    int64_t *contact_id, char *team, size_t teamsz)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT id, contact_id, coalesce(team, '') "
	    "FROM conversations WHERE assignee_id IS NULL AND state = 'open' "
	    "ORDER BY CASE WHEN last_inbound_at > 0 THEN last_inbound_at "
	    "ELSE created END, id LIMIT 1 OFFSET ?");
	sqlite3_bind_int64(st, 1, skip);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*conv_id = sqlite3_column_int64(st, 0);
		*contact_id = sqlite3_column_int64(st, 1);
		snprintf(team, teamsz, "%s", store_col_text(st, 2));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

/* --- agents: team, capacity, load --- */

int
store_agent_set_team(struct store *s, int64_t id, const char *team)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE agents SET team = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text_or_null(st, 2, team);
	return (store_step_done(s, st));
}

int
store_agent_set_capacity(struct store *s, int64_t id, int capacity)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE agents SET capacity = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, capacity);
	return (store_step_done(s, st));
}

int
store_agent_inbox(struct store *s, int64_t id, char *team, size_t teamsz,
    int *capacity, int64_t *load)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT coalesce(team, ''), capacity, (SELECT count(*) "
	    "FROM conversations WHERE assignee_id = ?1 AND state IN "
	    "('open','pending')) FROM agents WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (team != NULL)
			snprintf(team, teamsz, "%s", store_col_text(st, 0));
		*capacity = sqlite3_column_int(st, 1);
		*load = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

/* --- notes and mentions --- */

int
store_note_add(struct store *s, int64_t conv_id, int64_t agent_id,
    const char *body, int64_t now, int64_t *note_id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int64_t		 cid, id;

	if (store_conv_contact(s, conv_id, &cid) != 0)
		return (-1);
	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	st = STMT("INSERT INTO notes (conversation_id, contact_id, agent_id, "
	    "created, body_enc) VALUES (?, ?, ?, ?, x'')");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, cid);
	store_bind_id_or_null(st, 3, agent_id);
	sqlite3_bind_int64(st, 4, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	id = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE notes SET body_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, key, "notes", "body", id, body,
	    strlen(body));
	sqlite3_bind_int64(st, 2, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_search_note(s, id, conv_id, cid, now, body);
	*note_id = id;
	return (0);
}

json_t *
store_note_list(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;
	json_t		*arr;
	const uint8_t	*key;
	int64_t		 id, cid;
	char		*body;

	arr = json_array();
	st = STMT("SELECT n.id, n.contact_id, a.name, n.created, n.body_enc "
	    "FROM notes n LEFT JOIN agents a ON a.id = n.agent_id "
	    "WHERE n.conversation_id = ? ORDER BY n.id");
	sqlite3_bind_int64(st, 1, conv_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		cid = sqlite3_column_int64(st, 1);
		key = store_dek(s, cid);
		body = store_col_open(st, 4, key, "notes", "body", id);
		json_array_append_new(arr, json_pack("{sI ss sI so}",
		    "id", (json_int_t)id, "agent", store_col_text(st, 2) !=
		    NULL ? store_col_text(st, 2) : "", "created",
		    (json_int_t)sqlite3_column_int64(st, 3), "body",
		    body != NULL ? json_string(body) : json_null()));
		if (body != NULL)
			crypt_wipe_free(body, strlen(body));
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_mention_add(struct store *s, int64_t note_id, int64_t agent_id,
    int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO mentions (note_id, agent_id, created) "
	    "VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, note_id);
	sqlite3_bind_int64(st, 2, agent_id);
	sqlite3_bind_int64(st, 3, now);
	return (store_step_done(s, st));
}

json_t *
store_mention_list(struct store *s, int64_t agent_id, int unseen_only,
    int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT m.id, n.conversation_id, n.id, a.name, m.created, "
	    "m.seen FROM mentions m JOIN notes n ON n.id = m.note_id "
	    "LEFT JOIN agents a ON a.id = n.agent_id "
	    "WHERE m.agent_id = ?1 AND (?2 = 0 OR m.seen = 0) "
	    "ORDER BY m.id DESC LIMIT ?3");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int(st, 2, unseen_only);
	sqlite3_bind_int64(st, 3, limit);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI sI sI ss sI sb}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "conversation", (json_int_t)sqlite3_column_int64(st, 1),
		    "note", (json_int_t)sqlite3_column_int64(st, 2),
		    "by", store_col_text(st, 3) != NULL ?
		    store_col_text(st, 3) : "",
		    "created", (json_int_t)sqlite3_column_int64(st, 4),
		    "seen", sqlite3_column_int(st, 5)));
	sqlite3_reset(st);
	return (arr);
}

int
store_mention_seen(struct store *s, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE mentions SET seen = 1 WHERE agent_id = ? "
	    "AND seen = 0");
	sqlite3_bind_int64(st, 1, agent_id);
	return (store_step_done(s, st));
}

/* --- labels --- */

int
store_label_id(struct store *s, const char *name, int64_t *id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id FROM labels WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return (store_row_int64(st, id, NULL));
}

/* 0 done, 1 the name is taken, -1 error. */
int
store_label_create(struct store *s, const char *name, const char *color,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("INSERT INTO labels (name, color) VALUES (?, ?)");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 2, color);
	if ((rc = store_step_unique(st)) == 0)
		*id = sqlite3_last_insert_rowid(s->db);
	return (rc);
}

int
store_label_rename(struct store *s, int64_t id, const char *name)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE labels SET name = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_unique(st));
}

int
store_label_delete(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM conversation_labels WHERE label_id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("DELETE FROM labels WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	return (store_step_done(s, st));
}

json_t *
store_label_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT l.id, l.name, l.color, (SELECT count(*) FROM "
	    "conversation_labels cl WHERE cl.label_id = l.id) FROM labels l "
	    "ORDER BY l.name");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI ss so sI}",
		    "id", (json_int_t)sqlite3_column_int64(st, 0),
		    "name", store_col_text(st, 1),
		    "color", sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    json_null() : json_string(store_col_text(st, 2)),
		    "conversations", (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	return (arr);
}

/* Returns 1 if something changed, 0 if it was already so, -1 error. */
int
store_conv_label(struct store *s, int64_t conv_id, int64_t label_id,
    int add)
{
	sqlite3_stmt	*st;

	if (add)
		st = STMT("INSERT OR IGNORE INTO conversation_labels "
		    "(conversation_id, label_id) VALUES (?, ?)");
	else
		st = STMT("DELETE FROM conversation_labels "
		    "WHERE conversation_id = ? AND label_id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, label_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0);
}

int
store_conv_has_label(struct store *s, int64_t conv_id, const char *name)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT 1 FROM conversation_labels cl JOIN labels l "
	    "ON l.id = cl.label_id WHERE cl.conversation_id = ? "
	    "AND l.name = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW);
}

/* --- canned replies (company content, clear) --- */

static json_t *
store_canned_row(sqlite3_stmt *st)
{
	return (json_pack("{sI ss ss ss so so sI}",
	    "id", (json_int_t)sqlite3_column_int64(st, 0),
	    "shortcut", store_col_text(st, 1),
	    "title", store_col_text(st, 2),
	    "body", store_col_text(st, 3),
	    "language", sqlite3_column_type(st, 4) == SQLITE_NULL ?
	    json_null() : json_string(store_col_text(st, 4)),
	    "team", sqlite3_column_type(st, 5) == SQLITE_NULL ?
	    json_null() : json_string(store_col_text(st, 5)),
	    "updated", (json_int_t)sqlite3_column_int64(st, 6)));
}

#define CANNED_COLS "id, shortcut, title, body, language, team, updated "

json_t *
store_canned_list(struct store *s, const char *team, const char *language)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT " CANNED_COLS "FROM canned_replies "
	    "WHERE (?1 IS NULL OR team IS NULL OR team = ?1) "
	    "AND (?2 IS NULL OR language IS NULL OR language = ?2) "
	    "ORDER BY shortcut");
	store_bind_text_or_null(st, 1, team);
	store_bind_text_or_null(st, 2, language);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, store_canned_row(st));
	sqlite3_reset(st);
	return (arr);
}

json_t *
store_canned_get(struct store *s, const char *shortcut)
{
	sqlite3_stmt	*st;
	json_t		*o = NULL;

	st = STMT("SELECT " CANNED_COLS "FROM canned_replies "
	    "WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		o = store_canned_row(st);
	sqlite3_reset(st);
	return (o);
}

/* Inserts or replaces by shortcut; *created says which. */
int
store_canned_put(struct store *s, const char *shortcut, const char *title,
    const char *body, const char *language, const char *team, int64_t now,
    int64_t *id, int *created)
{
	sqlite3_stmt	*st;
	json_t		*old;

	old = store_canned_get(s, shortcut);
	*created = old == NULL;
	json_decref(old);
	st = STMT("INSERT INTO canned_replies (shortcut, title, body, "
	    "language, team, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?6) ON CONFLICT (shortcut) DO UPDATE SET title = ?2, "
	    "body = ?3, language = ?4, team = ?5, updated = ?6");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 4, language);
	store_bind_text_or_null(st, 5, team);
	sqlite3_bind_int64(st, 6, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("SELECT id FROM canned_replies WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	*id = store_count(st);
	return (0);
}

int
store_canned_rename(struct store *s, int64_t id, const char *shortcut)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE canned_replies SET shortcut = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_unique(st));
}

int
store_canned_remove(struct store *s, const char *shortcut)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM canned_replies WHERE shortcut = ?");
	sqlite3_bind_text(st, 1, shortcut, -1, SQLITE_TRANSIENT);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0 ? 0 : 1);
}

/* The contact's clear display name, or NULL; the caller wipes and frees. */
char *
store_contact_name(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	char		*name = NULL;

	st = STMT("SELECT name_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		name = store_col_open(st, 0, store_dek(s, contact_id),
		    "contacts", "name", contact_id);
	sqlite3_reset(st);
	return (name);
}

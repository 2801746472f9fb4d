/*
 * Agents: the Unix users who work the inbox (added by an administrator, found
 * by the uid a client connects with), their roles, teams, capacity and load.
 */
#include <stdio.h>

#include "store.h"
#define STORE_SLOT_BASE	768
#include "store-int.h"
#include "xmalloc.h"

static void
store_agent_row(sqlite3_stmt *st, struct store_agent *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->uid = sqlite3_column_int64(st, 1);
	snprintf(a->name, sizeof a->name, "%s",
	    (const char *)sqlite3_column_text(st, 2));
	snprintf(a->role, sizeof a->role, "%s",
	    (const char *)sqlite3_column_text(st, 3));
	a->active = sqlite3_column_int(st, 4);
	snprintf(a->team, sizeof a->team, "%s", sqlite3_column_type(st, 5) ==
	    SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 5));
	a->removed = sqlite3_column_type(st, 6) != SQLITE_NULL;
	a->away = sqlite3_column_int64(st, 7);
}

/* A removed agent shows the uid it had, not the -id that freed it. */
#define AGENT_COLS "id, coalesce(removed_uid, uid), name, role, active, " \
	"team, removed, away"

int
store_agent_add(struct store *s, int64_t uid, const char *name,
    const char *role, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * A login given to someone again after its agent was removed: the
	 * removed row (kept for the audit trail) gives up the name.
	 */
	st = STMT("UPDATE agents SET name = name || '~' || id WHERE name = ? "
	    "AND removed IS NOT NULL");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (store_step_done(s, st) != 0) {
		*cause = xasprintf("database error: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	st = STMT("INSERT INTO agents (uid, name, role, created) "
	    "VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, uid);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, store_now_s());
	rc = store_step_unique(st);
	if (rc == 1) {
		*cause = xasprintf("agent '%s' already exists", name);
		return (-1);
	}
	if (rc != 0) {
		*cause = xasprintf("database error: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return (0);
}

static enum store_found
store_agent_one(sqlite3_stmt *st, struct store_agent *a)
{
	enum store_found	found;
	int			rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_agent_row(st, a);
		found = STORE_FOUND;
	} else
		found = rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR;
	sqlite3_reset(st);
	return (found);
}

enum store_found
store_agent_by_uid(struct store *s, int64_t uid, struct store_agent *a)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT " AGENT_COLS " FROM agents WHERE uid = ?");
	sqlite3_bind_int64(st, 1, uid);
	return (store_agent_one(st, a));
}

enum store_found
store_agent_by_name(struct store *s, const char *name, struct store_agent *a)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT " AGENT_COLS " FROM agents WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return (store_agent_one(st, a));
}

json_t *
store_agent_list(struct store *s)
{
	return (store_agent_list_all(s, 0));
}

json_t *
store_agent_list_all(struct store *s, int all)
{
	sqlite3_stmt		*st;
	struct store_agent	 a;
	json_t			*arr, *o;

	arr = json_array();
	st = STMT("SELECT " AGENT_COLS ", display_name FROM agents "
	    "WHERE ?1 OR removed IS NULL ORDER BY name");
	sqlite3_bind_int(st, 1, all);
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_agent_row(st, &a);
		o = json_pack("{sI sI ss ss sb ss? sI}",
		    "id", (json_int_t)a.id, "uid", (json_int_t)a.uid,
		    "name", a.name, "role", a.role, "active", a.active,
		    "display_name", store_col_text(st, 8), "away",
		    (json_int_t)a.away);
		if (a.removed)
			json_object_set_new(o, "removed", json_true());
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_agent_remove(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE agents SET active = 0, removed = ?2, "
	    "removed_uid = uid, uid = -id WHERE id = ?1 AND removed IS NULL");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, store_now_s());
	return (store_step_done(s, st));
}

json_t *
store_agent_held(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	arr = json_array();
	st = STMT("SELECT id, contact_id FROM conversations WHERE "
	    "assignee_id = ? AND state IN ('open','pending','snoozed') "
	    "ORDER BY id");
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("[II]",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    (json_int_t)sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return (arr);
}

int
store_agent_set(struct store *s, int64_t id, const char *role, int active)
{
	sqlite3_stmt	*st;

	if (role != NULL) {
		st = STMT("UPDATE agents SET role = ? WHERE id = ?");
		sqlite3_bind_text(st, 1, role, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, id);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	if (active != -1) {
		st = STMT("UPDATE agents SET active = ? WHERE id = ?");
		sqlite3_bind_int(st, 1, active);
		sqlite3_bind_int64(st, 2, id);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	return (0);
}

int64_t
store_agent_count(struct store *s)
{
	return (store_count(STMT("SELECT count(*) FROM agents")));
}

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
store_agent_set_away(struct store *s, int64_t id, int64_t at)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE agents SET away = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
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

enum store_found
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
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_agent_set_display(struct store *s, int64_t id, const char *display)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE agents SET display_name = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	store_bind_text_or_null(st, 2, display);
	return (store_step_done(s, st));
}

void
store_agent_display(struct store *s, int64_t id, char *buf, size_t len)
{
	sqlite3_stmt	*st;

	buf[0] = '\0';
	st = STMT("SELECT coalesce(display_name, name) FROM agents "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && store_col_text(st, 0) != NULL)
		snprintf(buf, len, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
}

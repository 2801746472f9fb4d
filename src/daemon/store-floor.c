/*
 * The supervisor's floor view (issue 19, floor.get): counts per team and
 * queue, the longest wait, SLA breaches, windows closing, the agents' load
 * and the outbox's backlog and failures. Aggregates only: no column read
 * here is sealed or personal. Each query walks an index that bounds it by
 * what is open now (not by the history), so the view costs the same with
 * 100 or 100,000 resolved conversations behind it.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	5248
#include "store-int.h"
#include "wa-payload.h"

/* The queues of a team, in the order clients show them. */
static const char *const store_floor_queues[] = { "open", "pending",
    "snoozed", "unassigned", "total" };
#define STORE_FLOOR_NQUEUES \
	(sizeof store_floor_queues / sizeof store_floor_queues[0])

/* The team's entry of teams (by name, "" for none), made on first use. */
static json_t *
store_floor_team(json_t *teams, json_t *index, const char *team)
{
	json_t	*t, *q;
	size_t	 i;

	if ((t = json_object_get(index, team)) != NULL)
		return (t);
	q = json_object();
	for (i = 0; i < STORE_FLOOR_NQUEUES; i++)
		json_object_set_new(q, store_floor_queues[i], json_pack(
		    "{sI sI sI sI}", "count", (json_int_t)0, "longest_wait",
		    (json_int_t)0, "breaches", (json_int_t)0, "window_closing",
		    (json_int_t)0));
	t = json_pack("{so? so}", "team", *team != '\0' ? json_string(team) :
	    NULL, "queues", q);
	json_array_append_new(teams, t);
	json_object_set(index, team, t);
	return (t);
}

/* Adds n to the queue's key. */
static void
store_floor_add(json_t *team, const char *queue, const char *key,
    int64_t n)
{
	json_t	*q = json_object_get(json_object_get(team, "queues"), queue);

	json_object_set_new(q, key, json_integer(json_integer_value(
	    json_object_get(q, key)) + n));
}

/* The queues a row of (state, unassigned) counts in. */
static void
store_floor_each(json_t *team, const char *state, int unassigned,
    const char *key, int64_t n)
{
	store_floor_add(team, state, key, n);
	store_floor_add(team, "total", key, n);
	/* The unassigned queue is the tally's: open or pending, nobody's. */
	if (unassigned && strcmp(state, "snoozed") != 0)
		store_floor_add(team, "unassigned", key, n);
}

/*
 * The oldest waiting_since of the team's open conversations (only
 * unassigned ones if unassigned), 0 if nobody waits: conv_team_waiting
 * in order, from the longest waiting, to the first that is open.
 */
static int64_t
store_floor_oldest(struct store *s, json_t *team, int unassigned)
{
	sqlite3_stmt	*st;
	int64_t		 since = 0;

	st = STMT("SELECT waiting_since FROM conversations "
	    "INDEXED BY conv_team_waiting WHERE team IS ?1 "
	    "AND waiting_since > 0 AND state = 'open' "
	    "AND (?2 = 0 OR assignee_id IS NULL) "
	    "ORDER BY waiting_since LIMIT 1");
	store_bind_text_or_null(st, 1, json_string_value(json_object_get(team,
	    "team")));
	sqlite3_bind_int(st, 2, unassigned);
	if (sqlite3_step(st) == SQLITE_ROW)
		since = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (since);
}

/*
 * One query per figure, each on an index that bounds it by what is not
 * resolved (the counts read conv_team_state alone, without the table):
 * at 100,000 conversations a single GROUP BY over the rows themselves
 * took 5 times as long.
 */
json_t *
store_floor_teams(struct store *s, int64_t now, int64_t win_lo,
    int64_t win_hi)
{
	sqlite3_stmt	*st;
	json_t		*teams = json_array(), *index = json_object(), *t;
	int64_t		 since;
	size_t		 i;

	st = STMT("SELECT coalesce(team, ''), state, count(*) "
	    "FROM conversations INDEXED BY conv_team_state "
	    "WHERE state IN ('open','pending','snoozed') "
	    "GROUP BY team, state ORDER BY team");
	while (sqlite3_step(st) == SQLITE_ROW)
		store_floor_each(store_floor_team(teams, index,
		    store_col_text(st, 0)), store_col_text(st, 1), 0, "count",
		    sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	st = STMT("SELECT coalesce(team, ''), count(*) FROM conversations "
	    "WHERE assignee_id IS NULL AND state IN ('open','pending') "
	    "GROUP BY 1");
	while (sqlite3_step(st) == SQLITE_ROW)
		store_floor_add(store_floor_team(teams, index,
		    store_col_text(st, 0)), "unassigned", "count",
		    sqlite3_column_int64(st, 1));
	sqlite3_reset(st);
	/* The window view's range (window.c's bounds, from the caller). */
	st = STMT("SELECT coalesce(team, ''), state, assignee_id IS NULL, "
	    "count(*) FROM conversations INDEXED BY conv_inbound_state "
	    "WHERE last_inbound_at > ?1 AND last_inbound_at <= ?2 "
	    "AND state IN ('open','pending','snoozed') GROUP BY 1, 2, 3");
	sqlite3_bind_int64(st, 1, win_lo);
	sqlite3_bind_int64(st, 2, win_hi);
	while (sqlite3_step(st) == SQLITE_ROW)
		store_floor_each(store_floor_team(teams, index,
		    store_col_text(st, 0)), store_col_text(st, 1),
		    sqlite3_column_int(st, 2), "window_closing",
		    sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	/*
	 * Running clocks past their due, found through sla_running_due (the
	 * running ones with a target only); CROSS JOIN keeps the clocks the
	 * outer loop, or SQLite walks every open conversation instead.
	 * Resolving stops a conversation's clocks.
	 */
	st = STMT("SELECT coalesce(c.team, ''), c.state, "
	    "c.assignee_id IS NULL, count(*) FROM sla_clocks k "
	    "CROSS JOIN conversations c ON c.id = k.conversation_id "
	    "WHERE k.stopped IS NULL AND k.due > 0 AND k.due <= ?1 "
	    "AND c.state IN ('open','pending','snoozed') "
	    "GROUP BY 1, 2, 3");
	sqlite3_bind_int64(st, 1, now);
	while (sqlite3_step(st) == SQLITE_ROW)
		store_floor_each(store_floor_team(teams, index,
		    store_col_text(st, 0)), store_col_text(st, 1),
		    sqlite3_column_int(st, 2), "breaches",
		    sqlite3_column_int64(st, 3));
	sqlite3_reset(st);
	/* Only open customers wait: pending and snoozed ones stay 0. */
	json_array_foreach(teams, i, t) {
		if ((since = store_floor_oldest(s, t, 0)) > 0) {
			store_floor_add(t, "open", "longest_wait",
			    now > since ? now - since : 0);
			store_floor_add(t, "total", "longest_wait",
			    now > since ? now - since : 0);
		}
		if ((since = store_floor_oldest(s, t, 1)) > 0)
			store_floor_add(t, "unassigned", "longest_wait",
			    now > since ? now - since : 0);
	}
	json_decref(index);
	return (teams);
}

int
store_floor_agents(struct store *s, int (*fn)(const struct store_floor_agent *,
    void *), void *arg)
{
	sqlite3_stmt			*st;
	struct store_floor_agent	 a;
	int				 rc;

	/* The load is auto-assignment's (store_agent_inbox): open, pending. */
	st = STMT("SELECT a.id, a.uid, a.name, coalesce(a.display_name, ''), "
	    "a.role, coalesce(a.team, ''), a.capacity, (SELECT count(*) "
	    "FROM conversations c WHERE c.assignee_id = a.id AND c.state IN "
	    "('open','pending')), a.away FROM agents a WHERE a.active = 1 AND "
	    "a.removed IS NULL ORDER BY a.name");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(st, 0);
		a.uid = sqlite3_column_int64(st, 1);
		a.name = store_col_text(st, 2);
		a.display = store_col_text(st, 3);
		a.role = store_col_text(st, 4);
		a.team = store_col_text(st, 5);
		a.capacity = sqlite3_column_int64(st, 6);
		a.load = sqlite3_column_int64(st, 7);
		a.away = sqlite3_column_int64(st, 8);
		if (fn(&a, arg) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_floor_outbox(struct store *s, int64_t now_ms,
    struct store_floor_outbox *o)
{
	sqlite3_stmt	*st;

	memset(o, 0, sizeof o[0]);
	/* Both walk outbox_state over the rows waiting to go only. */
	st = STMT("SELECT count(*), coalesce(sum(state = 'queued' AND "
	    "held_until > ?1), 0), min(created) FROM outbox "
	    "WHERE state IN ('queued','sending')");
	sqlite3_bind_int64(st, 1, now_ms);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (-1);
	}
	o->backlog = sqlite3_column_int64(st, 0);
	o->held = sqlite3_column_int64(st, 1);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		o->oldest_ms = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return (0);
}

int
store_floor_failures(struct store *s, int64_t since,
    int (*fn)(int64_t code, int64_t n, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * The messages that failed (5: WA_ST_FAILED, literal so that the
	 * partial index applies), whether the Graph API refused them or a
	 * status webhook said so later; msg_failed holds only those.
	 */
	st = STMT("SELECT coalesce(error_code, 0), count(*) FROM messages "
	    "INDEXED BY msg_failed WHERE status = 5 AND direction = 'out' "
	    "AND status_ts >= ?1 GROUP BY 1 ORDER BY 2 DESC, 1");
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn(sqlite3_column_int64(st, 0), sqlite3_column_int64(st,
		    1), arg) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Reports (issue 19; doc/reports.md): the rows the figures are made of,
 * read from timestamps, ids, counts and the clear columns (a send's Meta
 * error code, a survey's rating, a label's name). Nothing here opens a
 * sealed column; report.c does the arithmetic.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	5504
#include "store-int.h"

/* The filters every query shares: ?3 team, ?4 number (NULL: all). */
static void
store_report_bind(sqlite3_stmt *st, int64_t from, int64_t to,
    const char *team, const char *number)
{
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (team != NULL)
		sqlite3_bind_text(st, 3, team, -1, SQLITE_STATIC);
	if (number != NULL)
		sqlite3_bind_text(st, 4, number, -1, SQLITE_STATIC);
}

static int64_t
store_report_col(sqlite3_stmt *st, int i, int64_t null)
{
	return (sqlite3_column_type(st, i) == SQLITE_NULL ? null :
	    sqlite3_column_int64(st, i));
}

static int
store_report_walk(struct store *s, sqlite3_stmt *st, int labelled,
    store_report_fn fn, void *arg)
{
	struct store_report_clock	 c;
	int				 rc;

	(void)s;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		c.kind = (const char *)sqlite3_column_text(st, 0);
		c.started = sqlite3_column_int64(st, 1);
		c.last_in = sqlite3_column_int64(st, 2);
		c.stopped = store_report_col(st, 3, 0);
		c.msg_id = store_report_col(st, 4, 0);
		c.agent_id = store_report_col(st, 5, 0);
		c.team = (const char *)sqlite3_column_text(st, 6);
		c.due = store_report_col(st, 7, -1);
		c.label = labelled ? (const char *)sqlite3_column_text(st, 8) :
		    NULL;
		if (fn(&c, arg) != 0) {
			sqlite3_reset(st);
			return (-1);
		}
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

int
store_report_clocks(struct store *s, int kinds, int by_stopped, int64_t from,
    int64_t to, const char *team, const char *number, store_report_fn fn,
    void *arg)
{
	sqlite3_stmt	*st;
	int		 rc = 0, k;
	static const char *names[] = { "first", "next", "resolution" };

	for (k = 0; k < 3 && rc == 0; k++) {
		if (!(kinds & (1 << k)))
			continue;
		/* One index range each (sla_kind_started, sla_kind_stopped). */
		if (by_stopped)
			st = STMT("SELECT kind, started, last_in, stopped, "
			    "msg_id, agent_id, team, due FROM sla_clocks "
			    "WHERE kind = ?5 AND stopped >= ?1 AND stopped < ?2 "
			    "AND (?3 IS NULL OR team = ?3) "
			    "AND (?4 IS NULL OR phone_number_id = ?4)");
		else
			st = STMT("SELECT kind, started, last_in, stopped, "
			    "msg_id, agent_id, team, due FROM sla_clocks "
			    "WHERE kind = ?5 AND started >= ?1 AND started < ?2 "
			    "AND (?3 IS NULL OR team = ?3) "
			    "AND (?4 IS NULL OR phone_number_id = ?4)");
		store_report_bind(st, from, to, team, number);
		sqlite3_bind_text(st, 5, names[k], -1, SQLITE_STATIC);
		rc = store_report_walk(s, st, 0, fn, arg);
	}
	return (rc);
}

int
store_report_labelled(struct store *s, int by_stopped, int64_t from,
    int64_t to, const char *team, const char *number, store_report_fn fn,
    void *arg)
{
	sqlite3_stmt	*st;

	/* A clock of an erased conversation has lost its labels with it. */
	if (by_stopped)
		st = STMT("SELECT c.kind, c.started, c.last_in, c.stopped, "
		    "c.msg_id, c.agent_id, c.team, c.due, l.name "
		    "FROM sla_clocks c JOIN conversation_labels cl "
		    "ON cl.conversation_id = c.conversation_id "
		    "JOIN labels l ON l.id = cl.label_id "
		    "WHERE c.kind = 'resolution' AND c.stopped >= ?1 "
		    "AND c.stopped < ?2 AND (?3 IS NULL OR c.team = ?3) "
		    "AND (?4 IS NULL OR c.phone_number_id = ?4)");
	else
		st = STMT("SELECT c.kind, c.started, c.last_in, c.stopped, "
		    "c.msg_id, c.agent_id, c.team, c.due, l.name "
		    "FROM sla_clocks c JOIN conversation_labels cl "
		    "ON cl.conversation_id = c.conversation_id "
		    "JOIN labels l ON l.id = cl.label_id "
		    "WHERE c.kind = 'resolution' AND c.started >= ?1 "
		    "AND c.started < ?2 AND (?3 IS NULL OR c.team = ?3) "
		    "AND (?4 IS NULL OR c.phone_number_id = ?4)");
	store_report_bind(st, from, to, team, number);
	return (store_report_walk(s, st, 1, fn, arg));
}

json_t *
store_report_replies(struct store *s, int64_t from, int64_t to,
    const char *team, const char *number)
{
	sqlite3_stmt	*st;
	json_t		*r = json_object();
	char		 key[24];
	int		 rc;

	/* An agent's replies (not reactions) sent in range, by agent id. */
	st = STMT("SELECT m.agent_id, count(*) FROM messages m "
	    "JOIN conversations c ON c.id = m.conversation_id "
	    "WHERE m.agent_id IS NOT NULL AND m.direction = 'out' "
	    "AND m.type != 'reaction' AND m.ts >= ?1 AND m.ts < ?2 "
	    "AND (?3 IS NULL OR c.team = ?3) "
	    "AND (?4 IS NULL OR c.phone_number_id = ?4) "
	    "GROUP BY m.agent_id");
	store_report_bind(st, from, to, team, number);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%lld",
		    (long long)sqlite3_column_int64(st, 0));
		json_object_set_new(r, key,
		    json_integer(sqlite3_column_int64(st, 1)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(r);
		return (NULL);
	}
	return (r);
}

json_t *
store_report_agents(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*r = json_object();
	char		 key[24];
	int		 rc;

	st = STMT("SELECT id, name FROM agents");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(key, sizeof key, "%lld",
		    (long long)sqlite3_column_int64(st, 0));
		json_object_set_new(r, key, json_string((const char *)
		    sqlite3_column_text(st, 1)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(r);
		return (NULL);
	}
	return (r);
}

json_t *
store_report_failures(struct store *s, int64_t from, int64_t to,
    const char *team, const char *number)
{
	sqlite3_stmt	*st;
	json_t		*r = json_array();
	int		 rc;

	/* status 5 (WA_ST_FAILED): the msg_failed index holds only them. */
	st = STMT("SELECT coalesce(m.error_code, 0), count(*) "
	    "FROM messages m INDEXED BY msg_failed "
	    "JOIN conversations c ON c.id = m.conversation_id "
	    "WHERE m.status = 5 AND m.direction = 'out' "
	    "AND m.ts >= ?1 AND m.ts < ?2 "
	    "AND (?3 IS NULL OR c.team = ?3) "
	    "AND (?4 IS NULL OR c.phone_number_id = ?4) "
	    "GROUP BY 1 ORDER BY 2 DESC, 1");
	store_report_bind(st, from, to, team, number);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(r, json_pack("{sI sI}", "code",
		    (json_int_t)sqlite3_column_int64(st, 0), "count",
		    (json_int_t)sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(r);
		return (NULL);
	}
	return (r);
}

json_t *
store_report_survey(struct store *s, int64_t from, int64_t to,
    const char *team, const char *number)
{
	sqlite3_stmt	*st;
	json_t		*r = json_object(), *q;
	const char	*scale;
	char		 key[24];
	int		 rc;

	/* Sent in range, and the ratings given in range (in clear). */
	st = STMT("SELECT s.scale, 'sent', count(*) FROM surveys s "
	    "LEFT JOIN conversations c ON c.id = s.conversation_id "
	    "WHERE s.sent_at >= ?1 AND s.sent_at < ?2 "
	    "AND (?3 IS NULL OR s.team = ?3) "
	    "AND (?4 IS NULL OR c.phone_number_id = ?4) GROUP BY s.scale "
	    "UNION ALL SELECT s.scale, s.rating, count(*) FROM surveys s "
	    "LEFT JOIN conversations c ON c.id = s.conversation_id "
	    "WHERE s.state = 'answered' AND s.rating IS NOT NULL "
	    "AND s.answered_at >= ?1 AND s.answered_at < ?2 "
	    "AND (?3 IS NULL OR s.team = ?3) "
	    "AND (?4 IS NULL OR c.phone_number_id = ?4) "
	    "GROUP BY s.scale, s.rating");
	store_report_bind(st, from, to, team, number);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		scale = (const char *)sqlite3_column_text(st, 0);
		if ((q = json_object_get(r, scale)) == NULL) {
			q = json_pack("{sI sI s{}}", "sent", (json_int_t)0,
			    "answered", (json_int_t)0, "distribution");
			json_object_set_new(r, scale, q);
		}
		if (sqlite3_column_type(st, 1) == SQLITE_TEXT) {
			json_object_set_new(q, "sent", json_integer(
			    sqlite3_column_int64(st, 2)));
			continue;
		}
		snprintf(key, sizeof key, "%lld",
		    (long long)sqlite3_column_int64(st, 1));
		json_object_set_new(json_object_get(q, "distribution"), key,
		    json_integer(sqlite3_column_int64(st, 2)));
		json_object_set_new(q, "answered", json_integer(
		    json_integer_value(json_object_get(q, "answered")) +
		    sqlite3_column_int64(st, 2)));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(r);
		return (NULL);
	}
	return (r);
}

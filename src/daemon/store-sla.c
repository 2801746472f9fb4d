/*
 * Service-level clocks: the two changes the triggers of migration 20
 * cannot tell apart from others (see store.h). Everything else about when
 * a clock starts and stops is those triggers'; the targets and deadlines
 * are sla.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf-sla.h"
#include "store.h"
#define STORE_SLOT_BASE	5376
#include "store-int.h"
#include "xmalloc.h"

int
store_sla_resume(struct store *s, int64_t conv_id)
{
	sqlite3_stmt	*st;

	/* The last cycle's clocks that the resolve stopped (not answers). */
	st = STMT("UPDATE sla_clocks SET stopped = NULL, "
	    "agent_id = CASE WHEN kind = 'resolution' THEN NULL "
	    "ELSE agent_id END "
	    "WHERE conversation_id = ?1 AND msg_id IS NULL "
	    "AND (id, stopped) IN (SELECT c.id, c.stopped FROM sla_clocks c, "
	    "(SELECT id, stopped FROM sla_clocks WHERE conversation_id = ?1 "
	    "AND kind = 'resolution' ORDER BY id DESC LIMIT 1) r "
	    "WHERE c.conversation_id = ?1 AND c.id >= r.id "
	    "AND c.stopped = r.stopped) "
	    "AND NOT EXISTS (SELECT 1 FROM sla_clocks WHERE "
	    "conversation_id = ?1 AND kind = 'resolution' "
	    "AND stopped IS NULL)");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

int
store_sla_unanswer(struct store *s, int64_t msg_id)
{
	sqlite3_stmt	*st;
	int64_t		 id, conv, newer = 0, last_in = 0;

	st = STMT("SELECT id, conversation_id FROM sla_clocks "
	    "WHERE msg_id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	if (store_row_int64(st, &id, &conv) != 0)
		return (0);		/* it answered nobody */
	/* The customer wrote again after the answer: that wait goes into
	 * the one that runs again. */
	st = STMT("SELECT id, last_in FROM sla_clocks WHERE "
	    "conversation_id = ? AND kind = 'next' AND stopped IS NULL "
	    "AND id > ?");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_int64(st, 2, id);
	if (store_row_int64(st, &newer, &last_in) == 0) {
		st = STMT("DELETE FROM sla_clocks WHERE id = ?");
		sqlite3_bind_int64(st, 1, newer);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	st = STMT("UPDATE sla_clocks SET stopped = NULL, msg_id = NULL, "
	    "agent_id = NULL, last_in = max(last_in, ?2) WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, last_in);
	return (store_step_done(s, st));
}

/* --- deadlines and breaches (sla.c) --- */

static int
store_sla_fill(sqlite3_stmt *st, struct store_sla_clock *c, int max)
{
	const char	*team;
	int		 n = 0, rc;

	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&c[n], 0, sizeof c[n]);
		c[n].id = sqlite3_column_int64(st, 0);
		c[n].conv = sqlite3_column_int64(st, 1);
		c[n].kind = conf_sla_kind_from(store_col_text(st, 2));
		c[n].started = sqlite3_column_int64(st, 3);
		c[n].due = sqlite3_column_int64(st, 4);
		c[n].priority = sqlite3_column_int64(st, 5);
		team = store_col_text(st, 6);
		c[n].team = team != NULL ? xstrdup(team) : NULL;
		n++;
	}
	if (n < max && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		store_sla_clocks_free(c, n);
		return (-1);
	}
	sqlite3_reset(st);
	return (n);
}

int
store_sla_undue(struct store *s, struct store_sla_clock *c, int max,
    int running)
{
	sqlite3_stmt	*st;

	/* The sla_undue indexes: the few without a deadline, by team. */
	if (running)
		st = STMT("SELECT id, conversation_id, kind, started, 0, "
		    "priority, team FROM (SELECT * FROM sla_clocks "
		    "INDEXED BY sla_undue_running WHERE due IS NULL AND "
		    "stopped IS NULL ORDER BY id LIMIT ?) ORDER BY team, id");
	else
		st = STMT("SELECT id, conversation_id, kind, started, 0, "
		    "priority, team FROM (SELECT * FROM sla_clocks "
		    "INDEXED BY sla_undue WHERE due IS NULL "
		    "ORDER BY id LIMIT ?) ORDER BY team, id");
	sqlite3_bind_int(st, 1, max);
	return (store_sla_fill(st, c, max));
}

int
store_sla_overdue(struct store *s, int64_t now, struct store_sla_clock *c,
    int max)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT id, conversation_id, kind, started, due, priority, "
	    "team FROM sla_clocks INDEXED BY sla_running_due "
	    "WHERE stopped IS NULL AND due > 0 AND due <= ?1 "
	    "AND breached_at IS NULL ORDER BY due, id LIMIT ?2");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max);
	return (store_sla_fill(st, c, max));
}

void
store_sla_clocks_free(struct store_sla_clock *c, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		free(c[i].team);
		c[i].team = NULL;
	}
}

int
store_sla_set_due(struct store *s, int64_t id, int64_t due)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE sla_clocks SET due = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, due);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

int
store_sla_breach(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE sla_clocks SET breached_at = ? WHERE id = ? "
	    "AND breached_at IS NULL AND stopped IS NULL");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db) > 0);
}

int64_t
store_sla_redue(struct store *s)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE sla_clocks SET due = NULL WHERE stopped IS NULL");
	if (store_step_done(s, st) != 0)
		return (-1);
	return (sqlite3_changes(s->db));
}

int
store_sla_running(struct store *s, int64_t conv, struct store_sla_clock *c,
    int max)
{
	sqlite3_stmt	*st;

	/* The sla_conv index: the conversation's few clocks; due NULL
	 * (not computed yet) too, and 0 (no target) left out. */
	st = STMT("SELECT id, conversation_id, kind, started, "
	    "coalesce(due, -1), priority, team FROM sla_clocks "
	    "INDEXED BY sla_conv WHERE conversation_id = ? "
	    "AND stopped IS NULL AND (due IS NULL OR due > 0) ORDER BY id");
	sqlite3_bind_int64(st, 1, conv);
	return (store_sla_fill(st, c, max));
}

int64_t
store_sla_breaching_count(struct store *s, int64_t until)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT count(DISTINCT conversation_id) FROM sla_clocks "
	    "INDEXED BY sla_running_due WHERE stopped IS NULL AND due > 0 "
	    "AND due <= ?");
	sqlite3_bind_int64(st, 1, until);
	return (store_count(st));
}

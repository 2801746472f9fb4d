/*
 * Service-level clocks: the two changes the triggers of migration 20
 * cannot tell apart from others (see store.h). Everything else about when
 * a clock starts and stops is those triggers'; the targets and deadlines
 * are sla.c's.
 */
#include <stdint.h>

#include "store.h"
#define STORE_SLOT_BASE	5376
#include "store-int.h"

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

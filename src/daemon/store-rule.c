/*
 * Rules in the store (issue 16): which rules a supervisor switched off
 * (rule_state, so a switch survives restarts without the operator's file
 * being rewritten), what the timer triggers already fired (rule_fired),
 * and the look-ups a rule's conditions and timers make.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	4096
#include "store-int.h"

#define STORE_RULE_DUE_MAX	100	/* conversations per timer look */

int
store_rule_disabled(struct store *s, const char *rule)
{
	sqlite3_stmt	*st;
	int64_t		 v = 0;

	st = STMT("SELECT disabled FROM rule_state WHERE rule = ?");
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_TRANSIENT);
	switch (store_row_int64(st, &v, NULL)) {
	case STORE_FOUND:
		return (v != 0);
	case STORE_NONE:
		return (0);
	default:
		return (-1);
	}
}

int
store_rule_set_disabled(struct store *s, const char *rule, int disabled,
    const char *by, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO rule_state (rule, disabled, by, at) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (rule) DO UPDATE SET "
	    "disabled = ?2, by = ?3, at = ?4");
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, disabled != 0);
	store_bind_text_or_null(st, 3, by);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

json_t *
store_rule_states(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*o = json_object();

	st = STMT("SELECT rule, disabled, by, at FROM rule_state");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(o, store_col_text(st, 0), json_pack(
		    "{sb ss? sI}", "disabled", sqlite3_column_int(st, 1),
		    "by", store_col_text(st, 2), "at",
		    (json_int_t)sqlite3_column_int64(st, 3)));
	sqlite3_reset(st);
	return (o);
}

int
store_rule_conv_has_label(struct store *s, int64_t conv, const char *name)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	st = STMT("SELECT count(*) FROM conversation_labels cl JOIN labels l "
	    "ON l.id = cl.label_id WHERE cl.conversation_id = ? AND "
	    "l.name = ?");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	n = store_count(st);
	return (n < 0 ? -1 : n > 0);
}

/*
 * Conversations a timer of rule is due for: [[conv, contact, mark], ...],
 * mark the last customer message's time the timer counts from, not yet
 * in rule_fired. no_reply: open or pending, no agent's message since
 * that time, which is at least secs ago (and at most a day more: a timer
 * missed for longer is let go). Otherwise the window (window_secs after
 * that time) closes within secs from now and is still open.
 */
json_t *
store_rule_due(struct store *s, const char *rule, int no_reply,
    int64_t secs, int64_t window_secs, int64_t now)
{
	sqlite3_stmt	*st;
	json_t		*rows = json_array();
	int64_t		 lo, hi;

	if (no_reply) {
		hi = now - secs;
		lo = hi - 86400;
		st = STMT("SELECT c.id, c.contact_id, c.last_inbound_at FROM "
		    "conversations c WHERE c.last_inbound_at > ?1 AND "
		    "c.last_inbound_at <= ?2 AND c.state IN ('open', "
		    "'pending') AND NOT EXISTS (SELECT 1 FROM messages m "
		    "WHERE m.conversation_id = c.id AND m.direction = 'out' "
		    "AND m.agent_id IS NOT NULL AND m.ts >= "
		    "c.last_inbound_at) AND NOT EXISTS (SELECT 1 FROM "
		    "rule_fired f WHERE f.rule = ?3 AND f.conversation_id = "
		    "c.id AND f.mark = c.last_inbound_at) ORDER BY "
		    "c.last_inbound_at LIMIT ?4");
	} else {
		lo = now - window_secs;
		hi = now - window_secs + secs;
		st = STMT("SELECT c.id, c.contact_id, c.last_inbound_at FROM "
		    "conversations c WHERE c.last_inbound_at > ?1 AND "
		    "c.last_inbound_at <= ?2 AND c.state IN ('open', "
		    "'pending') AND NOT EXISTS (SELECT 1 FROM rule_fired f "
		    "WHERE f.rule = ?3 AND f.conversation_id = c.id AND "
		    "f.mark = c.last_inbound_at) ORDER BY c.last_inbound_at "
		    "LIMIT ?4");
	}
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	sqlite3_bind_text(st, 3, rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, STORE_RULE_DUE_MAX);
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(rows, json_pack("[I I I]",
		    (json_int_t)sqlite3_column_int64(st, 0),
		    (json_int_t)sqlite3_column_int64(st, 1),
		    (json_int_t)sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	return (rows);
}

int
store_rule_fired_add(struct store *s, const char *rule, int64_t conv,
    int64_t mark, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR IGNORE INTO rule_fired (rule, conversation_id, "
	    "mark, at) VALUES (?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, conv);
	sqlite3_bind_int64(st, 3, mark);
	sqlite3_bind_int64(st, 4, now);
	return (store_step_done(s, st));
}

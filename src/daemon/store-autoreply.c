/*
 * The store's side of the auto-replies (issue 16, hours; autoreply.c):
 * when each went to a conversation, the team's queue, the team's measured
 * first-response time, and the contact's language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypt.h"
#include "store.h"
#define STORE_SLOT_BASE	3328
#include "store-int.h"

#define AUTOREPLY_SAMPLE	50	/* conversations the median is of */

int
store_autoreply_last(struct store *s, int64_t conv, const char *kind,
    int64_t *at)
{
	sqlite3_stmt	*st;
	int		 rc;

	*at = 0;
	st = STMT("SELECT sent_at FROM auto_replies WHERE conversation_id = ? "
	    "AND kind = ?");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_autoreply_mark(struct store *s, int64_t conv, const char *kind,
    int64_t at, int64_t msg_id)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR REPLACE INTO auto_replies (conversation_id, kind, "
	    "sent_at, message_id) VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int64(st, 4, msg_id);
	return (store_step_done(s, st));
}

int
store_autoreply_waiting(struct store *s, const char *team, int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*n = 0;
	st = STMT("SELECT count(*) FROM conversations WHERE state = 'open' "
	    "AND assignee_id IS NULL AND coalesce(team, '') = ?");
	sqlite3_bind_text(st, 1, team, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? 0 : -1);
}

static int
store_autoreply_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

int
store_autoreply_median_wait(struct store *s, const char *team,
    int64_t since, int64_t *median)
{
	sqlite3_stmt	*st;
	int64_t		 v[AUTOREPLY_SAMPLE];
	size_t		 n = 0;
	int		 rc;

	*median = 0;
	/* An agent's first reply after the customer's first message. */
	st = STMT("SELECT fo - fi FROM (SELECT "
	    "(SELECT min(ts) FROM messages m WHERE m.conversation_id = c.id "
	    "  AND m.direction = 'in') AS fi, "
	    "(SELECT min(ts) FROM messages m WHERE m.conversation_id = c.id "
	    "  AND m.direction = 'out' AND m.agent_id IS NOT NULL) AS fo "
	    "FROM conversations c WHERE coalesce(c.team, '') = ? "
	    "AND c.created >= ? ORDER BY c.id DESC LIMIT 200) "
	    "WHERE fi IS NOT NULL AND fo IS NOT NULL AND fo >= fi LIMIT ?");
	sqlite3_bind_text(st, 1, team, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, AUTOREPLY_SAMPLE);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < AUTOREPLY_SAMPLE)
		v[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return (-1);
	if (n == 0)
		return (1);
	qsort(v, n, sizeof v[0], store_autoreply_cmp);
	*median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return (0);
}

int
store_autoreply_consent_msg(struct store *s, int64_t contact, int64_t msg)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT 1 FROM consent WHERE contact_id = ? AND "
	    "evidence_msg_id = ? AND source IN ('customer_message', "
	    "'click_to_chat')");
	sqlite3_bind_int64(st, 1, contact);
	sqlite3_bind_int64(st, 2, msg);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}


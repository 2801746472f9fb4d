/*
 * The satisfaction survey in the store (issue 16): one row per
 * conversation, from the resolve that queues it to the customer's answer.
 * Nothing personal: ids, a random token, the team, the rating, times.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store.h"
#define STORE_SLOT_BASE	4480
#include "store-int.h"

static void
store_survey_row(sqlite3_stmt *st, struct store_survey *sv)
{
	memset(sv, 0, sizeof *sv);
	sv->id = sqlite3_column_int64(st, 0);
	sv->conv = sqlite3_column_int64(st, 1);
	snprintf(sv->token, sizeof sv->token, "%s",
	    store_col_text(st, 2) != NULL ? store_col_text(st, 2) : "");
	sv->agent_id = sqlite3_column_int64(st, 3);
	snprintf(sv->team, sizeof sv->team, "%s",
	    store_col_text(st, 4) != NULL ? store_col_text(st, 4) : "");
	snprintf(sv->scale, sizeof sv->scale, "%s",
	    store_col_text(st, 5) != NULL ? store_col_text(st, 5) : "");
	snprintf(sv->state, sizeof sv->state, "%s",
	    store_col_text(st, 6) != NULL ? store_col_text(st, 6) : "");
	sv->resolved_at = sqlite3_column_int64(st, 7);
	sv->due_at = sqlite3_column_int64(st, 8);
	sv->sent_at = sqlite3_column_int64(st, 9);
	sv->rating = sqlite3_column_int64(st, 10);
	sv->contact_id = sqlite3_column_int64(st, 11);
	snprintf(sv->conv_state, sizeof sv->conv_state, "%s",
	    store_col_text(st, 12) != NULL ? store_col_text(st, 12) : "");
}

#define STORE_SURVEY_COLS "s.id, s.conversation_id, s.token, s.agent_id, " \
	"s.team, s.scale, s.state, s.resolved_at, s.due_at, s.sent_at, " \
	"s.rating, c.contact_id, c.state FROM surveys s JOIN conversations " \
	"c ON c.id = s.conversation_id "

int
store_survey_queue(struct store *s, int64_t conv, const char *token,
    int64_t agent_id, const char *team, const char *scale,
    int64_t resolved_at, int64_t due_at)
{
	sqlite3_stmt	*st;
	char		 state[16] = "";
	int		 rc;

	st = STMT("SELECT state FROM surveys WHERE conversation_id = ?");
	sqlite3_bind_int64(st, 1, conv);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(state, sizeof state, "%s", store_col_text(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	/* Asked once per conversation: a reopen and resolve asks no more. */
	if (strcmp(state, "sent") == 0 || strcmp(state, "answered") == 0)
		return (1);
	st = STMT("INSERT INTO surveys (conversation_id, token, agent_id, "
	    "team, scale, state, resolved_at, due_at) VALUES (?1, ?2, ?3, "
	    "?4, ?5, 'pending', ?6, ?7) ON CONFLICT (conversation_id) DO "
	    "UPDATE SET token = ?2, agent_id = ?3, team = ?4, scale = ?5, "
	    "state = 'pending', resolved_at = ?6, due_at = ?7, "
	    "skipped = NULL");
	sqlite3_bind_int64(st, 1, conv);
	sqlite3_bind_text(st, 2, token, -1, SQLITE_TRANSIENT);
	store_bind_id_or_null(st, 3, agent_id);
	store_bind_text_or_null(st, 4, team);
	sqlite3_bind_text(st, 5, scale, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, resolved_at);
	sqlite3_bind_int64(st, 7, due_at);
	return (store_step_done(s, st));
}

enum store_found
store_survey_due(struct store *s, int64_t now, struct store_survey *sv)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " STORE_SURVEY_COLS "WHERE s.state = 'pending' "
	    "AND s.due_at <= ? ORDER BY s.due_at, s.id LIMIT 1");
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_survey_row(st, sv);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

enum store_found
store_survey_by_token(struct store *s, const char *token,
    struct store_survey *sv)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT " STORE_SURVEY_COLS "WHERE s.token = ?");
	sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_survey_row(st, sv);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_survey_drop(struct store *s, int64_t id)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM surveys WHERE id = ? AND state = 'pending'");
	sqlite3_bind_int64(st, 1, id);
	return (store_step_done(s, st));
}

int
store_survey_sent(struct store *s, int64_t id, int64_t msg_id, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE surveys SET state = 'sent', message_id = ?, "
	    "sent_at = ? WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return (store_step_done(s, st));
}

int
store_survey_skipped(struct store *s, int64_t id, const char *why)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE surveys SET state = 'skipped', skipped = ? "
	    "WHERE id = ?");
	sqlite3_bind_text(st, 1, why, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

int
store_survey_answer(struct store *s, int64_t id, int rating, int64_t now)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE surveys SET state = 'answered', rating = ?, "
	    "answered_at = ? WHERE id = ?");
	sqlite3_bind_int(st, 1, rating);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	return (store_step_done(s, st));
}

int
store_survey_opted_out(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	int		 rc, out = 0;

	/* The latest word of each purpose; a STOP is a marketing opt-out. */
	st = STMT("SELECT c.opt_in FROM consent c WHERE c.contact_id = ?1 "
	    "AND c.id = (SELECT id FROM consent WHERE contact_id = ?1 AND "
	    "purpose = c.purpose ORDER BY ts DESC, id DESC LIMIT 1)");
	sqlite3_bind_int64(st, 1, contact_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) == 0)
			out = 1;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? out : -1);
}

/* The group of (team, agent, scale) in groups, made on first use. */
static json_t *
store_survey_group(json_t *groups, const char *team, const char *agent,
    const char *scale)
{
	json_t	*g;
	size_t	 i;

	json_array_foreach(groups, i, g) {
		if (strcmp(json_string_value(json_object_get(g, "team")) !=
		    NULL ? json_string_value(json_object_get(g, "team")) : "",
		    team != NULL ? team : "") == 0 &&
		    strcmp(json_string_value(json_object_get(g, "agent")) !=
		    NULL ? json_string_value(json_object_get(g, "agent")) : "",
		    agent != NULL ? agent : "") == 0 &&
		    strcmp(json_string_value(json_object_get(g, "scale")),
		    scale) == 0)
			return (g);
	}
	g = json_pack("{so so ss sI sI s{}}", "team", team != NULL ?
	    json_string(team) : json_null(), "agent", agent != NULL ?
	    json_string(agent) : json_null(), "scale", scale, "sent",
	    (json_int_t)0, "answered", (json_int_t)0, "distribution");
	json_object_set_new(g, "sum", json_integer(0));
	json_array_append_new(groups, g);
	return (g);
}

json_t *
store_survey_results(struct store *s, const char *team, int64_t agent_id,
    int64_t since)
{
	sqlite3_stmt	*st;
	json_t		*groups, *g, *dist;
	const char	*state;
	char		 key[24];
	int64_t		 n, r;
	int		 rc;

	st = STMT("SELECT s.team, a.name, s.scale, s.state, s.rating, "
	    "COUNT(*) FROM surveys s LEFT JOIN agents a ON a.id = s.agent_id "
	    "WHERE s.state IN ('sent', 'answered') AND (?1 IS NULL OR "
	    "s.team = ?1) AND (?2 = 0 OR s.agent_id = ?2) AND "
	    "s.resolved_at >= ?3 GROUP BY s.team, a.name, s.scale, s.state, "
	    "s.rating ORDER BY s.team, a.name, s.scale");
	store_bind_text_or_null(st, 1, team);
	sqlite3_bind_int64(st, 2, agent_id);
	sqlite3_bind_int64(st, 3, since);
	groups = json_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		g = store_survey_group(groups, store_col_text(st, 0),
		    store_col_text(st, 1), store_col_text(st, 2) != NULL ?
		    store_col_text(st, 2) : "5");
		state = store_col_text(st, 3);
		r = sqlite3_column_int64(st, 4);
		n = sqlite3_column_int64(st, 5);
		json_object_set_new(g, "sent", json_integer(json_integer_value(
		    json_object_get(g, "sent")) + n));
		if (state == NULL || strcmp(state, "answered") != 0)
			continue;
		json_object_set_new(g, "answered", json_integer(
		    json_integer_value(json_object_get(g, "answered")) + n));
		json_object_set_new(g, "sum", json_integer(json_integer_value(
		    json_object_get(g, "sum")) + n * r));
		dist = json_object_get(g, "distribution");
		snprintf(key, sizeof key, "%lld", (long long)r);
		json_object_set_new(dist, key, json_integer(
		    json_integer_value(json_object_get(dist, key)) + n));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(groups);
		return (NULL);
	}
	return (groups);
}

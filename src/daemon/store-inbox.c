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
 * 17 whether the contact is restricted, 18 since when the customer waits
 * for an answer (0: answered), 19 who wrote last ('in', 'out'), 20 the
 * agent who did.
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
	"c.snooze_until, c.created, c.team, c.last_msg_id, k.restricted, " \
	"c.waiting_since, c.last_direction, la.name, c.phone_number_id "
#define INBOX_FROM \
	"FROM conversations c JOIN contacts k ON k.id = c.contact_id " \
	"LEFT JOIN agents a ON a.id = c.assignee_id " \
	"LEFT JOIN agents la ON la.id = c.last_agent_id " \
	"LEFT JOIN read_markers r ON r.agent_id = ?1 " \
	"AND r.conversation_id = c.id "
#define INBOX_NEWEST	"c.last_msg_at DESC, c.id DESC"

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
	json_t		*o;
	int64_t		 id;
	const char	*dir;

	o = store_conv_row(s, st, now, window_hours);
	id = sqlite3_column_int64(st, 0);
	json_object_set_new(o, "team", sqlite3_column_type(st, 15) ==
	    SQLITE_NULL ? json_null() : json_string(store_col_text(st, 15)));
	json_object_set_new(o, "last_msg_id",
	    json_integer(sqlite3_column_int64(st, 16)));
	json_object_set_new(o, "labels", store_conv_labels(s, id));
	json_object_set_new(o, "failed", json_integer(store_inbox_failed(s,
	    id)));
	json_object_set_new(o, "waiting_since",
	    json_integer(sqlite3_column_int64(st, 18)));
	dir = store_col_text(st, 19);
	json_object_set_new(o, "last_direction", dir != NULL ?
	    json_string(dir) : json_null());
	json_object_set_new(o, "last_agent", sqlite3_column_type(st, 20) ==
	    SQLITE_NULL ? json_null() : json_string(store_col_text(st, 20)));
	/* The business number's id; rpc-conv.c makes it its label. */
	if (sqlite3_column_type(st, 21) != SQLITE_NULL)
		json_object_set_new(o, "number_id",
		    json_string(store_col_text(st, 21)));
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

/*
 * The views: which rows (binding ?1 the agent, ?4 and ?5 the view's
 * argument). Each has indexes for every sort (store-schema.h) but label,
 * window and failed, which are small (a label's rows, the day's windows).
 */
enum inbox_view {
	IV_ALL, IV_MINE, IV_UNASSIGNED, IV_STATE, IV_LABEL, IV_TEAM,
	IV_WINDOW, IV_FAILED, IV_BREACHING, IV_NVIEWS
};
static const struct {
	const char	*join;
	const char	*where;
} inbox_views[IV_NVIEWS] = {
	[IV_ALL] = { "", "1" },
	[IV_MINE] = { "", "c.assignee_id = ?1 AND c.state != 'resolved'" },
	[IV_UNASSIGNED] = { "", "c.assignee_id IS NULL "
	    "AND c.state IN ('open','pending')" },
	[IV_STATE] = { "", "c.state = ?4" },
	[IV_LABEL] = { "JOIN conversation_labels cl "
	    "ON cl.conversation_id = c.id ",
	    "cl.label_id = (SELECT id FROM labels WHERE name = ?4)" },
	[IV_TEAM] = { "", "c.team = ?4 AND c.state != 'resolved'" },
	/* Open windows that close within the hours asked. */
	[IV_WINDOW] = { "", "c.last_inbound_at > ?4 "
	    "AND c.last_inbound_at <= ?5 AND c.state != 'resolved'" },
	[IV_FAILED] = { "", "c.id IN (SELECT conversation_id FROM messages "
	    "WHERE status = 5)" },
	/* Issue 19: a running clock due by ?5 (sla.c: now + [sla] soon). */
	[IV_BREACHING] = { "", "c.id IN (SELECT conversation_id FROM "
	    "sla_clocks INDEXED BY sla_running_due WHERE stopped IS NULL "
	    "AND due > 0 AND due <= ?5)" },
};
/* The breaching view's order: the earliest deadline first. */
#define INBOX_BREACHING	"(SELECT min(due) FROM sla_clocks x INDEXED BY " \
	"sla_conv WHERE x.conversation_id = c.id AND x.stopped IS NULL " \
	"AND x.due > 0), c.id"


/*
 * The sorts. One with a `first` condition lists the rows meeting it in its
 * order, then the others newest first: two index ranges rather than one
 * sort of the whole view (the customers waiting longest, then those
 * answered; the windows closing soonest, then those closed). ?6 is when a
 * window opened that closes now. slot: the first of the sort's statement
 * slots in a view (rows, the others' rows, the count of the first).
 */
static const struct {
	const char	*first;
	const char	*order;
	int		 slot;
} inbox_sorts[SORT_NSORTS] = {
	[SORT_NEWEST] = { NULL, INBOX_NEWEST, 0 },
	[SORT_PRIORITY] = { NULL, "c.priority, " INBOX_NEWEST, 1 },
	[SORT_WAITING] = { "c.waiting_since > 0", "c.waiting_since, c.id", 2 },
	[SORT_WINDOW] = { "c.last_inbound_at > ?6", "c.last_inbound_at, c.id",
	    5 },
};
#define INBOX_SLOTS_PER_VIEW	8
/* Above every STMT() of this file, below the file's 128. */
#define INBOX_SLOT0		40

enum inbox_part { IP_FIRST, IP_REST, IP_COUNT };

#define INBOX_NUMBER	"(?7 IS NULL OR c.phone_number_id = ?7)"

static sqlite3_stmt *
store_inbox_stmt(struct store *s, enum inbox_view v, enum list_sort o,
    enum inbox_part part)
{
	char		 sql[2048];
	const char	*first = inbox_sorts[o].first;
	int		 n;

	/* ?7: one business number's conversations only (issue 15). */
	if (part == IP_COUNT)
		n = snprintf(sql, sizeof sql, "SELECT count(*) FROM "
		    "conversations c %sWHERE (%s) AND (%s) AND " INBOX_NUMBER,
		    inbox_views[v].join, inbox_views[v].where, first);
	else
		n = snprintf(sql, sizeof sql, INBOX_SEL INBOX_FROM "%s"
		    "WHERE (%s) AND " INBOX_NUMBER " AND %s%s%s ORDER BY %s "
		    "LIMIT ?2 OFFSET ?3", inbox_views[v].join,
		    inbox_views[v].where,
		    part == IP_REST ? "NOT (" : "(",
		    first != NULL ? first : "1", ")",
		    part == IP_REST ? INBOX_NEWEST : v == IV_BREACHING ?
		    INBOX_BREACHING : inbox_sorts[o].order);
	if (n < 0 || (size_t)n >= sizeof sql)
		return (NULL);
	return (store_prep(s, s->db, STORE_SLOT_BASE + INBOX_SLOT0 +
	    (unsigned)v * INBOX_SLOTS_PER_VIEW + (unsigned)inbox_sorts[o].slot +
	    (unsigned)part, sql));
}

struct inbox_args {
	int64_t		 agent_id, now;
	const char	*text;		/* ?4, or NULL */
	int64_t		 lo, hi;	/* ?4 and ?5 for the window view */
	int64_t		 closing;	/* ?6 */
	const char	*number;	/* ?7: a phone number id, or NULL */
	int		 window_hours;
};

/* Binds what the statement names; the rest is not there to bind. */
static void
store_inbox_bind(sqlite3_stmt *st, const struct inbox_args *a,
    int64_t limit, int64_t offset)
{
	int	i;

	for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		switch (i) {
		case 1:
			sqlite3_bind_int64(st, i, a->agent_id);
			break;
		case 2:
			sqlite3_bind_int64(st, i, limit);
			break;
		case 3:
			sqlite3_bind_int64(st, i, offset);
			break;
		case 4:
			if (a->text != NULL)
				sqlite3_bind_text(st, i, a->text, -1,
				    SQLITE_TRANSIENT);
			else
				sqlite3_bind_int64(st, i, a->lo);
			break;
		case 5:
			sqlite3_bind_int64(st, i, a->hi);
			break;
		case 6:
			sqlite3_bind_int64(st, i, a->closing);
			break;
		case 7:
			if (a->number != NULL)
				sqlite3_bind_text(st, i, a->number, -1,
				    SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, i);
			break;
		}
	}
}

/* Appends the statement's rows; how many. */
static int64_t
store_inbox_rows(struct store *s, sqlite3_stmt *st,
    const struct inbox_args *a, int64_t limit, int64_t offset, json_t *arr)
{
	int64_t	n = 0;

	store_inbox_bind(st, a, limit, offset);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(arr, store_inbox_row(s, st, a->now,
		    a->window_hours));
		n++;
	}
	sqlite3_reset(st);
	return (n);
}

json_t *
store_inbox_list(struct store *s, const char *view, int64_t agent_id,
    int64_t offset, int64_t limit, int64_t now, int window_hours,
    int hours, int sort)
{
	return (store_inbox_list_number(s, view, NULL, agent_id, offset,
	    limit, now, window_hours, hours, sort));
}

json_t *
store_inbox_list_number(struct store *s, const char *view,
    const char *number, int64_t agent_id, int64_t offset, int64_t limit,
    int64_t now, int window_hours, int hours, int sort)
{
	struct inbox_args	 a;
	sqlite3_stmt		*st;
	json_t			*arr;
	const char		*arg = NULL;
	enum inbox_view		 v;
	enum list_sort		 o;
	enum conv_state		 state;
	int64_t			 n, nfirst;

	memset(&a, 0, sizeof a);
	a.agent_id = agent_id;
	a.number = number;
	a.now = now;
	a.window_hours = window_hours;
	a.closing = window_open_since(now, (unsigned)window_hours);
	if (strcmp(view, "all") == 0)
		v = IV_ALL;
	else if (strcmp(view, "mine") == 0)
		v = IV_MINE;
	else if (strcmp(view, "unassigned") == 0)
		v = IV_UNASSIGNED;
	else if (names_state_from(view, &state) == 0) {
		v = IV_STATE;
		a.text = view;
	} else if (store_inbox_view_is(view, "label", &arg) && arg != NULL) {
		v = IV_LABEL;
		a.text = arg;
	} else if (store_inbox_view_is(view, "team", &arg) && arg != NULL) {
		v = IV_TEAM;
		a.text = arg;
	} else if (store_inbox_view_is(view, "window", &arg)) {
		if (arg != NULL) {
			char	*end;
			long	 h = strtol(arg, &end, 10);

			if (*arg == '\0' || *end != '\0' || h < 1 || h > 24 * 7)
				return (NULL);
			hours = (int)h;
		}
		v = IV_WINDOW;
		a.lo = a.closing;
		a.hi = a.lo + (int64_t)hours * 3600;
	} else if (strcmp(view, "failed") == 0)
		v = IV_FAILED;
	else if (store_inbox_view_is(view, "breaching", &arg) && arg != NULL) {
		/* "breaching:UNTIL", as rpc-conv.c asks (issue 19) */
		char	*end;

		a.hi = strtoll(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || a.hi < 0)
			return (NULL);
		v = IV_BREACHING;
	} else
		return (NULL);
	/* The window view is about the closing windows: that is its order. */
	if (v == IV_BREACHING)
		o = SORT_NEWEST;	/* its own order: INBOX_BREACHING */
	else if (sort < 0 || sort >= SORT_NSORTS)
		o = v == IV_WINDOW ? SORT_WINDOW : SORT_NEWEST;
	else
		o = (enum list_sort)sort;

	arr = json_array();
	if ((st = store_inbox_stmt(s, v, o, IP_FIRST)) == NULL)
		return (arr);
	n = store_inbox_rows(s, st, &a, limit, offset, arr);
	if (inbox_sorts[o].first == NULL || n >= limit)
		return (arr);
	/* The first part ran out within this page: the others follow. */
	if (n > 0 || offset == 0)
		nfirst = offset + n;
	else {
		if ((st = store_inbox_stmt(s, v, o, IP_COUNT)) == NULL)
			return (arr);
		store_inbox_bind(st, &a, limit, offset);
		nfirst = store_count(st);
		if (nfirst < 0)
			return (arr);
	}
	if ((st = store_inbox_stmt(s, v, o, IP_REST)) == NULL)
		return (arr);
	offset = offset + n - nfirst;
	store_inbox_rows(s, st, &a, limit - n, offset > 0 ? offset : 0, arr);
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

/* One kept count (migration 8's triggers); 0 when none was ever made. */
static int64_t
store_inbox_tally(struct store *s, const char *k)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;

	st = STMT("SELECT n FROM conv_tally WHERE k = ?");
	sqlite3_bind_text(st, 1, k, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}

/*
 * Every count but the window's, the failed and the labels' is read from
 * the tallies the triggers keep, so a call costs the same at 100 or
 * 100,000 conversations. Unread for an agent is every conversation they
 * see with a customer message (kept) less those they have read up to
 * the last message (their read markers, bounded by what they opened:
 * CROSS JOIN keeps them the outer loop, or SQLite walks every open
 * conversation instead).
 */
json_t *
store_inbox_counts(struct store *s, int64_t agent_id, int64_t now,
    int window_hours, int hours)
{
	sqlite3_stmt	*st;
	json_t		*j, *sub;
	char		 k[64];
	int64_t		 lo, seen;
	int		 i;

	j = json_object();
	json_object_set_new(j, "all", json_integer(store_inbox_tally(s,
	    "all")));
	snprintf(k, sizeof k, "mine/%lld", (long long)agent_id);
	json_object_set_new(j, "mine", json_integer(store_inbox_tally(s, k)));
	json_object_set_new(j, "unassigned", json_integer(store_inbox_tally(s,
	    "unassigned")));
	for (i = 0; i < CONV_NSTATES; i++) {
		snprintf(k, sizeof k, "state/%s", names_state(i));
		json_object_set_new(j, names_state(i), json_integer(
		    store_inbox_tally(s, k)));
	}
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
	st = STMT("SELECT count(*) FROM read_markers r "
	    "CROSS JOIN conversations c ON c.id = r.conversation_id "
	    "WHERE r.agent_id = ?1 "
	    "AND (c.assignee_id = ?1 OR c.assignee_id IS NULL) "
	    "AND c.state IN ('open','pending','snoozed') "
	    "AND c.last_inbound_at > 0 AND c.last_msg_id <= r.last_read_msg_id");
	sqlite3_bind_int64(st, 1, agent_id);
	seen = store_count(st);
	snprintf(k, sizeof k, "inbox/%lld", (long long)agent_id);
	json_object_set_new(j, "unread_mine", json_integer(store_inbox_tally(s,
	    k) + store_inbox_tally(s, "inbox/") - seen));
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
	/* team/T rows, in the order of their names; emptied ones left out */
	st = STMT("SELECT substr(k, 6), n FROM conv_tally "
	    "WHERE k >= 'team/' AND k < 'team0' AND n > 0 ORDER BY k");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(sub, store_col_text(st, 0), json_integer(
		    sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	json_object_set_new(j, "teams", sub);
	return (j);
}

/*
 * The conversation list: a window of rows from conv.list (paged in as the
 * cursor nears the end), two lines per conversation, the cursor kept on
 * the same conversation while rows move under it.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_LIST_AHEAD	40	/* page in when this close to the end */
/*
 * The first page of a view, and what a refresh fetches when no more was
 * paged in: a tall screen's rows and the paging distance. Each row costs
 * the daemon a decrypted name and preview (200 rows: 10 ms of its one
 * thread, for every client, on every event); more come as the cursor
 * nears the end.
 */
#define UI_LIST_FIRST	80

json_t *
ui_list_current(struct ui *ui)
{
	return (json_array_get(ui->list.rows, (size_t)ui->list.sel));
}

json_t *
ui_list_find(struct ui *ui, int64_t id)
{
	json_t	*r;
	size_t	 i;

	json_array_foreach(ui->list.rows, i, r) {
		if (ui_jint(r, "id") == id)
			return (r);
	}
	return (NULL);
}

static void
ui_list_clamp(struct ui *ui)
{
	int	n = (int)json_array_size(ui->list.rows);

	if (ui->list.sel >= n)
		ui->list.sel = n - 1;
	if (ui->list.sel < 0)
		ui->list.sel = 0;
	ui->list.sel_id = n > 0 ? ui_jint(ui_list_current(ui), "id") : 0;
}

static void
ui_list_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*rows, *r;
	size_t	 i;
	int	 append = json_is_true(json_object_get(arg, "append"));
	int64_t	 limit = ui_jint(arg, "limit");

	(void)code;
	ui->list.loading = 0;
	if (ui_jint(arg, "gen") != ui->list.gen)
		return;		/* the view changed meanwhile */
	if (res == NULL) {
		ui_status(ui, 1, "list: %s", msg);
		return;
	}
	rows = json_object_get(res, "rows");
	if (!json_is_array(rows))
		rows = json_array();
	else
		json_incref(rows);
	if (append) {
		json_array_foreach(rows, i, r) {
			if (ui_list_find(ui, ui_jint(r, "id")) == NULL)
				json_array_append(ui->list.rows, r);
		}
	} else {
		json_decref(ui->list.rows);
		ui->list.rows = json_incref(rows);
		/* The cursor stays on its conversation, wherever it went. */
		ui->list.sel = 0;
		json_array_foreach(ui->list.rows, i, r) {
			if (ui_jint(r, "id") == ui->list.sel_id) {
				ui->list.sel = (int)i;
				break;
			}
		}
	}
	ui->list.more = (int64_t)json_array_size(rows) >= limit &&
	    !ui->list.search;
	json_decref(rows);
	ui_list_clamp(ui);
	ui->dirty |= UI_D_LIST | UI_D_STATUS;
	if (ui->list.stale) {
		ui->list.stale = 0;
		ui_list_fetch(ui, 0);
	}
	if (!ui->narrow && ui->th.id == 0 && ui_list_current(ui) != NULL &&
	    ui->focus == UI_LIST)
		ui->dirty |= UI_D_THREAD;
}

void
ui_list_fetch(struct ui *ui, int append)
{
	json_t	*params, *arg;
	int64_t	 limit, offset = 0;

	if (ui->list.search) {
		if (!append && ui->list.search_q != NULL && !ui->list.loading)
			ui_list_search(ui, ui->list.search_q);
		return;
	}
	if (ui->list.loading) {
		if (!append)
			ui->list.stale = 1;
		return;
	}
	limit = append ? UI_PAGE : UI_LIST_FIRST;
	if (append)
		offset = (int64_t)json_array_size(ui->list.rows);
	else if ((int64_t)json_array_size(ui->list.rows) > limit)
		limit = (int64_t)json_array_size(ui->list.rows);
	if (limit > 500)
		limit = 500;
	params = json_pack("{ss sI sI}", "view", ui_list_view_name(ui),
	    "offset", (json_int_t)offset, "limit", (json_int_t)limit);
	if (ui->list.sort >= 0)
		json_object_set_new(params, "sort", json_string(names_sort(
		    (enum list_sort)ui->list.sort)));
	arg = json_pack("{sb sI sI}", "append", append, "limit",
	    (json_int_t)limit, "gen", (json_int_t)ui->list.gen);
	ui->list.loading = 1;
	if (ui_call(ui, PM_CONV_LIST, params, ui_list_cb, arg) == -1)
		ui->list.loading = 0;
}

void
ui_list_event(struct ui *ui, json_t *data)
{
	(void)data;
	if (!ui->list.search)
		ui_list_fetch(ui, 0);
}

/* The protocol name of the view the list shows. */
const char *
ui_list_view_name(struct ui *ui)
{
	return (ui->list.custom != NULL ? ui->list.custom :
	    ui_views[ui->list.view]);
}

/* Any view the daemon knows beyond the tabs: failed, window:4, label:vip. */
static void	ui_list_reset(struct ui *);

void
ui_list_set_custom(struct ui *ui, const char *name)
{
	char	*dup = xstrdup(name);

	free(ui->list.custom);
	ui->list.custom = dup;
	ui_list_reset(ui);
}

void
ui_list_set_view(struct ui *ui, int view)
{
	free(ui->list.custom);
	ui->list.custom = NULL;
	ui->list.view = view;
	ui_list_reset(ui);
}

/*
 * The order of the list: a name (newest, waiting, window, priority) or the
 * next one; the daemon sorts. The cursor stays on its conversation.
 */
void
ui_list_sort(struct ui *ui, const char *name)
{
	enum list_sort	o;

	if (name == NULL)
		o = (enum list_sort)((ui->list.sort < 0 ? 0 : ui->list.sort + 1)
		    % SORT_NSORTS);
	else if (names_sort_from(name, &o) != 0) {
		ui_status(ui, 1, "sorts: " NAMES_LIST(NAMES_SORTS, ", "));
		return;
	}
	ui->list.sort = (int)o;
	ui->list.gen++;
	ui->list.loading = 0;
	ui->list.stale = 0;
	ui->list.top = 0;
	ui->dirty = UI_D_ALL;
	ui_status(ui, 0, "sorted by %s", ui_list_sort_name(ui));
	if (ui->list.search) {
		ui_status(ui, 0, "search results keep their order; the sort "
		    "applies to the views");
		return;
	}
	ui_list_fetch(ui, 0);
}

/* The order shown, as the daemon names it. */
const char *
ui_list_sort_name(struct ui *ui)
{
	if (ui->list.sort >= 0)
		return (names_sort((enum list_sort)ui->list.sort));
	return (ui->list.custom != NULL && strncmp(ui->list.custom, "window",
	    6) == 0 ? "window" : "newest");
}

/* Shows the view from its top: a fresh fetch, nothing marked. */
static void
ui_list_reset(struct ui *ui)
{
	ui->list.search = 0;
	ui->list.gen++;
	ui->list.loading = 0;
	ui->list.stale = 0;
	json_array_clear(ui->list.rows);
	json_object_clear(ui->list.marked);
	ui->list.sel = ui->list.top = 0;
	ui->list.sel_id = 0;
	ui->dirty = UI_D_ALL;
	/*
	 * Keys act on what the agent looks at: the new list, not a thread
	 * of the view left (which stays on screen until another opens).
	 */
	if (ui->focus != UI_COMPOSE)
		ui->focus = UI_LIST;
	ui->th.laid = 0;
	ui_list_fetch(ui, 0);
}

static void
ui_search_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code;
	ui->list.loading = 0;
	if (ui_jint(arg, "gen") != ui->list.gen)
		return;
	if (res == NULL) {
		ui_status(ui, 1, "search: %s", msg);
		return;
	}
	json_decref(ui->list.rows);
	ui->list.rows = json_incref(json_object_get(res, "rows"));
	if (!json_is_array(ui->list.rows)) {
		json_decref(ui->list.rows);
		ui->list.rows = json_array();
	}
	ui->list.sel = ui->list.top = 0;
	ui->list.more = 0;
	ui_list_clamp(ui);
	if (json_is_true(json_object_get(res, "partial")))
		ui_status(ui, 0, "%zu results so far: the search index is "
		    "still being built (%lld%%); search again shortly",
		    json_array_size(ui->list.rows),
		    (long long)ui_jint(res, "progress"));
	else
		ui_status(ui, 0, "%zu results; Enter opens at the match, n/N "
		    "move, a number key leaves",
		    json_array_size(ui->list.rows));
	ui->dirty = UI_D_ALL;
}

void
ui_list_search(struct ui *ui, const char *q)
{
	json_t	*arg;

	if (q == NULL || *q == '\0')
		return;
	if (q != ui->list.search_q) {
		free(ui->list.search_q);
		ui->list.search_q = xstrdup(q);
	}
	ui->list.search = 1;
	ui->list.gen++;
	ui->list.loading = 1;
	ui->focus = UI_LIST;
	arg = json_pack("{sI}", "gen", (json_int_t)ui->list.gen);
	if (ui_call(ui, PM_SEARCH, json_pack("{ss si}", "q", q, "limit", 200),
	    ui_search_cb, arg) == -1)
		ui->list.loading = 0;
}

void
ui_list_goto(struct ui *ui, int idx)
{
	int	n = (int)json_array_size(ui->list.rows);

	ui->list.sel = idx;
	ui_list_clamp(ui);
	if (ui->list.more && ui->list.sel + UI_LIST_AHEAD >= n)
		ui_list_fetch(ui, 1);
	ui->dirty |= UI_D_SEL | UI_D_STATUS;
}

void
ui_list_move(struct ui *ui, int delta)
{
	ui_list_goto(ui, ui->list.sel + delta);
}

/* The state of a row; open if it names none. */
static enum conv_state
ui_list_state(json_t *r)
{
	enum conv_state	s;

	return (names_state_from(ui_jstr(r, "state"), &s) == 0 ? s :
	    CONV_OPEN);
}

/* Waiting for us: unread, or the customer had the last word. */
static int
ui_list_is_waiting(json_t *r)
{
	if (ui_list_state(r) == CONV_RESOLVED ||
	    ui_list_state(r) == CONV_SNOOZED)
		return (0);
	return (ui_jint(r, "unread") > 0 || (ui_jint(r, "last_inbound_at") >=
	    ui_jint(r, "last_msg_at") && ui_jint(r, "last_inbound_at") > 0));
}

void
ui_list_waiting(struct ui *ui, int dir)
{
	int	n = (int)json_array_size(ui->list.rows), i;

	for (i = ui->list.sel + dir; i >= 0 && i < n; i += dir) {
		if (ui_list_is_waiting(json_array_get(ui->list.rows,
		    (size_t)i))) {
			ui_list_goto(ui, i);
			if (ui->focus != UI_LIST)
				ui_thread_open(ui, ui->list.sel_id, 0);
			return;
		}
	}
	ui_status(ui, 0, "no %s conversation waiting for us", dir > 0 ?
	    "later" : "earlier");
}

json_t *
ui_list_targets(struct ui *ui)
{
	json_t		*ids = json_array(), *v;
	const char	*k;

	if (json_object_size(ui->list.marked) > 0) {
		json_object_foreach(ui->list.marked, k, v)
			json_array_append_new(ids, json_integer(strtoll(k,
			    NULL, 10)));
		return (ids);
	}
	if (ui->focus != UI_LIST && ui->th.id != 0)
		json_array_append_new(ids, json_integer(ui->th.id));
	else if (ui_list_current(ui) != NULL)
		json_array_append_new(ids, json_integer(ui->list.sel_id));
	return (ids);
}

/* "lena typing", "lena viewing" for a conversation, or NULL. */
static char *
ui_list_presence(struct ui *ui, int64_t id)
{
	char		 key[32], *out = NULL, *tmp;
	json_t		*m, *v;
	const char	*who;

	snprintf(key, sizeof key, "%lld", (long long)id);
	if ((m = json_object_get(ui->presence, key)) == NULL)
		return (NULL);
	json_object_foreach(m, who, v) {
		tmp = xasprintf("%s%s%s %s", out != NULL ? out : "",
		    out != NULL ? ", " : "", who, json_string_value(v));
		free(out);
		out = tmp;
	}
	return (out);
}

/* How long since then, short: 40s, 12m, 3h, 2d. */
static void
ui_list_ago(int64_t since, int64_t now, char *buf, size_t len)
{
	int64_t	d = now > since ? now - since : 0;

	if (d < 60)
		snprintf(buf, len, "%llds", (long long)d);
	else if (d < 3600)
		snprintf(buf, len, "%lldm", (long long)(d / 60));
	else if (d < 2 * 86400)
		snprintf(buf, len, "%lldh", (long long)(d / 3600));
	else
		snprintf(buf, len, "%lldd", (long long)(d / 86400));
}

/* A wake-up time: 14:00 today, Mon 09:00 this week, else 24 Dec 08:00. */
static void
ui_list_wake(int64_t ts, char *buf, size_t len)
{
	struct tm	tm, now;
	time_t		t = (time_t)ts, n = time(NULL);

	localtime_r(&t, &tm);
	localtime_r(&n, &now);
	if (tm.tm_year == now.tm_year && tm.tm_yday == now.tm_yday)
		strftime(buf, len, "%H:%M", &tm);
	else if (ts - (int64_t)n < 6 * 86400)
		strftime(buf, len, "%a %H:%M", &tm);
	else
		strftime(buf, len, "%d %b %H:%M", &tm);
}

/*
 * Prepends part to the right-hand side of a line if it still leaves the
 * name (or preview) room: the parts come most important first, so a narrow
 * list drops the least important ones. Every cue is text, for NO_COLOR.
 */
static void
ui_list_prepend(char *right, size_t len, const char *part, int room)
{
	char	tmp[256];

	if (*part == '\0')
		return;
	snprintf(tmp, sizeof tmp, "%s%s%s", part, *right != '\0' ? " " : "",
	    right);
	if (utf8_width(tmp) <= room)
		snprintf(right, len, "%s", tmp);
}

static void
ui_list_row(struct ui *ui, json_t *r, int y, int x, int w, int selected)
{
	char			 right[256], when[32], part[128], pre[8];
	char			 key[32], *pres;
	const char		*assignee, *who, *name;
	enum conv_priority	 prio;
	enum conv_state		 state;
	int			 unread = ui_jint(r, "unread") > 0, a, ra, used;
	int			 rw, marked, room, sw = 0;
	int64_t			 wl, now = (int64_t)time(NULL);
	enum theme_el		 sel = TH_LIST_META;
	char			 sla[48];
	json_t			*v;
	size_t			 i;

	snprintf(key, sizeof key, "%lld", (long long)ui_jint(r, "id"));
	marked = json_object_get(ui->list.marked, key) != NULL;
	a = ui_attr(ui, unread ? TH_LIST_UNREAD : TH_LIST);
	if (marked)
		a |= ui_attr(ui, TH_LIST_MARKED);
	if (selected)
		a |= ui_attr(ui, TH_LIST_SELECTED);
	/* Line 1: cursor, unread, mark, draft, name ... what, who, when. */
	snprintf(pre, sizeof pre, "%c%c%c", selected ? '>' : ' ',
	    unread ? '*' : ' ', marked ? '+' : ' ');
	ui_fill(ui, y, x, w, a);
	used = ui_put(ui, y, x, w, pre, a);
	/* A draft waits here (ui-compose.c knows: this client or the daemon). */
	if (ui_compose_has_draft(ui, r))
		used += ui_put(ui, y, x + used, w - used, ui->ascii ? "d " :
		    "\xe2\x9c\x8e ", a);
	room = w - used - 11;	/* the name keeps ten columns */
	right[0] = '\0';
	ui_fmt_time(ui_jint(r, "last_msg_at"), when, sizeof when, 1);
	ui_list_prepend(right, sizeof right, when, room);
	if (ui_jint(r, "unread") > 0) {
		snprintf(part, sizeof part, "(%lld)",
		    (long long)ui_jint(r, "unread"));
		ui_list_prepend(right, sizeof right, part, room);
	}
	assignee = ui_jstr(r, "assignee");
	if (*assignee != '\0') {
		snprintf(part, sizeof part, "[%s]", assignee);
		ui_list_prepend(right, sizeof right, part, room);
	}
	if (names_priority_from(ui_jstr(r, "priority"), &prio) != 0)
		prio = CONV_NORMAL;
	ui_list_prepend(right, sizeof right, prio == CONV_URGENT ? "!!" :
	    prio == CONV_HIGH ? "!" : "", room);
	if (*ui_jstr(r, "team") != '\0') {
		snprintf(part, sizeof part, "(%s%s)", ui_jstr(r, "team"),
		    ui_hours_team_closed(ui, ui_jstr(r, "team")) ?
		    ", closed" : "");
		ui_list_prepend(right, sizeof right, part, room);
	}
	/* Which business number, when the daemon serves more than one. */
	if (ui_numbers_many(ui) && *ui_jstr(r, "number") != '\0') {
		snprintf(part, sizeof part, "{%s}", ui_jstr(r, "number"));
		ui_list_prepend(right, sizeof right, part, room);
	}
	part[0] = '\0';
	json_array_foreach(json_object_get(r, "labels"), i, v) {
		if (json_is_string(v) && strlen(part) + strlen(
		    json_string_value(v)) + 3 < sizeof part)
			snprintf(part + strlen(part), sizeof part -
			    strlen(part), "%s#%s", i > 0 ? " " : "",
			    json_string_value(v));
	}
	ui_list_prepend(right, sizeof right, part, room);
	/* Blocked on WhatsApp (contact block): they cannot write, nor we. */
	if (json_is_true(json_object_get(r, "blocked")))
		ui_list_prepend(right, sizeof right, ui->ascii ? "(blocked)" :
		    "\xe2\x8a\x98" "blocked", room);
	rw = utf8_width(right);
	name = ui_jstr(r, "name")[0] != '\0' ? ui_jstr(r, "name") :
	    ui_jstr(r, "phone_masked");
	ui_put(ui, y, x + used, w - used - rw - 1, name, a);
	if (rw > 0)
		ui_put(ui, y, x + w - rw, rw, right, a |
		    ui_attr(ui, TH_LIST_META));

	/* Line 2: presence, who wrote last and what ... waiting, window. */
	y++;
	ui_fill(ui, y, x, w, selected ? a : ui_attr(ui, TH_LIST));
	wl = ui_jint(r, "window_left");
	state = ui_list_state(r);
	right[0] = '\0';
	room = w - 4;
	/* Issue 19: the service-level clock first (its own colour, drawn
	 * left of the rest): the other cues get what it leaves. */
	if (ui_sla_cell(ui, json_object_get(r, "sla"), sla, sizeof sla,
	    &sel) && (sw = utf8_width(sla)) <= room - 6)
		room -= sw + 1;
	else
		sw = 0;
	if (state == CONV_SNOOZED && ui_jint(r, "snooze_until") > 0) {
		ui_list_wake(ui_jint(r, "snooze_until"), when, sizeof when);
		snprintf(part, sizeof part, "snoozed till %s", when);
		ui_list_prepend(right, sizeof right, part, room);
	} else if (state == CONV_SNOOZED || state == CONV_RESOLVED)
		ui_list_prepend(right, sizeof right, names_state(state), room);
	else {
		ui_fmt_left(wl, when, sizeof when);
		snprintf(part, sizeof part, "%s%s", wl > 0 ? "win " : "",
		    when);
		ui_list_prepend(right, sizeof right, part, room);
	}
	/* Waiting for an answer: since the oldest message not answered. */
	if (state != CONV_RESOLVED && ui_jint(r, "waiting_since") > 0) {
		ui_list_ago(ui_jint(r, "waiting_since"), now, when,
		    sizeof when);
		snprintf(part, sizeof part, "wait %s", when);
		ui_list_prepend(right, sizeof right, part, room);
	}
	/* Replies that did not go (status webhooks): the most urgent news. */
	if (ui_jint(r, "failed") > 0) {
		snprintf(part, sizeof part, "%s%lld not sent", ui->ascii ?
		    "x" : "\xe2\x9c\x97", (long long)ui_jint(r, "failed"));
		ui_list_prepend(right, sizeof right, part, room);
	}
	ra = selected ? a : ui_attr(ui, wl > 0 && wl < 4 * 3600 ?
	    TH_WINDOW_WARN : TH_LIST_META);
	rw = utf8_width(right);
	if (sw > 0) {
		ui_put(ui, y, x + w - rw - sw - (rw > 0 ? 1 : 0), sw, sla,
		    selected ? a : ui_attr(ui, sel));
		rw += sw + (rw > 0 ? 1 : 0);
	}
	used = 3;
	if ((pres = ui_list_presence(ui, ui_jint(r, "id"))) != NULL) {
		used += ui_put(ui, y, x + used, w - used - rw - 2, pres,
		    selected ? a : ui_attr(ui, TH_PRESENCE));
		used++;
		free(pres);
	}
	/* Our side wrote last: whose words the preview is (the customer's
	 * go without a name, as in a chat list). */
	if (strcmp(ui_jstr(r, "last_direction"), "out") == 0) {
		who = ui_jstr(r, "last_agent");
		if (*who == '\0')
			who = "business";
		else if (ui->me != NULL && strcmp(who, ui->me) == 0)
			who = "you";
		snprintf(part, sizeof part, "%s: ", who);
		used += ui_put(ui, y, x + used, w - used - rw - 2, part,
		    selected ? a : ui_attr(ui, TH_LIST_META));
	}
	ui_put(ui, y, x + used, w - used - rw - 2, ui_jstr(r, "preview"),
	    selected ? a : ui_attr(ui, TH_LIST_PREVIEW));
	ui_put(ui, y, x + w - utf8_width(right), utf8_width(right), right, ra);
	/* The match of a search result replaces nothing: it is line 2. */
	if (json_object_get(r, "match") != NULL) {
		ui_fill(ui, y, x + 3, w - rw - 5, selected ? a :
		    ui_attr(ui, TH_LIST_PREVIEW));
		ui_put(ui, y, x + 3, w - rw - 5, ui_jstr(json_object_get(r,
		    "match"), "snippet"), selected ? a :
		    ui_attr(ui, TH_LIST_PREVIEW));
	}
}

/* The first row shown so that the cursor is on the page; per rows a page. */
static int
ui_list_scroll(struct ui *ui, int per, int n)
{
	int	top = ui->list.top;

	if (ui->list.sel < top)
		top = ui->list.sel;
	if (ui->list.sel >= top + per)
		top = ui->list.sel - per + 1;
	if (top > 0 && top + per > n)
		top = n - per > 0 ? n - per : 0;
	return (top);
}

/* Row idx of the list at its place on the page (a blank one past the end). */
static void
ui_list_draw_row(struct ui *ui, int idx, int y, int x, int w, int n)
{
	y += (idx - ui->list.top) * 2;
	if (idx < n)
		ui_list_row(ui, json_array_get(ui->list.rows, (size_t)idx), y,
		    x, w, idx == ui->list.sel && ui->focus == UI_LIST);
	else {
		ui_fill(ui, y, x, w, ui_attr(ui, TH_LIST));
		ui_fill(ui, y + 1, x, w, ui_attr(ui, TH_LIST));
	}
}

void
ui_list_draw(struct ui *ui)
{
	int	y, x, h, w, n, per, i;

	ui_list_area(ui, &y, &x, &h, &w);
	n = (int)json_array_size(ui->list.rows);
	per = h / 2;
	if (per < 1)
		per = 1;
	ui->list.top = ui_list_scroll(ui, per, n);
	for (i = 0; i < per; i++)
		ui_list_draw_row(ui, ui->list.top + i, y, x, w, n);
	if (h % 2 == 1)
		ui_fill(ui, y + h - 1, x, w, ui_attr(ui, TH_LIST));
	if (n == 0)
		ui_put(ui, y, x + 2, w - 2, ui->list.loading ? "loading..." :
		    ui->connected ? "no conversations here" :
		    "waiting for the daemon...", ui_attr(ui, TH_LIST_META));
	ui->list.drawn_top = ui->list.top;
	ui->list.drawn_sel = ui->list.sel;
}

/*
 * Only the cursor moved: the row it left and the row it is on are drawn
 * again, not the page (j and k are most of the keys an agent presses; a
 * whole page is 20 rows of names, previews and times to lay out). When the
 * page has to scroll, the whole list is drawn.
 */
void
ui_list_draw_sel(struct ui *ui)
{
	int	y, x, h, w, n, per;

	ui_list_area(ui, &y, &x, &h, &w);
	n = (int)json_array_size(ui->list.rows);
	per = h / 2;
	if (per < 1)
		per = 1;
	if (n == 0 || ui->list.drawn_top != ui->list.top ||
	    ui_list_scroll(ui, per, n) != ui->list.top ||
	    ui->list.drawn_sel < ui->list.top ||
	    ui->list.drawn_sel >= ui->list.top + per) {
		ui_list_draw(ui);
		return;
	}
	if (ui->list.drawn_sel != ui->list.sel)
		ui_list_draw_row(ui, ui->list.drawn_sel, y, x, w, n);
	ui_list_draw_row(ui, ui->list.sel, y, x, w, n);
	ui->list.drawn_sel = ui->list.sel;
}

/* One tab's text; its width. */
static int
ui_tab_text(struct ui *ui, int i, const char *label, char *buf, size_t len)
{
	int	active;

	active = !ui->list.search && ui->list.custom == NULL &&
	    i == ui->list.view;
	if (ui->counts != NULL && json_object_get(ui->counts,
	    ui_views[i]) != NULL)
		snprintf(buf, len, "%c%d:%s %lld%c", active ? '[' : ' ', i + 1,
		    label, (long long)ui_jint(ui->counts, ui_views[i]),
		    active ? ']' : ' ');
	else
		snprintf(buf, len, "%c%d:%s%c", active ? '[' : ' ', i + 1,
		    label, active ? ']' : ' ');
	return (utf8_width(buf));
}

void
ui_tabs_draw(struct ui *ui)
{
	static const char	*label[UI_NVIEWS] = { "Open", "Mine",
				    "Unassigned", "All", "Snoozed",
				    "Resolved", "Pending" };
	char			 buf[64], sort[32];
	int			 x = 0, i, a, cols = ui->cols, sw, tw = 0;

	ui_fill(ui, 1, 0, ui->cols, ui_attr(ui, TH_TABS));
	/*
	 * The order, at the right end: always when it is not the view's
	 * own, else where the tabs leave room for it.
	 */
	for (i = 0; i < UI_NVIEWS; i++)
		tw += ui_tab_text(ui, i, label[i], buf, sizeof buf);
	snprintf(sort, sizeof sort, " by %s ", ui_list_sort_name(ui));
	sw = utf8_width(sort);
	if (!ui->list.search && sw < ui->cols / 2 && (ui->list.sort >= 0 ||
	    tw + sw < ui->cols)) {
		ui_put(ui, 1, ui->cols - sw, sw, sort, ui_attr(ui,
		    ui->list.sort >= 0 ? TH_TAB_ACTIVE : TH_TABS));
		cols = ui->cols - sw - 1;
	}
	for (i = 0; i < UI_NVIEWS && x < cols; i++) {
		ui_tab_text(ui, i, label[i], buf, sizeof buf);
		a = ui_attr(ui, !ui->list.search && ui->list.custom == NULL &&
		    i == ui->list.view ? TH_TAB_ACTIVE : TH_TABS);
		x += ui_put(ui, 1, x, cols - x, buf, a);
	}
	if (ui->list.custom != NULL && !ui->list.search && x < cols - 4) {
		snprintf(buf, sizeof buf, " [view: %s]", ui->list.custom);
		x += ui_put(ui, 1, x, cols - x, buf, ui_attr(ui,
		    TH_TAB_ACTIVE));
	}
	if (ui->list.search && x < ui->cols - 4) {
		snprintf(buf, sizeof buf, " [search: %s]", ui->list.search_q);
		ui_put(ui, 1, x, ui->cols - x, buf, ui_attr(ui,
		    TH_TAB_ACTIVE));
	}
}

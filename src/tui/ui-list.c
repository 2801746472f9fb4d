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
	limit = UI_PAGE;
	if (append)
		offset = (int64_t)json_array_size(ui->list.rows);
	else if ((int64_t)json_array_size(ui->list.rows) > limit)
		limit = (int64_t)json_array_size(ui->list.rows);
	if (limit > 500)
		limit = 500;
	params = json_pack("{ss sI sI}", "view", ui_list_view_name(ui),
	    "offset", (json_int_t)offset, "limit", (json_int_t)limit);
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
	if (ui->narrow)
		ui->focus = UI_LIST;
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
	ui->dirty |= UI_D_LIST | UI_D_STATUS;
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

static void
ui_list_row(struct ui *ui, json_t *r, int y, int x, int w, int selected)
{
	char			 right[96], when[24], left[40], pre[8], *pres;
	const char		*assignee;
	enum conv_priority	 prio;
	enum conv_state		 state;
	int			 unread = ui_jint(r, "unread") > 0, a, ra, used;
	int			 rw, marked;
	int64_t			 wl;

	snprintf(pre, sizeof pre, "%lld", (long long)ui_jint(r, "id"));
	marked = json_object_get(ui->list.marked, pre) != NULL;
	a = ui_attr(ui, unread ? TH_LIST_UNREAD : TH_LIST);
	if (marked)
		a |= ui_attr(ui, TH_LIST_MARKED);
	if (selected)
		a |= ui_attr(ui, TH_LIST_SELECTED);
	/* Line 1: cursor, unread, mark, name ... [assignee] time. */
	snprintf(pre, sizeof pre, "%c%c%c", selected ? '>' : ' ',
	    unread ? '*' : ' ', marked ? '+' : ' ');
	assignee = ui_jstr(r, "assignee");
	ui_fmt_time(ui_jint(r, "last_msg_at"), when, sizeof when, 1);
	if (names_priority_from(ui_jstr(r, "priority"), &prio) != 0)
		prio = CONV_NORMAL;
	snprintf(right, sizeof right, "%s%s%s%s %s",
	    prio == CONV_URGENT ? "!! " : prio == CONV_HIGH ? "! " : "",
	    *assignee != '\0' ? "[" : "", assignee,
	    *assignee != '\0' ? "]" : "", when);
	ui_fill(ui, y, x, w, a);
	used = ui_put(ui, y, x, w, pre, a);
	rw = utf8_width(right);
	if (rw > w - used - 4)
		rw = 0;
	ui_put(ui, y, x + used, w - used - rw - 1, ui_jstr(r, "name")[0] !=
	    '\0' ? ui_jstr(r, "name") : ui_jstr(r, "phone_masked"), a);
	if (rw > 0)
		ui_put(ui, y, x + w - rw, rw, right, a |
		    ui_attr(ui, TH_LIST_META));
	/* Line 2: presence or preview ... window left. */
	y++;
	ui_fill(ui, y, x, w, selected ? a : ui_attr(ui, TH_LIST));
	wl = ui_jint(r, "window_left");
	state = ui_list_state(r);
	if (state == CONV_SNOOZED || state == CONV_RESOLVED)
		snprintf(left, sizeof left, "%s", names_state(state));
	else {
		ui_fmt_left(wl, when, sizeof when);
		snprintf(left, sizeof left, "%s%s", wl > 0 ? "win " : "",
		    when);
	}
	ra = selected ? a : ui_attr(ui, wl > 0 && wl < 4 * 3600 ?
	    TH_WINDOW_WARN : TH_LIST_META);
	rw = utf8_width(left);
	used = 3;
	if ((pres = ui_list_presence(ui, ui_jint(r, "id"))) != NULL) {
		used += ui_put(ui, y, x + used, w - used - rw - 2, pres,
		    selected ? a : ui_attr(ui, TH_PRESENCE));
		used++;
		free(pres);
	}
	ui_put(ui, y, x + used, w - used - rw - 2, ui_jstr(r, "preview"),
	    selected ? a : ui_attr(ui, TH_LIST_PREVIEW));
	/* The agent's own unsent draft (ui-compose.c) in the left margin. */
	if (ui_compose_has_draft(ui, r))
		ui_put(ui, y, x + 1, 1, ui->ascii ? "D" : "\xe2\x9c\x8e",
		    selected ? a : ui_attr(ui, TH_LIST_META));
	ui_put(ui, y, x + w - rw, rw, left, ra);
	/* The match of a search result replaces nothing: it is line 2. */
	if (json_object_get(r, "match") != NULL) {
		ui_fill(ui, y, x + 3, w - rw - 5, selected ? a :
		    ui_attr(ui, TH_LIST_PREVIEW));
		ui_put(ui, y, x + 3, w - rw - 5, ui_jstr(json_object_get(r,
		    "match"), "snippet"), selected ? a :
		    ui_attr(ui, TH_LIST_PREVIEW));
	}
}

void
ui_list_draw(struct ui *ui)
{
	int	y, x, h, w, n, per, i, idx;

	ui_list_area(ui, &y, &x, &h, &w);
	n = (int)json_array_size(ui->list.rows);
	per = h / 2;
	if (per < 1)
		per = 1;
	if (ui->list.sel < ui->list.top)
		ui->list.top = ui->list.sel;
	if (ui->list.sel >= ui->list.top + per)
		ui->list.top = ui->list.sel - per + 1;
	if (ui->list.top > 0 && ui->list.top + per > n)
		ui->list.top = n - per > 0 ? n - per : 0;
	for (i = 0; i < per; i++) {
		idx = ui->list.top + i;
		if (idx < n)
			ui_list_row(ui, json_array_get(ui->list.rows,
			    (size_t)idx), y + i * 2, x, w, idx ==
			    ui->list.sel && ui->focus == UI_LIST);
		else {
			ui_fill(ui, y + i * 2, x, w, ui_attr(ui, TH_LIST));
			ui_fill(ui, y + i * 2 + 1, x, w, ui_attr(ui, TH_LIST));
		}
	}
	if (h % 2 == 1)
		ui_fill(ui, y + h - 1, x, w, ui_attr(ui, TH_LIST));
	if (n == 0)
		ui_put(ui, y, x + 2, w - 2, ui->list.loading ? "loading..." :
		    ui->connected ? "no conversations here" :
		    "waiting for the daemon...", ui_attr(ui, TH_LIST_META));
}

void
ui_tabs_draw(struct ui *ui)
{
	static const char	*label[UI_NVIEWS] = { "Open", "Mine",
				    "Unassigned", "All", "Snoozed",
				    "Resolved", "Pending" };
	char			 buf[64];
	int			 x = 0, i, a, active;

	ui_fill(ui, 1, 0, ui->cols, ui_attr(ui, TH_TABS));
	for (i = 0; i < UI_NVIEWS && x < ui->cols; i++) {
		active = !ui->list.search && ui->list.custom == NULL &&
		    i == ui->list.view;
		if (ui->counts != NULL && json_object_get(ui->counts,
		    ui_views[i]) != NULL)
			snprintf(buf, sizeof buf, "%c%d:%s %lld%c",
			    active ? '[' : ' ', i + 1, label[i],
			    (long long)ui_jint(ui->counts, ui_views[i]),
			    active ? ']' : ' ');
		else
			snprintf(buf, sizeof buf, "%c%d:%s%c", active ? '[' :
			    ' ', i + 1, label[i], active ? ']' : ' ');
		a = ui_attr(ui, active ? TH_TAB_ACTIVE : TH_TABS);
		x += ui_put(ui, 1, x, ui->cols - x, buf, a);
	}
	if (ui->list.custom != NULL && !ui->list.search && x < ui->cols - 4) {
		snprintf(buf, sizeof buf, " [view: %s]", ui->list.custom);
		x += ui_put(ui, 1, x, ui->cols - x, buf, ui_attr(ui,
		    TH_TAB_ACTIVE));
	}
	if (ui->list.search && x < ui->cols - 4) {
		snprintf(buf, sizeof buf, " [search: %s]", ui->list.search_q);
		ui_put(ui, 1, x, ui->cols - x, buf, ui_attr(ui,
		    TH_TAB_ACTIVE));
	}
}

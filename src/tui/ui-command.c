/*
 * The named commands: every key and every ":" line runs one of these
 * (ui_command_run). The prompts they open are in ui-prompt.c.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "names.h"
#include "proto-names.h"
#include "ui-int.h"
#include "when.h"
#include "xmalloc.h"

#define C_LIST		(1 << KEYS_LIST)
#define C_THREAD	(1 << KEYS_THREAD)
#define C_COMPOSE	(1 << KEYS_COMPOSE)

/* --- actions on conversations --- */

static void
ui_done_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "%s: %s", ui_jstr(arg, "what"), msg);
		return;
	}
	if (json_is_true(json_object_get(res, "already")))
		ui_status(ui, 0, "already yours");
	else
		ui_status(ui, 0, "%s: done", ui_jstr(arg, "what"));
	ui_list_fetch(ui, 0);
	ui_refresh_counts(ui);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
}

/* Calls method once per target conversation ({"id": N} + extra). */
static void
ui_each(struct ui *ui, const char *what, const char *method, json_t *extra)
{
	json_t	*ids = ui_list_targets(ui), *v, *p;
	size_t	 i;

	if (json_array_size(ids) == 0)
		ui_status(ui, 0, "no conversation selected");
	json_array_foreach(ids, i, v) {
		p = extra != NULL ? json_deep_copy(extra) : json_object();
		json_object_set(p, "id", v);
		ui_call(ui, method, p, ui_done_cb, json_pack("{ss}", "what",
		    what));
	}
	if (json_array_size(ids) > 1)
		json_object_clear(ui->list.marked);
	json_decref(ids);
	json_decref(extra);
}

static void
ui_state(struct ui *ui, enum conv_state state, int64_t until)
{
	json_t	*p, *ids = ui_list_targets(ui);

	if (json_array_size(ids) == 0) {
		json_decref(ids);
		return;
	}
	p = json_pack("{ss so}", "state", names_state(state), "ids", ids);
	if (until != 0)
		json_object_set_new(p, "until", json_integer(until));
	if (state == CONV_RESOLVED)
		ui_compose_resolve(ui, p);	/* with its undo window */
	else
		ui_call(ui, PM_CONV_STATE, p, ui_done_cb, json_pack("{ss}",
		    "what", names_state(state)));
	json_object_clear(ui->list.marked);
}

static void
ui_snooze_cb(struct ui *ui, const char *text, json_t *arg)
{
	const char	*why;
	int64_t		 until;

	(void)arg;
	if (when_future(text, time(NULL), &until, &why) != 0) {
		ui_status(ui, 1, "snooze: %s", why);
		return;
	}
	ui_state(ui, CONV_SNOOZED, until);
}

static void
ui_note_cb(struct ui *ui, const char *text, json_t *arg)
{
	(void)arg;
	if (*text == '\0')
		return;
	ui_each(ui, "note", PM_NOTE_ADD, json_pack("{ss}", "body", text));
}

static void
ui_pick_assign(struct ui *ui, json_t *item, json_t *arg)
{
	(void)arg;
	ui_each(ui, "assign", PM_CONV_ASSIGN, json_pack("{ss}", "to",
	    ui_jstr(item, "value")));
}

static void
ui_agents_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*rows, *r, *items;
	size_t	 i;
	char	*label;

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "agents: %s", msg);
		return;
	}
	rows = json_is_array(res) ? res : json_object_get(res, "agents");
	items = json_array();
	json_array_append_new(items, json_pack("{ss ss}", "label",
	    "me (claim)", "value", "me"));
	json_array_append_new(items, json_pack("{ss ss}", "label",
	    "nobody (release)", "value", "none"));
	json_array_foreach(rows, i, r) {
		if (json_is_false(json_object_get(r, "active")))
			continue;
		label = xasprintf("%s  %s", ui_jstr(r, "name"),
		    ui_jstr(r, "role"));
		json_array_append_new(items, json_pack("{ss ss}", "label",
		    label, "value", ui_jstr(r, "name")));
		free(label);
	}
	ui_picker_open(ui, "assign to", items, ui_pick_assign, NULL, 0);
}

static void
ui_pick_label(struct ui *ui, json_t *item, json_t *arg)
{
	(void)arg;
	ui_each(ui, "label", PM_CONV_LABEL, json_pack("{ss}", "label",
	    ui_jstr(item, "value")));
}

static void
ui_labels_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*rows, *r, *items;
	size_t	 i;

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "labels: %s", msg);
		return;
	}
	rows = json_is_array(res) ? res : json_object_get(res, "labels");
	items = json_array();
	json_array_foreach(rows, i, r) {
		json_array_append_new(items, json_pack("{ss ss}", "label",
		    ui_jstr(r, "name"), "value", ui_jstr(r, "name")));
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		ui_status(ui, 0, "no labels yet; :label NAME adds one by name");
		return;
	}
	ui_picker_open(ui, "label (:label -NAME removes)", items,
	    ui_pick_label, NULL, 0);
}

static void
ui_pick_priority(struct ui *ui, json_t *item, json_t *arg)
{
	(void)arg;
	ui_each(ui, "priority", PM_CONV_PRIORITY, json_pack("{ss}", "priority",
	    ui_jstr(item, "value")));
}

static void
ui_pick_switch(struct ui *ui, json_t *item, json_t *arg)
{
	size_t	i;
	json_t	*r;

	(void)arg;
	json_array_foreach(ui->list.rows, i, r) {
		if (ui_jint(r, "id") == ui_jint(item, "id"))
			ui_list_goto(ui, (int)i);
	}
	ui_thread_open(ui, ui_jint(item, "id"), 0);
}

static void
ui_react_cb(struct ui *ui, const char *text, json_t *arg)
{
	if (*text == '\0')
		return;
	ui_call(ui, PM_REACT, json_pack("{sI sI ss}", "conv",
	    (json_int_t)ui->th.id, "msg", (json_int_t)ui_jint(arg, "msg"),
	    "emoji", text), ui_done_cb, json_pack("{ss}", "what", "react"));
}

static void
ui_search_cb(struct ui *ui, const char *text, json_t *arg)
{
	(void)arg;
	if (*text != '\0')
		ui_list_search(ui, text);
}

static void
ui_quit_cb(struct ui *ui, const char *text, json_t *arg)
{
	(void)text; (void)arg;
	ui->running = 0;
}

/* --- the command functions --- */

static int
ui_need_conv(struct ui *ui)
{
	if (ui->focus == UI_LIST && ui_list_current(ui) == NULL) {
		ui_status(ui, 0, "no conversation selected");
		return (0);
	}
	return (1);
}

static void
c_help(struct ui *ui, const char *a)
{
	(void)a;
	ui->help = 1;
	ui->help_scroll = 0;
	ui->dirty = UI_D_ALL;
}

static void
c_cmdline(struct ui *ui, const char *a)
{
	(void)a;
	ui_prompt_cmdline(ui);
}

static void
c_quit(struct ui *ui, const char *a)
{
	(void)a;
	/* The daemon keeps drafts: lost only if it cannot be reached. */
	if (!ui_compose_quit(ui))
		ui_prompt_yes(ui, "the daemon is not reachable: unsent drafts "
		    "are lost on quit; quit?", ui_quit_cb, NULL);
}

static void
c_quit_now(struct ui *ui, const char *a)
{
	(void)a;
	ui->running = 0;
}

static void
c_back(struct ui *ui, const char *a)
{
	if (ui->focus == UI_COMPOSE)
		ui_set_focus(ui, UI_THREAD);
	else if (ui->focus == UI_THREAD) {
		ui->focus = UI_LIST;
		ui->dirty = UI_D_ALL;
		ui->th.laid = 0;
	} else if (ui->list.search) {
		ui_list_set_view(ui, ui->list.view);
	} else
		c_quit(ui, a);
}

static void
c_redraw(struct ui *ui, const char *a)
{
	(void)a;
	clearok(curscr, TRUE);
	ui_layout(ui);
}

static void
c_suspend(struct ui *ui, const char *a)
{
	(void)a;
	ui_suspend(ui);
}

static void
c_focus(struct ui *ui, const char *a)
{
	int	f = (int)ui->focus, dir = a != NULL && strcmp(a, "prev") == 0 ?
		    -1 : 1;

	if (ui->th.id == 0) {
		if (ui_list_current(ui) != NULL)
			ui_thread_open(ui, ui->list.sel_id, 0);
		return;
	}
	f = (f + dir + 3) % 3;
	ui_set_focus(ui, (enum ui_focus)f);
}

static void
c_view(struct ui *ui, const char *a)
{
	int	i;

	if (a != NULL && strcmp(a, "mentions") == 0) {
		ui_mention_view(ui);
		return;
	}
	for (i = 0; i < UI_NVIEWS; i++) {
		if (a != NULL && strcmp(a, ui_views[i]) == 0) {
			ui_list_set_view(ui, i);
			return;
		}
	}
	/* The daemon checks the rest (and says what it knows). */
	if (a != NULL && *a != '\0' && strlen(a) < 64 &&
	    strcspn(a, " \t") == strlen(a)) {
		ui_list_set_custom(ui, a);
		return;
	}
	ui_status(ui, 1, "views: open, mine, unassigned, all, snoozed, "
	    "resolved, pending, failed, window:HOURS, label:NAME, team:NAME, "
	    "number:LABEL, breaching");
}

static void
c_move(struct ui *ui, int delta)
{
	if (ui->focus == UI_THREAD)
		ui_thread_move(ui, delta);
	else
		ui_list_move(ui, delta);
}

static int
ui_page(struct ui *ui)
{
	int	y, x, h, w;

	if (ui->focus == UI_THREAD) {
		ui_thread_area(ui, &y, &x, &h, &w);
		return (h > 2 ? h - 2 : 1);
	}
	ui_list_area(ui, &y, &x, &h, &w);
	return (h / 2 > 1 ? h / 2 : 1);
}

static void
c_next(struct ui *ui, const char *a)
{
	(void)a;
	c_move(ui, 1);
}

static void
c_prev(struct ui *ui, const char *a)
{
	(void)a;
	c_move(ui, -1);
}

static void
c_half_down(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_scroll(ui, ui_page(ui) / 2);
	else
		c_move(ui, ui_page(ui) / 2 > 0 ? ui_page(ui) / 2 : 1);
}

static void
c_half_up(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_scroll(ui, -(ui_page(ui) / 2));
	else
		c_move(ui, -(ui_page(ui) / 2 > 0 ? ui_page(ui) / 2 : 1));
}

static void
c_page_down(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_scroll(ui, ui_page(ui));
	else
		c_move(ui, ui_page(ui));
}

static void
c_page_up(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_scroll(ui, -ui_page(ui));
	else
		c_move(ui, -ui_page(ui));
}

static void
c_first(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_goto(ui, 0);
	else
		ui_list_goto(ui, 0);
}

static void
c_last(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->focus == UI_THREAD)
		ui_thread_goto(ui, 1);
	else
		ui_list_goto(ui, (int)json_array_size(ui->list.rows) - 1);
}

static void
c_open(struct ui *ui, const char *a)
{
	json_t		*r = ui_list_current(ui);
	long long	 id;
	char		*end;

	/* :open N opens conversation N, wherever it is. */
	if (a != NULL && *a != '\0') {
		errno = 0;
		id = strtoll(a, &end, 10);
		if (*end != '\0' || errno != 0 || id <= 0) {
			ui_status(ui, 1, "open: a conversation number, e.g. "
			    ":open 42");
			return;
		}
		ui_thread_open(ui, (int64_t)id, 0);
		return;
	}
	if (r == NULL)
		return;
	ui_thread_open(ui, ui_jint(r, "id"), ui_jint(json_object_get(r,
	    "match"), "id"));
}

static void
c_next_waiting(struct ui *ui, const char *a)
{
	(void)a;
	ui_list_waiting(ui, 1);
}

static void
c_prev_waiting(struct ui *ui, const char *a)
{
	(void)a;
	ui_list_waiting(ui, -1);
}

static void
c_search(struct ui *ui, const char *a)
{
	if (a != NULL && *a != '\0')
		ui_list_search(ui, a);
	else
		ui_prompt_open(ui, "search: ", NULL, ui_search_cb, NULL);
}

static void
c_search_next(struct ui *ui, const char *a)
{
	(void)a;
	ui_list_move(ui, 1);
	if (ui->list.search && ui->focus != UI_LIST)
		c_open(ui, NULL);
}

static void
c_search_prev(struct ui *ui, const char *a)
{
	(void)a;
	ui_list_move(ui, -1);
}

static void
c_mark(struct ui *ui, const char *a)
{
	char	key[32];

	(void)a;
	if (ui_list_current(ui) == NULL)
		return;
	snprintf(key, sizeof key, "%lld", (long long)ui->list.sel_id);
	if (json_object_get(ui->list.marked, key) != NULL)
		json_object_del(ui->list.marked, key);
	else
		json_object_set_new(ui->list.marked, key, json_true());
	ui_list_move(ui, 1);
	ui->dirty |= UI_D_LIST | UI_D_STATUS;
}

static void
c_claim(struct ui *ui, const char *a)
{
	(void)a;
	if (ui_need_conv(ui))
		ui_guard_claim(ui);	/* asks first if someone is typing */
}

static void
c_assign(struct ui *ui, const char *a)
{
	if (!ui_need_conv(ui))
		return;
	if (a != NULL && *a != '\0')
		ui_each(ui, "assign", PM_CONV_ASSIGN, json_pack("{ss}", "to",
		    a));
	else
		ui_call(ui, PM_AGENT_LIST, NULL, ui_agents_cb, NULL);
}

static void
c_resolve(struct ui *ui, const char *a)
{
	(void)a;
	if (ui_need_conv(ui))
		ui_state(ui, CONV_RESOLVED, 0);
}

static void
c_reopen(struct ui *ui, const char *a)
{
	(void)a;
	if (ui_need_conv(ui))
		ui_state(ui, CONV_OPEN, 0);
}

static void
c_snooze(struct ui *ui, const char *a)
{
	if (!ui_need_conv(ui))
		return;
	if (a != NULL && *a != '\0')
		ui_snooze_cb(ui, a, NULL);
	else
		ui_prompt_open(ui, "snooze until (2h, tomorrow, monday 9:00, "
		    "17:30, 2026-12-24 08:00): ", NULL, ui_snooze_cb, NULL);
}

static void
c_label(struct ui *ui, const char *a)
{
	if (!ui_need_conv(ui))
		return;
	if (a != NULL && *a == '-' && a[1] != '\0')
		ui_each(ui, "unlabel", PM_CONV_UNLABEL, json_pack("{ss}",
		    "label", a + 1));
	else if (a != NULL && *a != '\0')
		ui_each(ui, "label", PM_CONV_LABEL, json_pack("{ss}", "label",
		    a));
	else
		ui_call(ui, PM_LABEL_LIST, NULL, ui_labels_cb, NULL);
}

static void
c_priority(struct ui *ui, const char *a)
{
	enum conv_priority	 p;
	json_t			*items;
	int			 i;

	if (!ui_need_conv(ui))
		return;
	if (a != NULL && *a != '\0') {
		if (names_priority_from(a, &p) != 0) {
			ui_status(ui, 1, "priority: one of "
			    NAMES_LIST(NAMES_PRIORITIES, ", "));
			return;
		}
		ui_each(ui, "priority", PM_CONV_PRIORITY, json_pack("{ss}",
		    "priority", names_priority(p)));
		return;
	}
	items = json_array();
	for (i = 0; i < CONV_NPRIORITIES; i++) {
		json_array_append_new(items, json_pack("{ss ss}", "label",
		    names_priority((enum conv_priority)i), "value",
		    names_priority((enum conv_priority)i)));
	}
	ui_picker_open(ui, "priority", items, ui_pick_priority, NULL, 0);
}

static void
c_note(struct ui *ui, const char *a)
{
	if (!ui_need_conv(ui))
		return;
	if (a != NULL && *a != '\0')
		ui_note_cb(ui, a, NULL);
	else
		ui_prompt_open(ui, "internal note (not sent to the customer): ",
		    NULL, ui_note_cb, NULL);
}

static void
c_reply(struct ui *ui, const char *a)
{
	(void)a;
	if (ui->th.id == 0 || (ui->focus == UI_LIST && ui->list.sel_id !=
	    ui->th.id)) {
		if (ui_list_current(ui) == NULL)
			return;
		ui_thread_open(ui, ui->list.sel_id, 0);
	}
	ui_set_focus(ui, UI_COMPOSE);
}

static void
c_reply_editor(struct ui *ui, const char *a)
{
	c_reply(ui, a);
	if (ui->focus == UI_COMPOSE)
		ui_compose_editor(ui);
}

static void
c_quote_reply(struct ui *ui, const char *a)
{
	json_t	*m = ui_thread_selected(ui);

	(void)a;
	if (m == NULL || json_object_get(m, "_note") != NULL) {
		ui_status(ui, 0, "select a message first (j/k)");
		return;
	}
	ui->cmp.reply_to = ui_jint(m, "id");
	ui_set_focus(ui, UI_COMPOSE);
}

static void
c_info(struct ui *ui, const char *a)
{
	(void)a;
	ui_panel_toggle(ui);
}

static void
c_reveal(struct ui *ui, const char *a)
{
	(void)a;
	ui_panel_reveal(ui);
}

static void
c_first_unread(struct ui *ui, const char *a)
{
	(void)a;
	ui_thread_first_unread(ui);
}

/* Takes back the last send or resolve in its window; else u's old job. */
static void
c_undo(struct ui *ui, const char *a)
{
	if (ui_compose_undo(ui))
		return;
	if (ui->focus == UI_THREAD)
		c_first_unread(ui, a);
	else
		ui_status(ui, 0, "nothing to undo");
}

static void
c_media(struct ui *ui, const char *a)
{
	(void)a;
	ui_thread_media(ui);
}

static void
c_template(struct ui *ui, const char *a)
{
	(void)a;
	ui_compose_template(ui);
}

static void
c_react(struct ui *ui, const char *a)
{
	json_t	*m = ui_thread_selected(ui), *arg;

	if (m == NULL || json_object_get(m, "_note") != NULL) {
		ui_status(ui, 0, "select a message first (j/k)");
		return;
	}
	arg = json_pack("{sI}", "msg", (json_int_t)ui_jint(m, "id"));
	if (a != NULL && *a != '\0') {
		ui_react_cb(ui, a, arg);
		json_decref(arg);
	} else
		ui_prompt_open(ui, "react with: ", "\xf0\x9f\x91\x8d",
		    ui_react_cb, arg);
}

static void
c_retry(struct ui *ui, const char *a)
{
	json_t	*m = ui_thread_selected(ui);

	(void)a;
	if (m == NULL || strcmp(ui_jstr(m, "status"), "failed") != 0) {
		ui_status(ui, 0, "select a failed message first");
		return;
	}
	ui_call(ui, PM_OUTBOX_RETRY, json_pack("{sI}", "msg",
	    (json_int_t)ui_jint(m, "id")), ui_done_cb, json_pack("{ss}",
	    "what", "retry"));
}

/* A conversation as the quick switch lists it. */
static json_t *
ui_switch_item(json_t *r)
{
	json_t		*it;
	const char	*who = ui_jstr(r, "assignee");
	char		*label;

	label = xasprintf("%s  #%lld  %s%s%s%s", ui_jstr(r, "name"),
	    (long long)ui_jint(r, "id"), ui_jstr(r, "state"),
	    *who != '\0' ? "  " : "", who, strcmp(ui_jstr(json_object_get(r,
	    "match"), "kind"), "phone") == 0 ? "  (number)" : "");
	/* Names only: matching previews would find everyone. */
	it = json_pack("{ss sI ss s[s]}", "label", label, "id",
	    (json_int_t)ui_jint(r, "id"), "preview", ui_jstr(r, "preview"),
	    "fields", ui_jstr(r, "name"));
	free(label);
	return (it);
}

static void
ui_switch_found(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t	*items, *r;
	size_t	 i;

	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "quick switch: %s", msg);
		ui_picker_answer(ui, ui_jstr(arg, "q"), NULL);
		return;
	}
	items = json_array();
	json_array_foreach(json_object_get(res, "rows"), i, r)
		json_array_append_new(items, ui_switch_item(r));
	ui_picker_answer(ui, ui_jstr(arg, "q"), items);
}

/*
 * Every conversation the agent may open, not only this tab's. One to
 * three digits are no number ending yet: not asked (nor audited).
 */
static void
ui_switch_query(struct ui *ui, const char *filter)
{
	const char	*p;
	size_t		 digits = 0, other = 0;

	for (p = filter; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (strchr(" +-./()", *p) == NULL)
			other++;
	}
	if (other == 0 && digits < 4) {
		ui_picker_answer(ui, filter, json_array());
		return;
	}
	ui_call(ui, PM_CONV_FIND, json_pack("{ss si}", "q", filter, "limit",
	    50), ui_switch_found, json_pack("{ss}", "q", filter));
}

/* N: a conversation the business starts (ui-start.c). */
static void
c_new(struct ui *ui, const char *a)
{
	(void)a;
	ui_start_open(ui);
}

static void
c_switch(struct ui *ui, const char *a)
{
	json_t	*items = json_array(), *r;
	size_t	 i;

	(void)a;
	/* Until the agent types: this tab's rows, newest first. */
	json_array_foreach(ui->list.rows, i, r)
		json_array_append_new(items, ui_switch_item(r));
	ui_picker_open(ui, "go to conversation (name or last digits)", items,
	    ui_pick_switch, NULL, 1);
	ui_picker_remote(ui, ui_switch_query);
}

static void
c_attach(struct ui *ui, const char *a)
{
	if (ui->th.id == 0)
		return;
	ui_compose_attach(ui, a);
}

static void
c_compose(struct ui *ui, const char *a, const char *name)
{
	if (ui->th.id == 0)
		return;
	if (strcmp(name, "send") == 0)
		ui_compose_send(ui);
	else if (strcmp(name, "editor") == 0)
		ui_compose_editor(ui);
	else
		ui_compose_cmd(ui, name, a);
}

#define COMPOSE_FN(n, s)						\
static void								\
n(struct ui *ui, const char *a)						\
{									\
	c_compose(ui, a, s);						\
}
COMPOSE_FN(c_send, "send")
COMPOSE_FN(c_newline, "newline")
COMPOSE_FN(c_editor, "editor")
COMPOSE_FN(c_bol, "bol")
COMPOSE_FN(c_eol, "eol")
COMPOSE_FN(c_left, "left")
COMPOSE_FN(c_right, "right")
COMPOSE_FN(c_up, "up")
COMPOSE_FN(c_down, "down")
COMPOSE_FN(c_word_back, "word-back")
COMPOSE_FN(c_word_fwd, "word-fwd")
COMPOSE_FN(c_kill_eol, "kill-eol")
COMPOSE_FN(c_kill_bol, "kill-bol")
COMPOSE_FN(c_kill_word, "kill-word")
COMPOSE_FN(c_backspace, "backspace")
COMPOSE_FN(c_delete, "delete")
COMPOSE_FN(c_leave, "leave")
COMPOSE_FN(c_clear, "clear")
COMPOSE_FN(c_complete, "complete")

static void
c_canned(struct ui *ui, const char *a)
{
	(void)a;
	ui_compose_canned(ui);
}

static void
c_set(struct ui *ui, const char *a)
{
	char	 key[32], val[64];
	char	*cause = NULL;

	if (a == NULL || sscanf(a, "%31s %63s", key, val) != 2) {
		ui_status(ui, 1, "set emoji safe|full, bell off|bell|osc777, "
		    "enter_sends yes|no, theme NAME");
		return;
	}
	if (strcmp(key, "emoji") == 0)
		ui->emoji = strcmp(val, "full") == 0 ? UTF8_EMOJI_FULL :
		    UTF8_EMOJI_SAFE;
	else if (strcmp(key, "bell") == 0)
		ui->conf.bell = strcmp(val, "off") == 0 ? 0 :
		    strcmp(val, "osc777") == 0 ? 2 : 1;
	else if (strcmp(key, "enter_sends") == 0)
		keys_bind(&ui->keys, KEYS_COMPOSE, "<Enter>", val[0] == 'y' ?
		    "send" : "newline", &cause);
	else if (strcmp(key, "theme") == 0) {
		/* A theme that does not load leaves the current one. */
		if (theme_load(&ui->theme, val, &cause) == 0) {
			ui_apply_theme(ui);
			ui_status(ui, 0, "theme %s", ui->theme.name);
		}
	} else {
		ui_status(ui, 1, "unknown setting '%s'", key);
		return;
	}
	/* cause has one owner: whichever branch failed left it here. */
	if (cause != NULL) {
		ui_status(ui, 1, "%s", cause);
		free(cause);
		return;
	}
	ui->th.laid = 0;
	ui->dirty = UI_D_ALL;
}

static void
c_theme(struct ui *ui, const char *a)
{
	char	*s;

	s = xasprintf("theme %s", a != NULL ? a : "");
	c_set(ui, s);
	free(s);
}

static void
c_sort(struct ui *ui, const char *a)
{
	ui_list_sort(ui, a);
}

/* issue 13: mentions, handing over, taking over */
static void
c_mentions(struct ui *ui, const char *a)
{
	(void)a;
	ui_mention_view(ui);
}

static void
c_handover(struct ui *ui, const char *a)
{
	ui_handover(ui, a);
}

static void
c_accept(struct ui *ui, const char *a)
{
	ui_handover_answer(ui, a, 1);
}

static void
c_decline(struct ui *ui, const char *a)
{
	ui_handover_answer(ui, a, 0);
}

static void
c_takeover(struct ui *ui, const char *a)
{
	(void)a;
	ui_takeover(ui);
}

/* issue 17: the campaigns view (ui-campaign.c) */
static void
c_campaigns(struct ui *ui, const char *a)
{
	(void)a;
	ui_campaign_open(ui);
}

/* :away [AGENT], :available [AGENT] (ui-away.c) */
static void
c_away(struct ui *ui, const char *a)
{
	ui_away_set(ui, 1, a);
}

static void
c_available(struct ui *ui, const char *a)
{
	ui_away_set(ui, 0, a);
}

/* issue 19: the supervisor's floor view (ui-floor.c) */
static void
c_floor(struct ui *ui, const char *a)
{
	(void)a;
	ui_floor_open(ui);
}

/* issue 15: the contacts view (ui-contacts.c) */
static void
c_contacts(struct ui *ui, const char *a)
{
	(void)a;
	ui_contacts_open(ui);
}

/* issue 19: the report view (ui-report.c) */
static void
c_report(struct ui *ui, const char *a)
{
	ui_report_open(ui, a);
}

const struct ui_command ui_commands[] = {
	{ "help", NULL, "keys and commands (this screen)", 0, c_help },
	{ "cmdline", NULL, "the : command line", 0, c_cmdline },
	{ "quit", NULL, "quit (asks if drafts would be lost)", 0, c_quit },
	{ "quit-now", NULL, "quit at once", 0, c_quit_now },
	{ "back", NULL, "close the view / go back / quit at the top", 0,
	    c_back },
	{ "redraw", NULL, "redraw the screen", 0, c_redraw },
	{ "suspend", NULL, "suspend to the shell (fg resumes)", 0, c_suspend },
	{ "focus", "next|prev", "move between list, thread and composer", 0,
	    c_focus },
	{ "view", "NAME", "open|mine|unassigned|all|snoozed|resolved|pending|"
	    "failed|window:H|label:L|team:T|breaching", 0,
	    c_view },
	{ "switch", NULL, "jump to a conversation by name", 0, c_switch },
	{ "next", NULL, "next conversation / message", 0, c_next },
	{ "prev", NULL, "previous conversation / message", 0, c_prev },
	{ "half-down", NULL, "half a page down", 0, c_half_down },
	{ "half-up", NULL, "half a page up", 0, c_half_up },
	{ "page-down", NULL, "a page down", 0, c_page_down },
	{ "page-up", NULL, "a page up", 0, c_page_up },
	{ "first", NULL, "first item (in a thread: older messages)", 0,
	    c_first },
	{ "last", NULL, "last item", 0, c_last },
	{ "open", "[N]", "open the conversation (at the search match), or N",
	    0,
	    c_open },
	{ "next-waiting", NULL, "next conversation waiting for us", 0,
	    c_next_waiting },
	{ "prev-waiting", NULL, "previous conversation waiting for us", 0,
	    c_prev_waiting },
	{ "search", "QUERY", "search messages, notes, names (results as a "
	    "list)", 0, c_search },
	{ "search-next", NULL, "next search result", 0, c_search_next },
	{ "search-prev", NULL, "previous search result", 0, c_search_prev },
	{ "mark", NULL, "mark for a bulk action", 0, c_mark },
	{ "claim", NULL, "assign to me", 0, c_claim },
	{ "assign", "[AGENT]", "assign to an agent (picker)", 0, c_assign },
	{ "resolve", NULL, "resolve", 0, c_resolve },
	{ "reopen", NULL, "reopen", 0, c_reopen },
	{ "snooze", "[WHEN]", "snooze until a time or for a while", 0,
	    c_snooze },
	{ "label", "[[-]NAME]", "add (or -remove) a label", 0, c_label },
	{ "priority", "[P]", NAMES_LIST(NAMES_PRIORITIES, "|"), 0,
	    c_priority },
	{ "note", "[TEXT]", "add an internal note", 0, c_note },
	{ "reply", NULL, "write a reply (composer)", 0, c_reply },
	{ "reply-editor", NULL, "write the reply in $EDITOR", 0,
	    c_reply_editor },
	{ "quote-reply", NULL, "reply quoting the selected message", 0,
	    c_quote_reply },
	{ "info", NULL, "contact panel", 0, c_info },
	{ "reveal", NULL, "reveal the phone number (audited)", 0, c_reveal },
	{ "first-unread", NULL, "jump to the \"new\" marker", 0,
	    c_first_unread },
	{ "media", NULL, "fetch and save the selected file", 0, c_media },
	{ "react", "[EMOJI]", "react to the selected message", 0, c_react },
	{ "retry", NULL, "send a failed message again", 0, c_retry },
	{ "template", NULL, "send an approved template", 0, c_template },
	{ "canned", NULL, "canned-reply picker", 0, c_canned },
	{ "attach", "[FILE]", "send a file", 0, c_attach },
	{ "send", NULL, "send the draft", 0, c_send },
	{ "newline", NULL, "new line in the draft", 0, c_newline },
	{ "editor", NULL, "edit the draft in $EDITOR", 0, c_editor },
	{ "bol", NULL, "start of line", C_COMPOSE, c_bol },
	{ "eol", NULL, "end of line", C_COMPOSE, c_eol },
	{ "left", NULL, "one character left", C_COMPOSE, c_left },
	{ "right", NULL, "one character right", C_COMPOSE, c_right },
	{ "up", NULL, "line up", C_COMPOSE, c_up },
	{ "down", NULL, "line down", C_COMPOSE, c_down },
	{ "word-back", NULL, "word left", C_COMPOSE, c_word_back },
	{ "word-fwd", NULL, "word right", C_COMPOSE, c_word_fwd },
	{ "kill-eol", NULL, "delete to end of line", C_COMPOSE, c_kill_eol },
	{ "kill-bol", NULL, "delete to start of line", C_COMPOSE,
	    c_kill_bol },
	{ "kill-word", NULL, "delete the word before", C_COMPOSE,
	    c_kill_word },
	{ "backspace", NULL, "delete before the cursor", C_COMPOSE,
	    c_backspace },
	{ "delete", NULL, "delete under the cursor", C_COMPOSE, c_delete },
	{ "leave", NULL, "leave the composer (draft kept)", C_COMPOSE,
	    c_leave },
	{ "clear", NULL, "clear the draft (again: undo)", C_COMPOSE, c_clear },
	{ "complete", NULL, "canned replies on an empty draft", C_COMPOSE,
	    c_complete },
	{ "set", "KEY VALUE", "emoji safe|full, bell, enter_sends, theme", 0,
	    c_set },
	{ "theme", "NAME", "default|light|dark256|mono", 0, c_theme },
	{ "sort", "[" NAMES_LIST(NAMES_SORTS, "|") "]", "order the list "
	    "(without a name: the next order)", 0, c_sort },
	{ "mentions", NULL, "notes that mention you (also :view mentions)", 0,
	    c_mentions },
	{ "handover", "[AGENT [NOTE]]", "hand the conversation to a colleague",
	    0, c_handover },
	{ "accept", "[N]", "take the conversation a colleague handed you", 0,
	    c_accept },
	{ "decline", "[N]", "decline a colleague's handover request", 0,
	    c_decline },
	{ "takeover", NULL, "take someone's conversation (supervisors)", 0,
	    c_takeover },
	{ "undo", NULL, "take back the last send or resolve (in its window)",
	    0, c_undo },
	{ "campaigns", NULL, "campaigns with live progress; Enter shows a "
	    "report, p/R/X pause, resume, cancel", 0, c_campaigns },
	{ "contacts", NULL, "the contacts: list, search (/), show, their "
	    "conversations", 0, c_contacts },
	{ "new", NULL, "start a conversation: a number or contact, an "
	    "approved template", 0, c_new },
	{ "macro", "[NAME]", "run a macro on the conversation (picker)", 0,
	    ui_macro_cmd },
	{ "away", "[AGENT]", "say you are away: no conversations are assigned "
	    "to you automatically (a supervisor: someone else)", 0, c_away },
	{ "available", "[AGENT]", "say you are back from :away", 0,
	    c_available },
	{ "floor", NULL, "the floor, live: queues per team, waits, breaches, "
	    "agents' load, outbox (supervisors)", 0, c_floor },
	{ "report", "[KIND]", "reports as bars and sparklines: this week, "
	    "[ ] other weeks, m month, Tab kind (supervisors)", 0, c_report },
	{ NULL, NULL, NULL, 0, NULL }
};

const struct ui_command *
ui_command_find(const char *name)
{
	const struct ui_command	*c;

	for (c = ui_commands; c->name != NULL; c++) {
		if (strcmp(c->name, name) == 0)
			return (c);
	}
	return (NULL);
}

void
ui_command_run(struct ui *ui, const char *line)
{
	const struct ui_command	*c;
	char			 name[64];
	const char		*args;
	size_t			 n;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return;
	if (n >= sizeof name) {
		ui_status(ui, 1, "unknown command");
		return;
	}
	memcpy(name, line, n);
	name[n] = '\0';
	args = line + n;
	while (*args == ' ')
		args++;
	if ((c = ui_command_find(name)) == NULL) {
		ui_status(ui, 1, "unknown command '%s'; :help lists them",
		    name);
		return;
	}
	if (c->ctx != 0 && (c->ctx & C_COMPOSE) && ui->focus != UI_COMPOSE) {
		ui_status(ui, 0, ":%s works in the composer", name);
		return;
	}
	c->fn(ui, *args != '\0' ? args : NULL);
	ui->dirty |= UI_D_STATUS;
}

/*
 * The thread pane: messages and internal notes of one conversation laid
 * out as lines (day separators, the "new" marker, quotes, delivery state,
 * reactions, typed media placeholders), with a selected message that the
 * message actions work on. The contact panel's lines come from ui-panel.c.
 */
#include <sys/wait.h>

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mailcap.h"
#include "proto-names.h"
#include "save.h"
#include "thread-order.h"
#include "ui-int.h"
#include "xmalloc.h"

struct ui_line {
	int		 item;		/* message index, -1 for decoration */
	enum theme_el	 el;
	int		 indent;
	char		*text;
};

static void	ui_thread_layout(struct ui *, int width);
static void	ui_thread_send_close(struct ui *, int64_t);

static void
ui_thread_free_lines(struct ui *ui)
{
	int	i;

	for (i = 0; i < ui->th.nlines; i++)
		free(ui->th.lines[i].text);
	free(ui->th.lines);
	ui->th.lines = NULL;
	ui->th.nlines = 0;
	ui->th.laid = 0;
}

json_t *
ui_thread_selected(struct ui *ui)
{
	if (ui->th.sel < 0)
		return (NULL);
	return (json_array_get(ui->th.msgs, (size_t)ui->th.sel));
}

int64_t
ui_thread_last_inbound(struct ui *ui)
{
	json_t	*m;
	size_t	 i;
	int64_t	 last = 0;

	json_array_foreach(ui->th.msgs, i, m) {
		if (strcmp(ui_jstr(m, "direction"), "in") == 0 &&
		    ui_jint(m, "id") > last)
			last = ui_jint(m, "id");
	}
	return (last);
}

int
ui_thread_window_open(struct ui *ui)
{
	if (ui->th.conv == NULL)
		return (1);
	return (ui_jint(ui->th.conv, "_window_end") > (int64_t)time(NULL));
}

void
ui_thread_close(struct ui *ui)
{
	if (ui->th.id != 0 && ui->connected) {
		ui_call(ui, PM_PRESENCE_SET, json_pack("{sI sb}",
		    "conversation", (json_int_t)ui->th.id, "viewing", 0), NULL,
		    NULL);
		/*
		 * The access the daemon audits ends (conversation.close):
		 * sent before the next wait for input, unless another
		 * conversation opens first (ui_thread_request), whose
		 * conv.show ends it in its own commit: moving through the
		 * list is one durable write per conversation, not two.
		 */
		ui_thread_close_flush(ui);
		ui->th.close_id = ui->th.id;
	}
	ui_guard_release(ui);
	ui_thread_free_lines(ui);
	json_decref(ui->th.conv);
	json_decref(ui->th.msgs);
	json_decref(ui->th.contact);
	json_decref(ui->th.notes);
	ui->th.conv = ui->th.msgs = ui->th.contact = ui->th.notes = NULL;
	ui->th.id = 0;
	ui->th.panel = 0;
	ui->dirty = UI_D_ALL;
}

/* Notes go between the messages (thread-order.c); they carry "_note". */
static void
ui_thread_merge(struct ui *ui)
{
	json_t	*out;

	if (ui->th.notes == NULL || json_array_size(ui->th.notes) == 0)
		return;
	out = thread_order_merge(ui->th.msgs, ui->th.notes);
	json_decref(ui->th.msgs);
	ui->th.msgs = out;
}

/*
 * The selected item by what it is, not where it is: a refresh may bring
 * a longer or shifted page, and notes merge in between, so an index kept
 * across it would point at another message (R then quoted the wrong
 * one). Only when not following the bottom.
 */
static void
ui_thread_sel_key(struct ui *ui, int64_t *id, int *note)
{
	json_t	*m;

	*id = 0;
	*note = 0;
	if (ui->th.follow || ui->th.sel < 0 ||
	    (m = json_array_get(ui->th.msgs, (size_t)ui->th.sel)) == NULL)
		return;
	*id = ui_jint(m, "id");
	*note = json_object_get(m, "_note") != NULL;
}

static void
ui_thread_sel_restore(struct ui *ui, int64_t id, int note)
{
	json_t	*m;
	size_t	 i;

	if (id == 0 || ui->th.follow)
		return;
	json_array_foreach(ui->th.msgs, i, m) {
		if (ui_jint(m, "id") == id &&
		    (json_object_get(m, "_note") != NULL) == note) {
			ui->th.sel = (int)i;
			return;
		}
	}
}

static void
ui_notes_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	int64_t	keep;
	int	note;

	(void)code; (void)msg;
	if (res == NULL || ui_jint(arg, "id") != ui->th.id)
		return;
	ui_thread_sel_key(ui, &keep, &note);
	json_decref(ui->th.notes);
	ui->th.notes = json_incref(json_is_array(res) ? res :
	    json_object_get(res, "notes"));
	if (ui->th.notes == NULL)
		return;
	ui_thread_merge(ui);
	ui_thread_sel_restore(ui, keep, note);
	ui->th.laid = 0;
	ui->dirty |= UI_D_THREAD;
}

static void
ui_show_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*msgs, *m;
	int64_t	 unread, jump, keep;
	size_t	 i, n;
	int	 first = json_is_true(json_object_get(arg, "first"));
	int	 keep_note;

	(void)code;
	ui->th.loading = 0;
	if (ui_jint(arg, "id") != ui->th.id)
		return;
	if (first && ui->th.left_id != 0) {
		/* Not opened: the one left is closed after all. */
		if (res == NULL)
			ui_thread_send_close(ui, ui->th.left_id);
		ui->th.left_id = 0;
	}
	if (res == NULL) {
		/* Not opened at all (refused, gone): back to the list. */
		if (ui->th.conv == NULL) {
			ui_thread_close(ui);
			ui->focus = UI_LIST;
		}
		ui_status(ui, 1, "conversation: %s", msg);
		return;
	}
	json_decref(ui->th.conv);
	ui->th.conv = json_deep_copy(json_object_get(res, "conversation"));
	json_object_set_new(ui->th.conv, "_window_end", json_integer(
	    (int64_t)time(NULL) + ui_jint(ui->th.conv, "window_left")));
	ui_thread_sel_key(ui, &keep, &keep_note);
	msgs = json_object_get(res, "messages");
	json_decref(ui->th.msgs);
	ui->th.msgs = json_is_array(msgs) ? json_incref(msgs) : json_array();
	ui->th.more = json_is_true(json_object_get(res, "more"));
	ui_thread_merge(ui);
	n = json_array_size(ui->th.msgs);
	if (first) {
		/* The marker sits before the first message we had not read. */
		unread = ui_jint(arg, "unread");
		ui->th.marker = unread > 0 && (size_t)unread <= n ?
		    (int)(n - (size_t)unread) : -1;
		ui->th.sel = n > 0 ? (int)n - 1 : -1;
		ui->th.follow = 1;
		if (json_is_array(json_object_get(res, "notes")))
			ui_notes_cb(ui, json_object_get(res, "notes"), NULL,
			    NULL, arg);
		else
			ui_call(ui, PM_NOTE_LIST, json_pack("{sI}", "id",
			    (json_int_t)ui->th.id), ui_notes_cb, json_pack(
			    "{sI}", "id", (json_int_t)ui->th.id));
		if (ui->open_pending == 1)
			ui->open_pending = 2;
	} else if (ui->th.follow)
		ui->th.sel = n > 0 ? (int)n - 1 : -1;
	else {
		ui_thread_sel_restore(ui, keep, keep_note);
		if (ui->th.sel >= (int)n)
			ui->th.sel = n > 0 ? (int)n - 1 : -1;
	}
	jump = ui->th.jump_msg;
	if (jump != 0) {
		json_array_foreach(ui->th.msgs, i, m) {
			if (ui_jint(m, "id") == jump &&
			    json_object_get(m, "_note") == NULL) {
				ui->th.sel = (int)i;
				ui->th.follow = 0;
			}
		}
		ui->th.jump_msg = 0;
	}
	if (ui->th.sel >= (int)n)
		ui->th.sel = (int)n - 1;
	ui->th.laid = 0;
	ui->dirty |= UI_D_THREAD | UI_D_COMPOSE | UI_D_STATUS;
	if (ui->th.stale) {
		ui->th.stale = 0;
		ui_thread_fetch(ui);
	}
}

/* The access to conversation id ends (conversation.close). */
static void
ui_thread_send_close(struct ui *ui, int64_t id)
{
	if (id != 0 && ui->connected)
		ui_call(ui, PM_CONV_CLOSE, json_pack("{sI}", "id",
		    (json_int_t)id), NULL, NULL);
}

/* The conv.close held back by ui_thread_close, now. */
void
ui_thread_close_flush(struct ui *ui)
{
	ui_thread_send_close(ui, ui->th.close_id);
	ui->th.close_id = 0;
}

static void
ui_thread_request(struct ui *ui, int first, int64_t unread)
{
	json_t	*arg;

	if (first) {
		ui->th.left_id = ui->th.close_id;
		ui->th.close_id = 0;
	}
	if (ui->th.loading) {
		ui->th.stale = 1;
		return;
	}
	ui->th.loading = 1;
	arg = json_pack("{sI sb sI}", "id", (json_int_t)ui->th.id, "first",
	    first, "unread", (json_int_t)unread);
	if (ui_call(ui, PM_CONV_SHOW, json_pack("{sI si sb}", "id",
	    (json_int_t)ui->th.id, "limit", UI_PAGE, "notes", first),
	    ui_show_cb, arg) == -1)
		ui->th.loading = 0;
}

void
ui_thread_fetch(struct ui *ui)
{
	if (ui_guard_held(ui))
		return;		/* refused for want of a purpose: kept as is */
	if (ui->th.id != 0)
		ui_thread_request(ui, 0, 0);
	if (ui->th.id != 0 && ui->th.notes != NULL)
		ui_call(ui, PM_NOTE_LIST, json_pack("{sI}", "id",
		    (json_int_t)ui->th.id), ui_notes_cb, json_pack("{sI}",
		    "id", (json_int_t)ui->th.id));
}

void
ui_thread_open(struct ui *ui, int64_t id, int64_t jump_msg)
{
	json_t	*row = ui_list_find(ui, id);

	if (id == 0)
		return;
	if (ui->th.id != id) {
		ui_thread_close(ui);
		ui->th.id = id;
		ui->th.sel = -1;
		ui->th.marker = -1;
		ui->th.msgs = json_array();
		ui->th.loading = 0;
		ui->th.stale = 0;
		ui->th.jump_msg = jump_msg;
		clock_gettime(CLOCK_MONOTONIC, &ui->t_open);
		ui->open_pending = 1;
		ui_thread_request(ui, 1, row != NULL ? ui_jint(row, "unread") :
		    0);
		ui_call(ui, PM_PRESENCE_SET, json_pack("{sI sb}",
		    "conversation", (json_int_t)id, "viewing", 1), NULL, NULL);
		ui_compose_switch(ui, id);
		/* Opened means read: the list's star goes at once. */
		if (row != NULL && ui_jint(row, "unread") > 0) {
			json_object_set_new(row, "unread", json_integer(0));
			ui_refresh_counts(ui);
		}
	} else if (ui_guard_held(ui)) {
		/* Opened again on purpose: now it may ask for one. */
		ui_guard_release(ui);
		ui->th.jump_msg = jump_msg;
		ui_thread_fetch(ui);
	} else if (jump_msg != 0) {
		ui->th.jump_msg = jump_msg;
		ui_thread_fetch(ui);
	}
	ui->focus = UI_THREAD;
	ui->dirty = UI_D_ALL;
}

/* --- layout --- */

static void
ui_line_add(struct ui *ui, int item, enum theme_el el, int indent,
    const char *text)
{
	struct ui_line	*l;

	if (ui->th.nlines % 64 == 0)
		ui->th.lines = xrealloc(ui->th.lines, (size_t)(ui->th.nlines +
		    64) * sizeof *ui->th.lines);
	l = &ui->th.lines[ui->th.nlines++];
	l->item = item;
	l->el = el;
	l->indent = indent;
	l->text = xstrdup(text);
}

/* Wraps text at spaces into lines of at most width columns. */
static void
ui_line_wrap(struct ui *ui, int item, enum theme_el el, int indent,
    int width, const char *text)
{
	const char	*p = text, *nl;
	size_t		 len, fit, brk, i;
	char		*part;

	if (width < 4)
		width = 4;
	do {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		do {
			fit = utf8_fit(p, len, width, NULL);
			brk = fit;
			if (fit < len) {
				for (i = fit; i > 0; i--) {
					if (p[i] == ' ') {
						brk = i;
						break;
					}
				}
				if (brk == 0)
					brk = fit > 0 ? fit : 1;
			}
			part = xstrndup(p, brk);
			ui_line_add(ui, item, el, indent, part);
			free(part);
			while (brk < len && p[brk] == ' ')
				brk++;
			p += brk;
			len -= brk;
		} while (len > 0);
		if (nl != NULL)
			p = nl + 1;
	} while (nl != NULL);
}

static const char *
ui_status_word(struct ui *ui, const char *st, char *buf, size_t len)
{
	const char	*tick = ui->ascii ? "v" : "\xe2\x9c\x93";
	const char	*cross = ui->ascii ? "!" : "\xe2\x9c\x97";

	if (strcmp(st, "sent") == 0)
		snprintf(buf, len, "%s sent", tick);
	else if (strcmp(st, "delivered") == 0)
		snprintf(buf, len, "%s%s delivered", tick, tick);
	else if (strcmp(st, "read") == 0 || strcmp(st, "played") == 0)
		snprintf(buf, len, "%s%s %s", ui->ascii ? "V" : tick,
		    ui->ascii ? "V" : tick, st);
	else if (strcmp(st, "failed") == 0)
		snprintf(buf, len, "%s failed", cross);
	else if (strcmp(st, "none") == 0 || *st == '\0')
		snprintf(buf, len, "queued");
	else
		snprintf(buf, len, "%s", st);
	return (buf);
}

/*
 * "[voice note, 12 KB, audio/ogg] Enter: open or save". WhatsApp says
 * nothing of a voice note's length, and the client does not decode audio:
 * a voice note shows its size instead. Before the daemon has fetched a
 * customer's file its size is not known: "downloading".
 */
static char *
ui_media_text(json_t *m, json_t *body)
{
	json_t		*md = json_object_get(body, "media");
	const char	*type = ui_jstr(m, "type"), *name, *state;
	int64_t		 size = ui_jint(md, "size");
	char		 sz[48] = "";

	name = ui_jstr(md, "filename");
	state = ui_jstr(md, "state");
	if (json_is_true(json_object_get(md, "voice")))
		type = "voice note";
	if (size >= 1048576)
		snprintf(sz, sizeof sz, ", %.1f MB", (double)size / 1048576.0);
	else if (size > 0)
		snprintf(sz, sizeof sz, ", %lld KB", (long long)((size + 1023) /
		    1024));
	else if (strcmp(state, "queued") == 0)
		snprintf(sz, sizeof sz, ", downloading");
	else if (strcmp(state, "failed") == 0)
		snprintf(sz, sizeof sz, ", not downloaded");
	return (xasprintf("[%s%s%s%s%s%s] Enter: open or save", type,
	    *name != '\0' ? ": " : "", name, sz, *ui_jstr(md, "mime_type") !=
	    '\0' ? ", " : "", ui_jstr(md, "mime_type")));
}

/* A location: its name, address and coordinates, each on a line. */
static void
ui_thread_location(struct ui *ui, int item, int width, json_t *body)
{
	json_t	*loc = json_object_get(body, "location");
	char	*s;

	if (*ui_jstr(loc, "name") != '\0' || *ui_jstr(loc, "address") !=
	    '\0') {
		s = xasprintf("[location] %s", ui_jstr(loc, "name"));
		ui_line_wrap(ui, item, TH_MEDIA, 6, width - 6, s);
		free(s);
		if (*ui_jstr(loc, "address") != '\0')
			ui_line_wrap(ui, item, TH_NORMAL, 6, width - 6,
			    ui_jstr(loc, "address"));
	} else {
		/* Stored before names were kept: the text has them. */
		s = xasprintf("[location] %s", ui_jstr(body, "text"));
		ui_line_wrap(ui, item, TH_MEDIA, 6, width - 6, s);
		free(s);
	}
	s = xasprintf("%.6f, %.6f", json_number_value(json_object_get(loc,
	    "latitude")), json_number_value(json_object_get(loc,
	    "longitude")));
	ui_line_add(ui, item, TH_NORMAL, 6, s);
	free(s);
}

/* Shared contact cards: each name (and company), then its numbers. */
static void
ui_thread_cards(struct ui *ui, int item, int width, json_t *body)
{
	json_t	*card, *ph;
	size_t	 i, j;
	char	*s;

	if (!json_is_array(json_object_get(body, "contacts"))) {
		s = xasprintf("[contact] %s", ui_jstr(body, "text"));
		ui_line_wrap(ui, item, TH_MEDIA, 6, width - 6, s);
		free(s);
		return;
	}
	json_array_foreach(json_object_get(body, "contacts"), i, card) {
		s = xasprintf("[contact] %s%s%s%s", ui_jstr(card, "name"),
		    *ui_jstr(card, "org") != '\0' ? " (" : "",
		    ui_jstr(card, "org"), *ui_jstr(card, "org") != '\0' ?
		    ")" : "");
		ui_line_wrap(ui, item, TH_MEDIA, 6, width - 6, s);
		free(s);
		json_array_foreach(json_object_get(card, "phones"), j, ph) {
			s = xasprintf("%s%s%s%s", ui_jstr(ph, "phone"),
			    *ui_jstr(ph, "type") != '\0' ? " (" : "",
			    ui_jstr(ph, "type"), *ui_jstr(ph, "type") !=
			    '\0' ? ")" : "");
			ui_line_wrap(ui, item, TH_NORMAL, 8, width - 8, s);
			free(s);
		}
	}
}

/* The text of the message with this wamid, for a quote. */
static const char *
ui_thread_quoted(struct ui *ui, const char *wamid)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(ui->th.msgs, i, m) {
		if (strcmp(ui_jstr(json_object_get(m, "body"), "wamid"),
		    wamid) == 0)
			return (ui_jstr(json_object_get(m, "body"), "text"));
	}
	return (NULL);
}

static void
ui_thread_reactions(struct ui *ui, int item, int width, json_t *m)
{
	json_t	*am = json_object_get(m, "amendments"), *r, *v;
	char	*s = NULL, *t;
	size_t	 i;

	r = json_object_get(am, "reaction");
	if (r == NULL)
		r = json_object_get(am, "reactions");
	if (json_is_object(r)) {
		if (*ui_jstr(r, "emoji") != '\0')
			s = xasprintf("%s (%s)", ui_jstr(r, "emoji"),
			    ui_jstr(r, "from"));
	} else if (json_is_array(r)) {
		json_array_foreach(r, i, v) {
			if (*ui_jstr(v, "emoji") == '\0')
				continue;
			t = xasprintf("%s%s%s (%s)", s != NULL ? s : "",
			    s != NULL ? " " : "", ui_jstr(v, "emoji"),
			    ui_jstr(v, "from"));
			free(s);
			s = t;
		}
	}
	if (s != NULL) {
		t = xasprintf("reactions: %s", s);
		ui_line_wrap(ui, item, TH_QUOTE, 8, width - 8, t);
		free(t);
		free(s);
	}
}

static void
ui_thread_header(struct ui *ui, int width)
{
	json_t		*c = ui->th.conv, *pm, *pl;
	char		*s, left[32], key[32], *pres = NULL, *tmp;
	const char	*who, *phone;
	json_t		*v;
	int64_t		 wl;
	size_t		 i;
	enum theme_el	 el;

	if (c == NULL) {
		ui_line_add(ui, -1, TH_PANEL, 0, ui->th.loading ?
		    "loading..." : "");
		return;
	}
	phone = ui->th.contact != NULL && *ui_jstr(ui->th.contact, "phone") !=
	    '\0' ? ui_jstr(ui->th.contact, "phone") :
	    ui_jstr(c, "phone_masked");
	s = xasprintf("%s  %s  %s%s%s  %s  %s", ui_jstr(c, "name"), phone,
	    *ui_jstr(c, "assignee") != '\0' ? "[" : "",
	    *ui_jstr(c, "assignee") != '\0' ? ui_jstr(c, "assignee") :
	    "unassigned", *ui_jstr(c, "assignee") != '\0' ? "]" : "",
	    ui_jstr(c, "state"), ui_jstr(c, "priority"));
	json_array_foreach(json_object_get(c, "labels"), i, v) {
		tmp = xasprintf("%s  #%s", s, json_string_value(v));
		free(s);
		s = tmp;
	}
	if (json_is_true(json_object_get(c, "blocked"))) {
		tmp = xasprintf("%s  BLOCKED", s);
		free(s);
		s = tmp;
	}
	ui_line_wrap(ui, -1, TH_PANEL, 0, width, s);
	free(s);
	wl = ui_jint(c, "_window_end") - (int64_t)time(NULL);
	if (wl > 0) {
		ui_fmt_left(wl, left, sizeof left);
		s = xasprintf("24h window: %s left", left);
	} else
		s = xasprintf("window closed: only templates (t)");
	snprintf(key, sizeof key, "%lld", (long long)ui->th.id);
	pm = json_object_get(ui->presence, key);
	json_object_foreach(pm, who, v) {
		tmp = xasprintf("%s%s%s is %s", pres != NULL ? pres : "",
		    pres != NULL ? ", " : "", who, json_string_value(v));
		free(pres);
		pres = tmp;
	}
	if (pres != NULL) {
		tmp = xasprintf("%s  |  %s", s, pres);
		free(s);
		s = tmp;
		free(pres);
	}
	ui_line_wrap(ui, -1, wl > 4 * 3600 ? TH_PANEL :
	    TH_WINDOW_WARN, 0, width, s);
	free(s);
	/* Issue 19: the service-level clock with the earliest deadline. */
	if ((s = ui_sla_line(ui, json_object_get(c, "sla"), &el)) != NULL) {
		ui_line_wrap(ui, -1, el == TH_LIST_META ? TH_PANEL : el, 0,
		    width, s);
		free(s);
	}
	if (ui->th.panel) {
		pl = ui_panel_lines(ui, phone);
		json_array_foreach(pl, i, v)
			ui_line_wrap(ui, -1, (enum theme_el)ui_jint(v, "el"),
			    2, width - 2, ui_jstr(v, "text"));
		json_decref(pl);
	}
	ui_line_add(ui, -1, TH_BORDER, 0, "");
}

static void
ui_thread_layout(struct ui *ui, int width)
{
	json_t		*m, *body, *ctx, *il, *v;
	char		 day[32], lastday[32] = "", when[16], st[48], *s, *t;
	const char	*dir, *who, *text, *q;
	struct tm	 tm;
	time_t		 ts;
	size_t		 i, k;
	int		 out, dash;

	ui_thread_free_lines(ui);
	ui->th.width = width;
	ui_thread_header(ui, width);
	json_array_foreach(ui->th.msgs, i, m) {
		ts = (time_t)ui_jint(m, "ts");
		localtime_r(&ts, &tm);
		strftime(day, sizeof day, "%a %d %b %Y", &tm);
		if (strcmp(day, lastday) != 0) {
			dash = (width - utf8_width(day) - 2) / 2;
			s = xasprintf("%.*s %s %.*s", dash > 0 ? dash : 0,
			    "--------------------------------------------------"
			    "--------------------------------------------------"
			    "------------------", day, dash > 0 ? dash : 0,
			    "----------------------------------------------"
			    "----------------------------------------------"
			    "--------------------------");
			ui_line_add(ui, -1, TH_DAY, 0, s);
			free(s);
			snprintf(lastday, sizeof lastday, "%s", day);
		}
		if ((int)i == ui->th.marker) {
			dash = (width - 5) / 4;
			s = xmalloc((size_t)width + 8);
			snprintf(s, (size_t)width + 8, "%.*s new %.*s",
			    dash * 2, "- - - - - - - - - - - - - - - - - - - - "
			    "- - - - - - - - - - - - - - - - - - - - - - - - - "
			    "- - - - - - - - - - - - - - - - - - - - - - - - - ",
			    dash * 2, "- - - - - - - - - - - - - - - - - - - - "
			    "- - - - - - - - - - - - - - - - - - - - - - - - - "
			    "- - - - - - - - - - - - - - - - - - - - - - - - - ");
			ui_line_add(ui, -1, TH_READMARKER, 0, s);
			free(s);
		}
		ui_fmt_time((int64_t)ts, when, sizeof when, 0);
		if (json_object_get(m, "_note") != NULL) {
			s = xasprintf("%s NOTE by %s (internal, not sent)",
			    when, ui_jstr(m, "agent"));
			ui_line_add(ui, (int)i, TH_NOTE, 0, s);
			free(s);
			s = xasprintf("# %s", ui_jstr(m, "body"));
			ui_line_wrap(ui, (int)i, TH_NOTE, 6, width - 6, s);
			free(s);
			continue;
		}
		body = json_object_get(m, "body");
		dir = ui_jstr(m, "direction");
		out = strcmp(dir, "out") == 0;
		if (out)
			who = *ui_jstr(m, "agent") != '\0' ?
			    ui_jstr(m, "agent") : "us";
		else
			who = ui_jstr(ui->th.conv, "name");
		st[0] = '\0';
		if (out)
			ui_status_word(ui, ui_jstr(m, "status"), st, sizeof st);
		/*
		 * A reply in its undo window (ui-compose.c's tick redraws);
		 * only its sender can take it back.
		 */
		if (out && ui_jint(m, "held_until") > time(NULL)) {
			snprintf(st, sizeof st, "sending in %llds",
			    (long long)(ui_jint(m, "held_until") - time(NULL)));
			if (ui->me != NULL && strcmp(who, ui->me) == 0)
				snprintf(st + strlen(st), sizeof st - strlen(st),
				    " (%s: undo)", ui_compose_undo_key(ui));
		}
		s = xasprintf("%s %s%s%s%s%s", when, out ? "> " : "< ", who,
		    *st != '\0' ? "  " : "", st, json_is_true(json_object_get(m,
		    "edited")) ? "  (edited)" : "");
		ui_line_add(ui, (int)i, out ? TH_OUT : TH_IN, 0, s);
		free(s);
		if (strcmp(ui_jstr(m, "status"), "failed") == 0) {
			s = xasprintf("not delivered: %s%s(code %lld)",
			    ui_jstr(m, "error_title"),
			    *ui_jstr(m, "error_title") != '\0' ? " " : "",
			    (long long)ui_jint(m, "error_code"));
			ui_line_wrap(ui, (int)i, TH_FAILED, 6, width - 6, s);
			free(s);
		}
		ctx = json_object_get(body, "context");
		/* An answer names its question (ui-interactive.c). */
		if (json_object_get(body, "answer") != NULL)
			ctx = NULL;
		if (ctx != NULL && (*ui_jstr(ctx, "id") != '\0' ||
		    *ui_jstr(ctx, "message_id") != '\0')) {
			q = ui_thread_quoted(ui, *ui_jstr(ctx, "id") != '\0' ?
			    ui_jstr(ctx, "id") : ui_jstr(ctx, "message_id"));
			s = xasprintf("| reply to: %s", q != NULL ? q :
			    "(an earlier message)");
			t = utf8_trunc(s, width - 6, ui->ascii);
			ui_line_add(ui, (int)i, TH_QUOTE, 6, t);
			free(t);
			free(s);
		}
		if (json_is_true(json_object_get(m, "revoked")))
			ui_line_add(ui, (int)i, TH_QUOTE, 6,
			    "[deleted by the customer]");
		else if ((il = ui_interactive_lines(ui, m)) != NULL) {
			json_array_foreach(il, k, v)
				ui_line_wrap(ui, (int)i, (enum theme_el)ui_jint(
				    v, "el"), (int)ui_jint(v, "indent"), width -
				    (int)ui_jint(v, "indent"), ui_jstr(v,
				    "text"));
			json_decref(il);
		} else if (json_object_get(body, "media") != NULL) {
			s = ui_media_text(m, body);
			ui_line_wrap(ui, (int)i, TH_MEDIA, 6, width - 6, s);
			free(s);
			if (*ui_jstr(json_object_get(body, "media"),
			    "caption") != '\0')
				ui_line_wrap(ui, (int)i, out ? TH_OUT : TH_IN, 6,
				    width - 6, ui_jstr(json_object_get(body,
				    "media"), "caption"));
		} else if (json_object_get(body, "template") != NULL) {
			s = xasprintf("[template %s]", ui_jstr(json_object_get(
			    body, "template"), "name"));
			ui_line_wrap(ui, (int)i, TH_MEDIA, 6, width - 6, s);
			free(s);
			/* The text the customer received (rpc-send.c). */
			if (*ui_jstr(body, "text") != '\0')
				ui_line_wrap(ui, (int)i, TH_NORMAL, 6,
				    width - 6, ui_jstr(body, "text"));
		} else if (json_object_get(body, "reaction") != NULL) {
			s = xasprintf("[reacted %s]", ui_jstr(json_object_get(
			    body, "reaction"), "emoji"));
			ui_line_wrap(ui, (int)i, TH_QUOTE, 6, width - 6, s);
			free(s);
		} else if (json_object_get(body, "location") != NULL)
			ui_thread_location(ui, (int)i, width, body);
		else if (strcmp(ui_jstr(m, "type"), "contacts") == 0)
			ui_thread_cards(ui, (int)i, width, body);
		else {
			text = ui_jstr(body, "text");
			if (*text == '\0' && !json_is_true(json_object_get(m,
			    "supported")))
				s = xasprintf("[%s message: not shown here]",
				    ui_jstr(m, "type"));
			else
				s = xstrdup(text);
			ui_line_wrap(ui, (int)i, TH_NORMAL, 6, width - 6, s);
			free(s);
		}
		ui_thread_reactions(ui, (int)i, width, m);
	}
	ui->th.laid = 1;
}

/* Lines of the selected message: first and last. */
static void
ui_thread_sel_lines(struct ui *ui, int *first, int *last)
{
	int	i;

	*first = *last = -1;
	for (i = 0; i < ui->th.nlines; i++) {
		if (ui->th.lines[i].item == ui->th.sel) {
			if (*first == -1)
				*first = i;
			*last = i;
		}
	}
}

void
ui_thread_draw(struct ui *ui)
{
	struct ui_line	*l;
	int		 y, x, h, w, i, a, first, last, hdr = 0;

	ui_thread_area(ui, &y, &x, &h, &w);
	if (ui->th.id == 0) {
		for (i = 0; i < h; i++)
			ui_fill(ui, y + i, x, w, ui_attr(ui, TH_NORMAL));
		ui_put(ui, y + 1, x + 2, w - 2, json_array_size(ui->list.rows) >
		    0 ? "Enter opens the selected conversation" : "",
		    ui_attr(ui, TH_LIST_META));
		return;
	}
	if (!ui->th.laid || ui->th.width != w)
		ui_thread_layout(ui, w);
	/* The header stays; messages scroll below it. */
	for (i = 0; i < ui->th.nlines && ui->th.lines[i].item == -1 &&
	    ui->th.lines[i].el != TH_DAY && ui->th.lines[i].el !=
	    TH_READMARKER; i++)
		hdr++;
	if (hdr > h)
		hdr = h;
	ui_thread_sel_lines(ui, &first, &last);
	/* scroll: the first body line shown; body lines start at hdr. */
	if (ui->th.follow)
		ui->th.scroll = ui->th.nlines - (h - hdr);
	else if (first != -1) {
		if (first < ui->th.scroll)
			ui->th.scroll = first;
		if (last >= ui->th.scroll + (h - hdr))
			ui->th.scroll = last - (h - hdr) + 1;
	}
	if (ui->th.scroll > ui->th.nlines - (h - hdr))
		ui->th.scroll = ui->th.nlines - (h - hdr);
	if (ui->th.scroll < hdr)
		ui->th.scroll = hdr;
	for (i = 0; i < h; i++) {
		if (i < hdr)
			l = &ui->th.lines[i];
		else if (ui->th.scroll + i - hdr < ui->th.nlines)
			l = &ui->th.lines[ui->th.scroll + i - hdr];
		else
			l = NULL;
		if (l == NULL) {
			ui_fill(ui, y + i, x, w, ui_attr(ui, TH_NORMAL));
			continue;
		}
		a = ui_attr(ui, l->el);
		if (l->item >= 0 && l->item == ui->th.sel && ui->focus ==
		    UI_THREAD)
			a |= ui_attr(ui, TH_MSG_SELECTED);
		ui_fill(ui, y + i, x, w, l->item == -1 ? a :
		    ui_attr(ui, TH_NORMAL));
		if (l->item >= 0 && l->item == ui->th.sel && ui->focus ==
		    UI_THREAD)
			ui_fill(ui, y + i, x, w, a);
		ui_put(ui, y + i, x + l->indent, w - l->indent, l->text, a);
	}
	/* The bottom edge of the conversation when it does not fill. */
	if (ui->th.more && ui->th.scroll == hdr && hdr < h)
		ui_put(ui, y + hdr, x + w - 20, 20, "(gg: older messages)",
		    ui_attr(ui, TH_LIST_META));
}

void
ui_thread_move(struct ui *ui, int delta)
{
	int	n = (int)json_array_size(ui->th.msgs);

	if (n == 0)
		return;
	ui->th.sel += delta;
	if (ui->th.sel < 0)
		ui->th.sel = 0;
	if (ui->th.sel >= n)
		ui->th.sel = n - 1;
	ui->th.follow = ui->th.sel == n - 1;
	ui->dirty |= UI_D_THREAD;
}

void
ui_thread_scroll(struct ui *ui, int lines)
{
	int	first, last, target, i;

	ui_thread_sel_lines(ui, &first, &last);
	target = (lines > 0 ? last : first) + lines;
	if (target < 0)
		target = 0;
	if (target >= ui->th.nlines)
		target = ui->th.nlines - 1;
	for (i = target; i >= 0 && i < ui->th.nlines; i += lines > 0 ? 1 : -1) {
		if (ui->th.lines[i].item >= 0)
			break;
	}
	if (i < 0 || i >= ui->th.nlines) {
		ui_thread_move(ui, lines > 0 ? 1 << 20 : -(1 << 20));
		return;
	}
	ui_thread_move(ui, ui->th.lines[i].item - ui->th.sel);
}

static void
ui_older_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*msgs, *all;
	size_t	 n;

	(void)code;
	ui->th.loading = 0;
	if (ui_jint(arg, "id") != ui->th.id)
		return;
	if (res == NULL) {
		ui_status(ui, 1, "older messages: %s", msg);
		return;
	}
	msgs = json_object_get(res, "messages");
	n = json_array_size(msgs);
	all = json_deep_copy(msgs);
	json_array_extend(all, ui->th.msgs);
	json_decref(ui->th.msgs);
	ui->th.msgs = all;
	ui->th.more = json_is_true(json_object_get(res, "more"));
	if (ui->th.marker >= 0)
		ui->th.marker += (int)n;
	ui->th.sel = n > 0 ? (int)n - 1 : 0;
	ui->th.laid = 0;
	ui->dirty |= UI_D_THREAD;
}

void
ui_thread_goto(struct ui *ui, int where)
{
	json_t	*first;

	if (where == 0) {
		if (ui->th.sel == 0 && ui->th.more && !ui->th.loading &&
		    (first = json_array_get(ui->th.msgs, 0)) != NULL) {
			ui->th.loading = 1;
			ui_call(ui, PM_CONV_SHOW, json_pack("{sI sI si}", "id",
			    (json_int_t)ui->th.id, "before",
			    (json_int_t)ui_jint(first, "id"), "limit",
			    UI_PAGE), ui_older_cb, json_pack("{sI}", "id",
			    (json_int_t)ui->th.id));
			return;
		}
		ui_thread_move(ui, -(1 << 20));
	} else
		ui_thread_move(ui, 1 << 20);
}

void
ui_thread_first_unread(struct ui *ui)
{
	if (ui->th.marker < 0) {
		ui_status(ui, 0, "nothing was unread when you opened this");
		return;
	}
	ui_thread_move(ui, ui->th.marker - ui->th.sel);
}

/*
 * Shows a fetched file with the agent's viewer (mailcap.h), the screen
 * handed over until it ends; the private copy goes afterwards.
 */
static void
ui_thread_view(struct ui *ui, const char *path, const char *mime)
{
	char	*cmd, *cause = NULL, *dir, *slash;
	pid_t	 pid;
	int	 status = -1;

	if ((cmd = mailcap_command(mime, path, &cause)) == NULL) {
		ui_status(ui, 1, "cannot open it: %s; press Enter and s to save "
		    "it", cause);
		free(cause);
	} else {
		ui_suspend_curses(ui);
		if ((pid = fork()) == 0) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGWINCH, SIG_DFL);
			signal(SIGTSTP, SIG_DFL);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		if (pid > 0)
			while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
				;
		ui_resume_curses(ui);
		if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			ui_status(ui, 0, "viewer closed");
		else
			ui_status(ui, 1, "the viewer failed (exit %d)",
			    pid > 0 && WIFEXITED(status) ?
			    WEXITSTATUS(status) : -1);
		free(cmd);
	}
	unlink(path);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		rmdir(dir);
	}
	free(dir);
	ui->dirty = UI_D_ALL;
}

/*
 * The file arrives in chunks (media.get); each answer is written and the
 * next chunk asked for, so the client never blocks on a large file. arg
 * holds {"message", "fd", "path", "name", "dir", "mime", "open"}; the file
 * is created on the first chunk and removed if a later one fails.
 */
static void
ui_media_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	int64_t		 next = 0;
	int		 fd, done = 0;
	char		*path = NULL, *cause = NULL;
	json_t		*params;

	(void)code;
	fd = (int)json_integer_value(json_object_get(arg, "fd"));
	if (res == NULL) {
		ui_status(ui, 1, "media: %s", msg);
		goto fail;
	}
	if (fd <= 0) {
		fd = save_create(ui_jstr(arg, "dir"), ui_jstr(arg, "name"),
		    &path, &cause);
		if (fd == -1) {
			ui_status(ui, 1, "media: %s", cause);
			free(cause);
			goto fail;
		}
		json_object_set_new(arg, "fd", json_integer(fd));
		json_object_set_new(arg, "path", json_string(path));
		free(path);
	}
	if (save_chunk(fd, res, &next, &done, &cause) != 0) {
		ui_status(ui, 1, "media: %s", cause);
		free(cause);
		goto fail;
	}
	if (done) {
		close(fd);
		if (json_is_true(json_object_get(arg, "open")))
			ui_thread_view(ui, ui_jstr(arg, "path"), ui_jstr(arg,
			    "mime"));
		else
			ui_status(ui, 0, "saved to %s (%lld bytes)",
			    ui_jstr(arg, "path"), (long long)next);
		return;
	}
	params = json_pack("{sO sI}", "message", json_object_get(arg,
	    "message"), "offset", (json_int_t)next);
	ui_call(ui, PM_MEDIA_GET, params, ui_media_cb, json_incref(arg));
	return;
fail:
	if (fd > 0) {
		close(fd);
		unlink(json_string_value(json_object_get(arg, "path")));
	}
	/* A private copy to view leaves no empty directory behind. */
	if (json_is_true(json_object_get(arg, "open")))
		rmdir(ui_jstr(arg, "dir"));
}

static void
ui_media_fetch(struct ui *ui, json_t *arg, const char *dir, int open)
{
	json_t	*a = json_deep_copy(arg);

	json_object_set_new(a, "dir", json_string(dir));
	json_object_set_new(a, "open", json_boolean(open));
	json_object_set_new(a, "fd", json_integer(0));
	ui_call(ui, PM_MEDIA_GET, json_pack("{sO}", "message",
	    json_object_get(a, "message")), ui_media_cb, a);
}

static void	ui_media_dir_cb(struct ui *, const char *, json_t *);

static void
ui_media_ask_dir(struct ui *ui, const char *label, const char *init,
    json_t *arg)
{
	ui_prompt_open(ui, label, init, ui_media_dir_cb, json_incref(arg));
	ui->pr.complete = ui_compose_path_complete;
}

/* The directory the agent chose: one we cannot write to is asked again. */
static void
ui_media_dir_cb(struct ui *ui, const char *text, json_t *arg)
{
	char	*dir, *cause = NULL, *label;
	size_t	 n;

	if (*text == '\0') {
		ui_media_ask_dir(ui, "no directory given; save to: ", NULL,
		    arg);
		return;
	}
	dir = save_expand(text);
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = '\0';
	if (save_dir_ok(dir, &cause) != 0) {
		label = xasprintf("%s; save to: ", cause);
		ui_media_ask_dir(ui, label, text, arg);
		free(label);
		free(cause);
		free(dir);
		return;
	}
	ui_media_fetch(ui, arg, dir, 0);
	free(dir);
}

/* o: a private copy for the viewer; s: where to save it. */
static void
ui_media_choice_cb(struct ui *ui, const char *text, json_t *arg)
{
	const char	*tmp;
	char		*dir;

	if (strcmp(text, "s") == 0 || strcmp(text, "S") == 0) {
		dir = save_dir(ui->conf.download_dir, 0);
		ui_media_ask_dir(ui, "save to (Tab completes): ", dir, arg);
		free(dir);
		return;
	}
	if (strcmp(text, "o") != 0 && strcmp(text, "O") != 0 &&
	    *text != '\0') {
		ui_status(ui, 0, "nothing done: o opens, s saves");
		return;
	}
	if ((tmp = getenv("XDG_RUNTIME_DIR")) == NULL || *tmp == '\0')
		tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	dir = xasprintf("%s/support-inbox-view.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		ui_status(ui, 1, "cannot make a private directory in %s: %s",
		    tmp, strerror(errno));
		free(dir);
		return;
	}
	ui_media_fetch(ui, arg, dir, 1);
	free(dir);
}

void
ui_thread_media(struct ui *ui)
{
	json_t		*m = ui_thread_selected(ui), *body;
	const char	*mime;
	char		*name;

	body = json_object_get(m, "body");
	if (m == NULL || json_object_get(body, "media") == NULL) {
		ui_status(ui, 0, "the selected message has no file; r replies, "
		    "R quotes it");
		return;
	}
	mime = ui_jstr(json_object_get(body, "media"), "mime_type");
	name = save_name(body, ui_jint(m, "id"), mime);
	ui_prompt_open(ui, "o: open it, s: save it (Enter: open) ", NULL,
	    ui_media_choice_cb, json_pack("{sI ss ss}", "message",
	    (json_int_t)ui_jint(m, "id"), "name", name, "mime", mime));
	free(name);
}

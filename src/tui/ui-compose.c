/*
 * The composer: a multi-line UTF-8 draft per conversation with readline
 * keys, $EDITOR, the canned-reply and template pickers, reply-to and file
 * attachments; sending goes through "reply" with the collision guard.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "canned.h"
#include "proto-names.h"
#include "proto.h"
#include "save.h"
#include "tpl-render.h"
#include "ui-int.h"
#include "wrap.h"
#include "xmalloc.h"

#define UI_CHUNK	(512 * 1024)	/* file bytes per upload frame */
#define UI_ATTACH_MAX	(100 * 1024 * 1024)

/* --- drafts --- */

static void
ui_compose_save(struct ui *ui)
{
	char	key[32];

	if (ui->cmp.conv == 0)
		return;
	snprintf(key, sizeof key, "%lld", (long long)ui->cmp.conv);
	if (ui->cmp.len == 0 && ui->cmp.reply_to == 0) {
		json_object_del(ui->cmp.drafts, key);
		return;
	}
	ui->cmp.buf[ui->cmp.len] = '\0';
	json_object_set_new(ui->cmp.drafts, key, json_pack("{ss sI sI}",
	    "text", ui->cmp.buf, "reply_to", (json_int_t)ui->cmp.reply_to,
	    "after", (json_int_t)ui->cmp.started_after));
}

static void	ui_draft_push(struct ui *, int64_t);
static void	ui_draft_load(struct ui *, int64_t);

void
ui_compose_switch(struct ui *ui, int64_t conv)
{
	char		 key[32];
	json_t		*d;
	const char	*t;

	ui_compose_save(ui);
	/* Leaving a conversation saves its draft at once, not in a second. */
	if (ui->cmp.conv != 0 && ui->cmp.conv != conv)
		ui_draft_push(ui, ui->cmp.conv);
	ui->cmp.conv = conv;
	ui->cmp.len = ui->cmp.cur = 0;
	ui->cmp.reply_to = ui->cmp.started_after = 0;
	ui->cmp.force = 0;
	ui->cmp.buf[0] = '\0';
	snprintf(key, sizeof key, "%lld", (long long)conv);
	if ((d = json_object_get(ui->cmp.drafts, key)) != NULL) {
		t = ui_jstr(d, "text");
		ui->cmp.len = strlen(t) < UI_DRAFT_MAX ? strlen(t) :
		    UI_DRAFT_MAX - 1;
		memcpy(ui->cmp.buf, t, ui->cmp.len);
		ui->cmp.buf[ui->cmp.len] = '\0';
		ui->cmp.cur = ui->cmp.len;
		ui->cmp.reply_to = ui_jint(d, "reply_to");
		ui->cmp.started_after = ui_jint(d, "after");
	} else if (conv != 0)
		ui_draft_load(ui, conv);
	ui->dirty |= UI_D_ALL;
}

/* --- drafts kept by the daemon --- */

static void
ui_keep_key(int64_t conv, char *key, size_t len)
{
	snprintf(key, len, "%lld", (long long)conv);
}

/* The composer's draft was edited: saved a second after the last key. */
static void
ui_draft_touch(struct ui *ui)
{
	char	key[32];

	if (ui->cmp.conv == 0)
		return;
	ui_keep_key(ui->cmp.conv, key, sizeof key);
	json_object_set_new(ui->keep.dirty, key, json_true());
	ui->keep.changed = time(NULL);
}

static void
ui_draft_saved_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	char	key[32];

	(void)code;
	if (ui->keep.saving > 0)
		ui->keep.saving--;
	ui_keep_key(ui_jint(arg, "conv"), key, sizeof key);
	if (res == NULL) {
		/* Kept dirty: saved again on a later tick, once connected. */
		json_object_set_new(ui->keep.dirty, key, json_true());
		if (ui->keep.quit_at == 0)
			ui_status(ui, 1, "draft not saved: %s", msg);
	}
	if (ui->keep.quit_at != 0 && ui->keep.saving == 0)
		ui->running = 0;
}

/* Saves conv's draft (as the local copy has it) with the daemon. */
static void
ui_draft_push(struct ui *ui, int64_t conv)
{
	char	 key[32];
	json_t	*d, *p;

	ui_keep_key(conv, key, sizeof key);
	if (json_object_get(ui->keep.dirty, key) == NULL)
		return;
	json_object_del(ui->keep.dirty, key);
	d = json_object_get(ui->cmp.drafts, key);
	json_object_set_new(ui->keep.known, key, json_boolean(d != NULL));
	p = json_pack("{sI ss sI}", "conversation", (json_int_t)conv, "text",
	    d != NULL ? ui_jstr(d, "text") : "", "reply_to",
	    (json_int_t)(d != NULL ? ui_jint(d, "reply_to") : 0));
	ui->keep.saving++;
	ui_call(ui, PM_DRAFT_SET, p, ui_draft_saved_cb, json_pack("{sI}",
	    "conv", (json_int_t)conv));
	ui->dirty |= UI_D_LIST;
}

static void
ui_draft_get_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	int64_t		 conv = ui_jint(arg, "conv");
	json_t		*d;
	const char	*t;
	char		 key[32];
	size_t		 n;

	(void)code; (void)msg;
	if (res == NULL)
		return;
	d = json_object_get(res, "draft");
	ui_keep_key(conv, key, sizeof key);
	json_object_set_new(ui->keep.known, key, json_boolean(
	    json_is_object(d)));
	if (!json_is_object(d) || (t = ui_jstr(d, "text")) == NULL)
		return;
	/* Only into an untouched composer of that conversation. */
	if (ui->cmp.conv != conv || ui->cmp.len > 0 ||
	    json_object_get(ui->keep.dirty, key) != NULL)
		return;
	n = strlen(t) < UI_DRAFT_MAX ? strlen(t) : UI_DRAFT_MAX - 1;
	memcpy(ui->cmp.buf, t, n);
	ui->cmp.buf[n] = '\0';
	ui->cmp.len = ui->cmp.cur = n;
	ui->cmp.reply_to = ui_jint(d, "reply_to");
	ui_compose_save(ui);
	ui->dirty |= UI_D_ALL;
}

static void
ui_draft_load(struct ui *ui, int64_t conv)
{
	char	key[32];

	ui_keep_key(conv, key, sizeof key);
	if (json_is_false(json_object_get(ui->keep.known, key)))
		return;		/* none, as far as we know */
	ui_call(ui, PM_DRAFT_GET, json_pack("{sI}", "conversation",
	    (json_int_t)conv), ui_draft_get_cb, json_pack("{sI}", "conv",
	    (json_int_t)conv));
}

void
ui_compose_init(struct ui *ui)
{
	ui->keep.dirty = json_object();
	ui->keep.known = json_object();
	ui->keep.undo_prev = json_object();
}

void
ui_compose_free(struct ui *ui)
{
	json_decref(ui->keep.dirty);
	json_decref(ui->keep.known);
	json_decref(ui->keep.undo_prev);
}

/* Saves every draft edited and not saved yet. */
void
ui_compose_flush(struct ui *ui)
{
	const char	*key;
	json_t		*v, *keys;
	size_t		 i;

	if (ui->keep.dirty == NULL)
		return;
	ui_compose_save(ui);
	keys = json_array();
	json_object_foreach(ui->keep.dirty, key, v)
		json_array_append_new(keys, json_string(key));
	json_array_foreach(keys, i, v)
		ui_draft_push(ui, strtoll(json_string_value(v), NULL, 10));
	json_decref(keys);
}

/*
 * Quitting: the drafts not saved yet are saved, and the client ends once
 * the daemon has answered (at most a few seconds). 0 if they cannot be
 * saved (no daemon): the caller asks first.
 */
int
ui_compose_quit(struct ui *ui)
{
	ui_compose_save(ui);
	if (json_object_size(ui->keep.dirty) > 0 && !ui->connected)
		return (0);
	ui->keep.quit_at = time(NULL);
	ui_compose_flush(ui);
	if (ui->keep.saving == 0)
		ui->running = 0;
	else
		ui_status(ui, 0, "saving drafts...");
	return (1);
}

int
ui_compose_has_draft(struct ui *ui, json_t *row)
{
	char	 key[32];
	json_t	*k;

	ui_keep_key(ui_jint(row, "id"), key, sizeof key);
	if (ui->cmp.conv == ui_jint(row, "id") && ui->cmp.len > 0)
		return (1);
	if (json_object_get(ui->keep.dirty, key) != NULL)
		return (json_object_get(ui->cmp.drafts, key) != NULL);
	/* What this client saved last beats an older list row. */
	if ((k = json_object_get(ui->keep.known, key)) != NULL)
		return (json_is_true(k));
	return (json_is_true(json_object_get(row, "draft")));
}

/* --- drawing --- */

/*
 * Lines of text wrapped at width at word boundaries (wrap_line): start
 * offsets into text. A line's end is the next one's start; the space a
 * line broke at stays at its end, so every byte (and so every cursor
 * position) belongs to exactly one line. A break at a space that ends the
 * text starts an empty line, where the cursor then shows.
 */
static int
ui_compose_wrap_text(const char *text, size_t len, int width, size_t *starts,
    int max)
{
	size_t	off = 0, show, next;
	int	n = 0;

	if (width < 4)
		width = 4;
	for (;;) {
		if (n < max)
			starts[n] = off;
		n++;
		show = wrap_line(text + off, len - off, width, &next);
		if (show == next && off + next >= len)
			break;
		off += next;
		if (off < len && text[off] == '\n')
			off++;
	}
	return (n);
}

/* The text the composer shows: the draft, or a view a prompt explains. */
static int
ui_compose_viewing(struct ui *ui)
{
	if (ui->cmp.view != NULL && !ui->pr.active) {
		free(ui->cmp.view);
		free(ui->cmp.view_title);
		ui->cmp.view = ui->cmp.view_title = NULL;
	}
	return (ui->cmp.view != NULL);
}

static int
ui_compose_wrap(struct ui *ui, int width, size_t *starts, int max)
{
	if (ui_compose_viewing(ui))
		return (ui_compose_wrap_text(ui->cmp.view,
		    strlen(ui->cmp.view), width, starts, max));
	return (ui_compose_wrap_text(ui->cmp.buf, ui->cmp.len, width, starts,
	    max));
}

/* Shows text (title over it) in the composer while the next prompt asks. */
static void
ui_compose_view(struct ui *ui, const char *title, char *text)
{
	free(ui->cmp.view);
	free(ui->cmp.view_title);
	ui->cmp.view = text;
	ui->cmp.view_title = text != NULL ? xstrdup(title) : NULL;
	ui->dirty |= UI_D_ALL;
}

int
ui_compose_height(struct ui *ui)
{
	size_t	starts[8];
	int	n;

	/* Without a conversation only a preview shows (N, ui-start.c). */
	if (ui->th.id == 0 && !ui_compose_viewing(ui))
		return (0);
	n = ui_compose_wrap(ui, ui->cols - 2, starts, 8);
	if (n < 2)
		n = 2;
	/* A template's text is shown whole where the screen allows. */
	if (n > (ui->cmp.view != NULL ? 10 : 6))
		n = ui->cmp.view != NULL ? 10 : 6;
	if (ui->rows < 20 && n > 3)
		n = 3;
	return (n + 1);
}

/* A view in place of the draft: its title and text, no cursor. */
static void
ui_compose_draw_view(struct ui *ui, int y, int x, int h, int w)
{
	size_t	 starts[512], end;
	char	*line;
	int	 n, i, a = ui_attr(ui, TH_COMPOSE_TEMPLATE);
	size_t	 len = strlen(ui->cmp.view);

	ui_fill(ui, y, x, w, ui_attr(ui, TH_BORDER));
	ui_put(ui, y, x, w, ui->cmp.view_title, ui_attr(ui, TH_BORDER) |
	    A_BOLD);
	n = ui_compose_wrap_text(ui->cmp.view, len, w - 2, starts, 512);
	if (n > 512)
		n = 512;
	for (i = 0; i < h - 1; i++) {
		ui_fill(ui, y + 1 + i, x, w, a);
		if (i >= n)
			continue;
		end = i + 1 < n ? starts[i + 1] : len;
		while (end > starts[i] && (ui->cmp.view[end - 1] == '\n' ||
		    ui->cmp.view[end - 1] == ' '))
			end--;
		line = xstrndup(ui->cmp.view + starts[i], end - starts[i]);
		ui_put(ui, y + 1 + i, x + 2, w - 2, line, a);
		free(line);
	}
}

void
ui_compose_draw(struct ui *ui)
{
	size_t	 starts[512], end;
	char	 title[256], *line;
	int	 y, x, h, w, n, i, cl = 0, cx = 0, first, a;
	json_t	*q;

	ui_compose_area(ui, &y, &x, &h, &w);
	if (h <= 0)
		return;
	if (ui_compose_viewing(ui)) {
		ui_compose_draw_view(ui, y, x, h, w);
		return;
	}
	a = ui_attr(ui, ui_thread_window_open(ui) ? TH_COMPOSE :
	    TH_COMPOSE_TEMPLATE);
	if (!ui_thread_window_open(ui))
		snprintf(title, sizeof title, "-- window closed: Enter or C-t "
		    "picks an approved template --");
	else if (ui->cmp.reply_to != 0) {
		q = NULL;
		for (i = 0; i < (int)json_array_size(ui->th.msgs); i++) {
			if (ui_jint(json_array_get(ui->th.msgs, (size_t)i),
			    "id") == ui->cmp.reply_to)
				q = json_array_get(ui->th.msgs, (size_t)i);
		}
		snprintf(title, sizeof title, "-- reply quoting: %s --",
		    q != NULL ? ui_jstr(json_object_get(q, "body"), "text") :
		    "a message");
	} else
		snprintf(title, sizeof title, "-- reply to %s%s --",
		    ui_jstr(ui->th.conv, "name"), ui->focus == UI_COMPOSE ?
		    "" : " (r to write)");
	ui_fill(ui, y, x, w, ui_attr(ui, TH_BORDER));
	ui_put(ui, y, x, w, title, ui_attr(ui, TH_BORDER) | (ui->focus ==
	    UI_COMPOSE ? A_BOLD : 0));
	n = ui_compose_wrap(ui, w - 2, starts, 512);
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++) {
		end = i + 1 < n ? starts[i + 1] : ui->cmp.len;
		if (ui->cmp.cur >= starts[i] && (ui->cmp.cur < end ||
		    i == n - 1 || (ui->cmp.cur == end &&
		    ui->cmp.buf[end - 1] != '\n' && i + 1 < n &&
		    ui->cmp.cur == starts[i + 1] && 0))) {
			cl = i;
			cx = utf8_nwidth(ui->cmp.buf + starts[i],
			    ui->cmp.cur - starts[i]);
		}
	}
	first = cl - (h - 2) < 0 ? 0 : cl - (h - 2);
	for (i = 0; i < h - 1; i++) {
		ui_fill(ui, y + 1 + i, x, w, a);
		if (i == 0)
			ui_put(ui, y + 1, x, 2, ui->focus == UI_COMPOSE ?
			    "> " : "  ", a);
		if (first + i >= n)
			continue;
		/* NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Assign): ui_compose_wrap filled starts[0..n) (n is capped at 512) */
		end = first + i + 1 < n ? starts[first + i + 1] : ui->cmp.len;
		while (end > starts[first + i] && ui->cmp.buf[end - 1] == '\n')
			end--;
		line = xstrndup(ui->cmp.buf + starts[first + i],
		    end - starts[first + i]);
		ui_put(ui, y + 1 + i, x + 2, w - 2, line, a);
		free(line);
	}
	if (ui->cmp.len == 0 && ui_thread_window_open(ui))
		ui_put(ui, y + 1, x + 2, w - 2, ui->focus == UI_COMPOSE ?
		    "type a reply; / on an empty draft: canned replies" : "",
		    ui_attr(ui, TH_LIST_META));
	if (ui->focus == UI_COMPOSE && !ui->pr.active)
		move(y + 1 + cl - first, x + 2 + (cx < w - 2 ? cx : w - 3));
}

/* --- editing --- */

static size_t
ui_prev_grapheme(const char *s, size_t cur)
{
	size_t	off = 0, n, last = 0;
	int	w;

	/* Graphemes are found forwards from the start of the line. */
	while (off < cur) {
		last = off;
		n = utf8_grapheme(s + off, cur - off, &w);
		if (n == 0)
			break;
		off += n;
	}
	return (last);
}

/* presence.set: to colleagues, we type (again) in the open thread, or
 * no longer. */
static void
ui_compose_typing_say(struct ui *ui, int typing)
{
	ui_call(ui, PM_PRESENCE_SET, json_pack("{sI sb}", "conversation",
	    (json_int_t)ui->th.id, "typing", typing), NULL, NULL);
}

/*
 * The draft went (sent, or emptied): we no longer type. Said at once, so
 * colleagues' lists and thread headers go from "typing" back to
 * "viewing" now, not when their clients let the mark expire.
 */
static void
ui_compose_typing_stop(struct ui *ui)
{
	if (ui->cmp.typing_sent == 0 || ui->th.id == 0)
		return;
	ui->cmp.typing_sent = 0;
	ui_compose_typing_say(ui, 0);
}

static void
ui_compose_changed(struct ui *ui)
{
	time_t	now = time(NULL);

	if (ui->cmp.len > 0 && ui->cmp.started_after == 0)
		ui->cmp.started_after = ui_thread_last_inbound(ui);
	if (ui->cmp.len == 0) {
		ui->cmp.started_after = ui->cmp.force = 0;
		ui_compose_typing_stop(ui);
	}
	if (ui->cmp.len > 0 && now - ui->cmp.typing_sent >=
	    PROTO_TYPING_EVERY) {
		ui->cmp.typing_sent = now;
		ui_compose_typing_say(ui, 1);
	}
	/* The customer's "typing…" (a Graph API call) every 10 s at most. */
	if (ui->cmp.len > 0 && now - ui->cmp.typing_wa_sent >= 10 &&
	    ui_thread_window_open(ui)) {
		ui->cmp.typing_wa_sent = now;
		ui_call(ui, PM_CONV_TYPING, json_pack("{sI}", "id",
		    (json_int_t)ui->th.id), NULL, NULL);
	}
	ui_draft_touch(ui);
	ui->dirty |= UI_D_COMPOSE;
	/* The composer may have grown a line: the panes above shrink. */
	ui->dirty |= UI_D_THREAD | UI_D_LIST;
}

static void
ui_compose_insert(struct ui *ui, const char *text)
{
	size_t	n = strlen(text);

	if (ui->cmp.len + n >= UI_DRAFT_MAX) {
		ui_status(ui, 1, "the draft is full");
		return;
	}
	memmove(ui->cmp.buf + ui->cmp.cur + n, ui->cmp.buf + ui->cmp.cur,
	    ui->cmp.len - ui->cmp.cur);
	memcpy(ui->cmp.buf + ui->cmp.cur, text, n);
	ui->cmp.len += n;
	ui->cmp.cur += n;
	ui->cmp.buf[ui->cmp.len] = '\0';
	ui_compose_changed(ui);
}

static void
ui_compose_delete(struct ui *ui, size_t from, size_t to)
{
	if (to <= from || to > ui->cmp.len)
		return;
	memmove(ui->cmp.buf + from, ui->cmp.buf + to, ui->cmp.len - to);
	ui->cmp.len -= to - from;
	ui->cmp.buf[ui->cmp.len] = '\0';
	ui->cmp.cur = from;
	ui_compose_changed(ui);
}

int
ui_compose_key(struct ui *ui, const char *key, wint_t ch, int code)
{
	(void)ch; (void)code;
	if (!ui_thread_window_open(ui)) {
		ui_status(ui, 0, "the 24-hour window is closed: only templates "
		    "(Enter or C-t)");
		return (1);
	}
	if (strcmp(key, "/") == 0 && ui->cmp.len == 0) {
		ui_compose_canned(ui);
		return (1);
	}
	if (strcmp(key, "<Space>") == 0)
		key = " ";
	ui_compose_insert(ui, key);
	return (1);
}

static size_t
ui_bol(struct ui *ui, size_t cur)
{
	while (cur > 0 && ui->cmp.buf[cur - 1] != '\n')
		cur--;
	return (cur);
}

static size_t
ui_eol(struct ui *ui, size_t cur)
{
	while (cur < ui->cmp.len && ui->cmp.buf[cur] != '\n')
		cur++;
	return (cur);
}

static size_t
ui_word_back(struct ui *ui, size_t cur)
{
	while (cur > 0 && ui->cmp.buf[cur - 1] == ' ')
		cur--;
	while (cur > 0 && ui->cmp.buf[cur - 1] != ' ' &&
	    ui->cmp.buf[cur - 1] != '\n')
		cur--;
	return (cur);
}

static size_t
ui_word_fwd(struct ui *ui, size_t cur)
{
	while (cur < ui->cmp.len && ui->cmp.buf[cur] == ' ')
		cur++;
	while (cur < ui->cmp.len && ui->cmp.buf[cur] != ' ' &&
	    ui->cmp.buf[cur] != '\n')
		cur++;
	return (cur);
}

/* Moves to the same column on the line above (-1) or below (+1). */
static void
ui_compose_vertical(struct ui *ui, int dir)
{
	size_t	bol = ui_bol(ui, ui->cmp.cur), target, n;
	int	col = utf8_nwidth(ui->cmp.buf + bol, ui->cmp.cur - bol), w;

	if (dir < 0) {
		if (bol == 0)
			return;
		target = ui_bol(ui, bol - 1);
	} else {
		target = ui_eol(ui, ui->cmp.cur);
		if (target >= ui->cmp.len)
			return;
		target++;
	}
	n = utf8_fit(ui->cmp.buf + target, ui->cmp.len - target, col, &w);
	ui->cmp.cur = target + n;
}

int
ui_compose_cmd(struct ui *ui, const char *name, const char *args)
{
	size_t	c = ui->cmp.cur, n;
	int	w;

	(void)args;
	if (strcmp(name, "newline") == 0)
		ui_compose_insert(ui, "\n");
	else if (strcmp(name, "bol") == 0)
		ui->cmp.cur = ui_bol(ui, c);
	else if (strcmp(name, "eol") == 0)
		ui->cmp.cur = ui_eol(ui, c);
	else if (strcmp(name, "left") == 0)
		ui->cmp.cur = ui_prev_grapheme(ui->cmp.buf, c);
	else if (strcmp(name, "right") == 0) {
		n = utf8_grapheme(ui->cmp.buf + c, ui->cmp.len - c, &w);
		ui->cmp.cur = c + n;
	} else if (strcmp(name, "up") == 0)
		ui_compose_vertical(ui, -1);
	else if (strcmp(name, "down") == 0)
		ui_compose_vertical(ui, 1);
	else if (strcmp(name, "word-back") == 0)
		ui->cmp.cur = ui_word_back(ui, c);
	else if (strcmp(name, "word-fwd") == 0)
		ui->cmp.cur = ui_word_fwd(ui, c);
	else if (strcmp(name, "kill-eol") == 0)
		ui_compose_delete(ui, c, ui_eol(ui, c) == c && c <
		    ui->cmp.len ? c + 1 : ui_eol(ui, c));
	else if (strcmp(name, "kill-bol") == 0)
		ui_compose_delete(ui, ui_bol(ui, c), c);
	else if (strcmp(name, "kill-word") == 0)
		ui_compose_delete(ui, ui_word_back(ui, c), c);
	else if (strcmp(name, "backspace") == 0)
		ui_compose_delete(ui, ui_prev_grapheme(ui->cmp.buf, c), c);
	else if (strcmp(name, "delete") == 0) {
		n = utf8_grapheme(ui->cmp.buf + c, ui->cmp.len - c, &w);
		ui_compose_delete(ui, c, c + n);
	} else if (strcmp(name, "clear") == 0) {
		if (ui->cmp.len == 0 && ui->cmp.undo != NULL) {
			ui_compose_insert(ui, ui->cmp.undo);
			free(ui->cmp.undo);
			ui->cmp.undo = NULL;
		} else if (ui->cmp.len > 0) {
			free(ui->cmp.undo);
			ui->cmp.buf[ui->cmp.len] = '\0';
			ui->cmp.undo = xstrdup(ui->cmp.buf);
			ui->cmp.len = ui->cmp.cur = 0;
			ui->cmp.reply_to = 0;
			ui_compose_changed(ui);
			ui_status(ui, 0, "draft cleared; C-c again brings it "
			    "back");
		}
	} else if (strcmp(name, "leave") == 0) {
		ui_compose_save(ui);
		ui_set_focus(ui, UI_THREAD);
	} else if (strcmp(name, "complete") == 0) {
		if (ui->cmp.len == 0)
			ui_compose_canned(ui);
	} else
		return (0);
	ui->dirty |= UI_D_COMPOSE;
	return (1);
}

/* --- the undo window --- */

/* A reply was sent: the daemon dropped its draft in the same step. */
static void
ui_draft_sent(struct ui *ui, int64_t conv)
{
	char	key[32];

	ui_keep_key(conv, key, sizeof key);
	json_object_del(ui->keep.dirty, key);
	json_object_set_new(ui->keep.known, key, json_false());
}

const char *
ui_compose_undo_key(struct ui *ui)
{
	return (ui->focus == UI_COMPOSE ? "Alt-u" : "u");
}

static void
ui_undo_clear(struct ui *ui)
{
	ui->keep.undo = UI_UNDO_NONE;
	ui->keep.undo_until = 0;
	json_object_clear(ui->keep.undo_prev);
}

/*
 * A held reply: u (Alt-u in the composer, where u is a letter of the next
 * draft) takes it back while it waits.
 */
static void
ui_undo_arm_send(struct ui *ui, json_t *res, json_t *arg)
{
	int64_t	left;

	ui_undo_clear(ui);
	ui->keep.undo = UI_UNDO_SEND;
	ui->keep.undo_msg = ui_jint(res, "message");
	ui->keep.undo_conv = ui_jint(arg, "conv");
	ui->keep.undo_reply_to = ui_jint(arg, "reply_to");
	ui->keep.undo_until = (time_t)ui_jint(res, "held_until");
	left = (int64_t)(ui->keep.undo_until - time(NULL));
	ui_status(ui, 0, "sending in %llds (%s: undo)",
	    (long long)(left > 0 ? left : 0), ui_compose_undo_key(ui));
	ui_list_fetch(ui, 0);
	ui->th.follow = 1;
	if (ui->keep.undo_conv == ui->th.id)
		ui_thread_fetch(ui);
	ui->dirty |= UI_D_ALL;
}

static void
ui_undo_send_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	int64_t		 conv = ui_jint(arg, "conv");
	const char	*t;
	char		 key[32];
	size_t		 n;

	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "undo: %s", msg);
		return;
	}
	t = ui_jstr(res, "text");
	ui_keep_key(conv, key, sizeof key);
	if (ui->cmp.conv == conv && ui->cmp.len == 0) {
		n = strlen(t) < UI_DRAFT_MAX ? strlen(t) : UI_DRAFT_MAX - 1;
		memcpy(ui->cmp.buf, t, n);
		ui->cmp.buf[n] = '\0';
		ui->cmp.len = ui->cmp.cur = n;
		ui->cmp.reply_to = ui_jint(arg, "reply_to");
		ui_compose_changed(ui);
		if (conv == ui->th.id)
			ui_set_focus(ui, UI_COMPOSE);
	} else if (ui->cmp.conv != conv) {
		/* Back as that conversation's draft, saved like any. */
		json_object_set_new(ui->cmp.drafts, key, json_pack(
		    "{ss sI sI}", "text", t, "reply_to", (json_int_t)ui_jint(
		    arg, "reply_to"), "after", (json_int_t)0));
		json_object_set_new(ui->keep.dirty, key, json_true());
		ui->keep.changed = time(NULL);
	} else {
		/* Something new is being typed: the text goes before it. */
		n = strlen(t);
		if (ui->cmp.len + n + 1 < UI_DRAFT_MAX) {
			memmove(ui->cmp.buf + n + 1, ui->cmp.buf, ui->cmp.len);
			memcpy(ui->cmp.buf, t, n);
			ui->cmp.buf[n] = '\n';
			ui->cmp.len += n + 1;
			ui->cmp.buf[ui->cmp.len] = '\0';
			ui->cmp.cur = n;
			ui_compose_changed(ui);
		}
	}
	ui_status(ui, 0, "not sent: the text is back in the composer");
	ui_list_fetch(ui, 0);
	if (conv == ui->th.id)
		ui_thread_fetch(ui);
	ui->dirty |= UI_D_ALL;
}

static void
ui_resolve_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "resolved: %s", msg);
		return;
	}
	if (ui->conf.undo_send_seconds > 0) {
		ui_undo_clear(ui);
		ui->keep.undo = UI_UNDO_RESOLVE;
		ui->keep.undo_until = time(NULL) + ui->conf.undo_send_seconds;
		json_object_update(ui->keep.undo_prev, json_object_get(arg,
		    "prev"));
		ui_status(ui, 0, "resolved %zu (%s: undo)",
		    json_array_size(json_object_get(res, "ids")),
		    ui_compose_undo_key(ui));
	} else
		ui_status(ui, 0, "resolved: done");
	ui_list_fetch(ui, 0);
	ui_refresh_counts(ui);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
}

/*
 * Resolves params' ids, remembering each one's state before (as the list
 * or the open thread shows it) for the undo window.
 */
void
ui_compose_resolve(struct ui *ui, json_t *params)
{
	json_t		*prev = json_object(), *v, *row;
	const char	*st;
	char		 key[32];
	size_t		 i;

	json_array_foreach(json_object_get(params, "ids"), i, v) {
		row = ui_list_find(ui, json_integer_value(v));
		if (row == NULL && json_integer_value(v) == ui->th.id)
			row = ui->th.conv;
		st = row != NULL ? ui_jstr(row, "state") : "open";
		ui_keep_key(json_integer_value(v), key, sizeof key);
		json_object_set_new(prev, key, json_pack("{ss sI}", "state",
		    *st != '\0' && strcmp(st, "resolved") != 0 ? st : "open",
		    "until", (json_int_t)(row != NULL ? ui_jint(row,
		    "snooze_until") : 0)));
	}
	ui_call(ui, PM_CONV_STATE, params, ui_resolve_cb, json_pack("{so}",
	    "prev", prev));
}

static void
ui_undo_resolve_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	(void)code; (void)arg;
	if (res == NULL)
		ui_status(ui, 1, "undo: %s", msg);
	else
		ui_status(ui, 0, "undone: %zu back to %s",
		    json_array_size(json_object_get(res, "ids")),
		    ui_jstr(res, "state"));
	ui_list_fetch(ui, 0);
	ui_refresh_counts(ui);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
}

/* Each resolved conversation back to its state, one call per state. */
static void
ui_undo_resolve(struct ui *ui)
{
	const char	*key, *st;
	json_t		*v, *groups = json_object(), *g, *p;
	time_t		 now = time(NULL);
	int64_t		 until;
	char		 gk[64];

	json_object_foreach(ui->keep.undo_prev, key, v) {
		st = ui_jstr(v, "state");
		until = ui_jint(v, "until");
		/* A snooze that ended meanwhile comes back open. */
		if (strcmp(st, "snoozed") == 0 && until <= now)
			st = "open";
		snprintf(gk, sizeof gk, "%s %lld", st, strcmp(st,
		    "snoozed") == 0 ? (long long)until : 0LL);
		if ((g = json_object_get(groups, gk)) == NULL) {
			g = json_pack("{ss s[] sb}", "state", st, "ids",
			    "undo", 1);
			if (strcmp(st, "snoozed") == 0)
				json_object_set_new(g, "until",
				    json_integer(until));
			json_object_set_new(groups, gk, g);
		}
		json_array_append_new(json_object_get(g, "ids"),
		    json_integer(strtoll(key, NULL, 10)));
	}
	json_object_foreach(groups, key, p)
		ui_call(ui, PM_CONV_STATE, json_incref(p), ui_undo_resolve_cb,
		    NULL);
	json_decref(groups);
}

int
ui_compose_undo(struct ui *ui)
{
	enum ui_undo	what = ui->keep.undo;

	if (what == UI_UNDO_NONE || time(NULL) >= ui->keep.undo_until) {
		ui_undo_clear(ui);
		return (0);
	}
	if (what == UI_UNDO_SEND)
		ui_call(ui, PM_OUTBOX_CANCEL, json_pack("{sI}", "msg",
		    (json_int_t)ui->keep.undo_msg), ui_undo_send_cb,
		    json_pack("{sI sI}", "conv", (json_int_t)ui->keep.undo_conv,
		    "reply_to", (json_int_t)ui->keep.undo_reply_to));
	else
		ui_undo_resolve(ui);
	ui->keep.undo = UI_UNDO_NONE;
	ui->keep.undo_until = 0;
	return (1);
}

/* Once a second: drafts saved after a pause, countdowns redrawn. */
void
ui_compose_tick(struct ui *ui)
{
	time_t	 now = time(NULL);
	json_t	*m;
	size_t	 i;

	if (json_object_size(ui->keep.dirty) > 0 && ui->connected &&
	    now - ui->keep.changed >= 1)
		ui_compose_flush(ui);
	if (ui->keep.quit_at != 0 && now - ui->keep.quit_at >= 3)
		ui->running = 0;	/* the daemon did not answer */
	if (ui->keep.undo != UI_UNDO_NONE && now >= ui->keep.undo_until)
		ui_undo_clear(ui);
	/* "sending in 3s": the thread's countdown moves. */
	json_array_foreach(ui->th.msgs, i, m) {
		if (ui_jint(m, "held_until") + 1 >= now) {
			ui->th.laid = 0;
			ui->dirty |= UI_D_THREAD;
			break;
		}
	}
}

/* --- sending --- */

static void	ui_upload_abort(struct ui *, int64_t);

static void
ui_send_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	int64_t	conv = ui_jint(arg, "conv");

	if (res == NULL) {
		/* A refused attachment's upload may still be held: drop it. */
		ui_upload_abort(ui, ui_jint(arg, "upload"));
		if (strcmp(code, PE_COLLISION) == 0 && conv == ui->th.id) {
			/*
			 * Show what the customer wrote; the draft stays, and
			 * the next send goes as it is (forced), whenever the
			 * new message reaches this screen.
			 */
			ui->th.follow = 1;
			ui_thread_fetch(ui);
			ui_status(ui, 1, "not sent: the customer wrote again - "
			    "read it above; Enter sends your draft anyway");
			ui->cmp.force = 1;
		} else if (strcmp(code, PE_ASSIGNED_OTHER) == 0)
			ui_guard_send_refused(ui, conv, msg);
		else if (strcmp(code, PE_WINDOW_CLOSED) == 0 &&
		    conv == ui->th.id) {
			json_object_set_new(ui->th.conv, "_window_end",
			    json_integer(0));
			ui_status(ui, 1, "not sent: %s", msg);
		} else
			ui_status(ui, 1, "not sent: %s", msg);
		ui->dirty |= UI_D_ALL;
		return;
	}
	if (conv == ui->cmp.conv && json_is_true(json_object_get(arg,
	    "text"))) {
		ui->cmp.len = ui->cmp.cur = 0;
		ui->cmp.buf[0] = '\0';
		ui->cmp.reply_to = 0;
		ui->cmp.started_after = 0;
		ui->cmp.force = 0;
		ui_compose_typing_stop(ui);
		ui_compose_save(ui);
		ui_draft_sent(ui, conv);
	}
	if (ui_jint(res, "held_until") > 0) {
		ui_undo_arm_send(ui, res, arg);
		return;
	}
	ui_status(ui, 0, "queued for sending");
	ui_list_fetch(ui, 0);
	ui->th.follow = 1;
	if (conv == ui->th.id)
		ui_thread_fetch(ui);
	ui->dirty |= UI_D_ALL;
}

void
ui_compose_send(struct ui *ui)
{
	json_t	*p;
	char	*text;
	size_t	 s = 0, e = ui->cmp.len;

	if (ui->th.id == 0)
		return;
	if (!ui_thread_window_open(ui)) {
		ui_compose_template(ui);
		return;
	}
	while (s < e && (ui->cmp.buf[s] == ' ' || ui->cmp.buf[s] == '\n'))
		s++;
	while (e > s && (ui->cmp.buf[e - 1] == ' ' || ui->cmp.buf[e - 1] ==
	    '\n'))
		e--;
	if (e == s) {
		ui_status(ui, 0, "nothing to send");
		return;
	}
	text = xstrndup(ui->cmp.buf + s, e - s);
	p = json_pack("{sI ss}", "conv", (json_int_t)ui->th.id, "text", text);
	free(text);
	if (ui->cmp.started_after > 0)
		json_object_set_new(p, "draft_started_after",
		    json_integer(ui->cmp.started_after));
	if (ui->cmp.reply_to != 0)
		json_object_set_new(p, "reply_to",
		    json_integer(ui->cmp.reply_to));
	if (ui->cmp.force)
		json_object_set_new(p, "force", json_true());
	/* Held in the daemon's outbox for the undo window. */
	if (ui->conf.undo_send_seconds > 0)
		json_object_set_new(p, "hold_seconds",
		    json_integer(ui->conf.undo_send_seconds));
	/* /buttons, /list ... lines: reply buttons or a list. */
	if (ui_interactive_params(ui, ui_jstr(p, "text"), p) < 0) {
		json_decref(p);
		return;
	}
	/* Someone else's conversation: asked first (ui-guard.c). */
	if (ui_guard_send(ui, p)) {
		json_decref(p);
		return;
	}
	ui_call(ui, PM_REPLY, p, ui_send_cb, json_pack("{sI sb sI}", "conv",
	    (json_int_t)ui->th.id, "text", 1, "reply_to",
	    (json_int_t)ui->cmp.reply_to));
	ui_status(ui, 0, "sending...");
}

/* --- $EDITOR --- */

void
ui_compose_editor(struct ui *ui)
{
	const char	*ed = getenv("VISUAL"), *dir;
	char		*path;
	int		 fd, status;
	pid_t		 pid;
	ssize_t		 n;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	if ((dir = getenv("XDG_RUNTIME_DIR")) == NULL || *dir == '\0')
		dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	path = xasprintf("%s/support-inbox-draft.XXXXXX", dir);
	if ((fd = mkstemp(path)) == -1) {
		ui_status(ui, 1, "cannot create a draft file in '%s': %s", dir,
		    strerror(errno));
		free(path);
		return;
	}
	fchmod(fd, 0600);
	if (write(fd, ui->cmp.buf, ui->cmp.len) != (ssize_t)ui->cmp.len) {
		close(fd);
		unlink(path);
		free(path);
		ui_status(ui, 1, "cannot write the draft file");
		return;
	}
	close(fd);
	ui_suspend_curses(ui);
	if ((pid = fork()) == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path,
		    (char *)NULL);
		_exit(127);
	}
	status = -1;
	if (pid > 0)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	ui_resume_curses(ui);
	if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    (fd = open(path, O_RDONLY)) != -1) {
		n = read(fd, ui->cmp.buf, UI_DRAFT_MAX - 1);
		close(fd);
		if (n >= 0) {
			while (n > 0 && ui->cmp.buf[n - 1] == '\n')
				n--;
			ui->cmp.len = ui->cmp.cur = (size_t)n;
			ui->cmp.buf[n] = '\0';
			ui_compose_changed(ui);
		}
	} else
		ui_status(ui, 1, "the editor failed; the draft is unchanged");
	unlink(path);
	free(path);
	ui->focus = UI_COMPOSE;
	ui->dirty = UI_D_ALL;
}

/* --- canned replies --- */

/*
 * The picker's preview: what this client knows filled in (the customer's
 * name as the list shows it, the conversation), the rest shown as the
 * placeholder it is: the daemon fills those (canned_daemon_fills, one list
 * for both) or asks for them ({{ask:...}}) when the reply is picked. So
 * nothing is flagged here; what stays unfilled is what the daemon's
 * canned.render reports.
 */
struct ui_canned_look {
	const char	*name;
	const char	*agent;		/* canned.list with_names */
	const char	*business;
	char		 first[64];
	char		 conv[24];
	char		 shown[CANNED_NAME_MAX + 4];
};

static const char *
ui_canned_look(const char *var, void *arg)
{
	struct ui_canned_look	*l = arg;

	if (strcmp(var, "contact.name") == 0 && *l->name != '\0')
		return (l->name);
	if (strcmp(var, "contact.first_name") == 0 && *l->first != '\0')
		return (l->first);
	if (strcmp(var, "conversation.id") == 0)
		return (l->conv);
	if (strcmp(var, "agent.name") == 0 && *l->agent != '\0')
		return (l->agent);
	if (strcmp(var, "business.name") == 0 && *l->business != '\0')
		return (l->business);
	snprintf(l->shown, sizeof l->shown, "{{%s}}", var);
	return (l->shown);
}

static char *
ui_canned_preview(struct ui *ui, const char *body, json_t *res)
{
	struct ui_canned_look	 l;
	json_t			*missing;
	char			*out, *cause = NULL;

	l.agent = ui_jstr(res, "agent_name");
	l.business = ui_jstr(res, "business_name");
	l.name = ui_jstr(ui->th.conv, "name");
	snprintf(l.first, sizeof l.first, "%.*s", (int)strcspn(l.name, " "),
	    l.name);
	snprintf(l.conv, sizeof l.conv, "%lld", (long long)ui->th.id);
	if ((out = canned_render(body, ui_canned_look, &l, &missing,
	    &cause)) == NULL) {
		free(cause);
		return (xstrdup(body));
	}
	json_decref(missing);
	return (out);
}

static void
ui_render_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*v, *missing;
	size_t	 i;
	char	 flag[256] = "";

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "canned reply: %s", msg);
		return;
	}
	ui->focus = UI_COMPOSE;
	ui_compose_insert(ui, ui_jstr(res, "text"));
	/* The daemon's word on what stayed empty: the only warning. */
	missing = json_object_get(res, "missing");
	json_array_foreach(missing, i, v) {
		snprintf(flag + strlen(flag), sizeof flag - strlen(flag),
		    "%s{{%s}}", i > 0 ? " " : "", json_string_value(v));
	}
	if (*flag != '\0')
		ui_status(ui, 1, "fill in before sending: %s", flag);
	ui->dirty = UI_D_ALL;
}

static void	ui_canned_next(struct ui *, json_t *);

static void
ui_canned_field_cb(struct ui *ui, const char *text, json_t *st)
{
	json_t	*asks = json_object_get(st, "asks");
	size_t	 have = json_object_size(json_object_get(st, "fields"));

	json_object_set_new(json_object_get(st, "fields"), json_string_value(
	    json_array_get(asks, have)), json_string(text));
	ui_canned_next(ui, st);
}

/* Asks for each fill-in field by its words, then renders with them. */
static void
ui_canned_next(struct ui *ui, json_t *st)
{
	json_t	*asks = json_object_get(st, "asks");
	size_t	 have = json_object_size(json_object_get(st, "fields"));
	size_t	 need = json_array_size(asks);
	char	 label[160];

	if (have < need) {
		snprintf(label, sizeof label, "/%s: %s (%zu of %zu): ",
		    ui_jstr(st, "shortcut"), json_string_value(
		    json_array_get(asks, have)), have + 1, need);
		ui_prompt_open(ui, label, NULL, ui_canned_field_cb,
		    json_incref(st));
		return;
	}
	ui_call(ui, PM_CANNED_RENDER, json_pack("{ss sI sO}", "shortcut",
	    ui_jstr(st, "shortcut"), "conversation", (json_int_t)ui->th.id,
	    "fields", json_object_get(st, "fields")), ui_render_cb, NULL);
}

static void
ui_canned_pick(struct ui *ui, json_t *item, json_t *arg)
{
	json_t	*st, *asks;

	(void)arg;
	if ((asks = canned_fields(ui_jstr(item, "body"), NULL)) == NULL)
		asks = json_array();
	st = json_pack("{ss so s{}}", "shortcut", ui_jstr(item, "shortcut"),
	    "asks", asks, "fields");
	ui_canned_next(ui, st);
	json_decref(st);
}

static void
ui_canned_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*rows, *r, *items, *asks;
	char	*prev, *label, flag[256];
	size_t	 i, j;

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "canned replies: %s", msg);
		return;
	}
	rows = json_is_array(res) ? res : json_object_get(res, "canned");
	if (!json_is_array(rows))
		rows = json_object_get(res, "rows");
	items = json_array();
	json_array_foreach(rows, i, r) {
		prev = ui_canned_preview(ui, ui_jstr(r, "body"), res);
		flag[0] = '\0';
		asks = canned_fields(ui_jstr(r, "body"), NULL);
		for (j = 0; j < json_array_size(asks); j++)
			snprintf(flag + strlen(flag), sizeof flag -
			    strlen(flag), "%s%s", j > 0 ? ", " : "",
			    json_string_value(json_array_get(asks, j)));
		json_decref(asks);
		label = xasprintf("/%s  %s%s%s", ui_jstr(r, "shortcut"),
		    ui_jstr(r, "title"), *flag != '\0' ? "  asks: " : "",
		    flag);
		/* Ranked by shortcut, then title, then text (ui-picker.c). */
		json_array_append_new(items, json_pack("{ss ss ss ss s[sss]}",
		    "label", label, "preview", prev, "shortcut", ui_jstr(r,
		    "shortcut"), "body", ui_jstr(r, "body"), "fields",
		    ui_jstr(r, "shortcut"), ui_jstr(r, "title"), ui_jstr(r,
		    "body")));
		free(prev);
		free(label);
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		ui_status(ui, 0, "no canned replies yet (a supervisor adds "
		    "them: support-inbox canned add)");
		return;
	}
	ui_picker_open(ui, "canned reply (type to filter)", items,
	    ui_canned_pick, NULL, 1);
}

void
ui_compose_canned(struct ui *ui)
{
	if (ui->th.id == 0)
		return;
	ui_call(ui, PM_CANNED_LIST, json_pack("{sb}", "with_names", 1),
	    ui_canned_cb, NULL);
}

/* --- templates --- */

static void	ui_attach_start(struct ui *, const char *path, json_t *reply);

static void
ui_template_send(struct ui *ui, const char *text, json_t *st)
{
	json_t	*p, *start = json_object_get(st, "start");

	(void)text;
	/* N: a new conversation's (ui-start.c) goes to its number or contact. */
	if (start != NULL) {
		p = json_pack("{ss ss sO}", "template", ui_jstr(st, "name"),
		    "lang", ui_jstr(st, "language"), "params",
		    json_object_get(st, "params"));
		json_object_update(p, json_object_get(start, "params"));
	} else
		p = json_pack("{sI ss ss sO}", "conv", (json_int_t)ui->th.id,
		    "template", ui_jstr(st, "name"), "lang", ui_jstr(st,
		    "language"), "params", json_object_get(st, "params"));
	if (*ui_jstr(st, "header_link") != '\0')
		json_object_set(p, "header_link", json_object_get(st,
		    "header_link"));
	if (*ui_jstr(st, "header_file") != '\0') {
		/* The header's file goes up first, then the template. */
		ui_attach_start(ui, ui_jstr(st, "header_file"), p);
		json_decref(p);
		return;
	}
	if (start != NULL)
		ui_call(ui, PM_CONV_START, p, ui_start_sent, NULL);
	else
		ui_call(ui, PM_REPLY, p, ui_send_cb, json_pack("{sI sb}",
		    "conv", (json_int_t)ui->th.id, "text", 0));
	ui_status(ui, 0, "sending...");
}

static void ui_template_next(struct ui *, json_t *);

static void
ui_template_param_cb(struct ui *ui, const char *text, json_t *st)
{
	json_array_append_new(json_object_get(st, "params"), json_string(text));
	ui_template_next(ui, st);
}

static void
ui_template_header_cb(struct ui *ui, const char *text, json_t *st)
{
	if (text == NULL || *text == '\0')
		return;
	json_object_set_new(st, strncmp(text, "https://", 8) == 0 ?
	    "header_link" : "header_file", json_string(text));
	ui_template_next(ui, st);
}

/*
 * Asks for each parameter by the name the daemon gives it ("body {{1}}",
 * "button 1 link {{1}}") with the template's text above, the place of the
 * value marked ([{{1}}]), then for the media header's file or link, then
 * shows the exact text (tpl_render, as the daemon stores it) and asks
 * before sending.
 */
static void
ui_template_next(struct ui *ui, json_t *st)
{
	json_t		*labels = json_object_get(st, "labels");
	json_t		*comps = json_object_get(st, "components");
	size_t		 have = json_array_size(json_object_get(st, "params"));
	size_t		 need = json_array_size(labels);
	const char	*what, *sp;
	char		 label[200], title[200];

	if (have < need) {
		/* "body {{1}}": the placeholder, and where it is. */
		what = json_string_value(json_array_get(labels, have));
		sp = strrchr(what, ' ');
		snprintf(label, sizeof label, "%s of %zu (%.*s): ", sp != NULL ?
		    sp + 1 : what, need, sp != NULL ? (int)(sp - what) : 0,
		    what);
		snprintf(title, sizeof title, "-- %s: the value goes at [%s] "
		    "--", ui_jstr(st, "name"), sp != NULL ? sp + 1 : what);
		ui_compose_view(ui, title, tpl_render(comps, json_object_get(st,
		    "params"), have));
		ui_prompt_open(ui, label, NULL, ui_template_param_cb,
		    json_incref(st));
		return;
	}
	if (*ui_jstr(st, "header") != '\0' &&
	    *ui_jstr(st, "header_link") == '\0' &&
	    *ui_jstr(st, "header_file") == '\0') {
		snprintf(label, sizeof label, "%s header: a file's path or an "
		    "https:// link: ", ui_jstr(st, "header"));
		ui_prompt_open(ui, label, NULL, ui_template_header_cb,
		    json_incref(st));
		return;
	}
	snprintf(title, sizeof title, "-- %s: exactly what the customer "
	    "receives --", ui_jstr(st, "name"));
	ui_compose_view(ui, title, tpl_render(comps, json_object_get(st,
	    "params"), TPL_NO_MARK));
	snprintf(label, sizeof label, "send template %s to %s?",
	    ui_jstr(st, "name"), json_object_get(st, "start") != NULL ?
	    ui_jstr(json_object_get(st, "start"), "to") :
	    ui_jstr(ui->th.conv, "name"));
	ui_prompt_yes(ui, label, ui_template_send, json_incref(st));
}

static void
ui_template_pick(struct ui *ui, json_t *item, json_t *arg)
{
	json_t	*st;

	st = json_pack("{ss ss sO ss s[] sO}", "name", ui_jstr(item, "name"),
	    "language", ui_jstr(item, "language"), "labels",
	    json_object_get(item, "labels"), "header", ui_jstr(item, "header"),
	    "params", "components", json_object_get(item, "components"));
	/* A new conversation's: who it goes to (ui_compose_template_start). */
	if (arg != NULL)
		json_object_set(st, "start", arg);
	ui_template_next(ui, st);
	json_decref(st);
}

static void
ui_templates_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t		*rows, *r, *items, *labels, *comps;
	char		*label, *text;
	size_t		 i, n;

	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "templates: %s", msg);
		return;
	}
	rows = json_object_get(res, "templates");
	items = json_array();
	json_array_foreach(rows, i, r) {
		if (*ui_jstr(r, "status") != '\0' &&
		    strcasecmp(ui_jstr(r, "status"), "APPROVED") != 0)
			continue;
		if (json_object_get(r, "unsendable") != NULL)
			continue;
		comps = json_object_get(r, "components");
		if (!json_is_array(comps))
			comps = NULL;
		labels = json_object_get(r, "params");
		/* Its text on the row, placeholders and all: not blind. */
		text = tpl_render(comps, NULL, TPL_NO_MARK);
		label = xasprintf("%s (%s) %s%s%s  %s", ui_jstr(r, "name"),
		    ui_jstr(r, "language"), ui_jstr(r, "category"),
		    *ui_jstr(r, "header") != '\0' ? "  " : "",
		    ui_jstr(r, "header"), text);
		for (n = 0; label[n] != '\0'; n++) {
			if (label[n] == '\n')
				label[n] = ' ';
		}
		json_array_append_new(items, json_pack("{ss ss ss ss so ss so}",
		    "label", label, "preview", text, "name", ui_jstr(r, "name"),
		    "language", ui_jstr(r, "language"), "labels", labels !=
		    NULL ? json_incref(labels) : json_array(), "header",
		    ui_jstr(r, "header"), "components", comps != NULL ?
		    json_incref(comps) : json_array()));
		free(label);
		free(text);
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		ui_status(ui, 1, "no approved templates (support-inbox "
		    "templates sync)");
		return;
	}
	ui_picker_open(ui, arg != NULL ? "template for a new conversation "
	    "(approved ones)" : "template (the window is closed)", items,
	    ui_template_pick, json_incref(arg), 1);
}

void
ui_compose_template(struct ui *ui)
{
	if (ui->th.id == 0)
		return;
	ui_call(ui, PM_TEMPLATES_LIST, NULL, ui_templates_cb, NULL);
}

void
ui_compose_template_start(struct ui *ui, json_t *start)
{
	ui_call(ui, PM_TEMPLATES_LIST, NULL, ui_templates_cb, start);
}

int
ui_compose_previewing(struct ui *ui)
{
	return (ui_compose_viewing(ui));
}

/* --- attachments --- */

static const char *
ui_mime(const char *path)
{
	static const struct { const char *ext, *mime; } map[] = {
		{ ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".png", "image/png" }, { ".webp", "image/webp" },
		{ ".pdf", "application/pdf" }, { ".txt", "text/plain" },
		{ ".mp4", "video/mp4" }, { ".mp3", "audio/mpeg" },
		{ ".ogg", "audio/ogg" }, { ".csv", "text/csv" },
		{ ".doc", "application/msword" }, { ".xlsx",
		"application/vnd.openxmlformats-officedocument."
		"spreadsheetml.sheet" },
	};
	const char	*dot = strrchr(path, '.');
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(dot, map[i].ext) == 0)
			return (map[i].mime);
	}
	return ("application/octet-stream");
}

static char *
ui_b64(const unsigned char *in, size_t len)
{
	static const char	 t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
				    "mnopqrstuvwxyz0123456789+/";
	char			*out = xmalloc(len / 3 * 4 + 5), *o = out;
	size_t			 i;
	uint32_t		 v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*o++ = t[v >> 18]; *o++ = t[(v >> 12) & 63];
		*o++ = t[(v >> 6) & 63]; *o++ = t[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16 | (i + 1 < len ?
		    (uint32_t)in[i + 1] << 8 : 0);
		*o++ = t[v >> 18]; *o++ = t[(v >> 12) & 63];
		*o++ = i + 1 < len ? t[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return (out);
}

static void ui_attach_step(struct ui *, json_t *);

/*
 * Drops an upload we will not use (its file goes now, and it stops
 * counting against our quota); it may be gone already.
 */
static void
ui_upload_abort(struct ui *ui, int64_t id)
{
	if (id != 0)
		ui_call(ui, PM_UPLOAD_ABORT, json_pack("{sI}", "upload",
		    (json_int_t)id), NULL, NULL);
}

static void
ui_upload_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *st)
{
	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "upload: %s", msg);
		ui_upload_abort(ui, ui_jint(st, "upload"));
		return;
	}
	json_object_set_new(st, "upload", json_integer(ui_jint(res, "upload")));
	ui_attach_step(ui, st);
}

/* Sends the next chunk of the file, then the reply that uses it. */
static void
ui_attach_step(struct ui *ui, json_t *st)
{
	unsigned char	*chunk;
	char		*b64;
	const char	*path = ui_jstr(st, "path"), *slash;
	int64_t		 off = ui_jint(st, "offset"), size = ui_jint(st, "size");
	json_t		*p;
	ssize_t		 n;
	int		 fd;

	if (off >= size) {
		slash = strrchr(path, '/');
		/* The reply it is for: an attachment, or a template's. */
		p = json_object_get(st, "reply") != NULL ? json_deep_copy(
		    json_object_get(st, "reply")) : json_pack("{sI}", "conv",
		    (json_int_t)ui_jint(st, "conv"));
		json_object_set_new(p, "upload", json_integer(ui_jint(st,
		    "upload")));
		json_object_set_new(p, "mime", json_string(ui_mime(path)));
		json_object_set_new(p, "filename", json_string(slash != NULL ?
		    slash + 1 : path));
		if (json_object_get(p, "conv") == NULL) {
			/* A new conversation's template header (N). */
			ui_call(ui, PM_CONV_START, p, ui_start_sent,
			    json_pack("{sI}", "upload", (json_int_t)ui_jint(st,
			    "upload")));
			return;
		}
		ui_call(ui, PM_REPLY, p, ui_send_cb, json_pack("{sI sb sI}",
		    "conv", (json_int_t)ui_jint(st, "conv"), "text", 0,
		    "upload", (json_int_t)ui_jint(st, "upload")));
		return;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		ui_status(ui, 1, "cannot open '%s': %s", path, strerror(errno));
		ui_upload_abort(ui, ui_jint(st, "upload"));
		return;
	}
	chunk = xmalloc(UI_CHUNK);
	n = pread(fd, chunk, UI_CHUNK, (off_t)off);
	close(fd);
	if (n <= 0) {
		free(chunk);
		ui_status(ui, 1, "cannot read '%s'", path);
		ui_upload_abort(ui, ui_jint(st, "upload"));
		return;
	}
	b64 = ui_b64(chunk, (size_t)n);
	free(chunk);
	json_object_set_new(st, "offset", json_integer(off + n));
	p = json_pack("{ss}", "data", b64);
	free(b64);
	if (ui_jint(st, "upload") != 0)
		json_object_set_new(p, "upload", json_integer(ui_jint(st,
		    "upload")));
	ui_status(ui, 0, "uploading %lld%%...", (long long)((off + n) * 100 /
	    size));
	ui_call(ui, PM_UPLOAD_CHUNK, p, ui_upload_cb, json_incref(st));
}

/* Tab at a path prompt: the shell's way, a beep when it is not one name. */
void
ui_compose_path_complete(struct ui *ui)
{
	char	*shown = NULL;
	int	 n;

	n = save_complete(ui->pr.buf, sizeof ui->pr.buf, &shown);
	free(shown);
	ui->pr.len = ui->pr.cur = strlen(ui->pr.buf);
	if (n != 1)
		beep();
	ui->dirty |= UI_D_STATUS;
}

static void	ui_attach_path_cb(struct ui *, const char *, json_t *);

static void
ui_attach_ask_path(struct ui *ui, const char *label, const char *init)
{
	ui_prompt_open(ui, label, init, ui_attach_path_cb, NULL);
	ui->pr.complete = ui_compose_path_complete;
}

static void
ui_attach_caption_cb(struct ui *ui, const char *text, json_t *arg)
{
	json_t	*reply = NULL;

	/* The conversation the file was chosen in, not where we are now. */
	if (ui_jint(arg, "conv") != ui->th.id) {
		ui_status(ui, 1, "not sent: the conversation changed");
		return;
	}
	if (*text != '\0')
		reply = json_pack("{sI ss}", "conv", (json_int_t)ui->th.id,
		    "caption", text);
	ui_attach_start(ui, ui_jstr(arg, "path"), reply);
	json_decref(reply);
}

/* A path typed at the prompt: checked here, so a slip is asked again. */
static void
ui_attach_path_cb(struct ui *ui, const char *text, json_t *arg)
{
	struct stat	 sb;
	char		*path, *label = NULL;

	(void)arg;
	if (*text == '\0' || ui->th.id == 0)
		return;
	path = save_expand(text);
	if (stat(path, &sb) != 0)
		label = xasprintf("%s: %s; attach file: ", text,
		    strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		label = xasprintf("%s is not a file; attach file: ", text);
	else if (access(path, R_OK) != 0)
		label = xasprintf("%s: cannot read it; attach file: ", text);
	else if (sb.st_size == 0 || sb.st_size > UI_ATTACH_MAX)
		label = xasprintf("%s is %s; attach file: ", text,
		    sb.st_size == 0 ? "empty" : "larger than 100 MB");
	if (label != NULL) {
		ui_attach_ask_path(ui, label, text);
		free(label);
		free(path);
		return;
	}
	/* WhatsApp takes no caption with audio. */
	if (strncmp(ui_mime(path), "audio/", 6) == 0)
		ui_attach_start(ui, path, NULL);
	else
		ui_prompt_open(ui, "caption (Enter: none): ", NULL,
		    ui_attach_caption_cb, json_pack("{ss sI}", "path", path,
		    "conv", (json_int_t)ui->th.id));
	free(path);
}

/*
 * Attaching: without a path, asks for one (Tab completes it), then for a
 * caption; with one (":attach FILE"), asks the caption only.
 */
void
ui_compose_attach(struct ui *ui, const char *path)
{
	if (ui->th.id == 0) {
		ui_status(ui, 0, "open a conversation first");
		return;
	}
	if (path == NULL || *path == '\0')
		ui_attach_ask_path(ui, "attach file (Tab completes): ", NULL);
	else
		ui_attach_path_cb(ui, path, NULL);
}

/* Uploads path in chunks, then sends reply (or an attachment) with it. */
static void
ui_attach_start(struct ui *ui, const char *path, json_t *reply)
{
	struct stat	 sb;
	json_t		*st;

	if (ui->th.id == 0 || path == NULL || *path == '\0')
		return;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		ui_status(ui, 1, "cannot attach '%s': not a readable file",
		    path);
		return;
	}
	if (sb.st_size == 0 || sb.st_size > UI_ATTACH_MAX) {
		ui_status(ui, 1, "cannot attach '%s': %s", path,
		    sb.st_size == 0 ? "empty" : "larger than 100 MB");
		return;
	}
	st = json_pack("{ss sI sI sI}", "path", path, "size",
	    (json_int_t)sb.st_size, "offset", (json_int_t)0, "conv",
	    (json_int_t)ui->th.id);
	if (reply != NULL)
		json_object_set(st, "reply", reply);
	ui_attach_step(ui, st);
	json_decref(st);
}

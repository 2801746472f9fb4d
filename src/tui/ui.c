/*
 * The full-screen client: terminal set-up and restore, the poll() loop over
 * the terminal, the daemon socket and a signal self-pipe, requests and
 * pushed events, and the frame (top bar, tabs, status line). The panes
 * live in ui-list.c, ui-thread.c and ui-compose.c.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proto-names.h"
#include "proto.h"
#include "ui.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_KEY_FOCUS_IN		(KEY_MAX + 1)
#define UI_KEY_FOCUS_OUT	(KEY_MAX + 2)
#define UI_STATUS_SECS		5

const char *ui_views[UI_NVIEWS] = {
	"open", "mine", "unassigned", "all", "snoozed", "resolved", "pending"
};

/* Signal handlers only see this; everything else hangs off struct ui. */
static volatile sig_atomic_t	ui_sig_fd = -1;
static volatile sig_atomic_t	ui_curses_on;
/* The terminal is gone: nothing to restore on it. */
static volatile sig_atomic_t	ui_tty_dead;
static volatile sig_atomic_t	ui_hup;		/* SIGHUP: the terminal went */

static void	ui_draw(struct ui *);
static void	ui_connect(struct ui *);

/* --- small helpers --- */

const char *
ui_jstr(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

int64_t
ui_jint(json_t *o, const char *key)
{
	return ((int64_t)json_integer_value(json_object_get(o, key)));
}

void
ui_fmt_time(int64_t ts, char *buf, size_t len, int with_day)
{
	struct tm	tm, now;
	time_t		t = (time_t)ts, n = time(NULL);

	if (ts <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&t, &tm);
	localtime_r(&n, &now);
	if (!with_day || (tm.tm_year == now.tm_year &&
	    tm.tm_yday == now.tm_yday))
		strftime(buf, len, "%H:%M", &tm);
	else if (tm.tm_year == now.tm_year)
		strftime(buf, len, "%d %b", &tm);
	else
		strftime(buf, len, "%Y-%m-%d", &tm);
}

void
ui_fmt_left(int64_t secs, char *buf, size_t len)
{
	if (secs <= 0)
		snprintf(buf, len, "closed");
	else if (secs >= 3600)
		snprintf(buf, len, "%lldh", (long long)(secs / 3600));
	else
		snprintf(buf, len, "%lldm", (long long)((secs + 59) / 60));
}

void
ui_status(struct ui *ui, int err, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->status, sizeof ui->status, fmt, ap);
	va_end(ap);
	ui->status_err = err;
	ui->status_until = time(NULL) + UI_STATUS_SECS;
	ui->dirty |= UI_D_STATUS;
}

static double
ui_ms_since(const struct timespec *t0)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((double)(t.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e6);
}

/* --- drawing primitives --- */

int
ui_attr(struct ui *ui, enum theme_el e)
{
	const struct theme_style	*st = &ui->theme.el[e];
	int				 a = 0;

	if (ui->colors > 0 && (st->fg != -1 || st->bg != -1))
		a |= (int)COLOR_PAIR(e + 1);
	if (st->attrs & THEME_A_BOLD)
		a |= A_BOLD;
	if (st->attrs & THEME_A_DIM)
		a |= A_DIM;
	if (st->attrs & THEME_A_UNDERLINE)
		a |= A_UNDERLINE;
	if (st->attrs & THEME_A_REVERSE)
		a |= A_REVERSE;
#ifdef A_ITALIC
	if (st->attrs & THEME_A_ITALIC)
		a |= A_ITALIC;
#endif
	return (a);
}

/*
 * Draws s at (y, x) in at most w columns and returns the columns used.
 * Each grapheme goes out in its safe form, so curses, the terminal and
 * utf8_width agree on where the next one starts.
 */
int
ui_put(struct ui *ui, int y, int x, int w, const char *s, int attr)
{
	char		 form[UTF8_GRAPHEME_MAX];
	wchar_t		 wb[UTF8_GRAPHEME_MAX];
	size_t		 len, off = 0, n, fl, i, nw;
	uint32_t	 cp;
	int		 gw, used = 0;

	if (s == NULL || w <= 0 || y < 0 || y >= ui->rows)
		return (0);
	len = strlen(s);
	attrset(attr);
	move(y, x);
	while (off < len) {
		if (s[off] == '\n' || s[off] == '\t' || s[off] == '\r') {
			if (used + 1 > w)
				break;
			addch(' ');
			used++;
			off++;
			continue;
		}
		n = utf8_grapheme(s + off, len - off, &gw);
		if (used + gw > w)
			break;
		fl = utf8_safe_form(s + off, n, ui->emoji, form);
		off += n;
		if (fl == 0)
			continue;
		for (i = 0, nw = 0; i < fl && nw < UTF8_GRAPHEME_MAX - 1; ) {
			i += utf8_decode(form + i, fl - i, &cp);
			wb[nw++] = (wchar_t)cp;
		}
		wb[nw] = 0;
		addnwstr(wb, (int)nw);
		used += gw;
		/* Pin the cursor to our count if curses disagrees. */
		move(y, x + used);
	}
	return (used);
}

void
ui_fill(struct ui *ui, int y, int x, int w, int attr)
{
	if (w <= 0 || y < 0 || y >= ui->rows)
		return;
	attrset(attr);
	mvhline(y, x, ' ', w);
}

/* --- layout --- */

static int
ui_rows_thread(struct ui *ui)
{
	if (ui->th.id == 0)
		return (!ui->narrow);
	return (!ui->narrow || ui->focus != UI_LIST);
}

static int
ui_rows_list(struct ui *ui)
{
	return (!ui->narrow || ui->focus == UI_LIST || ui->th.id == 0);
}

void
ui_layout(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS;
	ui->narrow = ui->cols < UI_NARROW;
	ui->list_w = ui->cols * 36 / 100;
	if (ui->list_w < 30)
		ui->list_w = 30;
	if (ui->list_w > 56)
		ui->list_w = 56;
	/*
	 * A wide terminal gives the list room for labels, team, waiting
	 * time and assignee on each row; the thread keeps 100 columns.
	 */
	if (ui->cols >= 160)
		ui->list_w = ui->cols - 100 > ui->cols / 2 ? ui->cols / 2 :
		    ui->cols - 100;
	if (ui->narrow)
		ui->list_w = ui->cols;
	ui->th.laid = 0;
	ui->dirty = UI_D_ALL;
}

static int
ui_body_bottom(struct ui *ui)
{
	int	h = 0;

	if ((ui->th.id != 0 && ui_rows_thread(ui)) ||
	    ui_compose_previewing(ui))
		h = ui_compose_height(ui);
	return (ui->rows - 1 - h);	/* first row below the panes */
}

void
ui_list_area(struct ui *ui, int *y, int *x, int *h, int *w)
{
	*y = 2;
	*x = 0;
	*h = (ui->narrow ? ui->rows - 1 : ui_body_bottom(ui)) - 2;
	*w = ui->narrow ? ui->cols : ui->list_w;
}

void
ui_thread_area(struct ui *ui, int *y, int *x, int *h, int *w)
{
	*y = 2;
	*x = ui->narrow ? 0 : ui->list_w + 1;
	*h = ui_body_bottom(ui) - 2;
	*w = ui->cols - *x;
}

void
ui_compose_area(struct ui *ui, int *y, int *x, int *h, int *w)
{
	*h = ui_compose_height(ui);
	*y = ui->rows - 1 - *h;
	*x = 0;
	*w = ui->cols;
}

void
ui_set_focus(struct ui *ui, enum ui_focus f)
{
	if (f != UI_LIST && ui->th.id == 0) {
		ui_status(ui, 0, "open a conversation first (Enter)");
		return;
	}
	if (ui->focus != f) {
		ui->focus = f;
		ui->dirty = UI_D_ALL;
		ui->th.laid = 0;
	}
}

/* --- requests --- */

/* A request sent and not yet answered (ui_call made it). */
void
ui_pending_free(struct ui_pending *p)
{
	if (p == NULL)
		return;
	json_decref(p->arg);
	json_decref(p->params);
	free(p->method);
	free(p);
}

int64_t
ui_call(struct ui *ui, const char *method, json_t *params, ui_reply_cb cb,
    json_t *arg)
{
	struct ui_pending	*p;
	int64_t			 id;

	if (params == NULL)
		params = json_object();
	if (ui->c.fd <= 0 || (!ui->connected &&
	    strcmp(method, PM_HELLO) != 0)) {
		json_decref(params);
		if (cb != NULL)
			cb(ui, NULL, "disconnected", "not connected to the "
			    "daemon; reconnecting", arg);
		json_decref(arg);
		return (-1);
	}
	ui_purpose_fill(ui, method, params);
	ui_mention_fill(ui, method, params);
	json_incref(params);
	if ((id = client_send(&ui->c, method, params)) == -1) {
		json_decref(params);
		if (cb != NULL)
			cb(ui, NULL, "disconnected", "lost the connection to "
			    "the daemon", arg);
		json_decref(arg);
		return (-1);
	}
	p = xcalloc(1, sizeof *p);
	p->id = id;
	p->cb = cb;
	p->arg = arg;
	p->method = xstrdup(method);
	p->params = params;
	p->next = ui->pending;
	ui->pending = p;
	return (id);
}

static void
ui_fail_pending(struct ui *ui)
{
	struct ui_pending	*p;

	while ((p = ui->pending) != NULL) {
		ui->pending = p->next;
		if (p->cb != NULL)
			p->cb(ui, NULL, "disconnected", "lost the connection "
			    "to the daemon", p->arg);
		ui_pending_free(p);
	}
	ui_purpose_fail(ui);
}

static void
ui_disconnect(struct ui *ui)
{
	if (ui->c.fd > 0)
		client_close(&ui->c);
	ui->c.fd = -1;
	ui->connected = ui->connecting = 0;
	ui->retry_at = time(NULL) + 1;
	ui->list.loading = ui->th.loading = 0;
	ui_fail_pending(ui);
	ui->dirty |= UI_D_TOP;
}

static void
ui_counts_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code; (void)msg; (void)arg;
	if (res == NULL)
		return;	/* an older daemon: the tabs go without counts */
	json_decref(ui->counts);
	ui->counts = json_incref(res);
	ui->dirty |= UI_D_TOP;
}

void
ui_refresh_counts(struct ui *ui)
{
	ui_call(ui, PM_CONV_COUNTS, NULL, ui_counts_cb, NULL);
}

static void
ui_status_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	json_t	*a;
	size_t	 i;

	(void)code; (void)msg; (void)arg;
	if (res == NULL)
		return;
	free(ui->team);
	free(ui->number);
	ui->team = json_is_string(json_object_get(json_object_get(res, "me"),
	    "team")) ? xstrdup(ui_jstr(json_object_get(res, "me"), "team")) :
	    NULL;
	ui->number = json_is_string(json_object_get(res, "number")) ?
	    xstrdup(ui_jstr(res, "number")) : NULL;
	ui->number_provisional = strcmp(ui_jstr(res, "number_from"),
	    "config") == 0;
	ui_away_status(ui, json_object_get(res, "me"));
	ui->dirty |= UI_D_TOP;
	/*
	 * The banner is what the daemon has now: read again at every
	 * (re)connect, so one from before a restart does not stay up.
	 */
	free(ui->alarm);
	ui->alarm = NULL;
	json_array_foreach(json_object_get(res, "alarms"), i, a) {
		free(ui->alarm);
		ui->alarm = xasprintf("%s%s", ui_jstr(a, "kind"),
		    strcmp(ui_jstr(a, "kind"), "token") == 0 ?
		    " expired" : "");
	}
	ui_hours_fetch(ui);	/* the team is known now */
}

static void
ui_hello_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code; (void)arg;
	ui->connecting = 0;
	if (res == NULL) {
		ui_status(ui, 1, "daemon: %s", msg);
		ui_disconnect(ui);
		ui->retry_at = time(NULL) + 5;
		return;
	}
	ui->connected = 1;
	json_decref(ui->hello);
	ui->hello = json_incref(res);
	free(ui->me);
	ui->me = xstrdup(ui_jstr(res, "user"));
	ui->dirty = UI_D_ALL;
	/*
	 * The daemon answers in order: the rows first, so the first screen
	 * does not wait for the counts over every conversation (status
	 * counts them too). Subscribed before, so no change between the
	 * list and the events is missed.
	 */
	ui_call(ui, PM_SUBSCRIBE, NULL, NULL, NULL);
	ui_list_fetch(ui, 0);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
	ui_refresh_counts(ui);
	ui_call(ui, PM_STATUS, NULL, ui_status_cb, NULL);
	ui_mention_hello(ui);
	ui_campaign_hello(ui);
	ui_floor_hello(ui);
}

/* Non-blocking connect and hello: a stuck daemon never freezes the keys. */
static void
ui_connect(struct ui *ui)
{
	struct sockaddr_un	 sun;
	json_t			*params;

	ui->retry_at = time(NULL) + 2;
	memset(&ui->c, 0, sizeof ui->c);
	buf_init(&ui->c.in, PROTO_FRAME_MAX + 65536);
	ui->c.events = json_array();
	ui->c.path = xstrdup(ui->socket_path);
	ui->c.fd = -1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(ui->socket_path) >= sizeof sun.sun_path)
		goto fail;
	memcpy(sun.sun_path, ui->socket_path, strlen(ui->socket_path));
	ui->c.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (ui->c.fd == -1 || (connect(ui->c.fd, (struct sockaddr *)&sun,
	    sizeof sun) != 0 && errno != EINPROGRESS && errno != EAGAIN))
		goto fail;
	ui->connecting = 1;
	params = client_hello_params();
	ui_call(ui, PM_HELLO, params, ui_hello_cb, NULL);
	return;
fail:
	if (ui->c.fd != -1)
		close(ui->c.fd);
	buf_release(&ui->c.in);
	json_decref(ui->c.events);
	free(ui->c.path);
	memset(&ui->c, 0, sizeof ui->c);
	ui->c.fd = -1;
	ui->dirty |= UI_D_TOP;
}

/* --- events --- */

void
ui_notify(struct ui *ui, const char *what)
{
	if (ui->term_focused || ui->conf.bell == 0)
		return;
	if (ui->conf.bell == 2) {
		/* OSC 777: a desktop notification, also over SSH. */
		printf("\033]777;notify;support-inbox;%s\007", what);
		fflush(stdout);
	} else
		beep();
}

/*
 * "typing" lasts as the daemon's does (PROTO_TYPING_SECS after the last
 * report; a typist reports every PROTO_TYPING_EVERY seconds while the
 * draft changes): then the colleague is viewing. Without this a colleague
 * who stopped typing, or whose client never said so, showed "typing"
 * until they left the conversation.
 */
static void
ui_presence_expire(struct ui *ui)
{
	const char	*conv, *who;
	json_t		*m, *v;
	time_t		 now = time(NULL);

	json_object_foreach(ui->presence, conv, m) {
		json_object_foreach(m, who, v) {
			if (strcmp(json_string_value(v), "typing") != 0 ||
			    now - (time_t)ui_jint(ui->typing_at, who) <
			    PROTO_TYPING_SECS)
				continue;
			json_object_set_new(m, who, json_string("viewing"));
			ui->dirty |= UI_D_LIST | UI_D_THREAD;
			ui->th.laid = 0;
		}
	}
}

static void
ui_presence(struct ui *ui, json_t *d)
{
	const char	*by = ui_jstr(d, "by");
	char		 key[32];
	json_t		*m;
	const char	*k;
	json_t		*v, *tmp;

	if (ui->me != NULL && strcmp(by, ui->me) == 0)
		return;
	/* An agent is in one place at a time: drop them elsewhere. */
	json_object_foreach_safe(ui->presence, tmp, k, v)
		json_object_del(v, by);
	(void)tmp;
	if (json_is_true(json_object_get(d, "viewing")) ||
	    json_is_true(json_object_get(d, "typing"))) {
		snprintf(key, sizeof key, "%lld",
		    (long long)ui_jint(d, "conversation"));
		if ((m = json_object_get(ui->presence, key)) == NULL) {
			m = json_object();
			json_object_set_new(ui->presence, key, m);
		}
		json_object_set_new(m, by, json_string(json_is_true(
		    json_object_get(d, "typing")) ? "typing" : "viewing"));
		if (json_is_true(json_object_get(d, "typing")))
			json_object_set_new(ui->typing_at, by,
			    json_integer((json_int_t)time(NULL)));
	}
	ui->dirty |= UI_D_LIST | UI_D_THREAD;
	ui->th.laid = 0;
}

/*
 * A reply did not go (a status webhook, or the outbox giving up): the
 * count, the row and an open thread follow at once, and the agent it
 * concerns (who sent it, whose conversation it is, who has it open) reads
 * why on the status line. The name is the one this screen already shows.
 */
static void
ui_event_failed(struct ui *ui, json_t *d, int64_t conv)
{
	json_t		*row = ui_list_find(ui, conv);
	const char	*name = NULL;
	int64_t		 code;
	int		 mine;

	ui_list_event(ui, d);
	ui_refresh_counts(ui);
	code = json_object_get(d, "error_code") != NULL ?
	    ui_jint(d, "error_code") : ui_jint(d, "code");
	mine = ui->me != NULL && (strcmp(ui_jstr(d, "agent"), ui->me) == 0 ||
	    (row != NULL && strcmp(ui_jstr(row, "assignee"), ui->me) == 0));
	if (conv == 0 || (conv != ui->th.id && !mine))
		return;
	if (conv == ui->th.id && ui->th.conv != NULL)
		name = ui_jstr(ui->th.conv, "name");
	else if (row != NULL)
		name = ui_jstr(row, "name");
	if (name != NULL && *name != '\0')
		ui_status(ui, 1, "not delivered to %s (%lld): %s", name,
		    (long long)code, ui_jstr(d, "explain"));
	else
		ui_status(ui, 1, "not delivered in conversation %lld (%lld): "
		    "%s", (long long)conv, (long long)code,
		    ui_jstr(d, "explain"));
	ui_notify(ui, "not delivered");
}

static void
ui_event(struct ui *ui, json_t *j)
{
	const char	*ev = ui_jstr(j, "event");
	json_t		*d = json_object_get(j, "data"), *row;
	int64_t		 conv = ui_jint(d, "conversation");
	const char	*cs;

	if (ui_handover_event(ui, ev, d))
		return;
	if (ui_macro_event(ui, ev, d))
		return;
	ui_mention_event(ui, ev);
	ui_hours_event(ui, ev);
	ui_away_event(ui, ev, d);
	ui_campaign_event(ui, ev, d);
	ui_floor_event(ui, ev);
	if (strcmp(ev, PEV_MESSAGE) == 0) {
		ui_list_event(ui, d);
		ui_refresh_counts(ui);
		/* The daemon learns our number from the first webhook; until
		 * then it gives the configured one (number_from). */
		if (ui->number == NULL || ui->number_provisional)
			ui_call(ui, PM_STATUS, NULL, ui_status_cb, NULL);
		if (conv == ui->th.id)
			ui_thread_fetch(ui);
		if (strcmp(ui_jstr(d, "direction"), "in") == 0) {
			row = ui_list_find(ui, conv);
			/* What ingest says (store_conv_for_inbound). */
			cs = ui_jstr(d, "conversation_state");
			if (strcmp(cs, "created") == 0 ||
			    strcmp(cs, "new-after-resolved") == 0)
				ui_notify(ui, "new conversation");
			else if (row != NULL && ui->me != NULL && strcmp(
			    ui_jstr(row, "assignee"), ui->me) == 0)
				ui_notify(ui, "new message");
		}
	} else if (strcmp(ev, PEV_STATUS) == 0 || strcmp(ev, PEV_MEDIA) == 0) {
		if (ui->th.id != 0 && (conv == 0 || conv == ui->th.id))
			ui_thread_fetch(ui);
		if (strcmp(ui_jstr(d, "state"), "failed") == 0)
			ui_event_failed(ui, d, conv);
	} else if (strcmp(ev, PEV_OUTBOX) == 0) {
		/* A reply changes its row: who wrote last, the waiting time. */
		if (conv != 0)
			ui_list_event(ui, d);
		if (conv != 0 && conv == ui->th.id)
			ui_thread_fetch(ui);
		cs = ui_jstr(d, "state");
		if (strcmp(cs, "failed") == 0)
			ui_event_failed(ui, d, conv);
		else if (strcmp(cs, "queued") == 0 ||
		    strcmp(cs, "unknown") == 0) {
			/* A re-send clears the mark; a doubt is news. */
			ui_refresh_counts(ui);
		}
	} else if (strcmp(ev, PEV_MENTION) == 0) {
		/* Sent to us alone: someone's note names us. */
		ui_status(ui, 1, "%s mentioned you in a note on conversation "
		    "%lld (:open %lld)", ui_jstr(d, "by"), (long long)conv,
		    (long long)conv);
		ui_notify(ui, "mention");
		if (conv == ui->th.id)
			ui_thread_fetch(ui);
	} else if (strcmp(ev, PEV_PRESENCE) == 0)
		ui_presence(ui, d);
	else if (strcmp(ev, PEV_ALARM) == 0) {
		free(ui->alarm);
		ui->alarm = xasprintf("%s%s", ui_jstr(d, "kind"),
		    strcmp(ui_jstr(d, "kind"), "token") == 0 ?
		    " expired" : "");
		ui_status(ui, 1, "%s", ui_jstr(d, "message"));
		ui->dirty |= UI_D_TOP;
	} else if (strcmp(ev, PEV_ALARM_CLEARED) == 0) {
		/* Another alarm may still stand: ask what is up now. */
		ui_status(ui, 0, "%s alarm cleared", ui_jstr(d, "kind"));
		ui_call(ui, PM_STATUS, NULL, ui_status_cb, NULL);
	} else if (strcmp(ev, PEV_ASSIGNMENT) == 0 ||
	    strcmp(ev, PEV_STATE) == 0 || strcmp(ev, PEV_LABEL) == 0 ||
	    strcmp(ev, PEV_NOTE) == 0 ||
	    strcmp(ev, PEV_SLA_BREACHED) == 0) {	/* issue 19 */
		if (strcmp(ev, PEV_ASSIGNMENT) == 0)
			ui_guard_assignment(ui, d);
		ui_list_event(ui, d);
		ui_refresh_counts(ui);
		if (conv != 0 && conv == ui->th.id)
			ui_thread_fetch(ui);
	} else if (strcmp(ev, PEV_CONTACT_MERGED) == 0 ||
	    strcmp(ev, PEV_CONTACT_BLOCKED) == 0) {
		/* A contact's rows changed name or mark: all may show it. */
		ui_list_fetch(ui, 0);
		if (ui->th.id != 0)
			ui_thread_fetch(ui);
	}
}

static void
ui_frame(struct ui *ui, json_t *j)
{
	struct ui_pending	**pp, *p;
	json_t			 *err;
	int64_t			  id;

	if (json_object_get(j, "event") != NULL) {
		ui_event(ui, j);
		return;
	}
	id = ui_jint(j, "id");
	for (pp = &ui->pending; (p = *pp) != NULL; pp = &p->next) {
		if (p->id == id)
			break;
	}
	if (p == NULL)
		return;
	*pp = p->next;
	err = json_object_get(j, "error");
	if (err != NULL && strcmp(ui_jstr(err, "code"), PE_PURPOSE_REQUIRED) ==
	    0 && ui_purpose_ask(ui, p, ui_jstr(err, "message")))
		return;		/* asked again once a purpose is given */
	if (p->cb != NULL) {
		if (err != NULL)
			p->cb(ui, NULL, ui_jstr(err, "code")[0] != '\0' ?
			    ui_jstr(err, "code") : PE_ERROR,
			    ui_jstr(err, "message")[0] != '\0' ?
			    ui_jstr(err, "message") : "request failed", p->arg);
		else
			p->cb(ui, json_object_get(j, "result"), NULL, NULL,
			    p->arg);
	}
	ui_pending_free(p);
}

static void
ui_socket_read(struct ui *ui)
{
	json_t	*j;
	int	 rc;

	rc = client_read(&ui->c);
	while ((j = client_next(&ui->c)) != NULL) {
		ui_frame(ui, j);
		json_decref(j);
	}
	while ((j = client_next_event(&ui->c)) != NULL) {
		ui_event(ui, j);
		json_decref(j);
	}
	if (rc != 0) {
		ui_disconnect(ui);
		ui_status(ui, 1, "lost the connection to the daemon; "
		    "reconnecting");
	}
}

/* --- the frame --- */

/*
 * The top bar, in as many columns as there are: the parts that matter least
 * go first (the clock, the team, the number shortened then gone, the
 * daemon's state in short), so the counts of Unassigned and Failed stay.
 */
int
ui_numbers_many(struct ui *ui)
{
	return (json_array_size(json_object_get(ui->hello, "numbers")) > 1);
}

/*
 * With several business numbers the top bar names them by label (the
 * display number of the last webhook would be one of them only).
 */
static void
ui_top_numbers(struct ui *ui, char *buf, size_t len)
{
	json_t	*v;
	size_t	 i;

	snprintf(buf, len, " |");
	json_array_foreach(json_object_get(ui->hello, "numbers"), i, v) {
		if (strlen(buf) + json_string_length(v) + 2 >= len)
			break;
		snprintf(buf + strlen(buf), len - strlen(buf), " %s",
		    json_string_value(v));
	}
}

static void
ui_top_draw(struct ui *ui)
{
	char		 right[96], clock[16], buf[256], num[32];
	const char	*state;
	int		 a = ui_attr(ui, TH_TOP), x, rw, lvl, aw;
	time_t		 now = time(NULL);
	struct tm	 tm;
	size_t		 n;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M", &tm);
	ui_fill(ui, 0, 0, ui->cols, a);
	if (ui->connected)
		state = "ok";
	else if (ui->connecting)
		state = "connecting";
	else
		state = "down";
	aw = ui->alarm != NULL ? utf8_width(ui->alarm) + 5 : 0;
	for (lvl = 0; lvl < 7; lvl++) {
		/* support-inbox | +15550783881 | lena (billing) | Mine 2 ... */
		num[0] = '\0';
		if (ui_numbers_many(ui) && lvl < 5)
			ui_top_numbers(ui, num, sizeof num);
		else if (ui_numbers_many(ui))
			;
		else if (ui->number != NULL && lvl < 3)
			snprintf(num, sizeof num, " | +%s", ui->number);
		else if (ui->number != NULL && lvl < 5 &&
		    (n = strlen(ui->number)) > 4)
			snprintf(num, sizeof num, " | ..%s", ui->number +
			    n - 4);
		snprintf(buf, sizeof buf, " %s%s%s%s%s%s%s",
		    lvl < 5 ? "support-inbox" : "si", num,
		    ui->me != NULL && lvl < 6 ? " | " : "",
		    ui->me != NULL && lvl < 6 ? ui->me : "",
		    ui->team != NULL && lvl < 2 ? " (" : "",
		    ui->team != NULL && lvl < 2 ? ui->team : "",
		    ui->team != NULL && lvl < 2 ? ")" : "");
		ui_away_cue(ui, lvl < 3, buf + strlen(buf), sizeof buf -
		    strlen(buf));
		if (ui->hours_cue != NULL)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    " | %s", lvl < 3 ? ui->hours_cue : "closed");
		if (ui->counts != NULL && lvl < 6)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    " | Mine %lld", (long long)ui_jint(ui->counts,
			    "mine"));
		if (ui->counts != NULL)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    " | Unassigned %lld | Failed %lld",
			    (long long)ui_jint(ui->counts, "unassigned"),
			    (long long)ui_jint(ui->counts, "failed"));
		if (ui->mentions_unseen > 0)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    " | @%lld", (long long)ui->mentions_unseen);
		if (lvl < 1)
			snprintf(right, sizeof right, "[daemon: %s] %s ",
			    state, clock);
		else if (lvl < 4)
			snprintf(right, sizeof right, "[daemon: %s] ", state);
		else
			snprintf(right, sizeof right, "[%s] ", state);
		if (utf8_width(buf) + aw + utf8_width(right) + 1 <= ui->cols)
			break;
	}
	rw = utf8_width(right);
	x = ui_put(ui, 0, 0, ui->cols - rw - 1, buf, a);
	if (ui->alarm != NULL) {
		snprintf(buf, sizeof buf, " ! %s ", ui->alarm);
		ui_put(ui, 0, x + 1, ui->cols - rw - x - 2, buf,
		    ui_attr(ui, TH_TOP_ALARM));
	}
	ui_put(ui, 0, ui->cols - rw, rw, right, ui->connected ? a :
	    ui_attr(ui, TH_TOP_ALARM));
}

static const char *
ui_ctx_hint(struct ui *ui)
{
	if (ui->focus == UI_COMPOSE)
		return (ui_thread_window_open(ui) ?
		    "Enter:send C-j:newline M-e:editor /:canned Esc:leave" :
		    "window closed: Enter/C-t:template Esc:leave");
	if (ui->focus == UI_THREAD)
		return ("r:reply R:quote a:claim x:resolve i:info q:back "
		    "?:help");
	return ("Enter:open a:claim r:reply x:resolve s:snooze /:search "
	    "?:help");
}

static void
ui_status_draw(struct ui *ui)
{
	char		 left[128];
	const char	*mode, *hint;
	int		 y = ui->rows - 1, a = ui_attr(ui, TH_STATUS), x, hw;

	if (ui->pr.active) {
		ui_prompt_draw(ui);
		return;
	}
	ui_fill(ui, y, 0, ui->cols, a);
	mode = ui->focus == UI_LIST ? "LIST" : ui->focus == UI_THREAD ?
	    "THREAD" : "COMPOSE";
	snprintf(left, sizeof left, " %s %d/%zu%s %s", mode,
	    json_array_size(ui->list.rows) > 0 ? ui->list.sel + 1 : 0,
	    json_array_size(ui->list.rows), ui->list.more ? "+" : "",
	    ui->list.search ? "search" : ui_list_view_name(ui));
	if (json_object_size(ui->list.marked) > 0)
		snprintf(left + strlen(left), sizeof left - strlen(left),
		    " marked:%zu", json_object_size(ui->list.marked));
	x = ui_put(ui, y, 0, ui->cols, left, a);
	if (ui->status[0] != '\0' && time(NULL) < ui->status_until) {
		ui_put(ui, y, x + 2, ui->cols - x - 2, ui->status,
		    ui->status_err ? ui_attr(ui, TH_STATUS_ERROR) : a);
		return;
	}
	hint = ui_ctx_hint(ui);
	hw = utf8_width(hint);
	if (x + 2 + hw < ui->cols)
		ui_put(ui, y, ui->cols - hw - 1, hw, hint, a);
	else
		ui_put(ui, y, x + 2, ui->cols - x - 2, hint, a);
}

static void
ui_draw(struct ui *ui)
{
	int	y, x, h, w, i;

	if (ui->dirty == 0)
		return;
	if (ui->too_small) {
		attrset(A_NORMAL);
		erase();
		mvaddstr(0, 0, "support-inbox needs at least");
		mvprintw(1, 0, "%dx%d; this is %dx%d.", UI_MIN_COLS,
		    UI_MIN_ROWS, ui->cols, ui->rows);
		mvaddstr(2, 0, "Enlarge the window.");
		ui->dirty = 0;
		return;
	}
	if (ui->dirty & UI_D_TOP) {
		ui_top_draw(ui);
		ui_tabs_draw(ui);
	}
	if (ui->help) {
		ui_help_draw(ui);
		ui->dirty = 0;
		ui_status_draw(ui);
		curs_set(0);
		return;
	}
	if (ui_cover_on(ui)) {
		/* A view covers the panes; its prompts show. */
		ui_cover_draw(ui);
		ui_status_draw(ui);
		if (ui->pick.active)
			ui_picker_draw(ui);
		ui->dirty = 0;
		curs_set(ui->pr.active ? 1 : 0);
		if (ui->pr.active)
			ui_prompt_draw(ui);
		return;
	}
	if ((ui->dirty & UI_D_LIST) && ui_rows_list(ui))
		ui_list_draw(ui);
	else if ((ui->dirty & UI_D_SEL) && ui_rows_list(ui))
		ui_list_draw_sel(ui);
	if (!ui->narrow && (ui->dirty & (UI_D_LIST | UI_D_THREAD))) {
		ui_thread_area(ui, &y, &x, &h, &w);
		for (i = 0; i < h; i++)
			ui_put(ui, y + i, x - 1, 1, ui->ascii ? "|" :
			    "\xe2\x94\x82", ui_attr(ui, TH_BORDER));
	}
	if ((ui->dirty & UI_D_THREAD) && ui_rows_thread(ui))
		ui_thread_draw(ui);
	if ((ui->dirty & UI_D_COMPOSE) && ((ui->th.id != 0 &&
	    ui_rows_thread(ui)) || ui_compose_previewing(ui)))
		ui_compose_draw(ui);
	ui_status_draw(ui);
	if (ui->pick.active)
		ui_picker_draw(ui);
	ui->dirty = 0;
	/* The cursor shows where typing goes, and only there. */
	if (ui->pr.active) {
		curs_set(1);
		ui_prompt_draw(ui);
	} else if (ui->focus == UI_COMPOSE && !ui->pick.active) {
		curs_set(1);
		ui_compose_draw(ui);
	} else
		curs_set(0);
}

/* --- the terminal --- */

static void
ui_sig_wake(int sig)
{
	char	c = sig == SIGWINCH ? 'w' : sig == SIGTSTP ? 'z' : 'q';
	int	saved = errno;

	if (sig == SIGHUP)
		ui_hup = 1;

	if (ui_sig_fd != -1)
		(void)!write(ui_sig_fd, &c, 1);
	errno = saved;
}

static void
ui_term_restore(void)
{
	struct sigaction	sa;

	if (!ui_curses_on)
		return;
	ui_curses_on = 0;
	/* A hung-up terminal: endwin could only fail on it. */
	if (ui_tty_dead)
		return;
	/*
	 * Put back even from a background process group: SIGTTOU would stop
	 * the client here, on its way out, for good.
	 */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTTOU, &sa, NULL);
	(void)!write(STDOUT_FILENO, "\033[?1004l", 8);
	endwin();
}

/* A crash still hands back a working terminal, then dies as it would. */
static void
ui_sig_crash(int sig)
{
	ui_term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void
ui_suspend_curses(struct ui *ui)
{
	(void)ui;
	printf("\033[?1004l");
	fflush(stdout);
	def_prog_mode();
	endwin();
	ui_curses_on = 0;
}

void
ui_resume_curses(struct ui *ui)
{
	reset_prog_mode();
	ui_curses_on = 1;
	printf("\033[?1004h");
	fflush(stdout);
	clearok(curscr, TRUE);
	ui_layout(ui);
	refresh();
}

static int
ui_term_open(struct ui *ui)
{
	static const char	*fallback[] = { "xterm-256color", "xterm",
				    "vt100" };
	const char		*term = getenv("TERM");
	char			*was;
	const char		*used = NULL;
	size_t			 i;
	SCREEN			*scr = NULL;

	if (term != NULL && *term != '\0')
		scr = newterm(term, stdout, stdin);
	if (scr == NULL) {
		/* An unknown TERM over SSH: fall back instead of dying. */
		was = xstrdup(term != NULL ? term : "");
		for (i = 0; i < sizeof fallback / sizeof fallback[0]; i++) {
			if ((scr = newterm(fallback[i], stdout, stdin)) != NULL) {
				used = fallback[i];
				break;
			}
		}
		if (scr == NULL || used == NULL) {
			fprintf(stderr, "support-inbox: no usable terminal "
			    "description for TERM '%s'\n", was);
			free(was);
			return (-1);
		}
		fprintf(stderr, "support-inbox: unknown TERM '%s'; using "
		    "'%s' (install ncurses-term on this host)\n", was, used);
		setenv("TERM", used, 1);
		free(was);
	}
	set_term(scr);
	ui_curses_on = 1;
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	nodelay(stdscr, TRUE);
	/*
	 * A frame goes out whole, in one write: the main loop has read every
	 * waiting key before it draws, and ncurses' own check for typed-ahead
	 * keys would poll the terminal and flush between lines (seven writes
	 * and five polls for one `j`).
	 */
	typeahead(-1);
	curs_set(0);
	ui->colors = 0;
	if (has_colors() && getenv("NO_COLOR") == NULL) {
		start_color();
		use_default_colors();
		ui->colors = COLORS;
	}
	define_key("\033[I", UI_KEY_FOCUS_IN);
	define_key("\033[O", UI_KEY_FOCUS_OUT);
	printf("\033[?1004h");
	fflush(stdout);
	return (0);
}

void
ui_apply_theme(struct ui *ui)
{
	const struct theme_style	*st;
	int				 i;

	if (ui->colors <= 0)
		return;
	for (i = 0; i < TH_COUNT; i++) {
		st = &ui->theme.el[i];
		init_pair((short)(i + 1), (short)theme_reduce(st->fg,
		    ui->colors), (short)theme_reduce(st->bg, ui->colors));
	}
	ui->dirty = UI_D_ALL;
}

static void
ui_signals(struct ui *ui)
{
	struct sigaction	sa;
	int			crash[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL,
				    SIGABRT };
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = ui_sig_wake;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = ui_sig_crash;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
	ui_sig_fd = ui->wake_fd[1];
}

static void
ui_resize(struct ui *ui)
{
	struct winsize	ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_layout(ui);
	clear();
}

void
ui_suspend(struct ui *ui)
{
	struct sigaction	sa, old;

	ui_suspend_curses(ui);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	kill(getpid(), SIGTSTP);
	/* Here again after SIGCONT. */
	sigaction(SIGTSTP, &old, NULL);
	ui_resume_curses(ui);
}

/* --- keys --- */

static void
ui_key(struct ui *ui, int code, wint_t ch, int meta)
{
	char		 name[KEYS_SEQ_MAX], seq[KEYS_SEQ_MAX];
	const char	*cmd;
	enum keys_ctx	 ctx;
	int		 prefix, gprefix;

	if (code && ch == UI_KEY_FOCUS_IN) {
		ui->term_focused = 1;
		return;
	}
	if (code && ch == UI_KEY_FOCUS_OUT) {
		ui->term_focused = 0;
		return;
	}
	if (code && ch == KEY_RESIZE) {
		/* resizeterm already ran (it queues this key): reflow only. */
		ui_layout(ui);
		return;
	}
	if (keys_name(code, ch, meta, name) != 0)
		return;
	if (ui->help) {
		ui_help_key(ui, name);
		return;
	}
	if (ui->pick.active) {
		ui_picker_key(ui, name, ch, code);
		return;
	}
	if (ui->pr.active) {
		ui_prompt_key(ui, name, ch, code);
		return;
	}
	if (ui_cover_key(ui, name))
		return;
	if (ui_panel_key(ui, name))
		return;
	if (snprintf(seq, sizeof seq, "%s%s", ui->seq, name) >=
	    (int)sizeof seq)
		snprintf(seq, sizeof seq, "%s", name);
	ctx = ui->focus == UI_LIST ? KEYS_LIST : ui->focus == UI_THREAD ?
	    KEYS_THREAD : KEYS_COMPOSE;
	cmd = keys_lookup(&ui->keys, ctx, seq, &prefix);
	if (ctx == KEYS_COMPOSE) {
		/* Typing wins over global keys; only chords reach them. */
		if (cmd == NULL && !prefix && ui->seq[0] == '\0' &&
		    (name[0] != '<' || strcmp(name, "<Space>") == 0 ||
		    strcmp(name, "<") == 0)) {
			ui_compose_key(ui, name, ch, code);
			return;
		}
		if (cmd == NULL && !prefix && (strncmp(seq, "<C-", 3) == 0 ||
		    strncmp(seq, "<F", 2) == 0))
			cmd = keys_lookup(&ui->keys, KEYS_GLOBAL, seq,
			    &gprefix);
	} else if (cmd == NULL) {
		cmd = keys_lookup(&ui->keys, KEYS_GLOBAL, seq, &gprefix);
		prefix |= gprefix;
	}
	if (cmd == NULL && prefix) {
		snprintf(ui->seq, sizeof ui->seq, "%s", seq);
		return;
	}
	ui->seq[0] = '\0';
	if (cmd == NULL) {
		if (ctx != KEYS_COMPOSE)
			ui_status(ui, 0, "%s is not bound; ? lists the keys",
			    seq);
		return;
	}
	ui_command_run(ui, cmd);
}

/* Every key waiting; how many there were. */
static int
ui_read_keys(struct ui *ui)
{
	wint_t	ch, ch2;
	int	r, r2, n = 0;

	while ((r = get_wch(&ch)) != ERR) {
		n++;
		clock_gettime(CLOCK_MONOTONIC, &ui->t_key);
		ui->t_key_ch = ch;
		if (r == OK && ch == 27) {
			/* Esc then a key at once: Alt/Meta. */
			r2 = get_wch(&ch2);
			if (r2 != ERR) {
				ui_key(ui, r2 == KEY_CODE_YES, ch2, 1);
				continue;
			}
		}
		ui_key(ui, r == KEY_CODE_YES, ch, 0);
		if (!ui->running)
			break;
	}
	return (n);
}

/* --- losing the terminal --- */

/*
 * The terminal can go away under the client: an SSH drop, a closed window,
 * a killed tmux. The kernel sends SIGHUP only to the session leader and to
 * the foreground process group, so a client in any other group never hears
 * of it, and its terminal then polls readable (and hung up) forever. So the
 * loop watches the terminal itself: a hang-up or error poll() reports, input
 * that polls readable but gives nothing (end of file, a read error), or a
 * terminal that answered tcgetattr at start and no longer does (a hung-up
 * one answers EIO) all end the client as SIGHUP does.
 */
static void
ui_tty_gone(struct ui *ui)
{
	struct termios	t;

	ui->tty_lost = 1;
	ui->running = 0;
	if (!ui->tty_out || tcgetattr(STDOUT_FILENO, &t) == -1)
		ui_tty_dead = 1;
}

/* Checked on every wake-up (at least once a second). */
static void
ui_tty_check(struct ui *ui)
{
	struct termios	t;

	if ((ui->tty_in && tcgetattr(STDIN_FILENO, &t) == -1 &&
	    errno != EINTR) || (ui->tty_out &&
	    tcgetattr(STDOUT_FILENO, &t) == -1 && errno != EINTR))
		ui_tty_gone(ui);
}

/* stdin polled readable, yet no key came. */
static void
ui_tty_nothing(struct ui *ui)
{
	struct termios	t;

	/* Not a terminal (at end of file), or a hung-up one. */
	if (tcgetattr(STDIN_FILENO, &t) == -1) {
		ui_tty_gone(ui);
		return;
	}
	/*
	 * A live terminal that cannot be read now: from a background group
	 * that ignores SIGTTIN, or an orphaned one, reads fail with EIO. Look
	 * again in a second instead of spinning on it.
	 */
	ui->tty_quiet = 1;
	clock_gettime(CLOCK_MONOTONIC, &ui->t_quiet);
}

/* --- start and loop --- */

static void
ui_trace_rss(struct ui *ui)
{
	FILE	*f;
	char	 line[128];

	if (ui->trace == NULL || (f = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "VmHWM:", 6) == 0)
			fprintf(ui->trace, "rss_kb %lld\n",
			    strtoll(line + 6, NULL, 10));
	}
	fclose(f);
}

static void
ui_free(struct ui *ui)
{
	ui_fail_pending(ui);
	if (ui->c.fd > 0)
		client_close(&ui->c);
	ui_thread_close(ui);
	ui_picker_close(ui);
	json_decref(ui->list.rows);
	json_decref(ui->list.marked);
	free(ui->list.search_q);
	free(ui->list.custom);
	free(ui->purpose_last);
	free(ui->guard_send_to);
	ui_mention_free(ui);
	ui_contacts_free(ui);
	ui_campaign_free(ui);
	ui_floor_free(ui);
	ui_report_free(ui);
	ui_pending_free(ui->purpose_wait);
	free(ui->team);
	free(ui->number);
	json_decref(ui->cmp.drafts);
	ui_compose_free(ui);
	free(ui->cmp.undo);
	free(ui->cmp.view);
	free(ui->cmp.view_title);
	json_decref(ui->history);
	json_decref(ui->presence);
	json_decref(ui->typing_at);
	json_decref(ui->counts);
	json_decref(ui->hello);
	json_decref(ui->pr.arg);
	free(ui->pr.label);
	free(ui->pr.comp_base);
	free(ui->me);
	free(ui->alarm);
	free(ui->hours_cue);
	json_decref(ui->hours_all);
	free(ui->socket_path);
	theme_release(&ui->theme);
	keys_release(&ui->keys);
	conf_release(&ui->conf);
	if (ui->trace != NULL)
		fclose(ui->trace);
	close(ui->wake_fd[0]);
	close(ui->wake_fd[1]);
}

static int
ui_setup(struct ui *ui, const char *socket_path, const char *config)
{
	const char	*env, *nc;
	char		*cause = NULL;

	memset(ui, 0, sizeof *ui);
	ui->c.fd = -1;
	ui->socket_path = xstrdup(socket_path);
	conf_defaults(&ui->conf);
	if (config == NULL)
		config = getenv("SUPPORT_INBOX_CONFIG");
	if (config != NULL && *config != '\0' &&
	    conf_load(&ui->conf, config, 0, &cause) != 0) {
		fprintf(stderr, "support-inbox: %s\n", cause);
		free(cause);
		goto fail;
	}
	keys_init(&ui->keys);
	if (ui->conf.keys_file != NULL &&
	    keys_load(&ui->keys, ui->conf.keys_file, &cause) != 0) {
		fprintf(stderr, "support-inbox: %s\n", cause);
		free(cause);
		goto fail;
	}
	if (!ui->conf.enter_sends) {
		keys_bind(&ui->keys, KEYS_COMPOSE, "<Enter>", "newline",
		    &cause);
	}
	if ((nc = getenv("NO_COLOR")) != NULL && *nc != '\0')
		theme_builtin(&ui->theme, 1);
	else if (theme_load(&ui->theme, ui->conf.theme != NULL ?
	    ui->conf.theme : "default", &cause) != 0) {
		fprintf(stderr, "support-inbox: %s; using the default theme\n",
		    cause);
		free(cause);
		cause = NULL;
		theme_builtin(&ui->theme, 0);
	}
	if ((env = getenv("SUPPORT_INBOX_EMOJI")) != NULL &&
	    strcmp(env, "full") == 0)
		ui->emoji = UTF8_EMOJI_FULL;
	if ((env = getenv("SUPPORT_INBOX_WIDTHS")) != NULL &&
	    utf8_set_overrides(env, &cause) != 0) {
		fprintf(stderr, "support-inbox: %s\n", cause);
		free(cause);
		goto fail;
	}
	if ((env = getenv("SUPPORT_INBOX_TRACE")) != NULL && *env != '\0')
		ui->trace = fopen(env, "a");
	if (ui->trace != NULL)
		setvbuf(ui->trace, NULL, _IOLBF, 0);
	if (pipe2(ui->wake_fd, O_CLOEXEC | O_NONBLOCK) != 0) {
		fprintf(stderr, "support-inbox: pipe: %s\n", strerror(errno));
		goto fail;
	}
	ui->list.rows = json_array();
	ui->list.sort = -1;
	ui->list.marked = json_object();
	ui->cmp.drafts = json_object();
	ui_compose_init(ui);
	ui->history = json_array();
	ui->presence = json_object();
	ui->typing_at = json_object();
	ui->th.sel = -1;
	ui->th.marker = -1;
	ui->term_focused = 1;
	ui->running = 1;
	return (0);

fail:
	/* Only what was set up so far: the rest is still zero. */
	if (ui->trace != NULL)
		fclose(ui->trace);
	theme_release(&ui->theme);
	keys_release(&ui->keys);
	conf_release(&ui->conf);
	free(ui->socket_path);
	ui->socket_path = NULL;
	return (-1);
}

int
ui_main(const char *socket_path, const char *config)
{
	struct ui	 ui;
	struct pollfd	 pfd[3];
	char		 c;
	const char	*lc;
	time_t		 last_tick = 0;
	int		 n;

	setlocale(LC_ALL, "");
	clock_gettime(CLOCK_MONOTONIC, &ui.t_start);
	if (ui_setup(&ui, socket_path, config) != 0)
		return (1);
	clock_gettime(CLOCK_MONOTONIC, &ui.t_start);
	lc = nl_langinfo(CODESET);
	ui.ascii = lc == NULL || strcmp(lc, "UTF-8") != 0;
	if (ui_term_open(&ui) != 0) {
		ui_free(&ui);
		return (1);
	}
	{
		struct termios	t;

		ui.tty_in = tcgetattr(STDIN_FILENO, &t) == 0;
		ui.tty_out = tcgetattr(STDOUT_FILENO, &t) == 0;
	}
	atexit(ui_term_restore);
	ui_signals(&ui);
	ui_apply_theme(&ui);
	ui_layout(&ui);
	ui_connect(&ui);
	while (ui.running) {
		ui_draw(&ui);
		doupdate();
		refresh();
		if (ui.t_key.tv_sec != 0 && ui.trace != NULL) {
			fprintf(ui.trace, "key_ms %.3f %u\n",
			    ui_ms_since(&ui.t_key), (unsigned)ui.t_key_ch);
		}
		ui.t_key.tv_sec = 0;
		if (!ui.first_drawn && json_array_size(ui.list.rows) > 0) {
			ui.first_drawn = 1;
			if (ui.trace != NULL)
				fprintf(ui.trace, "first_screen_ms %.3f\n",
				    ui_ms_since(&ui.t_start));
		}
		if (ui.pick.trace_due) {
			/* From the last key typed to its ranked answer. */
			ui.pick.trace_due = 0;
			if (ui.trace != NULL)
				fprintf(ui.trace, "switch_ms %.3f\n",
				    ui_ms_since(&ui.pick.t_query));
		}
		if (ui.open_pending == 2) {
			ui.open_pending = 0;
			if (ui.trace != NULL)
				fprintf(ui.trace, "open_ms %.3f\n",
				    ui_ms_since(&ui.t_open));
		}
		ui_thread_close_flush(&ui);
		ui_picker_flush(&ui);
		ui_floor_tick(&ui);	/* the floor view's debounced asks */
		if (ui.tty_quiet && ui_ms_since(&ui.t_quiet) >= 1000)
			ui.tty_quiet = 0;
		pfd[0].fd = ui.tty_quiet ? -1 : STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = ui.wake_fd[0];
		pfd[1].events = POLLIN;
		pfd[2].fd = ui.c.fd;
		pfd[2].events = POLLIN;
		n = poll(pfd, ui.c.fd > 0 ? 3 : 2, 1000);
		if (n == -1 && errno != EINTR)
			break;
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			while (read(ui.wake_fd[0], &c, 1) == 1) {
				if (c == 'w')
					ui_resize(&ui);
				else if (c == 'z')
					ui_suspend(&ui);
				else
					ui.running = 0;
			}
		}
		if (n > 0 && ui.c.fd > 0 && (pfd[2].revents &
		    (POLLIN | POLLHUP | POLLERR)))
			ui_socket_read(&ui);
		if (n > 0 && (pfd[0].revents & POLLIN) &&
		    ui_read_keys(&ui) == 0 && ui.running)
			ui_tty_nothing(&ui);
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			ui_tty_gone(&ui);
		if (!ui.tty_lost)
			ui_tty_check(&ui);
		if (ui.tty_lost)
			break;
		if (ui.c.fd <= 0 && time(NULL) >= ui.retry_at)
			ui_connect(&ui);
		if (time(NULL) != last_tick) {
			/* The clock, countdowns and expiring messages. */
			if (last_tick / 60 != time(NULL) / 60)
				ui.dirty |= UI_D_TOP | UI_D_LIST | UI_D_THREAD;
			else if (ui_sla_seconds(&ui))	/* "45s" counts */
				ui.dirty |= UI_D_LIST | UI_D_THREAD;
			ui_compose_tick(&ui);	/* drafts saved, undo */
			ui_presence_expire(&ui);
			if (ui.status[0] != '\0' && time(NULL) >=
			    ui.status_until) {
				ui.status[0] = '\0';
				ui.dirty |= UI_D_STATUS;
			}
			last_tick = time(NULL);
		}
	}
	/* A terminal gone mid-edit: what is not saved yet goes now. */
	if (ui.tty_lost || ui_hup)
		ui_compose_flush(&ui);
	ui_trace_rss(&ui);
	ui_term_restore();
	if (ui.tty_lost && !ui_tty_dead)
		fprintf(stderr, "support-inbox: the terminal's input ended\n");
	ui_free(&ui);
	/*
	 * With the terminal gone there is nobody to tell anything, and
	 * whatever runs at exit must not wait on it: the ASan build's leak
	 * check stops the world from a helper task that the hang-up's
	 * SIGHUP to the process group kills, and the process then spins
	 * waiting for it (seen as a client at 100% of a core after tmux
	 * kill-session under make demo). Everything is released above.
	 * A SIGHUP is the same hang-up seen first (the shell the client runs
	 * under exits on it, and the kernel hangs up its process group once
	 * more, the leak checker's task included: a client left at 100% after
	 * tmux kill-session in tui-handover.sh).
	 */
	if (ui_tty_dead || ui_hup)
		_exit(0);
	/*
	 * On the way out a hang-up may still arrive (the terminal's whole
	 * process group gets it): it must not kill what runs at exit, such
	 * as the ASan build's leak checker, whose helper task would die and
	 * leave the process spinning. The client is done with the terminal.
	 */
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	return (0);
}

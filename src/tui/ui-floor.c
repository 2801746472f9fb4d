/*
 * The floor view (:floor, issue 19 point 2): what a team lead watches, at
 * a glance and live. Per team the queues' counts, the longest wait, SLA
 * breaches (highlighted) and windows closing; the agents, online or not,
 * what their clients show, their load against capacity as a small bar
 * (over it highlighted); the outbox's backlog and failures by Meta's
 * reason. One floor.get answers it all (supervisors and admins: an agent
 * is told so and the view closes). The daemon's events that move these
 * figures ask again, at most a few times a second however many come; a
 * clock asks every few seconds anyway, and between answers the waits
 * shown go on growing. Over the panes like the campaigns view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_FLOOR_DEBOUNCE_MS	300	/* events: at most ~3 asks a second */
#define UI_FLOOR_PERIOD_MS	5000	/* and every 5 s without events */
#define UI_FLOOR_BAR		5	/* cells of the load bar */

struct ui_floor {
	int		 on;
	json_t		*res;		/* the last floor.get answer */
	time_t		 res_at;	/* when it came (for the waits) */
	int		 loading;	/* one request at a time */
	int		 stale;		/* an event came since it was sent */
	struct timespec	 asked;		/* when the last one was sent */
	int64_t		 gen;		/* older answers are ignored */
	int		 scroll;
	time_t		 drawn;		/* the second last drawn */
};

static struct ui_floor *
ui_floor_get(struct ui *ui)
{
	if (ui->floor == NULL)
		ui->floor = xcalloc(1, sizeof *ui->floor);
	return (ui->floor);
}

int
ui_floor_on(struct ui *ui)
{
	return (ui->floor != NULL && ui->floor->on);
}

static int64_t
ui_floor_ms_since(const struct timespec *t)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return ((int64_t)(now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000);
}

static void
ui_floor_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	struct ui_floor	*uf = ui_floor_get(ui);

	if (json_integer_value(arg) != uf->gen)
		return;
	uf->loading = 0;
	ui->dirty = UI_D_ALL;
	if (res == NULL) {
		if (code != NULL && strcmp(code, PE_DENIED) == 0) {
			/* An agent: said plainly, and back to the inbox. */
			ui_status(ui, 1, "the floor view is for supervisors "
			    "and admins (%s)", msg);
			ui_floor_close(ui);
			return;
		}
		ui_status(ui, 1, "floor: %s", msg);
		return;
	}
	json_decref(uf->res);
	uf->res = json_incref(res);
	uf->res_at = time(NULL);
}

static void
ui_floor_fetch(struct ui *ui)
{
	struct ui_floor	*uf = ui_floor_get(ui);

	uf->gen++;
	uf->loading = 1;
	uf->stale = 0;
	clock_gettime(CLOCK_MONOTONIC, &uf->asked);
	ui_call(ui, PM_FLOOR_GET, NULL, ui_floor_cb, json_integer(uf->gen));
}

void
ui_floor_open(struct ui *ui)
{
	struct ui_floor	*uf = ui_floor_get(ui);

	ui_cover_close_all(ui);	/* one view over the panes */
	uf->on = 1;
	uf->scroll = 0;
	if (ui->focus == UI_COMPOSE)
		ui->focus = UI_THREAD;	/* keys are the view's, not a draft's */
	ui_floor_fetch(ui);
	ui->dirty = UI_D_ALL;
}

void
ui_floor_close(struct ui *ui)
{
	struct ui_floor	*uf = ui_floor_get(ui);

	uf->on = 0;
	ui->dirty = UI_D_ALL;
	ui->th.laid = 0;
}

/*
 * Called from the main loop at every turn: asks again when an event made
 * the figures stale (not sooner than the debounce after the last ask) or
 * when the period passed, one request at a time.
 */
void
ui_floor_tick(struct ui *ui)
{
	struct ui_floor	*uf = ui->floor;
	int64_t		 ms;

	if (!ui_floor_on(ui) || uf->loading || !ui->connected)
		return;
	ms = ui_floor_ms_since(&uf->asked);
	if ((uf->stale && ms >= UI_FLOOR_DEBOUNCE_MS) ||
	    ms >= UI_FLOOR_PERIOD_MS)
		ui_floor_fetch(ui);
	else if (uf->res != NULL && uf->drawn != time(NULL))
		ui->dirty = UI_D_ALL;	/* the waits grow by the second */
}

/* The events that move the floor's figures make it stale. */
void
ui_floor_event(struct ui *ui, const char *ev)
{
	static const char *const moves[] = { PEV_MESSAGE, PEV_STATUS,
	    PEV_STATE, PEV_ASSIGNMENT, PEV_OUTBOX, PEV_PRESENCE,
	    PEV_SLA_BREACHED, PEV_AGENT_AWAY, NULL };
	size_t	i;

	if (!ui_floor_on(ui))
		return;
	for (i = 0; moves[i] != NULL; i++)
		if (strcmp(ev, moves[i]) == 0)
			break;
	if (moves[i] == NULL)
		return;
	ui->floor->stale = 1;
	ui_floor_tick(ui);
}

/* Connected (again): nothing came while away, so ask anew. */
void
ui_floor_hello(struct ui *ui)
{
	if (!ui_floor_on(ui))
		return;
	ui->floor->loading = 0;	/* an ask lost with the old connection */
	ui_floor_fetch(ui);
}

/* --- drawing --- */

struct ui_floor_pen {
	struct ui	*ui;
	int		 y0, h;		/* the rows drawn on */
	int		 line;		/* the next line of the content */
};

/* The screen row of the pen's next line, or -1 when scrolled away. */
static int
ui_floor_row(struct ui_floor_pen *p)
{
	int	y = p->line++ - p->ui->floor->scroll;

	return (y >= 0 && y < p->h ? p->y0 + y : -1);
}

static void
ui_floor_text(struct ui_floor_pen *p, const char *text, int attr)
{
	int	y = ui_floor_row(p);

	if (y < 0)
		return;
	ui_fill(p->ui, y, 0, p->ui->cols, attr);
	ui_put(p->ui, y, 1, p->ui->cols - 2, text, attr);
}

/* A wait as shown: grown by the seconds since the answer came. */
static void
ui_floor_wait(struct ui *ui, int64_t w, char *buf, size_t len)
{
	if (w > 0)
		w += (int64_t)(time(NULL) - ui->floor->res_at);
	cli_floor_wait(w, buf, len);
}

static json_t *
ui_floor_q(json_t *team, const char *queue)
{
	return (json_object_get(json_object_get(team, "queues"), queue));
}

static void
ui_floor_teams(struct ui_floor_pen *p)
{
	struct ui	*ui = p->ui;
	json_t		*t, *tot;
	char		 buf[160], w[32], br[16];
	const char	*name;
	size_t		 i, k;
	int		 y, x, n, normal = ui_attr(ui, TH_NORMAL);

	snprintf(buf, sizeof buf, "%-14s %5s %5s %5s %5s %5s %8s %7s %7s",
	    "TEAM", "OPEN", "PEND", "SNZ", "UNASG", "TOTAL", "LONGEST",
	    "BREACH", "CLOSING");
	ui_floor_text(p, buf, ui_attr(ui, TH_LIST_META));
	json_array_foreach(json_object_get(ui->floor->res, "teams"), i, t) {
		if ((y = ui_floor_row(p)) < 0)
			continue;
		tot = ui_floor_q(t, "total");
		name = json_is_string(json_object_get(t, "team")) ?
		    ui_jstr(t, "team") : "(none)";
		ui_fill(ui, y, 0, ui->cols, normal);
		n = snprintf(buf, sizeof buf, "%-14.14s", name);
		for (k = 0; cli_floor_queues[k] != NULL && n > 0 &&
		    (size_t)n < sizeof buf; k++)
			n += snprintf(buf + n, sizeof buf - (size_t)n, " %5lld",
			    (long long)ui_jint(ui_floor_q(t,
			    cli_floor_queues[k]), "count"));
		ui_floor_wait(ui, ui_jint(ui_floor_q(t, "open"),
		    "longest_wait"), w, sizeof w);
		if (n > 0 && (size_t)n < sizeof buf)
			snprintf(buf + n, sizeof buf - (size_t)n, " %8s", w);
		x = 1 + ui_put(ui, y, 1, ui->cols - 2, buf, normal);
		/* A breach is highlighted and marked: not by colour alone. */
		snprintf(br, sizeof br, "%s%lld", ui_jint(tot, "breaches") > 0 ?
		    "!" : "", (long long)ui_jint(tot, "breaches"));
		snprintf(buf, sizeof buf, " %7s", br);
		if (x < ui->cols - 1)
			x += ui_put(ui, y, x, ui->cols - 1 - x, buf,
			    ui_attr(ui, ui_jint(tot, "breaches") > 0 ?
			    TH_FAILED : TH_NORMAL));
		snprintf(buf, sizeof buf, " %7lld", (long long)ui_jint(tot,
		    "window_closing"));
		if (x < ui->cols - 1)
			ui_put(ui, y, x, ui->cols - 1 - x, buf, ui_attr(ui,
			    ui_jint(tot, "window_closing") > 0 ?
			    TH_WINDOW_WARN : TH_NORMAL));
	}
	if (json_array_size(json_object_get(ui->floor->res, "teams")) == 0)
		ui_floor_text(p, "(no open, pending or snoozed conversations)",
		    ui_attr(ui, TH_HINT));
}

/* "███░░ 3/5" (ASCII "###.. 3/5"): the load against capacity. */
static void
ui_floor_bar(struct ui *ui, int64_t load, int64_t cap, char *buf,
    size_t len)
{
	int64_t	fill = cap > 0 ? (load * UI_FLOOR_BAR + cap - 1) / cap : 0;
	size_t	o = 0;
	int	i;

	if (fill > UI_FLOOR_BAR)
		fill = UI_FLOOR_BAR;
	buf[0] = '\0';
	for (i = 0; i < UI_FLOOR_BAR && o + 4 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s", i < fill ?
		    (ui->ascii ? "#" : "\xe2\x96\x88") :
		    (ui->ascii ? "." : "\xe2\x96\x91"));
	snprintf(buf + o, len - o, " %lld/%lld", (long long)load,
	    (long long)cap);
}

static void
ui_floor_agents(struct ui_floor_pen *p)
{
	struct ui	*ui = p->ui;
	json_t		*a;
	char		 buf[200], bar[64], pres[48], span[32];
	size_t		 i;
	int		 y, over, online;
	int64_t		 now = ui_jint(ui->floor->res, "now");

	snprintf(buf, sizeof buf, "%-16s %-10s %-12s %-9s %s", "AGENT",
	    "ROLE", "TEAM", "PRESENCE", "LOAD");
	ui_floor_text(p, buf, ui_attr(ui, TH_LIST_META));
	json_array_foreach(json_object_get(ui->floor->res, "agents"), i, a) {
		if ((y = ui_floor_row(p)) < 0)
			continue;
		over = json_is_true(json_object_get(a, "over_capacity"));
		online = json_is_true(json_object_get(a, "online"));
		ui_floor_bar(ui, ui_jint(a, "load"), ui_jint(a, "capacity"),
		    bar, sizeof bar);
		/* away (agent.away): for how long, "away 25m" */
		if (strcmp(ui_jstr(a, "presence"), "away") == 0 &&
		    ui_jint(a, "away") > 0 && now >= ui_jint(a, "away")) {
			cli_sla_span(now - ui_jint(a, "away"), span,
			    sizeof span);
			snprintf(pres, sizeof pres, "away %s", span);
		} else
			snprintf(pres, sizeof pres, "%s", ui_jstr(a,
			    "presence"));
		snprintf(buf, sizeof buf, "%s %-14.14s %-10s %-12.12s %-9s "
		    "%s%s", online ? (ui->ascii ? "*" : "\xe2\x97\x8f") :
		    (ui->ascii ? "o" : "\xe2\x97\x8b"), ui_jstr(a,
		    "display_name"), ui_jstr(a, "role"),
		    json_is_string(json_object_get(a, "team")) ?
		    ui_jstr(a, "team") : "-", pres, bar,
		    over ? "  over capacity" : "");
		ui_fill(ui, y, 0, ui->cols, ui_attr(ui, TH_NORMAL));
		ui_put(ui, y, 1, ui->cols - 2, buf, ui_attr(ui, over ?
		    TH_FAILED : online ? TH_PRESENCE : TH_NORMAL));
	}
}

static void
ui_floor_outbox(struct ui_floor_pen *p)
{
	struct ui	*ui = p->ui;
	json_t		*ob = json_object_get(ui->floor->res, "outbox"), *f;
	char		 buf[300], w[32];
	size_t		 i;

	cli_floor_wait(ui_jint(ob, "oldest_age"), w, sizeof w);
	snprintf(buf, sizeof buf, "outbox: backlog %lld   held %lld   oldest "
	    "%s%s", (long long)ui_jint(ob, "backlog"),
	    (long long)ui_jint(ob, "held"), w,
	    json_is_true(json_object_get(ob, "paused")) ? "   PAUSED" : "");
	ui_floor_text(p, buf, ui_attr(ui, json_is_true(json_object_get(ob,
	    "paused")) ? TH_FAILED : TH_NORMAL));
	if (json_array_size(json_object_get(ob, "failures")) == 0) {
		ui_floor_text(p, "failures (24 h): none", ui_attr(ui,
		    TH_NORMAL));
		return;
	}
	ui_floor_text(p, "failures (24 h), by Meta's reason:", ui_attr(ui,
	    TH_NORMAL));
	json_array_foreach(json_object_get(ob, "failures"), i, f) {
		snprintf(buf, sizeof buf, "  %6lld x%-4lld %s",
		    (long long)ui_jint(f, "code"), (long long)ui_jint(f,
		    "count"), ui_jstr(f, "reason"));
		ui_floor_text(p, buf, ui_attr(ui, TH_FAILED));
	}
}

void
ui_floor_draw(struct ui *ui)
{
	struct ui_floor		*uf = ui->floor;
	struct ui_floor_pen	 p;
	char			 hint[160], at[32];
	int			 i;

	uf->drawn = time(NULL);
	at[0] = '\0';
	if (uf->res != NULL)
		ui_fmt_time((int64_t)uf->res_at, at, sizeof at, 0);
	snprintf(hint, sizeof hint, "floor, live%s%s  (j/k scroll, r refresh, "
	    "q back)", *at != '\0' ? " at " : "", at);
	ui_fill(ui, 2, 0, ui->cols, ui_attr(ui, TH_HINT));
	ui_put(ui, 2, 1, ui->cols - 2, hint, ui_attr(ui, TH_HINT));
	memset(&p, 0, sizeof p);
	p.ui = ui;
	p.y0 = 3;
	p.h = ui->rows - 4;
	if (uf->res == NULL) {
		ui_floor_text(&p, uf->loading ? "loading..." : "", ui_attr(ui,
		    TH_HINT));
	} else {
		ui_floor_teams(&p);
		ui_floor_text(&p, "", ui_attr(ui, TH_NORMAL));
		ui_floor_agents(&p);
		ui_floor_text(&p, "", ui_attr(ui, TH_NORMAL));
		ui_floor_outbox(&p);
	}
	/* A scroll past the end comes back to the last screenful. */
	if (uf->scroll > 0 && p.line - uf->scroll < p.h) {
		uf->scroll = p.line > p.h ? p.line - p.h : 0;
		ui->dirty = UI_D_ALL;
	}
	for (i = p.line - uf->scroll; i < p.h; i++)
		if (i >= 0)
			ui_fill(ui, p.y0 + i, 0, ui->cols, ui_attr(ui,
			    TH_NORMAL));
}

/*
 * The view's keys while it is up: 1 if taken. ":" (the command line) and
 * "Q" (quit) go on to the usual table; any other key is the view's.
 */
int
ui_floor_key(struct ui *ui, const char *key)
{
	struct ui_floor	*uf = ui->floor;

	if (!ui_floor_on(ui) || ui->seq[0] != '\0')
		return (0);
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0)
		uf->scroll++;
	else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0) {
		if (uf->scroll > 0)
			uf->scroll--;
	} else if (strcmp(key, "r") == 0) {
		if (!uf->loading)
			ui_floor_fetch(ui);
	} else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0)
		ui_floor_close(ui);
	else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

void
ui_floor_free(struct ui *ui)
{
	struct ui_floor	*uf = ui->floor;

	if (uf == NULL)
		return;
	json_decref(uf->res);
	free(uf);
	ui->floor = NULL;
}

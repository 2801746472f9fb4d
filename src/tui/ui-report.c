/*
 * The report view (:report [KIND], issue 19): report.get over this week so
 * far (Monday 00:00 local to now) or a calendar month, drawn with
 * characters (spark.h): opened and resolved per day as bars under a
 * sparkline, response and resolution times with their daily medians,
 * agents and labels as a table with a bar, the survey's ratings and the
 * failures by Meta's reason. Reports are aggregates, so nothing personal
 * shows; the daemon refuses agents and that refusal is what is said. It
 * covers the panes like the campaigns view; asked again on r and whenever
 * the range or the kind changes, not live.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "proto-names.h"
#include "spark.h"
#include "ui-int.h"
#include "when.h"
#include "xmalloc.h"

#define UI_REPORT_BAR_MAX	60	/* columns of the widest bar */
#define UI_REPORT_BAR_MIN	4

static const char *const ui_report_kinds[] = { "volume", "response",
    "resolution", "agents", "labels", "survey", "failures" };
#define UI_REPORT_NKINDS \
	((int)(sizeof ui_report_kinds / sizeof ui_report_kinds[0]))

struct ui_report {
	int		 on;
	int		 kind;		/* index into ui_report_kinds */
	int		 month;		/* a calendar month, else an ISO week */
	int		 back;		/* weeks or months before this one */
	int64_t		 from, to;	/* the range asked: [from, to) */
	int		 so_far;	/* the period is not over: to is now */
	json_t		*res;		/* report.get's answer, or NULL */
	char		*err;		/* why there is none */
	int		 loading;
	int64_t		 gen;		/* older answers are ignored */
	int		 scroll;
};

static struct ui_report *
ui_report_get(struct ui *ui)
{
	if (ui->report == NULL)
		ui->report = xcalloc(1, sizeof *ui->report);
	return (ui->report);
}

int
ui_report_on(struct ui *ui)
{
	return (ui->report != NULL && ui->report->on);
}

/*
 * The range: the local week (Monday first) or month, back periods before
 * the current one; the current one ends now.
 */
static void
ui_report_range(struct ui_report *ur)
{
	time_t		now = (time_t)clock_now();
	struct tm	tm, end;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (ur->month) {
		tm.tm_mday = 1;
		tm.tm_mon -= ur->back;
	} else
		tm.tm_mday -= (tm.tm_wday + 6) % 7 + 7 * ur->back;
	end = tm;
	if (ur->month)
		end.tm_mon++;
	else
		end.tm_mday += 7;
	ur->from = (int64_t)mktime(&tm);
	ur->to = (int64_t)mktime(&end);
	ur->so_far = ur->to > (int64_t)now;
	if (ur->so_far)
		ur->to = (int64_t)now > ur->from ? (int64_t)now : ur->from + 1;
}

static void
ui_report_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	struct ui_report	*ur = ui_report_get(ui);

	if (json_integer_value(arg) != ur->gen)
		return;
	ur->loading = 0;
	ui->dirty = UI_D_ALL;
	json_decref(ur->res);
	ur->res = NULL;
	free(ur->err);
	ur->err = NULL;
	if (res == NULL) {
		/* Not allowed (an agent): the daemon's word, and away. */
		if (code != NULL && strcmp(code, PE_DENIED) == 0)
			ui_report_close(ui);
		else
			ur->err = xstrdup(msg != NULL ? msg : "failed");
		ui_status(ui, 1, "report: %s", msg != NULL ? msg : "failed");
		return;
	}
	ur->res = json_incref(res);
}

static void
ui_report_fetch(struct ui *ui)
{
	struct ui_report	*ur = ui_report_get(ui);
	const char		*kind = ui_report_kinds[ur->kind];
	json_t			*params;

	ui_report_range(ur);
	/* The answer shown was for another kind or range: not drawn as
	   this one's while the new one comes. */
	json_decref(ur->res);
	ur->res = NULL;
	params = json_pack("{ss sI sI}", "kind", kind, "from",
	    (json_int_t)ur->from, "to", (json_int_t)ur->to);
	if (ur->kind <= 2)	/* volume, response, resolution */
		json_object_set_new(params, "by", json_string("day"));
	ur->gen++;
	ur->loading = 1;
	ui_call(ui, PM_REPORT_GET, params, ui_report_cb,
	    json_integer(ur->gen));
	ui->dirty = UI_D_ALL;
}

/* :report [KIND] */
void
ui_report_open(struct ui *ui, const char *kind)
{
	struct ui_report	*ur;
	int			 k = 0;

	if (kind != NULL) {
		for (k = 0; k < UI_REPORT_NKINDS; k++)
			if (strcmp(kind, ui_report_kinds[k]) == 0)
				break;
		if (k == UI_REPORT_NKINDS) {
			ui_status(ui, 1, "unknown report; volume, response, "
			    "resolution, agents, labels, survey or failures");
			return;
		}
	}
	ui_cover_close_all(ui);	/* one view over the panes */
	ur = ui_report_get(ui);
	ur->on = 1;
	ur->kind = k;
	ur->month = ur->back = ur->scroll = 0;
	if (ui->focus == UI_COMPOSE)
		ui->focus = UI_THREAD;	/* keys are the view's, not a draft's */
	ui_report_fetch(ui);
}

void
ui_report_close(struct ui *ui)
{
	struct ui_report	*ur = ui_report_get(ui);

	ur->on = 0;
	ui->dirty = UI_D_ALL;
	ui->th.laid = 0;
}

/* --- the lines --- */

static void
ui_report_dur(json_t *v, char *buf, size_t len)
{
	if (!json_is_integer(v))
		snprintf(buf, len, "-");
	else
		when_dur_text(json_integer_value(v), buf, len);
}

/* "Mon 06" of a group's key (YYYY-MM-DD), else the key itself. */
static void
ui_report_day(const char *key, char *buf, size_t len)
{
	struct tm	tm;
	const char	*end;

	memset(&tm, 0, sizeof tm);
	if ((end = strptime(key, "%Y-%m-%d", &tm)) == NULL || *end != '\0') {
		snprintf(buf, len, "%.10s", key);
		return;
	}
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	if (mktime(&tm) == (time_t)-1 || strftime(buf, len, "%a %d", &tm) == 0)
		snprintf(buf, len, "%.10s", key);
}

static int
ui_report_digits(int64_t v)
{
	int	n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return (n);
}

/* A bar of v against max padded to width cells (at most 3 bytes each). */
static void
ui_report_bar(struct ui *ui, int64_t v, int64_t max, int width, char *buf,
    size_t len)
{
	int	cells;
	size_t	o;

	cells = spark_bar(v, max, width, ui->ascii, buf, len);
	o = strlen(buf);
	while (cells < width && o + 1 < len) {
		buf[o++] = ' ';
		cells++;
	}
	buf[o] = '\0';
}

/* The width of a bar in a line of fixed columns, within its bounds. */
static int
ui_report_width(struct ui *ui, int fixed, int bars)
{
	int	w = (ui->cols - 2 - fixed) / bars;

	if (w > UI_REPORT_BAR_MAX)
		w = UI_REPORT_BAR_MAX;
	return (w < UI_REPORT_BAR_MIN ? UI_REPORT_BAR_MIN : w);
}

/* A sparkline of one figure of each group (dotted path below group). */
static void
ui_report_spark(struct ui *ui, json_t *lines, json_t *groups,
    const char *obj, const char *field, const char *title)
{
	json_t	*g, *v;
	int64_t	*vals;
	char	*line;
	size_t	 i, n = json_array_size(groups), len = n * 3 + 1;

	if (n == 0)
		return;
	vals = xcalloc(n, sizeof *vals);
	json_array_foreach(groups, i, g) {
		v = json_object_get(obj != NULL ? json_object_get(g, obj) : g,
		    field);
		vals[i] = json_is_integer(v) ? json_integer_value(v) :
		    SPARK_NONE;
	}
	line = xmalloc(len);
	spark_line(vals, n, ui->ascii, line, len);
	ui_cover_add(lines, "%-34s %s", title, line);
	free(line);
	free(vals);
}

static void
ui_report_volume(struct ui *ui, json_t *lines, json_t *r)
{
	json_t	*groups = json_object_get(r, "groups"), *g;
	json_t	*total = json_object_get(r, "total");
	int64_t	 max = 0, o, s;
	char	 day[32], b1[UI_REPORT_BAR_MAX * 3 + 1];
	char	 b2[UI_REPORT_BAR_MAX * 3 + 1];
	size_t	 i;
	int	 w, nd;

	ui_report_spark(ui, lines, groups, NULL, "opened", "opened per day");
	ui_cover_add(lines, "total: opened %lld, resolved %lld",
	    (long long)ui_jint(total, "opened"),
	    (long long)ui_jint(total, "resolved"));
	ui_cover_add(lines, "%s", "");
	json_array_foreach(groups, i, g) {
		if (ui_jint(g, "opened") > max)
			max = ui_jint(g, "opened");
		if (ui_jint(g, "resolved") > max)
			max = ui_jint(g, "resolved");
	}
	nd = ui_report_digits(max);
	/* "Mon 06  opened  BAR N   resolved BAR N" */
	w = ui_report_width(ui, 6 + 2 + 7 + 1 + nd + 3 + 9 + 1 + nd, 2);
	json_array_foreach(groups, i, g) {
		o = ui_jint(g, "opened");
		s = ui_jint(g, "resolved");
		ui_report_day(ui_jstr(g, "key"), day, sizeof day);
		ui_report_bar(ui, o, max, w, b1, sizeof b1);
		ui_report_bar(ui, s, max, w, b2, sizeof b2);
		ui_cover_add(lines, "%-6s  opened %s %*lld   resolved %s %*lld",
		    day, b1, nd, (long long)o, b2, nd, (long long)s);
	}
}

static void
ui_report_rate(json_t *a, char *buf, size_t len)
{
	json_t	*rate = json_object_get(a, "rate");

	if (!json_is_number(rate))
		snprintf(buf, len, "- (%lld met, %lld breached)",
		    (long long)ui_jint(a, "met"),
		    (long long)ui_jint(a, "breached"));
	else
		snprintf(buf, len, "%.0f%% (%lld met, %lld breached)",
		    json_number_value(rate) * 100,
		    (long long)ui_jint(a, "met"),
		    (long long)ui_jint(a, "breached"));
}

static void
ui_report_time(json_t *lines, const char *what, json_t *d)
{
	char	med[32], p90[32];

	ui_report_dur(json_object_get(d, "median"), med, sizeof med);
	ui_report_dur(json_object_get(d, "p90"), p90, sizeof p90);
	ui_cover_add(lines, "%-16s median %-7s p90 %-7s (%lld)", what, med,
	    p90, (long long)ui_jint(d, "count"));
}

/* Per day: the day's median of obj as a bar against the longest. */
static void
ui_report_daily(struct ui *ui, json_t *lines, json_t *groups,
    const char *obj)
{
	json_t	*g, *v;
	int64_t	 max = 0;
	char	 day[32], med[32], bar[UI_REPORT_BAR_MAX * 3 + 1];
	size_t	 i;
	int	 w;

	json_array_foreach(groups, i, g)
		if (ui_jint(json_object_get(g, obj), "median") > max)
			max = ui_jint(json_object_get(g, obj), "median");
	w = ui_report_width(ui, 6 + 2 + 6 + 1 + 7, 1);
	json_array_foreach(groups, i, g) {
		v = json_object_get(json_object_get(g, obj), "median");
		ui_report_day(ui_jstr(g, "key"), day, sizeof day);
		ui_report_dur(v, med, sizeof med);
		ui_report_bar(ui, json_is_integer(v) ? json_integer_value(v) :
		    0, max, w, bar, sizeof bar);
		ui_cover_add(lines, "%-6s  median %s %s", day, bar, med);
	}
}

static void
ui_report_response(struct ui *ui, json_t *lines, json_t *r)
{
	json_t	*t = json_object_get(r, "total"), *a;
	json_t	*groups = json_object_get(r, "groups");
	char	 r1[96], r2[96];

	ui_report_spark(ui, lines, groups, "first_response", "median",
	    "daily median of the first response");
	ui_report_time(lines, "first response", json_object_get(t,
	    "first_response"));
	ui_report_time(lines, "next response", json_object_get(t,
	    "next_response"));
	a = json_object_get(t, "attainment");
	ui_report_rate(json_object_get(a, "first"), r1, sizeof r1);
	ui_report_rate(json_object_get(a, "next"), r2, sizeof r2);
	ui_cover_add(lines, "%-16s %s", "SLA, first", r1);
	ui_cover_add(lines, "%-16s %s", "SLA, next", r2);
	ui_cover_add(lines, "%-16s %lld waited past the window, %lld "
	    "unanswered", "customers", (long long)ui_jint(t,
	    "waited_past_window"), (long long)ui_jint(t, "unanswered"));
	ui_cover_add(lines, "%s", "");
	ui_report_daily(ui, lines, groups, "first_response");
}

static void
ui_report_resolution(struct ui *ui, json_t *lines, json_t *r)
{
	json_t	*t = json_object_get(r, "total");
	json_t	*groups = json_object_get(r, "groups");
	char	 r1[96];

	ui_report_spark(ui, lines, groups, "resolution_time", "median",
	    "daily median of the resolution");
	ui_cover_add(lines, "%-16s opened %lld, resolved %lld", "total",
	    (long long)ui_jint(t, "opened"), (long long)ui_jint(t,
	    "resolved"));
	ui_report_time(lines, "resolution time", json_object_get(t,
	    "resolution_time"));
	ui_report_rate(json_object_get(json_object_get(t, "attainment"),
	    "resolution"), r1, sizeof r1);
	ui_cover_add(lines, "%-16s %s", "SLA, resolution", r1);
	ui_cover_add(lines, "%s", "");
	ui_report_daily(ui, lines, groups, "resolution_time");
}

/* agents, labels: a table, the main count with a bar */
static void
ui_report_table(struct ui *ui, json_t *lines, json_t *r, int agents)
{
	json_t		*rows = json_object_get(r, "rows"), *x;
	const char	*main = agents ? "replies" : "opened";
	int64_t		 max = 0;
	char		 bar[UI_REPORT_BAR_MAX * 3 + 1], med[32];
	size_t		 i;
	int		 w;

	json_array_foreach(rows, i, x)
		if (ui_jint(x, main) > max)
			max = ui_jint(x, main);
	/* "NAME(16) N(6) BAR  tail(34)" */
	w = ui_report_width(ui, 16 + 1 + 6 + 1 + 2 + 34, 1);
	if (agents)
		ui_cover_add(lines, "%-16s %6s %-*s  %6s %7s %8s", "agent",
		    "replies", w, "", "first", "median", "resolved");
	else
		ui_cover_add(lines, "%-16s %6s %-*s  %8s %7s", "label",
		    "opened", w, "", "resolved", "median");
	if (json_array_size(rows) == 0)
		ui_cover_add(lines, "(nothing in this range)");
	json_array_foreach(rows, i, x) {
		ui_report_bar(ui, ui_jint(x, main), max, w, bar, sizeof bar);
		ui_report_dur(json_object_get(x, agents ?
		    "first_response_median" : "resolution_median"), med,
		    sizeof med);
		if (agents)
			ui_cover_add(lines, "%-16.16s %6lld %s  %6lld %7s %8lld",
			    ui_jstr(x, "agent"), (long long)ui_jint(x,
			    "replies"), bar, (long long)ui_jint(x,
			    "first_responses"), med, (long long)ui_jint(x,
			    "resolved"));
		else
			ui_cover_add(lines, "%-16.16s %6lld %s  %8lld %7s",
			    ui_jstr(x, "label"), (long long)ui_jint(x,
			    "opened"), bar, (long long)ui_jint(x, "resolved"),
			    med);
	}
}

static void
ui_report_survey(struct ui *ui, json_t *lines, json_t *r)
{
	json_t		*rows = json_object_get(r, "rows"), *x, *d, *v;
	const char	*k;
	int64_t		 max;
	char		 bar[UI_REPORT_BAR_MAX * 3 + 1];
	size_t		 i;
	int		 w = ui_report_width(ui, 4 + 8 + 1 + 6, 1);

	if (json_array_size(rows) == 0)
		ui_cover_add(lines, "(no surveys in this range)");
	json_array_foreach(rows, i, x) {
		ui_cover_add(lines, "scale %s: %lld sent, %lld answered",
		    ui_jstr(x, "scale"), (long long)ui_jint(x, "sent"),
		    (long long)ui_jint(x, "answered"));
		d = json_object_get(x, "distribution");
		max = 0;
		json_object_foreach(d, k, v)
			if (json_integer_value(v) > max)
				max = json_integer_value(v);
		json_object_foreach(d, k, v) {
			ui_report_bar(ui, json_integer_value(v), max, w, bar,
			    sizeof bar);
			ui_cover_add(lines, "    %8.8s %s %lld", k, bar,
			    (long long)json_integer_value(v));
		}
		ui_cover_add(lines, "%s", "");
	}
}

static void
ui_report_failures(struct ui *ui, json_t *lines, json_t *r)
{
	json_t	*rows = json_object_get(r, "rows"), *x;
	int64_t	 max = 0;
	char	 bar[UI_REPORT_BAR_MAX * 3 + 1];
	size_t	 i;
	int	 w = ui_report_width(ui, 8 + 1 + 6 + 1 + 2 + 40, 1);

	if (w > UI_REPORT_BAR_MAX / 2)
		w = UI_REPORT_BAR_MAX / 2;	/* the reason is the news */
	ui_cover_add(lines, "failed sends: %lld", (long long)ui_jint(r,
	    "total"));
	ui_cover_add(lines, "%s", "");
	json_array_foreach(rows, i, x)
		if (ui_jint(x, "count") > max)
			max = ui_jint(x, "count");
	if (json_array_size(rows) == 0)
		ui_cover_add(lines, "(no failed sends in this range)");
	json_array_foreach(rows, i, x) {
		ui_report_bar(ui, ui_jint(x, "count"), max, w, bar,
		    sizeof bar);
		ui_cover_add(lines, "%8lld %6lld %s  %s", (long long)ui_jint(x,
		    "code"), (long long)ui_jint(x, "count"), bar,
		    ui_jstr(x, "reason"));
	}
}

static json_t *
ui_report_lines(struct ui *ui, struct ui_report *ur)
{
	json_t		*lines = json_array();
	char		 a[40], b[40], kinds[160];
	time_t		 t;
	struct tm	 tm;
	size_t		 o = 0;
	int		 k;

	t = (time_t)ur->from;
	localtime_r(&t, &tm);
	strftime(a, sizeof a, "%a %d %b %Y", &tm);
	t = (time_t)(ur->so_far ? ur->to : ur->to - 1);
	localtime_r(&t, &tm);
	strftime(b, sizeof b, ur->so_far ? "now, %a %d %b %H:%M" :
	    "%a %d %b %Y", &tm);
	ui_cover_add(lines, "%s report, %s %s .. %s", ui_report_kinds[ur->kind],
	    ur->month ? "month" : "week", a, b);
	for (k = 0; k < UI_REPORT_NKINDS && o < sizeof kinds; k++)
		o += (size_t)snprintf(kinds + o, sizeof kinds - o, k ==
		    ur->kind ? "[%s] " : " %s  ", ui_report_kinds[k]);
	ui_cover_add(lines, "%s", kinds);
	ui_cover_add(lines, "%s", "");
	if (ur->res == NULL) {
		ui_cover_add(lines, "%s", ur->loading ? "loading..." :
		    ur->err != NULL ? ur->err : "");
		return (lines);
	}
	switch (ur->kind) {
	case 0:
		ui_report_volume(ui, lines, ur->res);
		break;
	case 1:
		ui_report_response(ui, lines, ur->res);
		break;
	case 2:
		ui_report_resolution(ui, lines, ur->res);
		break;
	case 3:
	case 4:
		ui_report_table(ui, lines, ur->res, ur->kind == 3);
		break;
	case 5:
		ui_report_survey(ui, lines, ur->res);
		break;
	default:
		ui_report_failures(ui, lines, ur->res);
		break;
	}
	return (lines);
}

void
ui_report_draw(struct ui *ui)
{
	struct ui_report	*ur = ui->report;
	json_t			*lines = ui_report_lines(ui, ur);

	ui_cover_line(ui, 2, "report  Tab/S-Tab kind  [ ] earlier/later  "
	    "m month/week  r refresh  q back", ui_attr(ui, TH_HINT));
	ui_cover_lines(ui, 3, ui->rows - 4, lines, &ur->scroll);
	json_decref(lines);
}

/* --- keys --- */

/*
 * The view's keys while it is up: 1 if taken. ":" (the command line) and
 * "Q" (quit) go on to the usual table; any other key is the view's.
 */
int
ui_report_key(struct ui *ui, const char *key)
{
	struct ui_report	*ur = ui->report;
	int			 page = (ui->rows - 4) / 2;

	if (!ui_report_on(ui) || ui->seq[0] != '\0')
		return (0);
	if (strcmp(key, "<Tab>") == 0 || strcmp(key, "<S-Tab>") == 0) {
		ur->kind = (ur->kind + (key[1] == 'T' ? 1 : UI_REPORT_NKINDS -
		    1)) % UI_REPORT_NKINDS;
		ur->scroll = 0;
		ui_report_fetch(ui);
	} else if (strcmp(key, "[") == 0) {
		ur->back++;
		ui_report_fetch(ui);
	} else if (strcmp(key, "]") == 0) {
		if (ur->back == 0)
			ui_status(ui, 0, "this is the current %s",
			    ur->month ? "month" : "week");
		else {
			ur->back--;
			ui_report_fetch(ui);
		}
	} else if (strcmp(key, "m") == 0) {
		ur->month = !ur->month;
		ur->back = 0;
		ui_report_fetch(ui);
	} else if (strcmp(key, "r") == 0)
		ui_report_fetch(ui);
	else if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0)
		ur->scroll++;
	else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0)
		ur->scroll--;
	else if (strcmp(key, "<C-d>") == 0 || strcmp(key, "<PgDn>") == 0 ||
	    strcmp(key, "<Space>") == 0)
		ur->scroll += page;
	else if (strcmp(key, "<C-u>") == 0 || strcmp(key, "<PgUp>") == 0)
		ur->scroll -= page;
	else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0)
		ui_report_close(ui);
	else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

void
ui_report_free(struct ui *ui)
{
	struct ui_report	*ur = ui->report;

	if (ur == NULL)
		return;
	json_decref(ur->res);
	free(ur->err);
	free(ur);
	ui->report = NULL;
}

/*
 * The campaigns view (:campaigns, issue 17): every campaign with its state
 * and live progress (a bar of the recipients done, then sent, delivered,
 * read, failed, left out and replies), why a paused one paused and when a
 * campaign waiting for the messaging-limit tier goes on. The daemon's
 * "campaign" event carries the campaign whole, so a row changes in place
 * as the send goes, without asking again. Enter shows the campaign's
 * report (failures by Meta's reason, who was left out and why, opt-outs);
 * p pauses, R resumes and X cancels (after a yes), which the daemon allows
 * a supervisor only and audits. It covers the panes like the contacts
 * view; nothing here is personal data (counts, names of campaigns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_CAMPAIGN_BAR	20	/* columns of the progress bar */

enum ui_campaign_mode { UCA_LIST, UCA_REPORT };

struct ui_campaign {
	int			 on;
	enum ui_campaign_mode	 mode;
	json_t			*rows;		/* campaign objects */
	int			 sel, top;
	int			 loading;
	int64_t			 gen;		/* older answers are ignored */
	json_t			*report;	/* campaign.report */
	char			*report_name;
	int			 scroll;
};

static struct ui_campaign *
ui_campaign_get(struct ui *ui)
{
	if (ui->campaign == NULL)
		ui->campaign = xcalloc(1, sizeof *ui->campaign);
	return (ui->campaign);
}

int
ui_campaign_on(struct ui *ui)
{
	return (ui->campaign != NULL && ui->campaign->on);
}

static void
ui_campaign_list_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);
	json_t			*rows;

	(void)code;
	if (json_integer_value(arg) != uc->gen)
		return;
	uc->loading = 0;
	ui->dirty = UI_D_ALL;
	if (res == NULL) {
		ui_status(ui, 1, "campaigns: %s", msg);
		return;
	}
	rows = json_object_get(res, "campaigns");
	json_decref(uc->rows);
	uc->rows = json_is_array(rows) ? json_incref(rows) : json_array();
	if (uc->sel >= (int)json_array_size(uc->rows))
		uc->sel = (int)json_array_size(uc->rows) - 1;
	if (uc->sel < 0)
		uc->sel = 0;
}

static void
ui_campaign_fetch(struct ui *ui)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);

	uc->gen++;
	uc->loading = 1;
	ui_call(ui, PM_CAMPAIGN_LIST, NULL, ui_campaign_list_cb,
	    json_integer(uc->gen));
	ui->dirty = UI_D_ALL;
}

void
ui_campaign_open(struct ui *ui)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);

	ui_cover_close_all(ui);	/* one view over the panes */
	uc->on = 1;
	uc->mode = UCA_LIST;
	if (ui->focus == UI_COMPOSE)
		ui->focus = UI_THREAD;	/* keys are the view's, not a draft's */
	ui_campaign_fetch(ui);
}

void
ui_campaign_close(struct ui *ui)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);

	uc->on = 0;
	ui->dirty = UI_D_ALL;
	ui->th.laid = 0;
}

static void
ui_campaign_report_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);

	(void)code;
	if (json_integer_value(arg) != uc->gen)
		return;
	uc->loading = 0;
	ui->dirty = UI_D_ALL;
	if (res == NULL) {
		ui_status(ui, 1, "campaign report: %s", msg);
		return;
	}
	json_decref(uc->report);
	uc->report = json_incref(res);
	uc->mode = UCA_REPORT;
}

static void
ui_campaign_report(struct ui *ui, const char *name)
{
	struct ui_campaign	*uc = ui_campaign_get(ui);

	char			*copy = xstrdup(name);	/* name may be ours */

	if (uc->report_name == NULL || strcmp(uc->report_name, copy) != 0)
		uc->scroll = 0;
	free(uc->report_name);
	uc->report_name = copy;
	uc->gen++;
	uc->loading = 1;
	ui_call(ui, PM_CAMPAIGN_REPORT, json_pack("{ss}", "name", copy),
	    ui_campaign_report_cb, json_integer(uc->gen));
}

/*
 * A "campaign" event: the campaign as it is now. Its row is replaced in
 * place (the list stays where the agent is); one not listed yet is asked
 * for with the whole list. An open report of it is asked again.
 */
void
ui_campaign_event(struct ui *ui, const char *ev, json_t *data)
{
	struct ui_campaign	*uc = ui->campaign;
	json_t			*r;
	size_t			 i;

	if (strcmp(ev, PEV_CAMPAIGN) != 0 || !ui_campaign_on(ui) ||
	    !json_is_object(data))
		return;
	json_array_foreach(uc->rows, i, r) {
		if (ui_jint(r, "id") == ui_jint(data, "id")) {
			json_array_set(uc->rows, i, data);
			if (uc->mode == UCA_REPORT && uc->report_name != NULL &&
			    strcmp(uc->report_name, ui_jstr(data, "name")) == 0)
				ui_campaign_report(ui, uc->report_name);
			ui->dirty = UI_D_ALL;
			return;
		}
	}
	if (!uc->loading)
		ui_campaign_fetch(ui);
}

/*
 * Connected (again): what changed while the client was away came as no
 * event, so a view on screen asks anew.
 */
void
ui_campaign_hello(struct ui *ui)
{
	struct ui_campaign	*uc = ui->campaign;

	if (!ui_campaign_on(ui))
		return;
	if (uc->mode == UCA_REPORT && uc->report_name != NULL)
		ui_campaign_report(ui, uc->report_name);
	else
		ui_campaign_fetch(ui);
}

/* --- drawing --- */

static int64_t
ui_campaign_count(json_t *c, const char *k)
{
	return (ui_jint(json_object_get(c, "counts"), k));
}

/* Recipients whose send is over (whatever its outcome), of total. */
static int64_t
ui_campaign_done(json_t *c)
{
	return (ui_campaign_count(c, "sent") + ui_campaign_count(c,
	    "delivered") + ui_campaign_count(c, "read") +
	    ui_campaign_count(c, "failed") + ui_campaign_count(c, "skipped"));
}

/* "[#######.....]  57%" in bar + 7 columns. */
static void
ui_campaign_bar(struct ui *ui, json_t *c, char *buf, size_t len)
{
	int64_t	total = ui_campaign_count(c, "total");
	int64_t	done = ui_campaign_done(c);
	int	fill, i, pct;
	size_t	o = 0;

	if (total <= 0) {
		snprintf(buf, len, "%-*s", UI_CAMPAIGN_BAR + 7, "-");
		return;
	}
	if (done > total)
		done = total;
	fill = (int)(done * UI_CAMPAIGN_BAR / total);
	pct = (int)(done * 100 / total);
	o += (size_t)snprintf(buf + o, len - o, "%s", ui->ascii ? "[" : "");
	for (i = 0; i < UI_CAMPAIGN_BAR && o + 4 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s", i < fill ?
		    (ui->ascii ? "#" : "\xe2\x96\x88") :
		    (ui->ascii ? "." : "\xe2\x96\x91"));
	snprintf(buf + o, len - o, "%s %3d%%", ui->ascii ? "]" : "", pct);
}

/* What the state needs said: why paused, when the tier frees, when due. */
static char *
ui_campaign_why(json_t *c)
{
	const char	*st = ui_jstr(c, "state");
	char		 when[32];

	if (strcmp(st, "paused") == 0 && *ui_jstr(c, "pause_reason") != '\0')
		/* "paused by maya" as it is, "quality ..." as a reason */
		return (strncmp(ui_jstr(c, "pause_reason"), "paused", 6) == 0 ?
		    xstrdup(ui_jstr(c, "pause_reason")) : xasprintf("paused: %s",
		    ui_jstr(c, "pause_reason")));
	if (strcmp(ui_jstr(c, "waiting"), "tier") == 0) {
		ui_fmt_time(ui_jint(c, "next_at"), when, sizeof when, 1);
		return (xasprintf("waiting for the messaging limit, next at "
		    "%s", when));
	}
	if (strcmp(st, "scheduled") == 0 && ui_jint(c, "schedule") > 0) {
		ui_fmt_time(ui_jint(c, "schedule"), when, sizeof when, 1);
		return (xasprintf("starts %s", when));
	}
	return (xstrdup(""));
}

static void
ui_campaign_draw_list(struct ui *ui, int y0, int h)
{
	struct ui_campaign	*uc = ui->campaign;
	json_t			*c;
	char			*s, *why, bar[128];
	int			 i, n, attr, wname, x;

	n = (int)json_array_size(uc->rows);
	if (uc->sel < uc->top)
		uc->top = uc->sel;
	if (uc->sel >= uc->top + h)
		uc->top = uc->sel - h + 1;
	wname = ui->cols >= 120 ? 24 : 16;
	for (i = 0; i < h; i++) {
		if (uc->top + i >= n) {
			ui_fill(ui, y0 + i, 0, ui->cols, ui_attr(ui,
			    TH_NORMAL));
			if (i == 0 && n == 0)
				ui_put(ui, y0, 1, ui->cols - 2, uc->loading ?
				    "loading..." : "no campaigns yet (support-"
				    "inbox campaign create ...)", ui_attr(ui,
				    TH_HINT));
			continue;
		}
		c = json_array_get(uc->rows, (size_t)uc->top + (size_t)i);
		attr = ui_attr(ui, uc->top + i == uc->sel ? TH_LIST_SELECTED :
		    strcmp(ui_jstr(c, "state"), "paused") == 0 ? TH_FAILED :
		    TH_LIST);
		ui_fill(ui, y0 + i, 0, ui->cols, attr);
		if (uc->top + i == uc->sel)
			ui_put(ui, y0 + i, 0, 1, ">", attr);
		x = 1;
		ui_put(ui, y0 + i, x, wname, ui_jstr(c, "name"), attr);
		x += wname + 1;
		ui_put(ui, y0 + i, x, 10, ui_jstr(c, "state"), attr);
		x += 10;
		ui_campaign_bar(ui, c, bar, sizeof bar);
		why = ui_campaign_why(c);
		/* What needs doing first (why paused, when it goes on),
		   then the counts: narrow screens cut the counts. */
		s = xasprintf("%s  %lld/%lld%s%s  sent %lld  dlv %lld  "
		    "read %lld  fail %lld  out %lld  repl %lld", bar,
		    (long long)ui_campaign_done(c),
		    (long long)ui_campaign_count(c, "total"),
		    *why != '\0' ? "  " : "", why,
		    (long long)ui_campaign_count(c, "sent") +
		    (long long)ui_campaign_count(c, "delivered") +
		    (long long)ui_campaign_count(c, "read"),
		    (long long)ui_campaign_count(c, "delivered") +
		    (long long)ui_campaign_count(c, "read"),
		    (long long)ui_campaign_count(c, "read"),
		    (long long)ui_campaign_count(c, "failed"),
		    (long long)ui_campaign_count(c, "skipped"),
		    (long long)ui_campaign_count(c, "replies"));
		if (x < ui->cols - 1)
			ui_put(ui, y0 + i, x, ui->cols - x - 1, s, attr);
		free(s);
		free(why);
	}
}

static json_t *
ui_campaign_report_lines(struct ui *ui, json_t *r)
{
	json_t		*lines = json_array(), *o, *v;
	const char	*k, *explain;
	static const char *const counts[] = { "total", "queued", "sending",
	    "sent", "delivered", "read", "failed", "skipped", "replies" };
	size_t		 i;

	(void)ui;
	ui_cover_add(lines, "%s   template %s   %s", ui_jstr(r, "name"),
	    ui_jstr(r, "template"), ui_jstr(r, "state"));
	ui_cover_add(lines, "%s", "");
	ui_cover_add(lines, "  recipients");
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++)
		ui_cover_add(lines, "    %-12s %lld", counts[i],
		    (long long)ui_jint(r, counts[i]));
	ui_cover_add(lines, "    %-12s %lld", "opt-outs",
	    (long long)ui_jint(r, "opt_outs"));
	ui_cover_add(lines, "%s", "");
	ui_cover_add(lines, "  failed, by Meta's error code");
	o = json_object_get(r, "failed_by_reason");
	if (json_object_size(o) == 0)
		ui_cover_add(lines, "    (none)");
	json_object_foreach(o, k, v) {
		explain = NULL;
		if (json_is_object(v)) {
			explain = json_string_value(json_object_get(v,
			    "explain"));
			v = json_object_get(v, "count");
		}
		ui_cover_add(lines, "    %-12s %lld%s%s", k,
		    (long long)json_integer_value(v), explain != NULL ?
		    "  " : "", explain != NULL ? explain : "");
	}
	ui_cover_add(lines, "%s", "");
	ui_cover_add(lines, "  left out, and why");
	o = json_object_get(r, "skipped_by_reason");
	if (json_object_size(o) == 0)
		ui_cover_add(lines, "    (none)");
	json_object_foreach(o, k, v)
		ui_cover_add(lines, "    %-12s %lld", k,
		    (long long)json_integer_value(v));
	return (lines);
}

static void
ui_campaign_draw_report(struct ui *ui, int y0, int h)
{
	struct ui_campaign	*uc = ui->campaign;
	json_t			*lines;

	lines = ui_campaign_report_lines(ui, uc->report);
	ui_cover_lines(ui, y0, h, lines, &uc->scroll);
	json_decref(lines);
}

void
ui_campaign_draw(struct ui *ui)
{
	struct ui_campaign	*uc = ui->campaign;
	int			 h = ui->rows - 4;

	if (uc->mode == UCA_REPORT && uc->report != NULL) {
		ui_cover_line(ui, 2, "campaign report  (j/k scroll, r "
		    "refresh, q back to the campaigns)", ui_attr(ui, TH_HINT));
		ui_campaign_draw_report(ui, 3, h);
		return;
	}
	ui_cover_line(ui, 2, "campaigns, live  (Enter report, p pause, "
	    "R resume, X cancel, r refresh, q closes)", ui_attr(ui, TH_HINT));
	ui_campaign_draw_list(ui, 3, h);
}

/* --- keys --- */

static void
ui_campaign_act_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	(void)code;
	if (res == NULL)
		ui_status(ui, 1, "campaign %s: %s", ui_jstr(arg, "what"), msg);
	else
		ui_status(ui, 0, "campaign %s: %s", ui_jstr(arg, "name"),
		    ui_jstr(arg, "done"));
	/* The daemon's event brings the row as it is now. */
}

static void
ui_campaign_act(struct ui *ui, const char *method, const char *name,
    const char *what, const char *done)
{
	ui_call(ui, method, json_pack("{ss}", "name", name),
	    ui_campaign_act_cb, json_pack("{ss ss ss}", "name", name, "what",
	    what, "done", done));
}

static void
ui_campaign_cancel_yes(struct ui *ui, const char *text, json_t *arg)
{
	(void)text;
	ui_campaign_act(ui, PM_CAMPAIGN_CANCEL, ui_jstr(arg, "name"),
	    "cancel", "cancelled; nothing more is sent");
}

static int
ui_campaign_key_report(struct ui *ui, const char *key)
{
	struct ui_campaign	*uc = ui->campaign;

	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0)
		uc->scroll++;
	else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0)
		uc->scroll--;
	else if (strcmp(key, "r") == 0)
		ui_campaign_report(ui, uc->report_name);
	else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0) {
		uc->mode = UCA_LIST;
		ui_campaign_fetch(ui);
	} else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

/*
 * The view's keys while it is up: 1 if taken. ":" (the command line) and
 * "Q" (quit) go on to the usual table; any other key is the view's.
 */
int
ui_campaign_key(struct ui *ui, const char *key)
{
	struct ui_campaign	*uc = ui->campaign;
	json_t			*c;
	char			 q[160];
	int			 n;

	if (!ui_campaign_on(ui) || ui->seq[0] != '\0')
		return (0);
	if (uc->mode == UCA_REPORT && uc->report != NULL)
		return (ui_campaign_key_report(ui, key));
	n = (int)json_array_size(uc->rows);
	c = json_array_get(uc->rows, (size_t)uc->sel);
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0) {
		if (uc->sel + 1 < n)
			uc->sel++;
	} else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0) {
		if (uc->sel > 0)
			uc->sel--;
	} else if (strcmp(key, "<Enter>") == 0 || strcmp(key, "l") == 0) {
		if (c != NULL)
			ui_campaign_report(ui, ui_jstr(c, "name"));
	} else if (strcmp(key, "p") == 0) {
		if (c != NULL)
			ui_campaign_act(ui, PM_CAMPAIGN_PAUSE, ui_jstr(c,
			    "name"), "pause", "paused");
	} else if (strcmp(key, "R") == 0) {
		if (c != NULL)
			ui_campaign_act(ui, PM_CAMPAIGN_RESUME, ui_jstr(c,
			    "name"), "resume", "resumed");
	} else if (strcmp(key, "X") == 0) {
		if (c != NULL) {
			snprintf(q, sizeof q, "cancel campaign %s for good?",
			    ui_jstr(c, "name"));
			ui_prompt_yes(ui, q, ui_campaign_cancel_yes,
			    json_pack("{ss}", "name", ui_jstr(c, "name")));
		}
	} else if (strcmp(key, "r") == 0)
		ui_campaign_fetch(ui);
	else if (strcmp(key, "q") == 0 || strcmp(key, "h") == 0 ||
	    strcmp(key, "<Esc>") == 0)
		ui_campaign_close(ui);
	else
		return (strcmp(key, ":") != 0 && strcmp(key, "Q") != 0);
	ui->dirty = UI_D_ALL;
	return (1);
}

void
ui_campaign_free(struct ui *ui)
{
	struct ui_campaign	*uc = ui->campaign;

	if (uc == NULL)
		return;
	json_decref(uc->rows);
	json_decref(uc->report);
	free(uc->report_name);
	free(uc);
	ui->campaign = NULL;
}

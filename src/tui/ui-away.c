/*
 * "Away" (agent.away): an agent on a break says so with :away, and with
 * :available that they are back. Away, auto-assignment passes them by
 * and the floor says "away"; their top bar says so until they are
 * available, also after a reconnect or the next day (the daemon keeps
 * it). A supervisor may set someone's (the agent's own clients then say
 * who did).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "clock.h"
#include "proto-names.h"
#include "ui-int.h"

/* What away means, in the status line. */
static void
ui_away_said(struct ui *ui)
{
	ui_status(ui, 0, "you are away: no conversations are assigned to you "
	    "automatically (:available ends it)");
}

static void
ui_away_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "%s", msg != NULL ? msg : "not changed");
		return;
	}
	if (json_is_string(arg)) {	/* a supervisor, for someone else */
		ui_status(ui, 0, "%s is %s", ui_jstr(res, "name"),
		    json_is_true(json_object_get(res, "away")) ? "away" :
		    "available");
		return;
	}
	ui->away = ui_jint(res, "since");
	ui->dirty |= UI_D_TOP;
	if (ui->away != 0)
		ui_away_said(ui);
	else
		ui_status(ui, 0, "you are available again");
}

void
ui_away_set(struct ui *ui, int away, const char *who)
{
	json_t	*p = json_pack("{sb}", "away", away);
	int	 other = who != NULL && *who != '\0';

	if (other)
		json_object_set_new(p, "name", json_string(who));
	ui_call(ui, PM_AGENT_AWAY, p, ui_away_cb, other ? json_string(who) :
	    NULL);
}

/* The status's "me": whether we are away (also after a reconnect). */
void
ui_away_status(struct ui *ui, json_t *me)
{
	int64_t	was = ui->away;

	ui->away = ui_jint(me, "away");
	ui->dirty |= UI_D_TOP;
	if (ui->away != 0 && was == 0)
		ui_away_said(ui);
}

void
ui_away_event(struct ui *ui, const char *ev, json_t *d)
{
	const char	*by;

	if (strcmp(ev, PEV_AGENT_AWAY) != 0 || ui->me == NULL ||
	    strcmp(ui_jstr(d, "agent"), ui->me) != 0)
		return;
	by = ui_jstr(d, "by");
	ui->away = json_is_true(json_object_get(d, "away")) ?
	    ui_jint(d, "since") : 0;
	ui->dirty |= UI_D_TOP;
	if (strcmp(by, ui->me) != 0)
		ui_status(ui, 1, "%s says you are %s", by, ui->away != 0 ?
		    "away (:available ends it)" : "available");
}

/* The top bar's cue: "away since 14:05", or "away" when narrow. */
void
ui_away_cue(struct ui *ui, int wide, char *buf, size_t len)
{
	time_t		t = (time_t)ui->away;
	struct tm	tm;
	char		at[16];

	if (ui->away == 0 || len == 0) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	if (wide && localtime_r(&t, &tm) != NULL &&
	    strftime(at, sizeof at, "%H:%M", &tm) != 0)
		snprintf(buf, len, " | AWAY since %s", at);
	else
		snprintf(buf, len, " | AWAY");
}

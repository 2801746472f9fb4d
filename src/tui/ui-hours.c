/*
 * The top bar's "closed" cue (issue 16, hours): when the agent's team (or,
 * for an agent without a team, the default hours) is closed, the bar says
 * so and when it opens ("closed · opens Mon 09:00", in the team's time).
 * The daemon says when a team opens or closes (hours_changed, by its own
 * clock, which tests move), and the client asks hours.status again, so
 * the cue changes by itself, and asks the list (and an open thread with a
 * service-level clock) again: their clocks start or stop running down.
 * The list's rows say "(support, closed)" for a conversation whose team
 * is closed, from every section's status.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

static void
ui_hours_cb(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	const char	*changes;

	(void)code; (void)msg; (void)arg;
	free(ui->hours_cue);
	ui->hours_cue = NULL;
	ui->dirty |= UI_D_TOP;
	/* An older daemon, or hours it does not have: no cue. */
	if (res == NULL || !json_is_true(json_object_get(res, "configured")) ||
	    json_is_true(json_object_get(res, "open")))
		return;
	changes = json_string_value(json_object_get(res, "changes"));
	ui->hours_cue = changes != NULL ? xasprintf("closed \xc2\xb7 opens %s",
	    changes) : xstrdup("closed");
}

static void
ui_hours_all_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	(void)code; (void)msg; (void)arg;
	json_decref(ui->hours_all);
	ui->hours_all = res != NULL ? json_incref(json_object_get(res,
	    "teams")) : NULL;
	ui->dirty |= UI_D_LIST;
}

void
ui_hours_fetch(struct ui *ui)
{
	ui_call(ui, PM_HOURS_STATUS, json_pack("{ss}", "team",
	    ui->team != NULL ? ui->team : ""), ui_hours_cb, NULL);
	ui_call(ui, PM_HOURS_STATUS, NULL, ui_hours_all_cb, NULL);
}

int
ui_hours_team_closed(struct ui *ui, const char *team)
{
	json_t	*s, *dflt = NULL, *t;
	size_t	 i;

	json_array_foreach(ui->hours_all, i, s) {
		t = json_object_get(s, "team");
		if (json_is_null(t))
			dflt = s;
		else if (team != NULL && json_is_string(t) &&
		    strcmp(json_string_value(t), team) == 0) {
			dflt = s;
			break;
		}
	}
	return (dflt != NULL && json_is_false(json_object_get(dflt, "open")));
}

void
ui_hours_event(struct ui *ui, const char *ev)
{
	if (strcmp(ev, PEV_HOURS_CHANGED) != 0)
		return;
	ui_hours_fetch(ui);
	/* The rows' service-level figures start or stop running down
	 * (ui-sla.c): their new figures. */
	ui_list_fetch(ui, 0);
	if (ui->th.id != 0 && json_is_object(json_object_get(ui->th.conv,
	    "sla")))
		ui_thread_fetch(ui);
}

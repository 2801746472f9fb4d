/*
 * The top bar's "closed" cue (issue 16, hours): when the agent's team (or,
 * for an agent without a team, the default hours) is closed, the bar says
 * so and when it opens ("closed · opens Mon 09:00", in the team's time).
 * The daemon says when a team opens or closes (hours_changed, by its own
 * clock, which tests move), and the client asks hours.status again, so
 * the cue changes by itself.
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

void
ui_hours_fetch(struct ui *ui)
{
	ui_call(ui, PM_HOURS_STATUS, json_pack("{ss}", "team",
	    ui->team != NULL ? ui->team : ""), ui_hours_cb, NULL);
}

void
ui_hours_event(struct ui *ui, const char *ev)
{
	if (strcmp(ev, PEV_HOURS_CHANGED) == 0)
		ui_hours_fetch(ui);
}

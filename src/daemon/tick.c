#include <stdlib.h>

#include <event2/event.h>

#include "assign.h"
#include "campaign.h"
#include "daemon.h"
#include "hook.h"
#include "hours.h"
#include "rules.h"
#include "sla.h"
#include "survey.h"
#include "tick.h"

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd; (void)what;
	hours_tick(d);		/* hours.changed first: rules may ask */
	rules_tick(d);
	survey_tick(d);
	campaign_tick(d);	/* the next recipients, within tier and rate */
	sla_tick(d);		/* deadlines, then breaches (their hooks) */
	hook_tick(d);		/* waiting conversations, due deliveries */
	assign_tick(d);		/* last: the others may free or fill a queue */
}

void
tick_start(struct daemon *d)
{
	struct timeval	tv = { 1, 0 };

	d->tick = event_new(d->base, -1, EV_PERSIST, tick_cb, d);
	event_add(d->tick, &tv);
}

void
tick_stop(struct daemon *d)
{
	if (d->tick == NULL)
		return;
	event_free(d->tick);
	d->tick = NULL;
}

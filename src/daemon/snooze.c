/* Snooze wake-ups; see snooze.h. */
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "daemon.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "snooze.h"
#include "store.h"

#define SNOOZE_RUN_MAX	1000	/* conversations per pass */

static const struct audit_who snooze_who = { 0, "support-inboxd", NULL };

struct snooze_due {
	int64_t	conv;
	int64_t	contact_id;
	int64_t	now;
};

/* One wake-up (rpc_act): open again, its record, its event. */
static int
snooze_open(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct snooze_due	*w = arg;

	if (store_conv_set_state(&ctx->d->store, w->conv, "open", 0,
	    w->now) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	ctx->audit = (struct audit_rec){ .action = "conversation.wake",
	    .object_type = "conversation", .object_id = w->conv,
	    .contact_id = w->contact_id, .result = "ok",
	    .detail = "snooze ended" };
	rpc_event(ctx, PEV_STATE, json_pack("{sI ss ss}", "conversation",
	    (json_int_t)w->conv, "state", "open", "by", "snooze"));
	return (0);
}

int
snooze_wake(struct daemon *d)
{
	struct snooze_due	 w = { .now = (int64_t)time(NULL) };
	json_t			*events;
	int			 n = 0;

	while (n < SNOOZE_RUN_MAX && store_conv_snooze_due(&d->store, w.now,
	    &w.conv, &w.contact_id) == 0) {
		if (rpc_act(d, &snooze_who, "snooze", snooze_open, &w,
		    &events) != 0)
			break;
		server_events(d->server, events);
		n++;
	}
	return (n);
}

/*
 * Campaign recipients following what happens to them outside the tick
 * (issue 17; see campaign.h): the outbox failing a message before it
 * reached Meta, and the consent ledger recording an opt-out. Both run in
 * the caller's transaction, so the recipient's state changes with it.
 */
#include <stdio.h>

#include "campaign.h"
#include "daemon.h"
#include "store.h"

int
campaign_track_failed(struct daemon *d, int64_t msg_id, int64_t code,
    int64_t now)
{
	char	reason[24];
	int64_t	camp;

	snprintf(reason, sizeof reason, "%lld", (long long)code);
	camp = store_campaign_on_status(&d->store, msg_id, "failed", reason,
	    now);
	if (camp < 0)
		return (-1);
	if (camp > 0)
		campaign_dirty(d, camp);
	return (0);
}

static void
campaign_track_dirty(int64_t camp, void *arg)
{
	campaign_dirty(arg, camp);
}

int
campaign_track_consent(struct daemon *d, int64_t contact, int64_t now)
{
	struct store_campaign_contact	 k;

	/* The ledger's latest word counts (an older opt-out may come late). */
	switch (store_campaign_contact(&d->store, contact, &k)) {
	case STORE_FOUND:
		break;
	case STORE_NONE:
		return (0);
	default:
		return (-1);
	}
	if (k.consent != 0)
		return (0);
	return (store_campaign_optout(&d->store, contact, now,
	    campaign_track_dirty, d));
}

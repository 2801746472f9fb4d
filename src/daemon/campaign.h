/*
 * Campaigns (issue 17; doc/campaigns.md): a marketing template to the
 * contacts of a segment who opted in, through the outbox. The recipients
 * are written once, at the start, each with the reason it is left out
 * (the consent gate); the daemon's 1 s tick (assign.c) hands the next ones
 * to the outbox within [campaign] rate and tier, checking the gate again
 * right before each send. The recipient's state and its message row are
 * written in the transaction that queues the message, so a restart never
 * sends twice. Webhooks pause a campaign by themselves (a quality drop of
 * its number, its template paused), update each recipient's state, and a
 * reply within 7 days is counted and labelled campaign:NAME.
 */
#ifndef CAMPAIGN_H
#define CAMPAIGN_H

#include <stdint.h>

#include <jansson.h>

struct daemon;
struct auto_inbound;
struct store_campaign;
struct wa_event;

#define CAMPAIGN_NAME_MAX	48
#define CAMPAIGN_LANGS_MAX	8
#define CAMPAIGN_REPLY_WINDOW	(7 * 86400)
#define CAMPAIGN_LIST_MAX	1000	/* contact ids in a preview list */

/* From assign.c's 1 s timer: start due scheduled campaigns, send. */
void	 campaign_tick(struct daemon *);
void	 campaign_stop(struct daemon *);
/*
 * Who the campaign reaches: evaluates the segment and the consent gate
 * over every contact. With write, the recipients are stored (in the
 * caller's transaction); else only counted. *out gets {recipients,
 * excluded: {reason: n}, and with list the contact ids per reason
 * (eligible under "recipients_list")}. 0, or -1 with *cause (allocated).
 */
int	 campaign_materialize(struct daemon *, const struct store_campaign *,
	    int write, int list, json_t **out, char **cause);
/* A campaign as campaign.list shows it (counts, waiting); new object. */
json_t	*campaign_json(struct daemon *, const struct store_campaign *);
/* Marks a campaign as changed: its event goes at the next tick. */
void	 campaign_dirty(struct daemon *, int64_t id);
/*
 * Hooks, inside ingest's transaction; 0, or -1 (database error):
 * a status of one of ours; a customer's message (reply, label); a
 * template or quality webhook (pauses, audited; events appended).
 */
int	 campaign_on_status(struct daemon *, const char *wamid, int status,
	    int64_t code);
int	 campaign_on_inbound(struct daemon *, const struct auto_inbound *);
int	 campaign_on_event(struct daemon *, const struct wa_event *,
	    json_t *events);
/*
 * campaign-track.c, in the caller's transaction; 0, or -1 (database):
 * the outbox failed message msg_id before Meta took it (its recipient
 * becomes failed with the code as reason); a contact's marketing consent
 * changed (an opt-out skips its queued recipients in every campaign as
 * "opted-out", at once).
 */
int	 campaign_track_failed(struct daemon *, int64_t msg_id, int64_t code,
	    int64_t now);
int	 campaign_track_consent(struct daemon *, int64_t contact,
	    int64_t now);
/* The languages "de,en_US" split (up to CAMPAIGN_LANGS_MAX): how many. */
int	 campaign_langs(const char *list, char out[][16], int max);

#endif

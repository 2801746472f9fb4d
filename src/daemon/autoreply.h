/*
 * Auto-replies (issue 16, point 3): the away message outside the team's
 * business hours and "all agents are busy" with the expected wait when
 * the team's queue is long; each per team ([hours TEAM]) and language,
 * at most once per conversation per period, through autosend.
 */
#ifndef AUTOREPLY_H
#define AUTOREPLY_H

struct auto_inbound;
struct daemon;

/* automation_inbound's part: 0, or -1 on a database error. */
int	 autoreply_inbound(struct daemon *, const struct auto_inbound *);

#endif

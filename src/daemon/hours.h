/*
 * Business hours per team: weekly hours in the team's time zone and a
 * holiday list. One owner for "is the team open now": the TUI's "closed"
 * cue, auto-replies, rules and reports all ask here.
 */
#ifndef HOURS_H
#define HOURS_H

#include <stdint.h>

struct daemon;

/*
 * Whether team (NULL or "": the default hours) is open at t (seconds):
 * 1 open, 0 closed, -1 if no business hours are configured for it (the
 * callers treat that as always open).
 */
int	 hours_open(struct daemon *, const char *team, int64_t t);

#endif

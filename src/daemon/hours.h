/*
 * Business hours per team: weekly hours in the team's time zone and a
 * holiday list. One owner for "is the team open now": the TUI's "closed"
 * cue, auto-replies, rules and reports all ask here.
 */
#ifndef HOURS_H
#define HOURS_H

#include <stdint.h>

#include <jansson.h>

struct conf;
struct daemon;

/*
 * Whether team (NULL or "": the default hours) is open at t (seconds):
 * 1 open, 0 closed, -1 if no business hours are configured for it (the
 * callers treat that as always open). A team without its own [hours]
 * section has the default section's hours, if there is one.
 */
int	 hours_open(struct daemon *, const char *team, int64_t t);
/*
 * What hours.status answers for team at t: {team, at, configured, open,
 * and if configured hours ("default" or the team), timezone, local,
 * changes_at (epoch or null), changes ("Mon 09:00", the team's local
 * time), holiday (today's, if any), next_holiday {date, name}}.
 */
json_t	*hours_status(struct daemon *, const char *team, int64_t t);
/* hours_status of every [hours] section, in file order (an array). */
json_t	*hours_status_all(struct daemon *, int64_t t);
/* hours.changed when a team opens or closes: the state is kept from
 * hours_start; hours_tick (the inbox clock, tick.c) tells the changes. */
void	 hours_start(struct daemon *);
void	 hours_tick(struct daemon *);
void	 hours_stop(struct daemon *);
/* daemon_reload: takes nc's [hours] sections (the old go with nc);
 * 1 if something was said in changed. */
int	 hours_reload(struct daemon *, struct conf *nc, json_t *changed);

#endif

/*
 * Business hours per team: weekly hours in the team's time zone and a
 * holiday list. One owner for "is the team open now": the TUI's "closed"
 * cue, auto-replies, rules and reports all ask here.
 */
#ifndef HOURS_H
#define HOURS_H

#include <stdint.h>

#define HOURS_AHEAD_DAYS	400	/* how far the hours are looked ahead */

#include <jansson.h>

struct conf;
struct conf_hours;
struct daemon;
struct tm;

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

/*
 * Business-hours arithmetic (service-level clocks, reports). h NULL means
 * no business hours: always open, so both are wall-clock seconds.
 *   hours_between: business seconds in [a, b) (0 if b <= a).
 *   hours_add: the wall time at which secs business seconds after t have
 *   passed (t if secs <= 0); 0 if the hours never give that many within
 *   HOURS_AHEAD_DAYS (closed for good).
 * Each call switches to the zone; many questions over one span of time
 * ask a calendar (hours-cal.h) instead.
 */
int64_t	 hours_between(const struct conf_hours *h, int64_t a, int64_t b);
int64_t	 hours_add(const struct conf_hours *h, int64_t t, int64_t secs);
/* Inside h's zone (TZ switched) until hours_tz_leave: localtime_r and
 * mktime speak the team's local time. Not nested. */
void	 hours_tz_enter(const char *tz);
void	 hours_tz_leave(void);
/* Inside the zone: whether t's local date is one of h's holidays, and
 * the local time min minutes into the day of tm. */
int	 hours_is_holiday(const struct conf_hours *h, int32_t date);
int64_t	 hours_at(const struct tm *day, int min);
/* Inside the zone: *day is k days after base's, at noon; 0 or -1. */
int	 hours_day(const struct tm *base, int k, struct tm *day);

#endif

/*
 * Service-level targets (issue 19; doc/sla.md): the deadlines of the
 * clocks migration 20's triggers start and stop, under the [sla] targets
 * (conf-sla.h) counted in the team's business hours (hours.h), and the
 * breaches: once per clock, audited (sla.breach), told to the hooks
 * (sla.breached) and the clients (event sla_breached) in one transaction.
 */
#ifndef SLA_H
#define SLA_H

#include <stdint.h>

#include <jansson.h>

struct conf;
struct daemon;

#define SLA_DUE_BATCH		2000	/* running clocks' deadlines per tick */
/* Finished clocks' deadlines per tick (only reports want them; a store
 * filled by a generator has a backlog that must not stall the loop:
 * 2,000 a tick held it about 50 ms). */
#define SLA_DUE_BATCH_DONE	200
#define SLA_BREACH_BATCH	100	/* breaches raised per tick */

/* The inbox clock (tick.c): deadlines of new clocks, then breaches. */
void	 sla_tick(struct daemon *);
/*
 * daemon_reload: takes nc's [sla] sections if they changed; with them or
 * the business hours (hours_changed) changed, every running clock's
 * deadline is computed again at the next tick (a breach stays raised).
 * 1 if something was said in changed.
 */
int	 sla_reload(struct daemon *, struct conf *nc, int hours_changed,
	    json_t *changed);
/*
 * The conversation's clock as rows carry it: null (none running with a
 * target) or {kind, due, left, breached, soon}: left is the business
 * seconds until due (the team's hours, if its targets count them) or,
 * once breached, minus the wall seconds since due.
 */
json_t	*sla_row(struct daemon *, int64_t conv, int64_t now);
/* Sets "sla" on every row of a conv.list answer ({id, ...}). */
void	 sla_rows(struct daemon *, json_t *rows, int64_t now);
/* sla.targets: the targets in effect per team and priority. */
json_t	*sla_targets(struct daemon *);

#endif

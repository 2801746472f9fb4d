/*
 * The inbox's clock: wakes snoozed conversations when their time comes and,
 * if [inbox] auto_assign is on, hands unassigned open conversations to
 * agents who are online (a connected, subscribed client): round-robin,
 * oldest waiting first, never past an agent's capacity. Every automatic
 * decision is audited as the daemon's own action.
 */
#ifndef ASSIGN_H
#define ASSIGN_H

struct daemon;

int	 assign_start(struct daemon *);
void	 assign_stop(struct daemon *);
/* Asks for a run soon: capacity freed, an agent came online, ... */
void	 assign_kick(struct daemon *);
/* One pass now; returns how many conversations were assigned. */
int	 assign_run(struct daemon *);
/* Wakes every due snoozed conversation; returns how many. */
int	 assign_wake(struct daemon *);

#endif

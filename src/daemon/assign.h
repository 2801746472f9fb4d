/*
 * Auto-assignment. The inbox clock's tick (tick.c) wakes snoozed
 * conversations whose time came (snooze.c) and, if [inbox] auto_assign is
 * on, hands unassigned open conversations to agents who are online (a
 * connected, subscribed client): round-robin, oldest waiting first, never
 * past an agent's capacity. Every automatic decision is audited as the
 * daemon's own action (rpc_act).
 */
#ifndef ASSIGN_H
#define ASSIGN_H

struct daemon;

int	 assign_start(struct daemon *);
void	 assign_stop(struct daemon *);
/* Snoozes due woken, then an auto-assign run (each tick, and on a kick). */
void	 assign_tick(struct daemon *);
/* Asks for a run soon: capacity freed, an agent came online, ... */
void	 assign_kick(struct daemon *);

#endif

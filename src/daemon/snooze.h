/*
 * The snooze clock: a snoozed conversation opens again when its time
 * comes, as the daemon's own action (audited as conversation.wake, a
 * "state" event for the clients). The inbox's one-second tick (assign.c)
 * drives it, then hands out what woke if auto-assignment is on.
 */
#ifndef SNOOZE_H
#define SNOOZE_H

struct daemon;

/* Wakes every due snoozed conversation; returns how many. */
int	 snooze_wake(struct daemon *);

#endif

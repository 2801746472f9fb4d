/*
 * The inbox clock: one timer, once a second, for all that the daemon does
 * because time passed: a team's hours opening or closing (hours.c), the
 * rules' no-reply and window timers (rules.c), surveys due after a
 * resolve (survey.c), a running campaign's next recipients
 * (campaign.c), snoozes waking and auto-assignment (assign.c). Each
 * part decides from clock_now() whether something is due; none has a
 * timer of its own, so their order is fixed here and a test that moves
 * the clock (SI_TEST_CLOCK) moves them all.
 */
#ifndef TICK_H
#define TICK_H

struct daemon;

void	 tick_start(struct daemon *);
void	 tick_stop(struct daemon *);

#endif

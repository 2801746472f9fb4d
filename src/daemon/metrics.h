/*
 * Prometheus text metrics on their own loopback listener ([metrics]):
 * webhooks accepted and refused, sends by outcome, the outbox backlog, the
 * longest wait of a customer, the alarms. No personal data.
 */
#ifndef METRICS_H
#define METRICS_H

struct daemon;
struct metrics;

/*
 * NULL with *cause NULL when [metrics] listen is off; NULL with *cause
 * allocated when it cannot listen or the address is not loopback (and
 * allow_remote is not set).
 */
struct metrics	*metrics_start(struct daemon *, char **cause);
void		 metrics_free(struct metrics *);

#endif

/*
 * The HTTP endpoint Meta posts to (behind a TLS reverse proxy). A POST is
 * answered only after what it carried is committed: requests that arrive
 * while a commit runs are gathered and committed together (group commit).
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

struct daemon;
struct webhook;

struct webhook	*webhook_start(struct daemon *, char **cause);
/* Commits and answers what is pending, then stops listening. */
void		 webhook_stop(struct webhook *);
/*
 * Frees it; after event_base_free, since connection finalisers that run
 * late still count connections out through it.
 */
void		 webhook_free(struct webhook *);

#endif

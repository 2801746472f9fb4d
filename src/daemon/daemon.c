/* Small helpers on the daemon's root state, shared by its modules. */
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "daemon.h"
#include "log.h"

/* Rows decrypted and indexed per slice: a few ms of work. */
#define DAEMON_SEARCH_SLICE	1000

int64_t
daemon_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * One slice of the phone endings of contacts stored before the index
 * existed (store-phone.c), in a transaction of its own between requests.
 * Returns 1 while there is more.
 */
static int
daemon_phone_backfill(struct daemon *d)
{
	char	*cause = NULL;
	int	 rc;

	if (d->phone_done || store_has_txn(&d->store))
		return (!d->phone_done);
	if (store_begin(&d->store) != 0) {
		/* A damaged store takes no writes: at the next start. */
		d->phone_done = 1;
		return (0);
	}
	rc = store_phone_backfill(&d->store, &d->phone_cursor,
	    DAEMON_SEARCH_SLICE);
	if (rc < 0) {
		store_rollback(&d->store);
		log_warn("phone endings: the fill failed; tried again at the "
		    "next start");
		d->phone_done = 1;
		return (0);
	}
	if (store_commit(&d->store, &cause) != 0) {
		log_warn("phone endings: %s", cause);
		free(cause);
		d->phone_done = 1;
		return (0);
	}
	if (rc == 0)
		d->phone_done = 1;
	return (rc);
}

static void
daemon_search_cb(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { 0, 0 };
	int		 more;

	(void)fd; (void)what;
	more = daemon_phone_backfill(d);
	if (store_search_build(&d->store, DAEMON_SEARCH_SLICE) || more)
		event_add(d->search_ev, &tv);
}

int
daemon_search_start(struct daemon *d, char **cause)
{
	struct timeval	tv = { 0, 0 };

	daemon_search_stop(d);
	if (store_search_open(&d->store, cause) != 0)
		return (-1);
	if (d->base == NULL) {
		/* No loop (tools): fill it now. */
		while (store_search_build(&d->store, DAEMON_SEARCH_SLICE))
			;
		while (daemon_phone_backfill(d))
			;
		return (0);
	}
	d->search_ev = evtimer_new(d->base, daemon_search_cb, d);
	event_add(d->search_ev, &tv);
	return (0);
}

void
daemon_search_stop(struct daemon *d)
{
	if (d->search_ev != NULL) {
		event_free(d->search_ev);
		d->search_ev = NULL;
	}
	store_search_close(&d->store);
}

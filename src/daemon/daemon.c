/* Small helpers on the daemon's root state, shared by its modules. */
#include <time.h>

#include <event2/event.h>

#include "daemon.h"

/* Rows decrypted and indexed per slice: a few ms of work. */
#define DAEMON_SEARCH_SLICE	1000

int64_t
daemon_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
daemon_search_cb(int fd, short what, void *arg)
{
	struct daemon	*d = arg;
	struct timeval	 tv = { 0, 0 };

	(void)fd; (void)what;
	if (store_search_build(&d->store, DAEMON_SEARCH_SLICE))
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

/* libcurl multi on libevent; see curl-ev.h. */
#include <stdlib.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "curl-ev.h"
#include "xmalloc.h"

struct curl_ev {
	struct event_base	*base;
	CURLM			*multi;
	struct event		*timer;
	void			(*check)(void *);
	void			*arg;
};

/* A socket curl asked us to watch. */
struct curl_ev_sock {
	struct event	*ev;
};

static void
curl_ev_socket_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct curl_ev	*c = arg;
	int		 running, action = 0;

	if (kind & EV_READ)
		action |= CURL_CSELECT_IN;
	if (kind & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	curl_multi_socket_action(c->multi, fd, action, &running);
	c->check(c->arg);
}

static void
curl_ev_timer_cb(evutil_socket_t fd, short kind, void *arg)
{
	struct curl_ev	*c = arg;
	int		 running;

	(void)fd; (void)kind;
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	c->check(c->arg);
}

static int
curl_ev_sockfn(CURL *easy, curl_socket_t s, int what, void *userp,
    void *socketp)
{
	struct curl_ev		*c = userp;
	struct curl_ev_sock	*sk = socketp;
	short			 kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (sk != NULL) {
			event_free(sk->ev);
			free(sk);
		}
		curl_multi_assign(c->multi, s, NULL);
		return (0);
	}
	kind = EV_PERSIST;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	if (sk == NULL) {
		sk = xcalloc(1, sizeof *sk);
		curl_multi_assign(c->multi, s, sk);
	} else
		event_free(sk->ev);
	sk->ev = event_new(c->base, s, kind, curl_ev_socket_cb, c);
	event_add(sk->ev, NULL);
	return (0);
}

static int
curl_ev_timerfn(CURLM *multi, long timeout_ms, void *userp)
{
	struct curl_ev	*c = userp;
	struct timeval	 tv;

	(void)multi;
	if (timeout_ms < 0) {
		evtimer_del(c->timer);
		return (0);
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
	return (0);
}

struct curl_ev *
curl_ev_new(struct event_base *base, CURLM *multi, void (*check)(void *),
    void *arg)
{
	struct curl_ev	*c = xcalloc(1, sizeof *c);

	c->base = base;
	c->multi = multi;
	c->check = check;
	c->arg = arg;
	c->timer = evtimer_new(base, curl_ev_timer_cb, c);
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, curl_ev_sockfn);
	curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, curl_ev_timerfn);
	curl_multi_setopt(multi, CURLMOPT_TIMERDATA, c);
	return (c);
}

void
curl_ev_free(struct curl_ev *c)
{
	if (c == NULL)
		return;
	event_free(c->timer);
	free(c);
}

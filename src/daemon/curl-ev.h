/*
 * libcurl's multi interface on the daemon's libevent loop, the standard
 * way: curl says which sockets to watch (socket callback) and when to wake
 * it (timer callback); on each event curl_multi_socket_action runs and
 * then the owner's check reads what finished. The Graph API (graph.c) and
 * the hooks' sender (hook-send.c) each drive their own multi handle
 * through one of these.
 */
#ifndef CURL_EV_H
#define CURL_EV_H

#include <curl/curl.h>

struct event_base;
struct curl_ev;

/* Hooks multi onto base; check(arg) after every action. Never NULL. */
struct curl_ev	*curl_ev_new(struct event_base *, CURLM *multi,
		    void (*check)(void *), void *arg);
/* After curl_multi_cleanup (which still calls back to remove sockets). */
void		 curl_ev_free(struct curl_ev *);

#endif

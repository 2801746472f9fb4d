/*
 * Webhook delivery for "serve": signed POSTs to --webhook over keep-alive
 * connections, driven by the server's own event loop (libcurl's multi
 * socket interface), and delivered again with backoff until acknowledged,
 * as Meta does (for seconds here, not days).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "sim.h"
#include "xmalloc.h"

#define SIM_HOOK_ATTEMPTS	10	/* then give up */
#define SIM_HOOK_BACKOFF_MS	50	/* doubled each attempt, up to ... */
#define SIM_HOOK_BACKOFF_MAX_MS	2000
#define SIM_HOOK_TIMEOUT_MS	5000

struct sim_hook_job {
	struct sim_hook		*hook;
	char			*body;
	size_t			 len;
	struct curl_slist	*headers;
	CURL			*easy;
	int			 attempts;
	struct event		*retry;		/* backoff timer */
	sim_hook_cb		*cb;
	void			*arg;
	struct sim_hook_job	*prev, *next;	/* all pending jobs */
};

struct sim_hook {
	struct event_base	*base;
	char			*url;
	char			*secret;
	char			*cacert;	/* NULL: the system's CAs */
	CURLM			*multi;
	struct event		*timer;
	struct sim_hook_job	*jobs;

	uint64_t		 posted;	/* webhooks handed to us */
	uint64_t		 requests;	/* POSTs, retries included */
	uint64_t		 acked;
	uint64_t		 failed;	/* given up */
	uint64_t		 retries;
};

struct sim_hook_sock {
	struct event	*ev;
	struct sim_hook	*hook;
};

static void	sim_hook_check(struct sim_hook *);
static void	sim_hook_start(struct sim_hook_job *);

static void
sim_hook_sock_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_hook_sock	*s = arg;
	struct sim_hook		*hook = s->hook;
	int			 flags = 0, running;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(hook->multi, fd, flags, &running);
	sim_hook_check(hook);
}

static int
sim_hook_socket(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct sim_hook		*hook = arg;
	struct sim_hook_sock	*s = sockp;
	short			 events = EV_PERSIST;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			event_free(s->ev);
			free(s);
		}
		curl_multi_assign(hook->multi, fd, NULL);
		return (0);
	}
	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->hook = hook;
		curl_multi_assign(hook->multi, fd, s);
	} else
		event_free(s->ev);
	s->ev = event_new(hook->base, fd, events, sim_hook_sock_cb, s);
	event_add(s->ev, NULL);
	return (0);
}

static void
sim_hook_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_hook	*hook = arg;
	int		 running;

	(void)fd;
	(void)what;
	curl_multi_socket_action(hook->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	sim_hook_check(hook);
}

static int
sim_hook_timer(CURLM *multi, long ms, void *arg)
{
	struct sim_hook	*hook = arg;
	struct timeval	 tv;

	(void)multi;
	if (ms < 0) {
		evtimer_del(hook->timer);
		return (0);
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(hook->timer, &tv);
	return (0);
}

struct sim_hook *
sim_hook_new(struct event_base *base, const char *url, const char *secret)
{
	struct sim_hook	*hook;

	hook = xcalloc(1, sizeof *hook);
	hook->base = base;
	hook->url = xstrdup(url);
	hook->secret = xstrdup(secret);
	if ((hook->multi = curl_multi_init()) == NULL)
		abort();
	hook->timer = evtimer_new(base, sim_hook_timer_cb, hook);
	curl_multi_setopt(hook->multi, CURLMOPT_SOCKETFUNCTION,
	    sim_hook_socket);
	curl_multi_setopt(hook->multi, CURLMOPT_SOCKETDATA, hook);
	curl_multi_setopt(hook->multi, CURLMOPT_TIMERFUNCTION, sim_hook_timer);
	curl_multi_setopt(hook->multi, CURLMOPT_TIMERDATA, hook);
	curl_multi_setopt(hook->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
	return (hook);
}

static void
sim_hook_job_free(struct sim_hook_job *job)
{
	struct sim_hook	*hook = job->hook;

	if (job->prev != NULL)
		job->prev->next = job->next;
	else
		hook->jobs = job->next;
	if (job->next != NULL)
		job->next->prev = job->prev;
	if (job->easy != NULL) {
		curl_multi_remove_handle(hook->multi, job->easy);
		curl_easy_cleanup(job->easy);
	}
	if (job->retry != NULL)
		event_free(job->retry);
	curl_slist_free_all(job->headers);
	free(job->body);
	free(job);
}

void
sim_hook_cacert(struct sim_hook *hook, const char *path)
{
	free(hook->cacert);
	hook->cacert = path != NULL ? xstrdup(path) : NULL;
}

void
sim_hook_free(struct sim_hook *hook)
{
	struct sim_hook_job	*job;

	if (hook == NULL)
		return;
	/* Whoever waits for a delivery hears that it will not happen. */
	while ((job = hook->jobs) != NULL) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): job->hook == hook, so the free unlinks the head */
		if (job->cb != NULL)
			job->cb(0, 0, job->arg);
		sim_hook_job_free(job);
	}
	curl_multi_cleanup(hook->multi);
	event_free(hook->timer);
	free(hook->url);
	free(hook->cacert);
	sim_util_free_secret(hook->secret);
	free(hook);
}

static size_t
sim_hook_discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return (size * n);
}

static void
sim_hook_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sim_hook_start(arg);
}

static void
sim_hook_start(struct sim_hook_job *job)
{
	struct sim_hook	*hook = job->hook;
	CURL		*e;

	if ((e = curl_easy_init()) == NULL)
		abort();
	job->easy = e;
	job->attempts++;
	hook->requests++;
	curl_easy_setopt(e, CURLOPT_URL, hook->url);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)SIM_HOOK_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, job->headers);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, job->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)job->len);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sim_hook_discard);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "facebookexternalua");
	curl_easy_setopt(e, CURLOPT_PRIVATE, job);
	if (hook->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, hook->cacert);
	curl_multi_add_handle(hook->multi, e);
}

static void
sim_hook_done(struct sim_hook_job *job, CURLcode rc)
{
	struct sim_hook	*hook = job->hook;
	struct timeval	 tv;
	long		 status = 0, ms;
	int		 i;

	if (rc == CURLE_OK)
		curl_easy_getinfo(job->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(hook->multi, job->easy);
	curl_easy_cleanup(job->easy);
	job->easy = NULL;

	if (status == 200 || job->attempts >= SIM_HOOK_ATTEMPTS) {
		if (status == 200)
			hook->acked++;
		else
			hook->failed++;
		if (job->cb != NULL)
			job->cb(status == 200, status, job->arg);
		sim_hook_job_free(job);
		return;
	}
	hook->retries++;
	ms = SIM_HOOK_BACKOFF_MS;
	for (i = 1; i < job->attempts && ms < SIM_HOOK_BACKOFF_MAX_MS; i++)
		ms *= 2;
	if (ms > SIM_HOOK_BACKOFF_MAX_MS)
		ms = SIM_HOOK_BACKOFF_MAX_MS;
	if (job->retry == NULL)
		job->retry = evtimer_new(hook->base, sim_hook_retry_cb, job);
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(job->retry, &tv);
}

static void
sim_hook_check(struct sim_hook *hook)
{
	struct sim_hook_job	*job;
	CURLMsg			*msg;
	int			 left;

	while ((msg = curl_multi_info_read(hook->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&job);
		sim_hook_done(job, msg->data.result);
	}
}

void
sim_hook_post(struct sim_hook *hook, char *body, size_t len, sim_hook_cb *cb,
    void *arg)
{
	struct sim_hook_job	*job;
	char			 sig[SIM_SIGN_LEN], line[SIM_SIGN_LEN + 32];

	job = xcalloc(1, sizeof *job);
	job->hook = hook;
	job->body = body;
	job->len = len;
	job->cb = cb;
	job->arg = arg;
	sim_sign_body(hook->secret, body, len, sig);
	snprintf(line, sizeof line, "X-Hub-Signature-256: %s", sig);
	job->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	job->headers = curl_slist_append(job->headers, "Expect:");
	job->headers = curl_slist_append(job->headers, line);
	if (job->headers == NULL)
		abort();
	job->next = hook->jobs;
	if (hook->jobs != NULL)
		hook->jobs->prev = job;
	hook->jobs = job;
	hook->posted++;
	sim_hook_start(job);
}

void
sim_hook_stats(struct sim_hook *hook, json_t *j)
{
	struct sim_hook_job	*job;
	json_int_t		 pending = 0;

	for (job = hook->jobs; job != NULL; job = job->next)
		pending++;
	json_object_set_new(j, "posted", json_integer((json_int_t)
	    hook->posted));
	json_object_set_new(j, "requests", json_integer((json_int_t)
	    hook->requests));
	json_object_set_new(j, "acked", json_integer((json_int_t)
	    hook->acked));
	json_object_set_new(j, "failed", json_integer((json_int_t)
	    hook->failed));
	json_object_set_new(j, "retries", json_integer((json_int_t)
	    hook->retries));
	json_object_set_new(j, "pending", json_integer(pending));
}

void
sim_hook_reset(struct sim_hook *hook)
{
	hook->posted = hook->requests = hook->acked = 0;
	hook->failed = hook->retries = 0;
}

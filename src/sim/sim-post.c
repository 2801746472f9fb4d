/*
 * "post": plays Meta delivering customer messages to a webhook. Many
 * keep-alive connections at once, optional pacing, every body signed, and,
 * like Meta, an event is delivered again until it is acknowledged with 200.
 * The --acked file is written line by line as acknowledgements arrive, so a
 * crash test can compare it with what the receiver kept.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "buf.h"
#include "sim.h"
#include "xmalloc.h"

#define SIM_POST_RETRY_DELAY	0.05	/* seconds, as the brief of Meta */
#define SIM_POST_RESPONSE_MAX	(1024 * 1024)

enum sim_post_sig {
	SIM_POST_SIG_GOOD,
	SIM_POST_SIG_BAD,
	SIM_POST_SIG_NONE,
};

struct sim_post_event {
	uint64_t		 idx;		/* event number */
	char			*wamid;
	char			*body;		/* signed bytes */
	size_t			 len;
	char			 sig[SIM_SIGN_LEN];
	double			 due;		/* retry not before */
	TAILQ_ENTRY(sim_post_event) entry;
};
TAILQ_HEAD(sim_post_queue, sim_post_event);

struct sim_post_slot {
	CURL			*easy;
	struct curl_slist	*headers;
	struct sim_post_event	*ev;		/* NULL when idle */
	double			 start;
	struct buf		 response;
	char			 error[CURL_ERROR_SIZE];
};

struct sim_post {
	/* Options. */
	const char		*url;
	char			*secret;
	uint64_t		 count;		/* UINT64_MAX: until deadline */
	double			 rate;		/* events/s; 0 = no pacing */
	int			 concurrency;
	const char		*acked_path;
	int			 acked_fd;
	int			 retry;
	double			 duration;	/* 0 = none */
	long			 timeout_ms;
	enum sim_post_sig	 sig;
	const char		*body_file;
	const char		*cacert;	/* NULL: the system's CAs */

	struct sim_gen		 gen;
	CURLM			*multi;
	struct sim_post_slot	*slots;
	int			 inflight;
	struct sim_post_queue	 retries;
	uint64_t		 next;		/* next new event */
	double			 t0;
	double			 deadline;	/* 0 = none */

	/* Figures for the summary line. */
	uint64_t		 sent;		/* distinct events posted */
	uint64_t		 requests;	/* POSTs, retries included */
	uint64_t		 acked;
	uint64_t		 errors;	/* no HTTP response */
	uint64_t		 given_up;
	uint64_t		 status[600];
	double			*latency;	/* ms, acked requests */
	size_t			 nlatency;
	size_t			 latency_cap;
};

static void
sim_post_usage(void)
{
	fprintf(stderr,
	    "usage: support-inbox-sim post --url URL --secret-file FILE "
	    "[--count N]\n"
	    "           [--rate R] [--concurrency C] [--acked FILE] "
	    "[--seed S] [--prefix P]\n"
	    "           [--duration SECS] [--timeout SECS] [--customers N] "
	    "[--no-retry]\n"
	    "           [--sig good|bad|none] [--body-file FILE] "
	    "[--cacert FILE]\n");
}

static void
sim_post_event_free(struct sim_post_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->wamid);
	free(ev->body);
	free(ev);
}

static void
sim_post_sign(struct sim_post *p, struct sim_post_event *ev)
{
	char	*bad;

	switch (p->sig) {
	case SIM_POST_SIG_GOOD:
		sim_sign_body(p->secret, ev->body, ev->len, ev->sig);
		break;
	case SIM_POST_SIG_BAD:
		bad = xasprintf("%s-not-the-secret", p->secret);
		sim_sign_body(bad, ev->body, ev->len, ev->sig);
		sim_util_free_secret(bad);
		break;
	case SIM_POST_SIG_NONE:
		ev->sig[0] = '\0';
		break;
	}
}

static size_t
sim_post_write(char *data, size_t size, size_t n, void *arg)
{
	struct sim_post_slot	*slot = arg;

	/* Keep what fits; a receiver's answer is only for display. */
	buf_add(&slot->response, data, size * n);
	return (size * n);
}

static void
sim_post_setup(struct sim_post *p, struct sim_post_slot *slot)
{
	CURL	*e;

	if ((e = curl_easy_init()) == NULL)
		abort();
	slot->easy = e;
	buf_init(&slot->response, SIM_POST_RESPONSE_MAX);
	curl_easy_setopt(e, CURLOPT_URL, p->url);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, p->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, p->timeout_ms);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sim_post_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, slot);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, slot->error);
	curl_easy_setopt(e, CURLOPT_PRIVATE, slot);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "facebookexternalua");
	if (p->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, p->cacert);
}

static void
sim_post_start(struct sim_post *p, struct sim_post_slot *slot,
    struct sim_post_event *ev)
{
	char	 line[SIM_SIGN_LEN + 32];

	curl_slist_free_all(slot->headers);
	slot->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	slot->headers = curl_slist_append(slot->headers, "Expect:");
	if (ev->sig[0] != '\0') {
		snprintf(line, sizeof line, "X-Hub-Signature-256: %s",
		    ev->sig);
		slot->headers = curl_slist_append(slot->headers, line);
	}
	if (slot->headers == NULL)
		abort();
	curl_easy_setopt(slot->easy, CURLOPT_HTTPHEADER, slot->headers);
	curl_easy_setopt(slot->easy, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)ev->len);
	curl_easy_setopt(slot->easy, CURLOPT_POSTFIELDS, ev->body);
	buf_reset(&slot->response);
	slot->error[0] = '\0';
	slot->ev = ev;
	slot->start = sim_util_now();
	curl_multi_add_handle(p->multi, slot->easy);
	p->inflight++;
	p->requests++;
}

static struct sim_post_event *
sim_post_new_event(struct sim_post *p)
{
	struct sim_post_event	*ev;

	ev = xcalloc(1, sizeof *ev);
	ev->idx = p->next++;
	ev->body = sim_gen_text_event(&p->gen, ev->idx, &ev->wamid, &ev->len);
	sim_post_sign(p, ev);
	p->sent++;
	return (ev);
}

static void
sim_post_ack(struct sim_post *p, struct sim_post_event *ev, double ms)
{
	struct buf	 line;
	size_t		 off = 0;
	ssize_t		 n;

	p->acked++;
	if (p->nlatency == p->latency_cap) {
		p->latency_cap = p->latency_cap == 0 ? 1024 :
		    p->latency_cap * 2;
		p->latency = xrealloc(p->latency, p->latency_cap *
		    sizeof *p->latency);
	}
	p->latency[p->nlatency++] = ms;
	if (p->acked_fd == -1)
		return;

	/* One write per line, at once: the file is the receipt. */
	buf_init(&line, 0);
	buf_addf(&line, "%s\n", ev->wamid);
	while (off < line.len) {
		n = write(p->acked_fd, line.data + off, line.len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "support-inbox-sim: write '%s': %s\n",
			    p->acked_path, strerror(errno));
			break;
		}
		off += (size_t)n;
	}
	buf_release(&line);
}

static void
sim_post_done(struct sim_post *p, struct sim_post_slot *slot, CURLcode rc)
{
	struct sim_post_event	*ev = slot->ev;
	long			 code = 0;
	double			 now = sim_util_now();
	int			 again = 0;

	curl_multi_remove_handle(p->multi, slot->easy);
	slot->ev = NULL;
	p->inflight--;

	if (rc != CURLE_OK) {
		p->errors++;
		again = 1;
	} else {
		curl_easy_getinfo(slot->easy, CURLINFO_RESPONSE_CODE, &code);
		if (code >= 100 && code < 600)
			p->status[code]++;
		if (code == 200) {
			sim_post_ack(p, ev, (now - slot->start) * 1000.0);
			sim_post_event_free(ev);
			return;
		}
		/* Like Meta, deliver again what failed for a server reason. */
		again = code >= 500 || code == 429 || code == 408;
	}
	if (again && p->retry) {
		ev->due = now + SIM_POST_RETRY_DELAY;
		TAILQ_INSERT_TAIL(&p->retries, ev, entry);
		return;
	}
	p->given_up++;
	sim_post_event_free(ev);
}

static struct sim_post_slot *
sim_post_idle_slot(struct sim_post *p)
{
	int	i;

	for (i = 0; i < p->concurrency; i++) {
		if (p->slots[i].ev == NULL)
			return (&p->slots[i]);
	}
	return (NULL);
}

/* Starts what may start now; returns seconds until something else may. */
static double
sim_post_fill(struct sim_post *p, double now)
{
	struct sim_post_slot	*slot;
	struct sim_post_event	*ev;
	double			 wait = 1.0, due;

	while ((slot = sim_post_idle_slot(p)) != NULL) {
		ev = TAILQ_FIRST(&p->retries);
		if (ev != NULL) {
			/* Redeliveries first; new events wait for them. */
			if (ev->due > now) {
				wait = ev->due - now;
				break;
			}
			TAILQ_REMOVE(&p->retries, ev, entry);
		} else {
			if (p->next >= p->count)
				break;
			if (p->rate > 0) {
				due = p->t0 + (double)p->next / p->rate;
				if (due > now) {
					wait = due - now;
					break;
				}
			}
			ev = sim_post_new_event(p);
		}
		sim_post_start(p, slot, ev);
	}
	return (wait);
}

static int
sim_post_run(struct sim_post *p)
{
	struct sim_post_event	*ev;
	struct sim_post_slot	*slot;
	CURLMsg			*msg;
	double			 now, wait;
	int			 running, left, ms, i;

	p->multi = curl_multi_init();
	curl_multi_setopt(p->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)p->concurrency);
	curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS,
	    (long)p->concurrency);
	p->slots = xcalloc((size_t)p->concurrency, sizeof *p->slots);
	for (i = 0; i < p->concurrency; i++)
		sim_post_setup(p, &p->slots[i]);
	TAILQ_INIT(&p->retries);

	p->t0 = sim_util_now();
	if (p->duration > 0)
		p->deadline = p->t0 + p->duration;
	for (;;) {
		now = sim_util_now();
		if (p->deadline > 0 && now >= p->deadline)
			wait = 1.0;	/* start nothing; let the rest finish */
		else
			wait = sim_post_fill(p, now);
		if (p->inflight == 0) {
			if (p->deadline > 0 && now >= p->deadline)
				break;
			if (TAILQ_EMPTY(&p->retries) && p->next >= p->count)
				break;
		}
		if (p->deadline > 0 && now < p->deadline &&
		    p->deadline - now < wait)
			wait = p->deadline - now;
		ms = (int)ceil(wait * 1000.0);
		if (ms < 0)
			ms = 0;
		if (ms > 1000)
			ms = 1000;
		curl_multi_poll(p->multi, NULL, 0, ms, NULL);
		curl_multi_perform(p->multi, &running);
		while ((msg = curl_multi_info_read(p->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&slot);
			sim_post_done(p, slot, msg->data.result);
		}
	}

	while ((ev = TAILQ_FIRST(&p->retries)) != NULL) {
		TAILQ_REMOVE(&p->retries, ev, entry);
		p->given_up++;
		sim_post_event_free(ev);
	}
	for (i = 0; i < p->concurrency; i++) {
		curl_easy_cleanup(p->slots[i].easy);
		curl_slist_free_all(p->slots[i].headers);
		buf_release(&p->slots[i].response);
	}
	free(p->slots);
	curl_multi_cleanup(p->multi);
	return (0);
}

static int
sim_post_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
sim_post_pct(const double *v, size_t n, double pct)
{
	size_t	i;

	if (n == 0)
		return (0);
	i = (size_t)ceil(pct * (double)n);
	if (i == 0)
		i = 1;
	return (v[i - 1]);
}

static void
sim_post_summary(struct sim_post *p, double seconds)
{
	struct buf	out;
	const char	*sep = "";
	int		code;

	if (p->nlatency > 0)
		qsort(p->latency, p->nlatency, sizeof *p->latency,
		    sim_post_cmp);
	buf_init(&out, 0);
	buf_addf(&out, "{\"sent\":%llu,\"acked\":%llu,\"status\":{",
	    (unsigned long long)p->sent, (unsigned long long)p->acked);
	for (code = 100; code < 600; code++) {
		if (p->status[code] == 0)
			continue;
		buf_addf(&out, "%s\"%d\":%llu", sep, code,
		    (unsigned long long)p->status[code]);
		sep = ",";
	}
	buf_addf(&out, "},\"errors\":%llu,\"requests\":%llu,"
	    "\"unacked\":%llu,\"seconds\":%.3f,\"rate\":%.1f,"
	    "\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
	    "\"max\":%.3f}}\n",
	    (unsigned long long)p->errors, (unsigned long long)p->requests,
	    (unsigned long long)p->given_up, seconds,
	    seconds > 0 ? (double)p->acked / seconds : 0.0,
	    sim_post_pct(p->latency, p->nlatency, 0.50),
	    sim_post_pct(p->latency, p->nlatency, 0.90),
	    sim_post_pct(p->latency, p->nlatency, 0.99),
	    sim_post_pct(p->latency, p->nlatency, 1.00));
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	buf_release(&out);
}

/* --body-file: one signed POST of a file's bytes, answer on stdout. */
static int
sim_post_body_file(struct sim_post *p)
{
	struct sim_post_event	 ev;
	struct sim_post_slot	 slot;
	CURLcode		 rc;
	long			 code = 0;
	char			*cause;
	int			 r = 1;

	memset(&ev, 0, sizeof ev);
	memset(&slot, 0, sizeof slot);
	if (sim_util_read_file(p->body_file, 64 * 1024 * 1024, &ev.body,
	    &ev.len, &cause) != 0) {
		fprintf(stderr, "support-inbox-sim: %s\n", cause);
		free(cause);
		return (1);
	}
	sim_post_sign(p, &ev);
	sim_post_setup(p, &slot);
	slot.headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	slot.headers = curl_slist_append(slot.headers, "Expect:");
	if (ev.sig[0] != '\0') {
		char	line[SIM_SIGN_LEN + 32];

		snprintf(line, sizeof line, "X-Hub-Signature-256: %s", ev.sig);
		slot.headers = curl_slist_append(slot.headers, line);
	}
	curl_easy_setopt(slot.easy, CURLOPT_HTTPHEADER, slot.headers);
	curl_easy_setopt(slot.easy, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)ev.len);
	curl_easy_setopt(slot.easy, CURLOPT_POSTFIELDS, ev.body);
	rc = curl_easy_perform(slot.easy);
	if (rc != CURLE_OK) {
		fprintf(stderr, "support-inbox-sim: POST '%s': %s\n", p->url,
		    slot.error[0] != '\0' ? slot.error :
		    curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(slot.easy, CURLINFO_RESPONSE_CODE, &code);
		printf("%ld\n", code);
		if (slot.response.len > 0) {
			fwrite(slot.response.data, 1, slot.response.len,
			    stdout);
			if (slot.response.data[slot.response.len - 1] != '\n')
				putchar('\n');
		}
		fflush(stdout);
		r = 0;
	}
	curl_easy_cleanup(slot.easy);
	curl_slist_free_all(slot.headers);
	buf_release(&slot.response);
	free(ev.body);
	return (r);
}

int
sim_post_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url",		required_argument, NULL, 'u' },
		{ "secret-file",	required_argument, NULL, 's' },
		{ "count",		required_argument, NULL, 'n' },
		{ "rate",		required_argument, NULL, 'r' },
		{ "concurrency",	required_argument, NULL, 'c' },
		{ "acked",		required_argument, NULL, 'a' },
		{ "seed",		required_argument, NULL, 'S' },
		{ "prefix",		required_argument, NULL, 'p' },
		{ "duration",		required_argument, NULL, 'd' },
		{ "timeout",		required_argument, NULL, 't' },
		{ "customers",		required_argument, NULL, 'C' },
		{ "no-retry",		no_argument,	   NULL, 'R' },
		{ "sig",		required_argument, NULL, 'g' },
		{ "body-file",		required_argument, NULL, 'b' },
		{ "cacert",		required_argument, NULL, 'k' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL,			0,		   NULL, 0 }
	};
	struct sim_post	 p;
	const char	*secret_file = NULL, *prefix = "";
	char		*cause = NULL, *end;
	long long	 v, customers = 50;
	uint64_t	 seed;
	int		 ch, r = 1, have_count = 0;
	double		 t;

	memset(&p, 0, sizeof p);
	p.count = 100;
	p.concurrency = 8;
	p.acked_fd = -1;
	p.retry = 1;
	p.timeout_ms = 10000;
	randombytes_buf(&seed, sizeof seed);

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			p.url = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'n':
			if (sim_util_number(optarg, 0, LLONG_MAX, &v,
			    &cause) != 0)
				goto bad;
			p.count = v == 0 ? UINT64_MAX : (uint64_t)v;
			have_count = 1;
			break;
		case 'r':
			errno = 0;
			p.rate = strtod(optarg, &end);
			if (end == optarg || errno != 0 || p.rate < 0 ||
			    (*end != '\0' && strcmp(end, "/s") != 0)) {
				cause = xasprintf("bad rate '%s'", optarg);
				goto bad;
			}
			break;
		case 'c':
			if (sim_util_number(optarg, 1, 1024, &v, &cause) != 0)
				goto bad;
			p.concurrency = (int)v;
			break;
		case 'a':
			p.acked_path = optarg;
			break;
		case 'S':
			if (sim_util_number(optarg, 0, LLONG_MAX, &v,
			    &cause) != 0)
				goto bad;
			seed = (uint64_t)v;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 'd':
		case 't':
			errno = 0;
			t = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || errno != 0 ||
			    t <= 0 || t > 86400) {
				cause = xasprintf("bad number of seconds '%s'",
				    optarg);
				goto bad;
			}
			if (ch == 'd')
				p.duration = t;
			else
				p.timeout_ms = (long)(t * 1000);
			break;
		case 'C':
			if (sim_util_number(optarg, 1, 100000, &customers,
			    &cause) != 0)
				goto bad;
			break;
		case 'R':
			p.retry = 0;
			break;
		case 'g':
			if (strcmp(optarg, "good") == 0)
				p.sig = SIM_POST_SIG_GOOD;
			else if (strcmp(optarg, "bad") == 0)
				p.sig = SIM_POST_SIG_BAD;
			else if (strcmp(optarg, "none") == 0)
				p.sig = SIM_POST_SIG_NONE;
			else {
				cause = xasprintf("--sig is good, bad or none");
				goto bad;
			}
			break;
		case 'b':
			p.body_file = optarg;
			break;
		case 'k':
			p.cacert = optarg;
			break;
		default:
			sim_post_usage();
			return (ch == 'h' ? 0 : 1);
		}
	}
	if (optind != argc || p.url == NULL || secret_file == NULL) {
		sim_post_usage();
		return (1);
	}
	if (!have_count && p.duration > 0)
		p.count = UINT64_MAX;
	if (p.count == UINT64_MAX && p.duration == 0) {
		cause = xasprintf("--count 0 needs --duration");
		goto bad;
	}
	if (sim_util_url_loopback(p.url, &cause) != 0)
		goto bad;
	if (p.cacert != NULL && sim_util_cacert(p.cacert, &cause) != 0)
		goto bad;
	if ((p.secret = sim_util_read_secret(secret_file, &cause)) == NULL)
		goto bad;

	if (p.body_file != NULL) {
		r = sim_post_body_file(&p);
		goto out;
	}
	if (p.acked_path != NULL) {
		p.acked_fd = open(p.acked_path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644);
		if (p.acked_fd == -1) {
			cause = xasprintf("cannot open '%s': %s", p.acked_path,
			    strerror(errno));
			goto bad;
		}
	}
	sim_gen_init(&p.gen, seed, prefix, (size_t)customers);
	sim_post_run(&p);
	sim_post_summary(&p, sim_util_now() - p.t0);
	sim_gen_release(&p.gen);
	r = 0;
	goto out;

bad:
	fprintf(stderr, "support-inbox-sim: %s\n", cause);
	free(cause);
	r = 1;
out:
	if (p.acked_fd != -1)
		close(p.acked_fd);
	free(p.latency);
	sim_util_free_secret(p.secret);
	return (r);
}

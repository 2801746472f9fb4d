/*
 * CLI: the session's commands (rpc-session.c): status, and events, which
 * subscribes and prints what arrives; cli_session_wait, which keeps a
 * connection (and so presence) open, serves presence set too.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

/*
 * Which app secret signed the webhooks stored since the daemon started:
 * during a rotation the previous one may go once it is no longer used.
 */
static void
cli_session_secrets(json_t *sec)
{
	static const char	*which[] = { "current", "previous" };
	json_t			*s;
	time_t			 t;
	struct tm		 tm;
	char			 when[32];
	size_t			 i;

	for (i = 0; i < 2; i++) {
		s = json_object_get(sec, which[i]);
		if (s == NULL)
			continue;
		if (i == 1 && !json_is_true(json_object_get(s, "configured"))) {
			printf("previous app secret: not configured\n");
			continue;
		}
		if (json_is_integer(json_object_get(s, "last"))) {
			t = (time_t)json_integer_value(json_object_get(s,
			    "last"));
			gmtime_r(&t, &tm);
			strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		} else
			snprintf(when, sizeof when, "never");
		printf("%s app secret: %lld webhook(s) accepted since the "
		    "start or the last change of the secrets, last %s\n",
		    which[i], json_integer_value(
		    json_object_get(s, "accepted")), when);
	}
}

/* agent.away: said while away, so nobody forgets they still are. */
static void
cli_session_away(json_t *me)
{
	time_t		t = (time_t)json_integer_value(json_object_get(me,
			    "away"));
	struct tm	tm;
	char		at[32];

	if (t == 0)
		return;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(at, sizeof at, "%a %H:%M", &tm) == 0)
		snprintf(at, sizeof at, "?");
	printf("you (%s) are away since %s: no conversations are assigned "
	    "to you automatically ('support-inbox available' ends it)\n",
	    json_string_value(json_object_get(me, "name")), at);
}

static int
cli_session_status(struct client *c, struct cli_opts *o)
{
	json_t	*r, *counts, *wh, *se, *a;
	size_t	 i;

	if ((r = cli_call(c, PM_STATUS, NULL)) == NULL)
		return (1);
	if (o->json)
		cli_print_json(r);
	else {
		counts = json_object_get(r, "counts");
		wh = json_object_get(r, "webhook");
		printf("support-inboxd %s, schema %lld, up %llds, %lld "
		    "client(s)\n", json_string_value(json_object_get(r,
		    "version")), json_integer_value(json_object_get(r,
		    "schema_version")), json_integer_value(json_object_get(r,
		    "uptime")), json_integer_value(json_object_get(r,
		    "clients")));
		printf("agents %lld, contacts %lld, conversations %lld, "
		    "messages %lld\n",
		    json_integer_value(json_object_get(counts, "agents")),
		    json_integer_value(json_object_get(counts, "contacts")),
		    json_integer_value(json_object_get(counts,
		    "conversations")),
		    json_integer_value(json_object_get(counts, "messages")));
		printf("webhook: %s, accepted %lld, bad signature %lld, "
		    "quarantined %lld, alerts %lld\n",
		    json_is_true(json_object_get(wh, "enabled")) ? "on" : "off",
		    json_integer_value(json_object_get(wh, "accepted")),
		    json_integer_value(json_object_get(wh, "bad_signature")),
		    json_integer_value(json_object_get(counts, "quarantined")),
		    json_integer_value(json_object_get(counts, "alerts")));
		cli_session_secrets(json_object_get(wh, "secrets"));
		cli_session_away(json_object_get(r, "me"));
		/* alarms: wrong now, need a fix; alerts: the history. */
		printf("alarms (now, need a fix): %zu; alerts (history, kept "
		    "in the store): %lld\n", json_array_size(json_object_get(r,
		    "alarms")), json_integer_value(json_object_get(counts,
		    "alerts")));
		json_array_foreach(json_object_get(r, "alarms"), i, a)
			printf("ALARM %s: %s (%s)\n",
			    json_string_value(json_object_get(a, "kind")),
			    json_string_value(json_object_get(a, "message")),
			    json_string_value(json_object_get(a, "fix")));
		se = json_object_get(r, "search");
		if (json_is_true(json_object_get(se, "building")))
			printf("search index: building, %lld%%\n",
			    json_integer_value(json_object_get(se,
			    "progress")));
		else if (json_is_true(json_object_get(se, "enabled")))
			printf("search index: %lld documents, built in "
			    "%lld ms\n", json_integer_value(json_object_get(se,
			    "docs")), json_integer_value(json_object_get(se,
			    "build_ms")));
	}
	json_decref(r);
	return (0);
}

static int64_t
cli_session_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
cli_session_wait(struct client *c, int64_t secs, long long count)
{
	struct pollfd	 pfd;
	json_t		*ev;
	int64_t		 end = cli_session_ms() + secs * 1000;
	long long	 seen = 0;
	char		*s;

	for (;;) {
		while ((ev = client_next_event(c)) != NULL ||
		    (ev = client_next(c)) != NULL) {
			if (json_object_get(ev, "event") != NULL) {
				s = json_dumps(ev, JSON_COMPACT |
				    JSON_ENSURE_ASCII);
				printf("%s\n", s);
				fflush(stdout);
				free(s);
				seen++;
			}
			json_decref(ev);
			if (count > 0 && seen >= count)
				return (0);
		}
		if (secs > 0 && cli_session_ms() >= end)
			return (0);
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) > 0 && client_read(c) != 0)
			return (cli_err("connection to the daemon lost"));
	}
}

static int
cli_session_events(struct client *c, struct cli_opts *o)
{
	json_t		*r;
	const char	*f;
	int64_t		 secs = 0;
	long long	 count = 0;

	if (cli_flag_duration(o, "timeout", &secs) < 0)
		return (1);
	if ((f = cli_flag(o, "count")) != NULL &&
	    (cli_parse_int(f, &count) != 0 || count < 1))
		return (cli_err("--count expects a positive number"));
	if ((r = cli_call(c, PM_SUBSCRIBE, NULL)) == NULL)
		return (1);
	json_decref(r);
	printf("{\"subscribed\":true}\n");
	fflush(stdout);
	return (cli_session_wait(c, secs, count));
}

const struct cli_entry cli_session_table[] = {
	{ "status", NULL, "status [--json]", cli_session_status },
	{ NULL, NULL, NULL, NULL }
};

const struct cli_entry cli_session_events_table[] = {
	{ "events", NULL, "events [--count N] [--timeout DURATION]",
	    cli_session_events },
	{ NULL, NULL, NULL, NULL }
};

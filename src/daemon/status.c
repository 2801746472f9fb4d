/*
 * "support-inboxd status -c CONFIG [--json]": the running daemon's health
 * for the operator and for monitoring, asked over the agents' socket with
 * daemon.status. Root and the daemon's own user need not be agents (a
 * service account is no person). The live alarms are in the daemon's
 * memory, so this asks it rather than reading the database.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "proto-names.h"
#include "proto.h"
#include "status.h"
#include "xmalloc.h"

#define STATUS_TIMEOUT	10	/* seconds for each read and write */

static int
status_connect(const char *path, char **cause)
{
	struct sockaddr_un	sun;
	struct timeval		tv = { STATUS_TIMEOUT, 0 };
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		*cause = xasprintf("socket path '%s' is too long", path);
		return (-1);
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return (-1);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0)
		return (fd);
	if (errno == ENOENT || errno == ECONNREFUSED)
		*cause = xasprintf("the daemon is not running (no one answers "
		    "on '%s'); start it (systemctl start support-inboxd, or "
		    "support-inboxd -c CONFIG)", path);
	else if (errno == EACCES)
		*cause = xasprintf("cannot reach '%s': %s; run this as root "
		    "or as the daemon's user", path, strerror(errno));
	else
		*cause = xasprintf("cannot connect to '%s': %s", path,
		    strerror(errno));
	close(fd);
	return (-1);
}

static int
status_send(int fd, int64_t id, const char *method, json_t *params)
{
	json_t	*j;
	char	*out;
	size_t	 len, off = 0;
	ssize_t	 n;

	j = json_pack("{sI ss so}", "id", (json_int_t)id, "method", method,
	    "params", params);
	out = proto_encode(j, &len);
	json_decref(j);
	if (out == NULL)
		return (-1);
	while (off < len) {
		if ((n = write(fd, out + off, len - off)) <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			free(out);
			return (-1);
		}
		off += (size_t)n;
	}
	free(out);
	return (0);
}

/* The answer to request id (events are skipped); NULL on a lost socket. */
static json_t *
status_recv(int fd, struct buf *b, int64_t id, char **cause)
{
	char	 chunk[8192];
	json_t	*j;
	size_t	 len;
	ssize_t	 n;
	int	 r;

	for (;;) {
		while ((r = proto_frame_next(b, &len)) == 1) {
			j = json_loadb(b->data, len, 0, NULL);
			buf_consume(b, len + 1);
			if (j != NULL && json_integer_value(json_object_get(j,
			    "id")) == id)
				return (j);
			json_decref(j);
		}
		if (r < 0) {
			*cause = xstrdup("the daemon's answer is too long");
			return (NULL);
		}
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("the daemon closed the connection%s%s",
			    n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
			return (NULL);
		}
		if (buf_add(b, chunk, (size_t)n) != 0) {
			*cause = xstrdup("the daemon's answer is too long");
			return (NULL);
		}
	}
}

static void
status_when(char *dst, size_t dstsz, json_t *t)
{
	time_t		v;
	struct tm	tm;

	if (!json_is_integer(t) || json_integer_value(t) <= 0) {
		snprintf(dst, dstsz, "never");
		return;
	}
	v = (time_t)json_integer_value(t);
	gmtime_r(&v, &tm);
	strftime(dst, dstsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* "key N, key yes, ..." of an object's numbers and booleans. */
static void
status_pairs(const char *title, json_t *o)
{
	const char	*k;
	json_t		*v;
	int		 first = 1;

	printf("%s:", title);
	json_object_foreach(o, k, v) {
		if (json_is_integer(v))
			printf("%s %s %lld", first ? "" : ",", k,
			    (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			printf("%s %s %s", first ? "" : ",", k,
			    json_is_true(v) ? "yes" : "no");
		else
			continue;
		first = 0;
	}
	printf("%s\n", first ? " -" : "");
}

static void
status_secret(const char *which, json_t *s, int configured)
{
	char	when[32];

	if (!configured) {
		printf("  %s: not configured\n", which);
		return;
	}
	status_when(when, sizeof when, json_object_get(s, "last"));
	printf("  %s: %lld webhook%s accepted, last %s\n", which,
	    (long long)json_integer_value(json_object_get(s, "accepted")),
	    json_integer_value(json_object_get(s, "accepted")) == 1 ? "" :
	    "s", when);
}

static void
status_print(json_t *r)
{
	json_t	*wh, *sec, *a;
	char	 when[32];
	size_t	 i;

	printf("support-inboxd %s (protocol %lld, schema %lld), up %lld s, "
	    "%lld client%s connected\n",
	    json_string_value(json_object_get(r, "version")),
	    (long long)json_integer_value(json_object_get(r, "protocol")),
	    (long long)json_integer_value(json_object_get(r,
	    "schema_version")),
	    (long long)json_integer_value(json_object_get(r, "uptime")),
	    (long long)json_integer_value(json_object_get(r, "clients")),
	    json_integer_value(json_object_get(r, "clients")) == 1 ? "" : "s");
	printf("(alarms: what is wrong now and needs a fix; alerts: what "
	    "happened, kept in the store; webhook and send counters count "
	    "since the start)\n");
	printf("alarms (now):");
	if (json_array_size(json_object_get(r, "alarms")) == 0)
		printf(" none\n");
	else
		printf("\n");
	json_array_foreach(json_object_get(r, "alarms"), i, a) {
		printf("  ALARM %s: %s\n", json_string_value(json_object_get(a,
		    "kind")), json_string_value(json_object_get(a,
		    "message")));
		if (json_is_string(json_object_get(a, "fix")))
			printf("    fix: %s\n", json_string_value(
			    json_object_get(a, "fix")));
	}
	if (json_is_string(json_object_get(r, "store_check")))
		printf("store check at start: %s\n", json_string_value(
		    json_object_get(r, "store_check")));
	status_pairs("counts", json_object_get(r, "counts"));
	wh = json_object_get(r, "webhook");
	status_pairs("webhooks", wh);
	sec = json_object_get(wh, "secrets");
	status_when(when, sizeof when, json_object_get(sec, "since"));
	printf("  app secrets, counted since %s (the start or their last "
	    "change):\n", when);
	status_secret("current app secret", json_object_get(sec, "current"),
	    1);
	status_secret("previous app secret", json_object_get(sec, "previous"),
	    json_is_true(json_object_get(json_object_get(sec, "previous"),
	    "configured")));
	if (json_is_object(json_object_get(r, "outbox")))
		status_pairs("outbox", json_object_get(r, "outbox"));
	printf("alerts (history, newest first):");
	if (json_array_size(json_object_get(r, "alerts")) == 0)
		printf(" none\n");
	else
		printf("\n");
	json_array_foreach(json_object_get(r, "alerts"), i, a) {
		status_when(when, sizeof when, json_object_get(a, "last"));
		printf("  %s %s", when, json_string_value(json_object_get(a,
		    "kind")));
		if (json_is_integer(json_object_get(a, "code")))
			printf(" %lld", (long long)json_integer_value(
			    json_object_get(a, "code")));
		if (json_is_string(json_object_get(a, "title")))
			printf(": %s", json_string_value(json_object_get(a,
			    "title")));
		printf(" (%lld time%s)\n", (long long)json_integer_value(
		    json_object_get(a, "count")), json_integer_value(
		    json_object_get(a, "count")) == 1 ? "" : "s");
	}
}

int
status_main(const struct conf *conf, int as_json)
{
	struct buf	 b;
	json_t		*hello = NULL, *res = NULL, *err;
	char		*cause = NULL, *out;
	int		 fd, rc = 1;

	if ((fd = status_connect(conf->socket, &cause)) == -1)
		goto fail;
	buf_init(&b, PROTO_FRAME_MAX + 1);
	if (status_send(fd, 1, PM_HELLO, json_pack("{si}", "version",
	    PROTO_VERSION)) != 0 || status_send(fd, 2, PM_DAEMON_STATUS,
	    json_object()) != 0) {
		cause = xasprintf("cannot write to '%s': %s", conf->socket,
		    strerror(errno));
		goto out;
	}
	if ((hello = status_recv(fd, &b, 1, &cause)) == NULL ||
	    (res = status_recv(fd, &b, 2, &cause)) == NULL)
		goto out;
	if ((err = json_object_get(res, "error")) != NULL) {
		cause = xasprintf("%s", json_string_value(json_object_get(err,
		    "message")));
		goto out;
	}
	if (as_json) {
		out = json_dumps(json_object_get(res, "result"), JSON_INDENT(2));
		printf("%s\n", out);
		free(out);
	} else
		status_print(json_object_get(res, "result"));
	rc = 0;
out:
	json_decref(hello);
	json_decref(res);
	buf_release(&b);
	close(fd);
	if (rc == 0)
		return (0);
fail:
	fprintf(stderr, "support-inboxd: %s\n", cause);
	free(cause);
	return (1);
}

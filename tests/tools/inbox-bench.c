/*
 * inbox-bench: end-to-end latencies of inbox methods through the daemon's
 * socket (request out, whole reply parsed), median and 95th percentile of
 * repeated calls. Prints figures; asserts nothing.
 *   inbox-bench SOCKET [REPEAT]
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

static int	 fd;
static char	 inbuf[4 * 1024 * 1024];
static size_t	 inlen;

static double
bench_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

/* One call; returns the result (caller decrefs) or NULL. */
static json_t *
bench_call(const char *method, json_t *params)
{
	static int	 id;
	json_t		*req, *rep, *res;
	char		*s, *nl;
	size_t		 len;
	ssize_t		 n;

	req = json_pack("{si ss so}", "id", ++id, "method", method, "params",
	    params != NULL ? params : json_object());
	s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	len = strlen(s);
	s[len] = '\n';
	if (write(fd, s, len + 1) != (ssize_t)(len + 1)) {
		free(s);
		return (NULL);
	}
	free(s);
	for (;;) {
		if ((nl = memchr(inbuf, '\n', inlen)) != NULL)
			break;
		n = read(fd, inbuf + inlen, sizeof inbuf - inlen);
		if (n <= 0)
			return (NULL);
		inlen += (size_t)n;
	}
	rep = json_loadb(inbuf, (size_t)(nl - inbuf), 0, NULL);
	memmove(inbuf, nl + 1, inlen - (size_t)(nl - inbuf) - 1);
	inlen -= (size_t)(nl - inbuf) + 1;
	if (rep == NULL)
		return (NULL);
	if (json_object_get(rep, "event") != NULL) {
		json_decref(rep);
		return (bench_call(method, NULL));
	}
	res = json_incref(json_object_get(rep, "result"));
	if (res == NULL)
		fprintf(stderr, "inbox-bench: %s: %s\n", method,
		    json_string_value(json_object_get(json_object_get(rep,
		    "error"), "message")));
	json_decref(rep);
	return (res);
}

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Times `repeat` calls of method with params (a template, copied). */
static void
bench_one(const char *label, const char *method, json_t *params, int repeat)
{
	double	*t, t0;
	json_t	*r;
	int	 i, rows = -1;

	t = calloc((size_t)repeat, sizeof *t);
	for (i = 0; i < repeat; i++) {
		t0 = bench_ms();
		r = bench_call(method, json_deep_copy(params));
		t[i] = bench_ms() - t0;
		if (r == NULL) {
			printf("  %-34s failed\n", label);
			free(t);
			json_decref(params);
			return;
		}
		if (json_is_array(json_object_get(r, "rows")))
			rows = (int)json_array_size(json_object_get(r, "rows"));
		else if (json_is_array(json_object_get(r, "messages")))
			rows = (int)json_array_size(json_object_get(r,
			    "messages"));
		json_decref(r);
	}
	qsort(t, (size_t)repeat, sizeof *t, bench_cmp);
	printf("  %-34s median %7.2f ms   p95 %7.2f ms", label,
	    t[repeat / 2], t[(repeat * 95) / 100 < repeat ? (repeat * 95) /
	    100 : repeat - 1]);
	if (rows >= 0)
		printf("   (%d rows)", rows);
	printf("\n");
	free(t);
	json_decref(params);
}

int
main(int argc, char **argv)
{
	static const char	*views[] = { "all", "mine", "unassigned", "open",
				    "pending", "snoozed", "resolved",
				    "label:vip", "team:sales", "window:4",
				    "failed", NULL };
	static const char	*queries[] = { "parcel", "w100", "w12345",
				    "refund status:open", "order assignee:none",
				    "delivery in:", "invoice label:vip",
				    "tracking from:2000-01-01", NULL };
	struct sockaddr_un	 sun;
	json_t			*r;
	char			 label[64];
	int			 repeat = 20, i;

	if (argc < 2)
		return (2);
	if (argc > 2)
		repeat = (int)strtol(argv[2], NULL, 10);
	if (repeat > 1000000)
		repeat = 1000000;
	if (repeat < 1)
		repeat = 1;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		perror("inbox-bench: connect");
		return (1);
	}
	if ((r = bench_call("hello", json_pack("{si}", "version", 1))) ==
	    NULL)
		return (1);
	json_decref(r);
	if ((r = bench_call("search.stats", NULL)) != NULL) {
		printf("  search index: %lld documents filled in %lld ms "
		    "after start (%lld MiB SQLite memory)\n",
		    json_integer_value(json_object_get(r, "docs")),
		    json_integer_value(json_object_get(r, "build_ms")),
		    json_integer_value(json_object_get(r, "memory")) >> 20);
		json_decref(r);
	}
	printf("views, first page of 50 (through the socket):\n");
	for (i = 0; views[i] != NULL; i++) {
		snprintf(label, sizeof label, "conv.list %s", views[i]);
		bench_one(label, "conv.list", json_pack("{ss si}", "view",
		    views[i], "limit", 50), repeat);
	}
	bench_one("conv.counts (every view)", "conv.counts", NULL, repeat);
	printf("opening a conversation:\n");
	bench_one("conv.show, last 100 messages", "conv.show",
	    json_pack("{si si}", "id", 1, "limit", 100), repeat);
	printf("search, first page of 50:\n");
	for (i = 0; queries[i] != NULL; i++) {
		snprintf(label, sizeof label, "search \"%s\"", queries[i]);
		bench_one(label, "search", json_pack("{ss si}", "q",
		    queries[i], "limit", 50), repeat);
	}
	close(fd);
	return (0);
}

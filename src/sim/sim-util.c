/* Small helpers every simulator command needs: files, clocks, JSON, HTTP. */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "buf.h"
#include "sim.h"
#include "xmalloc.h"

double
sim_util_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

int
sim_util_read_file(const char *path, size_t max, char **data, size_t *len,
    char **cause)
{
	struct buf	b;
	char		chunk[65536];
	ssize_t		n;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("cannot open '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	buf_init(&b, max);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("cannot read '%s': %s", path,
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (buf_add(&b, chunk, (size_t)n) != 0) {
			*cause = xasprintf("'%s' is larger than %zu bytes",
			    path, max);
			goto fail;
		}
	}
	close(fd);
	*data = buf_detach(&b, len);
	return (0);

fail:
	close(fd);
	buf_release(&b);
	return (-1);
}

char *
sim_util_read_secret(const char *path, char **cause)
{
	struct stat	 st;
	char		*data;
	size_t		 len;

	if (stat(path, &st) == 0 && (st.st_mode & 077) != 0) {
		fprintf(stderr, "support-inbox-sim: warning: '%s' is readable "
		    "by others (mode %03o)\n", path,
		    (unsigned)(st.st_mode & 0777));
	}
	if (sim_util_read_file(path, 4096, &data, &len, cause) != 0)
		return (NULL);
	data[strcspn(data, "\r\n")] = '\0';
	len = strlen(data);
	while (len > 0 && isspace((unsigned char)data[len - 1]))
		data[--len] = '\0';
	if (len == 0) {
		free(data);
		*cause = xasprintf("'%s' is empty", path);
		return (NULL);
	}
	return (data);
}

void
sim_util_free_secret(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

int
sim_util_cacert(const char *path, char **cause)
{
	char	*pem = NULL;
	size_t	 len;

	if (sim_util_read_file(path, 16 * 1024 * 1024, &pem, &len,
	    cause) != 0)
		return (-1);
	if (memmem(pem, len, "-----BEGIN CERTIFICATE-----", 27) == NULL) {
		free(pem);
		*cause = xasprintf("--cacert '%s' holds no PEM certificate",
		    path);
		return (-1);
	}
	free(pem);
	return (0);
}

int
sim_util_url_loopback(const char *url, char **cause)
{
	CURLU		*u;
	char		*host = NULL, *scheme = NULL;
	struct in_addr	 a4;
	struct in6_addr	 a6;
	size_t		 n;
	int		 ok = 0;

	if ((u = curl_url()) == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		*cause = xasprintf("cannot parse URL '%s'", url);
		goto out;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		*cause = xasprintf("URL '%s' is not http or https", url);
		goto out;
	}
	n = strlen(host);
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &a6) == 1 &&
		    IN6_IS_ADDR_LOOPBACK(&a6))
			ok = 1;
	} else if (strcasecmp(host, "localhost") == 0)
		ok = 1;
	else if (inet_pton(AF_INET, host, &a4) == 1 &&
	    (ntohl(a4.s_addr) >> 24) == 127)
		ok = 1;
	if (!ok)
		*cause = xasprintf("URL '%s' is not a loopback address", url);
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return (ok ? 0 : -1);
}

int
sim_util_number(const char *s, long long min, long long max, long long *out,
    char **cause)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0) {
		*cause = xasprintf("'%s' is not a number", s);
		return (-1);
	}
	if (v < min || v > max) {
		*cause = xasprintf("'%s' is out of range (%lld..%lld)", s,
		    min, max);
		return (-1);
	}
	*out = v;
	return (0);
}

char *
sim_util_json_meta(const json_t *j, size_t *len)
{
	char	*s, *p;

	s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII |
	    JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER);
	if (s == NULL)
		abort();
	/* jansson writes \u00FC; Meta writes \u00fc, and signs that. */
	for (p = s; *p != '\0'; p++) {
		if (*p != '\\')
			continue;
		p++;
		if (*p == 'u') {
			p[1] = (char)tolower((unsigned char)p[1]);
			p[2] = (char)tolower((unsigned char)p[2]);
			p[3] = (char)tolower((unsigned char)p[3]);
			p[4] = (char)tolower((unsigned char)p[4]);
			p += 4;
		}
	}
	if (len != NULL)
		*len = (size_t)(p - s);
	return (s);
}

int
sim_util_listen(struct evhttp *http, const char *spec, char **cause)
{
	struct evhttp_bound_socket	*bs;
	struct sockaddr_storage		 ss = { 0 };
	socklen_t			 sl = sizeof ss;
	char				*host, *colon;
	long long			 port;
	int				 r = -1;

	host = xstrdup(spec);
	if ((colon = strrchr(host, ':')) == NULL) {
		*cause = xasprintf("listen address '%s' is not HOST:PORT",
		    spec);
		goto out;
	}
	*colon = '\0';
	if (sim_util_number(colon + 1, 0, 65535, &port, cause) != 0)
		goto out;
	if (host[0] == '[' && colon > host + 1 && colon[-1] == ']') {
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	bs = evhttp_bind_socket_with_handle(http, host, (uint16_t)port);
	if (bs == NULL) {
		*cause = xasprintf("cannot listen on '%s'", spec);
		goto out;
	}
	if (getsockname(evhttp_bound_socket_get_fd(bs),
	    (struct sockaddr *)&ss, &sl) != 0) {
		*cause = xasprintf("getsockname: %s", strerror(errno));
		goto out;
	}
	if (ss.ss_family == AF_INET)
		r = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	else
		/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): getsockname filled ss (zeroed first anyway) */
		r = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
out:
	free(host);
	return (r);
}

const char *
sim_util_body(struct evhttp_request *req, size_t *len)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 n = evbuffer_get_length(in);
	unsigned char	*p;

	/*
	 * A NUL past the end makes the body usable as a C string. A request
	 * answered later (a slow fault) comes here twice: the NUL is then
	 * already there. No JSON or multipart body ends in a NUL of its own.
	 */
	p = evbuffer_pullup(in, -1);
	if (n > 0 && p[n - 1] == '\0') {
		*len = n - 1;
		return ((const char *)p);
	}
	evbuffer_add(in, "", 1);
	p = evbuffer_pullup(in, -1);
	*len = n;
	return ((const char *)p);
}

/* Replies with raw text as application/json. */
static void
sim_util_reply_raw(struct evhttp_request *req, int code, const char *s,
    size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct evbuffer		*out = evhttp_request_get_output_buffer(req);
	const char		*reason;

	evhttp_add_header(h, "Content-Type", "application/json; charset=UTF-8");
	evbuffer_add(out, s, len);
	switch (code) {
	case 200: reason = "OK"; break;
	case 400: reason = "Bad Request"; break;
	case 401: reason = "Unauthorized"; break;
	case 403: reason = "Forbidden"; break;
	case 404: reason = "Not Found"; break;
	case 405: reason = "Method Not Allowed"; break;
	case 500: reason = "Internal Server Error"; break;
	case 503: reason = "Service Unavailable"; break;
	default: reason = "Status"; break;
	}
	evhttp_send_reply(req, code, reason, NULL);
}

void
sim_util_reply_json(struct evhttp_request *req, int code, json_t *j)
{
	char	*s;
	size_t	 len;

	s = sim_util_json_meta(j, &len);
	json_decref(j);
	sim_util_reply_raw(req, code, s, len);
	free(s);
}

void
sim_util_trace_id(char *out, size_t n)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t	i;

	if (n == 0)
		return;
	for (i = 0; i + 1 < n; i++)
		out[i] = set[randombytes_uniform(sizeof set - 1)];
	out[i] = '\0';
}

static void
sim_util_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopexit(arg, NULL);
}

void
sim_util_signals(struct event_base *base, struct event *ev[2])
{
	signal(SIGPIPE, SIG_IGN);
	ev[0] = evsignal_new(base, SIGINT, sim_util_signal_cb, base);
	ev[1] = evsignal_new(base, SIGTERM, sim_util_signal_cb, base);
	if (ev[0] == NULL || ev[1] == NULL)
		abort();
	evsignal_add(ev[0], NULL);
	evsignal_add(ev[1], NULL);
}

void
sim_util_reply_str(struct evhttp_request *req, int code, const char *s)
{
	sim_util_reply_raw(req, code, s, strlen(s));
}

/*
 * "serve": the Graph API endpoints the daemon uses, answered the way Meta
 * answers them, plus status webhooks back to the daemon and failures on
 * demand. This file owns the root struct, routing, the token check and
 * the requests held back or dropped by faults.
 */
#include <sys/stat.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "sim.h"
#include "xmalloc.h"

#define SIM_SERVE_KEEP		1000	/* bodies kept for /_sim/requests */
#define SIM_SERVE_BODY_MAX	(120 * 1024 * 1024)	/* media uploads */

typedef void sim_serve_fn(struct sim_serve *, struct evhttp_request *,
    const char *, int);

/* A request a fault holds back (slow, timeout). */
struct sim_held {
	struct sim_serve	*s;
	struct evhttp_request	*req;
	struct event		*timer;
	char			*arg;
	sim_serve_fn		*fn;
	struct sim_held		*prev, *next;
};

static void
sim_serve_usage(void)
{
	fprintf(stderr,
	    "usage: support-inbox-sim serve --listen HOST:PORT --token-file "
	    "FILE\n"
	    "           [--secret-file FILE --webhook URL] [--state FILE] "
	    "[--faults SPEC]\n"
	    "           [--phone-number-id ID] [--waba-id ID] "
	    "[--status-delay MS]\n"
	    "           [--number ID,WABA_ID,TOKEN_FILE]...   (more business "
	    "numbers)\n"
	    "           [--statuses sent,delivered,read|none] [--seed S]\n"
	    "           [--media-url-base URL]   (media lookups answer "
	    "URLs there)\n"
	    "           [--cacert FILE]   (CA certificates for an https "
	    "--webhook)\n"
	    "           [--demo SECS]   (demo customers write every ~SECS "
	    "and answer replies)\n"
	    "           [--no-whatsapp NUMBER,...]   (sends there fail "
	    "with 131026)\n");
}

/*
 * Like Meta after an operator issues a new token: a token file rewritten
 * while the simulator runs holds the token it accepts from then on.
 */
static void
sim_serve_token_reload(struct sim_serve *s)
{
	struct stat	 sb;
	char		*tok, *cause = NULL;

	if (s->token_file == NULL || stat(s->token_file, &sb) != 0 ||
	    (sb.st_mtim.tv_sec == s->token_mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == s->token_mtime.tv_nsec))
		return;
	if ((tok = sim_util_read_secret(s->token_file, &cause)) == NULL) {
		free(cause);
		return;
	}
	sim_util_free_secret(s->token);
	s->token = tok;
	s->token_mtime = sb.st_mtim;
}

/* Checks the bearer token; on failure replies 401 and returns -1. */
static int
sim_serve_auth(struct sim_serve *s, struct evhttp_request *req)
{
	struct evkeyvalq	 q;
	const char		*h, *tok = NULL, *query;
	char			*copy = NULL;
	size_t			 n, i;
	int			 ok = 0;

	sim_serve_token_reload(s);
	n = strlen(s->token);

	h = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (h != NULL) {
		if (strncasecmp(h, "Bearer ", 7) == 0)
			tok = h + 7;
		else if (strncasecmp(h, "OAuth ", 6) == 0)
			tok = h + 6;
	} else {
		query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(
		    req));
		if (query != NULL && evhttp_parse_query_str(query, &q) == 0) {
			if ((tok = evhttp_find_header(&q, "access_token")) !=
			    NULL)
				tok = copy = xstrdup(tok);
			evhttp_clear_headers(&q);
		}
	}
	if (tok != NULL && strlen(tok) == n &&
	    sodium_memcmp(tok, s->token, n) == 0) {
		ok = 1;
		s->auth_as = 0;
	}
	for (i = 0; tok != NULL && !ok && i < s->nextra; i++) {
		if (strlen(tok) == strlen(s->extra[i].token) &&
		    sodium_memcmp(tok, s->extra[i].token, strlen(tok)) == 0) {
			ok = 1;
			s->auth_as = i + 1;
		}
	}
	free(copy);
	if (ok)
		return (0);
	s->unauthorized++;
	sim_error_token(req, 0);
	return (-1);
}

void
sim_serve_record(struct sim_serve *s, const char *path, json_t *body,
    int status, const char *wamid)
{
	json_t	*entry;

	json_array_append(s->bodies, body != NULL ? body : json_null());
	entry = json_pack("{s:s, s:i}", "path", path, "status", status);
	/* Which number's token the request carried (serve --number). */
	json_object_set_new(entry, "token_of", json_string(s->auth_as == 0 ?
	    (s->phone_number_id != NULL ? s->phone_number_id :
	    SIM_PHONE_NUMBER_ID) : s->extra[s->auth_as - 1].phone));
	if (wamid != NULL)
		json_object_set_new(entry, "wamid", json_string(wamid));
	json_array_append_new(s->log, entry);
	while (json_array_size(s->bodies) > SIM_SERVE_KEEP)
		json_array_remove(s->bodies, 0);
	while (json_array_size(s->log) > SIM_SERVE_KEEP)
		json_array_remove(s->log, 0);
}

static void
sim_serve_held_free(struct sim_held *h)
{
	struct sim_serve	*s = h->s;

	if (h->prev != NULL)
		h->prev->next = h->next;
	else
		s->held = h->next;
	if (h->next != NULL)
		h->next->prev = h->prev;
	event_free(h->timer);
	free(h->arg);
	free(h);
}

static void
sim_serve_held_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_held		*h = arg;
	struct sim_serve	*s = h->s;
	struct evhttp_request	*req = h->req;
	sim_serve_fn		*fn = h->fn;
	char			*a = h->arg;

	(void)fd;
	(void)what;
	h->arg = NULL;
	sim_serve_held_free(h);
	fn(s, req, a, 1);
	free(a);
}

void
sim_serve_hold(struct sim_serve *s, struct evhttp_request *req, long ms,
    const char *arg, sim_serve_fn *fn)
{
	struct sim_held	*h;
	struct timeval	 tv;

	h = xcalloc(1, sizeof *h);
	h->s = s;
	h->req = req;
	h->arg = xstrdup(arg);
	h->fn = fn;
	h->timer = evtimer_new(s->base, sim_serve_held_cb, h);
	h->next = s->held;
	if (s->held != NULL)
		s->held->prev = h;
	s->held = h;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(h->timer, &tv);
}

void
sim_serve_drop(struct sim_serve *s, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	evutil_socket_t			 fd;

	(void)s;
	/*
	 * Shut the socket down under libevent's feet: the client sees the
	 * connection close with no answer, and the reply below fails to
	 * write, which makes libevent free the connection and the request.
	 */
	evcon = evhttp_request_get_connection(req);
	if (evcon != NULL) {
		fd = bufferevent_getfd(evhttp_connection_get_bufferevent(
		    evcon));
		if (fd != -1)
			shutdown(fd, SHUT_RDWR);
	}
	evhttp_send_reply(req, 500, "Dropped", NULL);
}

/* "v24.0" and the like. */
static int
sim_serve_version(const char *v, int *major)
{
	char	*end;
	long	 n;

	if (v[0] != 'v' || v[1] < '0' || v[1] > '9')
		return (-1);
	n = strtol(v + 1, &end, 10);
	if (*end == '.' && end[1] >= '0' && end[1] <= '9')
		strtol(end + 1, &end, 10);
	if (*end != '\0' || n > 1000)
		return (-1);
	*major = (int)n;
	return (0);
}

static void
sim_serve_unknown(struct evhttp_request *req, const char *path)
{
	char	*m;

	m = xasprintf("Unknown path components: %s", path);
	sim_error_reply(req, 400, sim_error_json(m, "OAuthException", 2500, 0,
	    NULL));
	free(m);
}

/* 1 + the index of the --number whose phone or WABA id is id, else 0. */
size_t
sim_serve_extra(struct sim_serve *s, const char *id)
{
	size_t	i;

	for (i = 0; i < s->nextra; i++) {
		if (strcmp(s->extra[i].phone, id) == 0 ||
		    strcmp(s->extra[i].waba, id) == 0)
			return (i + 1);
	}
	return (0);
}

/* --number ID,WABA_ID,TOKEN_FILE. */
static int
sim_serve_number(struct sim_serve *s, const char *arg, char **cause)
{
	struct sim_number	*n;
	char			*copy, *p, *w, *f;

	if (s->nextra == SIM_NUMBERS_MAX) {
		*cause = xasprintf("at most %d --number", SIM_NUMBERS_MAX);
		return (-1);
	}
	copy = xstrdup(arg);
	p = copy;
	if ((w = strchr(p, ',')) == NULL || (f = strchr(w + 1, ',')) ==
	    NULL || w == p || f == w + 1 || f[1] == '\0') {
		free(copy);
		*cause = xasprintf("--number wants ID,WABA_ID,TOKEN_FILE, not "
		    "'%s'", arg);
		return (-1);
	}
	*w++ = '\0';
	*f++ = '\0';
	n = &s->extra[s->nextra];
	if ((n->token = sim_util_read_secret(f, cause)) == NULL) {
		free(copy);
		return (-1);
	}
	n->phone = xstrdup(p);
	n->waba = xstrdup(w);
	n->token_file = xstrdup(f);
	s->nextra++;
	free(copy);
	return (0);
}

static void
sim_serve_graph(struct sim_serve *s, struct evhttp_request *req,
    const char *path, char **seg, int n)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	const char		*method;
	char			 rid[24], *warn;
	int			 major;
	size_t			 extra;

	if (sim_serve_version(seg[0], &major) != 0) {
		sim_serve_unknown(req, path);
		return;
	}
	sim_util_trace_id(rid, sizeof rid);
	evhttp_add_header(out, "X-Fb-Request-Id", rid);
	if (major < 21) {
		/* Meta upgrades calls to retired versions, and says so. */
		evhttp_add_header(out, "Facebook-Api-Version", "v24.0");
		warn = xasprintf("The call has been auto-upgraded to v24.0 as "
		    "%s has been deprecated.", seg[0]);
		evhttp_add_header(out, "X-Ad-Api-Version-Warning", warn);
		free(warn);
	} else
		evhttp_add_header(out, "Facebook-Api-Version", seg[0]);
	if (sim_serve_auth(s, req) != 0)
		return;

	switch (cmd) {
	case EVHTTP_REQ_GET:
		method = "get";
		break;
	case EVHTTP_REQ_POST:
		method = "post";
		break;
	case EVHTTP_REQ_DELETE:
		method = "delete";
		break;
	default:
		method = "unknown";
		break;
	}
	if (n == 2) {
		if (cmd == EVHTTP_REQ_GET)
			sim_media_get(s, req, seg[1]);
		else if (cmd == EVHTTP_REQ_DELETE)
			sim_media_delete(s, req, seg[1]);
		else
			sim_error_no_object(req, method, seg[1]);
		return;
	}
	if (n != 3) {
		sim_serve_unknown(req, path);
		return;
	}
	extra = sim_serve_extra(s, seg[1]);
	if (strcmp(seg[2], "messages") == 0 || strcmp(seg[2], "media") == 0) {
		if (cmd != EVHTTP_REQ_POST || (extra == 0 &&
		    s->phone_number_id != NULL &&
		    strcmp(seg[1], s->phone_number_id) != 0) ||
		    (s->nextra > 0 && extra != s->auth_as)) {
			/* Another number's token: Meta shows no such object. */
			sim_error_no_object(req, method, seg[1]);
			return;
		}
		if (strcmp(seg[2], "messages") == 0)
			sim_graph_messages(s, req, seg[1], 0);
		else
			sim_media_upload(s, req, seg[1]);
		return;
	}
	if (strcmp(seg[2], "block_users") == 0) {
		if ((cmd != EVHTTP_REQ_POST && cmd != EVHTTP_REQ_DELETE) ||
		    (s->phone_number_id != NULL &&
		    strcmp(seg[1], s->phone_number_id) != 0)) {
			sim_error_no_object(req, method, seg[1]);
			return;
		}
		sim_block_request(s, req, cmd == EVHTTP_REQ_POST);
		return;
	}
	if (strcmp(seg[2], "message_templates") == 0) {
		if (cmd != EVHTTP_REQ_GET || (extra == 0 &&
		    s->waba_id != NULL && strcmp(seg[1], s->waba_id) != 0) ||
		    (s->nextra > 0 && extra != s->auth_as)) {
			sim_error_no_object(req, method, seg[1]);
			return;
		}
		sim_graph_templates(s, req, seg[1]);
		return;
	}
	sim_serve_unknown(req, path);
}

static void
sim_serve_request(struct evhttp_request *req, void *arg)
{
	struct sim_serve	*s = arg;
	const char		*path;
	char			*copy, *seg[5], *p, *save = NULL;
	int			 n = 0;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || *path != '/') {
		sim_serve_unknown(req, "/");
		return;
	}
	copy = xstrdup(path);
	for (p = strtok_r(copy, "/", &save); p != NULL && n < 5;
	    p = strtok_r(NULL, "/", &save))
		seg[n++] = p;
	if (n == 0 || p != NULL)
		sim_serve_unknown(req, path);
	else if (strcmp(seg[0], "_sim") == 0 && n == 2)
		sim_ctl_request(s, req, seg[1]);
	else if (strcmp(seg[0], "download") == 0 && n == 2) {
		if (evhttp_request_get_command(req) != EVHTTP_REQ_GET)
			evhttp_send_error(req, 405, NULL);
		else if (sim_serve_auth(s, req) == 0)
			sim_media_download(s, req, seg[1]);
	} else
		sim_serve_graph(s, req, path, seg, n);
	free(copy);
}

static int
sim_serve_statuses(struct sim_serve *s, const char *list, char **cause)
{
	char	*copy, *item, *save = NULL;
	int	 r = -1;

	s->nstatuses = 0;
	if (strcmp(list, "none") == 0)
		return (0);
	copy = xstrdup(list);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		if (strcmp(item, "sent") != 0 && strcmp(item, "delivered") != 0 &&
		    strcmp(item, "read") != 0 && strcmp(item, "played") != 0) {
			*cause = xasprintf("unknown status '%s'", item);
			goto out;
		}
		if (s->nstatuses == 4) {
			*cause = xstrdup("at most four statuses");
			goto out;
		}
		snprintf(s->statuses[s->nstatuses++], sizeof s->statuses[0],
		    "%s", item);
	}
	r = 0;
out:
	free(copy);
	return (r);
}

int
sim_serve_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen",		required_argument, NULL, 'l' },
		{ "token-file",		required_argument, NULL, 't' },
		{ "secret-file",	required_argument, NULL, 's' },
		{ "webhook",		required_argument, NULL, 'w' },
		{ "state",		required_argument, NULL, 'S' },
		{ "faults",		required_argument, NULL, 'f' },
		{ "phone-number-id",	required_argument, NULL, 'p' },
		{ "waba-id",		required_argument, NULL, 'W' },
		{ "status-delay",	required_argument, NULL, 'd' },
		{ "statuses",		required_argument, NULL, 'x' },
		{ "seed",		required_argument, NULL, 'r' },
		{ "media-url-base",	required_argument, NULL, 'm' },
		{ "cacert",		required_argument, NULL, 'k' },
		{ "demo",		required_argument, NULL, 'D' },
		{ "number",		required_argument, NULL, 'N' },
		{ "no-whatsapp",	required_argument, NULL, 'n' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL,			0,		   NULL, 0 }
	};
	struct sim_serve	 s;
	struct event		*sig[2] = { NULL, NULL };
	const char		*listen = NULL, *token_file = NULL;
	const char		*secret_file = NULL, *state = NULL;
	const char		*media_base = NULL;
	char			*cause = NULL, *host, *colon;
	long long		 v;
	uint64_t		 seed;
	double			 demo_every = 0;
	int			 ch, port, r = 1;
	size_t			 i;

	memset(&s, 0, sizeof s);
	s.state_fd = -1;
	s.status_delay_ms = 50;
	s.types = json_object();
	s.blocked = json_object();
	s.bodies = json_array();
	s.log = json_array();
	sim_set_init(&s.outgoing);
	sim_set_init(&s.no_whatsapp);
	sim_media_init(&s.media);
	sim_serve_statuses(&s, "sent,delivered,read", &cause);
	randombytes_buf(&seed, sizeof seed);

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'w':
			s.webhook = optarg;
			break;
		case 'S':
			state = optarg;
			break;
		case 'f':
			if (sim_fault_parse(&s.faults, optarg, &cause) != 0)
				goto bad;
			break;
		case 'n':
			if (sim_fault_numbers(&s.no_whatsapp, optarg,
			    &cause) != 0)
				goto bad;
			break;
		case 'p':
			s.phone_number_id = optarg;
			break;
		case 'W':
			s.waba_id = optarg;
			break;
		case 'd':
			if (sim_util_number(optarg, 0, 600000, &v,
			    &cause) != 0)
				goto bad;
			s.status_delay_ms = (long)v;
			break;
		case 'x':
			if (sim_serve_statuses(&s, optarg, &cause) != 0)
				goto bad;
			break;
		case 'm':
			media_base = optarg;
			break;
		case 'k':
			s.cacert = optarg;
			break;
		case 'r':
			if (sim_util_number(optarg, 0, LLONG_MAX, &v,
			    &cause) != 0)
				goto bad;
			seed = (uint64_t)v;
			break;
		case 'N':
			if (sim_serve_number(&s, optarg, &cause) != 0)
				goto bad;
			break;
		case 'D':
			if (sim_util_number(optarg, 1, 3600, &v,
			    &cause) != 0)
				goto bad;
			demo_every = (double)v;
			break;
		default:
			sim_serve_usage();
			r = ch == 'h' ? 0 : 1;
			goto out;
		}
	}
	if (optind != argc || listen == NULL || token_file == NULL ||
	    (s.webhook != NULL && secret_file == NULL)) {
		sim_serve_usage();
		goto out;
	}
	s.token_file = token_file;
	{
		struct stat	sb;

		if (stat(token_file, &sb) == 0)
			s.token_mtime = sb.st_mtim;
	}
	if ((s.token = sim_util_read_secret(token_file, &cause)) == NULL)
		goto bad;
	if (secret_file != NULL &&
	    (s.secret = sim_util_read_secret(secret_file, &cause)) == NULL)
		goto bad;
	if (s.webhook != NULL &&
	    sim_util_url_loopback(s.webhook, &cause) != 0)
		goto bad;
	if (s.cacert != NULL && sim_util_cacert(s.cacert, &cause) != 0)
		goto bad;
	if (state != NULL) {
		s.state_fd = open(state, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0600);
		if (s.state_fd == -1) {
			cause = xasprintf("cannot open '%s': %s", state,
			    strerror(errno));
			goto bad;
		}
	}
	sim_gen_init(&s.gen, seed, "serve", 50);
	for (i = 0; i < s.nextra; i++) {
		s.gen.extra_phone[i] = s.extra[i].phone;
		s.gen.extra_waba[i] = s.extra[i].waba;
	}
	s.gen.nextra = s.nextra;
	if (s.phone_number_id != NULL)
		s.gen.phone_number_id = s.phone_number_id;
	if (s.waba_id != NULL)
		s.gen.waba_id = s.waba_id;

	if ((s.base = event_base_new()) == NULL ||
	    (s.http = evhttp_new(s.base)) == NULL)
		abort();
	evhttp_set_max_body_size(s.http, SIM_SERVE_BODY_MAX);
	evhttp_set_max_headers_size(s.http, 64 * 1024);
	evhttp_set_gencb(s.http, sim_serve_request, &s);
	if ((port = sim_util_listen(s.http, listen, &cause)) == -1)
		goto bad;
	host = xstrdup(listen);
	if ((colon = strrchr(host, ':')) != NULL)
		*colon = '\0';
	if (strcmp(host, "0.0.0.0") == 0 || *host == '\0')
		snprintf(s.base_url, sizeof s.base_url, "http://127.0.0.1:%d",
		    port);
	else if (strchr(host, ':') != NULL && host[0] != '[')
		snprintf(s.base_url, sizeof s.base_url, "http://[%s]:%d", host,
		    port);
	else
		snprintf(s.base_url, sizeof s.base_url, "http://%s:%d", host,
		    port);
	free(host);
	snprintf(s.media_base, sizeof s.media_base, "%s", media_base != NULL ?
	    media_base : s.base_url);
	if (s.webhook != NULL)
		s.hook = sim_hook_new(s.base, s.webhook, s.secret);
	if (s.hook != NULL)
		sim_hook_cacert(s.hook, s.cacert);
	if (demo_every > 0 && s.hook != NULL)
		s.demo = sim_demo_start(&s, demo_every);

	printf("%d\n", port);
	fflush(stdout);
	sim_util_signals(s.base, sig);
	event_base_dispatch(s.base);
	r = 0;
	goto out;

bad:
	fprintf(stderr, "support-inbox-sim: %s\n", cause);
	free(cause);
	r = 1;
out:
	/* Answer what is held back, then stop deliveries, then the rest. */
	while (s.held != NULL) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): h->s == &s, so the free unlinked the head */
		evhttp_send_error(s.held->req, 503, NULL);
		sim_serve_held_free(s.held);
	}
	sim_demo_free(s.demo);
	sim_hook_free(s.hook);
	sim_graph_chains_free(&s);
	if (sig[0] != NULL)
		event_free(sig[0]);
	if (sig[1] != NULL)
		event_free(sig[1]);
	if (s.http != NULL)
		evhttp_free(s.http);
	if (s.base != NULL)
		event_base_free(s.base);
	if (s.state_fd != -1)
		close(s.state_fd);
	if (s.gen.customers != NULL)
		sim_gen_release(&s.gen);
	sim_fault_clear(&s.faults);
	sim_media_release(&s.media);
	sim_set_release(&s.outgoing);
	sim_set_release(&s.no_whatsapp);
	json_decref(s.types);
	json_decref(s.blocked);
	json_decref(s.bodies);
	json_decref(s.log);
	sim_util_free_secret(s.token);
	sim_util_free_secret(s.secret);
	for (i = 0; i < s.nextra; i++) {
		sim_util_free_secret(s.extra[i].token);
		free(s.extra[i].phone);
		free(s.extra[i].waba);
		free(s.extra[i].token_file);
	}
	return (r);
}

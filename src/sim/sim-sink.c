/*
 * "sink": the smallest honest webhook receiver. It checks signatures the
 * way the daemon must, answers 200 or 401, counts what it got and keeps the
 * last bodies, so tests of "post" and of the status webhooks of "serve"
 * need no daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "sim.h"
#include "xmalloc.h"

#define SIM_SINK_KEEP		1000	/* bodies kept for GET /_sim/requests */
#define SIM_SINK_BODY_MAX	(8 * 1024 * 1024)

struct sim_sink {
	char		*secret;
	const char	*verify_token;
	int		 out_fd;	/* --out: verified bodies, one a line */
	const char	*out_path;
	int		 fail_left;	/* answer fail_status this often */
	int		 fail_status;

	struct event_base *base;
	struct evhttp	*http;

	uint64_t	 posts;		/* POSTs to the webhook */
	uint64_t	 ok;		/* answered 200 */
	uint64_t	 bad_signature;
	uint64_t	 failed;	/* answered fail_status on purpose */
	uint64_t	 messages;	/* messages[] items in verified bodies */
	uint64_t	 duplicates;	/* of those, wamids seen before */
	json_t		*statuses;	/* status value -> count */
	struct sim_set	 wamids;
	json_t		*bodies;	/* last SIM_SINK_KEEP, parsed */
};

static void
sim_sink_usage(void)
{
	fprintf(stderr,
	    "usage: support-inbox-sim sink --listen HOST:PORT --secret-file "
	    "FILE\n"
	    "           [--out FILE] [--fail N] [--fail-status CODE] "
	    "[--verify-token T]\n");
}

static void
sim_sink_clear(struct sim_sink *s)
{
	s->posts = s->ok = s->bad_signature = s->failed = 0;
	s->messages = s->duplicates = 0;
	json_decref(s->statuses);
	json_decref(s->bodies);
	s->statuses = json_object();
	s->bodies = json_array();
	sim_set_release(&s->wamids);
	sim_set_init(&s->wamids);
}

static void
sim_sink_count(struct sim_sink *s, json_t *body)
{
	json_t		*entry, *change, *value, *item, *arr, *n;
	const char	*id, *status;
	size_t		 i, j, k;

	json_array_foreach(json_object_get(body, "entry"), i, entry) {
		json_array_foreach(json_object_get(entry, "changes"), j,
		    change) {
			value = json_object_get(change, "value");
			arr = json_object_get(value, "messages");
			json_array_foreach(arr, k, item) {
				s->messages++;
				id = json_string_value(json_object_get(item,
				    "id"));
				if (id != NULL && !sim_set_add(&s->wamids, id))
					s->duplicates++;
			}
			arr = json_object_get(value, "statuses");
			json_array_foreach(arr, k, item) {
				status = json_string_value(
				    json_object_get(item, "status"));
				if (status == NULL)
					continue;
				n = json_object_get(s->statuses, status);
				json_object_set_new(s->statuses, status,
				    json_integer(json_integer_value(n) + 1));
			}
		}
	}
}

static void
sim_sink_webhook(struct sim_sink *s, struct evhttp_request *req)
{
	const char	*body, *sig;
	json_t		*j;
	size_t		 len, off;
	ssize_t		 n;

	s->posts++;
	body = sim_util_body(req, &len);
	sig = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "X-Hub-Signature-256");
	if (sim_sign_verify(s->secret, body, len, sig) != 0) {
		s->bad_signature++;
		sim_util_reply_str(req, 401,
		    "{\"error\":\"invalid signature\"}");
		return;
	}
	if (s->fail_left > 0) {
		s->fail_left--;
		s->failed++;
		sim_util_reply_str(req, s->fail_status,
		    "{\"error\":\"failing on purpose\"}");
		return;
	}
	if ((j = json_loadb(body, len, 0, NULL)) != NULL) {
		sim_sink_count(s, j);
		json_array_append_new(s->bodies, j);
		if (json_array_size(s->bodies) > SIM_SINK_KEEP)
			json_array_remove(s->bodies, 0);
	}
	if (s->out_fd != -1) {
		for (off = 0; off <= len; off += (size_t)n) {
			if (off == len)
				n = write(s->out_fd, "\n", 1);
			else
				n = write(s->out_fd, body + off, len - off);
			if (n == -1 && errno == EINTR) {
				n = 0;
				continue;
			}
			if (n <= 0)
				break;
		}
	}
	s->ok++;
	sim_util_reply_str(req, 200, "{\"success\":true}");
}

static void
sim_sink_verify(struct sim_sink *s, struct evhttp_request *req)
{
	struct evkeyvalq	 q;
	const char		*mode, *token, *challenge, *query;
	struct evbuffer		*out;

	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query == NULL || evhttp_parse_query_str(query, &q) != 0) {
		evhttp_send_error(req, 403, NULL);
		return;
	}
	mode = evhttp_find_header(&q, "hub.mode");
	token = evhttp_find_header(&q, "hub.verify_token");
	challenge = evhttp_find_header(&q, "hub.challenge");
	if (s->verify_token == NULL || mode == NULL || token == NULL ||
	    challenge == NULL || strcmp(mode, "subscribe") != 0 ||
	    strcmp(token, s->verify_token) != 0) {
		evhttp_clear_headers(&q);
		evhttp_send_error(req, 403, NULL);
		return;
	}
	out = evhttp_request_get_output_buffer(req);
	evbuffer_add(out, challenge, strlen(challenge));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain");
	evhttp_send_reply(req, 200, "OK", NULL);
	evhttp_clear_headers(&q);
}

static void
sim_sink_stats(struct sim_sink *s, struct evhttp_request *req)
{
	json_t	*j;

	j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:O}",
	    "posts", (json_int_t)s->posts,
	    "ok", (json_int_t)s->ok,
	    "bad_signature", (json_int_t)s->bad_signature,
	    "failed", (json_int_t)s->failed,
	    "messages", (json_int_t)s->messages,
	    "unique_wamids", (json_int_t)s->wamids.count,
	    "duplicates", (json_int_t)s->duplicates,
	    "statuses", s->statuses,
	    "bodies", s->bodies);
	sim_util_reply_json(req, 200, j);
}

static void
sim_sink_fail(struct sim_sink *s, struct evhttp_request *req)
{
	json_t		*j;
	json_int_t	 count, status = 503;
	size_t		 len;
	const char	*body;

	body = sim_util_body(req, &len);
	j = json_loadb(body, len, 0, NULL);
	if (j == NULL || json_unpack(j, "{s:I, s?I}", "count", &count,
	    "status", &status) != 0 || count < 0 || count > 1000000 ||
	    status < 200 || status > 599) {
		json_decref(j);
		sim_util_reply_str(req, 400,
		    "{\"error\":\"want {\\\"count\\\":N,\\\"status\\\":S}\"}");
		return;
	}
	json_decref(j);
	s->fail_left = (int)count;
	s->fail_status = (int)status;
	sim_util_reply_str(req, 200, "{\"success\":true}");
}

static void
sim_sink_request(struct evhttp_request *req, void *arg)
{
	struct sim_sink			*s = arg;
	const char			*path;
	enum evhttp_cmd_type		 cmd;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL)
		path = "/";
	cmd = evhttp_request_get_command(req);
	if (strcmp(path, "/_sim/requests") == 0 && cmd == EVHTTP_REQ_GET)
		sim_sink_stats(s, req);
	else if (strcmp(path, "/_sim/reset") == 0 && cmd == EVHTTP_REQ_POST) {
		sim_sink_clear(s);
		sim_util_reply_str(req, 200, "{\"success\":true}");
	} else if (strcmp(path, "/_sim/fail") == 0 && cmd == EVHTTP_REQ_POST)
		sim_sink_fail(s, req);
	else if (cmd == EVHTTP_REQ_POST)
		sim_sink_webhook(s, req);
	else if (cmd == EVHTTP_REQ_GET)
		sim_sink_verify(s, req);
	else
		evhttp_send_error(req, 405, NULL);
}

int
sim_sink_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen",		required_argument, NULL, 'l' },
		{ "secret-file",	required_argument, NULL, 's' },
		{ "out",		required_argument, NULL, 'o' },
		{ "fail",		required_argument, NULL, 'f' },
		{ "fail-status",	required_argument, NULL, 'F' },
		{ "verify-token",	required_argument, NULL, 'v' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL,			0,		   NULL, 0 }
	};
	struct sim_sink	 s;
	struct event	*sig[2] = { NULL, NULL };
	const char	*listen = NULL, *secret_file = NULL;
	char		*cause = NULL;
	long long	 v;
	int		 ch, port, r = 1;

	memset(&s, 0, sizeof s);
	s.out_fd = -1;
	s.fail_status = 503;
	sim_set_init(&s.wamids);
	sim_sink_clear(&s);

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'o':
			s.out_path = optarg;
			break;
		case 'f':
			if (sim_util_number(optarg, 0, 1000000, &v,
			    &cause) != 0)
				goto bad;
			s.fail_left = (int)v;
			break;
		case 'F':
			if (sim_util_number(optarg, 200, 599, &v,
			    &cause) != 0)
				goto bad;
			s.fail_status = (int)v;
			break;
		case 'v':
			s.verify_token = optarg;
			break;
		default:
			sim_sink_usage();
			r = ch == 'h' ? 0 : 1;
			goto out;
		}
	}
	if (optind != argc || listen == NULL || secret_file == NULL) {
		sim_sink_usage();
		goto out;
	}
	if ((s.secret = sim_util_read_secret(secret_file, &cause)) == NULL)
		goto bad;
	if (s.out_path != NULL) {
		s.out_fd = open(s.out_path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0600);
		if (s.out_fd == -1) {
			cause = xasprintf("cannot open '%s': %s", s.out_path,
			    strerror(errno));
			goto bad;
		}
	}
	if ((s.base = event_base_new()) == NULL ||
	    (s.http = evhttp_new(s.base)) == NULL)
		abort();
	evhttp_set_max_body_size(s.http, SIM_SINK_BODY_MAX);
	evhttp_set_gencb(s.http, sim_sink_request, &s);
	if ((port = sim_util_listen(s.http, listen, &cause)) == -1)
		goto bad;
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
	if (sig[0] != NULL)
		event_free(sig[0]);
	if (sig[1] != NULL)
		event_free(sig[1]);
	if (s.http != NULL)
		evhttp_free(s.http);
	if (s.base != NULL)
		event_base_free(s.base);
	if (s.out_fd != -1)
		close(s.out_fd);
	json_decref(s.statuses);
	json_decref(s.bodies);
	sim_set_release(&s.wamids);
	sim_util_free_secret(s.secret);
	return (r);
}

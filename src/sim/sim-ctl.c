/*
 * The /_sim/ control endpoints of "serve": counters and recorded bodies for
 * tests to assert on, faults on demand, and customer messages on demand.
 * No token: they are not part of Meta's API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "sim.h"
#include "xmalloc.h"

struct sim_ctl_wait {
	struct evhttp_request	*req;
	char			*wamid;
};

static void
sim_ctl_requests(struct sim_serve *s, struct evhttp_request *req)
{
	json_t	*j, *hooks;

	hooks = json_object();
	if (s->hook != NULL)
		sim_hook_stats(s->hook, hooks);
	j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:O, s:{s:I, s:I, s:I, s:I}, "
	    "s:I, s:o, s:o, s:O, s:O}",
	    "total", (json_int_t)s->total,
	    "accepted", (json_int_t)s->accepted,
	    "rejected", (json_int_t)s->rejected,
	    "dropped", (json_int_t)s->dropped,
	    "unauthorized", (json_int_t)s->unauthorized,
	    "types", s->types,
	    "media",
	    "uploads", (json_int_t)s->media.uploads,
	    "downloads", (json_int_t)s->media.downloads,
	    "stored", (json_int_t)sim_media_count(&s->media),
	    "bytes", (json_int_t)s->media.bytes,
	    "template_lists", (json_int_t)s->template_lists,
	    "webhooks", hooks,
	    "faults", sim_fault_json(&s->faults),
	    "bodies", s->bodies,
	    "log", s->log);
	sim_util_reply_json(req, 200, j);
}

static void
sim_ctl_reset(struct sim_serve *s, struct evhttp_request *req)
{
	s->total = s->accepted = s->rejected = s->dropped = 0;
	s->unauthorized = s->template_lists = 0;
	s->media.uploads = s->media.downloads = 0;
	json_object_clear(s->types);
	json_array_clear(s->bodies);
	json_array_clear(s->log);
	sim_fault_clear(&s->faults);
	json_object_clear(s->blocked);
	if (s->hook != NULL)
		sim_hook_reset(s->hook);
	sim_util_reply_str(req, 200, "{\"success\":true}");
}

static json_t *
sim_ctl_body(struct evhttp_request *req)
{
	const char	*body;
	size_t		 len;

	body = sim_util_body(req, &len);
	if (len > 65536)
		return (NULL);
	return (json_loadb(body, len, 0, NULL));
}

static void
sim_ctl_fail(struct evhttp_request *req, int code, const char *why)
{
	sim_util_reply_json(req, code, json_pack("{s:s}", "error", why));
}

static void
sim_ctl_faults(struct sim_serve *s, struct evhttp_request *req)
{
	json_t	*j;
	char	*cause = NULL;

	if (evhttp_request_get_command(req) == EVHTTP_REQ_GET) {
		sim_util_reply_json(req, 200, json_pack("{s:o}", "faults",
		    sim_fault_json(&s->faults)));
		return;
	}
	if ((j = sim_ctl_body(req)) == NULL) {
		sim_ctl_fail(req, 400, "the body is not JSON");
		return;
	}
	if (sim_fault_set_json(&s->faults, j, &cause) != 0) {
		sim_ctl_fail(req, 400, cause);
		free(cause);
		json_decref(j);
		return;
	}
	json_decref(j);
	sim_util_reply_json(req, 200, json_pack("{s:o}", "faults",
	    sim_fault_json(&s->faults)));
}

/* POST {"numbers":"491...,..."}: more numbers without WhatsApp. */
static void
sim_ctl_no_whatsapp(struct sim_serve *s, struct evhttp_request *req)
{
	const char	*list;
	json_t		*j;
	char		*cause = NULL;

	if ((j = sim_ctl_body(req)) == NULL ||
	    json_unpack(j, "{s:s}", "numbers", &list) != 0) {
		json_decref(j);
		sim_ctl_fail(req, 400, "want {\"numbers\":\"DIGITS,...\"}");
		return;
	}
	if (sim_fault_numbers(&s->no_whatsapp, list, &cause) != 0) {
		sim_ctl_fail(req, 400, cause);
		free(cause);
		json_decref(j);
		return;
	}
	json_decref(j);
	sim_util_reply_json(req, 200, json_pack("{s:I}", "no_whatsapp",
	    (json_int_t)s->no_whatsapp.count));
}

static void
sim_ctl_inbound_done(int ok, long status, void *arg)
{
	struct sim_ctl_wait	*w = arg;

	sim_util_reply_json(w->req, ok ? 200 : 502, json_pack("{s:s, s:b, "
	    "s:i}", "id", w->wamid, "delivered", ok, "status", (int)status));
	free(w->wamid);
	free(w);
}

static void
sim_ctl_inbound(struct sim_serve *s, struct evhttp_request *req)
{
	struct sim_ctl_wait	*w;
	const char		*from, *name = "Customer", *text, *to = NULL;
	const char		*first;
	json_t			*j;
	char			*body, *wamid, digits[24];
	size_t			 len, i, n = 0;
	int			 wait = 0;

	if (s->hook == NULL) {
		sim_ctl_fail(req, 409, "serve was started without --webhook");
		return;
	}
	if ((j = sim_ctl_body(req)) == NULL ||
	    json_unpack(j, "{s:s, s?s, s:s, s?b, s?s}", "from", &from, "name",
	    &name, "text", &text, "wait", &wait, "to", &to) != 0) {
		json_decref(j);
		sim_ctl_fail(req, 400, "want {\"from\":DIGITS,\"name\":..,"
		    "\"text\":..[,\"wait\":true]}");
		return;
	}
	for (i = 0; from[i] != '\0' && n + 1 < sizeof digits; i++) {
		if (from[i] >= '0' && from[i] <= '9')
			digits[n++] = from[i];
	}
	digits[n] = '\0';
	if (n < 5 || n > 15 || *text == '\0') {
		json_decref(j);
		sim_ctl_fail(req, 400, "from is 5 to 15 digits, text not empty");
		return;
	}
	/* "to": the business number written to (any id: unknown ones too). */
	first = s->gen.phone_number_id;
	if (to != NULL)
		s->gen.phone_number_id = to;
	body = sim_gen_inbound(&s->gen, digits, name, text, &wamid, &len);
	s->gen.phone_number_id = first;
	json_decref(j);
	if (body == NULL) {
		sim_ctl_fail(req, 400, "cannot build the webhook");
		return;
	}
	if (wait) {
		w = xcalloc(1, sizeof *w);
		w->req = req;
		w->wamid = wamid;
		sim_hook_post(s->hook, body, len, sim_ctl_inbound_done, w);
		return;
	}
	sim_hook_post(s->hook, body, len, NULL, NULL);
	sim_util_reply_json(req, 200, json_pack("{s:s}", "id", wamid));
	free(wamid);
}

void
sim_ctl_request(struct sim_serve *s, struct evhttp_request *req,
    const char *what)
{
	enum evhttp_cmd_type	cmd = evhttp_request_get_command(req);

	if (strcmp(what, "requests") == 0 && cmd == EVHTTP_REQ_GET)
		sim_ctl_requests(s, req);
	else if (strcmp(what, "reset") == 0 && cmd == EVHTTP_REQ_POST)
		sim_ctl_reset(s, req);
	else if (strcmp(what, "faults") == 0 && (cmd == EVHTTP_REQ_POST ||
	    cmd == EVHTTP_REQ_GET))
		sim_ctl_faults(s, req);
	else if (strcmp(what, "inbound") == 0 && cmd == EVHTTP_REQ_POST)
		sim_ctl_inbound(s, req);
	else if (strcmp(what, "blocked") == 0 && cmd == EVHTTP_REQ_GET)
		sim_block_list(s, req);
	else if (strcmp(what, "no-whatsapp") == 0 && cmd == EVHTTP_REQ_POST)
		sim_ctl_no_whatsapp(s, req);
	else if (strcmp(what, "reply") == 0 && cmd == EVHTTP_REQ_POST)
		sim_reply_post(s, req);
	else
		sim_ctl_fail(req, 404, "unknown control endpoint");
}

/*
 * POST /_sim/reply: a customer taps a reply button, picks a list row or a
 * template's quick-reply button, answering one of our messages (its wamid
 * in "context"; without it, an answer Meta could not tie to a message), as
 * Meta's webhook carries it, to our number "to" (a phone_number_id; the
 * first number without it) (issue 16).
 *
 *   {"from":DIGITS, "name":.., "context":WAMID, "kind":"button"|"list"|
 *    "quick_reply", "id":.., "title":.., "description":.., "to":..,
 *    "wait":true}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "clock.h"
#include "sim.h"
#include "xmalloc.h"

struct sim_reply_wait {
	struct evhttp_request	*req;
	char			*wamid;
};

static void
sim_reply_fail(struct evhttp_request *req, const char *why)
{
	sim_util_reply_json(req, 400, json_pack("{s:s}", "error", why));
}

static void
sim_reply_done(int ok, long status, void *arg)
{
	struct sim_reply_wait	*w = arg;

	sim_util_reply_json(w->req, ok ? 200 : 502, json_pack("{s:s, s:b, "
	    "s:i}", "id", w->wamid, "delivered", ok, "status", (int)status));
	free(w->wamid);
	free(w);
}

/* The message object: Meta's shape for each kind of answer. */
static json_t *
sim_reply_message(const char *kind, const char *from, const char *wamid,
    const char *context, const char *id, const char *title,
    const char *desc)
{
	json_t	*m, *r;
	char	 ts[32];

	snprintf(ts, sizeof ts, "%lld", (long long)clock_now());
	m = json_pack("{s:s, s:s, s:s}", "from", from, "id", wamid,
	    "timestamp", ts);
	if (context != NULL)
		json_object_set_new(m, "context", json_pack("{s:s, s:s}",
		    "from", SIM_DISPLAY_PHONE, "id", context));
	if (strcmp(kind, "quick_reply") == 0) {
		json_object_set_new(m, "type", json_string("button"));
		json_object_set_new(m, "button", json_pack("{s:s, s:s}",
		    "payload", id, "text", title));
		return (m);
	}
	r = json_pack("{s:s, s:s}", "id", id, "title", title);
	if (desc != NULL)
		json_object_set_new(r, "description", json_string(desc));
	json_object_set_new(m, "type", json_string("interactive"));
	json_object_set_new(m, "interactive", json_pack("{s:s, s:o}", "type",
	    strcmp(kind, "list") == 0 ? "list_reply" : "button_reply",
	    strcmp(kind, "list") == 0 ? "list_reply" : "button_reply", r));
	return (m);
}

void
sim_reply_post(struct sim_serve *s, struct evhttp_request *req)
{
	struct sim_reply_wait	*w;
	const char		*from, *name = "Customer", *context = NULL, *kind;
	const char		*to = NULL;
	const char		*id, *title, *desc = NULL, *raw;
	json_t			*j, *value;
	char			*body, *wamid;
	size_t			 len;
	int			 wait = 0;

	if (s->hook == NULL) {
		sim_reply_fail(req, "serve was started without --webhook");
		return;
	}
	raw = sim_util_body(req, &len);
	if (len > 65536 || (j = json_loadb(raw, len, 0, NULL)) == NULL) {
		sim_reply_fail(req, "the body is not JSON");
		return;
	}
	if (json_unpack(j, "{s:s, s?s, s?s, s:s, s:s, s:s, s?s, s?s, s?b}",
	    "from", &from, "name", &name, "context", &context, "kind", &kind,
	    "id", &id, "title", &title, "description", &desc, "to", &to,
	    "wait", &wait) != 0 ||
	    (strcmp(kind, "button") != 0 && strcmp(kind, "list") != 0 &&
	    strcmp(kind, "quick_reply") != 0) || strlen(from) < 5 ||
	    strlen(from) > 15 || strspn(from, "0123456789") != strlen(from)) {
		json_decref(j);
		sim_reply_fail(req, "want {\"from\":DIGITS,\"kind\":\"button\"|"
		    "\"list\"|\"quick_reply\",\"id\":..,\"title\":..[,\"context\":"
		    "WAMID][,\"description\":..][,\"to\":ID][,\"wait\":true]}");
		return;
	}
	wamid = sim_gen_inbound_wamid(from);
	value = json_pack("{s:[{s:{s:s}, s:s}], s:[o]}", "contacts",
	    "profile", "name", name, "wa_id", from, "messages",
	    sim_reply_message(kind, from, wamid, context, id, title, desc));
	body = value != NULL ? sim_gen_envelope(&s->gen, to, value, &len) :
	    NULL;
	json_decref(j);
	if (body == NULL) {
		free(wamid);
		sim_reply_fail(req, "cannot build the webhook");
		return;
	}
	if (wait) {
		w = xcalloc(1, sizeof *w);
		w->req = req;
		w->wamid = wamid;
		sim_hook_post(s->hook, body, len, sim_reply_done, w);
		return;
	}
	sim_hook_post(s->hook, body, len, NULL, NULL);
	sim_util_reply_json(req, 200, json_pack("{s:s}", "id", wamid));
	free(wamid);
}

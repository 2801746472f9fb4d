/*
 * POST /_sim/reply-button: a customer presses a reply button or picks a
 * list row of an interactive message (issue 16: the satisfaction survey's
 * answer), delivered as Meta's "interactive" webhook: {"from": DIGITS,
 * "id": the button's id, "title": its title, "name", "list": true for a
 * list_reply, "context": the wamid of the message answered, "to"}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>
#include <sodium.h>

#include "clock.h"
#include "sim.h"
#include "xmalloc.h"

static void
sim_survey_fail(struct evhttp_request *req, const char *why)
{
	sim_util_reply_json(req, 400, json_pack("{s:s}", "error", why));
}

void
sim_survey_reply(struct sim_serve *s, struct evhttp_request *req)
{
	const char	*from, *name = "Customer", *id, *title, *ctx = NULL;
	const char	*to = NULL, *body, *kind;
	json_t		*j = NULL, *msg, *value;
	uint8_t		 rnd[18];
	char		 wamid[64], ts[32], *out;
	size_t		 len, i;
	int		 list = 0;

	if (s->hook == NULL) {
		sim_util_reply_json(req, 409, json_pack("{s:s}", "error",
		    "serve was started without --webhook"));
		return;
	}
	body = sim_util_body(req, &len);
	if (len > 65536 || (j = json_loadb(body, len, 0, NULL)) == NULL ||
	    json_unpack(j, "{s:s, s?s, s:s, s:s, s?b, s?s, s?s}", "from", &from,
	    "name", &name, "id", &id, "title", &title, "list", &list,
	    "context", &ctx, "to", &to) != 0) {
		json_decref(j);
		sim_survey_fail(req, "want {\"from\":DIGITS,\"id\":..,\"title\""
		    ":..[,\"list\":true,\"context\":WAMID,\"name\":..]}");
		return;
	}
	for (i = 0; from[i] != '\0'; i++) {
		if (from[i] < '0' || from[i] > '9')
			break;
	}
	if (from[i] != '\0' || i < 5 || i > 15 || *id == '\0' ||
	    strlen(id) > 256 || *title == '\0' || strlen(title) > 72) {
		json_decref(j);
		sim_survey_fail(req, "from is 5 to 15 digits, id 1 to 256 "
		    "bytes, title 1 to 72");
		return;
	}
	randombytes_buf(rnd, sizeof rnd);
	memcpy(wamid, "wamid.", 6);
	sodium_bin2base64(wamid + 6, sizeof wamid - 6, rnd, sizeof rnd,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(ts, sizeof ts, "%lld", (long long)clock_now());
	kind = list ? "list_reply" : "button_reply";
	msg = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:{s:s, s:s}}}",
	    "from", from, "id", wamid, "timestamp", ts, "type", "interactive",
	    "interactive", "type", kind, kind, "id", id, "title", title);
	if (ctx != NULL)
		json_object_set_new(msg, "context", json_pack("{s:s, s:s}",
		    "from", s->gen.display_phone, "id", ctx));
	value = json_pack("{s:[{s:{s:s}, s:s}], s:[o]}", "contacts",
	    "profile", "name", name, "wa_id", from, "messages", msg);
	json_decref(j);
	if (value == NULL ||
	    (out = sim_gen_envelope(&s->gen, to, value, &len)) == NULL) {
		sim_survey_fail(req, "cannot build the webhook");
		return;
	}
	sim_hook_post(s->hook, out, len, NULL, NULL);
	sim_util_reply_json(req, 200, json_pack("{s:s}", "id", wamid));
}

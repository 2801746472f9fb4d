/*
 * Meta's Graph error bodies, in the key order of the recorded responses
 * (fixtures/error-*.json), so a client's parser meets the real shapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "sim.h"
#include "xmalloc.h"

json_t *
sim_error_json(const char *message, const char *type, int code, int subcode,
    const char *details)
{
	json_t	*e;
	char	 trace[24];

	e = json_object();
	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(e, "type", json_string(type));
	json_object_set_new(e, "code", json_integer(code));
	if (details != NULL) {
		json_object_set_new(e, "error_data", json_pack("{s:s, s:s}",
		    "messaging_product", "whatsapp", "details", details));
	}
	if (subcode != 0)
		json_object_set_new(e, "error_subcode", json_integer(subcode));
	sim_util_trace_id(trace, sizeof trace);
	json_object_set_new(e, "fbtrace_id", json_string(trace));
	return (json_pack("{s:o}", "error", e));
}

void
sim_error_reply(struct evhttp_request *req, int http, json_t *err)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "X-App-Usage",
	    "{\"call_count\":0,\"total_cputime\":0,\"total_time\":0}");
	sim_util_reply_json(req, http, err);
}

void
sim_error_param(struct evhttp_request *req, const char *message,
    const char *details)
{
	char	*m;

	m = xasprintf("(#100) %s", message);
	sim_error_reply(req, 400, sim_error_json(m, "OAuthException", 100, 0,
	    details));
	free(m);
}

void
sim_error_no_object(struct evhttp_request *req, const char *method,
    const char *id)
{
	char	*m;

	m = xasprintf("Unsupported %s request. Object with ID '%s' does not "
	    "exist, cannot be loaded due to missing permissions, or does not "
	    "support this operation. Please read the Graph API documentation "
	    "at https://developers.facebook.com/docs/graph-api", method, id);
	sim_error_reply(req, 400, sim_error_json(m, "GraphMethodException",
	    100, 33, NULL));
	free(m);
}

void
sim_error_token(struct evhttp_request *req, int expired)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	const char		*m;

	if (expired) {
		m = "Error validating access token: Session has expired on "
		    "Friday, 08-Mar-24 03:00:00 PST. The current time is "
		    "Friday, 08-Mar-24 05:13:10 PST.";
	} else
		m = "Invalid OAuth access token - Cannot parse access token";
	evhttp_add_header(h, "WWW-Authenticate", expired ?
	    "OAuth \"Facebook Platform\" \"invalid_token\" \"Error validating "
	    "access token: Session has expired\"" :
	    "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth "
	    "access token - Cannot parse access token\"");
	sim_error_reply(req, 401, sim_error_json(m, "OAuthException", 190,
	    expired ? 463 : 0, NULL));
}

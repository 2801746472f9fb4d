/*
 * The block-users endpoint: POST (block) and DELETE (unblock)
 * /{version}/{phone-number-id}/block_users with {"messaging_product":
 * "whatsapp", "block_users": [{"user": "<number>"}]}. The blocked numbers
 * are kept (GET /_sim/blocked lists them) and a message to one of them is
 * refused. A fault queued with /_sim/faults fails the request the way
 * Meta fails one (code 139100 and the user in failed_users). Meta's rule
 * that only a customer who wrote in the last 24 hours can be blocked is
 * not kept: the simulator does not see the customers' messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "sim.h"
#include "xmalloc.h"

#define SIM_BLOCK_MAX	1000	/* users in one request (Meta's limit) */

/* Digits of a number as a user gives it; -1 if it is not one. */
static int
sim_block_digits(const char *in, char *out, size_t outlen)
{
	size_t	n = 0;

	for (; *in != '\0'; in++) {
		if (*in >= '0' && *in <= '9') {
			if (n + 1 >= outlen)
				return (-1);
			out[n++] = *in;
		} else if (strchr("+-() ", *in) == NULL)
			return (-1);
	}
	out[n] = '\0';
	return (n >= 5 && n <= 15 ? 0 : -1);
}

int
sim_block_has(struct sim_serve *s, const char *digits)
{
	return (digits != NULL && json_object_get(s->blocked, digits) != NULL);
}

void
sim_block_request(struct sim_serve *s, struct evhttp_request *req, int on)
{
	struct sim_fault	 f;
	const char		*body, *user, *mp;
	json_t			*j, *users, *u, *done, *failed, *resp, *err;
	char			 digits[24];
	size_t			 len, i;

	body = sim_util_body(req, &len);
	j = len <= 65536 ? json_loadb(body, len, 0, NULL) : NULL;
	users = json_object_get(j, "block_users");
	mp = json_string_value(json_object_get(j, "messaging_product"));
	if (mp == NULL || strcmp(mp, "whatsapp") != 0) {
		sim_error_param(req, "Param messaging_product must be one of "
		    "{WHATSAPP}", NULL);
		goto out;
	}
	if (!json_is_array(users) || json_array_size(users) == 0 ||
	    json_array_size(users) > SIM_BLOCK_MAX) {
		sim_error_param(req, "The parameter block_users is required",
		    "block_users must list 1 to 1000 users.");
		goto out;
	}
	json_array_foreach(users, i, u) {
		user = json_string_value(json_object_get(u, "user"));
		if (user == NULL || sim_block_digits(user, digits,
		    sizeof digits) != 0) {
			sim_error_param(req, "Invalid parameter",
			    "Each block_users entry needs a user phone number.");
			goto out;
		}
	}
	done = json_array();
	failed = json_array();
	if (sim_fault_take(&s->faults, &f) && f.mode->code != 0) {
		json_array_foreach(users, i, u) {
			user = json_string_value(json_object_get(u, "user"));
			json_array_append_new(failed, json_pack("{s:s, s:[{s:s, "
			    "s:i, s:{s:s}}]}", "input", user, "errors",
			    "message", "Re-engagement check failed", "code",
			    f.mode->code, "error_data", "details", "The user "
			    "has not messaged the business in the last 24 "
			    "hours."));
		}
		err = sim_error_json("(#139100) Failed to block/unblock users",
		    "OAuthException", f.mode->code, 0, "Failed to block/"
		    "unblock some users, see the block_users response list "
		    "for details");
		json_object_set_new(err, "block_users", json_pack("{s:o}",
		    "failed_users", failed));
		json_decref(done);
		sim_error_reply(req, f.mode->http, err);
		goto out;
	}
	json_array_foreach(users, i, u) {
		user = json_string_value(json_object_get(u, "user"));
		sim_block_digits(user, digits, sizeof digits);
		if (on)
			json_object_set_new(s->blocked, digits, json_true());
		else
			json_object_del(s->blocked, digits);
		json_array_append_new(done, json_pack("{s:s, s:s}", "input",
		    user, "wa_id", digits));
	}
	json_decref(failed);
	resp = json_pack("{s:s, s:{s:o}}", "messaging_product", "whatsapp",
	    "block_users", on ? "added_users" : "removed_users", done);
	sim_util_reply_json(req, 200, resp);
out:
	json_decref(j);
}

/* GET /_sim/blocked: {"blocked": [numbers]}. */
void
sim_block_list(struct sim_serve *s, struct evhttp_request *req)
{
	json_t		*arr, *v;
	const char	*k;

	arr = json_array();
	json_object_foreach(s->blocked, k, v)
		json_array_append_new(arr, json_string(k));
	sim_util_reply_json(req, 200, json_pack("{s:o}", "blocked", arr));
}

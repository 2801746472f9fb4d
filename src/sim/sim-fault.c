/*
 * Failures on demand: a queue of (mode, count) that the next send requests
 * consume, set with --faults or POST /_sim/faults. Codes, titles and HTTP
 * statuses are Meta's (reference §7, fixtures/error-*.json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "xmalloc.h"

static const struct sim_fault_mode sim_fault_modes[] = {
	{ "130429", SIM_FAULT_ERROR, 400, 130429, 2494055, "OAuthException",
	  "(#130429) Rate limit hit",
	  "Cloud API message throughput has been reached.", 0 },
	{ "131056", SIM_FAULT_ERROR, 400, 131056, 0, "OAuthException",
	  "(#131056) (Business Account, Consumer Account) pair rate limit hit",
	  "Message failed to send because there were too many messages sent "
	  "from this phone number to the same phone number in a short period "
	  "of time.", 0 },
	{ "131047", SIM_FAULT_ERROR, 400, 131047, 0, "OAuthException",
	  "(#131047) Re-engagement message",
	  "Message failed to send because more than 24 hours have passed "
	  "since the customer last replied to this number.", 0 },
	{ "131047-async", SIM_FAULT_ASYNC, 400, 131047, 0, NULL,
	  "Re-engagement message",
	  "Message failed to send because more than 24 hours have passed "
	  "since the customer last replied to this number.", 0 },
	{ "131026", SIM_FAULT_ASYNC, 400, 131026, 0, NULL,
	  "Message undeliverable",
	  "Message Undeliverable.", 0 },
	{ "131026-sync", SIM_FAULT_ERROR, 400, 131026, 0, "OAuthException",
	  "(#131026) Message undeliverable",
	  "Unable to deliver message. Reasons can include: The recipient "
	  "phone number is not a WhatsApp phone number; The recipient has not "
	  "accepted our new Terms of Service and Privacy Policy; The "
	  "recipient is using an old WhatsApp version.", 0 },
	{ "131049", SIM_FAULT_ASYNC, 400, 131049, 0, NULL,
	  "This message was not delivered to maintain healthy ecosystem "
	  "engagement.",
	  "In order to maintain a healthy ecosystem engagement, the message "
	  "failed to be delivered.", 0 },
	{ "190", SIM_FAULT_ERROR, 401, 190, 463, "OAuthException",
	  NULL, NULL, 0 },
	{ "500", SIM_FAULT_ERROR, 500, 131000, 0, "OAuthException",
	  "(#131000) Something went wrong",
	  "Something went wrong", 0 },
	{ "503", SIM_FAULT_ERROR, 503, 2, 0, "OAuthException",
	  "An unexpected error has occurred. Please retry your request later.",
	  NULL, 1 },
	{ "139100", SIM_FAULT_ERROR, 400, 139100, 0, "OAuthException",
	  "(#139100) Failed to block/unblock users",
	  "Failed to block/unblock some users, see the block_users response "
	  "list for details", 0 },
	{ "slow", SIM_FAULT_SLOW, 0, 0, 0, NULL, NULL, NULL, 0 },
	{ "drop", SIM_FAULT_DROP, 0, 0, 0, NULL, NULL, NULL, 0 },
	{ "timeout", SIM_FAULT_TIMEOUT, 0, 0, 0, NULL, NULL, NULL, 0 },
};

#define SIM_FAULT_SLOW_MS	2000
#define SIM_FAULT_TIMEOUT_MS	60000

static const struct sim_fault_mode *
sim_fault_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof sim_fault_modes / sizeof sim_fault_modes[0];
	    i++) {
		if (strcmp(sim_fault_modes[i].name, name) == 0)
			return (&sim_fault_modes[i]);
	}
	return (NULL);
}

const struct sim_fault_mode *
sim_fault_named(const char *name)
{
	return (sim_fault_lookup(name));
}

int
sim_fault_numbers(struct sim_set *set, const char *list, char **cause)
{
	char	digits[24];
	size_t	i, n = 0;

	for (i = 0;; i++) {
		if (list[i] >= '0' && list[i] <= '9') {
			if (n + 1 >= sizeof digits) {
				*cause = xstrdup("a number has at most 15 "
				    "digits");
				return (-1);
			}
			digits[n++] = list[i];
		} else if (list[i] == ',' || list[i] == '\0') {
			if (n < 5) {
				*cause = xstrdup("want numbers of 5 to 15 "
				    "digits, separated by commas");
				return (-1);
			}
			digits[n] = '\0';
			sim_set_add(set, digits);
			n = 0;
			if (list[i] == '\0')
				break;
		} else if (list[i] != '+' && list[i] != ' ') {
			*cause = xstrdup("want numbers of 5 to 15 digits, "
			    "separated by commas");
			return (-1);
		}
	}
	return (0);
}

void
sim_fault_clear(struct sim_faults *q)
{
	struct sim_fault	*f;

	while ((f = q->head) != NULL) {
		q->head = f->next;
		free(f);
	}
}

static void
sim_fault_append(struct sim_faults *q, const struct sim_fault_mode *mode,
    long count, long ms)
{
	struct sim_fault	*f, **p;

	f = xcalloc(1, sizeof *f);
	f->mode = mode;
	f->count = count;
	if (ms < 0)
		ms = mode->kind == SIM_FAULT_TIMEOUT ? SIM_FAULT_TIMEOUT_MS :
		    SIM_FAULT_SLOW_MS;
	f->ms = ms;
	for (p = &q->head; *p != NULL; p = &(*p)->next)
		;
	*p = f;
}

int
sim_fault_parse(struct sim_faults *q, const char *spec, char **cause)
{
	const struct sim_fault_mode	*mode;
	char				*copy, *item, *save = NULL, *f[3];
	long long			 count, ms;
	int				 n, r = -1;

	copy = xstrdup(spec);
	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		f[0] = item;
		f[1] = f[2] = NULL;
		for (n = 1; n < 3; n++) {
			if ((f[n] = strchr(f[n - 1], ':')) == NULL)
				break;
			*f[n]++ = '\0';
		}
		if ((mode = sim_fault_lookup(f[0])) == NULL) {
			*cause = xasprintf("unknown fault mode '%s'", f[0]);
			goto out;
		}
		count = 1;
		ms = -1;
		if (f[1] != NULL && sim_util_number(f[1], -1, 1000000000,
		    &count, cause) != 0)
			goto out;
		if (f[2] != NULL && sim_util_number(f[2], 0, 3600000, &ms,
		    cause) != 0)
			goto out;
		if (count != 0)
			sim_fault_append(q, mode, (long)count, (long)ms);
	}
	r = 0;
out:
	free(copy);
	return (r);
}

static int
sim_fault_one_json(struct sim_faults *q, json_t *j, char **cause)
{
	const struct sim_fault_mode	*mode;
	const char			*name = NULL;
	json_int_t			 count = 1, ms = -1;
	json_t				*m;
	char				 num[24];

	if (!json_is_object(j)) {
		*cause = xstrdup("a fault is an object {\"mode\":..}");
		return (-1);
	}
	/* "mode" may be a string or a number: {"mode":130429}. */
	m = json_object_get(j, "mode");
	if (json_is_integer(m)) {
		snprintf(num, sizeof num, "%lld",
		    (long long)json_integer_value(m));
		name = num;
	} else
		name = json_string_value(m);
	if (json_unpack(j, "{s?I, s?I}", "count", &count, "ms", &ms) != 0 ||
	    json_unpack(j, "{s?I}", "delay_ms", &ms) != 0) {
		*cause = xstrdup("count and ms are integers");
		return (-1);
	}
	if (name == NULL) {
		*cause = xstrdup("a fault needs a mode");
		return (-1);
	}
	if (strcmp(name, "none") == 0 || strcmp(name, "clear") == 0)
		return (0);
	if ((mode = sim_fault_lookup(name)) == NULL) {
		*cause = xasprintf("unknown fault mode '%s'", name);
		return (-1);
	}
	if (count < -1 || ms < -1 || ms > 3600000) {
		*cause = xstrdup("count or ms out of range");
		return (-1);
	}
	if (count != 0)
		sim_fault_append(q, mode, (long)count, (long)ms);
	return (0);
}

int
sim_fault_set_json(struct sim_faults *q, json_t *j, char **cause)
{
	struct sim_faults	 nq = { NULL };
	json_t			*item;
	size_t			 i;

	if (json_is_array(j)) {
		json_array_foreach(j, i, item) {
			if (sim_fault_one_json(&nq, item, cause) != 0)
				goto fail;
		}
	} else if (sim_fault_one_json(&nq, j, cause) != 0)
		goto fail;
	sim_fault_clear(q);
	q->head = nq.head;
	return (0);
fail:
	sim_fault_clear(&nq);
	return (-1);
}

json_t *
sim_fault_json(struct sim_faults *q)
{
	struct sim_fault	*f;
	json_t			*a = json_array(), *o;

	for (f = q->head; f != NULL; f = f->next) {
		o = json_pack("{s:s, s:i}", "mode", f->mode->name,
		    "count", (int)f->count);
		if (f->mode->kind == SIM_FAULT_SLOW ||
		    f->mode->kind == SIM_FAULT_TIMEOUT)
			json_object_set_new(o, "ms", json_integer(f->ms));
		json_array_append_new(a, o);
	}
	return (a);
}

int
sim_fault_take(struct sim_faults *q, struct sim_fault *out)
{
	struct sim_fault	*f = q->head;

	if (f == NULL)
		return (0);
	*out = *f;
	out->next = NULL;
	if (f->count > 0 && --f->count == 0) {
		q->head = f->next;
		free(f);
	}
	return (1);
}

json_t *
sim_fault_error_json(const struct sim_fault_mode *m)
{
	json_t	*j, *e;

	if (m->code == 190) {
		return (sim_error_json("Error validating access token: Session "
		    "has expired on Friday, 08-Mar-24 03:00:00 PST. The current "
		    "time is Friday, 08-Mar-24 05:13:10 PST.", "OAuthException",
		    190, 463, NULL));
	}
	j = sim_error_json(m->message, m->type, m->code, m->subcode,
	    m->details);
	if (m->transient) {
		e = json_object_get(j, "error");
		json_object_set_new(e, "is_transient", json_true());
	}
	return (j);
}

json_t *
sim_fault_status_error(const struct sim_fault_mode *m)
{
	return (json_pack("{s:i, s:s, s:s, s:{s:s}, s:s}",
	    "code", m->code,
	    "title", m->message,
	    "message", m->message,
	    "error_data", "details", m->details,
	    "href", "/documentation/business-messaging/whatsapp/support/"
	    "error-codes"));
}

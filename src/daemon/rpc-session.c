/*
 * The session methods: hello (the protocol version and who the peer is),
 * subscribe (pushed events), status (the daemon's health and counters for
 * the client's top bar and for monitoring) and meta.methods (every method
 * with the role it needs, so a test can prove each is audited).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "outbox.h"
#include "proto-names.h"
#include "proto.h"
#include "rpc.h"
#include "store.h"
#include "version.h"
#include "xmalloc.h"


/* Printable ASCII only, bounded: this lands in the audit log. */
static void
rpc_clean(char *dst, size_t dstsz, const char *src)
{
	size_t	n = 0;

	for (; src != NULL && *src != '\0' && n + 1 < dstsz; src++)
		dst[n++] = isprint((unsigned char)*src) ? *src : '?';
	dst[n] = '\0';
}

/*
 * The business numbers' labels, in the configuration's order (issue 15):
 * a client shows them only when there is more than one.
 */
static json_t *
rpc_session_numbers(struct daemon *d)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; i < d->conf.nnumbers; i++)
		json_array_append_new(a, json_string(d->conf.numbers[i].label));
	return (a);
}

static json_t *
rpc_hello(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	int64_t		 version;
	const char	*tty, *ssh;
	char		 ctty[64], cssh[128];

	if (rpc_param_int(params, "version", 1, &version, 0, 1000000,
	    err) != 0)
		return (NULL);
	if (version != PROTO_VERSION)
		return (rpc_error(err, PE_VERSION,
		    "client speaks protocol %lld, "
		    "daemon speaks %d; use matching versions of support-inbox "
		    "and support-inboxd", (long long)version, PROTO_VERSION));
	if (rpc_param_str(params, "tty", 0, &tty, 64, err) != 0 ||
	    rpc_param_str(params, "ssh", 0, &ssh, 128, err) != 0)
		return (NULL);
	rpc_clean(ctty, sizeof ctty, tty != NULL ? tty : "-");
	rpc_clean(cssh, sizeof cssh, ssh);
	snprintf(ctx->peer->client, sizeof ctx->peer->client,
	    "pid=%ld tty=%s%s%s%s", (long)ctx->peer->pid, ctty,
	    ssh != NULL ? " ssh=" : "", ssh != NULL ? cssh : "",
	    ssh != NULL ? " (reported)" : "");
	ctx->peer->hello = 1;
	return (json_pack("{si ss ss sb ss so}", "version", PROTO_VERSION,
	    "daemon", SI_VERSION, "user", ctx->peer->user,
	    "agent", ctx->is_agent,
	    "role", ctx->is_agent ? ctx->agent.role : "none",
	    "numbers", rpc_session_numbers(ctx->d)));
}

/* One secret's webhooks since start: how many were stored, and when last. */
static json_t *
rpc_session_secret(struct daemon *d, int which)
{
	return (json_pack("{sI so}", "accepted",
	    (json_int_t)d->wh_secret_n[which], "last",
	    d->wh_secret_last[which] != 0 ?
	    json_integer((json_int_t)d->wh_secret_last[which]) :
	    json_null()));
}

/*
 * Webhooks for a business number not configured wait quarantined (issue
 * 15): an alarm naming the numbers until they are replayed.
 */
static void
rpc_session_number_alarm(struct daemon *d, json_t *alarms)
{
	json_t	*ids, *id;
	int64_t	 n;
	size_t	 i;
	char	*list = NULL, *t;

	if (d->store.db == NULL)
		return;
	if ((n = store_number_quarantined(&d->store, &ids)) == 0) {
		json_decref(ids);
		return;
	}
	json_array_foreach(ids, i, id) {
		t = xasprintf("%s%s%s", list != NULL ? list : "",
		    list != NULL ? ", " : "", json_string_value(id));
		free(list);
		list = t;
	}
	t = xasprintf("%lld webhook%s for business number%s not configured "
	    "(phone_number_id %s) quarantined", (long long)n, n == 1 ? "" :
	    "s", json_array_size(ids) == 1 ? "" : "s", list != NULL ? list :
	    "?");
	json_array_append_new(alarms, json_pack("{ss sI so ss ss}", "kind",
	    "number", "count", (json_int_t)n, "phone_number_ids", ids,
	    "message", t, "fix", "add a [number LABEL] section with that "
	    "phone_number_id, then: support-inboxd replay (daemon stopped) "
	    "and start it"));
	free(t);
	free(list);
}

json_t *
rpc_session_status(struct daemon *d)
{
	json_t		*j, *wh, *alarms, *sec;

	j = json_object();
	json_object_set_new(j, "version", json_string(SI_VERSION));
	json_object_set_new(j, "protocol", json_integer(PROTO_VERSION));
	json_object_set_new(j, "schema_version",
	    json_integer(store_schema_version(&d->store)));
	json_object_set_new(j, "uptime", json_integer((json_int_t)(time(NULL) -
	    d->started)));
	json_object_set_new(j, "clients",
	    json_integer((json_int_t)rpc_peer_count(d, 0)));
	json_object_set_new(j, "subscribers",
	    json_integer((json_int_t)rpc_peer_count(d, 1)));
	json_object_set_new(j, "counts", store_stats(&d->store));
	wh = json_object();
	json_object_set_new(wh, "enabled",
	    json_boolean(d->webhook != NULL));
	json_object_set_new(wh, "accepted", json_integer(
	    (json_int_t)d->wh_accepted));
	json_object_set_new(wh, "bad_signature", json_integer(
	    (json_int_t)d->wh_bad_sig));
	json_object_set_new(wh, "rejected", json_integer(
	    (json_int_t)d->wh_rejected));
	json_object_set_new(wh, "db_errors", json_integer(
	    (json_int_t)d->wh_db_errors));
	json_object_set_new(wh, "busy", json_integer(
	    (json_int_t)d->wh_busy));
	json_object_set_new(wh, "batches", json_integer(
	    (json_int_t)d->wh_batches));
	json_object_set_new(wh, "events", json_integer(
	    (json_int_t)d->wh_events));
	json_object_set_new(wh, "duplicates", json_integer(
	    (json_int_t)d->wh_duplicates));
	/* Rotation: the previous secret can go once it has no recent use. */
	sec = json_object();
	json_object_set_new(sec, "since", json_integer((json_int_t)
	    (d->wh_secret_since != 0 ? d->wh_secret_since : d->started)));
	json_object_set_new(sec, "current", rpc_session_secret(d, 0));
	json_object_set_new(sec, "previous", rpc_session_secret(d, 1));
	json_object_set_new(json_object_get(sec, "previous"), "configured",
	    json_boolean(d->conf.app_secret_old != NULL));
	json_object_set_new(wh, "secrets", sec);
	json_object_set_new(j, "webhook", wh);
	json_object_set_new(j, "search", store_search_stats(&d->store));
	json_object_set_new(j, "alerts", store_alerts_recent(&d->store, 20));
	alarms = outbox_alarms(d->outbox);
	if (d->store.damaged)
		json_array_append_new(alarms, json_pack("{ss ss ss}", "kind",
		    "store", "message", d->store_damage != NULL ?
		    d->store_damage : "store damaged", "fix",
		    "writes are refused; " DAEMON_RESTORE_HINT));
	rpc_session_number_alarm(d, alarms);
	json_object_set_new(j, "alarms", alarms);
	if (d->store_check != NULL)
		json_object_set_new(j, "store_check",
		    json_string(d->store_check));
	if (d->outbox != NULL)
		json_object_set_new(j, "outbox", outbox_stats(d->outbox));
	return (j);
}

static json_t *
rpc_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct daemon	*d = ctx->d;
	json_t		*j;
	const char	*num;

	(void)params; (void)err;
	j = rpc_session_status(d);
	/* Who asks, and for which number: the client's top bar. */
	if (ctx->is_agent)
		json_object_set_new(j, "me", json_pack("{ss ss so sI}",
		    "name", ctx->agent.name, "role", ctx->agent.role, "team",
		    ctx->agent.team[0] != '\0' ?
		    json_string(ctx->agent.team) : json_null(), "away",
		    (json_int_t)ctx->agent.away));
	/*
	 * As the last webhook said; until one comes after a restart, the
	 * first number's configured display_number (the opt-in link's).
	 */
	num = d->display_number;
	if (num == NULL && d->conf.nnumbers > 0)
		num = conf_optin_display(&d->conf, d->conf.numbers[0].label);
	json_object_set_new(j, "number", num != NULL ? json_string(num) :
	    json_null());
	/* The configured one: a client asks again after the next message. */
	json_object_set_new(j, "number_from", json_string(
	    d->display_number != NULL ? "webhook" : num != NULL ?
	    "config" : "none"));
	json_object_set_new(j, "numbers", rpc_session_numbers(d));
	return (j);
}

static json_t *
rpc_subscribe(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	(void)params; (void)err;
	ctx->peer->subscribed = 1;
	return (json_pack("{sb}", "subscribed", 1));
}

const struct rpc_method rpc_session_methods[] = {
	{ PM_HELLO,		RPC_ANYONE,	RPC_READONLY,	rpc_hello },
	{ PM_STATUS,		RPC_AGENT,	RPC_READONLY,	rpc_status },
	{ PM_SUBSCRIBE,		RPC_AGENT,	RPC_READONLY,	rpc_subscribe },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};

/*
 * contact.block's request to the Cloud API and what its answer changes;
 * see block.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "block.h"
#include "crypt.h"
#include "daemon.h"
#include "graph.h"
#include "log.h"
#include "meta-errors.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define BLOCK_RESP_MAX	(64 * 1024)

struct block_job {
	struct daemon	*d;
	int64_t		 cid;
	int		 on;
	int64_t		 agent_id;
	char		*agent;
	char		*client;
	/* the outcome */
	int		 ok;
	int64_t		 code;		/* Meta's, or a META_ERRORS_* pseudo */
	char		*meta;		/* Meta's own words, or NULL */
};

static void
block_job_free(struct block_job *j)
{
	free(j->agent);
	free(j->client);
	free(j->meta);
	free(j);
}

/* The outcome, stored and audited (rpc_act). */
static int
block_store(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct block_job		*j = arg;
	const struct meta_errors_entry	*e;
	const char			*action;
	json_t				*ev;
	int				 gone;

	action = j->on ? "contact.block" : "contact.unblock";
	/* Erased (or merged away) while the request was out: nothing left. */
	gone = !store_contact_exists(&ctx->d->store, j->cid);
	if (j->ok && !gone && store_contact_set_blocked(&ctx->d->store,
	    j->cid, j->on, j->agent_id, (int64_t)time(NULL)) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "contact", .object_id = j->cid,
	    .contact_id = gone ? 0 : j->cid,
	    .result = j->ok ? "ok" : "failed" };
	ev = json_pack("{sI ss sb sb}", "contact_id", (json_int_t)j->cid,
	    "action", j->on ? "block" : "unblock", "ok", j->ok, "blocked",
	    gone ? 0 : store_contact_blocked(&ctx->d->store, j->cid));
	if (!j->ok) {
		e = meta_errors_lookup(j->code);
		rpc_audit_detail(ctx, "code %lld", (long long)j->code);
		json_object_set_new(ev, "error_code", json_integer(j->code));
		json_object_set_new(ev, "explain", json_string(e->explain));
		if (j->meta != NULL)
			json_object_set_new(ev, "meta", json_string(j->meta));
	}
	rpc_event(ctx, PEV_CONTACT_BLOCKED, ev);
	return (0);
}

/* The error of the first user the answer lists as failed, or 0. */
static int64_t
block_failed_user(json_t *resp, const char **msg)
{
	json_t	*f, *e;

	f = json_array_get(json_object_get(json_object_get(resp,
	    "block_users"), "failed_users"), 0);
	if (f == NULL)
		return (0);
	e = json_array_get(json_object_get(f, "errors"), 0);
	*msg = json_string_value(json_object_get(e, "message"));
	if (json_is_integer(json_object_get(e, "code")))
		return (json_integer_value(json_object_get(e, "code")));
	return (META_ERRORS_BAD_RESPONSE);
}

static void
block_cb(const struct graph_resp *r, void *arg)
{
	struct block_job	*j = arg;
	struct audit_who	 who;
	const char		*msg = NULL;
	json_t			*events;
	int64_t			 code;

	if (r->transport != GRAPH_OK) {
		j->code = r->transport == GRAPH_NOTSENT ?
		    META_ERRORS_NET_CONNECT : META_ERRORS_NET_UNKNOWN;
	} else if (r->has_error) {
		j->code = r->code;
		msg = r->message;
		/* The per-user reason says more than the request's. */
		if ((code = block_failed_user(r->json, &msg)) != 0)
			j->code = code;
	} else if (r->http != 200) {
		j->code = META_ERRORS_HTTP;
	} else if ((code = block_failed_user(r->json, &msg)) != 0) {
		j->code = code;
	} else
		j->ok = 1;
	if (!j->ok && msg != NULL && strlen(msg) < 512)
		j->meta = xstrdup(msg);
	who = (struct audit_who){ j->agent_id, j->agent, j->client };
	if (rpc_act(j->d, &who, j->on ? "contact.block" : "contact.unblock",
	    block_store, j, &events) == 0)
		server_events(j->d->server, events);
	if (!j->ok)
		log_warn("contact %lld: %s failed (code %lld)",
		    (long long)j->cid, j->on ? "block" : "unblock",
		    (long long)j->code);
	block_job_free(j);
}

int
block_start(struct daemon *d, const struct audit_who *who, int64_t cid,
    int on, const char *wa_id, char **cause)
{
	struct block_job	*j;
	json_t			*body;
	char			*path, *text;
	int			 rc;

	if (d->graph == NULL || d->outbox == NULL ||
	    d->conf.phone_number_id == NULL) {
		*cause = xstrdup("the daemon has no Graph API configured");
		return (-1);
	}
	/* Paused (a dead token, a restored store): Meta is not asked. */
	if (outbox_paused(d->outbox)) {
		*cause = xstrdup("sending is paused (see support-inbox "
		    "status); an admin resumes it with: support-inbox outbox "
		    "resume");
		return (-1);
	}
	j = xcalloc(1, sizeof *j);
	j->d = d;
	j->cid = cid;
	j->on = on;
	j->agent_id = who->agent_id;
	j->agent = xstrdup(who->agent != NULL ? who->agent : "support-inboxd");
	j->client = who->client != NULL ? xstrdup(who->client) : NULL;
	body = json_pack("{ss s[{ss}]}", "messaging_product", "whatsapp",
	    "block_users", "user", wa_id);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	path = xasprintf("/%s/block_users", d->conf.phone_number_id);
	rc = graph_request(d->graph, on ? "POST" : "DELETE", path, NULL, text,
	    strlen(text), BLOCK_RESP_MAX, block_cb, j);
	free(path);
	crypt_wipe_free(text, strlen(text));
	if (rc != 0) {
		block_job_free(j);
		*cause = xstrdup("cannot start a Graph API request");
		return (-1);
	}
	return (0);
}

/* Age-based purges; see retention.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "audit.h"
#include "daemon.h"
#include "log.h"
#include "privacy.h"
#include "proto-names.h"
#include "retention.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

#define RETENTION_DAY		86400
#define RETENTION_BATCH		100000	/* rows per run and kind */
#define RETENTION_FIRST		300	/* seconds after start */

struct retention {
	struct event	*ev;
};

static int64_t
retention_before(int64_t now, uint32_t days)
{
	return (now - (int64_t)days * RETENTION_DAY);
}

/* One purge's transaction (rpc_act), and what it leaves for after. */
struct retention_job {
	const char	*action;
	int64_t		 now;
	int		 dry_run;
	json_t		*blobs;		/* media files, unlinked after */
	json_t		*shred;		/* contacts whose key goes after */
	json_t		*res;		/* the counts */
	int64_t		 nconv, ncontact, nraw, nmedia;
};

static int
retention_purge(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct retention_job	*j = arg;
	struct daemon		*d = ctx->d;
	struct store		*s = &d->store;
	json_t			*convs = NULL, *media = NULL, *per = NULL;
	json_t			*row, *v;
	int64_t			 nmsg = 0, naudit = 0, conv, cid, left;
	size_t			 i;
	const char		*k;
	char			*detail, key[24];
	int			 rc = -1;

	/* A drill makes the deletions and undoes them; its record stays. */
	if (j->dry_run && store_savepoint(s) != 0)
		goto out;
	if (d->conf.keep_raw_events != 0 && store_retention_raw(s,
	    retention_before(j->now, d->conf.keep_raw_events), 0,
	    &j->nraw) != 0)
		goto out;
	if (d->conf.keep_resolved != 0) {
		convs = store_retention_resolved(s, retention_before(j->now,
		    d->conf.keep_resolved), RETENTION_BATCH);
		per = json_object();
		json_array_foreach(convs, i, row) {
			conv = json_integer_value(json_array_get(row, 0));
			cid = json_integer_value(json_array_get(row, 1));
			if (store_conv_delete(s, conv, j->blobs, &nmsg) != 0)
				goto out;
			j->nconv++;
			snprintf(key, sizeof key, "%" PRId64, cid);
			json_object_set_new(per, key, json_true());
		}
		/* A contact with nothing left is erased entirely. */
		json_object_foreach(per, k, v) {
			cid = strtoll(k, NULL, 10);
			if ((left = store_contact_conv_count(s, cid)) < 0)
				goto out;
			if (left > 0)
				continue;
			if (store_contact_erase(s, cid, 0, j->now, j->blobs,
			    NULL) != 0)
				goto out;
			json_array_append_new(j->shred, json_integer(cid));
			j->ncontact++;
		}
	}
	if (d->conf.keep_media != 0) {
		media = store_retention_media(s, retention_before(j->now,
		    d->conf.keep_media), RETENTION_BATCH);
		for (i = 0; i < json_array_size(media); i++) {
			if (store_media_expire(s, json_integer_value(
			    json_array_get(media, i)), j->now) != 0)
				goto out;
			json_array_append(j->blobs, json_array_get(media, i));
			j->nmedia++;
		}
	}
	if (j->dry_run && store_savepoint_undo(s) != 0)
		goto out;
	/* Counted only: the audit log is pruned after the commit. */
	if (d->conf.keep_audit != 0 && audit_prune(d, &ctx->who,
	    retention_before(j->now, d->conf.keep_audit) * 1000, 1,
	    &naudit) != 0)
		goto out;
	j->res = json_pack("{sI sI sI sI sI sI sb}", "raw_events",
	    (json_int_t)j->nraw, "conversations", (json_int_t)j->nconv,
	    "messages", (json_int_t)nmsg, "contacts", (json_int_t)j->ncontact,
	    "media", (json_int_t)j->nmedia, "audit_records",
	    (json_int_t)naudit, "dry_run", j->dry_run);
	ctx->audit = (struct audit_rec){ .action = j->action,
	    .result = j->dry_run ? "dry-run" : "ok" };
	detail = json_dumps(j->res, JSON_COMPACT);
	rpc_audit_detail(ctx, "%s", detail);
	free(detail);
	rc = 0;
out:
	if (rc != 0)
		rpc_error(err, PE_INTERNAL, "database error");
	json_decref(convs);
	json_decref(media);
	json_decref(per);
	return (rc);
}

json_t *
retention_run(struct daemon *d, const struct audit_who *who,
    const char *action, int64_t now, int dry_run, char **cause)
{
	struct retention_job	 j = { .action = action, .now = now,
				    .dry_run = dry_run };
	struct store		*s = &d->store;
	json_t			*events, *res = NULL;
	int64_t			 naudit = 0;
	size_t			 i;

	j.blobs = json_array();
	j.shred = json_array();
	if (rpc_act(d, who, action, retention_purge, &j, &events) != 0) {
		*cause = xstrdup("database error; nothing was purged");
		goto out;
	}
	json_decref(events);	/* a purge raises none */
	res = j.res;
	j.res = NULL;
	if (dry_run)
		goto out;
	for (i = 0; i < json_array_size(j.shred); i++) {
		privacy_journal(d, json_integer_value(json_array_get(j.shred,
		    i)));
		store_contact_shred(s, json_integer_value(
		    json_array_get(j.shred, i)));
	}
	privacy_unlink_blobs(d, j.blobs);
	/* The audit log goes last: its prune record follows ours. */
	if (d->conf.keep_audit != 0 && audit_prune(d, who,
	    retention_before(now, d->conf.keep_audit) * 1000, 0,
	    &naudit) != 0)
		log_warn("retention: cannot prune the audit log");
	json_object_set_new(res, "audit_records", json_integer(naudit));
	if (j.nconv + j.ncontact + j.nraw + j.nmedia + naudit > 0)
		store_shred_checkpoint(s);
	/* The in-memory search index forgets deleted conversations. */
	if (j.nconv > 0 && s->search != NULL) {
		if (daemon_search_start(d, cause) != 0) {
			log_error("retention: search index: %s", *cause);
			free(*cause);
			*cause = NULL;
		}
	}
	log_info("retention: %" PRId64 " conversations, %" PRId64 " raw "
	    "events, %" PRId64 " media files, %" PRId64 " audit records "
	    "removed", j.nconv, j.nraw, j.nmedia, naudit);
out:
	json_decref(j.res);
	json_decref(j.blobs);
	json_decref(j.shred);
	return (res);
}

static void
retention_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon		*d = arg;
	struct audit_who	 who = { 0, "support-inboxd", "retention" };
	struct timeval		 tv = { RETENTION_DAY, 0 };
	json_t			*res;
	char			*cause = NULL;

	(void)fd; (void)what;
	res = retention_run(d, &who, "retention.run", (int64_t)time(NULL), 0,
	    &cause);
	if (res == NULL) {
		log_error("retention: %s", cause);
		free(cause);
	}
	json_decref(res);
	evtimer_add(d->retention->ev, &tv);
}

void
retention_start(struct daemon *d)
{
	struct timeval	tv = { RETENTION_FIRST, 0 };

	d->retention = xcalloc(1, sizeof *d->retention);
	d->retention->ev = evtimer_new(d->base, retention_cb, d);
	evtimer_add(d->retention->ev, &tv);
}

void
retention_stop(struct daemon *d)
{
	if (d->retention == NULL)
		return;
	event_free(d->retention->ev);
	free(d->retention);
	d->retention = NULL;
}

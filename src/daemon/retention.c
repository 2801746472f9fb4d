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
#include "retention.h"
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

json_t *
retention_run(struct daemon *d, const struct audit_who *who,
    const char *action, int64_t now, int dry_run, char **cause)
{
	struct store		*s = &d->store;
	struct audit_rec	 rec = { action, NULL, 0, 0, NULL, "ok",
				    NULL };
	json_t			*res, *convs = NULL, *media = NULL, *blobs;
	json_t			*per = NULL, *row, *shred;
	int64_t			 nraw = 0, nconv = 0, nmsg = 0, ncontact = 0;
	int64_t			 nmedia = 0, naudit = 0, conv, cid, left;
	size_t			 i;
	const char		*k;
	json_t			*v;
	char			*detail, key[24];

	blobs = json_array();
	shred = json_array();
	if (store_begin(s) != 0) {
		*cause = xstrdup("database busy");
		goto fail;
	}
	if (d->conf.keep_raw_events != 0 && store_retention_raw(s,
	    retention_before(now, d->conf.keep_raw_events), 0, &nraw) != 0)
		goto rollback;
	if (d->conf.keep_resolved != 0) {
		convs = store_retention_resolved(s, retention_before(now,
		    d->conf.keep_resolved), RETENTION_BATCH);
		per = json_object();
		json_array_foreach(convs, i, row) {
			conv = json_integer_value(json_array_get(row, 0));
			cid = json_integer_value(json_array_get(row, 1));
			if (store_conv_delete(s, conv, blobs, &nmsg) != 0)
				goto rollback;
			nconv++;
			snprintf(key, sizeof key, "%" PRId64, cid);
			json_object_set_new(per, key, json_true());
		}
		/* A contact with nothing left is erased entirely. */
		json_object_foreach(per, k, v) {
			cid = strtoll(k, NULL, 10);
			if ((left = store_contact_conv_count(s, cid)) < 0)
				goto rollback;
			if (left > 0)
				continue;
			if (store_contact_erase(s, cid, 0, now, blobs,
			    NULL) != 0)
				goto rollback;
			json_array_append_new(shred, json_integer(cid));
			ncontact++;
		}
	}
	if (d->conf.keep_media != 0) {
		media = store_retention_media(s, retention_before(now,
		    d->conf.keep_media), RETENTION_BATCH);
		for (i = 0; i < json_array_size(media); i++) {
			if (store_media_expire(s, json_integer_value(
			    json_array_get(media, i)), now) != 0)
				goto rollback;
			json_array_append(blobs, json_array_get(media, i));
			nmedia++;
		}
	}
	if (dry_run)
		store_rollback(s);
	if (d->conf.keep_audit != 0 && audit_prune(d, who,
	    retention_before(now, d->conf.keep_audit) * 1000, 1, &naudit) != 0)
		goto rollback;
	res = json_pack("{sI sI sI sI sI sI sb}", "raw_events",
	    (json_int_t)nraw, "conversations", (json_int_t)nconv, "messages",
	    (json_int_t)nmsg, "contacts", (json_int_t)ncontact, "media",
	    (json_int_t)nmedia, "audit_records", (json_int_t)naudit,
	    "dry_run", dry_run);
	detail = json_dumps(res, JSON_COMPACT);
	rec.detail = detail;
	rec.result = dry_run ? "dry-run" : "ok";
	if (dry_run) {
		if (audit_append_commit(d, who, &rec) != 0) {
			free(detail);
			json_decref(res);
			*cause = xstrdup("cannot write audit log");
			goto fail;
		}
	} else if (audit_append(d, who, &rec) != 0 ||
	    store_commit(s, cause) != 0) {
		free(detail);
		json_decref(res);
		if (*cause == NULL)
			*cause = xstrdup("cannot write audit log");
		store_rollback(s);
		goto fail;
	}
	free(detail);
	if (!dry_run) {
		for (i = 0; i < json_array_size(shred); i++)
			store_contact_shred(s, json_integer_value(
			    json_array_get(shred, i)));
		privacy_unlink_blobs(d, blobs);
		/* The audit log goes last: its prune record follows ours. */
		if (d->conf.keep_audit != 0 && audit_prune(d, who,
		    retention_before(now, d->conf.keep_audit) * 1000, 0,
		    &naudit) != 0)
			log_warn("retention: cannot prune the audit log");
		json_object_set_new(res, "audit_records", json_integer(naudit));
		if (nconv + ncontact + nraw + nmedia + naudit > 0)
			store_shred_checkpoint(s);
		/* The in-memory search index forgets deleted conversations. */
		if (nconv > 0 && s->search != NULL) {
			if (daemon_search_start(d, cause) != 0) {
				log_error("retention: search index: %s",
				    *cause);
				free(*cause);
				*cause = NULL;
			}
		}
		log_info("retention: %" PRId64 " conversations, %" PRId64
		    " raw events, %" PRId64 " media files, %" PRId64
		    " audit records removed", nconv, nraw, nmedia, naudit);
	}
	json_decref(convs);
	json_decref(media);
	json_decref(per);
	json_decref(blobs);
	json_decref(shred);
	return (res);
rollback:
	store_rollback(s);
	*cause = xstrdup("database error; nothing was purged");
fail:
	json_decref(convs);
	json_decref(media);
	json_decref(per);
	json_decref(blobs);
	json_decref(shred);
	return (NULL);
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

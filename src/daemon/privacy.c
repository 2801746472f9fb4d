/*
 * Erasure by crypto-shredding and its replay after a restore; see
 * privacy.h and doc/privacy.md for what it does and does not reach.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "daemon.h"
#include "log.h"
#include "privacy.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

static int
privacy_id(const char *s, int64_t *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || v <= 0)
		return (-1);
	*out = v;
	return (0);
}

int
privacy_contact(struct daemon *d, const char *spec, int64_t *cid,
    char **cause)
{
	int64_t	id;
	int	rc;

	if (strncmp(spec, "conv:", 5) == 0) {
		if (privacy_id(spec + 5, &id) != 0) {
			*cause = xstrdup("conv: needs a conversation number, "
			    "as in conv:12");
			return (-1);
		}
		if (store_conv_contact(&d->store, id, cid) != 0) {
			*cause = xasprintf("no conversation %" PRId64, id);
			return (1);
		}
		return (0);
	}
	if (strncmp(spec, "contact:", 8) == 0) {
		if (privacy_id(spec + 8, &id) != 0) {
			*cause = xstrdup("contact: needs an internal contact "
			    "number, as in contact:7");
			return (-1);
		}
		if (!store_contact_exists(&d->store, id) &&
		    store_contact_merged_into(&d->store, id) != 0) {
			*cause = xasprintf("no contact %" PRId64 ": it was "
			    "merged into contact:%" PRId64, id,
			    store_contact_merged_into(&d->store, id));
			return (1);
		}
		if (!store_contact_exists(&d->store, id)) {
			*cause = xasprintf("no contact %" PRId64 " (erased?)",
			    id);
			return (1);
		}
		*cid = id;
		return (0);
	}
	/* A bare short number is most likely a conversation: say so. */
	if (privacy_id(spec, &id) == 0 && strlen(spec) < 5) {
		*cause = xasprintf("'%s' is ambiguous; write conv:%s for a "
		    "conversation or contact:%s for a contact", spec, spec,
		    spec);
		return (-1);
	}
	if (*spec == '\0') {
		*cause = xstrdup("empty contact");
		return (-1);
	}
	rc = store_contact_find(&d->store, spec, cid);
	if (rc < 0) {
		*cause = xstrdup("database error");
		return (-1);
	}
	if (rc == 1) {
		*cause = xstrdup("no contact with that number or WhatsApp id");
		return (1);
	}
	return (0);
}

void
privacy_unlink_blobs(struct daemon *d, json_t *ids)
{
	size_t	 i;
	char	*path;

	for (i = 0; i < json_array_size(ids); i++) {
		path = xasprintf("%s/blobs/%lld", d->conf.data_dir, (long long)
		    json_integer_value(json_array_get(ids, i)));
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("cannot remove media file '%s'", path);
		free(path);
	}
}

/*
 * After the commit: the erasure goes into the journal outside the
 * database too, so a restore from an older backup re-applies it.
 */
void
privacy_journal(struct daemon *d, int64_t cid)
{
	char	*path;

	path = store_erasure_journal_path(d->conf.checkpoint_file,
	    d->conf.data_dir);
	if (store_erasure_journal_add(path, cid, (int64_t)time(NULL)) != 0)
		log_error("cannot append to the erasure journal '%s': %s; "
		    "a restore from an older backup would not re-apply the "
		    "erasure of contact %" PRId64, path, strerror(errno), cid);
	free(path);
}

/* One erasure's transaction (rpc_act): the rows, the record, the ledger. */
struct privacy_erasure {
	int64_t		 cid;
	const char	*reason;
	json_t		*media;		/* blob ids, unlinked after commit */
	json_t		*counts;
	int64_t		 seq;		/* of its audit record */
};

static int
privacy_erase_rows(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct privacy_erasure	*e = arg;
	struct store		*s = &ctx->d->store;
	struct audit_rec	 rec;
	char			*detail;
	uint8_t			 h[32];
	int			 rc;

	if (store_contact_erase(s, e->cid, ctx->who.agent_id,
	    (int64_t)time(NULL), e->media, e->counts) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	json_object_set_new(e->counts, "media", json_integer(
	    (json_int_t)json_array_size(e->media)));
	detail = json_dumps(e->counts, JSON_COMPACT);
	rec = (struct audit_rec){ .action = "privacy.erase",
	    .object_type = "contact", .object_id = e->cid,
	    .contact_id = e->cid, .purpose = e->reason, .result = "ok",
	    .detail = detail };
	/* Appended now, not by rpc_act: the ledger names its seq. */
	rc = rpc_audit(ctx, &rec, err);
	free(detail);
	if (rc != 0)
		return (-1);
	if (store_audit_head(s, &e->seq, h) != 0 ||
	    store_erasure_set_seq(s, e->cid, e->seq) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	return (0);
}

int
privacy_erase(struct daemon *d, const struct audit_who *who, int64_t cid,
    const char *reason, json_t **res, char **cause)
{
	struct privacy_erasure	 e = { .cid = cid, .reason = reason };
	json_t			*events;
	int			 hold = 0, rc;

	*res = NULL;
	if ((rc = store_contact_flags(&d->store, cid, NULL, &hold)) != 0) {
		*cause = rc < 0 ? xstrdup("database error") :
		    xasprintf("no contact %" PRId64, cid);
		return (rc < 0 ? -1 : 1);
	}
	if (hold) {
		*cause = xasprintf("contact %" PRId64 " is under legal hold; "
		    "lift it first (privacy hold contact:%" PRId64 " off "
		    "--reason ...)", cid, cid);
		return (1);
	}
	e.media = json_array();
	e.counts = json_object();
	if (rpc_act(d, who, "privacy.erase", privacy_erase_rows, &e,
	    &events) != 0) {
		*cause = xstrdup("database error; nothing was erased");
		json_decref(e.media);
		json_decref(e.counts);
		return (-1);
	}
	json_decref(events);	/* an erasure raises none */
	json_object_set_new(e.counts, "audit_seq", json_integer(e.seq));
	privacy_journal(d, cid);

	/* The rows are gone; now the key, then every trace of it. */
	if (store_contact_shred(&d->store, cid) != 0) {
		log_error("erase: cannot delete the data key of contact %"
		    PRId64 "; run privacy replay-erasures", cid);
		json_object_set_new(e.counts, "key_destroyed", json_false());
	} else
		json_object_set_new(e.counts, "key_destroyed", json_true());
	json_object_set_new(e.counts, "wal_truncated", json_boolean(
	    store_shred_checkpoint(&d->store) == 0));
	privacy_unlink_blobs(d, e.media);
	json_decref(e.media);
	json_object_set_new(e.counts, "contact_id", json_integer(cid));
	*res = e.counts;
	log_info("contact %" PRId64 " erased", cid);
	return (0);
}

/* The replay's transaction (rpc_act): every erasure the store lost. */
struct privacy_replay_job {
	json_t		*ledger;	/* erasure ledger entries */
	json_t		*orphans;	/* contacts whose key is gone */
	json_t		*media;		/* blob ids, unlinked after commit */
	json_t		*shred;		/* contacts whose key goes after it */
	int64_t		 rows;		/* contacts erased again */
};

static int
privacy_replay_rows(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct privacy_replay_job	*j = arg;
	struct store			*s = &ctx->d->store;
	json_t				*v;
	int64_t				 cid;
	size_t				 i;

	json_array_foreach(j->ledger, i, v) {
		cid = json_integer_value(json_object_get(v, "contact_id"));
		if (store_contact_exists(s, cid)) {
			if (store_contact_erase(s, cid, ctx->who.agent_id,
			    (int64_t)time(NULL), j->media, NULL) != 0)
				goto fail;
			j->rows++;
		}
		if (store_contact_has_key(s, cid))
			json_array_append_new(j->shred, json_integer(cid));
	}
	json_array_foreach(j->orphans, i, v) {
		cid = json_integer_value(v);
		if (!store_contact_exists(s, cid))
			continue;	/* done above */
		if (store_contact_erase(s, cid, ctx->who.agent_id,
		    (int64_t)time(NULL), j->media, NULL) != 0)
			goto fail;
		j->rows++;
	}
	ctx->audit = (struct audit_rec){ .action = "privacy.replay_erasures",
	    .result = "ok" };
	rpc_audit_detail(ctx, "{\"ledger\":%zu,\"rows\":%" PRId64
	    ",\"keys\":%zu}", json_array_size(j->ledger), j->rows,
	    json_array_size(j->shred));
	return (0);
fail:
	rpc_error(err, PE_INTERNAL, "database error");
	return (-1);
}

int
privacy_replay(struct daemon *d, const struct audit_who *who, json_t **res,
    char **cause)
{
	struct privacy_replay_job	 j = { .rows = 0 };
	json_t				*events;
	int64_t				 keys = 0;
	size_t				 i;
	int				 rc = -1;

	j.ledger = store_erasure_list(&d->store);
	j.orphans = store_contacts_without_key(&d->store);
	j.media = json_array();
	j.shred = json_array();
	if (rpc_act(d, who, "privacy.replay_erasures", privacy_replay_rows, &j,
	    &events) != 0) {
		*cause = xstrdup("database error; nothing was replayed");
		goto out;
	}
	json_decref(events);	/* a replay raises none */
	for (i = 0; i < json_array_size(j.shred); i++) {
		if (store_contact_shred(&d->store, json_integer_value(
		    json_array_get(j.shred, i))) == 0)
			keys++;
	}
	if (j.rows > 0 || keys > 0)
		store_shred_checkpoint(&d->store);
	privacy_unlink_blobs(d, j.media);
	*res = json_pack("{sI sI sI}", "ledger_entries",
	    (json_int_t)json_array_size(j.ledger), "contacts_erased",
	    (json_int_t)j.rows, "keys_destroyed", (json_int_t)keys);
	rc = 0;
out:
	json_decref(j.ledger);
	json_decref(j.orphans);
	json_decref(j.media);
	json_decref(j.shred);
	return (rc);
}

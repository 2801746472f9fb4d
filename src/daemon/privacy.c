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

int
privacy_erase(struct daemon *d, const struct audit_who *who, int64_t cid,
    const char *reason, json_t **res, char **cause)
{
	struct audit_rec	 rec = { "privacy.erase", "contact", 0, 0,
				    NULL, "ok", NULL };
	json_t			*media, *counts;
	char			*detail;
	int64_t			 seq;
	uint8_t			 h[32];
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
	media = json_array();
	counts = json_object();
	if (store_begin(&d->store) != 0) {
		*cause = xstrdup("database busy");
		goto fail;
	}
	if (store_contact_erase(&d->store, cid, who->agent_id,
	    (int64_t)time(NULL), media, counts) != 0)
		goto rollback;
	json_object_set_new(counts, "media", json_integer(
	    (json_int_t)json_array_size(media)));
	detail = json_dumps(counts, JSON_COMPACT);
	rec.object_id = cid;
	rec.contact_id = cid;
	rec.purpose = reason;
	rec.detail = detail;
	rc = audit_append(d, who, &rec);
	free(detail);
	if (rc != 0 || store_audit_head(&d->store, &seq, h) != 0 ||
	    store_erasure_set_seq(&d->store, cid, seq) != 0)
		goto rollback;
	if (store_commit(&d->store, cause) != 0)
		goto fail;
	json_object_set_new(counts, "audit_seq", json_integer(seq));

	/* The rows are gone; now the key, then every trace of it. */
	if (store_contact_shred(&d->store, cid) != 0) {
		log_error("erase: cannot delete the data key of contact %"
		    PRId64 "; run privacy replay-erasures", cid);
		json_object_set_new(counts, "key_destroyed", json_false());
	} else
		json_object_set_new(counts, "key_destroyed", json_true());
	json_object_set_new(counts, "wal_truncated", json_boolean(
	    store_shred_checkpoint(&d->store) == 0));
	privacy_unlink_blobs(d, media);
	json_decref(media);
	json_object_set_new(counts, "contact_id", json_integer(cid));
	*res = counts;
	log_info("contact %" PRId64 " erased", cid);
	return (0);
rollback:
	store_rollback(&d->store);
	*cause = xstrdup("database error; nothing was erased");
fail:
	json_decref(media);
	json_decref(counts);
	return (-1);
}

int
privacy_replay(struct daemon *d, const struct audit_who *who, json_t **res,
    char **cause)
{
	struct audit_rec	 rec = { "privacy.replay_erasures", NULL, 0, 0,
				    NULL, "ok", NULL };
	json_t			*ledger, *orphans, *media, *shred;
	int64_t			 cid, rows = 0, keys = 0;
	size_t			 i;
	char			 detail[96];

	ledger = store_erasure_list(&d->store);
	orphans = store_contacts_without_key(&d->store);
	media = json_array();
	shred = json_array();
	if (store_begin(&d->store) != 0) {
		*cause = xstrdup("database busy");
		goto fail;
	}
	for (i = 0; i < json_array_size(ledger); i++) {
		cid = json_integer_value(json_object_get(json_array_get(ledger,
		    i), "contact_id"));
		if (store_contact_exists(&d->store, cid)) {
			if (store_contact_erase(&d->store, cid, who->agent_id,
			    (int64_t)time(NULL), media, NULL) != 0)
				goto rollback;
			rows++;
		}
		if (store_contact_has_key(&d->store, cid))
			json_array_append_new(shred, json_integer(cid));
	}
	for (i = 0; i < json_array_size(orphans); i++) {
		cid = json_integer_value(json_array_get(orphans, i));
		if (!store_contact_exists(&d->store, cid))
			continue;	/* done above */
		if (store_contact_erase(&d->store, cid, who->agent_id,
		    (int64_t)time(NULL), media, NULL) != 0)
			goto rollback;
		rows++;
	}
	snprintf(detail, sizeof detail, "{\"ledger\":%zu,\"rows\":%" PRId64
	    ",\"keys\":%zu}", json_array_size(ledger), rows,
	    json_array_size(shred));
	rec.detail = detail;
	if (audit_append(d, who, &rec) != 0)
		goto rollback;
	if (store_commit(&d->store, cause) != 0)
		goto fail;
	for (i = 0; i < json_array_size(shred); i++) {
		if (store_contact_shred(&d->store, json_integer_value(
		    json_array_get(shred, i))) == 0)
			keys++;
	}
	if (rows > 0 || keys > 0)
		store_shred_checkpoint(&d->store);
	privacy_unlink_blobs(d, media);
	*res = json_pack("{sI sI sI}", "ledger_entries",
	    (json_int_t)json_array_size(ledger), "contacts_erased",
	    (json_int_t)rows, "keys_destroyed", (json_int_t)keys);
	json_decref(ledger);
	json_decref(orphans);
	json_decref(media);
	json_decref(shred);
	return (0);
rollback:
	store_rollback(&d->store);
	*cause = xstrdup("database error; nothing was replayed");
fail:
	json_decref(ledger);
	json_decref(orphans);
	json_decref(media);
	json_decref(shred);
	return (-1);
}

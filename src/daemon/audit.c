/* Hash-chained, signed audit log; see audit.h. */
#include <sys/stat.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "audit.h"
#include "buf.h"
#include "daemon.h"
#include "log.h"
#include "xmalloc.h"

#define AUDIT_DOMAIN	"si-audit-v1"

static void
audit_put_u64(crypto_generichash_state *h, uint64_t v)
{
	uint8_t	b[8];
	int	i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	crypto_generichash_update(h, b, sizeof b);
}

static void
audit_put_bytes(crypto_generichash_state *h, const void *p, size_t len,
    int present)
{
	audit_put_u64(h, present ? (uint64_t)len : UINT64_MAX);
	if (present && len != 0)
		crypto_generichash_update(h, p, len);
}

static void
audit_put_str(crypto_generichash_state *h, const char *s)
{
	audit_put_bytes(h, s, s != NULL ? strlen(s) : 0, s != NULL);
}

/* The chain hash of one row given its predecessor's hash. */
static void
audit_hash(const struct store_audit_row *r, uint8_t out[32])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN,
	    sizeof AUDIT_DOMAIN - 1);
	crypto_generichash_update(&h, r->prev_hash, 32);
	audit_put_u64(&h, (uint64_t)r->seq);
	audit_put_u64(&h, (uint64_t)r->ts_ms);
	audit_put_u64(&h, (uint64_t)r->agent_id);
	audit_put_str(&h, r->agent);
	audit_put_str(&h, r->action);
	audit_put_str(&h, r->object_type);
	audit_put_u64(&h, (uint64_t)r->object_id);
	audit_put_u64(&h, (uint64_t)r->contact_id);
	audit_put_str(&h, r->purpose);
	audit_put_str(&h, r->client);
	audit_put_str(&h, r->result);
	audit_put_bytes(&h, r->detail, r->detail_len, r->detail != NULL);
	crypto_generichash_final(&h, out, 32);
}

int
audit_append(struct daemon *d, const struct audit_who *who,
    const struct audit_rec *rec)
{
	struct store_audit_row	 r;
	uint8_t			*sealed = NULL;
	size_t			 slen = 0;
	int			 rc;

	memset(&r, 0, sizeof r);
	if (store_audit_head(&d->store, &r.seq, r.prev_hash) != 0)
		return (-1);
	r.seq++;
	r.ts_ms = daemon_now_ms();
	r.agent_id = who->agent_id;
	r.agent = who->agent;
	r.action = rec->action;
	r.object_type = rec->object_type;
	r.object_id = rec->object_id;
	r.contact_id = rec->contact_id;
	r.purpose = rec->purpose;
	r.client = who->client;
	r.result = rec->result != NULL ? rec->result : "ok";
	if (rec->detail != NULL) {
		/* Search queries and the like may hold personal data. */
		crypt_seal(crypt_subkey(d->crypt, CRYPT_FIELDKEY), 1, "audit",
		    "detail", r.seq, rec->detail, strlen(rec->detail),
		    &sealed, &slen);
		r.detail = sealed;
		r.detail_len = slen;
	}
	audit_hash(&r, r.hash);
	rc = store_audit_insert(&d->store, &r);
	free(sealed);
	return (rc);
}

int
audit_append_commit(struct daemon *d, const struct audit_who *who,
    const struct audit_rec *rec)
{
	char	*cause = NULL;
	int	 rc;

	/* A damaged store still records who read what (store_set_damaged). */
	d->store.audit_only = 1;
	rc = store_begin(&d->store);
	d->store.audit_only = 0;
	if (rc != 0)
		return (-1);
	if (audit_append(d, who, rec) != 0) {
		store_rollback(&d->store);
		return (-1);
	}
	if (store_commit(&d->store, &cause) != 0) {
		log_error("audit: %s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static void
audit_hex(const uint8_t *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

/* The signed message: domain, seq, hash. */
static void
audit_ckpt_msg(int64_t seq, const uint8_t hash[32], uint8_t msg[48])
{
	int	i;

	memcpy(msg, "si-ckpt1", 8);
	for (i = 0; i < 8; i++)
		msg[8 + i] = (uint8_t)((uint64_t)seq >> (8 * i));
	memcpy(msg + 16, hash, 32);
}

struct audit_last_ckpt {
	int64_t	seq;
	int64_t	ts_ms;
};

static int
audit_last_ckpt_fn(int64_t seq, int64_t ts_ms, const uint8_t *hash,
    const uint8_t *sig, void *arg)
{
	struct audit_last_ckpt	*l = arg;

	(void)hash; (void)sig;
	l->seq = seq;
	l->ts_ms = ts_ms;
	return (0);
}

int
audit_maybe_checkpoint(struct daemon *d, int force)
{
	struct audit_last_ckpt	 last = { 0, 0 };
	uint8_t			 hash[32], msg[48], sig[64], pk[32], sk[64];
	char			 hhex[65], shex[129], pkhex[65], *line, *cause;
	int64_t			 seq, now;
	int			 fd, rc = -1;

	if (store_audit_head(&d->store, &seq, hash) != 0 || seq == 0)
		return (0);
	store_checkpoint_each(&d->store, audit_last_ckpt_fn, &last);
	now = daemon_now_ms();
	if (last.seq == seq)
		return (0);
	if (!force && seq - last.seq < (int64_t)d->conf.checkpoint_every &&
	    now - last.ts_ms < (int64_t)d->conf.checkpoint_minutes * 60000)
		return (0);
	if (crypt_sign_keypair(d->crypt, pk, sk) != 0)
		return (-1);
	audit_ckpt_msg(seq, hash, msg);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
	sodium_memzero(sk, sizeof sk);
	if (store_begin(&d->store) != 0)
		return (-1);
	if (store_checkpoint_insert(&d->store, seq, now, hash, sig) != 0) {
		store_rollback(&d->store);
		return (-1);
	}
	cause = NULL;
	if (store_commit(&d->store, &cause) != 0) {
		log_error("audit checkpoint: %s", cause);
		free(cause);
		return (-1);
	}
	audit_hex(hash, 32, hhex);
	audit_hex(sig, 64, shex);
	audit_hex(pk, 32, pkhex);
	line = xasprintf("si-ckpt1 seq=%" PRId64 " ts_ms=%" PRId64
	    " hash=%s sig=%s key=%s\n", seq, now, hhex, shex, pkhex);
	fd = open(d->conf.checkpoint_file, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		log_warn("cannot open checkpoint file '%s'",
		    d->conf.checkpoint_file);
	else {
		if (write(fd, line, strlen(line)) == (ssize_t)strlen(line) &&
		    fsync(fd) == 0)
			rc = 0;
		close(fd);
	}
	free(line);
	log_info("audit checkpoint at seq %" PRId64, seq);
	return (rc);
}

struct audit_verify {
	int64_t	 expect;	/* next seq */
	uint8_t	 prev[32];
	int64_t	 bad;
	char	*reason;
	int64_t	 records;
	int64_t	 pruned_to;	/* the newest audit.prune record says */
	int64_t	 anchorless;	/* first seq, when no checkpoint precedes */
	/* row hashes at checkpoint positions are checked in a second pass */
};

static int
audit_verify_row(const struct store_audit_row *r, void *arg)
{
	struct audit_verify	*v = arg;
	uint8_t			 h[32];

	v->records++;
	/* No anchor: take the first record's word; the front is judged later. */
	if (r->seq == v->anchorless)
		memcpy(v->prev, r->prev_hash, 32);
	if (r->seq != v->expect) {
		v->bad = v->expect;
		v->reason = xasprintf("record %" PRId64 " is missing (found "
		    "%" PRId64 " next)", v->expect, r->seq);
		return (1);
	}
	if (sodium_memcmp(r->prev_hash, v->prev, 32) != 0) {
		v->bad = r->seq;
		v->reason = xasprintf("record %" PRId64 " does not follow its "
		    "predecessor", r->seq);
		return (1);
	}
	audit_hash(r, h);
	if (sodium_memcmp(h, r->hash, 32) != 0) {
		v->bad = r->seq;
		v->reason = xasprintf("record %" PRId64 " was altered", r->seq);
		return (1);
	}
	memcpy(v->prev, r->hash, 32);
	v->expect++;
	if (strcmp(r->action, "audit.prune") == 0)
		v->pruned_to = r->object_id;
	return (0);
}

struct audit_verify_ckpt {
	struct daemon	*d;
	int64_t		 first;		/* oldest record kept */
	uint8_t		 pk[32];
	int64_t		 count;
	int64_t		 bad;
	char		*reason;
};

struct audit_row_hash {
	int64_t	seq;
	uint8_t	hash[32];
	int	found;
};

static int
audit_row_hash_fn(const struct store_audit_row *r, void *arg)
{
	struct audit_row_hash	*rh = arg;

	if (r->seq == rh->seq) {
		memcpy(rh->hash, r->hash, 32);
		rh->found = 1;
	}
	return (1);	/* only the first row from seq is needed */
}

static int
audit_verify_ckpt_fn(int64_t seq, int64_t ts_ms, const uint8_t *hash,
    const uint8_t *sig, void *arg)
{
	struct audit_verify_ckpt	*c = arg;
	struct audit_row_hash		 rh;
	uint8_t				 msg[48];

	(void)ts_ms;
	c->count++;
	if (hash == NULL || sig == NULL) {
		c->bad = seq;
		c->reason = xasprintf("checkpoint at %" PRId64 " is malformed",
		    seq);
		return (1);
	}
	audit_ckpt_msg(seq, hash, msg);
	if (crypto_sign_verify_detached(sig, msg, sizeof msg, c->pk) != 0) {
		c->bad = seq;
		c->reason = xasprintf("checkpoint signature at %" PRId64
		    " is forged or damaged", seq);
		return (1);
	}
	/* The anchor of a pruned log: its record is gone on purpose. */
	if (seq < c->first)
		return (0);
	memset(&rh, 0, sizeof rh);
	rh.seq = seq;
	store_audit_each(&c->d->store, seq, audit_row_hash_fn, &rh);
	if (!rh.found || sodium_memcmp(rh.hash, hash, 32) != 0) {
		c->bad = seq;
		c->reason = xasprintf("record %" PRId64 " differs from its "
		    "signed checkpoint", seq);
		return (1);
	}
	return (0);
}

json_t *
audit_verify(struct daemon *d)
{
	struct audit_verify		v;
	struct audit_verify_ckpt	c;
	uint8_t				sk[64], sig[64];
	int64_t				first;
	json_t				*res;

	memset(&v, 0, sizeof v);
	v.expect = 1;
	first = store_audit_first_seq(&d->store);
	/*
	 * After retention pruned the oldest segment, the chain starts from
	 * the signed checkpoint that closed it (security-privacy.md 2.3).
	 */
	if (first > 1) {
		v.expect = first;
		if (store_checkpoint_get(&d->store, first - 1, v.prev,
		    sig) != 0)
			v.anchorless = first;
	}
	store_audit_each(&d->store, first > 1 ? first : 1, audit_verify_row,
	    &v);
	/*
	 * The front: only what the newest pruning record says was pruned
	 * may be missing, and a signed checkpoint must close it.
	 */
	if (first > 1 || v.pruned_to != 0) {
		if (v.pruned_to != first - 1 || v.anchorless) {
			free(v.reason);
			v.bad = v.pruned_to + 1 < first ? v.pruned_to + 1 :
			    first;
			if (v.pruned_to + 1 < first)
				v.reason = xasprintf("records %" PRId64 " to %"
				    PRId64 " are missing (pruning covered "
				    "only up to %" PRId64 ")", v.pruned_to + 1,
				    first - 1, v.pruned_to);
			else
				v.reason = xasprintf("records before %" PRId64
				    " are missing and no signed checkpoint "
				    "closes them", first);
		}
	}
	memset(&c, 0, sizeof c);
	c.d = d;
	c.first = first;
	crypt_sign_keypair(d->crypt, c.pk, sk);
	sodium_memzero(sk, sizeof sk);
	/*
	 * Checkpoints are checked even when the chain broke: a forged
	 * signature is its own finding. The chain's finding comes first.
	 */
	store_checkpoint_each(&d->store, audit_verify_ckpt_fn, &c);
	res = json_object();
	json_object_set_new(res, "records", json_integer(v.records));
	json_object_set_new(res, "checkpoints", json_integer(c.count));
	if (v.reason != NULL || c.reason != NULL) {
		json_object_set_new(res, "ok", json_false());
		json_object_set_new(res, "first_bad_seq", json_integer(
		    v.reason != NULL ? v.bad : c.bad));
		json_object_set_new(res, "reason", json_string(
		    v.reason != NULL ? v.reason : c.reason));
	} else
		json_object_set_new(res, "ok", json_true());
	free(v.reason);
	free(c.reason);
	return (res);
}

int
audit_prune(struct daemon *d, const struct audit_who *who, int64_t before_ms,
    int dry_run, int64_t *n)
{
	struct audit_rec	 rec = { "audit.prune", "audit", 0, 0, NULL,
				    "ok", NULL };
	char			*cause = NULL, detail[64];
	int64_t			 seq, first;

	*n = 0;
	if ((seq = store_audit_prunable(&d->store, before_ms)) == 0)
		return (0);
	first = store_audit_first_seq(&d->store);
	if (seq < first)
		return (0);
	if (dry_run) {
		*n = seq - first + 1;
		return (0);
	}
	if (store_begin(&d->store) != 0)
		return (-1);
	if (store_audit_prune(&d->store, seq, n) != 0)
		goto fail;
	rec.object_id = seq;
	snprintf(detail, sizeof detail, "%" PRId64 " records", *n);
	rec.detail = detail;
	if (audit_append(d, who, &rec) != 0)
		goto fail;
	if (store_commit(&d->store, &cause) != 0) {
		log_error("audit prune: %s", cause);
		free(cause);
		return (-1);
	}
	log_info("audit log pruned up to checkpoint %" PRId64, seq);
	return (0);
fail:
	store_rollback(&d->store);
	*n = 0;
	return (-1);
}

json_t *
audit_row_json(struct daemon *d, const struct store_audit_row *r,
    int with_detail)
{
	json_t		*o;
	char		 hex[65], tbuf[40], *dhex, *pt;
	size_t		 ptlen;
	time_t		 t = (time_t)(r->ts_ms / 1000);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(tbuf, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(tbuf + strlen(tbuf), sizeof tbuf - strlen(tbuf), ".%03dZ",
	    (int)(r->ts_ms % 1000));
	o = json_object();
	json_object_set_new(o, "seq", json_integer(r->seq));
	json_object_set_new(o, "time", json_string(tbuf));
	json_object_set_new(o, "ts_ms", json_integer(r->ts_ms));
	json_object_set_new(o, "agent_id", json_integer(r->agent_id));
	json_object_set_new(o, "agent", json_string(r->agent));
	json_object_set_new(o, "action", json_string(r->action));
	json_object_set_new(o, "object_type", r->object_type != NULL ?
	    json_string(r->object_type) : json_null());
	json_object_set_new(o, "object_id", r->object_id != 0 ?
	    json_integer(r->object_id) : json_null());
	json_object_set_new(o, "contact_id", r->contact_id != 0 ?
	    json_integer(r->contact_id) : json_null());
	json_object_set_new(o, "purpose", r->purpose != NULL ?
	    json_string(r->purpose) : json_null());
	json_object_set_new(o, "client", r->client != NULL ?
	    json_string(r->client) : json_null());
	json_object_set_new(o, "result", json_string(r->result));
	if (r->detail != NULL) {
		/* Sealed as stored, so an auditor can recompute the chain. */
		dhex = xmalloc(r->detail_len * 2 + 1);
		audit_hex(r->detail, r->detail_len, dhex);
		json_object_set_new(o, "detail_sealed", json_string(dhex));
		free(dhex);
		if (with_detail && crypt_unseal(crypt_subkey(d->crypt,
		    CRYPT_FIELDKEY), "audit", "detail", r->seq, r->detail,
		    r->detail_len, &pt, &ptlen) == 0) {
			json_object_set_new(o, "detail", json_stringn(pt,
			    ptlen));
			crypt_wipe_free(pt, ptlen);
		}
	}
	audit_hex(r->prev_hash, 32, hex);
	json_object_set_new(o, "prev_hash", json_string(hex));
	audit_hex(r->hash, 32, hex);
	json_object_set_new(o, "hash", json_string(hex));
	return (o);
}

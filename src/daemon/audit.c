/* Keyed hash-chained, signed audit log; see audit.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
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

#define AUDIT_DOMAIN_V1	"si-audit-v1"
#define AUDIT_DOMAIN_V2	"si-audit-v2"
#define AUDIT_LINE_MAX	512

/* Checkpoint lines waiting for their transaction to commit. */
static struct buf	audit_pending;

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

/*
 * The chain hash of one row given its predecessor's hash. key NULL: the
 * unkeyed v1 hash of records written before the rekey; otherwise keyed
 * BLAKE2b under the AUDITMAC subkey, which only the daemon derives.
 */
static void
audit_hash(const uint8_t *key, const struct store_audit_row *r,
    uint8_t out[32])
{
	crypto_generichash_state h;

	if (key == NULL) {
		crypto_generichash_init(&h, NULL, 0, 32);
		crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN_V1,
		    sizeof AUDIT_DOMAIN_V1 - 1);
	} else {
		crypto_generichash_init(&h, key, CRYPT_KEYBYTES, 32);
		crypto_generichash_update(&h, (const uint8_t *)AUDIT_DOMAIN_V2,
		    sizeof AUDIT_DOMAIN_V2 - 1);
	}
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
	if (key != NULL)
		audit_put_bytes(&h, r->purpose_enc, r->purpose_enc_len,
		    r->purpose_enc != NULL);
	crypto_generichash_final(&h, out, 32);
}

static void
audit_hex(const uint8_t *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

/* --- checkpoints --- */

static void
audit_le64(uint8_t *p, int64_t v)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

/*
 * The signed message. v1 (legacy): "si-ckpt1" seq hash. v2: "si-ckpt2"
 * seq ts_ms every minutes hash, so the cadence a checkpoint promises for
 * the records after it cannot be weakened without the key.
 */
static size_t
audit_ckpt_msg(const struct store_ckpt *c, uint8_t msg[72])
{
	if (c->every < 0) {
		memcpy(msg, "si-ckpt1", 8);
		audit_le64(msg + 8, c->seq);
		memcpy(msg + 16, c->hash, 32);
		return (48);
	}
	memcpy(msg, "si-ckpt2", 8);
	audit_le64(msg + 8, c->seq);
	audit_le64(msg + 16, c->ts_ms);
	audit_le64(msg + 24, c->every);
	audit_le64(msg + 32, c->minutes);
	memcpy(msg + 40, c->hash, 32);
	return (72);
}

static int
audit_due(int64_t seq, int64_t ts, int64_t lseq, int64_t lts, int64_t every,
    int64_t minutes)
{
	return ((every > 0 && seq - lseq >= every) ||
	    (minutes > 0 && ts - lts >= minutes * 60000));
}

/* Appends the pending lines to the checkpoint file, fsynced. */
static int
audit_flush(struct daemon *d)
{
	int	fd, rc = -1;

	if (audit_pending.len == 0)
		return (0);
	if (d->conf.checkpoint_file == NULL) {
		buf_reset(&audit_pending);
		return (0);
	}
	fd = open(d->conf.checkpoint_file, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1)
		log_warn("cannot open checkpoint file '%s'",
		    d->conf.checkpoint_file);
	else {
		if (write(fd, audit_pending.data, audit_pending.len) ==
		    (ssize_t)audit_pending.len && fsync(fd) == 0)
			rc = 0;
		else
			log_warn("cannot write checkpoint file '%s'",
			    d->conf.checkpoint_file);
		close(fd);
	}
	buf_reset(&audit_pending);
	return (rc);
}

static void
audit_txn_hook(void *arg, int committed)
{
	if (committed)
		audit_flush(arg);
	else
		buf_reset(&audit_pending);
}

static void
audit_hook(struct daemon *d)
{
	if (d->store.txn_hook == NULL) {
		buf_init(&audit_pending, 0);
		d->store.txn_hook = audit_txn_hook;
		d->store.txn_arg = d;
	}
}

/*
 * A checkpoint's line as the checkpoint file has it (verify reads it back,
 * audit_parse_line): the one place that spells it, for the file and for
 * audit.checkpoints (what "audit ship" copies off the host).
 */
void
audit_ckpt_line(const struct store_ckpt *c, const uint8_t pk[32],
    struct buf *out)
{
	char	hhex[65], shex[129], pkhex[65];

	audit_hex(c->hash, 32, hhex);
	audit_hex(c->sig, 64, shex);
	audit_hex(pk, 32, pkhex);
	if (c->every < 0)
		buf_addf(out, "si-ckpt1 seq=%" PRId64 " ts_ms=%" PRId64
		    " hash=%s sig=%s key=%s\n", c->seq, c->ts_ms, hhex, shex,
		    pkhex);
	else
		buf_addf(out, "si-ckpt2 seq=%" PRId64 " ts_ms=%" PRId64
		    " every=%" PRId64 " minutes=%" PRId64 " hash=%s sig=%s "
		    "key=%s\n", c->seq, c->ts_ms, c->every, c->minutes, hhex,
		    shex, pkhex);
}

struct audit_lines {
	struct buf	*out;
	int64_t		 after;
	int64_t		 max;
	int64_t		 n;
	int		 more;
	uint8_t		 pk[32];
};

static int
audit_lines_fn(const struct store_ckpt *c, void *arg)
{
	struct audit_lines	*l = arg;

	if (c->seq <= l->after || c->hash == NULL)
		return (0);
	if (l->n == l->max) {
		l->more = 1;
		return (1);
	}
	audit_ckpt_line(c, l->pk, l->out);
	l->n++;
	return (0);
}

int64_t
audit_ckpt_lines(struct daemon *d, int64_t after, int64_t max,
    struct buf *out, int *more)
{
	struct audit_lines	l;
	uint8_t			sk[64];

	memset(&l, 0, sizeof l);
	l.out = out;
	l.after = after;
	l.max = max;
	if (crypt_sign_keypair(d->crypt, l.pk, sk) != 0)
		return (-1);
	sodium_memzero(sk, sizeof sk);
	if (store_checkpoint_each(&d->store, audit_lines_fn, &l) < 0)
		return (-1);
	*more = l.more;
	return (l.n);
}

/*
 * Signs (seq, hash) and stores the checkpoint in the caller's transaction;
 * its line goes to the checkpoint file when that commits.
 */
static int
audit_ckpt_write(struct daemon *d, int64_t seq, int64_t ts_ms,
    const uint8_t hash[32])
{
	struct store_ckpt	c;
	uint8_t			msg[72], sig[64], pk[32], sk[64];
	size_t			mlen;

	if (crypt_sign_keypair(d->crypt, pk, sk) != 0)
		return (-1);
	memset(&c, 0, sizeof c);
	c.seq = seq;
	c.ts_ms = ts_ms;
	c.every = d->conf.checkpoint_every;
	c.minutes = d->conf.checkpoint_minutes;
	c.hash = hash;
	mlen = audit_ckpt_msg(&c, msg);
	crypto_sign_detached(sig, NULL, msg, mlen, sk);
	sodium_memzero(sk, sizeof sk);
	c.sig = sig;
	if (store_checkpoint_insert(&d->store, &c) != 0)
		return (-1);
	audit_hook(d);
	audit_ckpt_line(&c, pk, &audit_pending);
	if (!store_has_txn(&d->store))
		audit_flush(d);
	log_info("audit checkpoint at seq %" PRId64, seq);
	return (0);
}

/* The cadence owed after the newest checkpoint (or from the log's start). */
static void
audit_last(struct daemon *d, int64_t *lseq, int64_t *lts, int64_t *every,
    int64_t *minutes)
{
	struct store_ckpt	c;
	int64_t			fseq, fts;

	*every = d->conf.checkpoint_every;
	*minutes = d->conf.checkpoint_minutes;
	if (store_checkpoint_last(&d->store, &c) == 0) {
		*lseq = c.seq;
		*lts = c.ts_ms;
		if (c.every >= 0) {
			*every = c.every;
			*minutes = c.minutes;
		}
	} else if (store_audit_first(&d->store, &fseq, &fts) == 0) {
		*lseq = fseq - 1;
		*lts = fts;
	} else {
		*lseq = 0;
		*lts = daemon_now_ms();
	}
}

char *
audit_purpose(struct daemon *d, const struct store_audit_row *r)
{
	char	*pt;
	size_t	 len;

	if (r->purpose_enc == NULL)
		return (r->purpose != NULL ? xstrdup(r->purpose) : NULL);
	if (crypt_unseal(crypt_subkey(d->crypt, CRYPT_FIELDKEY), "audit",
	    "purpose", r->seq, r->purpose_enc, r->purpose_enc_len, &pt,
	    &len) != 0)
		return (xstrdup("(unreadable)"));
	return (pt);
}

int
audit_append(struct daemon *d, const struct audit_who *who,
    const struct audit_rec *rec)
{
	struct store_audit_row	 r;
	uint8_t			*sealed = NULL, *psealed = NULL;
	size_t			 slen = 0, plen = 0;
	int64_t			 lseq, lts, every, minutes;
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
	r.client = who->client;
	r.result = rec->result != NULL ? rec->result : "ok";
	/* Search queries, purposes and reasons may hold personal data. */
	if (rec->detail != NULL) {
		crypt_seal(crypt_subkey(d->crypt, CRYPT_FIELDKEY), 1, "audit",
		    "detail", r.seq, rec->detail, strlen(rec->detail),
		    &sealed, &slen);
		r.detail = sealed;
		r.detail_len = slen;
	}
	if (rec->purpose != NULL) {
		crypt_seal(crypt_subkey(d->crypt, CRYPT_FIELDKEY), 1, "audit",
		    "purpose", r.seq, rec->purpose, strlen(rec->purpose),
		    &psealed, &plen);
		r.purpose_enc = psealed;
		r.purpose_enc_len = plen;
	}
	audit_hash(crypt_subkey(d->crypt, CRYPT_AUDITMAC), &r, r.hash);
	rc = store_audit_insert(&d->store, &r);
	free(sealed);
	free(psealed);
	if (rc != 0)
		return (-1);
	/*
	 * The cadence is kept at append time, in the same transaction, so
	 * verify can demand a checkpoint wherever one must be: both the
	 * cadence the newest checkpoint promised and the configured one.
	 */
	audit_last(d, &lseq, &lts, &every, &minutes);
	if (audit_due(r.seq, r.ts_ms, lseq, lts, every, minutes) ||
	    audit_due(r.seq, r.ts_ms, lseq, lts, d->conf.checkpoint_every,
	    d->conf.checkpoint_minutes))
		return (audit_ckpt_write(d, r.seq, r.ts_ms, r.hash));
	return (0);
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

int
audit_maybe_checkpoint(struct daemon *d, int force)
{
	struct store_ckpt	 last;
	uint8_t			 hash[32];
	char			*cause;
	int64_t			 seq, now;

	if (store_audit_head(&d->store, &seq, hash) != 0 || seq == 0)
		return (0);
	memset(&last, 0, sizeof last);
	if (store_checkpoint_last(&d->store, &last) < 0)
		return (-1);
	now = daemon_now_ms();
	if (last.seq == seq)
		return (0);
	if (!force && seq - last.seq < (int64_t)d->conf.checkpoint_every &&
	    now - last.ts_ms < (int64_t)d->conf.checkpoint_minutes * 60000)
		return (0);
	if (store_begin(&d->store) != 0)
		return (-1);
	if (audit_ckpt_write(d, seq, now, hash) != 0) {
		store_rollback(&d->store);
		return (-1);
	}
	cause = NULL;
	if (store_commit(&d->store, &cause) != 0) {
		log_error("audit checkpoint: %s", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

int
audit_start(struct daemon *d)
{
	struct audit_who	 who = { 0, "support-inboxd", "start" };
	struct audit_rec	 rec = { .object_type = "audit",
				    .result = "ok" };
	struct store_ckpt	 last;
	char			*cause = NULL, detail[96];
	int64_t			 seq;
	uint8_t			 hash[32];
	int			 rekey, recadence = 0;

	audit_hook(d);
	rekey = store_meta_int(&d->store, "audit_rekey_pending") != 0;
	if (store_checkpoint_last(&d->store, &last) == 0 && last.every >= 0 &&
	    (last.every != d->conf.checkpoint_every ||
	    last.minutes != d->conf.checkpoint_minutes))
		recadence = 1;
	if (!rekey && !recadence)
		return (0);
	if (store_audit_head(&d->store, &seq, hash) != 0 ||
	    store_begin(&d->store) != 0)
		return (-1);
	/*
	 * A store from before the keyed chain: the records so far keep their
	 * unkeyed hashes; this keyed record, signed at once, closes them.
	 */
	if (rekey) {
		rec.action = "audit.rekey";
		rec.object_id = seq;
		snprintf(detail, sizeof detail, "records 1 to %" PRId64
		    " are chained unkeyed (v1)", seq);
	} else {
		rec.action = "audit.cadence";
		snprintf(detail, sizeof detail, "checkpoint every %u records "
		    "or %u minutes", d->conf.checkpoint_every,
		    d->conf.checkpoint_minutes);
	}
	rec.detail = detail;
	if (audit_append(d, &who, &rec) != 0 ||
	    (rekey && store_meta_del(&d->store, "audit_rekey_pending") != 0) ||
	    store_audit_head(&d->store, &seq, hash) != 0 ||
	    store_checkpoint_last(&d->store, &last) < 0 ||
	    (last.seq != seq && audit_ckpt_write(d, seq, daemon_now_ms(),
	    hash) != 0)) {
		store_rollback(&d->store);
		return (-1);
	}
	if (store_commit(&d->store, &cause) != 0) {
		log_error("audit: %s", cause);
		free(cause);
		return (-1);
	}
	log_info("audit: %s at seq %" PRId64, rec.action, seq);
	return (0);
}

/* --- verification --- */

#define CK_STORE	1
#define CK_FILE		2
#define CK_COPY		4

struct vck {
	int64_t		seq, ts_ms, every, minutes;
	uint8_t		hash[32];
	unsigned	src;
};

struct audit_verify {
	struct daemon	*d;
	uint8_t		 pk[32];
	const char	*copy_name;
	struct vck	*ck;
	size_t		 nck, capck;
	int64_t		 nstore, nfile, ncopy;
	int64_t		 bad;
	char		*reason;

	/* the chain walk */
	int64_t		 expect;
	uint8_t		 prev[32];
	int64_t		 keyed_from;
	int64_t		 records;
	int64_t		 pruned_to;
	int64_t		 anchorless;	/* first seq, when nothing closes the front */
	int64_t		 last_seq, last_ts;
	int		 broken;
	size_t		 ci;		/* next checkpoint to compare */
	int64_t		 lseq, lts, every, minutes;
};

static void
audit_find(struct audit_verify *v, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keeps the finding about the earliest record. */
static void
audit_find(struct audit_verify *v, int64_t seq, const char *fmt, ...)
{
	va_list	ap;
	char	*s;

	if (v->reason != NULL && v->bad <= seq)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	free(v->reason);
	v->reason = s;
	v->bad = seq;
}

static const char *
audit_src(struct audit_verify *v, unsigned src)
{
	if (src & CK_STORE)
		return ("the store");
	if (src & CK_FILE)
		return ("the checkpoint file");
	return (v->copy_name != NULL ? v->copy_name : "the copy");
}

/* Checks the signature and adds the checkpoint (merging equal ones). */
static void
audit_ck_add(struct audit_verify *v, const struct store_ckpt *c,
    unsigned src)
{
	uint8_t	msg[72];
	size_t	i, mlen;

	mlen = audit_ckpt_msg(c, msg);
	if (crypto_sign_verify_detached(c->sig, msg, mlen, v->pk) != 0) {
		audit_find(v, c->seq, "signed checkpoint at %" PRId64 " in %s "
		    "is forged or damaged", c->seq, audit_src(v, src));
		return;
	}
	for (i = 0; i < v->nck; i++) {
		if (v->ck[i].seq == c->seq &&
		    memcmp(v->ck[i].hash, c->hash, 32) == 0) {
			v->ck[i].src |= src;
			return;
		}
	}
	if (v->nck == v->capck) {
		v->capck = v->capck == 0 ? 64 : v->capck * 2;
		v->ck = xrealloc(v->ck, v->capck * sizeof *v->ck);
	}
	v->ck[v->nck].seq = c->seq;
	v->ck[v->nck].ts_ms = c->ts_ms;
	v->ck[v->nck].every = c->every;
	v->ck[v->nck].minutes = c->minutes;
	memcpy(v->ck[v->nck].hash, c->hash, 32);
	v->ck[v->nck].src = src;
	v->nck++;
}

static int
audit_store_ck_fn(const struct store_ckpt *c, void *arg)
{
	struct audit_verify	*v = arg;

	v->nstore++;
	if (c->hash == NULL) {
		audit_find(v, c->seq, "checkpoint at %" PRId64 " in the store "
		    "is malformed", c->seq);
		return (0);
	}
	audit_ck_add(v, c, CK_STORE);
	return (0);
}

static int
audit_unhex(const char *hex, uint8_t *out, size_t n)
{
	size_t	got;

	if (strlen(hex) != n * 2 || sodium_hex2bin(out, n, hex, n * 2, NULL,
	    &got, NULL) != 0 || got != n)
		return (-1);
	return (0);
}

/*
 * The value of "name=" in the space-separated tokens of line (at most
 * size-1 bytes copied), or -1 if it is missing, empty or too long.
 */
static int
audit_line_field(const char *line, const char *name, char *out, size_t size)
{
	const char	*p = line, *end;
	size_t		 nl = strlen(name), n;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == line || p[-1] == ' ') && p[nl] == '=') {
			p += nl + 1;
			end = strchr(p, ' ');
			n = end != NULL ? (size_t)(end - p) : strlen(p);
			if (n == 0 || n >= size)
				return (-1);
			memcpy(out, p, n);
			out[n] = '\0';
			return (0);
		}
		p += nl;
	}
	return (-1);
}

/* A whole decimal number of the field, >= min; -1 if not one. */
static int
audit_line_int(const char *line, const char *name, long long min,
    long long *v)
{
	char	 buf[24], *end;

	if (audit_line_field(line, name, buf, sizeof buf) != 0)
		return (-1);
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0' || end == buf || *v < min)
		return (-1);
	return (0);
}

/* One checkpoint line; 0 or -1 if it is not one. */
static int
audit_parse_line(struct audit_verify *v, const char *line,
    struct store_ckpt *c, uint8_t hash[32], uint8_t sig[64])
{
	char		 h[80], s[140], k[80];
	long long	 seq, ts, every = -1, minutes = -1;
	size_t		 ntok = 1;
	const char	*p;
	uint8_t		 pk[32];

	memset(c, 0, sizeof *c);
	for (p = line; *p != '\0'; p++) {
		if (*p == ' ')
			ntok++;
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			return (-1);
	}
	if (strncmp(line, "si-ckpt2 ", 9) == 0) {
		if (ntok != 8 || audit_line_int(line, "every", 0, &every) != 0 ||
		    audit_line_int(line, "minutes", 0, &minutes) != 0)
			return (-1);
	} else if (strncmp(line, "si-ckpt1 ", 9) != 0 || ntok != 6)
		return (-1);
	if (audit_line_int(line, "seq", 1, &seq) != 0 ||
	    audit_line_int(line, "ts_ms", 0, &ts) != 0 ||
	    audit_line_field(line, "hash", h, sizeof h) != 0 ||
	    audit_line_field(line, "sig", s, sizeof s) != 0 ||
	    audit_line_field(line, "key", k, sizeof k) != 0)
		return (-1);
	if (audit_unhex(h, hash, 32) != 0 ||
	    audit_unhex(s, sig, 64) != 0 || audit_unhex(k, pk, 32) != 0 ||
	    memcmp(pk, v->pk, 32) != 0)
		return (-1);
	c->seq = seq;
	c->ts_ms = ts;
	c->every = every;
	c->minutes = minutes;
	c->hash = hash;
	c->sig = sig;
	return (0);
}

/* Reads checkpoint lines from text (a whole file's content). */
static int64_t
audit_read_lines(struct audit_verify *v, const char *text, unsigned src,
    const char *name)
{
	struct store_ckpt	 c;
	uint8_t			 hash[32], sig[64];
	const char		*p = text, *e;
	char			 line[AUDIT_LINE_MAX];
	int64_t			 n = 0, lineno = 0, prev = 0;
	size_t			 len;

	while (*p != '\0') {
		e = strchr(p, '\n');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		lineno++;
		if (len == 0 && e != NULL) {
			p = e + 1;
			continue;
		}
		if (len >= sizeof line || e == NULL) {
			/* over-long, or a torn last line */
			audit_find(v, prev + 1, "%s line %" PRId64 " is not a "
			    "signed checkpoint", name, lineno);
		} else {
			memcpy(line, p, len);
			line[len] = '\0';
			if (audit_parse_line(v, line, &c, hash, sig) != 0)
				audit_find(v, prev + 1, "%s line %" PRId64
				    " is not a signed checkpoint", name,
				    lineno);
			else {
				audit_ck_add(v, &c, src);
				prev = c.seq;
				n++;
			}
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return (n);
}

static char *
audit_slurp(const char *path, int *missing)
{
	struct buf	 b;
	char		 tmp[8192];
	ssize_t		 n;
	int		 fd;

	*missing = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		*missing = errno == ENOENT;
		return (NULL);
	}
	buf_init(&b, 0);
	buf_adds(&b, "");
	while ((n = read(fd, tmp, sizeof tmp)) > 0)
		buf_add(&b, tmp, (size_t)n);
	close(fd);
	return (buf_detach(&b, NULL));
}

static int
audit_ck_cmp(const void *a, const void *b)
{
	const struct vck	*x = a, *y = b;

	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int
audit_verify_row(const struct store_audit_row *r, void *arg)
{
	struct audit_verify	*v = arg;
	uint8_t			 h[32];
	int			 keyed, have = 0;
	int64_t			 every, minutes;

	v->records++;
	if (v->broken)
		return (0);
	if (r->seq == v->anchorless)
		memcpy(v->prev, r->prev_hash, 32);
	if (r->seq != v->expect) {
		audit_find(v, v->expect, "record %" PRId64 " is missing (found "
		    "%" PRId64 " next)", v->expect, r->seq);
		v->broken = 1;
		return (0);
	}
	if (sodium_memcmp(r->prev_hash, v->prev, 32) != 0) {
		audit_find(v, r->seq, "record %" PRId64 " does not follow its "
		    "predecessor", r->seq);
		v->broken = 1;
		return (0);
	}
	keyed = r->seq >= v->keyed_from;
	audit_hash(keyed ? crypt_subkey(v->d->crypt, CRYPT_AUDITMAC) : NULL,
	    r, h);
	if (sodium_memcmp(h, r->hash, 32) != 0) {
		audit_find(v, r->seq, "record %" PRId64 " was altered (its "
		    "%s hash does not match)", r->seq, keyed ? "keyed" :
		    "unkeyed");
		v->broken = 1;
		return (0);
	}
	memcpy(v->prev, r->hash, 32);
	v->expect++;
	v->last_seq = r->seq;
	v->last_ts = r->ts_ms;
	if (strcmp(r->action, "audit.prune") == 0)
		v->pruned_to = r->object_id;
	/* Every signed checkpoint at this record names this hash. */
	while (v->ci < v->nck && v->ck[v->ci].seq < r->seq)
		v->ci++;
	for (; v->ci < v->nck && v->ck[v->ci].seq == r->seq; v->ci++) {
		if (sodium_memcmp(v->ck[v->ci].hash, r->hash, 32) != 0) {
			audit_find(v, r->seq, "record %" PRId64 " differs "
			    "from the signed checkpoint in %s", r->seq,
			    audit_src(v, v->ck[v->ci].src));
			v->broken = 1;
			return (0);
		}
		if (!have) {
			v->lseq = r->seq;
			v->lts = v->ck[v->ci].ts_ms;
			v->every = v->ck[v->ci].every;
			v->minutes = v->ck[v->ci].minutes;
		}
		have = 1;
	}
	/* The cadence: where one must be, a checkpoint is. */
	every = v->every >= 0 ? v->every : v->d->conf.checkpoint_every;
	minutes = v->minutes >= 0 ? v->minutes :
	    v->d->conf.checkpoint_minutes;
	if (!have && keyed && audit_due(r->seq, r->ts_ms, v->lseq, v->lts,
	    every, minutes)) {
		audit_find(v, r->seq, "signed checkpoint at record %" PRId64
		    " is missing (one is due every %" PRId64 " records or %"
		    PRId64 " minutes)", r->seq, every, minutes);
		v->broken = 1;
	}
	return (0);
}

struct audit_first_action {
	int64_t	seq;
};

static int
audit_first_action_fn(const struct store_audit_row *r, void *arg)
{
	((struct audit_first_action *)arg)->seq = r->seq;
	return (1);
}

json_t *
audit_verify(struct daemon *d, const char *copy, const char *copy_name)
{
	struct audit_verify		 v;
	struct store_audit_filter	 f;
	struct audit_first_action	 fa = { 0 };
	uint8_t				 sk[64];
	int64_t				 first, fts, unanchored, shipped = 0;
	char				*text;
	int				 missing = 0, have_file = 0;
	size_t				 i;
	json_t				*res;

	memset(&v, 0, sizeof v);
	v.d = d;
	v.copy_name = copy_name;
	crypt_sign_keypair(d->crypt, v.pk, sk);
	sodium_memzero(sk, sizeof sk);

	/* Every signed checkpoint there is: store, file, off-host copy. */
	store_checkpoint_each(&d->store, audit_store_ck_fn, &v);
	if (d->conf.checkpoint_file != NULL) {
		text = audit_slurp(d->conf.checkpoint_file, &missing);
		if ((have_file = text != NULL))
			v.nfile = audit_read_lines(&v, text, CK_FILE,
			    "the checkpoint file");
		else if (v.nstore > 0)
			audit_find(&v, v.nck > 0 ? v.ck[0].seq : 1,
			    "the checkpoint file '%s' is %s, but the store "
			    "has %" PRId64 " signed checkpoints",
			    d->conf.checkpoint_file, missing ? "missing" :
			    "unreadable", v.nstore);
		free(text);
	}
	if (copy != NULL)
		v.ncopy = audit_read_lines(&v, copy, CK_COPY,
		    copy_name != NULL ? copy_name : "the copy");
	if (v.nck > 1)
		qsort(v.ck, v.nck, sizeof *v.ck, audit_ck_cmp);

	if (store_audit_first(&d->store, &first, &fts) != 0) {
		first = 1;
		fts = 0;
	}
	/* The file and the store hold the same checkpoints, save pruned. */
	for (i = 0; i < v.nck; i++) {
		if (v.ck[i].src & (copy != NULL ? CK_COPY : CK_FILE) &&
		    v.ck[i].seq > shipped)
			shipped = v.ck[i].seq;
		if (v.ck[i].seq < first - 1)
			continue;
		if ((v.ck[i].src & CK_STORE) && !(v.ck[i].src & CK_FILE) &&
		    have_file)
			audit_find(&v, v.ck[i].seq, "signed checkpoint at %"
			    PRId64 " is in the store but not in the "
			    "checkpoint file", v.ck[i].seq);
		if (!(v.ck[i].src & CK_STORE))
			audit_find(&v, v.ck[i].seq, "signed checkpoint at %"
			    PRId64 " in %s is missing from the store",
			    v.ck[i].seq, audit_src(&v, v.ck[i].src));
	}

	/* Where the keyed chain starts: the (keyed) rekey record, if any. */
	memset(&f, 0, sizeof f);
	f.action = "audit.rekey";
	f.limit = 1;
	store_audit_query(&d->store, &f, audit_first_action_fn, &fa);
	v.keyed_from = fa.seq != 0 ? fa.seq : first;
	v.expect = first;
	v.every = v.minutes = -1;
	v.lseq = first - 1;
	v.lts = fts;
	if (first > 1) {
		/* A pruned log starts from the signed checkpoint closing it. */
		for (i = 0; i < v.nck && v.ck[i].seq != first - 1; i++)
			;
		if (i < v.nck) {
			memcpy(v.prev, v.ck[i].hash, 32);
			v.lts = v.ck[i].ts_ms;
			v.every = v.ck[i].every;
			v.minutes = v.ck[i].minutes;
		} else
			v.anchorless = first;
	}
	store_audit_each(&d->store, first, audit_verify_row, &v);
	if (v.anchorless)
		audit_find(&v, v.pruned_to + 1 < first ? v.pruned_to + 1 :
		    first - 1, "records %" PRId64 " to %" PRId64 " are missing "
		    "and no signed checkpoint closes them", v.pruned_to + 1 <
		    first ? v.pruned_to + 1 : first - 1, first - 1);
	if (first > 1 && v.pruned_to != first - 1)
		audit_find(&v, v.pruned_to + 1, "records %" PRId64 " to %"
		    PRId64 " are missing (no signed pruning removed them)",
		    v.pruned_to + 1, first - 1);
	/* Signed checkpoints beyond the end: the tail was cut off. */
	if (!v.broken) {
		for (i = 0; i < v.nck; i++) {
			if (v.ck[i].seq > v.last_seq) {
				audit_find(&v, v.last_seq + 1, "records %"
				    PRId64 " to %" PRId64 " are missing (a "
				    "signed checkpoint in %s covers them)",
				    v.last_seq + 1, v.ck[i].seq,
				    audit_src(&v, v.ck[i].src));
				break;
			}
		}
	}
	unanchored = v.last_seq > shipped ? v.last_seq - shipped : 0;
	res = json_object();
	json_object_set_new(res, "records", json_integer(v.records));
	json_object_set_new(res, "checkpoints", json_integer(v.nstore));
	json_object_set_new(res, "checkpoint_file_lines",
	    json_integer(v.nfile));
	if (copy != NULL)
		json_object_set_new(res, "against_lines",
		    json_integer(v.ncopy));
	json_object_set_new(res, "keyed_from", json_integer(v.keyed_from));
	json_object_set_new(res, "last_shipped", json_integer(shipped));
	json_object_set_new(res, "after_last_shipped",
	    json_integer(unanchored));
	if (v.reason != NULL) {
		json_object_set_new(res, "ok", json_false());
		json_object_set_new(res, "first_bad_seq", json_integer(v.bad));
		json_object_set_new(res, "reason", json_string(v.reason));
	} else
		json_object_set_new(res, "ok", json_true());
	free(v.reason);
	free(v.ck);
	return (res);
}

int
audit_prune(struct daemon *d, const struct audit_who *who, int64_t before_ms,
    int dry_run, int64_t *n)
{
	struct audit_rec	 rec = { .action = "audit.prune",
				    .object_type = "audit", .result = "ok" };
	char			*cause = NULL, detail[160];
	int64_t			 seq, first, fts;

	*n = 0;
	if ((seq = store_audit_prunable(&d->store, before_ms, dry_run)) == 0)
		return (0);
	if (store_audit_first(&d->store, &first, &fts) != 0 || seq < first)
		return (0);
	if (dry_run) {
		*n = seq - first + 1;
		return (0);
	}
	if (store_begin(&d->store) != 0)
		return (-1);
	if (store_audit_prune(&d->store, seq, n) != 0)
		goto fail;
	/*
	 * The statement is a keyed record (nobody without the key can write
	 * one) that the next checkpoint signs: records first..seq went, and
	 * the chain continues from the signed checkpoint at seq, which stays.
	 * verify accepts a cut front only with both.
	 */
	rec.object_id = seq;
	snprintf(detail, sizeof detail, "records %" PRId64 " to %" PRId64
	    " removed (%" PRId64 " records); the signed checkpoint at %"
	    PRId64 " anchors the rest", first, seq, *n, seq);
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
	/* Purposes and reasons may name people: sealed unless asked for. */
	if (r->purpose_enc != NULL && !with_detail)
		json_object_set_new(o, "purpose", json_string("(sealed)"));
	else if ((pt = audit_purpose(d, r)) != NULL) {
		json_object_set_new(o, "purpose", json_string(pt));
		crypt_wipe_free(pt, strlen(pt));
	} else
		json_object_set_new(o, "purpose", json_null());
	json_object_set_new(o, "client", r->client != NULL ?
	    json_string(r->client) : json_null());
	json_object_set_new(o, "result", json_string(r->result));
	if (r->detail != NULL) {
		/* Sealed as stored, as the chain covers it. */
		dhex = xmalloc(r->detail_len * 2 + 1);
		audit_hex(r->detail, r->detail_len, dhex);
		json_object_set_new(o, "detail_sealed", json_string(dhex));
		free(dhex);
		if (!with_detail)
			json_object_set_new(o, "detail",
			    json_string("(sealed)"));
		else if (crypt_unseal(crypt_subkey(d->crypt,
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

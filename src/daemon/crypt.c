/*
 * Keys and field encryption (doc/design.md section 4): the one place that
 * touches key material, so that wiping, file checks and formats live
 * together.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "crypt.h"
#include "xmalloc.h"

/*
 * Key file layout. Both kinds start with the magic and a kind byte so a
 * stray file (or a key file of a later format) is recognised, not misread.
 *   plain:   magic(7) 'p' key(32)
 *   wrapped: magic(7) 'w' alg(4 LE) opslimit(8 LE) memlimit(8 LE) salt(16)
 *            nonce(24) XChaCha20-Poly1305(key)(32+16)
 * The wrapped key's AD is everything before the nonce, so the stored Argon2
 * parameters cannot be swapped without the unwrap failing.
 */
#define CRYPT_MAGIC		"SIKEY1\n"
#define CRYPT_MAGICLEN		7
#define CRYPT_HDRLEN		(CRYPT_MAGICLEN + 1)
#define CRYPT_KIND_PLAIN	'p'
#define CRYPT_KIND_WRAPPED	'w'
#define CRYPT_PLAINLEN		(CRYPT_HDRLEN + CRYPT_KEYBYTES)
#define CRYPT_WRAP_ADLEN	(CRYPT_HDRLEN + 4 + 8 + 8 + \
				    crypto_pwhash_SALTBYTES)
#define CRYPT_WRAPPEDLEN	(CRYPT_WRAP_ADLEN + \
				    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
				    CRYPT_KEYBYTES + \
				    crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define CRYPT_FILEMAX		256

/*
 * Bounds on the Argon2 parameters read from a file: far above any preset a
 * sane operator would choose, but low enough that a damaged file cannot make
 * the daemon try to allocate terabytes or spin for hours.
 */
#define CRYPT_OPSLIMIT_CAP	64ULL
#define CRYPT_MEMLIMIT_CAP	(4ULL * 1024 * 1024 * 1024)

#define CRYPT_SEAL_VERSION	1
#define CRYPT_WRAP_VERSION	1
#define CRYPT_WRAPPED_DEKLEN	(1 + \
				    crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
				    CRYPT_KEYBYTES + \
				    crypto_aead_xchacha20poly1305_ietf_ABYTES)

/* Lives in sodium_malloc'd memory, read-only once the subkeys exist. */
struct crypt {
	uint8_t	master[CRYPT_KEYBYTES];
	uint8_t	sub[CRYPT_NSUBKEYS][CRYPT_KEYBYTES];
};

static const char
    crypt_contexts[CRYPT_NSUBKEYS][crypto_kdf_CONTEXTBYTES + 1] = {
	[CRYPT_KEYWRAP] = "KEYWRAP_",
	[CRYPT_BLINDIDX] = "BLINDIDX",
	[CRYPT_RAWEVENT] = "RAWEVENT",
	[CRYPT_FIELDKEY] = "FIELDKEY",
	[CRYPT_CKPTSIGN] = "CKPTSIGN",
	[CRYPT_AUDITMAC] = "AUDITMAC",
};

static void
crypt_put_le32(uint8_t *p, uint32_t v)
{
	int	i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
crypt_put_le64(uint8_t *p, uint64_t v)
{
	int	i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t
crypt_get_le32(const uint8_t *p)
{
	uint32_t	v = 0;
	int		i;

	for (i = 3; i >= 0; i--)
		v = (v << 8) | p[i];
	return (v);
}

static uint64_t
crypt_get_le64(const uint8_t *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return (v);
}

int
crypt_global_init(void)
{
	/* 1 means already initialised, which is fine. */
	if (sodium_init() < 0)
		return (-1);
	return (0);
}

/* Writes all of buf; returns 0 or -1 with errno set. */
static int
crypt_write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

/* The rename is only durable once the directory entry itself is synced. */
static int
crypt_fsync_dir(const char *path)
{
	char	*copy, *dir;
	int	 fd, rc = -1, saved;

	copy = xstrdup(path);
	dir = dirname(copy);
	if ((fd = open(dir, O_RDONLY|O_DIRECTORY|O_CLOEXEC)) != -1) {
		rc = fsync(fd);
		saved = errno;
		close(fd);
		errno = saved;
	}
	free(copy);
	return (rc);
}

/* Fills out with the Argon2id parameters for a new wrapped file. */
static void
crypt_pwhash_params(unsigned long long *ops, size_t *mem)
{
	const char	*s;

	/*
	 * MODERATE costs 256 MiB and most of a second, fine once per daemon
	 * start but not dozens of times under ASan; the params are stored in
	 * the file so either kind opens the same way.
	 */
	s = getenv("SI_TEST_FAST_KDF");
	if (s != NULL && strcmp(s, "1") == 0) {
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	} else {
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
	}
}

/* Builds the file image for key into out; returns its length or 0. */
static size_t
crypt_keyfile_encode(const uint8_t key[CRYPT_KEYBYTES],
    const char *passphrase, uint8_t out[CRYPT_FILEMAX])
{
	uint8_t			 kek[CRYPT_KEYBYTES];
	uint8_t			*p;
	unsigned long long	 ops, clen;
	size_t			 mem;

	memcpy(out, CRYPT_MAGIC, CRYPT_MAGICLEN);
	if (passphrase == NULL) {
		out[CRYPT_MAGICLEN] = CRYPT_KIND_PLAIN;
		memcpy(out + CRYPT_HDRLEN, key, CRYPT_KEYBYTES);
		return (CRYPT_PLAINLEN);
	}

	crypt_pwhash_params(&ops, &mem);
	out[CRYPT_MAGICLEN] = CRYPT_KIND_WRAPPED;
	p = out + CRYPT_HDRLEN;
	crypt_put_le32(p, crypto_pwhash_ALG_ARGON2ID13);
	crypt_put_le64(p + 4, ops);
	crypt_put_le64(p + 12, mem);
	p += 20;
	randombytes_buf(p, crypto_pwhash_SALTBYTES);
	if (crypto_pwhash(kek, sizeof kek, passphrase, strlen(passphrase), p,
	    ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return (0);
	p += crypto_pwhash_SALTBYTES;
	randombytes_buf(p, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    p + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
	    key, CRYPT_KEYBYTES, out, CRYPT_WRAP_ADLEN, NULL, p, kek);
	sodium_memzero(kek, sizeof kek);
	return (CRYPT_WRAPPEDLEN);
}

int
crypt_keyfile_create(const char *path, const char *passphrase, char **cause)
{
	uint8_t		 key[CRYPT_KEYBYTES], image[CRYPT_FILEMAX];
	struct stat	 st;
	char		*tmp = NULL;
	size_t		 len;
	int		 fd = -1, rc = -1, linked = 0;

	if (passphrase != NULL && *passphrase == '\0') {
		*cause = xasprintf("cannot create key file '%s': "
		    "empty passphrase", path);
		return (-1);
	}
	/* Fail before the slow Argon2 run; link() below is the real guard. */
	if (lstat(path, &st) == 0)
		errno = EEXIST;
	if (errno != ENOENT) {
		*cause = xasprintf("cannot create key file '%s': %s", path,
		    strerror(errno));
		return (-1);
	}

	crypto_kdf_keygen(key);
	len = crypt_keyfile_encode(key, passphrase, image);
	sodium_memzero(key, sizeof key);
	if (len == 0) {
		*cause = xasprintf("cannot create key file '%s': "
		    "passphrase hashing failed (out of memory?)", path);
		goto out;
	}

	tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("cannot create key file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) == -1 ||
	    crypt_write_all(fd, image, len) == -1 ||
	    fsync(fd) == -1) {
		*cause = xasprintf("cannot write key file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		*cause = xasprintf("cannot write key file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	fd = -1;

	/*
	 * link() fails with EEXIST where rename() would silently replace:
	 * overwriting a master key destroys every row it protects.
	 */
	if (link(tmp, path) == -1) {
		*cause = xasprintf("cannot create key file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	linked = 1;
	if (unlink(tmp) == -1 || crypt_fsync_dir(path) == -1) {
		*cause = xasprintf("cannot sync key file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;

out:
	sodium_memzero(image, sizeof image);
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		if (rc != 0 || !linked)
			unlink(tmp);
		free(tmp);
	}
	return (rc);
}

/* Reads the whole (small) key file; returns its length or -1 with cause. */
static ssize_t
crypt_keyfile_read(const char *path, uint8_t buf[CRYPT_FILEMAX], char **cause)
{
	struct stat	 st;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC)) == -1) {
		if (errno == ELOOP)
			*cause = xasprintf("key file '%s' is a symbolic link",
			    path);
		else
			*cause = xasprintf("cannot open key file '%s': %s",
			    path, strerror(errno));
		return (-1);
	}
	/* fstat the descriptor so the checks apply to what we read. */
	if (fstat(fd, &st) == -1) {
		*cause = xasprintf("cannot stat key file '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("key file '%s' is not a regular file", path);
		goto fail;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("key file '%s' is owned by uid %lu, not by "
		    "uid %lu the daemon runs as; as root: chown %lu '%s' "
		    "(support-inboxd setup makes it as the daemon's user)",
		    path, (unsigned long)st.st_uid, (unsigned long)geteuid(),
		    (unsigned long)geteuid(), path);
		goto fail;
	}
	if ((st.st_mode & 077) != 0) {
		*cause = xasprintf("key file '%s' is %s by group or others "
		    "(mode %04o); chmod 600 it", path,
		    (st.st_mode & 044) ? "readable" :
		    (st.st_mode & 022) ? "writable" : "accessible",
		    (unsigned int)(st.st_mode & 07777));
		goto fail;
	}

	for (;;) {
		n = read(fd, buf + len, CRYPT_FILEMAX - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("cannot read key file '%s': %s",
			    path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == CRYPT_FILEMAX) {
			*cause = xasprintf("key file '%s' is not a "
			    "support-inbox key file (too large)", path);
			goto fail;
		}
	}
	close(fd);
	return ((ssize_t)len);

fail:
	sodium_memzero(buf, CRYPT_FILEMAX);
	close(fd);
	return (-1);
}

/* Recovers the master key from a wrapped file image; 0 or -1 with cause. */
static int
crypt_keyfile_unwrap(const char *path, const char *passphrase,
    const uint8_t *image, uint8_t key[CRYPT_KEYBYTES], char **cause)
{
	uint8_t			 kek[CRYPT_KEYBYTES];
	const uint8_t		*p = image + CRYPT_HDRLEN;
	const uint8_t		*salt, *nonce;
	unsigned long long	 mlen;
	uint64_t		 ops, mem;
	int			 rc;

	if (passphrase == NULL) {
		*cause = xasprintf("key file '%s' is protected by a "
		    "passphrase and none was given", path);
		return (-1);
	}
	ops = crypt_get_le64(p + 4);
	mem = crypt_get_le64(p + 12);
	if (crypt_get_le32(p) != crypto_pwhash_ALG_ARGON2ID13 ||
	    ops < crypto_pwhash_OPSLIMIT_MIN || ops > CRYPT_OPSLIMIT_CAP ||
	    mem < crypto_pwhash_MEMLIMIT_MIN || mem > CRYPT_MEMLIMIT_CAP ||
	    mem > SIZE_MAX) {
		*cause = xasprintf("key file '%s' has unsupported passphrase "
		    "parameters", path);
		return (-1);
	}
	salt = p + 20;
	nonce = salt + crypto_pwhash_SALTBYTES;

	if (crypto_pwhash(kek, sizeof kek, passphrase, strlen(passphrase), salt,
	    ops, (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		*cause = xasprintf("cannot hash passphrase for key file '%s' "
		    "(out of memory?)", path);
		return (-1);
	}
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(key, &mlen, NULL,
	    nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    CRYPT_KEYBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES,
	    image, CRYPT_WRAP_ADLEN, nonce, kek);
	sodium_memzero(kek, sizeof kek);
	if (rc != 0 || mlen != CRYPT_KEYBYTES) {
		sodium_memzero(key, CRYPT_KEYBYTES);
		*cause = xasprintf("wrong passphrase for key file '%s'", path);
		return (-1);
	}
	return (0);
}

struct crypt *
crypt_open(const char *path, const char *passphrase, char **cause)
{
	uint8_t		 image[CRYPT_FILEMAX];
	struct crypt	*c = NULL;
	ssize_t		 n;
	size_t		 len;
	int		 i;

	if ((n = crypt_keyfile_read(path, image, cause)) == -1)
		return (NULL);
	len = (size_t)n;
	if (len < CRYPT_HDRLEN ||
	    memcmp(image, CRYPT_MAGIC, CRYPT_MAGICLEN) != 0) {
		*cause = xasprintf("key file '%s' is not a support-inbox key "
		    "file", path);
		goto fail;
	}
	if (!(image[CRYPT_MAGICLEN] == CRYPT_KIND_PLAIN &&
	    len == CRYPT_PLAINLEN) &&
	    !(image[CRYPT_MAGICLEN] == CRYPT_KIND_WRAPPED &&
	    len == CRYPT_WRAPPEDLEN)) {
		*cause = xasprintf("key file '%s' is truncated or of an "
		    "unknown kind", path);
		goto fail;
	}

	if ((c = sodium_malloc(sizeof *c)) == NULL) {
		*cause = xasprintf("cannot allocate secure memory for key "
		    "file '%s'", path);
		goto fail;
	}
	if (image[CRYPT_MAGICLEN] == CRYPT_KIND_PLAIN)
		memcpy(c->master, image + CRYPT_HDRLEN, CRYPT_KEYBYTES);
	else if (crypt_keyfile_unwrap(path, passphrase, image, c->master,
	    cause) != 0)
		goto fail;
	sodium_memzero(image, sizeof image);

	for (i = 0; i < CRYPT_NSUBKEYS; i++) {
		crypto_kdf_derive_from_key(c->sub[i], CRYPT_KEYBYTES, 1,
		    crypt_contexts[i], c->master);
	}
	/* Nothing writes keys after this; a stray write should fault. */
	sodium_mprotect_readonly(c);
	return (c);

fail:
	sodium_memzero(image, sizeof image);
	if (c != NULL)
		sodium_free(c);	/* wipes */
	return (NULL);
}

void
crypt_free(struct crypt *c)
{
	if (c != NULL)
		sodium_free(c);	/* unprotects and wipes before freeing */
}

const uint8_t *
crypt_subkey(struct crypt *c, enum crypt_subkey k)
{
	if ((unsigned int)k >= CRYPT_NSUBKEYS)
		return (NULL);
	return (c->sub[k]);
}

int
crypt_sign_keypair(struct crypt *c, uint8_t pk[32], uint8_t sk[64])
{
	if (crypto_sign_seed_keypair(pk, sk, c->sub[CRYPT_CKPTSIGN]) != 0)
		return (-1);
	return (0);
}

void
crypt_dek_new(uint8_t dek[CRYPT_KEYBYTES])
{
	/* Random, never derived: a derivable key could not be shredded. */
	crypto_aead_xchacha20poly1305_ietf_keygen(dek);
}

/* "dek|" contact_id(8 LE) key_id(4 LE) */
static void
crypt_dek_ad(uint8_t ad[16], int64_t contact_id, uint32_t key_id)
{
	memcpy(ad, "dek|", 4);
	crypt_put_le64(ad + 4, (uint64_t)contact_id);
	crypt_put_le32(ad + 12, key_id);
}

int
crypt_dek_wrap(struct crypt *c, int64_t contact_id, uint32_t key_id,
    const uint8_t dek[CRYPT_KEYBYTES], uint8_t **out, size_t *outlen)
{
	uint8_t	ad[16], *p;

	crypt_dek_ad(ad, contact_id, key_id);
	p = xmalloc(CRYPT_WRAPPED_DEKLEN);
	p[0] = CRYPT_WRAP_VERSION;
	randombytes_buf(p + 1, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    p + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, NULL,
	    dek, CRYPT_KEYBYTES, ad, sizeof ad, NULL, p + 1,
	    c->sub[CRYPT_KEYWRAP]);
	*out = p;
	*outlen = CRYPT_WRAPPED_DEKLEN;
	return (0);
}

int
crypt_dek_unwrap(struct crypt *c, int64_t contact_id, uint32_t key_id,
    const uint8_t *in, size_t inlen, uint8_t dek[CRYPT_KEYBYTES])
{
	uint8_t			ad[16];
	unsigned long long	mlen;

	if (in == NULL || inlen != CRYPT_WRAPPED_DEKLEN ||
	    in[0] != CRYPT_WRAP_VERSION)
		return (-1);
	crypt_dek_ad(ad, contact_id, key_id);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(dek, &mlen, NULL,
	    in + 1 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    inlen - 1 - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    ad, sizeof ad, in + 1, c->sub[CRYPT_KEYWRAP]) != 0 ||
	    mlen != CRYPT_KEYBYTES) {
		sodium_memzero(dek, CRYPT_KEYBYTES);
		return (-1);
	}
	return (0);
}

/*
 * "si1|" table "|" column "|" rowid(8 LE) "|" key_id(4 LE); allocated,
 * caller frees. Table and column are code constants, never input.
 */
static uint8_t *
crypt_seal_ad(const char *table, const char *column, int64_t rowid,
    uint32_t key_id, size_t *adlen)
{
	size_t	 tlen = strlen(table), clen = strlen(column), len;
	uint8_t	*ad, *p;

	len = 4 + tlen + 1 + clen + 1 + 8 + 1 + 4;
	p = ad = xmalloc(len);
	memcpy(p, "si1|", 4);
	p += 4;
	memcpy(p, table, tlen);
	p += tlen;
	*p++ = '|';
	memcpy(p, column, clen);
	p += clen;
	*p++ = '|';
	crypt_put_le64(p, (uint64_t)rowid);
	p += 8;
	*p++ = '|';
	crypt_put_le32(p, key_id);
	*adlen = len;
	return (ad);
}

void
crypt_seal(const uint8_t key[CRYPT_KEYBYTES], uint32_t key_id,
    const char *table, const char *column, int64_t rowid,
    const void *pt, size_t len, uint8_t **out, size_t *outlen)
{
	uint8_t	*ad, *p, *nonce;
	size_t	 adlen;

	/* No caller holds anywhere near 2^64 bytes; this is a program bug. */
	if (len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
	    len > SIZE_MAX - CRYPT_SEAL_OVERHEAD)
		abort();

	ad = crypt_seal_ad(table, column, rowid, key_id, &adlen);
	p = xmalloc(len + CRYPT_SEAL_OVERHEAD);
	p[0] = CRYPT_SEAL_VERSION;
	crypt_put_le32(p + 1, key_id);
	nonce = p + 5;
	randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, NULL,
	    pt, len, ad, adlen, NULL, nonce, key);
	free(ad);
	*out = p;
	*outlen = len + CRYPT_SEAL_OVERHEAD;
}

int
crypt_unseal(const uint8_t key[CRYPT_KEYBYTES],
    const char *table, const char *column, int64_t rowid,
    const uint8_t *in, size_t inlen, char **out, size_t *outlen)
{
	uint8_t			*ad;
	char			*pt;
	size_t			 adlen, ptlen;
	unsigned long long	 mlen;
	int64_t			 key_id;
	int			 rc;

	if ((key_id = crypt_sealed_key_id(in, inlen)) == -1)
		return (-1);
	ptlen = inlen - CRYPT_SEAL_OVERHEAD;

	/* key_id comes from the header but is bound by the AD. */
	ad = crypt_seal_ad(table, column, rowid, (uint32_t)key_id, &adlen);
	pt = xmalloc(ptlen + 1);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt((uint8_t *)pt, &mlen,
	    NULL, in + 5 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    inlen - 5 - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
	    ad, adlen, in + 5, key);
	free(ad);
	if (rc != 0 || mlen != ptlen) {
		crypt_wipe_free(pt, ptlen + 1);
		return (-1);
	}
	pt[ptlen] = '\0';
	*out = pt;
	*outlen = ptlen;
	return (0);
}

int64_t
crypt_sealed_key_id(const uint8_t *in, size_t inlen)
{
	if (in == NULL || inlen < CRYPT_SEAL_OVERHEAD ||
	    in[0] != CRYPT_SEAL_VERSION)
		return (-1);
	return ((int64_t)crypt_get_le32(in + 1));
}

void
crypt_wipe_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	sodium_memzero(p, len);
	free(p);
}

void
crypt_blind(struct crypt *c, const char *kind, const char *id,
    uint8_t out[CRYPT_BLINDBYTES])
{
	crypto_generichash_state	st;
	static const uint8_t		sep = 0;

	/* kind cannot contain NUL, so kind || 0 || id is unambiguous. */
	crypto_generichash_init(&st, c->sub[CRYPT_BLINDIDX], CRYPT_KEYBYTES,
	    CRYPT_BLINDBYTES);
	crypto_generichash_update(&st, (const uint8_t *)kind, strlen(kind));
	crypto_generichash_update(&st, &sep, 1);
	crypto_generichash_update(&st, (const uint8_t *)id, strlen(id));
	crypto_generichash_final(&st, out, CRYPT_BLINDBYTES);
	sodium_memzero(&st, sizeof st);
}

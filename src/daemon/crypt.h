/*
 * Keys and field encryption (doc/design.md section 4). Only the daemon links
 * this.
 *
 * master key (32 bytes, key file) --crypto_kdf--> purpose subkeys:
 *   "KEYWRAP_" 1  wraps per-contact data keys (DEKs)
 *   "BLINDIDX" 1  keyed BLAKE2b blind index of phone numbers / user ids
 *   "RAWEVENT" 1  seals raw webhook bodies and quarantined events
 *   "FIELDKEY" 1  seals non-contact personal fields (agent notes etc.)
 *   "CKPTSIGN" 1  seed of the Ed25519 audit checkpoint key
 *   "AUDITMAC" 1  key of the audit chain's keyed BLAKE2b (never stored)
 * Per-contact DEKs are random (never derived) so destroying one shreds the
 * contact's data everywhere.
 *
 * Sealed field format: version(1)=1 || key_id(4, LE) || nonce(24) || ct+tag,
 * XChaCha20-Poly1305-IETF with associated data
 *   "si1|" table "|" column "|" rowid(8, LE) "|" key_id(4, LE)
 * so a ciphertext moved to another table, column or row fails to open.
 */
#ifndef CRYPT_H
#define CRYPT_H

#include <stddef.h>
#include <stdint.h>

#define CRYPT_KEYBYTES		32
#define CRYPT_BLINDBYTES	32
#define CRYPT_SEAL_OVERHEAD	(1 + 4 + 24 + 16)

enum crypt_subkey {
	CRYPT_KEYWRAP,
	CRYPT_BLINDIDX,
	CRYPT_RAWEVENT,
	CRYPT_FIELDKEY,
	CRYPT_CKPTSIGN,
	CRYPT_AUDITMAC,
	CRYPT_NSUBKEYS
};

struct crypt;	/* master key and subkeys, in sodium_malloc'd memory */

/* Must be called once before anything else; returns 0 or -1. */
int	 crypt_global_init(void);

/*
 * Creates a key file with 32 fresh random bytes, mode 0600, written atomically
 * (temp file, fsync, rename, fsync dir). With a passphrase the file holds the
 * key wrapped under Argon2id (crypto_pwhash, params stored in the file).
 * Refuses (-1, *cause) if path exists.
 */
int	 crypt_keyfile_create(const char *path, const char *passphrase,
	    char **cause);
/*
 * Opens a key file: O_NOFOLLOW, refuses a file readable or writable by group
 * or others or not owned by the effective uid, or of the wrong size/format.
 * A wrapped file needs the passphrase (NULL: error naming the need).
 * Returns NULL with *cause (allocated) on failure.
 */
struct crypt	*crypt_open(const char *path, const char *passphrase,
		    char **cause);
void		 crypt_free(struct crypt *);
/* Borrowed pointer to a subkey (CRYPT_KEYBYTES bytes). */
const uint8_t	*crypt_subkey(struct crypt *, enum crypt_subkey);

/*
 * The Ed25519 audit checkpoint keypair, derived from the CKPTSIGN subkey so
 * it is the same on every start. pk and sk are the caller's (wipe sk).
 * Returns 0 or -1.
 */
int	 crypt_sign_keypair(struct crypt *, uint8_t pk[32], uint8_t sk[64]);

/* A fresh random data key. */
void	 crypt_dek_new(uint8_t dek[CRYPT_KEYBYTES]);
/* Wraps a DEK for contact_id / key_id; *out allocated (caller frees). */
int	 crypt_dek_wrap(struct crypt *, int64_t contact_id, uint32_t key_id,
	    const uint8_t dek[CRYPT_KEYBYTES], uint8_t **out, size_t *outlen);
/* Returns 0, or -1 if the wrapped key was tampered with or moved. */
int	 crypt_dek_unwrap(struct crypt *, int64_t contact_id, uint32_t key_id,
	    const uint8_t *in, size_t inlen, uint8_t dek[CRYPT_KEYBYTES]);

/*
 * Seals len bytes under key (key_id recorded in the header). *out is
 * allocated, *outlen = len + CRYPT_SEAL_OVERHEAD.
 */
void	 crypt_seal(const uint8_t key[CRYPT_KEYBYTES], uint32_t key_id,
	    const char *table, const char *column, int64_t rowid,
	    const void *pt, size_t len, uint8_t **out, size_t *outlen);
/*
 * Opens a sealed field. On success *out is allocated (sodium-wiped on free
 * is the caller's job: use crypt_wipe_free), NUL-terminated for convenience,
 * *outlen without the NUL. Returns -1 on a wrong key, moved or altered
 * ciphertext, or a malformed header.
 */
int	 crypt_unseal(const uint8_t key[CRYPT_KEYBYTES],
	    const char *table, const char *column, int64_t rowid,
	    const uint8_t *in, size_t inlen, char **out, size_t *outlen);
/* The key id written in a sealed field's header, or -1 if malformed. */
int64_t	 crypt_sealed_key_id(const uint8_t *in, size_t inlen);
/* sodium_memzero then free. */
void	 crypt_wipe_free(void *, size_t);

/*
 * Keyed BLAKE2b blind index of an already normalised identifier (E.164
 * digits without '+', or a BSUID), domain-separated by kind ("wa", "bsuid").
 */
void	 crypt_blind(struct crypt *, const char *kind, const char *id,
	    uint8_t out[CRYPT_BLINDBYTES]);

#endif

/*
 * The per-contact data keys: created (wrapped by the master key, in the key
 * store) with each contact, unwrapped on first use into an open-addressing
 * cache, and all forgotten at once after a key is shredded.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store.h"
#define STORE_SLOT_BASE	1664
#include "store-int.h"
#include "xmalloc.h"

static struct store_dek *
store_dek_slot(struct store *s, int64_t contact_id)
{
	size_t	i, mask;

	if (s->deks_cap == 0)
		return (NULL);
	mask = s->deks_cap - 1;
	i = (size_t)((uint64_t)contact_id * 0x9e3779b97f4a7c15ULL) & mask;
	while (s->deks[i].contact_id != 0) {
		if (s->deks[i].contact_id == contact_id)
			return (&s->deks[i]);
		i = (i + 1) & mask;
	}
	return (&s->deks[i]);
}

static void
store_dek_put(struct store *s, int64_t contact_id, const uint8_t *key)
{
	struct store_dek	*old, *d;
	size_t			 oldcap, i;

	if ((s->ndeks + 1) * 10 >= s->deks_cap * 7) {
		old = s->deks;
		oldcap = s->deks_cap;
		s->deks_cap = oldcap == 0 ? 1024 : oldcap * 2;
		s->deks = xcalloc(s->deks_cap, sizeof *s->deks);
		s->ndeks = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i].contact_id == 0)
				continue;
			d = store_dek_slot(s, old[i].contact_id);
			*d = old[i];
			s->ndeks++;
		}
		if (old != NULL) {
			sodium_memzero(old, oldcap * sizeof *old);
			free(old);
		}
	}
	d = store_dek_slot(s, contact_id);
	if (d->contact_id == 0)
		s->ndeks++;
	d->contact_id = contact_id;
	memcpy(d->key, key, CRYPT_KEYBYTES);
}

/* The contact's data key, loaded and unwrapped on first use. */
const uint8_t *
store_dek(struct store *s, int64_t contact_id)
{
	struct store_dek	*d;
	sqlite3_stmt		*st;
	uint8_t			 key[CRYPT_KEYBYTES];
	int			 ok = -1;

	d = store_dek_slot(s, contact_id);
	if (d != NULL && d->contact_id == contact_id)
		return (d->key);
	st = KSTMT("SELECT key_id, wrapped FROM contact_keys "
	    "WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ok = crypt_dek_unwrap(s->crypt, contact_id,
		    (uint32_t)sqlite3_column_int64(st, 0),
		    sqlite3_column_blob(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), key);
	}
	sqlite3_reset(st);
	if (ok != 0)
		return (NULL);	/* erased, or the key store is not current */
	store_dek_put(s, contact_id, key);
	sodium_memzero(key, sizeof key);
	return (store_dek_slot(s, contact_id)->key);
}

int
store_dek_create(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;
	uint8_t		 key[CRYPT_KEYBYTES], *wrapped;
	size_t		 wlen;
	int		 r;

	crypt_dek_new(key);
	if (crypt_dek_wrap(s->crypt, contact_id, 1, key, &wrapped,
	    &wlen) != 0) {
		sodium_memzero(key, sizeof key);
		return (-1);
	}
	/*
	 * Committed on its own, before the contact row: an orphan key is
	 * harmless, a contact without its key would lose data. A rolled-back
	 * contact id is reissued (AUTOINCREMENT never reuses committed ones),
	 * so REPLACE only ever overwrites an orphan.
	 */
	st = KSTMT("INSERT OR REPLACE INTO contact_keys "
	    "(contact_id, key_id, wrapped, created) VALUES (?, 1, ?, ?)");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_blob(st, 2, wrapped, (int)wlen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, store_now_s());
	r = store_step_done(s, st);
	free(wrapped);
	if (r == 0)
		store_dek_put(s, contact_id, key);
	sodium_memzero(key, sizeof key);
	return (r);
}

void
store_dek_forget(struct store *s)
{
	/* Drops the whole cache: keys are unwrapped again on use. */
	if (s->deks != NULL)
		sodium_memzero(s->deks, s->deks_cap * sizeof *s->deks);
	s->ndeks = 0;
}

/*
 * Phone endings: the keyed blind index (crypt_blind, kind "phone-end") of
 * the last 4 to 15 digits of each contact's number, so that an agent who
 * knows only "...4711" finds the customer while the digits stay sealed:
 * the table holds hashes under the daemon's BLINDIDX key, nothing a copy
 * of the file could reverse without the key. Written when a contact's
 * number is set (store-contact.c), filled for older contacts in slices at
 * start (store_phone_backfill), gone with the contact (a trigger).
 */
#include <string.h>

#include <sodium.h>

#include "store.h"
#define STORE_SLOT_BASE	3072
#include "store-int.h"

#define PHONE_END_MIN	4
#define PHONE_END_MAX	15	/* E.164: at most 15 digits */

int
store_phone_index(struct store *s, int64_t cid, const char *wa_id)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	char		 digits[PHONE_END_MAX + 1];
	size_t		 len = 0, n;
	const char	*p;

	st = STMT("DELETE FROM contact_phone_endings WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	/* The last PHONE_END_MAX digits, whatever else the id holds. */
	for (p = wa_id; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (len == PHONE_END_MAX) {
			memmove(digits, digits + 1, len - 1);
			len--;
		}
		digits[len++] = *p;
	}
	digits[len] = '\0';
	for (n = PHONE_END_MIN; n <= len; n++) {
		store_blind(s, "phone-end", digits + len - n, bl);
		st = STMT("INSERT OR IGNORE INTO contact_phone_endings "
		    "(blind, contact_id) VALUES (?, ?)");
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, cid);
		if (store_step_done(s, st) != 0) {
			sodium_memzero(digits, sizeof digits);
			return (-1);
		}
	}
	sodium_memzero(digits, sizeof digits);
	return (0);
}

int
store_phone_find(struct store *s, const char *digits, int64_t *out,
    int max)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	size_t		 len = strlen(digits);
	int		 n = 0;

	if (len < PHONE_END_MIN || len > PHONE_END_MAX ||
	    strspn(digits, "0123456789") != len)
		return (0);
	store_blind(s, "phone-end", digits, bl);
	st = STMT("SELECT contact_id FROM contact_phone_endings "
	    "WHERE blind = ? ORDER BY contact_id DESC LIMIT ?");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, max);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		out[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (n);
}

int
store_phone_backfill(struct store *s, int64_t *cursor, int budget)
{
	sqlite3_stmt	*st;
	int64_t		 cid;
	char		*wa;
	int		 n = 0, rc;

	st = STMT("SELECT id, wa_id_enc FROM contacts c WHERE id > ? AND "
	    "wa_id_enc IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
	    "contact_phone_endings e WHERE e.contact_id = c.id) "
	    "ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, *cursor);
	sqlite3_bind_int(st, 2, budget);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		cid = sqlite3_column_int64(st, 0);
		*cursor = cid;
		wa = store_col_open(st, 1, store_dek(s, cid), "contacts",
		    "wa_id", cid);
		if (wa == NULL)
			continue;	/* erased or unreadable: nothing to find */
		rc = store_phone_index(s, cid, wa);
		crypt_wipe_free(wa, strlen(wa));
		if (rc != 0) {
			sqlite3_reset(st);
			return (-1);
		}
	}
	sqlite3_reset(st);
	return (n == budget ? 1 : 0);
}

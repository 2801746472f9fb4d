/*
 * What a reply needs to know about its conversation before it is queued:
 * the contact, the 24-hour window, restriction and the decrypted recipient.
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	2688
#include "store-int.h"

enum store_found
store_send_info(struct store *s, int64_t conv_id, struct store_send_info *si)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	int		 rc;

	memset(si, 0, sizeof *si);
	st = STMT("SELECT c.contact_id, c.last_inbound_at, k.restricted, "
	    "k.wa_id_enc, k.user_id_enc, (SELECT max(id) FROM messages "
	    "WHERE conversation_id = c.id AND direction = 'in') "
	    "FROM conversations c JOIN contacts k ON k.id = c.contact_id "
	    "WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		si->contact_id = sqlite3_column_int64(st, 0);
		si->last_inbound_at = sqlite3_column_int64(st, 1);
		si->restricted = sqlite3_column_int(st, 2);
		si->last_inbound_msg = sqlite3_column_int64(st, 5);
		key = store_dek(s, si->contact_id);
		si->wa_id = store_col_open(st, 3, key, "contacts", "wa_id",
		    si->contact_id);
		si->user_id = store_col_open(st, 4, key, "contacts", "user_id",
		    si->contact_id);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

void
store_send_info_clear(struct store_send_info *si)
{
	if (si->wa_id != NULL)
		crypt_wipe_free(si->wa_id, strlen(si->wa_id));
	if (si->user_id != NULL)
		crypt_wipe_free(si->user_id, strlen(si->user_id));
	memset(si, 0, sizeof *si);
}

/*
 * The erasure ledger: which contact ids were erased, when, by whom and by
 * which audit record, so that erasures can be replayed after a restore.
 */
#include "store.h"
#define STORE_SLOT_BASE	1792
#include "store-int.h"

/* Links the ledger entry of cid to the audit record that erased it. */
int
store_erasure_set_seq(struct store *s, int64_t cid, int64_t seq)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE erasure_ledger SET audit_seq = ?1 WHERE id = "
	    "(SELECT max(id) FROM erasure_ledger WHERE contact_id = ?2)");
	sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, cid);
	return (store_step_done(s, st));
}

json_t *
store_erasure_list(struct store *s)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	st = STMT("SELECT contact_id, max(erased_at) FROM erasure_ledger "
	    "GROUP BY contact_id ORDER BY contact_id");
	arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{sI sI}", "contact_id",
		    (json_int_t)sqlite3_column_int64(st, 0), "erased_at",
		    (json_int_t)sqlite3_column_int64(st, 1)));
	sqlite3_reset(st);
	return (arr);
}

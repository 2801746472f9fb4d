/*
 * Signed checkpoints of the audit chain (audit.c computes, signs and
 * verifies them; pruning cuts the log at one, store-audit.c).
 */
#include <string.h>

#include "store.h"
#define STORE_SLOT_BASE	1152
#include "store-int.h"

int
store_checkpoint_insert(struct store *s, const struct store_ckpt *c)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO audit_checkpoints (seq, ts_ms, hash, sig, "
	    "every, minutes) VALUES (?, ?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, c->seq);
	sqlite3_bind_int64(st, 2, c->ts_ms);
	sqlite3_bind_blob(st, 3, c->hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 4, c->sig, 64, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, c->every);
	sqlite3_bind_int64(st, 6, c->minutes);
	return (store_step_done(s, st));
}

static void
store_checkpoint_fill(sqlite3_stmt *st, struct store_ckpt *c)
{
	memset(c, 0, sizeof *c);
	c->seq = sqlite3_column_int64(st, 0);
	c->ts_ms = sqlite3_column_int64(st, 1);
	c->every = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 4);
	c->minutes = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 5);
	if (sqlite3_column_bytes(st, 2) == 32 &&
	    sqlite3_column_bytes(st, 3) == 64) {
		c->hash = sqlite3_column_blob(st, 2);
		c->sig = sqlite3_column_blob(st, 3);
	}
}

int
store_checkpoint_each(struct store *s,
    int (*fn)(const struct store_ckpt *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_ckpt	 c;
	int			 rc = 0;

	st = STMT("SELECT seq, ts_ms, hash, sig, every, minutes FROM "
	    "audit_checkpoints ORDER BY seq");
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_checkpoint_fill(st, &c);
		if ((rc = fn(&c, arg)) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc);
}

enum store_found
store_checkpoint_last(struct store *s, struct store_ckpt *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT seq, ts_ms, hash, sig, every, minutes FROM "
	    "audit_checkpoints ORDER BY seq DESC LIMIT 1");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_checkpoint_fill(st, c);
	c->hash = c->sig = NULL;	/* not valid after the reset */
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

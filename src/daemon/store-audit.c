/*
 * The audit log's rows: the head and appending for the chain (audit.c
 * computes it), reading for people (show, export, access reports) and
 * pruning by whole signed segments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	640
#include "store-int.h"
#include "xmalloc.h"

static void
store_audit_fill(sqlite3_stmt *st, struct store_audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(st, 0);
	r->ts_ms = sqlite3_column_int64(st, 1);
	r->agent_id = sqlite3_column_int64(st, 2);
	r->agent = store_col_text(st, 3);
	r->action = store_col_text(st, 4);
	r->object_type = store_col_text(st, 5);
	r->object_id = sqlite3_column_int64(st, 6);
	r->contact_id = sqlite3_column_int64(st, 7);
	r->purpose = store_col_text(st, 8);
	r->client = store_col_text(st, 9);
	r->result = store_col_text(st, 10);
	r->detail = sqlite3_column_blob(st, 11);
	r->detail_len = (size_t)sqlite3_column_bytes(st, 11);
	if (sqlite3_column_bytes(st, 12) == 32)
		memcpy(r->prev_hash, sqlite3_column_blob(st, 12), 32);
	if (sqlite3_column_bytes(st, 13) == 32)
		memcpy(r->hash, sqlite3_column_blob(st, 13), 32);
	if (sqlite3_column_type(st, 14) == SQLITE_BLOB) {
		r->purpose_enc = sqlite3_column_blob(st, 14);
		r->purpose_enc_len = (size_t)sqlite3_column_bytes(st, 14);
	}
	if (r->agent == NULL)
		r->agent = "";
	if (r->action == NULL)
		r->action = "";
	if (r->result == NULL)
		r->result = "";
}

#define AUDIT_COLS "seq, ts_ms, agent_id, agent, action, object_type, " \
	"object_id, contact_id, purpose, client, result, detail_enc, " \
	"prev_hash, hash, purpose_enc FROM audit "

int
store_audit_head(struct store *s, int64_t *seq, uint8_t hash[32])
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * After pruning emptied the log, the chain continues from the
	 * checkpoint that anchors the cut: sequence numbers never restart.
	 */
	st = STMT("SELECT seq, hash FROM (SELECT seq, hash FROM audit "
	    "ORDER BY seq DESC LIMIT 1) UNION ALL SELECT seq, hash FROM "
	    "(SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC "
	    "LIMIT 1) ORDER BY seq DESC LIMIT 1");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == 32) {
		*seq = sqlite3_column_int64(st, 0);
		memcpy(hash, sqlite3_column_blob(st, 1), 32);
	} else {
		*seq = 0;
		memset(hash, 0, 32);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_audit_insert(struct store *s, const struct store_audit_row *r)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO audit (seq, ts_ms, agent_id, agent, action, "
	    "object_type, object_id, contact_id, purpose, client, result, "
	    "detail_enc, prev_hash, hash, purpose_enc) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, r->seq);
	sqlite3_bind_int64(st, 2, r->ts_ms);
	sqlite3_bind_int64(st, 3, r->agent_id);
	sqlite3_bind_text(st, 4, r->agent, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, r->action, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 6, r->object_type);
	store_bind_id_or_null(st, 7, r->object_id);
	store_bind_id_or_null(st, 8, r->contact_id);
	store_bind_text_or_null(st, 9, r->purpose);
	store_bind_text_or_null(st, 10, r->client);
	sqlite3_bind_text(st, 11, r->result, -1, SQLITE_TRANSIENT);
	if (r->detail != NULL)
		sqlite3_bind_blob(st, 12, r->detail, (int)r->detail_len,
		    SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 13, r->prev_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 14, r->hash, 32, SQLITE_TRANSIENT);
	if (r->purpose_enc != NULL)
		sqlite3_bind_blob(st, 15, r->purpose_enc,
		    (int)r->purpose_enc_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 15);
	return (store_step_done(s, st));
}

int
store_audit_each(struct store *s, int64_t from,
    int (*fn)(const struct store_audit_row *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_audit_row	 r;
	int			 rc = 0;

	st = STMT("SELECT " AUDIT_COLS "WHERE seq >= ? ORDER BY seq");
	sqlite3_bind_int64(st, 1, from);
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_audit_fill(st, &r);
		if ((rc = fn(&r, arg)) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc);
}

enum store_found
store_audit_first(struct store *s, int64_t *seq, int64_t *ts_ms)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("SELECT seq, ts_ms FROM audit ORDER BY seq LIMIT 1");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		*ts_ms = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int
store_audit_query(struct store *s, const struct store_audit_filter *f,
    int (*fn)(const struct store_audit_row *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_audit_row	 r;
	int			 rc = 0;

	/* Newest first (show) or oldest first (export, reports). */
	if (f->newest_first)
		st = STMT("SELECT " AUDIT_COLS "WHERE seq > ?1 AND seq < ?2 "
		    "AND ts_ms >= ?3 AND ts_ms < ?4 AND (?5 IS NULL OR "
		    "agent = ?5) AND (?6 = 0 OR contact_id = ?6) AND (?7 IS "
		    "NULL OR action = ?7) ORDER BY seq DESC LIMIT ?8");
	else
		st = STMT("SELECT " AUDIT_COLS "WHERE seq > ?1 AND seq < ?2 "
		    "AND ts_ms >= ?3 AND ts_ms < ?4 AND (?5 IS NULL OR "
		    "agent = ?5) AND (?6 = 0 OR contact_id = ?6) AND (?7 IS "
		    "NULL OR action = ?7) ORDER BY seq LIMIT ?8");
	sqlite3_bind_int64(st, 1, f->after_seq);
	sqlite3_bind_int64(st, 2, f->before_seq > 0 ? f->before_seq :
	    INT64_MAX);
	sqlite3_bind_int64(st, 3, f->from_ms);
	sqlite3_bind_int64(st, 4, f->to_ms > 0 ? f->to_ms : INT64_MAX);
	store_bind_text_or_null(st, 5, f->agent);
	sqlite3_bind_int64(st, 6, f->contact_id);
	store_bind_text_or_null(st, 7, f->action);
	sqlite3_bind_int64(st, 8, f->limit > 0 ? f->limit : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_audit_fill(st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return (rc);
}

/*
 * The newest checkpoint whose record is older than before_ms and is not
 * the newest record: the end of the segment that may go (the pruning
 * record then follows it; head_too: a record will follow before the
 * pruning, as for a dry run that stands for a run). 0: none.
 */
int64_t
store_audit_prunable(struct store *s, int64_t before_ms, int head_too)
{
	sqlite3_stmt	*st;
	int64_t		 seq = 0;

	/* Never the newest record: the chain's head stays in the log. */
	st = STMT("SELECT max(c.seq) FROM audit_checkpoints c JOIN audit a "
	    "ON a.seq = c.seq WHERE a.ts_ms < ?1 AND c.seq < (SELECT max(seq) "
	    "FROM audit) + ?2");
	sqlite3_bind_int64(st, 1, before_ms);
	sqlite3_bind_int(st, 2, head_too != 0);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (seq);
}

/*
 * Deletes the records up to and including seq (a checkpoint) and the older
 * checkpoints, inside the caller's transaction. The append-only triggers
 * let a record (checkpoint) go only at or below (below) the one row in
 * audit_prune_gate, which this transaction inserts and removes again; the
 * authorizer allows the gate and the deletes only while s->audit_prune is
 * set. The statements are prepared here and not kept.
 */
static int
store_audit_prune_exec(struct store *s, const char *sql, int64_t seq,
    int64_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	s->audit_prune = 1;
	rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	s->audit_prune = 0;
	if (rc != SQLITE_OK) {
		log_error("store: audit prune: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	if (seq != 0)
		sqlite3_bind_int64(st, 1, seq);
	rc = sqlite3_step(st);
	if (n != NULL)
		*n = sqlite3_changes(s->db);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_error("store: audit prune: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

int
store_audit_prune(struct store *s, int64_t seq, int64_t *n)
{
	if (store_audit_prune_exec(s, "INSERT INTO audit_prune_gate (upto) "
	    "VALUES (?)", seq, NULL) != 0 ||
	    store_audit_prune_exec(s, "DELETE FROM audit WHERE seq <= ?", seq,
	    n) != 0 ||
	    store_audit_prune_exec(s, "DELETE FROM audit_checkpoints WHERE "
	    "seq < ?", seq, NULL) != 0 ||
	    store_audit_prune_exec(s, "DELETE FROM audit_prune_gate", 0,
	    NULL) != 0)
		return (-1);
	return (0);
}

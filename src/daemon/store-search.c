/*
 * Search over encrypted text: an FTS5 index in an in-memory SQLite database
 * on a connection of its own, so clear text never reaches a file (no temp
 * files either: temp_store is memory). It follows the main database's
 * transactions through its commit and rollback hooks from the moment it is
 * opened, and is filled by decrypting what the store holds in slices
 * (store_search_build) that the daemon runs between other work, so that a
 * large store does not hold up the start: until the fill is done, search
 * answers from what is indexed so far and says so ("partial").
 *
 * Document ids encode the kind: id * 4 + 0 message, + 1 note, + 2 contact
 * name, so that ordering by rowid stays roughly newest first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "crypt.h"
#include "log.h"
#include "match.h"
#include "store.h"
#define STORE_SLOT_BASE	384
#include "store-int.h"
#include "xmalloc.h"

#define MSTMT(sql)	store_prep(s, s->search->db, \
			    STORE_SLOT_BASE + __COUNTER__, sql)

#define SEARCH_TEXT_MAX	8192	/* bytes of one document indexed */

enum { DOC_MSG = 0, DOC_NOTE = 1, DOC_NAME = 2 };

/* The quick switch's names, in C: a scan of 100,000 rows in SQL is slow. */
/*
 * A name that fits is kept in the entry itself: the quick switch reads
 * every name for every query, and 100,000 separate allocations made that
 * a walk of cache misses (half its time); in line, it is one pass over
 * the array. Longer ones are allocated.
 */
#define STORE_NAME_INLINE	36

struct store_name {
	int64_t	 contact;
	int64_t	 last;
	char	*heap;			/* or NULL: in inl */
	uint32_t letters;		/* match_letters of the name */
	char	 inl[STORE_NAME_INLINE];
};

static const char *
store_name_fold(const struct store_name *n)
{
	return (n->heap != NULL ? n->heap : n->inl);
}

struct store_search {
	sqlite3	*db;
	/*
	 * A copy of the names table sorted by contact, kept in step with
	 * it; a rolled-back transaction makes it stale, and it is read
	 * again from the table (which rolled back with it) before use.
	 */
	struct store_name *names;
	size_t	 nnames, names_cap;
	int	 names_stale;
	int	 in_txn;	/* mirrors an open main transaction */
	int64_t	 docs;
	int64_t	 build_ms;
	int	 phase;		/* fill: 0 names, 1 messages, 2 notes, 3 done */
	int64_t	 cursor;	/* fill: last row id of the phase done */
	int64_t	 fill_max;	/* fill: highest message id at open */
	int64_t	 fill_docs;	/* fill: documents added so far */
	int64_t	 t0;
};

static int64_t
store_search_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
store_search_commit_hook(void *arg)
{
	struct store	*s = arg;

	if (s->search != NULL && s->search->in_txn) {
		sqlite3_exec(s->search->db, "COMMIT", NULL, NULL, NULL);
		s->search->in_txn = 0;
	}
	return (0);
}

static void
store_search_rollback_hook(void *arg)
{
	struct store	*s = arg;

	if (s->search != NULL && s->search->in_txn) {
		sqlite3_exec(s->search->db, "ROLLBACK", NULL, NULL, NULL);
		s->search->in_txn = 0;
	}
	if (s->search != NULL)
		s->search->names_stale = 1;
}

/* Joins the main database's transaction, if one is open. */
static void
store_search_join(struct store *s)
{
	if (s->search->in_txn || sqlite3_get_autocommit(s->db))
		return;
	if (sqlite3_exec(s->search->db, "BEGIN", NULL, NULL, NULL) ==
	    SQLITE_OK)
		s->search->in_txn = 1;
}

/*
 * Mirrors a savepoint statement of the main transaction, so a request
 * rolled back inside a group commit leaves nothing in the index either.
 */
void
store_search_savepoint(struct store *s, const char *sql)
{
	if (s->search == NULL)
		return;
	store_search_join(s);
	if (s->search->in_txn)
		sqlite3_exec(s->search->db, sql, NULL, NULL, NULL);
	if (strncmp(sql, "ROLLBACK", 8) == 0)
		s->search->names_stale = 1;
}

/* The slot of contact in the copy, or where it would go. */
static size_t
store_names_slot(struct store_search *ss, int64_t contact, int *found)
{
	size_t	lo = 0, hi = ss->nnames, mid;

	*found = 0;
	if (hi > 0 && ss->names[hi - 1].contact < contact)
		return (hi);	/* the usual case: a new contact */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ss->names[mid].contact < contact)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < ss->nnames && ss->names[lo].contact == contact;
	return (lo);
}

static void
store_names_free1(struct store_name *n)
{
	if (n->heap != NULL)
		crypt_wipe_free(n->heap, strlen(n->heap));
	n->heap = NULL;
	sodium_memzero(n->inl, sizeof n->inl);
}

static void
store_names_put(struct store_search *ss, int64_t contact, const char *fold,
    int64_t last)
{
	struct store_name	*grown;
	size_t			 i;
	int			 found;

	i = store_names_slot(ss, contact, &found);
	if (found) {
		store_names_free1(&ss->names[i]);
	} else {
		if (ss->nnames == ss->names_cap) {
			ss->names_cap = ss->names_cap == 0 ? 1024 :
			    ss->names_cap * 2;
			/* Moved by hand: the old block is wiped, not left. */
			grown = xcalloc(ss->names_cap, sizeof *grown);
			if (ss->nnames > 0) {
				memcpy(grown, ss->names, ss->nnames *
				    sizeof *grown);
				sodium_memzero(ss->names, ss->nnames *
				    sizeof *grown);
			}
			free(ss->names);
			ss->names = grown;
		}
		memmove(ss->names + i + 1, ss->names + i,
		    (ss->nnames - i) * sizeof *ss->names);
		ss->nnames++;
	}
	ss->names[i].contact = contact;
	if (strlen(fold) < sizeof ss->names[i].inl) {
		ss->names[i].heap = NULL;
		memcpy(ss->names[i].inl, fold, strlen(fold) + 1);
	} else
		ss->names[i].heap = xstrdup(fold);
	ss->names[i].letters = match_letters(fold);
	ss->names[i].last = last;
}

static void
store_names_clear(struct store_search *ss)
{
	size_t	i;

	for (i = 0; i < ss->nnames; i++)
		store_names_free1(&ss->names[i]);
	ss->nnames = 0;
}

/* Reads the copy again from the table, after a roll-back. */
static void
store_names_reload(struct store *s)
{
	struct store_search	*ss = s->search;
	sqlite3_stmt		*st;

	store_names_clear(ss);
	st = MSTMT("SELECT contact, fold, last FROM names ORDER BY contact");
	while (sqlite3_step(st) == SQLITE_ROW)
		store_names_put(ss, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	ss->names_stale = 0;
}

/*
 * The quick switch's copy of a name: folded (include/match.h) so a lookup
 * compares without folding 100,000 names again, with the contact's last
 * activity to rank equal matches.
 */
static void
store_search_name_fold(struct store *s, int64_t cid, const char *text,
    size_t len)
{
	sqlite3_stmt	*st;
	char		 name[MATCH_TEXT_MAX], fold[MATCH_TEXT_MAX];
	int64_t		 last = 0;

	if (len >= sizeof name)
		len = sizeof name - 1;
	memcpy(name, text, len);
	name[len] = '\0';
	match_fold(name, fold, sizeof fold);
	sodium_memzero(name, sizeof name);
	st = STMT("SELECT coalesce(max(last_msg_at), 0) FROM conversations "
	    "WHERE contact_id = ?");
	sqlite3_bind_int64(st, 1, cid);
	store_row_int64(st, &last, NULL);
	st = MSTMT("INSERT OR REPLACE INTO names (contact, fold, last) "
	    "VALUES (?, ?, ?)");
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_text(st, 2, fold, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, last);
	if (store_step_done(s, st) == 0)
		store_names_put(s->search, cid, fold, last);
	sodium_memzero(fold, sizeof fold);
}

static void
store_search_add(struct store *s, int64_t docid, int64_t conv, int64_t cid,
    int64_t ts, int dir, const char *text, size_t len)
{
	sqlite3_stmt	*st;
	int		 replaced;

	if (len == 0)
		return;
	if (len > SEARCH_TEXT_MAX) {
		len = SEARCH_TEXT_MAX;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	st = MSTMT("INSERT OR REPLACE INTO docs (id, conv, contact, ts, dir) "
	    "VALUES (?, ?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, docid);
	sqlite3_bind_int64(st, 2, conv);
	sqlite3_bind_int64(st, 3, cid);
	sqlite3_bind_int64(st, 4, ts);
	sqlite3_bind_int(st, 5, dir);
	if (store_step_done(s, st) != 0)
		return;
	st = MSTMT("DELETE FROM fts WHERE rowid = ?");
	sqlite3_bind_int64(st, 1, docid);
	store_step_done(s, st);
	replaced = sqlite3_changes(s->search->db) > 0;
	st = MSTMT("INSERT INTO fts (rowid, body) VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, docid);
	sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
	if (store_step_done(s, st) == 0 && !replaced)
		s->search->docs++;
	if ((docid & 3) == DOC_NAME)
		store_search_name_fold(s, cid, text, len);
}

/* The searchable text of a message body: text, caption, file name. */
static void
store_search_body_text(json_t *body, struct buf *b)
{
	json_t		*media;
	const char	*t;

	if ((t = json_string_value(json_object_get(body, "text"))) != NULL)
		buf_adds(b, t);
	media = json_object_get(body, "media");
	if ((t = json_string_value(json_object_get(media, "caption"))) !=
	    NULL) {
		buf_adds(b, " ");
		buf_adds(b, t);
	}
	if ((t = json_string_value(json_object_get(media, "filename"))) !=
	    NULL) {
		buf_adds(b, " ");
		buf_adds(b, t);
	}
}

static void
store_search_wipe(struct buf *b)
{
	char	*p;
	size_t	 len;

	p = buf_detach(b, &len);
	if (p != NULL)
		crypt_wipe_free(p, len);
}

static void
store_search_name(struct store *s, int64_t cid)
{
	char	*name;

	if ((name = store_contact_name(s, cid)) == NULL)
		return;
	store_search_add(s, cid * 4 + DOC_NAME, 0, cid, 0, 0, name,
	    strlen(name));
	crypt_wipe_free(name, strlen(name));
}

void
store_search_msg(struct store *s, int64_t msg_id,
    const struct store_msg_in *m)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	int		 have;

	if (s->search == NULL)
		return;
	store_search_join(s);
	if (m->body != NULL) {
		buf_init(&b, 0);
		store_search_body_text(m->body, &b);
		store_search_add(s, msg_id * 4 + DOC_MSG, m->conv_id,
		    m->contact_id, m->ts, m->outbound ? 2 : 1,
		    b.data != NULL ? b.data : "", b.len);
		store_search_wipe(&b);
	}
	st = MSTMT("UPDATE names SET last = max(last, ?) WHERE contact = ?");
	sqlite3_bind_int64(st, 1, m->ts);
	sqlite3_bind_int64(st, 2, m->contact_id);
	if (store_step_done(s, st) == 0) {
		size_t	i;
		int	found;

		i = store_names_slot(s->search, m->contact_id, &found);
		if (found && s->search->names[i].last < m->ts)
			s->search->names[i].last = m->ts;
	}
	/* A contact's name is indexed with their first message. */
	st = MSTMT("SELECT 1 FROM docs WHERE id = ?");
	sqlite3_bind_int64(st, 1, m->contact_id * 4 + DOC_NAME);
	have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (!have)
		store_search_name(s, m->contact_id);
}

/* A contact's new name replaces the indexed one (if it was indexed). */
void
store_search_rename(struct store *s, int64_t contact_id, const char *name)
{
	sqlite3_stmt	*st;
	int		 have;

	if (s->search == NULL)
		return;
	store_search_join(s);
	st = MSTMT("SELECT 1 FROM docs WHERE id = ?");
	sqlite3_bind_int64(st, 1, contact_id * 4 + DOC_NAME);
	have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (have)
		store_search_add(s, contact_id * 4 + DOC_NAME, 0, contact_id,
		    0, 0, name, strlen(name));
}

void
store_search_note(struct store *s, int64_t note_id, int64_t conv_id,
    int64_t contact_id, int64_t ts, const char *body)
{
	if (s->search == NULL)
		return;
	store_search_join(s);
	store_search_add(s, note_id * 4 + DOC_NOTE, conv_id, contact_id, ts, 0,
	    body, strlen(body));
}

void
store_search_forget_contact(struct store *s, int64_t contact_id)
{
	sqlite3_stmt	*st;

	if (s->search == NULL)
		return;
	store_search_join(s);
	st = MSTMT("DELETE FROM fts WHERE rowid IN "
	    "(SELECT id FROM docs WHERE contact = ?)");
	sqlite3_bind_int64(st, 1, contact_id);
	store_step_done(s, st);
	st = MSTMT("DELETE FROM docs WHERE contact = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	if (store_step_done(s, st) == 0)
		s->search->docs -= sqlite3_changes(s->search->db);
	st = MSTMT("DELETE FROM names WHERE contact = ?");
	sqlite3_bind_int64(st, 1, contact_id);
	store_step_done(s, st);
	{
		struct store_search	*ss = s->search;
		size_t			 i;
		int			 found;

		i = store_names_slot(ss, contact_id, &found);
		if (found) {
			store_names_free1(&ss->names[i]);
			memmove(ss->names + i, ss->names + i + 1,
			    (ss->nnames - i - 1) * sizeof *ss->names);
			ss->nnames--;
			/* the last entry's copy left behind */
			sodium_memzero(&ss->names[ss->nnames],
			    sizeof ss->names[0]);
		}
	}
}

/*
 * A merge (store_contact_merge): from's messages and notes are into's now;
 * from's name goes, into's is indexed again (it may be from's, taken over,
 * and its last activity includes the conversations that came with it).
 */
void
store_search_merge(struct store *s, int64_t into, int64_t from)
{
	sqlite3_stmt	*st;

	if (s->search == NULL)
		return;
	store_search_join(s);
	st = MSTMT("UPDATE docs SET contact = ?1 WHERE contact = ?2 "
	    "AND id != ?2 * 4 + 2");
	sqlite3_bind_int64(st, 1, into);
	sqlite3_bind_int64(st, 2, from);
	store_step_done(s, st);
	store_search_forget_contact(s, from);
	store_search_name(s, into);
}

/* Up to budget messages after the cursor; returns how many it read. */
static int
store_search_fill_msgs(struct store *s, int budget)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	const uint8_t	*key;
	json_t		*body;
	int64_t		 id, cid;
	char		*text;
	int		 n = 0;

	st = STMT("SELECT id, conversation_id, contact_id, ts, direction, "
	    "body_enc FROM messages WHERE id > ? ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, s->search->cursor);
	sqlite3_bind_int(st, 2, budget);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		id = sqlite3_column_int64(st, 0);
		s->search->cursor = id;
		cid = sqlite3_column_int64(st, 2);
		if ((key = store_dek(s, cid)) == NULL)
			continue;	/* erased */
		text = store_col_open(st, 5, key, "messages", "body", id);
		if (text == NULL)
			continue;
		body = json_loads(text, 0, NULL);
		crypt_wipe_free(text, strlen(text));
		if (body == NULL)
			continue;
		buf_init(&b, 0);
		store_search_body_text(body, &b);
		json_decref(body);
		store_search_add(s, id * 4 + DOC_MSG,
		    sqlite3_column_int64(st, 1), cid,
		    sqlite3_column_int64(st, 3),
		    strcmp(store_col_text(st, 4), "out") == 0 ? 2 : 1,
		    b.data != NULL ? b.data : "", b.len);
		store_search_wipe(&b);
	}
	sqlite3_reset(st);
	return (n);
}

static int
store_search_fill_notes(struct store *s, int budget)
{
	sqlite3_stmt	*st;
	int64_t		 id, cid;
	char		*text;
	int		 n = 0;

	st = STMT("SELECT id, conversation_id, contact_id, created, body_enc "
	    "FROM notes WHERE id > ? ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, s->search->cursor);
	sqlite3_bind_int(st, 2, budget);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		id = sqlite3_column_int64(st, 0);
		s->search->cursor = id;
		cid = sqlite3_column_int64(st, 2);
		text = store_col_open(st, 4, store_dek(s, cid), "notes",
		    "body", id);
		if (text == NULL)
			continue;
		store_search_add(s, id * 4 + DOC_NOTE,
		    sqlite3_column_int64(st, 1), cid,
		    sqlite3_column_int64(st, 3), 0, text, strlen(text));
		crypt_wipe_free(text, strlen(text));
	}
	sqlite3_reset(st);
	return (n);
}

static int
store_search_fill_names(struct store *s, int budget)
{
	sqlite3_stmt	*st;
	int64_t		 cid;
	char		*text;
	int		 n = 0;

	st = STMT("SELECT id, name_enc FROM contacts WHERE id > ? AND "
	    "name_enc IS NOT NULL ORDER BY id LIMIT ?");
	sqlite3_bind_int64(st, 1, s->search->cursor);
	sqlite3_bind_int(st, 2, budget);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		cid = sqlite3_column_int64(st, 0);
		s->search->cursor = cid;
		text = store_col_open(st, 1, store_dek(s, cid), "contacts",
		    "name", cid);
		if (text == NULL)
			continue;
		store_search_add(s, cid * 4 + DOC_NAME, 0, cid, 0, 0, text,
		    strlen(text));
		crypt_wipe_free(text, strlen(text));
	}
	sqlite3_reset(st);
	return (n);
}

int
store_search_building(struct store *s)
{
	return (s->search != NULL && s->search->phase < 3);
}

/*
 * One slice of the fill: up to budget rows, in a transaction of the index's
 * own (never inside a main transaction: the hooks own that). A document the
 * hooks indexed first is replaced by the same text; an erased contact's rows
 * no longer open and are skipped. Returns 1 while there is more to do.
 */
int
store_search_build(struct store *s, int budget)
{
	struct store_search	*ss = s->search;
	sqlite3_stmt		*st;
	int			 n;

	if (!store_search_building(s) || !sqlite3_get_autocommit(s->db))
		return (store_search_building(s));
	sqlite3_exec(ss->db, "BEGIN", NULL, NULL, NULL);
	while (budget > 0 && ss->phase < 3) {
		/* Names first: the quick switch needs them soonest. */
		if (ss->phase == 0)
			n = store_search_fill_names(s, budget);
		else if (ss->phase == 1)
			n = store_search_fill_msgs(s, budget);
		else
			n = store_search_fill_notes(s, budget);
		if (n < budget) {
			ss->phase++;
			ss->cursor = 0;
		}
		budget -= n > 0 ? n : 1;
	}
	sqlite3_exec(ss->db, "COMMIT", NULL, NULL, NULL);
	if (ss->phase < 3)
		return (1);
	st = MSTMT("SELECT count(*) FROM docs");
	if (sqlite3_step(st) == SQLITE_ROW)
		ss->docs = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	ss->build_ms = store_search_ms() - ss->t0;
	log_info("search index: %lld documents in %lld ms",
	    (long long)ss->docs, (long long)ss->build_ms);
	return (0);
}

int
store_search_open(struct store *s, char **cause)
{
	struct store_search	*ss;
	sqlite3_stmt		*st;
	char			*err = NULL;

	ss = xcalloc(1, sizeof *ss);
	if (sqlite3_open_v2(":memory:", &ss->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_MEMORY,
	    NULL) != SQLITE_OK) {
		*cause = xstrdup("cannot open the in-memory search index");
		sqlite3_close(ss->db);
		free(ss);
		return (-1);
	}
	if (sqlite3_exec(ss->db, "PRAGMA temp_store = MEMORY;"
	    "PRAGMA journal_mode = MEMORY;"
	    "CREATE TABLE docs (id INTEGER PRIMARY KEY, conv INTEGER, "
	    "  contact INTEGER, ts INTEGER, dir INTEGER);"
	    "CREATE INDEX docs_contact ON docs(contact);"
	    "CREATE VIRTUAL TABLE fts USING fts5(body, "
	    "  tokenize = 'unicode61 remove_diacritics 2');"
	    "CREATE TABLE names (contact INTEGER PRIMARY KEY, "
	    "  fold TEXT NOT NULL, last INTEGER NOT NULL);",
	    NULL, NULL, &err) != SQLITE_OK) {
		*cause = xasprintf("cannot create the search index: %s",
		    err != NULL ? err : "?");
		sqlite3_free(err);
		sqlite3_close(ss->db);
		free(ss);
		return (-1);
	}
	s->search = ss;
	ss->t0 = store_search_ms();
	st = STMT("SELECT coalesce(max(id), 0) FROM messages");
	if (sqlite3_step(st) == SQLITE_ROW)
		ss->fill_max = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_commit_hook(s->db, store_search_commit_hook, s);
	sqlite3_rollback_hook(s->db, store_search_rollback_hook, s);
	return (0);
}

void
store_search_close(struct store *s)
{
	size_t	i;

	if (s->search == NULL)
		return;
	sqlite3_commit_hook(s->db, NULL, NULL);
	sqlite3_rollback_hook(s->db, NULL, NULL);
	/* Our statements on the index live in s->stmts: drop them, so that a
	 * later store_search_open (a rebuild) prepares them afresh. */
	for (i = STORE_SLOT_BASE; i < STORE_SLOT_BASE + 128 &&
	    i < STORE_NSTMTS; i++) {
		if (s->stmts[i] != NULL &&
		    sqlite3_db_handle(s->stmts[i]) == s->search->db) {
			sqlite3_finalize(s->stmts[i]);
			s->stmts[i] = NULL;
		}
	}
	sqlite3_close_v2(s->search->db);
	store_names_clear(s->search);
	free(s->search->names);
	free(s->search);
	s->search = NULL;
}

/* Percent of the fill done (messages are nearly all of it). */
int
store_search_progress(struct store *s)
{
	struct store_search	*ss = s->search;

	if (ss == NULL || ss->phase >= 3)
		return (100);
	if (ss->phase == 0)
		return (0);
	if (ss->phase > 1 || ss->fill_max == 0)
		return (99);
	return ((int)(ss->cursor * 99 / ss->fill_max));
}

json_t *
store_search_stats(struct store *s)
{
	if (s->search == NULL)
		return (json_pack("{sb}", "enabled", 0));
	return (json_pack("{sb sb si sI sI sI}", "enabled", 1,
	    "building", store_search_building(s),
	    "progress", store_search_progress(s),
	    "docs", (json_int_t)s->search->docs,
	    "build_ms", (json_int_t)s->search->build_ms,
	    "memory", (json_int_t)sqlite3_memory_used()));
}

/* A set of conversation ids already looked at (open addressing). */
struct store_search_seen {
	int64_t	*v;
	size_t	 n, cap;
};

static int
store_search_seen_add(struct store_search_seen *set, int64_t id)
{
	size_t	 i, mask, oldcap;
	int64_t	*old;

	if ((set->n + 1) * 2 > set->cap) {
		old = set->v;
		oldcap = set->cap;
		set->cap = oldcap == 0 ? 256 : oldcap * 2;
		set->v = xcalloc(set->cap, sizeof *set->v);
		set->n = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i] != 0)
				store_search_seen_add(set, old[i]);
		}
		free(old);
	}
	mask = set->cap - 1;
	i = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ULL) & mask;
	while (set->v[i] != 0) {
		if (set->v[i] == id)
			return (0);
		i = (i + 1) & mask;
	}
	set->v[i] = id;
	set->n++;
	return (1);
}

/* Does the conversation pass the state/assignee/label filters? */
static bool
store_search_is_match(struct store *s, const struct store_search_q *q,
    int64_t conv)
{
	struct store_conv_info	ci;

	if (q->state == NULL && q->assignee == -1 && q->label == NULL)
		return (true);
	if (store_conv_info(s, conv, &ci) != 0)
		return (false);
	if (q->state != NULL && strcmp(ci.state, q->state) != 0)
		return (false);
	if (q->assignee != -1 && ci.assignee_id != q->assignee)
		return (false);
	if (q->label != NULL && !store_conv_has_label(s, conv, q->label))
		return (false);
	return (true);
}

static int64_t
store_search_latest_conv(struct store *s, int64_t cid)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = STMT("SELECT id FROM conversations WHERE contact_id = ? "
	    "ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, cid);
	store_row_int64(st, &id, NULL);
	return (id);
}

json_t *
store_search_run(struct store *s, const struct store_search_q *q,
    int64_t agent_id, int64_t now, int window_hours, char **cause)
{
	static const char	*kinds[] = { "message", "note", "name" };
	sqlite3_stmt		*st, *sn;
	struct store_search_seen seen = { NULL, 0, 0 };
	json_t			*arr, *row;
	int64_t			 docid, conv, skip = q->offset, ts;
	int			 kind, dir, rc, restricted;
	const char		*snip;

	if (s->search == NULL) {
		*cause = xstrdup("search index not available");
		return (NULL);
	}
	arr = json_array();
	st = MSTMT("SELECT f.rowid, d.conv, d.contact, d.ts, d.dir "
	    "FROM fts f JOIN docs d ON d.id = f.rowid "
	    "WHERE fts MATCH ?1 ORDER BY f.rowid DESC");
	sqlite3_bind_text(st, 1, q->match, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		docid = sqlite3_column_int64(st, 0);
		kind = (int)(docid & 3);
		conv = sqlite3_column_int64(st, 1);
		ts = sqlite3_column_int64(st, 3);
		dir = sqlite3_column_int(st, 4);
		if (!(q->kinds & (1 << kind)))
			continue;
		if (q->dir != 0 && (kind != DOC_MSG || dir != q->dir))
			continue;
		if ((q->from != 0 || q->to != 0) && kind == DOC_NAME)
			continue;
		if (q->from != 0 && ts < q->from)
			continue;
		if (q->to != 0 && ts >= q->to)
			continue;
		if (kind == DOC_NAME &&
		    (conv = store_search_latest_conv(s,
		    sqlite3_column_int64(st, 2))) == 0)
			continue;
		if (!store_search_seen_add(&seen, conv))
			continue;
		if (!store_search_is_match(s, q, conv))
			continue;
		/*
		 * A restricted contact's data is not processed (Art. 18):
		 * no match, no snippet, not even that a name matched.
		 */
		if (store_contact_flags(s, sqlite3_column_int64(st, 2),
		    &restricted, NULL) != 0 || restricted)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if ((row = store_inbox_one(s, conv, agent_id, now,
		    window_hours)) == NULL)
			continue;
		sn = MSTMT("SELECT snippet(fts, 0, '[', ']', '…', 12) "
		    "FROM fts WHERE fts MATCH ?1 AND rowid = ?2");
		sqlite3_bind_text(sn, 1, q->match, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(sn, 2, docid);
		snip = NULL;
		if (sqlite3_step(sn) == SQLITE_ROW)
			snip = (const char *)sqlite3_column_text(sn, 0);
		json_object_set_new(row, "match", json_pack("{ss sI sI ss}",
		    "kind", kinds[kind], "id", (json_int_t)(docid >> 2),
		    "ts", (json_int_t)ts, "snippet", snip != NULL ? snip :
		    ""));
		sqlite3_reset(sn);
		json_array_append_new(arr, row);
		if ((int64_t)json_array_size(arr) >= q->limit)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = xasprintf("bad search query: %s",
		    sqlite3_errmsg(s->search->db));
		json_decref(arr);
		arr = NULL;
	}
	sqlite3_reset(st);
	free(seen.v);
	return (arr);
}

/* --- quick switch --- */

#define FIND_PHONE_MAX	50	/* contacts one number ending may name */

struct store_find_hit {
	int64_t	contact;
	int	score;		/* enum match_kind; a phone ending above all */
	int64_t	last;
};

static int
store_find_cmp(const void *a, const void *b)
{
	const struct store_find_hit	*x = a, *y = b;

	if (x->score != y->score)
		return (x->score > y->score ? -1 : 1);
	if (x->last != y->last)
		return (x->last > y->last ? -1 : 1);
	return (x->contact > y->contact ? -1 : x->contact < y->contact);
}

/*
 * A query of digits and what people type around them ("+49 151 ...4711",
 * "…4711"): its digits (the last 15) in out, 1; else 0.
 */
static int
store_find_digits(const char *q, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *q != '\0'; q++) {
		if (*q >= '0' && *q <= '9') {
			if (n == outsz - 1) {
				memmove(out, out + 1, n - 1);
				n--;
			}
			out[n++] = *q;
		} else if (strncmp(q, "…", strlen("…")) == 0)
			q += strlen("…") - 1;
		else if (strchr(" +-./()", *q) == NULL) {
			n = 0;
			break;
		}
	}
	out[n] = '\0';
	return (n > 0);
}

/* Appends the name matches of a folded query to *hits. */
static void
store_find_names(struct store *s, const char *fq, struct store_find_hit **hits,
    size_t *n, size_t *cap)
{
	struct store_search	*ss = s->search;
	enum match_kind		 k;
	size_t			 i;
	uint32_t		 letters;

	if (ss == NULL || *fq == '\0')
		return;
	if (ss->names_stale)
		store_names_reload(s);
	letters = match_letters(fq);
	for (i = 0; i < ss->nnames; i++) {
		if ((letters & ~ss->names[i].letters) != 0)
			continue;
		k = match_kind_folded(store_name_fold(&ss->names[i]), fq);
		if (k == MATCH_NONE)
			continue;
		if (*n == *cap) {
			*cap = *cap == 0 ? 1024 : *cap * 2;
			*hits = xrealloc(*hits, *cap * sizeof **hits);
		}
		(*hits)[*n].contact = ss->names[i].contact;
		(*hits)[*n].score = (int)k;
		(*hits)[*n].last = ss->names[i].last;
		(*n)++;
	}
}

json_t *
store_search_find(struct store *s, const char *q, int limit,
    int64_t agent_id, int64_t now, int window_hours)
{
	struct store_find_hit	*hits = NULL, *top, *h;
	int64_t			 ids[FIND_PHONE_MAX], conv;
	char			 digits[16], fq[MATCH_TEXT_MAX];
	size_t			 n = 0, cap = 0, i, j, m, nt = 0;
	int			 np, k, restricted, sorted = 0;
	json_t			*arr, *row;

	arr = json_array();
	if (store_find_digits(q, digits, sizeof digits)) {
		/* A number: its ending, never a name. */
		np = store_phone_find(s, digits, ids, FIND_PHONE_MAX);
		sodium_memzero(digits, sizeof digits);
		hits = xcalloc(np > 0 ? (size_t)np : 1, sizeof *hits);
		for (k = 0; k < np; k++) {
			hits[n].contact = ids[k];
			hits[n].score = MATCH_EXACT + 1;
			hits[n].last = 0;
			n++;
		}
	} else {
		match_fold(q, fq, sizeof fq);
		store_find_names(s, fq, &hits, &n, &cap);
		sodium_memzero(fq, sizeof fq);
	}
	/*
	 * Only the best few are shown: one pass keeps the best m in order
	 * (the cut is room for restricted contacts skipped); all of them
	 * are sorted only if those run out. The order is total (contact id
	 * last), so the sorted array begins with the same m.
	 */
	m = (size_t)limit * 2 + 16;
	if (m > n)
		m = n;
	top = xcalloc(m > 0 ? m : 1, sizeof *top);
	for (i = 0; i < n; i++) {
		if (nt == m && store_find_cmp(&hits[i], &top[nt - 1]) >= 0)
			continue;
		j = nt < m ? nt++ : m - 1;
		for (; j > 0 && store_find_cmp(&hits[i], &top[j - 1]) < 0; j--)
			top[j] = top[j - 1];
		top[j] = hits[i];
	}
	for (i = 0; i < n && (int)json_array_size(arr) < limit; i++) {
		if (i == nt && !sorted) {
			qsort(hits, n, sizeof *hits, store_find_cmp);
			sorted = 1;
		}
		h = sorted ? &hits[i] : &top[i];
		/* A restricted contact is not processed (Art. 18). */
		if (store_contact_flags(s, h->contact, &restricted,
		    NULL) != 0 || restricted)
			continue;
		if ((conv = store_search_latest_conv(s, h->contact)) == 0)
			continue;
		if ((row = store_inbox_one(s, conv, agent_id, now,
		    window_hours)) == NULL)
			continue;
		json_object_set_new(row, "match", json_pack("{ss}", "kind",
		    h->score > MATCH_EXACT ? "phone" : "name"));
		json_array_append_new(arr, row);
	}
	free(top);
	free(hits);
	return (arr);
}

/* A message taken back (an undone send) leaves the index. */
void
store_search_forget_msg(struct store *s, int64_t msg_id)
{
	sqlite3_stmt	*st;

	if (s->search == NULL)
		return;
	store_search_join(s);
	st = MSTMT("DELETE FROM fts WHERE rowid = ?");
	sqlite3_bind_int64(st, 1, msg_id * 4 + DOC_MSG);
	store_step_done(s, st);
	st = MSTMT("DELETE FROM docs WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id * 4 + DOC_MSG);
	if (store_step_done(s, st) == 0)
		s->search->docs -= sqlite3_changes(s->search->db);
}

/* --- contacts by name (issue 15: contact.search, contact.list) --- */

static const struct store_name	*store_names_sort_base;

static int
store_names_by_name(const void *a, const void *b)
{
	const struct store_name	*x, *y;
	int			 c;

	x = &store_names_sort_base[*(const size_t *)a];
	y = &store_names_sort_base[*(const size_t *)b];
	if ((c = strcmp(store_name_fold(x), store_name_fold(y))) != 0)
		return (c);
	return (x->contact > y->contact ? -1 : x->contact < y->contact);
}

int
store_search_names(struct store *s, const char *q, int64_t offset,
    int64_t *out, int max)
{
	struct store_search	*ss = s->search;
	struct store_find_hit	*hits = NULL;
	size_t			 n = 0, cap = 0, i, *idx;
	char			 fq[MATCH_TEXT_MAX];
	int			 k = 0;

	if (ss == NULL || max <= 0)
		return (0);
	if (ss->names_stale)
		store_names_reload(s);
	if (q != NULL) {
		match_fold(q, fq, sizeof fq);
		store_find_names(s, fq, &hits, &n, &cap);
		sodium_memzero(fq, sizeof fq);
		/* A part of a word, not letters strewn over the name. */
		if (n > 0)
			qsort(hits, n, sizeof *hits, store_find_cmp);
		for (i = 0; i < n && k < max; i++) {
			if (hits[i].score >= MATCH_SUBSTR)
				out[k++] = hits[i].contact;
		}
		free(hits);
		return (k);
	}
	if (ss->nnames == 0 || (size_t)offset >= ss->nnames)
		return (0);
	idx = xcalloc(ss->nnames, sizeof *idx);
	for (i = 0; i < ss->nnames; i++)
		idx[i] = i;
	store_names_sort_base = ss->names;
	qsort(idx, ss->nnames, sizeof *idx, store_names_by_name);
	store_names_sort_base = NULL;
	for (i = (size_t)offset; i < ss->nnames && k < max; i++)
		out[k++] = ss->names[idx[i]].contact;
	free(idx);
	return (k);
}

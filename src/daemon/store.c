/*
 * The store's core: opening (and creating) the database and the key store,
 * migrations, the master-key check, transactions and savepoints, integrity
 * checks, and the statement, sealing and meta helpers that every
 * store-<noun>.c file uses (store-int.h); plus the counts for "status".
 * Each kind of row has its own file, store-<noun>.c.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	0
#include "store-int.h"
#include "store-schema.h"
#include "xmalloc.h"

sqlite3_stmt *
store_prep(struct store *s, sqlite3 *db, unsigned slot, const char *sql)
{
	sqlite3_stmt	*st;

	if (slot >= STORE_NSTMTS) {
		log_error("store: statement slot %u out of range", slot);
		abort();
	}
	if ((st = s->stmts[slot]) != NULL) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return (st);
	}
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		log_error("store: prepare failed: %s", sqlite3_errmsg(db));
		abort();	/* a bug in this file, not bad input */
	}
	s->stmts[slot] = st;
	return (st);
}

int
store_step_done(struct store *s, sqlite3_stmt *st)
{
	int	rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
		(void)s;
		return (-1);
	}
	return (0);
}

/*
 * Steps a write that a UNIQUE constraint may refuse, and resets it: 0 done,
 * 1 refused by the constraint (a name or key already taken), -1 error.
 */
int
store_step_unique(sqlite3_stmt *st)
{
	int	rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Steps a one-row lookup and resets it: 0 with the first one or two int64
 * columns in *a (and *b unless NULL), 1 when there is no row, -1 on error.
 */
enum store_found
store_row_int64(sqlite3_stmt *st, int64_t *a, int64_t *b)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		if (b != NULL)
			*b = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FOUND);
	return (rc == SQLITE_DONE ? STORE_NONE : STORE_ERROR);
}

int64_t
store_count(sqlite3_stmt *st)
{
	int64_t	n = -1;

	store_row_int64(st, &n, NULL);
	return (n);
}

void
store_bind_text_or_null(sqlite3_stmt *st, int col, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, v, -1, SQLITE_TRANSIENT);
}

void
store_bind_id_or_null(sqlite3_stmt *st, int col, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, v);
}

const char *
store_col_text(sqlite3_stmt *st, int col)
{
	return ((const char *)sqlite3_column_text(st, col));
}

int64_t
store_now_s(void)
{
	return ((int64_t)time(NULL));
}

/* --- opening and migrations --- */

static int
store_exec(sqlite3 *db, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		*cause = xasprintf("database error: %s",
		    err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

static int
store_migrate(sqlite3 *db, const char **steps, size_t nsteps, int *version,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 v = 0;
	size_t		 i;
	char		*sql;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK) {
		*cause = xasprintf("database error: %s", sqlite3_errmsg(db));
		return (-1);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v > (int)nsteps) {
		*cause = xasprintf("database schema version %d is newer than "
		    "this program (%zu); upgrade support-inbox", v, nsteps);
		return (-1);
	}
	for (i = (size_t)v; i < nsteps; i++) {
		if (store_exec(db, "BEGIN IMMEDIATE", cause) != 0)
			return (-1);
		if (store_exec(db, steps[i], cause) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
		sql = xasprintf("PRAGMA user_version = %zu", i + 1);
		if (store_exec(db, sql, cause) != 0 ||
		    store_exec(db, "COMMIT", cause) != 0) {
			free(sql);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
		free(sql);
	}
	*version = (int)nsteps;
	return (0);
}

/* Refuses statements that would rewrite the audit log or its guards. */
static int
store_authorizer(void *arg, int code, const char *a, const char *b,
    const char *c, const char *d)
{
	struct store	*s = arg;

	(void)b; (void)c; (void)d;
	switch (code) {
	case SQLITE_INSERT:
		/* The one-shot pruning gate: store_audit_prune only. */
		if (a != NULL && strcmp(a, "audit_prune_gate") == 0 &&
		    (s == NULL || !s->audit_prune))
			return (SQLITE_DENY);
		break;
	case SQLITE_DELETE:
		/* Whole segments only, by store_audit_prune. */
		if (s != NULL && s->audit_prune)
			break;
		/* FALLTHROUGH */
	case SQLITE_UPDATE:
		if (a != NULL && (strcmp(a, "audit") == 0 ||
		    strcmp(a, "audit_checkpoints") == 0 ||
		    strcmp(a, "audit_prune_gate") == 0))
			return (SQLITE_DENY);
		break;
	case SQLITE_DROP_TRIGGER:
		return (SQLITE_DENY);
	}
	return (SQLITE_OK);
}

static int
store_open_db(const char *path, sqlite3 **out, char **cause)
{
	sqlite3	*db;
	int	 flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
	mode_t	 old;

	old = umask(077);
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		umask(old);
		*cause = xasprintf("cannot open database '%s': %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return (-1);
	}
	umask(old);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (store_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA secure_delete = ON;"
	    /*
	     * 32 MiB of pages rather than SQLite's 2: the conversations, their
	     * indexes and the newest messages of 100,000 conversations stay
	     * in memory, and opening one is not a run of pread()s (a third
	     * of the daemon's time in a profile of the TUI benchmark).
	     */
	    "PRAGMA cache_size = -32768;", cause) != 0) {
		sqlite3_close(db);
		return (-1);
	}
	*out = db;
	return (0);
}

bool
store_has_db(const char *dir)
{
	char		*path;
	struct stat	 sb;
	int		 r;

	path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	r = stat(path, &sb) == 0;
	free(path);
	return (r);
}

/*
 * The store remembers a check value of its master key (a keyed hash of a
 * constant, which says nothing about the key): opened with another
 * installation's key, the daemon would show every customer as erased,
 * store new messages under a key the right one cannot read and break the
 * audit chain for good, so it stops instead. A store from before the check
 * proves its key by unwrapping one contact key first.
 */
static int
store_key_check(struct store *s, char **cause)
{
	uint8_t		 want[CRYPT_BLINDBYTES], dek[CRYPT_KEYBYTES];
	sqlite3_stmt	*st = NULL;
	int		 rc = -1, ok = 1;

	crypt_blind(s->crypt, "store-key-check", "support-inbox", want);
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = "
	    "'key_check'", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	if (sqlite3_step(st) == SQLITE_ROW) {
		ok = sqlite3_column_bytes(st, 0) == CRYPT_BLINDBYTES &&
		    sodium_memcmp(sqlite3_column_blob(st, 0), want,
		    CRYPT_BLINDBYTES) == 0;
		sqlite3_finalize(st);
		st = NULL;
		goto done;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->ks, "SELECT contact_id, key_id, wrapped "
	    "FROM contact_keys LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	if (sqlite3_step(st) == SQLITE_ROW) {
		ok = crypt_dek_unwrap(s->crypt, sqlite3_column_int64(st, 0),
		    (uint32_t)sqlite3_column_int64(st, 1),
		    sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2), dek) == 0;
		sodium_memzero(dek, sizeof dek);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (ok) {
		if (sqlite3_prepare_v2(s->db, "INSERT INTO meta (key, value) "
		    "VALUES ('key_check', ?)", -1, &st, NULL) != SQLITE_OK)
			goto sqlerr;
		sqlite3_bind_blob(st, 1, want, sizeof want, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlerr;
		sqlite3_finalize(st);
		st = NULL;
	}
done:
	if (!ok) {
		*cause = xasprintf("the master key is not this store's key "
		    "(its check value differs): with it, stored customers "
		    "would read as erased and new messages would be sealed "
		    "under the wrong key; give key_file the key this store "
		    "was created with (from your key backup)");
		goto out;
	}
	rc = 0;
	goto out;
sqlerr:
	*cause = xasprintf("cannot check the store's key: %s",
	    sqlite3_errmsg(s->db));
out:
	sqlite3_finalize(st);
	return (rc);
}

int
store_open(struct store *s, const char *dir, struct crypt *crypt,
    char **cause)
{
	char	*path;
	int	 v;

	memset(s, 0, sizeof *s);
	s->crypt = crypt;
	path = xasprintf("%s/%s", dir, STORE_DB_NAME);
	if (store_open_db(path, &s->db, cause) != 0) {
		free(path);
		return (-1);
	}
	free(path);
	path = xasprintf("%s/%s", dir, STORE_KS_NAME);
	if (store_open_db(path, &s->ks, cause) != 0) {
		free(path);
		sqlite3_close(s->db);
		return (-1);
	}
	free(path);
	if (store_migrate(s->db, store_migrations, sizeof store_migrations /
	    sizeof store_migrations[0], &v, cause) != 0 ||
	    store_migrate(s->ks, store_ks_migrations,
	    sizeof store_ks_migrations / sizeof store_ks_migrations[0], &v,
	    cause) != 0) {
		sqlite3_close(s->db);
		sqlite3_close(s->ks);
		return (-1);
	}
	if (crypt != NULL && store_key_check(s, cause) != 0) {
		sqlite3_close(s->db);
		sqlite3_close(s->ks);
		return (-1);
	}
	sqlite3_set_authorizer(s->db, store_authorizer, s);
	return (0);
}

void
store_close(struct store *s)
{
	size_t	i;

	for (i = 0; i < STORE_NSTMTS; i++)
		sqlite3_finalize(s->stmts[i]);
	if (s->deks != NULL) {
		sodium_memzero(s->deks, s->deks_cap * sizeof *s->deks);
		free(s->deks);
	}
	sqlite3_close(s->db);
	sqlite3_close(s->ks);
	memset(s, 0, sizeof *s);
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt	*st = STMT("PRAGMA user_version");
	int		 v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return (v);
}

/* --- transactions --- */

bool
store_has_txn(const struct store *s)
{
	return (s->db != NULL && sqlite3_get_autocommit(s->db) == 0);
}

int
store_begin(struct store *s)
{
	if (s->damaged && !s->audit_only)
		return (-1);	/* store_set_damaged logged why */
	if (store_has_txn(s)) {
		/* Transactions do not nest: one write path owns them. */
		log_error("store: begin inside an open transaction (a bug)");
		return (-1);
	}
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_error("store: begin: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	return (0);
}

/*
 * Whether the store takes writes now (/healthz): the write lock is taken
 * and given back, nothing written or synced. Another process holding the
 * lock is waited for wait_ms at most, not the busy timeout of the write
 * path: a probe every few seconds must not stop the event loop for five
 * of them (every client and webhook waits with it) while a backup or a
 * sqlite3 shell holds the lock. 0 if writable, -1 if not.
 */
int
store_writable(struct store *s, int wait_ms)
{
	int	rc;

	if (s->damaged)
		return (-1);
	if (store_has_txn(s))
		return (0);	/* ours, open: it takes writes */
	sqlite3_busy_timeout(s->db, wait_ms);
	rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	if (rc != SQLITE_OK)
		return (-1);
	store_rollback(s);
	return (0);
}

int
store_commit(struct store *s, char **cause)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*cause = xasprintf("database error: %s",
		    sqlite3_errmsg(s->db));
		store_rollback(s);
		return (-1);
	}
	if (s->txn_hook != NULL)
		s->txn_hook(s->txn_arg, 1);
	return (0);
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s->txn_hook != NULL)
		s->txn_hook(s->txn_arg, 0);
}

/* --- integrity --- */

#define STORE_CHECK_MAX	100	/* problem lines kept */

struct store_check_clock {
	int64_t	deadline;	/* ms, monotonic; 0: none */
	int	expired;
};

static int64_t
store_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
store_check_progress(void *arg)
{
	struct store_check_clock	*c = arg;

	if (c->deadline != 0 && store_mono_ms() > c->deadline) {
		c->expired = 1;
		return (1);	/* interrupts the statement */
	}
	return (0);
}

/* A report row may hold several lines: one problem each, headers dropped. */
static void
store_check_lines(json_t *problems, const char *name, const char *row)
{
	const char	*nl;
	size_t		 len;

	while (*row != '\0' && json_array_size(problems) < STORE_CHECK_MAX) {
		nl = strchr(row, '\n');
		len = nl != NULL ? (size_t)(nl - row) : strlen(row);
		if (len > 0 && strncmp(row, "***", 3) != 0)
			json_array_append_new(problems, json_sprintf("%s: %.*s",
			    name, (int)len, row));
		row += len + (nl != NULL);
	}
}

/* One database: 0 ok, 1 damaged, 2 interrupted, -1 other error. */
static int
store_check_db(sqlite3 *db, const char *name, const char *pragma,
    int64_t budget_ms, json_t *problems)
{
	struct store_check_clock	 clock = { 0, 0 };
	sqlite3_stmt			*st = NULL;
	const char			*row;
	int				 rc, r = 0;

	if (budget_ms > 0)
		clock.deadline = store_mono_ms() + budget_ms;
	sqlite3_progress_handler(db, 10000, store_check_progress, &clock);
	if ((rc = sqlite3_prepare_v2(db, pragma, -1, &st, NULL)) != SQLITE_OK)
		st = NULL;
	while (st != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = (const char *)sqlite3_column_text(st, 0);
		if (row == NULL || strcmp(row, "ok") == 0)
			continue;
		r = 1;
		store_check_lines(problems, name, row);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK) {
		if (clock.expired)
			r = r == 1 ? 1 : 2;
		else {
			/* A damaged file can make the check itself fail. */
			json_array_append_new(problems, json_sprintf("%s: %s",
			    name, sqlite3_errmsg(db)));
			r = (rc & 0xff) == SQLITE_CORRUPT ||
			    (rc & 0xff) == SQLITE_NOTADB ? 1 : -1;
		}
	}
	sqlite3_finalize(st);
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return (r);
}

static int
store_check_merge(int a, int b)
{
	if (a == 1 || b == 1)
		return (1);
	if (a == -1 || b == -1)
		return (-1);
	return (a > b ? a : b);
}

int
store_check(struct store *s, int64_t budget_ms, json_t *problems)
{
	int64_t	t0 = store_mono_ms(), left;
	int	r;

	r = store_check_db(s->db, STORE_DB_NAME, "PRAGMA quick_check",
	    budget_ms, problems);
	if (r == 2)
		return (r);
	left = budget_ms > 0 ? budget_ms - (store_mono_ms() - t0) : 0;
	if (budget_ms > 0 && left <= 0)
		return (store_check_merge(r, 2));
	return (store_check_merge(r, store_check_db(s->ks, STORE_KS_NAME,
	    "PRAGMA quick_check", left, problems)));
}

int
store_check_files(const char *dir, json_t *problems, char **cause)
{
	const char	*names[] = { STORE_DB_NAME, STORE_KS_NAME };
	sqlite3		*db;
	char		*path;
	size_t		 i;
	int		 r = 0, one;

	for (i = 0; i < 2; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
			*cause = xasprintf("cannot open '%s': %s", path,
			    db != NULL ? sqlite3_errmsg(db) : "out of memory");
			sqlite3_close(db);
			free(path);
			return (-1);
		}
		free(path);
		sqlite3_busy_timeout(db, STORE_BUSY_MS);
		one = store_check_db(db, names[i], "PRAGMA integrity_check", 0,
		    problems);
		sqlite3_close(db);
		if (one == -1 && r != 1) {
			*cause = xstrdup(json_string_value(json_array_get(
			    problems, json_array_size(problems) - 1)));
			return (-1);
		}
		r = store_check_merge(r, one);
	}
	return (r);
}

void
store_set_damaged(struct store *s)
{
	s->damaged = 1;
}

int
store_savepoint(struct store *s)
{
	if (sqlite3_exec(s->db, "SAVEPOINT req", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_error("store: savepoint: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	store_search_savepoint(s, "SAVEPOINT req");
	return (0);
}

int
store_savepoint_release(struct store *s)
{
	if (sqlite3_exec(s->db, "RELEASE req", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_error("store: release: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	store_search_savepoint(s, "RELEASE req");
	return (0);
}

int
store_savepoint_undo(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) ||
	    sqlite3_exec(s->db, "ROLLBACK TO req", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sqlite3_exec(s->db, "RELEASE req", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		/* The whole transaction went (and the hook took the index's). */
		store_rollback(s);
		return (-1);
	}
	store_search_savepoint(s, "ROLLBACK TO req");
	store_search_savepoint(s, "RELEASE req");
	return (0);
}

/* --- sealing helpers --- */

int
store_bind_sealed(struct store *s, sqlite3_stmt *st, int col,
    const uint8_t *key, const char *table, const char *column, int64_t row,
    const char *text, size_t len)
{
	uint8_t	*ct;
	size_t	 ctlen;

	(void)s;
	if (text == NULL)
		return (sqlite3_bind_null(st, col));
	crypt_seal(key, 1, table, column, row, text, len, &ct, &ctlen);
	return (sqlite3_bind_blob(st, col, ct, (int)ctlen, free));
}

/* Opens a sealed column into an allocated string, or NULL. */
char *
store_col_open(sqlite3_stmt *st, int col, const uint8_t *key,
    const char *table, const char *column, int64_t row)
{
	char	*out;
	size_t	 len;

	if (key == NULL || sqlite3_column_type(st, col) != SQLITE_BLOB)
		return (NULL);
	if (crypt_unseal(key, table, column, row, sqlite3_column_blob(st, col),
	    (size_t)sqlite3_column_bytes(st, col), &out, &len) != 0)
		return (NULL);
	return (out);
}

void
store_blind(struct store *s, const char *kind, const char *id, uint8_t *out)
{
	crypt_blind(s->crypt, kind, id, out);
}

/* --- meta --- */

int64_t
store_meta_int(struct store *s, const char *key)
{
	sqlite3_stmt	*st;
	int64_t		 v = 0;

	st = STMT("SELECT value FROM meta WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (v);
}

int
store_meta_del(struct store *s, const char *key)
{
	sqlite3_stmt	*st;

	st = STMT("DELETE FROM meta WHERE key = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	return (store_step_done(s, st));
}

/* --- status --- */

json_t *
store_stats(struct store *s)
{
	json_t	*j;

	j = json_object();
	json_object_set_new(j, "agents", json_integer(store_count(
	    STMT("SELECT count(*) FROM agents WHERE active"))));
	json_object_set_new(j, "contacts", json_integer(store_count(
	    STMT("SELECT count(*) FROM contacts"))));
	json_object_set_new(j, "conversations", json_integer(store_count(
	    STMT("SELECT count(*) FROM conversations"))));
	json_object_set_new(j, "messages", json_integer(store_count(
	    STMT("SELECT count(*) FROM messages"))));
	json_object_set_new(j, "raw_events", json_integer(store_count(
	    STMT("SELECT count(*) FROM raw_events"))));
	json_object_set_new(j, "quarantined", json_integer(store_count(
	    STMT("SELECT count(*) FROM raw_events "
	    "WHERE state = 'quarantined'"))));
	json_object_set_new(j, "pending_statuses", json_integer(store_count(
	    STMT("SELECT count(*) FROM statuses st WHERE NOT EXISTS "
	    "(SELECT 1 FROM messages m WHERE m.wamid_blind = st.wamid_blind)"
	    ))));
	json_object_set_new(j, "alerts", json_integer(store_count(
	    STMT("SELECT count(*) FROM alerts"))));
	json_object_set_new(j, "outbox_pending", json_integer(store_count(
	    STMT("SELECT count(*) FROM outbox "
	    "WHERE state IN ('queued','sending')"))));
	json_object_set_new(j, "audit_records", json_integer(store_count(
	    STMT("SELECT count(*) FROM audit"))));
	return (j);
}

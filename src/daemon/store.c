/*
 * The only file with SQL. Everything personal is sealed here (crypt.h) with
 * the contact's data key, bound to table, column and row, before SQLite sees
 * it; callers pass and get clear values and JSON.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "buf.h"
#include "log.h"
#include "store.h"
#define STORE_SLOT_BASE	0
#include "store-int.h"
#include "store-schema.h"
#include "wa.h"
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
int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
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
	sqlite3_busy_timeout(db, 5000);
	if (store_exec(db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA secure_delete = ON;", cause) != 0) {
		sqlite3_close(db);
		return (-1);
	}
	*out = db;
	return (0);
}

int
store_exists(const char *dir)
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

int
store_begin(struct store *s)
{
	if (s->damaged && !s->audit_only)
		return (-1);	/* store_set_damaged logged why */
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_error("store: begin: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	s->in_txn = 1;
	return (0);
}

int
store_commit(struct store *s, char **cause)
{
	if (s->fail_commit) {
		s->fail_commit = 0;
		store_rollback(s);
		*cause = xstrdup("database error: injected commit failure");
		return (-1);
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*cause = xasprintf("database error: %s",
		    sqlite3_errmsg(s->db));
		store_rollback(s);
		return (-1);
	}
	s->in_txn = 0;
	if (s->txn_hook != NULL)
		s->txn_hook(s->txn_arg, 1);
	return (0);
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
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
		sqlite3_busy_timeout(db, 5000);
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

/* --- data keys --- */

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

/* --- agents --- */

static void
store_agent_row(sqlite3_stmt *st, struct store_agent *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->uid = sqlite3_column_int64(st, 1);
	snprintf(a->name, sizeof a->name, "%s",
	    (const char *)sqlite3_column_text(st, 2));
	snprintf(a->role, sizeof a->role, "%s",
	    (const char *)sqlite3_column_text(st, 3));
	a->active = sqlite3_column_int(st, 4);
	snprintf(a->team, sizeof a->team, "%s", sqlite3_column_type(st, 5) ==
	    SQLITE_NULL ? "" : (const char *)sqlite3_column_text(st, 5));
}

#define AGENT_COLS "id, uid, name, role, active, team"

int
store_agent_add(struct store *s, int64_t uid, const char *name,
    const char *role, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = STMT("INSERT INTO agents (uid, name, role, created) "
	    "VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, uid);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, store_now_s());
	rc = store_step_unique(st);
	if (rc == 1) {
		*cause = xasprintf("agent '%s' already exists", name);
		return (-1);
	}
	if (rc != 0) {
		*cause = xasprintf("database error: %s", sqlite3_errmsg(s->db));
		return (-1);
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(s->db);
	return (0);
}

static int
store_agent_one(sqlite3_stmt *st, struct store_agent *a)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		store_agent_row(st, a);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? 1 : -1;
	sqlite3_reset(st);
	return (rc);
}

int
store_agent_by_uid(struct store *s, int64_t uid, struct store_agent *a)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT " AGENT_COLS " FROM agents WHERE uid = ?");
	sqlite3_bind_int64(st, 1, uid);
	return (store_agent_one(st, a));
}

int
store_agent_by_name(struct store *s, const char *name, struct store_agent *a)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT " AGENT_COLS " FROM agents WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	return (store_agent_one(st, a));
}

json_t *
store_agent_list(struct store *s)
{
	sqlite3_stmt		*st;
	struct store_agent	 a;
	json_t			*arr;

	arr = json_array();
	st = STMT("SELECT " AGENT_COLS " FROM agents ORDER BY name");
	while (sqlite3_step(st) == SQLITE_ROW) {
		store_agent_row(st, &a);
		json_array_append_new(arr, json_pack("{sI sI ss ss sb}",
		    "id", (json_int_t)a.id, "uid", (json_int_t)a.uid,
		    "name", a.name, "role", a.role, "active", a.active));
	}
	sqlite3_reset(st);
	return (arr);
}

int
store_agent_set(struct store *s, int64_t id, const char *role, int active)
{
	sqlite3_stmt	*st;

	if (role != NULL) {
		st = STMT("UPDATE agents SET role = ? WHERE id = ?");
		sqlite3_bind_text(st, 1, role, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, id);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	if (active != -1) {
		st = STMT("UPDATE agents SET active = ? WHERE id = ?");
		sqlite3_bind_int(st, 1, active);
		sqlite3_bind_int64(st, 2, id);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	return (0);
}

int64_t
store_count(sqlite3_stmt *st)
{
	int64_t	n = -1;

	store_row_int64(st, &n, NULL);
	return (n);
}

int64_t
store_agent_count(struct store *s)
{
	return (store_count(STMT("SELECT count(*) FROM agents")));
}

/* --- audit --- */

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

const char *
store_col_text(sqlite3_stmt *st, int col)
{
	return ((const char *)sqlite3_column_text(st, col));
}

int
store_audit_each(struct store *s, int64_t from,
    int (*fn)(const struct store_audit_row *, void *), void *arg)
{
	sqlite3_stmt		*st;
	struct store_audit_row	 r;
	int			 rc = 0;

	st = STMT("SELECT seq, ts_ms, agent_id, agent, action, object_type, "
	    "object_id, contact_id, purpose, client, result, detail_enc, "
	    "prev_hash, hash, purpose_enc FROM audit WHERE seq >= ? "
	    "ORDER BY seq");
	sqlite3_bind_int64(st, 1, from);
	while (sqlite3_step(st) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.seq = sqlite3_column_int64(st, 0);
		r.ts_ms = sqlite3_column_int64(st, 1);
		r.agent_id = sqlite3_column_int64(st, 2);
		r.agent = store_col_text(st, 3);
		r.action = store_col_text(st, 4);
		r.object_type = store_col_text(st, 5);
		r.object_id = sqlite3_column_int64(st, 6);
		r.contact_id = sqlite3_column_int64(st, 7);
		r.purpose = store_col_text(st, 8);
		r.client = store_col_text(st, 9);
		r.result = store_col_text(st, 10);
		r.detail = sqlite3_column_blob(st, 11);
		r.detail_len = (size_t)sqlite3_column_bytes(st, 11);
		if (sqlite3_column_bytes(st, 12) == 32)
			memcpy(r.prev_hash, sqlite3_column_blob(st, 12), 32);
		if (sqlite3_column_bytes(st, 13) == 32)
			memcpy(r.hash, sqlite3_column_blob(st, 13), 32);
		if (sqlite3_column_type(st, 14) == SQLITE_BLOB) {
			r.purpose_enc = sqlite3_column_blob(st, 14);
			r.purpose_enc_len = (size_t)sqlite3_column_bytes(st,
			    14);
		}
		if (r.agent == NULL)
			r.agent = "";
		if (r.action == NULL)
			r.action = "";
		if (r.result == NULL)
			r.result = "";
		if ((rc = fn(&r, arg)) != 0)
			break;
	}
	sqlite3_reset(st);
	return (rc);
}

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

int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

int
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
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

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

/* --- raw webhook events --- */

int
store_raw_insert(struct store *s, const char *body, size_t len,
    int quarantined, const char *cause, int64_t now, int64_t *id)
{
	sqlite3_stmt	*st;
	int64_t		 rid;

	st = STMT("INSERT INTO raw_events (received, state, cause, body_enc) "
	    "VALUES (?, ?, ?, x'')");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, quarantined ? "quarantined" : "ok", -1,
	    SQLITE_STATIC);
	store_bind_text_or_null(st, 3, cause);
	if (store_step_done(s, st) != 0)
		return (-1);
	rid = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE raw_events SET body_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, crypt_subkey(s->crypt, CRYPT_RAWEVENT),
	    "raw_events", "body", rid, body, len);
	sqlite3_bind_int64(st, 2, rid);
	if (store_step_done(s, st) != 0)
		return (-1);
	*id = rid;
	return (0);
}

int
store_raw_quarantined(struct store *s, int (*fn)(int64_t, const char *,
    size_t, void *), void *arg)
{
	sqlite3_stmt	*st;
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	char		*body;
	size_t		 len;
	int		 rc = 0;

	st = STMT("SELECT id FROM raw_events WHERE state = 'quarantined' "
	    "ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof *ids);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	for (i = 0; i < n && rc >= 0; i++) {
		st = STMT("SELECT body_enc FROM raw_events WHERE id = ?");
		sqlite3_bind_int64(st, 1, ids[i]);
		body = NULL;
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) == SQLITE_BLOB &&
		    crypt_unseal(crypt_subkey(s->crypt, CRYPT_RAWEVENT),
		    "raw_events", "body", ids[i], sqlite3_column_blob(st, 0),
		    (size_t)sqlite3_column_bytes(st, 0), &body, &len) != 0)
			body = NULL;
		sqlite3_reset(st);
		if (body == NULL)
			continue;
		rc = fn(ids[i], body, len, arg);
		crypt_wipe_free(body, len);
	}
	free(ids);
	return (rc < 0 ? -1 : 0);
}

int
store_raw_mark(struct store *s, int64_t id, const char *state)
{
	sqlite3_stmt	*st;

	st = STMT("UPDATE raw_events SET state = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

int
store_raw_link_contact(struct store *s, int64_t raw_id, int64_t contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT OR IGNORE INTO raw_event_contacts "
	    "(raw_id, contact_id) VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, raw_id);
	sqlite3_bind_int64(st, 2, contact_id);
	return (store_step_done(s, st));
}

/* --- contacts --- */

int
store_contact_by_blind(struct store *s, const char *kind, const char *id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];

	store_blind(s, kind, id, bl);
	if (strcmp(kind, "wa") == 0)
		st = STMT("SELECT id FROM contacts WHERE wa_blind = ?");
	else
		st = STMT("SELECT id FROM contacts WHERE bsuid_blind = ?");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	return (store_row_int64(st, contact_id, NULL));
}

/* Sets one identity or profile column (blind + sealed value). */
static int
store_contact_set(struct store *s, int64_t cid, const char *what,
    const char *value)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];

	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	if (strcmp(what, "wa_id") == 0) {
		st = STMT("UPDATE contacts SET wa_blind = ?, wa_id_enc = ? "
		    "WHERE id = ?");
		store_blind(s, "wa", value, bl);
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	} else if (strcmp(what, "user_id") == 0) {
		st = STMT("UPDATE contacts SET bsuid_blind = ?, "
		    "user_id_enc = ? WHERE id = ?");
		store_blind(s, "bsuid", value, bl);
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	} else if (strcmp(what, "name") == 0) {
		st = STMT("UPDATE contacts SET updated = ?1, name_enc = ? "
		    "WHERE id = ?");
		sqlite3_bind_int64(st, 1, store_now_s());
	} else {
		st = STMT("UPDATE contacts SET updated = ?1, username_enc = ? "
		    "WHERE id = ?");
		sqlite3_bind_int64(st, 1, store_now_s());
	}
	store_bind_sealed(s, st, 2, key, "contacts", what, cid, value,
	    strlen(value));
	sqlite3_bind_int64(st, 3, cid);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (strcmp(what, "name") == 0)
		store_search_rename(s, cid, value);
	return (0);
}

static int
store_contact_field_equals(struct store *s, int64_t cid, const char *what,
    const char *value)
{
	sqlite3_stmt	*st;
	char		*cur;
	int		 eq;

	if (strcmp(what, "name") == 0)
		st = STMT("SELECT name_enc FROM contacts WHERE id = ?");
	else
		st = STMT("SELECT username_enc FROM contacts WHERE id = ?");
	sqlite3_bind_int64(st, 1, cid);
	cur = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		cur = store_col_open(st, 0, store_dek(s, cid), "contacts",
		    what, cid);
	sqlite3_reset(st);
	eq = cur != NULL && strcmp(cur, value) == 0;
	if (cur != NULL)
		crypt_wipe_free(cur, strlen(cur));
	return (eq);
}

int
store_contact_upsert(struct store *s, const struct store_contact_in *in,
    int64_t now, int64_t *contact_id, int *created)
{
	sqlite3_stmt	*st;
	int64_t		 cid = 0, other;
	int		 rc = 1;

	*created = 0;
	if (in->wa_id == NULL && in->user_id == NULL)
		return (-1);
	if (in->wa_id != NULL &&
	    (rc = store_contact_by_blind(s, "wa", in->wa_id, &cid)) < 0)
		return (-1);
	if (rc == 1 && in->user_id != NULL &&
	    (rc = store_contact_by_blind(s, "bsuid", in->user_id, &cid)) < 0)
		return (-1);
	if (rc == 1) {
		st = STMT("INSERT INTO contacts (created, updated) "
		    "VALUES (?, ?)");
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, now);
		if (store_step_done(s, st) != 0)
			return (-1);
		cid = sqlite3_last_insert_rowid(s->db);
		if (store_dek_create(s, cid) != 0)
			return (-1);
		*created = 1;
	}
	/* Fill in an identifier we learn later (phone after BSUID or back). */
	if (in->wa_id != NULL && (*created ||
	    store_contact_by_blind(s, "wa", in->wa_id, &other) == 1)) {
		if (store_contact_set(s, cid, "wa_id", in->wa_id) != 0)
			return (-1);
	}
	if (in->user_id != NULL && (*created ||
	    store_contact_by_blind(s, "bsuid", in->user_id, &other) == 1)) {
		if (store_contact_set(s, cid, "user_id", in->user_id) != 0)
			return (-1);
	}
	if (in->name != NULL && (*created ||
	    !store_contact_field_equals(s, cid, "name", in->name))) {
		if (store_contact_set(s, cid, "name", in->name) != 0)
			return (-1);
	}
	if (in->username != NULL && (*created ||
	    !store_contact_field_equals(s, cid, "username", in->username))) {
		if (store_contact_set(s, cid, "username", in->username) != 0)
			return (-1);
	}
	*contact_id = cid;
	return (0);
}

int
store_contact_move_identity(struct store *s, const char *old_wa_id,
    const char *new_wa_id, const char *old_user_id, const char *new_user_id,
    int64_t now)
{
	int64_t	cid = 0, other;
	int	rc = 1;

	(void)now;
	if (old_wa_id != NULL)
		rc = store_contact_by_blind(s, "wa", old_wa_id, &cid);
	if (rc == 1 && old_user_id != NULL)
		rc = store_contact_by_blind(s, "bsuid", old_user_id, &cid);
	if (rc == 1 && new_user_id != NULL)
		rc = store_contact_by_blind(s, "bsuid", new_user_id, &cid);
	if (rc != 0)
		return (rc < 0 ? -1 : 1);	/* nobody to move */
	/* Only take over identifiers nobody else holds: never merge silently. */
	if (new_wa_id != NULL &&
	    store_contact_by_blind(s, "wa", new_wa_id, &other) == 1 &&
	    store_contact_set(s, cid, "wa_id", new_wa_id) != 0)
		return (-1);
	if (new_user_id != NULL &&
	    store_contact_by_blind(s, "bsuid", new_user_id, &other) == 1 &&
	    store_contact_set(s, cid, "user_id", new_user_id) != 0)
		return (-1);
	return (0);
}

/* Digits of a phone number given as "+49 151 2345-678" and the like. */
static int
store_phone_digits(const char *in, char *out, size_t outsz)
{
	size_t	n = 0;

	for (; *in != '\0'; in++) {
		if (*in >= '0' && *in <= '9') {
			if (n + 1 >= outsz)
				return (-1);
			out[n++] = *in;
		} else if (*in != '+' && *in != ' ' && *in != '-' &&
		    *in != '(' && *in != ')' && *in != '.')
			return (-1);
	}
	out[n] = '\0';
	return (n >= 5 ? 0 : -1);
}

int
store_contact_find(struct store *s, const char *id, int64_t *contact_id)
{
	char	digits[32];
	int	rc;

	if (store_phone_digits(id, digits, sizeof digits) == 0 &&
	    (rc = store_contact_by_blind(s, "wa", digits, contact_id)) != 1)
		return (rc);
	return (store_contact_by_blind(s, "bsuid", id, contact_id));
}

/* --- conversations --- */

int
store_conv_for_inbound(struct store *s, int64_t contact_id,
    const char *phone_number_id, int reopen_new, int64_t ts,
    int64_t *conv_id, const char **what)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;
	char		 state[16] = "";
	int		 rc;

	st = STMT("SELECT id, state FROM conversations WHERE contact_id = ? "
	    "ORDER BY id DESC LIMIT 1");
	sqlite3_bind_int64(st, 1, contact_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(state, sizeof state, "%s", store_col_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	*what = "existing";
	if (id != 0 && strcmp(state, "resolved") == 0 && !reopen_new) {
		st = STMT("UPDATE conversations SET state = 'open', "
		    "resolved_at = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = "reopened";
	} else if (id != 0 && strcmp(state, "snoozed") == 0) {
		st = STMT("UPDATE conversations SET state = 'open', "
		    "snooze_until = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = "woken";
	} else if (id == 0 || strcmp(state, "resolved") == 0) {
		st = STMT("INSERT INTO conversations (contact_id, "
		    "phone_number_id, created) VALUES (?, ?, ?)");
		sqlite3_bind_int64(st, 1, contact_id);
		store_bind_text_or_null(st, 2, phone_number_id);
		sqlite3_bind_int64(st, 3, ts);
		if (store_step_done(s, st) != 0)
			return (-1);
		*what = id == 0 ? "created" : "new-after-resolved";
		id = sqlite3_last_insert_rowid(s->db);
	}
	*conv_id = id;
	return (0);
}

int
store_conv_contact(struct store *s, int64_t conv_id, int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT contact_id FROM conversations WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_row_int64(st, contact_id, NULL));
}

int
store_msg_where(struct store *s, int64_t msg_id, int64_t *conv_id,
    int64_t *contact_id)
{
	sqlite3_stmt	*st;

	st = STMT("SELECT conversation_id, contact_id FROM messages "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, msg_id);
	return (store_row_int64(st, conv_id, contact_id));
}

/* --- messages and statuses --- */

int
store_msg_apply_pending(struct store *s, int64_t msg_id,
    const uint8_t *blind)
{
	sqlite3_stmt	*st;

	/* Statuses that came before their message: the highest wins. */
	st = STMT("UPDATE messages SET (status, status_ts, error_code, "
	    "error_title) = (SELECT status, ts, error_code, error_title "
	    "FROM statuses WHERE wamid_blind = ?1 AND status <= 5 "
	    "ORDER BY status DESC LIMIT 1) WHERE id = ?2 AND EXISTS "
	    "(SELECT 1 FROM statuses WHERE wamid_blind = ?1 AND status <= 5 "
	    "AND status > messages.status)");
	sqlite3_bind_blob(st, 1, blind, CRYPT_BLINDBYTES, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, msg_id);
	return (store_step_done(s, st));
}

int
store_msg_insert(struct store *s, const struct store_msg_in *m, int64_t now,
    int64_t *msg_id)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	char		*body;
	int64_t		 id;
	int		 rc;

	if ((key = store_dek(s, m->contact_id)) == NULL)
		return (-1);
	if (m->wamid != NULL) {
		store_blind(s, "wamid", m->wamid, bl);
		st = STMT("SELECT id FROM messages WHERE wamid_blind = ?");
		sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && msg_id != NULL)
			*msg_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc == SQLITE_ROW)
			return (1);
		if (rc != SQLITE_DONE)
			return (-1);
	}
	st = STMT("INSERT INTO messages (conversation_id, contact_id, "
	    "wamid_blind, direction, type, supported, ts, received, status, "
	    "agent_id) VALUES (?,?,?,?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, m->conv_id);
	sqlite3_bind_int64(st, 2, m->contact_id);
	if (m->wamid != NULL)
		sqlite3_bind_blob(st, 3, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, m->outbound ? "out" : "in", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 6, m->supported);
	sqlite3_bind_int64(st, 7, m->ts);
	sqlite3_bind_int64(st, 8, now);
	sqlite3_bind_int(st, 9, m->status);
	store_bind_id_or_null(st, 10, m->agent_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	id = sqlite3_last_insert_rowid(s->db);

	body = m->body != NULL ? json_dumps(m->body, JSON_COMPACT) : NULL;
	st = STMT("UPDATE messages SET wamid_enc = ?, body_enc = ? "
	    "WHERE id = ?");
	if (m->wamid != NULL)
		store_bind_sealed(s, st, 1, key, "messages", "wamid", id,
		    m->wamid, strlen(m->wamid));
	store_bind_sealed(s, st, 2, key, "messages", "body", id, body,
	    body != NULL ? strlen(body) : 0);
	sqlite3_bind_int64(st, 3, id);
	if (body != NULL)
		crypt_wipe_free(body, strlen(body));
	if (store_step_done(s, st) != 0)
		return (-1);
	if (m->wamid != NULL && store_msg_apply_pending(s, id, bl) != 0)
		return (-1);

	/* What the views sort and show, so no view reads the messages. */
	st = STMT("UPDATE conversations SET "
	    "last_msg_at = max(last_msg_at, ?2), last_msg_id = ?3, "
	    "last_inbound_at = CASE WHEN ?4 THEN max(last_inbound_at, ?2) "
	    "  ELSE last_inbound_at END, "
	    "unread = unread + ?4, preview_enc = ?5 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, m->conv_id);
	sqlite3_bind_int64(st, 2, m->ts);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int(st, 4, m->outbound ? 0 : 1);
	store_bind_sealed(s, st, 5, key, "conversations", "preview",
	    m->conv_id, m->preview != NULL ? m->preview : "",
	    m->preview != NULL ? strlen(m->preview) : 0);
	if (store_step_done(s, st) != 0)
		return (-1);
	store_search_msg(s, id, m);	/* store-search.c */
	if (msg_id != NULL)
		*msg_id = id;
	return (0);
}

static int
store_msg_by_wamid(struct store *s, const char *wamid, int64_t *id,
    int64_t *contact_id, uint8_t *bl)
{
	sqlite3_stmt	*st;

	store_blind(s, "wamid", wamid, bl);
	st = STMT("SELECT id, contact_id FROM messages WHERE wamid_blind = ?");
	sqlite3_bind_blob(st, 1, bl, CRYPT_BLINDBYTES, SQLITE_TRANSIENT);
	return (store_row_int64(st, id, contact_id));
}

int
store_msg_amend(struct store *s, const char *target, const char *what,
    json_t *data, int64_t now)
{
	sqlite3_stmt	*st;
	const uint8_t	*key;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 id, cid;
	char		*extra, *cur;
	json_t		*ex, *list;
	int		 rc;

	if ((rc = store_msg_by_wamid(s, target, &id, &cid, bl)) != 0)
		return (rc);	/* 1: unknown target, nothing to amend */
	if ((key = store_dek(s, cid)) == NULL)
		return (-1);
	st = STMT("SELECT extra_enc FROM messages WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	cur = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		cur = store_col_open(st, 0, key, "messages", "extra", id);
	sqlite3_reset(st);
	ex = cur != NULL ? json_loads(cur, 0, NULL) : NULL;
	if (cur != NULL)
		crypt_wipe_free(cur, strlen(cur));
	if (ex == NULL || !json_is_object(ex)) {
		json_decref(ex);
		ex = json_object();
	}
	/* Reactions keep the latest per direction; edits and revokes stack. */
	if (strcmp(what, "reaction") == 0)
		json_object_set(ex, "reaction", data);
	else {
		if ((list = json_object_get(ex, what)) == NULL) {
			list = json_array();
			json_object_set_new(ex, what, list);
		}
		json_array_append(list, data);
	}
	json_object_set_new(ex, "amended", json_integer(now));
	extra = json_dumps(ex, JSON_COMPACT);
	json_decref(ex);
	st = STMT("UPDATE messages SET extra_enc = ?, "
	    "edited = edited OR ?3, revoked = revoked OR ?4 WHERE id = ?2");
	store_bind_sealed(s, st, 1, key, "messages", "extra", id, extra,
	    strlen(extra));
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int(st, 3, strcmp(what, "edits") == 0);
	sqlite3_bind_int(st, 4, strcmp(what, "revokes") == 0);
	crypt_wipe_free(extra, strlen(extra));
	return (store_step_done(s, st));
}

int
store_status_apply(struct store *s, const char *wamid, int status,
    int64_t ts, int64_t err_code, const char *err_title,
    const char *err_detail, int64_t now, int *changed)
{
	sqlite3_stmt	*st;
	uint8_t		 bl[CRYPT_BLINDBYTES];
	int64_t		 sid;

	*changed = 0;
	store_blind(s, "wamid", wamid, bl);
	st = STMT("INSERT OR IGNORE INTO statuses (wamid_blind, status, ts, "
	    "error_code, error_title, received) VALUES (?,?,?,?,?,?)");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, status);
	sqlite3_bind_int64(st, 3, ts);
	store_bind_id_or_null(st, 4, err_code);
	store_bind_text_or_null(st, 5, err_title);
	sqlite3_bind_int64(st, 6, now);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (sqlite3_changes(s->db) == 0)
		return (0);	/* the same status again: nothing changes */
	sid = sqlite3_last_insert_rowid(s->db);
	if (err_detail != NULL) {
		st = STMT("UPDATE statuses SET detail_enc = ? WHERE id = ?");
		store_bind_sealed(s, st, 1,
		    crypt_subkey(s->crypt, CRYPT_FIELDKEY), "statuses",
		    "detail", sid, err_detail, strlen(err_detail));
		sqlite3_bind_int64(st, 2, sid);
		if (store_step_done(s, st) != 0)
			return (-1);
	}
	if (status > WA_ST_FAILED)
		return (0);
	/* Monotonic: only a higher state moves it; failed is terminal. */
	st = STMT("UPDATE messages SET status = ?2, status_ts = ?3, "
	    "error_code = ?4, error_title = ?5 "
	    "WHERE wamid_blind = ?1 AND status < ?2");
	sqlite3_bind_blob(st, 1, bl, sizeof bl, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, status);
	sqlite3_bind_int64(st, 3, ts);
	store_bind_id_or_null(st, 4, err_code);
	store_bind_text_or_null(st, 5, err_title);
	if (store_step_done(s, st) != 0)
		return (-1);
	*changed = sqlite3_changes(s->db) > 0;
	return (0);
}

int
store_consent_add(struct store *s, int64_t contact_id, const char *purpose,
    int opt_in, const char *source, int64_t evidence_msg_id,
    const char *text_version, int64_t ts)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO consent (contact_id, purpose, opt_in, ts, "
	    "source, evidence_msg_id, text_version) VALUES (?,?,?,?,?,?,?)");
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_text(st, 2, purpose, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, opt_in);
	sqlite3_bind_int64(st, 4, ts);
	sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
	store_bind_id_or_null(st, 6, evidence_msg_id);
	store_bind_text_or_null(st, 7, text_version);
	return (store_step_done(s, st));
}

int
store_template_event(struct store *s, const char *template_id,
    const char *name, const char *language, const char *event,
    const char *quality, const char *category, int64_t now)
{
	sqlite3_stmt	*st;

	if (name == NULL)
		return (0);
	st = STMT("INSERT INTO templates (meta_id, name, language, category, "
	    "status, quality, updated) VALUES (?1, ?2, coalesce(?3, ''), ?6, "
	    "?4, ?5, ?7) ON CONFLICT (name, language) DO UPDATE SET "
	    "meta_id = coalesce(?1, meta_id), status = coalesce(?4, status), "
	    "quality = coalesce(?5, quality), "
	    "category = coalesce(?6, category), updated = ?7");
	store_bind_text_or_null(st, 1, template_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	store_bind_text_or_null(st, 3, language);
	store_bind_text_or_null(st, 4, event);
	store_bind_text_or_null(st, 5, quality);
	store_bind_text_or_null(st, 6, category);
	sqlite3_bind_int64(st, 7, now);
	return (store_step_done(s, st));
}

int
store_alert_add(struct store *s, const char *kind, int64_t code,
    const char *title, const char *detail, int64_t now)
{
	sqlite3_stmt	*st;
	int64_t		 id;

	st = STMT("INSERT INTO alerts (ts, kind, code, title) "
	    "VALUES (?, ?, ?, ?)");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
	store_bind_id_or_null(st, 3, code);
	store_bind_text_or_null(st, 4, title);
	if (store_step_done(s, st) != 0)
		return (-1);
	if (detail == NULL)
		return (0);
	id = sqlite3_last_insert_rowid(s->db);
	st = STMT("UPDATE alerts SET detail_enc = ? WHERE id = ?");
	store_bind_sealed(s, st, 1, crypt_subkey(s->crypt, CRYPT_FIELDKEY),
	    "alerts", "detail", id, detail, strlen(detail));
	sqlite3_bind_int64(st, 2, id);
	return (store_step_done(s, st));
}

/* --- views --- */

/*
 * "+49 151 •••• ••23": enough to tell two customers apart on screen, not
 * enough to call them. The country code is guessed from the first digits.
 */
char *
store_mask_phone(const char *digits)
{
	struct buf	b;
	size_t		n, i, cc;

	n = strlen(digits);
	if (n < 6)
		return (xstrdup("•••"));
	cc = (digits[0] == '1' || digits[0] == '7') ? 1 : 2;
	buf_init(&b, 0);
	buf_addf(&b, "+%.*s %.*s ", (int)cc, digits, 3, digits + cc);
	for (i = cc + 3; i < n - 2; i++) {
		buf_adds(&b, "•");
		if ((i - cc - 3) % 4 == 3)
			buf_adds(&b, " ");
	}
	buf_add(&b, digits + n - 2, 2);
	return (buf_detach(&b, NULL));
}

int64_t
store_window_left(int64_t last_inbound, int64_t now, int window_hours)
{
	int64_t	left;

	if (last_inbound == 0)
		return (0);
	left = last_inbound + (int64_t)window_hours * 3600 - now;
	return (left > 0 ? left : 0);
}

/* Adds the contact's display fields (decrypted; phone masked). */
void
store_contact_json(struct store *s, json_t *o, int64_t cid,
    sqlite3_stmt *st, int col_name, int col_wa, int col_user)
{
	const uint8_t	*key;
	char		*name, *wa, *user, *mask;

	key = store_dek(s, cid);
	name = store_col_open(st, col_name, key, "contacts", "name", cid);
	wa = store_col_open(st, col_wa, key, "contacts", "wa_id", cid);
	user = store_col_open(st, col_user, key, "contacts", "user_id", cid);
	mask = wa != NULL ? store_mask_phone(wa) : NULL;
	json_object_set_new(o, "contact_id", json_integer(cid));
	json_object_set_new(o, "name", name != NULL ? json_string(name) :
	    mask != NULL ? json_string(mask) : user != NULL ?
	    json_string("(username user)") : json_string("(erased)"));
	json_object_set_new(o, "phone_masked", mask != NULL ?
	    json_string(mask) : json_null());
	json_object_set_new(o, "has_bsuid", json_boolean(user != NULL));
	if (name != NULL)
		crypt_wipe_free(name, strlen(name));
	if (wa != NULL)
		crypt_wipe_free(wa, strlen(wa));
	if (user != NULL)
		crypt_wipe_free(user, strlen(user));
	free(mask);
}

json_t *
store_conv_row(struct store *s, sqlite3_stmt *st, int64_t now,
    int window_hours)
{
	static const char *prio[] = { "urgent", "high", "normal", "low" };
	json_t	*o;
	int64_t	 id, cid, p;
	char	*preview;

	id = sqlite3_column_int64(st, 0);
	cid = sqlite3_column_int64(st, 1);
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	store_contact_json(s, o, cid, st, 10, 11, 12);
	json_object_set_new(o, "state", json_string(store_col_text(st, 2)));
	p = sqlite3_column_int64(st, 3);
	json_object_set_new(o, "priority", json_string(p >= 0 && p <= 3 ?
	    prio[p] : "normal"));
	json_object_set_new(o, "assignee", sqlite3_column_type(st, 5) ==
	    SQLITE_NULL ? json_null() : json_string(store_col_text(st, 5)));
	json_object_set_new(o, "last_msg_at",
	    json_integer(sqlite3_column_int64(st, 6)));
	json_object_set_new(o, "last_inbound_at",
	    json_integer(sqlite3_column_int64(st, 7)));
	json_object_set_new(o, "unread",
	    json_integer(sqlite3_column_int64(st, 8)));
	preview = store_col_open(st, 9, store_dek(s, cid), "conversations",
	    "preview", id);
	json_object_set_new(o, "preview", json_string(preview != NULL ?
	    preview : ""));
	if (preview != NULL)
		crypt_wipe_free(preview, strlen(preview));
	json_object_set_new(o, "window_left", json_integer(store_window_left(
	    sqlite3_column_int64(st, 7), now, window_hours)));
	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		json_object_set_new(o, "snooze_until",
		    json_integer(sqlite3_column_int64(st, 13)));
	json_object_set_new(o, "created",
	    json_integer(sqlite3_column_int64(st, 14)));
	return (o);
}

static json_t *
store_msg_row(struct store *s, sqlite3_stmt *st, const uint8_t *key)
{
	json_t	*o, *body;
	int64_t	 id;
	char	*text;

	id = sqlite3_column_int64(st, 0);
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "direction", json_string(store_col_text(st, 1)));
	json_object_set_new(o, "type", json_string(store_col_text(st, 2)));
	json_object_set_new(o, "supported",
	    json_boolean(sqlite3_column_int(st, 3)));
	json_object_set_new(o, "ts", json_integer(sqlite3_column_int64(st, 4)));
	json_object_set_new(o, "status", json_string(wa_status_name(
	    (enum wa_status)sqlite3_column_int(st, 5))));
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		json_object_set_new(o, "error_code",
		    json_integer(sqlite3_column_int64(st, 6)));
		json_object_set_new(o, "error_title", json_string(
		    store_col_text(st, 7) != NULL ? store_col_text(st, 7) :
		    ""));
	}
	json_object_set_new(o, "edited", json_boolean(sqlite3_column_int(st,
	    8)));
	json_object_set_new(o, "revoked", json_boolean(sqlite3_column_int(st,
	    9)));
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		json_object_set_new(o, "agent", json_string(
		    store_col_text(st, 12)));
	text = store_col_open(st, 10, key, "messages", "body", id);
	body = text != NULL ? json_loads(text, 0, NULL) : NULL;
	if (text != NULL)
		crypt_wipe_free(text, strlen(text));
	/* The original object is for exports; views get the parsed fields. */
	if (body != NULL)
		json_object_del(body, "raw");
	json_object_set_new(o, "body", body != NULL ? body : json_null());
	text = store_col_open(st, 11, key, "messages", "extra", id);
	if (text != NULL) {
		body = json_loads(text, 0, NULL);
		crypt_wipe_free(text, strlen(text));
		if (body != NULL)
			json_object_set_new(o, "amendments", body);
	}
	if (key == NULL)
		json_object_set_new(o, "unreadable", json_true());
	(void)s;
	return (o);
}

json_t *
store_conv_show(struct store *s, int64_t conv_id, int64_t before,
    int64_t limit, int64_t now, int window_hours)
{
	sqlite3_stmt	*st;
	json_t		*res, *conv, *msgs, *tmp;
	const uint8_t	*key;
	int64_t		 cid;
	size_t		 n;

	st = STMT("SELECT " CONV_COLS "WHERE c.id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (NULL);
	}
	conv = store_conv_row(s, st, now, window_hours);
	json_object_set_new(conv, "labels", store_conv_labels(s, conv_id));
	cid = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	key = store_dek(s, cid);

	/* Newest `limit` before the cursor, then reversed: newest last. */
	st = STMT("SELECT m.id, m.direction, m.type, m.supported, m.ts, "
	    "m.status, m.error_code, m.error_title, m.edited, m.revoked, "
	    "m.body_enc, m.extra_enc, a.name FROM messages m "
	    "LEFT JOIN agents a ON a.id = m.agent_id "
	    "WHERE m.conversation_id = ?1 AND (?2 = 0 OR m.id < ?2) "
	    "ORDER BY m.id DESC LIMIT ?3");
	sqlite3_bind_int64(st, 1, conv_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, limit + 1);
	tmp = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(tmp, store_msg_row(s, st, key));
	sqlite3_reset(st);
	msgs = json_array();
	n = json_array_size(tmp);
	res = json_object();
	json_object_set_new(res, "more", json_boolean(n > (size_t)limit));
	if (n > (size_t)limit)
		n = (size_t)limit;
	while (n > 0)
		json_array_append(msgs, json_array_get(tmp, --n));
	json_decref(tmp);
	json_object_set_new(res, "conversation", conv);
	json_object_set_new(res, "messages", msgs);
	return (res);
}

int
store_conv_mark_read(struct store *s, int64_t conv_id, int64_t agent_id)
{
	sqlite3_stmt	*st;

	st = STMT("INSERT INTO read_markers (agent_id, conversation_id, "
	    "last_read_msg_id) SELECT ?1, id, last_msg_id FROM conversations "
	    "WHERE id = ?2 ON CONFLICT (agent_id, conversation_id) DO UPDATE "
	    "SET last_read_msg_id = excluded.last_read_msg_id");
	sqlite3_bind_int64(st, 1, agent_id);
	sqlite3_bind_int64(st, 2, conv_id);
	if (store_step_done(s, st) != 0)
		return (-1);
	st = STMT("UPDATE conversations SET unread = 0 WHERE id = ?");
	sqlite3_bind_int64(st, 1, conv_id);
	return (store_step_done(s, st));
}

json_t *
store_alerts_recent(struct store *s, int64_t limit)
{
	sqlite3_stmt	*st;
	json_t		*arr;

	/* One line per kind and code, newest first, with how often. */
	arr = json_array();
	st = STMT("SELECT kind, code, title, max(ts), count(*) FROM alerts "
	    "GROUP BY kind, code ORDER BY max(ts) DESC, max(id) DESC LIMIT ?");
	sqlite3_bind_int64(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_array_append_new(arr, json_pack("{ss so? so? sI sI}",
		    "kind", store_col_text(st, 0),
		    "code", sqlite3_column_type(st, 1) == SQLITE_NULL ?
		    json_null() : json_integer(sqlite3_column_int64(st, 1)),
		    "title", sqlite3_column_type(st, 2) == SQLITE_NULL ?
		    json_null() : json_string(store_col_text(st, 2)),
		    "last", (json_int_t)sqlite3_column_int64(st, 3),
		    "count", (json_int_t)sqlite3_column_int64(st, 4)));
	}
	sqlite3_reset(st);
	return (arr);
}

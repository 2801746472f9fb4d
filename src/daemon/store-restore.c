/*
 * Restores a backup (store-backup.c) into an empty data directory: the
 * MANIFEST is read and every file it names is checked (size and BLAKE2b
 * hash) before anything is written; then the files are copied (mode
 * 0600, directories 0700, owned by whoever runs it: the daemon's user, as
 * with init), the database last under a temporary name. The restored
 * database is marked so the daemon starts with sending paused (outbox.c),
 * and the erasures the journal knows of and the copy does not are added
 * to its erasure ledger, which the daemon replays at start (main.c).
 *
 * Restoring over an existing store is refused: a database, or the -wal
 * and -shm files of one, left in the directory would keep writes made
 * after the backup (SQLite applies a -wal to the database beside it).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "xmalloc.h"

#define RESTORE_LINE_MAX	4096
#define RESTORE_FILES_MAX	10000000

struct restore_file {
	char		*rel;
	char		 hex[65];
	int64_t		 size;
	int		 present;
};

struct restore_manifest {
	int			 format;
	int			 schema;
	int			 ended;
	char			*key_rel;	/* in the backup, or NULL */
	char			*key_elsewhere;	/* where it was kept */
	struct restore_file	*f;
	size_t			 n, cap;
};

static void
restore_manifest_free(struct restore_manifest *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		free(m->f[i].rel);
	free(m->f);
	free(m->key_rel);
	free(m->key_elsewhere);
}

/* The names a backup writes, and nothing that could leave the directory. */
static int
restore_rel_ok(const char *rel)
{
	const char	*p;

	if (strcmp(rel, "db/" STORE_DB_NAME) == 0 ||
	    strcmp(rel, "keys/" STORE_KS_NAME) == 0 ||
	    strcmp(rel, "audit/checkpoints") == 0 ||
	    strcmp(rel, "audit/" STORE_JOURNAL_NAME) == 0 ||
	    strcmp(rel, "master-key/master.key") == 0)
		return (1);
	if (strncmp(rel, "blobs/", 6) != 0 || rel[6] == '\0')
		return (0);
	for (p = rel + 6; isdigit((unsigned char)*p); p++)
		;
	return (*p == '\0' && p - rel < 32);
}

static int
restore_hex_ok(const char *s)
{
	size_t	i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return (0);
	return (s[64] == '\0');
}

/* "file HEX SIZE REL" */
static int
restore_parse_file(struct restore_manifest *m, char *line)
{
	struct restore_file	*f;
	char			*hex, *sz, *rel, *end;
	long long		 size;
	size_t			 i;

	hex = line + 5;
	if ((sz = strchr(hex, ' ')) == NULL)
		return (-1);
	*sz++ = '\0';
	if ((rel = strchr(sz, ' ')) == NULL)
		return (-1);
	*rel++ = '\0';
	if (!restore_hex_ok(hex) || !isdigit((unsigned char)*sz) ||
	    !restore_rel_ok(rel))
		return (-1);
	errno = 0;
	size = strtoll(sz, &end, 10);
	if (*end != '\0' || errno != 0 || size < 0)
		return (-1);
	for (i = 0; i < m->n; i++)
		if (strcmp(m->f[i].rel, rel) == 0)
			return (-1);
	if (m->n >= RESTORE_FILES_MAX)
		return (-1);
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 64 : m->cap * 2;
		m->f = xrealloc(m->f, m->cap * sizeof *m->f);
	}
	f = &m->f[m->n++];
	memset(f, 0, sizeof *f);
	f->rel = xstrdup(rel);
	memcpy(f->hex, hex, sizeof f->hex);
	f->size = size;
	return (0);
}

static int
restore_parse_line(struct restore_manifest *m, char *line, unsigned lineno)
{
	char	*end;
	long	 v;

	if (lineno == 1)
		return (strcmp(line, "support-inbox backup") == 0 ? 0 : -1);
	if (m->ended)
		return (-1);
	if (strncmp(line, "format ", 7) == 0 || strncmp(line, "schema ", 7) ==
	    0) {
		errno = 0;
		v = strtol(line + 7, &end, 10);
		if (*end != '\0' || errno != 0 || v < 0 || v > 1000000)
			return (-1);
		if (line[0] == 'f')
			m->format = (int)v;
		else
			m->schema = (int)v;
		return (0);
	}
	if (strncmp(line, "created ", 8) == 0)
		return (0);
	if (strncmp(line, "file ", 5) == 0)
		return (restore_parse_file(m, line));
	if (strcmp(line, "key included master-key/master.key") == 0) {
		free(m->key_rel);
		m->key_rel = xstrdup("master-key/master.key");
		return (0);
	}
	if (strncmp(line, "key elsewhere ", 14) == 0 && line[14] != '\0') {
		free(m->key_elsewhere);
		m->key_elsewhere = xstrdup(line + 14);
		return (0);
	}
	if (strncmp(line, "passphrase elsewhere ", 21) == 0)
		return (0);
	if (strcmp(line, "end") == 0) {
		m->ended = 1;
		return (0);
	}
	return (-1);
}

static int
restore_manifest_read(const char *in, struct restore_manifest *m,
    char **cause)
{
	FILE		*f;
	char		*path, line[RESTORE_LINE_MAX];
	size_t		 len;
	unsigned	 lineno = 0;
	int		 fd, rc = -1;

	path = xasprintf("%s/MANIFEST", in);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 || (f = fdopen(fd, "r")) == NULL) {
		*cause = xasprintf("cannot read '%s': %s; is '%s' a backup "
		    "made by 'support-inboxd backup' (since issue 14)?", path,
		    strerror(errno), in);
		if (fd != -1)
			close(fd);
		free(path);
		return (-1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == 0 || line[len - 1] != '\n') {
			*cause = xasprintf("'%s' line %u is too long or "
			    "unfinished; the backup is damaged, use another",
			    path, lineno);
			goto out;
		}
		line[len - 1] = '\0';
		if (restore_parse_line(m, line, lineno) != 0) {
			*cause = xasprintf("'%s' line %u is not understood; "
			    "the backup is damaged or newer than this "
			    "program, use another", path, lineno);
			goto out;
		}
	}
	if (!m->ended || m->format != 1) {
		*cause = xasprintf("'%s' is %s; the backup is incomplete, use "
		    "another", path, m->format > 1 ? "of a newer format" :
		    "cut short");
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	free(path);
	return (rc);
}

static struct restore_file *
restore_find(struct restore_manifest *m, const char *rel)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->f[i].rel, rel) == 0)
			return (&m->f[i]);
	return (NULL);
}

static int
restore_exists(const char *path)
{
	struct stat	sb;

	return (lstat(path, &sb) == 0);
}

/* Every file the MANIFEST names is there, whole and unchanged. */
static int
restore_verify(const struct store_backup_src *src, const char *in,
    struct restore_manifest *m, char **cause)
{
	struct restore_file	*f;
	char			*path, hex[65];
	int64_t			 size;
	size_t			 i;
	int			 rc;

	if (restore_find(m, "db/" STORE_DB_NAME) == NULL ||
	    restore_find(m, "keys/" STORE_KS_NAME) == NULL) {
		*cause = xasprintf("'%s/MANIFEST' names no database or key "
		    "store; use another backup", in);
		return (-1);
	}
	for (i = 0; i < m->n; i++) {
		f = &m->f[i];
		path = xasprintf("%s/%s", in, f->rel);
		rc = store_backup_hash(path, hex, &size, cause);
		free(path);
		if (rc < 0)
			return (-1);
		if (rc == 1) {
			/* The master key may have been kept apart. */
			if (m->key_rel != NULL &&
			    strcmp(f->rel, m->key_rel) == 0)
				continue;
			*cause = xasprintf("backup '%s' is incomplete: '%s' is "
			    "missing (the MANIFEST names it); put it back or "
			    "use another backup", in, f->rel);
			return (-1);
		}
		if (size != f->size || strcmp(hex, f->hex) != 0) {
			*cause = xasprintf("backup '%s' does not match its "
			    "MANIFEST: '%s' has %s; it is damaged or was "
			    "changed, use another backup", in, f->rel,
			    size != f->size ? "another size" :
			    "another BLAKE2b hash");
			return (-1);
		}
		f->present = 1;
	}
	/* Where the master key comes from, and that it is this store's. */
	f = m->key_rel != NULL ? restore_find(m, m->key_rel) : NULL;
	if (f != NULL && restore_exists(src->key_file)) {
		if ((rc = store_backup_hash(src->key_file, hex, &size,
		    cause)) != 0) {
			if (rc == 1)
				*cause = xasprintf("key_file '%s' vanished",
				    src->key_file);
			return (-1);
		}
		if (strcmp(hex, f->hex) != 0) {
			*cause = xasprintf("key_file '%s' exists and is not "
			    "the backup's master key; move it aside (or set "
			    "key_file to a new path) and run restore again",
			    src->key_file);
			return (-1);
		}
		f->present = 0;		/* there already */
	} else if (f != NULL && !f->present) {
		*cause = xasprintf("the master key is not in '%s/%s' and "
		    "key_file '%s' does not exist; put the key back into the "
		    "backup (or install it at key_file) and run restore "
		    "again", in, m->key_rel, src->key_file);
		return (-1);
	} else if (f == NULL && !restore_exists(src->key_file)) {
		*cause = xasprintf("the backup does not hold the master key "
		    "(it was kept at '%s'); install that key at key_file "
		    "'%s' and run restore again", m->key_elsewhere != NULL ?
		    m->key_elsewhere : "?", src->key_file);
		return (-1);
	}
	return (0);
}

static int
restore_is_one_of(const char *dir, const char *name,
    const struct store_backup_src *src)
{
	char	*path;
	int	 yes;

	if (strcmp(name, "lost+found") == 0)	/* a file system's root */
		return (1);
	path = xasprintf("%s/%s", dir, name);
	yes = strcmp(path, src->key_file) == 0 ||
	    strcmp(path, src->journal) == 0 ||
	    (src->checkpoint_file != NULL &&
	    strcmp(path, src->checkpoint_file) == 0);
	free(path);
	return (yes);
}

/* The data directory is new or empty (save the key and audit files). */
static int
restore_check_target(const struct store_backup_src *src, int *create,
    char **cause)
{
	const char	*dir = src->data_dir;
	struct stat	 sb;
	DIR		*dp;
	struct dirent	*de;
	size_t		 len;
	int		 rc = 0;

	*create = 0;
	if (lstat(dir, &sb) != 0) {
		if (errno == ENOENT) {
			*create = 1;
			return (0);
		}
		*cause = xasprintf("cannot use data directory '%s': %s", dir,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("data directory '%s' is not a directory",
		    dir);
		return (-1);
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 0077) != 0) {
		*cause = xasprintf("data directory '%s' must be owned by the "
		    "daemon's user (uid %u) with mode 0700; run restore as "
		    "that user, or chmod 700 it", dir, (unsigned)geteuid());
		return (-1);
	}
	if ((dp = opendir(dir)) == NULL) {
		*cause = xasprintf("cannot read data directory '%s': %s", dir,
		    strerror(errno));
		return (-1);
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    restore_is_one_of(dir, de->d_name, src))
			continue;
		len = strlen(de->d_name);
		if (strstr(de->d_name, ".db") != NULL || (len > 4 &&
		    (strcmp(de->d_name + len - 4, "-wal") == 0 ||
		    strcmp(de->d_name + len - 4, "-shm") == 0)))
			*cause = xasprintf("data directory '%s' holds '%s' (a "
			    "database or its write-ahead log: writes made "
			    "after the backup would survive the restore); "
			    "stop the daemon, move the directory aside (mv "
			    "'%s' '%s.old') and run restore again", dir,
			    de->d_name, dir, dir);
		else
			*cause = xasprintf("data directory '%s' is not empty "
			    "(it holds '%s'); restore needs an empty or new "
			    "one: move it aside (mv '%s' '%s.old') and run "
			    "restore again", dir, de->d_name, dir, dir);
		rc = -1;
		break;
	}
	closedir(dp);
	return (rc);
}

/* Copies one listed file and checks the copy against the MANIFEST. */
static int
restore_copy(const char *in, struct restore_file *f, const char *dst,
    char **cause)
{
	char	*src, hex[65];
	int64_t	 size;
	int	 rc;

	src = xasprintf("%s/%s", in, f->rel);
	rc = store_backup_copy(src, dst, hex, &size, cause);
	free(src);
	if (rc == 1)
		*cause = xasprintf("'%s/%s' vanished during the restore", in,
		    f->rel);
	else if (rc == 0 && (size != f->size || strcmp(hex, f->hex) != 0))
		*cause = xasprintf("'%s/%s' changed during the restore", in,
		    f->rel);
	else if (rc == 0)
		return (0);
	unlink(dst);
	return (-1);
}

/*
 * In the copy, not yet in place: the restored mark (sending paused) and
 * the journal's erasures the copy's ledger lacks. No key is needed: both
 * are internal ids and times.
 */
static int
restore_mark(const char *db, json_t *journal, int *added, char **cause)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*st = NULL;
	json_t		*e;
	size_t		 i;
	int		 rc = -1;

	*added = 0;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	if (sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO meta (key, value) "
	    "VALUES ('restored_paused', ?)", -1, &st, NULL) != SQLITE_OK)
		goto sqlerr;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		goto sqlerr;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(h, "INSERT INTO erasure_ledger (contact_id, "
	    "erased_at) SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM "
	    "erasure_ledger WHERE contact_id = ?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto sqlerr;
	json_array_foreach(journal, i, e) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)json_integer_value(
		    json_array_get(e, 0)));
		sqlite3_bind_int64(st, 2, (sqlite3_int64)json_integer_value(
		    json_array_get(e, 1)));
		if (sqlite3_step(st) != SQLITE_DONE)
			goto sqlerr;
		*added += sqlite3_changes(h);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	rc = 0;
	goto out;
sqlerr:
	*cause = xasprintf("cannot mark the restored database: %s",
	    h != NULL ? sqlite3_errmsg(h) : "out of memory");
out:
	sqlite3_finalize(st);
	if (sqlite3_close(h) != SQLITE_OK && rc == 0) {
		*cause = xstrdup("cannot close the restored database");
		rc = -1;
	}
	return (rc);
}

/* The live journal if there is one, else the backup's own copy. */
static json_t *
restore_journal(const struct store_backup_src *src, const char *in,
    struct restore_manifest *m, struct store_restore_res *res, char **cause)
{
	struct restore_file	*f;
	json_t			*j;
	char			*path, hex[65];
	int64_t			 size;
	int			 missing;

	if ((j = store_erasure_journal_read(src->journal, &missing,
	    cause)) == NULL || !missing)
		return (j);
	res->journal_missing = 1;
	json_decref(j);
	if ((f = restore_find(m, "audit/" STORE_JOURNAL_NAME)) == NULL)
		return (json_array());
	path = xasprintf("%s/%s", in, f->rel);
	j = store_erasure_journal_read(path, &missing, cause);
	/* It goes on from the backup's copy. */
	if (j != NULL && store_backup_copy(path, src->journal, hex, &size,
	    cause) < 0) {
		json_decref(j);
		j = NULL;
	}
	free(path);
	return (j);
}

int
store_restore(const struct store_backup_src *src, const char *in,
    struct store_restore_res *res, char **cause)
{
	struct restore_manifest	 m;
	struct restore_file	*f;
	json_t			*journal = NULL;
	char			*dst = NULL, *tmp = NULL, *blobs;
	size_t			 i;
	int			 create, rc = -1;

	memset(res, 0, sizeof *res);
	memset(&m, 0, sizeof m);
	if (restore_manifest_read(in, &m, cause) != 0)
		goto out;
	if (restore_check_target(src, &create, cause) != 0 ||
	    restore_verify(src, in, &m, cause) != 0)
		goto out;
	res->schema = m.schema;
	if (create && mkdir(src->data_dir, 0700) != 0) {
		*cause = xasprintf("cannot create data directory '%s': %s",
		    src->data_dir, strerror(errno));
		goto out;
	}
	blobs = xasprintf("%s/blobs", src->data_dir);
	if (mkdir(blobs, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create '%s': %s", blobs,
		    strerror(errno));
		free(blobs);
		goto out;
	}
	free(blobs);
	tmp = xasprintf("%s/.%s.restoring", src->data_dir, STORE_DB_NAME);
	for (i = 0; i < m.n; i++) {
		f = &m.f[i];
		if (!f->present)
			continue;
		free(dst);
		dst = NULL;
		if (strcmp(f->rel, "db/" STORE_DB_NAME) == 0)
			dst = xstrdup(tmp);
		else if (strcmp(f->rel, "keys/" STORE_KS_NAME) == 0)
			dst = xasprintf("%s/%s", src->data_dir, STORE_KS_NAME);
		else if (strncmp(f->rel, "blobs/", 6) == 0)
			dst = xasprintf("%s/%s", src->data_dir, f->rel);
		else if (strcmp(f->rel, "audit/checkpoints") == 0) {
			/* A live file is newer than the backup's: kept. */
			if (src->checkpoint_file == NULL)
				continue;
			if (restore_exists(src->checkpoint_file)) {
				res->kept_checkpoints = 1;
				continue;
			}
			dst = xstrdup(src->checkpoint_file);
		} else if (m.key_rel != NULL && strcmp(f->rel, m.key_rel) == 0) {
			dst = xstrdup(src->key_file);
			res->key_copied = 1;
		} else
			continue;	/* the journal: below */
		if (restore_copy(in, f, dst, cause) != 0)
			goto incomplete;
		res->files++;
	}
	if ((journal = restore_journal(src, in, &m, res, cause)) == NULL ||
	    restore_mark(tmp, journal, &res->erasures, cause) != 0)
		goto incomplete;
	free(dst);
	dst = xasprintf("%s/%s", src->data_dir, STORE_DB_NAME);
	if (rename(tmp, dst) != 0) {
		*cause = xasprintf("cannot rename '%s' to '%s': %s", tmp, dst,
		    strerror(errno));
		goto incomplete;
	}
	rc = 0;
	goto out;
incomplete:
	unlink(tmp);
	{
		char	*c = xasprintf("%s (the restore is incomplete: remove "
			    "what it wrote, e.g. rm -r '%s', and run it "
			    "again)", *cause, src->data_dir);

		free(*cause);
		*cause = c;
	}
out:
	json_decref(journal);
	free(dst);
	free(tmp);
	restore_manifest_free(&m);
	return (rc);
}

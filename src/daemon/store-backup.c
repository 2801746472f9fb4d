/*
 * Online backups: a consistent copy of the database and of the key store
 * (SQLite backup API, on read-only connections of their own) into
 * directories of their own; then the media files, the audit checkpoint
 * file, the erasure journal and the master key (when it lives in the data
 * directory), and a MANIFEST naming every file with its size and BLAKE2b
 * hash, which restore checks (store-restore.c).
 *
 * The media files are copied after the database snapshot: each blob the
 * copied database names existed when it was taken and is sealed already;
 * one written later is an unreferenced extra, one erased meanwhile is gone
 * on purpose (the erasure replays at restore).
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

#include <sodium.h>
#include <sqlite3.h>

#include "store.h"
#include "xmalloc.h"

static int
store_backup_one(const char *src, const char *dst, char **cause)
{
	sqlite3		*in = NULL, *out = NULL;
	sqlite3_backup	*b;
	int		 rc = -1;
	mode_t		 old;

	if (sqlite3_open_v2(src, &in, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		*cause = xasprintf("cannot open '%s': %s", src, in != NULL ?
		    sqlite3_errmsg(in) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(in, STORE_BUSY_MS);
	unlink(dst);
	old = umask(077);
	rc = sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
	umask(old);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot create '%s': %s", dst, out != NULL ?
		    sqlite3_errmsg(out) : "out of memory");
		rc = -1;
		goto out;
	}
	rc = -1;
	/* One step: a single consistent snapshot of the source. */
	if ((b = sqlite3_backup_init(out, "main", in, "main")) == NULL) {
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	if (sqlite3_backup_step(b, -1) != SQLITE_DONE) {
		sqlite3_backup_finish(b);
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	if (sqlite3_backup_finish(b) != SQLITE_OK) {
		*cause = xasprintf("cannot back up '%s': %s", src,
		    sqlite3_errmsg(out));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(in);
	sqlite3_close(out);
	return (rc);
}

/*
 * A directory of the backup: made 0700, or an existing one that is a real
 * directory (not a link to somewhere else) of ours that nobody else can
 * write to, where a planted file or link could redirect what we write.
 */
static int
store_backup_mkdir(const char *path, char **cause)
{
	struct stat	sb;

	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (lstat(path, &sb) != 0) {
		*cause = xasprintf("cannot use '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("'%s' is not a directory (a symbolic link "
		    "is refused); give a new directory", path);
		return (-1);
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 022) != 0) {
		*cause = xasprintf("'%s' must be ours and writable by us "
		    "alone (chmod go-w '%s')", path, path);
		return (-1);
	}
	return (0);
}

static void
store_backup_tohex(const uint8_t *h, char *hex)
{
	sodium_bin2hex(hex, 65, h, 32);
}

static int
store_backup_read_fd(int fd, const char *path, int out, const char *dst,
    char *hex, int64_t *size, char **cause)
{
	crypto_generichash_state	 st;
	uint8_t				 buf[65536], h[32];
	ssize_t				 n, w, off;

	crypto_generichash_init(&st, NULL, 0, sizeof h);
	*size = 0;
	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("cannot read '%s': %s", path,
			    strerror(errno));
			return (-1);
		}
		if (n == 0)
			break;
		crypto_generichash_update(&st, buf, (size_t)n);
		*size += n;
		for (off = 0; out != -1 && off < n; off += w) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w <= 0) {
				*cause = xasprintf("cannot write '%s': %s",
				    dst, strerror(errno));
				return (-1);
			}
		}
	}
	crypto_generichash_final(&st, h, sizeof h);
	store_backup_tohex(h, hex);
	return (0);
}

int
store_backup_hash(const char *path, char *hex, int64_t *size, char **cause)
{
	struct stat	sb;
	int		fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno == ENOENT)
		return (1);
	if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = xasprintf("cannot read '%s': %s", path, fd == -1 ||
		    S_ISREG(sb.st_mode) ? strerror(errno) :
		    "not a regular file");
		if (fd != -1)
			close(fd);
		return (-1);
	}
	rc = store_backup_read_fd(fd, path, -1, NULL, hex, size, cause);
	close(fd);
	return (rc);
}

int
store_backup_copy(const char *src, const char *dst, char *hex,
    int64_t *size, char **cause)
{
	struct stat	sb;
	int		in, out, rc = -1;

	in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in == -1 && errno == ENOENT)
		return (1);
	if (in == -1 || fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*cause = xasprintf("cannot read '%s': %s", src, in == -1 ||
		    S_ISREG(sb.st_mode) ? strerror(errno) :
		    "not a regular file");
		if (in != -1)
			close(in);
		return (-1);
	}
	/* A planted file or link in its place is replaced, not followed. */
	if (unlink(dst) != 0 && errno != ENOENT) {
		*cause = xasprintf("cannot replace '%s': %s", dst,
		    strerror(errno));
		close(in);
		return (-1);
	}
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (out == -1) {
		*cause = xasprintf("cannot create '%s': %s", dst,
		    strerror(errno));
		close(in);
		return (-1);
	}
	if (store_backup_read_fd(in, src, out, dst, hex, size, cause) == 0) {
		if (fsync(out) != 0)
			*cause = xasprintf("cannot write '%s': %s", dst,
			    strerror(errno));
		else
			rc = 0;
	}
	close(in);
	if (close(out) != 0 && rc == 0) {
		*cause = xasprintf("cannot write '%s': %s", dst,
		    strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(dst);
	return (rc);
}

/* A line of the MANIFEST for out/rel, hashed after it was written. */
static int
store_backup_list(FILE *m, const char *out, const char *rel, char **cause)
{
	char	*path, hex[65];
	int64_t	 size;
	int	 rc;

	path = xasprintf("%s/%s", out, rel);
	rc = store_backup_hash(path, hex, &size, cause);
	free(path);
	if (rc != 0) {
		if (rc == 1)
			*cause = xasprintf("'%s/%s' vanished", out, rel);
		return (-1);
	}
	fprintf(m, "file %s %" PRId64 " %s\n", hex, size, rel);
	return (0);
}

/* Copies src to out/rel and lists it; a src that does not exist is not. */
static int
store_backup_take(FILE *m, const char *src, const char *out,
    const char *rel, int *taken, char **cause)
{
	char	*dst, hex[65];
	int64_t	 size;
	int	 rc;

	*taken = 0;
	dst = xasprintf("%s/%s", out, rel);
	rc = store_backup_copy(src, dst, hex, &size, cause);
	free(dst);
	if (rc < 0)
		return (-1);
	if (rc == 0) {
		fprintf(m, "file %s %" PRId64 " %s\n", hex, size, rel);
		*taken = 1;
	}
	return (0);
}

/* Every media file there is now; names are the media rows' ids. */
static int
store_backup_blobs(FILE *m, const char *data_dir, const char *out,
    int *n, char **cause)
{
	DIR		*dp;
	struct dirent	*de;
	char		*dir, *src, *rel;
	const char	*p;
	int		 rc = 0, taken;

	*n = 0;
	dir = xasprintf("%s/blobs", data_dir);
	if ((dp = opendir(dir)) == NULL) {
		if (errno != ENOENT) {
			*cause = xasprintf("cannot read '%s': %s", dir,
			    strerror(errno));
			rc = -1;
		}
		free(dir);
		return (rc);
	}
	while ((de = readdir(dp)) != NULL) {
		for (p = de->d_name; isdigit((unsigned char)*p); p++)
			;
		if (p == de->d_name || *p != '\0')
			continue;	/* a file being written, or not ours */
		src = xasprintf("%s/%s", dir, de->d_name);
		rel = xasprintf("blobs/%s", de->d_name);
		rc = store_backup_take(m, src, out, rel, &taken, cause);
		free(src);
		free(rel);
		if (rc != 0)
			break;
		*n += taken;
	}
	closedir(dp);
	free(dir);
	return (rc);
}

/* Whether path is inside dir (as written in the configuration). */
static int
store_backup_inside(const char *path, const char *dir)
{
	size_t	len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	return (strncmp(path, dir, len) == 0 && path[len] == '/');
}

static int
store_backup_schema(const char *db, int *v)
{
	sqlite3		*h = NULL;
	sqlite3_stmt	*st = NULL;
	int		 rc = -1;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*v = sqlite3_column_int(st, 0);
		rc = 0;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return (rc);
}

/* Writes a file new beside it and renames it into place. */
static FILE *
store_backup_open_new(const char *out, const char *name, char **tmp,
    char **cause)
{
	FILE	*f;
	int	 fd;

	*tmp = xasprintf("%s/.%s.new", out, name);
	unlink(*tmp);
	fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot create '%s': %s", *tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(*tmp);
		*tmp = NULL;
		return (NULL);
	}
	return (f);
}

static int
store_backup_close_new(FILE *f, const char *out, const char *name,
    char *tmp, char **cause)
{
	char	*dst;
	int	 rc = 0;

	dst = xasprintf("%s/%s", out, name);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0 || rename(tmp, dst) != 0) {
		*cause = xasprintf("cannot write '%s': %s", dst,
		    strerror(errno));
		unlink(tmp);
		rc = -1;
	}
	free(dst);
	free(tmp);
	return (rc);
}

static int
store_backup_readme(const struct store_backup_src *src, const char *out,
    int key_taken, char **cause)
{
	FILE	*f;
	char	*tmp;

	if ((f = store_backup_open_new(out, "README", &tmp, cause)) == NULL)
		return (-1);
	fprintf(f, "support-inbox backup (see MANIFEST for what it holds)\n\n"
	    "db/%s    messages, contacts, audit log (fields sealed)\n"
	    "keys/%s         per-contact data keys, wrapped by the "
	    "master key\n"
	    "blobs/                  media files (sealed)\n"
	    "audit/                  the audit checkpoint file and the "
	    "erasure journal\n", STORE_DB_NAME, STORE_KS_NAME);
	if (key_taken)
		fprintf(f, "master-key/master.key   the master key%s\n",
		    src->passphrase_file != NULL ? " (wrapped by the "
		    "passphrase)" : "");
	fprintf(f, "\nStore keys/ and master-key/ apart from db/ and keep "
	    "keys/ for a short time\n(e.g. 30 days): once the key-store "
	    "copy that still held an erased\ncontact's key expires, that "
	    "contact's data in every database copy is\nunreadable. Put "
	    "them back into this directory before a restore.\n\n");
	if (!key_taken)
		fprintf(f, "The master key is NOT included: it is kept at "
		    "'%s', outside the data\ndirectory. Restore it there "
		    "from your key backup before starting the daemon.\n",
		    src->key_file);
	if (src->passphrase_file != NULL)
		fprintf(f, "The master key is wrapped by the passphrase in "
		    "'%s', which is NOT\nincluded: it must come from where "
		    "you keep that passphrase.\n", src->passphrase_file);
	fprintf(f, "\nTo restore (into an empty data directory; sending "
	    "stays paused until an\nadmin runs 'support-inbox outbox "
	    "resume'):\n  support-inboxd restore THIS_DIRECTORY -c "
	    "CONFIG\n");
	return (store_backup_close_new(f, out, "README", tmp, cause));
}

int
store_backup(const struct store_backup_src *src, const char *out,
    int *nblobs, char **cause)
{
	static const char	*dirs[] = { "db", "keys", "blobs", "audit",
				    "master-key" };
	FILE			*m = NULL;
	char			*s = NULL, *dir, *tmp = NULL;
	char			 when[32];
	time_t			 now = time(NULL);
	size_t			 i;
	int			 rc = -1, schema = 0, key_taken = 0, taken;

	*nblobs = 0;
	if (store_backup_mkdir(out, cause) != 0)
		return (-1);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		dir = xasprintf("%s/%s", out, dirs[i]);
		rc = store_backup_mkdir(dir, cause);
		free(dir);
		if (rc != 0)
			return (-1);
	}
	rc = -1;
	if ((m = store_backup_open_new(out, "MANIFEST", &tmp, cause)) == NULL)
		return (-1);

	/* The snapshot first: everything after it is at least as new. */
	s = xasprintf("%s/%s", src->data_dir, STORE_DB_NAME);
	dir = xasprintf("%s/db/%s", out, STORE_DB_NAME);
	if (store_backup_one(s, dir, cause) != 0 ||
	    store_backup_schema(dir, &schema) != 0) {
		if (*cause == NULL)
			*cause = xasprintf("cannot read the copy '%s'", dir);
		free(dir);
		goto out;
	}
	free(dir);
	free(s);
	s = xasprintf("%s/%s", src->data_dir, STORE_KS_NAME);
	dir = xasprintf("%s/keys/%s", out, STORE_KS_NAME);
	if (store_backup_one(s, dir, cause) != 0) {
		free(dir);
		goto out;
	}
	free(dir);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(m, "support-inbox backup\nformat 1\nschema %d\n"
	    "created %s %lld\n", schema, when, (long long)now);
	if (store_backup_list(m, out, "db/" STORE_DB_NAME, cause) != 0 ||
	    store_backup_list(m, out, "keys/" STORE_KS_NAME, cause) != 0 ||
	    store_backup_blobs(m, src->data_dir, out, nblobs, cause) != 0)
		goto out;
	if (src->checkpoint_file != NULL && store_backup_take(m,
	    src->checkpoint_file, out, "audit/checkpoints", &taken,
	    cause) != 0)
		goto out;
	if (store_backup_take(m, src->journal, out, "audit/" STORE_JOURNAL_NAME,
	    &taken, cause) != 0)
		goto out;
	/*
	 * A key kept in the data directory is taken (wrapped or not); one
	 * kept elsewhere on purpose stays there, and the MANIFEST says where.
	 */
	if (store_backup_inside(src->key_file, src->data_dir)) {
		if (store_backup_take(m, src->key_file, out,
		    "master-key/master.key", &key_taken, cause) != 0)
			goto out;
		if (!key_taken) {
			*cause = xasprintf("cannot read the key file '%s': "
			    "%s", src->key_file, strerror(ENOENT));
			goto out;
		}
		fprintf(m, "key included master-key/master.key\n");
	} else
		fprintf(m, "key elsewhere %s\n", src->key_file);
	if (src->passphrase_file != NULL)
		fprintf(m, "passphrase elsewhere %s\n", src->passphrase_file);
	fprintf(m, "end\n");
	if (store_backup_close_new(m, out, "MANIFEST", tmp, cause) != 0) {
		m = NULL;
		goto out;
	}
	m = NULL;
	if (store_backup_readme(src, out, key_taken, cause) != 0)
		goto out;
	rc = 0;
out:
	if (m != NULL) {
		fclose(m);
		unlink(tmp);
		free(tmp);
	}
	free(s);
	return (rc);
}

/*
 * Online backups: a consistent copy of the database and of the key store
 * (SQLite backup API, on read-only connections of their own) into
 * directories of their own, with a README on keeping them apart.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	sqlite3_busy_timeout(in, 5000);
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

/* Writes the README new beside it and renames it into place. */
static int
store_backup_readme(const char *out, char **cause)
{
	char	*dst, *tmp;
	FILE	*f;
	int	 fd, rc = -1;

	dst = xasprintf("%s/README", out);
	tmp = xasprintf("%s/.README.new", out);
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("cannot create '%s': %s", tmp,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	fprintf(f, "support-inbox backup\n\n"
	    "db/%s    messages, contacts, audit log (fields sealed)\n"
	    "keys/%s         per-contact data keys, wrapped by the "
	    "master key\n\n"
	    "Store keys/ apart from db/ and keep it for a short time "
	    "(e.g. 30 days):\nonce the key-store copy that still held "
	    "an erased contact's key expires,\nthat contact's data in "
	    "every database copy is unreadable.\n"
	    "The master key file is not included; back it up "
	    "separately.\nMedia files (data_dir/blobs) are not "
	    "included.\nAfter a restore, run: support-inbox privacy "
	    "replay-erasures\n", STORE_DB_NAME, STORE_KS_NAME);
	if (fclose(f) != 0 || rename(tmp, dst) != 0) {
		*cause = xasprintf("cannot write '%s': %s", dst,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(dst);
	free(tmp);
	return (rc);
}

int
store_backup(const char *data_dir, const char *out, char **cause)
{
	char	*src = NULL, *dst = NULL, *dir = NULL;
	int	 rc = -1;

	if (store_backup_mkdir(out, cause) != 0)
		return (-1);
	dir = xasprintf("%s/db", out);
	if (store_backup_mkdir(dir, cause) != 0)
		goto out;
	free(dir);
	dir = xasprintf("%s/keys", out);
	if (store_backup_mkdir(dir, cause) != 0)
		goto out;
	src = xasprintf("%s/%s", data_dir, STORE_DB_NAME);
	dst = xasprintf("%s/db/%s", out, STORE_DB_NAME);
	if (store_backup_one(src, dst, cause) != 0)
		goto out;
	free(src);
	free(dst);
	src = xasprintf("%s/%s", data_dir, STORE_KS_NAME);
	dst = xasprintf("%s/keys/%s", out, STORE_KS_NAME);
	if (store_backup_one(src, dst, cause) != 0)
		goto out;
	if (store_backup_readme(out, cause) != 0)
		goto out;
	rc = 0;
out:
	free(src);
	free(dst);
	free(dir);
	return (rc);
}

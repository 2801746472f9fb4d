/*
 * The erasure ledger: which contact ids were erased, when, by whom and by
 * which audit record, so that erasures can be replayed after a restore.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "xmalloc.h"
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

/*
 * The erasure journal: a line per erasure ("erased CONTACT_ID UNIX_TIME"),
 * internal ids only, appended after the erasure's commit to a file
 * outside the database, beside the audit checkpoint file. A database
 * restored from a backup taken before the erasure lacks the ledger entry;
 * the journal, which outlives the data directory when the checkpoint file
 * lives elsewhere (shipped off-host), brings it back (store-restore.c).
 */
char *
store_erasure_journal_path(const char *checkpoint_file, const char *data_dir)
{
	const char	*slash;

	if (checkpoint_file == NULL || *checkpoint_file == '\0')
		return (xasprintf("%s/%s", data_dir, STORE_JOURNAL_NAME));
	if ((slash = strrchr(checkpoint_file, '/')) == NULL)
		return (xstrdup(STORE_JOURNAL_NAME));
	return (xasprintf("%.*s/%s", (int)(slash - checkpoint_file),
	    checkpoint_file, STORE_JOURNAL_NAME));
}

int
store_erasure_journal_add(const char *path, int64_t cid, int64_t when)
{
	char	line[64];
	int	fd, n, rc = -1;

	n = snprintf(line, sizeof line, "erased %" PRId64 " %" PRId64 "\n",
	    cid, when);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return (-1);
	/* Whole or not at all: O_APPEND writes of a short line are atomic. */
	if (write(fd, line, (size_t)n) == n && fsync(fd) == 0)
		rc = 0;
	close(fd);
	return (rc);
}

/* "erased CONTACT_ID TIME\n": 0, or -1. */
static int
store_erasure_journal_line(const char *line, int64_t *cid, int64_t *when)
{
	char	*end;

	if (strncmp(line, "erased ", 7) != 0 || !isdigit((unsigned char)line[7]))
		return (-1);
	errno = 0;
	*cid = strtoll(line + 7, &end, 10);
	if (errno != 0 || *cid <= 0 || *end != ' ' ||
	    !isdigit((unsigned char)end[1]))
		return (-1);
	*when = strtoll(end + 1, &end, 10);
	if (errno != 0 || *end != '\n' || end[1] != '\0')
		return (-1);
	return (0);
}

json_t *
store_erasure_journal_read(const char *path, int *missing, char **cause)
{
	FILE		*f;
	json_t		*arr;
	char		 line[128];
	int64_t		 cid, when;
	unsigned	 lineno = 0;
	int		 fd;

	*missing = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1 && errno == ENOENT) {
		*missing = 1;
		return (json_array());
	}
	if (fd == -1 || (f = fdopen(fd, "r")) == NULL) {
		*cause = xasprintf("cannot read the erasure journal '%s': %s",
		    path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	arr = json_array();
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		/* A torn last line (a crash mid-write) is no erasure. */
		if (strchr(line, '\n') == NULL && feof(f))
			break;
		if (store_erasure_journal_line(line, &cid, &when) != 0) {
			*cause = xasprintf("erasure journal '%s' line %u is not "
			    "'erased CONTACT_ID TIME'; repair or move it aside",
			    path, lineno);
			fclose(f);
			json_decref(arr);
			return (NULL);
		}
		json_array_append_new(arr, json_pack("[I I]", (json_int_t)cid,
		    (json_int_t)when));
	}
	fclose(f);
	return (arr);
}

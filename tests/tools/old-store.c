/*
 * old-store: a store at an earlier schema version, for upgrade tests.
 *   old-store SRC_DIR DST_DIR VERSION
 * DST_DIR/support-inbox.db gets the migrations 1..VERSION exactly as
 * store-schema.h has them (so it is the database a release at that
 * version made), then every row of SRC_DIR's database (a store the
 * current daemon filled) that fits: tables that exist at VERSION, the
 * columns they have then. Sealed fields are bound to table, column and
 * row, not to the version, so they copy as they are. Left out: the audit
 * log and its checkpoints (their chain format changed at 2; the daemon
 * starts a new chain) and meta rows save the key check. DST_DIR's key
 * store is SRC_DIR's; the caller copies master.key and blobs/.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "store-schema.h"
#include "xmalloc.h"

#define NMIGRATIONS	(sizeof store_migrations / sizeof store_migrations[0])

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "old-store: %s: %s\n", what, db != NULL ?
	    sqlite3_errmsg(db) : strerror(errno));
	exit(1);
}

static void
run(sqlite3 *db, const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "old-store: %s\n  in: %.200s\n", err, sql);
		exit(1);
	}
}

/* The columns of table t in main that src.t has too, comma-separated. */
static char *
common_columns(sqlite3 *db, const char *t)
{
	sqlite3_stmt	*st;
	char		*sql, *cols = xstrdup(""), *n;

	sql = xasprintf("SELECT name FROM pragma_table_info('%s') WHERE name "
	    "IN (SELECT name FROM pragma_table_info('%s', 'src'))", t, t);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(db, "table_info");
	free(sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n = xasprintf("%s%s\"%s\"", cols, *cols ? ", " : "",
		    (const char *)sqlite3_column_text(st, 0));
		free(cols);
		cols = n;
	}
	sqlite3_finalize(st);
	return (cols);
}

/*
 * The triggers of main, dropped (their CREATE statements kept in *sqls,
 * n of them) so that the copy writes the rows as the daemon left them:
 * a trigger on one table (sla_clocks' on messages and conversations,
 * from 20) would add rows that the copy of its own table then brings.
 */
static char **
drop_triggers(sqlite3 *db, size_t *n)
{
	sqlite3_stmt	*st;
	char		**sqls = NULL, **names = NULL, *drop;
	size_t		 i;

	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT name, sql FROM main.sqlite_master "
	    "WHERE type = 'trigger'", -1, &st, NULL) != SQLITE_OK)
		die(db, "triggers");
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqls = xrealloc(sqls, (*n + 1) * sizeof *sqls);
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[*n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqls[(*n)++] = xstrdup((const char *)sqlite3_column_text(st,
		    1));
	}
	sqlite3_finalize(st);
	for (i = 0; i < *n; i++) {
		drop = xasprintf("DROP TRIGGER main.\"%s\"", names[i]);
		run(db, drop);
		free(drop);
		free(names[i]);
	}
	free(names);
	return (sqls);
}

static void
copy_rows(sqlite3 *db)
{
	sqlite3_stmt	*st;
	char		*cols, *sql, **triggers;
	const char	*t;
	size_t		 ntriggers, i;

	triggers = drop_triggers(db, &ntriggers);

	if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_master "
	    "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT "
	    "IN ('audit', 'audit_checkpoints', 'audit_prune_gate', 'meta') "
	    "AND name IN (SELECT name FROM src.sqlite_master WHERE type = "
	    "'table') ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		die(db, "tables");
	while (sqlite3_step(st) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		cols = common_columns(db, t);
		sql = xasprintf("INSERT INTO main.\"%s\" (%s) SELECT %s FROM "
		    "src.\"%s\"", t, cols, cols, t);
		run(db, sql);
		free(sql);
		free(cols);
	}
	sqlite3_finalize(st);
	run(db, "INSERT INTO main.meta (key, value) SELECT key, value FROM "
	    "src.meta WHERE key = 'key_check'");
	for (i = 0; i < ntriggers; i++) {
		run(db, triggers[i]);
		free(triggers[i]);
	}
	free(triggers);
}

int
main(int argc, char **argv)
{
	sqlite3		*db = NULL;
	char		*path, *sql, *end;
	long		 v;
	size_t		 i;

	if (argc != 4) {
		fprintf(stderr, "usage: old-store SRC_DIR DST_DIR VERSION "
		    "(1..%zu)\n", NMIGRATIONS);
		return (2);
	}
	v = strtol(argv[3], &end, 10);
	if (*end != '\0' || v < 1 || v > (long)NMIGRATIONS) {
		fprintf(stderr, "old-store: VERSION is 1..%zu\n", NMIGRATIONS);
		return (2);
	}
	if (mkdir(argv[2], 0700) != 0 && errno != EEXIST)
		die(NULL, argv[2]);

	path = xasprintf("%s/%s", argv[2], STORE_DB_NAME);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(db, path);
	free(path);
	for (i = 0; i < (size_t)v; i++) {
		run(db, "BEGIN");
		run(db, store_migrations[i]);
		sql = xasprintf("PRAGMA user_version = %zu", i + 1);
		run(db, sql);
		free(sql);
		run(db, "COMMIT");
	}
	path = xasprintf("ATTACH '%s/%s' AS src", argv[1], STORE_DB_NAME);
	run(db, path);
	free(path);
	run(db, "BEGIN");
	copy_rows(db);
	run(db, "COMMIT");
	run(db, "DETACH src");
	sqlite3_close(db);

	/* The key store has had one version so far: a copy of it. */
	path = xasprintf("%s/%s", argv[2], STORE_KS_NAME);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(db, path);
	free(path);
	path = xasprintf("ATTACH '%s/%s' AS src", argv[1], STORE_KS_NAME);
	run(db, path);
	free(path);
	for (i = 0; i < sizeof store_ks_migrations /
	    sizeof store_ks_migrations[0]; i++)
		run(db, store_ks_migrations[i]);
	sql = xasprintf("PRAGMA user_version = %zu", i);
	run(db, sql);
	free(sql);
	run(db, "INSERT INTO main.contact_keys SELECT * FROM src.contact_keys");
	run(db, "DETACH src");
	sqlite3_close(db);
	printf("%s: schema version %ld\n", argv[2], v);
	return (0);
}

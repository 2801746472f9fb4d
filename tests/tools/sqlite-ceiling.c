/*
 * The machine's raw ceiling for durable inserts: a bare SQLite loop with the
 * daemon's settings (WAL, synchronous=FULL) and its commit policy (one
 * commit per group of N rows), so `make bench` can show how close ingest
 * comes to what the disk allows.
 *   sqlite-ceiling DIR ROWS GROUP BYTES   prints {"rows_per_s":...}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

int
main(int argc, char **argv)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 path[4096], *blob;
	long		 rows, group, bytes, i;
	char		*end[3];
	double		 t0, t;

	if (argc != 5) {
		fprintf(stderr, "usage: sqlite-ceiling DIR ROWS GROUP BYTES\n");
		return (2);
	}
	rows = strtol(argv[2], &end[0], 10);
	group = strtol(argv[3], &end[1], 10);
	bytes = strtol(argv[4], &end[2], 10);
	if (*end[0] != '\0' || *end[1] != '\0' || *end[2] != '\0' || rows < 1 || group < 1 || bytes < 0 || bytes > 1 << 20) {
		fprintf(stderr, "sqlite-ceiling: bad numbers\n");
		return (2);
	}
	snprintf(path, sizeof path, "%s/ceiling.db", argv[1]);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return (1);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k BLOB "
	    "UNIQUE, body BLOB)", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t (k, body) VALUES (?, ?)", -1,
	    &st, NULL);
	blob = calloc(1, (size_t)bytes + 32);
	t0 = now_s();
	for (i = 0; i < rows; i++) {
		char	key[32];

		if (i % group == 0)
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		snprintf(key, sizeof key, "%ld-%f", i, t0);
		sqlite3_bind_blob(st, 1, key, (int)strlen(key), SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, blob, (int)bytes, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		if (i % group == group - 1 || i == rows - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t = now_s() - t0;
	printf("{\"rows\":%ld,\"group\":%ld,\"bytes\":%ld,\"seconds\":%.3f,"
	    "\"rows_per_s\":%.0f}\n", rows, group, bytes, t, (double)rows / t);
	free(blob);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (0);
}

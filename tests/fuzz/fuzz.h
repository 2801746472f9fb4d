/*
 * Shared by the libFuzzer targets: a NUL-terminated copy of the input, a
 * file holding it (for parsers that take a path), and a daemon on a fresh
 * store (keys and SQLite in a private directory under /dev/shm or /tmp).
 * The same targets build with tests/fuzz/replay.c into plain programs that
 * replay tests/fuzz/regress/ in make check.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct daemon;

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as a string (allocated; embedded NULs end it early). */
char	*fuzz_str(const uint8_t *, size_t);
/* Writes the input to a per-process file and returns its path. */
const char *fuzz_file(const uint8_t *, size_t, const char *suffix);
/*
 * A daemon with a freshly created store, opened on the first call and
 * emptied before each input (fuzz_daemon_reset), so an input behaves the
 * same on replay as it did while fuzzing. No event loop, no server, no
 * Graph client.
 */
struct daemon *fuzz_daemon(void);

#endif

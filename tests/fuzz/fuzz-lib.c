/*
 * Helpers for the fuzz targets (see fuzz.h). Built into every target and
 * every replay program.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypt.h"
#include "daemon.h"
#include "fuzz.h"
#include "store.h"
#include "xmalloc.h"

char *
fuzz_str(const uint8_t *data, size_t len)
{
	char	*s;

	s = xmalloc(len + 1);
	memcpy(s, data, len);
	s[len] = '\0';
	return (s);
}

/* A private directory, removed at exit. */
static char	fuzz_dirpath[64];

static int
fuzz_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st; (void)ftw;
	if (flag == FTW_DP)
		return (rmdir(path) == 0 ? 0 : -1);
	return (unlink(path) == 0 ? 0 : -1);
}

static void
fuzz_rm(const char *path)
{
	if (nftw(path, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
}

static void
fuzz_dir_remove(void)
{
	if (fuzz_dirpath[0] != '\0')
		fuzz_rm(fuzz_dirpath);
}

static const char *
fuzz_dir(void)
{
	const char	*base;

	if (fuzz_dirpath[0] != '\0')
		return (fuzz_dirpath);
	base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dirpath, sizeof fuzz_dirpath, "%s/si-fuzz-XXXXXX",
	    base);
	if (mkdtemp(fuzz_dirpath) == NULL) {
		perror("mkdtemp");
		abort();
	}
	atexit(fuzz_dir_remove);
	return (fuzz_dirpath);
}

const char *
fuzz_file(const uint8_t *data, size_t len, const char *suffix)
{
	static char	 path[128];
	FILE		*fp;

	snprintf(path, sizeof path, "%s/input%s", fuzz_dir(), suffix);
	if ((fp = fopen(path, "wb")) == NULL || (len > 0 &&
	    fwrite(data, 1, len, fp) != len) || fclose(fp) != 0) {
		perror(path);
		abort();
	}
	return (path);
}

static struct daemon	fuzz_d;
static int		fuzz_d_open;

static void
fuzz_daemon_close(void)
{
	if (!fuzz_d_open)
		return;
	daemon_search_stop(&fuzz_d);
	store_close(&fuzz_d.store);
	fuzz_d_open = 0;
}

struct daemon *
fuzz_daemon(void)
{
	static char	 store[128];
	char		 key[128], *cause = NULL;

	if (fuzz_d.crypt == NULL) {
		snprintf(key, sizeof key, "%s/master.key", fuzz_dir());
		if (crypt_global_init() != 0 ||
		    crypt_keyfile_create(key, NULL, &cause) != 0 ||
		    (fuzz_d.crypt = crypt_open(key, NULL, &cause)) == NULL) {
			fprintf(stderr, "fuzz: crypt: %s\n", cause);
			abort();
		}
		conf_defaults(&fuzz_d.conf);
		snprintf(store, sizeof store, "%s/store", fuzz_dir());
		atexit(fuzz_daemon_close);
	}
	fuzz_daemon_close();
	if (access(store, F_OK) == 0)
		fuzz_rm(store);
	if (mkdir(store, 0700) != 0 ||
	    store_open(&fuzz_d.store, store, fuzz_d.crypt, &cause) != 0 ||
	    daemon_search_start(&fuzz_d, &cause) != 0) {
		fprintf(stderr, "fuzz: store: %s\n", cause);
		abort();
	}
	fuzz_d_open = 1;
	return (&fuzz_d);
}

/*
 * Removes a test's temporary directory and everything below it, without a
 * shell (system("rm -rf ...") is banned: see mk/banned.sh).
 */
#ifndef RMTREE_H
#define RMTREE_H

#include <ftw.h>
#include <stdio.h>
#include <unistd.h>

static int
rmtree_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st; (void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path));
}

/* 0, or -1 if something could not be removed. */
static int
rmtree(const char *dir)
{
	return (nftw(dir, rmtree_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 :
	    -1);
}

#endif

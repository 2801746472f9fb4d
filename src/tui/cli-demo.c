/*
 * support-inbox demo: the demo of "make demo" for an installed client. It
 * runs the one demo script (mk/demo.sh, installed as
 * PREFIX/share/support-inbox/demo.sh) with the daemon and the simulator
 * found next to this program (bin/ and ../sbin/, as "make install" puts
 * them, or a build directory) or else in PATH. It needs no daemon of its
 * own: the demo starts one on a temporary directory.
 */
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xmalloc.h"

/* An executable file at dir/name (allocated), or NULL. */
static char *
cli_demo_at(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*p;

	p = xasprintf("%s/%s", dir, name);
	if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0)
		return (p);
	free(p);
	return (NULL);
}

/* name next to this program, in ../sbin or ../bin, or in PATH. */
static char *
cli_demo_find(const char *dir, const char *name)
{
	const char	*path = getenv("PATH");
	char		*p, *up, *copy, *d, *next;

	if ((p = cli_demo_at(dir, name)) != NULL)
		return (p);
	up = xasprintf("%s/../sbin", dir);
	p = cli_demo_at(up, name);
	free(up);
	if (p != NULL)
		return (p);
	up = xasprintf("%s/../bin", dir);
	p = cli_demo_at(up, name);
	free(up);
	if (p != NULL || path == NULL)
		return (p);
	copy = xstrdup(path);
	for (d = copy; d != NULL && p == NULL; d = next) {
		if ((next = strchr(d, ':')) != NULL)
			*next++ = '\0';
		if (*d == '/')
			p = cli_demo_at(d, name);
	}
	free(copy);
	return (p);
}

/* The demo script: installed beside bin/, or the source tree's. */
static char *
cli_demo_script(const char *dir)
{
	static const char	*rel[] = { "../share/support-inbox/demo.sh",
				    "../mk/demo.sh", "../../mk/demo.sh" };
	size_t			 i;
	char			*p;

	for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		p = xasprintf("%s/%s", dir, rel[i]);
		if (access(p, R_OK) == 0)
			return (p);
		free(p);
	}
	return (NULL);
}

int
cli_demo(struct cli_opts *o)
{
	char	 exe[PATH_MAX], dirbuf[PATH_MAX], *dir, *daemon, *sim, *script;
	ssize_t	 n;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox demo"));
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
		return (cli_err("cannot find this program: %s",
		    strerror(errno)));
	exe[n] = '\0';
	snprintf(dirbuf, sizeof dirbuf, "%s", exe);
	dir = dirname(dirbuf);
	if ((daemon = cli_demo_find(dir, "support-inboxd")) == NULL)
		return (cli_err("the demo needs support-inboxd: install it "
		    "next to this program, in %s/../sbin, or in PATH", dir));
	if ((sim = cli_demo_find(dir, "support-inbox-sim")) == NULL) {
		free(daemon);
		return (cli_err("the demo needs support-inbox-sim: install it "
		    "next to this program or in PATH"));
	}
	if ((script = cli_demo_script(dir)) == NULL) {
		free(daemon);
		free(sim);
		return (cli_err("cannot find the demo script in "
		    "%s/../share/support-inbox/demo.sh: run make install", dir));
	}
	if (setenv("SI_DEMO_CLIENT", exe, 1) != 0 ||
	    setenv("SI_DEMO_DAEMON", daemon, 1) != 0 ||
	    setenv("SI_DEMO_SIM", sim, 1) != 0)
		return (cli_err("cannot set the environment"));
	execl("/bin/sh", "sh", script, (char *)NULL);
	cli_err("cannot run '%s': %s", script, strerror(errno));
	free(daemon);
	free(sim);
	free(script);
	return (1);
}

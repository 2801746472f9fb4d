/*
 * support-inboxd: the only process that holds the key, opens the database,
 * talks to Meta and writes the audit log.
 *   support-inboxd setup -c CONFIG --user SVC --group AGENTS --admin LOGIN
 *                                     as root: data and socket directories
 *                                     for the service user, then init as
 *                                     that user with LOGIN as the admin
 *   support-inboxd init -c CONFIG     create data dir, key, database, admin
 *                                     (not as root; --as-root: tests)
 *   support-inboxd -c CONFIG          run in the foreground (SIGHUP:
 *                                     reload secrets, token, log level
 *                                     and log file)
 *   support-inboxd replay -c CONFIG   re-ingest quarantined webhook bodies
 *   support-inboxd backup -c CONFIG DIR   online copy of everything a
 *                                     restore needs, with a MANIFEST
 *   support-inboxd restore DIR -c CONFIG  into an empty data directory;
 *                                     sending stays paused until resumed
 *   support-inboxd check -c CONFIG    full integrity check, exit 0 or 1
 *   support-inboxd status -c CONFIG [--json]   the running daemon's counts
 *                                     and alarms (root, its own user)
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>

#include "assign.h"
#include "audit.h"
#include "conf.h"
#include "crypt.h"
#include "daemon.h"
#include "ingest.h"
#include "graph.h"
#include "hook.h"
#include "hours.h"
#include "log.h"
#include "media.h"
#include "metrics.h"
#include "outbox.h"
#include "privacy.h"
#include "retention.h"
#include "rpc.h"
#include "templates.h"
#include "server.h"
#include "status.h"
#include "rules.h"
#include "tick.h"
#include "campaign.h"
#include "store.h"
#include "upload.h"
#include "version.h"
#include "webhook.h"
#include "xmalloc.h"

static void
usage(void)
{
	fprintf(stderr, "usage: support-inboxd [init|replay|check] -c CONFIG\n"
	    "       support-inboxd backup -c CONFIG DIR\n"
	    "       support-inboxd restore DIR -c CONFIG\n"
	    "       support-inboxd setup -c CONFIG --user SERVICEUSER "
	    "--group AGENTGROUP --admin LOGIN\n"
	    "       support-inboxd status -c CONFIG [--json]\n");
	exit(2);
}

/* No core files: they would hold keys and decrypted messages. */
static void
main_harden(void)
{
	struct rlimit	rl = { 0, 0 };

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static char *
main_passphrase(struct conf *conf, char **cause)
{
	if (conf->passphrase_file == NULL)
		return (NULL);
	return (conf_read_secret_file(conf->passphrase_file, cause));
}

static void
main_free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* The data directory must be ours and closed to everyone else. */
static int
main_check_data_dir(const char *dir, char **cause)
{
	struct stat	 sb;
	struct passwd	*pw;

	if (lstat(dir, &sb) != 0) {
		*cause = xasprintf("cannot use data directory '%s': %s", dir,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("data directory '%s' is not a directory",
		    dir);
		return (-1);
	}
	if (sb.st_uid != geteuid()) {
		pw = getpwuid(geteuid());
		*cause = xasprintf("data directory '%s' is owned by uid %u, not "
		    "by the daemon (uid %u)%s; run the daemon as its owner, "
		    "or give it to the daemon's user as root: chown -R %s %s "
		    "(support-inboxd setup makes it right from the start)",
		    dir, (unsigned)sb.st_uid, (unsigned)geteuid(),
		    sb.st_uid == 0 ? ": made by init as root?" : "",
		    pw != NULL ? pw->pw_name : "USER", dir);
		return (-1);
	}
	if (sb.st_mode & 0077) {
		*cause = xasprintf("data directory '%s' is accessible by group "
		    "or others (mode %04o); chmod 700 it", dir,
		    (unsigned)(sb.st_mode & 07777));
		return (-1);
	}
	return (0);
}

static int
main_load_conf(struct daemon *d, const char *path, int secrets)
{
	char	*cause = NULL;

	conf_defaults(&d->conf);
	if (conf_load(&d->conf, path, secrets, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		conf_release(&d->conf);
		return (-1);
	}
	/* Both go into Graph API paths. */
	if ((d->conf.phone_number_id != NULL &&
	    !graph_is_id(d->conf.phone_number_id)) ||
	    (d->conf.waba_id != NULL && !graph_is_id(d->conf.waba_id))) {
		fprintf(stderr, "support-inboxd: %s: [graph] phone_number_id "
		    "and waba_id are Meta's numeric ids (letters, digits, "
		    "'_' and '-' at most)\n", path);
		conf_release(&d->conf);
		return (-1);
	}
	log_init("support-inboxd", (enum log_level)d->conf.log_level);
	return (0);
}

/*
 * What init and setup share: the key, the key store and database in the
 * data directory (already there and checked), and the first admin if there
 * are no agents yet. Run as the user the daemon will run as, so that every
 * file is that user's from its creation. *changed is set if anything was
 * created; "by" is who the audit record names.
 */
static int
main_init_data(struct daemon *d, uid_t admin_uid, const char *admin,
    const char *by, int *changed)
{
	struct stat	 sb;
	struct store_agent a;
	char		*cause = NULL, *pass;
	int		 have_key, have_db;
	int64_t		 id;
	struct audit_who who;
	struct audit_rec rec = { .action = "agent.add", .object_type = "agent",
			    .result = "ok", .detail = "admin (init)" };

	*changed = 0;
	have_key = stat(d->conf.key_file, &sb) == 0;
	have_db = store_has_db(d->conf.data_dir);
	if (have_key && have_db && strcmp(by, "init") == 0) {
		printf("already initialised: '%s' and key file '%s' exist; "
		    "nothing was changed\n", d->conf.data_dir,
		    d->conf.key_file);
		return (0);
	}
	if (have_db && !have_key) {
		cause = xasprintf("database in '%s' exists but key file '%s' "
		    "is missing; restore the key file, do not re-initialise",
		    d->conf.data_dir, d->conf.key_file);
		goto fail;
	}
	if (!have_key) {
		pass = main_passphrase(&d->conf, &cause);
		if (pass == NULL && cause != NULL)
			goto fail;
		if (crypt_keyfile_create(d->conf.key_file, pass, &cause) != 0) {
			main_free_secret(pass);
			goto fail;
		}
		main_free_secret(pass);
		printf("created key file '%s'\n", d->conf.key_file);
		*changed = 1;
	}
	pass = main_passphrase(&d->conf, &cause);
	if (pass == NULL && cause != NULL)
		goto fail;
	d->crypt = crypt_open(d->conf.key_file, pass, &cause);
	main_free_secret(pass);
	if (d->crypt == NULL)
		goto fail;
	if (store_open(&d->store, d->conf.data_dir, d->crypt, &cause) != 0)
		goto fail;
	if (!have_db) {
		printf("created the database in '%s'\n", d->conf.data_dir);
		*changed = 1;
	}
	if (store_agent_count(&d->store) == 0) {
		if (store_begin(&d->store) != 0 ||
		    store_agent_add(&d->store, admin_uid, admin, "admin",
		    &id, &cause) != 0)
			goto fail;
		who.agent_id = strcmp(by, "init") == 0 ? id : 0;
		who.agent = strcmp(by, "init") == 0 ? admin : by;
		who.client = strcmp(by, "init") == 0 ? "init" : "setup";
		rec.object_id = id;
		if (strcmp(by, "init") != 0)
			rec.detail = "admin (setup)";
		if (audit_append(d, &who, &rec) != 0 ||
		    store_commit(&d->store, &cause) != 0) {
			if (cause == NULL)
				cause = xstrdup("cannot write audit log");
			goto fail;
		}
		printf("registered '%s' as the first admin agent\n", admin);
		*changed = 1;
	} else if (store_agent_by_name(&d->store, admin, &a) == STORE_FOUND &&
	    strcmp(a.role, "admin") == 0 && !a.removed)
		printf("'%s' is an admin agent already\n", admin);
	else
		printf("the inbox has agents already; '%s' was not added "
		    "(an admin adds them: support-inbox agent add %s --role "
		    "admin)\n", admin, admin);
	if (*changed)
		printf("initialised '%s' (schema version %d)\n",
		    d->conf.data_dir, store_schema_version(&d->store));
	else
		printf("already initialised: '%s' (schema version %d)\n",
		    d->conf.data_dir, store_schema_version(&d->store));
	store_close(&d->store);
	crypt_free(d->crypt);
	d->crypt = NULL;
	return (0);
fail:
	fprintf(stderr, "support-inboxd: %s\n", cause);
	free(cause);
	return (1);
}

/*
 * As root, init would make root own the data and be the only admin, and a
 * daemon running as its service user refuses root's data directory: that
 * is what setup is for. --as-root keeps the old way for tests and
 * development, where the daemon runs as root too.
 */
static int
main_init(struct daemon *d, int as_root)
{
	struct passwd	*pw;
	char		*cause = NULL;
	int		 changed;

	if (getuid() == 0 && !as_root) {
		fprintf(stderr, "support-inboxd: init as root would make root "
		    "own the data and be the only admin, and the daemon, run "
		    "as its service user, would refuse it; as root run: "
		    "support-inboxd setup -c %s --user SERVICEUSER --group "
		    "AGENTGROUP --admin YOURLOGIN (tests and development with "
		    "the daemon as root: init --as-root)\n", d->conf.path);
		return (1);
	}
	if ((pw = getpwuid(getuid())) == NULL) {
		fprintf(stderr, "support-inboxd: cannot find the user name of "
		    "uid %u\n", (unsigned)getuid());
		return (1);
	}
	/*
	 * A service account (no login shell) would become the only admin and
	 * show in everyone's "assign to" list: setup names a person instead.
	 */
	if (!as_root && pw->pw_shell != NULL &&
	    (strstr(pw->pw_shell, "nologin") != NULL ||
	    strcmp(pw->pw_shell, "/bin/false") == 0 ||
	    strcmp(pw->pw_shell, "/usr/bin/false") == 0)) {
		fprintf(stderr, "support-inboxd: '%s' has no login shell (a "
		    "service account?); init would make it the only admin and "
		    "it would show in \"assign to\"; as root run: "
		    "support-inboxd setup -c %s --user %s --group AGENTGROUP "
		    "--admin YOURLOGIN\n", pw->pw_name, d->conf.path,
		    pw->pw_name);
		return (1);
	}
	if (mkdir(d->conf.data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "support-inboxd: cannot create data directory "
		    "'%s': %s%s\n", d->conf.data_dir, strerror(errno),
		    errno == EACCES ? "; as root, support-inboxd setup "
		    "creates it for the service user" : "");
		return (1);
	}
	if (main_check_data_dir(d->conf.data_dir, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		return (1);
	}
	return (main_init_data(d, getuid(), pw->pw_name, "init", &changed));
}

/* --- setup: the data and socket directories for the service user --- */

struct main_setup {
	const char	*config, *user, *group, *admin;
	char		 svc[64];	/* the service user */
	uid_t		 svc_uid, admin_uid;
	gid_t		 svc_gid, agent_gid;
	int		 changed;
};

static int
main_setup_usage(void)
{
	fprintf(stderr, "usage: support-inboxd setup -c CONFIG --user "
	    "SERVICEUSER --group AGENTGROUP --admin LOGIN\n");
	return (2);
}

static int
main_setup_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
main_setup_err(const char *fmt, ...)
{
	va_list	ap;

	fputs("support-inboxd: setup: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return (-1);
}

/* Whether the user (with primary group gid) is a member of group g. */
static int
main_setup_in_group(const char *user, gid_t gid, gid_t g)
{
	gid_t	groups[256];
	int	n = (int)(sizeof groups / sizeof groups[0]), i;

	if (gid == g)
		return (1);
	if (getgrouplist(user, gid, groups, &n) == -1)
		return (0);	/* in more than 256 groups: say it is not */
	for (i = 0; i < n; i++) {
		if (groups[i] == g)
			return (1);
	}
	return (0);
}

/*
 * Who is who: a service user that is not root, the agents' group the
 * config's socket_group names with the service user in it, and a named
 * person as the admin, also in the group (or they cannot reach the
 * socket). Checked before anything is created, so a refusal changes
 * nothing.
 */
static int
main_setup_who(struct daemon *d, struct main_setup *ms)
{
	struct passwd	*pw;
	struct group	*gr;
	gid_t		 admin_gid;

	if ((pw = getpwnam(ms->user)) == NULL)
		return (main_setup_err("no Unix user '%s' to run the daemon; "
		    "create it: useradd --system --no-create-home --shell "
		    "/usr/sbin/nologin %s", ms->user, ms->user));
	if (pw->pw_uid == 0)
		return (main_setup_err("the daemon must not run as root; "
		    "create a service user: useradd --system --no-create-home "
		    "--shell /usr/sbin/nologin support-inbox, and give it with "
		    "--user"));
	snprintf(ms->svc, sizeof ms->svc, "%s", pw->pw_name);
	ms->svc_uid = pw->pw_uid;
	ms->svc_gid = pw->pw_gid;
	if ((gr = getgrnam(ms->group)) == NULL)
		return (main_setup_err("no group '%s' for the agents; create "
		    "it: groupadd %s, then add the service user and every "
		    "agent: usermod -aG %s LOGIN", ms->group, ms->group,
		    ms->group));
	ms->agent_gid = gr->gr_gid;
	if (d->conf.socket_group == NULL)
		return (main_setup_err("%s has no socket_group: agents reach "
		    "the socket through it; add 'socket_group = %s' under "
		    "[daemon]", d->conf.path, ms->group));
	if (strcmp(d->conf.socket_group, ms->group) != 0)
		return (main_setup_err("%s says socket_group = %s but --group "
		    "is %s; make them the same", d->conf.path,
		    d->conf.socket_group, ms->group));
	if (!main_setup_in_group(ms->svc, ms->svc_gid, ms->agent_gid))
		return (main_setup_err("the service user '%s' is not in group "
		    "'%s', so the daemon could not give the socket to the "
		    "agents; add it: usermod -aG %s %s, then run setup again",
		    ms->svc, ms->group, ms->group, ms->svc));
	if ((pw = getpwnam(ms->admin)) == NULL)
		return (main_setup_err("no Unix user '%s' for the admin; the "
		    "admin is a person's login on this host (--admin LOGIN)",
		    ms->admin));
	if (pw->pw_uid == 0)
		return (main_setup_err("root cannot be the admin: root sets "
		    "up, people answer customers and are audited by name; "
		    "give a person's login: --admin LOGIN"));
	if (pw->pw_uid == ms->svc_uid)
		return (main_setup_err("'%s' is the service account the daemon "
		    "runs as, not a person; give a person's login: --admin "
		    "LOGIN", ms->admin));
	ms->admin_uid = pw->pw_uid;
	admin_gid = pw->pw_gid;
	if (!main_setup_in_group(ms->admin, admin_gid, ms->agent_gid))
		return (main_setup_err("the admin '%s' is not in group '%s' "
		    "and could not reach the socket; add them: usermod -aG %s "
		    "%s, then run setup again", ms->admin, ms->group,
		    ms->group, ms->admin));
	return (0);
}

/* Never / or /run itself: the directory becomes the service user's. */
static int
main_setup_own(const struct main_setup *ms, const char *what, const char *dir)
{
	if (dir[0] == '/' && strchr(dir + 1, '/') == NULL)
		return (main_setup_err("%s '%s' must be a directory of its own "
		    "(like /var/lib/support-inbox or /run/support-inbox); change "
		    "the path in %s", what, dir, ms->config));
	return (0);
}

/*
 * A directory for the service user: created (owner, group and mode set on
 * the new directory through its descriptor, never by a path that could be
 * swapped), or checked as the daemon will check it. An existing directory
 * that is wrong is not changed: what it holds is the operator's to judge,
 * so the message says the command that fixes it.
 */
static int
main_setup_dir(struct main_setup *ms, const char *what, const char *dir,
    gid_t gid, const char *group, mode_t mode)
{
	struct stat	sb;
	int		fd;

	if (lstat(dir, &sb) != 0) {
		if (errno != ENOENT)
			return (main_setup_err("cannot check %s '%s': %s",
			    what, dir, strerror(errno)));
		if (mkdir(dir, 0700) != 0)
			return (main_setup_err("cannot create %s '%s': %s%s",
			    what, dir, strerror(errno), errno == ENOENT ?
			    "; create its parent directory first" : ""));
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd == -1 || fchown(fd, ms->svc_uid, gid) != 0 ||
		    fchmod(fd, mode) != 0) {
			main_setup_err("cannot give %s '%s' to '%s': %s", what,
			    dir, ms->svc, strerror(errno));
			if (fd != -1)
				close(fd);
			return (-1);
		}
		close(fd);
		printf("created %s '%s' (owner %s, group %s, mode %04o)\n",
		    what, dir, ms->svc, group, (unsigned)mode);
		ms->changed = 1;
		return (0);
	}
	if (!S_ISDIR(sb.st_mode))
		return (main_setup_err("%s '%s' is not a directory; move it "
		    "away or change the path in %s", what, dir, ms->config));
	if (sb.st_uid != ms->svc_uid)
		return (main_setup_err("%s '%s' is owned by uid %u, not by "
		    "the service user '%s'%s; give it to them: chown -R %s:%s "
		    "%s && chmod %o %s, then run setup again", what, dir,
		    (unsigned)sb.st_uid, ms->svc, sb.st_uid == 0 ?
		    " (an init run as root?)" : "", ms->svc, group, dir,
		    (unsigned)mode, dir));
	/* Set-group-ID on top is fine (tmpfiles.d makes the socket's so). */
	if (sb.st_gid != gid || (sb.st_mode & 07777 & ~(mode | S_ISGID)) != 0)
		return (main_setup_err("%s '%s' has group %u and mode %04o; "
		    "the daemon needs group %s and mode %04o: chgrp %s %s && "
		    "chmod %o %s, then run setup again", what, dir,
		    (unsigned)sb.st_gid, (unsigned)(sb.st_mode & 07777), group,
		    (unsigned)mode, group, dir, (unsigned)mode, dir));
	printf("%s '%s' is set up already\n", what, dir);
	return (0);
}

/*
 * The key, key store, database and first admin, made by a child process
 * that has become the service user: every file is the service user's from
 * the moment it exists. Root creating them and chowning afterwards would
 * leave root-owned files behind whatever it missed (SQLite's -wal and -shm
 * come and go), and a chown by path inside a directory the service user
 * controls can be pointed elsewhere by a symbolic link.
 */
static int
main_setup_data(struct daemon *d, struct main_setup *ms)
{
	pid_t	pid;
	int	status, changed = 0;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return (main_setup_err("fork: %s", strerror(errno)));
	if (pid == 0) {
		if (initgroups(ms->svc, ms->svc_gid) != 0 ||
		    setgid(ms->svc_gid) != 0 || setuid(ms->svc_uid) != 0 ||
		    getuid() != ms->svc_uid || geteuid() != ms->svc_uid) {
			main_setup_err("cannot become '%s': %s", ms->svc,
			    strerror(errno));
			_exit(1);
		}
		status = main_init_data(d, ms->admin_uid, ms->admin, "root",
		    &changed);
		fflush(stdout);
		_exit(status != 0 ? 1 : changed ? 3 : 0);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (main_setup_err("waitpid: %s",
			    strerror(errno)));
	}
	if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 &&
	    WEXITSTATUS(status) != 3))
		return (main_setup_err("the key and database could not be "
		    "made as '%s' (above); nothing else was changed after the "
		    "directories", ms->svc));
	if (WEXITSTATUS(status) == 3)
		ms->changed = 1;
	return (0);
}

/*
 * setup, as root: the data directory (0700) and the socket directory
 * (0750, the agents' group) for the service user, the key and database
 * made as that user, and a named person as the first admin. Run again it
 * changes nothing and says so.
 */
static int
main_setup(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL,	'c' },
		{ "user",	required_argument,	NULL,	'u' },
		{ "group",	required_argument,	NULL,	'g' },
		{ "admin",	required_argument,	NULL,	'a' },
		{ NULL,		0,			NULL,	0 }
	};
	struct daemon		 d;
	struct main_setup	 ms;
	char			*tmp, *sockdir;
	int			 ch, rc = 1;

	memset(&ms, 0, sizeof ms);
	while ((ch = getopt_long(argc, argv, "c:u:g:a:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			ms.config = optarg;
			break;
		case 'u':
			ms.user = optarg;
			break;
		case 'g':
			ms.group = optarg;
			break;
		case 'a':
			ms.admin = optarg;
			break;
		default:
			return (main_setup_usage());
		}
	}
	if (optind != argc || ms.config == NULL || ms.user == NULL ||
	    ms.group == NULL || ms.admin == NULL)
		return (main_setup_usage());
	if (geteuid() != 0) {
		main_setup_err("needs root: it creates directories for the "
		    "service user; run: sudo support-inboxd setup -c %s --user "
		    "%s --group %s --admin %s", ms.config, ms.user, ms.group,
		    ms.admin);
		return (1);
	}
	if (crypt_global_init() != 0) {
		fprintf(stderr, "support-inboxd: cannot initialise libsodium\n");
		return (1);
	}
	memset(&d, 0, sizeof d);
	if (main_load_conf(&d, ms.config, 0) != 0)
		return (1);
	tmp = xstrdup(d.conf.socket);
	sockdir = dirname(tmp);
	if (main_setup_who(&d, &ms) != 0 ||
	    main_setup_own(&ms, "data directory", d.conf.data_dir) != 0 ||
	    main_setup_own(&ms, "socket directory", sockdir) != 0 ||
	    main_setup_dir(&ms, "data directory", d.conf.data_dir,
	    ms.svc_gid, ms.svc, 0700) != 0 ||
	    main_setup_dir(&ms, "socket directory", sockdir, ms.agent_gid,
	    ms.group, 0750) != 0) {
		free(tmp);
		goto out;
	}
	free(tmp);
	if (main_setup_data(&d, &ms) != 0)
		goto out;
	if (ms.changed)
		printf("set up; start the daemon as '%s' (support-inboxd -c "
		    "%s, or its service unit); agents need group '%s' and "
		    "'support-inbox agent add LOGIN' by '%s'\n", ms.svc,
		    ms.config, ms.group, ms.admin);
	else
		printf("nothing changed: everything was set up already\n");
	rc = 0;
out:
	conf_release(&d.conf);
	return (rc);
}

static int
main_open(struct daemon *d)
{
	char	*cause = NULL, *pass;

	if (main_check_data_dir(d->conf.data_dir, &cause) != 0)
		goto fail;
	if (!store_has_db(d->conf.data_dir)) {
		cause = xasprintf("no database in '%s'; run: support-inboxd "
		    "init -c %s", d->conf.data_dir, d->conf.path);
		goto fail;
	}
	pass = main_passphrase(&d->conf, &cause);
	if (pass == NULL && cause != NULL)
		goto fail;
	d->crypt = crypt_open(d->conf.key_file, pass, &cause);
	main_free_secret(pass);
	if (d->crypt == NULL)
		goto fail;
	if (store_open(&d->store, d->conf.data_dir, d->crypt, &cause) != 0)
		goto fail;
	return (0);
fail:
	log_error("%s", cause);
	free(cause);
	return (-1);
}

static void
main_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)what;
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(d->base);
}

/* SIGHUP: read the secrets, token, log level and log file again. */
static void
main_hup_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon	*d = arg;
	json_t		*changed = NULL;
	char		*cause = NULL;

	(void)sig; (void)what;
	log_info("SIGHUP: reloading");
	if (daemon_reload(d, &changed, &cause) != 0)
		free(cause);	/* logged by daemon_reload */
	json_decref(changed);
}

static void
main_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon	*d = arg;

	(void)fd; (void)what;
	audit_maybe_checkpoint(d, 0);
}

/* At most this long for the start-up check; "check" does the full one. */
#define MAIN_CHECK_MS	3000

/*
 * A damaged store is noticed at start: PRAGMA quick_check, bounded in
 * time. Damage raises the store alarm and makes the store refuse writes
 * (webhooks get 503, write methods an error with the restore hint).
 */
static void
main_check_store(struct daemon *d)
{
	json_t	*problems = json_array();
	int64_t	 t0 = daemon_now_ms();
	int	 r;

	r = store_check(&d->store, MAIN_CHECK_MS, problems);
	switch (r) {
	case 0:
		d->store_check = "ok";
		log_info("store check: ok (%lld ms)",
		    (long long)(daemon_now_ms() - t0));
		break;
	case 1:
		d->store_check = "damaged";
		d->store_damage = json_array_size(problems) > 0 ?
		    xstrdup(json_string_value(json_array_get(problems, 0))) :
		    xstrdup("the integrity check failed");
		store_set_damaged(&d->store);
		log_error("store damaged: %s (%zu problem%s; support-inboxd "
		    "check -c %s lists them); writes are refused, %s",
		    d->store_damage, json_array_size(problems),
		    json_array_size(problems) == 1 ? "" : "s", d->conf.path,
		    DAEMON_RESTORE_HINT);
		break;
	default:
		d->store_check = "not completed";
		log_warn("store check: not completed within %d ms; run: "
		    "support-inboxd check -c %s", MAIN_CHECK_MS, d->conf.path);
		break;
	}
	json_decref(problems);
}

/*
 * A restored database or key store may predate an erasure: apply the
 * erasure ledger (and drop rows whose key is gone) before serving.
 */
static void
main_replay_erasures(struct daemon *d)
{
	struct audit_who	 who = { 0, "support-inboxd", "start" };
	json_t			*res, *orphans, *ledger;
	char			*cause = NULL;
	size_t			 i, pending = 0;

	if (d->store.damaged)
		return;
	orphans = store_contacts_without_key(&d->store);
	ledger = store_erasure_list(&d->store);
	pending = json_array_size(orphans);
	for (i = 0; i < json_array_size(ledger); i++) {
		int64_t cid = json_integer_value(json_object_get(
		    json_array_get(ledger, i), "contact_id"));

		if (store_contact_exists(&d->store, cid) ||
		    store_contact_has_key(&d->store, cid))
			pending++;
	}
	json_decref(orphans);
	json_decref(ledger);
	if (pending == 0)
		return;
	if (privacy_replay(d, &who, &res, &cause) != 0) {
		log_error("erasure replay: %s", cause);
		free(cause);
		return;
	}
	log_info("erasure replay: %zu contact(s) erased again", pending);
	json_decref(res);
}

static int
main_run(struct daemon *d)
{
	struct event	*sigterm, *sigint, *sighup, *tick;
	struct timeval	 tv = { 30, 0 };
	char		*cause = NULL;

	if (d->conf.log_file != NULL &&
	    log_open(d->conf.log_file, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		return (1);
	}
	if (main_open(d) != 0)
		return (1);
	main_check_store(d);
	if (audit_start(d) != 0)
		log_warn("audit: cannot close the unkeyed chain or record the "
		    "checkpoint cadence");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	/* until the loop handles it */
	d->base = event_base_new();
	d->started = time(NULL);
	if (daemon_search_start(d, &cause) != 0)
		goto fail;
	if ((d->server = server_start(d, &cause)) == NULL)
		goto fail;
	assign_start(d);
	if (rules_start(d, &cause) != 0)
		goto fail;
	main_replay_erasures(d);
	retention_start(d);
	hours_start(d);
	tick_start(d);
	if ((d->uploads = uploads_start(d, &cause)) == NULL ||
	    (d->outbox = outbox_start(d, &cause)) == NULL ||
	    (d->media = media_start(d, &cause)) == NULL ||
	    (d->templates = templates_start(d, &cause)) == NULL)
		goto fail;
	if (d->conf.webhook_listen != NULL &&
	    (d->webhook = webhook_start(d, &cause)) == NULL)
		goto fail;
	if ((d->metrics = metrics_start(d, &cause)) == NULL && cause != NULL)
		goto fail;
	sigterm = evsignal_new(d->base, SIGTERM, main_signal_cb, d);
	sigint = evsignal_new(d->base, SIGINT, main_signal_cb, d);
	sighup = evsignal_new(d->base, SIGHUP, main_hup_cb, d);
	tick = event_new(d->base, -1, EV_PERSIST, main_tick_cb, d);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evsignal_add(sighup, NULL);
	event_add(tick, &tv);
	log_info("support-inboxd ready (schema %d)",
	    store_schema_version(&d->store));
	event_base_dispatch(d->base);

	/* Stop taking work, finish what was accepted, then close. */
	metrics_free(d->metrics);
	d->metrics = NULL;
	webhook_stop(d->webhook);
	tick_stop(d);
	campaign_stop(d);
	hook_stop(d);
	assign_stop(d);
	rules_stop(d);
	retention_stop(d);
	hours_stop(d);
	/* Sends on the wire finish while clients can still hear of them. */
	media_stop(d->media);
	templates_stop(d->templates);
	outbox_free(d->outbox);
	media_free(d->media);
	templates_free(d->templates);
	uploads_free(d->uploads);
	server_free(d->server);
	rpc_denials_free(d);
	audit_maybe_checkpoint(d, 1);
	event_free(sigterm);
	event_free(sigint);
	event_free(sighup);
	event_free(tick);
	daemon_search_stop(d);
	event_base_free(d->base);
	webhook_free(d->webhook);
	store_close(&d->store);
	crypt_free(d->crypt);
	free(d->display_number);
	free(d->store_damage);
	log_info("stopped");
	return (0);
fail:
	log_error("%s", cause);
	free(cause);
	webhook_free(d->webhook);
	media_free(d->media);
	templates_free(d->templates);
	outbox_free(d->outbox);
	uploads_free(d->uploads);
	server_free(d->server);
	rpc_denials_free(d);
	daemon_search_stop(d);
	store_close(&d->store);
	crypt_free(d->crypt);
	return (1);
}

static int
main_replay(struct daemon *d)
{
	int	n;

	if (main_open(d) != 0)
		return (1);
	n = ingest_replay(d);
	/* Ingest remembers the business's display number on the daemon. */
	free(d->display_number);
	d->display_number = NULL;
	store_close(&d->store);
	crypt_free(d->crypt);
	if (n < 0)
		return (1);
	printf("replayed %d quarantined event%s\n", n, n == 1 ? "" : "s");
	return (0);
}

/* Full PRAGMA integrity_check; needs no key, the daemon may run. */
static int
main_check(struct daemon *d)
{
	json_t	*problems = json_array(), *v;
	char	*cause = NULL;
	size_t	 i;
	int	 r;

	if (main_check_data_dir(d->conf.data_dir, &cause) != 0 ||
	    (r = store_check_files(d->conf.data_dir, problems, &cause)) < 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		json_decref(problems);
		return (1);
	}
	if (r == 0)
		printf("ok: '%s' is intact\n", d->conf.data_dir);
	else {
		json_array_foreach(problems, i, v)
			printf("%s\n", json_string_value(v));
		printf("store damaged: %s\n", DAEMON_RESTORE_HINT);
	}
	json_decref(problems);
	return (r == 0 ? 0 : 1);
}

static void
main_backup_src(struct daemon *d, struct store_backup_src *src)
{
	src->data_dir = d->conf.data_dir;
	src->key_file = d->conf.key_file;
	src->passphrase_file = d->conf.passphrase_file;
	src->checkpoint_file = d->conf.checkpoint_file;
	src->journal = store_erasure_journal_path(d->conf.checkpoint_file,
	    d->conf.data_dir);
}

/* Needs no key: the copy stays sealed, like the original. */
static int
main_backup(struct daemon *d, const char *dir)
{
	struct store_backup_src	 src;
	char			*cause = NULL;
	int			 nblobs, rc = 0;

	main_backup_src(d, &src);
	if (main_check_data_dir(d->conf.data_dir, &cause) != 0 ||
	    store_backup(&src, dir, &nblobs, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		rc = 1;
	} else
		printf("backed up '%s' to '%s' (database, key store, %d media "
		    "file%s, audit checkpoints, erasure journal%s); see "
		    "'%s/README' and '%s/MANIFEST'\n", d->conf.data_dir, dir,
		    nblobs, nblobs == 1 ? "" : "s",
		    strncmp(d->conf.key_file, d->conf.data_dir,
		    strlen(d->conf.data_dir)) == 0 &&
		    d->conf.key_file[strlen(d->conf.data_dir)] == '/' ?
		    ", master key" :
		    "; NOT the master key, kept elsewhere", dir, dir);
	free((char *)src.journal);
	return (rc);
}

/*
 * Into an empty data directory only; the key is not opened (restore runs
 * before the daemon); the daemon replays the erasures and starts with
 * sending paused.
 */
static int
main_restore(struct daemon *d, const char *dir)
{
	struct store_backup_src		 src;
	struct store_restore_res	 res;
	char				*cause = NULL;
	int				 rc = 0;

	main_backup_src(d, &src);
	if (store_restore(&src, dir, &res, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		free((char *)src.journal);
		return (1);
	}
	printf("restored '%s' into '%s' (schema version %d, %d files%s)\n",
	    dir, d->conf.data_dir, res.schema, res.files,
	    res.key_copied ? ", master key" : "");
	if (res.kept_checkpoints)
		printf("kept the existing checkpoint file '%s'\n",
		    d->conf.checkpoint_file);
	if (res.journal_missing)
		printf("no erasure journal at '%s': erasures made after the "
		    "backup are unknown; if the old one survives, copy it "
		    "there and restore again\n", src.journal);
	printf("%d erasure%s made after the backup will be applied at "
	    "start\n", res.erasures, res.erasures == 1 ? "" : "s");
	printf("sending is paused: after checking the restored data, an "
	    "admin runs: support-inbox outbox resume\n");
	free((char *)src.journal);
	return (rc);
}

/* Asks the running daemon; needs no key and no agent row. */
static int
main_status(struct daemon *d, int as_json)
{
	return (status_main(&d->conf, as_json));
}

int
main(int argc, char **argv)
{
	struct daemon	 d;
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*config = NULL, *cmd = "run", *restore_dir = NULL;
	int		 ch, rc, as_root = 0, i, as_json = 0;

	main_harden();
	log_init("support-inboxd", LOG_INFO);
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "-V") == 0)) {
		printf("support-inboxd %s\n", SI_VERSION);
		return (0);
	}
	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argc--;
		argv++;
	}
	/* restore DIR -c CONFIG: its directory before the options */
	if (strcmp(cmd, "restore") == 0 && argc > 1 && argv[1][0] != '-') {
		restore_dir = argv[1];
		argc--;
		argv++;
	}
	if (strcmp(cmd, "setup") == 0)
		return (main_setup(argc, argv));
	/* init's --as-root, taken out before the common options. */
	for (i = 1; strcmp(cmd, "init") == 0 && i < argc; i++) {
		if (strcmp(argv[i], "--as-root") == 0) {
			as_root = 1;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) *
			    sizeof argv[0]);
			argc--;
			break;
		}
	}
	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'j':
			if (strcmp(cmd, "status") != 0)
				usage();
			as_json = 1;
			break;
		default:
			usage();
		}
	}
	if (config == NULL || optind != argc - (strcmp(cmd, "backup") == 0 ||
	    (strcmp(cmd, "restore") == 0 && restore_dir == NULL)))
		usage();
	if (crypt_global_init() != 0) {
		fprintf(stderr, "support-inboxd: cannot initialise libsodium\n");
		return (1);
	}
	memset(&d, 0, sizeof d);
	if (strcmp(cmd, "init") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_init(&d, as_root);
	} else if (strcmp(cmd, "run") == 0) {
		if (main_load_conf(&d, config, 1) != 0)
			return (1);
		rc = main_run(&d);
	} else if (strcmp(cmd, "backup") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_backup(&d, argv[optind]);
	} else if (strcmp(cmd, "restore") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_restore(&d, restore_dir != NULL ? restore_dir :
		    argv[optind]);
	} else if (strcmp(cmd, "check") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_check(&d);
	} else if (strcmp(cmd, "status") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_status(&d, as_json);
	} else if (strcmp(cmd, "replay") == 0) {
		if (main_load_conf(&d, config, 1) != 0)
			return (1);
		rc = main_replay(&d);
	} else {
		fprintf(stderr, "support-inboxd: unknown command '%s'\n", cmd);
		usage();
		rc = 2;
	}
	conf_release(&d.conf);
	return (rc);
}

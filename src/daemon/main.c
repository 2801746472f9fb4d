/*
 * support-inboxd: the only process that holds the key, opens the database,
 * talks to Meta and writes the audit log.
 *   support-inboxd init -c CONFIG     create data dir, key, database, admin
 *   support-inboxd -c CONFIG          run in the foreground (SIGHUP:
 *                                     reload secrets, token, log level
 *                                     and log file)
 *   support-inboxd replay -c CONFIG   re-ingest quarantined webhook bodies
 *   support-inboxd backup -c CONFIG DIR   online copy: DIR/db/, DIR/keys/
 *   support-inboxd check -c CONFIG    full integrity check, exit 0 or 1
 *   support-inboxd status -c CONFIG [--json]   the running daemon's counts
 *                                     and alarms (root, its own user)
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
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
#include "store.h"
#include "upload.h"
#include "webhook.h"
#include "xmalloc.h"

static void
usage(void)
{
	fprintf(stderr, "usage: support-inboxd [init|replay|check] -c CONFIG\n"
	    "       support-inboxd backup -c CONFIG DIR\n"
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
	struct stat	sb;

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
		*cause = xasprintf("data directory '%s' is owned by uid %u, not "
		    "by the daemon (uid %u)", dir, (unsigned)sb.st_uid,
		    (unsigned)geteuid());
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

static int
main_init(struct daemon *d)
{
	struct stat	 sb;
	struct passwd	*pw;
	char		*cause = NULL, *pass;
	int		 have_key, have_db;
	int64_t		 id;
	struct audit_who who;
	struct audit_rec rec = { .action = "agent.add", .object_type = "agent",
			    .result = "ok", .detail = "admin (init)" };

	if (mkdir(d->conf.data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "support-inboxd: cannot create data directory "
		    "'%s': %s\n", d->conf.data_dir, strerror(errno));
		return (1);
	}
	if (main_check_data_dir(d->conf.data_dir, &cause) != 0)
		goto fail;
	have_key = stat(d->conf.key_file, &sb) == 0;
	have_db = store_has_db(d->conf.data_dir);
	if (have_key && have_db) {
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
	if ((pw = getpwuid(getuid())) == NULL) {
		cause = xasprintf("cannot find the user name of uid %u",
		    (unsigned)getuid());
		goto fail;
	}
	if (store_agent_count(&d->store) == 0) {
		if (store_begin(&d->store) != 0 ||
		    store_agent_add(&d->store, getuid(), pw->pw_name, "admin",
		    &id, &cause) != 0)
			goto fail;
		who.agent_id = id;
		who.agent = pw->pw_name;
		who.client = "init";
		rec.object_id = id;
		if (audit_append(d, &who, &rec) != 0 ||
		    store_commit(&d->store, &cause) != 0) {
			if (cause == NULL)
				cause = xstrdup("cannot write audit log");
			goto fail;
		}
		printf("registered '%s' as the first admin agent\n",
		    pw->pw_name);
	}
	printf("initialised '%s' (schema version %d)\n", d->conf.data_dir,
	    store_schema_version(&d->store));
	store_close(&d->store);
	crypt_free(d->crypt);
	return (0);
fail:
	fprintf(stderr, "support-inboxd: %s\n", cause);
	free(cause);
	return (1);
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
	main_replay_erasures(d);
	retention_start(d);
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
	assign_stop(d);
	retention_stop(d);
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

/* Needs no key: the copy stays sealed, like the original. */
static int
main_backup(struct daemon *d, const char *dir)
{
	char	*cause = NULL;

	if (main_check_data_dir(d->conf.data_dir, &cause) != 0 ||
	    store_backup(d->conf.data_dir, dir, &cause) != 0) {
		fprintf(stderr, "support-inboxd: %s\n", cause);
		free(cause);
		return (1);
	}
	printf("backed up '%s' to '%s/db' and '%s/keys'; keep them apart "
	    "(see '%s/README')\n", d->conf.data_dir, dir, dir, dir);
	return (0);
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
	const char	*config = NULL, *cmd = "run";
	int		 ch, rc, as_json = 0;

	main_harden();
	log_init("support-inboxd", LOG_INFO);
	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argc--;
		argv++;
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
	if (config == NULL || optind != argc - (strcmp(cmd, "backup") == 0))
		usage();
	if (crypt_global_init() != 0) {
		fprintf(stderr, "support-inboxd: cannot initialise libsodium\n");
		return (1);
	}
	memset(&d, 0, sizeof d);
	if (strcmp(cmd, "init") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_init(&d);
	} else if (strcmp(cmd, "run") == 0) {
		if (main_load_conf(&d, config, 1) != 0)
			return (1);
		rc = main_run(&d);
	} else if (strcmp(cmd, "backup") == 0) {
		if (main_load_conf(&d, config, 0) != 0)
			return (1);
		rc = main_backup(&d, argv[optind]);
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

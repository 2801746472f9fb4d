/* Unit tests for conf.c: defaults, the example file, messages, secret files. */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "conf-notice.h"
#include "log.h"
#include "rmtree.h"
#include "xmalloc.h"

struct fixture {
	char	dir[PATH_MAX];		/* a fresh temporary directory */
	char	err[8192];		/* what conf_load wrote on stderr */
};

static int
setup(void **state)
{
	struct fixture	*fx;
	const char	*tmp = getenv("TMPDIR");

	fx = xcalloc(1, sizeof *fx);
	snprintf(fx->dir, sizeof fx->dir, "%s/test_conf.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	assert_int_equal(rmtree(fx->dir), 0);
	free(fx);
	return (0);
}

/* Writes name in the fixture directory with mode; returns its path. */
static char *
put(struct fixture *fx, const char *name, mode_t mode, const char *text)
{
	char	*path;
	FILE	*f;

	path = xasprintf("%s/%s", fx->dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return (path);
}

/* conf_load with stderr captured into fx->err. */
static int
load(struct fixture *fx, struct conf *conf, const char *path, int secrets,
    char **cause)
{
	FILE	*tmp;
	int	 saved, rc;
	size_t	 n;

	fflush(stderr);
	assert_non_null(tmp = tmpfile());
	assert_true((saved = dup(2)) != -1);
	assert_true(dup2(fileno(tmp), 2) != -1);
	rc = conf_load(conf, path, secrets, cause);
	fflush(stderr);
	assert_true(dup2(saved, 2) != -1);
	close(saved);
	rewind(tmp);
	n = fread(fx->err, 1, sizeof fx->err - 1, tmp);
	fx->err[n] = '\0';
	fclose(tmp);
	return (rc);
}

/* Loads text as a config file; returns conf_load's result. */
static int
load_text(struct fixture *fx, struct conf *conf, const char *text,
    int secrets, char **cause)
{
	char	*path;
	int	 rc;

	path = put(fx, "test.conf", 0600, text);
	conf_defaults(conf);
	*cause = NULL;
	rc = load(fx, conf, path, secrets, cause);
	free(path);
	return (rc);
}

/*
 * Expects text to fail with a cause equal to "<dir>/test.conf:" + tail, or
 * only starting with it if prefix is set.
 */
static void
expect_error_(struct fixture *fx, const char *text, const char *tail,
    int prefix)
{
	struct conf	 conf;
	char		*cause, *want;

	assert_int_equal(load_text(fx, &conf, text, 1, &cause), -1);
	assert_non_null(cause);
	want = xasprintf("%s/test.conf:%s", fx->dir, tail);
	if (prefix) {
		if (strncmp(cause, want, strlen(want)) != 0)
			fail_msg("'%s' does not start with '%s'", cause, want);
	} else
		assert_string_equal(cause, want);
	free(want);
	free(cause);
	conf_release(&conf);
}
#define expect_error(fx, text, tail)	expect_error_(fx, text, tail, 0)

static void
defaults_are_applied(void **state)
{
	struct conf	conf;

	(void)state;
	conf_defaults(&conf);
	assert_string_equal(conf.data_dir, "/var/lib/support-inbox");
	assert_string_equal(conf.socket, "/run/support-inbox/socket");
	assert_null(conf.socket_group);
	assert_string_equal(conf.key_file, "/var/lib/support-inbox/master.key");
	assert_null(conf.passphrase_file);
	assert_int_equal(conf.log_level, LOG_INFO);
	assert_string_equal(conf.webhook_listen, "127.0.0.1:8080");
	assert_string_equal(conf.webhook_path, "/webhook");
	assert_int_equal(conf.webhook_max_body, 3145728);
	assert_int_equal(conf.webhook_max_conns, 256);
	assert_int_equal(conf.webhook_timeout, 10);
	assert_null(conf.app_secret);
	assert_null(conf.app_secret_old);
	assert_null(conf.verify_token);
	assert_string_equal(conf.api_base_url, "https://graph.facebook.com");
	assert_string_equal(conf.api_version, "v23.0");
	assert_null(conf.phone_number_id);
	assert_null(conf.access_token);
	assert_int_equal(conf.graph_timeout, 15);
	assert_int_equal(conf.reopen_new, 0);
	assert_int_equal(conf.mark_read, 1);
	assert_int_equal(conf.typing_indicator, 1);
	assert_int_equal(conf.window_hours, 24);
	assert_int_equal(conf.keep_raw_events, 30);
	assert_int_equal(conf.keep_resolved, 730);
	assert_int_equal(conf.keep_media, 365);
	assert_int_equal(conf.keep_audit, 0);
	assert_int_equal(conf.checkpoint_every, 1000);
	assert_int_equal(conf.checkpoint_minutes, 60);
	assert_string_equal(conf.checkpoint_file,
	    "/var/lib/support-inbox/audit-checkpoints.log");
	assert_int_equal(conf.purpose_required, 1);
	assert_string_equal(conf.theme, "default");
	assert_null(conf.keys_file);
	assert_int_equal(conf.enter_sends, 1);
	assert_int_equal(conf.bell, 1);
	assert_int_equal(conf.undo_send_seconds, 5);
	conf_release(&conf);
	assert_null(conf.data_dir);
}

static char *
example_path(void)
{
	const char	*top = getenv("SI_TOP");

	return (xasprintf("%s/support-inbox.conf.example",
	    top != NULL ? top : "."));
}

static void
example_file_parses_without_warnings(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*path, *cause = NULL;

	path = example_path();
	conf_defaults(&conf);
	assert_int_equal(load(fx, &conf, path, 1, &cause), 0);
	assert_null(cause);
	assert_string_equal(fx->err, "");
	conf_release(&conf);
	free(path);
}

/*
 * Every "# key = value" line in the example, made active, must give the
 * defaults: the example documents what the code does.
 */
static void
example_file_documents_the_defaults(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 dflt, conf;
	char		*path, *out, line[1024], *cause = NULL;
	const char	*p;
	FILE		*in, *o;
	int		 n = 0;

	path = example_path();
	out = xasprintf("%s/active.conf", fx->dir);
	assert_non_null(in = fopen(path, "r"));
	assert_non_null(o = fopen(out, "w"));
	while (fgets(line, sizeof line, in) != NULL) {
		p = line + 2;
		if (strncmp(line, "# ", 2) == 0 &&
		    strspn(p, "abcdefghijklmnopqrstuvwxyz_") > 0 &&
		    strncmp(p + strspn(p, "abcdefghijklmnopqrstuvwxyz_"),
		    " =", 2) == 0) {
			fputs(p, o);
			n++;
		} else
			fputs(line, o);
	}
	fclose(in);
	assert_int_equal(fclose(o), 0);
	assert_true(n >= 40);

	conf_defaults(&dflt);
	conf_defaults(&conf);
	assert_int_equal(load(fx, &conf, out, 0, &cause), 0);
	assert_null(cause);
	assert_string_equal(fx->err, "");

	/* The example names sample secret files; everything else matches. */
	assert_non_null(conf.app_secret_file);
	free(conf.app_secret_file);
	free(conf.app_secret_old_file);
	free(conf.verify_token_file);
	free(conf.access_token_file);
	conf.app_secret_file = conf.app_secret_old_file = NULL;
	conf.verify_token_file = conf.access_token_file = NULL;
	free(conf.path);
	conf.path = NULL;

#define SAME_STR(f)	do {						\
	if (dflt.f == NULL) assert_null(conf.f);			\
	else assert_string_equal(conf.f, dflt.f);			\
} while (0)
	SAME_STR(data_dir); SAME_STR(socket); SAME_STR(socket_group);
	SAME_STR(key_file); SAME_STR(passphrase_file);
	SAME_STR(stop_reply); SAME_STR(start_reply);
	SAME_STR(webhook_listen); SAME_STR(webhook_path);
	SAME_STR(app_secret); SAME_STR(app_secret_old); SAME_STR(verify_token);
	SAME_STR(api_base_url); SAME_STR(api_version);
	SAME_STR(phone_number_id); SAME_STR(waba_id); SAME_STR(access_token);
	SAME_STR(checkpoint_file); SAME_STR(theme); SAME_STR(keys_file);
#undef SAME_STR
	assert_int_equal(conf.log_level, dflt.log_level);
	assert_int_equal(conf.webhook_max_body, dflt.webhook_max_body);
	assert_int_equal(conf.webhook_max_conns, dflt.webhook_max_conns);
	assert_int_equal(conf.webhook_timeout, dflt.webhook_timeout);
	assert_int_equal(conf.graph_timeout, dflt.graph_timeout);
	assert_int_equal(conf.reopen_new, dflt.reopen_new);
	assert_int_equal(conf.mark_read, dflt.mark_read);
	assert_int_equal(conf.typing_indicator, dflt.typing_indicator);
	assert_int_equal(conf.window_hours, dflt.window_hours);
	assert_int_equal(conf.keep_raw_events, dflt.keep_raw_events);
	assert_int_equal(conf.keep_resolved, dflt.keep_resolved);
	assert_int_equal(conf.keep_media, dflt.keep_media);
	assert_int_equal(conf.keep_audit, dflt.keep_audit);
	assert_int_equal(conf.checkpoint_every, dflt.checkpoint_every);
	assert_int_equal(conf.checkpoint_minutes, dflt.checkpoint_minutes);
	assert_int_equal(conf.purpose_required, dflt.purpose_required);
	assert_int_equal(conf.enter_sends, dflt.enter_sends);
	assert_int_equal(conf.bell, dflt.bell);
	assert_int_equal(conf.uploads_per_agent, dflt.uploads_per_agent);
	assert_int_equal(conf.upload_bytes_per_agent,
	    dflt.upload_bytes_per_agent);
	assert_int_equal(conf.upload_expiry, dflt.upload_expiry);

	conf_release(&conf);
	conf_release(&dflt);
	free(out);
	free(path);
}

static void
values_are_parsed(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause;

	assert_int_equal(load_text(fx, &conf,
	    "[daemon]\nlog_level = DEBUG\nsocket_group = support\n"
	    "[webhook]\nlisten = [::1]:9000\nmax_body = 1024\n"
	    "[inbox]\nreopen_policy = new\nmark_read = off\n"
	    "typing_indicator = 0\n"
	    "[retention]\nresolved_days = 0\n"
	    "[client]\nbell = osc777\nenter_sends = false\n"
	    "download_dir = ~/Files\n", 1, &cause), 0);
	assert_string_equal(fx->err, "");
	assert_int_equal(conf.log_level, LOG_DEBUG);
	assert_string_equal(conf.socket_group, "support");
	assert_string_equal(conf.webhook_listen, "[::1]:9000");
	assert_int_equal(conf.webhook_max_body, 1024);
	assert_int_equal(conf.reopen_new, 1);
	assert_int_equal(conf.mark_read, 0);
	assert_int_equal(conf.typing_indicator, 0);
	assert_int_equal(conf.keep_resolved, 0);
	assert_int_equal(conf.bell, 2);
	assert_int_equal(conf.enter_sends, 0);
	assert_string_equal(conf.download_dir, "~/Files");
	conf_release(&conf);
}

static void
listen_off_disables_the_webhook(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause;

	assert_int_equal(load_text(fx, &conf, "[webhook]\nlisten = off\n", 1,
	    &cause), 0);
	assert_null(conf.webhook_listen);
	conf_release(&conf);
}

static void
duplicate_key_last_wins(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause;

	assert_int_equal(load_text(fx, &conf,
	    "[graph]\ntimeout = 20\ntimeout = 30\n", 1, &cause), 0);
	assert_int_equal(conf.graph_timeout, 30);
	conf_release(&conf);
}

static void
unknown_key_warns_with_file_and_line(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause, *want;

	assert_int_equal(load_text(fx, &conf,
	    "# comment\n[webhook]\npath = /hook\nmax_bdy = 5\n", 1, &cause), 0);
	assert_null(cause);
	want = xasprintf("warning: %s/test.conf:4: unknown key 'max_bdy' in "
	    "[webhook]\n", fx->dir);
	assert_string_equal(fx->err, want);
	assert_string_equal(conf.webhook_path, "/hook");
	free(want);
	conf_release(&conf);
}

static void
unknown_section_warns_once(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause, *want;

	assert_int_equal(load_text(fx, &conf,
	    "[inbx]\na = 1\nb = 2\n[inbox]\nwindow_hours = 12\n", 1, &cause),
	    0);
	want = xasprintf("warning: %s/test.conf:2: unknown section [inbx]\n",
	    fx->dir);
	assert_string_equal(fx->err, want);
	assert_int_equal(conf.window_hours, 12);
	free(want);
	conf_release(&conf);
}

static void
bad_number_names_file_line_key_and_range(void **state)
{
	struct fixture	*fx = *state;

	expect_error(fx, "[webhook]\n\nmax_body = abc\n",
	    "3: [webhook] max_body expects a number from 1024 to 3145728, "
	    "not 'abc'");
	expect_error(fx, "[webhook]\nmax_body = 4000000\n",
	    "2: [webhook] max_body expects a number from 1024 to 3145728, "
	    "not '4000000'");
	expect_error(fx, "[inbox]\nwindow_hours = -1\n",
	    "2: [inbox] window_hours expects a number from 1 to 24, not '-1'");
	expect_error(fx, "[graph]\ntimeout = 99999999999999999999\n",
	    "2: [graph] timeout expects a number from 1 to 600, "
	    "not '99999999999999999999'");
}

static void
bad_bool_enum_and_listen_are_errors(void **state)
{
	struct fixture	*fx = *state;

	expect_error(fx, "[inbox]\nmark_read = maybe\n",
	    "2: [inbox] mark_read expects yes or no, not 'maybe'");
	expect_error(fx, "[inbox]\nreopen_policy = always\n",
	    "2: [inbox] reopen_policy expects reopen or new, not 'always'");
	expect_error(fx, "[daemon]\nlog_level = loud\n",
	    "2: [daemon] log_level expects error, warn, info or debug, "
	    "not 'loud'");
	expect_error(fx, "[client]\nbell = ding\n",
	    "2: [client] bell expects off, bell or osc777, not 'ding'");
	expect_error(fx, "[client]\nundo_send_seconds = 61\n",
	    "2: [client] undo_send_seconds expects a number from 0 to 60, "
	    "not '61'");
	expect_error(fx, "[webhook]\nlisten = 8080\n",
	    "2: [webhook] listen expects host:port or off, not '8080'");
	expect_error(fx, "[webhook]\nlisten = localhost:0\n",
	    "2: [webhook] listen expects host:port or off, not 'localhost:0'");
	expect_error(fx, "[webhook]\nlisten = ::1:80\n",
	    "2: [webhook] listen expects host:port or off, not '::1:80'");
	expect_error(fx, "[webhook]\npath = webhook\n",
	    "2: [webhook] path expects a URL path starting with '/', "
	    "not 'webhook'");
	expect_error(fx, "[graph]\napi_base_url = ftp://x\n",
	    "2: [graph] api_base_url expects an http:// or https:// URL, "
	    "not 'ftp://x'");
	expect_error(fx, "[daemon]\ndata_dir =\n",
	    "2: [daemon] data_dir expects a file name");
}

/*
 * Found by fuzzing: a second bad value freed the first error's message,
 * which was then reported and freed again. The first error is the one
 * reported, whatever follows it.
 */
static void
several_bad_values_report_the_first(void **state)
{
	struct fixture	*fx = *state;

	expect_error(fx, "[daemon]\nlog_level = bogus\nlog_level = worse\n",
	    "2: [daemon] log_level expects error, warn, info or debug, "
	    "not 'bogus'");
	expect_error(fx, "[daemon]\nlog_level = bogus\n[webhook]\n"
	    "max_body = 1\ntimeout = never\n[inbox]\nmark_read = maybe\n",
	    "2: [daemon] log_level expects error, warn, info or debug, "
	    "not 'bogus'");
	expect_error(fx, "[inbox]\nmark_read = maybe\nthis is no key\n"
	    "window_hours = 99\n",
	    "2: [inbox] mark_read expects yes or no, not 'maybe'");
	expect_error(fx, "[inbox]\nmark_read = maybe\n"
	    "  indented = continuation\n",
	    "2: [inbox] mark_read expects yes or no, not 'maybe'");
}

static void
syntax_error_names_the_line(void **state)
{
	struct fixture	*fx = *state;

	expect_error(fx, "[daemon]\nlog_level = info\njust words\n",
	    "3: syntax error: expected [section] or key = value");
	/* The first error wins, whichever kind it is. */
	expect_error(fx, "[daemon]\nlog_level = x\njust words\n",
	    "2: [daemon] log_level expects error, warn, info or debug, "
	    "not 'x'");
}

static void
continuation_line_is_refused(void **state)
{
	struct fixture	*fx = *state;

	expect_error(fx, "[graph]\napi_version = v23.0\n  v24.0\n",
	    "3: [graph] api_version: indented line continues the value; "
	    "values must fit on one line");
}

static void
long_inline_value_is_read_whole(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		 token[1001], *text, *cause;

	memset(token, 'T', sizeof token - 1);
	token[sizeof token - 1] = '\0';
	text = xasprintf("[graph]\naccess_token = %s\ntimeout = 7\n", token);
	assert_int_equal(load_text(fx, &conf, text, 0, &cause), 0);
	assert_string_equal(conf.access_token, token);
	assert_int_equal(conf.graph_timeout, 7);
	conf_release(&conf);
	free(text);
}

static void
overlong_line_is_an_error(void **state)
{
	struct fixture	*fx = *state;
	char		 token[20000], *text;

	memset(token, 'T', sizeof token - 1);
	token[sizeof token - 1] = '\0';
	text = xasprintf("[graph]\naccess_token = %s\n", token);
	expect_error_(fx, text, "2: line is longer than ", 1);
	free(text);
}

static void
relative_paths_resolve_against_config_dir(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause, *want, *real;

	/* The fixture directory may sit below a symbolic link (/tmp). */
	assert_non_null(real = realpath(fx->dir, NULL));
	assert_int_equal(load_text(fx, &conf,
	    "[daemon]\ndata_dir = data\nsocket = ./run/sock\n"
	    "[client]\nkeys_file = /etc/keys\n", 0, &cause), 0);
	want = xasprintf("%s/data", real);
	assert_string_equal(conf.data_dir, want);
	free(want);
	want = xasprintf("%s/run/sock", real);
	assert_string_equal(conf.socket, want);
	free(want);
	want = xasprintf("%s/data/master.key", real);
	assert_string_equal(conf.key_file, want);
	free(want);
	want = xasprintf("%s/data/audit-checkpoints.log", real);
	assert_string_equal(conf.checkpoint_file, want);
	free(want);
	assert_string_equal(conf.keys_file, "/etc/keys");
	conf_release(&conf);

	/* An explicit key_file is not derived from data_dir. */
	assert_int_equal(load_text(fx, &conf,
	    "[daemon]\nkey_file = k/master.key\ndata_dir = /srv/si\n", 0,
	    &cause), 0);
	want = xasprintf("%s/k/master.key", real);
	assert_string_equal(conf.key_file, want);
	assert_string_equal(conf.checkpoint_file,
	    "/srv/si/audit-checkpoints.log");
	free(want);
	conf_release(&conf);
	free(real);
}

static void
missing_config_file_is_a_clear_error(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*path, *cause = NULL, *want;

	path = xasprintf("%s/nope.conf", fx->dir);
	conf_defaults(&conf);
	assert_int_equal(load(fx, &conf, path, 1, &cause), -1);
	want = xasprintf("cannot open config file '%s': No such file or "
	    "directory", path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);
	conf_release(&conf);
}

static void
secret_file_is_read_and_newline_stripped(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause, *p;

	p = put(fx, "app-secret", 0600, "s3cret\n");
	free(p);
	p = put(fx, "token", 0600, "tok\r\n");
	free(p);
	p = put(fx, "verify", 0600, "v\n\n");
	free(p);
	assert_int_equal(load_text(fx, &conf,
	    "[webhook]\napp_secret_file = app-secret\n"
	    "verify_token_file = verify\n"
	    "app_secret_previous = old\n"
	    "[graph]\naccess_token_file = token\n", 1, &cause), 0);
	assert_null(cause);
	assert_string_equal(fx->err, "");
	assert_string_equal(conf.app_secret, "s3cret");
	assert_string_equal(conf.access_token, "tok");
	assert_string_equal(conf.verify_token, "v\n");	/* only one stripped */
	assert_string_equal(conf.app_secret_old, "old");
	conf_release(&conf);
}

static void
secret_file_readable_by_others_is_refused(void **state)
{
	struct fixture	*fx = *state;
	char		*p, *want, *real;

	p = put(fx, "app-secret", 0644, "s3cret\n");
	assert_non_null(real = realpath(p, NULL));
	want = xasprintf("2: [webhook] app_secret_file: secret file '%s' is "
	    "readable by group or others (mode 0644); chmod 600 it", real);
	expect_error(fx, "[webhook]\napp_secret_file = app-secret\n", want);
	free(want);
	free(real);
	free(p);
}

static void
secret_file_bad_kinds_are_refused(void **state)
{
	struct fixture	*fx = *state;
	char		*p, *link, *cause = NULL, big[CONF_SECRET_MAX + 2];

	p = put(fx, "empty", 0600, "\n");
	assert_null(conf_read_secret_file(p, &cause));
	assert_non_null(strstr(cause, "is empty"));
	free(cause);

	link = xasprintf("%s/link", fx->dir);
	assert_int_equal(symlink(p, link), 0);
	assert_null(conf_read_secret_file(link, &cause));
	assert_non_null(strstr(cause, "is a symbolic link"));
	free(cause);
	free(link);
	free(p);

	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	p = put(fx, "big", 0600, big);
	assert_null(conf_read_secret_file(p, &cause));
	assert_non_null(strstr(cause, "is larger than 4096 bytes"));
	free(cause);
	free(p);

	assert_null(conf_read_secret_file(fx->dir, &cause));
	assert_non_null(strstr(cause, "is not a regular file"));
	free(cause);

	/* A missing file fails the daemon, not the client. */
	expect_error_(fx, "[graph]\naccess_token_file = missing\n",
	    "2: [graph] access_token_file: cannot open secret file '", 1);
}

static void
secret_inline_and_file_is_an_error(void **state)
{
	struct fixture	*fx = *state;
	char		*p;

	p = put(fx, "app-secret", 0600, "s3cret\n");
	free(p);
	expect_error(fx,
	    "[webhook]\napp_secret_file = app-secret\napp_secret = x\n",
	    "3: [webhook] app_secret and app_secret_file are both given; "
	    "keep one");
}

static void
client_records_secret_files_without_reading(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause, *want, *real;

	assert_non_null(real = realpath(fx->dir, NULL));
	assert_int_equal(load_text(fx, &conf,
	    "[graph]\naccess_token_file = missing\n", 0, &cause), 0);
	want = xasprintf("%s/missing", real);
	assert_string_equal(conf.access_token_file, want);
	assert_null(conf.access_token);
	free(want);
	free(real);
	conf_release(&conf);
}

static void
private_directory_rule(void **state)
{
	struct fixture	*fx = *state;
	char		*cause = NULL, *want;
	int		 fd;

	assert_true((fd = open(fx->dir, O_RDONLY|O_DIRECTORY)) != -1);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	assert_int_equal(conf_check_private_file(fd, fx->dir, &cause), 0);
	assert_int_equal(chmod(fx->dir, 0710), 0);
	assert_int_equal(conf_check_private_file(fd, fx->dir, &cause), -1);
	want = xasprintf("'%s' is accessible by group or others (mode 0710); "
	    "chmod 700 it", fx->dir);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	close(fd);
}

static void
inline_secret_in_readable_file_warns(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*path, *cause = NULL;

	path = put(fx, "open.conf", 0644, "[webhook]\napp_secret = x\n");
	conf_defaults(&conf);
	assert_int_equal(load(fx, &conf, path, 1, &cause), 0);
	assert_non_null(strstr(fx->err, "holds secrets inline but is "
	    "readable by group or others (mode 0644)"));
	conf_release(&conf);
	free(path);
}

/* Issue 15: [graph]'s number first, then [number X] sections. */
static void
number_sections_follow_the_graph_number(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*cause;

	assert_int_equal(load_text(fx, &conf, "[graph]\n"
	    "phone_number_id = 1065\nwaba_id = 1022\nlabel = DE\n"
	    "[number sales]\nphone_number_id = 2065\nwaba_id = 2022\n"
	    "token_file = tok\nteam = sales\n"
	    "[number.AT]\nphone_number_id = 3065\nwaba_id = 2022\n"
	    "token_file = tok\n", 0, &cause), 0);
	assert_int_equal(conf.nnumbers, 3);
	assert_string_equal(conf.numbers[0].label, "DE");
	assert_true(conf.numbers[0].graph);
	assert_string_equal(conf.numbers[1].label, "sales");
	assert_string_equal(conf.numbers[1].team, "sales");
	assert_string_equal(conf.numbers[2].label, "AT");
	assert_string_equal(conf_number_by_id(&conf, "3065")->label, "AT");
	assert_null(conf_number_by_label(&conf, "nope"));
	conf_release(&conf);
	assert_int_equal(load_text(fx, &conf, "[graph]\nlabel = DE\n", 0,
	    &cause), 0);
	assert_int_equal(conf.nnumbers, 0);	/* no phone_number_id: none */
	conf_release(&conf);
}

static void
number_section_errors(void **state)
{
	struct fixture	*fx = *state;

	expect_error_(fx, "[graph]\nphone_number_id = 1\n[number main]\n"
	    "phone_number_id = 2\nwaba_id = 3\ntoken_file = t\n",
	    "3: [number main]: [graph] label is 'main' already", 1);
	expect_error_(fx, "[graph]\nphone_number_id = 1\n[number x]\n"
	    "phone_number_id = 1\nwaba_id = 3\ntoken_file = t\n",
	    "3: [number x] has the phone_number_id of [graph]", 1);
	expect_error_(fx, "[number x]\nphone_number_id = 1\n",
	    "1: [number x] needs phone_number_id, waba_id and token_file", 1);
	expect_error_(fx, "[number a.b]\nphone_number_id = 1\n",
	    "2: [number a.b]: a number's label is", 1);
	expect_error_(fx, "[number x]\nphone_number_id = 1/2\n",
	    "2: [number x] phone_number_id expects", 1);
	expect_error_(fx, "[number x]\nwaba_id = 1\n[number x]\n"
	    "waba_id = 2\n", "4: [number x] is given twice", 1);
	expect_error_(fx, "[number x]\nphone_number_id = 1\nwaba_id = 2\n"
	    "token_file = missing\n", "1: [number x] token_file: cannot "
	    "open", 1);
}

/* [contacts] default_country: a country the phone table knows. */
static void
default_country_is_checked(void **state)
{
	struct fixture	*fx = *state;
	struct conf	 conf;
	char		*path, *cause = NULL;

	expect_error(fx, "[contacts]\ndefault_country = XX\n",
	    "2: [contacts] default_country expects a two-letter country code "
	    "such as DE, AT, CH, GB or US (see doc/phone.md), not 'XX'");
	expect_error(fx, "[contacts]\ndefault_country = DEU\n",
	    "2: [contacts] default_country expects a two-letter country code "
	    "such as DE, AT, CH, GB or US (see doc/phone.md), not 'DEU'");
	path = put(fx, "cc.conf", 0600, "[contacts]\ndefault_country = uk\n");
	conf_defaults(&conf);
	assert_string_equal(conf.default_country, "DE");
	assert_int_equal(load(fx, &conf, path, 0, &cause), 0);
	assert_string_equal(conf.default_country, "GB");
	conf_release(&conf);
	free(path);
}

/* Issue 16: [notice] and [notice LABEL], texts read and checked. */
static void
notice_sections_are_parsed_and_checked(void **state)
{
	struct fixture			*fx = *state;
	struct conf			 conf;
	const struct conf_notice	*n;
	char				*p1, *p2, *cause = NULL;

	p1 = put(fx, "n.de.txt", 0644, "Hinweis: https://example.com/ds "
	    "STOP\n\n");
	p2 = put(fx, "n.en.txt", 0644, "Notice: https://example.com/p\n");
	free(p1);
	free(p2);
	assert_int_equal(load_text(fx, &conf, "[graph]\n"
	    "phone_number_id = 1065\nwaba_id = 1022\nlabel = DE\n"
	    "[notice]\nversion = 3\ntext.de = n.de.txt\ntext.en = n.en.txt\n"
	    "default_lang = en\n[notice DE]\nenabled = no\n", 1, &cause), 0);
	assert_int_equal(conf.nnotices, 2);
	n = conf_notice_for(&conf, NULL);
	assert_non_null(n);
	assert_int_equal(n->version, 3);
	assert_string_equal(n->texts[0].text, "Hinweis: "
	    "https://example.com/ds STOP");
	assert_string_equal(conf_notice_text(n, "de_AT")->lang, "de");
	assert_string_equal(conf_notice_text(n, "fr")->lang, "en");
	assert_string_equal(conf_notice_text(n, NULL)->lang, "en");
	assert_false(conf_notice_for(&conf, "DE")->enabled);
	/* A notice without STOP is a warning, not an error. */
	assert_non_null(strstr(fx->err, "n.en.txt' names none of [consent] "
	    "stop_keywords"));
	conf_release(&conf);

	expect_error_(fx, "[notice]\nversion = 0\n",
	    "2: [notice] version expects a positive whole number", 1);
	expect_error_(fx, "[notice]\nversion = 4294967296\n",
	    "2: [notice] version expects a positive whole number", 1);
	expect_error_(fx, "[notice]\ntext.DE = x\n",
	    "2: [notice] text.DE: the key is text.LANG", 1);
	expect_error_(fx, "[notice]\ntext.de = n.de.txt\n",
	    "2: [notice] needs version = N", 1);
	expect_error_(fx, "[notice]\nversion = 1\n",
	    "2: [notice] needs a text.LANG = FILE", 1);
	expect_error_(fx, "[notice x]\nversion = 1\n",
	    "2: [notice x]: no number has the label 'x'", 1);
	expect_error_(fx, "[notice]\nversion = 1\ntext.de = nope.txt\n",
	    "3: [notice] text.de: cannot open", 1);
	p1 = put(fx, "nolink.txt", 0644, "Hinweis ohne Link. STOP\n");
	free(p1);
	expect_error_(fx, "[notice]\nversion = 1\ntext.de = nolink.txt\n",
	    "3: [notice] text.de: '", 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_applied),
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(example_file_parses_without_warnings),
		T(example_file_documents_the_defaults),
		T(values_are_parsed),
		T(listen_off_disables_the_webhook),
		T(duplicate_key_last_wins),
		T(unknown_key_warns_with_file_and_line),
		T(unknown_section_warns_once),
		T(bad_number_names_file_line_key_and_range),
		T(bad_bool_enum_and_listen_are_errors),
		T(several_bad_values_report_the_first),
		T(syntax_error_names_the_line),
		T(continuation_line_is_refused),
		T(long_inline_value_is_read_whole),
		T(overlong_line_is_an_error),
		T(relative_paths_resolve_against_config_dir),
		T(missing_config_file_is_a_clear_error),
		T(secret_file_is_read_and_newline_stripped),
		T(secret_file_readable_by_others_is_refused),
		T(secret_file_bad_kinds_are_refused),
		T(secret_inline_and_file_is_an_error),
		T(client_records_secret_files_without_reading),
		T(private_directory_rule),
		T(inline_secret_in_readable_file_warns),
		T(number_sections_follow_the_graph_number),
		T(number_section_errors),
		T(default_country_is_checked),
		T(notice_sections_are_parsed_and_checked),
#undef T
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* Unit tests for conf-hook.c: the [hook NAME] sections, their defaults,
 * the events and include levels, and what is refused. */
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
#include "conf-hook.h"
#include "xmalloc.h"

/* conf_load of text without secrets (stderr as it is). */
static int
load(struct conf *conf, const char *text, char **cause)
{
	char	 path[] = "/tmp/test_conf_hook.XXXXXX";
	FILE	*f;
	int	 fd, rc;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	conf_defaults(conf);
	*cause = NULL;
	rc = conf_load(conf, path, 0, cause);
	unlink(path);
	return (rc);
}

static void
hook_sections_parse_with_defaults(void **state)
{
	struct conf		 conf;
	const struct conf_hook	*h;
	char			*cause;

	(void)state;
	assert_int_equal(load(&conf,
	    "[hook crm]\n"
	    "events = conversation.new, conversation.resolved\n"
	    "url = https://crm.example.com/hook\n"
	    "secret_file = /etc/si/crm.secret\n"
	    "include = names\n"
	    "cacert = /etc/ssl/private-ca.pem\n"
	    "\n[hook.teams]\n"
	    "events = conversation.waiting sla.breached\n"
	    "url = http://127.0.0.1:8080/relay\n"
	    "secret_file = rel/teams.secret\n"
	    "format = teams\n"
	    "card = /usr/share/doc/support-inbox/teams/card.json\n"
	    "waiting_minutes = 15\n"
	    "max_attempts = 3\n"
	    "backoff = 5\n"
	    "backoff_max = 60\n"
	    "\n[hook script]\n"
	    "events = conversation.resolved\n"
	    "program = /usr/local/bin/crm-add\n"
	    "args = --mode transcript  --quiet\n"
	    "timeout = 30\n", &cause), 0);
	assert_null(cause);
	assert_int_equal(conf.nhooks, 3);

	assert_non_null(h = conf_hook_by_name(&conf, "crm"));
	assert_int_equal(h->events, (1u << CONF_HOOK_CONV_NEW) |
	    (1u << CONF_HOOK_CONV_RESOLVED));
	assert_string_equal(h->url, "https://crm.example.com/hook");
	assert_null(h->program);
	assert_int_equal(h->include, CONF_HOOK_NAMES);
	assert_int_equal(h->format, CONF_HOOK_JSON);
	assert_int_equal(h->max_attempts, 8);
	assert_int_equal(h->backoff, 10);
	assert_int_equal(h->backoff_max, 3600);
	assert_int_equal(h->timeout, 10);
	assert_null(h->secret);		/* not loaded without load_secrets */
	assert_string_equal(h->cacert, "/etc/ssl/private-ca.pem");
	assert_null(h->card_file);

	assert_non_null(h = conf_hook_by_name(&conf, "teams"));
	assert_int_equal(h->format, CONF_HOOK_TEAMS);
	assert_int_equal(h->waiting_minutes, 15);
	assert_int_equal(h->include, CONF_HOOK_IDS);	/* the default */
	assert_int_equal(h->max_attempts, 3);
	assert_non_null(strstr(h->secret_file, "/rel/teams.secret"));
	assert_true(h->secret_file[0] == '/');
	assert_string_equal(h->card_file,
	    "/usr/share/doc/support-inbox/teams/card.json");
	assert_null(h->cacert);

	assert_non_null(h = conf_hook_by_name(&conf, "script"));
	assert_string_equal(h->program, "/usr/local/bin/crm-add");
	assert_string_equal(h->args[0], "--mode");
	assert_string_equal(h->args[1], "transcript");
	assert_string_equal(h->args[2], "--quiet");
	assert_null(h->args[3]);
	assert_int_equal(h->timeout, 30);
	assert_null(conf_hook_by_name(&conf, "nosuch"));
	conf_release(&conf);
}

static void
hook_event_names_round_trip(void **state)
{
	int	i;

	(void)state;
	for (i = 0; i < CONF_HOOK_NEVENTS; i++)
		assert_int_equal(conf_hook_event_from(conf_hook_event_name(i)),
		    i);
	assert_int_equal(conf_hook_event_from("sla.breached"),
	    CONF_HOOK_SLA_BREACHED);
	assert_int_equal(conf_hook_event_from("conversation"), -1);
	assert_null(conf_hook_event_name(CONF_HOOK_NEVENTS));
	assert_string_equal(conf_hook_include_name(CONF_HOOK_TEXT), "text");
}

/* Each bad section is refused with its file, line and the fix. */
static void
hook_bad_sections_are_refused(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "[hook a]\nevents = conversation.nope\nprogram = /bin/true\n",
		    "unknown event 'conversation.nope'" },
		{ "[hook a]\nevents =\nprogram = /bin/true\n",
		    "expects one or more event names" },
		{ "[hook a]\nevents = conversation.new\n",
		    "needs exactly one of url = and program =" },
		{ "[hook a]\nevents = conversation.new\nprogram = /bin/true\n"
		    "url = https://x.example/\nsecret_file = /s\n",
		    "needs exactly one of url = and program =" },
		{ "[hook a]\nevents = conversation.new\n"
		    "url = https://x.example/\n", "needs secret_file" },
		{ "[hook a]\nevents = conversation.new\n"
		    "url = http://x.example/\n", "http:// only to 127.0.0.1" },
		{ "[hook a]\nevents = conversation.new\n"
		    "url = http://127.0.0.2/\n", "http:// only to 127.0.0.1" },
		{ "[hook a]\nevents = conversation.new\nprogram = bin/true\n",
		    "expects an absolute path" },
		{ "[hook a]\nevents = conversation.new\nprogram = /bin/true\n"
		    "include = all\n", "expects ids, masked, names or text" },
		{ "[hook a]\nevents = conversation.new\nprogram = /bin/true\n"
		    "format = teams\n", "format = teams needs url" },
		{ "[hook a]\nevents = conversation.new\n"
		    "url = https://x.example/\nsecret_file = /s\n"
		    "format = teams\n", "needs card" },
		{ "[hook a]\nevents = conversation.waiting\n"
		    "program = /bin/true\n", "needs waiting_minutes" },
		{ "[hook a]\nevents = conversation.new\nprogram = /bin/true\n"
		    "max_attempts = 0\n", "expects a number from 1 to 100" },
		{ "[hook a]\nevents = conversation.new\nprogram = /bin/true\n"
		    "backoff = 100\nbackoff_max = 10\n",
		    "backoff is more than backoff_max" },
		{ "[hook a b]\nevents = conversation.new\n",
		    "a hook's name is 1 to" },
	};
	struct conf	 conf;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load(&conf, bad[i].text, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("%s: got '%s', want '%s'", bad[i].text, cause,
			    bad[i].want);
		assert_non_null(strstr(cause, "/tmp/test_conf_hook."));
		free(cause);
		conf_release(&conf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hook_sections_parse_with_defaults),
		cmocka_unit_test(hook_event_names_round_trip),
		cmocka_unit_test(hook_bad_sections_are_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

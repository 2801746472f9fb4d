/* Unit tests for conf-sla.c: the [sla] and [sla TEAM] sections, which
 * target wins, business hours, the horizon, and what is refused. */
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
#include "conf-sla.h"
#include "names.h"
#include "xmalloc.h"

/* conf_load of text without secrets (stderr as it is). */
static int
load(struct conf *conf, const char *text, char **cause)
{
	char	 path[] = "/tmp/test_conf_sla.XXXXXX";
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
sla_most_specific_target_wins(void **state)
{
	struct conf	 conf;
	const char	*from;
	char		*cause;

	(void)state;
	assert_int_equal(load(&conf,
	    "[sla]\n"
	    "first_response = 1h\n"
	    "first_response.urgent = 15m\n"
	    "resolution = 3d\n"
	    "\n[sla billing]\n"
	    "first_response = 2h\n"
	    "next_response.high = 30m\n"
	    "resolution = none\n"
	    "business_hours = no\n"
	    "\n[sla.vip]\n"
	    "first_response.urgent = 90s\n", &cause), 0);
	assert_null(cause);
	assert_int_equal(conf.nslas, 3);

	/* default, default+priority */
	assert_int_equal(conf_sla_target(&conf, NULL, CONV_NORMAL, SLA_FIRST,
	    &from), 3600);
	assert_string_equal(from, "default");
	assert_int_equal(conf_sla_target(&conf, NULL, CONV_URGENT, SLA_FIRST,
	    &from), 900);
	assert_string_equal(from, "default.priority");
	/* a team without a section has the default's */
	assert_int_equal(conf_sla_target(&conf, "support", CONV_URGENT,
	    SLA_FIRST, NULL), 900);
	/* team beats default+priority; team+priority beats team */
	assert_int_equal(conf_sla_target(&conf, "billing", CONV_URGENT,
	    SLA_FIRST, &from), 7200);
	assert_string_equal(from, "team");
	assert_int_equal(conf_sla_target(&conf, "billing", CONV_HIGH,
	    SLA_NEXT, &from), 1800);
	assert_string_equal(from, "team.priority");
	assert_int_equal(conf_sla_target(&conf, "vip", CONV_URGENT,
	    SLA_FIRST, NULL), 90);
	assert_int_equal(conf_sla_target(&conf, "vip", CONV_LOW,
	    SLA_FIRST, NULL), 3600);
	/* none given anywhere: no target; "none" hides the default's */
	assert_int_equal(conf_sla_target(&conf, NULL, CONV_LOW, SLA_NEXT,
	    &from), 0);
	assert_null(from);
	assert_int_equal(conf_sla_target(&conf, "billing", CONV_LOW,
	    SLA_RESOLUTION, NULL), 0);
	assert_int_equal(conf_sla_target(&conf, "vip", CONV_LOW,
	    SLA_RESOLUTION, NULL), 3 * 86400);

	/* business hours: yes unless a section says no */
	assert_int_equal(conf_sla_business_hours(&conf, NULL), 1);
	assert_int_equal(conf_sla_business_hours(&conf, "vip"), 1);
	assert_int_equal(conf_sla_business_hours(&conf, "billing"), 0);
	assert_int_equal(conf_sla_soon(&conf), CONF_SLA_SOON);
	conf_release(&conf);
}

static void
sla_defaults_without_sections(void **state)
{
	struct conf	 conf;
	char		*cause;

	(void)state;
	assert_int_equal(load(&conf, "[inbox]\nwindow_hours = 24\n",
	    &cause), 0);
	assert_int_equal(conf_sla_any(&conf), 0);
	assert_int_equal(conf_sla_target(&conf, "x", CONV_URGENT, SLA_FIRST,
	    NULL), 0);
	assert_int_equal(conf_sla_business_hours(&conf, "x"), 1);
	assert_int_equal(conf_sla_soon(&conf), 1800);
	conf_release(&conf);

	assert_int_equal(load(&conf, "[sla default]\nsoon = 45m\n", &cause),
	    0);
	assert_int_equal(conf_sla_soon(&conf), 45 * 60);
	assert_int_equal(conf.nslas, 1);
	assert_null(conf.slas[0].team);
	conf_release(&conf);
}

static void
sla_kind_names_round_trip(void **state)
{
	int	k;

	(void)state;
	for (k = 0; k < SLA_NKINDS; k++)
		assert_int_equal(conf_sla_kind_from(conf_sla_kind_name(k)), k);
	assert_int_equal(conf_sla_kind_from("first_response"), -1);
	assert_int_equal(conf_sla_kind_from(NULL), -1);
	assert_null(conf_sla_kind_name(SLA_NKINDS));
	assert_string_equal(conf_sla_key_name(SLA_NEXT), "next_response");
}

static void
sla_swap_says_whether_it_changed(void **state)
{
	struct conf	 a, b;
	char		*cause;

	(void)state;
	assert_int_equal(load(&a, "[sla]\nfirst_response = 1h\n", &cause), 0);
	assert_int_equal(load(&b, "[sla]\nfirst_response = 60m\n", &cause),
	    0);
	assert_int_equal(conf_sla_swap(&a, &b), 0);
	conf_release(&b);
	assert_int_equal(load(&b, "[sla]\nfirst_response = 2h\n", &cause), 0);
	assert_int_equal(conf_sla_swap(&a, &b), 1);
	assert_int_equal(conf_sla_target(&a, NULL, CONV_LOW, SLA_FIRST, NULL),
	    7200);
	assert_int_equal(conf_sla_target(&b, NULL, CONV_LOW, SLA_FIRST, NULL),
	    3600);
	conf_release(&a);
	conf_release(&b);
}

static void
sla_bad_sections_are_refused(void **state)
{
	static const struct {
		const char	*text, *want;
	} bad[] = {
		{ "[sla]\nfirst_response = soon\n",
		    ":2: [sla] first_response " },
		{ "[sla]\nfirst_response = 0\n", ":2: [sla] first_response" },
		{ "[sla]\nresolution = -5m\n", ":2: [sla] resolution" },
		{ "[sla]\n\nfirst_response.asap = 5m\n",
		    ":3: [sla] first_response.asap: a per-priority target" },
		{ "[sla]\nfirst_respons = 5m\n",
		    "unknown key 'first_respons'" },
		{ "[sla]\nbusiness_hours = sometimes\n",
		    ":2: [sla] business_hours expects yes or no" },
		{ "[sla x]\nsoon = 5m\n", ":2: [sla x] soon:" },
		{ "[sla]\nsoon = 1y\n", ":2: [sla] soon" },
		{ "[sla ]\nfirst_response = 5m\n", "a team name has 1 to 64" },
	};
	struct conf	 conf;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load(&conf, bad[i].text, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("%s: '%s' lacks '%s'", bad[i].text, cause,
			    bad[i].want);
		free(cause);
		conf_release(&conf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sla_most_specific_target_wins),
		cmocka_unit_test(sla_defaults_without_sections),
		cmocka_unit_test(sla_kind_names_round_trip),
		cmocka_unit_test(sla_swap_says_whether_it_changed),
		cmocka_unit_test(sla_bad_sections_are_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

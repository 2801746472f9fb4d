/*
 * Business hours in the configuration (src/common/conf-hours.c): a whole
 * [hours] section read through conf_load (spans sorted, holiday files
 * read and sorted, texts per language), the choice of a text by the
 * contact's language, {{wait}}, the time zone check, and refusals that
 * name file and line. What the hours mean at a time is tested against the
 * daemon (tests/integ/hours.sh).
 */
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
#include "conf-hours.h"
#include "rmtree.h"
#include "xmalloc.h"

static char	dir[] = "/tmp/si-test-hours.XXXXXX";

static void
put(const char *name, const char *text)
{
	char	*p = xasprintf("%s/%s", dir, name);
	FILE	*f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* Loads [daemon] plus text as si.conf (daemon: holiday files read). */
static int
load(struct conf *c, const char *text, char **cause)
{
	char	*p, *body;
	int	 rc;

	body = xasprintf("[daemon]\ndata_dir = %s\n%s", dir, text);
	put("si.conf", body);
	free(body);
	p = xasprintf("%s/si.conf", dir);
	conf_defaults(c);
	*cause = NULL;
	rc = conf_load(c, p, 0, cause);
	if (rc == 0 && conf_hours_finish(c, 1, cause) != 0)
		rc = -1;
	free(p);
	return (rc);
}

static void
hours_section_read(void **state)
{
	const struct conf_hours	*h;
	struct conf		 c;
	char			*cause;

	(void)state;
	put("hol.txt", "# comment\n2026-12-26 Zweiter\n\n2026-12-25 Erster\n");
	assert_int_equal(load(&c, "[hours support]\ntimezone = Europe/Berlin\n"
	    "mon = 13:30-17:00, 09:00-12:30\nsat = closed\n"
	    "holidays = hol.txt\nlang = de\naway = Zu {{business.name}}\n"
	    "away.en = Closed\nbusy = Wait {{wait}}\nbusy_when_waiting = 3\n"
	    "[hours]\ntimezone = UTC\n", &cause), 0);
	assert_null(cause);
	assert_int_equal(c.nhours, 2);
	h = conf_hours_find(&c, "support");
	assert_non_null(h);
	assert_string_equal(h->tz, "Europe/Berlin");
	assert_int_equal(h->nspans[1], 2);
	assert_int_equal(h->spans[1][0].from, 9 * 60);
	assert_int_equal(h->spans[1][1].to, 17 * 60);
	assert_int_equal(h->days & (1 << 6), 1 << 6);
	assert_int_equal(h->nspans[6], 0);
	assert_int_equal(h->nholidays, 2);
	assert_int_equal(h->holidays[0].date, 20261225);
	assert_string_equal(h->holidays[1].name, "Zweiter");
	assert_int_equal(h->away_every, 12 * 3600);
	/* another team: the default section */
	assert_null(conf_hours_find(&c, "billing")->team);
	assert_ptr_equal(conf_hours_find(&c, NULL), conf_hours_find(&c, "x"));
	conf_release(&c);
}

static void
hours_text_by_language(void **state)
{
	struct conf_text	t[3] = { { NULL, "dflt" }, { "en", "english" },
				    { "pt_BR", "brasil" } };

	(void)state;
	assert_string_equal(conf_hours_text(t, 3, "en"), "english");
	assert_string_equal(conf_hours_text(t, 3, "en_US"), "english");
	assert_string_equal(conf_hours_text(t, 3, "EN-gb"), "english");
	assert_string_equal(conf_hours_text(t, 3, "pt"), "brasil");
	assert_string_equal(conf_hours_text(t, 3, "de"), "dflt");
	assert_string_equal(conf_hours_text(t, 3, NULL), "dflt");
	assert_string_equal(conf_hours_text(t, 3, ""), "dflt");
	assert_null(conf_hours_text(t + 1, 2, "de"));
}

static void
hours_wait_and_zone(void **state)
{
	char	*s;

	(void)state;
	s = conf_hours_wait("in {{wait}} or {{ wait }}.", "15 min");
	assert_string_equal(s, "in 15 min or 15 min.");
	free(s);
	assert_true(conf_hours_tz_valid("Europe/Berlin"));
	assert_true(conf_hours_tz_valid("UTC"));
	assert_false(conf_hours_tz_valid("Mars/Olympus"));
	assert_false(conf_hours_tz_valid("../etc/passwd"));
	assert_false(conf_hours_tz_valid("/etc/localtime"));
	assert_false(conf_hours_tz_valid(""));
	assert_false(conf_hours_tz_valid("Europe"));	/* a directory */
}

static void
hours_refusals(void **state)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "[hours]\ntimezone = UTC\nmon = 9-17\n",
		  "si.conf:5: [hours] mon expects 'closed' or spans" },
		{ "[hours]\ntimezone = UTC\nfri = 08:00-24:01\n",
		  "si.conf:5: [hours] fri expects" },
		{ "[hours]\ntimezone = UTC\nmon = 1:00-2:00,3:00-4:00\n",
		  "si.conf:5: [hours] mon expects" },
		{ "[hours]\ntimezone = Nowhere\n",
		  "si.conf:4: [hours] timezone 'Nowhere' is not a time zone" },
		{ "[hours x]\nmon = closed\n",
		  "si.conf:3: [hours x] needs timezone" },
		{ "[hours]\ntimezone = UTC\nholidays = bad.txt\n",
		  "si.conf:5: [hours] holidays: " },
		{ "[hours]\ntimezone = UTC\naway.d = x\n",
		  "si.conf:5: [hours] away.d has a bad language" },
		{ "[hours]\ntimezone = UTC\nbusy_when_waiting = -1\n",
		  "si.conf:5: [hours] busy_when_waiting expects" },
		{ "[hours]\ntimezone = UTC\naway = {{oops\n",
		  "si.conf:5: [hours] away is not a valid text" },
	};
	struct conf	 c;
	char		*cause;
	size_t		 i;

	(void)state;
	put("bad.txt", "2026-12-24 Heiligabend\n2026-13-01 Nie\n");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load(&c, bad[i].text, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("'%s': got '%s'", bad[i].want, cause);
		free(cause);
		conf_release(&c);
	}
	/* the holiday file's own line is named */
	assert_int_equal(load(&c, "[hours]\ntimezone = UTC\nholidays = bad.txt\n",
	    &cause), -1);
	assert_non_null(strstr(cause, "bad.txt:2: 2026-13-01 is not a date"));
	free(cause);
	conf_release(&c);
}

static int
setup(void **state)
{
	(void)state;
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	(void)state;
	return (rmtree(dir));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hours_section_read),
		cmocka_unit_test(hours_text_by_language),
		cmocka_unit_test(hours_wait_and_zone),
		cmocka_unit_test(hours_refusals),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}

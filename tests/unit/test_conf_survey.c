/* Unit tests for conf-survey.c: the [survey] sections, their refusals and
 * which survey and text a team and a language get. */
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
#include "conf-survey.h"
#include "xmalloc.h"

/* conf_load of text (stderr as it is: warnings are not checked here). */
static int
load(struct conf *conf, const char *text, char **cause)
{
	char	 path[] = "/tmp/test_conf_survey.XXXXXX";
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
sections_and_lookups(void **state)
{
	struct conf				 conf;
	const struct conf_survey		*sv;
	const struct conf_survey_text		*t;
	char					*cause;

	(void)state;
	assert_int_equal(load(&conf,
	    "[survey]\n"
	    "scale = 5\n"
	    "language = en\n"
	    "text.de = Wie war es?\n"
	    "text.en = How did we do?\n"
	    "thanks.en = Thanks!\n"
	    "button.de = Bewerten\n"
	    "delay = 10m\n"
	    "\n[survey billing]\n"
	    "enabled = no\n"
	    "\n[survey.sales]\n"
	    "scale = thumbs\n"
	    "text.en = Happy?\n"
	    "delay = 0m\n", &cause), 0);
	assert_null(cause);
	assert_int_equal(conf.nsurveys, 3);

	/* No team, an unknown team: [survey]. */
	assert_non_null(sv = conf_survey_for(&conf, NULL));
	assert_null(sv->team);
	assert_int_equal(sv->scale, 5);
	assert_int_equal(sv->delay, 600);
	assert_ptr_equal(conf_survey_for(&conf, "support"), sv);
	/* Its own section, off: none, not the default one. */
	assert_null(conf_survey_for(&conf, "billing"));
	sv = conf_survey_for(&conf, "sales");
	assert_non_null(sv);
	assert_string_equal(sv->team, "sales");
	assert_int_equal(sv->scale, CONF_SURVEY_THUMBS);
	assert_int_equal(sv->delay, 0);
	assert_string_equal(conf_survey_scale_name(sv->scale), "thumbs");

	/* Languages: exact, its base, the default, the first given. */
	sv = conf_survey_for(&conf, NULL);
	t = conf_survey_text(sv, "de");
	assert_string_equal(t->text, "Wie war es?");
	assert_string_equal(t->button, "Bewerten");
	assert_null(t->thanks);
	assert_string_equal(conf_survey_text(sv, "de_AT")->lang, "de");
	assert_string_equal(conf_survey_text(sv, "DE-ch")->lang, "de");
	assert_string_equal(conf_survey_text(sv, "fr")->lang, "en");
	assert_string_equal(conf_survey_text(sv, NULL)->text,
	    "How did we do?");
	sv = conf_survey_for(&conf, "sales");
	assert_string_equal(conf_survey_text(sv, "de")->text, "Happy?");
	conf_release(&conf);

	/* None configured: no survey for anyone. */
	assert_int_equal(load(&conf, "[inbox]\nwindow_hours = 24\n", &cause),
	    0);
	assert_null(conf_survey_for(&conf, NULL));
	assert_null(conf_survey_for(&conf, "sales"));
	conf_release(&conf);
}

static void
refusals(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "[survey]\nscale = 7\ntext.en = x\n", ":2: [survey] scale "
		    "expects 5" },
		{ "[survey]\nenabled = maybe\ntext.en = x\n", "enabled "
		    "expects yes or no" },
		{ "[survey]\ntext.en = x\ndelay = 25h\n", "delay expects a "
		    "duration from 0m to 24h" },
		{ "[survey]\ntext.en = x\ndelay = -1m\n", "delay expects" },
		{ "[survey]\ntext.e = x\n", "the language after the dot" },
		{ "[survey]\ntext.en = \xff\xfe\n", "expects UTF-8 text" },
		{ "[survey]\ntext.en = x\nbutton.en = "
		    "a label far too long for it\n", "1 to 20 bytes" },
		{ "[survey x]\nscale = 3\n", ":2: [survey x] needs its "
		    "question" },
		{ "[survey]\ntext.en = x\nlanguage = fr\n", "language is fr "
		    "but there is no text.fr" },
		{ "[survey]\ntext.en = x\nlanguage = 1x\n", "language expects "
		    "a language code" },
	};
	struct conf	 conf;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(load(&conf, bad[i].text, &cause), -1);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, cause,
			    bad[i].want);
		free(cause);
		conf_release(&conf);
	}
	/* A disabled survey needs no text. */
	assert_int_equal(load(&conf, "[survey]\nenabled = no\n", &cause), 0);
	assert_null(conf_survey_for(&conf, NULL));
	conf_release(&conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sections_and_lookups),
		cmocka_unit_test(refusals),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

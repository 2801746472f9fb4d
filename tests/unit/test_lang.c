/*
 * Language codes (include/lang.h): what is one, and which text a contact
 * of a language reads, the one rule of the privacy notice, the
 * auto-replies and the survey.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lang.h"

static void
lang_codes(void **state)
{
	static const char	*good[] = { "de", "en", "deu", "pt_BR",
				    "zh-Hant", "de_DE", "es-419" };
	static const char	*bad[] = { "", "d", "deutsch", "DE", "De",
				    "1x", "de_", "de__DE", "de-AT!", "de AT",
				    "en_abcdefghijklmn" };
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (!lang_valid(good[i]))
			fail_msg("'%s' refused", good[i]);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (lang_valid(bad[i]))
			fail_msg("'%s' taken", bad[i]);
	}
	assert_false(lang_valid(NULL));
}

static void
lang_picks(void **state)
{
	static const char	*texts[] = { "en", NULL, "de", "pt_BR" };
	static const struct {
		const char	*want;
		int		 pick;
	} t[] = {
		{ "de", 2 },		/* the same code */
		{ "DE", 2 },		/* case aside */
		{ "de_AT", 2 },		/* the language of a region */
		{ "de-CH", 2 },
		{ "pt_BR", 3 },
		{ "pt", 3 },		/* "pt" reads the only Portuguese */
		{ "pt_PT", 3 },
		{ "fr", -1 },		/* none: the caller's default */
		{ "", -1 },
		{ NULL, -1 },
		{ "e", -1 },		/* no prefix match */
	};
	size_t			 i;
	int			 got;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		got = lang_pick(texts, 4, t[i].want);
		if (got != t[i].pick)
			fail_msg("'%s': got %d, want %d", t[i].want != NULL ?
			    t[i].want : "(null)", got, t[i].pick);
	}
	assert_int_equal(lang_pick(texts, 0, "de"), -1);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(lang_codes),
		cmocka_unit_test(lang_picks),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

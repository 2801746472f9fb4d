/*
 * Phone numbers as people type them (src/common/phone.c): a table of
 * inputs from many countries with the E.164 number each must give or the
 * reason it is refused, the display grouping, and the rule that a reason
 * never repeats the digits typed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "phone.h"

struct phone_case {
	const char	*in;
	const char	*country;	/* the default country */
	const char	*want;		/* E.164, if why is NULL */
	const char	*why;		/* a part of the refusal */
};

static const struct phone_case phone_cases[] = {
	/* Germany: national with trunk 0, international in every form */
	{ "0151 2345678", "DE", "+491512345678", NULL },
	{ "0151/23456789", "DE", "+4915123456789", NULL },
	{ "+49 (151) 234-5678", "DE", "+491512345678", NULL },
	{ "+49 (0)151 2345678", "DE", "+491512345678", NULL },
	{ "0049 151 2345678", "DE", "+491512345678", NULL },
	{ "0049151-2345678", "FR", "+491512345678", NULL },
	{ "030 1234567", "DE", "+49301234567", NULL },
	{ "\xc2\xa0" "0151\xe2\x80\xaf" "2345678 ", "de", "+491512345678",
	    NULL },
	{ "0151 234567", "DE", NULL, "too short for a mobile number in "
	    "Germany (+49)" },
	{ "0301", "DE", NULL, "too short for Germany (+49)" },
	{ "+49 30 12345678901234", "DE", NULL, "too long for Germany (+49)" },
	/* Austria, Switzerland, Liechtenstein */
	{ "0664 1234567", "AT", "+436641234567", NULL },
	{ "00 43 1 5321234", "DE", "+4315321234", NULL },
	{ "079 123 45 67", "CH", "+41791234567", NULL },
	{ "+41 44 668 18 00", "DE", "+41446681800", NULL },
	{ "079 123 45 6", "CH", NULL, "too short for Switzerland (+41)" },
	{ "+423 235 12 34", "CH", "+4232351234", NULL },
	/* France, Italy (the leading 0 stays), Spain, the Netherlands */
	{ "06 12 34 56 78", "FR", "+33612345678", NULL },
	{ "+33 6 12 34 56 78", "DE", "+33612345678", NULL },
	{ "06 12 34 56 7", "FR", NULL, "too short for France (+33)" },
	{ "06 1234 5678", "IT", "+390612345678", NULL },
	{ "+39 06 1234 5678", "DE", "+390612345678", NULL },
	{ "312 345 6789", "IT", "+393123456789", NULL },
	{ "612 345 678", "ES", "+34612345678", NULL },
	{ "+34 91 123 45 67", "DE", "+34911234567", NULL },
	{ "06-12345678", "NL", "+31612345678", NULL },
	{ "020 123 4567", "NL", "+31201234567", NULL },
	/* Poland, the UK (GB; UK is taken too), Ireland, the Nordics */
	{ "512 345 678", "PL", "+48512345678", NULL },
	{ "+48 22 123 45 67", "DE", "+48221234567", NULL },
	{ "07700 900123", "GB", "+447700900123", NULL },
	{ "020 7946 0958", "UK", "+442079460958", NULL },
	{ "+44 (0)20 7946 0958", "DE", "+442079460958", NULL },
	{ "07700 90012", "GB", NULL, "too short for a mobile number in the "
	    "United Kingdom (+44)" },
	{ "087 123 4567", "IE", "+353871234567", NULL },
	{ "20 12 34 56", "DK", "+4520123456", NULL },
	{ "070-123 45 67", "SE", "+46701234567", NULL },
	/* Hungary's trunk prefix is 06, Lithuania's 8 */
	{ "06 30 123 4567", "HU", "+36301234567", NULL },
	{ "8 612 34567", "LT", "+37061234567", NULL },
	/* North America: trunk 1, international prefix 011 */
	{ "(212) 555-0123", "US", "+12125550123", NULL },
	{ "1 212 555 0123", "US", "+12125550123", NULL },
	{ "+1 416 555 0199", "DE", "+14165550199", NULL },
	{ "011 49 151 2345678", "US", "+491512345678", NULL },
	{ "011 49 151 2345678", "CA", "+491512345678", NULL },
	{ "212 555 012", "US", NULL, "too short for North America (+1)" },
	{ "(212) 155-0123", "US", NULL, "not a North American number" },
	{ "+1 112 555 0123", "DE", NULL, "not a North American number" },
	/* Turkey, India, Brazil, Mexico and others */
	{ "0532 123 45 67", "TR", "+905321234567", NULL },
	{ "+90 532 123 4567", "DE", "+905321234567", NULL },
	{ "0532 123 45 6", "TR", NULL, "too short for Turkey (+90)" },
	{ "98765 43210", "IN", "+919876543210", NULL },
	{ "098765 43210", "IN", "+919876543210", NULL },
	{ "+91 98765 43210", "DE", "+919876543210", NULL },
	{ "(11) 91234-5678", "BR", "+5511912345678", NULL },
	{ "011 91234-5678", "BR", "+5511912345678", NULL },
	{ "+55 21 2345-6789", "DE", "+552123456789", NULL },
	{ "55 1234 5678", "MX", "+525512345678", NULL },
	{ "8 912 345 67 89", "RU", "+79123456789", NULL },
	{ "+7 701 234 5678", "DE", "+77012345678", NULL },
	{ "0412 345 678", "AU", "+61412345678", NULL },
	{ "090-1234-5678", "JP", "+819012345678", NULL },
	/* codes we know only as codes: generic lengths */
	{ "+380 50 123 4567", "DE", "+380501234567", NULL },
	{ "+298 123456", "DE", "+298123456", NULL },
	{ "+298 12", "DE", NULL, "too short for a phone number" },
	{ "+888 1234 5678 9012 3", "DE", NULL, "too long" },
	/* refusals */
	{ "+28 1234 5678", "DE", NULL, "unknown country calling code" },
	{ "00 210 123 4567", "DE", NULL, "unknown country calling code" },
	{ "+0 151 2345678", "DE", NULL, "unknown country calling code" },
	{ "0151 CALL ME", "DE", NULL, "letters in a phone number" },
	{ "0151 2345678 ext 12", "DE", NULL, "letters in a phone number" },
	{ "49+151 2345678", "DE", NULL, "'+' may only start" },
	{ "++49 151 2345678", "DE", NULL, "'+' may only start" },
	{ "0151_2345678", "DE", NULL, "digits, spaces" },
	{ "0151 \xc3\xa9 2345678", "DE", NULL, "digits, spaces" },
	{ "0151 \xff 2345678", "DE", NULL, "digits, spaces" },
	{ "", "DE", NULL, "no phone number" },
	{ " - ", "DE", NULL, "no digits" },
	{ "0151 2345678", "XX", NULL, "unknown default country" },
	{ "0151 2345678", "", NULL, "needs a default country" },
	{ "+49 151 2345678", "XX", "+491512345678", NULL },
	{ "1234567890123456789012345", "DE", NULL, "too many digits" },
	{ "0151 2345678                                                      ",
	    "DE", NULL, "at most 64 characters" },
};

static void
phone_normalise_table(void **state)
{
	const struct phone_case	*c;
	const char		*why;
	char			 e164[PHONE_E164_MAX + 1];
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		c = &phone_cases[i];
		why = NULL;
		memset(e164, 0, sizeof e164);
		rc = phone_normalise(c->in, c->country, e164, sizeof e164,
		    &why);
		if (c->why == NULL) {
			if (rc != 0)
				fail_msg("'%s' (%s): %s", c->in, c->country,
				    why);
			if (strcmp(e164, c->want) != 0)
				fail_msg("'%s' (%s): %s, not %s", c->in,
				    c->country, e164, c->want);
			continue;
		}
		if (rc != -1 || why == NULL)
			fail_msg("'%s' (%s) was taken: %s", c->in, c->country,
			    e164);
		else if (strstr(why, c->why) == NULL)
			fail_msg("'%s': '%s', not '%s'", c->in, why, c->why);
	}
}

/*
 * A reason names at most a calling code (3 digits), never the digits
 * typed: no run of four digits.
 */
static void
phone_why_has_no_digits(void **state)
{
	const struct phone_case	*c;
	const char		*why, *p;
	char			 e164[PHONE_E164_MAX + 1];
	size_t			 i, run;

	(void)state;
	for (i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		c = &phone_cases[i];
		why = NULL;
		if (phone_normalise(c->in, c->country, e164, sizeof e164,
		    &why) == 0)
			continue;
		run = 0;
		for (p = why; *p != '\0'; p++) {
			run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
			if (run >= 4)
				fail_msg("'%s': digits in '%s'", c->in, why);
		}
	}
}

/* The result never overruns the buffer it is given. */
static void
phone_small_buffer(void **state)
{
	const char	*why = NULL;
	char		 e164[8];

	(void)state;
	assert_int_equal(phone_normalise("0151 2345678", "DE", e164,
	    sizeof e164, &why), -1);
	assert_non_null(why);
	assert_int_equal(phone_normalise("+298 123456", "DE", e164,
	    sizeof e164, &why), -1);
}

static void
phone_group_table(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;	/* NULL: refused */
	} cases[] = {
		{ "+491512345678", "+49 151 2345678" },
		{ "+49301234567", "+49 30 1234567" },
		{ "+4315321234", "+43 1 5321234" },
		{ "+41791234567", "+41 79 123 45 67" },
		{ "+33612345678", "+33 6 12 34 56 78" },
		{ "+390612345678", "+39 06 12345678" },
		{ "+34612345678", "+34 612 345 678" },
		{ "+31612345678", "+31 6 12345678" },
		{ "+48512345678", "+48 512 345 678" },
		{ "+447700900123", "+44 7700 900123" },
		{ "+442079460958", "+44 20 7946 0958" },
		{ "+12125550123", "+1 212 555 0123" },
		{ "+905321234567", "+90 532 123 45 67" },
		{ "+919876543210", "+91 98765 43210" },
		{ "+5511912345678", "+55 11 91234 5678" },
		{ "+298123456", "+298 123456" },
		{ "491512345678", NULL },
		{ "+49 151", NULL },
		{ "+", NULL },
		{ "+281234", NULL },
		{ "+4915123456789012", NULL },
	};
	char	out[32];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (cases[i].want == NULL) {
			if (phone_group(cases[i].in, out, sizeof out) != -1)
				fail_msg("'%s' was grouped: %s", cases[i].in,
				    out);
			continue;
		}
		if (phone_group(cases[i].in, out, sizeof out) != 0)
			fail_msg("'%s' was refused", cases[i].in);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("'%s': '%s', not '%s'", cases[i].in, out,
			    cases[i].want);
	}
	/* Too small a buffer: refused, nothing written past it. */
	memset(out, 'x', sizeof out);
	assert_int_equal(phone_group("+491512345678", out, 10), -1);
	assert_int_equal(out[10], 'x');
}

static void
phone_countries_known(void **state)
{
	(void)state;
	assert_true(phone_country_known("DE"));
	assert_true(phone_country_known("de"));
	assert_true(phone_country_known("UK"));
	assert_true(phone_country_known("US"));
	assert_false(phone_country_known("XX"));
	assert_false(phone_country_known("DEU"));
	assert_false(phone_country_known(""));
	assert_false(phone_country_known(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phone_normalise_table),
		cmocka_unit_test(phone_why_has_no_digits),
		cmocka_unit_test(phone_small_buffer),
		cmocka_unit_test(phone_group_table),
		cmocka_unit_test(phone_countries_known),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * A campaign's segment (src/daemon/campaign-segment.h): every filter,
 * filters combined (all must hold), and the refusals, each with a message
 * that says what is wrong without repeating more than the offending key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "campaign-segment.h"

static struct campaign_segment	seg;
static char			err[256];

/* Parses text, which must be taken. */
static void
ok(const char *text)
{
	memset(err, 0, sizeof err);
	if (campaign_segment_parse(text, &seg, err, sizeof err) != 0)
		fail_msg("'%s' refused: %s", text, err);
}

/* Parses text, which must be refused with a message holding want. */
static void
refused(const char *text, const char *want)
{
	memset(err, 0, sizeof err);
	if (campaign_segment_parse(text, &seg, err, sizeof err) == 0)
		fail_msg("'%s' taken", text);
	if (strstr(err, want) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'", text, err, want);
}

static void
segment_empty(void **state)
{
	(void)state;
	ok("");
	assert_int_equal(seg.n, 0);
	ok("   \t ");
	assert_int_equal(seg.n, 0);
}

static void
segment_each_filter(void **state)
{
	(void)state;
	ok("label:vip");
	assert_int_equal(seg.n, 1);
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_LABEL);
	assert_string_equal(seg.terms[0].value, "vip");
	ok("label:campaign:spring");
	assert_string_equal(seg.terms[0].value, "campaign:spring");

	ok("attr:plan=gold");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_ATTR);
	assert_string_equal(seg.terms[0].key, "plan");
	assert_string_equal(seg.terms[0].value, "gold");
	ok("attr:plan=\"gold plus\"");
	assert_int_equal(seg.n, 1);
	assert_string_equal(seg.terms[0].value, "gold plus");

	ok("consent:marketing");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_CONSENT);

	ok("number:sales");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_NUMBER);
	assert_string_equal(seg.terms[0].value, "sales");

	ok("lang:de");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_LANG);
	assert_string_equal(seg.terms[0].value, "de");
	ok("lang:pt_BR");

	ok("last-contact<30d");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_WITHIN);
	assert_int_equal(seg.terms[0].secs, 30 * 86400);
	ok("last-contact<12h");
	assert_int_equal(seg.terms[0].secs, 12 * 3600);
	ok("last-contact>2w");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_OLDER);
	assert_int_equal(seg.terms[0].secs, 14 * 86400);

	ok("since:2026-01-01");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_SINCE);
	assert_int_equal(seg.terms[0].at, 1767225600);
	ok("from:2026-01-01");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_SINCE);
	assert_int_equal(seg.terms[0].at, 1767225600);
	ok("before:2026-01-01");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_BEFORE);
	assert_int_equal(seg.terms[0].at, 1767225600);
	/* to: takes the whole day */
	ok("to:2025-12-31");
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_BEFORE);
	assert_int_equal(seg.terms[0].at, 1767225600);
	ok("since:2024-02-29");		/* a leap day */
}

static void
segment_and(void **state)
{
	(void)state;
	ok("consent:marketing label:vip attr:plan=gold number:sales lang:de "
	    "last-contact<30d last-contact>1w since:2026-01-01 "
	    "before:2026-12-01");
	assert_int_equal(seg.n, 9);
	assert_int_equal(seg.terms[0].kind, CAMPAIGN_T_CONSENT);
	assert_int_equal(seg.terms[1].kind, CAMPAIGN_T_LABEL);
	assert_int_equal(seg.terms[2].kind, CAMPAIGN_T_ATTR);
	assert_int_equal(seg.terms[3].kind, CAMPAIGN_T_NUMBER);
	assert_int_equal(seg.terms[4].kind, CAMPAIGN_T_LANG);
	assert_int_equal(seg.terms[5].kind, CAMPAIGN_T_WITHIN);
	assert_int_equal(seg.terms[6].kind, CAMPAIGN_T_OLDER);
	assert_int_equal(seg.terms[7].kind, CAMPAIGN_T_SINCE);
	assert_int_equal(seg.terms[8].kind, CAMPAIGN_T_BEFORE);
	/* blanks of any length, two of a kind */
	ok("  label:a \t label:b  ");
	assert_int_equal(seg.n, 2);
	assert_string_equal(seg.terms[0].value, "a");
	assert_string_equal(seg.terms[1].value, "b");
	/* a quoted blank does not split */
	ok("attr:city=\"New York\" label:x");
	assert_int_equal(seg.n, 2);
	assert_string_equal(seg.terms[0].value, "New York");
}

static void
segment_unknown(void **state)
{
	(void)state;
	refused("color:red", "unknown filter 'color:'");
	refused("color:red", "use label:");
	refused("averyveryverylongkey:x", "unknown filter");
	refused("vip", "not words");
	refused(":vip", "not words");
	refused("label:vip OR label:x", "not words");
	refused("consent:service", "consent: takes only marketing");
	refused("last-contact=30d", "not words");
}

static void
segment_bad_values(void **state)
{
	(void)state;
	refused("label:", "label: needs a label name");
	refused("label:a,b", "label: needs a label name");
	refused("attr:plan", "attr: needs KEY=VALUE");
	refused("attr:=gold", "attr: needs KEY=VALUE");
	refused("attr:plan=", "attr: needs KEY=VALUE");
	refused("number:", "number: needs");
	refused("number:a-very-long-number-label", "number: needs");
	refused("lang:deutsch", "lang: needs a language code");
	refused("lang:", "lang: needs a language code");
	refused("last-contact<", "needs an age like 30d");
	refused("last-contact<30", "needs an age like 30d");
	refused("last-contact<30y", "needs an age like 30d");
	refused("last-contact<0d", "needs an age like 30d");
	refused("last-contact<-3d", "needs an age like 30d");
	refused("last-contact>600w", "needs an age like 30d");	/* > 10 y */
	refused("last-contact<99999999999999999999d", "needs an age");
}

static void
segment_bad_dates(void **state)
{
	static const char *const bad[] = { "2026-13-01", "2026-00-10",
	    "2026-02-30", "2025-02-29", "2026-04-31", "2026-1-01", "26-01-01",
	    "2026/01/01", "2026-01-1x", "2026-+1-01", "1969-12-31",
	    "2026-01-01T00", "tomorrow", "" };
	char		text[64];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "since:%s", bad[i]);
		refused(text, "since: needs a date YYYY-MM-DD");
		snprintf(text, sizeof text, "to:%s", bad[i]);
		refused(text, "to: needs a date YYYY-MM-DD");
	}
}

static void
segment_bounds(void **state)
{
	char	text[CAMPAIGN_SEGMENT_MAX + 64];
	size_t	i;

	(void)state;
	/* the whole text */
	memset(text, 'a', sizeof text);
	memcpy(text, "label:", 6);
	text[CAMPAIGN_SEGMENT_MAX + 1] = '\0';
	refused(text, "at most 1024 bytes");
	/* one value */
	memset(text, 0, sizeof text);
	memcpy(text, "attr:k=", 7);
	memset(text + 7, 'v', CAMPAIGN_TERM_VAL_MAX + 10);
	refused(text, "too long");
	assert_null(strstr(err, "vvvv"));	/* the value is not quoted */
	/* a label longer than a label may be */
	memset(text, 0, sizeof text);
	memcpy(text, "label:", 6);
	memset(text + 6, 'l', 65);
	refused(text, "label: needs a label name");
	/* an attribute name longer than one may be */
	memset(text, 0, sizeof text);
	memcpy(text, "attr:", 5);
	memset(text + 5, 'k', CAMPAIGN_TERM_KEY_MAX + 1);
	memcpy(text + 5 + CAMPAIGN_TERM_KEY_MAX + 1, "=v", 3);
	refused(text, "attr: needs KEY=VALUE");
	/* the number of filters */
	text[0] = '\0';
	for (i = 0; i < CAMPAIGN_TERMS_MAX; i++)
		memcpy(text + i * 8, "label:x ", 9);
	ok(text);
	assert_int_equal(seg.n, CAMPAIGN_TERMS_MAX);
	memcpy(text + CAMPAIGN_TERMS_MAX * 8, "label:y", 8);
	refused(text, "at most 16 filters");
	/* an open quote */
	refused("attr:plan=\"gold", "a quote is not closed");
}

static void
segment_control(void **state)
{
	(void)state;
	refused("label:vip\n", "no control characters");
	refused("label:v\x01ip", "no control characters");
	refused("\x1b[2Jlabel:vip", "no control characters");
	refused("attr:plan=\"gold\rplus\"", "no control characters");
	refused("label:vip\x7f", "no control characters");
	/* a message never carries the control character itself */
	refused("col\x1bor:red", "no control characters");
	assert_null(strchr(err, '\x1b'));
	/* UTF-8 in a value is text, not a control character */
	ok("attr:city=M\xc3\xbcnchen");
	assert_string_equal(seg.terms[0].value, "M\xc3\xbcnchen");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(segment_empty),
		cmocka_unit_test(segment_each_filter),
		cmocka_unit_test(segment_and),
		cmocka_unit_test(segment_unknown),
		cmocka_unit_test(segment_bad_values),
		cmocka_unit_test(segment_bad_dates),
		cmocka_unit_test(segment_bounds),
		cmocka_unit_test(segment_control),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

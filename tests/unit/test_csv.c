/* The CSV reader of the contact import (csv.h): RFC 4180 and its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "csv.h"

static const struct csv_limits lim = { 4096, 10, 8, 64 };

/* Parses s; the error text (allocated) or NULL. */
static char *
parse(const char *s, char delim, struct csv *c)
{
	char	*cause = NULL;

	if (csv_parse(s, strlen(s), delim, &lim, c, &cause) != 0)
		return (cause);
	return (NULL);
}

static void
csv_reads_quotes_commas_and_line_breaks(void **state)
{
	struct csv	c;

	(void)state;
	assert_null(parse("\xef\xbb\xbfname,note\r\n\"M\xc3\xbcller, Anna\","
	    "\"said \"\"hi\"\"\r\nthen left\"\r\nBob,\r\n\r\n\"\",x", 0, &c));
	assert_int_equal(c.delim, ',');
	assert_int_equal(c.nrecs, 4);
	assert_string_equal(c.recs[0].fields[0], "name");	/* no BOM */
	assert_string_equal(c.recs[1].fields[0], "M\xc3\xbcller, Anna");
	assert_string_equal(c.recs[1].fields[1], "said \"hi\"\r\nthen left");
	assert_int_equal(c.recs[1].line, 2);
	assert_int_equal(c.recs[2].line, 4);	/* after a quoted break */
	assert_string_equal(c.recs[2].fields[1], "");
	assert_int_equal(c.recs[3].line, 6);	/* a blank line skipped */
	assert_string_equal(c.recs[3].fields[0], "");	/* "" is a field */
	csv_free(&c);
}

static void
csv_detects_or_takes_the_delimiter(void **state)
{
	struct csv	c;

	(void)state;
	assert_null(parse("a;b;\"c,d\"\n1;2;3\n", 0, &c));
	assert_int_equal(c.delim, ';');
	assert_int_equal(c.recs[0].nfields, 3);
	assert_string_equal(c.recs[0].fields[2], "c,d");
	csv_free(&c);
	assert_null(parse("a;b,c\n1;2,3\n", ',', &c));
	assert_int_equal(c.recs[0].nfields, 2);
	assert_string_equal(c.recs[1].fields[0], "1;2");
	csv_free(&c);
}

static void
csv_refuses_naming_the_line(void **state)
{
	static const struct {
		const char	*in, *want;
	} bad[] = {
		{ "a,b\n1,2\n\"x,y\n", "line 3: a quoted field is not closed" },
		{ "a,b\n1,2,3\n", "line 2: 3 fields, but the header has 2" },
		{ "a\nx\"y\n", "line 2: a quote inside an unquoted field" },
		{ "a\n\"x\"y\n", "line 2: text after a closing quote" },
		{ "a\n\xff\n", "line 2: not UTF-8" },
		{ "", "the file is empty" },
		{ "a\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "line 11: more than 9 "
		    "rows" },
		{ "a,b,c,d,e,f,g,h,i\n", "line 1: more than 8 fields" },
	};
	struct csv	c;
	char		*cause, big[200];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = parse(bad[i].in, 0, &c);
		assert_non_null(cause);
		if (strstr(cause, bad[i].want) == NULL)
			fail_msg("'%s' has no '%s'", cause, bad[i].want);
		free(cause);
	}
	/* The NUL above ends the C string: give the length by hand. */
	assert_int_equal(csv_parse("a\nb\0c\n", 6, 0, &lim, &c, &cause), -1);
	assert_non_null(strstr(cause, "line 2: not UTF-8"));
	free(cause);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[0] = 'a';
	big[1] = '\n';
	cause = parse(big, 0, &c);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "line 2: a field is longer than 64"));
	free(cause);
}

static void
csv_field_quotes_what_needs_it(void **state)
{
	struct buf	 b;
	struct csv	 c;

	(void)state;
	buf_init(&b, 0);
	csv_field(&b, "plain", ',');
	buf_adds(&b, ",");
	csv_field(&b, "a, \"b\"\nc", ',');
	buf_adds(&b, "\n");
	assert_string_equal(b.data, "plain,\"a, \"\"b\"\"\nc\"\n");
	assert_null(parse(b.data, 0, &c));
	assert_string_equal(c.recs[0].fields[1], "a, \"b\"\nc");
	csv_free(&c);
	buf_release(&b);
}

static void
csv_cell_guards_formulas(void **state)
{
	static const char *const in[] = { "=HYPERLINK(\"x\")", "@SUM(A1)",
	    "+cmd", "-2+3", "\tx", "+4915112345678", "-3", "+", "plain",
	    "a=b", "+49 151 \xe2\x80\xa2\xe2\x80\xa2 01" };
	static const char *const out[] = { "\"'=HYPERLINK(\"\"x\"\")\"",
	    "'@SUM(A1)", "'+cmd", "'-2+3", "'\tx", "+4915112345678", "-3",
	    "'+", "plain", "a=b", "+49 151 \xe2\x80\xa2\xe2\x80\xa2 01" };
	struct buf	 b;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof in / sizeof in[0]; i++) {
		buf_init(&b, 0);
		csv_cell(&b, in[i], ',');
		buf_add(&b, "", 1);
		assert_string_equal(b.data, out[i]);
		buf_release(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_reads_quotes_commas_and_line_breaks),
		cmocka_unit_test(csv_detects_or_takes_the_delimiter),
		cmocka_unit_test(csv_refuses_naming_the_line),
		cmocka_unit_test(csv_field_quotes_what_needs_it),
		cmocka_unit_test(csv_cell_guards_formulas),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

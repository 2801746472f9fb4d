/*
 * Interactive messages (issue 16): the spec shaper (ispec.c) the CLI and
 * the composer share, and the daemon's check of the Cloud API's limits
 * (interactive.c), edge by edge: a limit itself passes, one more is
 * refused with a message naming the part.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "interactive.h"
#include "ispec.h"

static char *
rep(char c, size_t n)
{
	char	*s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return (s);
}

/* 0, or -1 with the cause checked to contain want. */
static int
build(json_t *spec, const char *want)
{
	struct interactive_msg	 im;
	char			*cause = NULL;
	int			 rc;

	rc = interactive_build(spec, &im, &cause);
	json_decref(spec);
	if (rc == 0) {
		assert_null(want);
		interactive_release(&im);
		return (0);
	}
	assert_non_null(cause);
	if (want == NULL || strstr(cause, want) == NULL)
		fail_msg("cause '%s', wanted '%s'", cause, want != NULL ?
		    want : "(success)");
	free(cause);
	return (-1);
}

static void
ispec_buttons_and_rows(void **state)
{
	json_t	*spec = json_object();
	char	*cause = NULL;

	(void)state;
	assert_int_equal(ispec_add(spec, "buttons", "Yes|No", &cause), 0);
	assert_int_equal(ispec_add(spec, "header", "H", &cause), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    spec, "buttons"), 1)), "No");
	assert_int_equal(ispec_add(spec, "row", "a:A", &cause), -1);
	assert_non_null(strstr(cause, "not both"));
	free(cause);
	json_decref(spec);

	spec = json_object();
	assert_int_equal(ispec_add(spec, "list", "Go", &cause), 0);
	assert_int_equal(ispec_add(spec, "section", "First", &cause), 0);
	assert_int_equal(ispec_add(spec, "row", "a:Alpha:the: first", &cause),
	    0);
	assert_int_equal(ispec_add(spec, "section", "Second", &cause), 0);
	assert_int_equal(ispec_add(spec, "row", "Beta", &cause), 0);
	assert_int_equal(json_array_size(json_object_get(spec, "sections")),
	    2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(spec, "sections"),
	    0), "rows"), 0), "description")), "the: first");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(spec, "sections"),
	    1), "rows"), 0), "id")), "Beta");
	assert_int_equal(ispec_add(spec, "row", ":x", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(ispec_add(spec, "buttons", "A||B", &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(ispec_add(spec, "colour", "red", &cause), -1);
	free(cause);
	json_decref(spec);
	assert_true(ispec_key("row"));
	assert_false(ispec_key("text"));
}

static void
interactive_button_limits(void **state)
{
	char	*t20 = rep('t', 20), *t21 = rep('t', 21);
	char	*b1024 = rep('b', 1024), *b1025 = rep('b', 1025);
	char	*h60 = rep('h', 60), *h61 = rep('h', 61);

	(void)state;
	assert_int_equal(build(json_pack("{ss s[sss] ss ss}", "body", b1024,
	    "buttons", "A", t20, "C", "header", h60, "footer", h60), NULL), 0);
	build(json_pack("{ss s[ssss]}", "body", "q", "buttons", "A", "B",
	    "C", "D"), "1 to 3 buttons");
	build(json_pack("{ss s[]}", "body", "q", "buttons"), "1 to 3 buttons");
	build(json_pack("{ss s[ss]}", "body", "q", "buttons", "A", t21),
	    "button 2's title has 21 characters");
	build(json_pack("{ss s[s]}", "body", b1025, "buttons", "A"),
	    "the body text has 1025 characters");
	build(json_pack("{ss s[s] ss}", "body", "q", "buttons", "A",
	    "header", h61), "the header has 61");
	build(json_pack("{ss s[s] ss}", "body", "q", "buttons", "A",
	    "footer", "two\nlines"), "one line");
	build(json_pack("{ss s[ss]}", "body", "q", "buttons", "A", "A"),
	    "unique");
	build(json_pack("{ss s[{ss ss}{ss ss}]}", "body", "q", "buttons",
	    "id", "x", "title", "A", "id", "x", "title", "B"), "unique");
	build(json_pack("{ss s[s] ss}", "body", "q", "buttons", "A",
	    "button", "Go"), "list's");
	build(json_pack("{s[s]}", "buttons", "A"), "body text is missing");
	build(json_pack("{ss ss s[s]}", "type", "carousel", "body", "q",
	    "buttons", "A"), "\"button\"");
	/* Multi-byte characters count as one each. */
	assert_int_equal(build(json_pack("{ss s[s]}", "body", "q", "buttons",
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"), NULL), 0);
	free(t20); free(t21); free(b1024); free(b1025); free(h60); free(h61);
}

static void
interactive_list_limits(void **state)
{
	char	*r24 = rep('r', 24), *r25 = rep('r', 25);
	char	*d72 = rep('d', 72), *d73 = rep('d', 73);
	json_t	*rows;
	char	 id[16];
	int	 i;

	(void)state;
	assert_int_equal(build(json_pack("{ss ss s[{s[{ss ss ss}]}]}", "body",
	    "q", "button", "Go", "sections", "rows", "id", "a", "title", r24,
	    "description", d72), NULL), 0);
	build(json_pack("{ss ss s[{s[{ss ss}]}]}", "body", "q", "button", "Go",
	    "sections", "rows", "id", "a", "title", r25),
	    "section 1 row 1's title has 25");
	build(json_pack("{ss ss s[{s[s{ss ss ss}]}]}", "body", "q", "button",
	    "Go", "sections", "rows", "A", "id", "b", "title", "B",
	    "description", d73), "section 1 row 2's description has 73");
	build(json_pack("{ss ss s[{s[s]}{s[s]}]}", "body", "q", "button",
	    "Go", "sections", "rows", "A", "rows", "B"),
	    "section 1's title is missing");
	build(json_pack("{ss s[{s[s]}]}", "body", "q", "sections", "rows",
	    "A"), "button text is missing");
	build(json_pack("{ss ss s[{s[ss]}]}", "body", "q", "button", "Go",
	    "sections", "rows", "A", "A"), "repeats the id");
	build(json_pack("{ss ss s[{s[s] ss}]}", "body", "q", "button", "Go",
	    "sections", "rows", "A", "colour", "red"), "unknown key");
	rows = json_array();
	for (i = 0; i < 11; i++) {
		snprintf(id, sizeof id, "r%d", i);
		json_array_append_new(rows, json_string(id));
	}
	build(json_pack("{ss ss s[{so}]}", "body", "q", "button", "Go",
	    "sections", "rows", json_deep_copy(rows)), "at most 10 rows");
	json_array_remove(rows, 10);
	assert_int_equal(build(json_pack("{ss ss s[{so}]}", "body", "q",
	    "button", "Go", "sections", "rows", rows), NULL), 0);
	free(r24); free(r25); free(d72); free(d73);
}

static void
interactive_shapes(void **state)
{
	struct interactive_msg	 im;
	json_t			*spec;
	char			*cause = NULL;

	(void)state;
	spec = json_pack("{ss s[s{ss ss}] ss}", "body", "Did that help?",
	    "buttons", "Yes", "id", "no", "title", "No", "footer", "F");
	assert_int_equal(interactive_build(spec, &im, &cause), 0);
	json_decref(spec);
	assert_string_equal(im.kind, "button");
	assert_string_equal(im.preview, "Did that help? [Yes] [No]");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(json_object_get(im.obj, "action"),
	    "buttons"), 1), "reply"), "id")), "no");
	assert_string_equal(json_string_value(json_object_get(im.body,
	    "text")), "Did that help?");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    im.body, "interactive"), "footer")), "F");
	interactive_release(&im);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ispec_buttons_and_rows),
		cmocka_unit_test(interactive_button_limits),
		cmocka_unit_test(interactive_list_limits),
		cmocka_unit_test(interactive_shapes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

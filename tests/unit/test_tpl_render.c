/*
 * Filling message templates (tpl-render.c), canned replies' fill-in fields
 * and daemon-filled variables (canned.c), and word wrapping (wrap.c): the
 * text an agent previews is the text the customer receives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>

#include <cmocka.h>

#include "canned.h"
#include "tpl-render.h"
#include "wrap.h"

static json_t *
comps(void)
{
	return (json_loads("[{\"type\":\"HEADER\",\"format\":\"TEXT\","
	    "\"text\":\"Bestellung {{1}}\"},{\"type\":\"BODY\",\"text\":"
	    "\"Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs. {{1}}!\"},"
	    "{\"type\":\"FOOTER\",\"text\":\"Shop GmbH\"},{\"type\":"
	    "\"BUTTONS\",\"buttons\":[{\"type\":\"URL\",\"text\":\"Verfolgen\","
	    "\"url\":\"https://t.example/{{1}}\"},{\"type\":\"QUICK_REPLY\","
	    "\"text\":\"Danke\"}]}]", 0, NULL));
}

static void
tpl_fills_positional_parameters_in_order(void **state)
{
	json_t	*c = comps(), *p;
	char	*s;

	(void)state;
	p = json_pack("[ssss]", "A-17", "Rosa", "4711", "trk9");
	s = tpl_render(c, p, TPL_NO_MARK);
	assert_string_equal(s, "Bestellung A-17\nHallo Rosa, Ihre Bestellung "
	    "4711 ist unterwegs. Rosa!\nShop GmbH\n[Verfolgen]\n[Danke]");
	free(s);
	json_decref(p);
	json_decref(c);
}

static void
tpl_marks_the_place_of_the_current_parameter(void **state)
{
	json_t	*c = comps(), *p;
	char	*s;

	(void)state;
	p = json_pack("[s]", "A-17");
	/* Parameter 1 (the body's {{1}}) asked for: marked, rest as is. */
	s = tpl_render(c, p, 1);
	assert_string_equal(s, "Bestellung A-17\nHallo [{{1}}], Ihre "
	    "Bestellung {{2}} ist unterwegs. [{{1}}]!\nShop GmbH\n"
	    "[Verfolgen]\n[Danke]");
	free(s);
	/* The button's URL parameter shows where it goes. */
	json_array_append_new(p, json_string("Rosa"));
	json_array_append_new(p, json_string("4711"));
	s = tpl_render(c, p, 3);
	assert_non_null(strstr(s, "[Verfolgen: https://t.example/[{{1}}]]"));
	free(s);
	json_decref(p);
	json_decref(c);
}

static void
tpl_fills_named_parameters(void **state)
{
	json_t	*p, *n;
	size_t	 used = 0;
	char	*s;

	(void)state;
	p = json_pack("[ss]", "Rosa", "A-17");
	s = tpl_render_text("Hi {{first_name}}, order {{order}} for "
	    "{{first_name}}", p, &used, TPL_NO_MARK);
	assert_string_equal(s, "Hi Rosa, order A-17 for Rosa");
	assert_int_equal(used, 2);
	free(s);
	n = tpl_placeholders("{{b}} {{a}} {{b}} {{}} {{ x {{c}}");
	assert_int_equal(json_array_size(n), 3);
	assert_string_equal(json_string_value(json_array_get(n, 0)), "b");
	assert_string_equal(json_string_value(json_array_get(n, 2)), "c");
	json_decref(n);
	json_decref(p);
}

static void
tpl_leaves_unfilled_and_odd_braces(void **state)
{
	size_t	 used = 0;
	char	*s;

	(void)state;
	s = tpl_render_text("{{1}} and {{2}} {{ and }", NULL, &used,
	    TPL_NO_MARK);
	assert_string_equal(s, "{{1}} and {{2}} {{ and }");
	free(s);
	s = tpl_render(NULL, NULL, TPL_NO_MARK);
	assert_string_equal(s, "");
	free(s);
}

static void
canned_asks_for_fields_and_knows_what_the_daemon_fills(void **state)
{
	json_t	*f;
	char	*cause = NULL;

	(void)state;
	f = canned_fields("Hi {{contact.first_name}}, tracking "
	    "{{ask:tracking number}} ({{ ask: carrier }}), again "
	    "{{ask:tracking number}}. {{agent.name}}, {{business.name}}",
	    &cause);
	assert_non_null(f);
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_array_get(f, 0)),
	    "tracking number");
	assert_string_equal(json_string_value(json_array_get(f, 1)),
	    "carrier");
	json_decref(f);
	assert_true(canned_daemon_fills("agent.name"));
	assert_true(canned_daemon_fills("business.name"));
	assert_false(canned_daemon_fills("ask:x"));
	assert_true(canned_is_known("ask:x"));
	assert_false(canned_is_known("ask:"));
	assert_null(canned_fields("{{ask:}}", &cause));
	assert_non_null(strstr(cause, "needs a label"));
	free(cause);
	cause = NULL;
	assert_null(canned_fields("{{ask:a\x01}}", &cause));
	free(cause);
}

static void
wrap_breaks_at_spaces(void **state)
{
	const char	*s = "Hallo Rosa, Ihre Bestellung ist unterwegs";
	size_t		 show, next;

	(void)state;
	show = wrap_line(s, strlen(s), 12, &next);
	assert_int_equal(show, 11);	/* "Hallo Rosa," */
	assert_int_equal(next, 12);
	show = wrap_line(s + 12, strlen(s + 12), 12, &next);
	assert_int_equal(show, 4);	/* "Ihre": "Bestellung" does not fit */
	assert_int_equal(next, 5);
	/* Fits exactly, space after: broken there. */
	show = wrap_line("abcd efg", 8, 4, &next);
	assert_int_equal(show, 4);
	assert_int_equal(next, 5);
	/* Rest fits. */
	show = wrap_line("abc", 3, 10, &next);
	assert_int_equal(show, 3);
	assert_int_equal(next, 3);
	/* A newline ends the line; the caller steps over it. */
	show = wrap_line("ab\ncd", 5, 10, &next);
	assert_int_equal(show, 2);
	assert_int_equal(next, 2);
}

static void
wrap_cuts_only_long_words_and_counts_columns(void **state)
{
	const char	*s = "Donaudampfschifffahrt ok";
	const char	*u = "Grüße aus Köln";	/* ü, ö: 2 bytes, 1 column */
	size_t		 show, next;

	(void)state;
	show = wrap_line(s, strlen(s), 10, &next);
	assert_int_equal(show, 10);
	assert_int_equal(next, 10);
	show = wrap_line(u, strlen(u), 9, &next);
	assert_int_equal(show, strlen("Grüße aus"));
	assert_int_equal(next, strlen("Grüße aus") + 1);
	/* Wide characters: 2 columns each, never split. */
	show = wrap_line("日本語のテキスト", strlen("日本語のテキスト"), 5,
	    &next);
	assert_int_equal(show, strlen("日本"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tpl_fills_positional_parameters_in_order),
		cmocka_unit_test(tpl_marks_the_place_of_the_current_parameter),
		cmocka_unit_test(tpl_fills_named_parameters),
		cmocka_unit_test(tpl_leaves_unfilled_and_odd_braces),
		cmocka_unit_test(
		    canned_asks_for_fields_and_knows_what_the_daemon_fills),
		cmocka_unit_test(wrap_breaks_at_spaces),
		cmocka_unit_test(wrap_cuts_only_long_words_and_counts_columns),
	};

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}

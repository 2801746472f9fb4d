/* Canned reply rendering (canned.c) and the search query language
 * (search-query.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canned.h"
#include "search-query.h"
#include "xmalloc.h"

struct vars {
	const char	*name, *first, *agent, *conv;
};

static const char *
lookup(const char *name, void *arg)
{
	struct vars	*v = arg;

	if (strcmp(name, "contact.name") == 0)
		return (v->name);
	if (strcmp(name, "contact.first_name") == 0)
		return (v->first);
	if (strcmp(name, "agent.name") == 0)
		return (v->agent);
	if (strcmp(name, "conversation.id") == 0)
		return (v->conv);
	return (NULL);
}

/* Renders; checks text and the comma-joined missing list. */
static void
render_is(const char *tmpl, struct vars *v, const char *want,
    const char *want_missing)
{
	json_t	*missing, *m;
	char	*out, *cause = NULL, got[256] = "";
	size_t	 i, l;

	out = canned_render(tmpl, lookup, v, &missing, &cause);
	if (out == NULL)
		fail_msg("render failed: %s", cause);
	assert_string_equal(out, want);
	json_array_foreach(missing, i, m) {
		l = strlen(got);
		snprintf(got + l, sizeof got - l, "%s%s", i > 0 ? "," : "",
		    json_string_value(m));
	}
	assert_string_equal(got, want_missing);
	free(out);
	json_decref(missing);
}

static void
render_fails(const char *tmpl, const char *want_cause)
{
	json_t	*missing = NULL;
	char	*cause = NULL, *out;

	out = canned_render(tmpl, NULL, NULL, &missing, &cause);
	assert_null(out);
	assert_null(missing);
	assert_non_null(cause);
	assert_non_null(strstr(cause, want_cause));
	free(cause);
}

static void
canned_fills_every_variable(void **state)
{
	struct vars	v = { "Anna Schmidt", "Anna", "ann", "42" };

	(void)state;
	render_is("Hi {{contact.first_name}}, {{ agent.name }} here about "
	    "#{{conversation.id}} ({{contact.name}})", &v,
	    "Hi Anna, ann here about #42 (Anna Schmidt)", "");
}

static void
canned_fallback_used_when_missing(void **state)
{
	struct vars	v = { NULL, NULL, "ann", "7" };

	(void)state;
	render_is("Hi {{contact.first_name | \"there\"}}!", &v, "Hi there!",
	    "");
	/* an empty value counts as missing too */
	v.first = "";
	render_is("Hi {{ contact.first_name|\"you \\\"two\\\"\" }}!", &v,
	    "Hi you \"two\"!", "");
}

static void
canned_names_every_unfilled_variable_once(void **state)
{
	struct vars	v = { NULL, NULL, "ann", NULL };

	(void)state;
	render_is("{{contact.name}}/{{conversation.id}}/{{contact.name}}/"
	    "{{agent.name}}", &v, "///ann", "contact.name,conversation.id");
}

static void
canned_plain_text_and_single_braces_pass_through(void **state)
{
	struct vars	v = { "A", "A", "b", "1" };

	(void)state;
	render_is("no variables { here } at all", &v,
	    "no variables { here } at all", "");
	render_is("", &v, "", "");
	render_is("ümlaut 😀 {{agent.name}}", &v, "ümlaut 😀 b", "");
}

static void
canned_refuses_bad_templates(void **state)
{
	(void)state;
	render_fails("Hi {{customer.name}}", "unknown variable 'customer.name'");
	render_fails("Hi {{contact.name", "missing '}}'");
	render_fails("Hi {{ }}", "empty or malformed");
	render_fails("Hi {{contact.name | there}}", "must be a quoted string");
	render_fails("Hi {{contact.name | \"there}}", "unterminated fallback");
}

static void
canned_bounds_the_result(void **state)
{
	struct vars	 v = { NULL, NULL, NULL, NULL };
	char		*big, *cause = NULL;
	json_t		*missing;
	size_t		 n = CANNED_BODY_MAX - 2;

	(void)state;
	big = xmalloc(n + 32);
	memset(big, 'x', n);
	snprintf(big + n, 32, "{{agent.name}}");
	v.agent = "abcdef";
	assert_null(canned_render(big, lookup, &v, &missing, &cause));
	assert_non_null(strstr(cause, "longer than"));
	free(cause);
	free(big);
}

static void
canned_first_name_is_the_first_word(void **state)
{
	char	*f;

	(void)state;
	f = canned_first_name("  Anna  Maria Schmidt");
	assert_string_equal(f, "Anna");
	free(f);
	assert_null(canned_first_name("   "));
	assert_null(canned_first_name(NULL));
}

static void
search_terms_are_quoted_for_fts(void **state)
{
	struct search_query	q;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(search_query_parse("parcel arriv* \"blue sweater\" "
	    "a\"b NEAR(x", &q, &cause), 0);
	assert_string_equal(q.match, "\"parcel\" \"arriv\"* \"blue sweater\" "
	    "\"a\"\"b\" \"NEAR(x\"");
	assert_int_equal(q.kinds, 7);
	assert_int_equal(q.dir, 0);
	search_query_free(&q);
}

static void
search_filters_are_parsed(void **state)
{
	struct search_query	q;
	char			*cause = NULL;

	(void)state;
	assert_int_equal(search_query_parse("refund status:open assignee:me "
	    "label:vip from:2025-01-01 to:2025-01-31 out: in:messages", &q,
	    &cause), 0);
	assert_string_equal(q.match, "\"refund\"");
	assert_string_equal(q.state, "open");
	assert_string_equal(q.assignee, "me");
	assert_string_equal(q.label, "vip");
	assert_int_equal(q.from, 1735689600);
	assert_int_equal(q.to, 1738368000);	/* end of the 31st */
	assert_int_equal(q.dir, 2);
	assert_int_equal(q.kinds, 1);
	search_query_free(&q);
	assert_int_equal(search_query_parse("x in:", &q, &cause), 0);
	assert_int_equal(q.dir, 1);
	search_query_free(&q);
}

static void
search_refuses_bad_queries(void **state)
{
	struct search_query	 q;
	char			*cause = NULL;
	char			 big[SEARCH_QUERY_MAX + 10];

	(void)state;
	assert_int_equal(search_query_parse("status:open", &q, &cause), -1);
	assert_non_null(strstr(cause, "nothing to search for"));
	free(cause);
	assert_int_equal(search_query_parse("x status:closed", &q, &cause), -1);
	assert_non_null(strstr(cause, "status: must be"));
	free(cause);
	assert_int_equal(search_query_parse("x from:yesterday", &q, &cause), -1);
	assert_non_null(strstr(cause, "YYYY-MM-DD"));
	free(cause);
	assert_int_equal(search_query_parse("x color:red", &q, &cause), -1);
	assert_non_null(strstr(cause, "unknown filter 'color:'"));
	free(cause);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(search_query_parse(big, &q, &cause), -1);
	free(cause);
	assert_int_equal(search_query_parse("a b c d e f g h i j k l m n o p q", &q,
	    &cause), -1);
	assert_non_null(strstr(cause, "at most"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canned_fills_every_variable),
		cmocka_unit_test(canned_fallback_used_when_missing),
		cmocka_unit_test(canned_names_every_unfilled_variable_once),
		cmocka_unit_test(
		    canned_plain_text_and_single_braces_pass_through),
		cmocka_unit_test(canned_refuses_bad_templates),
		cmocka_unit_test(canned_bounds_the_result),
		cmocka_unit_test(canned_first_name_is_the_first_word),
		cmocka_unit_test(search_terms_are_quoted_for_fts),
		cmocka_unit_test(search_filters_are_parsed),
		cmocka_unit_test(search_refuses_bad_queries),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * The rule file's parser and word matching (src/common/rulefile.c, issue
 * 16): a good file read whole, every kind of error named with its line
 * and what to write, the limits, and whole words folded for case and
 * umlauts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rulefile.h"

static struct rulefile *
parse_ok(const char *text)
{
	struct rulefile	*rf;
	json_t		*errors = NULL;

	if (rulefile_parse("t.conf", text, strlen(text), &rf, &errors) != 0) {
		fprintf(stderr, "%s\n", json_string_value(json_array_get(
		    errors, 0)));
		fail();
	}
	assert_null(errors);
	return (rf);
}

/* The first error of a bad text (static copy), checked to be one. */
static const char *
parse_err(const char *text)
{
	static char	 first[512];
	struct rulefile	*rf;
	json_t		*errors = NULL;

	assert_int_equal(rulefile_parse("t.conf", text, strlen(text), &rf,
	    &errors), -1);
	assert_null(rf);
	snprintf(first, sizeof first, "%s", json_string_value(json_array_get(
	    errors, 0)));
	json_decref(errors);
	return (first);
}

static void
rulefile_reads_a_file(void **state)
{
	struct rulefile	*rf;
	char		*t;

	(void)state;
	rf = parse_ok("# routing\n"
	    "rule refund-to-billing\n"
	    "  when message\n"
	    "  if words refund \"R\xc3\xbc" "ckerstattung\" # comment\n"
	    "  unless label done\n"
	    "  if attribute tier = \"gold plus\"\n"
	    "  then team billing\n"
	    "  then snooze 2h\n"
	    "rule slow\n"
	    "  when no-reply 30\n"
	    "  then notify agent a b\n"
	    "macro m\n"
	    "  then assign me\n"
	    "  then resolve\n");
	assert_int_equal(rf->nrules, 2);
	assert_int_equal(rf->nmacros, 1);
	assert_string_equal(rf->rules[0].name, "refund-to-billing");
	assert_int_equal(rf->rules[0].line, 2);
	assert_int_equal(rf->rules[0].nconds, 3);
	assert_true(rf->rules[0].conds[1].negate);
	assert_string_equal(rf->rules[0].conds[2].args[1], "gold plus");
	assert_int_equal(rf->rules[1].trigger, RF_WHEN_NO_REPLY);
	assert_int_equal(rf->rules[1].minutes, 30);
	assert_int_equal(rf->macros[0].actions[1].kind, RF_DO_RESOLVE);
	t = rulefile_cond_text(&rf->rules[0].conds[2]);
	assert_string_equal(t, "if attribute tier \"gold plus\"");
	free(t);
	t = rulefile_trigger_text(&rf->rules[1]);
	assert_string_equal(t, "when no-reply 30");
	free(t);
	rulefile_free(rf);
}

static void
rulefile_errors_say_where_and_what(void **state)
{
	(void)state;
	assert_string_equal(parse_err("rule a\n  when sometimes\n  then "
	    "resolve\n"), "t.conf:2: unknown trigger; write 'when message', "
	    "'when created', 'when label [NAME]', 'when no-reply MINUTES', "
	    "'when window-closing MINUTES' or 'when sla-breached [KIND]'");
	/* issue 19: a breach's kind, or any */
	assert_non_null(strstr(parse_err("rule a\n  when sla-breached soon\n"
	    "  then priority urgent\n"), "t.conf:2: 'when sla-breached' "
	    "takes first, next or resolution"));
	assert_non_null(strstr(parse_err("rule a\n  when message\n"),
	    "t.conf:1: rule 'a' does nothing"));
	assert_non_null(strstr(parse_err("rule a\n  then label x\n"),
	    "has no trigger"));
	assert_non_null(strstr(parse_err("rule a\n when message\n when "
	    "created\n then label x\n"), "t.conf:3: rule 'a' has a second "
	    "'when'"));
	assert_non_null(strstr(parse_err("if words x\n"),
	    "outside a rule or macro"));
	assert_non_null(strstr(parse_err("rule a\n when message\n then "
	    "resolve\n"), "unknown action 'resolve'"));
	assert_non_null(strstr(parse_err("macro m\n then notify team t\n"),
	    "unknown action 'notify'"));
	assert_non_null(strstr(parse_err("rule a\n when message\n then "
	    "priority soon\n"), "urgent"));
	assert_non_null(strstr(parse_err("rule a\n when message\n then "
	    "snooze never\n"), "TIME EXPRESSIONS"));
	assert_non_null(strstr(parse_err("rule a\n when no-reply 0\n then "
	    "resolve\n"), "from 1 to 10080"));
	assert_non_null(strstr(parse_err("rule a\n when message\n if words "
	    "\"open\n then label x\n"), "a quote is not closed"));
	assert_non_null(strstr(parse_err("rule a\n when message\n then "
	    "assign me\n"), "'assign me' is for macros"));
	assert_non_null(strstr(parse_err("rule a\n when message\n then "
	    "label x\nrule a\n when message\n then label y\n"),
	    "t.conf:4: a second rule 'a' (the first is on line 1)"));
	assert_non_null(strstr(parse_err("rule a b\n"), "write 'rule NAME'"));
	assert_non_null(strstr(parse_err("rule a\n when message\n if hours "
	    "maybe\n then label x\n"), "'if hours open'"));
}

static void
rulefile_bounds(void **state)
{
	char	*big;
	size_t	 i, o = 0, sz = (RF_RULES_MAX + 2) * 48;

	(void)state;
	big = malloc(RF_LINE_MAX + 64);
	memset(big, 'x', RF_LINE_MAX + 10);
	memcpy(big, "rule a\n", 7);
	big[RF_LINE_MAX + 10] = '\0';
	assert_non_null(strstr(parse_err(big), "t.conf:2: a line longer "
	    "than 1024 bytes"));
	free(big);
	big = malloc(sz);
	for (i = 0; i < RF_RULES_MAX + 1; i++)
		o += (size_t)snprintf(big + o, sz - o, "rule r%zu\n when "
		    "message\n then label x\n", i);
	assert_non_null(strstr(parse_err(big), "more than 256 rules"));
	free(big);
	assert_non_null(strstr(parse_err("rule a\n when message\n if words "
	    "\"\"\n then label x\n"), "an empty word"));
}

static void
rulefile_whole_words_folded(void **state)
{
	char	*w[] = { "refund", "R\xc3\xbc" "ckerstattung", "money back" };

	(void)state;
	assert_string_equal(rulefile_words_match("I want a REFUND!", w, 3),
	    "refund");
	assert_null(rulefile_words_match("refunds are nice", w, 3));
	assert_null(rulefile_words_match("prerefund", w, 3));
	assert_string_equal(rulefile_words_match("eine R\xc3\x9c" "CKERSTATTUNG"
	    " bitte", w, 3), w[1]);
	assert_string_equal(rulefile_words_match("ruckerstattung", w, 3),
	    w[1]);
	assert_string_equal(rulefile_words_match("I want my Money Back.", w,
	    3), "money back");
	/* A letter of another script next to it is a letter, not a gap. */
	assert_null(rulefile_words_match("refund\xc3\xa9", w, 1));
	assert_null(rulefile_words_match(NULL, w, 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rulefile_reads_a_file),
		cmocka_unit_test(rulefile_errors_say_where_and_what),
		cmocka_unit_test(rulefile_bounds),
		cmocka_unit_test(rulefile_whole_words_folded),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

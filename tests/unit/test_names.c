/*
 * The name tables of include/names.h: every value has its protocol name
 * and back, the order is the one the store and the rank checks rely on,
 * and anything else is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "names.h"

static void
names_states_both_ways(void **state)
{
	static const char	*want[] = { "open", "pending", "snoozed",
				    "resolved" };
	enum conv_state		 v;
	int			 i;

	(void)state;
	assert_int_equal(CONV_NSTATES, 4);
	for (i = 0; i < CONV_NSTATES; i++) {
		assert_string_equal(names_state((enum conv_state)i), want[i]);
		assert_int_equal(names_state_from(want[i], &v), 0);
		assert_int_equal(v, i);
	}
	assert_string_equal(NAMES_LIST(NAMES_STATES, "|"),
	    "open|pending|snoozed|resolved");
}

static void
names_priorities_most_urgent_first(void **state)
{
	enum conv_priority	v;

	(void)state;
	/* The store keeps a priority as a number, 0 urgent .. 3 low. */
	assert_int_equal(CONV_URGENT, 0);
	assert_int_equal(CONV_LOW, 3);
	assert_string_equal(names_priority(CONV_HIGH), "high");
	assert_int_equal(names_priority_from("normal", &v), 0);
	assert_int_equal(v, CONV_NORMAL);
	assert_string_equal(NAMES_LIST(NAMES_PRIORITIES, ", "),
	    "urgent, high, normal, low");
}

static void
names_roles_by_rank(void **state)
{
	enum agent_role	v;

	(void)state;
	assert_true(ROLE_AGENT < ROLE_SUPERVISOR);
	assert_true(ROLE_SUPERVISOR < ROLE_ADMIN);
	assert_int_equal(ROLE_NROLES, 3);
	assert_int_equal(names_role_from("supervisor", &v), 0);
	assert_int_equal(v, ROLE_SUPERVISOR);
	assert_string_equal(names_role(ROLE_ADMIN), "admin");
}

static void
names_refuse_the_rest(void **state)
{
	static const char	*bad[] = { "", "Open", "open ", "opened",
				    "anyone", "URGENT", "snooze", NULL };
	enum conv_state		 s = CONV_PENDING;
	enum conv_priority	 p = CONV_HIGH;
	enum agent_role		 r = ROLE_ADMIN;
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		assert_int_equal(names_state_from(bad[i], &s), -1);
		assert_int_equal(names_priority_from(bad[i], &p), -1);
		assert_int_equal(names_role_from(bad[i], &r), -1);
	}
	assert_int_equal(names_state_from(NULL, &s), -1);
	/* A refusal leaves the value as it was. */
	assert_int_equal(s, CONV_PENDING);
	assert_int_equal(p, CONV_HIGH);
	assert_int_equal(r, ROLE_ADMIN);
	assert_null(names_state(CONV_NSTATES));
	assert_null(names_priority(CONV_NPRIORITIES));
	assert_null(names_role(ROLE_NROLES));
	assert_null(names_role((enum agent_role)-1));
}

static void
names_sorts_both_ways(void **state)
{
	static const char	*want[] = { "newest", "waiting", "window",
				    "priority" };
	enum list_sort		 v;
	int			 i;

	(void)state;
	assert_int_equal(SORT_NSORTS, 4);
	/* The client cycles through them in this order; newest is 0. */
	for (i = 0; i < SORT_NSORTS; i++) {
		assert_string_equal(names_sort((enum list_sort)i), want[i]);
		assert_int_equal(names_sort_from(want[i], &v), 0);
		assert_int_equal(v, i);
	}
	assert_int_equal(names_sort_from("oldest", &v), -1);
	assert_int_equal(names_sort_from("Waiting", &v), -1);
	assert_int_equal(names_sort_from(NULL, &v), -1);
	assert_null(names_sort(SORT_NSORTS));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_states_both_ways),
		cmocka_unit_test(names_priorities_most_urgent_first),
		cmocka_unit_test(names_roles_by_rank),
		cmocka_unit_test(names_refuse_the_rest),
		cmocka_unit_test(names_sorts_both_ways),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

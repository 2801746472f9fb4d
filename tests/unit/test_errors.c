/* The error table: every code of the reference is known and explained, and
 * the classes the outbox acts on are the ones the reference recommends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "meta-errors.h"

/* Every code in the reference's table (section 7), single or range ends. */
static const int64_t errors_reference_codes[] = {
	0, 1, 2, 3, 4, 10, 33, 100, 190, 200, 250, 299, 368, 80007, 130429,
	130472, 130497, 131000, 131005, 131008, 131009, 131016, 131021,
	131026, 131030, 131031, 131035, 131036, 131037, 131042, 131045,
	131047, 131048, 131049, 131050, 131051, 131052, 131053, 131056,
	131057, 131062, 131064, 132000, 132001, 132005, 132007, 132012,
	132015, 132016, 132068, 132069, 133000, 133004, 133005, 133010,
	133016, 134011, 135000, 2494100
};

static void
errors_every_reference_code_has_its_own_explanation(void **state)
{
	const struct meta_errors_entry	*e, *unknown;
	size_t				 i;

	(void)state;
	unknown = meta_errors_lookup(987654321);
	for (i = 0; i < sizeof errors_reference_codes /
	    sizeof errors_reference_codes[0]; i++) {
		e = meta_errors_lookup(errors_reference_codes[i]);
		assert_non_null(e->explain);
		assert_ptr_not_equal(e, unknown);
		/* One line, no trailing newline. */
		assert_null(strchr(e->explain, '\n'));
		assert_true(strlen(e->explain) > 10);
	}
}

static void
errors_classes_follow_the_reference(void **state)
{
	(void)state;
	assert_int_equal(meta_errors_lookup(130429)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(131056)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(131016)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(80007)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(4)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(131000)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(190)->class, META_ERRORS_FIX);
	assert_int_equal(meta_errors_lookup(0)->class, META_ERRORS_FIX);
	assert_int_equal(meta_errors_lookup(131026)->class, META_ERRORS_NEVER);
	assert_int_equal(meta_errors_lookup(131049)->class, META_ERRORS_NEVER);
	assert_int_equal(meta_errors_lookup(131050)->class, META_ERRORS_NEVER);
	assert_int_equal(meta_errors_lookup(131047)->class,
	    META_ERRORS_TEMPLATE);
	/* Inside a range, a single code listed first wins. */
	assert_int_equal(meta_errors_lookup(133004)->class, META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(133010)->class, META_ERRORS_NEVER);
	assert_int_equal(meta_errors_lookup(250)->class, META_ERRORS_NEVER);
}

static void
errors_unknown_code_is_never_retried(void **state)
{
	(void)state;
	assert_int_equal(meta_errors_lookup(470)->class, META_ERRORS_NEVER);
	assert_int_equal(meta_errors_lookup(-999)->class, META_ERRORS_NEVER);
	assert_non_null(meta_errors_lookup(470)->explain);
}

static void
errors_transport_failures_are_classed(void **state)
{
	(void)state;
	assert_int_equal(meta_errors_lookup(META_ERRORS_NET_CONNECT)->class,
	    META_ERRORS_RETRY);
	assert_int_equal(meta_errors_lookup(META_ERRORS_NET_UNKNOWN)->class,
	    META_ERRORS_UNKNOWN);
	assert_int_equal(meta_errors_lookup(META_ERRORS_HTTP)->class,
	    META_ERRORS_RETRY);
	assert_string_equal(meta_errors_class_name(META_ERRORS_TEMPLATE),
	    "template");
	assert_string_equal(meta_errors_class_name(META_ERRORS_FIX), "fix");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    errors_every_reference_code_has_its_own_explanation),
		cmocka_unit_test(errors_classes_follow_the_reference),
		cmocka_unit_test(errors_unknown_code_is_never_retried),
		cmocka_unit_test(errors_transport_failures_are_classed),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

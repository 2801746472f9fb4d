/* spark.c: sparklines and eighth-block bars drawn as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "spark.h"

#define FULL	"\xe2\x96\x88"
#define LOW	"\xe2\x96\x81"

static void
spark_line_largest_is_full_block_zero_is_lowest(void **state)
{
	int64_t	v[] = { 0, 1, 4, 8, SPARK_NONE, 2 };
	char	buf[64];

	(void)state;
	assert_int_equal(spark_line(v, 6, 0, buf, sizeof buf), 6);
	/* 0 lowest, 1 of 8 still above it, 4 half, 8 full, none blank */
	assert_string_equal(buf, LOW "\xe2\x96\x82" "\xe2\x96\x85" FULL " "
	    "\xe2\x96\x83");
}

static void
spark_line_all_zero_is_flat_and_ascii_is_plain(void **state)
{
	int64_t	z[] = { 0, 0, 0 }, v[] = { 0, 7, 14 };
	char	buf[64];

	(void)state;
	spark_line(z, 3, 0, buf, sizeof buf);
	assert_string_equal(buf, LOW LOW LOW);
	assert_int_equal(spark_line(v, 3, 1, buf, sizeof buf), 3);
	assert_string_equal(buf, "_=#");	/* 7 of 14: 3.5 of 7, up */
}

static void
spark_line_stops_at_the_buffer_without_cutting_a_cell(void **state)
{
	int64_t	v[] = { 1, 1, 1, 1 };
	char	buf[8];		/* two cells of 3 bytes and the NUL */

	(void)state;
	assert_int_equal(spark_line(v, 4, 0, buf, sizeof buf), 2);
	assert_string_equal(buf, FULL FULL);
}

static void
spark_bar_max_fills_the_width_and_halves_are_eighths(void **state)
{
	char	buf[128];

	(void)state;
	assert_int_equal(spark_bar(34, 34, 10, 0, buf, sizeof buf), 10);
	assert_string_equal(buf, FULL FULL FULL FULL FULL FULL FULL FULL FULL
	    FULL);
	/* 17 of 34 in 9 cells: 36 eighths, four cells and a half */
	assert_int_equal(spark_bar(17, 34, 9, 0, buf, sizeof buf), 5);
	assert_string_equal(buf, FULL FULL FULL FULL "\xe2\x96\x8c");
	/* 1 of 1000 in 10 cells: less than an eighth, still seen */
	assert_int_equal(spark_bar(1, 1000, 10, 0, buf, sizeof buf), 1);
	assert_string_equal(buf, "\xe2\x96\x8f");
}

static void
spark_bar_nothing_for_zero_and_clamped_above_max(void **state)
{
	char	buf[64];

	(void)state;
	assert_int_equal(spark_bar(0, 10, 10, 0, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(spark_bar(5, 0, 10, 0, buf, sizeof buf), 0);
	assert_int_equal(spark_bar(50, 10, 3, 0, buf, sizeof buf), 3);
	assert_string_equal(buf, FULL FULL FULL);
	assert_int_equal(spark_bar(INT64_MAX, INT64_MAX, 4, 1, buf,
	    sizeof buf), 4);
	assert_string_equal(buf, "####");
}

static void
spark_bar_ascii_rounds_to_whole_cells(void **state)
{
	char	buf[64];

	(void)state;
	assert_int_equal(spark_bar(25, 34, 8, 1, buf, sizeof buf), 6);
	assert_string_equal(buf, "######");
	assert_int_equal(spark_bar(1, 100, 8, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, "#");
	/* a short buffer cuts the bar, terminated */
	assert_int_equal(spark_bar(8, 8, 8, 0, buf, 8), 2);
	assert_string_equal(buf, FULL FULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    spark_line_largest_is_full_block_zero_is_lowest),
		cmocka_unit_test(
		    spark_line_all_zero_is_flat_and_ascii_is_plain),
		cmocka_unit_test(
		    spark_line_stops_at_the_buffer_without_cutting_a_cell),
		cmocka_unit_test(
		    spark_bar_max_fills_the_width_and_halves_are_eighths),
		cmocka_unit_test(
		    spark_bar_nothing_for_zero_and_clamped_above_max),
		cmocka_unit_test(spark_bar_ascii_rounds_to_whole_cells),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

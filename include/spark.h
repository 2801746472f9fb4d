/*
 * Bar charts and sparklines as text: a sparkline of values in the eight
 * block heights and a bar of a value against a maximum in eighth blocks,
 * so the report view (ui-report.c) draws with characters, NO_COLOR safe.
 * No curses here: the unit tests link it. With ascii set the output is
 * plain ASCII for terminals without UTF-8.
 */
#ifndef SPARK_H
#define SPARK_H

#include <stddef.h>
#include <stdint.h>

#define SPARK_NONE	(-1)	/* a value that is not there: a blank */

/*
 * The sparkline of n values, one cell each: the largest is a full block
 * (8/8), any other v > 0 at least the lowest (1/8, never a blank), 0 the
 * lowest, SPARK_NONE (any v < 0) a space. Writes at most len bytes to buf
 * (always terminated, len > 0; 3 bytes a cell plus 1 fit all) and returns
 * the cells written.
 */
size_t	spark_line(const int64_t *v, size_t n, int ascii, char *buf,
	    size_t len);
/*
 * A bar of value against max in width cells: width * 8 * value / max
 * eighths rounded to the nearest, at least one for value > 0; the max is
 * exactly width full blocks. ascii draws whole cells of '#' (rounded, at
 * least one for value > 0). Writes at most len bytes to buf (always
 * terminated, len > 0) and returns the cells the bar takes (0 for
 * value <= 0 or max <= 0).
 */
int	spark_bar(int64_t value, int64_t max, int width, int ascii, char *buf,
	    size_t len);

#endif

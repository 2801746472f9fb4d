/* Bars and sparklines as text; see spark.h. */
#include <string.h>

#include "spark.h"

/* U+2581 .. U+2588: the eight heights of a sparkline cell. */
static const char *const spark_levels[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
static const char spark_ascii[8] = { '_', '.', '-', '~', '=', '+', '*', '#' };
/* U+2589 .. U+258F: 7/8 down to 1/8 of a cell's width; [k] is k/8. */
static const char *const spark_eighths[8] = { "",
	"\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89" };
#define SPARK_FULL	"\xe2\x96\x88"

/* Appends s to buf (o bytes used of len) if it fits with the NUL. */
static int
spark_put(char *buf, size_t len, size_t *o, const char *s)
{
	size_t	n = strlen(s);

	if (*o + n + 1 > len)
		return (-1);
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
	return (0);
}

size_t
spark_line(const int64_t *v, size_t n, int ascii, char *buf, size_t len)
{
	int64_t	max = 0;
	size_t	i, o = 0;
	char	one[2] = { 0, 0 };
	int	lv;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = 0; i < n; i++) {
		if (v[i] < 0)
			lv = -1;
		else if (v[i] == 0 || max == 0)
			lv = 0;
		else {
			/* 1..max onto 1..7 above the lowest, max on 7 */
			lv = (int)((double)v[i] * 7 / (double)max + 0.5);
			if (lv < 1)
				lv = 1;
			if (lv > 7)
				lv = 7;
		}
		if (ascii) {
			one[0] = lv < 0 ? ' ' : spark_ascii[lv];
			if (spark_put(buf, len, &o, one) != 0)
				break;
		} else if (spark_put(buf, len, &o, lv < 0 ? " " :
		    spark_levels[lv]) != 0)
			break;
	}
	return (i);
}

int
spark_bar(int64_t value, int64_t max, int width, int ascii, char *buf,
    size_t len)
{
	long long	eighths;
	int		cells = 0, i, rem;
	size_t		o = 0;

	buf[0] = '\0';
	if (value <= 0 || max <= 0 || width <= 0)
		return (0);
	if (value > max)
		value = max;
	eighths = (long long)((double)value * width * 8 / (double)max + 0.5);
	if (eighths < 1)
		eighths = 1;
	if (ascii) {
		cells = (int)((eighths + 4) / 8);
		if (cells < 1)
			cells = 1;
		for (i = 0; i < cells; i++)
			if (spark_put(buf, len, &o, "#") != 0)
				return (i);
		return (cells);
	}
	for (i = 0; i < (int)(eighths / 8); i++, cells++)
		if (spark_put(buf, len, &o, SPARK_FULL) != 0)
			return (cells);
	if ((rem = (int)(eighths % 8)) != 0 &&
	    spark_put(buf, len, &o, spark_eighths[rem]) == 0)
		cells++;
	return (cells);
}

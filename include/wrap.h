/*
 * Wrapping text at word boundaries for a width in terminal columns (UTF-8
 * widths from utf8.h): break at a space when the line has one, cut a word
 * only when it is longer than the width.
 */
#ifndef WRAP_H
#define WRAP_H

#include <stddef.h>

/*
 * One line of s (len bytes) for cols columns: returns the bytes to show
 * and sets *next to where the next line starts. A line ends at a newline
 * (*next points at it), at the last space that fits (the space is skipped:
 * *next is past it) or, for a word wider than cols, inside the word.
 * Returns len with *next == len when the rest fits.
 */
size_t	wrap_line(const char *s, size_t len, int cols, size_t *next);

#endif

/* Word wrapping; see wrap.h. */
#include <stddef.h>

#include "utf8.h"
#include "wrap.h"

size_t
wrap_line(const char *s, size_t len, int cols, size_t *next)
{
	size_t	fit, k;
	int	w;

	fit = utf8_fit(s, len, cols > 0 ? cols : 1, NULL);
	if (fit >= len) {
		*next = len;
		return (len);
	}
	if (s[fit] == '\n') {
		*next = fit;
		return (fit);
	}
	if (s[fit] == ' ') {
		*next = fit + 1;
		return (fit);
	}
	for (k = fit; k > 0; k--) {
		if (s[k - 1] == ' ' && k > 1) {
			*next = k;
			return (k - 1);
		}
	}
	/* A word longer than the line: cut it (at least one grapheme). */
	if (fit == 0)
		fit = utf8_grapheme(s, len, &w);
	*next = fit;
	return (fit);
}

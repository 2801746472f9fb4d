/* Language codes; see lang.h. */
#include <string.h>
#include <strings.h>

#include "lang.h"

static int
lang_alpha(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

int
lang_valid(const char *s)
{
	size_t	i, n;

	if (s == NULL || strlen(s) > LANG_MAX)
		return (0);
	/* The language itself in lower case, as ISO 639 writes it. */
	for (n = 0; s[n] >= 'a' && s[n] <= 'z'; n++)
		;
	if (n < 2 || n > 3)
		return (0);
	if (s[n] == '\0')
		return (1);
	if ((s[n] != '_' && s[n] != '-') || s[n + 1] == '\0')
		return (0);
	for (i = n + 1; s[i] != '\0'; i++) {
		if (!lang_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9'))
			return (0);
	}
	return (1);
}

int
lang_pick(const char *const *langs, size_t n, const char *want)
{
	size_t	i, base;

	if (want == NULL || *want == '\0')
		return (-1);
	for (i = 0; i < n; i++) {
		if (langs[i] != NULL && strcasecmp(langs[i], want) == 0)
			return ((int)i);
	}
	base = strcspn(want, "_-");
	for (i = 0; i < n; i++) {
		if (langs[i] != NULL && strcspn(langs[i], "_-") == base &&
		    strncasecmp(langs[i], want, base) == 0)
			return ((int)i);
	}
	return (-1);
}

/*
 * Theme files (src/tui/theme.c): the input is fuzz.theme in the directory
 * $SUPPORT_INBOX_THEMES names (the fuzz directory).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "theme.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct theme	 t;
	const char	*path;
	char		 dir[PATH_MAX], *cause = NULL, *slash;

	path = fuzz_file(data, len, ".theme");
	snprintf(dir, sizeof dir, "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	setenv("SUPPORT_INBOX_THEMES", dir, 1);
	memset(&t, 0, sizeof t);
	theme_builtin(&t, 0);
	if (theme_load(&t, "input", &cause) != 0)
		free(cause);
	theme_release(&t);
	return (0);
}

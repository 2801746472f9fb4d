/*
 * Canned-reply rendering (src/daemon/canned.c): the input up to the first
 * NUL is the template; what follows is the value of every variable (or,
 * with no NUL, every variable has none).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "canned.h"
#include "fuzz.h"

static const char *
lookup(const char *name, void *arg)
{
	(void)name;
	return (arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		*s, *val, *out, *cause = NULL, *first;
	json_t		*missing = NULL;
	size_t		 tl;

	s = fuzz_str(data, len);
	tl = strlen(s);
	val = tl < len ? s + tl + 1 : NULL;
	out = canned_render(s, val != NULL ? lookup : NULL, val, &missing,
	    &cause);
	if (out == NULL)
		free(cause);
	free(out);
	json_decref(missing);
	(void)canned_is_known(s);
	first = canned_first_name(val != NULL ? val : s);
	free(first);
	free(s);
	return (0);
}
